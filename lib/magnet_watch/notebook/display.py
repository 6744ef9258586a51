"""Show charts and tables in notebooks, offline, and export them when a report is built.

``show_chart(chart, name)`` is how every notebook shows a chart. In a live JupyterLab
session it shows Altair's own renderer, ``JupyterChart``, which draws with the Vega-Lite
version Altair writes, offline (``notebook.live_chart``). Papermill, nbval and the report
build keep the Vega-Lite spec under the ``application/vnd.vegalite.v5+json`` MIME type with
its static SVG, which the pages are built from. (Altair 6's own ``mimetype`` renderer emits a
MIME type that nbformat rejects, and its default renderer loads Vega from a CDN.)

Every chart states the record's as-of date (``with_as_of``): the last line of its subtitle,
its spec's ``usermeta``, and a column of each data CSV.

When the report build sets ``MAGNET_WATCH_EXPORT_DIR``, ``show_chart`` also
writes, under the chart's stable ``name``: the spec (``<name>.vl.json``), the
data behind it (``<name>.csv``; a chart with several datasets gets
``<name>.2.csv`` and so on for the others), a static SVG and a PNG rendered by
vl-convert (``chart_render``: during a build, by the build's renderers). The same spec always gives the same bytes. The SVG also goes into
the notebook's output, so viewers without JavaScript still see the chart.

``show_table`` and ``show_headlines`` escape every cell: quotes from documents
are shown as text, never interpreted as HTML.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import Markdown, display

from magnet_watch.narrative.audit import first_rows
from magnet_watch.narrative.headlines import HEADLINE_COLUMNS
from magnet_watch.notebook import chart_render
from magnet_watch.notebook.live_chart import in_live_session, live_chart
from magnet_watch.notebook.outputs import (  # noqa: F401 (notebooks and tests read them here too)
    AS_OF_ENV,
    CHART_METADATA_KEY,
    HEADLINES_MIME,
    SUMMARY_METADATA_KEY,
    SVG_MIME,
    VEGALITE_MIME,
    chart_title,
)
from magnet_watch.text.periods import day_words
from magnet_watch.text.spreadsheet import csv_for_people

EXPORT_ENV = "MAGNET_WATCH_EXPORT_DIR"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
AS_OF_KEY = "as_of"  # in a chart spec's usermeta, and the column of its data files


def chart_as_of() -> str:
    """Return the as-of date (ISO) the charts state: the one a report build hands its kernels
    or the notebook's ``as_of`` parameter set (``$MAGNET_WATCH_AS_OF``), else the latest date
    in the record."""
    from magnet_watch.data.record import current_record

    return f"{current_record().as_of:%Y-%m-%d}"


def as_of_line(as_of: str) -> str:
    """Return the line a chart states its as-of date in: "As of 27 May 2026 (the latest date
    in the record)", or "(the record as it stood then)" for an earlier date."""
    from magnet_watch.data.record import latest_record

    latest = pd.Timestamp(as_of) >= latest_record().as_of
    return f"As of {day_words(as_of)} ({'the latest date in the record' if latest else 'the record as it stood then'})"


def with_as_of(spec: dict, as_of: str) -> dict:
    """Return ``spec`` stating its as-of date: in ``usermeta`` (which its data files read) and
    as the last line of its subtitle, so the drawn chart, its SVG and PNG state it too."""
    title = spec.get("title", "")
    if not isinstance(title, dict):
        title = {"text": title}
    subtitle = title.get("subtitle", [])
    subtitle = list(subtitle) if isinstance(subtitle, list) else [subtitle]
    title = {**title, "subtitle": [*subtitle, as_of_line(as_of)]}
    return {**spec, "title": title, "usermeta": {**spec.get("usermeta", {}), AS_OF_KEY: as_of}}


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """Return the chart's Vega-Lite spec as a dict, with its data inlined."""
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def chart_datasets(spec: dict) -> list[list[dict]]:
    """Return the record lists a spec draws from, in the order they first appear in it.

    Altair puts data frames under the top-level ``datasets`` and refers to them by
    name; hand-written specs may inline ``data.values``. Each dataset is listed once.
    """
    named = spec.get("datasets", {})
    found: list[list[dict]] = []
    seen: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict):
                if "name" in data and data["name"] in named and data["name"] not in seen:
                    seen.add(data["name"])
                    found.append(named[data["name"]])
                elif isinstance(data.get("values"), list):
                    key = json.dumps(data["values"], sort_keys=True)
                    if key not in seen:
                        seen.add(key)
                        found.append(data["values"])
            for key, value in node.items():
                if key != "datasets":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    for name in sorted(set(named) - seen):  # datasets only referenced by lookups
        found.append(named[name])
    return found


def dataset_csv_names(name: str, count: int) -> list[str]:
    """Return the CSV file names for a chart's datasets: ``name.csv``, ``name.2.csv``, ..."""
    return [f"{name}.csv"] + [f"{name}.{i}.csv" for i in range(2, count + 1)]


def export_chart(spec: dict, name: str, out: Path, png: bool = True) -> dict[str, Path]:
    """Write the chart's spec, data CSVs, SVG and (if ``png``) PNG into ``out``; return the
    paths by kind.

    The output is byte-for-byte the same for the same spec (sorted JSON keys,
    fixed line endings, vl-convert's deterministic renderer). A spec that states its as-of
    date (``with_as_of``) gives every data CSV an ``as_of`` column holding it.
    """
    as_of = spec.get("usermeta", {}).get(AS_OF_KEY)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"spec": out / f"{name}.vl.json", "svg": out / f"{name}.svg"}
    paths["spec"].write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    datasets = chart_datasets(spec)
    for i, (records, csv_name) in enumerate(
        zip(datasets, dataset_csv_names(name, len(datasets)), strict=True), start=1
    ):
        frame = pd.DataFrame.from_records(records)
        if as_of and AS_OF_KEY not in frame.columns:
            frame[AS_OF_KEY] = as_of
        paths[f"csv{i}" if i > 1 else "csv"] = out / csv_name
        (out / csv_name).write_text(csv_for_people(frame), encoding="utf-8")
    svg, png_bytes = chart_render.render(spec, png)
    paths["svg"].write_text(svg, encoding="utf-8")
    if png_bytes is not None:
        paths["png"] = out / f"{name}.png"
        paths["png"].write_bytes(png_bytes)
    return paths


def show_chart(chart: alt.TopLevelMixin, name: str, *, png: bool = True) -> None:
    """Display ``chart`` so it renders offline, and export it when a report is being built.

    ``name`` is the chart's stable file name (lowercase, digits, - and _). ``png=False``
    exports no PNG: for an explorer, whose static picture is its default case, already
    drawn as the page's own chart (its PNG cost up to 0.8 s a page for nothing new).
    """
    if not _NAME.match(name):
        raise ValueError(f"chart name {name!r} must be lowercase letters, digits, '-' or '_'")
    spec = with_as_of(chart_spec(chart), chart_as_of())
    title = chart_title(spec, name)
    bundle = {VEGALITE_MIME: spec, "text/plain": f"<chart {name}: {title}>"}
    export_dir = os.environ.get(EXPORT_ENV)
    if not export_dir and in_live_session():
        display(live_chart(chart, spec), metadata={CHART_METADATA_KEY: name})
        return
    if export_dir:
        paths = export_chart(spec, name, Path(export_dir), png)
        bundle[SVG_MIME] = paths["svg"].read_text(encoding="utf-8")
    display(bundle, metadata={CHART_METADATA_KEY: name}, raw=True)


def table_html(frame: pd.DataFrame, caption: str | None = None, css_class: str = "table") -> str:
    """Return ``frame`` as an HTML table without its index, every cell and the caption escaped.

    Deterministic (no random ids), so the same frame gives the same HTML.
    """
    body = frame.to_html(index=False, escape=True, border=0, classes=css_class, na_rep="")
    if caption:
        open_tag_end = body.index(">") + 1
        body = f"{body[:open_tag_end]}\n  <caption>{html.escape(caption)}</caption>{body[open_tag_end:]}"
    return body


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table without its index, with an optional caption, all text HTML-escaped."""
    plain = frame.to_string(index=False)
    if caption:
        plain = f"{caption}\n{plain}"
    display({"text/html": table_html(frame, caption), "text/plain": plain}, raw=True)


def show_first_rows(frame: pd.DataFrame, caption: str, table_file: Path | None = None) -> None:
    """Show the first rows of a long table (``narrative.audit.first_rows``); the caption says
    where all of them are (``table_file``, written beside the report)."""
    show_table(*first_rows(frame, caption, None if table_file is None else table_file.name))


def markdown_text(text: object) -> str:
    """Return ``text`` safe to put inside Markdown prose: HTML special characters escaped.

    JupyterLab runs scripts in the Markdown and HTML outputs of a live kernel, so a
    quote from a document must go through this before ``IPython.display.Markdown``:
    ``Markdown(f"IREL said {markdown_text(quote)}")`` shows "<script>" as text.
    """
    return html.escape(str(text), quote=False)


def show_findings(text: str) -> None:
    """Display findings written in Markdown, with any HTML in them shown as text.

    The findings quote documents and curated notes; escaping the whole text (not each
    piece) means no caller can forget a piece. Markdown emphasis and [links](url) still work.
    """
    display(Markdown(markdown_text(text)))


def show_summary(summary) -> None:
    """Display a report's finding (``narrative.summaries.Summary``): its title and its summary.

    The notebook shows them as Markdown where the cell stands; the output's metadata carries
    them (``SUMMARY_METADATA_KEY``), so the report page makes the title its heading and puts
    the summary first, wherever the cell is (a notebook may compute before it can summarise).
    """
    text = f"**{summary.title}.** {summary.text}"
    display(
        Markdown(markdown_text(text)),
        metadata={
            SUMMARY_METADATA_KEY: {"title": summary.title, "sentences": list(summary.sentences)}
        },
    )


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
            "text/html": table_html(table, css_class="headlines"),
            HEADLINES_MIME: {"headlines": table.to_dict("records")},
        },
        raw=True,
    )
