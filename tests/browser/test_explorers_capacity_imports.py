"""The explorer on the built report pages, in headless Chromium with the network cut off.

For each kind of control (slider, dropdown, checkbox): change it, and the chart's points and
the headline lines on the page must become what the library computes for that setting
(computed here, through the library). At the defaults, the lines equal the headline figures
nbval records (tests/expected_headlines/). The dropdowns show their choices in words (the
parameter dictionary's choice_labels), never a code name such as s_curve or articles; the value a
dropdown sets (and the page address keeps) stays the code. The tests that read a page as it opens
come first and share one visit of it with the test that changes it (``settled_tab``).
"""

from __future__ import annotations

import json
import re

import pytest
from helpers.browser import LINES, POINTS, change

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis import capacity, imports
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative import imports as imports_words
from magnet_watch.notebook.display import HEADLINES_MIME
from magnet_watch.notebook.parameters import parameter_dictionary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

STEMS = ("02_capacity", "03_imports")


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


@pytest.fixture(scope="module")
def pages(project_build):
    """The report pages of the project's notebooks, STEMS among them: the session's one build."""
    return project_build[0]


def lines_of(headlines) -> list[str]:
    return [f"{h['figure']}: {h['value']} ({h['period']})" for h in headlines]


def points_of(page, name: str) -> dict[int, float]:
    """Return the chart's drawn points: {year: value (the series' own axis, in t/yr)}."""
    found = {}
    for label in page.evaluate(POINTS, name):
        year = int(re.search(r"Year: (\d{4})", label).group(1))
        value = float(re.search(r"; [^:;]+\(t/yr\): ([\d.,-]+)", label).group(1).replace(",", ""))
        found.setdefault(year, value)
    return found


def capacity_lines(facts, inputs, nd: float, shape: str, target: int) -> list[str]:
    gap = capacity.nd_gap(2025, target, shape, nd, inputs=inputs.capacity)
    rows = capacity_words.capacity_headlines(gap, nd, inputs.capacity).to_dict("records")
    return lines_of([r for r in rows if r["source"].startswith("computed")]), gap


def test_capacity_defaults_equal_the_recorded_headlines(settled_tab):
    view = settled_tab("02_capacity")
    page = view.at_defaults()
    shown = page.evaluate(LINES, "explore_capacity")
    recorded = json.loads(
        (paths.PROJECT_ROOT / "tests" / "expected_headlines" / "02_capacity.json").read_text()
    )[0]["data"][HEADLINES_MIME]
    computed = [h for h in recorded["headlines"] if h["source"].startswith("computed")]
    assert shown == lines_of(computed) and len(shown) == 3
    assert points_of(page, "explore_capacity")[2032] == 1620
    assert view.refused == [] and view.errors == []


OPTIONS = """() => Array.from(document.querySelectorAll(".vega-bindings select option"))
    .map(o => ({text: o.textContent, value: o.value}))"""


def coded_choices() -> dict[str, str]:
    """Return {code: words} for every choice the dictionary words differently from its code."""
    return {
        str(code): words
        for spec in parameter_dictionary().values()
        for code, words in spec.get("choice_labels", {}).items()
        if str(code) != words
    }


@pytest.mark.parametrize("stem", ["02_capacity", "03_imports"])
def test_no_dropdown_option_on_a_page_shows_a_code_name(settled_tab, stem):
    page = settled_tab(stem).at_defaults()
    options = page.evaluate(OPTIONS)
    codes = coded_choices()
    assert options, f"{stem} has no dropdown"
    texts = {o["text"] for o in options}
    assert not texts & set(codes), sorted(texts & set(codes))
    worded = [o for o in options if o["value"] in codes]
    assert worded, f"{stem}: no worded choice found"
    assert all(o["text"] == codes[o["value"]] for o in worded)


def test_capacity_slider_and_dropdown_follow_the_library(settled_tab, facts, imports_inputs):
    view = settled_tab("02_capacity")
    page = view.to_change()
    expected, gap = capacity_lines(facts, imports_inputs, 0.3, "linear", 2032)
    change(page, "explore_capacity", "p_nd_mass_fraction", "0.3", expected[0])
    assert page.evaluate(LINES, "explore_capacity") == expected
    need = dict(zip(gap["year"], gap["nd_needed_t_per_yr"].round(1), strict=True))
    assert points_of(page, "explore_capacity") == need  # 1,800 t/yr in 2032
    assert need[2032] == pytest.approx(1800)

    expected, gap = capacity_lines(facts, imports_inputs, 0.3, "s_curve", 2032)
    change(page, "explore_capacity", "p_ramp_shape", "s_curve", expected[-1])
    assert page.evaluate(LINES, "explore_capacity") == expected
    need = dict(zip(gap["year"], gap["nd_needed_t_per_yr"].round(1), strict=True))
    assert points_of(page, "explore_capacity") == need

    expected, gap = capacity_lines(facts, imports_inputs, 0.3, "s_curve", 2035)
    change(page, "explore_capacity", "p_target_year", "2035", expected[0])
    assert page.evaluate(LINES, "explore_capacity") == expected
    assert max(points_of(page, "explore_capacity")) == 2035
    assert view.refused == [] and view.errors == []


def imports_lines(inputs, growth: float, shape: str = "linear", target: int = 2032):
    coverage = imports.demand_coverage(growth, 2025, target, shape, inputs=inputs)
    unit_value = imports.implied_unit_value(20.0, 200.0, inputs)
    rows = imports_words.imports_headlines(coverage, growth, unit_value, inputs).to_dict("records")
    wanted = [
        "Demand growth used",
        "Projected rare-earth magnet demand",
        "Share of rare-earth magnet demand domestic output covers",
    ]
    return lines_of([r for r in rows if r["figure"] in wanted]), coverage


DISABLED = """([name, param]) => document.querySelector(
    `figure[data-chart="${name}"] .vega-bindings [name="${param}"]`).disabled"""


def test_imports_checkbox_and_slider_follow_the_library(settled_tab, imports_inputs):
    view = settled_tab("03_imports")
    page = view.to_change()
    implied = imports.implied_growth_rate_pct(imports_inputs)
    expected, _ = imports_lines(imports_inputs, implied)
    assert page.evaluate(LINES, "explore_imports") == expected  # ticked: from the facts
    # While the growth is taken from the facts, its slider moves nothing: it is disabled.
    slider = ["explore_imports", "p_growth_rate_pct_per_yr"]
    assert page.evaluate(DISABLED, slider)

    expected, coverage = imports_lines(imports_inputs, 15.0)  # the slider's step nearest 14.87
    change(page, "explore_imports", "p_growth_rate_pct_per_yr_facts", False, expected[0])
    assert page.evaluate(LINES, "explore_imports") == expected
    assert not page.evaluate(DISABLED, slider)
    labels = page.evaluate(POINTS, "explore_imports")
    demand = coverage.set_index("year")["demand_t"].round(0)
    assert f"Demand (t): {demand[2032]:,.0f}" in " ".join(labels)

    expected, _ = imports_lines(imports_inputs, 12.0)
    change(page, "explore_imports", "p_growth_rate_pct_per_yr", "12", expected[0])
    assert page.evaluate(LINES, "explore_imports") == expected
    assert view.refused == [] and view.errors == []


def test_the_static_copy_is_the_report_case_and_pages_stay_small(pages):
    svg = (pages / "charts" / "explore_capacity.svg").read_text(encoding="utf-8")
    assert "1,620 t/yr (at 27% Nd)" in svg
    for stem in STEMS:
        page = (pages / f"{stem}.html").read_text(encoding="utf-8")
        assert "The controls pick among" in page and "in steps of" in page
