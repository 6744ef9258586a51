"""A notebook's parameters as its namespace holds them: which names its parameter cells set,
and ``check_notebook_parameters``, the first call after a notebook's ``parameters`` cell, which
reads them and validates them against the notebook's spec (``notebook.parameters``).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from types import ModuleType

from magnet_watch.data.record import AS_OF_ENV
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.parameters import load_parameter_specs, validate_parameters

# Names IPython itself puts in a notebook's namespace (besides the _-prefixed ones).
IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit"})


def _literal_assignments(source: str) -> set[str]:
    """Return the names ``source`` assigns when it is nothing but ``name = literal`` lines
    (what a parameters cell and papermill's injected-parameters cell are); else an empty set."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return set()
    names = set()
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target = node.target
        else:
            return set()
        if not isinstance(target, ast.Name):
            return set()
        try:
            ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return set()
        names.add(target.id)
    return names


def set_names(namespace: dict) -> list[str]:
    """Return the names a notebook's parameter cells set in ``namespace``, sorted.

    Only data counts: names starting with ``_``, IPython's own (``In``, ``Out``, ...),
    modules and callables are left out. Inside IPython, ``In`` (the cells run so far)
    narrows them to names assigned by cells made only of ``name = literal`` lines, so an
    import or a later analysis cell (``facts = mw.load_facts()``, re-run in JupyterLab)
    is never taken for a parameter.
    """
    history = namespace.get("In")
    assigned = None
    if isinstance(history, list) and all(isinstance(cell, str) for cell in history):
        assigned = set().union(*(_literal_assignments(cell) for cell in history))
    return sorted(
        name
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in IPYTHON_NAMES
        and not isinstance(value, ModuleType)
        and not callable(value)
        and (assigned is None or name in assigned)
    )


def check_notebook_parameters(
    stem: str, namespace: dict, notebooks_dir: Path | str | None = None
) -> dict:
    """Return the notebook's parameters ``{name: value}`` read from ``namespace`` (its
    ``globals()``) and validated against ``notebooks/<stem>.params.yaml``.

    Raises ParameterError when a name set in the namespace is not declared in the spec
    (listing the allowed names), when a declared name has no value, or when a value is
    refused by ``validate_parameters``. An ``as_of`` date given sets ``$MAGNET_WATCH_AS_OF``
    for the process, so its charts and plan counts work at that date (``current_record``).
    """
    declared = load_parameter_specs(stem, notebooks_dir)["parameters"]
    unknown = [name for name in set_names(namespace) if name not in declared]
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {unknown} for notebook {stem!r}: allowed {sorted(declared)}"
        )
    missing = [name for name in declared if name not in namespace]
    if missing:
        raise ParameterError(
            f"notebook {stem!r} sets no value for declared parameter(s) {missing}: "
            "its parameters cell must assign every name in its spec"
        )
    params = validate_parameters(stem, {name: namespace[name] for name in declared}, notebooks_dir)
    if params.get("as_of") is not None:  # the process works at it: charts, plan counts
        os.environ[AS_OF_ENV] = params["as_of"]
    return params
