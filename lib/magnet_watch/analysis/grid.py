"""A model evaluated over a grid of parameter values, for pages that explore without a kernel.

A report page cannot run Python, so its controls pick from figures the Python model computed
at build time: every combination of the grid's values (``grid_points``), each evaluated by
the caller's function (``evaluate_grid``). Nothing is interpolated: a control can only land
on a computed point.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pandas as pd


def grid_points(axes: dict[str, list]) -> list[dict]:
    """Return every combination of the axes' values, ``{name: value}``, the last axis fastest."""
    names = list(axes)
    if any(not axes[n] for n in names):
        raise ValueError(f"every grid axis needs at least one value: {axes}")
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*axes.values())]


def evaluate_grid(
    axes: dict[str, list], evaluate: Callable[[dict], dict[str, pd.DataFrame]]
) -> dict[str, pd.DataFrame]:
    """Return ``evaluate(point)`` for every grid point, each named frame concatenated over
    the points, with leading columns ``case`` (the point's number in ``grid_points`` order)
    and the point's values (one column per axis).

    ``evaluate`` returns ``{table name: frame}``; every point must return the same names.
    """
    tables: dict[str, list[pd.DataFrame]] = {}
    for case, point in enumerate(grid_points(axes)):
        for name, frame in evaluate(point).items():
            keyed = frame.copy()
            keyed.insert(0, "case", case)
            for i, (axis, value) in enumerate(point.items(), start=1):
                keyed.insert(i, axis, [value] * len(keyed))
            tables.setdefault(name, []).append(keyed)
    return {name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()}
