"""The explorer without a browser: the grid, the controls generated from the specs, the case
expression, and the default case equal to the notebook's own figures."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers.runs import CAPACITY_RUN, IMPORTS_RUN

import magnet_watch as mw
from magnet_watch.analysis import capacity, imports, market
from magnet_watch.analysis.grid import evaluate_grid, grid_points
from magnet_watch.charts.explorers import FROM_FACTS, case_parameter
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative.explorers import headline_lines, overlap_headline
from magnet_watch.notebook import explorer_grid, explorers
from magnet_watch.notebook.display import chart_spec


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


def test_grid_points_run_the_last_axis_fastest_and_cases_are_numbered_in_that_order():
    axes = {"a": [1, 2], "b": ["x", "y", "z"]}
    points = grid_points(axes)
    assert points[:4] == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 1, "b": "z"},
        {"a": 2, "b": "x"},
    ]
    tables = evaluate_grid(axes, lambda p: {"t": pd.DataFrame({"v": [p["a"] * 10, p["a"]]})})
    t = tables["t"]
    assert list(t.columns) == ["case", "a", "b", "v"] and len(t) == 12
    assert list(t.loc[t["case"] == 4, "b"]) == ["y", "y"]
    with pytest.raises(ValueError):
        grid_points({"a": []})


def test_controls_are_generated_from_the_spec_with_description_and_unit():
    controls, axes = explorer_grid.controls_for(
        "02_capacity",
        ["nd_mass_fraction", "ramp_shape", "target_year"],
        CAPACITY_RUN,
        {"target_year": 2032},
    )
    by_name = {c.name: c for c in controls}
    nd = by_name["p_nd_mass_fraction"]
    assert (nd.kind, nd.low, nd.high, nd.step, nd.default) == ("range", 0.25, 0.32, 0.01, 0.27)
    assert "neodymium" in nd.label and "(fraction of magnet mass)" in nd.label
    assert by_name["p_ramp_shape"].kind == "select"
    assert by_name["p_target_year"].default == 2032
    assert len(grid_points(axes)) == 8 * 4 * 7


def test_a_nullable_rate_off_the_grid_gets_a_checkbox_and_an_off_grid_run_value_a_dropdown(
    imports_inputs,
):
    implied = imports.implied_growth_rate_pct(imports_inputs)
    resolved = {"target_year": 2032, "growth_rate_pct_per_yr": implied}
    controls, axes = explorer_grid.controls_for(
        "03_imports", ["growth_rate_pct_per_yr"], IMPORTS_RUN, resolved
    )
    kinds = {c.name: (c.kind, c.default) for c in controls}
    assert kinds == {
        "p_growth_rate_pct_per_yr": ("range", 15.0),
        "p_growth_rate_pct_per_yr_facts": ("checkbox", True),
    }
    assert axes["growth_rate_pct_per_yr"][-1] == FROM_FACTS
    run = {**IMPORTS_RUN, "growth_rate_pct_per_yr": 25.0}  # a scenario off the plausible grid
    controls, axes = explorer_grid.controls_for(
        "03_imports", ["growth_rate_pct_per_yr"], run, resolved
    )
    (picker,) = [c for c in controls if c.kind != "checkbox"]
    assert picker.kind == "select" and picker.default == 25.0 and 25.0 in picker.options


def test_the_from_the_facts_checkbox_is_labelled_in_words_not_with_the_parameter_name(
    imports_inputs,
):
    implied = imports.implied_growth_rate_pct(imports_inputs)
    resolved = {"target_year": 2032, "growth_rate_pct_per_yr": implied}
    controls, _ = explorer_grid.controls_for(
        "03_imports", ["growth_rate_pct_per_yr"], IMPORTS_RUN, resolved
    )
    (checkbox,) = [c for c in controls if c.kind == "checkbox"]
    assert "growth_rate_pct_per_yr" not in checkbox.label
    assert checkbox.label.strip() == (
        "The growth of rare-earth magnet demand from the facts (14.9 percent per year)"
    )


def test_case_expression_counts_in_grid_order():
    controls, axes = explorer_grid.controls_for(
        "02_capacity",
        ["nd_mass_fraction", "ramp_shape", "target_year"],
        CAPACITY_RUN,
        {"target_year": 2032},
    )
    expr = case_parameter(controls, axes).param.expr
    assert expr.startswith("28 * round((p_nd_mass_fraction - 0.25) / 0.01) + 7 * indexof(")
    assert expr.endswith("1 * round((p_target_year - 2030) / 1)")


def test_default_case_is_the_notebooks_own_figures(facts, capacity_inputs):
    chart, words = explorers.capacity_explorer(CAPACITY_RUN, capacity_inputs, mw.load_sources())
    spec = chart_spec(chart)
    default = 28 * 2 + 7 * 0 + 2  # 0.27, linear, 2032
    lines = [
        r["line"]
        for d in spec["datasets"].values()
        for r in d
        if "line" in r and r["case"] == default
    ]
    gap = capacity.nd_gap(2025, 2032, "linear", 0.27, inputs=capacity_inputs)
    heads = capacity_words.capacity_headlines(gap, 0.27, capacity_inputs)
    computed = heads[heads["source"].str.startswith("computed")]
    assert lines == [
        f"{f}: {v} ({p})"
        for f, v, p in zip(computed["figure"], computed["value"], computed["period"], strict=True)
    ]
    assert (
        "neodymium's share of a magnet's mass (fraction of magnet mass) in steps of 0.01 from 0.25 to 0.32"
        in words
    )
    assert "224 cases" in words


def test_a_figure_moves_when_its_value_changes_or_it_is_missing_from_a_case():
    def evaluate(point):
        heads = pd.DataFrame(
            {
                "figure": ["still", "moves", f"named {point['a']}"],
                "value": ["1", str(point["a"]), "x"],
                "period": "p",
            }
        )
        return pd.DataFrame({"year": [2030], "v": [point["a"] / 3]}), heads

    tables = explorer_grid.grid_tables({"a": [1, 2]}, evaluate, {"v": 2})
    heads = tables["headlines"]
    assert list(heads["figure"]) == ["moves", "named 1", "moves", "named 2"]
    assert list(heads["order"]) == [0, 1, 0, 1]  # the line within its case
    assert list(tables["series"]["v"]) == [0.33, 0.67]


def test_a_long_headline_wraps_at_spaces_and_a_short_one_stays_whole():
    assert headline_lines("Need", "1,620 t/yr", "2032") == ["Need: 1,620 t/yr (2032)"]
    long = headline_lines("F" * 60, "from 720 t/yr (target_year 2030) to 131 t/yr", "2025-2032")
    assert len(long) == 2 and all(len(line) <= 100 for line in long)
    assert " ".join(long) == "F" * 60 + ": from 720 t/yr (target_year 2030) to 131 t/yr (2025-2032)"


@pytest.mark.parametrize(("tolerance_pct", "verdict"), [(5.0, "no"), (7.5, "yes")])
def test_the_processing_figures_hold_together_only_with_a_wide_enough_tolerance(
    facts, tolerance_pct, verdict
):
    # "about 85%" allows 85 x (1 +/- t): up to 89.25 at 5% (below "over 90%"), 91.375 at 7.5%.
    claims = market.processing_claims(facts)
    conflicts = mw.conflicting_claims(
        "processing_share", facts=facts, approx_tolerance=tolerance_pct / 100
    )
    row = overlap_headline("China's share", claims, conflicts, tolerance_pct)
    assert row["figure"] == "China's share: can the 2 sources' figures all hold"
    assert row["value"] == (
        f'{verdict} (about 85% vs over 90%, "approximately" within ±{tolerance_pct:g}%)'
    )
    assert row["source"] == "computed from sp_china_processing_share, msa_china_processing_share"


def test_controls_of_a_notebook_come_from_its_own_plausible_grids():
    run = {"outcome_year": None, "band_pct": 90.0}
    controls, axes = explorer_grid.controls_for(
        "07_sensitivity", ["outcome_year", "band_pct"], run, {"outcome_year": 2032}
    )
    assert axes == {"outcome_year": list(range(2030, 2037)), "band_pct": [50, 60, 70, 80, 90]}
    assert [(c.kind, c.default) for c in controls] == [("range", 2032), ("range", 90.0)]
    controls, axes = explorer_grid.controls_for(
        "05_claims_check",
        ["reference_year", "approx_tolerance_pct"],
        {"reference_year": 2024, "approx_tolerance_pct": 5.0},
        {},
    )
    assert [(c.kind, c.default) for c in controls] == [("select", 2024), ("range", 5.0)]
    assert axes["approx_tolerance_pct"] == [0.0, 5.0, 10.0]


def test_a_dropdown_shows_its_choices_in_words_while_its_values_stay_the_codes():
    controls, axes = explorer_grid.controls_for(
        "02_capacity", ["ramp_shape"], {**CAPACITY_RUN, "ramp_shape": "official_terms"}, {}
    )
    shape = next(c for c in controls if c.name == "p_ramp_shape")
    assert shape.options == ("linear", "s_curve", "front_loaded", "back_loaded", "official_terms")
    assert shape.labels[1] == "S-curve (slow, fast, slow)"
    assert shape.labels[-1] == "the approved scheme's terms"  # the run's own, off the grid
    bind = shape.param().param.to_dict()["bind"]
    assert bind["options"] == list(shape.options)
    assert bind["labels"] == list(shape.labels)
    assert not any("_" in label for label in bind["labels"])
