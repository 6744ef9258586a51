"""The assumptions behind the quoted figures, read from the notebooks that own them.

Each assumption is a parameter of notebook 02 or 03: its default is that notebook's
``parameters`` cell, its plausible range the ``plausible`` entry of its spec
(``notebooks/<stem>.params.yaml``), declared once. The sensitivity notebook and the
explorer controls read them from there, so a range changes in one place.
"""

from __future__ import annotations

from pathlib import Path

from magnet_watch import paths
from magnet_watch.analysis.sensitivity import ASSUMPTIONS, Assumption, resolve_base
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.parameters import (
    load_parameter_specs,
    notebook_parameters,
    plausible_ranges,
)

ASSUMPTION_STEMS = ("02_capacity", "03_imports")


def default_values(stems=ASSUMPTION_STEMS, notebooks_dir=None) -> dict:
    """Return the notebooks' defaults of every model assumption (None kept: "from the facts").

    Raises ParameterError when two notebooks default the same assumption differently.
    """
    values: dict = {}
    for stem in stems:
        notebook = Path(notebooks_dir or paths.NOTEBOOKS_DIR) / f"{stem}.ipynb"
        for name, value in notebook_parameters(notebook).items():
            if name not in ASSUMPTIONS:
                continue
            if name in values and values[name] != value:
                raise ParameterError(
                    f"notebooks disagree on the default of {name!r}: {values[name]!r} and "
                    f"{value!r} ({stem})"
                )
            values[name] = value
    return values


def units(stems=ASSUMPTION_STEMS, notebooks_dir=None) -> dict[str, str]:
    """Return each parameter's unit as its spec states it."""
    found: dict[str, str] = {}
    for stem in stems:
        for name, spec in load_parameter_specs(stem, notebooks_dir)["parameters"].items():
            found.setdefault(name, spec["unit"])
    return found


def plausible_assumptions(
    inputs: ImportsInputs,
    values: dict | None = None,
    stems=ASSUMPTION_STEMS,
    notebooks_dir=None,
) -> tuple[list[Assumption], dict]:
    """Return (the assumptions with a plausible range, in spec order; the resolved base case).

    The base case is the notebooks' defaults with ``values`` (a scenario's, say) over them,
    resolved as the notebooks' own run resolves them (``sensitivity.resolve_base``).
    """
    base = resolve_base(default_values(stems, notebooks_dir) | (values or {}), inputs)
    found = []
    for name, spec in plausible_ranges(list(stems), notebooks_dir).items():
        p = spec["plausible"]
        found.append(
            Assumption(
                name=name,
                base=base[name],
                reason=" ".join(p["reason"].split()),
                low=p.get("low"),
                high=p.get("high"),
                choices=tuple(p.get("choices", ())),
                integer=spec["type"] == "int",
                label=spec.get("label", ""),
                unit=spec["unit"],
            )
        )
    return found, base
