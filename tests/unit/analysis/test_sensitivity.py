"""Sensitivity: plausible ranges as data, the tornado against hand-computed cases, the Monte
Carlo against the library's scalar functions and its reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest

from magnet_watch.analysis import capacity, imports, sensitivity
from magnet_watch.analysis.sensitivity import Assumption
from magnet_watch.errors import ParameterError
from magnet_watch.narrative import sensitivity as words
from magnet_watch.notebook import parameters
from magnet_watch.notebook.assumptions import ASSUMPTION_STEMS, plausible_assumptions

MAGNET_TARGET_T = 6000.0  # msa_magnet_target
IREL_2032_T = 900.0  # ibns_irel_nd_target_2030, held after 2030


@pytest.fixture(scope="module")
def inputs(imports_inputs):
    """The models' inputs, resolved once from the project's facts and later references."""
    return imports_inputs


@pytest.fixture(scope="module")
def base(inputs):
    return plausible_assumptions(inputs)[1]


@pytest.fixture(scope="module")
def assumptions(inputs):
    return plausible_assumptions(inputs)[0]


# Ranges as data ---------------------------------------------------------------------------------


def test_every_range_is_declared_once_with_its_reason_and_holds_its_default(assumptions, base):
    names = [a.name for a in assumptions]
    assert sorted(names) == [
        "base_demand_t",
        "growth_rate_pct_per_yr",
        "nd_mass_fraction",
        "ramp_shape",
        "target_year",
    ]
    for a in assumptions:
        assert len(a.reason) > 40, a.name
        if a.choices:
            assert base[a.name] in a.choices
        else:
            assert a.low <= base[a.name] <= a.high, a.name


def test_a_range_declared_in_two_specs_is_refused(tmp_path):
    spec = (
        "parameters:\n  x:\n    type: float\n    unit: u\n    description: d\n"
        "    plausible: {low: 0, high: 1, step: 0.5, reason: why}\n"
    )
    (tmp_path / "a.params.yaml").write_text(spec)
    (tmp_path / "b.params.yaml").write_text(spec)
    with pytest.raises(ParameterError, match="declared twice: in a and b"):
        parameters.plausible_ranges(["a", "b"], tmp_path)


@pytest.mark.parametrize(
    ("plausible", "message"),
    [
        ("{low: 0, high: 1, step: 0.5}", "'reason'"),
        ("{low: 0, high: 2, step: 0.5, reason: r}", "out of range"),
        ("{low: 0, high: 1, step: 0.3, reason: r}", "whole number of steps"),
        ("{low: 1, high: 0, step: 0.5, reason: r}", "low < high"),
        ("{choices: [z], reason: r}", "choices must be among"),
        ("{low: 0, high: 1, step: 0.5, reason: r, guess: 1}", "expected a mapping"),
    ],
)
def test_a_malformed_plausible_range_is_refused_naming_file_and_parameter(
    tmp_path, plausible, message
):
    (tmp_path / "a.params.yaml").write_text(
        "parameters:\n  x:\n    type: float\n    min: 0\n    max: 1\n    unit: u\n"
        f"    description: d\n    choices: [0.0, 1.0]\n    plausible: {plausible}\n"
        if "choices" in plausible
        else "parameters:\n  x:\n    type: float\n    min: 0\n    max: 1\n    unit: u\n"
        f"    description: d\n    plausible: {plausible}\n"
    )
    with pytest.raises(ParameterError, match=message) as err:
        parameters.load_parameter_specs("a", tmp_path)
    assert "a.params.yaml: parameter 'x'" in str(err.value)


def test_grid_values_are_exact_decimals_from_low_to_high():
    spec = {"type": "float", "plausible": {"low": 0.25, "high": 0.32, "step": 0.01}}
    grid = parameters.plausible_grid(spec)
    assert grid[0] == 0.25 and grid[-1] == 0.32 and len(grid) == 8 and 0.27 in grid
    assert parameters.plausible_grid(
        {"type": "int", "plausible": {"low": 2030, "high": 2032, "step": 1}}
    ) == [2030, 2031, 2032]


# The tornado, against hand-computed cases ------------------------------------------------------


def test_base_case_is_the_notebooks_defaults_resolved_from_the_facts(inputs, base):
    assert (base["start_year"], base["target_year"]) == (2025, 2032)
    assert base["ramp_shape"] == "linear" and base["nd_mass_fraction"] == 0.27
    assert base["growth_rate_pct_per_yr"] == pytest.approx((2 ** (1 / 5) - 1) * 100)
    out = sensitivity.outcomes(base, 2032, inputs)
    assert out["nd_need_t_per_yr"] == pytest.approx(MAGNET_TARGET_T * 0.27)  # 1,620
    assert out["nd_gap_t_per_yr"] == pytest.approx(MAGNET_TARGET_T * 0.27 - IREL_2032_T)


def test_moving_nd_content_alone_moves_need_and_gap_in_proportion(inputs, base):
    nd = Assumption("nd_mass_fraction", 0.27, "why", low=0.25, high=0.32)
    rows = sensitivity.tornado([nd], base, 2032, inputs).set_index("outcome")
    assert rows.loc["nd_need_t_per_yr", "value_at_low"] == pytest.approx(6000 * 0.25)  # 1,500
    assert rows.loc["nd_need_t_per_yr", "value_at_high"] == pytest.approx(6000 * 0.32)  # 1,920
    assert rows.loc["nd_gap_t_per_yr", "value_at_low"] == pytest.approx(1500 - 900)
    assert rows.loc["nd_gap_t_per_yr", "swing"] == pytest.approx(6000 * (0.32 - 0.25))
    assert rows.loc["covered_pct", "swing"] == 0  # demand coverage counts magnets, not Nd


def test_a_later_target_on_a_linear_ramp_lowers_the_2032_need_by_hand(inputs, base):
    target = Assumption("target_year", 2032, "why", low=2030, high=2035, integer=True)
    rows = sensitivity.tornado([target], base, 2032, inputs).set_index("outcome")
    # 2035 target from 2025: in 2032 the linear ramp is 7/10 of the way to 6,000 t/yr.
    need = 6000 * 7 / 10 * 0.27
    assert rows.loc["nd_need_t_per_yr", "value_at_high"] == pytest.approx(need)  # 1,134
    assert rows.loc["nd_gap_t_per_yr", "value_at_high"] == pytest.approx(need - 900)
    # Rare-earth magnet demand: about 4,000 t/yr in 2025 (the requirement), doubling every
    # five years.
    demand_2032 = 4000 * 2 ** (7 / 5)
    assert rows.loc["covered_pct", "value_at_high"] == pytest.approx(4200 / demand_2032 * 100)
    # A 2030 target is met by 2032: the output is held at the target.
    assert rows.loc["nd_need_t_per_yr", "value_at_low"] == pytest.approx(1620)


def test_a_choice_is_ordered_by_the_outcome_it_gives(inputs, base):
    # The four shapes of a ramp to the target year (the official-terms ramp runs on its own clock).
    geometric = ("linear", "s_curve", "front_loaded", "back_loaded")
    shape = Assumption("ramp_shape", "linear", "why", choices=geometric)
    rows = sensitivity.tornado([shape], base, 2032, inputs).set_index("outcome")
    first = rows.loc["first_shortfall_year"]
    # Need exceeds 900 t/yr (2026-2030 IREL: 450 to 900) earliest when front-loaded.
    assert (first["setting_low"], first["setting_high"]) == ("front_loaded", "back_loaded")
    assert first["value_at_low"] < 2028 < first["value_at_high"]
    assert rows.loc["nd_gap_t_per_yr", "swing"] == 0  # every shape reaches the target in 2032


def test_tornado_sorts_by_swing_and_the_finding_names_the_largest(inputs, base, assumptions):
    tornado = sensitivity.tornado(assumptions, base, 2032, inputs)
    for _, rows in tornado.groupby("outcome"):
        assert list(rows["swing"]) == sorted(rows["swing"], reverse=True)
    gap = tornado[tornado["outcome"] == "nd_gap_t_per_yr"].iloc[0]
    mc = sensitivity.monte_carlo(assumptions, base, 2032, 10_000, 1, inputs)
    summary = words.sensitivity_summary(
        tornado, sensitivity.outcome_spread(mc, 2032, 90), 2032, 10_000, 90, 1
    )
    expected = (
        f"The low end of the 2032 neodymium gap (need minus IREL's high output) depends most on "
        f"**{gap['label']}**: from {gap['value_at_low']:,.0f} t/yr"
    )
    assert expected in summary


# Monte Carlo -----------------------------------------------------------------------------------


def test_each_draw_equals_the_library_scalar_model(inputs, base, assumptions):
    mc = sensitivity.monte_carlo(assumptions, base, 2032, 10_000, 7, inputs)
    assert mc.need.shape == (10_000, len(mc.years))
    for i in [0, 1, 17, 4242, 9999]:
        case = {**base, **mc.draws.iloc[i].to_dict()}
        case["target_year"] = int(case["target_year"])
        gap = capacity.nd_gap(
            2025,
            case["target_year"],
            case["ramp_shape"],
            case["nd_mass_fraction"],
            end_year=int(mc.years[-1]),
            inputs=inputs.capacity,
        )
        assert mc.need[i] == pytest.approx(gap["nd_needed_t_per_yr"].to_numpy())
        assert mc.gap[i] == pytest.approx(gap["nd_gap_low_t_per_yr"].to_numpy())
        cover = imports.demand_coverage(
            case["growth_rate_pct_per_yr"],
            2025,
            case["target_year"],
            case["ramp_shape"],
            base_demand_t=case["base_demand_t"],
            end_year=int(mc.years[-1]),
            inputs=inputs,
        )
        assert mc.covered[i][1:] == pytest.approx(cover["covered_pct"].to_numpy()[1:])
        out = sensitivity.outcomes(case, 2032, inputs)
        first = sensitivity.first_shortfall_years(mc)[i]
        assert first == out["first_shortfall_year"] or (
            math.isnan(first) and math.isnan(out["first_shortfall_year"])
        )


def test_same_seed_same_bytes_other_seed_other_draws(inputs, base, assumptions):
    def run(seed):
        mc = sensitivity.monte_carlo(assumptions, base, 2032, 10_000, seed, inputs)
        return mc.draws.to_csv().encode() + sensitivity.band(mc, 90).to_csv().encode()

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_zero_width_ranges_give_a_band_collapsed_on_the_base_case(inputs, base):
    fixed = [
        Assumption("nd_mass_fraction", 0.27, "why", low=0.27, high=0.27),
        Assumption("ramp_shape", "linear", "why", choices=("linear",)),
    ]
    mc = sensitivity.monte_carlo(fixed, base, 2032, 10_000, 1, inputs)
    band = sensitivity.band(mc, 90)
    need = band[band["quantity"] == "nd_need_t_per_yr"]
    expected = np.array([6000 * 0.27 * k / 7 for k in range(8)])  # linear 2025-2032
    assert need["low"].to_numpy() == pytest.approx(expected)
    assert need["high"].to_numpy() == pytest.approx(expected)


def test_band_holds_the_central_share_of_draws(inputs, base, assumptions):
    mc = sensitivity.monte_carlo(assumptions, base, 2032, 20_000, 11, inputs)
    band = sensitivity.band(mc, 80)
    gap = band[(band["quantity"] == "nd_gap_t_per_yr") & (band["year"] == 2032)].iloc[0]
    i = list(mc.years).index(2032)
    inside = ((mc.gap[:, i] >= gap["low"]) & (mc.gap[:, i] <= gap["high"])).mean()
    assert inside == pytest.approx(0.80, abs=0.01)
    assert gap["low"] < gap["median"] < gap["high"]


@pytest.mark.parametrize(("count", "band_pct"), [(0, 90), (10, 100)])
def test_bad_draw_count_or_band_is_refused(inputs, base, assumptions, count, band_pct):
    with pytest.raises(ParameterError):
        mc = sensitivity.monte_carlo(assumptions, base, 2032, count, 1, inputs)
        sensitivity.band(mc, band_pct)


def test_the_assumption_stems_hold_every_range(assumptions):
    declared = parameters.plausible_ranges(list(ASSUMPTION_STEMS))
    assert [a.name for a in assumptions] == list(declared)


def test_the_official_terms_base_case_takes_its_years_from_the_schemes_clock(inputs):
    values = {"ramp_shape": "official_terms", "nd_mass_fraction": 0.27}
    base = sensitivity.resolve_base({**values, "award_year": 2027}, inputs)
    # The award, then two years of gestation before the first output.
    assert (base["start_year"], base["target_year"]) == (2027, 2029)
    out = sensitivity.outcomes(base, 2032, inputs)
    assert out["nd_need_t_per_yr"] == pytest.approx(6000 * 0.27)  # full capacity from 2029
    assert out["first_shortfall_year"] == 2029  # nothing is needed before the plants produce
    # No award year: the earliest the record allows as of its latest date (27 May 2026, no
    # award recorded): 2026; none before the Cabinet's approval (2025).
    approved = sensitivity.resolve_base(values, inputs)
    assert (approved["start_year"], approved["target_year"]) == (2026, 2028)
    with pytest.raises(ParameterError, match="cannot come before the scheme's approval in 2025"):
        sensitivity.resolve_base({**values, "award_year": 2024}, inputs)


def test_a_scenario_can_choose_the_official_terms_ramp_for_every_notebook():
    from magnet_watch import paths
    from magnet_watch.reports.plan import discover_notebooks, plan_notebooks

    values = {"ramp_shape": "official_terms", "award_year": 2027}
    plans = plan_notebooks(discover_notebooks(paths.NOTEBOOKS_DIR), values, {})
    taking = {p.stem for p in plans if p.overrides.get("ramp_shape") == "official_terms"}
    assert {"02_capacity", "03_imports", "07_sensitivity"} <= taking
