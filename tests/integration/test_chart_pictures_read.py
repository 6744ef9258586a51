"""Every chart picture of the built project reads (issue 20): no label is cut short with an
ellipsis, no axis counts years in fractions ("2,027.5"), no title line is wider than the text
column. Read from the SVGs the build draws with vl-convert."""

from __future__ import annotations

import html
import json
import re

import pytest

from magnet_watch.charts.theme import TITLE_CHARACTERS

# The built pages are the project's own build, shared with the other modules that read it.
pytestmark = pytest.mark.xdist_group("report_builds")

TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
# A year with a fraction, as an axis writes it: "2027.5", "2,027.5".
FRACTIONAL_YEAR = re.compile(r"^(?:19|20)\d{2}\.\d+$|^[12],\d{3}\.\d+$")


def _texts(svg: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in TEXT.findall(svg)]


@pytest.fixture(scope="module")
def pictures(project_build) -> dict[str, list[str]]:
    out, _ = project_build
    found = {p.name: _texts(p.read_text(encoding="utf-8")) for p in sorted(out.glob("**/*.svg"))}
    assert len(found) > 10
    return found


def test_no_chart_cuts_a_label_short(pictures):
    cut = {name: [t for t in texts if "…" in t] for name, texts in pictures.items()}
    assert not {name: t for name, t in cut.items() if t}


def test_no_chart_axis_counts_years_in_fractions(pictures):
    fractional = {
        name: [t for t in texts if FRACTIONAL_YEAR.match(t)] for name, texts in pictures.items()
    }
    assert not {name: t for name, t in fractional.items() if t}


def test_no_title_line_is_wider_than_the_text_column(project_build):
    out, _ = project_build
    wide = {}
    for path in sorted(out.glob("**/*.vl.json")):
        title = json.loads(path.read_text(encoding="utf-8")).get("title", "")
        text = title.get("text", "") if isinstance(title, dict) else title
        lines = text if isinstance(text, list) else [text]
        too_wide = [line for line in lines if len(line) > TITLE_CHARACTERS]
        if too_wide:
            wide[path.name] = too_wide
    assert not wide
