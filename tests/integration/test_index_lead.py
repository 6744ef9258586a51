"""The index leads with five findings and links the scenarios: built from the project's own
notebooks (the session's one build), each finding one sentence whose figures are the ones the
reports' runs computed, each linking to a chart that exists on its page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.data.record_view import view_as_of
from magnet_watch.narrative.lead import lead_findings
from magnet_watch.reports.cache import read_manifest
from magnet_watch.reports.comparison import run_values
from magnet_watch.reports.plan import Project, discover_notebooks, plan_notebooks

pytestmark = pytest.mark.xdist_group("report_builds")


class Sections(HTMLParser):
    """The index's sections in order: each one's id and its list items (text, href)."""

    def __init__(self):
        super().__init__()
        self.sections, self.item, self.inside = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append({"id": attrs.get("id"), "items": []})
            self.inside = True
        elif tag == "li" and self.inside:
            self.item = {"text": "", "href": None}
            self.sections[-1]["items"].append(self.item)
        elif tag == "a" and self.item is not None and self.item["href"] is None:
            self.item["href"] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "li":
            self.item = None
        elif tag == "section":
            self.inside = False

    def handle_data(self, data):
        if self.item is not None:
            self.item["text"] += data


@pytest.fixture(scope="module")
def index_sections(project_build):
    out, _ = project_build
    parser = Sections()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return out, parser.sections


def headline(out, stem: str, figure: str) -> str:
    records = read_manifest(out)["notebooks"][stem]["headlines"]
    return next(r["value"] for r in records if r["figure"] == figure)


def test_the_index_opens_with_five_findings_each_linking_to_a_chart_on_its_page(index_sections):
    out, sections = index_sections
    first = sections[0]
    assert first["id"] == "findings"
    assert len(first["items"]) == 5
    for item in first["items"]:
        page, _, anchor = item["href"].partition("#")
        assert (out / page).is_file(), item["href"]
        assert anchor.startswith("chart-"), item["href"]
        assert f'id="{anchor}"' in (out / page).read_text(encoding="utf-8"), item["href"]
        assert re.search(r"As of \d{1,2} \w+ \d{4}\.", item["text"]), item["text"]  # dated


def test_each_finding_is_the_librarys_sentence_for_the_values_the_notebooks_ran_with(
    index_sections,
):
    out, sections = index_sections
    plans = plan_notebooks(discover_notebooks(Project().notebooks_dir), {}, {})
    view = view_as_of(None)
    expected = lead_findings(
        run_values(plans), ImportsInputs.from_data(view.facts, view.refs), view.facts
    )
    texts = [" ".join(item["text"].split()) for item in sections[0]["items"]]
    for finding, text in zip(expected, texts, strict=True):
        assert text.startswith(finding.text), (finding.text, text)


def test_each_findings_figures_are_those_the_reports_runs_computed(index_sections):
    out, sections = index_sections
    gap, coverage, clock, china, imports = (item["text"] for item in sections[0]["items"])
    assert headline(out, "02_capacity", "Neodymium gap: need minus IREL output") in gap
    need = headline(out, "02_capacity", "Neodymium the magnet target needs").split(" (")[0]
    assert need.replace("/yr", "") in gap
    covered = "Share of rare-earth magnet demand domestic output covers"
    assert headline(out, "03_imports", covered) in coverage
    assert headline(out, "03_imports", "Projected rare-earth magnet demand") in coverage
    assert headline(out, "02_capacity", "Official clock: first year of magnet output") in clock
    assert headline(out, "04_market_share", "China's share of world magnet production") in china
    records = read_manifest(out)["notebooks"]["04_market_share"]["headlines"]
    processing = [
        r["value"] for r in records if r["figure"] == "China's share of rare-earth processing"
    ]
    assert len(processing) == 2 and all(value in china for value in processing)
    tonnes = "Permanent magnet imports, all kinds (the article says rare-earth magnets)"
    assert headline(out, "03_imports", tonnes) in imports
    assert "every kind" in imports  # the tonnage in its scope


def test_the_index_links_the_scenarios_and_their_comparison_page(index_sections):
    out, sections = index_sections
    scenarios = next(s for s in sections if s["id"] == "scenarios")
    assert [i["text"].split(":")[0] for i in scenarios["items"]] == ["low", "base", "high"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="scenarios/index.html"' in page
    comparison = (out / "scenarios" / "index.html").read_text(encoding="utf-8")
    assert "Key outcomes in 2032, every scenario read at the same year" in comparison
    assert 'id="chart-scenarios_nd_need"' in comparison
    assert (out / "scenarios" / "charts" / "scenarios_nd_need.svg").is_file()
