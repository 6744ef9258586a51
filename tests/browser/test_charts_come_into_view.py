"""Live charts drawn as they come into view, and an explorer's "Download this case", in headless
Chromium with the network cut off.

A report page shows each chart's static picture and draws the live chart only when it nears the
screen; the Vega bundle is loaded when the first chart needs it, never when none does. An
explorer whose setting the page address names is drawn at once, in that setting. "Download this
case" saves the rows the explorer draws for the setting on screen (what the library computes
for it) with the setting, the headline lines and the citation, made in the page.
"""

from __future__ import annotations

import csv
import io

import pytest
from helpers.browser import LINES, SET_INPUT, OfflinePage

from magnet_watch.analysis import capacity
from magnet_watch.narrative import capacity as capacity_words

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

DRAWN = """(name) => {
    const f = document.querySelector(`figure[data-chart="${name}"]`);
    return {drawn: f.classList.contains('drawn'),
            marks: f.querySelectorAll('.chart-view svg g[class*="mark-"] > *').length,
            staticShown: getComputedStyle(f.querySelector('.chart-static')).display !== 'none'};
}"""
VEGA_LOADED = """() => ({embed: typeof window.vegaEmbed,
    scripts: Array.from(document.scripts).filter(s => (s.src || '').includes('vega')).length})"""


def chart_names(page) -> list[str]:
    return page.eval_on_selector_all("figure.chart", "fs => fs.map(f => f.dataset.chart)")


def wait_drawn(page, name: str) -> None:
    page.wait_for_function(
        "(name) => document.querySelector(`figure[data-chart='${name}']`)"
        ".classList.contains('drawn')",
        arg=name,
        timeout=30_000,
    )


def test_the_first_chart_is_live_and_one_far_below_only_once_the_reader_scrolls_to_it(
    browser, project_build
):
    out, _ = project_build
    view = OfflinePage(browser, width=1280, height=900)
    try:
        page = view.open(out / "04_market_share.html")
        first, *_, last = chart_names(page)
        # The page opens with its words; the first chart comes into view as the reader reads on.
        page.locator(f"figure[data-chart='{first}']").scroll_into_view_if_needed()
        wait_drawn(page, first)
        assert page.evaluate(DRAWN, first)["marks"] > 0
        page.wait_for_timeout(1000)  # time enough to draw it, had the page drawn every chart
        far = page.evaluate(DRAWN, last)
        assert not far["drawn"] and far["staticShown"] and far["marks"] == 0
        page.locator(f"figure[data-chart='{last}']").scroll_into_view_if_needed()
        wait_drawn(page, last)
        near = page.evaluate(DRAWN, last)
        assert near["marks"] > 0 and not near["staticShown"]
        assert page.evaluate(VEGA_LOADED) == {"embed": "function", "scripts": 1}
        assert view.refused == [] and view.errors == []
    finally:
        view.close()


def test_a_page_with_no_chart_near_the_screen_does_not_load_vega(browser, project_build):
    out, _ = project_build
    view = OfflinePage(browser, width=390, height=844)
    try:
        page = view.open(out / "02_capacity.html")
        page.wait_for_timeout(1000)
        assert page.evaluate(VEGA_LOADED) == {"embed": "undefined", "scripts": 0}
        assert page.locator("figure.chart.drawn").count() == 0
        statics = page.eval_on_selector_all(
            "figure.chart .chart-static", "is => is.map(i => getComputedStyle(i).display)"
        )
        assert statics and "none" not in statics
        assert view.refused == [] and view.errors == []
    finally:
        view.close()


def capacity_case(inputs, nd: float, shape: str, target: int):
    """Return (the explorer's headline lines, the need by year) the library computes."""
    gap = capacity.nd_gap(2025, target, shape, nd, inputs=inputs.capacity)
    rows = capacity_words.capacity_headlines(gap, nd, inputs.capacity).to_dict("records")
    lines = [
        f"{r['figure']}: {r['value']} ({r['period']})"
        for r in rows
        if r["source"].startswith("computed")
    ]
    return lines, dict(zip(gap["year"], gap["nd_needed_t_per_yr"], strict=True))


def test_an_explorer_named_in_the_address_is_drawn_at_once_in_that_setting(
    browser, project_build, imports_inputs
):
    out, _ = project_build
    chart = "explore_capacity"
    address = (
        out / "02_capacity.html"
    ).as_uri() + f"#{chart}.p_nd_mass_fraction=0.3&{chart}.p_ramp_shape=s_curve"
    expected, _ = capacity_case(imports_inputs, 0.3, "s_curve", 2032)
    view = OfflinePage(browser, width=390, height=844)
    try:
        page = view.page
        page.goto(address)
        wait_drawn(page, chart)
        page.wait_for_function(
            f"([name, lines]) => JSON.stringify(({LINES})(name)) === JSON.stringify(lines)",
            arg=[chart, expected],
            timeout=10_000,
        )
        assert page.evaluate("() => window.scrollY") == 0  # drawn without the reader scrolling
        assert view.refused == [] and view.errors == []
    finally:
        view.close()


def read_case(path) -> tuple[list[str], list[dict]]:
    """Return a downloaded case's "# " lines and its rows."""
    text = path.read_text(encoding="utf-8")
    notes = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    rows = [line for line in text.splitlines() if not line.startswith("# ")]
    return notes, list(csv.DictReader(io.StringIO("\n".join(rows))))


def test_download_this_case_saves_the_rows_of_the_setting_on_screen_with_its_citation(
    browser, project_build, imports_inputs
):
    out, _ = project_build
    chart = "explore_capacity"
    expected_lines, need = capacity_case(imports_inputs, 0.3, "s_curve", 2035)
    view = OfflinePage(browser, width=390, height=844)
    try:
        page = view.open(out / "02_capacity.html")
        figure = page.locator(f"figure[data-chart='{chart}']")
        figure.scroll_into_view_if_needed()
        wait_drawn(page, chart)
        for param, value in (
            ("p_nd_mass_fraction", "0.3"),
            ("p_ramp_shape", "s_curve"),
            ("p_target_year", "2035"),
        ):
            page.evaluate(SET_INPUT, [chart, param, value])
        page.wait_for_function(
            f"([name, lines]) => JSON.stringify(({LINES})(name)) === JSON.stringify(lines)",
            arg=[chart, expected_lines],
            timeout=10_000,
        )
        with page.expect_download() as download:
            figure.get_by_role("button", name="Download this case (CSV)").click()
        assert download.value.suggested_filename == f"{chart}-case.csv"
        notes, rows = read_case(download.value.path())
        saved = {int(r["year"]): float(r["nd_needed_t_per_yr"]) for r in rows}
        assert saved.keys() == need.keys() and max(saved) == 2035
        for year, value in need.items():
            assert saved[year] == pytest.approx(value, abs=0.051), year
        assert notes[0] == " ".join(figure.locator("p.cite").inner_text().split())
        assert notes[0].startswith("Cite this chart: “") and "As of " in notes[0]
        assert f"Address of this setting: {page.url}" in notes
        assert f"{chart}.p_target_year=2035" in page.url
        assert [n for n in notes if n.startswith("Headline: ")] == [
            f"Headline: {line}" for line in expected_lines
        ]
        settings = [n for n in notes if n.startswith("Setting: ")]
        assert len(settings) == 3 and settings[-1].endswith(": 2035"), settings
        assert view.refused == [] and view.errors == []
    finally:
        view.close()


def test_the_index_loads_a_picture_far_below_only_as_the_reader_nears_it(browser, project_build):
    out, _ = project_build
    loaded = (
        "(i) => { const img = document.images[i]; return img.complete && img.naturalWidth > 0; }"
    )
    view = OfflinePage(browser, width=390, height=844)
    try:
        page = view.open(out / "index.html")
        last = page.evaluate("() => document.images.length") - 1
        assert last > 10
        assert page.evaluate(loaded, last) is False
        page.evaluate("(i) => document.images[i].scrollIntoView()", last)
        page.wait_for_function(loaded, arg=last, timeout=10_000)
        assert view.refused == [] and view.errors == []
    finally:
        view.close()
