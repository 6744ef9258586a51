"""The claims about India's USGS figures against two editions, in words: both verdicts shown,
"agrees with MCS 2025, current when the article was written; MCS 2026 lists India's reserves
as not available". Reads ``analysis.edition_check.edition_verdicts``."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.edition_check import NOT_AVAILABLE
from magnet_watch.data.lookups import source_label
from magnet_watch.text import formats as fmt

VERBS = {"agree": "agrees with", "close": "is close to", "disagree": "disagrees with"}
MEASURE_WORDS = {"reserves": "India's reserves", "mine_production": "India's mine production"}


def _short(title: str) -> str:
    return "MCS " + title.split()[-1]  # "Mineral Commodity Summaries 2026" -> "MCS 2026"


def _part(row) -> str:
    name = f"{_short(row['title'])} (version {row['version']})"
    if row["verdict"] == NOT_AVAILABLE:
        return f"{name} lists {MEASURE_WORDS[row['measure']]} ({row['year']}) as not available"
    figure = (
        f"rank {row['value']:.0f}"
        if row["metric"] == "reserves_rank"
        else fmt.percent(row["value"])
    )
    return f"{VERBS[row['verdict']]} {name}: {figure} ({row['year']})"


def _claim_words(row) -> str:
    """Return what a claim states, in words: "India's reserves, share of the world"."""
    what = "rank in the world" if row["metric"] == "reserves_rank" else "share of the world"
    return f"{MEASURE_WORDS[row['measure']]}, {what}"


def edition_sentences(verdicts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Return one row per claim: what it states, its source (publisher and date, from
    ``sources``) and its two verdicts in one sentence; no id (the page's collapsed section
    lists those)."""
    rows = []
    for _fact_id, group in verdicts.groupby("fact_id", sort=False):
        parts = []
        for _, row in group.iterrows():
            text = _part(row)
            if row["role"] == "article":
                text += ", current when the article was written"
            elif row["role"] == "article and latest":
                text += ", current when the article was written and still the latest"
            else:
                text += ", the latest edition"
            parts.append(text)
        first = group.iloc[0]
        rows.append(
            {
                "claim": _claim_words(first),
                "source": source_label(first["claim_source_id"], sources),
                "against the USGS editions": "; ".join(parts),
            }
        )
    return pd.DataFrame(rows, columns=["claim", "source", "against the USGS editions"])
