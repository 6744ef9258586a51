"""07's settings are written with their units from the parameter dictionary (issue 20): the
tornado's "(at 10)" reads "(at 10%/yr)", and a ramp shape reads as words, not its code name."""

from __future__ import annotations

import pytest

from magnet_watch.narrative.sensitivity import format_outcome_range, format_setting
from magnet_watch.notebook.assumptions import units

UNITS = units()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("growth_rate_pct_per_yr", 10.0, "10%/yr"),
        ("target_year", 2030, "2030"),
        ("nd_mass_fraction", 0.25, "25% of magnet mass"),
        ("base_demand_t", 3000.0, "3,000 t of rare-earth magnets per year"),
        ("ramp_shape", "front_loaded", "a front-loaded ramp"),
    ],
)
def test_a_setting_is_written_with_its_unit_from_the_parameter_dictionary(name, value, expected):
    assert format_setting(value, UNITS[name]) == expected


def test_a_chart_label_leaves_a_long_unit_to_the_axis():
    assert format_setting(3000.0, UNITS["base_demand_t"], short=True) == "3,000"


@pytest.mark.parametrize(
    ("outcome", "low", "high", "expected"),
    [
        ("nd_need_t_per_yr", 812.2, 1870.4, "812–1,870 t/yr"),
        ("covered_pct", 27.3, 79.6, "27.3–79.6%"),
        ("first_shortfall_year", 2026.0, 2033.0, "2026–2033"),
        ("first_shortfall_year", 2030.0, float("nan"), "2030 to none"),
    ],
)
def test_a_band_of_an_outcome_is_written_as_every_range_is(outcome, low, high, expected):
    assert format_outcome_range(outcome, low, high) == expected
