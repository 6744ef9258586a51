"""The explorers of the 04, 05 and 07 report pages, in headless Chromium with the network cut off.

Each control changed on the built page must turn the chart's data and the headline lines into
what the library computes for that setting (computed here, through the library); at the
defaults the lines equal the headline figures nbval records (tests/expected_headlines/).
A page's defaults test and its controls test share one visit of it (``settled_tab``).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from helpers.browser import LINES, POINTS, change

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis import market, sensitivity
from magnet_watch.analysis.checks.claims_check import Thresholds, claims_check
from magnet_watch.analysis.checks.reference_check import reference_check
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.charts.market import processing_data
from magnet_watch.charts.reference import verdict_rows
from magnet_watch.data.later_references import load_references
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.narrative.claims import claims_headlines, claims_words
from magnet_watch.narrative.explorers import headline_lines, overlap_headline
from magnet_watch.narrative.reference_check import check_headlines
from magnet_watch.narrative.sensitivity import sensitivity_headlines
from magnet_watch.notebook.assumptions import plausible_assumptions
from magnet_watch.notebook.display import HEADLINES_MIME
from magnet_watch.notebook.explorers import PROCESSING_FIGURE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

STEMS = ("04_market_share", "05_claims_check", "07_sensitivity")


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


@pytest.fixture(scope="module")
def pages(project_build):
    """The report pages of the project's notebooks, STEMS among them: the session's one build."""
    return project_build[0]


def recorded(stem: str) -> list[dict]:
    """Return the headline rows nbval records for notebook ``stem``."""
    path = paths.PROJECT_ROOT / "tests" / "expected_headlines" / f"{stem}.json"
    return json.loads(path.read_text())[0]["data"][HEADLINES_MIME]["headlines"]


def panel_lines(rows, leave_out=()) -> list[str]:
    """Return headline rows as the explorer panel shows them (long ones on two lines)."""
    return [
        line
        for r in rows
        if r["figure"] not in leave_out
        for line in headline_lines(r["figure"], r["value"], r["period"])
    ]


def shown(page, name: str) -> list[str]:
    return page.evaluate(LINES, name)


def tooltip_values(page, name: str, title: str) -> dict[int, float]:
    """Return {year: value} the chart's points show under tooltip ``title``."""
    found = {}
    for label in page.evaluate(POINTS, name):
        year = int(re.search(r"Year: (\d{4})", label).group(1))
        value = re.search(re.escape(title) + r": ([\d.,-]+)", label)
        if value:
            found[year] = float(value.group(1).replace(",", ""))
    return found


# 07 sensitivity -------------------------------------------------------------------------------

# Within 2030-2036 the base case's first shortfall (2028) and its largest swing stay put, so the
# panel leaves them to the static headline table above it.
STILL_07 = (
    "First year the need exceeds IREL's output, base case",
    "First year the need exceeds IREL's output: the assumption it depends on most",
)


def sensitivity_rows(inputs, year: int, band_pct: float):
    """Return (the 07 headline rows, the band of the need by year) the library computes."""
    assumptions, base = plausible_assumptions(inputs)
    tornado = sensitivity.tornado(assumptions, base, year, inputs)
    result = sensitivity.monte_carlo(assumptions, base, year, 10_000, 2025, inputs)
    spread = sensitivity.outcome_spread(result, year, band_pct)
    rows = sensitivity_headlines(
        base, tornado, spread, year, 10_000, band_pct, inputs.capacity.facts
    )
    band = sensitivity.band(result, band_pct)
    return rows.to_dict("records"), band[band["quantity"] == "nd_need_t_per_yr"].set_index("year")


BAND_TIPS = {
    "median": "Median of the draws (t/yr)",
    "low": "Band, low end (t/yr)",
    "high": "Band, high end (t/yr)",
}


def assert_band(page, band) -> None:
    for column, title in BAND_TIPS.items():
        drawn = tooltip_values(page, "explore_sensitivity", title)
        assert drawn.keys() == set(band.index)
        for year, value in drawn.items():  # the tooltip shows whole tonnes
            assert value == pytest.approx(band.loc[year, column], abs=0.51), (column, year)


YEAR_MARK = """(name) => Array.from(document.querySelectorAll(
    `figure[data-chart="${name}"] .chart-view svg text`)).map(t => t.textContent)
    .filter(t => t.startsWith('figures at '))"""


def test_sensitivity_defaults_equal_the_recorded_headlines(settled_tab, imports_inputs):
    view = settled_tab("07_sensitivity")
    page = view.at_defaults()
    lines = shown(page, "explore_sensitivity")
    assert lines == panel_lines(recorded("07_sensitivity"), STILL_07)
    assert "Neodymium the magnet ramp needs, base case: 1,620 t/yr (2032)" in lines
    assert_band(page, sensitivity_rows(imports_inputs, 2032, 90.0)[1])
    assert page.evaluate(YEAR_MARK, "explore_sensitivity") == ["figures at 2032"]
    assert view.refused == [] and view.errors == []


def test_sensitivity_sliders_follow_the_library(settled_tab, imports_inputs):
    view = settled_tab("07_sensitivity")
    page = view.to_change()
    rows, band = sensitivity_rows(imports_inputs, 2032, 50.0)
    expected = panel_lines(rows, STILL_07)
    change(page, "explore_sensitivity", "p_band_pct", "50", expected[1])
    assert shown(page, "explore_sensitivity") == expected
    assert_band(page, band)

    rows, band = sensitivity_rows(imports_inputs, 2035, 50.0)
    expected = panel_lines(rows, STILL_07)
    change(page, "explore_sensitivity", "p_outcome_year", "2035", expected[0])
    assert shown(page, "explore_sensitivity") == expected
    assert "(2035)" in expected[0]
    assert_band(page, band)
    # The chart marks the year the figures are quoted at, where the slider set it.
    assert page.evaluate(YEAR_MARK, "explore_sensitivity") == ["figures at 2035"]
    assert view.refused == [] and view.errors == []


# 04 market share and 05 claims check ------------------------------------------------------------

MARK_LABELS = """(name) => Array.from(document.querySelectorAll(
    `figure[data-chart="${name}"] .chart-view svg [aria-label]`)).map(e => e.getAttribute('aria-label'))"""
TOLERANCES = [0.0, 5.0, 10.0]


def moving_lines(rows_by_case: dict, case) -> list[str]:
    """Return the panel lines of ``case``: its headline rows whose value is not the same in
    every case of the grid (the others stay in the page's static headline table)."""
    values: dict[str, set] = {}
    for rows in rows_by_case.values():
        for r in rows:
            values.setdefault(r["figure"], set()).add(r["value"])
    return panel_lines([r for r in rows_by_case[case] if len(values[r["figure"]]) > 1])


def change_to(page, name: str, param: str, value: str, expected: list[str]) -> None:
    """Set a control and wait until the panel shows a line of ``expected`` it did not show."""
    before = shown(page, name)
    change(page, name, param, value, next(line for line in expected if line not in before))


def labelled(page, name: str, key: str) -> list[str]:
    """Return the aria labels of the chart's marks that carry ``key`` (a tooltip title)."""
    return [label for label in page.evaluate(MARK_LABELS, name) if f"{key}: " in label]


@pytest.fixture(scope="module")
def claims_grid(facts):
    """{(reference_year, tolerance): (05's headline rows, its verdict rows)}, from the library."""
    refs = load_references()
    rate, usgs, sources = (
        implied_inr_per_usd(facts)["inr_per_usd"],
        load_usgs_reference(),
        mw.load_sources(),
    )
    grid = {}
    for year in usgs.years:  # those of the edition current at the default date
        for tolerance in TOLERANCES:
            limits = Thresholds(approx_tolerance=tolerance / 100, close_fraction=0.20)
            table = claims_words(claims_check(year, limits, facts=facts, usgs=usgs), sources)
            later = reference_check(
                facts, refs, usgs.prices, inr_per_usd=rate, reference_year=year, thresholds=limits
            )
            rows = pd.concat(
                [
                    claims_headlines(table, for_readers=True),
                    check_headlines(later, refs, facts, sources),
                ]
            )
            grid[(year, tolerance)] = (rows.to_dict("records"), verdict_rows(table))
    return grid


def assert_verdicts(page, verdicts) -> None:
    drawn = {
        re.search(r"row: (.*?); ", label).group(1): re.search(r"Verdict: ([a-z ]+)", label).group(1)
        for label in labelled(page, "explore_claims", "Verdict")
    }
    assert drawn == dict(zip(verdicts["row"], verdicts["Verdict"], strict=True))


def assert_same_claims(recorded_rows: list[dict], page_rows: list[dict]) -> None:
    """The same claims, values and periods in the same order; figures named without ids."""

    def kept(rows, key):
        return [r[key] for r in rows]

    assert kept(recorded_rows, "value") == kept(page_rows, "value")
    assert kept(recorded_rows, "period") == kept(page_rows, "period")
    checks = [r["figure"].rsplit(": ", 1)[0] for r in recorded_rows]
    assert len(page_rows) == len(checks)
    assert all(r["figure"].startswith(f"{c} (") for r, c in zip(page_rows, checks, strict=True))
    ids = {r["figure"].rsplit(": ", 1)[-1] for r in recorded_rows}
    assert not any(i in r["figure"] for i in ids for r in page_rows)


def test_claims_defaults_equal_the_recorded_headlines(settled_tab, claims_grid):
    view = settled_tab("05_claims_check")
    page = view.at_defaults()
    lines = shown(page, "explore_claims")
    rows = {k: v[0] for k, v in claims_grid.items()}
    assert lines == moving_lines(rows, (2024, 5.0)) and len(lines) >= 4
    # The default case is the report's: the recorded headlines, claim by claim, named on
    # the page by their sources' publisher and date where the record names them by id.
    assert_same_claims(recorded("05_claims_check"), rows[(2024, 5.0)])
    assert_verdicts(page, claims_grid[(2024, 5.0)][1])
    assert view.refused == [] and view.errors == []


def test_claims_slider_and_dropdown_follow_the_library(settled_tab, claims_grid):
    rows = {k: v[0] for k, v in claims_grid.items()}
    view = settled_tab("05_claims_check")
    page = view.to_change()
    # MCS 2026 lists India's reserves as not available: "about 8%" is not compared with it,
    # and no verdict nor headline moves with the tolerance at the default date.
    assert moving_lines(rows, (2024, 0.0)) == moving_lines(rows, (2024, 5.0))
    verdicts = claims_grid[(2024, 0.0)][1]
    assert set(verdicts["Verdict"]) == {"agree", "not comparable"}
    assert_verdicts(page, verdicts)  # the default case shows them already

    expected = moving_lines(rows, (2025, 5.0))
    change_to(page, "explore_claims", "p_reference_year", "2025", expected)
    assert shown(page, "explore_claims") == expected
    assert_verdicts(page, claims_grid[(2025, 5.0)][1])
    assert view.refused == [] and view.errors == []


@pytest.fixture(scope="module")
def market_grid(facts):
    """{(tolerance, reference_year): (04's explorer headline rows, the processing chart data)}."""
    sources, processing = mw.load_sources(), market.processing_claims(facts)
    usgs = load_usgs_reference()
    grid = {}
    for tolerance in TOLERANCES:
        conflicts = mw.conflicting_claims(
            "processing_share", facts=facts, approx_tolerance=tolerance / 100
        )
        overlap = overlap_headline(PROCESSING_FIGURE, processing, conflicts, tolerance)
        data = processing_data(processing, tolerance, sources)
        for year in usgs.years:  # those of the edition current at the default date
            limits = Thresholds(approx_tolerance=tolerance / 100)
            table = claims_words(claims_check(year, limits, facts=facts, usgs=usgs), sources)
            heads = claims_headlines(table, for_readers=True).to_dict("records")
            grid[(tolerance, year)] = ([overlap, *heads], data)
    return grid


def assert_allowed(page, data) -> None:
    drawn = {
        re.search(r"Claim: (.*?); ", label).group(1): (
            float(re.search(r"Allowed from \(%\): ([\d.]+)", label).group(1)),
            float(re.search(r"Allowed to \(%\): ([\d.]+)", label).group(1)),
        )
        for label in labelled(page, "explore_market", "Allowed from (%)")
    }
    expected = {
        label: (round(lo, 2), round(hi, 2))
        for label, lo, hi in zip(data["label"], data["bound_low"], data["bound_high"], strict=True)
    }
    assert drawn == expected


def test_market_defaults_equal_the_recorded_headlines(settled_tab, market_grid):
    view = settled_tab("04_market_share")
    page = view.at_defaults()
    lines = shown(page, "explore_market")
    assert lines == moving_lines({k: v[0] for k, v in market_grid.items()}, (5.0, 2024))
    # The claims check of 04 at its defaults is 05's at its own (the same settings).
    claims = market_grid[(5.0, 2024)][0][1:]
    assert len(claims) == 8
    assert_same_claims(recorded("05_claims_check")[:8], claims)
    assert lines[0].startswith(
        "China's share of rare-earth processing: can the 2 sources' figures all hold: no"
    )
    assert_allowed(page, market_grid[(5.0, 2024)][1])
    assert view.refused == [] and view.errors == []


def test_market_slider_follows_the_library(settled_tab, market_grid):
    rows = {k: v[0] for k, v in market_grid.items()}
    view = settled_tab("04_market_share")
    page = view.to_change()
    expected = moving_lines(rows, (10.0, 2024))
    change_to(page, "explore_market", "p_approx_tolerance_pct", "10", expected)
    assert shown(page, "explore_market") == expected
    assert expected[0].startswith(
        "China's share of rare-earth processing: can the 2 sources' figures all hold: yes"
    )
    assert_allowed(page, market_grid[(10.0, 2024)][1])

    expected = moving_lines(rows, (10.0, 2025))
    change_to(page, "explore_market", "p_reference_year", "2025", expected)
    assert shown(page, "explore_market") == expected
    assert view.refused == [] and view.errors == []


def test_without_javascript_the_static_copies_show_the_report_case(pages):
    defaults = {
        "explore_sensitivity": "base case: 1,620 t/yr (2032)",
        "explore_claims": "claim less than 1%; USGS 0.76%",
        "explore_market": "all hold: no (about 85% vs over",
    }
    for name, text in defaults.items():
        assert text in (pages / "charts" / f"{name}.svg").read_text(encoding="utf-8"), name
    for stem in STEMS:
        page = pages / f"{stem}.html"
        assert "The controls pick among" in page.read_text(encoding="utf-8")
        assert page.stat().st_size < 1_000_000  # the Vega bundle is a separate, shared file
