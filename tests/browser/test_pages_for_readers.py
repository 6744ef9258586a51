"""Every built page as readers meet it, in headless Chromium with the network cut off: on a phone
(320 and 390 px) and a desk (1280 px) no page scrolls sideways; every chart of the project's
reports draws offline; axe-core finds no serious or critical accessibility violation; every
drawn chart is one named, described picture with a "Cite this" line; printed to A4, nothing
lies outside the page box; an explorer's setting survives a reload through the page address.

The pages: the project's own reports and index (the session's one build, ``project_build``),
and the scenario comparison with a scenario's report, built from a small generated project.
With `make artefacts`, screenshots at 1280 and 390 px and each page's A4 PDF are kept in
build/test-artefacts/pages/ (generated, ignored by git) for a person to look at.

Each page is opened once per screen width for all the screen tests (``seen_on_screen``, which
reads what they check as the page settles, then runs axe-core), and once in print: the pages of
one width (or of print) one after another in one tab, each a new document (``Reader.visit``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers.browser import (
    ARTEFACTS_DIR,
    CHART_STATE,
    LINES,
    SET_INPUT,
    Reader,
    broken_images,
    keep_pdf,
    keep_screenshot,
)
from helpers.built import scenario_build

from magnet_watch import paths
from magnet_watch.reports import build as report_build
from magnet_watch.reports.plan import discover_notebooks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

AXE = paths.PROJECT_ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PAGES_ARTEFACTS = ARTEFACTS_DIR / "pages"
WIDTHS = (320, 390, 1280)
# A4 is 210 mm wide; the print stylesheet's @page margins are 12 mm a side: 186 mm at 96 dpi.
A4_CONTENT_PX = round(186 / 25.4 * 96)
SERIOUS = ("serious", "critical")

OUTSIDE_THE_PAGE = """(width) => Array.from(document.querySelectorAll('body *'))
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && r.height > 0 && (r.left < -1 || r.right > width + 1); })
    .filter(e => !e.closest('.visually-hidden'))
    .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`
              + ` (${Math.round(e.getBoundingClientRect().left)}`
              + ` to ${Math.round(e.getBoundingClientRect().right)} px)`)
    .slice(0, 5)"""
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
CHART_NAMES = """() => Array.from(document.querySelectorAll('figure.chart')).map(f => {
    const svg = f.querySelector('.chart-view svg');
    const described = svg && document.getElementById(svg.getAttribute('aria-describedby'));
    return {name: f.dataset.chart, title: f.dataset.title,
            role: svg && svg.getAttribute('role'), label: svg && svg.getAttribute('aria-label'),
            description: described ? described.textContent : null,
            cite: (f.querySelector('p.cite') || {}).textContent || ''};
})"""


@pytest.fixture(scope="module")
def scenario_pages(tmp_path_factory) -> Path:
    """A generated project's scenarios, built (the run's one ``scenario_build``): their
    comparison page and report pages."""
    out, status = scenario_build(tmp_path_factory)
    assert status == 0
    return out / "scenarios"


@pytest.fixture(scope="module")
def every_page(project_build, scenario_pages) -> dict[str, Path]:
    """Every kind of page: {name for messages and artefacts: file}."""
    out, _ = project_build
    found = {"index": out / "index.html"}
    found.update({f.stem: f for f in sorted(out.glob("[0-9][0-9]_*.html"))})
    found.update({name: out / f"{name}.html" for name in ("glossary", "methodology")})
    found["scenarios-compared"] = scenario_pages / "index.html"
    found["scenarios-key-outcomes"] = out / "scenarios" / "index.html"  # the project's own
    found["scenario-low-01_alpha"] = scenario_pages / "low" / "01_alpha.html"
    for name, file in found.items():
        assert file.exists(), f"{name}: {file} was not built"
    return found


def wait_for_lines(page, chart: str, lines: list[str]) -> None:
    """Wait until the chart's text lines (test_explore_browser.LINES) are ``lines``."""
    page.wait_for_function(
        f"([name, lines]) => JSON.stringify(({LINES})(name)) === JSON.stringify(lines)",
        arg=[chart, lines],
        timeout=10_000,
    )


SCROLL_WIDTH = """() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]"""
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
SCREENSHOT_WIDTHS = (390, 1280)
AXE_WIDTHS = (390, 1280)
NAMES_WIDTH = 1280


def read_as_opened(page, name: str, width: int, computed: bool) -> dict:
    """What the screen tests read on a page as it settled, before anything was opened: its
    width; at NAMES_WIDTH its charts' names, cite lines and state (drawn, with marks), its
    pictures that did not load, whether a quoted script ran, its collapsed "how this was
    computed"; with the screenshot at the widths kept (with `make artefacts`)."""
    seen: dict = {}
    scroll, client = page.evaluate(SCROLL_WIDTH)
    seen["wide"] = page.evaluate(OUTSIDE_THE_PAGE, client) if scroll > client else None
    seen["scroll"], seen["client"] = scroll, client
    if width in SCREENSHOT_WIDTHS:
        keep_screenshot(page, PAGES_ARTEFACTS / f"{name}-{width}.png")
    if width == NAMES_WIDTH:
        seen["charts"] = page.evaluate(CHART_NAMES)
        seen["page_cites"] = page.locator("section.cite-page p.cite").count()
        seen["drawn"] = page.evaluate(CHART_STATE)
        seen["broken images"] = broken_images(page)
        seen["hacked"] = page.evaluate("() => window.hacked")
    if width == NAMES_WIDTH and computed:
        details, parameters = page.locator("details.computed"), page.locator("table.parameters")
        seen["computed"] = {
            "count": details.count(),
            "open": details.get_attribute("open") if details.count() == 1 else "?",
            "parameters shown": parameters.count() > 0 and parameters.is_visible(),
            "sources": page.inner_text("section.sources"),
            "ids": page.eval_on_selector_all(
                "table.source-ids code", "cs => cs.map(c => c.textContent)"
            ),
        }
    return seen


@pytest.fixture(scope="module")
def seen_on_screen(browser, every_page):
    """A function: width -> {page name: what the screen tests read on it at that width}, each
    page opened once per width for every test (``read_as_opened``; then, at AXE_WIDTHS, the
    collapsed parts opened and axe-core run: "axe"). "failed" names a page that did not open
    and settle; "refused", "errors" and "dialogs" are the tab's as the page settled."""
    out = every_page["index"].parent
    seen_at: dict[int, dict[str, dict]] = {}

    def seen(width: int) -> dict[str, dict]:
        if width in seen_at:
            return seen_at[width]
        seen_at[width] = {}
        reader = None  # one tab per width, each page a new document in it (Reader.visit)
        for name, file in every_page.items():
            computed = file.parent == out and name not in ("index", "glossary", "methodology")
            reader = reader or Reader(browser, width)
            try:
                page = reader.visit(file.as_uri())
                found = read_as_opened(page, name, width, computed)
                found["refused"], found["errors"] = list(reader.refused), list(reader.errors)
                found["dialogs"] = list(reader.dialogs)
                if width in AXE_WIDTHS:
                    # The collapsed parts (data tables, how this was computed) are checked open.
                    page.evaluate(OPEN_DETAILS)
                    page.add_script_tag(path=str(AXE))
                    found["axe"] = page.evaluate(RUN_AXE)
            except Exception as error:  # noqa: BLE001 - each test names the page that failed
                found = {"failed": f"{name} at {width} px: {type(error).__name__}: {error}"}
                reader.close()  # the next page gets a new tab, not one left mid-way
                reader = None
            seen_at[width][name] = found
        if reader is not None:
            reader.close()
        return seen_at[width]

    return seen


def failed(seen: dict[str, dict]) -> list[str]:
    return [found["failed"] for found in seen.values() if "failed" in found]


def test_no_page_scrolls_sideways_on_a_phone_or_a_desk(seen_on_screen):
    problems = []
    for width in WIDTHS:
        seen = seen_on_screen(width)
        problems += failed(seen)
        for name, found in seen.items():
            if "failed" in found:
                continue
            if found["scroll"] > found["client"]:
                problems.append(f"{name} at {width} px: {found['scroll']} px wide, {found['wide']}")
            if found["refused"] or found["errors"]:
                problems.append(f"{name} at {width} px: {found['refused']} {found['errors']}")
    assert problems == []


def test_every_project_report_draws_its_charts_offline(seen_on_screen, project_build):
    out, _ = project_build
    seen = seen_on_screen(NAMES_WIDTH)
    assert failed(seen) == []
    drawn = 0
    for name in ["index", *sorted(f.stem for f in out.glob("[0-9][0-9]_*.html"))]:
        found = seen[name]
        for chart in found["drawn"]:
            assert chart["drawn"], f"{name}: chart {chart['name']} did not draw"
            assert chart["marks"] > 0, f"{name}: chart {chart['name']} has no marks"
            assert not chart["staticShown"], f"{name}: static copy still shown"
        drawn += len(found["drawn"])
        assert found["broken images"] == [], f"{name}: images did not load"
        assert found["refused"] == [], f"{name} asked the network for {found['refused']}"
        assert found["errors"] == [], f"{name} logged errors: {found['errors']}"
        assert found["dialogs"] == [], f"{name} opened dialogs: {found['dialogs']}"
        assert found["hacked"] is None
    manifest = json.loads((out / report_build.MANIFEST_NAME).read_text())
    charts = sum(len(entry["charts"]) for entry in manifest["notebooks"].values())
    assert len(manifest["notebooks"]) == len(discover_notebooks(paths.NOTEBOOKS_DIR))
    assert charts > 0 and drawn == charts


def test_every_page_passes_axe_without_serious_or_critical_violations(seen_on_screen):
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make browser` (make test runs it)")
    problems = []
    for width in AXE_WIDTHS:
        seen = seen_on_screen(width)
        problems += failed(seen)
        for name, found in seen.items():
            serious = [v for v in found.get("axe", []) if v["impact"] in SERIOUS]
            problems += [f"{name} at {width} px: {v}" for v in serious]
    assert problems == []


def test_every_drawn_chart_is_a_named_described_picture_with_a_cite_line(seen_on_screen):
    seen = seen_on_screen(NAMES_WIDTH)
    assert failed(seen) == []
    charts = 0
    for name, found in seen.items():
        for chart in found["charts"]:
            where = f"{name} at {NAMES_WIDTH} px: chart {chart['name']}"
            assert chart["role"] == "img", where
            assert chart["label"] == chart["title"] and chart["label"], where
            assert chart["description"] and chart["description"].strip(), where
            assert chart["cite"].startswith("Cite this chart: “"), where
            assert re.search(r"As of \d{1,2} \w+ \d{4}\.", chart["cite"]), where
            charts += 1
        if name.startswith(("0", "index", "scenario")):
            assert found["page_cites"] == 1, name
    assert charts > 20  # the project's reports hold some 25 charts


def test_parameters_and_source_ids_stay_in_the_collapsed_how_this_was_computed(seen_on_screen):
    seen = seen_on_screen(NAMES_WIDTH)
    assert failed(seen) == []
    checked = 0
    for name, found in seen.items():
        if "computed" not in found:
            continue
        computed = found["computed"]
        assert computed["count"] == 1, name
        assert computed["open"] is None, name
        assert not computed["parameters shown"], name
        assert not [i for i in computed["ids"] if i in computed["sources"]], name
        checked += 1
    assert checked > 0


def test_every_page_prints_to_a4_with_nothing_outside_the_page_box(browser, every_page):
    problems = []
    reader = Reader(browser, A4_CONTENT_PX, height=1123, media="print")
    try:
        for name, file in every_page.items():
            page = reader.visit(file.as_uri())
            outside = page.evaluate(OUTSIDE_THE_PAGE, A4_CONTENT_PX)
            if outside:
                problems.append(f"{name}: {outside}")
            controls = page.locator(".vega-bindings, .explorer-link, nav.crumbs")
            for i in range(controls.count()):
                assert not controls.nth(i).is_visible(), f"{name}: controls printed"
            footer = page.inner_text("footer.page-foot")
            assert re.search(r"As of \d{1,2} \w+ \d{4}", footer), name
            keep_pdf(page, PAGES_ARTEFACTS / f"{name}-print.pdf")
            keep_screenshot(page, PAGES_ARTEFACTS / f"{name}-print.png")
    finally:
        reader.close()
    assert problems == []


def test_an_explorers_setting_survives_a_reload_through_the_page_address(tab, project_build):
    out, _ = project_build
    file, chart = out / "02_capacity.html", "explore_capacity"
    reader = tab(width=390)
    page = reader.open(file.as_uri())
    default = page.evaluate(LINES, chart)
    page.evaluate(SET_INPUT, [chart, "p_target_year", 2035])
    page.evaluate(SET_INPUT, [chart, "p_ramp_shape", "s_curve"])
    page.wait_for_function(f"() => location.hash.includes('{chart}.p_ramp_shape=s_curve')")
    changed = page.evaluate(LINES, chart)
    assert changed != default
    address = page.url
    assert f"{chart}.p_target_year=2035" in address
    assert page.input_value(f"figure[data-chart='{chart}'] .explorer-link input") == address
    page.reload()
    reader.settle()
    wait_for_lines(page, chart, changed)
    year = page.input_value(f"figure[data-chart='{chart}'] [name='p_target_year']")
    shape = page.input_value(f"figure[data-chart='{chart}'] [name='p_ramp_shape']")
    assert (year, shape) == ("2035", "s_curve")
    # The same address opened afresh, as a link pasted into another tab, opens the setting.
    wait_for_lines(tab(width=1280).open(address), chart, changed)
    assert reader.refused == [] and reader.errors == []
