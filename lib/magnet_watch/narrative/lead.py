"""The five findings the index leads with, each one sentence, computed from the library.

Chosen as a policy analyst reads the record: how far IREL's plans fall short of the neodymium
the national magnet target needs; how much of demand domestic output would cover; the
official clock; China's shares, as each source states them; and the import tonnage in its
right scope. Each sentence states its scope (what the figure counts), keeps a plan a plan
and dates its figures; every number comes from the models (``analysis.outlook``) run with
the values the build's notebooks ran with, or from the curated facts as written.
Each finding names the report and the chart it comes from (``stem``, ``chart``).
"""

from __future__ import annotations

from dataclasses import dataclass

from magnet_watch.analysis.market import processing_claims
from magnet_watch.analysis.outlook import (
    ClockOutlook,
    DemandOutlook,
    NeodymiumOutlook,
    demand_outlook,
    neodymium_outlook,
    official_clock_outlook,
)
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs
from magnet_watch.data.lookups import format_quantity
from magnet_watch.narrative.capacity import gap_text
from magnet_watch.narrative.headlines import period_words


@dataclass(frozen=True)
class Finding:
    """One sentence of the index's lead, and where it comes from: report ``stem`` and the
    ``chart`` (its name) the sentence summarises."""

    text: str
    stem: str
    chart: str


def gap_finding(run: NeodymiumOutlook, capacity: CapacityInputs) -> Finding:
    """The neodymium the magnet target needs in its year, against IREL's plans (not output)."""
    target = capacity.target
    row = run.gap[run.gap["year"] == run.ramp.target_year].iloc[0]
    return Finding(
        f"Making the national target of {target.output_t_per_yr:,.0f} t of magnets a year by "
        f"{run.ramp.target_year} needs {run.need_at_target_t_per_yr:,.0f} t of neodymium a "
        f"year (at {run.nd_mass_fraction:.0%} neodymium by mass), {gap_text(row)} more than "
        "IREL plans to make: its plans and targets, not what it has made.",
        "02_capacity",
        "capacity_nd_gap",
    )


def coverage_finding(run: DemandOutlook, inputs: ImportsInputs) -> Finding:
    """The share of rare-earth magnet demand domestic output would cover in the target year."""
    year = run.ramp.target_year
    demand = run.coverage.loc[run.coverage["year"] == year, "demand_t"].iloc[0]
    return Finding(
        f"If demand for rare-earth magnets grows {run.growth.rate_pct_per_yr:.1f}% a year from "
        f"about {run.base_demand_t:,.0f} t in {inputs.base.year}, the target's output would "
        f"cover {run.covered_at_target_pct:.1f}% of the {demand:,.0f} t India would need in "
        f"{year}.",
        "03_imports",
        "imports_demand_coverage",
    )


def clock_finding(outlook: ClockOutlook) -> Finding:
    """The official clock: the seven years run from the award, the first two for building."""
    clock = outlook.clock
    earliest = " at the earliest" if outlook.award_assumed else ""
    return Finding(
        f"On the terms the Cabinet approved in {clock.approval_year}, the scheme's "
        f"{clock.end_year - clock.award_year} years run from the award of the capacity, not "
        f"from the approval: with the award in {clock.award_year}{earliest}, no magnets come before "
        f"{clock.first_output_year} and the scheme ends in {clock.end_year}.",
        "02_capacity",
        "capacity_official_clock",
    )


def china_finding(inputs: ImportsInputs, facts) -> Finding:
    """China's share of magnet making and of processing, each as its source states it."""
    magnets = inputs.capacity.facts.china_magnet_share
    claims = [
        f"{format_quantity(row)} ({period_words(row)})"
        for _, row in processing_claims(facts).iterrows()
    ]
    processing = " or ".join(claims)
    sources = "as two sources put it" if len(claims) == 2 else "as its sources put it"
    return Finding(
        f"China makes {format_quantity(magnets)} of the world's magnets "
        f"({period_words(magnets)}) and processes {processing} of its rare earths, {sources}: "
        "the figures disagree and are shown side by side, never averaged.",
        "04_market_share",
        "market_processing_share",
    )


def imports_finding(inputs: ImportsInputs) -> Finding:
    """The import tonnage in its scope: permanent magnets of every kind, not demand."""
    tonnes = inputs.capacity.facts.imports_tonnes
    return Finding(
        f"India imported {format_quantity(tonnes)} of permanent magnets in "
        f"{period_words(tonnes)}, magnets of every kind, not only rare-earth ones: India's "
        f"requirement of rare-earth magnets is about {inputs.base.demand_t:,.0f} t a year "
        f"({inputs.base.year}), so the import tonnage does not measure it.",
        "03_imports",
        "imports_official_series",
    )


def lead_findings(values: dict, inputs: ImportsInputs, facts) -> list[Finding]:
    """Return the five findings, most telling first, for the run values ``values`` (the
    notebooks' parameters as the build ran them) and the record's ``inputs`` and ``facts``;
    each model runs once."""
    return [
        gap_finding(neodymium_outlook(values, inputs.capacity), inputs.capacity),
        coverage_finding(demand_outlook(values, inputs), inputs),
        clock_finding(official_clock_outlook(values, inputs.capacity)),
        china_finding(inputs, facts),
        imports_finding(inputs),
    ]
