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

from magnet_watch.reports import source_words
from magnet_watch.reports.pages import (
    DataTable,
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


def _page_context(
    title: str, edition: str, as_of: str, page_file: str, reader_root: str = ""
) -> dict:
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
        # Where the glossary and methodology pages are, relative to this page.
        "reader_root": reader_root,
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
    env.filters["source_name"] = source_words.source_name
    env.filters["source_when"] = source_words.source_when
    env.globals.update(chart_kinds=CHART_FILE_KINDS, vega_bundle=VEGA_BUNDLE)
    return env


_ENV = _environment()
page_context = _page_context


def render_page(template: str, context: dict, **values) -> str:
    """Return a page of ``template`` with every page's context (``page_context``) and ``values``."""
    return _ENV.get_template(template).render(**context, scripts=False, **values)


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
        kicker=content.kicker,
        summary=content.summary,
    )


def index_page(
    reports: list[dict],
    data_files: list[str],
    label: str,
    as_of: str,
    *,
    lead: list[dict] | None = None,
    scenarios: list[dict] | None = None,
    what_changed: dict | None = None,
) -> str:
    """Return index.html: the findings it leads with (``lead``: text and href), what changed
    since an earlier date (``what_changed``, the block of ``reports.what_changed``; None:
    none), the scenarios (name, description) with the link to their comparison, each report
    with its headline figures and charts, and the data files.

    ``reports`` items have stem, title, headlines, charts (name, title, files); ``as_of`` as
    for ``report_page``.
    """
    return _ENV.get_template("index.html").render(
        **_page_context("magnet-watch reports", label, as_of, "index.html"),
        scripts=False,
        reports=reports,
        data_files=data_files,
        lead=lead or [],
        scenarios=scenarios or [],
        what_changed=what_changed,
    )


def scenario_tables(scenarios: list[dict]) -> list[dict]:
    """Return one table per report: title and rows (figure, cells by scenario, differs).

    A row is one figure as one source gives it at one period: rows are keyed by (figure,
    source, period), so two sources' figures of one name are two rows and a figure quoted at
    another year (a scenario whose target slips to 2034) is a row of its own, never beside
    one quoted at 2032. The row's header states its period ("figure, period"); a cell is the
    value, or "—" for a scenario without that figure at that period. Rows keep the order in
    which they first appear.
    """
    names = [s["name"] for s in scenarios]
    reports: dict[str, dict[tuple, dict[str, str]]] = {}
    for s in scenarios:
        for r in s["reports"]:
            # by the report's topic: its finding title differs from scenario to scenario
            figures = reports.setdefault(r.get("kicker") or r["title"], {})
            for h in r["headlines"]:
                key = (h.get("figure", ""), h.get("source", ""), h.get("period", ""))
                figures.setdefault(key, {})[s["name"]] = str(h.get("value", ""))
    return [
        {
            "title": title,
            "rows": [
                {
                    "figure": f"{figure}, {period}" if period else figure,
                    "cells": [by_scenario.get(n, "—") for n in names],
                    "differs": len({by_scenario.get(n) for n in names}) > 1,
                }
                for (figure, _source, period), by_scenario in figures.items()
            ],
        }
        for title, figures in reports.items()
    ]


def scenario_parameters(scenarios: list[dict]) -> list[dict]:
    """Return the parameters the scenarios set, in words: each row the parameter's label (the
    dictionary's) and, per scenario, its value as a reader reads it (a choice's words; None,
    or not set, "the notebooks' default"). The code names stay in the scenario files."""
    from magnet_watch.notebook.parameters import choice_label, parameter_dictionary

    dictionary = parameter_dictionary()
    names = sorted({p for s in scenarios for p in s["parameters"]})

    def words(name: str, scenario: dict) -> str:
        value = scenario["parameters"].get(name)
        if value is None:
            return "the notebooks' default"
        spec = dictionary.get(name, {})
        text = choice_label(spec, value) if "choices" in spec else f"{value:g}"
        unit = "" if "choices" in spec else spec.get("unit", "")
        return f"{text} ({unit})" if unit else text

    return [
        {"label": dictionary.get(n, {}).get("label", n), "cells": [words(n, s) for s in scenarios]}
        for n in names
    ]


def comparison_page(
    scenarios: list[dict],
    as_of: str,
    *,
    outcomes: DataTable | None = None,
    chart=None,
    sources: list[dict] | None = None,
) -> str:
    """Return the page comparing scenarios: their parameters, their key outcomes at one year
    (``outcomes``, a table, and ``chart``, a ``pages.Chart``; None: not computed) and the
    headline figures of the scenarios built so far, side by side.

    ``scenarios`` items have name, description, parameters ({name: value}), reports (stem,
    title, headlines) and built (whether its reports exist); ``as_of`` as for ``report_page``;
    ``sources`` the rows of sources.csv, which the chart's "Cite this" names.
    """
    charts = [chart] if chart is not None else []
    return _ENV.get_template("comparison.html").render(
        **{
            **_page_context(
                "magnet-watch scenarios compared",
                "",
                as_of,
                "scenarios/index.html",
                f"{scenarios[0]['name']}/" if scenarios else "",
            ),
            "edition": f"the scenarios {', '.join(s['name'] for s in scenarios)}",
        },
        scripts=bool(charts),
        scenarios=scenarios,
        names=[s["name"] for s in scenarios],
        parameters=scenario_parameters(scenarios),
        tables=scenario_tables(scenarios),
        outcomes=outcomes,
        chart=chart,
        chart_sources={
            c.name: cited_sources(sources or [], json.dumps(c.spec, ensure_ascii=False))
            for c in charts
        },
    )
