"""The scenarios compared, in words: their key outcomes at one year, the chart's title and note.

Every number comes from ``analysis.scenarios`` (each scenario through one model, read at one
year); this module only words and tabulates. The year is stated in every table caption and
in the chart's title, never left to a row's period.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.scenarios import ScenarioOutcomes
from magnet_watch.analysis.sensitivity import OUTCOMES
from magnet_watch.narrative.capacity import ramp_shape_words, supply_text
from magnet_watch.narrative.sensitivity import format_outcome


def outcomes_caption(year: int) -> str:
    """Return the key-outcomes table's caption, stating the one year every scenario is read at."""
    return f"Key outcomes in {year}, every scenario read at the same year"


def outcomes_table(outcomes: ScenarioOutcomes) -> pd.DataFrame:
    """Return the scenarios' outcomes as a table: a row per outcome ("figure", its label with
    the year), a column per scenario (the value with its unit), in the scenarios' order."""
    year = outcomes.quote_year
    by_scenario = outcomes.figures.set_index("scenario")
    rows = []
    for name, (label, _unit) in OUTCOMES.items():
        figure = label if name == "first_shortfall_year" else f"{label}, {year}"
        rows.append(
            {
                "figure": figure,
                **{s: format_outcome(name, by_scenario.loc[s, name]) for s in by_scenario.index},
            }
        )
    return pd.DataFrame(rows, columns=["figure", *by_scenario.index])


def case_words(case: dict) -> str:
    """Return one scenario's assumptions in words: "27% neodymium, a linear ramp to the target
    in 2032, demand growing 14.9% a year"."""
    return (
        f"{case['nd_mass_fraction']:.0%} neodymium, {ramp_shape_words(case['ramp_shape'])} ramp "
        f"to the target in {case['target_year']}, demand growing "
        f"{case['growth_rate_pct_per_yr']:.1f}% a year"
    )


def need_chart_title(outcomes: ScenarioOutcomes) -> str:
    """Return the scenario chart's finding: the range of the neodymium need across the
    scenarios in the quote year (short: the chart's width; IREL's output is in the note)."""
    need = outcomes.figures["nd_need_t_per_yr"]
    spread = (
        f"{need.min():,.0f} t"
        if round(need.min()) == round(need.max())
        else f"{need.min():,.0f}–{need.max():,.0f} t"
    )
    return f"{outcomes.quote_year}: the scenarios need {spread} of neodymium a year"


def need_chart_note(outcomes: ScenarioOutcomes) -> str:
    """Return the scenario chart's note: each scenario's assumptions, and what IREL's line is."""
    cases = "; ".join(f"{name}: {case_words(case)}" for name, case in outcomes.cases.items())
    year = outcomes.quote_year
    at_year = outcomes.need[outcomes.need["year"] == year].iloc[0]
    return (
        f"{cases}. IREL's output is the same in every scenario ({supply_text(at_year)} in "
        f"{year}): its capacity and plans in neodymium metal, a range where the documents "
        "leave metal or oxide open."
    )


def need_chart_rows(outcomes: ScenarioOutcomes) -> pd.DataFrame:
    """Return the chart's data: the need by scenario and year, and IREL's output (low-high) by
    year, as one long table (``series``, ``year``, ``low``, ``high``, ``value_text``)."""
    need = outcomes.need
    rows = [
        {
            "series": r["scenario"],
            "year": int(r["year"]),
            "low": r["nd_needed_t_per_yr"],
            "high": r["nd_needed_t_per_yr"],
            "value_text": f"{r['nd_needed_t_per_yr']:,.0f} t/yr needed",
        }
        for r in need.to_dict("records")
    ]
    first = need[need["scenario"] == need["scenario"].iloc[0]] if not need.empty else need
    rows += [
        {
            "series": IREL_SERIES,
            "year": int(r["year"]),
            "low": r["irel_nd_low_t_per_yr"],
            "high": r["irel_nd_high_t_per_yr"],
            "value_text": f"{supply_text(r)} IREL output",
        }
        for r in first.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=["series", "year", "low", "high", "value_text"])


IREL_SERIES = "IREL's output (range)"
