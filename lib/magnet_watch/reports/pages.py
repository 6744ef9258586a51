"""Read an executed notebook into what its report page shows: title, blocks, charts, sources.

A report page has no code: the notebook's title, its prose (Markdown rendered by
mistune with any raw HTML in it escaped), its tables, charts and headline figures,
and the source documents it cites. Each output becomes a typed ``Block`` that the
templates (``templates/*.html``, autoescaping on) render; only Markdown rendered
here and ``text/html`` outputs that pass ``markup.allowed_html`` reach a page as
markup, everything else is escaped text.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune
from markupsafe import Markup

from magnet_watch.narrative.headlines import HEADLINE_COLUMNS
from magnet_watch.notebook.outputs import (
    CHART_METADATA_KEY,
    HEADLINES_MIME,
    NOTEBOOK_ONLY_TAG,
    SUMMARY_METADATA_KEY,
    VEGALITE_MIME,
    chart_title,
)
from magnet_watch.reports.markup import allowed_html
from magnet_watch.reports.source_words import FIGURE_WORDS, SOURCE_WORDS

# Markdown is rendered with raw HTML escaped: a quote with "<script>" shows as text.
_markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]*>")
# A chart's "show the data" table lists at most this many rows; the chart's CSV has them all.
DATA_TABLE_ROWS = 50
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# What a headline record carries for its page besides its columns (``source_words``).
WORDS_KEYS = (FIGURE_WORDS, SOURCE_WORDS)


def strip_ansi(text: str) -> str:
    """Return ``text`` without terminal colour codes (tracebacks carry them)."""
    return _ANSI.sub("", text)


def json_for_script(value: object) -> Markup:
    """Return ``value`` as JSON safe inside a ``<script>`` element ("</script>" cannot end it)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_markdown(text: str) -> Markup:
    """Return markdown as HTML, with any raw HTML in it escaped (so it is safe markup)."""
    return Markup(_markdown(text))


def wrap_tables(markup: str) -> Markup:
    """Return ``markup`` (safe HTML) with each table inside a wrapper that scrolls sideways
    when the table is wider than the page, which the keyboard can reach (``tabindex``) and a
    screen reader names (a region labelled by the table's caption, else "Table")."""

    def wrap(match: re.Match) -> str:
        caption = _CAPTION.search(match.group(0))
        name = html.unescape(_TAG.sub("", caption.group(1))).strip() if caption else ""
        label = html.escape(" ".join(name.split()) or "Table", quote=True)
        return (
            f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    return Markup(_TABLE.sub(wrap, str(markup)))


def chart_description(spec: dict) -> str:
    """Return a chart's text alternative beyond its title: its subtitle lines, joined."""
    title = spec.get("title")
    subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
    lines = subtitle if isinstance(subtitle, list) else [subtitle]
    return " ".join(" ".join(str(line).split()) for line in lines if line)


@dataclass
class DataTable:
    """The "show the data" table of a chart: caption, column names, rows of text."""

    caption: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chart_table(spec: dict, limit: int = DATA_TABLE_ROWS) -> DataTable:
    """Return the data a chart draws as a table: the dataset its top-level ``data`` names,
    else its largest inline dataset; at most ``limit`` rows (the caption says how many)."""
    datasets = {k: v for k, v in spec.get("datasets", {}).items() if isinstance(v, list) and v}
    named = (spec.get("data") or {}).get("name") if isinstance(spec.get("data"), dict) else None
    values = (spec.get("data") or {}).get("values") if isinstance(spec.get("data"), dict) else None
    rows = datasets.get(named) or values or max(datasets.values(), key=len, default=[])
    rows = [r for r in rows if isinstance(r, dict)]
    if not rows:
        return DataTable()
    columns = list(dict.fromkeys(k for r in rows for k in r))
    shown = rows[:limit]
    caption = (
        f"The chart's data: {len(rows):,} rows"
        if len(rows) <= limit
        else (
            f"The chart's data: the first {limit} of {len(rows):,} rows (the CSV file has them all)"
        )
    )
    return DataTable(caption, columns, [[_cell(r.get(c)) for c in columns] for r in shown])


@dataclass
class Chart:
    """A chart shown in a report: its stable name, title, spec and exported files; its text
    alternative beyond the title (``description``) and its data as a table."""

    name: str
    title: str
    spec: dict
    files: dict[str, str] = field(default_factory=dict)  # kind -> path relative to the root
    description: str = ""
    table: DataTable = field(default_factory=DataTable)


@dataclass
class Block:
    """One piece of a report's article, in notebook order.

    ``kind`` is "markup" (``content`` is Markup: rendered Markdown or an allowed HTML
    table), "text" (``content`` is plain text, shown preformatted), "image" (``content``
    is base64 PNG), "chart" (``chart``) or "headlines" (``records``).
    """

    kind: str
    content: str = ""
    chart: Chart | None = None
    records: list[dict] = field(default_factory=list)


@dataclass
class ReportContent:
    """What a report page shows, read from the executed notebook.

    ``title`` is the page's finding (the notebook's ``show_summary``), else its first heading;
    ``kicker`` the topic (that heading) shown above a finding title; ``summary`` the sentences
    that open the page (empty: the notebook shows no summary)."""

    title: str
    blocks: list[Block]
    charts: list[Chart]
    headlines: list[dict]
    cited_text: str  # text in which source ids and titles are looked up
    kicker: str = ""
    summary: list[str] = field(default_factory=list)


def notebook_title(cells: list[dict], default: str) -> str:
    """Return the first markdown heading of the notebook, else ``default``."""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def headline_columns(records: list[dict]) -> list[str]:
    """Return the columns of a headline table: HEADLINE_COLUMNS first, then any others."""
    if not records:
        return []
    # The notebook file stores keys sorted; show the headline columns in their own order.
    columns = [c for c in HEADLINE_COLUMNS if c in records[0]]
    return columns + [c for c in records[0] if c not in columns and c not in WORDS_KEYS]


def _rich_block(data: dict, cited: list) -> Block | None:
    """Return the block for Markdown, HTML, image or plain-text output data (None: nothing)."""
    if "text/markdown" in data:
        # show_findings escapes HTML for JupyterLab; undo that here, where the renderer
        # escapes any raw HTML itself, so "<" reads as "<" and not as "&lt;".
        text = html.unescape(_text(data["text/markdown"]))
        cited.append(text)
        return Block("markup", wrap_tables(render_markdown(text)))
    if "text/html" in data:
        markup = _text(data["text/html"])
        cited.append(markup)
        if allowed_html(markup):
            return Block("markup", wrap_tables(Markup(markup)))
    if "image/png" in data:
        return Block("image", _text(data["image/png"]))
    if "text/plain" in data:
        text = _text(data["text/plain"])
        cited.append(text)
        return Block("text", strip_ansi(text))
    return None


def output_block(output: dict, charts: list, chart_files, headlines: list, cited: list):
    """Return one cell output as a Block, or None when the article does not show it.

    Charts and headline records are also appended to ``charts`` and ``headlines``;
    text that may cite a source is appended to ``cited``.
    """
    kind = output.get("output_type")
    if SUMMARY_METADATA_KEY in output.get("metadata", {}):
        return None  # the page's title and first paragraph (read_report_content), not a block
    if kind == "stream":
        if output.get("name") == "stdout":
            return Block("text", strip_ansi(_text(output.get("text", ""))))
        return None  # warnings on stderr belong in the executed notebook, not in the article
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    if WIDGET_MIME in data:
        return None  # live controls need a kernel; the page's explorer charts carry their own
    if VEGALITE_MIME in data:
        spec = data[VEGALITE_MIME]
        name = output.get("metadata", {}).get(CHART_METADATA_KEY) or f"chart-{len(charts) + 1}"
        title = chart_title(spec, name)
        chart = Chart(
            name,
            title,
            spec,
            chart_files(name, spec),
            chart_description(spec) or title,
            chart_table(spec),
        )
        charts.append(chart)
        cited.append(json.dumps(spec, ensure_ascii=False))
        return Block("chart", chart=chart)
    if HEADLINES_MIME in data:
        records = data[HEADLINES_MIME].get("headlines", [])
        headlines.extend(records)
        cited.append(json.dumps(records, ensure_ascii=False))
        return Block("headlines", records=records) if records else None
    return _rich_block(data, cited)


def read_report_content(notebook: dict, default_title: str, chart_files) -> ReportContent:
    """Return the report content of an executed notebook (as a dict, nbformat 4).

    ``chart_files(name, spec)`` returns the chart's exported files (kind -> relative path).
    """
    cells = notebook.get("cells", [])
    title = notebook_title(cells, default_title)
    blocks, charts, headlines, cited = [], [], [], []
    title_skipped = False
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if NOTEBOOK_ONLY_TAG in tags:
            continue  # how to change and re-run the notebook: for JupyterLab, not for a page
        if cell.get("cell_type") == "markdown":
            source = _text(cell.get("source", ""))
            if not title_skipped and source.lstrip().startswith("#"):
                # The first heading is the page title, shown in the page header.
                title_skipped = True
                source = "\n".join(source.lstrip().splitlines()[1:])
            cited.append(source)
            blocks.append(Block("markup", wrap_tables(render_markdown(source))))
        elif cell.get("cell_type") == "code":
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            for output in cell.get("outputs", []):
                block = output_block(output, charts, chart_files, headlines, cited)
                if block is not None:
                    blocks.append(block)
    summary = report_summary(cells)
    if summary is None:
        return ReportContent(title, blocks, charts, headlines, "\n".join(cited))
    return ReportContent(
        summary["title"],
        blocks,
        charts,
        headlines,
        "\n".join(cited),
        kicker=title,
        summary=[str(s) for s in summary["sentences"]],
    )


def report_summary(cells: list[dict]) -> dict | None:
    """Return the title and sentences a notebook's ``show_summary`` recorded (the last one
    shown), or None when it shows none."""
    found = None
    for cell in cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            found = output.get("metadata", {}).get(SUMMARY_METADATA_KEY, found)
    return found


def read_sources(data_dir: Path) -> list[dict]:
    """Return the rows of data/sources.csv as dicts (text only; the loader checks them)."""
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cited_sources(sources: list[dict], text: str) -> list[dict]:
    """Return the sources whose id or title appears in ``text``, in sources.csv order."""
    return [s for s in sources if s["source_id"] in text or (s["title"] and s["title"] in text)]
