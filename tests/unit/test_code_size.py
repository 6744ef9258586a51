"""The library stays readable: no module over 400 lines, no function over 60 (issue 9).

Data tables are module-level constants, not functions, so they do not count against the
function limit.
"""

from __future__ import annotations

import ast

import pytest

from magnet_watch import paths

LIBRARY = paths.PROJECT_ROOT / "lib" / "magnet_watch"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MODULES = sorted(LIBRARY.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(LIBRARY)))
def test_module_and_functions_are_short(module):
    text = module.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module.name} has {lines} lines"
    long = [
        f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module.name}: functions over {MAX_FUNCTION_LINES} lines: {long}"
