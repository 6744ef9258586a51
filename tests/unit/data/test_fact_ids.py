"""Fact ids are named in data/ alone: models, words, charts and notebooks receive the rows
(``data.fact_ids.NamedFacts``, ``data.inputs``), never look a curated fact up by its id."""

from __future__ import annotations

import ast
import json

from magnet_watch import paths

LIB = paths.PROJECT_ROOT / "lib" / "magnet_watch"


def id_constants_named(source: str) -> list[str]:
    """Return the ``*_FACT`` constants a piece of code imports or reads as an attribute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [a.name for a in node.names if a.name.endswith("_FACT")]
        elif isinstance(node, ast.Attribute) and node.attr.endswith("_FACT"):
            found.append(node.attr)
    return found


def test_the_checker_finds_an_id_constant_imported_or_read_as_an_attribute():
    assert id_constants_named("from magnet_watch.data.fact_ids import X_FACT") == ["X_FACT"]
    assert id_constants_named("from magnet_watch.data import fact_ids\nfact_ids.Y_FACT") == [
        "Y_FACT"
    ]
    assert id_constants_named("from magnet_watch.data.fact_ids import NamedFacts") == []


def test_no_module_outside_data_names_a_fact_id():
    offenders = {}
    for path in sorted(LIB.rglob("*.py")):
        if path.relative_to(LIB).parts[0] == "data":
            continue
        names = id_constants_named(path.read_text(encoding="utf-8"))
        if names:
            offenders[str(path.relative_to(LIB))] = names
    assert offenders == {}


def test_no_notebook_names_a_fact_id():
    offenders = {}
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        names = id_constants_named(code)
        if names:
            offenders[path.name] = names
    assert offenders == {}
