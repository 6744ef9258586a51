"""The library stays readable: no module over 500 lines, no function over 75, measured on
the code as ruff formats it (issues 9 and 22; docs/development.md says why these limits).

Data tables are module-level constants, not functions, so they do not count against the
function limit.
"""

from __future__ import annotations

import ast

import pytest

from magnet_watch import paths

LIBRARY = paths.PROJECT_ROOT / "lib" / "magnet_watch"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 75
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


CODE = sorted(
    [
        *(
            path
            for folder in ("lib", "tests", "scripts")
            for path in (paths.PROJECT_ROOT / folder).rglob("*.py")
        ),
        *paths.NOTEBOOKS_DIR.glob("*.ipynb"),  # their cells are formatted by ruff too
    ]
)
OPT_OUTS = ("fmt: skip", "fmt: off")


def test_no_file_opts_out_of_the_formatter():
    """The size rule means something only if the formatter, not a hand, laid the code out."""
    found = [
        f"{path.relative_to(paths.PROJECT_ROOT)}:{number}"
        for path in CODE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(f"# {opt}" in line for opt in OPT_OUTS)
    ]
    assert not found, f"formatter opt-outs: {found}"
