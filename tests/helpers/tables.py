"""Bad-input tests change one cell of a copied CSV and expect the problems a load reports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from magnet_watch.errors import DataValidationError


def set_cell(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row whose first column is ``row_id``; return that row's CSV line."""
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    index = next((i for i, row in enumerate(rows) if row[0] == row_id), None)
    if index is None:
        raise AssertionError(f"no row {row_id} in {path.name}")
    rows[index][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    return index + 2  # the header is line 1


def problems_of(call) -> list:
    """Return the problems of the DataValidationError that ``call()`` raises."""
    with pytest.raises(DataValidationError) as info:
        call()
    return info.value.problems
