"""What each notebook's JupyterLab panel recomputes when a control moves, through the same run.

``<topic>_recompute(...)`` returns the panel's function: given the panel's parameter values it
returns the items to show (headline tables, charts, findings), each computed by the topic's
run in ``analysis.outlook`` or its check, with the inputs the notebook resolved once.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from magnet_watch.analysis.checks.checked_claims import checked_claims, thresholds_for
from magnet_watch.analysis.checks.claims_check import claims_check
from magnet_watch.analysis.outlook import demand_outlook, neodymium_outlook
from magnet_watch.charts import capacity as capacity_charts
from magnet_watch.charts import imports as imports_charts
from magnet_watch.charts import market as market_charts
from magnet_watch.charts.reference import world_shares_chart
from magnet_watch.constants import pct_to_fraction
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs
from magnet_watch.data.later_references import References
from magnet_watch.data.lookups import conflicting_claims
from magnet_watch.data.usgs import UsgsReference
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative import imports as imports_words
from magnet_watch.narrative import market as market_words
from magnet_watch.narrative.claims import claims_headlines, claims_words
from magnet_watch.narrative.official_terms import coverage_basis_words
from magnet_watch.narrative.reference_check import checked_claims_headlines


def capacity_recompute(
    inputs: CapacityInputs, facts: pd.DataFrame, sources: pd.DataFrame
) -> Callable[[dict], list]:
    """Return notebook 02's panel: the headlines, the gap chart and its finding."""

    def recompute(params: dict) -> list:
        run = neodymium_outlook(params, inputs)
        fraction = run.nd_mass_fraction
        return [
            capacity_words.capacity_headlines(run.gap, fraction, inputs),
            capacity_charts.nd_gap_chart(run.gap, fraction, inputs.target, facts, sources),
            capacity_words.gap_summary(run.gap, fraction),
        ]

    return recompute


def imports_recompute(
    inputs: ImportsInputs, facts: pd.DataFrame, sources: pd.DataFrame
) -> Callable[[dict], list]:
    """Return notebook 03's panel: the headlines, the coverage chart and its finding."""

    def recompute(params: dict) -> list:
        run = demand_outlook(params, inputs)
        rate = run.growth.rate_pct_per_yr
        return [
            imports_words.imports_headlines(
                run.coverage,
                rate,
                run.unit_value,
                inputs,
                base_demand_t=params["base_demand_t"],
                growth_sources=run.growth.sources,
                growth_period=run.growth.period,
            ),
            imports_charts.demand_coverage_chart(
                run.coverage,
                rate,
                inputs.capacity.target,
                inputs.base,
                imports_words.base_note(inputs, run.base_given_t),
                facts,
                sources,
            ),
            imports_words.coverage_summary(
                run.coverage,
                rate,
                inputs,
                base_demand_t=run.base_given_t,
                basis_words=coverage_basis_words(run.growth),
            ),
        ]

    return recompute


def claims_recompute(
    facts: pd.DataFrame, sources: pd.DataFrame, refs: References, usgs: UsgsReference
) -> Callable[[dict], list]:
    """Return notebook 05's panel: the headlines of both checks (``checked_claims``) and the
    world shares in the reference year."""

    def recompute(params: dict) -> list:
        run = checked_claims(params, facts, refs, usgs)
        table = claims_words(run.against_usgs, sources)
        return [
            checked_claims_headlines(table, run.against_later, refs, facts),
            world_shares_chart(usgs, run.reference_year),
        ]

    return recompute


def market_recompute(
    processing: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, usgs: UsgsReference
) -> Callable[[dict], list]:
    """Return notebook 04's panel: the claims check's headlines and the processing claims."""

    def recompute(params: dict) -> list:
        tolerance = params["approx_tolerance_pct"]
        found = conflicting_claims(
            "processing_share", facts=facts, approx_tolerance=pct_to_fraction(tolerance)
        )
        limits = thresholds_for(params)
        checked = claims_check(params["reference_year"], limits, facts=facts, usgs=usgs)
        table = claims_words(checked, sources)
        return [
            claims_headlines(table),
            market_charts.processing_share_chart(processing, tolerance, sources),
            market_words.processing_summary(processing, found, tolerance, sources),
        ]

    return recompute
