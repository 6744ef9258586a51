"""Imports and demand: the implied unit value, imports from China, demand growth and coverage.

Every number from the documents comes in through ``data.inputs.ImportsInputs`` (resolved
once from the facts). Units are in the names: ``_t`` tonnes, ``_pct`` percent,
``_usd_per_kg`` dollars per kilogram.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from magnet_watch.analysis.capacity import ramp_columns
from magnet_watch.constants import KG_PER_TONNE, pct_to_fraction
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.errors import ParameterError
from magnet_watch.text.periods import same_period


@dataclass(frozen=True)
class UnitValueCheck:
    """The unit value implied by an import value and tonnage, and whether it is plausible.

    ``usd_per_kg`` (USD/kg) = ``value_usd`` / (``tonnes`` * 1000); ``plausible`` when it lies
    in [``band_low_usd_per_kg``, ``band_high_usd_per_kg``]; ``side`` is "below", "above" or
    "" (inside). ``value``/``tonnes_fact`` are the two fact rows, from different documents;
    ``same_period`` whether both count the same period (``text.periods.same_period``): when
    not, the quotient is dollars of one period over tonnes of another, and the words say so.
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
    same_period: bool

    @property
    def fact_ids(self) -> tuple[str, str]:
        """The ids of the value and the tonnage facts."""
        return str(self.value_fact["fact_id"]), str(self.tonnes_fact["fact_id"])


def implied_unit_value(
    plausible_low_usd_per_kg: float,
    plausible_high_usd_per_kg: float,
    inputs: ImportsInputs,
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
    value, tonnes = inputs.imports_value, inputs.imports_tonnes
    usd_per_kg = float(value["value"]) / (float(tonnes["value"]) * KG_PER_TONNE)
    plausible = plausible_low_usd_per_kg <= usd_per_kg <= plausible_high_usd_per_kg
    side = "" if plausible else ("below" if usd_per_kg < plausible_low_usd_per_kg else "above")
    return UnitValueCheck(
        usd_per_kg,
        float(value["value"]),
        float(tonnes["value"]),
        plausible,
        side,
        plausible_low_usd_per_kg,
        plausible_high_usd_per_kg,
        value,
        tonnes,
        same_period(value, tonnes),
    )


def imports_from_china_t(inputs: ImportsInputs) -> dict:
    """Return the FY2024-25 magnet imports (t) that came from China, as a range.

    Keys: low_t, high_t (t), fact_ids (tuple). Applies China's 80-90% share (stated for
    "magnets and related materials", Nov 2025) to the FY2024-25 tonnage: a rough range,
    since scope and period differ.
    """
    tonnes, share = inputs.imports_tonnes, inputs.china_share
    return {
        "low_t": pct_to_fraction(float(tonnes["value"]) * float(share["low"])),
        "high_t": pct_to_fraction(float(tonnes["value"]) * float(share["high"])),
        "fact_ids": (str(tonnes["fact_id"]), str(share["fact_id"])),
    }


def implied_growth_rate_pct(inputs: ImportsInputs) -> float:
    """Return the compound annual growth (%/yr) implied by "demand will double within five years".

    The multiple (2) and the horizon (P5Y) of the inputs' demand doubling:
    (multiple ** (1 / years) - 1) * 100, about 14.9%/yr.
    """
    return inputs.doubling.rate_pct_per_yr


def is_implied_growth(growth_rate_pct_per_yr: float, inputs: ImportsInputs) -> bool:
    """Return True when a growth rate (%/yr) is the one the documents imply (not a parameter)."""
    return abs(growth_rate_pct_per_yr - implied_growth_rate_pct(inputs)) < 1e-9


def demand_coverage(
    growth_rate_pct_per_yr: float,
    start_year: int,
    target_year: int,
    shape: str,
    *,
    base_demand_t: float | None = None,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
    inputs: ImportsInputs,
) -> pd.DataFrame:
    """Return projected demand (t) against domestic magnet output (t/yr), and the share covered.

    Demand for rare-earth permanent magnets grows at ``growth_rate_pct_per_yr`` (compound)
    from the base (``inputs.base``: India's requirement, about 4,000 t/yr in 2025, unless
    ``base_demand_t`` is given). Domestic output
    follows the magnet ramp from ``start_output_t_per_yr`` in the start year to the national
    target (as ``capacity.nd_gap`` has it). Columns: year, demand_t,
    magnet_output_t_per_yr, covered_pct (output / demand * 100), uncovered_t.
    """
    if growth_rate_pct_per_yr < 0:
        raise ParameterError(
            f"parameter 'growth_rate_pct_per_yr' = {growth_rate_pct_per_yr} is out of range: "
            "allowed 0 or more (percent per year)"
        )
    base = inputs.base
    base_t = base.demand_t if base_demand_t is None else base_demand_t
    ramp = ramp_columns(
        start_year,
        target_year,
        inputs.capacity.target.output_t_per_yr,
        shape,
        start_output_t_per_yr=start_output_t_per_yr,
        end_year=end_year,
    )
    output = ramp["magnet_output_t_per_yr"]
    demand_t = base_t * (1 + pct_to_fraction(growth_rate_pct_per_yr)) ** (ramp["year"] - base.year)
    with np.errstate(divide="ignore", invalid="ignore"):  # no demand: inf/NaN, as pandas
        covered_pct = output / demand_t * 100
    # One frame from arrays: the grid explorer evaluates this hundreds of times per build.
    return pd.DataFrame(
        {
            "year": ramp["year"],
            "demand_t": demand_t,
            "magnet_output_t_per_yr": output,
            "covered_pct": covered_pct,
            "uncovered_t": np.maximum(demand_t - output, 0),
        }
    )
