"""The record's date in words: what every page states at its top, and how a passed plan reads.

Dates are written by ``magnet_watch.text.periods`` (``day_words``, ``date_words``).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.plans import PlansAsOf
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.record import Record, record_dates
from magnet_watch.narrative.headlines import row_headline
from magnet_watch.text.periods import date_words, day_words

DUE_NOT_REPORTED = "outcome not reported"


def _latest(columns: list[pd.Series]) -> pd.Timestamp | None:
    days = [c.max() for c in columns if len(c) and pd.notna(c.max())]
    return max(days) if days else None


def record_spans(record: Record) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Return the latest date of the articles (the seed documents) and of the later references
    (reference pages and USGS editions) in ``record``; None for a part it does not hold."""
    articles = _latest([record.sources[PUBLIC_FROM]])
    later = [record.editions.versions[PUBLIC_FROM]]
    later += [pkg.pages[PUBLIC_FROM] for pkg in record.references.values()]
    return articles, _latest(later)


def as_of_sentence(record: Record, whole: Record | None = None) -> str:
    """Return the as-of statement every page and chart carries, in plain words: "As of 27 May
    2026: the latest date in the record (articles to November 2025, later references to 27 May
    2026)."; for a date before the latest of ``whole`` (the whole record, when ``record`` is it
    as of an earlier date), "the record as it stood on that date"."""
    articles, later = record_spans(record)
    parts = []
    if articles is not None:
        parts.append(f"articles to {date_words(f'{articles:%Y-%m}')}")
    if later is not None:
        parts.append(f"later references to {day_words(later)}")
    dates = record_dates(whole or record)
    latest = bool(dates) and record.as_of >= dates[-1]
    what = "the latest date in the record" if latest else "the record as it stood on that date"
    spans = f" ({', '.join(parts)})" if parts else ""
    return f"As of {day_words(record.as_of)}: {what}{spans}."


def due_words(date: str) -> str:
    """Return how a plan whose date has passed with no outcome recorded reads: "due March 2026,
    outcome not reported" (``date`` as YYYY, YYYY-MM or YYYY-MM-DD)."""
    return f"due {date_words(str(date))}, {DUE_NOT_REPORTED}"


def fact_due_words(fact) -> str:
    """Return ``due_words`` for a fact stating a plan: the date its period ends by ("2026-03"
    for "by March 2026"; the last month of a horizon)."""
    if str(fact["period_type"]) == "target_date":
        return due_words(str(fact["period"]))
    return due_words(f"{pd.Timestamp(fact['period_end']):%Y-%m}")


def plan_headline(fact, figure: str, plans: PlansAsOf) -> dict:
    """Return ``row_headline`` of a fact; a plan whose date has passed by ``plans.as_of`` with
    no outcome recorded has the period "due <date>, outcome not reported", never "by <date>"."""
    row = row_headline(fact, figure)
    return {**row, "period": fact_due_words(fact)} if plans.fact_is_due(fact) else row
