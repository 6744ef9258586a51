"""Every report page states its finding: its <h1> is the title the notebook's summary gives,
the notebook's topic stands above it as a kicker, the summary of 3 to 5 sentences opens the
article, and the index lists each report by that finding (the session's one build)."""

from __future__ import annotations

import html
import re

import pytest

from magnet_watch.notebook.outputs import SUMMARY_METADATA_KEY
from magnet_watch.reports.plan import Project, discover_notebooks

STEMS = [path.stem for path in discover_notebooks(Project().notebooks_dir)]


def recorded_summary(notebook) -> dict:
    found = [
        output["metadata"][SUMMARY_METADATA_KEY]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if SUMMARY_METADATA_KEY in output.get("metadata", {})
    ]
    assert len(found) == 1, "each notebook shows exactly one summary"
    return found[0]


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("stem", STEMS)
def test_each_report_page_opens_with_its_findings_title_and_summary(
    stem, project_build, executed_with_defaults
):
    out, _ = project_build
    summary = recorded_summary(executed_with_defaults(stem))
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    h1 = re.findall(r"<h1>(.*?)</h1>", page)
    assert [text_of(h) for h in h1] == [summary["title"]]
    kicker = re.search(r'<p class="kicker">(.*?)</p><h1>', page)
    assert kicker and text_of(kicker.group(1)) != summary["title"]
    first = re.search(r"<article>(<[^>]+>)(.*?)</p>", page)
    assert first.group(1) == '<p class="summary">', "the summary comes first in the article"
    assert text_of(first.group(2)) == " ".join(summary["sentences"])
    assert 3 <= len(summary["sentences"]) <= 5
    for sentence in summary["sentences"]:
        assert sentence.endswith("."), sentence
    assert text_of(page).count(summary["sentences"][0]) == 1, "the summary is not repeated below"


def test_the_index_lists_each_report_by_its_finding_under_its_topic(
    project_build, executed_with_defaults
):
    out, _ = project_build
    index = (out / "index.html").read_text(encoding="utf-8")
    for stem in STEMS:
        title = html.escape(recorded_summary(executed_with_defaults(stem))["title"], quote=True)
        assert f'<h2><a href="{stem}.html">{title}</a></h2>' in index.replace("&#39;", "&#x27;")
