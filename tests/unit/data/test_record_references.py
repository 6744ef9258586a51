"""The references published after the articles: the scheme's terms per beneficiary checked against
its totals on load, a second figure kept beside the first, suspensions dated with their ends."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from helpers.tables import problems_of, set_cell

from magnet_watch import paths
from magnet_watch.data import reference_packages as rp

NOTIFIED = "scheme-notification-2025-12-15"


@pytest.fixture(scope="module")
def packages():
    return rp.load_reference_packages()


def test_the_terms_per_beneficiary_add_up_to_the_schemes_totals(packages):
    pkg = packages[NOTIFIED]
    checks = pkg.checks.set_index("check_id")
    assert checks["passed"].all()
    # 5 x 1,290 = 6,450 and 5 x 150 = 750 crore; Rs 2,150/kg x 1,200 t x 5 years = Rs 1,290 crore.
    assert checks.loc["incentive_caps_add_up", "value"] == 6450
    assert checks.loc["subsidy_caps_add_up", "value"] == 750
    assert checks.loc["largest_cap_from_rate", "value"] == pytest.approx(1290)
    assert checks.loc["smallest_cap_from_rate", "value"] == pytest.approx(645)
    sizes = range(
        int(pkg.value("allocation_min")),
        int(pkg.value("allocation_max")) + 1,
        int(pkg.value("allocation_step")),
    )
    assert list(sizes) == [600, 700, 800, 900, 1000, 1100, 1200]


@pytest.mark.parametrize(
    ("figure_id", "value", "against", "check"),
    [
        ("incentive_cap_max", "1300", "sales_linked_incentive", "incentive_caps_add_up"),
        ("subsidy_cap_max", "160", "capital_subsidy", "subsidy_caps_add_up"),
        ("incentive_rate_cap", "2200", "incentive_cap_max", "largest_cap_from_rate"),
        ("allocation_max", "1100", "capacity", "capacity_allocation"),
    ],
)
def test_a_broken_total_is_refused_on_load_naming_the_row(
    tmp_path, figure_id, value, against, check
):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    root = tmp_path / "data" / "reference"
    set_cell(root / NOTIFIED / "figures.csv", figure_id, "value", value)
    problems = problems_of(lambda: rp.load_reference_package(NOTIFIED, root))
    matching = [p for p in problems if p.row_id == against and f"'{check}' fails" in p.message]
    assert matching, problems
    assert matching[0].file == f"{NOTIFIED}/figures.csv" and matching[0].column == "value"


def test_a_scale_must_say_which_units_it_converts(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    root = tmp_path / "data" / "reference"
    path = root / NOTIFIED / "datapackage.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"scale_note"', '"scale_remark"'), encoding="utf-8"
    )
    problems = problems_of(lambda: rp.load_reference_package(NOTIFIED, root))
    assert any("scale needs a scale_note" in p.message for p in problems)


def test_a_figure_a_newer_source_states_differently_is_a_second_row(packages):
    table = rp.figures_table(packages)
    fy2025 = table[
        (table["measure"] == "permanent_magnet_imports")
        & (table["subject"] == "India")
        & (table["period"] == "FY2024-25")
    ]
    assert sorted(zip(fy2025["value"], fy2025["qualifier"], fy2025["package"], strict=True)) == [
        (53000, "nearly", "imports-2025-11-24-mint-print"),
        (53700, "stated", "trade-imports-fy2021-fy2025"),
    ]


def test_chinas_suspensions_are_dated_with_the_day_they_run_out(packages):
    events = packages["china-export-controls-2025-11"].events.set_index("event_id")
    for start, end, ends_on in (
        ("october_controls_suspended", "october_suspension_ends", "2026-11-10"),
        ("us_licensing_suspended", "us_suspension_ends", "2026-11-27"),
    ):
        assert events.loc[start, "status"] == "happened"
        assert (events.loc[end, "status"], events.loc[end, "date_start"]) == (
            "planned",
            pd.Timestamp(ends_on),
        )
        assert events.loc[end, "date_start"] > events.loc[start, "date_start"]


def test_the_moved_bid_deadline_keeps_both_dates(packages):
    events = packages["scheme-tender-2026"].events
    due = events[events["event_group"] == "scheme_bid_due_2026"].sort_values("date_start")
    assert list(due["date"]) == ["2026-05-28", "2026-06-29"]
    assert list(due["public_from"]) == [pd.Timestamp("2026-04-07"), pd.Timestamp("2026-05-15")]
