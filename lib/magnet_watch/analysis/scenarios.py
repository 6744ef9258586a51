"""Scenarios side by side: each scenario's assumptions through one model, quoted at one year.

A scenario (``scenarios/<name>.yaml``) sets some of the notebooks' parameters; the figures
its notebooks quote sit at the scenario's own target year (2034 in a scenario whose target
slips), so two scenarios' headline rows are not at the same year. Here every scenario runs
through the model the sensitivity notebook quotes (``sensitivity.outcomes_by_year``: the
neodymium need, the gap to IREL's output, the first year of shortfall, the share of demand
covered) and is read at one year for all: ``quote_year``, by default the magnet target's own
horizon (from the facts). The year-by-year need and IREL's output run to the latest year any
scenario's ramp needs, for the comparison page's chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.outlook import nd_gap_for
from magnet_watch.analysis.sensitivity import (
    ASSUMPTIONS,
    OUTCOMES,
    case_ramp,
    outcomes_by_year,
    resolve_base,
)
from magnet_watch.data.inputs import ImportsInputs

# The one assumption the model cannot resolve from None (``resolve_base`` resolves the rest).
REQUIRED_ASSUMPTIONS = ("nd_mass_fraction",)
NEED_COLUMNS = [
    "scenario",
    "year",
    "nd_needed_t_per_yr",
    "irel_nd_low_t_per_yr",
    "irel_nd_high_t_per_yr",
    "nd_gap_low_t_per_yr",
    "nd_gap_high_t_per_yr",
]


def model_values(parameters: dict) -> dict:
    """Return the values of ``parameters`` the model takes (its ``ASSUMPTIONS``)."""
    return {name: value for name, value in parameters.items() if name in ASSUMPTIONS}


def runs_the_model(parameters: dict) -> bool:
    """Return True when ``parameters`` (a scenario's values with the notebooks' defaults) give
    the model every assumption it cannot resolve by itself."""
    return all(parameters.get(name) is not None for name in REQUIRED_ASSUMPTIONS)


@dataclass(frozen=True)
class ScenarioOutcomes:
    """The scenarios' outcomes: ``figures`` (one row per scenario: ``scenario``, then each of
    ``sensitivity.OUTCOMES`` at ``quote_year``, and the resolved ``target_year``), ``need``
    (``NEED_COLUMNS``: year by year, to the latest year any scenario needs), ``cases`` (each
    scenario's resolved assumptions, by name, in the scenarios' order)."""

    quote_year: int
    figures: pd.DataFrame
    need: pd.DataFrame
    cases: dict[str, dict]


def scenario_outcomes(
    scenarios: dict[str, dict],
    inputs: ImportsInputs | dict[str, ImportsInputs],
    quote_year: int | None = None,
) -> ScenarioOutcomes:
    """Return each scenario's outcomes at one year (``quote_year``; None: the magnet target's
    horizon, from the facts of the first scenario's inputs). ``scenarios`` maps a name to its
    parameter values (those the model does not take are ignored); ``inputs`` are the model's,
    or each scenario's by name (a scenario with its own ``as_of`` reads the record as of then).
    Raises ParameterError as the model does for a value it refuses (an award before the
    approval, a year before the start)."""
    by_name = inputs if isinstance(inputs, dict) else dict.fromkeys(scenarios, inputs)
    first = by_name[next(iter(scenarios))] if scenarios else None
    year = first.capacity.target.target_year if quote_year is None else int(quote_year)
    cases = {
        name: resolve_base(model_values(values), by_name[name])
        for name, values in scenarios.items()
    }
    last = max([year, *(case["target_year"] for case in cases.values())])
    rows, frames = [], []
    for name, case in cases.items():
        found = outcomes_by_year(case, [year], by_name[name])[year]
        rows.append({"scenario": name, **found, "target_year": case["target_year"]})
        gap = nd_gap_for(
            case_ramp(case, by_name[name]),
            case["nd_mass_fraction"],
            by_name[name].capacity,
            end_year=last,
        )
        frames.append(gap.assign(scenario=name)[NEED_COLUMNS])
    figures = pd.DataFrame(rows, columns=["scenario", *OUTCOMES, "target_year"])
    need = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=NEED_COLUMNS)
    return ScenarioOutcomes(year, figures, need, cases)
