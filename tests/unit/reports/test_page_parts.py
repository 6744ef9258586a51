"""The parts of a report page written for readers: tables that scroll inside a wrapper, a chart's
text alternative and data table, "Cite this" lines, and the collapsed "How this was computed".

No kernels and no browser: pages are rendered from notebook dicts written here (the browser
checks of the built pages are in test_pages_for_readers_browser.py).
"""

from __future__ import annotations

import re

import pytest

from magnet_watch.reports import html, pages

AS_OF = "As of 27 May 2026: the latest date in the record (articles to November 2025)."
SOURCE = {
    "source_id": "demo-source",
    "file": "seeds/demo.txt",
    "title": "Magnets <b>now</b>",
    "publisher": "Reuters",
    "published": "2025-08-14",
    "url": "https://example.org/a",
}
UNNAMED = {
    "source_id": "other-source",
    "file": "seeds/other.txt",
    "title": "A plan",
    "publisher": "",
    "published": "",
    "url": "",
}
SPEC = {
    "title": {
        "text": "Demand grows",
        "subtitle": ["Assumes 27% neodymium.", "Source: demo-source"],
    },
    "data": {"name": "main"},
    "datasets": {
        "main": [
            {"year": 2025, "value": 1.0, "source_id": "demo-source"},
            {"year": 2026, "value": 1.5, "note": None},
        ],
        "other": [{"x": 1}],
    },
    "mark": "line",
}


def chart_output(name: str, spec: dict) -> dict:
    return {
        "output_type": "display_data",
        "metadata": {"magnet_watch_chart": name},
        "data": {"application/vnd.vegalite.v5+json": spec, "text/plain": "chart"},
    }


def page_of(*outputs, parameters=(), sources=(SOURCE, UNNAMED)) -> str:
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "# Demand outruns supply\n\nIntro.",
            },
            {"cell_type": "code", "metadata": {}, "outputs": list(outputs), "source": ""},
        ]
    }
    content = pages.read_report_content(nb, "01_test", lambda name, spec: {})
    return html.report_page(
        content,
        list(parameters),
        list(sources),
        "base case: the notebooks' defaults, demand doubling",
        "01_test",
        as_of=AS_OF,
    )


@pytest.mark.parametrize(
    "markup, label",
    [
        (
            "<table><caption>Imports &amp; more</caption><tr><td>1</td></tr></table>",
            "Imports &amp; more",
        ),
        ('<table><caption>A "quoted" <b>name</b></caption></table>', "A &#x27;quoted&#x27; name"),
        ("<p>x</p><table><tr><td>1</td></tr></table>", "Table"),
    ],
    ids=["caption names the region", "caption markup dropped, quotes escaped", "no caption"],
)
def test_a_table_in_notebook_markup_scrolls_inside_a_named_focusable_wrapper(markup, label):
    wrapped = str(pages.wrap_tables(markup))
    expected_label = label.replace("&#x27;", "&quot;")
    assert wrapped.count('<div class="table-wrap" tabindex="0" role="region"') == 1
    assert f'aria-label="{expected_label}">' in wrapped
    assert re.search(r"</table></div>$", wrapped)


def test_two_tables_get_two_wrappers_and_text_between_stays_outside():
    wrapped = str(pages.wrap_tables("<table></table><p>between</p><table></table>"))
    assert wrapped.count("table-wrap") == 2
    assert "</div><p>between</p><div" in wrapped


def test_a_charts_description_is_its_subtitle_and_its_data_table_the_named_dataset():
    assert pages.chart_description(SPEC) == "Assumes 27% neodymium. Source: demo-source"
    table = pages.chart_table(SPEC)
    assert table.columns == ["year", "value", "source_id", "note"]
    assert table.rows == [["2025", "1", "demo-source", ""], ["2026", "1.5", "", ""]]
    assert table.caption == "The chart's data: 2 rows"


def test_a_long_dataset_shows_its_first_rows_and_says_how_many_it_has():
    spec = {"datasets": {"a": [{"i": i} for i in range(120)], "b": [{"j": 1}]}}
    table = pages.chart_table(spec, limit=50)
    assert len(table.rows) == 50 and table.rows[-1] == ["49"]
    assert table.caption == "The chart's data: the first 50 of 120 rows (the CSV file has them all)"


def test_a_chart_without_inline_data_has_no_data_table():
    assert pages.chart_table({"mark": "bar"}).rows == []


@pytest.mark.parametrize(
    "as_of, short",
    [(AS_OF, "As of 27 May 2026"), ("Record of 2026.", "Record of 2026")],
    ids=["the sentence's date", "another wording kept whole"],
)
def test_the_citation_states_the_as_of_date(as_of, short):
    assert html.as_of_short(as_of) == short


def test_every_chart_carries_a_cite_line_with_title_page_edition_date_and_its_sources():
    page = page_of(chart_output("demand", SPEC))
    figure = re.search(r'<figure class="chart".*?</figure>', page).group(0)
    cite = re.search(r'<p class="cite">.*?</p>', figure).group(0)
    assert "Cite this chart:" in cite and "“Demand grows”, in “Demand outruns supply”" in cite
    assert "magnet-watch reports, base case; As of 27 May 2026." in cite  # the edition's name
    # Only the source the chart itself cites, as publisher and date, linked to its address.
    assert 'Sources: <a href="https://example.org/a">Reuters</a>, 2025-08-14.' in cite
    assert "A plan" not in cite


def test_the_page_cites_every_source_and_names_an_unnamed_publisher_by_title():
    page = page_of(chart_output("demand", SPEC))
    cite = re.search(r'<section class="cite-page">.*?</section>', page).group(0)
    assert "Cite this page:</strong> “Demand outruns supply”, magnet-watch reports" in cite
    assert "“A plan” (publisher not named), undated" in cite


def test_a_live_chart_is_named_and_described_by_its_text_alternative():
    page = page_of(chart_output("demand", SPEC))
    assert 'data-title="Demand grows" aria-describedby="desc-demand"' in page
    assert '<p class="visually-hidden" id="desc-demand">Assumes 27% neodymium.' in page
    assert "<summary>Show the data</summary>" in page


def test_parameters_and_source_ids_sit_in_the_collapsed_how_this_was_computed():
    parameter = {"name": "nd_mass_fraction", "value": 0.27, "set_by": "default", "meaning": "m"}
    page = page_of(parameters=[parameter])
    details = re.search(r'<details class="computed">.*?</details>', page).group(0)
    assert "<summary>How this was computed</summary>" in details
    assert "<code>nd_mass_fraction</code>" in details and "<code>demo-source</code>" in details
    outside = re.sub(r"<[^>]*>", " ", page.replace(details, ""))  # the text a reader sees
    assert "nd_mass_fraction" not in outside and "demo-source" not in outside


def test_the_footer_names_the_title_the_date_and_the_file():
    footer = re.search(r'<footer class="page-foot">.*?</footer>', page_of()).group(0)
    assert "Demand outruns supply · As of 27 May 2026 · magnet-watch reports" in footer
    assert "<code>01_test.html</code>" in footer
