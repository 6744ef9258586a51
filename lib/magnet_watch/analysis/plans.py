"""Plans, targets and projections against the record's as-of date: still ahead, or due.

A plan is an event of a status statuses.csv marks ``is_future`` (planned, target, projected),
or a fact with a future qualifier. It is *ahead* while its date has not ended by the as-of
date. Once its date has passed with no outcome recorded in its event group, it is *due*
(``magnet_watch.data.record.passed_without_outcome``): a page words it "due <date>, outcome
not reported", never as still to come. A plan whose date has passed with an outcome (or that
a later plan of its group restated) is neither.

``plans_as_of()`` reads the record once per process (``data.record.current_record``), so a
chart or a finding called without a record counts against the process's as-of date (a
build's or the notebook's ``as_of``; else the latest date in the record).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from magnet_watch.data.lookups import project_vocabulary
from magnet_watch.data.record import Record, current_record, passed_without_outcome


@dataclass(frozen=True)
class PlansAsOf:
    """The plans of a record as of ``as_of``: ``due`` holds those due with no outcome (the
    columns of ``passed_without_outcome`` plus ``source_id`` for a curated event);
    ``settled`` the (source_id, date) of curated plans whose date has passed but that are not
    due (an outcome recorded, or restated later)."""

    as_of: pd.Timestamp
    due: pd.DataFrame
    future_statuses: tuple[str, ...]
    future_qualifiers: tuple[str, ...]
    settled: frozenset[tuple[str, str]]

    @property
    def due_groups(self) -> set[str]:
        """Return the event groups whose plan is due with no outcome reported."""
        return set(self.due["event_group"].astype(str))

    def is_ahead(self, status: str, date_end: pd.Timestamp) -> bool:
        """Return whether an event of ``status`` ending ``date_end`` is a plan still ahead."""
        return str(status) in self.future_statuses and pd.Timestamp(date_end) >= self.as_of

    def fact_is_plan(self, fact: Mapping) -> bool:
        """Return whether a fact (a facts.csv row) states a plan, target or projection."""
        return str(fact["qualifier"]) in self.future_qualifiers

    def fact_is_due(self, fact: Mapping) -> bool:
        """Return whether a fact states a plan whose period ended before the as-of date with
        no outcome recorded (its source's event of the same date, if any, is not settled)."""
        if not self.fact_is_plan(fact) or pd.Timestamp(fact["period_end"]) >= self.as_of:
            return False
        return (str(fact["source_id"]), str(fact["period"])) not in self.settled

    def fact_is_ahead(self, fact: Mapping) -> bool:
        """Return whether a fact states a plan whose period has not ended by the as-of date."""
        return self.fact_is_plan(fact) and pd.Timestamp(fact["period_end"]) >= self.as_of


def _settled(record: Record, due: pd.DataFrame, future: set[str]) -> frozenset[tuple[str, str]]:
    events = record.events
    plans = events[events["status"].astype(str).isin(future) & (events["date_end"] < record.as_of)]
    plans = plans[~plans["event_id"].isin(set(due["event_id"]))]
    return frozenset(zip(plans["source_id"].astype(str), plans["date"].astype(str), strict=True))


def plans_of(record: Record) -> PlansAsOf:
    """Return the plans of ``record`` as of its own date (``record.as_of``)."""
    vocab = project_vocabulary()
    future = set(vocab.future_statuses)
    due = passed_without_outcome(record, vocab.statuses)
    source = dict(
        zip(record.events["event_id"], record.events["source_id"].astype(str), strict=True)
    )
    due = due.assign(source_id=[source.get(e, "") for e in due["event_id"]])
    return PlansAsOf(
        record.as_of,
        due,
        tuple(vocab.future_statuses),
        tuple(vocab.future_qualifiers),
        _settled(record, due, future),
    )


_LATEST: list[tuple[Record, PlansAsOf]] = []  # the latest record's plans, while it stands


def plans_as_of(record: Record | None = None) -> PlansAsOf:
    """Return the plans as of ``record``'s date (default: ``current_record()``, the record as of
    the process's as-of date: counted once per process, until that record changes)."""
    if record is not None:
        return plans_of(record)
    latest = current_record()
    if not _LATEST or _LATEST[0][0] is not latest:
        _LATEST[:] = [(latest, plans_of(latest))]
    return _LATEST[0][1]
