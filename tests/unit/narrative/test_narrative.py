"""The notebooks in words (narrative/): headline tables, findings, chart titles, all computed."""

from __future__ import annotations

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis import capacity as capacity_model
from magnet_watch.analysis import imports as imports_model
from magnet_watch.analysis import market as market_model
from magnet_watch.analysis import timeline as timeline_model
from magnet_watch.analysis.checks.claims_check import short_citation
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.reference import origin
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative import claims as claims_words
from magnet_watch.narrative import headlines
from magnet_watch.narrative import imports as imports_words
from magnet_watch.narrative import market as market_words
from magnet_watch.narrative import overview as overview_words


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


def test_headline_tables_are_text_in_the_display_columns(facts, capacity_inputs):
    gap = capacity_model.nd_gap(2025, 2032, "linear", 0.27, inputs=capacity_inputs)
    frames = [
        overview_words.overview_headlines(NamedFacts.from_facts(facts)),
        capacity_words.capacity_headlines(gap, 0.27, capacity_inputs),
        market_words.market_headlines(
            market_model.magnet_market_split(NamedFacts.from_facts(facts)),
            NamedFacts.from_facts(facts),
            facts,
        ),
    ]
    for frame in frames:
        assert list(frame.columns) == headlines.HEADLINE_COLUMNS
        assert all(isinstance(v, str) for v in frame.to_numpy().ravel())
    overview = frames[0].set_index("figure")
    assert overview.loc["IREL capacity, as neodymium (later reporting: NdPr oxide)", "value"] == (
        "400–500 t/yr"
    )
    capacity = frames[1].set_index("figure")
    assert capacity.loc["Neodymium gap: need minus IREL output", "value"] == "720–848 t/yr"


def test_imports_headlines_name_a_parameter_as_the_source_when_one_is_used(imports_inputs):
    inputs = imports_inputs
    unit_value = imports_model.implied_unit_value(20.0, 200.0, inputs)
    implied = imports_model.implied_growth_rate_pct(inputs)
    cov = imports_model.demand_coverage(implied, 2025, 2032, "linear", inputs=inputs)
    default = imports_words.imports_headlines(cov, implied, unit_value, inputs).set_index("figure")
    assert default.loc["Demand growth used", "source"] == "computed from msa_demand_doubling"
    changed = imports_words.imports_headlines(cov, 20.0, unit_value, inputs, base_demand_t=1.0)
    changed = changed.set_index("figure")
    assert "parameter growth_rate_pct_per_yr" in changed.loc["Demand growth used", "source"]
    assert "parameter base_demand_t" in changed.loc["Projected rare-earth magnet demand", "source"]


def test_findings_in_words_use_the_computed_numbers(facts, capacity_inputs):
    gap = capacity_model.nd_gap(2025, 2032, "linear", 0.30, inputs=capacity_inputs)
    text = capacity_words.gap_summary(gap, 0.30)
    assert f"{gap.iloc[-1]['nd_needed_t_per_yr']:,.0f} t of neodymium" in text
    assert "30% neodymium" in text
    assert "March 2026" in capacity_words.irel_summary(
        NamedFacts.from_facts(facts), capacity_inputs.irel
    )
    claims = market_model.processing_claims(facts)
    strict = mw.conflicting_claims("processing_share", facts=facts, approx_tolerance=0.05)
    loose = mw.conflicting_claims("processing_share", facts=facts, approx_tolerance=0.10)
    sources = mw.load_package().sources
    assert "cannot both hold" in market_words.processing_summary(claims, strict, 5, sources)
    assert "can both hold" in market_words.processing_summary(claims, loose, 10, sources)


def test_unit_value_verdict_and_reasons_are_worded_from_the_check(imports_inputs):
    low = imports_model.implied_unit_value(20.0, 200.0, imports_inputs)
    assert imports_words.unit_value_verdict(low) == (
        "implausible: it is below the assumed $20–200/kg for rare-earth magnets"
    )
    reasons = imports_words.unit_value_reasons(low)
    assert reasons[0].startswith("so low a price") and len(reasons) == 4
    inside = imports_model.implied_unit_value(1.0, 10.0, imports_inputs)
    assert imports_words.unit_value_verdict(inside).startswith("plausible: it lies within")
    assert len(imports_words.unit_value_reasons(inside)) == 3


def test_timeline_summary_counts_events_and_plans(facts):
    events = mw.load_events()
    shown = timeline_model.timeline_events(
        events, None, None, horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"]
    )
    groups = shown.events["event_group"].nunique()
    assert f"**{groups} events** from 2010 to 2032" in overview_words.timeline_summary(shown)
    past = timeline_model.timeline_events(
        events,
        None,
        None,
        include_future=False,
        horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"],
    )
    assert "hidden (include_future = False)" in overview_words.timeline_summary(past)


def test_chart_titles_are_stated_once_in_narrative(facts, capacity_inputs):
    gap = capacity_model.nd_gap(2025, 2032, "linear", 0.05, inputs=capacity_inputs)
    assert capacity_words.nd_gap_title(gap).endswith("a year less than IREL's planned output")
    split = market_model.magnet_market_split(NamedFacts.from_facts(facts))
    assert market_words.market_share_title(
        split, NamedFacts.from_facts(facts).japan_magnet_share
    ) == (
        "China makes 90% of the world's rare-earth magnets and Japan 8–9%: "
        "1–2% is left for everyone else"
    )
    assert market_words.processing_title(["about 85%", "over 90%"], False).endswith(
        "as worded, the two do not overlap"
    )


@pytest.mark.parametrize(
    ("rank", "words"),
    [(1, "largest"), (3, "third-largest"), (10, "tenth-largest"), (12, "rank 12")],
)
def test_ranks_are_written_from_the_ordinal_words_of_text_numbers(rank, words):
    assert market_words.largest_words(rank) == words


def test_small_counts_are_words():
    assert [market_words.number_word(n) for n in (2, 3, 12, 40, 41)] == [
        "two",
        "three",
        "twelve",
        "forty",
        "41",
    ]


def test_the_reference_is_named_from_its_origin_record():
    record = origin()
    assert short_citation(record) == "USGS MCS 2025"
    assert claims_words.reference_table_caption(record) == (
        "Claims in the documents against USGS Mineral Commodity Summaries 2025"
    )
    renamed = {
        **record,
        "producer": "Geological Survey of Somewhere (GSS)",
        "publication": "Mineral Year Book 2031, chapter 7",
        "published": "2031-02",
    }
    assert short_citation(renamed) == "GSS MYB 2031"
    assert claims_words.reference_caption(record).startswith(f"Reference: {record['citation']}")


def test_headline_frame_is_all_text_in_the_display_columns():
    rows = [headlines.computed_headline("Figure", "1 t", "2025", ["a_fact", "parameter x"])]
    frame = headlines.headline_frame(rows)
    assert list(frame.columns) == headlines.HEADLINE_COLUMNS
    assert frame.iloc[0]["source"] == "computed from a_fact, parameter x"
    assert isinstance(frame, pd.DataFrame)
