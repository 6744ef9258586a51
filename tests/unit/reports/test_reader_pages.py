"""The glossary and the methodology pages (issue 20), written from the data: every term of
data/glossary.csv with its meaning, at an anchor a page can link to; the methodology names the
project's tables, reference packages and assumptions in words; every page links both."""

from __future__ import annotations

import shutil

import pytest

from magnet_watch import paths
from magnet_watch.errors import DataValidationError
from magnet_watch.reports import reader_pages

AS_OF = "As of 27 May 2026: the latest date in the record."
TERMS_A_READER_NEEDS = (
    "REO",
    "NdFeB",
    "NdPr",
    "crore",
    "IREL",
    "ramp",
    "official clock",
    "tornado",
    "central 90% of draws",
    "fiscal year",
    "MCS",
    "as-of date",
)


@pytest.mark.parametrize(
    ("term", "anchor"),
    [("central 90% of draws", "central-90-of-draws"), ("as-of date", "as-of-date"), ("REO", "reo")],
)
def test_a_term_has_a_plain_anchor(term, anchor):
    assert reader_pages.term_anchor(term) == anchor


def test_the_glossary_explains_every_term_the_pages_use_from_the_data():
    page = reader_pages.glossary_page(paths.DATA_DIR, "base case", AS_OF)
    terms = {t["term"]: t for t in reader_pages.glossary_terms(paths.DATA_DIR)}
    for term in TERMS_A_READER_NEEDS:
        assert term in terms, term
        assert f'<dt id="{reader_pages.term_anchor(term)}">' in page
    assert "one crore is ten million" in page
    assert 'href="glossary.html"' in page and 'href="methodology.html"' in page


def test_a_term_added_to_the_data_appears_on_the_glossary(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    with (data / "glossary.csv").open("a", encoding="utf-8") as f:
        f.write('lakh,"One hundred thousand (10^5).",\n')
    page = reader_pages.glossary_page(data, "base case", AS_OF)
    assert '<dt id="lakh">lakh</dt><dd>One hundred thousand (10^5).</dd>' in page


def test_a_glossary_term_written_twice_is_refused_naming_the_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    with (data / "glossary.csv").open("a", encoding="utf-8") as f:
        f.write('REO,"again",\n')
    with pytest.raises(DataValidationError, match="glossary.csv"):
        reader_pages.glossary_terms(data)


def test_the_methodology_names_the_tables_references_and_assumptions_in_words():
    page = reader_pages.methodology_page(paths.DATA_DIR, paths.NOTEBOOKS_DIR, "base case", AS_OF)
    assert '<a href="data/facts.csv">facts.csv</a>' in page
    assert "Union Cabinet, Government of India" in page  # a reference package's producer
    assert "<td>neodymium&#39;s share of a magnet&#39;s mass</td>" in page
    assert "nd_mass_fraction" not in page and "magnet_watch." not in page
    assert "S-curve (slow, fast, slow)" in page and "s_curve" not in page  # choices in words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The same years as target_year's range.", "The same years as the year reached range."),
        ("Checked. The logic is in magnet_watch.data.scopes. Kept.", "Checked. Kept."),
        ("not_target_year_x stays", "not_target_year_x stays"),
    ],
)
def test_text_for_readers_names_parameters_by_label_and_drops_module_pointers(text, expected):
    assert reader_pages.for_readers(text, {"target_year": "the year reached"}) == expected
