"""The scheme's progress against its clock: its milestones as dated events, as of a date.

``scheme_milestones(record)`` lists the events of the scheme's reference packages
(``data.later_references.SCHEME_PACKAGES``: the Cabinet's approval, the notification, the
tender) in the record as of its date, oldest first, each with its state then: ``happened``
(a past status), ``ahead`` (a plan whose date has not passed), ``due`` (a plan whose date
has passed with no outcome recorded: ``analysis.plans``) or ``restated`` (a plan its group
moved to a later date). The award is a milestone when it is recorded (``AWARD_GROUP``).
Numbers only: words are in ``magnet_watch.narrative.scheme_progress``.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.plans import plans_of
from magnet_watch.data.later_references import AWARD_GROUP, SCHEME_PACKAGES
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.record import Record

MILESTONE_COLUMNS = [
    "event_id",
    "event_group",
    "date",
    "date_start",
    "status",
    "what",
    "package",
    "page_id",
    "publisher",
    "page_published",
    PUBLIC_FROM,
    "state",
]


def _state(row, plans, due: set[str], latest: dict[str, pd.Timestamp]) -> str:
    if str(row.status) not in plans.future_statuses:
        return "happened"
    if row.event_id in due:
        return "due"
    if row[PUBLIC_FROM] < latest[row.event_group] or row.date_end < plans.as_of:
        return "restated"
    return "ahead"


def scheme_milestones(record: Record) -> pd.DataFrame:
    """Return the scheme's milestones in ``record`` (as of ``record.as_of``), oldest first,
    with their state then (see the module docstring). Columns: ``MILESTONE_COLUMNS``."""
    frames = []
    for name in SCHEME_PACKAGES:
        pkg = record.references.get(name)
        if pkg is not None and len(pkg.events):
            # Who published the page each event was verified on, and when: a reader's citation.
            pages = pkg.pages[["page_id", "publisher", "date_published"]].rename(
                columns={"date_published": "page_published"}
            )
            events = pkg.events.merge(pages, on="page_id", how="left")
            frames.append(
                events.assign(package=name, event_id=[f"{name}/{e}" for e in events["event_id"]])
            )
    if not frames:
        return pd.DataFrame(columns=MILESTONE_COLUMNS)
    events = pd.concat(frames, ignore_index=True)
    plans = plans_of(record)
    due = set(plans.due["event_id"])
    latest = events.groupby("event_group")[PUBLIC_FROM].max().to_dict()
    events["state"] = [_state(row, plans, due, latest) for _, row in events.iterrows()]
    events = events.sort_values(["date_start", PUBLIC_FROM], kind="stable")
    return events[MILESTONE_COLUMNS].reset_index(drop=True)


def award_recorded(milestones: pd.DataFrame) -> bool:
    """Return whether the milestones hold the scheme's award (a past event of ``AWARD_GROUP``)."""
    award = milestones[milestones["event_group"] == AWARD_GROUP]
    return bool((award["state"] == "happened").any())
