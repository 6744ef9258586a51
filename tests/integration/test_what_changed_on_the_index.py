"""What changed on the built index: each headline figure or verdict that differs between the
overview's changed_since (default the end of the articles) and the build's as-of date, old
and new, and the record that changed it, as the library computes them; a bad earlier date is
refused with a sentence before anything runs."""

from __future__ import annotations

import html
import os
import re
import shutil

import pytest

from magnet_watch import paths
from magnet_watch.data.record import latest_record
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.parameters import notebook_parameters
from magnet_watch.notebook.replay import what_changed_table
from magnet_watch.reports.plan import discover_notebooks, plan_notebooks

pytestmark = pytest.mark.xdist_group("report_builds")


def _section(page: str) -> str:
    found = re.search(r'<section class="what-changed" id="what-changed">(.*?)</section>', page)
    assert found, "the index has a What changed section"
    return found.group(1)


def _rows(section: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", section).group(1)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_index_shows_what_changed_old_and_new_and_the_record_as_the_library_computes(
    project_build,
):
    out, _ = project_build
    section = _section((out / "index.html").read_text(encoding="utf-8"))
    since = notebook_parameters(paths.NOTEBOOKS_DIR / "01_overview.ipynb")["changed_since"]
    table, sentence = what_changed_table(since)
    assert len(table), "the record changed after the end of the articles"
    assert html.unescape(re.search(r"<p>(.*?)</p>", section).group(1)) == sentence
    expected = table[["figure", "before", "now", "changed_by"]].values.tolist()
    assert _rows(section) == expected


def test_the_new_edition_is_named_with_its_publisher_title_and_date_on_the_index(project_build):
    out, _ = project_build
    rows = {r[0]: r for r in _rows(_section((out / "index.html").read_text(encoding="utf-8")))}
    editions = latest_record().editions
    edition = rows["USGS edition current"]
    assert editions.titles["mcs2025"] in edition[1] and editions.titles["mcs2026"] in edition[2]
    assert "U.S. Geological Survey" in edition[3] and "6 February 2026" in edition[3]
    verdict = rows["India's reserves rank, checked against the latest edition"]
    assert verdict[1].startswith("agree") and verdict[2].startswith("not available")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2025-11-31", "ISO date"),
        ("30 November 2025", "ISO date"),
        ("2024-01-01", "outside the record"),
        ("2030-01-01", "outside the record"),
        ("2025-08-14", "too early"),
    ],
)
def test_a_bad_changed_since_is_refused_with_a_sentence_before_anything_runs(value, why):
    notebooks = discover_notebooks(paths.NOTEBOOKS_DIR)
    with pytest.raises(ParameterError, match=why) as caught:
        plan_notebooks(notebooks, {"changed_since": value}, {})
    assert "changed_since" in str(caught.value)


def test_at_the_earlier_date_itself_there_is_nothing_to_compare():
    table, sentence = what_changed_table("2025-11-30", "2025-11-30")
    assert table.empty and "nothing to compare" in sentence


def test_what_changed_is_computed_once_per_record_and_again_when_one_of_its_files_changes(
    tmp_path, monkeypatch
):
    from magnet_watch.notebook import replay

    monkeypatch.setattr(replay, "_CHANGED", {})  # this test's own memory of the runs
    runs = []

    def counted(*args, **kwargs):
        runs.append(args[0])
        return headline_figures(*args, **kwargs)

    headline_figures = replay.headline_figures
    monkeypatch.setattr(replay, "headline_figures", counted)
    since = notebook_parameters(paths.NOTEBOOKS_DIR / "01_overview.ipynb")["changed_since"]
    first, sentence = what_changed_table(since)
    assert len(runs) == 2  # the figures at the two dates
    kept = first.copy()
    first[first.columns[0]] = "changed by a caller"  # its own copy: nothing kept changes
    again, said_again = what_changed_table(since)
    assert len(runs) == 2 and said_again == sentence
    assert again.equals(kept)

    copy = tmp_path / "data"  # the record's files: data/ and, beside it, seeds/
    shutil.copytree(paths.DATA_DIR, copy)
    shutil.copytree(paths.DATA_DIR.parent / "seeds", tmp_path / "seeds")
    monkeypatch.setattr(paths, "DATA_DIR", copy)
    what_changed_table(since)
    assert len(runs) == 4  # another folder, another record
    facts = copy / "facts.csv"
    os.utime(facts, ns=(facts.stat().st_atime_ns, facts.stat().st_mtime_ns + 1_000_000_000))
    what_changed_table(since)
    assert len(runs) == 6  # a file of the record changed: computed again
