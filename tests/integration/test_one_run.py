"""One run per topic: the notebook, its offline explorer, its JupyterLab panel and the
sensitivity base case give the same headline figures for every setting a reader can reach.

The notebook's figures are its own: its code cells run in-process up to its headlines cell,
with the setting injected after its parameters cell (as papermill does), and the table its
headlines cell shows is captured. Every scenario in scenarios/, every value of every choice
parameter (the official clock with each allowed award year, both growth bases) and random
settings inside the declared ranges are tried.
"""

from __future__ import annotations

import json
import random
from functools import cache

import numpy as np
import pandas as pd
import pytest

from magnet_watch import load_facts, load_sources, paths
from magnet_watch.analysis import sensitivity
from magnet_watch.analysis.outlook import demand_outlook, neodymium_outlook
from magnet_watch.charts.explorers import FROM_FACTS
from magnet_watch.errors import ParameterError
from magnet_watch.notebook import display, explorer_grid, explorers, panels
from magnet_watch.notebook.assumptions import default_values
from magnet_watch.notebook.parameters import (
    load_parameter_specs,
    notebook_parameters,
    validate_parameters,
)
from magnet_watch.reports.plan import load_scenario, scenario_names

MODEL_STEMS = ("02_capacity", "03_imports")


@cache
def _cells(stem: str) -> tuple[str, str, str]:
    """The notebook's code before its parameters, the parameters cell, and the code after it
    up to and including its headlines cell."""
    cells = json.loads((paths.NOTEBOOKS_DIR / f"{stem}.ipynb").read_text())["cells"]
    code = [
        (c.get("metadata", {}).get("tags", []), "".join(c["source"]))
        for c in cells
        if c["cell_type"] == "code"
    ]
    at = next(i for i, (tags, _) in enumerate(code) if "parameters" in tags)
    end = next(i for i, (tags, _) in enumerate(code) if "headlines" in tags)
    before = "\n".join(src for _, src in code[:at])
    after = "\n".join(src for _, src in code[at + 1 : end + 1])
    return before, code[at][1], after


def notebook_headlines(stem: str, setting: dict, monkeypatch) -> pd.DataFrame:
    """Return the headline table notebook ``stem`` shows for ``setting`` (over its defaults)."""
    shown = []
    monkeypatch.setattr(display, "show_headlines", shown.append)
    before, parameters, after = _cells(stem)
    namespace: dict = {}
    names = load_parameter_specs(stem)["parameters"]
    injected = "\n".join(f"{name} = {value!r}" for name, value in setting.items() if name in names)
    exec(f"{before}\n{parameters}\n{injected}\n{after}", namespace)  # noqa: S102
    assert len(shown) == 1, f"{stem}'s headlines cell should show one table"
    return shown[0].reset_index(drop=True)


def settings() -> list[tuple[str, dict]]:
    """Every scenario, every choice parameter's every value, and the official clock at every
    allowed award year, each as (label, {name: value}) for the model notebooks."""
    found = []
    for name in scenario_names(paths.PROJECT_ROOT / "scenarios"):
        found.append(
            (f"scenario {name}", load_scenario(name, paths.PROJECT_ROOT / "scenarios").parameters)
        )
    specs = {
        **load_parameter_specs("02_capacity")["parameters"],
        **load_parameter_specs("03_imports")["parameters"],
    }
    for name, spec in specs.items():
        for choice in spec.get("choices", []):
            found.append((f"{name}={choice}", {name: choice}))
    award = specs["award_year"]
    for year in range(award["min"], award["max"] + 1):
        found.append(
            (f"official_terms award {year}", {"ramp_shape": "official_terms", "award_year": year})
        )
    found.append(
        ("the Cabinet's growth, s-curve", {"growth_basis": "cabinet", "ramp_shape": "s_curve"})
    )
    return found


SETTINGS = settings()


def _for(stem: str, setting: dict) -> dict:
    """The part of ``setting`` notebook ``stem`` takes, validated over its defaults."""
    names = load_parameter_specs(stem)["parameters"]
    values = notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")
    values.update({k: v for k, v in setting.items() if k in names})
    return validate_parameters(stem, values)


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.fixture(scope="module")
def sources():
    return load_sources()


def _default_case(tables: dict, controls, axes: dict) -> pd.DataFrame:
    """The grid's headline rows of the case the explorer starts at (its controls' defaults)."""
    ticked = {c.column for c in controls if c.kind == "checkbox" and c.default}
    point = {
        c.column: (FROM_FACTS if c.column in ticked else c.default)
        for c in controls
        if c.kind != "checkbox"
    }
    heads = tables["headlines"]
    mask = np.ones(len(heads), dtype=bool)
    for name in axes:
        mask &= (heads[name] == point[name]).to_numpy()
    assert mask.any(), f"no grid case at the controls' defaults {point}"
    return heads[mask]


def _same_figures(grid_rows: pd.DataFrame, notebook: pd.DataFrame) -> None:
    pairs = zip(notebook["value"], notebook["period"], strict=True)
    by_figure = dict(zip(notebook["figure"], pairs, strict=True))
    for row in grid_rows.to_dict("records"):
        assert (row["value"], row["period"]) == by_figure[row["figure"]], row["figure"]


@pytest.mark.parametrize("label,setting", SETTINGS, ids=[label for label, _ in SETTINGS])
def test_the_explorer_panel_and_sensitivity_base_give_the_notebooks_figures(
    label, setting, facts, sources, imports_inputs, capacity_inputs, monkeypatch
):
    capacity_params, imports_params = _for("02_capacity", setting), _for("03_imports", setting)
    # 02: the notebook, its explorer's default case and its panel.
    shown = notebook_headlines("02_capacity", setting, monkeypatch)
    tables, controls, axes = explorers.capacity_grid(capacity_params, capacity_inputs)
    _same_figures(_default_case(tables, controls, axes), shown)
    panel = panels.capacity_recompute(capacity_inputs, facts, sources)(capacity_params)[0]
    pd.testing.assert_frame_equal(panel.reset_index(drop=True), shown.iloc[: len(panel)])
    # 03: the same.
    shown = notebook_headlines("03_imports", setting, monkeypatch)
    tables, controls, axes = explorers.imports_grid(imports_params, imports_inputs)
    _same_figures(_default_case(tables, controls, axes), shown)
    panel = panels.imports_recompute(imports_inputs, facts, sources)(imports_params)[0]
    pd.testing.assert_frame_equal(panel.reset_index(drop=True), shown)
    # The sensitivity base case: the same numbers in the target year.
    _same_as_sensitivity_base(capacity_params, imports_params, imports_inputs)


def _same_as_sensitivity_base(capacity_params: dict, imports_params: dict, inputs) -> None:
    names = sensitivity.ASSUMPTIONS
    values = default_values() | {
        k: v for k, v in {**capacity_params, **imports_params}.items() if k in names
    }
    base = sensitivity.resolve_base(values, inputs)
    need = neodymium_outlook(capacity_params, inputs.capacity)
    demand = demand_outlook(imports_params, inputs)
    year = need.ramp.target_year
    found = sensitivity.outcomes(base, year, inputs)
    gap = need.gap.set_index("year")
    assert found["nd_need_t_per_yr"] == gap.loc[year, "nd_needed_t_per_yr"]
    assert found["nd_gap_t_per_yr"] == gap.loc[year, "nd_gap_low_t_per_yr"]
    assert found["covered_pct"] == demand.coverage.set_index("year").loc[year, "covered_pct"]
    first = need.first_shortfall_year
    assert (
        np.isnan(found["first_shortfall_year"])
        if first is None
        else found["first_shortfall_year"] == first
    )


def _random_setting(rng: random.Random) -> dict:
    """A setting drawn inside the parameters' declared plausible ranges."""
    setting = {
        "nd_mass_fraction": round(rng.uniform(0.25, 0.32), 3),
        "growth_rate_pct_per_yr": rng.choice([None, round(rng.uniform(0, 30), 2)]),
        "growth_basis": rng.choice(["articles", "cabinet"]),
        "base_demand_t": rng.choice([None, round(rng.uniform(1_000, 100_000))]),
        "start_output_t_per_yr": rng.choice([0.0, round(rng.uniform(0, 2_000), 1)]),
    }
    if rng.random() < 0.2:
        setting |= {"ramp_shape": "official_terms", "award_year": rng.randint(2025, 2032)}
    else:
        start = rng.choice([None, rng.randint(2024, 2031)])
        target = rng.choice([None, rng.randint(max(start or 2026, 2025) + 1, 2040)])
        if start is not None and target is None and start >= 2032:
            target = start + 1
        setting |= {
            "ramp_shape": rng.choice(["linear", "s_curve", "front_loaded", "back_loaded"]),
            "start_year": start,
            "target_year": target,
        }
    return setting


RANDOM = [_random_setting(random.Random(seed)) for seed in range(300)]


@pytest.mark.slow
def test_random_settings_give_the_same_figures_through_the_panel_and_the_sensitivity_base(
    facts, sources, imports_inputs
):
    for setting in RANDOM:
        capacity_params, imports_params = _for("02_capacity", setting), _for("03_imports", setting)
        run = neodymium_outlook(capacity_params, imports_inputs.capacity)
        point = {
            "nd_mass_fraction": capacity_params["nd_mass_fraction"],
            "ramp_shape": capacity_params["ramp_shape"],
            "target_year": run.ramp.target_year,
        }
        case = neodymium_outlook(
            explorer_grid.case_params(capacity_params, point, run.ramp.target_year),
            imports_inputs.capacity,
        )
        pd.testing.assert_frame_equal(case.gap, run.gap)
        _same_as_sensitivity_base(capacity_params, imports_params, imports_inputs)


@pytest.mark.parametrize("stem", MODEL_STEMS)
def test_a_start_year_inside_the_grids_target_years_still_builds_the_explorer(stem, imports_inputs):
    params = _for(stem, {"start_year": 2031})
    grid = explorers.capacity_grid if stem == "02_capacity" else explorers.imports_grid
    inputs = imports_inputs.capacity if stem == "02_capacity" else imports_inputs
    tables, controls, axes = grid(params, inputs)
    assert axes["target_year"] and all(year > 2031 for year in axes["target_year"])
    assert not tables["series"].empty


def test_a_start_year_after_the_schemes_horizon_is_refused_in_words_about_the_start_year(
    capacity_inputs,
):
    with pytest.raises(ParameterError, match=r"'start_year' = 2034 must come before .* 2032"):
        neodymium_outlook(_for("02_capacity", {"start_year": 2034}), capacity_inputs)
