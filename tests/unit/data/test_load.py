"""The real curated tables: schema, keys, coverage of the documents' claims, and typed loading."""

from __future__ import annotations

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.data.schema import read_package

PACKAGE = mw.load_package()
FACTS = PACKAGE.facts
EVENTS = PACKAGE.events


def test_every_table_is_declared_in_the_datapackage():
    declared = {r["path"] for r in read_package(paths.DATA_DIR)["resources"]}
    on_disk = {p.name for p in paths.DATA_DIR.glob("*.csv")}
    assert on_disk <= declared, f"CSV files without a schema: {sorted(on_disk - declared)}"


def test_loaders_return_typed_columns():
    assert pd.api.types.is_float_dtype(FACTS["value"])
    assert pd.api.types.is_float_dtype(FACTS["low"])
    assert isinstance(FACTS["metric"].dtype, pd.CategoricalDtype)
    assert isinstance(FACTS["qualifier"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(FACTS["period_start"])
    assert pd.api.types.is_datetime64_any_dtype(EVENTS["date_start"])
    assert pd.api.types.is_bool_dtype(PACKAGE.sources["title_from_document"])
    published = PACKAGE.sources.set_index("source_id")["published_date"]
    assert published["japan-korea-cooperation"] == pd.Timestamp("2025-08-14")
    assert pd.isna(published["magnet-scheme-approval"])  # undated stays undated


def test_every_source_has_facts_or_events():
    used = set(FACTS["source_id"]) | set(EVENTS["source_id"])
    assert used == set(PACKAGE.sources["source_id"])


def test_every_metric_is_used_and_every_unit_matches_its_metric_dimension():
    assert set(FACTS["metric"]) == set(PACKAGE.metrics["metric"])
    dims = FACTS.merge(PACKAGE.units, on="unit").merge(
        PACKAGE.metrics, on="metric", suffixes=("_unit", "_metric")
    )
    assert (dims["dimension_unit"] == dims["dimension_metric"]).all()


@pytest.mark.parametrize(
    ("fact_id", "expected"),
    [
        (
            "ibns_magnet_imports_fy25",
            {"value": 53748, "unit": "t", "period": "FY2024-25", "period_type": "fiscal_year"},
        ),
        ("ipl_irel_nd_capacity", {"low": 400, "high": 500, "unit": "t/yr"}),
        ("msa_scheme_outlay_inr", {"value": 73e9, "unit": "INR"}),
        ("msa_scheme_outlay_usd", {"value": 800e6, "unit": "USD"}),
        ("msa_china_import_share", {"low": 80, "high": 90, "unit": "pct"}),
        ("jkc_japan_magnet_share", {"low": 8, "high": 9, "qualifier": "estimated"}),
        ("ibns_exports_japan_2024", {"value": 1000, "qualifier": "over", "period": "2024"}),
        ("ibns_export_share_2024", {"qualifier": "more than", "derivation": "100 / 3"}),
        ("ibns_irel_nd_target_2030", {"value": 900, "qualifier": "target", "period": "2030"}),
        (
            "msa_magnet_target",
            {"value": 6000, "unit": "t/yr", "period": "2025-11/P7Y", "qualifier": "target"},
        ),
        ("msa_india_mining_share", {"value": 1, "qualifier": "less than"}),
        ("msa_china_processing_share", {"value": 90, "qualifier": "over"}),
        ("sp_china_processing_share", {"value": 85, "qualifier": "approximately"}),
    ],
)
def test_headline_facts_keep_ranges_qualifiers_and_periods(fact_id, expected):
    row = mw.fact(fact_id, FACTS)
    for column, value in expected.items():
        assert row[column] == value, f"{fact_id}.{column}"


def test_disagreeing_sources_are_kept_as_separate_rows():
    processing = mw.facts_for("processing_share", "China", facts=FACTS)
    assert sorted(processing["source_id"]) == ["magnet-scheme-approval", "strategic-pursuit"]
    conflicts = mw.conflicting_claims("processing_share", facts=FACTS)
    assert set(conflicts[["fact_id_a", "fact_id_b"]].iloc[0]) == {
        "sp_china_processing_share",
        "msa_china_processing_share",
    }


def test_agreeing_sources_do_not_conflict():
    # IREL's capacity: 400-500 t in one source, "approximately 400-500" in another.
    assert mw.conflicting_claims("nd_production_capacity", facts=FACTS).empty


@pytest.mark.parametrize(
    ("event_group", "date"),
    [
        ("china_blocks_japan_2010", "2010"),
        ("japan_supply_deal_2012", "2012"),
        ("china_export_suspension_2025", "2025-04"),
        ("japan_export_halt_2025", "2025-06"),
        ("partner_search_2025", "2025-08-14"),
        ("scheme_approved_2025", "2025-11"),
        ("nd_plan_2026", "2026-03"),
        ("nd_double_2030", "2030"),
        ("magnet_target_2032", "2032-11"),
    ],
)
def test_timeline_covers_every_dated_event(event_group, date):
    dates = set(EVENTS.loc[EVENTS["event_group"] == event_group, "date"])
    assert date in dates


def test_seven_year_horizon_ends_where_the_timeline_says():
    target = mw.fact("msa_magnet_target", FACTS)
    event = EVENTS.set_index("event_id").loc["msa_2032_11_magnet_target"]
    assert target["period_end"].to_period("M") == event["date_start"].to_period("M")


def test_lookups():
    assert set(mw.facts_of_source("ibns-export-halt", FACTS)["fact_id"]) >= {
        "ibns_magnet_imports_fy25",
        "ibns_irel_production_2024",
    }
    with pytest.raises(KeyError, match="unknown metric"):
        mw.facts_for("magnet_price", facts=FACTS)
    with pytest.raises(KeyError, match="no fact 'ibns_nope'"):
        mw.fact("ibns_nope", FACTS)


def test_fiscal_year_bounds():
    row = mw.fact("ibns_magnet_imports_fy25", FACTS)
    assert row["period_start"] == pd.Timestamp("2024-04-01")
    assert row["period_end"] == pd.Timestamp("2025-03-31")


@pytest.mark.parametrize(
    ("fact_id", "text"),
    [
        ("ibns_exports_japan_2024", "over 1,000 t"),
        ("ipl_irel_nd_capacity", "400–500 t/yr"),
        ("sp_china_processing_share", "about 85%"),
        ("msa_scheme_outlay_usd", "$800 million"),
        ("msa_india_reserves_rank", "rank 3"),
    ],
)
def test_format_quantity_keeps_qualifiers_and_ranges(fact_id, text):
    assert mw.format_quantity(mw.fact(fact_id, FACTS)) == text
