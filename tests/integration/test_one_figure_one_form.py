"""The same figure is written the same way on every page (issue 20): a growth rate, a price,
the outlay and a ratio read alike in the prose, tables, chart titles and tooltips of every
built page, because all of them call text.formats."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest

# The built pages are the project's own build, shared with the other modules that read it.
pytestmark = pytest.mark.xdist_group("report_builds")

# The curation audit is written for curators: it shows each fact as curated (its own form).
CURATORS_PAGE = "06_curation_audit"
NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
FORMS = {
    "growth rate": re.compile(NUMBER + r"\s?%/yr"),
    "price": re.compile(r"\$" + NUMBER + r"/kg|" + NUMBER + r"\s?USD/kg"),
}


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _reader_texts(out) -> dict[str, str]:
    """Return {file: the text a reader sees} for every page and chart spec but the curators'."""
    files = sorted(out.glob("*.html")) + sorted(out.glob("**/*.vl.json"))
    texts = {}
    for path in files:
        if CURATORS_PAGE in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        texts[str(path.relative_to(out))] = _visible_text(text) if path.suffix == ".html" else text
    return texts


def written_forms(texts: dict[str, str], pattern: re.Pattern, digits: int) -> dict:
    """Return {figure rounded to ``digits``: {written form: [files]}} for every match."""
    forms: dict = defaultdict(lambda: defaultdict(list))
    for name, text in texts.items():
        for m in pattern.finditer(text):
            number = next(g for g in m.groups() if g)
            forms[round(float(number.replace(",", "")), digits)][m.group(0)].append(name)
    return forms


@pytest.mark.parametrize(("kind", "digits"), [("growth rate", 1), ("price", 2)])
def test_the_same_figure_is_written_one_way_on_every_page(project_build, kind, digits):
    out, _ = project_build
    forms = written_forms(_reader_texts(out), FORMS[kind], digits)
    assert forms, f"no {kind} found on the built pages"
    several = {value: dict(f) for value, f in forms.items() if len(f) > 1}
    assert not several, f"{kind}s written more than one way: {several}"


def test_a_ratio_in_words_is_always_about_a_whole_number_of_times(project_build):
    out, _ = project_build
    texts = _reader_texts(out)
    ratios = [
        (name, m.group(0))
        for name, text in texts.items()
        for m in re.finditer(r"(\w+) [\d.,]+ times\b", text)
    ]
    assert ratios, "no ratio in words on the built pages"
    other = [(name, words) for name, words in ratios if not words.startswith("about ")]
    assert not other, other


def test_the_outlay_is_written_in_crore_with_its_billions_wherever_the_project_computes_it(
    project_build,
):
    out, _ = project_build
    texts = _reader_texts(out)
    # The articles' own words ("73 billion INR", "73 billion rupees") are theirs; the project's
    # conversion of the outlay, 72.8 billion, is written only inside "Rs 7,280 crore (...)".
    written = [
        (name, text[m.start() - 20 : m.end()])
        for name, text in texts.items()
        for m in re.finditer(r"\b\d+\.\d+ billion rupees", text)
    ]
    assert written, "the outlay's conversion is on no page"
    other = [(name, words) for name, words in written if "crore (" not in words]
    assert not other, other
