"""The explorer without a browser: the grid, the controls generated from the specs, the case
expression, and the default case equal to the notebook's own figures."""

from __future__ import annotations

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis import capacity, imports
from magnet_watch.analysis.grid import evaluate_grid, grid_points
from magnet_watch.charts.explore import FROM_FACTS, case_parameter
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.notebook import explore
from magnet_watch.notebook.display import chart_spec

CAPACITY_RUN = {"start_year": None, "target_year": None, "ramp_shape": "linear",
                "nd_mass_fraction": 0.27, "start_output_t_per_yr": 0.0}  # fmt: skip
IMPORTS_RUN = {"start_year": None, "target_year": None, "ramp_shape": "linear",
               "growth_rate_pct_per_yr": None, "base_demand_t": None}  # fmt: skip


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


def test_grid_points_run_the_last_axis_fastest_and_cases_are_numbered_in_that_order():
    axes = {"a": [1, 2], "b": ["x", "y", "z"]}
    points = grid_points(axes)
    assert points[:4] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"},
                          {"a": 2, "b": "x"}]  # fmt: skip
    tables = evaluate_grid(axes, lambda p: {"t": pd.DataFrame({"v": [p["a"] * 10, p["a"]]})})
    t = tables["t"]
    assert list(t.columns) == ["case", "a", "b", "v"] and len(t) == 12
    assert list(t.loc[t["case"] == 4, "b"]) == ["y", "y"]
    with pytest.raises(ValueError):
        grid_points({"a": []})


def test_controls_are_generated_from_the_spec_with_description_and_unit():
    controls, axes = explore.controls_for("02_capacity", ["nd_mass_fraction", "ramp_shape",
                                          "target_year"], CAPACITY_RUN, {"target_year": 2032})  # fmt: skip
    by_name = {c.name: c for c in controls}
    nd = by_name["p_nd_mass_fraction"]
    assert (nd.kind, nd.low, nd.high, nd.step, nd.default) == ("range", 0.25, 0.32, 0.01, 0.27)
    assert "neodymium" in nd.label and "(fraction of magnet mass)" in nd.label
    assert by_name["p_ramp_shape"].kind == "select"
    assert by_name["p_target_year"].default == 2032
    assert len(grid_points(axes)) == 8 * 4 * 7


def test_a_nullable_rate_off_the_grid_gets_a_checkbox_and_an_off_grid_run_value_a_dropdown(facts):
    implied = imports.implied_growth_rate_pct(facts)
    resolved = {"target_year": 2032, "growth_rate_pct_per_yr": implied}
    controls, axes = explore.controls_for("03_imports", ["growth_rate_pct_per_yr"], IMPORTS_RUN,
                                          resolved)  # fmt: skip
    kinds = {c.name: (c.kind, c.default) for c in controls}
    assert kinds == {"p_growth_rate_pct_per_yr": ("range", 15.0),
                     "p_growth_rate_pct_per_yr_facts": ("checkbox", True)}  # fmt: skip
    assert axes["growth_rate_pct_per_yr"][-1] == FROM_FACTS
    run = {**IMPORTS_RUN, "growth_rate_pct_per_yr": 25.0}  # a scenario off the plausible grid
    controls, axes = explore.controls_for("03_imports", ["growth_rate_pct_per_yr"], run, resolved)
    (picker,) = [c for c in controls if c.kind != "checkbox"]
    assert picker.kind == "select" and picker.default == 25.0 and 25.0 in picker.options


def test_case_expression_counts_in_grid_order():
    controls, axes = explore.controls_for("02_capacity", ["nd_mass_fraction", "ramp_shape",
                                          "target_year"], CAPACITY_RUN, {"target_year": 2032})  # fmt: skip
    expr = case_parameter(controls, axes).param.expr
    assert expr.startswith("28 * round((p_nd_mass_fraction - 0.25) / 0.01) + 7 * indexof(")
    assert expr.endswith("1 * round((p_target_year - 2030) / 1)")


def test_default_case_is_the_notebooks_own_figures(facts):
    chart, words = explore.capacity_explorer(CAPACITY_RUN, facts, mw.load_sources())
    spec = chart_spec(chart)
    default = 28 * 2 + 7 * 0 + 2  # 0.27, linear, 2032
    lines = [r["line"] for d in spec["datasets"].values() for r in d
             if "line" in r and r["case"] == default]  # fmt: skip
    gap = capacity.nd_gap(2025, 2032, "linear", 0.27, facts=facts)
    heads = capacity_words.capacity_headlines(gap, 0.27, facts)
    computed = heads[heads["source"].str.startswith("computed")]
    assert lines == [f"{f}: {v} ({p})" for f, v, p in
                     zip(computed["figure"], computed["value"], computed["period"], strict=True)]  # fmt: skip
    assert "nd_mass_fraction (fraction of magnet mass) in steps of 0.01 from 0.25 to 0.32" in words
    assert "224 cases" in words
