"""Compatibility module: the computations that lived here moved (issue 9, library by stage).

    capacity  magnet_target, resolve_years, ramp_fraction, magnet_ramp, nd_needed_t_per_yr,
              irel_nd_supply, nd_gap, irel_facts
    imports   implied_unit_value, imports_from_china_t, implied_growth_rate_pct,
              base_demand, demand_coverage
    market    magnet_market_split, processing_claims, reserves_vs_mining, reserves_facts
    timeline  timeline_events
    fact_ids  the *_FACT ids
The words and headline tables moved to ``magnet_watch.narrative``. This module re-exports
the computations, unchanged in name and keywords (``facts`` is now required), so code
written against ``analysis.model`` (analysis/sensitivity.py, notebook 07) keeps working;
new code imports from the modules above.
"""

from magnet_watch.analysis.capacity import (  # noqa: F401
    RAMP_SHAPES,
    MagnetTarget,
    irel_facts,
    irel_nd_supply,
    magnet_ramp,
    magnet_target,
    nd2fe14b_nd_mass_fraction,
    nd_gap,
    nd_needed_t_per_yr,
    ramp_fraction,
    resolve_years,
)
from magnet_watch.analysis.fact_ids import *  # noqa: F403
from magnet_watch.analysis.imports import (  # noqa: F401
    UnitValueCheck,
    base_demand,
    demand_coverage,
    implied_growth_rate_pct,
    implied_unit_value,
    imports_from_china_t,
)
from magnet_watch.analysis.market import (  # noqa: F401
    magnet_market_split,
    processing_claims,
    reserves_facts,
    reserves_vs_mining,
)
from magnet_watch.analysis.timeline import Timeline, timeline_events  # noqa: F401
