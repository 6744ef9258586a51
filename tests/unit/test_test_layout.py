"""The tests' own layout: modules pytest can import side by side.

The test folders have no ``__init__.py`` (pytest imports each test module by its file name,
with ``tests/`` on the path), so two test modules of one name in two folders stop the whole
run with "import file mismatch" before any test runs. A name says what a module tests and
where: ``unit/narrative/test_what_changed.py`` words, ``integration/test_what_changed_on_the_index.py``
the built index.
"""

from __future__ import annotations

from collections import defaultdict

from magnet_watch import paths

TESTS = paths.PROJECT_ROOT / "tests"


def test_no_two_test_modules_share_a_file_name():
    by_name = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        if "node_modules" not in path.parts:
            by_name[path.name].append(str(path.relative_to(TESTS)))
    assert by_name, "no test modules found"
    shared = {name: where for name, where in by_name.items() if len(where) > 1}
    assert not shared, shared
