"""Look facts up and write them as a reader would, with the vocabulary of the data package.

Every function takes the table it reads (``facts``) as an argument: nothing here
loads the package (the facade ``magnet_watch.fact()`` & co. does, for convenience).
How a unit is written (``units.csv``: symbol, symbol_before), what interval a
qualifier allows and the words before a figure (``qualifiers.csv``: bound, prefix)
and which event statuses are still ahead (``statuses.csv``: is_future) are read from
the data package through a ``Vocabulary``. A function given no vocabulary uses the
project's data/ vocabulary (``project_vocabulary()``): the words, not the facts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from magnet_watch import paths
from magnet_watch.data.schema import iter_rows, read_package, read_table, resource_schema
from magnet_watch.text.formats import plain_number

VOCABULARY_TABLES = ("units", "qualifiers", "statuses")
# How far "approximately X" may stray from X by default, as a fraction of X: the default of
# the notebooks' approx_tolerance_pct (5%, notebooks/04 and 05; a test holds them equal).
APPROX_TOLERANCE = 0.05
# The qualifiers' interval kinds (qualifiers.csv "bound"), as declared in datapackage.json.
EXACT, APPROXIMATE, OPEN_ABOVE, OPEN_BELOW = "exact", "approximate", "open_above", "open_below"


@dataclass(frozen=True)
class Vocabulary:
    """How figures are written and read: the units, qualifiers and statuses tables.

    ``units``: unit, symbol, symbol_before; ``qualifiers``: qualifier, bound, prefix,
    is_future; ``statuses``: status, is_future (see data/datapackage.json).
    """

    units: pd.DataFrame
    qualifiers: pd.DataFrame
    statuses: pd.DataFrame

    @classmethod
    def from_tables(cls, tables) -> Vocabulary:
        """Return the vocabulary of a ``Package`` (or any object with the three tables)."""
        return cls(tables.units, tables.qualifiers, tables.statuses)

    # The maps below are built once per Vocabulary (cached_property writes the instance's
    # __dict__, which a frozen dataclass allows): format_quantity asks for them once per fact,
    # and rebuilding them from the tables each time made the audit of 1,000 documents 5x slower.
    @cached_property
    def unit_symbols(self) -> dict[str, tuple[str, bool]]:
        """Return {unit: (symbol, symbol_before)}; an empty symbol is ""."""
        return _symbols(self.units)

    @cached_property
    def _qualifier_bounds(self) -> dict[str, str]:
        return _column_map(self.qualifiers, "qualifier", "bound")

    @cached_property
    def _qualifier_prefixes(self) -> dict[str, str]:
        return _column_map(self.qualifiers, "qualifier", "prefix")

    def qualifiers_with_bound(self, bound: str) -> list[str]:
        """Return the qualifiers whose wording allows ``bound`` (exact, approximate, ...)."""
        return [q for q, b in self._qualifier_bounds.items() if b == bound]  # in table order

    def qualifier_bound(self, qualifier: str) -> str:
        """Return the interval kind of a qualifier (EXACT for one not in the table)."""
        return self._qualifier_bounds.get(str(qualifier), EXACT)

    def qualifier_prefix(self, qualifier: str) -> str:
        """Return the words written before a figure with ``qualifier`` ("about", "over"; "")."""
        return self._qualifier_prefixes.get(str(qualifier), "")

    @property
    def future_qualifiers(self) -> list[str]:
        """Return the qualifiers of what has not happened yet (target, planned, projected)."""
        return _flagged(self.qualifiers, "qualifier")

    @property
    def future_statuses(self) -> list[str]:
        """Return the event statuses still ahead (planned, target, projected), in table order."""
        return _flagged(self.statuses, "status")


def _column_map(table: pd.DataFrame, key: str, value: str) -> dict[str, str]:
    return {
        str(k): ("" if pd.isna(v) else str(v))
        for k, v in zip(table[key], table[value], strict=True)
    }


def _flagged(table: pd.DataFrame, key: str) -> list[str]:
    return list(table.loc[table["is_future"].fillna(False).astype(bool), key].astype(str))


def _symbols(units: pd.DataFrame) -> dict[str, tuple[str, bool]]:
    return {
        str(u): ("" if pd.isna(s) else str(s), bool(b))
        for u, s, b in zip(units["unit"], units["symbol"], units["symbol_before"], strict=True)
    }


@cache
def _read_vocabulary(data_dir: Path) -> Vocabulary:
    package = read_package(data_dir)
    tables = {n: read_table(data_dir, resource_schema(package, n)) for n in VOCABULARY_TABLES}
    return Vocabulary(**tables)


def project_vocabulary(data_dir: Path | str | None = None) -> Vocabulary:
    """Return the vocabulary tables of ``data_dir`` (default: the project's data/), validated.

    Reads only units.csv, qualifiers.csv and statuses.csv (cached per folder).
    """
    return _read_vocabulary(Path(data_dir or paths.DATA_DIR).resolve())


def table_fields(name: str, data_dir: Path | str | None = None) -> list[str]:
    """Return the columns of table ``name`` as data/datapackage.json declares them, in order
    (``data_dir`` default: the project's data/), so code never repeats a table's schema."""
    package = read_package(Path(data_dir or paths.DATA_DIR))
    return [f["name"] for f in resource_schema(package, name)["schema"]["fields"]]


def _vocab(vocabulary: Vocabulary | None) -> Vocabulary:
    return project_vocabulary() if vocabulary is None else vocabulary


# Lookups --------------------------------------------------------------------------------------


def row_position(table: pd.DataFrame, column: str, row_id) -> int | None:
    """Return the position of the first row of ``table`` whose ``column`` is ``row_id``, or None."""
    hits = np.flatnonzero(table[column].to_numpy() == row_id)
    return int(hits[0]) if len(hits) else None


def fact(fact_id: str, facts: pd.DataFrame) -> pd.Series:
    """Return one fact row by id. Raises KeyError naming close ids when it does not exist."""
    position = row_position(facts, "fact_id", fact_id)
    if position is None:
        close = [f for f in facts["fact_id"] if fact_id.split("_")[0] in f][:5]
        raise KeyError(f"no fact {fact_id!r}; similar ids: {close}")
    return facts.iloc[position]


def facts_by_id(fact_ids: Iterable[str], facts: pd.DataFrame) -> pd.DataFrame:
    """Return the facts with these ids, in the order given. Raises KeyError for an unknown id."""
    return pd.DataFrame([fact(i, facts) for i in fact_ids])


def facts_for(
    metric: str,
    subject: str | None = None,
    *,
    period: str | None = None,
    counterpart: str | None = None,
    facts: pd.DataFrame,
) -> pd.DataFrame:
    """Return the facts for a metric (optionally one subject, period, counterpart), one row per claim.

    Raises KeyError when the metric is not in the controlled list.
    """
    _check_metrics([metric], facts)
    mask = facts["metric"] == metric
    if subject is not None:
        mask &= facts["subject"] == subject
    if period is not None:
        mask &= facts["period"] == period
    if counterpart is not None:
        mask &= facts["counterpart"] == counterpart
    return facts[mask].copy()


def _check_metrics(metrics: Iterable[str], facts: pd.DataFrame) -> None:
    """Raise KeyError naming the first of ``metrics`` not in the controlled list."""
    column = facts["metric"]
    known = set(column.cat.categories if hasattr(column, "cat") else column)
    for metric in metrics:
        if metric not in known:
            raise KeyError(f"unknown metric {metric!r}")


def facts_of_source(source_id: str, facts: pd.DataFrame) -> pd.DataFrame:
    """Return every fact curated from one source document."""
    return facts[facts["source_id"] == source_id].copy()


def source_label(source_id: str, sources: pd.DataFrame) -> str:
    """Return a short reader-facing name of one source: its publisher or outlet, and date.

    Falls back to the outlet the document cites, then to "outlet not named".
    Raises KeyError naming the id when it is not in sources.csv.
    """
    # One position and a few cells, not a row Series: the claims checks ask for labels in
    # every case of the explorers' grids.
    matches = np.flatnonzero(
        sources["source_id"].to_numpy(dtype=object, na_value=None) == source_id
    )
    if not len(matches):
        raise KeyError(f"unknown source_id {source_id!r}; known: {list(sources['source_id'])}")

    def cell(column: str):
        return sources[column].iat[matches[0]] if column in sources.columns else None

    name = next(
        (str(cell(c)) for c in ("publisher", "cites") if pd.notna(cell(c)) and str(cell(c))),
        "outlet not named",
    )
    date = cell("published")
    when = str(date)[:10] if pd.notna(date) and str(date) else "undated"
    return f"{name}, {when}"


# Claims as intervals --------------------------------------------------------------------------


def claim_bounds(
    facts: pd.DataFrame,
    approx_tolerance: float = APPROX_TOLERANCE,
    vocabulary: Vocabulary | None = None,
) -> pd.DataFrame:
    """Return ``facts`` with ``bound_low`` and ``bound_high``: the interval each claim allows.

    By the qualifier's ``bound`` in qualifiers.csv: "over 90" (open_above) allows
    (90, 100] for a share and (90, inf) otherwise; "less than 1" (open_below) allows
    [0, 1); "approximately 85" (approximate) allows 85 plus or minus ``approx_tolerance``
    (a fraction, default 5%); a range allows low to high; a stated value only itself.
    """
    vocab = _vocab(vocabulary)
    out = facts.copy()
    # numpy, not pandas, on these columns: the claims checks bound a few claims per call, many
    # calls per build, and a pandas operation's overhead is far larger than its work here.
    value = out["value"].to_numpy(dtype=float, na_value=math.nan)
    low = np.where(np.isnan(value), out["low"].to_numpy(dtype=float, na_value=math.nan), value)
    high = np.where(np.isnan(value), out["high"].to_numpy(dtype=float, na_value=math.nan), value)
    qualifier = out["qualifier"].astype(str).to_numpy()
    is_share = out["unit"].astype(str).to_numpy() == "pct"
    approx = np.isin(qualifier, vocab.qualifiers_with_bound(APPROXIMATE))
    low = np.where(approx, low * (1 - approx_tolerance), low)
    high = np.where(approx, high * (1 + approx_tolerance), high)
    above = np.isin(qualifier, vocab.qualifiers_with_bound(OPEN_ABOVE))
    high = np.where(above, np.where(is_share, 100.0, math.inf), high)
    below = np.isin(qualifier, vocab.qualifiers_with_bound(OPEN_BELOW))
    low = np.where(below, 0.0, low)
    out["bound_low"], out["bound_high"] = low, high
    return out


def bounded_claims(
    kinds: Iterable[tuple[str, str]],
    facts: pd.DataFrame,
    approx_tolerance: float = APPROX_TOLERANCE,
    vocabulary: Vocabulary | None = None,
) -> dict[tuple[str, str], list[dict]]:
    """Return {(metric, subject): its facts as records with bound_low and bound_high} for each
    kind of claim in ``kinds``: ``claim_bounds`` of ``facts_for(metric, subject)``, in table
    order ([] for a kind with no fact), from one pass over the table for every kind.

    Raises KeyError for a metric not in the controlled list (as ``facts_for``).
    """
    out: dict[tuple[str, str], list[dict]] = {(m, s): [] for m, s in kinds}
    _check_metrics([m for m, _ in out], facts)
    pairs = zip(
        facts["metric"].to_numpy(dtype=object, na_value=None),
        facts["subject"].to_numpy(dtype=object, na_value=None),
        strict=True,
    )
    rows = facts[[pair in out for pair in pairs]]
    for record in claim_bounds(rows, approx_tolerance, vocabulary).to_dict("records"):
        out[(str(record["metric"]), record["subject"])].append(record)
    return out


CONFLICT_COLUMNS = [
    "metric",
    "subject",
    "fact_id_a",
    "source_id_a",
    "claim_a",
    "period_a",
    "fact_id_b",
    "source_id_b",
    "claim_b",
    "period_b",
]


def _claim_groups(bounded: pd.DataFrame, keys: list[str], vocab: Vocabulary) -> list[list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for row in iter_rows(bounded):  # one conversion for the whole table, not one per group
        record = row._asdict()
        record["claim"] = format_quantity(record, vocab)  # once per claim, not once per pair
        groups.setdefault(tuple(record[k] for k in keys), []).append(record)
    return list(groups.values())


def _pair(a: dict, b: dict) -> dict:
    return {
        "metric": a["metric"],
        "subject": a["subject"],
        "fact_id_a": a["fact_id"],
        "source_id_a": a["source_id"],
        "claim_a": a["claim"],
        "period_a": a["period"],
        "fact_id_b": b["fact_id"],
        "source_id_b": b["source_id"],
        "claim_b": b["claim"],
        "period_b": b["period"],
    }


@cache  # a corpus has few distinct periods and may have millions of pairs of claims
def as_of_months(period: str) -> tuple[int, int]:
    """Return the first and last month (counted from year 0) an "as of" period can mean:
    ``2025-11`` is one month, ``2025`` any month of 2025."""
    year, _, month = str(period).partition("-")
    if month:
        return int(year) * 12 + int(month) - 1, int(year) * 12 + int(month) - 1
    return int(year) * 12, int(year) * 12 + 11


@cache
def months_apart(a: str, b: str) -> int:
    """Return how many months apart two "as of" periods are at their nearest (0: they meet)."""
    (a_first, a_last), (b_first, b_last) = as_of_months(a), as_of_months(b)
    return max(0, b_first - a_last, a_first - b_last)


def _conflicting_pairs(records: list[dict], within_months: int | None) -> list[dict]:
    """Return the pairs (a before b, in the group's order) of one group's claims from different
    sources whose intervals do not overlap (and, with ``within_months``, whose "as of" periods
    are at most that many months apart). Each claim is compared with the claims after it at
    once, as arrays: a group of n claims has n(n-1)/2 pairs, millions in a big corpus."""
    low = np.array([r["bound_low"] for r in records], dtype=float)
    high = np.array([r["bound_high"] for r in records], dtype=float)
    source = pd.factorize(pd.Series([r["source_id"] for r in records], dtype=object))[0]
    if within_months is not None:
        first, last = np.array([as_of_months(r["period"]) for r in records]).reshape(-1, 2).T
    pairs = []
    for a in range(len(records) - 1):
        rest = slice(a + 1, None)
        keep = (source[rest] != source[a]) & ((high[a] < low[rest]) | (high[rest] < low[a]))
        if within_months is not None:
            apart = np.maximum(0, np.maximum(first[rest] - last[a], first[a] - last[rest]))
            keep &= apart <= within_months
        pairs.extend(_pair(records[a], records[b]) for b in np.flatnonzero(keep) + a + 1)
    return pairs


def conflicting_claims(
    metric: str | None = None,
    *,
    facts: pd.DataFrame,
    approx_tolerance: float = APPROX_TOLERANCE,
    same_period: bool = False,
    within_months: int | None = None,
    vocabulary: Vocabulary | None = None,
) -> pd.DataFrame:
    """Return pairs of claims about the same metric, subject and counterpart whose intervals do not overlap.

    One row per pair (columns ``CONFLICT_COLUMNS``), with both fact ids, sources, values
    as written and periods. ``same_period=True`` compares only claims about the same period;
    ``within_months`` only claims whose "as of" periods (``2025-11``, ``2025``) are at most
    that many months apart (``months_apart``).
    """
    vocab = _vocab(vocabulary)
    if metric is not None:
        facts = facts[facts["metric"] == metric]
    bounded = claim_bounds(facts, approx_tolerance, vocab)
    keys = ["metric", "subject", "counterpart"] + (["period"] if same_period else [])
    bounded = bounded.assign(counterpart=bounded["counterpart"].fillna(""))
    rows = []
    for records in _claim_groups(bounded, keys, vocab):
        rows.extend(_conflicting_pairs(records, within_months))
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)


# Writing a figure -----------------------------------------------------------------------------


def _joined(first: str, second: str) -> str:
    """Join a symbol and a number, with a space when the two touching characters are word
    characters ("1,000 t", "rank 3") and none otherwise ("85%", "$221 million", "2×")."""
    if not first or not second:
        return first + second
    return f"{first} {second}" if first[-1].isalnum() and second[0].isalnum() else first + second


def with_unit(text: str, unit: str, vocabulary: Vocabulary | None = None) -> str:
    """Return a number's text with its unit's symbol from units.csv ("1,000 t", "$5", "85%").

    A unit not in the table is written after the number, spaced ("5 widgets").
    """
    symbol, before = _vocab(vocabulary).unit_symbols.get(unit, (unit, False))
    return _joined(symbol, text) if before else _joined(text, symbol)


def _getter(row):
    return row.get if hasattr(row, "get") else lambda k: getattr(row, k)


def figure_text(row, vocabulary: Vocabulary | None = None) -> str:
    """Return a fact's figure and unit without its qualifier: "1,000 t", "8–9%", "$221 million"."""
    get = _getter(row)
    value = get("value")
    if value is not None and not pd.isna(value):
        text = plain_number(value)
    else:
        text = f"{plain_number(get('low'))}–{plain_number(get('high'))}"
    return with_unit(text, str(get("unit")), vocabulary)


def format_quantity(row, vocabulary: Vocabulary | None = None) -> str:
    """Return a fact's value as a reader writes it: "over 1,000 t", "400–500 t/yr", "about 85%", "rank 3"."""
    vocab = _vocab(vocabulary)
    text = figure_text(row, vocab)
    prefix = vocab.qualifier_prefix(str(_getter(row)("qualifier")))
    return f"{prefix} {text}" if prefix else text
