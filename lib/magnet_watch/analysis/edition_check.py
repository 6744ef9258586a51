"""The claims about India's USGS figures, checked against two editions side by side.

A claim the articles make about India's rare-earth reserves (rank, share of the world) or
mining (share of world mine production) is checked against the edition of USGS's Mineral
Commodity Summaries current when its article was published *and* against the latest edition
in the record as of the as-of date (``data.editions.Editions``: each edition as its latest
version then). ``edition_verdicts`` returns one row per claim and edition, never merging
them: the verdict ("agree", "close", "disagree", or "not available" when the edition prints
no figure for India) with the figures behind it. Numbers only: words are in
``magnet_watch.narrative.edition_check``.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.checks.claims_check import Thresholds
from magnet_watch.analysis.checks.verdicts import interval_verdict, rank_verdict
from magnet_watch.data.editions import WORLD_TOTAL, Editions
from magnet_watch.data.public_dates import PUBLIC_FROM

# The claims-check metrics read against an edition, with the USGS measure each compares with.
EDITION_METRICS = {
    "reserves_rank": "reserves",
    "reserves_share": "reserves",
    "mining_share": "mine_production",
}
NOT_AVAILABLE = "not available"
COLUMNS = [
    "fact_id",
    "metric",
    "claim_source_id",
    "role",
    "edition",
    "version",
    "title",
    "measure",
    "year",
    "india_t",
    "world_t",
    "india_status",
    "value",
    "verdict",
]


def _year(rows: pd.DataFrame, measure: str, reference_year: int) -> int:
    years = sorted(set(rows.loc[rows["measure"] == measure, "year"].astype(int)))
    return reference_year if measure != "reserves" and reference_year in years else years[-1]


def _figure(
    editions: Editions,
    edition: str,
    metric: str,
    claim: pd.Series,
    reference_year: int,
    thresholds: Thresholds,
) -> dict:
    version = editions.latest_version(edition)
    rows = editions.world[
        (editions.world["edition"] == edition) & (editions.world["version"] == version)
    ]
    measure = EDITION_METRICS[metric]
    year = _year(rows, measure, reference_year)
    table = rows[(rows["measure"] == measure) & (rows["year"] == year)]
    india = table[table["country"] == "India"].iloc[0]
    world = float(table.loc[table["country"] == WORLD_TOTAL, "value_t_reo"].iloc[0])
    found = {
        "edition": edition,
        "version": version,
        "title": editions.titles[edition],
        "measure": measure,
        "year": year,
        "india_t": india["value_t_reo"],
        "world_t": world,
        "india_status": india["status"],
        "value": float("nan"),
        "verdict": NOT_AVAILABLE,
    }
    if pd.isna(india["value_t_reo"]):
        return found
    if metric == "reserves_rank":
        countries = table[(table["country"] != WORLD_TOTAL) & table["value_t_reo"].notna()]
        rank = int((countries["value_t_reo"] > india["value_t_reo"]).sum()) + 1
        verdict = rank_verdict(rank, int(claim["claim_value"]), thresholds.close_rank_difference)
        return {**found, "value": rank, "verdict": verdict}
    share = 100 * float(india["value_t_reo"]) / world
    verdict = interval_verdict(
        (claim["claim_low"], claim["claim_high"]), (share, share), thresholds.close_fraction
    )
    return {**found, "value": share, "verdict": verdict}


def edition_verdicts(
    checked: pd.DataFrame,
    editions: Editions,
    sources: pd.DataFrame,
    reference_year: int,
    thresholds: Thresholds,
) -> pd.DataFrame:
    """Return each claim of ``checked`` (``claims_check``'s frame) about India's reserves or
    mining against the edition current when its article was published (role "article") and
    the latest edition in ``editions`` (role "latest"; the same edition gives one row with
    role "article and latest"). ``sources`` dates the articles (``public_from``)."""
    public = dict(zip(sources["source_id"], sources[PUBLIC_FROM], strict=True))
    latest = editions.current(editions.versions[PUBLIC_FROM].max())["edition"]
    rows = []
    for _, claim in checked.iterrows():
        metric = claim["context"].get("metric") if isinstance(claim["context"], dict) else None
        if metric not in EDITION_METRICS or claim["context"].get("subject") != "India":
            continue
        current = editions.current(public[str(claim["claim_source_id"])])
        then = None if current is None else str(current["edition"])
        roles = (
            {then: "article", latest: "latest"}
            if then != latest
            else {latest: "article and latest"}
        )
        for edition, role in roles.items():
            if edition is None:
                continue
            figure = _figure(editions, edition, metric, claim, reference_year, thresholds)
            rows.append(
                {
                    "fact_id": claim["fact_id"],
                    "metric": metric,
                    "claim_source_id": claim["claim_source_id"],
                    "role": role,
                    **figure,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
