"""Periods as the documents state them: calendar years, Indian fiscal years, months, horizons.

Indian fiscal years run April to March: FY2024-25 is 1 April 2024 to 31 March
2025 (the documents also write it "FY25"). A horizon such as "2025-11/P7Y"
(ISO 8601 interval) is seven years from November 2025.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from magnet_watch.constants import MONTH_NAMES

_FORMATS = {
    "calendar_year": r"\d{4}",
    "fiscal_year": r"FY\d{4}-\d{2}",
    "month": r"\d{4}-\d{2}",
    "as_of": r"\d{4}(-\d{2})?",
    "target_date": r"\d{4}(-\d{2})?",
    "horizon": r"\d{4}(-\d{2})?/P\d+Y",
}
MONTHS = list(MONTH_NAMES)  # January first, from the standard library's calendar


def _calendar_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if re.fullmatch(r"\d{4}", text):
        return pd.Timestamp(f"{text}-01-01"), pd.Timestamp(f"{text}-12-31")
    start = pd.Timestamp(f"{text}-01")
    return start, start + pd.offsets.MonthEnd(0)


def period_bounds(period: str, period_type: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day a period covers, as Timestamps.

    A horizon's end is the end of its last month ("2025-11/P7Y" ends 2032-11-30).
    Raises ValueError when the period does not have the form its type needs.
    """
    pattern = _FORMATS.get(period_type)
    if pattern is None:
        raise ValueError(f"unknown period type {period_type!r}; allowed: {sorted(_FORMATS)}")
    if not re.fullmatch(pattern, period):
        raise ValueError(f"period {period!r} does not have the form of a {period_type} ({pattern})")
    if period_type == "fiscal_year":
        first, second = int(period[2:6]), int(period[7:9])
        if (first + 1) % 100 != second:
            raise ValueError(
                f"fiscal year {period!r} must span two consecutive years, e.g. FY2024-25"
            )
        return pd.Timestamp(f"{first}-04-01"), pd.Timestamp(f"{first + 1}-03-31")
    if period_type == "horizon":
        origin, years = period.split("/P")
        start, _ = _calendar_bounds(origin)
        end_month = start + pd.DateOffset(years=int(years[:-1]))
        return start, end_month + pd.offsets.MonthEnd(0)
    try:
        return _calendar_bounds(period)
    except ValueError:
        raise ValueError(f"period {period!r} is not a real date") from None


def horizon_years(period: str) -> int:
    """Return the number of years in a horizon period such as "2025-11/P7Y" (7)."""
    m = re.fullmatch(r"\d{4}(-\d{2})?/P(\d+)Y", period)
    if not m:
        raise ValueError(f"{period!r} is not a horizon such as 2025-11/P7Y")
    return int(m.group(2))


@lru_cache(maxsize=1024)  # pure, and slow for its size: grids word the same periods per case
def period_label(period: str, period_type: str) -> str:
    """Return a reader's label: "FY2024-25 (Apr 2024–Mar 2025)", "by Mar 2026", "within 7 years of Nov 2025"."""
    start, end = period_bounds(period, period_type)
    if period_type == "fiscal_year":
        return f"{period} (Apr {start.year}–Mar {end.year})"
    if period_type == "horizon":
        return f"within {horizon_years(period)} years of {start:%b %Y} (by {end:%b %Y})"
    pretty = period if len(period) == 4 else f"{start:%b %Y}"
    if period_type == "target_date":
        return f"by {pretty}"
    if period_type == "as_of":
        return f"as of {pretty}"
    return pretty


def partial_date_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a date written as YYYY, YYYY-MM or YYYY-MM-DD."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = pd.Timestamp(text)
        return day, day
    return _calendar_bounds(text)


def month_words(period: str) -> str:
    """Return a month as a reader writes it: "2026-03" -> "March 2026"; other periods unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}" if match else period


def day_words(day) -> str:
    """Return a day as a reader writes it: "2026-05-27" (or a Timestamp) -> "27 May 2026".

    The project's one way of writing a day in prose: as-of dates, due dates."""
    day = pd.Timestamp(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_words(text: str) -> str:
    """Return a date written as YYYY, YYYY-MM or YYYY-MM-DD as a reader writes it, to its own
    precision: "2025", "March 2026", "27 May 2026"."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return day_words(text)
    return month_words(text)


def same_period(first, second) -> bool:
    """Whether two figures count the same days: ``first`` and ``second`` are mappings (fact
    rows, reference figures) with ``period`` and ``period_type``.

    FY2024-25 and FY2024-25 are the same period; FY2024-25 and calendar 2025, or calendar 2024,
    are not (they only overlap). A quotient of two figures, such as dollars over tonnes, is a
    rate of one period only when this holds.
    """
    return period_bounds(str(first["period"]), str(first["period_type"])) == period_bounds(
        str(second["period"]), str(second["period_type"])
    )


def period_in_words(row) -> str:
    """Return the period a figure counts as a sentence names it: "calendar 2025",
    "FY2024-25 (Apr 2024–Mar 2025)", "as of Nov 2025" (``row`` has period and period_type)."""
    period, period_type = str(row["period"]), str(row["period_type"])
    label = period_label(period, period_type)
    return f"calendar {label}" if period_type == "calendar_year" else label
