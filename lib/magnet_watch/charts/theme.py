"""The project's one Altair theme, shared chart helpers, and the chart builders of the notebooks.

Importing this module registers and enables the ``magnet_watch`` theme (fonts,
sizes, colours). Every chart built here follows the same conventions, which
other modules reuse through the public helpers:

- ``finding_title(finding, source_ids)``: the title states the finding; the
  subtitle is the caption naming the source documents (``source_caption``).
- Ranges are drawn as bands or error bars, never as a midpoint.
- Qualifiers are visible: targets, plans and projections are dashed
  (``QUALIFIER_DASH``, by role); a claim open above ("over", "more than") points up,
  one open below ("less than") points down, an approximate one is a diamond
  (``BOUND_SHAPE``, by the qualifier's bound in data/qualifiers.csv); the written form
  ("over 90%") is the label.
- Tooltips carry the value as written, the source and the verbatim quote
  (``TOOLTIP_FIELDS``); ``claim_rows`` turns fact rows into those columns.
- Colours: ``ROLE_COLOURS`` for what a series is (observed, planned, target,
  projected, gap, need); ``source_colours(sources)`` for which document says it, from
  ``SOURCE_PALETTE`` in the order of the rows of sources.csv (so every new source gets one).

The words of each finding come from ``magnet_watch.narrative``; the chart modules
(overview, capacity, imports, market, reference) draw them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from magnet_watch.data.lookups import (
    Vocabulary,
    fact,
    format_quantity,
    project_vocabulary,
    source_label,
)

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
# Which document says it, where sources are compared: the Okabe-Ito colour-blind-safe
# palette (Okabe & Ito 2008, "Color Universal Design"), assigned in the order of the rows
# of sources.csv and cycling when there are more sources than colours.
SOURCE_PALETTE = [
    "#0072B2",
    "#56B4E9",
    "#009E73",
    "#E69F00",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#000000",
]
# Stroke dash by role: what has not happened yet (target, plan, projection) is dashed.
QUALIFIER_DASH = {"target": [6, 3], "planned": [2, 2], "projected": [1, 3]}
# Point shape by the interval a qualifier allows (qualifiers.csv "bound"): an open-ended
# claim points the way it is open; an approximate one is a diamond.
BOUND_SHAPE = {"open_above": "triangle-up", "open_below": "triangle-down", "approximate": "diamond"}
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
            "axisX": {"labelAngle": 0},
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 11,
                "labelLimit": 420,
                "orient": "bottom",
                "direction": "vertical",
            },
            "text": {"font": FONT, "fontSize": 11},
            "range": {"category": list(ROLE_COLOURS.values())},
            "numberFormat": ",~f",
        }
    )


alt.theme.register(THEME_NAME, enable=True)(theme)


def ensure_theme() -> None:
    """Enable the project theme (enabled on import; call this if something else changed it)."""
    alt.theme.enable(THEME_NAME)


def source_colours(sources: pd.DataFrame) -> dict[str, str]:
    """Return {source_id: colour}: ``SOURCE_PALETTE`` in the order of the rows of ``sources``,
    cycling, so a sixth, seventh... source gets a colour too."""
    ids = [str(s) for s in sources["source_id"]]
    return {s: SOURCE_PALETTE[i % len(SOURCE_PALETTE)] for i, s in enumerate(ids)}


def qualifier_shape(qualifier: str, vocabulary: Vocabulary | None = None) -> str:
    """Return the point shape of a claim by its qualifier's bound (``BOUND_SHAPE``)."""
    vocab = project_vocabulary() if vocabulary is None else vocabulary
    return BOUND_SHAPE.get(vocab.qualifier_bound(qualifier), DEFAULT_SHAPE)


def source_caption(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """Return one line naming the source documents: 'Sources: “Title” (Publisher, date); ...'.

    Ids keep their first-seen order and appear once. Raises KeyError for an unknown id,
    ValueError when no id is given (a chart without a source is not allowed). ``sources`` is
    the sources table (``load_sources()``), passed in: a chart never loads data itself.
    """
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


# Characters in one line of a chart's title: at its 12 px, about 520 px of text, so a long
# finding wraps instead of setting the chart (and the page) wider than the text column
# (03's import series title once drew 1,448 px wide).
TITLE_CHARACTERS = 80


def title_lines(finding: str, width: int = TITLE_CHARACTERS) -> str | list[str]:
    """Return a chart title as Vega-Lite draws it on several lines: ``finding`` itself when it
    fits on one line of ``width`` characters, else its lines, wrapped at spaces."""
    lines = textwrap.wrap(finding, width=width, break_long_words=False) or [""]
    return lines[0] if len(lines) == 1 else lines


# Characters in a line of an axis label that names a row (an event, a milestone, an
# assumption): about 200 px at 11 px. Longer labels wrap onto more lines instead of being cut.
LABEL_CHARACTERS = 34


def wrapped_labels(characters: int = LABEL_CHARACTERS, **options) -> alt.Axis:
    """Return an axis whose labels wrap at spaces onto lines of at most ``characters`` (a word
    longer than that keeps its own line), so that no label is cut short with an ellipsis."""
    lines = f"replace(datum.label, /(.{{1,{characters}}})(?:\\s+|$)/g, '$1|')"
    return alt.Axis(labelExpr=f"slice(split({lines}, '|'), 0, -1)", labelLimit=0, **options)


def caption_lines(text: str, width: int = 110) -> list[str]:
    """Return ``text`` wrapped into lines of at most ``width`` characters (for a subtitle)."""
    return textwrap.wrap(text, width=width) or [""]


def finding_title(
    finding: str,
    source_ids: Iterable[str],
    *,
    note: str | None = None,
    sources: pd.DataFrame,
) -> alt.TitleParams:
    """Return a chart title that states ``finding``, with a subtitle captioning the sources.

    ``note`` (an assumption or a caveat) goes on its own subtitle line before the caption.
    """
    lines = caption_lines(note) if note else []
    lines += caption_lines(source_caption(source_ids, sources))
    return alt.TitleParams(text=title_lines(finding), subtitle=lines)


CLAIM_COLUMNS = [
    "fact_id",
    "subject",
    "counterpart",
    "metric",
    "period",
    "qualifier",
    "unit",
    "source_id",
    "value",
    "low",
    "high",
    "value_text",
    "source",
    "quote",
    "shape",
]


def _claim_row(r: dict, sources: pd.DataFrame, vocab: Vocabulary) -> dict:
    single = pd.notna(r["value"])
    counterpart = r.get("counterpart")
    return {
        "fact_id": r["fact_id"],
        "subject": r["subject"],
        "counterpart": counterpart if pd.notna(counterpart) else "",
        "metric": str(r["metric"]),
        "period": r["period"],
        "qualifier": r["qualifier"],
        "unit": str(r["unit"]),
        "source_id": str(r["source_id"]),
        "value": float(r["value"]) if single else None,
        "low": float(r["value"] if single else r["low"]),
        "high": float(r["value"] if single else r["high"]),
        "value_text": format_quantity(r, vocab),
        "source": source_label(str(r["source_id"]), sources),
        "quote": r["quote"],
        "shape": qualifier_shape(r["qualifier"], vocab),
    }


def claim_rows(
    facts: pd.DataFrame, sources: pd.DataFrame, vocabulary: Vocabulary | None = None
) -> pd.DataFrame:
    """Return fact rows as chart data: one row per claim, ready for the standard tooltip.

    Columns (``CLAIM_COLUMNS``): fact_id, subject, counterpart, metric, period, qualifier,
    unit, source_id, low, high, value (only when a single value is stated), value_text
    (as written: "over 90%"), source (short label), quote, shape (by the qualifier's bound).
    ``low``/``high`` equal the value for a single figure, so every claim can be drawn
    as a band or error bar and ranges are never collapsed.
    """
    vocab = project_vocabulary() if vocabulary is None else vocabulary
    rows = [_claim_row(r, sources, vocab) for r in facts.to_dict("records")]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def claim(fact_id: str, facts: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Return one fact as a ``claim_rows`` row (value_text, source, quote, ...)."""
    return claim_rows(facts[facts["fact_id"] == fact(fact_id, facts)["fact_id"]], sources).iloc[0]


def merge_agreeing(data: pd.DataFrame) -> pd.DataFrame:
    """Return claim rows with claims of the same figure (metric, subject, period, low, high) from
    several sources merged into one row.

    ``fact_ids`` and ``source_ids`` are lists (first-seen order, once each); value texts,
    sources and quotes are joined for the tooltip, and ``fact_id``/``source_id`` carry the
    ids as text for the chart's data (for reading, never split).
    """
    keys = ["metric", "subject", "counterpart", "period", "low", "high"]
    rows = []
    for _, group in data.groupby(keys, sort=False, dropna=False):
        row = group.iloc[0].to_dict()
        row["fact_ids"] = list(dict.fromkeys(group["fact_id"].astype(str)))
        row["source_ids"] = list(dict.fromkeys(group["source_id"].astype(str)))
        for column, sep in (
            ("value_text", " / "),
            ("source", "; "),
            ("quote", " / "),
            ("source_id", ", "),
            ("fact_id", ", "),
        ):
            row[column] = sep.join(dict.fromkeys(group[column].astype(str)))
        rows.append(row)
    return pd.DataFrame(rows).reset_index(drop=True)


def tooltip(*extra: alt.Tooltip) -> list[alt.Tooltip]:
    """Return the standard tooltip (value as written, source, quote) after any ``extra`` fields."""
    return [*extra] + [alt.Tooltip(f"{k}:N", title=v) for k, v in TOOLTIP_FIELDS.items()]


def datetime(ts: pd.Timestamp) -> alt.DateTime:
    """Return a Timestamp's day as an Altair DateTime in UTC (for scale domains)."""
    return alt.DateTime(year=ts.year, month=ts.month, date=ts.day, utc=True)


def time_scale(**options) -> alt.Scale:
    """Return the scale of every axis of dates: UTC, so that a date is drawn and labelled as
    the same day by every build machine and in every reader's browser.

    The charts' dates are written ``YYYY-MM-DD``, which a browser reads as midnight UTC;
    on Vega-Lite's default (local-time) scale, a reader west of Greenwich would see
    1 November 2025 as 31 October and the build's SVG would change with its ``TZ``
    (Vega-Lite's time units and scales are local unless "utc": see its timeunit and
    scale documentation).
    """
    return alt.Scale(type="utc", **options)


# The time unit of every date field (x2 too, which has no scale of its own but is formatted
# in the marks' descriptions): the day, in UTC.
UTC_DAY = "utcyearmonthdate"


def year_tooltip() -> alt.Tooltip:
    """Return the tooltip field of a chart by year."""
    return alt.Tooltip("year:O", title="Year")
