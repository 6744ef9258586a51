"""Turn an executed notebook into an offline HTML article, and write the index pages.

A report page has no code: the notebook's title, the parameters it ran with, its
prose, tables and charts, and the source documents it cites. Every chart is a
``<figure>`` holding its static SVG (shown when JavaScript does not run) and its
Vega-Lite spec, which ``assets/report.js`` draws with the one shared local copy
of Vega in ``assets/vega-bundle.js``; nothing is fetched from the network.

All text that can come from documents or data (markdown, table cells, quotes,
titles, parameter values) is HTML-escaped here. A ``text/html`` output that
carries a script is shown as its plain text instead.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune

from magnet_watch.notebook.display import (
    CHART_METADATA_KEY,
    HEADLINE_COLUMNS,
    HEADLINES_MIME,
    SVG_MIME,
    VEGALITE_MIME,
    chart_title,
)

ASSETS_DIR = Path(__file__).with_name("assets")
VEGA_BUNDLE = "vega-bundle.js"
# Markdown is rendered with raw HTML escaped: a quote with "<script>" shows as text.
_markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
_ACTIVE_HTML = re.compile(r"<\s*(script|iframe|object|embed)\b|\son\w+\s*=|javascript:", re.I)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CHART_FILE_KINDS = (("svg", "SVG"), ("png", "PNG"), ("csv", "data (CSV)"), ("vl.json", "spec"))


def esc(text: object) -> str:
    """Return ``text`` as HTML-escaped text (quotes included)."""
    return html.escape(str(text), quote=True)


def strip_ansi(text: str) -> str:
    """Return ``text`` without terminal colour codes (tracebacks carry them)."""
    return _ANSI.sub("", text)


def json_for_script(value: object) -> str:
    """Return ``value`` as JSON safe inside a ``<script>`` element ("</script>" cannot end it)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_markdown(text: str) -> str:
    """Return markdown as HTML, with any raw HTML in it escaped."""
    return _markdown(text)


@dataclass
class Chart:
    """A chart shown in a report: its stable name, title, spec and exported files."""

    name: str
    title: str
    spec: dict
    files: dict[str, str] = field(default_factory=dict)  # kind -> path relative to the root


@dataclass
class ReportContent:
    """What a report page shows, read from the executed notebook."""

    title: str
    blocks: list[str]  # HTML fragments, in notebook order
    charts: list[Chart]
    headlines: list[dict]
    cited_text: str  # text in which source ids and titles are looked up


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


def headlines_table(records: list[dict]) -> str:
    """Return headline records as an escaped HTML table (figure, value, period, source)."""
    if not records:
        return ""
    # The notebook file stores keys sorted; show the headline columns in their own order.
    columns = [c for c in HEADLINE_COLUMNS if c in records[0]]
    columns += [c for c in records[0] if c not in columns]
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(r.get(c, ''))}</td>" for c in columns) + "</tr>"
        for r in records
    )
    return f'<table class="headlines"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def chart_figure(chart: Chart) -> str:
    """Return the ``<figure>`` for a chart: live view, static SVG fallback, spec, file links."""
    static = ""
    if "svg" in chart.files:
        static = (
            f'<img class="chart-static" src="{esc(chart.files["svg"])}" alt="{esc(chart.title)}">'
        )
    links = " · ".join(
        f'<a href="{esc(chart.files[kind])}">{label}</a>'
        for kind, label in CHART_FILE_KINDS
        if kind in chart.files
    )
    return (
        f'<figure class="chart" id="chart-{esc(chart.name)}" data-chart="{esc(chart.name)}">'
        f'<div class="chart-view" data-spec="spec-{esc(chart.name)}"></div>{static}'
        f'<script type="application/json" id="spec-{esc(chart.name)}">'
        f"{json_for_script(chart.spec)}</script>"
        f'<figcaption class="chart-files">Chart files: {links}</figcaption></figure>'
    )


def _output_html(
    output: dict, charts: list[Chart], chart_files, headlines: list, cited: list
) -> str:
    """Return one cell output as HTML (charts become figures; errors never reach here)."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stdout":
            return f"<pre>{esc(strip_ansi(_text(output.get('text', ''))))}</pre>"
        return ""  # warnings on stderr belong in the executed notebook, not in the article
    if kind not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    if WIDGET_MIME in data:
        return ""  # live controls need a kernel; the page's explorer charts carry their own
    if VEGALITE_MIME in data:
        spec = data[VEGALITE_MIME]
        name = output.get("metadata", {}).get(CHART_METADATA_KEY) or f"chart-{len(charts) + 1}"
        chart = Chart(name, chart_title(spec, name), spec, chart_files(name, spec))
        charts.append(chart)
        cited.append(json.dumps(spec, ensure_ascii=False))
        return chart_figure(chart)
    if HEADLINES_MIME in data:
        records = data[HEADLINES_MIME].get("headlines", [])
        headlines.extend(records)
        cited.append(json.dumps(records, ensure_ascii=False))
        return headlines_table(records)
    if "text/markdown" in data:
        # show_findings escapes HTML for JupyterLab; undo that here, where the renderer
        # escapes any raw HTML itself, so "<" reads as "<" and not as "&lt;".
        text = html.unescape(_text(data["text/markdown"]))
        cited.append(text)
        return render_markdown(text)
    if "text/html" in data:
        markup = _text(data["text/html"])
        cited.append(markup)
        if not _ACTIVE_HTML.search(markup):
            return markup
    if SVG_MIME in data or "image/png" in data:
        if "image/png" in data:
            return f'<img alt="figure" src="data:image/png;base64,{_text(data["image/png"])}">'
    if "text/plain" in data:
        text = _text(data["text/plain"])
        cited.append(text)
        return f"<pre>{esc(strip_ansi(text))}</pre>"
    return ""


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
        if cell.get("cell_type") == "markdown":
            source = _text(cell.get("source", ""))
            if not title_skipped and source.lstrip().startswith("#"):
                # The first heading is the page title, shown in the page header.
                title_skipped = True
                source = "\n".join(source.lstrip().splitlines()[1:])
            cited.append(source)
            blocks.append(render_markdown(source))
        elif cell.get("cell_type") == "code":
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            for output in cell.get("outputs", []):
                fragment = _output_html(output, charts, chart_files, headlines, cited)
                if fragment:
                    blocks.append(fragment)
    return ReportContent(title, blocks, charts, headlines, "\n".join(cited))


def read_sources(data_dir: Path) -> list[dict]:
    """Return the rows of data/sources.csv as dicts (text only; the loader checks them)."""
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cited_sources(sources: list[dict], text: str) -> list[dict]:
    """Return the sources whose id or title appears in ``text``, in sources.csv order."""
    return [s for s in sources if s["source_id"] in text or (s["title"] and s["title"] in text)]


def sources_section(sources: list[dict]) -> str:
    """Return the "Sources" section listing each document's title, publisher, date and file."""
    if not sources:
        return (
            '<section class="sources"><h2>Sources</h2><p>No source documents cited.</p></section>'
        )
    items = []
    for s in sources:
        date = s.get("published") or "undated"
        publisher = s.get("publisher") or "publisher not named in the document"
        items.append(
            f'<li id="source-{esc(s["source_id"])}"><cite>{esc(s["title"])}</cite>. '
            f"{esc(publisher)}, {esc(date)}. "
            f'<span class="muted">Source id <code>{esc(s["source_id"])}</code>, '
            f"file <code>{esc(s['file'])}</code>.</span></li>"
        )
    return f'<section class="sources"><h2>Sources</h2><ol>{"".join(items)}</ol></section>'


def parameters_table(parameters: list[dict]) -> str:
    """Return the parameters a report ran with: name, value, set by, meaning (all escaped)."""
    if not parameters:
        return '<p class="muted">This notebook takes no parameters.</p>'
    rows = "".join(
        f"<tr><td><code>{esc(p['name'])}</code></td><td>{esc(repr(p['value']))}</td>"
        f"<td>{esc(p['set_by'])}</td><td>{esc(p.get('meaning', ''))}</td></tr>"
        for p in parameters
    )
    return (
        '<table class="parameters"><caption>Parameters this report ran with</caption>'
        "<thead><tr><th>parameter</th><th>value</th><th>set by</th><th>meaning</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def page(title: str, body: str, *, scripts: bool, subtitle: str = "") -> str:
    """Return a complete HTML page linking only the local assets (css, and Vega when ``scripts``)."""
    script_tags = (
        f'<script src="assets/{VEGA_BUNDLE}"></script><script src="assets/report.js"></script>'
        if scripts
        else ""
    )
    sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title><link rel="stylesheet" href="assets/report.css"></head>'
        f'<body><main><header class="report-head"><h1>{esc(title)}</h1>{sub}</header>'
        f"{body}</main>{script_tags}</body></html>\n"
    )


def report_page(
    content: ReportContent, parameters: list[dict], sources: list[dict], label: str, stem: str
) -> str:
    """Return the report page of one notebook."""
    body = (
        f'<nav class="crumbs"><a href="index.html">All reports</a> · '
        f'<a href="notebooks/{esc(stem)}.ipynb">executed notebook</a></nav>'
        f"{parameters_table(parameters)}"
        f"<article>{''.join(content.blocks)}</article>{sources_section(sources)}"
    )
    return page(content.title, body, scripts=bool(content.charts), subtitle=label)


def index_page(reports: list[dict], data_files: list[str], label: str) -> str:
    """Return index.html: each report with its headline figures and charts, and the data files.

    ``reports`` items have stem, title, headlines, charts (name, title, files).
    """
    items = []
    for r in reports:
        thumbs = "".join(
            f'<figure><a href="{esc(r["stem"])}.html#chart-{esc(c["name"])}">'
            f'<img src="{esc(c["files"]["svg"])}" alt="{esc(c["title"])}"></a>'
            f"<figcaption>{esc(c['title'])}<br>"
            + " · ".join(
                f'<a href="{esc(c["files"][kind])}">{label_}</a>'
                for kind, label_ in CHART_FILE_KINDS
                if kind in c["files"]
            )
            + "</figcaption></figure>"
            for c in r["charts"]
            if "svg" in c["files"]
        )
        items.append(
            f'<li><h2><a href="{esc(r["stem"])}.html">{esc(r["title"])}</a></h2>'
            f"{headlines_table(r['headlines'])}"
            f'<div class="thumbs">{thumbs}</div>'
            f'<p class="muted"><a href="notebooks/{esc(r["stem"])}.ipynb">'
            "executed notebook</a></p></li>"
        )
    data_links = "".join(f'<li><a href="data/{esc(f)}">{esc(f)}</a></li>' for f in data_files)
    body = (
        f'<ul class="report-list">{"".join(items)}</ul>'
        "<section><h2>The curated tables</h2><p>Every figure above comes from these tables; "
        "each row carries its source id and the verbatim quote it was taken from.</p>"
        f"<ul>{data_links}</ul></section>"
    )
    return page("magnet-watch reports", body, scripts=False, subtitle=label)


def comparison_page(scenarios: list[dict]) -> str:
    """Return the page comparing scenarios: their parameters and headline figures side by side.

    ``scenarios`` items have name, description, parameters ({name: value}) and
    reports (stem, title, headlines).
    """
    names = [s["name"] for s in scenarios]
    head = "".join(f'<th><a href="{esc(n)}/index.html">{esc(n)}</a></th>' for n in names)
    param_names = sorted({p for s in scenarios for p in s["parameters"]})
    param_rows = "".join(
        f"<tr><td><code>{esc(p)}</code></td>"
        + "".join(
            f"<td>{esc(repr(s['parameters'][p])) if p in s['parameters'] else 'default'}</td>"
            for s in scenarios
        )
        + "</tr>"
        for p in param_names
    )
    # One table per report; a row per headline figure, in the order they first appear.
    reports: dict[str, dict[str, dict[str, str]]] = {}
    for s in scenarios:
        for r in s["reports"]:
            figures = reports.setdefault(r["title"], {})
            for h in r["headlines"]:
                cell = f"{h.get('value', '')} ({h.get('period', '')})"
                figures.setdefault(h.get("figure", ""), {})[s["name"]] = cell
    sections = []
    for title, figures in reports.items():
        rows = []
        for fig, by_scenario in figures.items():
            differs = len({by_scenario.get(n) for n in names}) > 1
            cells = "".join(f"<td>{esc(by_scenario.get(n, '—'))}</td>" for n in names)
            mark = ' class="differs"' if differs else ""
            rows.append(f"<tr{mark}><td>{esc(fig)}</td>{cells}</tr>")
        sections.append(
            f'<table class="scenario-headlines"><caption>{esc(title)}</caption>'
            f"<thead><tr><th>figure</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    descriptions = "".join(
        f"<li><strong>{esc(s['name'])}</strong>: {esc(s['description'])}</li>" for s in scenarios
    )
    body = (
        f"<ul>{descriptions}</ul>"
        '<table class="scenario-parameters"><caption>Parameters by scenario</caption>'
        f"<thead><tr><th>parameter</th>{head}</tr></thead><tbody>{param_rows}</tbody></table>"
        "<h2>Headline figures by scenario</h2>"
        '<p class="muted">Rows in bold differ between scenarios; the others do not depend on '
        "the scenario's parameters.</p>"
        f"{''.join(sections)}"
    )
    return page("magnet-watch scenarios compared", body, scripts=False)
