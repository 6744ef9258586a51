"""Provenance checks: every curated number is in its document, in so many words.

- ``quote_in_document``: the quote appears in its document after normalising
  whitespace, typographic quotes and dashes (nothing else).
- ``value_in_quote``: the fact's value, or its low and high, is one of the
  quantities written in its quote ("53,748", "73-billion-rupee", "400-500",
  "8%", "third largest"), parsed by ``magnet_watch.text.numbers``.
- ``evaluate_derivation``: a value computed from words ("double that",
  "more than a third") is recomputed from its recorded arithmetic.
- ``sha256_of``: a seed's checksum, compared with the sources table.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import math
import operator
import re
from pathlib import Path

import pandas as pd

from magnet_watch.data.schema import LINE_COLUMN, iter_rows
from magnet_watch.errors import Problem
from magnet_watch.text.numbers import parse_quantities
from magnet_watch.text.periods import MONTHS

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=16384)
def normalise_text(text: str) -> str:
    """Return ``text`` with typographic quotes and dashes made plain and whitespace collapsed.

    Cached: every fact of a document checks its quote against the same normalised text.
    """
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def quote_in_document(quote: str, document: str) -> bool:
    """True when ``quote`` appears in ``document`` after ``normalise_text`` on both."""
    return normalise_text(quote) in normalise_text(document)


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def same_number(a: float, b: float) -> bool:
    """True when two parsed numbers are the same (up to float rounding)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@functools.lru_cache(maxsize=16384)
def _quantities(quote: str) -> tuple:
    # Several facts often share one quote; parse it once.
    return tuple(parse_quantities(quote))


def value_in_quote(quote: str, value: float | None, low: float | None, high: float | None) -> bool:
    """True when the quote writes the value (or the low-high range) in some form."""
    quantities = _quantities(quote)
    if value is not None and not pd.isna(value):
        return any(same_number(n, value) for q in quantities for n in q.numbers)
    return any(
        q.low is not None and same_number(q.low, low) and same_number(q.high, high)
        for q in quantities
    )


_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}


def evaluate_derivation(expression: str, values: dict[str, float]) -> float:
    """Evaluate arithmetic over numbers and fact ids, e.g. ``2 * ibns_irel_nd_plan_2026``.

    Only + - * / ** and parentheses are allowed. Raises ValueError naming an
    unknown fact id or a disallowed construct.
    """

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ValueError(
                    f"derivation refers to {node.id!r}, which is not a single-valued fact"
                )
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.operand))
        raise ValueError(
            f"derivation may use only numbers, fact ids and + - * / **: {expression!r}"
        )

    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValueError(f"derivation is not valid arithmetic: {expression!r}") from None
    try:
        result = walk(tree)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise ValueError(f"derivation {expression!r} is too large to compute (it overflows)")
    return result


def derivation_matches(computed: float, value: float) -> bool:
    """True when the stored value is the computed one rounded to two decimals (or closer)."""
    return abs(computed - value) <= 0.005 + 1e-9 * abs(value)


def check_fact_provenance(facts: pd.DataFrame, documents: dict[str, str]) -> list[Problem]:
    """Return a Problem for every fact whose quote, value or derivation its document does not bear out.

    ``documents`` maps source_id to the document's text.
    """
    problems = []
    values = {r.fact_id: r.value for r in iter_rows(facts) if pd.notna(r.value)}
    for r in iter_rows(facts):
        line = int(getattr(r, LINE_COLUMN))

        def problem(column: str, message: str, line=line, r=r) -> None:
            problems.append(Problem("facts.csv", line, column, message, r.fact_id))

        document = documents.get(r.source_id)
        if document is None:
            continue  # reported by the foreign-key check
        if not quote_in_document(r.quote, document):
            problem("quote", f"quote not found in {r.source_id}: {r.quote!r}")
            continue
        if pd.notna(r.derivation):
            if pd.isna(r.derivation_words):
                problem("derivation_words", "a derivation needs the words in the quote it encodes")
            elif normalise_text(r.derivation_words) not in normalise_text(r.quote):
                problem("derivation_words", f"{r.derivation_words!r} is not in the quote")
            try:
                computed = evaluate_derivation(r.derivation, values)
            except (ValueError, ZeroDivisionError) as exc:
                problem("derivation", str(exc))
                continue
            if not derivation_matches(computed, r.value):
                problem(
                    "value", f"derivation {r.derivation!r} gives {computed:.6g}, not {r.value:g}"
                )
        elif not value_in_quote(r.quote, r.value, r.low, r.high):
            shown = f"{r.value:g}" if pd.notna(r.value) else f"{r.low:g}-{r.high:g}"
            found = [q.text for q in parse_quantities(r.quote)]
            problem(
                "value",
                f"{shown} is not written in the quote (it states {found}); "
                "record a derivation if the value is computed from words",
            )
    return problems


def check_event_provenance(events: pd.DataFrame, documents: dict[str, str]) -> list[Problem]:
    """Return a Problem for every event whose quote is not in its document, or whose date
    the quote does not state and no date_note explains."""
    problems = []
    for r in iter_rows(events):
        line = int(getattr(r, LINE_COLUMN))
        document = documents.get(r.source_id)
        if document is None:
            continue
        if not quote_in_document(r.quote, document):
            problems.append(
                Problem(
                    "events.csv",
                    line,
                    "quote",
                    f"quote not found in {r.source_id}: {r.quote!r}",
                    r.event_id,
                )
            )
            continue
        if pd.notna(r.date_note):
            continue
        year, *rest = r.date.split("-")
        missing = [] if year in r.quote else [year]
        if rest and MONTHS[int(rest[0]) - 1] not in r.quote:
            missing.append(MONTHS[int(rest[0]) - 1])
        if missing:
            problems.append(
                Problem(
                    "events.csv",
                    line,
                    "date",
                    f"the quote does not state {' '.join(missing)}; explain the date in date_note",
                    r.event_id,
                )
            )
    return problems


def check_seed_checksums(sources: pd.DataFrame, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read each source's file and compare its SHA-256 with the sources table.

    Returns (documents by source_id, problems). A missing, unreadable or changed
    file is a Problem on the sources row.
    """
    documents, problems = {}, []
    for r in iter_rows(sources):
        line = int(getattr(r, LINE_COLUMN))
        path = Path(root) / r.file
        if not path.is_file():
            problems.append(
                Problem("sources.csv", line, "file", f"{r.file} does not exist", r.source_id)
            )
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != r.sha256:
            problems.append(
                Problem(
                    "sources.csv",
                    line,
                    "sha256",
                    f"{r.file} has changed: its sha256 is {digest}, the table records {r.sha256}. "
                    "Seeds are never edited; restore the file or add the new version as a new source.",
                    r.source_id,
                )
            )
        try:
            documents[r.source_id] = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem("sources.csv", line, "file", f"{r.file} is not UTF-8 text", r.source_id)
            )
    return documents, problems
