"""Pages speak to readers in words (issue 20): outside the collapsed "How this was computed"
sections, no built page shows a parameter name, a fact id or a source id, and no page shows
the text a notebook keeps for its JupyterLab users. The curation audit page (06), written for
curators, keeps its ids.

The vocabularies come from the data: the fact ids of data/facts.csv, the source ids of
data/sources.csv and the parameter names of notebooks/parameters.yaml (those written like code,
with an underscore: "draws" and "seed" are also English words).
"""

from __future__ import annotations

import csv
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from magnet_watch import paths

pytestmark = pytest.mark.xdist_group("report_builds")

CURATORS_PAGE = "06_curation_audit.html"
NOTEBOOK_ONLY_WORDS = ("JupyterLab", "the next cell", "magnet_watch.")


def code_names() -> dict[str, str]:
    """Return {name: what it is} for every id and parameter name a page must not show."""
    data = paths.PROJECT_ROOT / "data"
    with (data / "facts.csv").open(encoding="utf-8", newline="") as f:
        names = {row["fact_id"]: "fact id" for row in csv.DictReader(f)}
    with (data / "sources.csv").open(encoding="utf-8", newline="") as f:
        names.update({row["source_id"]: "source id" for row in csv.DictReader(f)})
    dictionary = yaml.safe_load(
        (paths.PROJECT_ROOT / "notebooks" / "parameters.yaml").read_text(encoding="utf-8")
    )
    names.update({n: "parameter name" for n in dictionary["parameters"] if "_" in n})
    return names


def visible_text(page: str) -> str:
    """Return the text a reader sees on a page before opening any collapsed section: no
    scripts, styles or <details> (the "How this was computed" sections and "show the data")."""
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup.find_all(["head", "script", "style", "details", "template"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def code_names_in(text: str, names: dict[str, str]) -> list[str]:
    """Return "<kind> <name>" for each name that appears in ``text`` as a whole word."""
    return [
        f"{kind} {name}"
        for name, kind in names.items()
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
    ]


# Every page for readers: the index, each notebook's report (but the curators' audit page), the
# glossary and the methodology.
READER_PAGES = [
    "index",
    *sorted(p.stem for p in (paths.PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
    "glossary",
    "methodology",
]
READER_PAGES.remove(CURATORS_PAGE.removesuffix(".html"))


@pytest.mark.parametrize("stem", READER_PAGES)
def test_no_page_for_readers_shows_a_code_name_outside_its_collapsed_sections(project_build, stem):
    out, _ = project_build
    text = visible_text((out / f"{stem}.html").read_text(encoding="utf-8"))
    assert code_names_in(text, code_names()) == []


def test_the_code_names_are_still_there_for_those_who_open_how_this_was_computed(project_build):
    out, _ = project_build
    names = code_names()
    page = (out / "03_imports.html").read_text(encoding="utf-8")
    computed = BeautifulSoup(page, "html.parser").find("details", class_="computed")
    assert computed is not None
    kinds = {h.split(" ")[0] for h in code_names_in(computed.get_text(" "), names)}
    assert kinds == {"fact", "source", "parameter"}, kinds


def test_no_page_shows_the_text_a_notebook_keeps_for_jupyterlab(project_build):
    out, _ = project_build
    found = {}
    for page in sorted(out.glob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        hits = [w for w in NOTEBOOK_ONLY_WORDS if w in text]
        if hits:
            found[page.name] = hits
    assert not found, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("computed from msa_magnet_target and more", ["fact id msa_magnet_target"]),
        ("Source: ibns-export-halt.", ["source id ibns-export-halt"]),
        ("with nd_mass_fraction = 0.27", ["parameter name nd_mass_fraction"]),
        ("Neodymium share of a magnet: 27%, the default", []),
        ("not_msa_magnet_target_x", []),
    ],
)
def test_the_check_finds_code_names_as_whole_words(text, expected):
    names = {
        "msa_magnet_target": "fact id",
        "ibns-export-halt": "source id",
        "nd_mass_fraction": "parameter name",
    }
    assert code_names_in(text, names) == expected


def test_visible_text_leaves_out_collapsed_sections_and_scripts():
    page = (
        "<p>Shown</p><details><summary>How</summary><p>hidden_id</p></details>"
        "<script>var x = 'in_script';</script>"
    )
    assert visible_text(page) == "Shown"


def test_every_page_links_the_glossary_and_the_methodology_which_are_built(project_build):
    out, _ = project_build
    assert (out / "glossary.html").exists() and (out / "methodology.html").exists()
    missing = {}
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        links = [f for f in ("glossary.html", "methodology.html") if f'href="{f}"' not in text]
        if links:
            missing[page.name] = links
    assert not missing, missing
    glossary = visible_text((out / "glossary.html").read_text(encoding="utf-8"))
    assert "crore" in glossary and "official clock" in glossary
