"""Market shares: world magnet production split, China's processing share, India's reserves vs mining.

Every number is a curated fact, named (``data.fact_ids.NamedFacts``, looked up once) or read
from the facts table by metric and subject; shares are percent (``_pct``).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.lookups import facts_for, format_quantity

SPLIT_COLUMNS = ["subject", "low_pct", "high_pct", "value_text", "fact_ids", "how"]
EVERYONE_ELSE = "everyone else"


def _share_range(row: pd.Series) -> tuple[float, float]:
    """Return a share fact as (low, high) percent: a single figure is its own range."""
    if pd.notna(row["value"]):
        return float(row["value"]), float(row["value"])
    return float(row["low"]), float(row["high"])


def magnet_market_split(named: NamedFacts) -> pd.DataFrame:
    """Return world magnet production shares: China, Japan and everyone else (percent, as ranges).

    China's 90% is a single figure; Japan's is 8-9%, so the remainder is
    100 - 90 - 9 to 100 - 90 - 8, i.e. a range. Columns (``SPLIT_COLUMNS``): subject,
    low_pct, high_pct, value_text, fact_ids (a list of the facts each row rests on),
    how (stated or derived).
    """
    rows, lows, highs = [], [], []
    shares = (named.china_magnet_share, named.japan_magnet_share)
    ids = [str(row["fact_id"]) for row in shares]
    for row, fact_id in zip(shares, ids, strict=True):
        low, high = _share_range(row)
        lows.append(low)
        highs.append(high)
        rows.append((row["subject"], low, high, format_quantity(row), [fact_id], "stated"))
    rest_low, rest_high = 100 - sum(highs), 100 - sum(lows)
    rest_text = f"{rest_low:g}–{rest_high:g}%" if rest_low != rest_high else f"{rest_low:g}%"
    rows.append(
        (EVERYONE_ELSE, rest_low, rest_high, rest_text, ids, "derived: 100% minus China and Japan")
    )
    return pd.DataFrame(rows, columns=SPLIT_COLUMNS)


def processing_claims(facts: pd.DataFrame) -> pd.DataFrame:
    """Return every claim of China's share of rare-earth processing, one row per source.

    The documents disagree (about 85% of capacity; over 90% of rare earths
    processed): every row is returned, never averaged.
    """
    return facts_for("processing_share", "China", facts=facts).reset_index(drop=True)


def reserves_vs_mining(named: NamedFacts, facts: pd.DataFrame) -> dict:
    """Return India's share of world reserves and of mining (percent) and how they compare.

    Keys: reserves_pct, reserves_text, mining_pct_below, mining_text, ratio_more_than,
    reserves_rank (sorted ranks), rank_sources, fact_ids. Reserves are "approximately
    8%", mining "less than 1%": the reserves share is more than ``ratio_more_than``
    (8 / 1) times the mining share.
    """
    reserves, mining = named.india_reserves_share, named.india_mining_share
    ranks = facts_for("reserves_rank", "India", facts=facts)
    return {
        "reserves_pct": float(reserves["value"]),
        "reserves_text": format_quantity(reserves),
        "mining_pct_below": float(mining["value"]),
        "mining_text": format_quantity(mining),
        "ratio_more_than": float(reserves["value"]) / float(mining["value"]),
        "reserves_rank": sorted({int(v) for v in ranks["value"]}),
        "rank_sources": sorted(str(s) for s in ranks["source_id"]),
        "fact_ids": (str(reserves["fact_id"]), str(mining["fact_id"])),
    }
