"""The articles' claims against the later references; the official terms, series, words and charts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch import ParameterError
from magnet_watch.analysis import official_terms as official
from magnet_watch.analysis.checks.claims_check import VERDICTS, Thresholds
from magnet_watch.analysis.checks.reference_check import interval_verdict, reference_check
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.charts.official_terms import imports_series_chart
from magnet_watch.charts.theme import TITLE_CHARACTERS
from magnet_watch.data.inputs import CapacityInputs, SchemeTerms, import_series
from magnet_watch.data.later_references import References, load_references
from magnet_watch.data.load import load_facts, load_sources
from magnet_watch.data.lookups import facts_for
from magnet_watch.data.reference import load_usgs_prices
from magnet_watch.narrative import official_terms as words
from magnet_watch.narrative import reference_check as check_words
from magnet_watch.notebook.outputs import chart_title

EXPECTED = {
    "outlay": "agree",
    "capacity_clock": "close",
    "demand_doubling": "agree",
    "imports_tonnes": "agree",
    "china_share": "close",
    "imports_value": "not comparable",
    "imports_scope": "disagree",
}


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load_facts()


@pytest.fixture(scope="module")
def refs() -> References:
    return load_references()


@pytest.fixture(scope="module")
def terms(facts, refs) -> SchemeTerms:
    """The scheme's official terms, as the capacity model's inputs carry them."""
    return CapacityInputs.from_data(facts, refs).terms


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    return load_usgs_prices()


@pytest.fixture(scope="module")
def rate(facts) -> float:
    # The explicit rate: 73 billion rupees = $800 million in the same article.
    return implied_inr_per_usd(facts)["inr_per_usd"]


def run(facts, refs, prices, rate, **kwargs) -> pd.DataFrame:
    return reference_check(facts, refs, prices, inr_per_usd=rate, reference_year=2024, **kwargs)


@pytest.fixture(scope="module")
def table(facts, refs, prices, rate) -> pd.DataFrame:
    return run(facts, refs, prices, rate)


def test_one_verdict_per_pair(table):
    assert dict(zip(table["check_id"], table["verdict"].astype(str), strict=True)) == EXPECTED
    assert list(table["verdict"].cat.categories) == list(VERDICTS)


def test_each_pair_reads_the_claim_it_tests(table):
    by_check = table.set_index("check_id")["fact_id"]
    assert by_check["outlay"] == "msa_scheme_outlay_inr"
    assert by_check["imports_tonnes"] == by_check["imports_scope"] == "ibns_magnet_imports_fy25"
    assert by_check["china_share"] == "msa_china_import_share"
    assert by_check["imports_value"] == "msa_imports_value_2025"


def test_outlay_agrees_because_73_billion_is_72_8_billion_rounded(table):
    row = table.set_index("check_id").loc["outlay"]
    assert row["reference_value"] == 72_800_000_000
    assert (row["claim_low"], row["claim_high"]) == (72_500_000_000, 73_500_000_000)


def test_a_claim_of_53900_t_would_no_longer_agree(facts, refs, prices, rate):
    changed = facts.copy()
    changed.loc[changed["fact_id"] == "ibns_magnet_imports_fy25", "value"] = (
        53_900.0  # 53,850-53,950 t misses 53,650-53,750 t
    )
    row = run(changed, refs, prices, rate).set_index("check_id").loc["imports_tonnes"]
    assert row["verdict"] == "close"


def test_the_rate_is_explicit_and_moves_the_conversion(facts, refs, prices, table):
    with pytest.raises(TypeError):
        reference_check(facts, refs, prices, reference_year=2024)  # no hidden rate
    base = table.set_index("check_id").loc["imports_value", "context"]
    assert base["reference_usd"] == pytest.approx(17_440_000_000 / 91.25)
    other = run(facts, refs, prices, 80.0).set_index("check_id").loc["imports_value", "context"]
    assert other["reference_usd"] == pytest.approx(17_440_000_000 / 80.0)


def test_scope_unit_value_against_the_neodymium_floor(facts, refs, prices, table):
    context = table.set_index("check_id").loc["imports_scope", "context"]
    assert context["inr_per_kg"] == pytest.approx(17_440_000_000 / 53_700_000)
    assert context["floor_usd_per_kg"] == pytest.approx(Thresholds().nd_mass_fraction * 56)
    assert context["usd_per_kg"] < context["floor_usd_per_kg"] * 0.8
    # Only an impossible rate (about 22 rupees per dollar) would lift the unit value to the
    # floor; at such a rate the verdict flips: the check can fail.
    assert context["break_even_inr_per_usd"] == pytest.approx(21.7, abs=0.1)
    flipped = run(facts, refs, prices, 20.0).set_index("check_id").loc["imports_scope", "verdict"]
    assert flipped == "agree"


def test_award_year_sets_the_official_clock(facts, refs, terms, prices, rate):
    row = (
        run(facts, refs, prices, rate, award_year=2027).set_index("check_id").loc["capacity_clock"]
    )
    assert (row["context"]["first_output_year"], row["context"]["scheme_end_year"]) == (2029, 2034)
    with pytest.raises(ParameterError, match="award_year"):
        run(facts, refs, prices, rate, award_year=2024)
    with pytest.raises(ParameterError, match="award_year"):
        official.official_clock(terms, 2024)


def test_interval_verdict():
    assert interval_verdict((80, 90), (92.5, 93.5), 0.2) == "close"
    assert interval_verdict((80, 90), (120, 121), 0.2) == "disagree"
    assert interval_verdict((80, 90), (89, 95), 0.2) == "agree"


def test_every_pair_has_one_sentence_with_its_numbers(table, refs, facts):
    shown = check_words.check_table(table, refs, facts, mw.load_package().sources)
    shown = shown.set_index("pair")
    assert len(shown) == len(EXPECTED)
    for text in shown["reason"]:
        assert text.endswith(".") and text.count(". ") == 0
    reasons = " ".join(shown["reason"])
    # No award recorded by 27 May 2026: the award is not before 2026, output not before 2028.
    for number in ("72.8 billion", "2028", "$191 million", "$3.56/kg", "93%", "2030"):
        assert number in reasons
    assert shown["reference page"].str.contains("stored copy").all()
    summary = check_words.check_summary(table, refs, facts)
    assert (
        summary.startswith("Of 7 claims")
        and "3 agree, 2 close, 1 disagree, 1 not comparable" in summary
    )


def test_official_clock_and_ramp_years(terms):
    clock = official.official_clock(terms, 2025)
    assert (clock.award_year, clock.first_output_year, clock.end_year) == (2025, 2027, 2032)
    # By default the earliest the record allows as of its latest date (no award: 2026).
    assert official.official_clock(terms).award_year == 2026
    assert clock.beneficiaries * clock.capacity_per_beneficiary_t_per_yr == clock.capacity_t_per_yr
    assert official.ramp_years("official_terms", clock, None, None) == (2025, 2027, 2032)
    assert official.ramp_years("linear", clock, None, None) is None
    with pytest.raises(ParameterError, match="start_year"):
        official.ramp_years("official_terms", clock, 2026, None)


def test_official_terms_ramp_is_a_step_after_the_gestation(facts, refs):
    from magnet_watch.analysis import capacity

    inputs = CapacityInputs.from_data(facts, refs)
    clock = official.official_clock(inputs.terms, 2026)
    gap = capacity.nd_gap(
        clock.award_year,
        clock.first_output_year,
        "official_terms",
        0.27,
        end_year=clock.end_year,
        inputs=inputs,
    )
    output = dict(zip(gap["year"], gap["magnet_output_t_per_yr"], strict=True))
    assert output == {
        2026: 0,
        2027: 0,
        2028: 6000,
        2029: 6000,
        2030: 6000,
        2031: 6000,
        2032: 6000,
        2033: 6000,
    }
    assert official.first_shortfall_year(gap) == 2028
    assert "official_terms" in capacity.RAMP_SHAPES


def test_import_series_keeps_the_half_year_a_half_year(refs):
    series = import_series(refs)
    assert list(series["period"]) == [
        "FY2020-21",
        "FY2023-24",
        "FY2024-25",
        "FY2025-26 H1 (April to September 2025)",
    ]
    assert list(series["months"]) == [12, 12, 12, 6]
    assert series["imports_t"].iloc[-1] == 16_281  # as stated, never annualised


def test_growth_basis_is_a_choice_of_rare_earth_magnet_projections(refs, imports_inputs):
    doublings = {"articles": imports_inputs.doubling, "cabinet": imports_inputs.cabinet_doubling}
    articles = official.resolve_growth(None, "articles", doublings)
    assert articles.rate_pct_per_yr == pytest.approx((2 ** (1 / 5) - 1) * 100)
    assert articles.sources == ("msa_demand_doubling",)
    cabinet = official.resolve_growth(None, "cabinet", doublings)
    # The Cabinet's "to double by 2030 from 2025": 2 over five years, the same 14.87%/yr.
    assert cabinet.rate_pct_per_yr == pytest.approx(14.8698355, abs=1e-6)
    assert (cabinet.basis, cabinet.sources) == (
        "cabinet",
        ("cabinet-2025-11-26/consumption_doubling",),
    )
    assert cabinet.period == "2025 to 2030"
    given = official.resolve_growth(5.0, "cabinet", doublings)
    assert (given.rate_pct_per_yr, given.basis) == (5.0, "parameter")
    with pytest.raises(ParameterError, match="growth_basis"):
        official.resolve_growth(None, "official_series", doublings)


def test_the_import_series_growth_is_shown_and_never_used_as_demand_growth(refs, imports_inputs):
    imports = import_series(refs)
    growth = official.series_growth(imports)
    assert growth.rate_pct_per_yr == pytest.approx(((53_700 / 12_400) ** (1 / 4) - 1) * 100)
    used = official.resolve_growth(None, "articles", {"articles": imports_inputs.doubling})
    text = words.growth_words(used, growth, 14.87)
    # One precision for every growth rate (text.formats.growth_rate): 14.87 reads "14.9%/yr".
    assert "44.3%/yr" in text and "14.9%/yr" in text and "14.87" not in text
    assert "not a growth rate of rare-earth magnet demand, and the projection never uses it" in text


def test_timeline_rows_join_curated_groups_and_cite_without_quoting(refs):
    rows = official.timeline_rows(refs)
    curated = set(pd.read_csv("data/events.csv")["event_group"])
    assert {"scheme_approved_2025", "china_export_suspension_2025"} <= set(rows["event_group"])
    assert set(rows["event_group"]) - curated == {"magnet_imports_halve_2025"}
    assert (rows["quote"] == "").all()  # figures carry over, sentences do not
    assert set(rows["source_id"]) <= set(official.timeline_sources(refs)["source_id"])
    assert "26 Nov" not in words.timeline_reference_summary(rows)  # dates as the data writes them
    assert "2025-11-26" in words.timeline_reference_summary(rows)


def test_overview_rows_say_they_come_from_later_references(refs):
    rows = words.overview_reference_headlines(refs)
    assert rows["source"].str.startswith("later reference: ").all()
    assert "Rs 7,280 crore" in set(rows["value"])
    assert "FY2024-25 (Apr 2024–Mar 2025)" in set(rows["period"])


def test_imports_chart_draws_the_series_the_half_year_and_the_claim(refs, facts):
    series = import_series(refs)
    claims = facts_for("magnet_imports", "India", facts=facts)
    chart = imports_series_chart(
        series,
        claims,
        official.restrictions_date(refs),
        words.series_finding(series, refs),
        "Reference: test",
        sources=load_sources(),
    )
    spec = chart.to_dict()
    data = json.dumps(spec["datasets"])
    assert '"start": "2025-04-01"' in data and '"end": "2025-09-30"' in data
    assert '"date": "2025-04-04"' in data
    assert "53748" in data.replace(",", "").replace(".0", "")
    assert chart_title(spec, "").startswith("Permanent magnet imports rose from 12,400 t")
    # The long finding is drawn on lines of at most TITLE_CHARACTERS, not one 1,448 px line.
    lines = spec["title"]["text"]
    assert isinstance(lines, list) and len(lines) > 1
    assert all(len(line) <= TITLE_CHARACTERS for line in lines)
