"""Broken copies of the tables fail to load as a whole, naming file, line and column."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.tables import set_cell

import magnet_watch as mw
from magnet_watch import DataValidationError, paths
from magnet_watch.data.schema import read_package, read_table


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


def edit_csv(path: Path, change) -> None:
    """Rewrite a CSV after ``change(header, rows)`` mutates its header and rows in place."""
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])


def load_error(data_dir: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        mw.load_package(data_dir)
    return info.value


def assert_names(
    error: DataValidationError, file: str, line: int | None, column: str | None, text: str
):
    """The error message names the file, the line, the column and what was wrong."""
    message = str(error)
    matching = [
        p for p in error.problems if p.file == file and p.column == column and text in p.message
    ]
    assert matching, f"no problem for {file}/{column} with {text!r} in:\n{message}"
    if line is not None:
        assert any(p.line == line for p in matching), message
        assert f"{file}, line {line}" in message
    assert f"column '{column}'" in message if column else True


def test_the_scratch_copy_loads(project):
    assert len(mw.load_package(project).facts) == len(mw.load_facts())


def test_missing_column(project):
    def drop_unit(header, rows):
        i = header.index("unit")
        for row in [header, *rows]:
            del row[i]

    edit_csv(project / "facts.csv", drop_unit)
    assert_names(load_error(project), "facts.csv", 1, "unit", "column missing")


BAD_CELLS = [
    # (case, file, row id, column, bad value, what the error must say)
    (
        "unknown unit",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "unit",
        "tons",
        "'tons' is not a known unit",
    ),
    (
        "value not a number",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "value",
        "53,748",
        "expected a number, got '53,748'",
    ),
    (
        "low above high",
        "facts.csv",
        "ipl_irel_nd_capacity",
        "low",
        "600",
        "low 600 is above high 500",
    ),
    ("value and range", "facts.csv", "ipl_irel_nd_capacity", "value", "450", "not both"),
    (
        "unknown source id",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "source_id",
        "reuters",
        "'reuters' is not a known source_id",
    ),
    (
        "duplicate id",
        "facts.csv",
        "ipl_irel_nd_capacity",
        "fact_id",
        "jkc_china_magnet_share",
        "duplicate value 'jkc_china_magnet_share' (first on line ",
    ),
    (
        "unknown qualifier",
        "facts.csv",
        "ibns_exports_japan_2024",
        "qualifier",
        "roughly",
        "'roughly' is not a known qualifier in qualifiers.csv",
    ),
    (
        "quote not in document",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "quote",
        "In FY25 alone, India imported 63,748 metric tons of rare earth magnets",
        "quote not found in ibns-export-halt",
    ),
    (
        "value not in quote",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "value",
        "53749",
        "53749 is not written in the quote",
    ),
    (
        "wrong derivation",
        "facts.csv",
        "ibns_irel_nd_target_2030",
        "value",
        "950",
        "gives 900, not 950",
    ),
    (
        "derivation words not in quote",
        "facts.csv",
        "ibns_irel_nd_target_2030",
        "derivation_words",
        "triple that",
        "is not in the quote",
    ),
    (
        "period of the wrong form",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "period",
        "2024",
        "does not have the form of a fiscal_year",
    ),
    ("share above 100", "facts.csv", "jkc_china_magnet_share", "value", "190", "between 0 and 100"),
    (
        "unit of the wrong dimension",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "unit",
        "USD",
        "measures currency, but metric 'magnet_imports'",
    ),
    (
        "event date not in quote",
        "events.csv",
        "sp_2025_06_export_halt",
        "date",
        "2024-06",
        "does not state 2024",
    ),
    (
        "event precision",
        "events.csv",
        "ibns_2010_china_blocks_japan",
        "date_precision",
        "month",
        "has year precision",
    ),
]


@pytest.mark.parametrize(
    ("file", "row_id", "column", "bad", "says"),
    [case[1:] for case in BAD_CELLS],
    ids=[case[0] for case in BAD_CELLS],
)
def test_a_bad_cell_is_named_by_file_line_and_column(project, file, row_id, column, bad, says):
    line = set_cell(project / file, row_id, column, bad)
    assert_names(load_error(project), file, line, column, says)


def test_changed_seed_file(project):
    seed = next((project.parent / "seeds").glob("undated_india-to-suspend*"))
    seed.write_text(seed.read_text(encoding="utf-8").replace("53,748", "54,748"), encoding="utf-8")
    error = load_error(project)
    assert_names(error, "sources.csv", 5, "sha256", "has changed")
    # The changed number is then also missing from the document: both are reported at once.
    assert any(
        p.column == "quote" and p.row_id == "ibns_magnet_imports_fy25" for p in error.problems
    )


def test_missing_seed_file(project):
    next((project.parent / "seeds").glob("undated_india-approves*")).unlink()
    assert_names(load_error(project), "sources.csv", 6, "file", "does not exist")


def test_event_date_not_in_quote_needs_a_note(project):
    line = set_cell(project / "events.csv", "sp_2025_06_export_halt", "date", "2024-06")
    assert_names(load_error(project), "events.csv", line, "date", "does not state 2024")


def test_event_precision_must_match_date(project):
    line = set_cell(
        project / "events.csv", "ibns_2010_china_blocks_japan", "date_precision", "month"
    )
    assert_names(load_error(project), "events.csv", line, "date_precision", "has year precision")


def test_ragged_row(project):
    with (project / "metrics.csv").open("a", encoding="utf-8") as fh:
        fh.write("orphan_metric,only two cells\n")
    lines = (project / "metrics.csv").read_text(encoding="utf-8").count("\n")
    assert_names(load_error(project), "metrics.csv", lines, None, "expected 6 cells, found 2")


def test_not_utf8(project):
    (project / "units.csv").write_bytes(
        "unit,dimension,description\nt,mass,tonnes \xe9\n".encode("latin-1")
    )
    assert_names(load_error(project), "units.csv", None, None, "not UTF-8")


def test_every_cell_problem_is_reported_at_once(project):
    # Cell problems in all tables come together; key, unit and provenance checks follow
    # once every cell is valid (they need typed tables).
    set_cell(project / "facts.csv", "ibns_magnet_imports_fy25", "period_type", "fiscal")
    set_cell(project / "facts.csv", "ipl_irel_nd_capacity", "low", "abc")
    set_cell(project / "events.csv", "ibns_2010_china_blocks_japan", "status", "rumoured")
    error = load_error(project)
    assert {p.column for p in error.problems} >= {"period_type", "low", "status"}
    assert {p.file for p in error.problems} == {"facts.csv", "events.csv"}


def test_every_key_and_provenance_problem_is_reported_at_once(project):
    set_cell(project / "facts.csv", "ibns_magnet_imports_fy25", "unit", "tons")
    set_cell(project / "facts.csv", "ibns_irel_nd_target_2030", "value", "950")
    set_cell(
        project / "events.csv", "sp_2025_06_export_halt", "quote", "In June 2025, nothing happened"
    )
    error = load_error(project)
    assert {(p.row_id, p.column) for p in error.problems} >= {
        ("ibns_magnet_imports_fy25", "unit"),
        ("ibns_irel_nd_target_2030", "value"),
        ("sp_2025_06_export_halt", "quote"),
    }


def test_a_failed_load_leaves_nothing_cached(project):
    good = mw.load_package(project)
    set_cell(project / "facts.csv", "ibns_magnet_imports_fy25", "value", "abc")
    load_error(project)
    load_error(project)  # still failing: the earlier good load is not served from the cache
    assert len(good.facts) > 0


# Cells are read as the Table Schema spec writes its types, nothing looser -----------------------

TYPED_CELLS = [
    # (case, field, cell as written, the value read, or the error it must give)
    ("plain number", {"type": "number"}, "53748", 53748.0),
    ("signed decimal", {"type": "number"}, "-3.5", -3.5),
    ("plus sign", {"type": "number"}, "+3.5", 3.5),
    ("exponent", {"type": "number"}, "7.3e9", 7.3e9),
    ("bare point", {"type": "number"}, ".5", 0.5),
    ("underscore", {"type": "number"}, "53_748", "expected a number, got"),
    ("comma not declared", {"type": "number"}, "53,748", "expected a number, got"),
    ("declared groupChar", {"type": "number", "groupChar": ","}, "53,748", 53748.0),
    (
        "groupChar at the end",
        {"type": "number", "groupChar": ","},
        "53748,",
        "digits grouped by ','",
    ),
    ("decimalChar", {"type": "number", "decimalChar": ","}, "3,5", 3.5),
    (
        "point when decimalChar is a comma",
        {"type": "number", "decimalChar": ","},
        "3.5",
        "expected a number",
    ),
    ("NaN", {"type": "number"}, "NaN", "expected a finite number, got 'NaN'"),
    ("-INF", {"type": "number"}, "-INF", "expected a finite number, got '-INF'"),
    ("Infinity is not the spec's INF", {"type": "number"}, "Infinity", "expected a number"),
    ("overflow", {"type": "number"}, "1e999", "expected a finite number"),
    ("hexadecimal", {"type": "number"}, "0x10", "expected a number"),
    ("full-width digits", {"type": "number"}, "１２", "expected a number"),
    ("percent sign", {"type": "number"}, "85%", "expected a number"),
    (
        "bareNumber false",
        {"type": "number", "bareNumber": False},
        "85%",
        "bareNumber False is not supported",
    ),
    ("integer", {"type": "integer"}, "2024", 2024),
    ("signed integer", {"type": "integer"}, "+7", 7),
    ("integer with underscore", {"type": "integer"}, "2_024", "expected an integer"),
    ("integer with a point", {"type": "integer"}, "2024.0", "expected an integer"),
    ("Arabic-Indic digits", {"type": "integer"}, "٢٠٢٤", "expected an integer"),
    ("true", {"type": "boolean"}, "true", True),
    ("TRUE", {"type": "boolean"}, "TRUE", True),
    ("1", {"type": "boolean"}, "1", True),
    ("False", {"type": "boolean"}, "False", False),
    ("0", {"type": "boolean"}, "0", False),
    (
        "yes",
        {"type": "boolean"},
        "yes",
        "expected a boolean ('true', 'True', 'TRUE', '1', "
        "'false', 'False', 'FALSE', '0'), got 'yes'",
    ),
    ("mixed case", {"type": "boolean"}, "tRue", "expected a boolean"),
    (
        "declared trueValues",
        {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        "yes",
        True,
    ),
    (
        "default value outside declared ones",
        {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        "true",
        "expected a boolean ('yes', 'no')",
    ),
    ("ISO date", {"type": "date"}, "2025-08-14", pd.Timestamp("2025-08-14")),
    (
        "date in words",
        {"type": "date"},
        "Aug 14 2025",
        "expected a real date written YYYY-MM-DD, got 'Aug 14 2025'",
    ),
    ("not a real day", {"type": "date"}, "2025-02-30", "expected a real date"),
    ("unpadded month", {"type": "date"}, "2025-8-14", "expected a real date"),
    ("date and time", {"type": "date"}, "2025-08-14T00:00", "expected a real date"),
    ("month only", {"type": "date"}, "2025-08", "expected a real date"),
    (
        "declared format",
        {"type": "date", "format": "%d/%m/%Y"},
        "14/08/2025",
        pd.Timestamp("2025-08-14"),
    ),
    (
        "declared format, other order",
        {"type": "date", "format": "%d/%m/%Y"},
        "2025-08-14",
        "expected a real date written %d/%m/%Y",
    ),
    ("format any", {"type": "date", "format": "any"}, "2025-08-14", "'any' is not supported"),
    ("unknown type", {"type": "datetime"}, "2025-08-14T00:00", "unsupported field type 'datetime'"),
]


@pytest.mark.parametrize(
    ("field", "cell", "expected"), [c[1:] for c in TYPED_CELLS], ids=[c[0] for c in TYPED_CELLS]
)
def test_a_cell_is_read_as_the_spec_writes_its_type(tmp_path, field, cell, expected):
    with (tmp_path / "t.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([["id", "x"], ["row-1", cell]])
    resource = {
        "path": "t.csv",
        "schema": {
            "primaryKey": ["id"],
            "fields": [{"name": "id", "type": "string"}, {"name": "x", **field}],
        },
    }
    if isinstance(expected, str):
        with pytest.raises(DataValidationError) as info:
            read_table(tmp_path, resource)
        (problem,) = info.value.problems
        assert (problem.file, problem.line, problem.column, problem.row_id) == (
            "t.csv",
            2,
            "x",
            "row-1",
        )
        assert expected in problem.message
    else:
        value = read_table(tmp_path, resource)["x"].iloc[0]
        assert value == expected and type(value) is not str


@pytest.mark.parametrize(
    ("file", "row_id", "column", "bad", "says"),
    [
        ("facts.csv", "ibns_magnet_imports_fy25", "value", "53_748", "got '53_748'"),
        ("sources.csv", "japan-korea-cooperation", "title_from_document", "yes", "got 'yes'"),
    ],
)
def test_a_loose_cell_in_the_real_tables_is_refused(project, file, row_id, column, bad, says):
    line = set_cell(project / file, row_id, column, bad)
    assert_names(load_error(project), file, line, column, says)


def test_a_padded_cell_is_one_problem_not_two(project):
    line = set_cell(project / "facts.csv", "ibns_magnet_imports_fy25", "value", " 53748")
    problems = [p for p in load_error(project).problems if p.line == line]
    assert [p.message for p in problems] == ["leading or trailing whitespace in ' 53748'"]


# Input that would change meaning without a word is refused, naming what is wrong ------------------


def test_a_duplicate_id_names_both_lines(project):
    first = set_cell(project / "facts.csv", "jkc_china_magnet_share", "fact_id", "same_id")
    second = set_cell(project / "facts.csv", "ipl_irel_nd_capacity", "fact_id", "same_id")
    assert_names(
        load_error(project),
        "facts.csv",
        second,
        "fact_id",
        f"duplicate value 'same_id' (first on line {first})",
    )


def test_a_primary_key_is_unique_even_without_a_unique_constraint(tmp_path):
    (tmp_path / "t.csv").write_text("id,x\na,1\nb,2\na,3\n", encoding="utf-8")
    resource = {
        "path": "t.csv",
        "schema": {
            "primaryKey": ["id"],
            "fields": [{"name": "id", "type": "string"}, {"name": "x", "type": "integer"}],
        },
    }
    with pytest.raises(DataValidationError) as info:
        read_table(tmp_path, resource)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, "id")
    assert "duplicate value 'a' (first on line 2)" in problem.message


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("facts.csv", "note"),
        ("facts.csv", "value"),
        ("events.csv", "date_note"),
        ("sources.csv", "source_id"),
    ],
)
def test_a_column_written_twice_is_refused_naming_both_positions(project, file, column):
    """A second, empty copy of a column would otherwise replace the first (every note wiped)."""
    positions = {}

    def add_empty_copy(header, rows):
        positions["first"] = header.index(column) + 1
        header.append(column)
        positions["second"] = len(header)
        for row in rows:
            row.append("")

    edit_csv(project / file, add_empty_copy)
    error = load_error(project)
    assert_names(
        error,
        file,
        1,
        column,
        f"column written 2 times in the header (columns {positions['first']}, "
        f"{positions['second']})",
    )
    assert not any("unexpected column" in p.message for p in error.problems)


EMPTY_TABLES = [
    ("facts.csv", "facts.csv has no rows: the notebooks need at least one fact"),
    ("events.csv", "events.csv has no rows: the notebooks need at least one event"),
    ("sources.csv", "sources.csv has no rows: the notebooks need at least one source document"),
    ("units.csv", "units.csv has no rows: the notebooks need at least one unit"),
    ("metrics.csv", "metrics.csv has no rows: the notebooks need at least one metric"),
]


@pytest.mark.parametrize(("file", "says"), EMPTY_TABLES, ids=[t[0] for t in EMPTY_TABLES])
def test_a_table_the_notebooks_need_cannot_be_empty(project, file, says):
    edit_csv(project / file, lambda header, rows: rows.clear())
    assert_names(load_error(project), file, None, None, says)


def test_every_needed_table_declares_its_minimum_with_a_reason():
    package = read_package(paths.DATA_DIR)
    declared = {r["name"]: r.get("x-min-rows") for r in package["resources"]}
    for name in ("sources", "units", "metrics", "facts", "events"):
        assert declared[name]["rows"] >= 1 and declared[name]["reason"], name


@pytest.mark.parametrize("file", ["facts.csv", "sources.csv", "units.csv"])
def test_a_byte_order_mark_is_refused_by_name_not_as_a_missing_column(project, file):
    path = project / file
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    error = load_error(project)
    (problem,) = error.problems
    assert (problem.file, problem.line, problem.column) == (file, 1, None)
    assert "starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without a BOM" in str(error)
    assert "missing" not in str(error) and "\ufeff" not in str(error)


def test_a_byte_order_mark_is_reported_with_the_other_problems(project):
    set_cell(project / "facts.csv", "ipl_irel_nd_capacity", "low", "abc")
    path = project / "facts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    messages = [p.message for p in load_error(project).problems]
    assert len(messages) == 2 and "byte-order mark" in messages[0]
    assert "expected a number, got 'abc'" in messages[1]


YAML_DUPLICATES = [
    # (what is read, file name, text, what the error must say)
    (
        "a parameter spec",
        "demo.params.yaml",
        "parameters:\n  x: {type: int, unit: u, description: d}\n"
        "  x: {type: float, unit: u, description: d}\n",
        "found duplicate key 'x' on line 3, first written on line 2",
    ),
    (
        "a scenario",
        "typo.yaml",
        "description: d\nparameters:\n  growth_pct: 5.0\n  ramp: linear\n  growth_pct: 9.0\n",
        "found duplicate key 'growth_pct' on line 5, first written on line 3",
    ),
]


@pytest.mark.parametrize(
    ("file", "text", "says"), [c[1:] for c in YAML_DUPLICATES], ids=[c[0] for c in YAML_DUPLICATES]
)
def test_a_yaml_key_written_twice_is_refused_naming_both_lines(tmp_path, file, text, says):
    from magnet_watch.notebook.parameters import load_parameter_specs
    from magnet_watch.reports.build import declared_names, load_scenario

    (tmp_path / file).write_text(text, encoding="utf-8")
    stem = file.removesuffix(".yaml").removesuffix(".params")
    readers = [lambda: load_scenario(stem, tmp_path)]
    if file.endswith(".params.yaml"):
        (tmp_path / f"{stem}.ipynb").write_text('{"cells": []}', encoding="utf-8")
        readers = [
            lambda: load_parameter_specs(stem, tmp_path),
            lambda: declared_names(tmp_path / f"{stem}.ipynb"),
        ]
    for read in readers:
        with pytest.raises(mw.ParameterError) as info:
            read()
        assert says in str(info.value) and file in str(info.value)
