"""The overview notebook's chart: the timeline of dated events."""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.analysis.plans import PlansAsOf, plans_as_of
from magnet_watch.charts.theme import (
    QUALIFIER_DASH,
    ROLE_COLOURS,
    UTC_DAY,
    WIDTH_PX,
    datetime,
    finding_title,
    time_scale,
    tooltip,
    wrapped_labels,
)
from magnet_watch.data.lookups import Vocabulary, project_vocabulary, source_label
from magnet_watch.narrative.as_of import DUE_NOT_REPORTED, due_words
from magnet_watch.narrative.overview import timeline_title

OBSERVED_ROLE = "observed"  # the colour of every status that is not still ahead
# A plan whose date passed with no outcome recorded: its own status, grey, never drawn ahead.
DUE_STATUS = f"due, {DUE_NOT_REPORTED}"
DUE_ROLE = "gap"


def status_roles(vocab: Vocabulary) -> dict[str, str]:
    """Return {status: role colour key}: past statuses are "observed", future ones their own
    role (planned, target, projected) where the theme has one. In statuses.csv order, then
    ``DUE_STATUS`` (a plan due with no outcome reported), grey."""
    future = set(vocab.future_statuses)
    roles = {}
    for status in vocab.statuses["status"].astype(str):
        roles[status] = (
            (status if status in ROLE_COLOURS else "projected")
            if status in future
            else OBSERVED_ROLE
        )
    roles[DUE_STATUS] = DUE_ROLE
    return roles


def plan_flags(events: pd.DataFrame, plans: PlansAsOf) -> tuple[pd.Series, pd.Series]:
    """Return, per row of ``events``, whether it is a plan still ahead at ``plans.as_of`` and
    whether it is a plan due by then with no outcome reported (never both)."""
    is_plan = events["status"].astype(str).isin(plans.future_statuses)
    passed = events["date_end"] < plans.as_of
    due = is_plan & passed & events["event_group"].astype(str).isin(plans.due_groups)
    return is_plan & ~passed, due


def timeline_data(
    events: pd.DataFrame, sources: pd.DataFrame, vocab: Vocabulary, plans: PlansAsOf
) -> tuple[pd.DataFrame, list[str]]:
    """Return the timeline's chart data (one row per report) and its event labels in order.

    Columns: date, event_label, status (``DUE_STATUS`` for a plan due with no outcome
    reported), role, future (a plan still ahead at ``plans.as_of``), due, due_text ("due March
    2026, outcome not reported", else empty), value_text, event, source_id, source, quote,
    from_date (where a dashed guide to an event still ahead starts).
    """
    shown = events.sort_values(["date_start", "event_id"])
    first = shown.drop_duplicates("event_group")
    label = dict(zip(first["event_group"], first["event"], strict=True))
    future, due = plan_flags(shown, plans)
    status = shown["status"].astype(str).where(~due, DUE_STATUS)
    data = pd.DataFrame(
        {
            "date": shown["date_start"].dt.strftime("%Y-%m-%d"),
            "event_label": shown["event_group"].map(label),
            "status": status,
            "role": status.map(status_roles(vocab)),
            "future": future,
            "due": due,
            "due_text": [
                due_words(d) if x else ""
                for d, x in zip(shown["date"].astype(str), due, strict=True)
            ],
            "value_text": shown["date"].astype(str)
            + " ("
            + shown["date_precision"].astype(str)
            + ")",
            "event": shown["event"],
            "source_id": shown["source_id"].astype(str),
            "source": [source_label(s, sources) for s in shown["source_id"].astype(str)],
            "quote": shown["quote"],
        }
    )
    # Dashed guides run from the latest event that has happened to each one still ahead.
    happened = ~shown["status"].astype(str).isin(vocab.future_statuses)
    latest = shown.loc[happened, "date_start"].max()
    data["from_date"] = latest.strftime("%Y-%m-%d") if pd.notna(latest) else data["date"]
    return data, list(label.values())


def _timeline_layers(data: pd.DataFrame, order: list[str], start, end, vocab: Vocabulary):
    x_scale = time_scale(domain=[datetime(start), datetime(end)])
    x = alt.X("date:T", title="Date", scale=x_scale, timeUnit=UTC_DAY)
    y = alt.Y("event_label:N", sort=order, title=None, axis=wrapped_labels(56))
    roles = status_roles(vocab)
    statuses = list(roles)
    status_scale = alt.Scale(domain=statuses, range=[ROLE_COLOURS[roles[s]] for s in statuses])
    guide = (
        alt.Chart(data[data["future"]])
        .mark_rule(strokeDash=QUALIFIER_DASH["target"], color=ROLE_COLOURS["gap"])
        .encode(
            x=alt.X("from_date:T", scale=x_scale, title="Date", timeUnit=UTC_DAY),
            x2=alt.X2("date:T", timeUnit=UTC_DAY),
            y=y,
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(size=90, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color("status:N", title="Status", scale=status_scale),
            fill=alt.Fill("status:N", scale=status_scale, title="Status"),
            fillOpacity=alt.condition("datum.future", alt.value(0), alt.value(1)),
            shape=alt.Shape("status:N", title="Status", scale=alt.Scale(domain=statuses)),
            tooltip=tooltip(
                alt.Tooltip("event:N", title="Event"), alt.Tooltip("status:N", title="Status")
            ),
        )
    )
    due = (
        alt.Chart(data[data["due"]])
        .mark_text(align="left", dx=9, color=ROLE_COLOURS[DUE_ROLE], fontSize=10)
        .encode(x=x, y=y, text="due_text:N")
    )
    return guide, points, due


def timeline_chart(
    events: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    sources: pd.DataFrame,
    vocabulary: Vocabulary | None = None,
    plans: PlansAsOf | None = None,
) -> alt.LayerChart:
    """Return the timeline of dated events from ``start`` to ``end``: one row per event group.

    Each report of an event is a point (several sources may report one event); a plan,
    target or projection (statuses.csv is_future) still ahead at the as-of date is a hollow
    point on a dashed guide, and one whose date has passed with no outcome recorded a grey
    point labelled "due <date>, outcome not reported". ``plans`` (default: the whole record as
    of its latest date, ``analysis.plans.plans_as_of``) says which. Tooltip: the date as
    written, the event, its status, source and quote.
    """
    vocab = project_vocabulary() if vocabulary is None else vocabulary
    plans = plans_as_of() if plans is None else plans
    shown = events[(events["date_start"] >= start) & (events["date_start"] <= end)]
    if shown.empty:
        raise ValueError(f"no events between {start:%Y-%m-%d} and {end:%Y-%m-%d}")
    data, order = timeline_data(shown, sources, vocab, plans)
    ahead, due = plan_flags(shown, plans)
    n_ahead, n_due = (int(shown.loc[flag, "event_group"].nunique()) for flag in (ahead, due))
    finding = timeline_title(len(order), n_ahead, start, end, n_due=n_due, as_of=plans.as_of)
    return alt.layer(*_timeline_layers(data, order, start, end, vocab)).properties(
        title=finding_title(finding, data["source_id"], sources=sources),
        width=WIDTH_PX,
        # A row tall enough for an event's words on up to three lines (never cut).
        height=max(160, 44 * len(order)),
    )
