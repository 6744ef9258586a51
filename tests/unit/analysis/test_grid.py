"""The capacity and imports model as the explorers' grids evaluate it: the frames built in one
construction equal the ramp joined with IREL's supply, the grids' cases equal what the
notebooks' functions compute for the same setting, and the headlines a grid case words (the
scenario's) are the only ones that move."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from helpers.runs import CAPACITY_RUN, IMPORTS_RUN

import magnet_watch as mw
from magnet_watch.analysis import capacity, imports
from magnet_watch.analysis.grid import grid_points
from magnet_watch.charts.explorers import FROM_FACTS
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative import imports as imports_words
from magnet_watch.notebook import explorer_grid, explorers
from magnet_watch.notebook.parameters import label_text, load_parameter_specs

# Start year, target year, end year, shape, Nd fraction, start output (t/yr): cases on both
# sides of IREL's plan years (2026, 2030), with and without years after the target.
SETTINGS = list(
    itertools.product(
        [2022, 2025],
        [2027, 2030, 2034],
        [None, 2037],
        ["linear", "s_curve", "official_terms"],
        [0.05, 0.27],
        [0.0, 800.0],
    )
)


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


@pytest.fixture(scope="module")
def inputs(imports_inputs):
    """The models' inputs, resolved once from the project's facts and later references."""
    return imports_inputs


def _gap_by_merge(start, target, end, shape, fraction, start_output, inputs) -> pd.DataFrame:
    """The gap as the documented recipe has it: the ramp joined with IREL's supply by year."""
    goal = inputs.target.output_t_per_yr
    ramp = capacity.magnet_ramp(
        start, target, goal, shape, start_output_t_per_yr=start_output, end_year=end
    )
    ramp["nd_needed_t_per_yr"] = ramp["magnet_output_t_per_yr"] * fraction
    frame = ramp.merge(capacity.irel_nd_supply(ramp["year"], inputs.irel), on="year")
    frame["nd_gap_low_t_per_yr"] = frame["nd_needed_t_per_yr"] - frame["irel_nd_high_t_per_yr"]
    frame["nd_gap_high_t_per_yr"] = frame["nd_needed_t_per_yr"] - frame["irel_nd_low_t_per_yr"]
    need = frame["nd_needed_t_per_yr"].where(frame["nd_needed_t_per_yr"] > 0)
    for end_ in ("low", "high"):
        frame[f"nd_covered_by_irel_{end_}_pct"] = (
            frame[f"irel_nd_{end_}_t_per_yr"] / need * 100
        ).clip(upper=100)
    return frame


@pytest.mark.parametrize("setting", SETTINGS[::5])
def test_the_gap_is_the_ramp_joined_with_irels_supply_to_the_last_bit(capacity_inputs, setting):
    start, target, end, shape, fraction, start_output = setting
    gap = capacity.nd_gap(
        start,
        target,
        shape,
        fraction,
        start_output_t_per_yr=start_output,
        end_year=end,
        inputs=capacity_inputs,
    )
    expected = _gap_by_merge(start, target, end, shape, fraction, start_output, capacity_inputs)
    pd.testing.assert_frame_equal(gap, expected, check_exact=True)
    assert [str(t) for t in gap.dtypes[:6]] == ["int64"] + ["float64"] * 5
    assert gap["irel_fact_ids"].map(type).eq(list).all()


def test_a_gap_with_no_need_has_no_covered_share_and_a_large_one_is_capped(capacity_inputs):
    gap = capacity.nd_gap(2025, 2030, "back_loaded", 0.9, inputs=capacity_inputs)
    assert np.isnan(gap["nd_covered_by_irel_low_pct"].iloc[0])  # no magnets in 2025: no need
    assert gap["nd_covered_by_irel_high_pct"].iloc[1] == 100  # 216 t need, 450 t planned
    # IREL's lower figure for 2030: 900 t read as Nd2O3, 0.857354 of it neodymium metal.
    assert gap["nd_covered_by_irel_low_pct"].iloc[-1] == pytest.approx(
        900 * 0.857354 / 5400 * 100, abs=1e-3
    )


@pytest.mark.parametrize("growth_pct", [0.0, 14.87, 40.0])
def test_demand_coverage_is_the_ramp_against_compound_demand(inputs, growth_pct):
    for start, target, end, shape, _, start_output in SETTINGS[::7]:
        cover = imports.demand_coverage(
            growth_pct,
            start,
            target,
            shape,
            end_year=end,
            start_output_t_per_yr=start_output,
            inputs=inputs,
        )
        ramp = capacity.magnet_ramp(
            start,
            target,
            inputs.capacity.target.output_t_per_yr,
            shape,
            start_output_t_per_yr=start_output,
            end_year=end,
        )
        base = inputs.base
        demand = base.demand_t * (1 + growth_pct / 100) ** (ramp["year"] - base.year)
        expected = pd.DataFrame(
            {
                "year": ramp["year"],
                "demand_t": demand,
                "magnet_output_t_per_yr": ramp["magnet_output_t_per_yr"],
                "covered_pct": ramp["magnet_output_t_per_yr"] / demand * 100,
                "uncovered_t": (demand - ramp["magnet_output_t_per_yr"]).clip(lower=0),
            }
        )
        pd.testing.assert_frame_equal(cover, expected, check_exact=True)


def _grid_rows(tables: dict, case: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    series = tables["series"][tables["series"]["case"] == case].drop(columns="case")
    heads = tables["headlines"][tables["headlines"]["case"] == case]
    return series.reset_index(drop=True), heads[["figure", "value", "period"]]


def test_capacity_grid_cases_are_what_the_notebook_computes(facts, capacity_inputs):
    tables, _, axes = explorers.capacity_grid(CAPACITY_RUN, capacity_inputs)
    points = grid_points(axes)
    for case in [0, 58, 101, 150, len(points) - 1]:
        point = points[case]
        gap = capacity.nd_gap(
            2025,
            point["target_year"],
            point["ramp_shape"],
            point["nd_mass_fraction"],
            inputs=capacity_inputs,
        )
        series, heads = _grid_rows(tables, case)
        expected = gap[["year", "nd_needed_t_per_yr"]].round({"nd_needed_t_per_yr": 1})
        pd.testing.assert_frame_equal(series, expected, check_exact=True)
        notebook = capacity_words.capacity_headlines(
            gap, point["nd_mass_fraction"], capacity_inputs
        )
        moving = notebook[notebook["figure"].isin(heads["figure"])]
        assert heads.to_dict("records") == moving[["figure", "value", "period"]].to_dict("records")
        assert list(heads["figure"]) == [
            "Neodymium the magnet target needs",
            "Neodymium gap: need minus IREL output",
            "First year the need exceeds IREL's output",
        ]


@pytest.mark.parametrize("run", [IMPORTS_RUN, {**IMPORTS_RUN, "base_demand_t": 1500.0}])
def test_imports_grid_cases_are_what_the_notebook_computes(inputs, run):
    tables, _, axes = explorers.imports_grid(run, inputs)
    implied = imports.implied_growth_rate_pct(inputs)
    unit_value = imports.implied_unit_value(20.0, 200.0, inputs)
    points = grid_points(axes)
    from_facts = [i for i, p in enumerate(points) if p["growth_rate_pct_per_yr"] == FROM_FACTS]
    for case in [0, 77, 200, from_facts[0], len(points) - 1]:
        point = points[case]
        growth = point["growth_rate_pct_per_yr"]
        growth = implied if growth == FROM_FACTS else growth
        cover = imports.demand_coverage(
            growth,
            2025,
            point["target_year"],
            point["ramp_shape"],
            base_demand_t=run["base_demand_t"],
            inputs=inputs,
        )
        series, heads = _grid_rows(tables, case)
        columns = ["year", "demand_t", "magnet_output_t_per_yr", "covered_pct"]
        expected = cover[columns].round(
            {"demand_t": 0, "magnet_output_t_per_yr": 1, "covered_pct": 2}
        )
        pd.testing.assert_frame_equal(series, expected, check_exact=True)
        notebook = imports_words.imports_headlines(
            cover, growth, unit_value, inputs, base_demand_t=run["base_demand_t"]
        )
        moving = notebook[notebook["figure"].isin(heads["figure"])]
        assert heads.to_dict("records") == moving[["figure", "value", "period"]].to_dict("records")
        assert list(heads["figure"]) == [
            "Demand growth used",
            "Projected rare-earth magnet demand",
            "Share of rare-earth magnet demand domestic output covers",
        ]


def test_the_headlines_of_a_notebook_are_its_fact_rows_then_its_scenario_rows(facts, inputs):
    gaps = [
        (capacity.nd_gap(2025, 2032, "linear", 0.27, inputs=inputs.capacity), 0.27),
        (capacity.nd_gap(2025, 2030, "s_curve", 0.31, end_year=2034, inputs=inputs.capacity), 0.31),
    ]
    fixed = capacity_words.capacity_fact_headlines(inputs.capacity.facts)
    for gap, fraction in gaps:
        heads = capacity_words.capacity_headlines(gap, fraction, inputs.capacity)
        pd.testing.assert_frame_equal(heads.iloc[: len(fixed)], fixed)
        scenario = capacity_words.capacity_scenario_headlines(gap, fraction, inputs.capacity)
        pd.testing.assert_frame_equal(heads.iloc[len(fixed) :].reset_index(drop=True), scenario)
    assert len(fixed) == 6 and fixed["source"].str.startswith("computed").sum() == 0
    unit_value = imports.implied_unit_value(20.0, 200.0, inputs)
    fixed = imports_words.imports_fact_headlines(unit_value, inputs)
    for growth, base in [(5.0, None), (imports.implied_growth_rate_pct(inputs), 900.0)]:
        cover = imports.demand_coverage(
            growth, 2025, 2032, "linear", base_demand_t=base, inputs=inputs
        )
        heads = imports_words.imports_headlines(
            cover, growth, unit_value, inputs, base_demand_t=base
        )
        pd.testing.assert_frame_equal(heads.iloc[: len(fixed)], fixed)
        scenario = imports_words.imports_scenario_headlines(
            cover, growth, inputs, base_demand_t=base
        )
        pd.testing.assert_frame_equal(heads.iloc[len(fixed) :].reset_index(drop=True), scenario)
    assert list(fixed["figure"])[-1] == "Implied unit value" and len(fixed) == 5


def test_a_page_control_is_labelled_as_the_jupyterlab_panel_labels_it():
    specs = load_parameter_specs("03_imports")["parameters"]
    resolved = {"target_year": 2032, "growth_rate_pct_per_yr": 14.87}
    names = ["growth_rate_pct_per_yr", "ramp_shape", "target_year"]
    controls, _ = explorer_grid.controls_for("03_imports", names, IMPORTS_RUN, resolved)
    sliders = [c for c in controls if c.kind != "checkbox"]
    assert [c.label for c in sliders] == [f"{label_text(specs[n])} " for n in names]
    assert (
        sliders[0].label == "Annual growth of India's rare-earth magnet demand (percent per year) "
    )
