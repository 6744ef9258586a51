"""The library's layers, checked by import-linter against the contract in .importlinter.

`make lint` runs `lint-imports`. These tests show that it passes on the library as it is,
and that it fails, naming the broken contract, when a copy of the library breaks a layer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from magnet_watch import paths

ROOT = paths.PROJECT_ROOT
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGES_CONTRACT = "Stages import only downwards"
DRAWING_CONTRACT = "Computing and wording never load Altair"


def run_lint_imports(project: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on the library under ``project/lib``, with that folder first on the path."""
    env = dict(os.environ, PYTHONPATH=str(project / "lib"))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / ".importlinter"), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A copy of the contract and the library, to break on purpose."""
    shutil.copy2(ROOT / ".importlinter", tmp_path / ".importlinter")
    shutil.copytree(
        ROOT / "lib" / "magnet_watch",
        tmp_path / "lib" / "magnet_watch",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def test_the_library_keeps_its_layers():
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# (module that gains the import, the import, the contract it breaks, what the report names)
VIOLATIONS = [
    (
        "analysis/__init__.py",
        "from magnet_watch.charts import theme",
        STAGES_CONTRACT,
        "magnet_watch.analysis is not allowed to import magnet_watch.charts",
    ),
    (
        "data/__init__.py",
        "from magnet_watch.analysis import units",
        STAGES_CONTRACT,
        "magnet_watch.data is not allowed to import magnet_watch.analysis",
    ),
    (
        "text/__init__.py",
        "from magnet_watch.reports import build",
        STAGES_CONTRACT,
        "magnet_watch.text is not allowed to import magnet_watch.reports",
    ),
    (
        "narrative/__init__.py",
        "import altair",
        DRAWING_CONTRACT,
        "magnet_watch.narrative is not allowed to import altair",
    ),
    (
        "analysis/__init__.py",
        "import IPython",
        DRAWING_CONTRACT,
        "magnet_watch.analysis is not allowed to import IPython",
    ),
]


@pytest.mark.parametrize(("module", "line", "contract", "named"), VIOLATIONS)
def test_a_layer_violation_fails_the_lint(library_copy, module, line, contract, named):
    target = library_copy / "lib" / "magnet_watch" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = run_lint_imports(library_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert named in broken
