"""What a page reads, as of its as-of date: the curated tables and the later references.

``view_as_of(as_of)`` is how every notebook loads its data: the record as it stood on
``as_of`` (``data.record.record_as_of``; None: the latest date), checked to be a day within
the record (``check_as_of``), with the tables shaped as the loaders give them (``facts``,
``sources``, ``events``), the later references the models read (``refs``) and the whole
filtered record (``record``: every reference package, the USGS editions). A date at which
the record does not yet hold what the pages read (a seed document, one of the three
reference packages of ``References``) is refused with a sentence naming what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch.data.later_references import References
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.record import Record, check_as_of, latest_record, record_as_of
from magnet_watch.errors import ParameterError
from magnet_watch.text.periods import day_words


@dataclass(frozen=True)
class RecordView:
    """The record as of ``record.as_of``: ``facts``, ``sources`` and ``events`` as
    ``magnet_watch.load_facts`` (and the others) return them, ``refs`` the later references."""

    record: Record
    facts: pd.DataFrame
    sources: pd.DataFrame
    events: pd.DataFrame
    refs: References

    @property
    def as_of(self) -> pd.Timestamp:
        """The as-of date (a day)."""
        return self.record.as_of


def _missing(record: Record, latest: Record) -> list[str]:
    """Name what the pages read that the record as of its date does not hold yet."""
    missing = []
    later = latest.sources[~latest.sources["source_id"].isin(record.sources["source_id"])]
    for row in later.itertuples():
        missing.append(
            f"the article {row.source_id} (public {day_words(getattr(row, PUBLIC_FROM))})"
        )
    for package in References.from_packages(latest.references).packages:
        if package.name not in record.references:
            first = package.pages[PUBLIC_FROM].min()
            missing.append(f"the reference package {package.name} (public {day_words(first)})")
    return missing


def view_as_of(as_of=None, data_dir: Path | str | None = None) -> RecordView:
    """Return the record as of ``as_of`` (an ISO day, a date, or None for the latest) as the
    pages read it. Raises ParameterError for a date that is not a day within the record, or
    at which the record does not yet hold every article and reference package the pages read."""
    latest = latest_record(data_dir)
    day = check_as_of(as_of, latest)
    record = latest if day == latest.as_of else record_as_of(day, latest)
    missing = _missing(record, latest)
    if missing:
        raise ParameterError(
            f"as_of = {f'{day:%Y-%m-%d}'!r} is too early: the pages read "
            + "; ".join(missing)
            + ", not yet public then"
        )
    return RecordView(
        record=record,
        facts=record.facts.drop(columns=PUBLIC_FROM),
        sources=record.sources.copy(),
        events=record.events.drop(columns=PUBLIC_FROM),
        refs=References.from_packages(record.references, record.as_of),
    )
