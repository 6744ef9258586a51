"""The overview's Replay control, in headless Chromium with the network cut off: moved to each
date the record changed, it shows the headline figures the library computes as of that date;
its setting lives in the page address, so a link opens the same date."""

from __future__ import annotations

import pytest
from helpers.browser import LINES, SET_INPUT, OfflinePage

from magnet_watch.analysis.record_in_time import headline_figures, record_change_dates
from magnet_watch.charts.replay import REPLAY_PARAM
from magnet_watch.narrative.explorers import headline_lines
from magnet_watch.narrative.what_changed import headline_words
from magnet_watch.notebook.replay import model_values

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

CHART = "explore_replay"
SAME_LINES = """([name, lines]) => {
    const found = Array.from(document.querySelectorAll(
        `figure[data-chart="${name}"] svg [aria-roledescription="text mark"]`))
        .map(e => e.getAttribute('aria-label').replace(/^order: \\d+; line: /, ''));
    return JSON.stringify(found) === JSON.stringify(lines);
}"""


@pytest.fixture(scope="module")
def expected():
    """{ISO date: the panel's lines as the library computes the figures as of that date}."""
    values = model_values()
    return {
        f"{day:%Y-%m-%d}": [
            line
            for row in headline_words(headline_figures(day, values)).itertuples()
            for line in headline_lines(row.figure, row.value, row.period)
        ]
        for day in record_change_dates()
    }


def test_the_replay_starts_at_the_pages_as_of_date(settled_tab, expected):
    view = settled_tab("01_overview")
    page = view.at_defaults()
    latest = max(expected)
    assert page.evaluate(LINES, CHART) == expected[latest]
    assert view.refused == [] and view.errors == []


def test_moved_to_each_date_the_replay_shows_the_figures_the_library_computes_then(
    settled_tab, expected
):
    view = settled_tab("01_overview")
    page = view.to_change()
    options = page.evaluate(
        f"""() => Array.from(document.querySelectorAll(
            'figure[data-chart="{CHART}"] select[name="{REPLAY_PARAM}"] option'))
            .map(o => [o.value, o.textContent])"""
    )
    assert [value for value, _ in options] == list(expected)
    assert options[0][1] == "30 November 2025"  # labelled with the date in words
    for day, lines in expected.items():
        page.evaluate(SET_INPUT, [CHART, REPLAY_PARAM, day])
        page.wait_for_function(SAME_LINES, arg=[CHART, lines], timeout=10_000)
        assert f"{CHART}.{REPLAY_PARAM}={day}" in page.evaluate("() => location.hash")
    assert len({tuple(lines) for lines in expected.values()}) > 3, "the figures move"
    assert view.refused == [] and view.errors == []


def test_a_link_with_a_date_opens_the_replay_at_that_date(browser, project_build, expected):
    out, _ = project_build
    first = min(expected)
    view = OfflinePage(browser)
    try:
        page = view.open(out / "01_overview.html")
        page.goto(f"{(out / '01_overview.html').as_uri()}#{CHART}.{REPLAY_PARAM}={first}")
        page.reload()
        page.wait_for_function(SAME_LINES, arg=[CHART, expected[first]], timeout=60_000)
        assert view.refused == []
    finally:
        view.close()
