"""The model's parameter values of notebooks 02 and 03 at their defaults, as the explorer and
grid tests pass them to the library (a test's own case starts from these)."""

from __future__ import annotations

CAPACITY_RUN = {
    "start_year": None,
    "target_year": None,
    "ramp_shape": "linear",
    "nd_mass_fraction": 0.27,
    "start_output_t_per_yr": 0.0,
}
IMPORTS_RUN = {
    "start_year": None,
    "target_year": None,
    "ramp_shape": "linear",
    "growth_rate_pct_per_yr": None,
    "base_demand_t": None,
}
