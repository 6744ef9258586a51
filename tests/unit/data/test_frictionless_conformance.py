"""Our Table Schema reader (magnet_watch.data.schema) against the `frictionless` library.

A development check of conformance: on the real packages both must accept the data and read
every typed cell to the same value; on a set of bad cells both must refuse, except where our
reader is deliberately stricter (FRICTIONLESS_ACCEPTS says where and why). When a case
disagrees in a way not recorded here, either our reader drifted from the spec or frictionless
changed: the failure says which case.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch import DataValidationError, paths
from magnet_watch.data.schema import read_package, read_table

frictionless = pytest.importorskip("frictionless")

PACKAGES = [paths.DATA_DIR, paths.DATA_DIR / "reference"]


def _frictionless_report(descriptor: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # frictionless warns about its own deprecations
        return frictionless.validate(str(descriptor))


@pytest.mark.parametrize("folder", PACKAGES, ids=["data", "data/reference"])
def test_both_readers_accept_the_real_packages(folder):
    report = _frictionless_report(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])
    for resource in read_package(folder)["resources"]:
        assert len(read_table(folder, resource)) > 0, resource["path"]
    if folder == paths.DATA_DIR:
        assert len(mw.load_package(folder).facts) > 0  # keys, provenance and rules too


@pytest.mark.parametrize("folder", PACKAGES, ids=["data", "data/reference"])
def test_both_readers_read_every_typed_cell_to_the_same_value(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        package = frictionless.Package(str(folder / "datapackage.json"))
    compared = 0
    for resource in read_package(folder)["resources"]:
        ours = read_table(folder, resource)
        theirs = package.get_resource(resource["name"]).read_rows()
        assert len(ours) == len(theirs), resource["path"]
        for field in resource["schema"]["fields"]:
            if field.get("type") not in ("number", "integer", "boolean", "date"):
                continue
            for mine, row in zip(ours[field["name"]], theirs, strict=True):
                other = row[field["name"]]
                if other is None:
                    assert pd.isna(mine), (resource["path"], field["name"])
                    continue
                if field["type"] == "date":
                    other = pd.Timestamp(other)
                elif field["type"] == "number":
                    other = float(other)
                assert mine == other, (resource["path"], field["name"], mine, other)
                compared += 1
    assert compared > 0


# Bad cells: both refuse, or ours refuses deliberately (why, per case) --------------------------

NUMBER, INTEGER = {"type": "number"}, {"type": "integer"}
BOOLEAN, DATE = {"type": "boolean"}, {"type": "date"}
BAD_CELLS = [
    # (case, field of column x, cell in column x)
    ("number with a comma", NUMBER, "53,748"),
    ("number in words", NUMBER, "about 50"),
    ("number with a percent sign", NUMBER, "85%"),
    ("number below its minimum", {"type": "number", "constraints": {"minimum": 0}}, "-1"),
    ("integer with a point", INTEGER, "2024.0"),
    ("integer in words", INTEGER, "twenty"),
    ("boolean yes", BOOLEAN, "yes"),
    ("boolean in mixed case", BOOLEAN, "tRue"),
    ("date in words", DATE, "Aug 14 2025"),
    ("date not a real day", DATE, "2025-02-30"),
    ("date with a time", DATE, "2025-08-14T00:00"),
    ("required value empty", {"type": "string", "constraints": {"required": True}}, ""),
    ("value not in enum", {"type": "string", "constraints": {"enum": ["a", "b"]}}, "c"),
    ("value not matching pattern", {"type": "string", "constraints": {"pattern": "[a-z]+"}}, "A1"),
    # Cells frictionless reads although the spec's lexical forms do not allow them (or allow them
    # with a meaning the data must never have): ours refuses, see FRICTIONLESS_ACCEPTS.
    ("number with an underscore", NUMBER, "53_748"),
    ("integer with an underscore", INTEGER, "2_024"),
    ("number written Infinity", NUMBER, "Infinity"),
    ("number NaN", NUMBER, "NaN"),
    ("number INF", NUMBER, "INF"),
    ("number in full-width digits", NUMBER, "１２"),
    ("number padded with a space", NUMBER, " 12"),
    ("date with an unpadded month", DATE, "2025-8-14"),
]
FRICTIONLESS_ACCEPTS = {
    "number with an underscore": "frictionless reads numbers with Python's Decimal, which takes "
    "underscores; the spec's number is digits, point and exponent only",
    "integer with an underscore": "Python's int() takes underscores; the spec's integer does not",
    "number written Infinity": "Decimal takes 'Infinity'; the spec names only INF and -INF",
    "number NaN": "the spec allows NaN; a curated figure is never NaN, so ours refuses it as "
    "not finite",
    "number INF": "the spec allows INF; a curated figure is never infinite, so ours refuses it",
    "number in full-width digits": "Decimal takes any Unicode digit; the spec means 0-9",
    "number padded with a space": "frictionless strips the space; ours reports it, since a "
    "padded cell is a slip in hand-curated data",
    "date with an unpadded month": "frictionless' date parser takes 2025-8-14; the spec's "
    "default date format is YYYY-MM-DD",
}


def _write_package(folder: Path, csv_text: str, field: dict, **resource_extra) -> dict:
    """Write a one-table package (id, x) to ``folder``; return its resource descriptor."""
    (folder / "t.csv").write_bytes(csv_text.encode("utf-8"))
    resource = {
        "name": "t",
        "path": "t.csv",
        **resource_extra,
        "schema": {
            "primaryKey": ["id"],
            "fields": [{"name": "id", "type": "string"}, {"name": "x", **field}],
        },
    }
    descriptor = {"name": "conformance", "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return resource


def _ours_refuses(folder: Path, resource: dict) -> list:
    try:
        read_table(folder, resource)
    except DataValidationError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    ("case", "field", "cell"), BAD_CELLS, ids=[case for case, _, _ in BAD_CELLS]
)
def test_a_bad_cell_is_refused_by_both_or_ours_is_stricter_on_purpose(tmp_path, case, field, cell):
    resource = _write_package(tmp_path, f'id,x\nrow-1,"{cell}"\n', field)
    problems = _ours_refuses(tmp_path, resource)
    assert problems, f"{case}: our reader accepts {cell!r}"
    assert (problems[0].line, problems[0].column, problems[0].row_id) == (2, "x", "row-1")
    frictionless_refuses = not _frictionless_report(tmp_path / "datapackage.json").valid
    assert frictionless_refuses == (case not in FRICTIONLESS_ACCEPTS), (
        f"{case}: frictionless {'refuses' if frictionless_refuses else 'accepts'} {cell!r}; "
        "update FRICTIONLESS_ACCEPTS or the reader"
    )


BAD_TABLES = [
    # (case, CSV text, resource properties, does frictionless refuse it too)
    ("column written twice", "id,x,x\nrow-1,1,\n", {}, True),
    ("duplicate primary key", "id,x\nrow-1,1\nrow-1,2\n", {}, True),
    ("ragged row", "id,x\nrow-1,1,3\n", {}, True),
    # Ours refuses a BOM by name: frictionless skips it, but a spreadsheet or another tool
    # may not, and then the first column's name is wrong without a word.
    ("byte-order mark", "\ufeffid,x\nrow-1,1\n", {}, False),
    # x-min-rows is our own property (custom properties are allowed); frictionless ignores it.
    ("needed table with no rows", "id,x\n", {"x-min-rows": {"rows": 1, "reason": "needed"}}, False),
]


@pytest.mark.parametrize(
    ("case", "text", "extra", "frictionless_refuses"), BAD_TABLES, ids=[t[0] for t in BAD_TABLES]
)
def test_a_bad_table_is_refused(tmp_path, case, text, extra, frictionless_refuses):
    resource = _write_package(tmp_path, text, {"type": "number"}, **extra)
    assert _ours_refuses(tmp_path, resource), f"{case}: our reader accepts it"
    report = _frictionless_report(tmp_path / "datapackage.json")
    assert (not report.valid) == frictionless_refuses, report.flatten(["type", "message"])


def test_the_good_cells_both_readers_read_alike(tmp_path):
    cells = {
        "number": ["-3.5", "+7", "7.3e9", ".5"],
        "integer": ["+7", "-3", "2024"],
        "boolean": ["true", "True", "TRUE", "1", "false", "0"],
        "date": ["2025-08-14"],
    }
    for ftype, values in cells.items():
        rows = "".join(f"row-{i},{v}\n" for i, v in enumerate(values))
        resource = _write_package(tmp_path, f"id,x\n{rows}", {"type": ftype})
        ours = list(read_table(tmp_path, resource)["x"])
        assert _frictionless_report(tmp_path / "datapackage.json").valid, ftype
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = [
                r["x"]
                for r in frictionless.Resource(
                    str(tmp_path / "t.csv"),
                    schema=frictionless.Schema.from_descriptor(resource["schema"]),
                ).read_rows()
            ]
        if ftype == "date":
            theirs = [pd.Timestamp(t) for t in theirs]
        elif ftype == "number":
            theirs = [float(t) for t in theirs]
        assert all(
            math.isclose(a, b) if ftype == "number" else a == b
            for a, b in zip(ours, theirs, strict=True)
        ), (ftype, ours, theirs)
