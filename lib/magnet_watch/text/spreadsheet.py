"""CSV written for people: cells a spreadsheet would run are written as text.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM(...)``), and some also after a leading tab
or carriage return. Following OWASP's advice on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection), such a cell is written with a
single quote in front, which a spreadsheet shows as text and does not keep. A cell that is a
plain number (``-5``, ``+1.5e3``) is left alone: a spreadsheet reads it as a number, and runs
nothing. ``restore`` undoes ``neutralise`` exactly, for the files the project reads back
(a candidates file): ``restore(neutralise(cell)) == cell`` for every cell.

Every CSV file written for people (candidates files, audit tables, chart data, the tables
published in reports/data/) is written by ``csv_for_people``.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"  # a spreadsheet shows the rest of the cell as text, without the mark
# The first characters of a cell that may run: a formula start, or marks before one. Tested
# first, the other cells (nearly all) cost a table of a million cells no function call.
_MAY_RUN = frozenset(FORMULA_STARTS) | {TEXT_MARK}
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _runs(text: str) -> bool:
    """True when a spreadsheet would run ``text`` once its leading marks are taken off."""
    rest = text.lstrip(TEXT_MARK)
    return rest.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(rest)


def neutralise(cell: str) -> str:
    """Return ``cell`` as a spreadsheet shows it as text: with a leading ``'`` when it would
    run (also when it already starts with marks, so that ``restore`` gives it back)."""
    return TEXT_MARK + cell if _runs(cell) else cell


def restore(cell: str) -> str:
    """Return the cell ``neutralise`` was given (a cell without its mark is returned as is)."""
    return cell[1:] if cell.startswith(TEXT_MARK) and _runs(cell[1:]) else cell


def csv_for_people(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text (no index, ``\\n`` line ends), every text cell and column
    name neutralised."""
    safe = frame.map(lambda v: neutralise(v) if isinstance(v, str) and v[:1] in _MAY_RUN else v)
    safe.columns = [neutralise(c) if isinstance(c, str) else c for c in frame.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a frame read from a file ``csv_for_people`` wrote, every text cell restored."""
    return frame.map(lambda v: restore(v) if isinstance(v, str) else v)
