"""Load the curated tables, checked and typed.

``load_package()`` reads every table in data/, checks it against the schema in
data/datapackage.json, checks keys, foreign keys, cross-table rules, seed
checksums and provenance, and returns typed DataFrames. It fails as a whole
with a DataValidationError naming file, line and column: there are no partial
tables. ``load_facts()`` and the other loaders return one table of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.provenance import (
    check_event_provenance,
    check_fact_provenance,
    check_seed_checksums,
)
from magnet_watch.data.public_dates import (
    PUBLIC_FROM,
    as_of_after_public_problems,
    happened_after_public_problems,
    inherited_public_from,
    source_public_dates,
)
from magnet_watch.data.schema import (
    LINE_COLUMN,
    check_foreign_keys,
    iter_rows,
    read_package,
    read_table,
)
from magnet_watch.data.scope_rules import (
    conversion_problems,
    fact_scope_problems,
    measure_scope_problems,
)
from magnet_watch.errors import DataValidationError, Problem
from magnet_watch.text.periods import partial_date_bounds, period_bounds

TABLES = (
    "sources",
    "units",
    "qualifiers",
    "statuses",
    "scopes",
    "kinds",
    "metrics",
    "facts",
    "events",
    "conversions",
    "measure_scopes",
)


@dataclass(frozen=True)
class Package:
    """The curated tables, typed. ``documents`` maps source_id to the seed's text.

    ``scopes`` and ``kinds`` are the vocabulary of what a quantity counts; ``conversions``
    the declared conversions between scopes and ``measure_scopes`` the reference measures'
    scopes and kinds (see ``magnet_watch.data.scopes``).
    """

    sources: pd.DataFrame
    units: pd.DataFrame
    qualifiers: pd.DataFrame
    statuses: pd.DataFrame
    scopes: pd.DataFrame
    kinds: pd.DataFrame
    metrics: pd.DataFrame
    facts: pd.DataFrame
    events: pd.DataFrame
    conversions: pd.DataFrame
    measure_scopes: pd.DataFrame
    documents: dict[str, str]
    data_dir: Path


def _fact_rules(facts: pd.DataFrame, metrics: pd.DataFrame, units: pd.DataFrame) -> list[Problem]:
    """Rules across columns and tables that a Table Schema cannot state."""
    problems = []
    metric_dim = dict(zip(metrics["metric"], metrics["dimension"], strict=True))
    unit_dim = dict(zip(units["unit"], units["dimension"], strict=True))
    starts, ends = [], []
    for r in iter_rows(facts):
        line = int(getattr(r, LINE_COLUMN))

        def problem(column, message, line=line, r=r):
            problems.append(Problem("facts.csv", line, column, message, r.fact_id))

        has_value = pd.notna(r.value)
        has_low, has_high = pd.notna(r.low), pd.notna(r.high)
        if has_value and (has_low or has_high):
            problem("value", "give either value or low and high, not both")
        elif not has_value and not (has_low and has_high):
            problem("value", "give a value, or both low and high for a range")
        elif has_low and has_high and r.low > r.high:
            problem("low", f"low {r.low:g} is above high {r.high:g}")
        if (
            r.metric in metric_dim
            and r.unit in unit_dim
            and metric_dim[r.metric] != unit_dim[r.unit]
        ):
            problem(
                "unit",
                f"{r.unit!r} measures {unit_dim[r.unit]}, but metric {r.metric!r} "
                f"measures {metric_dim[r.metric]}",
            )
        if unit_dim.get(r.unit) == "share":
            for col in ("value", "low", "high"):
                v = getattr(r, col)
                if pd.notna(v) and not 0 <= v <= 100:
                    problem(col, f"a share in percent must be between 0 and 100, got {v:g}")
        if (
            unit_dim.get(r.unit) in ("rank", "count")
            and pd.notna(r.value)
            and not float(r.value).is_integer()
        ):
            problem("value", f"a {unit_dim[r.unit]} must be a whole number, got {r.value:g}")
        if pd.notna(r.derivation_words) and pd.isna(r.derivation):
            problem("derivation", "derivation_words given without a derivation")
        try:
            start, end = period_bounds(r.period, r.period_type)
        except ValueError as exc:
            problem("period", str(exc))
            start = end = pd.NaT
        starts.append(start)
        ends.append(end)
    facts["period_start"] = pd.to_datetime(pd.Series(starts, index=facts.index, dtype="object"))
    facts["period_end"] = pd.to_datetime(pd.Series(ends, index=facts.index, dtype="object"))
    return problems


def _event_dates(events: pd.DataFrame) -> list[Problem]:
    problems, starts, ends = [], [], []
    for r in iter_rows(events):
        expected = {4: "year", 7: "month", 10: "day"}[len(r.date)]
        if expected != r.date_precision:
            problems.append(
                Problem(
                    "events.csv",
                    int(getattr(r, LINE_COLUMN)),
                    "date_precision",
                    f"date {r.date!r} has {expected} precision, not {r.date_precision!r}",
                    r.event_id,
                )
            )
        try:
            start, end = partial_date_bounds(r.date)
        except ValueError:
            problems.append(
                Problem(
                    "events.csv",
                    int(getattr(r, LINE_COLUMN)),
                    "date",
                    f"{r.date!r} is not a real date",
                    r.event_id,
                )
            )
            start = end = pd.NaT
        starts.append(start)
        ends.append(end)
    events["date_start"] = pd.to_datetime(pd.Series(starts, index=events.index, dtype="object"))
    events["date_end"] = pd.to_datetime(pd.Series(ends, index=events.index, dtype="object"))
    return problems


def _signature(data_dir: Path) -> tuple:
    """A cheap fingerprint of the data and seed files, so a changed file invalidates the cache."""
    files = sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json"]
    files += sorted((data_dir.parent / "seeds").glob("*"))
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists())


def _foreign_key_problems(package: dict, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Foreign-key problems among the tables that could be read (a table with a bad cell is
    skipped, with the keys pointing into it), so one bad cell does not hide an unknown key."""
    resources = [
        {
            **r,
            "schema": {
                **r["schema"],
                "foreignKeys": [
                    fk
                    for fk in r["schema"].get("foreignKeys", [])
                    if fk["reference"]["resource"] in tables
                ],
            },
        }
        for r in package["resources"]
        if r["name"] in tables
    ]
    return check_foreign_keys({"resources": resources}, tables)


_CACHE: dict[Path, tuple[tuple, Package]] = {}


def _read_tables(package: dict, data_dir: Path) -> dict[str, pd.DataFrame]:
    """Return every table of ``TABLES`` read and typed by its schema; raise DataValidationError
    listing every bad cell, with unknown keys (a qualifier, a status) named together with them."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES:
        resource = next((r for r in package["resources"] if r["name"] == name), None)
        if resource is None:
            problems.append(Problem("datapackage.json", None, None, f"no resource named {name!r}"))
            continue
        try:
            tables[name] = read_table(data_dir, resource)
        except DataValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataValidationError(problems + _foreign_key_problems(package, tables))
    return tables


def _cross_table_problems(
    package: dict, tables: dict[str, pd.DataFrame], seeds_parent: Path
) -> tuple[dict[str, str], list[Problem]]:
    """Return the seed documents by source id and every problem a schema cannot state: foreign
    keys, fact and event rules, seed checksums and provenance (quotes in documents, numbers in
    quotes). Adds the parsed period and date columns to facts and events."""
    problems = check_foreign_keys(package, tables)
    problems += _fact_rules(tables["facts"], tables["metrics"], tables["units"])
    problems += _event_dates(tables["events"])
    problems += fact_scope_problems(tables["facts"], tables["metrics"])
    problems += conversion_problems(tables["conversions"])
    problems += measure_scope_problems(tables["measure_scopes"])
    documents, seed_problems = check_seed_checksums(tables["sources"], seeds_parent)
    problems += seed_problems
    problems += check_fact_provenance(tables["facts"], documents)
    problems += check_event_provenance(tables["events"], documents)
    return documents, problems + _public_date_problems(tables)


def _public_date_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Add each document's ``public_from`` (``public_dates``) and return the problems of the
    dates: a document's own, and a fact or past event dated after its document was public."""
    sources = tables["sources"]
    sources[PUBLIC_FROM], problems = source_public_dates(sources)
    past = set(tables["statuses"].loc[~tables["statuses"]["is_future"].astype(bool), "status"])
    facts_from = inherited_public_from(tables["facts"], "source_id", sources, "source_id")
    events_from = inherited_public_from(tables["events"], "source_id", sources, "source_id")
    problems += as_of_after_public_problems(tables["facts"], facts_from)
    return problems + happened_after_public_problems(
        tables["events"], events_from, past, "events.csv", "event_id"
    )


def _published_dates(sources: pd.DataFrame) -> pd.Series:
    """Return the first day of each source's stated publication date (a day, month or year);
    NaT when undated."""
    published = sources["published"].astype(object).where(sources["published"].notna(), None)
    days = [partial_date_bounds(d)[0] if isinstance(d, str) else pd.NaT for d in published]
    return pd.to_datetime(pd.Series(days, index=sources.index, dtype="object"))


def _categorise(tables: dict[str, pd.DataFrame]) -> None:
    """Make the key columns categoricals whose categories are the rows of the tables they
    refer to, in those tables' order: sources, metrics, units, qualifiers and statuses."""
    for table, column, vocabulary, key in (
        ("facts", "source_id", "sources", "source_id"),
        ("events", "source_id", "sources", "source_id"),
        ("facts", "metric", "metrics", "metric"),
        ("facts", "unit", "units", "unit"),
        ("facts", "qualifier", "qualifiers", "qualifier"),
        ("events", "status", "statuses", "status"),
    ):
        tables[table][column] = pd.Categorical(
            tables[table][column], categories=list(tables[vocabulary][key])
        )


def load_package(data_dir: Path | str | None = None) -> Package:
    """Return every curated table, validated and typed (see the module docstring).

    ``data_dir`` defaults to the project's data/; seeds are read from the
    folder beside it (``data_dir/../seeds``). Results are cached until a file changes.
    Raises DataValidationError listing every problem.
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    signature = _signature(data_dir)
    cached = _CACHE.get(data_dir)
    if cached and cached[0] == signature:
        return cached[1]
    package = read_package(data_dir)
    tables = _read_tables(package, data_dir)
    documents, problems = _cross_table_problems(package, tables, data_dir.parent)
    if problems:
        raise DataValidationError(problems)
    tables["sources"]["published_date"] = _published_dates(tables["sources"])
    _categorise(tables)
    result = Package(
        **{name: tables[name] for name in TABLES}, documents=documents, data_dir=data_dir
    )
    _CACHE[data_dir] = (signature, result)
    return result


def load_sources(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the sources table: one row per seed document, with its checksum.

    Adds ``published_date`` (Timestamp, the first day of the stated date; NaT when undated)
    beside ``published`` as written (YYYY, YYYY-MM or YYYY-MM-DD) and its precision.
    """
    return load_package(data_dir).sources.copy()


def load_facts(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the facts table: one row per quantitative claim, values in the row's unit.

    Adds ``period_start`` and ``period_end`` (Timestamps) parsed from ``period``.
    """
    return load_package(data_dir).facts.copy()


def load_metrics(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the controlled list of metrics with each one's canonical unit."""
    return load_package(data_dir).metrics.copy()


def load_units(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the allowed units and their dimensions."""
    return load_package(data_dir).units.copy()


def load_events(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the timeline, with ``date_start`` and ``date_end`` (Timestamps) from the partial date."""
    return load_package(data_dir).events.copy()
