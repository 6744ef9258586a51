"""The second round of hostile input (issue 21): nothing accepted silently, no traceback
where a sentence belongs. Each test here failed before issue 21.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import set_cell

import magnet_watch as mw
from magnet_watch import DataValidationError, paths
from magnet_watch.data.reference_packages import load_reference_package
from magnet_watch.data.schema import read_package


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


# ------------------------------------------------------------ quantities that cannot be negative

NEGATIVE = [
    # (case, file under data/, row id, column, bad value, derivation or None)
    ("a fact's value", "facts.csv", "ibns_irel_nd_plan_2026", "value", "-450", None),
    ("a range's low end", "facts.csv", "ipl_irel_nd_capacity", "low", "-100", None),
    ("a range's high end", "facts.csv", "ipl_irel_nd_capacity", "high", "-5", None),
    ("a derived tonnage", "facts.csv", "ibns_irel_nd_target_2030", "value", "-900",
     "0 - 2 * ibns_irel_nd_plan_2026"),
    ("a reference figure", "reference/cabinet-2025-11-26/figures.csv", "outlay", "value", "-7280",
     None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "row_id", "column", "bad", "derivation"),
    [case[1:] for case in NEGATIVE],
    ids=[case[0] for case in NEGATIVE],
)
def test_a_negative_quantity_is_refused_at_load_naming_line_and_column(
    project, file, row_id, column, bad, derivation
):
    line = set_cell(project / file, row_id, column, bad)
    if derivation:
        set_cell(project / file, row_id, "derivation", derivation)
    if file.startswith("reference/"):
        name = Path(file).parent.name
        with pytest.raises(DataValidationError) as info:
            load_reference_package(name, project / "reference")
    else:
        with pytest.raises(DataValidationError) as info:
            mw.load_package(project)
    problems = [p for p in info.value.problems if p.column == column and p.line == line]
    assert any(f"{bad} is below the minimum 0" in p.message for p in problems), str(info.value)


def test_negative_quantities_are_declared_in_the_schemas_not_in_code():
    facts = next(r for r in read_package(paths.DATA_DIR)["resources"] if r["name"] == "facts")
    bounded = {
        f["name"] for f in facts["schema"]["fields"] if "minimum" in f.get("constraints", {})
    }
    assert bounded == {"value", "low", "high"}
