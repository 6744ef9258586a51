"""The USGS reference at a date: the edition (and version) current then drives every figure,
chart and claim verdict; a figure the edition prints as not available stays not available (in
words, never 0); pages name the edition and version they use."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.tables import problems_of

from magnet_watch.analysis.checks.claims_check import claims_check
from magnet_watch.charts.market import reserves_mining_chart
from magnet_watch.charts.reference import india_shares_chart, shares_frame, world_shares_chart
from magnet_watch.data import editions as ed
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import reserves_facts
from magnet_watch.data.load import load_facts, load_sources
from magnet_watch.data.record_view import view_as_of
from magnet_watch.data.usgs import load_usgs_reference, reserves_by_edition
from magnet_watch.narrative.claims import claims_words
from magnet_watch.narrative.market import reserves_summary, usgs_reserves_words
from magnet_watch.notebook.display import chart_spec
from magnet_watch.notebook.outputs import chart_title

ARTICLES_END = "2025-11-30"  # the end of the articles: MCS 2025 is current then
MCS_2026_V13 = "USGS Mineral Commodity Summaries 2026, version 1.3, May 2026"
MCS_2025 = "USGS Mineral Commodity Summaries 2025, January 2025"


@pytest.fixture(scope="module")
def latest():
    return load_usgs_reference()


@pytest.fixture(scope="module")
def then():
    return load_usgs_reference(ARTICLES_END)


def test_at_the_latest_date_the_reference_is_mcs_2026_version_1_3(latest):
    assert latest.origin["name"] == MCS_2026_V13
    assert (latest.origin["edition"], latest.origin["version"]) == ("mcs2026", "1.3")
    assert latest.years == [2024, 2025]
    india = latest.country_figure("India", "mine_production", 2024)
    assert india["world_total_t_reo"] == 380_000  # MCS 2025 said 390,000 for the same year
    assert india["value_t_reo"] == 2_900
    # v1.3's revision: world reserves more than 75,000,000 t (v1.0-1.2: more than 85,000,000 t)
    china = latest.country_figure("China", "reserves")
    assert china["world_total_t_reo"] == 75_000_000 and china["world_qualifier"] == "more than"


def test_at_the_latest_date_india_reserves_are_not_available_never_zero(latest):
    india = latest.country_figure("India", "reserves")
    assert math.isnan(india["value_t_reo"]) and math.isnan(india["share_pct"])
    assert pd.isna(india["rank"])
    assert "monazite reserves of 256,000 t" in india["note"]  # the edition's footnote, kept
    row = latest.world[
        (latest.world["country"] == "India") & (latest.world["measure"] == "reserves")
    ]
    assert list(row["status"]) == ["not_available"]


def test_as_of_the_end_of_the_articles_the_reference_is_mcs_2025_as_before(then):
    assert then.origin["name"] == MCS_2025
    assert then.years == [2023, 2024]
    india = then.country_figure("India", "reserves")
    assert (india["value_t_reo"], india["rank"]) == (6_900_000, 3)
    assert then.country_figure("India", "mine_production", 2024)["world_total_t_reo"] == 390_000
    assert then.oxide_price_usd_per_kg("Neodymium oxide", 2024) == 56
    text = json.dumps(then.origin) + then.world.to_csv() + then.prices.to_csv()
    assert "2026" not in text  # nothing of the later edition, not even its notes


@pytest.mark.parametrize(
    "day, version, world_reserves",
    [
        ("2026-02-05", None, 90_000_000),  # the day before MCS 2026: still MCS 2025
        ("2026-02-06", "1.0", 85_000_000),
        ("2026-03-05", "1.1", 85_000_000),
        ("2026-04-15", "1.2", 85_000_000),
        ("2026-05-27", "1.3", 75_000_000),
    ],
)
def test_each_version_drives_the_reference_from_its_release_day(day, version, world_reserves):
    usgs = load_usgs_reference(day)
    if version is None:
        assert usgs.origin["name"] == MCS_2025
    else:
        assert usgs.origin["version"] == version
        assert f"Summaries 2026, version {version}, " in usgs.origin["name"]
    assert usgs.country_figure("China", "reserves")["world_total_t_reo"] == world_reserves


def test_a_date_before_any_edition_is_refused_naming_the_first():
    with pytest.raises(ValueError, match="no USGS edition was public on 2024-06-01; the first is"):
        load_usgs_reference("2024-06-01")


def test_a_bad_editions_package_is_refused_naming_file_line_and_column(tmp_path: Path):
    folder = tmp_path / "usgs-mcs-rare-earths"
    shutil.copytree(ed.EDITIONS_DIR, folder)
    path = folder / "mcs2025_world.csv"
    path.write_text(
        path.read_text().replace("India,reserves,2024,6900000", "India,reserves,2024,lots")
    )
    problems = problems_of(lambda: load_usgs_reference(directory=folder))
    assert any(p.file.endswith("mcs2025_world.csv") and p.column == "value_t_reo" for p in problems)
    assert all(p.line for p in problems if p.file.endswith("mcs2025_world.csv"))


def test_the_claims_on_india_reserves_are_not_comparable_against_mcs_2026(latest, then):
    facts, sources = load_facts(), load_sources()
    now = claims_words(claims_check(2024, facts=facts, usgs=latest), sources)
    reserves = now[now["metric"].isin(["reserves_rank", "reserves_share"])]
    assert len(reserves) == 3
    assert set(reserves["verdict"].astype(str)) == {"not comparable"}
    assert set(reserves["reference"]) == {"not available"}
    assert all(
        f"{MCS_2026_V13} lists India's reserves as not available" in r for r in reserves["reason"]
    )
    assert set(reserves["reference_period"]) == {"reserves, 2026 edition"}
    before = claims_words(claims_check(2024, facts=facts, usgs=then), sources)
    old = before[before["metric"].isin(["reserves_rank", "reserves_share"])]
    assert set(old["verdict"].astype(str)) == {"agree"}


def test_the_world_shares_chart_shows_india_reserves_as_not_available_and_names_the_edition(
    latest,
):
    reserves = shares_frame(latest, 2024).query("panel == 'Reserves'").set_index("country")
    assert reserves.loc["India", "share_text"] == "not available"
    assert math.isnan(reserves.loc["India", "share_pct"])  # no bar, and never a 0
    spec = chart_spec(world_shares_chart(latest, 2024))
    assert chart_title(spec, "").startswith(
        "USGS MCS 2026 v1.3 lists India's reserves as not available; India mined 0.76% in 2024"
    )
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "more than 75,000,000 t" in subtitle and MCS_2026_V13 in subtitle


def test_the_india_chart_says_why_no_share_of_reserves_can_be_computed(latest):
    facts, sources = load_facts(), load_sources()
    table = claims_words(claims_check(2024, facts=facts, usgs=latest), sources)
    spec = chart_spec(india_shares_chart(table, latest, 2024, sources=sources))
    assert chart_title(spec, "").startswith(
        "USGS MCS 2026 v1.3 lists India's reserves as not available: no share of world reserves;"
    )
    words = [layer for layer in spec["layer"] if layer["mark"].get("fontStyle") == "italic"]
    assert [row["share_text"] for row in spec["datasets"][words[0]["data"]["name"]]] == [
        "not available"
    ]


def test_as_of_the_end_of_the_articles_no_chart_mentions_the_later_edition(then):
    facts, sources = load_facts(), load_sources()
    table = claims_words(claims_check(2024, facts=facts, usgs=then), sources)
    for chart in (
        world_shares_chart(then, 2024),
        india_shares_chart(table, then, 2024, sources=sources),
    ):
        text = json.dumps(chart_spec(chart))
        assert "2026" not in text and MCS_2025 in text


def test_india_reserves_are_worded_edition_by_edition_at_the_page_date():
    now = reserves_by_edition(view_as_of(None).record.editions, "India")
    assert usgs_reserves_words(now).startswith(
        "MCS 2025 ranked India's reserves the world's third-largest; "
        f"{MCS_2026_V13} lists India's reserves as not available (footnote 14"
    )
    then = reserves_by_edition(view_as_of(ARTICLES_END).record.editions, "India")
    assert usgs_reserves_words(then) == (
        f"{MCS_2025} gives India the world's third-largest reserves (7.7% of the world total, "
        "an upper bound)."
    )


def test_the_reserves_finding_of_04_is_the_documents_word_when_usgs_lists_none():
    facts, sources = load_facts(), load_sources()
    now = reserves_by_edition(view_as_of(None).record.editions, "India")
    spec = chart_spec(reserves_mining_chart(reserves_facts(facts), sources, now))
    assert chart_title(spec, "").startswith("The documents say India holds about 8%")
    assert "MCS 2025 ranked India's reserves" in " ".join(spec["title"]["subtitle"])
    then = reserves_by_edition(view_as_of(ARTICLES_END).record.editions, "India")
    spec = chart_spec(reserves_mining_chart(reserves_facts(facts), sources, then))
    assert chart_title(spec, "").startswith("India holds about 8%")
    summary = reserves_summary(NamedFacts.from_facts(facts), facts, now)
    assert "lists India's reserves as not available" in summary
