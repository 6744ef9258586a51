"""Notebook parameters: their specs, their validation, and the defaults a notebook declares.

Every parameter is declared once, in the parameter dictionary ``notebooks/parameters.yaml``.
Each parameterised notebook ``notebooks/<stem>.ipynb`` has a spec file beside it,
``notebooks/<stem>.params.yaml``, that lists the names it takes, may give a parameter the
notebook's own description (``overrides``; nothing else can be overridden) and states rules
across parameters::

    parameters: [start_year, target_year, nd_mass_fraction]
    overrides:
      target_year:
        description: Base case year the national magnet target is reached.
    rules: [...]

A notebook may also declare a parameter of its own as a mapping entry (``parameters:
{name: spec}``), if the dictionary does not declare it; declaring a name twice is an error.
An entry of the dictionary (and a notebook's own) reads::

    parameters:
      nd_mass_fraction:
        type: float            # int | float | str | bool | date (an ISO day within the record)
        min: 0                 # optional, inclusive bound (numbers only)
        max: 1                 # optional, inclusive bound (numbers only)
        exclusive_min: false   # optional: true makes min a strict bound (value > min)
        exclusive_max: false   # optional: true makes max a strict bound (value < max)
        choices: [a, b]        # optional: the allowed values (any type)
        choice_labels: {a: the words for a, b: ...}   # optional: each choice as readers read it
        nullable: false        # optional: true allows None ("take it from the facts table")
        unit: fraction of magnet mass   # required: unit, or what the value means
        description: Mass share of neodymium in an NdFeB magnet.   # required
        plausible:             # optional: the assumption's plausible range, declared once
          low: 0.25            # numbers: the ends (within min/max) and the grid step that
          high: 0.32           # the explorer controls and the report pages use
          step: 0.01
          reason: pure Nd2Fe14B is 26.7% Nd; ...   # required: why these ends (or the source)
          # choices: [a, b]    # instead of low/high/step for a parameter with choices
    rules:                     # optional
      - left: target_year
        op: ">"                # one of > >= < <= !=
        right: start_year
        message: the target year must come after the start year   # optional

A notebook's first code cell after its ``parameters`` cell calls
``params = check_notebook_parameters("<stem>", globals())`` (``notebook.namespace``): it reads the declared
names' values from the notebook's namespace, validates them, and refuses any name set
there that the spec does not declare (a typo passed to ``papermill -p`` stops the run
with the allowed names listed, under papermill, nbval and JupyterLab alike).

``validate_parameters(stem, values)`` checks values against the spec and raises
``ParameterError`` naming the parameter, the value and what is allowed. A rule is
checked when both sides are known: from ``values``, else from the notebook's own
defaults (the tagged ``parameters`` cell), and skipped when either side is None.
``notebook_parameters(path)`` reads those defaults without running the notebook.
"""

from __future__ import annotations

import ast
import copy
import json
import math
import operator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from magnet_watch import paths
from magnet_watch.errors import ParameterError
from magnet_watch.text.yaml_strict import load_yaml

TYPES = {"int": int, "float": float, "str": str, "bool": bool, "date": str}  # date: an ISO day
SPEC_KEYS = {
    "type",
    "min",
    "max",
    "exclusive_min",
    "exclusive_max",
    "choices",
    "nullable",
    "unit",
    "description",
    "plausible",
    "label",
    "choice_labels",
}
PLAUSIBLE_KEYS = {"low", "high", "step", "choices", "reason"}
RULE_OPS = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "!=": operator.ne,
}


def spec_path(stem: str, notebooks_dir: Path | str | None = None) -> Path:
    """Return the path of the spec file of notebook ``stem`` (``notebooks/<stem>.params.yaml``)."""
    return Path(notebooks_dir or paths.NOTEBOOKS_DIR) / f"{stem}.params.yaml"


def _check_spec(file: Path, specs: dict, rules: list) -> None:
    """Raise ParameterError naming the file and entry when the spec itself is malformed."""
    for name, spec in specs.items():
        where = f"{file.name}: parameter {name!r}"
        if not isinstance(spec, dict):
            raise ParameterError(f"{where}: expected a mapping of type, min, max, ...")
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            raise ParameterError(
                f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(SPEC_KEYS)}"
            )
        if spec.get("type") not in TYPES:
            raise ParameterError(
                f"{where}: type must be one of {sorted(TYPES)}, got {spec.get('type')!r}"
            )
        for key in ("unit", "description"):
            if not spec.get(key):
                raise ParameterError(f"{where}: '{key}' is required")
        if ("min" in spec or "max" in spec) and spec["type"] not in ("int", "float"):
            raise ParameterError(f"{where}: min/max apply only to int and float parameters")
        if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
            raise ParameterError(f"{where}: min {spec['min']} is above max {spec['max']}")
        if "plausible" in spec:
            _check_plausible(where, name, spec)
        if "choice_labels" in spec:
            _check_choice_labels(where, spec)
    for i, rule in enumerate(rules):
        where = f"{file.name}: rule {i + 1}"
        if not isinstance(rule, dict) or rule.get("op") not in RULE_OPS:
            raise ParameterError(f"{where}: needs left, op (one of {list(RULE_OPS)}) and right")
        for side in ("left", "right"):
            if rule.get(side) not in specs:
                raise ParameterError(
                    f"{where}: {side} {rule.get(side)!r} is not a declared parameter"
                )


def _check_choice_labels(where: str, spec: dict) -> None:
    """Raise ParameterError unless ``choice_labels`` gives words to each choice, and only them."""
    labels, choices = spec["choice_labels"], spec.get("choices")
    if not choices:
        raise ParameterError(f"{where}: choice_labels needs choices")
    if not isinstance(labels, dict) or set(labels) != set(choices):
        given = sorted(labels) if isinstance(labels, dict) else labels
        raise ParameterError(
            f"{where}: choice_labels must label each choice {list(choices)} once; got {given}"
        )
    blank = [c for c, text in labels.items() if not isinstance(text, str) or not text.strip()]
    if blank:
        raise ParameterError(f"{where}: choice_labels for {blank} must be words, not empty")


def choice_label(spec: dict, value: Any) -> str:
    """Return a choice as readers read it: its ``choice_labels`` entry, else the value."""
    return str(spec.get("choice_labels", {}).get(value, value))


def _check_plausible(where: str, name: str, spec: dict) -> None:
    """Raise ParameterError when a ``plausible`` entry is malformed or outside what ``spec`` allows."""
    plausible = spec["plausible"]
    where = f"{where}: plausible"
    if not isinstance(plausible, dict) or set(plausible) - PLAUSIBLE_KEYS:
        raise ParameterError(f"{where}: expected a mapping with keys from {sorted(PLAUSIBLE_KEYS)}")
    if not plausible.get("reason"):
        raise ParameterError(f"{where}: 'reason' (why these ends, or their source) is required")
    if "choices" in plausible:
        if not plausible["choices"] or any(
            c not in spec.get("choices", []) for c in plausible["choices"]
        ):
            raise ParameterError(f"{where}: choices must be among {spec.get('choices')}")
        return
    if not all(k in plausible for k in ("low", "high", "step")):
        raise ParameterError(f"{where}: needs low, high and step (or choices)")
    low, high, step = plausible["low"], plausible["high"], plausible["step"]
    if not (low < high and step > 0):
        raise ParameterError(f"{where}: needs low < high and step > 0")
    steps = (high - low) / step
    if abs(steps - round(steps)) > 1e-9:
        raise ParameterError(f"{where}: high - low must be a whole number of steps")
    for end in (low, high):
        try:
            _validate_one(name, end, {k: v for k, v in spec.items() if k != "nullable"})
        except ParameterError as exc:
            raise ParameterError(f"{where}: {exc}") from exc


def plausible_grid(spec: dict) -> list:
    """Return the values a parameter's plausible range is evaluated at: its choices, or every
    step from low to high (each rounded to the step's decimals, so 0.27 is 0.27)."""
    plausible = spec["plausible"]
    if "choices" in plausible:
        return list(plausible["choices"])
    low, high, step = plausible["low"], plausible["high"], plausible["step"]
    decimals = max(0, -Decimal(str(step)).as_tuple().exponent)
    count = round((high - low) / step)
    values = [round(low + i * step, decimals) for i in range(count + 1)]
    return [int(v) for v in values] if spec["type"] == "int" else values


def plausible_ranges(stems: list[str], notebooks_dir: Path | str | None = None) -> dict[str, dict]:
    """Return ``{name: spec}`` for every parameter of the notebooks ``stems`` that declares a
    ``plausible`` range, in the order the notebooks list them. A range is declared once: with
    its parameter in the dictionary, or in one notebook's own spec (ParameterError naming both
    notebooks when two declare their own)."""
    dictionary = parameter_dictionary(notebooks_dir)
    found: dict[str, dict] = {}
    where: dict[str, str] = {}
    for stem in stems:
        for name, spec in load_parameter_specs(stem, notebooks_dir)["parameters"].items():
            if "plausible" not in spec:
                continue
            if name in found and name not in dictionary:
                raise ParameterError(
                    f"the plausible range of {name!r} is declared twice: in {where[name]} and "
                    f"{stem}; declare it once"
                )
            found.setdefault(name, spec)
            where.setdefault(name, stem)
    return found


DICTIONARY_FILE = "parameters.yaml"
OVERRIDABLE = {"description"}


@lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """Return ``load_yaml(text)``, parsed once per text: a spec is read at every validation
    (each control moved in a panel, each case of a scenario build), and parsing costs most of
    it. The file is still read each time, so an edited spec is parsed again."""
    return load_yaml(text)


def _read_yaml(file: Path) -> dict:
    try:
        # A copy: callers may change what they get, and the next reader must not see it.
        raw = copy.deepcopy(_parsed(file.read_text(encoding="utf-8"))) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{file.name} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParameterError(f"{file.name}: expected a mapping with 'parameters'")
    return raw


def parameter_dictionary(notebooks_dir: Path | str | None = None) -> dict[str, dict]:
    """Return ``{name: spec}``: every parameter as ``notebooks/parameters.yaml`` declares it
    (empty when the folder has no dictionary). Raises ParameterError when it is malformed."""
    file = Path(notebooks_dir or paths.NOTEBOOKS_DIR) / DICTIONARY_FILE
    if not file.exists():
        return {}
    raw = _read_yaml(file)
    if not isinstance(raw.get("parameters"), dict):
        raise ParameterError(f"{file.name}: expected a top-level 'parameters' mapping")
    _check_spec(file, raw["parameters"], [])
    return raw["parameters"]


def _notebook_specs(file: Path, declared, overrides, dictionary: dict) -> dict[str, dict]:
    """Return the notebook's ``{name: spec}``: its listed names from the dictionary (with its
    overrides) and its own mapping entries. ParameterError for an unknown or twice-declared
    name, or an override of anything but the description."""
    if isinstance(declared, list):
        unknown = [n for n in declared if n not in dictionary]
        if unknown:
            raise ParameterError(
                f"{file.name}: {unknown} not declared in {DICTIONARY_FILE}; "
                f"declared there: {sorted(dictionary)}"
            )
        specs = {n: dict(dictionary[n]) for n in declared}
    elif isinstance(declared, dict):
        twice = [n for n in declared if n in dictionary]
        if twice:
            raise ParameterError(
                f"{file.name}: {twice} already declared in {DICTIONARY_FILE}; "
                "list the name instead of declaring it again"
            )
        specs = dict(declared)
    else:
        raise ParameterError(f"{file.name}: 'parameters' must list names (or map new ones)")
    for name, changed in (overrides or {}).items():
        if name not in specs or not isinstance(changed, dict) or set(changed) - OVERRIDABLE:
            raise ParameterError(
                f"{file.name}: overrides of {name!r} may only change "
                f"{sorted(OVERRIDABLE)} of a parameter the notebook takes"
            )
        specs[name] = {**specs[name], **changed}
    return specs


def load_parameter_specs(stem: str, notebooks_dir: Path | str | None = None) -> dict:
    """Return ``{"parameters": {name: spec}, "rules": [rule, ...]}`` for notebook ``stem``: the
    names its YAML lists, as the parameter dictionary declares them (with its overrides).

    Raises ParameterError when a file is missing or malformed (naming the file and entry).
    """
    file = spec_path(stem, notebooks_dir)
    if not file.exists():
        raise ParameterError(f"no parameter spec for notebook {stem!r}: expected {file}")
    raw = _read_yaml(file)
    unknown = set(raw) - {"parameters", "overrides", "rules"}
    if unknown or "parameters" not in raw:
        raise ParameterError(
            f"{file.name}: expected 'parameters' (and optional 'overrides', "
            f"'rules'), found {sorted(raw)}"
        )
    specs = _notebook_specs(
        file, raw["parameters"], raw.get("overrides"), parameter_dictionary(notebooks_dir)
    )
    rules = raw.get("rules") or []
    _check_spec(file, specs, rules)
    return {"parameters": specs, "rules": rules}


def describe_allowed(spec: dict) -> str:
    """Return what a spec allows, in words: 'a float from 0 to 1 (fraction of magnet mass)'."""
    if "choices" in spec:
        allowed = "one of " + ", ".join(repr(c) for c in spec["choices"])
    else:
        allowed = f"{'an' if spec['type'] == 'int' else 'a'} {spec['type']}"
        low, high = spec.get("min"), spec.get("max")
        low_open, high_open = spec.get("exclusive_min"), spec.get("exclusive_max")
        if low is not None and high is not None:
            if low_open or high_open:
                lower = f"above {low}" if low_open else f"from {low}"
                upper = f"below {high}" if high_open else f"up to {high}"
                allowed += f" {lower} and {upper}"
            else:
                allowed += f" from {low} to {high}"
        elif low is not None:
            allowed += f" above {low}" if low_open else f" of at least {low}"
        elif high is not None:
            allowed += f" below {high}" if high_open else f" of at most {high}"
    if spec.get("nullable"):
        allowed += ", or None"
    return f"{allowed} ({spec['unit']})"


def label_text(spec: dict) -> str:
    """Return a control's label: the parameter's description (first sentence) and unit."""
    first = spec["description"].split(";")[0].split(". ")[0].rstrip(".")
    return f"{first} ({spec['unit']})"


def _validate_one(name: str, value: Any, spec: dict) -> Any:
    """Return ``value`` checked (and an int widened to float for a float parameter)."""
    allowed = describe_allowed(spec)
    prefix = f"parameter {name!r} = {value!r}"
    if value is None:
        if spec.get("nullable"):
            return None
        raise ParameterError(f"{prefix} is missing a value: allowed {allowed}")
    kind = spec["type"]
    if kind == "date":
        return _checked_day(prefix, value, allowed)
    # bool is an int in Python; a True passed for a number is a mistake, not 1.
    if kind == "bool":
        ok_type = isinstance(value, bool)
    elif kind == "float":
        ok_type = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok_type = isinstance(value, TYPES[kind]) and not isinstance(value, bool)
    if not ok_type:
        raise ParameterError(
            f"{prefix} has the wrong type {type(value).__name__}: allowed {allowed}"
        )
    if kind == "float":
        value = float(value)
        if not math.isfinite(value):
            raise ParameterError(f"{prefix} is not a finite number: allowed {allowed}")
    if "choices" in spec and value not in spec["choices"]:
        raise ParameterError(f"{prefix} is not an allowed choice: allowed {allowed}")
    low, high = spec.get("min"), spec.get("max")
    too_low = low is not None and (value <= low if spec.get("exclusive_min") else value < low)
    too_high = high is not None and (value >= high if spec.get("exclusive_max") else value > high)
    if too_low or too_high:
        raise ParameterError(f"{prefix} is out of range: allowed {allowed}")
    return value


def _checked_day(prefix: str, value: Any, allowed: str) -> str:
    """Return a date parameter as an ISO day, refused unless it is one within the record."""
    from magnet_watch.data.record_view import view_as_of

    try:
        return f"{view_as_of(value).as_of:%Y-%m-%d}"
    except ParameterError as exc:
        raise ParameterError(f"{prefix} is refused: {exc}; allowed {allowed}") from None


def validate_parameters(stem: str, values: dict, notebooks_dir: Path | str | None = None) -> dict:
    """Return ``values`` validated against ``notebooks/<stem>.params.yaml`` (ints widened to float
    where the spec says float). ``values`` may be a subset: a scenario overriding a few defaults.

    Raises ParameterError naming the parameter, its value and what is allowed, for an
    unknown name, a wrong type, a value out of range or not among the choices, or a
    broken rule across parameters.
    """
    specs = load_parameter_specs(stem, notebooks_dir)
    declared = specs["parameters"]
    unknown = [name for name in values if name not in declared]
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {unknown} for notebook {stem!r}: allowed {sorted(declared)}"
        )
    checked = {name: _validate_one(name, value, declared[name]) for name, value in values.items()}
    if specs["rules"]:
        notebook = Path(notebooks_dir or paths.NOTEBOOKS_DIR) / f"{stem}.ipynb"
        known = (notebook_parameters(notebook) if notebook.exists() else {}) | checked
        for rule in specs["rules"]:
            left, right = rule["left"], rule["right"]
            a, b = known.get(left), known.get(right)
            if a is None or b is None:
                continue
            if not RULE_OPS[rule["op"]](a, b):
                why = rule.get("message") or f"{left} must be {rule['op']} {right}"
                raise ParameterError(
                    f"parameter {left!r} = {a!r} with {right!r} = {b!r} is not allowed: {why}"
                )
    return checked


def notebook_parameters(path: Path | str) -> dict:
    """Return the defaults of a notebook's ``parameters``-tagged cell, ``{name: value}``.

    Reads the cell's simple assignments (``name = literal``) without running anything.
    Raises ParameterError when there is no tagged cell or a value is not a literal.
    """
    path = Path(path)
    # Plain JSON, not nbformat: every notebook validates its parameters on start-up, and
    # importing nbformat (with jsonschema) costs each kernel about a second.
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(
        (c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])),
        None,
    )
    if cell is None:
        raise ParameterError(f"{path.name} has no cell tagged 'parameters'")
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    defaults = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        try:
            defaults[target.id] = ast.literal_eval(value)
        except ValueError as exc:
            written = ast.unparse(value)
            raise ParameterError(
                f"{path.name}: parameter {target.id!r} must be a literal, got {written!r}"
            ) from exc
    return defaults
