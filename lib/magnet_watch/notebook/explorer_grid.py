"""The explorers' grid: controls generated from the parameter specs, a model evaluated over
the plausible grid of each controlled parameter (``notebook.explorers`` builds every explorer
on it).

Each controlled parameter's values are its ``plausible`` grid (``notebooks/<stem>.params.yaml``)
plus this run's own value, so the controls start at the report's case. A nullable parameter
whose "from the facts" value lies off the grid gets a checkbox ("from the facts") beside its
slider. A run value off the plausible grid turns the slider into a dropdown of the computed values.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from magnet_watch.analysis.grid import evaluate_grid, grid_points
from magnet_watch.analysis.official_terms import OFFICIAL_RAMP_SHAPE
from magnet_watch.charts.explorers import FROM_FACTS, Control
from magnet_watch.narrative.explorers import grid_words
from magnet_watch.notebook.assumptions import ASSUMPTION_STEMS
from magnet_watch.notebook.parameters import (
    choice_label,
    label_text,
    load_parameter_specs,
    plausible_grid,
    plausible_ranges,
)
from magnet_watch.text import formats as fmt


def controls_for(
    stem: str, names: list[str], run_values: dict, resolved: dict
) -> tuple[list[Control], dict[str, list]]:
    """Return (the controls, the grid axes) for the parameters ``names`` of notebook ``stem``.

    ``run_values`` are this run's values (None: from the facts); ``resolved`` the values None
    stands for. An axis holds the plausible grid plus the run's value (FROM_FACTS for None
    when that value is off the grid, with a checkbox to pick it).
    """
    specs = load_parameter_specs(stem)["parameters"]
    # The model's assumptions declare their range in 02/03; other parameters in their own spec.
    ranges = plausible_ranges(list(dict.fromkeys([*ASSUMPTION_STEMS, stem])))
    controls, axes = [], {}
    for name in names:
        spec, grid = specs[name], plausible_grid(ranges[name])
        value = resolved[name] if run_values[name] is None else run_values[name]
        # The JupyterLab panel's label; the space keeps it off the page's input beside it.
        label = f"{label_text(spec)} "
        if "choices" in ranges[name]["plausible"]:
            axes[name] = grid if value in grid else [*grid, value]
            options = tuple(axes[name])
            words = tuple(choice_label(spec, v) for v in options)
            controls.append(
                Control(f"p_{name}", "select", label, value, name, options=options, labels=words)
            )
            continue
        step = ranges[name]["plausible"]["step"]
        facts_case = run_values[name] is None and value not in grid
        numbers = sorted(set(grid) | ({value} if not facts_case else set()))
        slider_default = min(numbers, key=lambda v: abs(v - value)) if facts_case else value
        if numbers == grid:
            controls.append(
                Control(
                    f"p_{name}",
                    "range",
                    label,
                    slider_default,
                    name,
                    low=numbers[0],
                    high=numbers[-1],
                    step=step,
                )
            )
        else:
            controls.append(
                Control(f"p_{name}", "select", label, slider_default, name, options=tuple(numbers))
            )
        axes[name] = numbers
        if spec.get("nullable") and resolved[name] not in grid:
            axes[name] = [*numbers, FROM_FACTS]
            controls.append(
                Control(
                    f"p_{name}_facts",
                    "checkbox",
                    f"{facts_label(spec, resolved[name])} ",
                    facts_case,
                    name,
                    partner=f"p_{name}",
                )
            )
    return controls, axes


def facts_label(spec: dict, value: float) -> str:
    """Return the label of the checkbox that takes a parameter from the facts, in words from
    the parameter dictionary: "The growth of rare-earth magnet demand from the facts (14.9
    percent per year)"."""
    words = spec.get("label") or label_text(spec)
    return f"{words[:1].upper()}{words[1:]} from the facts ({fmt.factor(value)} {spec['unit']})"


def axes_words(stem: str, controls: list[Control], axes: dict[str, list]) -> str:
    """Return the grid in words (see ``narrative.explorers.grid_words``)."""
    specs = load_parameter_specs(stem)["parameters"]
    steps = {c.column: c.step for c in controls if c.kind == "range"}
    described = [
        (
            specs[n].get("label", n),
            specs[n]["unit"],
            [choice_label(specs[n], x) for x in v] if "choices" in specs[n] else v,
            steps.get(n),
        )
        for n, v in axes.items()
    ]
    return grid_words(described, len(grid_points(axes)))


def grid_tables(
    axes: dict[str, list],
    evaluate: Callable[[dict], tuple[pd.DataFrame, pd.DataFrame]],
    digits: dict[str, int],
    series_columns: list[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the grid tables. ``evaluate(point)`` returns (series by year, headline rows):
    "series" is the first (only its ``series_columns``, when given), rounded to ``digits`` per
    column (what the chart draws and its tooltips show); "headlines" the headline rows whose
    figure moves across the grid, numbered by ``order`` (their line within the case)."""
    tables = evaluate_grid(
        axes, lambda point: dict(zip(("series", "headlines"), evaluate(point), strict=True))
    )
    # Selected and rounded once, not per case: the same figures, without frame work per case.
    series = tables["series"]
    if series_columns is not None:
        series = series[["case", *axes, *series_columns]]
    tables["series"] = series.round(digits)
    heads = tables["headlines"]
    # A figure moves when its value differs between cases or it is missing from some (its
    # name can carry a setting: "central 90% of 10,000 draws"); the others stay static.
    by_figure = heads.groupby("figure", sort=False)
    cases = heads["case"].nunique()
    moving = (by_figure["value"].nunique() > 1) | (by_figure["case"].nunique() < cases)
    heads = heads[heads["figure"].map(moving)].copy()
    heads["order"] = heads.groupby("case").cumcount()
    tables["headlines"] = heads[["case", *axes, "figure", "value", "period", "order"]]
    tables["series"] = tables["series"].drop(columns=list(axes))
    return {name: frame.reset_index(drop=True) for name, frame in tables.items()}


def _facts_point(point: dict) -> dict:
    """Return a grid point with FROM_FACTS back to None (what the library takes for it)."""
    return {k: (None if v == FROM_FACTS else v) for k, v in point.items()}


def case_params(run_values: dict, point: dict, default_target_year: int) -> dict:
    """Return the parameter values of one grid case: the run's, with the point's over them.

    The target year the run left to the facts stays None at its default; with the official
    clock the award year sets it, so the target year's control moves nothing there."""
    params = {**run_values, **_facts_point(point)}
    if "target_year" in point and (
        params.get("ramp_shape") == OFFICIAL_RAMP_SHAPE
        or (run_values.get("target_year") is None and point["target_year"] == default_target_year)
    ):
        params["target_year"] = None
    return params
