"""The notebooks' computations: each reads the documents' numbers from the facts table."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis import capacity as capacity_model
from magnet_watch.analysis import imports as imports_model
from magnet_watch.analysis import market as market_model
from magnet_watch.analysis import timeline as timeline_model
from magnet_watch.constants import nd2fe14b_nd_mass_fraction
from magnet_watch.data import fact_ids
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs
from magnet_watch.errors import ParameterError
from magnet_watch.narrative import imports as imports_words
from magnet_watch.notebook.parameters import notebook_parameters


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


def _with_value(facts, fact_id, **columns):
    """Return a copy of facts with one row's columns changed (to prove a number is read, not typed)."""
    changed = facts.copy()
    for column, value in columns.items():
        changed.loc[changed["fact_id"] == fact_id, column] = value
    return changed


@pytest.fixture(scope="module")
def capacity_of(project_references):
    """The capacity inputs resolved from a (changed) facts table."""
    return lambda table: CapacityInputs.from_data(table, project_references)


@pytest.fixture(scope="module")
def imports_of(project_references):
    """The imports inputs resolved from a (changed) facts table."""
    return lambda table: ImportsInputs.from_data(table, project_references)


# Neodymium content ----------------------------------------------------------------------------


def test_stoichiometric_nd_fraction_is_the_textbook_26_7_percent():
    assert nd2fe14b_nd_mass_fraction() == pytest.approx(0.2668, abs=5e-4)


def test_capacity_notebook_default_nd_fraction_is_close_to_stoichiometry():
    default = notebook_parameters(paths.NOTEBOOKS_DIR / "02_capacity.ipynb")["nd_mass_fraction"]
    assert default == pytest.approx(nd2fe14b_nd_mass_fraction(), abs=0.005)


def test_nd_needed_is_proportional_and_refuses_an_impossible_fraction():
    assert capacity_model.nd_needed_t_per_yr(6000.0, 0.27) == pytest.approx(1620.0)
    assert capacity_model.nd_needed_t_per_yr(3000.0, 0.27) == pytest.approx(810.0)
    with pytest.raises(ParameterError, match="'nd_mass_fraction' = 1.2 is out of range"):
        capacity_model.nd_needed_t_per_yr(6000.0, 1.2)


# The magnet target and ramp -------------------------------------------------------------------


def test_magnet_target_reads_value_and_horizon_from_the_fact(facts, capacity_of):
    row = mw.fact(fact_ids.MAGNET_TARGET_FACT, facts)
    target = capacity_of(facts).target
    horizon = int(re.search(r"P(\d+)Y", row["period"]).group(1))
    assert target.output_t_per_yr == row["value"]
    assert target.target_year - target.start_year == horizon
    assert target.start_year == int(row["period"][:4])
    changed = capacity_of(_with_value(facts, fact_ids.MAGNET_TARGET_FACT, value=3000.0)).target
    assert changed.output_t_per_yr == 3000.0


def test_resolve_years_fills_none_from_the_facts_and_checks_the_order(capacity_inputs):
    target = capacity_inputs.target
    assert capacity_model.resolve_years(None, None, target) == (
        target.start_year,
        target.target_year,
    )
    assert capacity_model.resolve_years(2027, None, target) == (2027, target.target_year)
    late = target.target_year + 1
    with pytest.raises(
        ParameterError,
        match=f"'start_year' = {late} must come before the target "
        f"year, which is the scheme's own horizon, {target.target_year}",
    ):
        capacity_model.resolve_years(late, None, target)
    with pytest.raises(ParameterError, match=f"'target_year' = {target.target_year} must be after"):
        capacity_model.resolve_years(late, target.target_year, target)


@pytest.mark.parametrize("shape", capacity_model.RAMP_SHAPES)
def test_every_ramp_runs_from_start_to_target_and_never_falls(shape):
    ramp = capacity_model.magnet_ramp(
        2025, 2032, 6000.0, shape, start_output_t_per_yr=100.0, end_year=2034
    )
    assert ramp["year"].tolist() == list(range(2025, 2035))
    assert ramp["magnet_output_t_per_yr"].iloc[0] == pytest.approx(100.0)
    assert ramp.set_index("year").loc[2032, "magnet_output_t_per_yr"] == pytest.approx(6000.0)
    assert ramp["magnet_output_t_per_yr"].iloc[-1] == pytest.approx(6000.0), "holds after target"
    assert ramp["magnet_output_t_per_yr"].is_monotonic_increasing


def test_ramp_shapes_differ_in_the_middle_as_named():
    middle = {
        shape: capacity_model.magnet_ramp(2020, 2030, 1000.0, shape).set_index("year").loc[2023]
        for shape in capacity_model.RAMP_SHAPES
    }
    out = {s: m["magnet_output_t_per_yr"] for s, m in middle.items()}
    assert out["front_loaded"] > out["linear"] > out["back_loaded"]
    assert out["linear"] == pytest.approx(300.0)
    assert out["s_curve"] < out["linear"], "an S-curve starts slowly"
    s_mid = capacity_model.magnet_ramp(2020, 2030, 1000.0, "s_curve").set_index("year").loc[2025]
    assert s_mid["share_of_target_pct"] == pytest.approx(50.0)


def test_ramp_refuses_a_target_before_the_start_and_an_unknown_shape():
    with pytest.raises(
        ParameterError, match="'target_year' = 2025 must be after 'start_year' = 2025"
    ):
        capacity_model.magnet_ramp(2025, 2025, 6000.0)
    with pytest.raises(ParameterError, match="'ramp_shape' = 'zigzag' is not allowed"):
        capacity_model.magnet_ramp(2025, 2030, 6000.0, "zigzag")


# IREL's supply and the gap --------------------------------------------------------------------


def test_irel_supply_is_neodymium_metal_converted_by_hand(facts, capacity_inputs):
    capacity = mw.fact(fact_ids.IREL_ND_CAPACITY_FACT, facts)
    plan = mw.fact(fact_ids.IREL_ND_PLAN_FACT, facts)
    target = mw.fact(fact_ids.IREL_ND_TARGET_FACT, facts)
    supply = capacity_model.irel_nd_supply(range(2025, 2033), capacity_inputs.irel)
    supply = supply.set_index("year")
    # By hand, from Nd 144.24, Pr 140.91, O 15.999 (g/mol). NdPr oxide (Nd2O3 + Pr6O11) with
    # 3 Nd per Pr: 3 x 144.24 / (3 x (144.24 + 1.5 x 15.999) + (140.91 + 11/6 x 15.999))
    # = 432.72 / 674.957 = 0.641107; with 4 Nd per Pr: 576.96 / 843.1955 = 0.684254.
    assert (capacity["low"], capacity["high"]) == (400, 500)
    assert supply.loc[2025, "irel_nd_low_t_per_yr"] == pytest.approx(400 * 0.641107, abs=0.01)
    assert supply.loc[2025, "irel_nd_high_t_per_yr"] == pytest.approx(500 * 0.684254, abs=0.01)
    # Neodymium of a form not stated: as Nd2O3, 288.48 / 336.477 = 0.857354 of it; as metal, all.
    assert plan["value"] == 450 and target["value"] == 900
    assert supply.loc[2026, "irel_nd_low_t_per_yr"] == pytest.approx(450 * 0.857354, abs=0.01)
    assert supply.loc[2026, "irel_nd_high_t_per_yr"] == 450
    assert supply.loc[2030, "irel_nd_high_t_per_yr"] == target["value"] == 2 * plan["value"]
    assert supply.loc[2028, "irel_nd_low_t_per_yr"] == pytest.approx(675 * 0.857354, abs=0.01)
    assert supply.loc[2032, "irel_nd_low_t_per_yr"] == pytest.approx(900 * 0.857354, abs=0.01)
    assert supply.loc[2032, "irel_nd_high_t_per_yr"] == 900, "held after 2030"
    assert "interpolated" in supply.loc[2028, "irel_basis"]


def test_gap_is_need_minus_supply_and_a_range_where_supply_is(facts, capacity_inputs):
    gap = capacity_model.nd_gap(
        2025, 2032, "linear", 0.27, start_output_t_per_yr=1000.0, inputs=capacity_inputs
    )
    first, last = gap.iloc[0], gap.iloc[-1]
    assert first["nd_needed_t_per_yr"] == pytest.approx(270.0)
    assert first["nd_gap_low_t_per_yr"] == pytest.approx(270.0 - first["irel_nd_high_t_per_yr"])
    assert first["nd_gap_high_t_per_yr"] == pytest.approx(270.0 - first["irel_nd_low_t_per_yr"])
    assert first["nd_gap_low_t_per_yr"] < first["nd_gap_high_t_per_yr"]
    target = mw.fact(fact_ids.MAGNET_TARGET_FACT, facts)["value"]
    irel_2030 = mw.fact(fact_ids.IREL_ND_TARGET_FACT, facts)["value"]
    assert last["nd_gap_low_t_per_yr"] == pytest.approx(target * 0.27 - irel_2030)
    # The low share uses IREL's lower figure: the target read as Nd2O3 (0.857354 of it metal).
    low_2030 = irel_2030 * 0.857354
    assert last["nd_covered_by_irel_low_pct"] == pytest.approx(
        low_2030 / (target * 0.27) * 100, abs=1e-3
    )


def test_a_higher_nd_fraction_widens_the_gap(capacity_inputs):
    low = capacity_model.nd_gap(2025, 2032, "linear", 0.25, inputs=capacity_inputs).iloc[-1]
    high = capacity_model.nd_gap(2025, 2032, "linear", 0.32, inputs=capacity_inputs).iloc[-1]
    assert high["nd_gap_low_t_per_yr"] > low["nd_gap_low_t_per_yr"]


# Imports and demand ---------------------------------------------------------------------------


def test_implied_unit_value_is_value_over_tonnes_and_judged_implausible(facts, imports_inputs):
    value = mw.fact(fact_ids.IMPORTS_VALUE_FACT, facts)["value"]
    tonnes = mw.fact(fact_ids.IMPORTS_TONNES_FACT, facts)["value"]
    check = imports_model.implied_unit_value(20.0, 200.0, imports_inputs)
    assert check.usd_per_kg == pytest.approx(value / (tonnes * 1000))
    assert not check.plausible
    assert imports_words.unit_value_verdict(check).startswith("implausible: it is below")
    text = " ".join(imports_words.unit_value_reasons(check))
    assert "FY2024-25" in text and "calendar 2025" in text
    assert "magnets and related materials" in text


def test_implied_unit_value_is_plausible_inside_the_band_and_follows_the_facts(
    facts, imports_inputs, imports_of
):
    assert imports_model.implied_unit_value(1.0, 10.0, imports_inputs).plausible
    fewer_tonnes = _with_value(facts, fact_ids.IMPORTS_TONNES_FACT, value=2210.0)
    check = imports_model.implied_unit_value(20.0, 200.0, imports_of(fewer_tonnes))
    assert check.usd_per_kg == pytest.approx(100.0)
    assert check.plausible


def test_implied_unit_value_refuses_an_inverted_band(imports_inputs):
    with pytest.raises(ParameterError, match="must have 0 <= low < high"):
        imports_model.implied_unit_value(50.0, 10.0, imports_inputs)


def test_imports_from_china_is_a_range(facts, imports_inputs):
    tonnes = mw.fact(fact_ids.IMPORTS_TONNES_FACT, facts)["value"]
    share = mw.fact(fact_ids.CHINA_IMPORT_SHARE_FACT, facts)
    china = imports_model.imports_from_china_t(imports_inputs)
    assert china["low_t"] == pytest.approx(tonnes * share["low"] / 100)
    assert china["high_t"] == pytest.approx(tonnes * share["high"] / 100)
    assert china["low_t"] < china["high_t"]


def test_implied_growth_doubles_demand_over_the_stated_horizon(facts, imports_inputs, imports_of):
    rate = imports_model.implied_growth_rate_pct(imports_inputs)
    assert (1 + rate / 100) ** 5 == pytest.approx(2.0)
    curated = mw.fact("msa_demand_growth_rate", facts)["value"]
    assert rate == pytest.approx(curated, abs=0.01), "agrees with the curator's rounded row"
    tripling = _with_value(facts, fact_ids.DEMAND_DOUBLING_FACT, value=3.0)
    rate = imports_model.implied_growth_rate_pct(imports_of(tripling))
    assert (1 + rate / 100) ** 5 == pytest.approx(3.0)


def test_demand_starts_from_the_rare_earth_magnet_requirement_and_doubles_by_2030(imports_inputs):
    rate = imports_model.implied_growth_rate_pct(imports_inputs)
    cov = imports_model.demand_coverage(rate, 2025, 2032, "linear", inputs=imports_inputs)
    cov = cov.set_index("year")
    # By hand: about 4,000 t/yr in 2025 (the minister's requirement, cabinet-2025-11-26),
    # doubling in five years: 8,000 t in 2030, 4,000 x 2 ** (7 / 5) = 10,556 t in 2032, when
    # the 6,000 t/yr target covers 56.8% of it.
    assert cov.loc[2025, "demand_t"] == pytest.approx(4000)
    assert cov.loc[2030, "demand_t"] == pytest.approx(8000)
    assert cov.loc[2032, "demand_t"] == pytest.approx(10_556.06, abs=0.01)
    assert cov.loc[2032, "covered_pct"] == pytest.approx(6000 / 10_556.06 * 100, abs=1e-4)
    expected = cov["magnet_output_t_per_yr"] / cov["demand_t"] * 100
    pd.testing.assert_series_equal(cov["covered_pct"], expected, check_names=False)


def test_higher_growth_lowers_the_covered_share(imports_inputs):
    slow = imports_model.demand_coverage(5.0, 2025, 2032, "linear", inputs=imports_inputs)
    fast = imports_model.demand_coverage(25.0, 2025, 2032, "linear", inputs=imports_inputs)
    assert (fast["covered_pct"].iloc[1:] < slow["covered_pct"].iloc[1:]).all()


def test_a_smaller_base_demand_raises_the_covered_share(imports_inputs):
    default = imports_model.demand_coverage(10.0, 2025, 2032, "linear", inputs=imports_inputs)
    small = imports_model.demand_coverage(
        10.0, 2025, 2032, "linear", base_demand_t=3_000, inputs=imports_inputs
    )
    assert small.iloc[-1]["covered_pct"] > default.iloc[-1]["covered_pct"]


def test_negative_growth_is_refused(imports_inputs):
    with pytest.raises(ParameterError, match="'growth_rate_pct_per_yr' = -1.0 is out of range"):
        imports_model.demand_coverage(-1.0, 2025, 2032, "linear", inputs=imports_inputs)


# Market shares --------------------------------------------------------------------------------


def test_market_split_keeps_japans_range_and_the_remainder_is_a_range(facts):
    split = market_model.magnet_market_split(NamedFacts.from_facts(facts)).set_index("subject")
    china = mw.fact(fact_ids.CHINA_MAGNET_SHARE_FACT, facts)["value"]
    japan = mw.fact(fact_ids.JAPAN_MAGNET_SHARE_FACT, facts)
    rest = split.loc["everyone else"]
    assert (rest["low_pct"], rest["high_pct"]) == (
        100 - china - japan["high"],
        100 - china - japan["low"],
    )
    assert rest["low_pct"] < rest["high_pct"]
    assert split["low_pct"].sum() == pytest.approx(100 - (japan["high"] - japan["low"]))
    assert rest["how"].startswith("derived")


def test_processing_claims_keep_both_sources(facts):
    claims = market_model.processing_claims(facts)
    assert len(claims) == 2
    assert claims["source_id"].nunique() == 2
    assert set(claims["qualifier"].astype(str)) == {"approximately", "over"}


def test_reserves_against_mining(facts):
    r = market_model.reserves_vs_mining(NamedFacts.from_facts(facts), facts)
    assert r["ratio_more_than"] == pytest.approx(r["reserves_pct"] / r["mining_pct_below"])
    assert r["reserves_rank"] == [3]
    assert r["mining_text"] == "less than 1%"


# Timeline and headlines -----------------------------------------------------------------------


def test_timeline_defaults_run_from_the_first_event_to_the_scheme_horizon(facts):
    events = mw.load_events()
    timeline = timeline_model.timeline_events(
        events, None, None, horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"]
    )
    assert timeline.start == events["date_start"].min()
    assert timeline.end == mw.fact(fact_ids.MAGNET_TARGET_FACT, facts)["period_end"]
    assert len(timeline.events) == len(events)
    past = timeline_model.timeline_events(
        events,
        None,
        None,
        include_future=False,
        horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"],
    )
    assert not past.events["status"].astype(str).isin(past.future_statuses).any()
    assert past.future_statuses == ("planned", "target", "projected"), "from statuses.csv"
    assert len(past.events) < len(timeline.events)
    with pytest.raises(ParameterError, match="'timeline_end_year' = 2019 must be after"):
        timeline_model.timeline_events(
            events, 2020, 2019, horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"]
        )


@settings(max_examples=200, deadline=None)
@given(
    start_year=st.integers(2020, 2040),
    span=st.integers(1, 20),
    shape=st.sampled_from(capacity_model.RAMP_SHAPES),
    start_t=st.floats(0, 5000),
    target_t=st.floats(5000, 50_000),
)
def test_any_ramp_stays_between_its_ends_and_never_falls(
    start_year, span, shape, start_t, target_t
):
    ramp = capacity_model.magnet_ramp(
        start_year,
        start_year + span,
        target_t,
        shape,
        start_output_t_per_yr=start_t,
        end_year=start_year + span + 2,
    )
    output = ramp["magnet_output_t_per_yr"]
    assert output.iloc[0] == pytest.approx(start_t)
    assert output.iloc[-1] == pytest.approx(target_t)
    assert (output.diff().dropna() >= -1e-9).all()
    assert output.between(start_t - 1e-9, target_t + 1e-9).all()
