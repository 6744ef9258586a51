"""The explorers' dropdowns on the built pages show their choices in words (the parameter
dictionary's choice_labels), never a code name such as s_curve or articles; the value a
dropdown sets (and the page address keeps) stays the code."""

from __future__ import annotations

import pytest
from helpers.browser import open_page

from magnet_watch.notebook.parameters import parameter_dictionary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

OPTIONS = """() => Array.from(document.querySelectorAll(".vega-bindings select option"))
    .map(o => ({text: o.textContent, value: o.value}))"""


def coded_choices() -> dict[str, str]:
    """Return {code: words} for every choice the dictionary words differently from its code."""
    return {
        str(code): words
        for spec in parameter_dictionary().values()
        for code, words in spec.get("choice_labels", {}).items()
        if str(code) != words
    }


@pytest.mark.parametrize("stem", ["02_capacity", "03_imports"])
def test_no_dropdown_option_on_a_page_shows_a_code_name(browser, project_build, stem):
    view, page = open_page(browser, project_build[0], stem)
    options = page.evaluate(OPTIONS)
    codes = coded_choices()
    assert options, f"{stem} has no dropdown"
    texts = {o["text"] for o in options}
    assert not texts & set(codes), sorted(texts & set(codes))
    worded = [o for o in options if o["value"] in codes]
    assert worded, f"{stem}: no worded choice found"
    assert all(o["text"] == codes[o["value"]] for o in worded)
