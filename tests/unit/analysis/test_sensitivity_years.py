"""The sensitivity model for many outcome years at once (what 07's explorer evaluates): each
year's tornado and Monte Carlo equal a run of the one-year functions for that year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from magnet_watch.analysis import capacity, sensitivity
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.assumptions import plausible_assumptions

YEARS = [2026, 2030, 2032, 2036, 2038, 2040]


@pytest.fixture(scope="module")
def inputs(imports_inputs):
    """The models' inputs, resolved once from the project's facts and later references."""
    return imports_inputs


@pytest.mark.parametrize("values", [{}, {"target_year": 2030, "ramp_shape": "s_curve"}])
def test_tornadoes_equal_one_tornado_per_year(inputs, values):
    assumptions, base = plausible_assumptions(inputs, values)
    many = sensitivity.tornadoes(assumptions, base, YEARS, inputs)
    assert list(many) == YEARS
    for year in YEARS:
        pd.testing.assert_frame_equal(
            many[year], sensitivity.tornado(assumptions, base, year, inputs), check_exact=True
        )


@pytest.mark.parametrize("year", [2026, 2030, 2040])
def test_each_year_reads_the_library_run_to_its_own_end(inputs, year):
    _, base = plausible_assumptions(inputs, {"target_year": 2030, "nd_mass_fraction": 0.25})
    found = sensitivity.outcomes_by_year(base, [2026, 2030, 2040], inputs)[year]
    gap = capacity.nd_gap(
        2025, 2030, "linear", 0.25, end_year=max(year, 2030), inputs=inputs.capacity
    )
    row = gap[gap["year"] == year].iloc[0]
    assert found["nd_need_t_per_yr"] == row["nd_needed_t_per_yr"]
    assert found["nd_gap_t_per_yr"] == row["nd_gap_low_t_per_yr"]
    assert found["first_shortfall_year"] == capacity.first_shortfall_year(gap)
    if year == 2040:
        assert found["nd_need_t_per_yr"] == pytest.approx(6000 * 0.25)  # the target, held


def test_monte_carlos_equal_one_run_per_year_byte_for_byte(inputs):
    assumptions, base = plausible_assumptions(inputs)
    many = sensitivity.monte_carlos(assumptions, base, YEARS, 2_000, 7, inputs)
    assert many[2026] is many[2036]  # years to the highest target drawn (2036): one run
    assert many[2038] is not many[2036]
    for year in YEARS:
        one = sensitivity.monte_carlo(assumptions, base, year, 2_000, 7, inputs)
        assert np.array_equal(many[year].years, one.years)
        for field in ("need", "gap", "covered"):
            assert getattr(many[year], field).tobytes() == getattr(one, field).tobytes()


def test_an_outcome_year_before_the_start_is_refused(inputs):
    _, base = plausible_assumptions(inputs)
    with pytest.raises(ParameterError, match="outcome year 2020 is before the start year"):
        sensitivity.outcomes_by_year(base, [2032, 2020], inputs)
