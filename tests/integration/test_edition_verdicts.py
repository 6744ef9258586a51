"""A claim about India's USGS figures is checked against the edition current when its article
was written and against the latest edition as of the as-of date: both verdicts shown."""

from __future__ import annotations

import pytest

from magnet_watch.analysis.checks.claims_check import Thresholds, claims_check
from magnet_watch.analysis.edition_check import edition_verdicts
from magnet_watch.data.record_view import view_as_of
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.narrative.edition_check import edition_sentences

pytestmark = pytest.mark.xdist_group("report_builds")

THRESHOLDS = Thresholds(approx_tolerance=0.05)


def _verdicts(as_of):
    view = view_as_of(as_of)
    checked = claims_check(2024, THRESHOLDS, facts=view.facts, usgs=load_usgs_reference())
    return edition_verdicts(checked, view.record.editions, view.sources, 2024, THRESHOLDS)


def test_a_reserves_claim_is_checked_against_both_editions_and_shows_both_verdicts():
    verdicts = _verdicts(None).set_index(["fact_id", "role"])
    then = verdicts.loc[("msa_india_reserves_share", "article")]
    now = verdicts.loc[("msa_india_reserves_share", "latest")]
    assert (then["edition"], then["verdict"]) == ("mcs2025", "agree")
    assert then["value"] == pytest.approx(100 * 6_900_000 / 90_000_000)
    assert (now["edition"], now["version"], now["verdict"]) == ("mcs2026", "1.3", "not available")
    sentences = edition_sentences(_verdicts(None), view_as_of(None).sources)
    sentence = sentences.set_index("claim").loc["India's reserves, share of the world"]
    assert not sentence["source"].startswith("magnet-")  # publisher and date, not the id
    assert sentence["against the USGS editions"] == (
        "agrees with MCS 2025 (version 1.0): 7.7% (2024), current when the article was written; "
        "MCS 2026 (version 1.3) lists India's reserves (2025) as not available, the latest edition"
    )


def test_a_figure_both_editions_state_gets_a_verdict_from_each():
    verdicts = _verdicts(None).set_index(["fact_id", "role"])
    then = verdicts.loc[("msa_india_mining_share", "article")]
    now = verdicts.loc[("msa_india_mining_share", "latest")]
    assert then["world_t"] == 390_000 and now["world_t"] == 380_000  # MCS 2026 revised 2024 down
    assert then["verdict"] == now["verdict"] == "agree"


def test_as_of_the_end_of_the_articles_the_2025_edition_is_the_only_one():
    verdicts = _verdicts("2025-11-30")
    assert set(verdicts["edition"]) == {"mcs2025"}
    assert set(verdicts["role"]) == {"article and latest"}


def test_the_default_build_shows_mcs_2026_figures_beside_mcs_2025(project_build):
    out, _ = project_build
    page = (out / "05_claims_check.html").read_text(encoding="utf-8")
    assert "MCS 2026 (version 1.3) lists India's reserves (2025) as not available" in page
    assert "current when the article was written" in page
