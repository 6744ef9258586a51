"""Show charts and tables in notebooks, offline, and export them when a report is built.

``show_chart(chart, name)`` is how every notebook shows a chart. In JupyterLab
it displays the Vega-Lite spec under the ``application/vnd.vegalite.v5+json``
MIME type, which JupyterLab renders with the Vega it bundles: no CDN, so the
chart draws offline. (Altair 6's own ``mimetype`` renderer emits a MIME type
that nbformat rejects, and its default renderer loads Vega from a CDN.)

When the report build sets ``MAGNET_WATCH_EXPORT_DIR``, ``show_chart`` also
writes the chart's spec and data there under its stable ``name``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import display

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
EXPORT_ENV = "MAGNET_WATCH_EXPORT_DIR"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """Return the chart's Vega-Lite spec as a dict, with its data inlined."""
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def show_chart(chart: alt.TopLevelMixin, name: str) -> None:
    """Display ``chart`` so it renders offline, and export it when a report is being built.

    ``name`` is the chart's stable file name (lowercase, digits, - and _).
    """
    if not _NAME.match(name):
        raise ValueError(f"chart name {name!r} must be lowercase letters, digits, '-' or '_'")
    spec = chart_spec(chart)
    export_dir = os.environ.get(EXPORT_ENV)
    if export_dir:
        out = Path(export_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.vl.json").write_text(json.dumps(spec, indent=1, sort_keys=True), encoding="utf-8")
    title = spec.get("title", name)
    if isinstance(title, dict):
        title = title.get("text", name)
    display({VEGALITE_MIME: spec, "text/plain": f"<chart {name}: {title}>"}, raw=True)


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table without its index, with an optional caption (HTML-escaped)."""
    styler = frame.style.hide(axis="index")
    if caption:
        styler = styler.set_caption(caption)
    display(styler)


HEADLINE_COLUMNS = ["figure", "value", "period", "source"]
HEADLINES_MIME = "application/vnd.magnet-watch.headlines+json"


def show_headlines(headlines: pd.DataFrame) -> None:
    """Display a notebook's headline figures as a table, deterministically (nbval checks it).

    ``headlines`` has the columns figure, value (formatted text with its unit and
    qualifier), period and source. The same records go out under
    ``HEADLINES_MIME`` so the report index can list them.
    """
    missing = [c for c in HEADLINE_COLUMNS if c not in headlines.columns]
    if missing:
        raise ValueError(f"headlines need the columns {HEADLINE_COLUMNS}; missing {missing}")
    table = headlines[HEADLINE_COLUMNS].astype(str)
    display(
        {
            "text/plain": table.to_string(index=False),
            "text/html": table.to_html(index=False, escape=True, border=0, classes="headlines"),
            HEADLINES_MIME: {"headlines": table.to_dict("records")},
        },
        raw=True,
    )
