"""The overview notebook in words: its headline table and the timeline's finding."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.timeline import Timeline
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.narrative.headlines import headline_frame, row_headline

# The overview's headline facts, in order: (name in NamedFacts, the figure's label).
OVERVIEW_HEADLINE_FACTS = [
    ("magnet_target", "National magnet production target"),
    ("scheme_outlay_inr", "Magnet scheme outlay (rupees)"),
    ("scheme_outlay_usd", "Magnet scheme outlay (dollars, the article's conversion)"),
    ("irel_nd_capacity", "IREL capacity, as neodymium (later reporting: NdPr oxide)"),
    ("irel_nd_target", "IREL neodymium output target"),
    ("imports_tonnes", "Permanent magnet imports, all kinds (the article says rare-earth magnets)"),
    ("china_import_share", "Share of magnets and related materials imported from China"),
    ("china_magnet_share", "China's share of world magnet production"),
]


def overview_headlines(named: NamedFacts) -> pd.DataFrame:
    """Return the overview's headline table: the key curated figures, as written, with sources."""
    return headline_frame(
        [row_headline(getattr(named, name), figure) for name, figure in OVERVIEW_HEADLINE_FACTS]
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
