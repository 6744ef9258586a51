"""07's settings are written with their units from the parameter dictionary (issue 20): the
tornado's "(at 10)" reads "(at 10%/yr)", and a ramp shape reads as words, not its code name."""

from __future__ import annotations

import pytest

from magnet_watch.narrative.sensitivity import format_setting
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
