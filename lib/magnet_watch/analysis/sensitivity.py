"""Which assumption the quoted figures hang on: one-at-a-time swings (tornado) and a Monte Carlo.

The outputs people quote, each at ``outcome_year`` (the scheme's target year, 2032):

- ``nd_need_t_per_yr``: neodymium the magnet ramp needs (t/yr);
- ``nd_gap_t_per_yr``: that need minus IREL's output (t/yr; IREL's high end where it is a range);
- ``first_shortfall_year``: the first year the need exceeds IREL's output (NaN: never);
- ``covered_pct``: the share of projected rare-earth magnet demand domestic output covers (%).

The assumptions are the notebooks' parameters; each one's plausible range comes from its
parameter spec (``plausible`` in ``notebooks/<stem>.params.yaml``) and is passed in as an
``Assumption``. The tornado evaluates the library's own functions (``nd_gap``,
``demand_coverage``) at each end. The Monte Carlo evaluates the same model for many draws at
once with numpy: the ramp's shape comes from ``magnet_ramp`` itself (a table of its fractions
per shape and target year), IREL's supply from ``irel_nd_supply``; the tests check that
draws agree with the scalar functions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from magnet_watch.analysis import capacity
from magnet_watch.analysis.outlook import (
    Ramp,
    coverage_for,
    nd_gap_for,
    resolve_demand,
    resolve_ramp,
)
from magnet_watch.constants import pct_to_fraction
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.errors import ParameterError

OUTCOMES = {
    "nd_need_t_per_yr": ("Neodymium the magnet ramp needs", "t/yr"),
    # The low end of 02's gap range: worded so, since 02 quotes the whole range.
    "nd_gap_t_per_yr": ("Neodymium gap, low end: need minus IREL's high output", "t/yr"),
    "first_shortfall_year": ("First year the need exceeds IREL's output", "year"),
    "covered_pct": ("Share of rare-earth magnet demand domestic output covers", "%"),
}
# The assumptions the model takes, with the value None stands for resolved by ``resolve_base``;
# award_year and growth_basis are settings of the base case that no draw varies.
ASSUMPTIONS = (
    "start_year",
    "target_year",
    "ramp_shape",
    "nd_mass_fraction",
    "start_output_t_per_yr",
    "growth_rate_pct_per_yr",
    "base_demand_t",
    "award_year",
    "growth_basis",
)
# What the Monte Carlo can draw (start_year stays at its base: the ramp table starts there).
DRAWABLE = (
    "target_year",
    "ramp_shape",
    "nd_mass_fraction",
    "start_output_t_per_yr",
    "growth_rate_pct_per_yr",
    "base_demand_t",
)


@dataclass(frozen=True)
class Assumption:
    """One assumption's plausible range: numeric ends ``low``/``high`` or ``choices``, and why.

    ``base`` is the base case's value (resolved: never None); ``integer`` marks whole numbers.
    """

    name: str
    base: Any
    reason: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    integer: bool = False
    label: str = ""  # the assumption in words (the dictionary's label); the name when empty
    unit: str = ""  # the dictionary's unit, so its settings are written with it


def resolve_base(values: dict, inputs: ImportsInputs) -> dict:
    """Return the base case: ``values`` (the notebooks' defaults) with each None replaced as
    the notebooks' own run resolves it (``outlook.resolve_ramp`` and ``resolve_demand``: the
    years from the magnet target or, with the ``official_terms`` ramp, the scheme's clock; the
    growth of ``growth_basis``; the demand base India's requirement of rare-earth magnets)."""
    unknown = set(values) - set(ASSUMPTIONS)
    if unknown:
        raise ParameterError(f"no such assumption(s) {sorted(unknown)}: allowed {ASSUMPTIONS}")
    ramp = resolve_ramp(values, inputs.capacity)
    growth, base_t = resolve_demand(values, inputs)
    return {
        **values,
        "start_year": ramp.start_year,
        "target_year": ramp.target_year,
        "ramp_shape": ramp.shape,
        "start_output_t_per_yr": ramp.start_output_t_per_yr,
        "growth_rate_pct_per_yr": growth.rate_pct_per_yr,
        "base_demand_t": base_t,
    }


def case_ramp(values: dict, inputs: ImportsInputs) -> Ramp:
    """Return the ramp of a resolved case (``resolve_base``'s values, or one setting of the
    tornado or a draw): its years are explicit, so the clock only checks the award year."""
    ramp = resolve_ramp({**values, "ramp_shape": "linear"}, inputs.capacity)
    return replace(ramp, shape=values["ramp_shape"])


def outcomes(values: dict, outcome_year: int, inputs: ImportsInputs) -> dict[str, float]:
    """Return the quoted outputs (see ``OUTCOMES``) for one resolved case, through the library.

    The years run from the start year to ``outcome_year`` or the target year, whichever is later.
    """
    return outcomes_by_year(values, [outcome_year], inputs)[outcome_year]


def outcomes_by_year(
    values: dict, outcome_years: list[int], inputs: ImportsInputs
) -> dict[int, dict[str, float]]:
    """Return ``{outcome year: outcomes(values, outcome year)}`` from one run of the model (to
    the latest year needed): a year's need, gap and coverage do not depend on how far the
    years run, and each first shortfall is sought up to that year's own end."""
    ramp = case_ramp(values, inputs)
    start, target = ramp.start_year, ramp.target_year
    last = max(*outcome_years, target)
    gap = nd_gap_for(ramp, values["nd_mass_fraction"], inputs.capacity, end_year=last)
    coverage = coverage_for(
        ramp, values["growth_rate_pct_per_yr"], values["base_demand_t"], inputs, end_year=last
    )
    need, low_gap = (
        gap.set_index("year")["nd_needed_t_per_yr"],
        gap.set_index("year")["nd_gap_low_t_per_yr"],
    )
    covered = coverage.set_index("year")["covered_pct"]
    short = gap.loc[gap["nd_gap_low_t_per_yr"] > 0, "year"]
    found = {}
    for year in outcome_years:
        if year not in need.index:
            raise ParameterError(f"outcome year {year} is before the start year {start}")
        first = short[short <= max(year, target)]
        found[year] = {
            "nd_need_t_per_yr": float(need[year]),
            "nd_gap_t_per_yr": float(low_gap[year]),
            "first_shortfall_year": float(first.iloc[0]) if not first.empty else float("nan"),
            "covered_pct": float(covered[year]),
        }
    return found


def _ends(assumption: Assumption) -> list:
    return list(assumption.choices) if assumption.choices else [assumption.low, assumption.high]


TORNADO_COLUMNS = [
    "outcome",
    "assumption",
    "label",
    "unit",
    "setting_low",
    "value_at_low",
    "setting_high",
    "value_at_high",
    "base_value",
    "swing",
]


def tornado(
    assumptions: list[Assumption], base: dict, outcome_year: int, inputs: ImportsInputs
) -> pd.DataFrame:
    """Return each outcome's swing as each assumption moves across its plausible range alone.

    A numeric assumption is set to its low and its high end; one with choices to each choice,
    and its two ends are the choices giving the lowest and highest outcome. The other
    assumptions stay at ``base``. Columns (``TORNADO_COLUMNS``): outcome, assumption,
    setting_low, value_at_low, setting_high, value_at_high, base_value, swing
    (|value_at_high - value_at_low|, in the outcome's unit; NaN ends, "no shortfall", count
    as no swing). Rows are sorted by outcome, then by swing, largest first.
    """
    return tornadoes(assumptions, base, [outcome_year], inputs)[outcome_year]


def tornadoes(
    assumptions: list[Assumption], base: dict, outcome_years: list[int], inputs: ImportsInputs
) -> dict[int, pd.DataFrame]:
    """Return ``{outcome year: tornado(assumptions, base, outcome year, inputs)}``, running the
    model once per setting for all the years (``outcomes_by_year``)."""
    base_out = outcomes_by_year(base, outcome_years, inputs)
    runs = [
        (a, [(s, outcomes_by_year({**base, a.name: s}, outcome_years, inputs)) for s in _ends(a)])
        for a in assumptions
    ]
    order = {name: i for i, name in enumerate(OUTCOMES)}
    frames = {}
    for year in outcome_years:
        rows = []
        for a, by_year in runs:
            results = [(s, found[year]) for s, found in by_year]
            for name in OUTCOMES:
                ends = results
                if a.choices:  # order the choices by the outcome they give
                    ends = sorted(results, key=lambda r: _sort_key(r[1][name]))
                    ends = [ends[0], ends[-1]]
                (s_low, low), (s_high, high) = ends[0], ends[-1]
                v_low, v_high = low[name], high[name]
                swing = abs(v_high - v_low) if not (np.isnan(v_low) or np.isnan(v_high)) else 0.0
                words = a.label or a.name
                ends_row = (s_low, v_low, s_high, v_high, base_out[year][name], swing)
                rows.append((name, a.name, words, a.unit, *ends_row))
        frame = pd.DataFrame(rows, columns=TORNADO_COLUMNS)
        frame["_o"] = frame["outcome"].map(order)
        frame = frame.sort_values(["_o", "swing"], ascending=[True, False], kind="stable")
        frames[year] = frame.drop(columns="_o").reset_index(drop=True)
    return frames


def _sort_key(value: float) -> float:
    return np.inf if np.isnan(value) else value  # "never short" sorts after every year


# Monte Carlo ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonteCarlo:
    """The draws and what they give. ``draws``: one row per draw, a column per drawn assumption
    (ramp_shape as its name). ``years``: the years evaluated. ``need``, ``gap``, ``covered``:
    arrays (draws x years) of nd need (t/yr), gap (t/yr) and demand covered (%)."""

    draws: pd.DataFrame
    years: np.ndarray
    need: np.ndarray
    gap: np.ndarray
    covered: np.ndarray
    seed: int


def draw_assumptions(assumptions: list[Assumption], count: int, seed: int) -> pd.DataFrame:
    """Return ``count`` draws, each assumption uniform over its plausible range (whole numbers
    for an integer one, equally likely choices), from numpy's generator seeded with ``seed``.
    The same seed gives the same draws, byte for byte."""
    if count < 1:
        raise ParameterError(f"parameter 'draws' = {count} must be at least 1")
    rng = np.random.default_rng(seed)
    columns = {}
    for a in assumptions:  # the caller's order fixes which numbers each assumption gets
        if a.name not in DRAWABLE:
            raise ParameterError(f"the Monte Carlo cannot vary {a.name!r}: it varies {DRAWABLE}")
        if a.choices:
            columns[a.name] = np.asarray(a.choices, dtype=object)[
                rng.integers(0, len(a.choices), count)
            ]
        elif a.integer:
            columns[a.name] = rng.integers(int(a.low), int(a.high) + 1, count)
        else:
            columns[a.name] = rng.uniform(a.low, a.high, count)
    return pd.DataFrame(columns)


def _ramp_fractions(start: int, targets, shapes, years: np.ndarray) -> dict:
    """Return ``{(shape, target_year): fractions by year}`` from ``capacity.magnet_ramp`` itself
    (output towards a target of 1 from 0: the fraction of the way), 0 before the start."""
    table = {}
    for shape in shapes:
        for target in targets:
            ramp = capacity.magnet_ramp(start, int(target), 1.0, shape, end_year=int(years[-1]))
            fractions = ramp.set_index("year")["magnet_output_t_per_yr"]
            table[(shape, int(target))] = fractions.reindex(years, fill_value=0.0).to_numpy()
    return table


def monte_carlo(
    assumptions: list[Assumption],
    base: dict,
    outcome_year: int,
    count: int,
    seed: int,
    inputs: ImportsInputs,
) -> MonteCarlo:
    """Return the model evaluated for ``count`` draws of all ``assumptions`` at once.

    The rest stay at ``base``. Years run from the base start year to the later of
    ``outcome_year`` and the highest target year drawn. Per draw, as ``nd_gap`` and
    ``demand_coverage`` compute it: output = start output + (target - start output) x ramp
    fraction; need = output x Nd fraction; gap = need - IREL's high supply; demand = base
    demand x (1 + growth)^(year - base year); covered = output / demand x 100.
    """
    draws = draw_assumptions(assumptions, count, seed)
    column = {
        n: (draws[n].to_numpy() if n in draws else np.full(count, base[n], dtype=object))
        for n in DRAWABLE
    }
    targets = column["target_year"].astype(int)
    start = int(base["start_year"])
    years = np.arange(start, max(outcome_year, int(targets.max())) + 1)
    table = _ramp_fractions(start, np.unique(targets), pd.unique(column["ramp_shape"]), years)
    fraction = np.empty((count, len(years)))
    for (shape, target), row in table.items():
        fraction[(column["ramp_shape"] == shape) & (targets == target)] = row
    magnet_target = inputs.capacity.target.output_t_per_yr
    s0 = column["start_output_t_per_yr"].astype(float)[:, None]
    output = s0 + (magnet_target - s0) * fraction
    need = output * column["nd_mass_fraction"].astype(float)[:, None]
    supply = capacity.irel_nd_supply(years, inputs.capacity.irel)["irel_nd_high_t_per_yr"]
    growth = 1 + pct_to_fraction(column["growth_rate_pct_per_yr"].astype(float)[:, None])
    demand = column["base_demand_t"].astype(float)[:, None] * growth ** (years - inputs.base.year)
    covered = output / demand * 100
    return MonteCarlo(draws, years, need, need - supply.to_numpy(), covered, seed)


def monte_carlos(
    assumptions: list[Assumption],
    base: dict,
    outcome_years: list[int],
    count: int,
    seed: int,
    inputs: ImportsInputs,
) -> dict[int, MonteCarlo]:
    """Return ``{outcome year: monte_carlo(..., outcome year, ...)}``, each identical to its own
    run. The draws do not depend on the year; the years run to the later of it and the highest
    target drawn, so every year up to the span of the earliest year's run shares that run."""
    first = monte_carlo(assumptions, base, min(outcome_years), count, seed, inputs)
    return {
        year: first
        if year <= first.years[-1]
        else monte_carlo(assumptions, base, year, count, seed, inputs)
        for year in outcome_years
    }


BAND_QUANTITIES = {"nd_need_t_per_yr": "need", "nd_gap_t_per_yr": "gap", "covered_pct": "covered"}


def band(result: MonteCarlo, band_pct: float) -> pd.DataFrame:
    """Return, per year and quantity, the central ``band_pct`` % of the draws and their median.

    Columns: year, quantity (a key of ``BAND_QUANTITIES``), low, median, high (the
    (100 - band_pct) / 2 and (100 + band_pct) / 2 percentiles, numpy's linear method).
    """
    if not 0 < band_pct < 100:
        raise ParameterError(f"parameter 'band_pct' = {band_pct} must be above 0 and below 100")
    q = [(100 - band_pct) / 2, 50, (100 + band_pct) / 2]
    frames = []
    for quantity, attr in BAND_QUANTITIES.items():
        low, median, high = np.percentile(getattr(result, attr), q, axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "year": result.years,
                    "quantity": quantity,
                    "low": low,
                    "median": median,
                    "high": high,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def first_shortfall_years(result: MonteCarlo) -> np.ndarray:
    """Return each draw's first year with a positive gap (NaN where there is none)."""
    short = result.gap > 0
    first = result.years[short.argmax(axis=1)].astype(float)
    first[~short.any(axis=1)] = np.nan
    return first


def outcome_spread(result: MonteCarlo, outcome_year: int, band_pct: float) -> pd.DataFrame:
    """Return each outcome's spread over the draws at ``outcome_year``.

    Columns: outcome, low, median, high (percentiles as in ``band``), none_share_pct (for
    first_shortfall_year: the share of draws with no shortfall at all; else 0).
    """
    i = int(np.searchsorted(result.years, outcome_year))
    q = [(100 - band_pct) / 2, 50, (100 + band_pct) / 2]
    first = first_shortfall_years(result)
    values = {
        "nd_need_t_per_yr": result.need[:, i],
        "nd_gap_t_per_yr": result.gap[:, i],
        "first_shortfall_year": first[~np.isnan(first)],
        "covered_pct": result.covered[:, i],
    }
    rows = []
    for name, v in values.items():
        low, median, high = np.percentile(v, q) if len(v) else (np.nan,) * 3
        none = float(np.isnan(first).mean() * 100) if name == "first_shortfall_year" else 0.0
        rows.append((name, low, median, high, none))
    return pd.DataFrame(rows, columns=["outcome", "low", "median", "high", "none_share_pct"])


@dataclass(frozen=True)
class SensitivityRun:
    """Notebook 07's run: the year the figures are quoted at, the tornado there, the Monte
    Carlo and its band and spread, and the base case's ``nd_gap`` over the draws' years."""

    outcome_year: int
    tornado: pd.DataFrame
    result: MonteCarlo
    band: pd.DataFrame
    spread: pd.DataFrame
    base_gap: pd.DataFrame


def sensitivity_run(
    params: dict, assumptions: list[Assumption], base: dict, inputs: ImportsInputs
) -> SensitivityRun:
    """Return notebook 07's run for ``params`` (outcome_year, draws, seed, band_pct; None for
    the outcome year: the magnet target's year), the ``assumptions`` and the resolved ``base``."""
    year = params["outcome_year"]
    year = inputs.capacity.target.target_year if year is None else year
    result = monte_carlo(assumptions, base, year, params["draws"], params["seed"], inputs)
    base_gap = nd_gap_for(
        case_ramp(base, inputs),
        base["nd_mass_fraction"],
        inputs.capacity,
        end_year=int(result.years[-1]),
    )
    return SensitivityRun(
        year,
        tornado(assumptions, base, year, inputs),
        result,
        band(result, params["band_pct"]),
        outcome_spread(result, year, params["band_pct"]),
        base_gap,
    )
