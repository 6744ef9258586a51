"""Load the curated tables, checked and typed.

``load_package()`` reads every table in data/, checks it against the schema in
data/datapackage.json, checks keys, foreign keys, cross-table rules, seed
checksums and provenance, and returns typed DataFrames. It fails as a whole
with a DataValidationError naming file, line and column: there are no partial
tables. ``load_facts()`` and the other loaders return one table of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.provenance import (
    check_event_provenance,
    check_fact_provenance,
    check_seed_checksums,
)
from magnet_watch.data.schema import (
    LINE_COLUMN,
    check_foreign_keys,
    iter_rows,
    read_package,
    read_table,
)
from magnet_watch.errors import DataValidationError, Problem
from magnet_watch.text.periods import partial_date_bounds, period_bounds

TABLES = ("sources", "units", "metrics", "facts", "events")


@dataclass(frozen=True)
class Package:
    """The curated tables, typed. ``documents`` maps source_id to the seed's text."""

    sources: pd.DataFrame
    units: pd.DataFrame
    metrics: pd.DataFrame
    facts: pd.DataFrame
    events: pd.DataFrame
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
            problem("unit", f"{r.unit!r} measures {unit_dim[r.unit]}, but metric {r.metric!r} "
                    f"measures {metric_dim[r.metric]}")  # fmt: skip
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
            problems.append(Problem("events.csv", int(getattr(r, LINE_COLUMN)), "date_precision",
                                    f"date {r.date!r} has {expected} precision, not {r.date_precision!r}",
                                    r.event_id))  # fmt: skip
        try:
            start, end = partial_date_bounds(r.date)
        except ValueError:
            problems.append(Problem("events.csv", int(getattr(r, LINE_COLUMN)), "date",
                                    f"{r.date!r} is not a real date", r.event_id))  # fmt: skip
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


_CACHE: dict[Path, tuple[tuple, Package]] = {}


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
        raise DataValidationError(problems)

    problems += check_foreign_keys(package, tables)
    problems += _fact_rules(tables["facts"], tables["metrics"], tables["units"])
    problems += _event_dates(tables["events"])
    documents, seed_problems = check_seed_checksums(tables["sources"], data_dir.parent)
    problems += seed_problems
    problems += check_fact_provenance(tables["facts"], documents)
    problems += check_event_provenance(tables["events"], documents)
    if problems:
        raise DataValidationError(problems)

    sources = tables["sources"]
    # The first day of the stated publication date (a day, month or year); NaT when undated.
    sources["published_date"] = pd.to_datetime(
        pd.Series(
            [
                partial_date_bounds(d)[0] if isinstance(d, str) else pd.NaT
                for d in sources["published"]
                .astype(object)
                .where(sources["published"].notna(), None)
            ],
            index=sources.index,
            dtype="object",
        )
    )
    for name in ("facts", "events"):
        tables[name]["source_id"] = pd.Categorical(
            tables[name]["source_id"], categories=list(tables["sources"]["source_id"])
        )
    tables["facts"]["metric"] = pd.Categorical(
        tables["facts"]["metric"], categories=list(tables["metrics"]["metric"])
    )
    tables["facts"]["unit"] = pd.Categorical(
        tables["facts"]["unit"], categories=list(tables["units"]["unit"])
    )
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


# Lookups used by the notebooks --------------------------------------------------------------


def fact(fact_id: str, facts: pd.DataFrame | None = None) -> pd.Series:
    """Return one fact row by id. Raises KeyError naming close ids when it does not exist."""
    facts = load_facts() if facts is None else facts
    match = facts[facts["fact_id"] == fact_id]
    if match.empty:
        close = [f for f in facts["fact_id"] if fact_id.split("_")[0] in f][:5]
        raise KeyError(f"no fact {fact_id!r}; similar ids: {close}")
    return match.iloc[0]


def facts_for(
    metric: str,
    subject: str | None = None,
    *,
    period: str | None = None,
    counterpart: str | None = None,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the facts for a metric (optionally one subject, period, counterpart), one row per claim.

    Raises KeyError when the metric is not in the controlled list.
    """  # fmt: skip
    facts = load_facts() if facts is None else facts
    if metric not in set(
        facts["metric"].cat.categories if hasattr(facts["metric"], "cat") else facts["metric"]
    ):
        raise KeyError(f"unknown metric {metric!r}")
    mask = facts["metric"] == metric
    if subject is not None:
        mask &= facts["subject"] == subject
    if period is not None:
        mask &= facts["period"] == period
    if counterpart is not None:
        mask &= facts["counterpart"] == counterpart
    return facts[mask].copy()


def facts_of_source(source_id: str, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return every fact curated from one source document."""
    facts = load_facts() if facts is None else facts
    return facts[facts["source_id"] == source_id].copy()


UNBOUNDED_ABOVE = {"over", "more than"}
UNBOUNDED_BELOW = {"less than"}
APPROXIMATE = {"approximately", "estimated"}


def claim_bounds(facts: pd.DataFrame, approx_tolerance: float = 0.05) -> pd.DataFrame:
    """Return ``facts`` with ``bound_low`` and ``bound_high``: the interval each claim allows.

    "over 90" allows (90, 100] for a share and (90, inf) otherwise; "less than 1"
    allows [0, 1); "approximately 85" allows 85 plus or minus ``approx_tolerance``
    (a fraction, default 5%); a range allows low to high; a stated value only itself.
    """
    out = facts.copy()
    low = out["value"].where(out["value"].notna(), out["low"]).astype(float)
    high = out["value"].where(out["value"].notna(), out["high"]).astype(float)
    qualifier = out["qualifier"].astype(str)
    is_share = out["unit"].astype(str) == "pct"
    approx = qualifier.isin(APPROXIMATE)
    low = low.where(~approx, low * (1 - approx_tolerance))
    high = high.where(~approx, high * (1 + approx_tolerance))
    above = qualifier.isin(UNBOUNDED_ABOVE)
    high = high.where(~above, is_share.map({True: 100.0, False: math.inf}))
    below = qualifier.isin(UNBOUNDED_BELOW)
    low = low.where(~below, 0.0)
    out["bound_low"], out["bound_high"] = low, high
    return out


def conflicting_claims(
    metric: str | None = None,
    *,
    facts: pd.DataFrame | None = None,
    approx_tolerance: float = 0.05,
    same_period: bool = False,
) -> pd.DataFrame:
    """Return pairs of claims about the same metric, subject and counterpart whose intervals do not overlap.

    One row per pair, with both fact ids, sources, values as written and intervals.
    ``same_period=True`` compares only claims about the same period.
    """  # fmt: skip
    facts = load_facts() if facts is None else facts
    if metric is not None:
        facts = facts[facts["metric"] == metric]
    bounded = claim_bounds(facts, approx_tolerance)
    keys = ["metric", "subject", "counterpart"] + (["period"] if same_period else [])
    bounded = bounded.assign(counterpart=bounded["counterpart"].fillna(""))
    groups: dict[tuple, list[dict]] = {}
    for row in iter_rows(bounded):  # one conversion for the whole table, not one per group
        record = row._asdict()
        record["claim"] = format_quantity(record)  # once per claim, not once per pair
        groups.setdefault(tuple(record[k] for k in keys), []).append(record)
    rows = []
    for records in groups.values():
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                if a["source_id"] == b["source_id"]:
                    continue
                if a["bound_high"] < b["bound_low"] or b["bound_high"] < a["bound_low"]:
                    rows.append({
                        "metric": a["metric"], "subject": a["subject"],
                        "fact_id_a": a["fact_id"], "source_id_a": a["source_id"],
                        "claim_a": a["claim"], "period_a": a["period"],
                        "fact_id_b": b["fact_id"], "source_id_b": b["source_id"],
                        "claim_b": b["claim"], "period_b": b["period"],
                    })  # fmt: skip
    columns = ["metric", "subject", "fact_id_a", "source_id_a", "claim_a", "period_a",
               "fact_id_b", "source_id_b", "claim_b", "period_b"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


UNIT_SUFFIX = {"pct": "%", "pct/yr": "%/yr", "t": " t", "t/yr": " t/yr", "kg/vehicle": " kg/vehicle",
               "INR": " INR", "USD": " USD", "year": " years", "count": "", "ratio": "×", "rank": ""}  # fmt: skip
QUALIFIER_PREFIX = {"approximately": "about ", "over": "over ", "more than": "more than ",
                    "less than": "less than ", "estimated": "est. "}  # fmt: skip


def _number(v: float) -> str:
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(v) >= scale:
            return f"{v / scale:,.4g} {word}"
    return f"{v:,.4g}" if not float(v).is_integer() else f"{v:,.0f}"


def format_quantity(row) -> str:
    """Return a fact's value as a reader writes it: "over 1,000 t", "400–500 t/yr", "about 85%", "rank 3"."""
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
    unit = str(get("unit"))
    value = get("value")
    if value is not None and not pd.isna(value):
        text = _number(value)
    else:
        text = f"{_number(get('low'))}–{_number(get('high'))}"
    if unit == "rank":
        text = f"rank {text}"
    elif unit in ("USD",):
        text = f"${text}"
    else:
        text += UNIT_SUFFIX.get(unit, f" {unit}")
    return QUALIFIER_PREFIX.get(str(get("qualifier")), "") + text
