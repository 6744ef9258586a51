"""Capacity: the national magnet target, the ramp to it, the neodymium it needs and IREL's supply.

Every number from the documents comes in through ``data.inputs.CapacityInputs`` (resolved
once from the facts); the rest are parameters, each a labelled assumption.
Units are in the names: ``_t`` tonnes, ``_t_per_yr`` tonnes per year, ``_pct`` percent.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from magnet_watch.data.inputs import CapacityInputs, IrelSupply, MagnetTarget
from magnet_watch.errors import ParameterError

# "official_terms" is the approved scheme's step: nothing until the target year (award +
# gestation, see analysis.official_terms), then the whole capacity.
RAMP_SHAPES = ("linear", "s_curve", "front_loaded", "back_loaded", "official_terms")
IREL_SUPPLY_COLUMNS = [
    "year",
    "irel_nd_low_t_per_yr",
    "irel_nd_high_t_per_yr",
    "irel_basis",
    "irel_fact_ids",
]


def _check_order(start_year: int, target_year: int) -> None:
    if target_year <= start_year:
        raise ParameterError(
            f"parameter 'target_year' = {target_year} must be after 'start_year' = {start_year}"
        )


def resolve_years(
    start_year: int | None, target_year: int | None, target: MagnetTarget
) -> tuple[int, int]:
    """Return (start_year, target_year) with None replaced by the scheme's own horizon.

    None for ``start_year`` means the year the scheme was approved; None for
    ``target_year`` the end of its horizon (approval + seven years), both read from
    the magnet ``target``. Raises ParameterError when the target is not after the start.
    """
    start = target.start_year if start_year is None else int(start_year)
    end = target.target_year if target_year is None else int(target_year)
    if target_year is None and end <= start:
        raise ParameterError(
            f"parameter 'start_year' = {start} must come before the target year, which is the "
            f"scheme's own horizon, {end}, while 'target_year' is None: set a later target_year"
        )
    _check_order(start, end)
    return start, end


def ramp_fraction(progress: float, shape: str) -> float:
    """Return the share of the way to target (0 to 1) reached at ``progress`` (0 to 1) of the time.

    Shapes: ``linear``; ``s_curve`` (smoothstep: slow start, fast middle, slow
    finish); ``front_loaded`` (fast start); ``back_loaded`` (slow start, fast finish);
    ``official_terms`` (nothing until the target year, then all of it).
    """
    x = min(max(progress, 0.0), 1.0)
    if shape == "linear":
        return x
    if shape == "s_curve":
        return x * x * (3 - 2 * x)
    if shape == "front_loaded":
        return 1 - (1 - x) ** 2
    if shape == "back_loaded":
        return x * x
    if shape == "official_terms":
        return 1.0 if x >= 1 else 0.0
    raise ParameterError(
        f"parameter 'ramp_shape' = {shape!r} is not allowed: allowed {RAMP_SHAPES}"
    )


def ramp_columns(
    start_year: int,
    target_year: int,
    target_output_t_per_yr: float,
    shape: str = "linear",
    *,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
) -> dict[str, np.ndarray]:
    """Return ``magnet_ramp``'s columns as arrays: {year (int), magnet_output_t_per_yr (t/yr),
    share_of_target_pct (%)}, for models that build one frame of their own from them."""
    _check_order(start_year, target_year)
    end_year = target_year if end_year is None else end_year
    if end_year < start_year:
        raise ParameterError(f"end_year {end_year} is before start_year {start_year}")
    years = np.arange(start_year, end_year + 1)
    span = target_year - start_year
    # Year by year in Python floats: a dozen years, and the shapes' arithmetic stays as written.
    output_t_per_yr = np.array(
        [
            start_output_t_per_yr
            + (target_output_t_per_yr - start_output_t_per_yr)
            * ramp_fraction((y - start_year) / span, shape)
            for y in range(start_year, end_year + 1)
        ],
        dtype=float,
    )
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero target: inf/NaN, as pandas
        share_pct = output_t_per_yr / target_output_t_per_yr * 100
    return {
        "year": years,
        "magnet_output_t_per_yr": output_t_per_yr,
        "share_of_target_pct": share_pct,
    }


def magnet_ramp(
    start_year: int,
    target_year: int,
    target_output_t_per_yr: float,
    shape: str = "linear",
    *,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Return magnet output per year from ``start_year`` to ``end_year`` (default: target year).

    Output moves from ``start_output_t_per_yr`` in the start year to the target in
    the target year along ``shape`` (see ``ramp_fraction``), then holds at the target.
    Columns: year, magnet_output_t_per_yr, share_of_target_pct.
    Raises ParameterError when the target year is not after the start year.
    """
    return pd.DataFrame(
        ramp_columns(
            start_year,
            target_year,
            target_output_t_per_yr,
            shape,
            start_output_t_per_yr=start_output_t_per_yr,
            end_year=end_year,
        )
    )


def nd_needed_t_per_yr(magnet_output_t_per_yr, nd_mass_fraction: float):
    """Return the neodymium (t/yr) a magnet output (t/yr) contains at ``nd_mass_fraction`` (0-1).

    Counts only the neodymium in finished magnets: machining scrap and process
    losses would add to it, so this is a lower bound on the feedstock needed.
    """
    if not 0 < nd_mass_fraction <= 1:
        raise ParameterError(
            f"parameter 'nd_mass_fraction' = {nd_mass_fraction!r} is out of range: "
            "allowed above 0 to 1 (fraction of magnet mass)"
        )
    return magnet_output_t_per_yr * nd_mass_fraction


def irel_supply_rows(years: Iterable[int], irel: IrelSupply) -> list[tuple]:
    """Return ``irel_nd_supply``'s rows as tuples (``IREL_SUPPLY_COLUMNS``, in that order)."""
    plan_year, target_year = irel.plan_year, irel.target_year
    plan = (irel.plan_low_t_per_yr, irel.plan_high_t_per_yr)
    target = (irel.target_low_t_per_yr, irel.target_high_t_per_yr)
    rows = []
    for year in years:
        if year < plan_year:
            low, high = irel.capacity_low_t_per_yr, irel.capacity_high_t_per_yr
            basis, ids = "capacity today (stated range)", [irel.capacity_fact_id]
        elif year <= target_year:
            step = (year - plan_year) / (target_year - plan_year)
            low, high = (p + (t - p) * step for p, t in zip(plan, target, strict=True))
            basis = "planned (interpolated)" if plan_year < year < target_year else "planned"
            ids = [irel.plan_fact_id, irel.target_fact_id]
        else:
            low, high = target
            basis = f"held at the {target_year} target (nothing stated beyond)"
            ids = [irel.target_fact_id]
        rows.append((year, low, high, basis, ids))
    return rows


def irel_nd_supply(years: Iterable[int], irel: IrelSupply) -> pd.DataFrame:
    """Return IREL's neodymium output per year (t/yr of neodymium metal) as the documents
    state or plan it, converted as ``data.inputs.IrelSupply`` says.

    - Before the first plan year: today's capacity, 400-500 t/yr of NdPr oxide (as later
      reporting has it; the articles say neodymium), about 256-342 t/yr of neodymium metal.
    - From the plan year (450 t of neodymium by March 2026, form not stated, read as the 2026
      rate: 386-450 t of metal) to the target year (900 t by 2030: 772-900 t): linear
      interpolation between the two stated points, each end a range.
    - After 2030: held at the target, because no document states anything beyond.
    Columns (``IREL_SUPPLY_COLUMNS``): year, irel_nd_low_t_per_yr, irel_nd_high_t_per_yr,
    irel_basis, irel_fact_ids (a list of the fact ids each year rests on).
    """
    return pd.DataFrame(irel_supply_rows(years, irel), columns=IREL_SUPPLY_COLUMNS)


def nd_gap(
    start_year: int,
    target_year: int,
    shape: str,
    nd_mass_fraction: float,
    *,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
    inputs: CapacityInputs,
) -> pd.DataFrame:
    """Return, year by year, the magnet ramp, the neodymium it needs, IREL's supply and the gap.

    The magnet target (t/yr) and IREL's supply are the ``inputs``'. Gap = need minus IREL supply,
    in t/yr: positive is a shortfall, negative a surplus. Where IREL's supply is a
    range the gap is a range (gap_low uses the high supply). Columns: year,
    magnet_output_t_per_yr, share_of_target_pct, nd_needed_t_per_yr,
    irel_nd_low_t_per_yr, irel_nd_high_t_per_yr, irel_basis, irel_fact_ids (lists),
    nd_gap_low_t_per_yr, nd_gap_high_t_per_yr, nd_covered_by_irel_low_pct, nd_covered_by_irel_high_pct.
    """
    ramp = ramp_columns(
        start_year,
        target_year,
        inputs.target.output_t_per_yr,
        shape,
        start_output_t_per_yr=start_output_t_per_yr,
        end_year=end_year,
    )
    need = nd_needed_t_per_yr(ramp["magnet_output_t_per_yr"], nd_mass_fraction)
    _, low, high, basis, ids = zip(
        *irel_supply_rows(ramp["year"].tolist(), inputs.irel), strict=True
    )
    low, high = np.array(low), np.array(high)
    # Share of the need IREL's output could meet, capped at 100%; undefined with no need.
    need_or_nan = np.where(need > 0, need, np.nan)
    covered = {
        f"nd_covered_by_irel_{end}_pct": np.minimum(supply_t / need_or_nan * 100, 100)
        for end, supply_t in (("low", low), ("high", high))
    }
    # One frame from arrays: the grid explorers evaluate this hundreds of times per build.
    return pd.DataFrame(
        {
            **ramp,
            "nd_needed_t_per_yr": need,
            "irel_nd_low_t_per_yr": low,
            "irel_nd_high_t_per_yr": high,
            "irel_basis": list(basis),
            "irel_fact_ids": list(ids),
            "nd_gap_low_t_per_yr": need - high,
            "nd_gap_high_t_per_yr": need - low,
            **covered,
        }
    )


def first_shortfall_year(gap: pd.DataFrame) -> int | None:
    """Return the first year the need exceeds IREL's highest output (``nd_gap`` rows), or None."""
    short = gap["nd_gap_low_t_per_yr"].to_numpy() > 0
    return int(gap["year"].to_numpy()[short.argmax()]) if short.any() else None
