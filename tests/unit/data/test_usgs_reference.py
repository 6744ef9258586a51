"""The USGS reference table: schema, checksums, consistency, shares, and each claims-check verdict."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.tables import problems_of, set_cell

from magnet_watch import ParameterError
from magnet_watch.analysis.checks import claims_check as checks
from magnet_watch.analysis.checks.claims_check import (
    ND_MASS_FRACTION_ND2FE14B,
    VERDICTS,
    Thresholds,
    check_reference_year,
    short_citation,
    verdict_counts,
)
from magnet_watch.data import reference
from magnet_watch.data.load import load_facts, load_sources
from magnet_watch.data.schema import read_table
from magnet_watch.data.usgs import UsgsReference, load_usgs_reference
from magnet_watch.narrative.claims import (
    claims_headlines,
    claims_table,
    claims_words,
    verdict_summary,
)
from magnet_watch.notebook.outputs import chart_title

# The end of the articles: the edition current then is MCS 2025, the one these tests check.
ARTICLES_END = "2025-11-30"
WORLD_FILE = "usgs_mcs2025_rare_earths_world.csv"
PRICES_FILE = "usgs_mcs2025_rare_earths_prices.csv"


@pytest.fixture
def ref_dir(tmp_path: Path) -> Path:
    """A scratch copy of data/reference/."""
    shutil.copytree(reference.REFERENCE_DIR, tmp_path / "reference")
    return tmp_path / "reference"


# Schema, origin and checksums ---------------------------------------------------------------


def test_files_match_the_checksums_their_package_records():
    package = reference.reference_package()
    names = {r["name"]: r["path"] for r in package["resources"]}
    assert names == {"usgs_world": WORLD_FILE, "usgs_prices": PRICES_FILE}
    for resource in package["resources"]:
        data = (reference.REFERENCE_DIR / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_origin_record_names_producer_urls_date_licence_and_units():
    record = reference.origin()
    assert record["producer"].startswith("U.S. Geological Survey")
    assert "Mineral Commodity Summaries 2025" in record["publication"]
    assert record["published"] == "2025-01"
    assert "https://doi.org/10.5066/P13XCP3R" in record["urls"]
    assert any(u.startswith("https://pubs.usgs.gov/") for u in record["urls"])
    assert "public domain" in record["licence"].lower()
    assert "rare-earth-oxide" in record["units"]["t_reo"]
    assert any("more than 90,000,000" in n for n in record["notes"])


def test_reference_is_apart_from_the_curated_facts():
    main = json.loads((reference.REFERENCE_DIR.parent / "datapackage.json").read_text())
    assert not any("usgs" in r["path"] for r in main["resources"])


def test_world_loads_long_and_typed():
    world = reference.load_usgs_world()
    assert world["value_t_reo"].dtype == "float64"
    assert str(world["year"].dtype) == "Int64"
    assert set(world["measure"].cat.categories) == {"mine_production", "reserves"}
    # 16 countries + Other + World total, each with 2 production years and reserves
    assert len(world) == 18 * 3
    india_2024 = world[(world["country"] == "India") & (world["year"] == 2024)].iloc[0]
    assert india_2024["value_t_reo"] == 2900 and india_2024["qualifier"] == "estimated"
    india_2023 = world[(world["country"] == "India") & (world["year"] == 2023)].iloc[0]
    assert india_2023["qualifier"] == "stated"
    burma = world[(world["country"] == "Burma") & (world["measure"] == "reserves")].iloc[0]
    assert pd.isna(burma["value_t_reo"])  # "not available", not zero
    canada = world[(world["country"] == "Canada") & (world["year"] == 2024)].iloc[0]
    assert canada["value_t_reo"] == 0
    total = world[(world["row_kind"] == "world_total") & (world["measure"] == "reserves")].iloc[0]
    assert total["qualifier"] == "more than" and total["value_t_reo"] == 90_000_000


def test_prices_load_long_and_typed():
    prices = reference.load_usgs_prices()
    assert list(prices["oxide"].unique()) == [
        "Neodymium oxide",
        "Dysprosium oxide",
        "Terbium oxide",
    ]
    assert sorted(prices["year"].unique()) == [2020, 2021, 2022, 2023, 2024]
    nd = prices[(prices["oxide"] == "Neodymium oxide") & (prices["year"] == 2024)].iloc[0]
    assert nd["price_usd_per_kg"] == 56.0 and nd["min_purity_pct"] == 99.5


# Bad input: every problem names file, line and column ---------------------------------------


def test_negative_production_is_refused_naming_file_line_column(ref_dir):
    line = set_cell(ref_dir / WORLD_FILE, "India", "mine_production_2024_t_reo", "-5")
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    assert any(
        p.file == WORLD_FILE
        and p.line == line
        and p.column == "mine_production_2024_t_reo"
        and "below the minimum 0" in p.message
        for p in problems
    )


def test_text_in_a_number_cell_is_refused(ref_dir):
    line = set_cell(ref_dir / WORLD_FILE, "China", "reserves_t_reo", "44 Mt")
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    assert any(
        p.line == line and p.column == "reserves_t_reo" and "expected an integer" in p.message
        for p in problems
    )


def test_zero_price_is_refused_by_exclusive_minimum(ref_dir):
    line = set_cell(
        ref_dir / PRICES_FILE, "Neodymium oxide 99.5% minimum", "price_2024_usd_per_kg", "0"
    )
    problems = problems_of(lambda: reference.load_usgs_prices(ref_dir))
    assert any(
        p.file == PRICES_FILE
        and p.line == line
        and p.column == "price_2024_usd_per_kg"
        and "must be above 0" in p.message
        for p in problems
    )


def test_changed_copy_is_noticed_by_its_checksum(ref_dir):
    set_cell(ref_dir / PRICES_FILE, "Terbium oxide 99.99% minimum", "note", "edited")
    problems = problems_of(lambda: reference.load_usgs_prices(ref_dir))
    assert any(p.file == PRICES_FILE and "sha256" in p.message for p in problems)


def test_world_total_off_by_more_than_its_rounding_is_refused(ref_dir):
    # 2024 rows sum to 393,950 t; 380,000 is rounded to the ten thousand (±5,000): too far.
    line = set_cell(
        ref_dir / WORLD_FILE, reference.WORLD_ROW, "mine_production_2024_t_reo", "380000"
    )
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    match = [p for p in problems if p.column == "mine_production_2024_t_reo" and p.line == line]
    assert match and "393,950" in match[0].message and "±5,000" in match[0].message


def test_country_row_changed_breaks_the_3_digit_total(ref_dir):
    # 2023 total 376,000 is rounded to the thousand (±500); adding 1,000 t to India breaks it.
    set_cell(ref_dir / WORLD_FILE, "India", "mine_production_2023_t_reo", "3900")
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    assert any(
        p.column == "mine_production_2023_t_reo" and "377,090" in p.message for p in problems
    )


def test_reserves_below_the_more_than_bound_are_refused(ref_dir):
    set_cell(ref_dir / WORLD_FILE, "China", "reserves_t_reo", "34000000")
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    assert any(p.column == "reserves_t_reo" and "fall short of" in p.message for p in problems)


def test_missing_other_row_is_refused(ref_dir):
    set_cell(ref_dir / WORLD_FILE, reference.OTHER_ROW, "country", "Others")
    problems = problems_of(lambda: reference.load_usgs_world(ref_dir))
    assert any(p.column == "country" and "'Other'" in p.message for p in problems)


@pytest.mark.parametrize(
    ("constraint", "raw", "ok"),
    [
        ({"exclusiveMinimum": 0}, "0", False),
        ({"exclusiveMinimum": 0}, "0.01", True),
        ({"exclusiveMaximum": 100}, "100", False),
        ({"exclusiveMaximum": 100}, "99.9", True),
    ],
)
def test_schema_exclusive_bounds(tmp_path, constraint, raw, ok):
    (tmp_path / "t.csv").write_text(f"x\n{raw}\n", encoding="utf-8")
    resource = {
        "path": "t.csv",
        "schema": {"fields": [{"name": "x", "type": "number", "constraints": constraint}]},
    }
    if ok:
        assert read_table(tmp_path, resource)["x"].iloc[0] == float(raw)
    else:
        problems = problems_of(lambda: read_table(tmp_path, resource))
        assert problems[0].line == 2 and problems[0].column == "x"


# Consistency and shares ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "half_unit"),
    [(376_000, 500), (390_000, 5_000), (90_000_000, 5_000_000), (1_440, 5), (7, 0.5)],
)
def test_rounding_half_unit_reads_the_precision_from_the_total(total, half_unit):
    assert reference.rounding_half_unit(total) == half_unit


def test_real_totals_are_consistent_with_their_rows():
    checks = reference.world_total_checks(reference.load_usgs_world()).set_index("what")
    assert checks["passed"].all()
    assert checks.loc["mine production 2023", "sum_of_rows_t_reo"] == 376_090
    assert checks.loc["mine production 2024", "sum_of_rows_t_reo"] == 393_950
    assert checks.loc["reserves", "sum_of_rows_t_reo"] == 90_884_500
    assert checks.loc["reserves", "qualifier"] == "more than"


def test_shares_and_ranks_against_the_rounded_total():
    world = reference.load_usgs_world()
    reserves = reference.world_shares(world, "reserves").set_index("country")
    assert reserves.loc["India", "rank"] == 3
    assert reserves.loc["India", "share_pct"] == pytest.approx(6.9 / 90 * 100)
    assert list(reserves.index[:3]) == ["China", "Brazil", "India"]
    assert pd.isna(reserves.loc["Burma", "rank"]) and pd.isna(reserves.loc["Other", "rank"])
    mining = reference.world_shares(world, "mine_production", 2024).set_index("country")
    assert mining.loc["India", "share_pct"] == pytest.approx(2900 / 390_000 * 100)
    assert mining.loc["China", "share_pct"] == pytest.approx(270_000 / 390_000 * 100)
    # Ties share the best rank: Australia, Nigeria and Thailand each mined 13,000 t in 2024.
    assert set(mining.loc[["Australia", "Nigeria", "Thailand"], "rank"]) == {4}
    assert mining.loc["India", "rank"] == 7


def test_world_shares_refuses_unknown_year_and_measure():
    world = reference.load_usgs_world()
    with pytest.raises(ValueError, match=r"no mine production for year 2022.*\[2023, 2024\]"):
        reference.world_shares(world, "mine_production", 2022)
    with pytest.raises(ValueError, match="measure must be one of"):
        reference.world_shares(world, "processing", 2024)


def _figures(world: pd.DataFrame) -> dict:
    """Each figure of a long world table by (country, or the kind of its row), measure, year;
    NaN as None, so that a figure not available compares equal."""
    return {
        (r.country if r.row_kind == "country" else r.row_kind, r.measure, r.year, r.qualifier): (
            None if pd.isna(r.value_t_reo) else r.value_t_reo
        )
        for r in world.astype(object).itertuples()
    }


def test_usgs_reference_holds_the_shares_world_shares_computes():
    usgs = load_usgs_reference(ARTICLES_END)
    assert usgs.years == [2023, 2024] and usgs.origin["name"] == (
        "USGS Mineral Commodity Summaries 2025, January 2025"
    )
    # Built from the editions package, it states what the wide files of issue 1 state.
    assert _figures(usgs.world) == _figures(reference.load_usgs_world())
    for measure, year in (("reserves", None), ("mine_production", 2023), ("mine_production", 2024)):
        shares = reference.world_shares(usgs.world, measure, year)
        pd.testing.assert_frame_equal(usgs.world_shares(measure, year), shares)
        records = shares.to_dict("records")  # NaN-aware comparisons below: NaN != NaN
        pd.testing.assert_frame_equal(
            pd.DataFrame(usgs.figures(measure, year)), pd.DataFrame(records)
        )
        for row in records:
            assert pd.Series(usgs.country_figure(row["country"], measure, year)).equals(
                pd.Series(row)
            )
    # A copy each time: a caller changing its frame or dict changes nothing for the next one.
    changed = usgs.world_shares("reserves")
    changed.loc[0, "share_pct"] = -1.0
    usgs.country_figure("India", "reserves")["rank"] = 99
    assert usgs.world_shares("reserves").loc[0, "share_pct"] > 0
    assert usgs.country_figure("India", "reserves")["rank"] == 3


def test_usgs_reference_refuses_unknown_year_measure_and_country():
    usgs = load_usgs_reference(ARTICLES_END)
    with pytest.raises(ValueError, match=r"no mine production for year 2022.*\[2023, 2024\]"):
        usgs.country_figure("India", "mine_production", 2022)
    with pytest.raises(ValueError, match="measure must be one of"):
        usgs.world_shares("processing", 2024)
    with pytest.raises(KeyError, match="no country 'Atlantis'.*'India'"):
        usgs.country_figure("Atlantis", "reserves")
    assert usgs.oxide_price_usd_per_kg("Neodymium oxide", 2024) == 56
    assert usgs.oxide_price_usd_per_kg("Neodymium oxide", 2019) is None


# Claims check: each verdict at the defaults -------------------------------------------------

EXPECTED_2024 = {
    "jkc_india_reserves_rank": "agree",
    "msa_india_reserves_rank": "agree",
    "msa_india_reserves_share": "agree",
    "msa_india_mining_share": "agree",
    "sp_china_processing_share": "not comparable",
    "msa_china_processing_share": "not comparable",
    "ibns_irel_production_2024": "agree",
    # dollars of calendar 2025 over tonnes of FY2024-25: no unit value of either (issue 21)
    "msa_imports_value_2025 / ibns_magnet_imports_fy25": "not comparable",
}


def claims_check(reference_year=2024, thresholds=None, *, facts=None):
    """The claims check on the project's tables (or ``facts``) with its words, as the notebooks
    call it."""
    facts = load_facts() if facts is None else facts
    checked = checks.claims_check(
        reference_year, thresholds, facts=facts, usgs=load_usgs_reference(ARTICLES_END)
    )
    return claims_words(checked, load_sources())


@pytest.fixture(scope="module")
def table_2024() -> pd.DataFrame:
    return claims_check()


def test_claims_check_takes_its_tables_and_names_the_reference_by_its_origin():
    with pytest.raises(TypeError):
        checks.claims_check(2024)  # no hidden load of facts
    with pytest.raises(TypeError):  # nor of the USGS reference
        checks.claims_check(2024, facts=load_facts())
    assert short_citation(reference.origin()) == "USGS MCS 2025"


def test_each_verdict_at_the_defaults(table_2024):
    verdicts = dict(zip(table_2024["fact_id"], table_2024["verdict"].astype(str), strict=True))
    assert verdicts == EXPECTED_2024


def test_reference_figures_at_the_defaults(table_2024):
    ref = table_2024.set_index("fact_id")["reference_value"]
    assert ref["msa_india_reserves_rank"] == 3
    assert ref["msa_india_reserves_share"] == pytest.approx(7.667, abs=1e-3)
    assert ref["msa_india_mining_share"] == pytest.approx(0.7436, abs=1e-4)
    assert ref["sp_china_processing_share"] == pytest.approx(69.23, abs=1e-2)
    assert ref["ibns_irel_production_2024"] == 2900
    unit = table_2024.set_index("fact_id").loc["msa_imports_value_2025 / ibns_magnet_imports_fy25"]
    assert unit["claim_low"] == pytest.approx(221e6 / 53_748e3)
    assert unit["reference_value"] == pytest.approx(ND_MASS_FRACTION_ND2FE14B * 56)


def test_every_row_states_both_sources_a_definition_and_one_sentence(table_2024):
    assert set(table_2024["verdict"].astype(str)) <= set(VERDICTS)
    for row in table_2024.itertuples():
        assert row.claim_source and row.reference_source == "USGS MCS 2025"
        assert row.definition_note and row.reason.endswith(".") and row.reason.count(". ") == 0
        assert row.quote


def test_definition_differences_are_stated(table_2024):
    notes = table_2024.set_index("fact_id")["definition_note"]
    assert "not one company's output" in notes["ibns_irel_production_2024"]
    assert "not a share of mining" in notes["sp_china_processing_share"]
    assert "not of processing or of magnet making" in notes["msa_india_mining_share"]
    assert "not of magnet" in notes["msa_imports_value_2025 / ibns_magnet_imports_fy25"]


def test_nd_fraction_is_the_stoichiometry_of_nd2fe14b():
    assert ND_MASS_FRACTION_ND2FE14B == pytest.approx(0.2668, abs=1e-4)


def test_other_reference_year_changes_the_figures_not_the_verdicts():
    table = claims_check(2023).set_index("fact_id")
    assert table.loc["msa_india_mining_share", "reference_value"] == pytest.approx(
        2900 / 376_000 * 100
    )
    assert "2023" in table.loc["ibns_irel_production_2024", "definition_note"]
    verdicts = dict(zip(table.index, table["verdict"].astype(str), strict=True))
    assert verdicts == EXPECTED_2024


def test_thresholds_move_verdicts():
    # approximately 8% with a 4% tolerance allows 7.68-8.32; USGS's 7.67% is then only close.
    table = claims_check(thresholds=Thresholds(approx_tolerance=0.04)).set_index("fact_id")
    assert table.loc["msa_india_reserves_share", "verdict"] == "close"
    # With a value of the tonnage's own fiscal year (a unit value of one period): a magnet that
    # were pure neodymium oxide would need $56/kg, so $4.11/kg "disagree"s; with a tiny
    # neodymium fraction the floor falls below the implied value.
    facts = load_facts()
    facts.loc[facts["fact_id"] == "msa_imports_value_2025", ["period", "period_type"]] = [
        "FY2024-25",
        "fiscal_year",
    ]
    unit_value = "msa_imports_value_2025 / ibns_magnet_imports_fy25"
    table = claims_check(facts=facts).set_index("fact_id")
    assert table.loc[unit_value, "verdict"] == "disagree"
    table = claims_check(thresholds=Thresholds(nd_mass_fraction=0.05), facts=facts)
    assert table.set_index("fact_id").loc[unit_value, "verdict"] == "agree"


def test_claims_are_read_from_the_facts_table():
    facts = load_facts()
    facts.loc[facts["fact_id"] == "msa_india_reserves_share", "value"] = 20.0
    facts.loc[facts["fact_id"] == "jkc_india_reserves_rank", "value"] = 4.0
    facts.loc[facts["fact_id"] == "msa_india_reserves_rank", "value"] = 6.0
    table = claims_check(facts=facts).set_index("fact_id")
    assert table.loc["msa_india_reserves_share", "verdict"] == "disagree"
    assert table.loc["jkc_india_reserves_rank", "verdict"] == "close"
    assert table.loc["msa_india_reserves_rank", "verdict"] == "disagree"


@pytest.mark.parametrize("bad", [2022, 2025, "2024", 2024.0, True])
def test_bad_reference_year_is_refused_clearly(bad):
    with pytest.raises(ParameterError, match=r"parameter 'reference_year' = .* \[2023, 2024\]"):
        check_reference_year(bad, load_usgs_reference(ARTICLES_END))


def test_bad_threshold_is_refused_clearly():
    with pytest.raises(
        ParameterError, match="'close_fraction' = 1.5 is out of range: allowed 0 to 1"
    ):
        Thresholds(close_fraction=1.5)


def test_summary_and_headlines_are_computed(table_2024):
    counts = verdict_counts(table_2024)
    assert counts == {"agree": 5, "close": 0, "disagree": 0, "not comparable": 3}
    summary = verdict_summary(table_2024, 2024)
    assert summary.startswith(
        "Of 8 claims the USGS reference (2024) can test: 5 agree, 3 not comparable"
    )
    headlines = claims_headlines(table_2024)
    assert list(headlines.columns) == ["figure", "value", "period", "source"]
    assert len(headlines) == len(table_2024)


# Charts and the styled table ----------------------------------------------------------------


def _layers(spec: dict) -> list[dict]:
    found = []
    for key in ("layer", "hconcat", "vconcat"):
        for part in spec.get(key, []):
            found += _layers(part)
    return found or [spec]


def test_world_shares_chart_highlights_india_as_shares(table_2024):
    from magnet_watch.charts.reference import HIGHLIGHT_COLOUR, world_shares_chart
    from magnet_watch.notebook.display import chart_spec

    spec = chart_spec(world_shares_chart(load_usgs_reference(ARTICLES_END), year=2023))
    assert (
        chart_title(spec, "")
        == "India holds 7.7% of world rare-earth reserves but mined 0.77% in 2023"
    )
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "U.S. Geological Survey" in subtitle and "upper bounds" in subtitle
    bars = [layer for layer in _layers(spec) if layer["mark"]["type"] == "bar"]
    assert len(bars) == 2
    for bar in bars:
        assert bar["encoding"]["x"]["title"] == "Share of world total (%)"
        assert bar["encoding"]["color"]["condition"]["value"] == HIGHLIGHT_COLOUR
        assert {"Tonnes REO", "USGS note"} <= {t["title"] for t in bar["encoding"]["tooltip"]}


def test_india_shares_chart_draws_claims_as_intervals_with_their_sources(table_2024):
    from magnet_watch.charts.reference import india_shares_chart
    from magnet_watch.notebook.display import chart_spec

    spec = chart_spec(
        india_shares_chart(table_2024, load_usgs_reference(ARTICLES_END), sources=load_sources())
    )
    assert "about 10 times" in chart_title(spec, "")
    assert any("73-billion-rupee" in line for line in spec["title"]["subtitle"])  # the document
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["encoding"]["x2"]["field"] == "claim_high"
    assert {"Quote", "Source", "Verdict"} <= {t["title"] for t in rule["encoding"]["tooltip"]}
    claims = spec["datasets"][rule["data"]["name"]]
    less_than = next(c for c in claims if c["claim"] == "less than 1%")
    assert less_than["claim_mark"] == 1 and less_than["qualifier_shape"] == "triangle-down"


def test_claims_table_and_chart_name_both_sides(table_2024):
    from magnet_watch.charts.reference import (
        VERDICT_COLOURS,
        claims_styled_table,
        claims_verdict_chart,
    )
    from magnet_watch.notebook.display import chart_spec

    frame = claims_table(table_2024)
    assert list(frame.columns) == [
        "Check",
        "Claim",
        "Claim source",
        "Reference",
        "Reference source",
        "Verdict",
        "Why",
        "Definitions",
    ]
    assert frame["Reference source"].str.startswith("USGS MCS 2025").all()
    html = claims_styled_table(table_2024, load_usgs_reference(ARTICLES_END)).to_html()
    assert "not comparable" in html and VERDICT_COLOURS["not comparable"] in html
    spec = chart_spec(
        claims_verdict_chart(table_2024, load_usgs_reference(ARTICLES_END), load_sources())
    )
    assert chart_title(spec, "") == "Of 8 claims USGS can test: 5 agree, 3 not comparable"
    assert spec["encoding"]["color"]["scale"]["domain"] == list(VERDICTS)


def test_every_claims_label_shows_its_source_ids_whole(table_2024):
    # The derived claim's label is longer than its axis: it goes on two lines, never cut
    # ("(magnet-scheme-app…" hid its second document).
    from magnet_watch.charts.reference import claims_verdict_chart, verdict_rows
    from magnet_watch.notebook.chart_render import render_here
    from magnet_watch.notebook.display import chart_spec

    spec = chart_spec(
        claims_verdict_chart(table_2024, load_usgs_reference(ARTICLES_END), load_sources())
    )
    svg = render_here(spec, png=False)[0]
    assert "…" not in svg
    for label in verdict_rows(table_2024)["row"]:
        ids = label[label.rindex(" (") + 1 :]
        assert f">{ids}<" in svg or f"{ids}</text>" in svg, ids


def test_charts_name_the_reference_they_are_given(table_2024):
    # No hidden load of the origin record: a reference under another name is named so.
    from magnet_watch.charts.reference import (
        claims_styled_table,
        claims_verdict_chart,
        india_bar_data,
        world_shares_chart,
    )
    from magnet_watch.notebook.display import chart_spec

    usgs = load_usgs_reference(ARTICLES_END)
    record = {
        **usgs.origin,
        "producer": "Geological Survey of Somewhere (GSS)",
        "publication": "Mineral Year Book 2031, chapter 7",
        "citation": "GSS, MYB 2031",
    }
    renamed = UsgsReference(usgs.world, usgs.prices, record)
    for chart in (
        world_shares_chart(renamed),
        claims_verdict_chart(table_2024, renamed, load_sources()),
    ):
        subtitle = " ".join(chart_spec(chart)["title"]["subtitle"])
        assert "Reference: GSS, MYB 2031" in subtitle and "U.S. Geological Survey" not in subtitle
    assert set(india_bar_data(renamed, 2024)["source"]) == {"GSS MYB 2031"}
    assert (
        "against GSS Mineral Year Book 2031" in claims_styled_table(table_2024, renamed).to_html()
    )


def test_claims_check_section_shows_prose_charts_and_table(monkeypatch, table_2024):
    from magnet_watch.notebook import claims_section

    findings, shown, names = [], [], []
    monkeypatch.setattr(claims_section, "show_findings", findings.append)
    monkeypatch.setattr(claims_section, "display", shown.append)
    monkeypatch.setattr(claims_section, "show_chart", lambda chart, name: names.append(name))
    result = claims_section.claims_check_section(
        table_2024,
        load_usgs_reference(ARTICLES_END),
        load_sources(),
        2024,
        name_prefix="market_share",
    )
    assert names == ["market_share_india_shares", "market_share_claims_verdicts"]
    assert findings[0].startswith("Of 8 claims the USGS reference (2024) can test")
    assert len(shown) == 1  # the styled claims table
    assert result is table_2024


def test_claims_of_a_tested_kind_added_to_the_facts_are_checked_too():
    # The documents state no number for China's share of mining or India's national output
    # today; a curated fact of either kind is picked up by metric and subject, and checked.
    facts = load_facts()
    template = facts[facts["fact_id"] == "msa_india_mining_share"].iloc[0].to_dict()
    added = [
        {
            **template,
            "fact_id": "x_china_mining",
            "subject": "China",
            "value": 70.0,
            "qualifier": "approximately",
        },
        {
            **template,
            "fact_id": "x_india_output",
            "metric": "re_production",
            "unit": "t",
            "value": None,
            "low": 2000.0,
            "high": 9000.0,
            "qualifier": "stated",
        },
        {
            **template,
            "fact_id": "x_china_mining_low",
            "subject": "China",
            "value": 40.0,
            "qualifier": "stated",
        },
    ]
    facts = pd.concat([facts, pd.DataFrame(added)], ignore_index=True)
    table = claims_check(facts=facts).set_index("fact_id")
    assert table.loc["x_china_mining", "verdict"] == "agree"  # 69.2% within 70% ± 5%
    assert table.loc["x_china_mining", "check"] == "China's share of world mine production"
    assert table.loc["x_india_output", "verdict"] == "agree"  # 2,900 t within 2,000-9,000 t
    assert table.loc["x_china_mining_low", "verdict"] == "disagree"


def test_consistency_table_writes_tonnes_and_keeps_the_qualifier():
    table = reference.world_total_table(reference.world_total_checks(reference.load_usgs_world()))
    reserves = table[table["world total"] == "reserves"].iloc[0]
    assert reserves["stated (t REO)"] == "more than 90,000,000"
    assert reserves["sum of the rows (t REO)"] == "90,884,500"
    assert list(table["consistent"]) == ["yes", "yes", "yes"]
