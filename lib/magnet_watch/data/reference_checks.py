"""Package checks: arithmetic between a reference package's figures, each read as rounded.

A package declares its checks in ``datapackage.json`` under ``x-package-checks``:
an operation over some figures (``sum``, ``product``, ``percent_change`` of [new, old],
``percent_of`` of [percent, total]) against another figure, with the difference the
pages themselves leave (``expected_difference``, 0 unless stated, then explained in a
``difference_note``). A figure written "as_written" may be rounded to its last
non-zero digit, so each check is evaluated over intervals, never on bare points.
A check over figures in different units declares the ``scale`` that brings the result
into the unit of the figure it is checked against, with its ``scale_note`` (rupees per kg
times tonnes: 1,000 kg a tonne, 10^7 rupees a crore, so a scale of 10^-4 gives crore).
"""

from __future__ import annotations

import itertools
import operator
from functools import reduce

import pandas as pd

from magnet_watch.data.reference import rounding_half_unit
from magnet_watch.data.schema import LINE_COLUMN
from magnet_watch.errors import Problem

CHECK_OPS = ("sum", "product", "percent_change", "percent_of")
CHECK_COLUMNS = [
    "check_id",
    "description",
    "op",
    "figures",
    "against",
    "value",
    "low",
    "high",
    "against_value",
    "against_low",
    "against_high",
    "difference",
    "expected_difference",
    "passed",
    "explanation",
    "difference_note",
]


def figure_bounds(value: float, rounding: str) -> tuple[float, float]:
    """Return (low, high) a figure allows: itself when exact, else ± half its last digit's unit."""
    half = 0.0 if rounding == "exact" else rounding_half_unit(value)
    return value - half, value + half


def _apply(op: str, values: list[float]) -> float:
    if op == "sum":
        return sum(values)
    if op == "product":
        return reduce(operator.mul, values, 1.0)
    if op == "percent_change":  # [new, old]
        return (values[0] / values[1] - 1) * 100
    if op == "percent_of":  # [percent, total]
        return values[0] * values[1] / 100
    raise ValueError(f"unknown check op {op!r}; allowed {list(CHECK_OPS)}")


def evaluate(op: str, bounds: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return (value, low, high) of ``op`` over figures given as (value, low, high).

    The interval is the smallest and largest result over every corner of the
    figures' intervals: the operations here are monotonic in each figure.
    """
    value = _apply(op, [b[0] for b in bounds])
    corners = [_apply(op, list(c)) for c in itertools.product(*[(b[1], b[2]) for b in bounds])]
    return value, min(corners), max(corners)


def _check_row(check: dict, figures: pd.DataFrame) -> dict:
    by_id = figures.set_index("figure_id")
    bounds = [
        tuple(float(by_id.loc[f, c]) for c in ("value", "low", "high")) for f in check["figures"]
    ]
    scale = float(check.get("scale", 1))
    value, low, high = (scale * v for v in evaluate(check["op"], bounds))
    target = by_id.loc[check["against"]]
    expected = float(check.get("expected_difference", 0))
    passed = (low - float(target["high"])) <= expected <= (high - float(target["low"]))
    explanation = (
        f"{check['op'].replace('_', ' ')} of {', '.join(check['figures'])} = {value:,.6g} "
        f"(allowing for rounding {low:,.6g} to {high:,.6g}) against {check['against']} "
        f"= {float(target['value']):,.6g}; difference {value - float(target['value']):+,.6g}, "
        f"expected {expected:+,.6g}"
    )
    return {
        "check_id": check["id"],
        "description": check.get("description", ""),
        "op": check["op"],
        "figures": list(check["figures"]),
        "against": check["against"],
        "value": value,
        "low": low,
        "high": high,
        "against_value": float(target["value"]),
        "against_low": float(target["low"]),
        "against_high": float(target["high"]),
        "difference": value - float(target["value"]),
        "expected_difference": expected,
        "passed": bool(passed),
        "explanation": explanation,
        "difference_note": check.get("difference_note", ""),
    }


def package_checks(package: dict, figures: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Return one row per declared check (``CHECK_COLUMNS``) and a Problem per failed one.

    A check passes when its declared ``expected_difference`` (0 unless the pages
    themselves leave a gap, then stated with a ``difference_note``) lies within what
    the figures allow once each is read as rounded to its last non-zero digit.
    """
    where = f"{package.get('name', '?')}/datapackage.json"
    known = set(figures["figure_id"])
    rows, problems = [], []
    for check in package.get("x-package-checks", []):
        unknown = [f for f in [*check.get("figures", []), check.get("against")] if f not in known]
        if unknown or check.get("op") not in CHECK_OPS:
            problems.append(
                Problem(
                    where,
                    None,
                    "x-package-checks",
                    f"check {check.get('id')!r}: unknown figures {unknown} or op "
                    f"{check.get('op')!r} (allowed {list(CHECK_OPS)})",
                    check.get("id"),
                )
            )
            continue
        if check.get("scale", 1) != 1 and not check.get("scale_note"):
            problems.append(
                Problem(
                    where,
                    None,
                    "x-package-checks",
                    "a scale needs a scale_note saying which units it converts",
                    check["id"],
                )
            )
        if check.get("expected_difference", 0) != 0 and not check.get("difference_note"):
            problems.append(
                Problem(
                    where,
                    None,
                    "x-package-checks",
                    "a non-zero expected_difference needs a difference_note saying "
                    "what the pages leave unexplained",
                    check["id"],
                )
            )
        row = _check_row(check, figures)
        rows.append(row)
        if not row["passed"]:
            target = figures[figures["figure_id"] == check["against"]].iloc[0]
            problems.append(
                Problem(
                    figures.attrs["file"],
                    int(target[LINE_COLUMN]),
                    "value",
                    f"package check {check['id']!r} fails: {row['explanation']}",
                    check["against"],
                )
            )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS), problems
