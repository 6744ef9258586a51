"""The date each record became public, and the checks that keep those dates honest.

Every record of the project has a date from which a reader could have known it:

- a document (``data/sources.csv``) and a reference page (``pages.csv`` of each reference
  package) by the date it prints (``published`` / ``date_published``). A day is that day; a
  month or a year printed without a day counts from its last day (it was surely public by
  then, not surely before). A document or page that prints no date carries an
  ``available_from`` date with its ``available_from_reason``: the latest date its own text
  refers to, or the date it entered the project. One place: a record with a printed day
  carries no ``available_from``.
- a fact or a curated event is public from its document's date; a reference figure or event
  from its page's date (``public_from`` is added on load, never written twice).
- an edition version by its release date (``magnet_watch.data.editions``).

The checks collect every problem (file, line, column, row id) before failing: a reason
without a date or a date without a reason, an ``available_from`` outside the period the
document prints, a page accessed before it was public, and a record that says something
had happened before its document was public (an event with a past status dated after its
document, a figure "as of" a date after its document).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.data.schema import LINE_COLUMN
from magnet_watch.errors import Problem
from magnet_watch.text.periods import partial_date_bounds

AVAILABLE_FROM = "available_from"
AVAILABLE_REASON = "available_from_reason"
PUBLIC_FROM = "public_from"


def printed_date_public_from(printed: str | None) -> pd.Timestamp:
    """Return the day a printed date (YYYY, YYYY-MM or YYYY-MM-DD) was surely public by: the
    day itself, or the last day of the month or year printed without a day; NaT when empty."""
    if printed is None or pd.isna(printed) or str(printed) == "":
        return pd.NaT
    return pd.Timestamp(partial_date_bounds(str(printed))[1])


def _timestamp(value) -> pd.Timestamp:
    if value is None or pd.isna(value) or str(value) == "":
        return pd.NaT
    return pd.Timestamp(value)


def _own_date_problems(
    file: str, line: int, row_id: str, printed, available, reason, printed_column: str
) -> list[Problem]:
    """The rules every dated record shares: printed date or available_from with its reason."""
    problems = []
    has_printed, has_available = pd.notna(printed), pd.notna(available)
    has_reason = pd.notna(reason) and str(reason).strip() != ""
    if not has_printed and not has_available:
        problems.append(
            Problem(
                file,
                line,
                AVAILABLE_FROM,
                f"no {printed_column} printed: give an available_from date "
                "(the latest date its own text refers to, or the date it "
                "entered the project) and its reason",
                row_id,
            )
        )
    if has_available and not has_reason:
        problems.append(
            Problem(file, line, AVAILABLE_REASON, "available_from needs its reason", row_id)
        )
    if has_reason and not has_available:
        problems.append(
            Problem(
                file, line, AVAILABLE_FROM, "a reason is given but no available_from date", row_id
            )
        )
    return problems


def source_public_dates(
    sources: pd.DataFrame,
    file: str = "sources.csv",
    printed_column: str = "published",
    key: str = "source_id",
) -> tuple[pd.Series, list[Problem]]:
    """Return each document's ``public_from`` (Timestamp) and the problems of its dates.

    ``published`` (or ``printed_column``: an edition version's ``released``) is the printed
    date (YYYY, YYYY-MM, YYYY-MM-DD or empty). A day printed takes no available_from; a
    month or year may be narrowed by an available_from inside it.
    """
    days, problems = [], []
    for row in sources.astype(object).to_dict("records"):
        line, sid = int(row[LINE_COLUMN]), str(row[key])
        printed = row[printed_column] if isinstance(row[printed_column], str) else None
        available = _timestamp(row.get(AVAILABLE_FROM))
        problems += _own_date_problems(
            file, line, sid, printed, available, row.get(AVAILABLE_REASON), "publication date"
        )
        day = pd.NaT
        if printed is not None:
            try:
                start, end = partial_date_bounds(printed)
            except ValueError:
                start = end = pd.NaT  # the loader reports the unreadable date itself
            day = pd.Timestamp(end) if pd.notna(end) else pd.NaT
            if pd.notna(available) and len(printed) == 10:
                problems.append(
                    Problem(
                        file,
                        line,
                        AVAILABLE_FROM,
                        f"the document prints the day ({printed}): leave available_from empty",
                        sid,
                    )
                )
            elif pd.notna(available) and not (
                pd.Timestamp(start) <= available <= pd.Timestamp(end)
            ):
                problems.append(
                    Problem(
                        file,
                        line,
                        AVAILABLE_FROM,
                        f"{available:%Y-%m-%d} is outside the period the document "
                        f"prints ({printed})",
                        sid,
                    )
                )
            elif pd.notna(available):
                day = available
        elif pd.notna(available):
            day = available
        days.append(day)
    return pd.to_datetime(pd.Series(days, index=sources.index, dtype="object")), problems


def page_public_dates(pages: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    """Return each reference page's ``public_from`` and the problems of its dates.

    ``date_published`` is a full date or empty; an undated page carries available_from and
    its reason; nothing is accessed before it was public.
    """
    file = pages.attrs.get("file", "pages.csv")
    days, problems = [], []
    for row in pages.astype(object).to_dict("records"):
        line, pid = int(row[LINE_COLUMN]), str(row["page_id"])
        printed, available = _timestamp(row["date_published"]), _timestamp(row.get(AVAILABLE_FROM))
        problems += _own_date_problems(
            file, line, pid, printed, available, row.get(AVAILABLE_REASON), "date_published"
        )
        if pd.notna(printed) and pd.notna(available):
            problems.append(
                Problem(
                    file,
                    line,
                    AVAILABLE_FROM,
                    f"the page prints its date ({printed:%Y-%m-%d}): leave available_from empty",
                    pid,
                )
            )
        day = printed if pd.notna(printed) else available
        accessed = _timestamp(row["date_accessed"])
        if pd.notna(day) and pd.notna(accessed) and accessed < day and pd.isna(printed):
            problems.append(
                Problem(
                    file, line, AVAILABLE_FROM, "available from a date after it was accessed", pid
                )
            )
        days.append(day)
    return pd.to_datetime(pd.Series(days, index=pages.index, dtype="object")), problems


def inherited_public_from(
    frame: pd.DataFrame, key: str, parents: pd.DataFrame, parent_key: str
) -> pd.Series:
    """Return ``public_from`` for each row of ``frame`` from its parent row (a fact's document,
    a figure's page), aligned to ``frame``'s index; NaT when the parent is unknown."""
    days = dict(zip(parents[parent_key].astype(str), parents[PUBLIC_FROM], strict=True))
    values = [days.get(str(k), pd.NaT) for k in frame[key].astype(object)]
    return pd.to_datetime(pd.Series(values, index=frame.index, dtype="object"))


def happened_after_public_problems(
    events: pd.DataFrame, public_from: pd.Series, past: set[str], file: str, id_column: str
) -> list[Problem]:
    """An event its document reports as past (a status that is not future) cannot begin after
    the document was public: that would be a report of something that had not happened yet."""
    problems = []
    for row, day in zip(events.astype(object).to_dict("records"), public_from, strict=True):
        start = _timestamp(row["date_start"])
        if str(row["status"]) in past and pd.notna(day) and pd.notna(start) and start > day:
            problems.append(
                Problem(
                    file,
                    int(row[LINE_COLUMN]),
                    "date",
                    f"reported as {row['status']} on {row['date']}, but its "
                    f"document was public from {day:%Y-%m-%d}",
                    str(row[id_column]),
                )
            )
    return problems


def as_of_after_public_problems(
    facts: pd.DataFrame, public_from: pd.Series, file: str = "facts.csv"
) -> list[Problem]:
    """A fact "as of" a period cannot be as of a period that began after its document was public."""
    problems = []
    for row, day in zip(facts.astype(object).to_dict("records"), public_from, strict=True):
        start = _timestamp(row.get("period_start"))
        if row["period_type"] == "as_of" and pd.notna(day) and pd.notna(start) and start > day:
            problems.append(
                Problem(
                    file,
                    int(row[LINE_COLUMN]),
                    "period",
                    f"as of {row['period']}, but its document was public from {day:%Y-%m-%d}",
                    str(row["fact_id"]),
                )
            )
    return problems
