"""Headline tables: one row per key figure (figure, value, period, source), all text.

``row_headline`` writes a curated fact as its source states it; ``computed_headline``
a computed figure, whose source names the facts (and parameters) it uses.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from magnet_watch.data.lookups import format_quantity
from magnet_watch.text.periods import period_label

HEADLINE_COLUMNS = ["figure", "value", "period", "source"]


def period_words(row) -> str:
    """Return a fact's period in words, e.g. "FY2024-25 (Apr 2024–Mar 2025)"."""
    return period_label(str(row["period"]), str(row["period_type"]))


def row_headline(row: pd.Series, figure: str) -> dict:
    """Return one headline row for a curated fact's row: its value as written, period (in
    words, e.g. "FY2024-25 (Apr 2024–Mar 2025)") and source id."""
    return {
        "figure": figure,
        "value": format_quantity(row),
        "period": period_words(row),
        "source": str(row["source_id"]),
    }


def computed_headline(figure: str, value: str, period: str, fact_ids: Iterable[str]) -> dict:
    """Return one headline row for a computed figure; its source names the facts it uses."""
    return {
        "figure": figure,
        "value": value,
        "period": period,
        "source": "computed from " + ", ".join(fact_ids),
    }


def headline_frame(rows: list[dict]) -> pd.DataFrame:
    """Return headline rows as the table ``display.show_headlines`` takes (all text)."""
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(str)
