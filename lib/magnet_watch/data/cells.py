"""Read one CSV cell as its Table Schema type, as the specification writes it.

https://specs.frictionlessdata.io/table-schema/#types-and-formats, with the spec's
defaults and nothing looser (Python's ``float()`` takes "53_748", ``pd.Timestamp``
takes "Aug 14 2025"; a curated table must not):

- number: optional sign, digits with an optional decimal point, optional exponent
  (``E``, optional sign, digits). No group characters unless the field declares a
  ``groupChar``; a ``decimalChar`` replaces the point. ``NaN``, ``INF`` and ``-INF``
  are numbers to the spec, but the data never needs them: refused as not finite
  (deliberately stricter than the spec).
- integer: optional sign and digits (a ``groupChar`` when declared).
- boolean: the field's ``trueValues``/``falseValues``, by default "true", "True",
  "TRUE", "1" and "false", "False", "FALSE", "0".
- date: format ``default`` is ISO 8601 ``YYYY-MM-DD`` and must be a real day; a
  ``strptime`` pattern format is read with it; ``any`` is refused in the schema.

Also deliberately stricter than the spec: only ASCII digits (Python's ``int()`` reads
Arabic-Indic or full-width digits too), and ``bareNumber: false`` is not supported.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

TRUE_VALUES = ("true", "True", "TRUE", "1")  # the spec's defaults
FALSE_VALUES = ("false", "False", "FALSE", "0")
SPECIAL_NUMBERS = ("nan", "inf", "-inf", "+inf")  # the spec's NaN, INF, -INF, any case
INTEGER = r"[+-]?[0-9]+"
NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain(value: str, field: dict) -> str:
    """Return ``value`` with the field's declared group characters removed and its decimal
    character made a point; raise ValueError when the field asks for what is not supported."""
    if field.get("bareNumber", True) is not True:
        raise ValueError(f"bareNumber {field['bareNumber']!r} is not supported")
    group, decimal = field.get("groupChar"), field.get("decimalChar", ".")
    if group:
        # A group character sits between digits, never at an end or doubled.
        if re.search(rf"(^|[^0-9]){re.escape(group)}|{re.escape(group)}([^0-9]|$)", value):
            return "?"  # not a number; the caller says what was expected
        value = value.replace(group, "")
    if decimal != ".":
        value = value.replace(".", "?").replace(decimal, ".")
    return value


def cast_number(value: str, field: dict) -> float:
    """Return the cell as a float; raise ValueError saying what a number is."""
    plain = _plain(value, field)
    if plain.lower() in SPECIAL_NUMBERS:
        raise ValueError(f"expected a finite number, got {value!r}")
    if not re.fullmatch(NUMBER, plain):
        grouping = f", digits grouped by {field['groupChar']!r}" if field.get("groupChar") else ""
        raise ValueError(
            f"expected a number, got {value!r} (written like 1250, -3.5 or 7.3e9{grouping})"
        )
    number = float(plain)
    if not math.isfinite(number):  # an exponent too large for a float
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def cast_integer(value: str, field: dict) -> int:
    """Return the cell as an int; raise ValueError saying what an integer is."""
    plain = _plain(value, field)
    if not re.fullmatch(INTEGER, plain):
        raise ValueError(f"expected an integer, got {value!r} (written like 2024 or -3)")
    return int(plain)


def cast_boolean(value: str, field: dict) -> bool:
    """Return the cell as a bool from the field's (or the spec's default) true and false values."""
    true_values = field.get("trueValues", TRUE_VALUES)
    false_values = field.get("falseValues", FALSE_VALUES)
    if value in true_values:
        return True
    if value in false_values:
        return False
    allowed = ", ".join(repr(v) for v in [*true_values, *false_values])
    raise ValueError(f"expected a boolean ({allowed}), got {value!r}")


def cast_date(value: str, field: dict) -> pd.Timestamp:
    """Return the cell as a Timestamp (midnight of the day); raise ValueError when it is not a
    real date written in the field's format (ISO 8601 YYYY-MM-DD by default)."""
    fmt = field.get("format", "default")
    if fmt == "any":
        raise ValueError("date format 'any' is not supported: declare the format")
    try:
        if fmt == "default":
            if not ISO_DATE.fullmatch(value):
                raise ValueError
            day = dt.date.fromisoformat(value)
        else:
            day = dt.datetime.strptime(value, fmt).date()
    except ValueError:
        written = "YYYY-MM-DD" if fmt == "default" else fmt
        raise ValueError(f"expected a real date written {written}, got {value!r}") from None
    return pd.Timestamp(day)


CASTS = {
    "string": lambda value, field: value,
    "number": cast_number,
    "integer": cast_integer,
    "boolean": cast_boolean,
    "date": cast_date,
}


def cast_cell(value: str, field: dict) -> Any:
    """Return one non-empty cell read as its field's type (see the module docstring).

    Raises ValueError with what was expected and what was written.
    """
    ftype = field.get("type", "string")
    if ftype not in CASTS:
        raise ValueError(f"unsupported field type {ftype!r} in the schema")
    return CASTS[ftype](value, field)
