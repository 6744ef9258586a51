"""The project's one Altair theme, shared chart helpers, and the chart builders of the notebooks.

Importing this module registers and enables the ``magnet_watch`` theme (fonts,
sizes, colours). Every chart built here follows the same conventions, which
other modules reuse through the public helpers:

- ``finding_title(finding, source_ids)``: the title states the finding; the
  subtitle is the caption naming the source documents (``source_caption``).
- Ranges are drawn as bands or error bars, never as a midpoint.
- Qualifiers are visible: targets, plans and projections are dashed
  (``QUALIFIER_DASH``); "over"/"more than" points up, "less than" points down
  (``QUALIFIER_SHAPE``); the written form ("over 90%") is the label.
- Tooltips carry the value as written, the source and the verbatim quote
  (``TOOLTIP_FIELDS``); ``claim_rows`` turns fact rows into those columns.
- Colours: ``ROLE_COLOURS`` for what a series is (observed, planned, target,
  projected, gap, need), ``SOURCE_COLOURS`` for which document says it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from .datasets import format_quantity, load_sources

THEME_NAME = "magnet_watch"
FONT = "DejaVu Sans"  # installed with chromium (fonts-dejavu-core), so exports match the screen
WIDTH_PX = 560
HEIGHT_PX = 300

# What a series is. Colour-blind-safe (Okabe-Ito).
ROLE_COLOURS = {
    "observed": "#0072B2",
    "capacity": "#56B4E9",
    "planned": "#009E73",
    "target": "#D55E00",
    "projected": "#CC79A7",
    "need": "#E69F00",
    "gap": "#999999",
}
# Which document says it: one colour per source, used where sources are compared.
SOURCE_COLOURS = {
    "japan-korea-cooperation": "#0072B2",
    "indiapost-irel-partners": "#56B4E9",
    "strategic-pursuit": "#009E73",
    "ibns-export-halt": "#E69F00",
    "magnet-scheme-approval": "#D55E00",
}
# Stroke dash by qualifier: what has not happened yet is dashed.
QUALIFIER_DASH = {"target": [6, 3], "planned": [2, 2], "projected": [1, 3]}
# Point shape by qualifier: an open-ended claim points the way it is open.
QUALIFIER_SHAPE = {
    "over": "triangle-up",
    "more than": "triangle-up",
    "less than": "triangle-down",
    "approximately": "diamond",
    "estimated": "diamond",
}
DEFAULT_SHAPE = "circle"
QUALIFIER_MARK_NOTE = "▲ over / more than   ▼ less than   ◆ approximately   dashed: target or plan"

# Columns every chart's data carries for its tooltip, and how they are titled.
TOOLTIP_FIELDS = {
    "value_text": "Value (as the source writes it)",
    "source": "Source",
    "quote": "Quote",
}


def theme() -> alt.theme.ThemeConfig:
    """Return the project's theme config: fonts, sizes, axis and title styles, colour range."""
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "view": {"continuousWidth": WIDTH_PX, "continuousHeight": HEIGHT_PX, "stroke": None},
            "title": {
                "font": FONT,
                "fontSize": 15,
                "fontWeight": "bold",
                "anchor": "start",
                "subtitleFontSize": 10,
                "subtitleColor": "#555555",
                "subtitlePadding": 6,
                "offset": 12,
            },
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e6e6e6",
            },
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 11,
            },
            "text": {"font": FONT, "fontSize": 11},
            "range": {"category": list(ROLE_COLOURS.values())},
            "numberFormat": ",.4~g",
        }
    )


alt.theme.register(THEME_NAME, enable=True)(theme)


def ensure_theme() -> None:
    """Enable the project theme (enabled on import; call this if something else changed it)."""
    alt.theme.enable(THEME_NAME)


def _sources_table(sources: pd.DataFrame | None) -> pd.DataFrame:
    return load_sources() if sources is None else sources


def source_label(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """Return a short reader-facing name of one source: its publisher or outlet, and date.

    Falls back to the outlet the document cites, then to "outlet not named".
    Raises KeyError naming the id when it is not in sources.csv.
    """
    sources = _sources_table(sources)
    row = sources[sources["source_id"] == source_id]
    if row.empty:
        raise KeyError(f"unknown source_id {source_id!r}; known: {list(sources['source_id'])}")
    row = row.iloc[0]
    name = next(
        (str(row[c]) for c in ("publisher", "cites") if pd.notna(row.get(c)) and str(row[c])),
        "outlet not named",
    )
    date = row.get("published")
    when = str(date)[:10] if pd.notna(date) and str(date) else "undated"
    return f"{name}, {when}"


def source_caption(source_ids: Iterable[str], sources: pd.DataFrame | None = None) -> str:
    """Return one line naming the source documents: 'Sources: “Title” (Publisher, date); ...'.

    Ids keep their first-seen order and appear once. Raises KeyError for an unknown id,
    ValueError when no id is given (a chart without a source is not allowed).
    """
    sources = _sources_table(sources)
    ids = list(dict.fromkeys(str(s) for s in source_ids))
    if not ids:
        raise ValueError("a caption needs at least one source_id")
    parts = []
    for source_id in ids:
        label = source_label(source_id, sources)
        title = sources.loc[sources["source_id"] == source_id, "title"].iloc[0]
        parts.append(f"“{title}” ({label})")
    noun = "Source" if len(parts) == 1 else "Sources"
    return f"{noun}: " + "; ".join(parts) + "."


def caption_lines(text: str, width: int = 110) -> list[str]:
    """Return ``text`` wrapped into lines of at most ``width`` characters (for a subtitle)."""
    return textwrap.wrap(text, width=width) or [""]


def finding_title(
    finding: str,
    source_ids: Iterable[str],
    *,
    note: str | None = None,
    sources: pd.DataFrame | None = None,
) -> alt.TitleParams:
    """Return a chart title that states ``finding``, with a subtitle captioning the sources.

    ``note`` (an assumption or a caveat) goes on its own subtitle line before the caption.
    """
    lines = caption_lines(note) if note else []
    lines += caption_lines(source_caption(source_ids, sources))
    return alt.TitleParams(text=finding, subtitle=lines)


def claim_rows(facts: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return fact rows as chart data: one row per claim, ready for the standard tooltip.

    Columns: fact_id, subject, counterpart, metric, period, qualifier, unit, source_id,
    low, high, value (the midpoint only when a single value is stated), value_text
    (as written: "over 90%"), source (short label), quote, shape (by qualifier).
    ``low``/``high`` equal the value for a single figure, so every claim can be drawn
    as a band or error bar and ranges are never collapsed.
    """
    sources = _sources_table(sources)
    rows = []
    for r in facts.to_dict("records"):
        single = pd.notna(r["value"])
        low = float(r["value"] if single else r["low"])
        high = float(r["value"] if single else r["high"])
        rows.append(
            {
                "fact_id": r["fact_id"],
                "subject": r["subject"],
                "counterpart": r.get("counterpart") if pd.notna(r.get("counterpart")) else "",
                "metric": str(r["metric"]),
                "period": r["period"],
                "qualifier": r["qualifier"],
                "unit": str(r["unit"]),
                "source_id": str(r["source_id"]),
                "value": float(r["value"]) if single else None,
                "low": low,
                "high": high,
                "value_text": format_quantity(r),
                "source": source_label(str(r["source_id"]), sources),
                "quote": r["quote"],
                "shape": QUALIFIER_SHAPE.get(r["qualifier"], DEFAULT_SHAPE),
            }
        )
    columns = ["fact_id", "subject", "counterpart", "metric", "period", "qualifier", "unit",
               "source_id", "value", "low", "high", "value_text", "source", "quote",
               "shape"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def tooltip(*extra: alt.Tooltip) -> list[alt.Tooltip]:
    """Return the standard tooltip (value as written, source, quote) after any ``extra`` fields."""
    return [*extra] + [alt.Tooltip(f"{k}:N", title=v) for k, v in TOOLTIP_FIELDS.items()]
