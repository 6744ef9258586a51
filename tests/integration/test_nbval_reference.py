"""The nbval copies carry the recorded headline figures, so nbval's check of them can fail."""

from __future__ import annotations

import json
import sys

import nbformat
import pytest

from magnet_watch import paths
from magnet_watch.notebook.display import HEADLINES_MIME

sys.path.insert(0, str(paths.PROJECT_ROOT / "scripts"))
import nbval_reference  # noqa: E402

NOTEBOOKS = nbval_reference.notebook_paths()


def test_every_notebook_is_committed_bare():
    for path in paths.NOTEBOOKS_DIR.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        dirty = [
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.outputs or c.execution_count)
        ]
        assert not dirty, f"{path.name}: cells {dirty} carry outputs; run make format"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_recorded_headlines(path):
    recorded = json.loads(nbval_reference.expected_path(path.stem).read_text(encoding="utf-8"))
    assert recorded and HEADLINES_MIME in recorded[0]["data"]
    assert recorded[0]["data"][HEADLINES_MIME]["headlines"], (
        "an empty headline table checks nothing"
    )


def test_copies_carry_the_recorded_outputs_with_an_execution_count(tmp_path):
    written = nbval_reference.write_checked_copies(tmp_path)
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for path in written:
        nb = nbformat.read(path, as_version=4)
        cell = nbval_reference.headline_cell(nb)
        assert cell.source.startswith("# NBVAL_CHECK_OUTPUT")
        # nbval only compares a stored output whose cell has an execution count.
        assert cell.execution_count == 1 and cell.outputs
        others = [c for c in nb.cells if c.cell_type == "code" and c is not cell]
        assert all(not c.outputs for c in others)


def test_a_missing_record_is_refused_with_the_command_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setattr(nbval_reference, "EXPECTED", tmp_path / "nothing")
    with pytest.raises(SystemExit, match=r"--update 01_overview"):
        nbval_reference.write_checked_copies(tmp_path / "out")
