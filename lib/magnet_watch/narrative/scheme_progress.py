"""The scheme's progress against its clock, in words: where it stands as of the as-of date.

Reads ``analysis.scheme_progress.scheme_milestones`` and the official clock
(``analysis.official_terms.official_clock``); dates are written by ``text.periods``.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.official_terms import OfficialClock
from magnet_watch.analysis.scheme_progress import award_recorded
from magnet_watch.narrative.as_of import due_words
from magnet_watch.narrative.official_terms import LATER_REFERENCE
from magnet_watch.text.periods import day_words

STATE_WORDS = {
    "happened": "happened",
    "ahead": "ahead",
    "due": "outcome not reported",
    "restated": "moved to a later date",
}


def _when(row) -> str:
    if row["state"] == "due":
        return due_words(str(row["date"]))
    return day_words(row["date_start"])


def progress_finding(milestones: pd.DataFrame, clock: OfficialClock, as_of: pd.Timestamp) -> str:
    """Return the chart's title: where the scheme stands as of ``as_of`` (one line)."""
    if award_recorded(milestones):
        return (
            f"As of {day_words(as_of)} the award is recorded: the clock runs from "
            f"{clock.award_year}, magnets from {clock.first_output_year}"
        )
    return (
        f"As of {day_words(as_of)} no award is recorded: the clock starts in "
        f"{clock.award_year} at the earliest, magnets not before {clock.first_output_year}"
    )


def progress_summary(milestones: pd.DataFrame, clock: OfficialClock, as_of: pd.Timestamp) -> str:
    """Return where the scheme stands against its clock as of ``as_of``, in words (Markdown)."""
    happened = milestones[milestones["state"] == "happened"]
    ahead = milestones[milestones["state"].isin(["ahead", "due"])]
    done = "; ".join(
        f"{r['what'].split(' (')[0]} ({day_words(r['date_start'])})" for _, r in happened.iterrows()
    )
    text = f"**The scheme's progress as of {day_words(as_of)}** ({LATER_REFERENCE}s). "
    text += f"Recorded: {done}. " if done else "Nothing recorded yet. "
    if len(ahead):
        text += (
            "Still open: "
            + "; ".join(f"{r['what'].split(' (')[0]} ({_when(r)})" for _, r in ahead.iterrows())
            + ". "
        )
    if award_recorded(milestones):
        text += f"The award starts the clock in {clock.award_year}: "
    else:
        text += f"No award is recorded, so the clock starts in {clock.award_year} at the earliest: "
    return text + (
        f"no magnets before {clock.first_output_year}, and the scheme runs to {clock.end_year}."
    )


def _page_words(row) -> str:
    """The page a milestone was verified on as a reader cites it: "PIB Tracker, 15 May 2026"."""
    when = row["page_published"]
    return str(row["publisher"]) + (f", {day_words(when)}" if pd.notna(when) else ", undated")


def milestones_table(milestones: pd.DataFrame) -> pd.DataFrame:
    """Return the milestones for a table: date, milestone, state as of the as-of date, and the
    page each was verified on (publisher and date; the package and page ids stay in the data)."""
    return pd.DataFrame(
        {
            "date": [
                _when(r) if r["state"] == "due" else day_words(r["date_start"])
                for _, r in milestones.iterrows()
            ],
            "milestone": milestones["what"],
            "state": milestones["state"].map(STATE_WORDS),
            "reported by": [_page_words(r) for _, r in milestones.iterrows()],
        }
    )
