"""The built reports in a real browser: headless Debian Chromium, with the network cut off.

Opens index.html and every report page of generated notebooks whose quotes carry
"<script>", and asserts that every chart drew (an SVG with marks), that nothing was
requested from the network, that nothing was logged as an error, and that quotes show as
text. Without JavaScript the static SVG of each of the project's charts shows instead. (The
project's own reports drawing every chart offline is checked where every page is read at a
desk's width: tests/browser/test_pages_for_readers.py.) With `make artefacts`, screenshots of
every page are kept in build/test-artefacts/browser/ (ignored by git).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.browser import (
    ALL_CHARTS_SETTLED,
    ARTEFACTS_DIR,
    CHART_STATE,
    OfflinePage,
    broken_images,
    keep_screenshot,
)
from helpers.built import chart_build

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

SCREENSHOTS = ARTEFACTS_DIR / "browser"


def screenshot(page, group: str, name: str) -> None:
    keep_screenshot(page, SCREENSHOTS / group / f"{name}.png")


def check_report_set(browser, out: Path, group: str, articles: dict | None = None) -> int:
    """Open index.html and every report in ``out``; return how many charts drew. ``articles``
    ({report stem: None}), if given, gets the text of those reports' articles as shown."""
    shutil.rmtree(SCREENSHOTS / group, ignore_errors=True)
    drawn = 0
    articles = {} if articles is None else articles
    view = OfflinePage(browser)  # every page a new document in one tab (OfflinePage.visit)
    try:
        for file in [out / "index.html", *sorted(out.glob("[0-9][0-9]_*.html"))]:
            page = view.visit(file)
            page.wait_for_function(ALL_CHARTS_SETTLED, timeout=60_000)
            charts = page.evaluate(CHART_STATE)
            for chart in charts:
                assert chart["drawn"], f"{file.name}: chart {chart['name']} did not draw"
                assert chart["marks"] > 0, f"{file.name}: chart {chart['name']} has no marks"
                assert not chart["staticShown"], f"{file.name}: static copy still shown"
            drawn += len(charts)
            broken = broken_images(page)
            assert not broken, f"{file.name}: images did not load: {broken}"
            screenshot(page, group, file.stem)
            assert view.refused == [], f"{file.name} asked the network for {view.refused}"
            assert view.errors == [], f"{file.name} logged errors: {view.errors}"
            assert view.dialogs == [], f"{file.name} opened dialogs: {view.dialogs}"
            assert page.evaluate("() => window.hacked") is None
            if file.stem in articles:
                articles[file.stem] = page.inner_text("article")
    finally:
        view.close()
    return drawn


@pytest.fixture(scope="module")
def project_reports(project_build):
    return project_build[0]  # the session's one build of the project: read, never modified


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    """The reports of the generated notebooks whose quotes carry "<script>": the run's one
    build of them (``chart_build``), read, never modified."""
    _, out, _ = chart_build(tmp_path_factory)
    return out


def test_quotes_with_script_tags_show_as_text_and_never_run(browser, hostile_reports):
    # check_report_set asserts on every page that no quoted script ran (window.hacked).
    articles = {"01_alpha": None}
    assert check_report_set(browser, hostile_reports, "escaping", articles) == 2
    assert "<script>window.hacked = 1</script>" in articles["01_alpha"]  # shown as text


def test_charts_are_never_blank_without_javascript(browser, project_reports):
    view = OfflinePage(browser, javascript=False)
    try:
        for file in sorted(project_reports.glob("[0-9][0-9]_*.html")):
            page = view.visit(file)
            statics = page.evaluate(
                """() => Array.from(document.querySelectorAll('figure.chart .chart-static'))
                    .map(i => i.complete && i.naturalWidth > 0
                              && getComputedStyle(i).display !== 'none')"""
            )
            assert all(statics), f"{file.name}: a static chart is missing without JavaScript"
            assert len(statics) == page.locator("figure.chart").count()
            screenshot(page, "no-javascript", file.stem)
            assert view.refused == []
    finally:
        view.close()
