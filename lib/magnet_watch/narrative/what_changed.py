"""The headline figures in words, as they stood on a date, and what changed between two dates.

Reads ``analysis.record_in_time``: ``headline_words(figures)`` words each row of
``headline_figures`` as a headline (figure, value, period); ``changes(old, new, entries,
since)`` lists each figure or verdict that differs between two dates, old and new, with the
records that changed it: those it rests on that became public after ``since`` (publisher,
title, date in words), or, when none did, that the date itself moved it (a plan falling due,
the award's earliest year following the date).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.narrative.headlines import computed_headline, headline_frame
from magnet_watch.text import formats as fmt
from magnet_watch.text.periods import date_words, day_words

CHANGE_COLUMNS = ["key", "figure", "before", "now", "changed_by"]
# The changes as a reader's table names its columns (the overview's table, the index's block).
READER_COLUMNS = {"figure": "Figure", "before": "Before", "now": "Now", "changed_by": "Changed by"}


def _tonnes(value) -> str:
    return fmt.tonnes_a_year_range(*value) if isinstance(value, tuple) else fmt.tonnes_a_year(value)


def _pct(value) -> str:
    return fmt.percent_range(*value) if isinstance(value, tuple) else fmt.percent(value)


def _year(value) -> str:
    return "none in the clock's years" if value is None or pd.isna(value) else str(int(value))


def _words(key: str, value, context) -> tuple[str, str, str]:
    """(figure, value, period) for one headline figure."""
    if key == "national_target":
        return "National magnet target", _tonnes(value), f"by {context}"
    if key == "irel_nd_plan":
        return "IREL's planned neodymium (as metal)", _tonnes(value), f"in {context}"
    if key == "nd_gap_at_target":
        return "Neodymium IREL does not cover, target year", _tonnes(value), f"in {context}"
    if key == "demand_covered_at_target":
        return "Share of rare-earth magnet demand the ramp covers", _pct(value), f"in {context}"
    if key == "official_first_magnets":
        return "Official clock: first year of magnets", _year(value), f"award in {context}"
    if key == "official_first_shortfall":
        return "Official clock: first year of shortfall", _year(value), f"award in {context}"
    if key == "latest_imports":
        return (
            "Latest official permanent-magnet imports",
            fmt.tonnes(value),
            date_words(str(context)),
        )
    if key == "china_import_share":
        return "China's share of the imports", _pct(value), date_words(str(context))
    if key == "usgs_edition":
        return "USGS edition current", str(value), f"version {context}"
    if key == "reserves_verdict":
        return "India's reserves rank, checked against the latest edition", value, context
    if key == "scheme_latest_milestone":
        return "The scheme's latest milestone", str(value), day_words(context)
    if key == "plans_due_no_outcome":
        return "Plans due with no outcome reported", str(value), "at the as-of date"
    raise KeyError(f"no words for the headline figure {key!r}")


def headline_words(figures: pd.DataFrame) -> pd.DataFrame:
    """Return ``headline_figures``' rows as headlines: figure, value, period, and the records
    each rests on."""
    rows = []
    for row in figures.itertuples():
        figure, value, period = _words(row.key, row.value, row.context)
        rows.append(computed_headline(figure, value, period, row.rests_on))
    return headline_frame(rows)


def _record_words(record: pd.Series) -> str:
    return f"{record['publisher']}, “{record['title']}” ({day_words(record[PUBLIC_FROM])})"


# Why a figure moves with no new record: the date itself moved it.
DATE_REASONS = {
    "official_first_magnets": "no award recorded by {now}: the award's earliest year follows the date",
    "official_first_shortfall": "no award recorded by {now}: the award's earliest year follows the date",
    "plans_due_no_outcome": "a plan's date passed by {now} with no outcome recorded",
}


def _changed_by(
    key, rests_on, entries: pd.DataFrame, since: pd.Timestamp, now: pd.Timestamp
) -> str:
    by_id = entries.set_index("record_id")
    later = [
        by_id.loc[r] for r in rests_on if r in by_id.index and by_id.loc[r, PUBLIC_FROM] > since
    ]
    if later:
        return "; ".join(_record_words(r) for r in later)
    reason = DATE_REASONS.get(key, "no record it rests on is newer than {since}")
    return "No new record: " + reason.format(now=day_words(now), since=day_words(since))


def changes(
    old: pd.DataFrame,
    new: pd.DataFrame,
    entries: pd.DataFrame,
    since,
    now,
) -> pd.DataFrame:
    """Return each headline figure that differs between ``old`` (as of ``since``) and ``new``
    (as of ``now``), in ``new``'s order (``CHANGE_COLUMNS``): the figure, its words before and
    now, and the records that changed it (``entries``: ``record_entries``)."""
    since, now = pd.Timestamp(since), pd.Timestamp(now)
    before = {r.key: r for r in old.itertuples()}
    rows = []
    for row in new.itertuples():
        was = before.get(row.key)
        if was is not None and (was.value, was.context) == (row.value, row.context):
            continue
        figure, value, period = _words(row.key, row.value, row.context)
        old_words = (
            "not in the record"
            if was is None
            else _pair(*_words(was.key, was.value, was.context)[1:])
        )
        rows.append(
            {
                "key": row.key,
                "figure": figure,
                "before": old_words,
                "now": _pair(value, period),
                "changed_by": _changed_by(row.key, row.rests_on, entries, since, now),
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _pair(value: str, period: str) -> str:
    return f"{value} ({period})"


def changes_sentence(table: pd.DataFrame, since, now) -> str:
    """One sentence over the table: how many figures changed between the two dates."""
    since_words, now_words = day_words(since), day_words(now)
    if table.empty:
        return f"No headline figure or verdict changed between {since_words} and {now_words}."
    count = len(table)
    noun = "figure or verdict" if count == 1 else "figures or verdicts"
    return f"{count} headline {noun} changed between {since_words} and {now_words}."


def changes_for_readers(changes: pd.DataFrame) -> pd.DataFrame:
    """Return ``changes`` (``CHANGE_COLUMNS``) as a reader's table: ``READER_COLUMNS``."""
    return changes[list(READER_COLUMNS)].rename(columns=READER_COLUMNS)
