"""Every module path the project's prose names resolves to the library as it is.

A pointer is a dotted path (``magnet_watch.data.usgs.load_usgs_reference``) or a file path
(``magnet_watch/notebook/parameters.py``, ``lib/magnet_watch/reports/templates/``). They are
read from the README and docs/, the notebooks (markdown and code cells), the notebooks'
``*.params.yaml`` specs, and the docstrings of lib/ and scripts/. A dotted path resolves when
its longest importable prefix is a module of the library and the rest are attributes of it;
a file path resolves when the file or folder exists under lib/. When a module moves, the
pointers left behind fail here, each named by file and line.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

import magnet_watch
from magnet_watch import paths

ROOT = paths.PROJECT_ROOT
LIB = Path(magnet_watch.__file__).resolve().parents[1]
POINTER = re.compile(r"(?<![\w./])(?:lib/)?magnet_watch(?:[./][A-Za-z_]\w*)+(?:\.py)?/?")


@dataclass(frozen=True)
class Pointer:
    where: str  # file, and line (or notebook cell and line)
    text: str


def _in_lines(where: str, lines: list[str], first: int = 1) -> Iterator[Pointer]:
    for number, line in enumerate(lines, start=first):
        for match in POINTER.finditer(line):
            yield Pointer(f"{where}, line {number}", match.group())


def _docstring_nodes(tree: ast.AST) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    yield body[0].value


def pointers(root: Path) -> Iterator[Pointer]:
    """Every pointer in the prose under ``root``: README, docs, notebooks, specs, docstrings."""
    for path in [root / "README.md", *sorted((root / "docs").glob("**/*.md"))]:
        if path.exists():
            name = str(path.relative_to(root))
            yield from _in_lines(name, path.read_text(encoding="utf-8").splitlines())
    for path in sorted((root / "notebooks").glob("*.params.yaml")):
        name = str(path.relative_to(root))
        yield from _in_lines(name, path.read_text(encoding="utf-8").splitlines())
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            where = f"{path.relative_to(root)}, cell {index} ({cell.cell_type})"
            yield from _in_lines(where, cell.source.splitlines())
    for path in sorted([*(root / "lib").glob("**/*.py"), *(root / "scripts").glob("*.py")]):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _docstring_nodes(ast.parse(source)):
            span = lines[node.lineno - 1 : node.end_lineno]
            yield from _in_lines(str(path.relative_to(root)), span, first=node.lineno)


def _module_prefix(parts: list[str]) -> int:
    """How many of ``parts`` name a module or package of the library (0: none does)."""
    for size in range(len(parts), 0, -1):
        try:
            if importlib.util.find_spec(".".join(parts[:size])) is not None:
                return size
        except (ImportError, ValueError):
            continue
    return 0


def why_unresolved(text: str) -> str | None:
    """None when ``text`` names a real module, attribute, file or folder; otherwise why not."""
    if "/" in text or text.endswith(".py"):
        relative = text.removeprefix("lib/")
        if relative.endswith(".py") and "/" not in relative:
            relative = relative.removesuffix(".py").replace(".", "/") + ".py"
        return None if (LIB / relative).exists() else f"no such file under lib/: {relative}"
    parts = text.split(".")
    size = _module_prefix(parts)
    if size == 0:
        return "no such module"
    obj = importlib.import_module(".".join(parts[:size]))
    for depth, attribute in enumerate(parts[size:], start=size):
        if not hasattr(obj, attribute):
            return f"{'.'.join(parts[:depth])} has no attribute or module {attribute!r}"
        obj = getattr(obj, attribute)
    return None


def broken_pointers(root: Path) -> list[str]:
    """One line per pointer under ``root`` that does not resolve: where, what, why."""
    return [
        f"{pointer.where}: {pointer.text} ({reason})"
        for pointer in pointers(root)
        if (reason := why_unresolved(pointer.text)) is not None
    ]


def test_the_checker_reads_every_kind_of_prose_it_promises():
    found = {pointer.where.split(",")[0].split("/")[0] for pointer in pointers(ROOT)}
    kinds = {where for where in found if where in ("README.md", "docs", "notebooks", "lib")}
    assert kinds == {"README.md", "docs", "notebooks", "lib"}, found
    specs = [p for p in pointers(ROOT) if ".params.yaml" in p.where]
    assert specs, "no pointer read from a notebooks/*.params.yaml header"


def test_every_module_path_named_in_docs_notebooks_specs_and_docstrings_resolves():
    broken = broken_pointers(ROOT)
    assert not broken, "module paths that do not resolve:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    ("text", "resolves"),
    [
        ("magnet_watch.data.usgs.load_usgs_reference", True),
        ("magnet_watch.errors.DataValidationError", True),
        ("magnet_watch.load_package", True),
        ("magnet_watch/notebook/parameters.py", True),
        ("lib/magnet_watch/reports/templates/", True),
        ("magnet_watch.numbers", False),
        ("magnet_watch.display.show_findings", False),
        ("magnet_watch.data.usgs.no_such_function", False),
        ("magnet_watch/parameters.py", False),
        ("lib/magnet_watch/no_such_folder/", False),
    ],
)
def test_a_pointer_resolves_only_to_what_exists(text, resolves):
    assert (why_unresolved(text) is None) is resolves, why_unresolved(text)


@pytest.fixture
def prose_copy(tmp_path: Path) -> Path:
    """A copy of the README, docs, notebooks and the library's sources, to break on purpose."""
    shutil.copy2(ROOT / "README.md", tmp_path / "README.md")
    for folder in ("docs", "notebooks", "lib", "scripts"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.png"))
    return tmp_path


def test_the_checker_names_each_broken_pointer_in_a_copy_by_file_and_line(prose_copy):
    assert broken_pointers(prose_copy) == []
    spec = prose_copy / "notebooks" / "02_capacity.params.yaml"
    spec.write_text("# see magnet_watch/parameters.py\n" + spec.read_text(encoding="utf-8"))
    module = prose_copy / "lib" / "magnet_watch" / "text" / "periods.py"
    module.write_text('"""Moved to magnet_watch.numbers.parse."""\n' + module.read_text())
    notebook_path = prose_copy / "notebooks" / "05_claims_check.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[0].source += "\n\nSee magnet_watch.display.show_findings."
    nbformat.write(notebook, notebook_path)
    docs = prose_copy / "docs" / "development.md"
    docs.write_text(docs.read_text(encoding="utf-8") + "\nThe size rule: magnet_watch.no_such.\n")

    broken = broken_pointers(prose_copy)

    lines = len(docs.read_text(encoding="utf-8").splitlines())
    assert broken == [
        f"docs/development.md, line {lines}: magnet_watch.no_such "
        "(magnet_watch has no attribute or module 'no_such')",
        "notebooks/02_capacity.params.yaml, line 1: magnet_watch/parameters.py "
        "(no such file under lib/: magnet_watch/parameters.py)",
        f"notebooks/05_claims_check.ipynb, cell 0 (markdown), line "
        f"{len(notebook.cells[0].source.splitlines())}: magnet_watch.display.show_findings "
        "(magnet_watch has no attribute or module 'display')",
        "lib/magnet_watch/text/periods.py, line 1: magnet_watch.numbers.parse "
        "(magnet_watch has no attribute or module 'numbers')",
    ]
