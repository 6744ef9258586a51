"""The overview notebook in words: its headline table and the timeline's finding.

A plan, target or projection counts as still ahead only while its date has not passed by the
as-of date (``magnet_watch.analysis.plans``); one whose date has passed with no outcome
recorded is "due <date>, outcome not reported"."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.plans import PlansAsOf, plans_as_of
from magnet_watch.analysis.timeline import Timeline
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.narrative.as_of import due_words, plan_headline
from magnet_watch.narrative.headlines import headline_frame
from magnet_watch.text.periods import day_words

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


def overview_headlines(named: NamedFacts, plans: PlansAsOf | None = None) -> pd.DataFrame:
    """Return the overview's headline table: the key curated figures, as written, with sources.
    A plan whose date has passed by the as-of date of ``plans`` (default: the latest date in
    the record) with no outcome recorded has the period "due <date>, outcome not reported"."""
    plans = plans_as_of() if plans is None else plans
    return headline_frame(
        [
            plan_headline(getattr(named, name), figure, plans)
            for name, figure in OVERVIEW_HEADLINE_FACTS
        ]
    )


def plans_words(n_ahead: int, n_due: int, as_of: pd.Timestamp) -> str:
    """Return how many plans, targets and projections are still ahead at ``as_of``, and how
    many were due by then with no outcome reported."""
    text = f"{n_ahead} of them are plans, targets or projections still ahead on {day_words(as_of)}"
    if n_due:
        text += (
            f", and {n_due} {'was' if n_due == 1 else 'were'} due by then with no outcome reported"
        )
    return text


def timeline_summary(timeline: Timeline, plans: PlansAsOf | None = None) -> str:
    """Return the timeline's finding in words (Markdown). A plan counts as still ahead only
    while its date has not passed by the as-of date of ``plans`` (default: the latest date in
    the record); one whose date has passed with no outcome recorded is named as due."""
    events, groups = timeline.events, timeline.groups
    multi = events.groupby("event_group")["source_id"].nunique()
    text = (
        f"The timeline shows **{len(groups)} events** from {timeline.start.year} to "
        f"{timeline.end.year}, reported in {len(events)} rows by "
        f"{events['source_id'].nunique()} documents; **{int((multi > 1).sum())}** events are "
        "reported by more than one document."
    )
    if not timeline.include_future:
        return text + " Plans, targets and projections are hidden (include_future = False)."
    plans = plans_as_of() if plans is None else plans
    is_plan = events["status"].astype(str).isin(timeline.future_statuses)
    ahead = events[is_plan & (events["date_end"] >= plans.as_of)]["event_group"].nunique()
    due = events[
        is_plan
        & (events["date_end"] < plans.as_of)
        & events["event_group"].astype(str).isin(plans.due_groups)
    ]
    text += f" **{ahead}** of the events are plans, targets or projections still ahead on "
    text += f"{day_words(plans.as_of)}, the as-of date."
    if len(due):
        named = due.drop_duplicates("event_group")
        listed = "; ".join(
            f"{what} ({due_words(date)})"
            for what, date in zip(named["event"], named["date"], strict=True)
        )
        text += f" **{len(named)}** were due by then with no outcome reported: {listed}."
    return text


def timeline_title(
    n_events: int,
    n_ahead: int,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    n_due: int = 0,
    as_of: pd.Timestamp,
) -> str:
    """Return the timeline chart's finding: how many events, how many plans are still ahead at
    ``as_of``, and how many were due by then with no outcome reported."""
    return (
        f"{n_events} dated events from {start.year} to {end.year}; "
        f"{plans_words(n_ahead, n_due, as_of)}"
    )
