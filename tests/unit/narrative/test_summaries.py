"""Each report's finding title and summary: computed from the run, so the words follow the
numbers (another parameter, another sentence), 3 to 5 sentences, scope and dates stated."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis import outlook
from magnet_watch.narrative import lead, summaries

DEFAULTS = {
    "start_year": None,
    "target_year": None,
    "ramp_shape": "linear",
    "nd_mass_fraction": 0.27,
    "start_output_t_per_yr": 0.0,
    "award_year": None,
    "growth_rate_pct_per_yr": None,
    "base_demand_t": None,
    "plausible_low_usd_per_kg": 20.0,
    "plausible_high_usd_per_kg": 200.0,
    "growth_basis": "articles",
}


def _capacity(values: dict, capacity_inputs) -> summaries.Summary:
    """Notebook 02's summary, from its two runs as the notebook makes them."""
    run = outlook.neodymium_outlook(values, capacity_inputs)
    clock = outlook.official_clock_outlook(values, capacity_inputs)
    return summaries.capacity_summary(run, clock, capacity_inputs)


def _imports(values: dict, imports_inputs) -> summaries.Summary:
    """Notebook 03's summary, from its run as the notebook makes it."""
    return summaries.imports_summary(outlook.demand_outlook(values, imports_inputs), imports_inputs)


def test_a_summary_of_fewer_than_three_or_more_than_five_sentences_is_refused():
    with pytest.raises(ValueError, match="3 to 5 sentences, not 2"):
        summaries.Summary("A finding", ("One.", "Two."))
    with pytest.raises(ValueError, match="not 6"):
        summaries.Summary("A finding", tuple(f"Sentence {i}." for i in range(6)))
    assert summaries.Summary("A finding", ("One.", "Two.", "Three.")).text == "One. Two. Three."


def test_the_capacity_title_follows_the_neodymium_share_of_a_magnet(capacity_inputs):
    low = _capacity(DEFAULTS, capacity_inputs)
    high = _capacity({**DEFAULTS, "nd_mass_fraction": 0.32}, capacity_inputs)
    assert low.title != high.title
    assert "1,620 t of neodymium" in low.title  # 6,000 t of magnets x 27%
    assert "1,920 t of neodymium" in high.title  # 6,000 t of magnets x 32%
    assert "(at 32% neodymium by mass)" in high.text
    assert "plans and targets, not what it has made" in high.text  # a plan stays a plan


def test_the_capacity_title_says_irel_covers_the_need_when_its_plans_exceed_it(capacity_inputs):
    small = _capacity({**DEFAULTS, "nd_mass_fraction": 0.02}, capacity_inputs)
    assert small.title.startswith("IREL's plans would cover the 120 t of neodymium")


def test_the_clock_sentence_says_at_the_earliest_only_when_no_award_year_is_set(capacity_inputs):
    earliest = _capacity(DEFAULTS, capacity_inputs)
    given = _capacity({**DEFAULTS, "award_year": 2027}, capacity_inputs)
    assert "award (2026 at the earliest)" in earliest.text
    assert "award (2027), so no magnets come before 2029" in given.text


def test_the_imports_title_follows_the_demand_growth_and_states_its_scope(imports_inputs):
    slow = _imports({**DEFAULTS, "growth_rate_pct_per_yr": 5.0}, imports_inputs)
    fast = _imports({**DEFAULTS, "growth_rate_pct_per_yr": 20.0}, imports_inputs)
    assert "(demand growing 5%/yr)" in slow.title
    assert "(demand growing 20%/yr)" in fast.title
    assert slow.title.split(" of its")[0] != fast.title.split(" of its")[0]  # the share moved
    assert "rare-earth magnet demand" in slow.title
    assert "magnets of every kind" in slow.text  # the import tonnage in its scope


def test_the_overview_and_market_summaries_name_both_processing_sources_dates(imports_inputs):
    facts = mw.load_facts()
    verdicts = pd.DataFrame({"verdict": ["agree", "agree", "disagree"]})
    for summary in (
        summaries.overview_summary(DEFAULTS, imports_inputs, facts),
        summaries.market_summary(imports_inputs, facts, verdicts, 2023),
    ):
        assert "(as of Aug 2025) or over 90% (as of Nov 2025)" in summary.text
        assert "never averaged" in summary.text
    market = summaries.market_summary(imports_inputs, facts, verdicts, 2023)
    assert "Of 3 claims USGS's 2023 figures can test: 2 agree, 1 disagree." in market.text


def test_the_claims_title_counts_the_verdicts_it_is_given():
    later = pd.DataFrame({"verdict": ["agree", "close"]})
    one = summaries.claims_summary(pd.DataFrame({"verdict": ["agree"] * 3}), 2024, later)
    other = summaries.claims_summary(pd.DataFrame({"verdict": ["disagree"] * 2}), 2023, later)
    assert one.title == "Of 3 claims in the documents that USGS's 2024 figures can test: 3 agree"
    assert other.title.endswith("USGS's 2023 figures can test: 2 disagree")
    assert "2 claims: 1 agree, 1 close." in one.text


def _audit(gaps: int, conflicts: int, ok: bool):
    checks = pd.DataFrame(
        {"result": ["pass", "pass", "fail"], "as_expected": [True, True, True]},
    )
    coverage = pd.DataFrame({"quantities": [10, 5], "recorded": [7, 3]})
    return SimpleNamespace(
        coverage=coverage,
        checks=checks,
        gaps=list(range(gaps)),
        conflicts=list(range(conflicts)),
        ok=ok,
    )


def test_the_audit_summary_counts_gaps_and_conflicts_with_their_plurals():
    one = summaries.curation_summary(_audit(0, 1, True), (9, 10, []))
    many = summaries.curation_summary(_audit(2, 3, False), (9, 10, []))
    assert one.title == (
        "The curation audit passes: 0 gaps in the documents, 1 conflict between sources kept "
        "side by side"
    )
    assert many.title.startswith("The curation audit fails: 2 gaps in the documents, 3 conflicts")
    assert "15 quantities in the 2 documents, of which 10 are recorded" in one.text
    assert "2 of 3 consistency checks pass; 1 failing check is a documented finding." in one.text


def _tornado(gap_driver: str) -> pd.DataFrame:
    rows = []
    for outcome in ("nd_need_t_per_yr", "nd_gap_t_per_yr", "first_shortfall_year", "covered_pct"):
        label = gap_driver if outcome == "nd_gap_t_per_yr" else "the year the target is reached"
        rows.append({"outcome": outcome, "label": label, "swing": 10.0})
    return pd.DataFrame(rows)


def test_the_sensitivity_title_names_the_assumption_the_gap_swings_with_most():
    spread = pd.DataFrame([{"outcome": "nd_gap_t_per_yr", "low": -88.0, "high": 970.0}])
    mass = summaries.sensitivity_summary(_tornado("the neodymium share"), spread, 2032, 90.0)
    year = summaries.sensitivity_summary(_tornado("the target year"), spread, 2031, 80.0)
    assert mass.title == "The 2032 neodymium gap depends most on the neodymium share"
    assert year.title == "The 2031 neodymium gap depends most on the target year"
    assert "80% of the draws put the 2031 gap between -88 t/yr and 970 t/yr" in year.text
    assert len(mass.sentences) == 5


def test_the_overview_summary_and_the_index_lead_run_each_model_once(imports_inputs, monkeypatch):
    calls = []

    def counted(name, model):
        def run(*args):
            calls.append(name)
            return model(*args)

        return run

    for module in (summaries, lead):
        for name in ("neodymium_outlook", "official_clock_outlook", "demand_outlook"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, counted(name, getattr(outlook, name)))
    facts = mw.load_facts()
    summaries.overview_summary(DEFAULTS, imports_inputs, facts)
    assert sorted(calls) == ["neodymium_outlook", "official_clock_outlook"]
    calls.clear()
    lead.lead_findings(DEFAULTS, imports_inputs, facts)
    assert sorted(calls) == ["demand_outlook", "neodymium_outlook", "official_clock_outlook"]
