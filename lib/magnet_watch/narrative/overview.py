"""The overview notebook in words: its headline table and the timeline's finding."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.timeline import Timeline
from magnet_watch.data.fact_ids import (
    CHINA_IMPORT_SHARE_FACT,
    CHINA_MAGNET_SHARE_FACT,
    IMPORTS_TONNES_FACT,
    IREL_ND_CAPACITY_FACT,
    IREL_ND_TARGET_FACT,
    MAGNET_TARGET_FACT,
    SCHEME_OUTLAY_INR_FACT,
    SCHEME_OUTLAY_USD_FACT,
)
from magnet_watch.narrative.headlines import fact_headline, headline_frame

OVERVIEW_HEADLINE_FACTS = [
    (MAGNET_TARGET_FACT, "National magnet production target"),
    (SCHEME_OUTLAY_INR_FACT, "Magnet scheme outlay (rupees)"),
    (SCHEME_OUTLAY_USD_FACT, "Magnet scheme outlay (dollars, the article's conversion)"),
    (IREL_ND_CAPACITY_FACT, "IREL neodymium capacity"),
    (IREL_ND_TARGET_FACT, "IREL neodymium output target"),
    (IMPORTS_TONNES_FACT, "Rare-earth magnet imports"),
    (CHINA_IMPORT_SHARE_FACT, "Share of magnets and related materials imported from China"),
    (CHINA_MAGNET_SHARE_FACT, "China's share of world magnet production"),
]


def overview_headlines(facts: pd.DataFrame) -> pd.DataFrame:
    """Return the overview's headline table: the key curated figures, as written, with sources."""
    return headline_frame(
        [fact_headline(i, figure, facts) for i, figure in OVERVIEW_HEADLINE_FACTS]
    )


def timeline_summary(timeline: Timeline) -> str:
    """Return the timeline's finding in words (Markdown)."""
    events, groups = timeline.events, timeline.groups
    multi = events.groupby("event_group")["source_id"].nunique()
    text = (f"The timeline shows **{len(groups)} events** from {timeline.start.year} to "
            f"{timeline.end.year}, reported in {len(events)} rows by "
            f"{events['source_id'].nunique()} documents; **{int((multi > 1).sum())}** events are "
            "reported by more than one document.")  # fmt: skip
    if timeline.include_future:
        text += (
            f" **{int(timeline.is_future.sum())}** of the events are plans, targets or projections."
        )
    else:
        text += " Plans, targets and projections are hidden (include_future = False)."
    return text


def timeline_title(n_events: int, n_future: int, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Return the timeline chart's finding: how many events, and how many are still ahead."""
    return (f"{n_events} dated events from {start.year} to {end.year}; "
            f"{n_future} of them are plans, targets or projections still ahead")  # fmt: skip
