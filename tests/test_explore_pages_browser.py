"""The explorers of the 04, 05 and 07 report pages, in headless Chromium with the network cut off.

Each control changed on the built page must turn the chart's data and the headline lines into
what the library computes for that setting (computed here, through the library); at the
defaults the lines equal the headline figures nbval records (tests/expected_headlines/).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_browser import browser  # noqa: F401 (fixture)
from test_explore_browser import LINES, POINTS, change, open_page

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis import sensitivity
from magnet_watch.narrative.explore import headline_lines
from magnet_watch.narrative.sensitivity import sensitivity_headlines
from magnet_watch.notebook.assumptions import plausible_assumptions
from magnet_watch.notebook.display import HEADLINES_MIME
from magnet_watch.reports import build as report_build

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

STEMS = ("04_market_share", "05_claims_check", "07_sensitivity")


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The report pages of notebooks 04, 05 and 07, built from the project's own notebooks."""
    tmp = tmp_path_factory.mktemp("explore_pages")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    for stem in STEMS:
        for suffix in (".ipynb", ".params.yaml"):
            shutil.copy(paths.NOTEBOOKS_DIR / f"{stem}{suffix}", notebooks / f"{stem}{suffix}")
    out = tmp / "reports"
    report_build.build(out, project=report_build.Project(notebooks_dir=notebooks))
    return out


def recorded(stem: str) -> list[dict]:
    """Return the headline rows nbval records for notebook ``stem``."""
    path = paths.PROJECT_ROOT / "tests" / "expected_headlines" / f"{stem}.json"
    return json.loads(path.read_text())[0]["data"][HEADLINES_MIME]["headlines"]


def panel_lines(rows, leave_out=()) -> list[str]:
    """Return headline rows as the explorer panel shows them (long ones on two lines)."""
    return [line for r in rows if r["figure"] not in leave_out
            for line in headline_lines(r["figure"], r["value"], r["period"])]  # fmt: skip


def shown(page, name: str) -> list[str]:
    return page.evaluate(LINES, name)


def tooltip_values(page, name: str, title: str) -> dict[int, float]:
    """Return {year: value} the chart's points show under tooltip ``title``."""
    found = {}
    for label in page.evaluate(POINTS, name):
        year = int(re.search(r"Year: (\d{4})", label).group(1))
        value = re.search(re.escape(title) + r": ([\d.,-]+)", label)
        if value:
            found[year] = float(value.group(1).replace(",", ""))
    return found


# 07 sensitivity -------------------------------------------------------------------------------

# Within 2030-2036 the base case's first shortfall (2028) and its largest swing stay put, so the
# panel leaves them to the static headline table above it.
STILL_07 = ("First year the need exceeds IREL's output, base case",
            "First year the need exceeds IREL's output: the assumption it depends on most")  # fmt: skip


def sensitivity_rows(facts, year: int, band_pct: float):
    """Return (the 07 headline rows, the band of the need by year) the library computes."""
    assumptions, base = plausible_assumptions(facts)
    tornado = sensitivity.tornado(assumptions, base, year, facts)
    result = sensitivity.monte_carlo(assumptions, base, year, 10_000, 2025, facts)
    spread = sensitivity.outcome_spread(result, year, band_pct)
    rows = sensitivity_headlines(base, tornado, spread, year, 10_000, band_pct)
    band = sensitivity.band(result, band_pct)
    return rows.to_dict("records"), band[band["quantity"] == "nd_need_t_per_yr"].set_index("year")


BAND_TIPS = {"median": "Median of the draws (t/yr)", "low": "Band, low end (t/yr)",
             "high": "Band, high end (t/yr)"}  # fmt: skip


def assert_band(page, band) -> None:
    for column, title in BAND_TIPS.items():
        drawn = tooltip_values(page, "explore_sensitivity", title)
        assert drawn.keys() == set(band.index)
        for year, value in drawn.items():  # the tooltip shows whole tonnes
            assert value == pytest.approx(band.loc[year, column], abs=0.51), (column, year)


def test_sensitivity_defaults_equal_the_recorded_headlines(browser, pages, facts):  # noqa: F811
    view, page = open_page(browser, pages, "07_sensitivity")
    try:
        lines = shown(page, "explore_sensitivity")
        assert lines == panel_lines(recorded("07_sensitivity"), STILL_07)
        assert "Neodymium the magnet ramp needs, base case: 1,620 t/yr (2032)" in lines
        assert_band(page, sensitivity_rows(facts, 2032, 90.0)[1])
        assert view.refused == [] and view.errors == []
    finally:
        view.close()


def test_sensitivity_sliders_follow_the_library(browser, pages, facts):  # noqa: F811
    view, page = open_page(browser, pages, "07_sensitivity")
    try:
        rows, band = sensitivity_rows(facts, 2032, 50.0)
        expected = panel_lines(rows, STILL_07)
        change(page, "explore_sensitivity", "p_band_pct", "50", expected[1])
        assert shown(page, "explore_sensitivity") == expected
        assert_band(page, band)

        rows, band = sensitivity_rows(facts, 2035, 50.0)
        expected = panel_lines(rows, STILL_07)
        change(page, "explore_sensitivity", "p_outcome_year", "2035", expected[0])
        assert shown(page, "explore_sensitivity") == expected
        assert "(2035)" in expected[0]
        assert_band(page, band)
        assert view.refused == [] and view.errors == []
    finally:
        view.close()
