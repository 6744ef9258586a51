"""Rules on scopes, kinds and conversions that a Table Schema cannot state, checked on load.

The vocabulary itself (``scopes.csv``, ``kinds.csv``) and the foreign keys into it are
declared in data/datapackage.json and checked by the schema machinery. These rules are the
rest: a fact that says it counts something other than its metric says why; a conversion is
a factor, a range or a parameter (one of them), and its arithmetic evaluates to a positive
factor over the atomic weights in ``magnet_watch.constants``. Each problem names file,
line, column and row id; ``load.load_package`` collects them with every other problem.
"""

from __future__ import annotations

import ast

import pandas as pd

from magnet_watch.constants import ATOMIC_WEIGHT_G_PER_MOL
from magnet_watch.data.provenance import evaluate_derivation
from magnet_watch.data.schema import LINE_COLUMN, iter_rows
from magnet_watch.errors import Problem

FACT_SCOPE_COLUMNS = ("scope", "scope_as_stated", "subject_counted")
RANGE_COLUMNS = ("low", "high")


def _given(value) -> bool:
    return not pd.isna(value)


def fact_scope(fact, metric_scope: dict[str, str]) -> str:
    """Return what a fact's figure counts: its own ``scope`` when given, else its metric's."""
    return fact.scope if _given(fact.scope) else metric_scope[fact.metric]


def fact_scope_problems(facts: pd.DataFrame, metrics: pd.DataFrame) -> list[Problem]:
    """A fact's scope, scope as stated and subject counted each differ from what they
    replace, and come with the evidence for them (``scope_evidence``), which is never given
    alone."""
    problems = []
    metric_scope = dict(zip(metrics["metric"], metrics["scope"], strict=True))
    for r in iter_rows(facts):
        line = int(getattr(r, LINE_COLUMN))

        def problem(column, message, line=line, r=r):
            problems.append(Problem("facts.csv", line, column, message, r.fact_id))

        if r.metric not in metric_scope:
            continue  # an unknown metric is reported by the foreign keys
        if _given(r.scope) and r.scope == metric_scope[r.metric]:
            problem(
                "scope", f"{r.scope!r} is already the scope of metric {r.metric!r}: leave it empty"
            )
        counted = fact_scope(r, metric_scope)
        if _given(r.scope_as_stated) and r.scope_as_stated == counted:
            problem(
                "scope_as_stated",
                f"{r.scope_as_stated!r} is what the figure counts: "
                "give scope_as_stated only when the document's scope differs",
            )
        if _given(r.subject_counted) and r.subject_counted == r.subject:
            problem(
                "subject_counted",
                f"{r.subject_counted!r} is the subject already: "
                "give subject_counted only when it differs",
            )
        claims = [c for c in FACT_SCOPE_COLUMNS if _given(getattr(r, c))]
        if claims and not _given(r.scope_evidence):
            problem(
                "scope_evidence",
                f"{', '.join(claims)} given without scope_evidence: "
                "say what shows the figure counts this",
            )
        if _given(r.scope_evidence) and not claims:
            problem(
                "scope_evidence",
                "scope_evidence given, but no scope, scope_as_stated "
                "or subject_counted for it to support",
            )
    return problems


def factor_value(expression: str) -> float:
    """Evaluate a conversion's factor (arithmetic over numbers and element symbols, read as
    standard atomic weights). Raises ValueError naming an unknown symbol or bad arithmetic."""
    try:
        names = {
            n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)
        }
    except SyntaxError:
        raise ValueError(f"{expression!r} is not valid arithmetic") from None
    unknown = sorted(names - set(ATOMIC_WEIGHT_G_PER_MOL))
    if unknown:
        raise ValueError(
            f"{unknown[0]!r} is not an element symbol with a standard atomic weight "
            f"in magnet_watch.constants ({', '.join(ATOMIC_WEIGHT_G_PER_MOL)})"
        )
    try:
        return evaluate_derivation(expression, ATOMIC_WEIGHT_G_PER_MOL)
    except ZeroDivisionError:
        raise ValueError(f"{expression!r} divides by zero") from None


def _form_problems(r, problem) -> None:
    """Exactly one form: a factor, a range (low and high), or a parameter."""
    forms = [
        name
        for name, given in (
            ("factor", _given(r.factor)),
            ("low and high", _given(r.low) or _given(r.high)),
            ("parameter", _given(r.parameter)),
        )
        if given
    ]
    if len(forms) != 1:
        problem(
            "factor",
            "give exactly one of factor, low and high, or parameter; "
            f"found {' and '.join(forms) if forms else 'none'}",
        )
    elif forms == ["low and high"] and not (_given(r.low) and _given(r.high)):
        problem("low" if not _given(r.low) else "high", "a range needs both low and high")
    if (r.basis == "parameter") != _given(r.parameter):
        problem("basis", "basis 'parameter' goes with a parameter, and a parameter with it")


def conversion_problems(conversions: pd.DataFrame) -> list[Problem]:
    """Every conversion goes from one scope to another, once per pair, in one form, and its
    arithmetic evaluates to a positive factor (a range: low no more than high)."""
    problems, seen = [], {}
    for r in iter_rows(conversions):
        line = int(getattr(r, LINE_COLUMN))

        def problem(column, message, line=line, r=r):
            problems.append(Problem("conversions.csv", line, column, message, r.conversion_id))

        pair = (r.from_scope, r.to_scope)
        if r.from_scope == r.to_scope:
            problem("to_scope", f"converts {r.from_scope!r} to itself")
        elif pair in seen:
            problem(
                "to_scope",
                f"{r.from_scope!r} to {r.to_scope!r} is already declared on line {seen[pair]}",
            )
        seen.setdefault(pair, line)
        _form_problems(r, problem)
        values = {}
        for column in ("factor", *RANGE_COLUMNS):
            expression = getattr(r, column)
            if not _given(expression):
                continue
            try:
                values[column] = factor_value(expression)
            except ValueError as exc:
                problem(column, str(exc))
                continue
            if not values[column] > 0:
                problem(
                    column, f"{expression!r} gives {values[column]:g}: a factor must be above 0"
                )
        if values.get("low", 0) > values.get("high", float("inf")):
            problem("low", f"low {values['low']:g} is above high {values['high']:g}")
    return problems


def measure_scope_problems(measure_scopes: pd.DataFrame) -> list[Problem]:
    """Each reference measure (package, measure and item) is mapped once."""
    problems, seen = [], {}
    for r in iter_rows(measure_scopes):
        line = int(getattr(r, LINE_COLUMN))
        key = (r.package, r.measure, r.item if _given(r.item) else None)
        if key in seen:
            item = f", item {key[2]!r}" if key[2] else ""
            problems.append(
                Problem(
                    "measure_scopes.csv",
                    line,
                    "measure",
                    f"{r.package!r} measure {r.measure!r}{item} is already "
                    f"mapped on line {seen[key]}",
                )
            )
        seen.setdefault(key, line)
    return problems
