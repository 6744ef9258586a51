"""Demand coverage counts the magnet output India starts from (``start_output_t_per_yr``), as
the neodymium need does: hand-computed on a linear ramp, and the same in the Monte Carlo."""

from __future__ import annotations

import pytest

from magnet_watch.analysis import imports, sensitivity
from magnet_watch.notebook.assumptions import plausible_assumptions


@pytest.fixture(scope="module")
def inputs(imports_inputs):
    """The models' inputs, resolved once from the project's facts and later references."""
    return imports_inputs


def test_coverage_starts_from_the_start_output_by_hand(inputs):
    # Linear from 600 t/yr in 2025 to the 6,000 t/yr target in 2032: +5,400/7 t/yr a year.
    # Demand held at 10,000 t (0% growth): covered = output / 10,000 x 100.
    cover = imports.demand_coverage(
        0.0,
        2025,
        2032,
        "linear",
        base_demand_t=10_000.0,
        start_output_t_per_yr=600.0,
        inputs=inputs,
    )
    by_year = cover.set_index("year")
    assert by_year.loc[2025, "magnet_output_t_per_yr"] == pytest.approx(600.0)
    assert by_year.loc[2026, "covered_pct"] == pytest.approx((600 + 5400 / 7) / 100)  # 13.71%
    assert by_year.loc[2032, "covered_pct"] == pytest.approx(60.0)
    assert by_year.loc[2026, "uncovered_t"] == pytest.approx(10_000 - 600 - 5400 / 7)
    from_zero = imports.demand_coverage(
        0.0, 2025, 2032, "linear", base_demand_t=10_000.0, inputs=inputs
    )
    assert from_zero.set_index("year").loc[2026, "covered_pct"] == pytest.approx(
        6000 / 7 / 100
    )  # 8.57%


def test_the_draws_and_the_outcomes_count_it_too(inputs):
    assumptions, base = plausible_assumptions(inputs)
    base = {**base, "start_output_t_per_yr": 600.0}
    nd_only = [a for a in assumptions if a.name == "nd_mass_fraction"]
    mc = sensitivity.monte_carlo(nd_only, base, 2032, 10_000, 1, inputs)
    cover = imports.demand_coverage(
        base["growth_rate_pct_per_yr"],
        2025,
        2032,
        "linear",
        start_output_t_per_yr=600.0,
        inputs=inputs,
    )
    assert mc.covered[0] == pytest.approx(cover["covered_pct"].to_numpy())
    assert sensitivity.outcomes(base, 2028, inputs)["covered_pct"] == pytest.approx(
        cover.set_index("year").loc[2028, "covered_pct"]
    )
