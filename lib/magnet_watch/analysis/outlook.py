"""One run per model topic: the parameters resolved once, the model run once, the result typed.

- ``resolve_ramp``: which years the magnet ramp runs and on which clock (the articles' horizon,
  the parameters' years, or the scheme's official terms);
- ``resolve_demand``: which growth rate and which demand base the projection uses;
- ``neodymium_outlook`` (notebook 02): the ramp, the neodymium it needs and IREL's supply;
- ``official_clock_outlook`` (notebook 02): the articles' reading against the official clock;
- ``demand_outlook`` (notebook 03): projected demand against domestic output, and the
  implied unit value of the imports.

The notebook's cell, its JupyterLab panel, the offline explorer's grid and the sensitivity
base case all call these with a dict of parameter values (a notebook's own, or one case of a
grid) and the inputs resolved once (``data.inputs``): none of them decides years, rates or
clocks again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis import capacity, imports, official_terms
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs


@dataclass(frozen=True)
class Ramp:
    """The magnet ramp's settings with every None resolved.

    Output grows along ``shape`` from ``start_output_t_per_yr`` in ``start_year`` to the
    target in ``target_year``; the years run to ``end_year`` (None: the target year).
    ``clock`` is the scheme's official clock for the run's award year (checked even when
    the shape does not use it).
    """

    start_year: int
    target_year: int
    end_year: int | None
    shape: str
    start_output_t_per_yr: float
    clock: official_terms.OfficialClock


def resolve_ramp(params: dict, inputs: CapacityInputs) -> Ramp:
    """Return the ramp for ``params`` (start_year, target_year, ramp_shape, award_year,
    start_output_t_per_yr; a missing name counts as None, 0 t/yr for the start output).

    With ``ramp_shape = "official_terms"`` the years come from the official clock (the award,
    the first year of output, the scheme's end); else from the parameters, None standing for
    the magnet target's own horizon. Raises ParameterError for an award before the approval,
    years with the official clock, or a target year not after the start year.
    """
    clock = official_terms.official_clock(inputs.terms, params.get("award_year"))
    shape = params.get("ramp_shape") or "linear"
    start, target = params.get("start_year"), params.get("target_year")
    official = official_terms.ramp_years(shape, clock, start, target)
    if official:
        start, target, end = official
    else:
        (start, target), end = capacity.resolve_years(start, target, inputs.target), None
    output = params.get("start_output_t_per_yr")
    return Ramp(start, target, end, shape, 0.0 if output is None else float(output), clock)


@dataclass(frozen=True)
class NeodymiumOutlook:
    """Notebook 02's run: the resolved ``ramp``, ``nd_mass_fraction`` and ``gap`` (the columns
    of ``capacity.nd_gap``), with its headline numbers: the need and the gap in the target
    year (t/yr) and the first year of shortfall (None: none)."""

    ramp: Ramp
    nd_mass_fraction: float
    gap: pd.DataFrame
    need_at_target_t_per_yr: float
    first_shortfall_year: int | None


def nd_gap_for(
    ramp: Ramp, nd_mass_fraction: float, inputs: CapacityInputs, end_year: int | None = None
) -> pd.DataFrame:
    """Return ``capacity.nd_gap`` for a resolved ramp (years to ``end_year``, default the ramp's)."""
    return capacity.nd_gap(
        ramp.start_year,
        ramp.target_year,
        ramp.shape,
        nd_mass_fraction,
        start_output_t_per_yr=ramp.start_output_t_per_yr,
        end_year=ramp.end_year if end_year is None else end_year,
        inputs=inputs,
    )


def neodymium_outlook(params: dict, inputs: CapacityInputs) -> NeodymiumOutlook:
    """Return notebook 02's run for the parameter values ``params`` (see ``resolve_ramp``;
    ``nd_mass_fraction`` is required)."""
    ramp = resolve_ramp(params, inputs)
    fraction = params["nd_mass_fraction"]
    gap = nd_gap_for(ramp, fraction, inputs)
    at_target = gap.loc[gap["year"] == ramp.target_year, "nd_needed_t_per_yr"]
    return NeodymiumOutlook(
        ramp, fraction, gap, float(at_target.iloc[0]), capacity.first_shortfall_year(gap)
    )


@dataclass(frozen=True)
class ClockOutlook:
    """The articles' reading (a linear ramp to the target over the scheme's own horizon)
    against the official clock (nothing until the award plus gestation, then all of it), both
    to the clock's end, and the first year of shortfall in each (None: none).
    ``award_assumed``: no award year was given, so the clock starts at the earliest award
    the record allows."""

    clock: official_terms.OfficialClock
    articles_gap: pd.DataFrame
    official_gap: pd.DataFrame
    first_short_articles: int | None
    first_short_official: int | None
    award_assumed: bool


def official_clock_outlook(params: dict, inputs: CapacityInputs) -> ClockOutlook:
    """Return the clock comparison for ``params`` (award_year, nd_mass_fraction)."""
    fraction = params["nd_mass_fraction"]
    clock = official_terms.official_clock(inputs.terms, params.get("award_year"))
    articles = resolve_ramp({}, inputs)
    official = resolve_ramp(
        {"award_year": clock.award_year, "ramp_shape": official_terms.OFFICIAL_RAMP_SHAPE}, inputs
    )
    articles_gap = nd_gap_for(articles, fraction, inputs, end_year=clock.end_year)
    official_gap = nd_gap_for(official, fraction, inputs)
    return ClockOutlook(
        clock,
        articles_gap,
        official_gap,
        official_terms.first_shortfall_year(articles_gap),
        official_terms.first_shortfall_year(official_gap),
        params.get("award_year") is None,
    )


def resolve_demand(params: dict, inputs: ImportsInputs) -> tuple[official_terms.Growth, float]:
    """Return (the growth used, the demand base in t) for ``params`` (growth_rate_pct_per_yr,
    growth_basis, base_demand_t; missing counts as None, the basis as "articles").

    None for the growth is the rate of ``growth_basis``; None for the base India's requirement
    of rare-earth permanent magnets (``inputs.base``).
    """
    growth = official_terms.resolve_growth(
        params.get("growth_rate_pct_per_yr"),
        params.get("growth_basis") or "articles",
        {"articles": inputs.doubling, "cabinet": inputs.cabinet_doubling},
    )
    base = params.get("base_demand_t")
    return growth, inputs.base.demand_t if base is None else float(base)


@dataclass(frozen=True)
class DemandOutlook:
    """Notebook 03's run: the resolved ``ramp``, the ``growth`` used and the demand base (t;
    ``base_given_t`` the parameter's value, None for India's requirement), ``coverage`` (the
    columns of ``imports.demand_coverage``), the ``unit_value`` check, and the headline
    number: the share of rare-earth magnet demand covered in the target year (%)."""

    ramp: Ramp
    growth: official_terms.Growth
    base_demand_t: float
    base_given_t: float | None
    coverage: pd.DataFrame
    unit_value: imports.UnitValueCheck | None
    covered_at_target_pct: float


def coverage_for(
    ramp: Ramp,
    growth_rate_pct_per_yr: float,
    base_demand_t: float,
    inputs: ImportsInputs,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Return ``imports.demand_coverage`` for a resolved ramp (years to ``end_year``, default
    the ramp's)."""
    return imports.demand_coverage(
        growth_rate_pct_per_yr,
        ramp.start_year,
        ramp.target_year,
        ramp.shape,
        base_demand_t=base_demand_t,
        start_output_t_per_yr=ramp.start_output_t_per_yr,
        end_year=ramp.end_year if end_year is None else end_year,
        inputs=inputs,
    )


def demand_outlook(params: dict, inputs: ImportsInputs) -> DemandOutlook:
    """Return notebook 03's run for the parameter values ``params`` (see ``resolve_ramp`` and
    ``resolve_demand``; the unit value needs plausible_low/high_usd_per_kg, else None)."""
    ramp = resolve_ramp(params, inputs.capacity)
    growth, base_t = resolve_demand(params, inputs)
    coverage = coverage_for(ramp, growth.rate_pct_per_yr, base_t, inputs)
    low, high = params.get("plausible_low_usd_per_kg"), params.get("plausible_high_usd_per_kg")
    unit_value = None if low is None else imports.implied_unit_value(low, high, inputs)
    at_target = coverage.loc[coverage["year"] == ramp.target_year, "covered_pct"]
    return DemandOutlook(
        ramp,
        growth,
        base_t,
        params.get("base_demand_t"),
        coverage,
        unit_value,
        float(at_target.iloc[0]),
    )
