"""A model evaluated over a grid of parameter values, for pages that explore without a kernel.

A report page cannot run Python, so its controls pick from figures the Python model computed
at build time: every combination of the grid's values (``grid_points``), each evaluated by
the caller's function (``evaluate_grid``). Nothing is interpolated: a control can only land
on a computed point.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
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
    points = grid_points(axes)
    frames: dict[str, list[pd.DataFrame]] = {}
    for point in points:
        for name, frame in evaluate(point).items():
            frames.setdefault(name, []).append(frame)
    tables = {}
    for name, parts in frames.items():
        if len(parts) != len(points):
            raise ValueError(
                f"table {name!r} was returned for {len(parts)} of {len(points)} points"
            )
        # The keys are built once per table, not copied into every point's frame.
        cases = np.repeat(np.arange(len(points)), [len(p) for p in parts])
        keys = {"case": cases} | {
            axis: pd.Series([points[c][axis] for c in cases], dtype=object).infer_objects()
            for axis in axes
        }
        body = pd.concat(parts, ignore_index=True)
        tables[name] = pd.concat([pd.DataFrame(keys), body], axis=1)
    return tables
