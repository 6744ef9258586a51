"""Move the candidates a curator accepts into the facts table.

``python -m magnet_watch.curation accept CANDIDATES.csv`` appends the rows marked
``accept = yes`` (after filling ``fact_id`` and ``subject`` and correcting the
suggestions) to data/facts.csv, only if the package, provenance included, loads with
them; facts.csv is then replaced in one atomic write, so it is never half-written. It holds
the curation lock (``curation.lock``) throughout: a second curation run at the same time refuses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from magnet_watch.curation.add import CurationError, dirs, with_rows
from magnet_watch.curation.extract import fact_columns
from magnet_watch.curation.files import write_atomic
from magnet_watch.curation.lock import curation_lock
from magnet_watch.curation.staging import check_staged
from magnet_watch.errors import DataValidationError
from magnet_watch.text.spreadsheet import restore_frame

ACCEPT_WORDS = {"yes", "y", "true", "1", "x"}
REQUIRED_ON_ACCEPT = [
    "fact_id",
    "metric",
    "subject",
    "unit",
    "period",
    "period_type",
    "qualifier",
    "source_id",
    "quote",
]


def _cell(value: str) -> str:
    """Write a number as the facts table does: 73000000000, not 7.3e10 or 73000000000.0."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number != number or value.strip() == "":
        return value
    return str(int(number)) if number.is_integer() else repr(number)


def _read_candidates(candidates_path: Path) -> pd.DataFrame:
    """Return the candidates file's cells as text; raise CurationError, in a sentence, for a
    file saved with ';' between cells or one pandas cannot read (an unclosed quote)."""
    with candidates_path.open(encoding="utf-8", errors="replace") as file:
        header = file.readline()
    if ";" in header and "," not in header:
        raise CurationError(
            f"{candidates_path}, line 1: the cells are separated by ';', not ','; the "
            "spreadsheet saved it in its own list format. Save it again as CSV with commas "
            "between the cells (a spreadsheet asks for the field separator: choose ',')"
        )
    try:
        return pd.read_csv(candidates_path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CurationError(
            f"{candidates_path}: not a readable CSV file ({exc}); is a quote "
            "not closed? Nothing accepted"
        ) from None


def _accepted_rows(candidates_path: Path, columns: list[str]) -> list[dict]:
    """Return the accepted rows, facts ``columns`` only, or raise CurationError naming each
    empty required cell by line and column."""
    # the file was written for a spreadsheet: a cell it would run carries a leading '
    frame = restore_frame(_read_candidates(candidates_path))
    missing_cols = [c for c in ["accept", *columns] if c not in frame.columns]
    if missing_cols:
        raise CurationError(
            f"{candidates_path}: missing columns {missing_cols}; is this a candidates file?"
        )
    accepted = frame[frame["accept"].str.strip().str.lower().isin(ACCEPT_WORDS)]
    if accepted.empty:
        raise CurationError(f"{candidates_path}: no row has accept = yes; mark the rows to accept")
    problems = []
    for index, row in accepted.iterrows():
        line = int(index) + 2  # header is line 1
        for column in REQUIRED_ON_ACCEPT:
            if not row[column].strip():
                problems.append(
                    f"  - {candidates_path.name}, line {line}, column '{column}': "
                    "required for an accepted row, but empty"
                )
    if problems:
        raise CurationError(f"{candidates_path}: cannot accept:\n" + "\n".join(problems))
    return [{c: _cell(r[c].strip()) for c in columns} for _, r in accepted.iterrows()]


def accept_candidates(
    candidates_path: Path | str, *, data_dir: Path | str | None = None
) -> list[str]:
    """Append the candidates marked accept = yes to facts.csv; return their fact ids.

    Raises CurationError naming the candidates file's line and column when an accepted
    row lacks a required field, or listing the problems when the facts would not load
    (quote not in the document, value not in the quote, duplicate id, ...); the facts
    table is unchanged then.
    """
    data_dir, seeds_dir = dirs(data_dir, None)
    candidates_path = Path(candidates_path)
    if not candidates_path.is_file():
        raise CurationError(f"{candidates_path}: no such candidates file")
    with curation_lock(data_dir, f"accept {candidates_path}"):  # one curation run at a time
        rows = _accepted_rows(candidates_path, fact_columns(data_dir))
        facts_csv = data_dir / "facts.csv"
        new_facts = with_rows(facts_csv.read_bytes(), rows)
        try:
            check_staged(data_dir, seeds_dir, {"facts.csv": new_facts}, {})
        except DataValidationError as exc:
            raise CurationError(
                f"{candidates_path}: nothing accepted, the facts would not load:\n{exc}"
            ) from None
        write_atomic(facts_csv, new_facts)
        return [r["fact_id"] for r in rows]
