"""Plan a build: find the report notebooks and scenarios, check every parameter before any runs.

Notebooks are ``notebooks/[0-9][0-9]_*.ipynb``, found by name. Every parameter,
from a scenario file (``scenarios/<name>.yaml``) or ``--param``, is checked
against the notebooks' declared parameters (``notebooks/<stem>.params.yaml``
through ``magnet_watch.notebook.parameters``); an unknown name fails with the
list of valid ones, a wrong type or a value out of range with what is allowed.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from magnet_watch import paths
from magnet_watch.errors import ParameterError
from magnet_watch.text.yaml_strict import load_yaml

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
SCENARIO_KEYS = {"description", "parameters"}
DEFAULT_SCENARIO = "base"
SCENARIO_ORDER = ("low", DEFAULT_SCENARIO, "high")  # then any others, by name
# A scenario is a few lines (scenarios/*.yaml: under 1 KB, descriptions under 250
# characters). Its description is printed and copied into every page: a 50 MB one made
# 439 MB of reports. Larger files and descriptions are refused, with the limit.
MAX_SCENARIO_BYTES = 64 * 1024
MAX_DESCRIPTION_CHARS = 1_000


@dataclass(frozen=True)
class Project:
    """Where the build reads its inputs: the repository, or a test's temporary copy."""

    root: Path = paths.PROJECT_ROOT
    notebooks_dir: Path = paths.NOTEBOOKS_DIR
    scenarios_dir: Path = paths.PROJECT_ROOT / "scenarios"
    data_dir: Path = paths.DATA_DIR


@dataclass
class Scenario:
    """A named set of parameter values (``scenarios/<name>.yaml``) and where it came from."""

    name: str
    description: str
    parameters: dict[str, Any]
    origin: str


@dataclass
class NotebookPlan:
    """One notebook to build: its resolved parameters and the hash of its inputs."""

    stem: str
    path: Path
    overrides: dict[str, Any]  # the values passed to papermill (defaults stay in the notebook)
    parameters: list[dict]  # every parameter with its value, who set it and its meaning
    key: str = ""


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """Return the report notebooks (``NN_name.ipynb``) in name order."""
    return sorted(notebooks_dir.glob(NOTEBOOK_PATTERN))


# YAML 1.2's core schema, where PyYAML reads YAML 1.1: there `yes`, `no`, `on` and `off` are
# booleans and `3e-1` (an exponent without a dot) is a string.
_NULLS = {"None", "null", "Null", "NULL", "~"}  # None as the notebooks write it, and YAML's
_BOOLEANS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def parse_cli_value(text: str) -> Any:
    """Return a ``--param`` value read as YAML 1.2: ``0.3`` and ``3e-1`` are floats, ``2030``
    an int, ``true`` and ``false`` bools; ``yes``, ``no``, ``on`` and ``off`` stay words (so a
    yes/no parameter refuses them by its type). ``None`` (as the notebooks write it) and
    ``null`` both mean None. Raises ParameterError for an empty value: ``name=`` says nothing.
    """
    if not text:
        raise ParameterError("no value after '=': give one, or None for none")
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if value is None or isinstance(value, bool) else value


def parse_cli_params(items: list[str]) -> dict[str, Any]:
    """Return ``{name: value}`` from ``name=value`` strings; raise ParameterError on bad syntax."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: write it as name=value")
        try:
            values[name.strip()] = parse_cli_value(text.strip())
        except ParameterError as exc:
            raise ParameterError(f"--param {item!r}: {exc}") from None
    return values


def load_scenario(name: str, scenarios_dir: Path) -> Scenario:
    """Return the scenario in ``scenarios_dir/<name>.yaml``; raise ParameterError if malformed."""
    file = scenarios_dir / f"{name}.yaml"
    if not file.exists():
        known = sorted(p.stem for p in scenarios_dir.glob("*.yaml"))
        raise ParameterError(f"no scenario {name!r}: expected {file}; scenarios are {known}")
    if file.stat().st_size > MAX_SCENARIO_BYTES:
        raise ParameterError(
            f"{file}: {file.stat().st_size:,} bytes, over the limit of "
            f"{MAX_SCENARIO_BYTES:,} bytes for a scenario file"
        )
    try:
        raw = load_yaml(file.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"{file}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
            f"offset {exc.start}); save it as UTF-8"
        ) from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ParameterError(f"{file}: expected a mapping with 'description' and 'parameters'")
    unknown = set(raw) - SCENARIO_KEYS
    if unknown:
        raise ParameterError(
            f"{file}: unknown keys {sorted(unknown)}; allowed {sorted(SCENARIO_KEYS)}"
        )
    if not isinstance(raw.get("description"), str) or not raw["description"].strip():
        raise ParameterError(f"{file}: 'description' must say what the scenario assumes")
    if len(raw["description"]) > MAX_DESCRIPTION_CHARS:
        raise ParameterError(
            f"{file}: 'description' has {len(raw['description']):,} "
            f"characters, over the limit of {MAX_DESCRIPTION_CHARS:,}: "
            "say what the scenario assumes in a few sentences"
        )
    try:
        origin = str(file.resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        origin = str(file)
    return Scenario(name, raw["description"].strip(), raw["parameters"], origin)


def scenario_names(scenarios_dir: Path) -> list[str]:
    """Return the scenario names (``scenarios/*.yaml``): low, base, high, then the others."""
    names = sorted(p.stem for p in scenarios_dir.glob("*.yaml"))
    rank = {name: i for i, name in enumerate(SCENARIO_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def _declared(notebook: Path) -> tuple[dict[str, Any], dict[str, dict]]:
    """Return the notebook's parameter defaults and its specs (empty when it has no spec file)."""
    from magnet_watch.notebook.parameters import (
        load_parameter_specs,
        notebook_parameters,
        spec_path,
    )

    try:
        defaults = notebook_parameters(notebook)
    except ParameterError:
        defaults = {}  # a notebook without a parameters cell takes none
    specs = {}
    if spec_path(notebook.stem, notebook.parent).exists():
        specs = load_parameter_specs(notebook.stem, notebook.parent)["parameters"]
    return defaults, specs


def _check_type_against_default(stem: str, name: str, value: Any, default: Any) -> Any:
    """Check a value for a notebook without a spec file: it must have its default's type."""
    if default is None or isinstance(default, bool) != isinstance(value, bool):
        ok = default is None
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ParameterError(
            f"{stem}: parameter {name!r} = {value!r} has the wrong type "
            f"{type(value).__name__}: allowed {type(default).__name__} (default {default!r})"
        )
    return value


def declared_names(notebook: Path) -> list[str]:
    """Return the parameter names a notebook declares: its ``parameters`` cell and its spec file.

    Reads the notebook as plain JSON (no nbformat: this runs on every no-change build).
    """
    names = []
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = "".join(cell.get("source", ""))
            for node in ast.parse(source).body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            break
    spec = notebook.with_name(f"{notebook.stem}.params.yaml")
    if spec.exists():
        try:
            raw = load_yaml(spec.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ParameterError(f"{spec.name} is not valid YAML: {exc}") from exc
        if isinstance(raw, dict) and isinstance(raw.get("parameters"), dict):
            names += list(raw["parameters"])
    return list(dict.fromkeys(names))


def split_values(
    notebooks: list[Path], values: dict[str, Any], origin: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Return, per notebook stem, the values among ``values`` that notebook declares.

    Raises ParameterError for a name no notebook declares, listing the valid names
    (and the closest one) and saying where the bad name came from.
    """
    declared = {nb.stem: declared_names(nb) for nb in notebooks}
    valid = sorted({name for names in declared.values() for name in names})
    for name in values:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(
                f"unknown parameter {name!r} (from {origin.get(name, 'the command line')}): "
                f"no notebook declares it.{hint} Valid parameters: {', '.join(valid) or 'none'}"
            )
    return {
        stem: {k: v for k, v in values.items() if k in names} for stem, names in declared.items()
    }


def plan_notebooks(notebooks: list[Path], values: dict[str, Any], origin: dict[str, str]) -> list:
    """Return a NotebookPlan per notebook, after checking every value against the declarations.

    ``values`` are the parameters to set (from a scenario and the command line);
    ``origin`` says where each came from, for the error message. A name no
    notebook declares, a wrong type or an out-of-range value raises
    ParameterError before anything runs.
    """
    from magnet_watch.notebook.parameters import validate_parameters

    split_values(notebooks, values, origin)
    declared = {nb.stem: _declared(nb) for nb in notebooks}
    plans = []
    for nb in notebooks:
        defaults, specs = declared[nb.stem]
        names = list(dict.fromkeys([*defaults, *specs]))
        mine = {k: v for k, v in values.items() if k in names}
        try:
            if specs:
                checked = validate_parameters(nb.stem, mine, nb.parent)
            else:
                checked = {
                    k: _check_type_against_default(nb.stem, k, v, defaults.get(k))
                    for k, v in mine.items()
                }
        except ParameterError as exc:
            where = ", ".join(sorted({origin.get(k, "the command line") for k in mine}))
            raise ParameterError(f"notebook {nb.stem} (values from {where}): {exc}") from exc
        rows = []
        for name in names:
            spec = specs.get(name, {})
            meaning = "; ".join(x for x in (spec.get("description"), spec.get("unit")) if x)
            set_by = origin.get(name, "the command line") if name in checked else "notebook default"
            rows.append(
                {
                    "name": name,
                    "value": checked.get(name, defaults.get(name)),
                    "set_by": set_by,
                    "meaning": meaning,
                }
            )
        plans.append(NotebookPlan(nb.stem, nb, checked, rows))
    return plans


def scenario_origins(scenario: Scenario, extra: dict[str, Any]) -> dict[str, str]:
    """Return where each value comes from: the scenario file, or --param for ``extra``."""
    origin = {name: scenario.origin for name in scenario.parameters}
    origin.update({name: "--param" for name in extra})
    return origin
