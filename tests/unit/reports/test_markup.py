"""Report pages: Jinja2 templates with autoescaping, and the allowlist for notebook HTML.

No kernels here: pages are rendered from notebook dicts written in the tests.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers.projects import HOSTILE_QUOTE

from magnet_watch.notebook.display import table_html
from magnet_watch.reports import html, pages
from magnet_watch.reports.markup import allowed_html


def styler_html() -> str:
    """Return a pandas Styler table like the claims check's: a <style> block for its cells."""
    frame = pd.DataFrame({"check": ["IREL output"], "verdict": ["agree"]})
    styler = frame.style.set_uuid("claims_check").hide(axis="index")
    styler = styler.map(lambda v: "background-color: #009E73; color: white; font-weight: bold")
    return styler.set_caption("Claims against USGS").to_html()


def test_our_own_table_outputs_are_allowed():
    assert allowed_html(table_html(pd.DataFrame({"quote": [HOSTILE_QUOTE]}), HOSTILE_QUOTE))
    markup = styler_html()
    assert "<style" in markup and allowed_html(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<script>window.hacked = 1</script>",
        '<table><tr><td onclick="alert(1)">x</td></tr></table>',
        '<img src="x" onerror="alert(1)">',
        '<iframe src="https://example.org"></iframe>',
        '<a href="https://example.org">a link</a>',
        '<table><tr><td style="background: url(https://example.org/x.png)">x</td></tr></table>',
        "<style>body { display: none }</style><table></table>",
        '<style type="text/css">#T_x { background: url(https://example.org) }</style>',
        "<style>@import 'https://example.org/a.css';</style>",
        "<table><!-- a comment --></table>",
        "<table><tr><td>x</td></tr></table><script",
        '<form action="https://example.org"><input name="q"></form>',
        "<svg><script>1</script></svg>",
    ],
)
def test_anything_else_is_refused(markup):
    assert not allowed_html(markup)


AS_OF = "As of 27 May 2026: the latest date in the record."


def notebook(*outputs: dict) -> dict:
    return {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": f"# A <b>title</b>\n\n{HOSTILE_QUOTE}",
            },
            {"cell_type": "code", "metadata": {}, "outputs": list(outputs), "source": ""},
        ]
    }


def render(nb: dict, parameters=(), label="base case") -> str:
    content = pages.read_report_content(nb, "01_test", lambda name, spec: {})
    return html.report_page(content, list(parameters), [], label, "01_test", as_of=AS_OF)


def test_refused_html_shows_its_plain_text_escaped():
    output = {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": "<script>window.hacked = 1</script>",
            "text/plain": "<script>window.hacked = 1</script>",
        },
    }
    page = render(notebook(output))
    assert "<script>window.hacked" not in page
    assert "<pre>&lt;script&gt;window.hacked = 1&lt;/script&gt;</pre>" in page


def test_allowed_html_passes_through_unchanged_but_for_a_scrolling_wrapper_round_its_table():
    markup = styler_html()
    output = {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": markup, "text/plain": "a table"},
    }
    wrapped = str(pages.wrap_tables(markup))
    assert wrapped in render(notebook(output))
    assert re.sub(r'<div class="table-wrap"[^>]*>|(?<=</table>)</div>', "", wrapped) == markup


def test_templates_escape_every_value():
    assert html._ENV.autoescape is True
    hostile = {"name": "x", "value": HOSTILE_QUOTE, "set_by": HOSTILE_QUOTE, "meaning": "<i>"}
    page = render(notebook(), parameters=[hostile], label=HOSTILE_QUOTE)
    assert "<script>" not in page and "<i>" not in page
    assert "A &lt;b&gt;title&lt;/b&gt;" in page  # the title, from the notebook's heading
    # label (under the title and in the page's "Cite this"), value, set by, intro
    assert page.count("&lt;script&gt;window.hacked") == 5
    assert page.startswith("<!DOCTYPE html>\n<html") and page.endswith("</html>\n")
    assert "\n  " not in page  # the templates' indentation does not reach the page


def test_comparison_page_marks_rows_that_differ():
    scenarios = [
        {
            "name": n,
            "description": f"{n} growth",
            "parameters": {"g": v},
            "reports": [
                {
                    "stem": "01_a",
                    "title": "A",
                    "headlines": [
                        {"figure": "demand", "value": f"{v} t", "period": "2030"},
                        {"figure": "<b>fixed</b>", "value": "1 t", "period": "2024"},
                    ],
                }
            ],
        }
        for n, v in (("low", 1), ("high", 2))
    ]
    page = html.comparison_page(scenarios, AS_OF)
    assert '<tr class="differs"><td>demand, 2030</td><td>1 t</td><td>2 t</td></tr>' in page
    assert "<tr><td>&lt;b&gt;fixed&lt;/b&gt;, 2024</td><td>1 t</td>" in page
    assert "magnet-watch reports, the scenarios low, high; As of" in page  # its citation
