"""Imports and demand: the implied unit value, imports from China, demand growth and coverage.

Every number from the documents is read from the facts table (passed in) by its id in
``analysis.fact_ids``. Units are in the names: ``_t`` tonnes, ``_pct`` percent,
``_usd_per_kg`` dollars per kilogram.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from magnet_watch.analysis.capacity import magnet_target, ramp_columns
from magnet_watch.analysis.fact_ids import (
    CHINA_IMPORT_SHARE_FACT,
    DEMAND_DOUBLING_FACT,
    IMPORTS_TONNES_FACT,
    IMPORTS_VALUE_FACT,
)
from magnet_watch.constants import KG_PER_TONNE
from magnet_watch.data.lookups import fact
from magnet_watch.errors import ParameterError
from magnet_watch.text.periods import horizon_years


@dataclass(frozen=True)
class UnitValueCheck:
    """The unit value implied by an import value and tonnage, and whether it is plausible.

    ``usd_per_kg`` (USD/kg) = ``value_usd`` / (``tonnes`` * 1000); ``plausible`` when it lies
    in [``band_low_usd_per_kg``, ``band_high_usd_per_kg``]; ``side`` is "below", "above" or
    "" (inside). ``value``/``tonnes_fact`` are the two fact rows, from different documents.
    """

    usd_per_kg: float
    value_usd: float
    tonnes: float
    plausible: bool
    side: str
    band_low_usd_per_kg: float
    band_high_usd_per_kg: float
    value_fact: pd.Series
    tonnes_fact: pd.Series
    fact_ids: tuple[str, str] = (IMPORTS_VALUE_FACT, IMPORTS_TONNES_FACT)


def implied_unit_value(
    plausible_low_usd_per_kg: float,
    plausible_high_usd_per_kg: float,
    facts: pd.DataFrame,
) -> UnitValueCheck:
    """Return the import value divided by the import tonnage (USD/kg), and whether it is plausible.

    The plausible band is an assumption the caller passes (what sintered NdFeB magnets
    cost per kg). ``narrative.imports`` words the verdict and what separates the figures.
    """
    if not 0 <= plausible_low_usd_per_kg < plausible_high_usd_per_kg:
        raise ParameterError(
            f"plausible unit-value band {plausible_low_usd_per_kg}-{plausible_high_usd_per_kg} "
            "USD/kg must have 0 <= low < high"
        )
    value, tonnes = fact(IMPORTS_VALUE_FACT, facts), fact(IMPORTS_TONNES_FACT, facts)
    usd_per_kg = float(value["value"]) / (float(tonnes["value"]) * KG_PER_TONNE)
    plausible = plausible_low_usd_per_kg <= usd_per_kg <= plausible_high_usd_per_kg
    side = "" if plausible else ("below" if usd_per_kg < plausible_low_usd_per_kg else "above")
    return UnitValueCheck(usd_per_kg, float(value["value"]), float(tonnes["value"]), plausible,
                          side, plausible_low_usd_per_kg, plausible_high_usd_per_kg, value,
                          tonnes)  # fmt: skip


def imports_from_china_t(facts: pd.DataFrame) -> dict:
    """Return the FY2024-25 magnet imports (t) that came from China, as a range.

    Keys: low_t, high_t (t), fact_ids (tuple). Applies China's 80-90% share (stated for
    "magnets and related materials", Nov 2025) to the FY2024-25 tonnage: a rough range,
    since scope and period differ.
    """
    tonnes, share = fact(IMPORTS_TONNES_FACT, facts), fact(CHINA_IMPORT_SHARE_FACT, facts)
    return {
        "low_t": float(tonnes["value"]) * float(share["low"]) / 100,
        "high_t": float(tonnes["value"]) * float(share["high"]) / 100,
        "fact_ids": (IMPORTS_TONNES_FACT, CHINA_IMPORT_SHARE_FACT),
    }


def implied_growth_rate_pct(facts: pd.DataFrame) -> float:
    """Return the compound annual growth (%/yr) implied by "demand will double within five years".

    Reads the multiple (2) and the horizon (P5Y) from the demand-doubling fact:
    (multiple ** (1 / years) - 1) * 100, about 14.9%/yr.
    """
    row = fact(DEMAND_DOUBLING_FACT, facts)
    return (float(row["value"]) ** (1 / horizon_years(str(row["period"]))) - 1) * 100


def is_implied_growth(growth_rate_pct_per_yr: float, facts: pd.DataFrame) -> bool:
    """Return True when a growth rate (%/yr) is the one the documents imply (not a parameter)."""
    return abs(growth_rate_pct_per_yr - implied_growth_rate_pct(facts)) < 1e-9


def base_demand(facts: pd.DataFrame) -> dict:
    """Return today's magnet demand proxy: FY2024-25 imports (t), with the year it is placed at.

    Keys: demand_t (t), year, period, fact_id. India made almost no magnets, so imports
    stand in for demand. FY2024-25 ends in March 2025; the projection places it at
    ``year`` 2025 (the year it ends).
    """
    row = fact(IMPORTS_TONNES_FACT, facts)
    return {"demand_t": float(row["value"]), "year": int(row["period_end"].year),
            "period": str(row["period"]), "fact_id": IMPORTS_TONNES_FACT}  # fmt: skip


def demand_coverage(
    growth_rate_pct_per_yr: float,
    start_year: int,
    target_year: int,
    shape: str,
    *,
    base_demand_t: float | None = None,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
    facts: pd.DataFrame,
) -> pd.DataFrame:
    """Return projected demand (t) against domestic magnet output (t/yr), and the share covered.

    Demand grows at ``growth_rate_pct_per_yr`` (compound) from the base (FY2024-25
    imports, placed at 2025, unless ``base_demand_t`` is given). Domestic output
    follows the magnet ramp from ``start_output_t_per_yr`` in the start year to the national
    target (as ``capacity.nd_gap`` has it). Columns: year, demand_t,
    magnet_output_t_per_yr, covered_pct (output / demand * 100), uncovered_t.
    """
    if growth_rate_pct_per_yr < 0:
        raise ParameterError(
            f"parameter 'growth_rate_pct_per_yr' = {growth_rate_pct_per_yr} is out of range: "
            "allowed 0 or more (percent per year)"
        )
    base = base_demand(facts)
    base_t = base["demand_t"] if base_demand_t is None else base_demand_t
    ramp = ramp_columns(start_year, target_year, magnet_target(facts).output_t_per_yr, shape,
                        start_output_t_per_yr=start_output_t_per_yr, end_year=end_year)  # fmt: skip
    output = ramp["magnet_output_t_per_yr"]
    demand_t = base_t * (1 + growth_rate_pct_per_yr / 100) ** (ramp["year"] - base["year"])
    with np.errstate(divide="ignore", invalid="ignore"):  # no demand: inf/NaN, as pandas
        covered_pct = output / demand_t * 100
    # One frame from arrays: the grid explorer evaluates this hundreds of times per build.
    return pd.DataFrame({"year": ramp["year"], "demand_t": demand_t,
                         "magnet_output_t_per_yr": output, "covered_pct": covered_pct,
                         "uncovered_t": np.maximum(demand_t - output, 0)})  # fmt: skip
