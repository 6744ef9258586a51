"""A report page takes its title and first paragraph from the notebook's show_summary output,
wherever the cell stands; the notebook's heading becomes the kicker above the title."""

from __future__ import annotations

from magnet_watch.notebook.outputs import SUMMARY_METADATA_KEY
from magnet_watch.reports.html import report_page
from magnet_watch.reports.pages import read_report_content


def _notebook(with_summary: bool) -> dict:
    summary = {
        "output_type": "display_data",
        "data": {"text/markdown": "**The finding.** One. Two. Three.", "text/plain": "x"},
        "metadata": {
            SUMMARY_METADATA_KEY: {"title": "The finding", "sentences": ["One.", "Two.", "Three."]}
        },
    }
    table = {"output_type": "display_data", "data": {"text/plain": "a table"}, "metadata": {}}
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# The topic\n\nIntro."},
            {"cell_type": "code", "metadata": {}, "outputs": [table]},
            {"cell_type": "code", "metadata": {}, "outputs": [summary] if with_summary else []},
        ]
    }


def test_the_summary_gives_the_title_and_the_topic_becomes_the_kicker():
    content = read_report_content(_notebook(True), "default", lambda name, spec: {})
    assert content.title == "The finding"
    assert content.kicker == "The topic"
    assert content.summary == ["One.", "Two.", "Three."]
    assert all("The finding" not in str(b.content) for b in content.blocks)  # not shown twice


def test_a_notebook_without_a_summary_keeps_its_heading_as_the_title():
    content = read_report_content(_notebook(False), "default", lambda name, spec: {})
    assert (content.title, content.kicker, content.summary) == ("The topic", "", [])


def test_the_page_opens_its_article_with_the_summary_under_the_finding_title():
    content = read_report_content(_notebook(True), "default", lambda name, spec: {})
    page = report_page(content, [], [], "", "01_x", as_of="As of 1 May 2026.")
    assert '<p class="kicker">The topic</p><h1>The finding</h1>' in page
    assert '<article><p class="summary">One. Two. Three.</p>' in page
    assert page.index("a table") > page.index('<p class="summary">')
