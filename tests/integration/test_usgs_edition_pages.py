"""The USGS edition current at the page's date drives 04 and 05: at the default date (the latest
in the record) the pages and their chart files show MCS 2026 version 1.3's figures (world mine
production 2024: 380,000 t; India's reserves not available, in words, never 0) and name it.
The build as of the end of the articles (MCS 2025, 390,000 t) is tested in
test_as_of_parameter.py, which builds it."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.xdist_group("report_builds")

MCS_2026_V13 = "USGS Mineral Commodity Summaries 2026, version 1.3, May 2026"


def _chart_rows(out, name: str) -> pd.DataFrame:
    """Every data file of a chart (``name``.csv, ``name``.2.csv, ...) as one table."""
    files = sorted((out / "charts").glob(f"{name}*.csv"))
    assert files, name
    return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])


def test_the_default_build_shows_mcs_2026_figures_and_names_the_edition(project_build):
    out, _ = project_build
    claims = (out / "05_claims_check.html").read_text(encoding="utf-8")
    market = (out / "04_market_share.html").read_text(encoding="utf-8")
    for page in (claims, market):
        assert MCS_2026_V13 in page
        assert "lists India&#39;s reserves as not available" in page
    # 05's world totals: mine production 2024 is 380,000 t in MCS 2026 (390,000 t in MCS 2025)
    assert "<td>mine production 2024</td>\n      <td>380,000</td>" in claims
    world = _chart_rows(out, "reference_world_shares")
    production = world[world["panel"] == "Mine production 2024"]
    assert set(production["world_total_t_reo"]) == {"380000.0"}
    india = world[(world["panel"] == "Reserves") & (world["country"] == "India")]
    assert list(india["share_text"]) == ["not available"] and list(india["share_pct"]) == [""]
    assert "monazite" in india["note"].iloc[0]  # the edition's footnote, in words


def test_the_default_build_never_states_india_third_by_reserves_as_current(project_build):
    out, _ = project_build
    market = (out / "04_market_share.html").read_text(encoding="utf-8")
    assert "The documents say India holds about 8%" in market
    assert "MCS 2025 ranked India&#39;s reserves the world&#39;s third-largest" in market
    bars = pd.read_csv(out / "charts" / "reference_india_shares.csv", dtype=str)
    reserves = bars[bars["measure"] == "Share of world reserves"]
    assert list(reserves["share_text"]) == ["not available"]
    assert reserves["share_pct"].isna().all()  # no share, and never a 0
