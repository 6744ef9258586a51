"""The record as it stood on a date: documents, facts, events, reference figures and editions.

``load_record()`` gathers everything the project records, each row with the date it became
public (``public_from``, see ``magnet_watch.data.public_dates``): the seed documents with
their facts and events, the reference packages (pages, figures, events), and the USGS
editions with their versions. ``record_as_of(date)`` leaves out whatever became public
after ``date``: later documents and their facts and events, later pages with their figures
and events (a package with nothing left is left out whole), later editions and versions
(each edition as its latest version then). Its default date is the latest date in the
record. ``record_dates()`` lists the dates on which the record changed, oldest first;
``passed_without_outcome(record)`` the plans and targets whose date has passed by the
record's date with no outcome recorded.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.editions import Editions, load_editions
from magnet_watch.data.load import load_package
from magnet_watch.data.public_dates import PUBLIC_FROM, inherited_public_from
from magnet_watch.data.reference_packages import ReferencePackage, load_reference_packages
from magnet_watch.errors import ParameterError

# The as-of date (ISO) a process works at: a report build hands it to its kernels, and a
# notebook's ``as_of`` parameter sets it (``current_record``; every chart states it).
AS_OF_ENV = "MAGNET_WATCH_AS_OF"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Record:
    """Everything recorded, as of ``as_of``. ``sources``, ``facts`` and ``events`` are the
    curated tables with ``public_from``; ``references`` the reference packages by name;
    ``editions`` the USGS editions."""

    as_of: pd.Timestamp
    sources: pd.DataFrame
    facts: pd.DataFrame
    events: pd.DataFrame
    references: dict[str, ReferencePackage]
    editions: Editions


def _with_public_from(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame[PUBLIC_FROM] = inherited_public_from(frame, "source_id", sources, "source_id")
    return frame


def load_record(data_dir: Path | str | None = None) -> Record:
    """Return the whole record (``as_of`` its latest date), every part loaded and checked.

    ``data_dir`` (default data/) holds the curated tables; its ``reference/`` folder the
    reference packages and the editions. Raises DataValidationError from any loader.
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    package = load_package(data_dir)
    sources = package.sources.copy()
    references = load_reference_packages(data_dir / "reference")
    editions = load_editions(data_dir / "reference" / "usgs-mcs-rare-earths")
    record = Record(
        pd.NaT,
        sources,
        _with_public_from(package.facts, sources),
        _with_public_from(package.events, sources),
        references,
        editions,
    )
    return replace(record, as_of=record_dates(record)[-1])


_LATEST: dict[Path, tuple[tuple, Record]] = {}


def _signature(data_dir: Path) -> tuple:
    """A cheap fingerprint of every file the record reads (data/, with its reference packages,
    and seeds/), so a changed file loads the record again."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    files += sorted((data_dir.parent / "seeds").glob("*"))
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def record_signature(data_dir: Path | str | None = None) -> tuple:
    """Return the fingerprint of the record in ``data_dir`` (default data/): every file it
    reads, with its path, modification time and size. The same fingerprint, the same record:
    what ``latest_record`` and the figures computed from it once per process are kept by."""
    return _signature(Path(data_dir or paths.DATA_DIR).resolve())


def latest_record(data_dir: Path | str | None = None) -> Record:
    """Return the whole record as ``load_record`` does, loaded once per folder and process
    until one of its files changes (what a page states its as-of date from, and counts its
    plans against). Treat it as read-only: every caller shares it."""
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    signature = _signature(data_dir)
    cached = _LATEST.get(data_dir)
    if cached is None or cached[0] != signature:
        cached = _LATEST[data_dir] = (signature, load_record(data_dir))
    return cached[1]


def record_dates(record: Record) -> list[pd.Timestamp]:
    """Return every date on which something in ``record`` became public, oldest first."""
    columns = [record.sources[PUBLIC_FROM], record.editions.versions[PUBLIC_FROM]]
    for pkg in record.references.values():
        columns += [pkg.pages[PUBLIC_FROM], pkg.figures[PUBLIC_FROM], pkg.events[PUBLIC_FROM]]
    days = pd.concat([c for c in columns if len(c)], ignore_index=True).dropna()
    return sorted(pd.Timestamp(d) for d in days.unique())


def _package_as_of(pkg: ReferencePackage, day: pd.Timestamp) -> ReferencePackage | None:
    pages = pkg.pages[pkg.pages[PUBLIC_FROM] <= day]
    if pages.empty:
        return None
    figures = pkg.figures[pkg.figures[PUBLIC_FROM] <= day].copy()
    events = pkg.events[pkg.events[PUBLIC_FROM] <= day].copy()
    kept = set(figures["figure_id"])
    whole = [
        set(f) | {a} <= kept
        for f, a in zip(pkg.checks["figures"], pkg.checks["against"], strict=True)
    ]
    checks = pkg.checks[whole] if len(pkg.checks) else pkg.checks
    return replace(pkg, pages=pages.copy(), figures=figures, events=events, checks=checks.copy())


def parse_as_of(date) -> pd.Timestamp:
    """Return ``date`` (an ISO date YYYY-MM-DD, a ``datetime.date`` or a Timestamp) as a day;
    ParameterError otherwise (a month, a word, a day that does not exist)."""
    value = date
    if isinstance(date, str):
        try:
            value = (
                dt.date.fromisoformat(date.strip()) if _ISO_DAY.fullmatch(date.strip()) else None
            )
        except ValueError:
            value = None
    try:
        day = pd.Timestamp(value) if isinstance(value, (dt.date, pd.Timestamp)) else pd.NaT
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise ParameterError(f"as_of must be an ISO date such as 2025-11-30, got {date!r}")
    return day.normalize()


def check_as_of(date, record: Record) -> pd.Timestamp:
    """Return ``date`` as a day (``parse_as_of``; None: the record's latest date) if it falls
    within the record, from its first date to its latest; ParameterError naming both ends
    otherwise (before the first nothing is recorded, after the latest nothing is known)."""
    if date is None:
        return record.as_of
    day = parse_as_of(date)
    dates = record_dates(record)
    if not dates[0] <= day <= dates[-1]:
        raise ParameterError(
            f"as_of = {f'{day:%Y-%m-%d}'!r} is outside the record, which runs from "
            f"{dates[0]:%Y-%m-%d} (its first date) to {dates[-1]:%Y-%m-%d} (its latest)"
        )
    return day


def current_record(data_dir: Path | str | None = None) -> Record:
    """Return the record as of the date this process works at: ``$MAGNET_WATCH_AS_OF`` when a
    report build or a notebook's ``as_of`` parameter set it, else the latest date (what a
    chart, a finding or a plan count called without a record is computed against)."""
    latest = latest_record(data_dir)
    date = os.environ.get(AS_OF_ENV) or None
    if date is None or parse_as_of(date) == latest.as_of:
        return latest
    day = check_as_of(date, latest)
    cached = _CURRENT.get(id(latest))
    if cached is None or cached[0] is not latest or cached[1].as_of != day:
        cached = _CURRENT[id(latest)] = (latest, record_as_of(day, latest))
    return cached[1]


_CURRENT: dict[int, tuple[Record, Record]] = {}


def record_as_of(date=None, record: Record | None = None) -> Record:
    """Return the record as it stood on ``date`` (default: the latest date in the record).

    Records public after ``date`` are left out (see the module docstring). ``record`` is a
    loaded record to filter (``load_record()`` when not given). Raises ParameterError for a
    date that is not one.
    """
    record = record or load_record()
    day = record.as_of if date is None else parse_as_of(date)
    sources = record.sources[record.sources[PUBLIC_FROM] <= day]
    references = {}
    for name, pkg in record.references.items():
        kept = _package_as_of(pkg, day)
        if kept is not None:
            references[name] = kept
    return Record(
        as_of=day,
        sources=sources.copy(),
        facts=record.facts[record.facts[PUBLIC_FROM] <= day].copy(),
        events=record.events[record.events[PUBLIC_FROM] <= day].copy(),
        references=references,
        editions=record.editions.as_of(day),
    )


def _timeline(record: Record) -> pd.DataFrame:
    """The curated and reference events in one frame: event_id (a reference event as
    "<package>/<event_id>"), event_group, date, status, what, date_start, date_end, public_from."""
    columns = [
        "event_id",
        "event_group",
        "date",
        "status",
        "what",
        "date_start",
        "date_end",
        PUBLIC_FROM,
    ]
    frames = [record.events.rename(columns={"event": "what"}).astype({"status": str})[columns]]
    for name, pkg in record.references.items():
        frame = pkg.events.assign(event_id=[f"{name}/{e}" for e in pkg.events["event_id"]])
        frames.append(frame[columns])
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def passed_without_outcome(record: Record, statuses: pd.DataFrame) -> pd.DataFrame:
    """Return the plans, targets and projections (statuses whose ``is_future`` is true, from
    ``statuses``: data/statuses.csv) whose date ended before ``record.as_of`` and whose event
    group records no outcome (no event of a past status) by then: what a page must call "due
    <date>, outcome not reported", never "ahead". A plan its group restates later (a moved
    deadline) counts as the later plan only. Columns as ``_timeline``, oldest first."""
    future = set(statuses.loc[statuses["is_future"].astype(bool), "status"].astype(str))
    events = _timeline(record)
    outcomes = set(events.loc[~events["status"].isin(future), "event_group"])
    plans = events[events["status"].isin(future)]
    # A plan restated later in its group (a deadline moved) is superseded by the later one.
    latest = plans.groupby("event_group")[PUBLIC_FROM].transform("max")
    plans = plans[plans[PUBLIC_FROM] == latest]
    due = plans[(plans["date_end"] < record.as_of) & ~plans["event_group"].isin(outcomes)]
    return due.sort_values("date_end", kind="stable").reset_index(drop=True)
