"""Headline figures in a reader's words (issue 20): a source id reads as its publisher and date,
linked where the record has an address; "computed from" fact ids reads as the sources of those
facts; a figure loses the ids it ends with; cells a notebook keeps for JupyterLab never reach
a page."""

from __future__ import annotations

import pytest

from magnet_watch.reports import html, pages, source_words
from magnet_watch.reports.source_words import Names

NAMES = Names(
    sources={
        "demo-source": {"text": "Reuters, 2025-08-14", "url": "https://example.org/a"},
        "plain-source": {"text": "IBNS, undated", "url": ""},
    },
    facts={"demo_fact": "demo-source", "plain_fact": "plain-source"},
    parameters={"nd_mass_fraction": "neodymium's share of a magnet's mass"},
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demo-source", [{"text": "Reuters, 2025-08-14", "url": "https://example.org/a"}]),
        (
            "plain-source vs USGS MCS 2025",
            [{"text": "IBNS, undated vs USGS MCS 2025", "url": ""}],
        ),
        (
            "computed from demo_fact, plain_fact, demo_fact, parameter nd_mass_fraction",
            [
                {"text": "computed from ", "url": ""},
                {"text": "Reuters, 2025-08-14", "url": "https://example.org/a"},
                {"text": "; IBNS, undated and assumptions", "url": ""},
            ],
        ),
        ("USGS MCS 2025", [{"text": "USGS MCS 2025", "url": ""}]),
    ],
    ids=["a source id", "ids among words", "computed from facts and a parameter", "no id"],
)
def test_a_headline_source_reads_as_publisher_and_date(text, expected):
    assert source_words.words_of(text, NAMES) == expected


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("India's rank by reserves: demo_fact", "India's rank by reserves"),
        ("Unit value: demo_fact / plain_fact", "Unit value"),
        ("Gap at nd_mass_fraction", "Gap at neodymium's share of a magnet's mass"),
        ("Share: about 8%", "Share: about 8%"),
    ],
)
def test_a_figure_loses_the_ids_it_ends_with(figure, expected):
    assert source_words.figure_words(figure, NAMES) == expected


def test_the_names_come_from_the_projects_data(tmp_path):
    (tmp_path / "sources.csv").write_text(
        "source_id,title,title_from_document,publisher,published,available_from,url\n"
        "a-doc,A plan,true,,,,\n"
        "b-doc,B,true,Reuters,2025-08-14,,https://example.org/b\n"
        "c-doc,C plan,false,,,2025-11-30,\n",
        encoding="utf-8",
    )
    (tmp_path / "facts.csv").write_text("fact_id,source_id\nb_fact,b-doc\n", encoding="utf-8")
    names = source_words.read_names(tmp_path)
    assert names.source_of("a-doc") == {
        "text": "“A plan” (publisher not named), undated",
        "url": "",
    }
    # Untitled and undated: the title is the curators', the date the one the record holds it
    # public from (sources.csv's available_from).
    assert names.source_of("c-doc") == {
        "text": "“C plan” (the curators' title; publisher not named), undated, public by 2025-11-30",
        "url": "",
    }
    assert names.source_of("b_fact") == {
        "text": "Reuters, 2025-08-14",
        "url": "https://example.org/b",
    }


def notebook(*cells) -> dict:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Title"}, *cells]}


def headline_output(records: list[dict]) -> dict:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"application/vnd.magnet-watch.headlines+json": {"headlines": records}},
    }


def test_a_page_shows_headline_sources_in_words_and_their_ids_only_under_how_this_was_computed():
    record = {"figure": "Target: demo_fact", "value": "6,000 t/yr", "period": "2032"}
    record["source"] = "demo-source"
    nb = notebook({"cell_type": "code", "metadata": {}, "outputs": [headline_output([record])]})
    content = pages.read_report_content(nb, "01_test", lambda name, spec: {})
    source_words.headlines_in_words(content.headlines, NAMES)
    page = html.report_page(content, [], [], "base case", "01_test", as_of="As of 1 May 2026.")
    details = page[page.index('<details class="computed">') : page.index("</details>")]
    outside = page.replace(details, "")
    assert '<td><a href="https://example.org/a">Reuters, 2025-08-14</a></td>' in outside
    assert "<td>Target</td>" in outside
    assert "demo-source" not in outside and "demo_fact" not in outside
    assert "<td>Target: demo_fact</td><td><code>demo-source</code></td>" in details


def test_cells_tagged_notebook_only_never_reach_the_page():
    nb = notebook(
        {"cell_type": "markdown", "metadata": {"tags": ["notebook-only"]}, "source": "Re-run it"},
        {"cell_type": "markdown", "metadata": {}, "source": "For readers"},
        {
            "cell_type": "code",
            "metadata": {"tags": ["notebook-only"]},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "controls"}],
        },
    )
    content = pages.read_report_content(nb, "01_test", lambda name, spec: {})
    shown = " ".join(str(b.content) for b in content.blocks)
    assert "For readers" in shown
    assert "Re-run it" not in shown and "controls" not in shown
