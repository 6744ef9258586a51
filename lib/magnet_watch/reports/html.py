"""Render the report pages from the Jinja2 templates in ``templates/``, with autoescaping on.

Every value a template prints is HTML-escaped by Jinja unless it is ``Markup``:
only Markdown rendered by ``pages.render_markdown`` (raw HTML in it escaped),
``text/html`` outputs that passed ``markup.allowed_html`` and chart specs made
safe for a ``<script>`` element by ``pages.json_for_script`` are Markup.

A chart is a ``<figure>`` holding its static SVG (shown when JavaScript does not
run) and its Vega-Lite spec, which ``assets/report.js`` draws, as the chart nears the
screen, with the one shared local copy of Vega in ``assets/vega-bundle.js`` (loaded by the
script when the first chart needs it); nothing is fetched from the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
from jinja2.ext import Extension

from magnet_watch.reports.pages import (
    ReportContent,
    cited_sources,
    headline_columns,
    json_for_script,
)

ASSETS_DIR = Path(__file__).with_name("assets")
TEMPLATES_DIR = Path(__file__).with_name("templates")
VEGA_BUNDLE = "vega-bundle.js"
CHART_FILE_KINDS = (("svg", "SVG"), ("png", "PNG"), ("csv", "data (CSV)"), ("vl.json", "spec"))
_LINE_BREAK = re.compile(r"\n\s*")
# The as-of sentence opens with its date ("As of 27 May 2026: ..."; narrative.as_of).
_AS_OF_LEAD = re.compile(r"^(As of [^:]+):")


def as_of_short(as_of: str) -> str:
    """Return the date part of the as-of sentence ("As of 27 May 2026"), for a citation and
    the footer; the whole sentence when it does not open that way."""
    match = _AS_OF_LEAD.match(as_of)
    return match.group(1) if match else as_of.rstrip(".")


def _page_context(title: str, edition: str, as_of: str, page_file: str) -> dict:
    """Return what every page's header, footer and "Cite this" lines print."""
    return {
        "title": title,
        "subtitle": edition,
        # The build's label names its edition before any colon ("base case: the notebooks'
        # defaults ...", "scenario low: ..."): the citation keeps that name.
        "edition": edition.partition(":")[0].strip() or "reports as built",
        "as_of": as_of,
        "as_of_short": as_of_short(as_of),
        "page_file": page_file,
    }


class JoinLines(Extension):
    """Drop each line break and the indentation after it from a template's source.

    The templates are laid out for reading; the pages stay one compact line of HTML
    (as before the templates), which keeps them byte-comparable between builds.
    Text that needs a space keeps it on one line.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LINE_BREAK.sub("", source)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[JoinLines],
    )
    env.filters["python_repr"] = repr
    env.filters["script_json"] = json_for_script
    env.filters["headline_columns"] = headline_columns
    env.globals.update(chart_kinds=CHART_FILE_KINDS, vega_bundle=VEGA_BUNDLE)
    return env


_ENV = _environment()


def report_page(
    content: ReportContent,
    parameters: list[dict],
    sources: list[dict],
    label: str,
    stem: str,
    *,
    as_of: str,
) -> str:
    """Return the report page of one notebook (Vega is linked only when it has charts).

    ``as_of`` is the record's as-of date in words (``narrative.as_of.as_of_sentence``), which
    every page states under its title."""
    chart_sources = {
        c.name: cited_sources(sources, json.dumps(c.spec, ensure_ascii=False))
        for c in content.charts
    }
    return _ENV.get_template("report.html").render(
        **_page_context(content.title, label, as_of, f"{stem}.html"),
        chart_sources=chart_sources,
        scripts=bool(content.charts),
        stem=stem,
        parameters=parameters,
        blocks=content.blocks,
        sources=sources,
    )


def index_page(reports: list[dict], data_files: list[str], label: str, as_of: str) -> str:
    """Return index.html: each report with its headline figures and charts, and the data files.

    ``reports`` items have stem, title, headlines, charts (name, title, files); ``as_of`` as
    for ``report_page``.
    """
    return _ENV.get_template("index.html").render(
        **_page_context("magnet-watch reports", label, as_of, "index.html"),
        scripts=False,
        reports=reports,
        data_files=data_files,
    )


def scenario_tables(scenarios: list[dict]) -> list[dict]:
    """Return one table per report: title and rows (figure, cells by scenario, differs).

    A row per headline figure, in the order the figures first appear; a cell is
    "value (period)", or "—" for a scenario without that figure.
    """
    names = [s["name"] for s in scenarios]
    reports: dict[str, dict[str, dict[str, str]]] = {}
    for s in scenarios:
        for r in s["reports"]:
            figures = reports.setdefault(r["title"], {})
            for h in r["headlines"]:
                cell = f"{h.get('value', '')} ({h.get('period', '')})"
                figures.setdefault(h.get("figure", ""), {})[s["name"]] = cell
    return [
        {
            "title": title,
            "rows": [
                {
                    "figure": figure,
                    "cells": [by_scenario.get(n, "—") for n in names],
                    "differs": len({by_scenario.get(n) for n in names}) > 1,
                }
                for figure, by_scenario in figures.items()
            ],
        }
        for title, figures in reports.items()
    ]


def comparison_page(scenarios: list[dict], as_of: str) -> str:
    """Return the page comparing scenarios: their parameters and headline figures side by side.

    ``scenarios`` items have name, description, parameters ({name: value}) and
    reports (stem, title, headlines); ``as_of`` as for ``report_page``.
    """
    return _ENV.get_template("comparison.html").render(
        **{
            **_page_context("magnet-watch scenarios compared", "", as_of, "scenarios/index.html"),
            "edition": f"the scenarios {', '.join(s['name'] for s in scenarios)}",
        },
        scripts=False,
        scenarios=scenarios,
        names=[s["name"] for s in scenarios],
        parameter_names=sorted({p for s in scenarios for p in s["parameters"]}),
        tables=scenario_tables(scenarios),
    )
