"""The timeline: which dated events to show between two years."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from magnet_watch.data.lookups import project_vocabulary
from magnet_watch.errors import ParameterError


@dataclass(frozen=True)
class Timeline:
    """The events a timeline shows, between ``start`` and ``end`` (Timestamps)."""

    events: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    include_future: bool
    future_statuses: tuple[str, ...]

    @property
    def groups(self) -> pd.DataFrame:
        """Return one row per event group (the first report of each event)."""
        return self.events.drop_duplicates("event_group")

    @property
    def is_future(self) -> pd.Series:
        """Return, per row of ``groups``, whether the event is still ahead (a plan, target...)."""
        return self.groups["status"].astype(str).isin(self.future_statuses)


def _window(
    events: pd.DataFrame, start_year, end_year, horizon_end: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp]:
    if start_year is None:
        start = events["date_start"].min()
    else:
        start = pd.Timestamp(year=int(start_year), month=1, day=1)
    if end_year is None:
        end = horizon_end
    else:
        end = pd.Timestamp(year=int(end_year), month=12, day=31)
    if end <= start:
        raise ParameterError(
            f"parameter 'timeline_end_year' = {end.year} must be after "
            f"'timeline_start_year' = {start.year}"
        )
    return pd.Timestamp(start), pd.Timestamp(end)


def timeline_events(
    events: pd.DataFrame,
    start_year: int | None,
    end_year: int | None,
    *,
    include_future: bool = True,
    horizon_end: pd.Timestamp,
    future_statuses: Iterable[str] | None = None,
) -> Timeline:
    """Return the events to draw from ``start_year`` to ``end_year`` (whole calendar years).

    None for ``start_year`` is the earliest event's year; None for ``end_year`` is the
    ``horizon_end``, the end of the magnet scheme's horizon (the magnet target's period end).
    ``include_future=False`` drops the events still ahead: the statuses statuses.csv
    marks is_future (``future_statuses``, default: the project's).
    """
    future = tuple(
        project_vocabulary().future_statuses if future_statuses is None else future_statuses
    )
    start, end = _window(events, start_year, end_year, horizon_end)
    shown = events[(events["date_start"] >= start) & (events["date_start"] <= end)]
    if not include_future:
        shown = shown[~shown["status"].astype(str).isin(future)]
    return Timeline(shown.reset_index(drop=True), start, end, include_future, future)
