"""Check a CSV table against its Table Schema in data/datapackage.json and type it.

The schema is declared once, in ``data/datapackage.json`` (frictionless Table
Schema). This module reads it and checks every cell: type (read as the spec
writes it, see ``cells.py``), required, enum,
pattern, minimum/maximum, exclusiveMinimum/exclusiveMaximum,
unique, primary key and foreign keys. It collects
every problem before failing, and returns typed pandas DataFrames only when
the whole table is valid.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from magnet_watch.data.cells import cast_cell
from magnet_watch.errors import DataValidationError, Problem

LINE_COLUMN = "csv_line"  # CSV line of each row, kept so later checks can name it


def iter_rows(frame: pd.DataFrame):
    """Iterate a table's rows as namedtuples, fast.

    Rows of pandas' string and categorical columns are slow to iterate one cell
    at a time; converting the frame to objects first is one vectorised step.
    """
    return frame.astype(object).itertuples(index=False)


def read_package(data_dir: Path) -> dict:
    """Return the parsed datapackage.json of ``data_dir``."""
    path = Path(data_dir) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([Problem(str(path), None, None, "file not found")]) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            [Problem(str(path), exc.lineno, None, f"invalid JSON: {exc.msg}")]
        ) from None


def resource_schema(package: dict, name: str) -> dict:
    """Return the resource entry called ``name`` from a parsed datapackage."""
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no resource named {name!r} in datapackage.json")


def _read_rows(path: Path, fname: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a CSV as strings, keeping each record's starting line number.

    Raises DataValidationError naming the line where a quoted cell starts that the file
    ends inside (a quote never closed), or where the CSV is otherwise malformed.
    """
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        line = 1
        try:
            header = next(reader, [])
            line = reader.line_num + 1
            for record in reader:
                rows.append((line, record))
                line = reader.line_num + 1
        except csv.Error as exc:
            message = f"malformed CSV ({exc})"
            if reader.line_num > line:
                message = (
                    f"a quoted cell starting on this line runs on to line "
                    f"{reader.line_num}, where the CSV breaks ({exc}): is a quote on "
                    "this line not closed?"
                )
            if "unexpected end of data" in str(exc):
                message = (
                    "a quoted cell starts on this line and is never closed: the file "
                    'ends inside it. Close the quote ("), or double a quote inside a cell'
                )
            raise DataValidationError([Problem(fname, line, None, message)]) from None
    return header, rows


BOM = "\ufeff"  # a UTF-8 byte-order mark, as spreadsheet programs write it


def _header_problems(fname: str, header: list[str], names: list[str]) -> list[Problem]:
    """Return the header's problems: a byte-order mark, a column written twice (a second
    copy would silently replace the first), and columns missing or not in the schema.

    The byte-order mark is refused, not skipped: the file must be saved as UTF-8 without one,
    so every tool reading it sees the same first column name.
    """
    problems = []
    if header and header[0].startswith(BOM):
        problems.append(
            Problem(
                fname,
                1,
                None,
                "the file starts with a UTF-8 byte-order mark "
                "(BOM); save it as UTF-8 without a BOM",
            )
        )
        header = [header[0].removeprefix(BOM), *header[1:]]
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(header, start=1):
        positions.setdefault(name, []).append(position)
    for name, where in positions.items():
        if len(where) > 1:
            columns = ", ".join(str(p) for p in where)
            problems.append(
                Problem(
                    fname,
                    1,
                    name,
                    f"column written {len(where)} times in the "
                    f"header (columns {columns}); keep one",
                )
            )
    for name in names:
        if name not in positions:
            problems.append(Problem(fname, 1, name, "column missing from the header"))
    for name in positions:
        if name not in names:
            problems.append(
                Problem(fname, 1, name, f"unexpected column; the schema declares {names}")
            )
    return problems


def _row_count_problems(fname: str, count: int, minimum: dict | None) -> list[Problem]:
    """Return a problem when the table has fewer rows than its ``x-min-rows`` declares.

    ``x-min-rows`` (a custom property of a resource in datapackage.json) is
    ``{"rows": N, "reason": "what needs them"}``.
    """
    if not minimum or count >= minimum["rows"]:
        return []
    has = "no rows" if count == 0 else f"{count} row{'s' if count != 1 else ''}"
    need = "" if minimum["rows"] == 1 else f" (at least {minimum['rows']} needed)"
    return [Problem(fname, None, None, f"{fname} has {has}{need}: {minimum['reason']}")]


def _duplicate_problems(
    fname: str, records: list[dict], fields: list[dict], primary_key: list[str]
) -> list[Problem]:
    """Return a problem for every repeated value of a unique or primary-key field, naming the
    line of its first appearance too."""
    problems = []
    for f in fields:
        if not (f.get("constraints", {}).get("unique") or f["name"] in primary_key):
            continue
        seen: dict = {}
        for rec in records:
            value = rec.get(f["name"])
            if value is None:
                continue
            if value in seen:
                problems.append(
                    Problem(
                        fname,
                        rec[LINE_COLUMN],
                        f["name"],
                        f"duplicate value {value!r} (first on line {seen[value]})",
                        str(value),
                    )
                )
            else:
                seen[value] = rec[LINE_COLUMN]
    return problems


def _constraint_messages(raw: str, value, cons: dict) -> list[str]:
    """Return what is wrong with a cast cell against its field's constraints (enum, pattern,
    minimum, maximum and Table Schema v2's strict bounds), in that order; [] when nothing."""
    messages = []
    if "enum" in cons and value not in cons["enum"]:
        messages.append(f"{raw!r} is not one of {cons['enum']}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        messages.append(f"{raw!r} does not match the pattern {cons['pattern']}")
    if "minimum" in cons and value < cons["minimum"]:
        messages.append(f"{raw} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        messages.append(f"{raw} is above the maximum {cons['maximum']}")
    # Table Schema v2's strict bounds, e.g. a price that must be above zero.
    if "exclusiveMinimum" in cons and value <= cons["exclusiveMinimum"]:
        messages.append(f"{raw} must be above {cons['exclusiveMinimum']}")
    if "exclusiveMaximum" in cons and value >= cons["exclusiveMaximum"]:
        messages.append(f"{raw} must be below {cons['exclusiveMaximum']}")
    return messages


def _read_cell(raw: str, field: dict) -> tuple[object, list[str]]:
    """Return one cell's typed value (None when empty or unreadable) and what is wrong with it."""
    cons = field.get("constraints", {})
    messages = []
    if raw.strip() != raw:
        messages.append(f"leading or trailing whitespace in {raw!r}")
    if raw == "":
        return None, messages + (["required value is empty"] if cons.get("required") else [])
    try:
        # Whitespace is reported above; the cell is read without it, so one slip is one problem.
        value = cast_cell(raw.strip(), field)
    except ValueError as exc:
        return None, [*messages, str(exc)]
    return value, messages + _constraint_messages(raw, value, cons)


def _read_records(
    fname: str, header: list[str], rows: list, fields: list[dict], key: str | None
) -> tuple[list[dict], list[Problem]]:
    """Return the rows as typed records (with their CSV line) and every problem in their cells."""
    index = {h: i for i, h in enumerate(header)}
    records, problems = [], []
    for line, record in rows:
        if len(record) != len(header):
            message = f"expected {len(header)} cells, found {len(record)}"
            if any("\n" in cell for cell in record):
                message += (
                    "; a quoted cell runs on over the next lines: is a quote on this "
                    "line not closed?"
                )
            problems.append(Problem(fname, line, None, message))
            continue
        row_id = record[index[key]] if key else None
        out = {LINE_COLUMN: line}
        for field in fields:
            name = field["name"]
            out[name], messages = _read_cell(record[index[name]], field)
            problems += [Problem(fname, line, name, m, row_id) for m in messages]
        records.append(out)
    return records, problems


def _typed_frame(records: list[dict], fields: list[dict], fname: str) -> pd.DataFrame:
    """Return the records as a frame whose columns carry their declared types (enums as
    categoricals), with the CSV line kept in ``LINE_COLUMN`` and the file in ``attrs``."""
    frame = pd.DataFrame.from_records(records, columns=[LINE_COLUMN, *(f["name"] for f in fields)])
    for f in fields:
        ftype = f.get("type", "string")
        col = f["name"]
        if ftype == "number":
            frame[col] = pd.to_numeric(frame[col]).astype("float64")
        elif ftype == "integer":
            frame[col] = frame[col].astype("Int64")
        elif ftype == "boolean":
            frame[col] = frame[col].astype("boolean")
        elif ftype == "date":
            frame[col] = pd.to_datetime(frame[col])
        elif "enum" in f.get("constraints", {}):
            frame[col] = pd.Categorical(frame[col], categories=f["constraints"]["enum"])
        else:
            frame[col] = frame[col].astype("string")
    frame.attrs["file"] = fname
    return frame


def _open_table(path: Path, fname: str) -> tuple[list[str], list]:
    """Return the CSV's header and rows; raise DataValidationError when it is missing or not UTF-8."""
    if not path.exists():
        raise DataValidationError([Problem(fname, None, None, "file not found")])
    try:
        return _read_rows(path, fname)
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [Problem(fname, None, None, f"not UTF-8 text ({exc.reason})")]
        ) from None


def read_table(data_dir: Path, resource: dict) -> pd.DataFrame:
    """Read one resource's CSV, check it against its schema and return it typed.

    Raises DataValidationError naming file, line and column for every bad cell.
    Checks per-table constraints only; foreign keys need the other tables
    (see ``check_foreign_keys``).
    """
    fname = resource["path"]
    schema = resource["schema"]
    fields = schema["fields"]
    header, rows = _open_table(Path(data_dir) / fname, fname)
    problems = _header_problems(fname, header, [f["name"] for f in fields])
    if any(p.line == 1 and p.column for p in problems):  # columns unknown: cells unreadable
        raise DataValidationError(problems)
    header = [h.removeprefix(BOM) for h in header[:1]] + header[1:]
    problems += _row_count_problems(fname, len(rows), resource.get("x-min-rows"))
    key = schema.get("primaryKey", [None])[0]
    records, cell_problems = _read_records(fname, header, rows, fields, key)
    problems += cell_problems
    problems += _duplicate_problems(fname, records, fields, schema.get("primaryKey") or [])
    if problems:
        raise DataValidationError(problems)
    return _typed_frame(records, fields, fname)


def check_foreign_keys(package: dict, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Return a Problem for every foreign-key value with no matching row in its reference table."""
    problems = []
    for resource in package["resources"]:
        frame = tables.get(resource["name"])
        if frame is None:
            continue
        key = (resource["schema"].get("primaryKey") or [None])[0]
        for fk in resource["schema"].get("foreignKeys", []):
            col = fk["fields"]
            ref = fk["reference"]
            allowed = tables[ref["resource"]][ref["fields"]].dropna().astype(str)
            values = frame[col].astype("string")
            # Vectorised membership: this runs on every load, at corpus scale too.
            bad = frame[values.notna() & ~values.isin(allowed)]
            for row in bad.to_dict("records"):
                problems.append(
                    Problem(
                        resource["path"],
                        int(row[LINE_COLUMN]),
                        col,
                        f"{row[col]!r} is not a known {ref['fields']} in {ref['resource']}.csv",
                        str(row[key]) if key else None,
                    )
                )
    return problems


def read_resource(data_dir: Path, name: str) -> pd.DataFrame:
    """Return the table of resource ``name`` of ``data_dir``'s datapackage.json, read and
    checked by its schema (``read_table``); DataValidationError when no resource has that name.
    Foreign keys need the other tables: see ``check_foreign_keys``."""
    package = read_package(data_dir)
    resource = next((r for r in package["resources"] if r["name"] == name), None)
    if resource is None:
        raise DataValidationError(
            [Problem("datapackage.json", None, None, f"no resource named {name!r}")]
        )
    return read_table(data_dir, resource)
