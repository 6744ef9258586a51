"""The capacity notebook in words: IREL, the magnet ramp, the neodymium gap; headlines and tables.

Each finding is stated once here; the charts take their titles from these functions.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.capacity import first_shortfall_year
from magnet_watch.analysis.plans import PlansAsOf, plans_as_of
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import CapacityInputs, IrelSupply, MagnetTarget
from magnet_watch.data.lookups import format_quantity
from magnet_watch.narrative.as_of import due_words, fact_due_words, plan_headline
from magnet_watch.narrative.headlines import computed_headline, headline_frame, row_headline
from magnet_watch.text.formats import (
    count,
    percent,
    share,
    tonnes,
    tonnes_a_year,
    tonnes_a_year_range,
    tonnes_range,
    whole_range,
    year,
)
from magnet_watch.text.periods import month_words

RAMP_SHAPE_WORDS = {
    "linear": "a linear",
    "s_curve": "an S-curve",
    "front_loaded": "a front-loaded",
    "back_loaded": "a back-loaded",
    "official_terms": "the official terms'",
}


def tonnes_text(value: float) -> str:
    """Return tonnes as "1,234 t" (``text.formats.tonnes``)."""
    return tonnes(value)


def plan_words(fact, plans: PlansAsOf) -> str:
    """Return an IREL plan (a facts row) as words at the as-of date: "plans 450 t/yr of
    neodymium by March 2026" while it is ahead, "planned 450 t/yr of neodymium (due March 2026,
    outcome not reported)" once its date has passed with no outcome recorded."""
    amount = f"{format_quantity(fact)} of neodymium"
    if plans.fact_is_due(fact):
        return f"planned {amount} ({fact_due_words(fact)})"
    return f"plans {amount} by {month_words(fact['period'])}"


def irel_summary(named: NamedFacts, irel: IrelSupply, plans: PlansAsOf | None = None) -> str:
    """Return what IREL can make, what India produced and where IREL's 2024 output went, and
    its plans, each as what it counts (Markdown). The plans are worded at the as-of date of
    ``plans`` (default: the latest date in the record): a plan whose date has passed with no
    outcome recorded reads "due <date>, outcome not reported"."""
    plans = plans_as_of() if plans is None else plans
    capacity = named.irel_nd_capacity
    production, exports, share = named.irel_production, named.exports_japan, named.export_share
    plan, target = named.irel_nd_plan, named.irel_nd_target
    computed_share = float(exports["value"]) / float(production["value"]) * 100
    return (
        f"The articles give IREL's capacity as **{format_quantity(capacity)}** of neodymium; "
        f"later reporting describes it as NdPr oxide, which is "
        f"{tonnes_a_year_range(irel.capacity_low_t_per_yr, irel.capacity_high_t_per_yr)} of "
        f"neodymium metal ({irel.capacity_words}). A capacity is what IREL could make, not "
        f"what it makes. The {production['period']} figure of {format_quantity(production)} "
        f"of rare earths, which an article gives as IREL's production, is USGS's estimate of "
        f"India's mine production in rare-earth oxide equivalent. IREL exported "
        f"**{format_quantity(exports)}** to Japan that year: {share['derivation_words']} "
        f"(over {count(exports['value'])} of {tonnes(production['value'])} is at least "
        f"{percent(computed_share)}). It {plan_words(plan, plans)}, and "
        f"{plan_words(target, plans)} ({target['derivation_words']}); the articles do not "
        f"say metal or oxide, so the model reads each as a range "
        f"({irel.plan_words})."
    )


def capacity_title(
    capacity_low_t: float,
    capacity_high_t: float,
    counts: str,
    plan_t: float,
    plan_year,
    due: bool = False,
) -> str:
    """Return the capacity chart's finding: IREL's capacity range (t/yr), what it counts, and
    its plan (``due``: a plan whose date has passed with no outcome recorded)."""
    plan = (
        f"its plan of {tonnes_text(plan_t)} of neodymium was {due_words(str(plan_year))}"
        if due
        else f"it plans {tonnes_text(plan_t)} of neodymium by {plan_year}"
    )
    return (
        f"IREL's capacity is {tonnes_a_year_range(capacity_low_t, capacity_high_t)} of "
        f"{counts} (the articles say neodymium); {plan}"
    )


def ramp_shape_words(shape: str) -> str:
    """Return a ramp shape as words with its article: "a linear", "an S-curve"."""
    return RAMP_SHAPE_WORDS.get(shape, f"a {shape}")


def ramp_title(target: MagnetTarget, shape: str, halfway_year) -> str:
    """Return the ramp chart's finding: the year the ramp passes half the target."""
    return (
        f"To reach {tonnes_a_year(target.output_t_per_yr)} by {target.target_year}, "
        f"{ramp_shape_words(shape)} ramp must pass half the target in {halfway_year}"
    )


def supply_text(row) -> str:
    """Return one year's IREL supply (t) as text: one figure, or its range."""
    low, high = row["irel_nd_low_t_per_yr"], row["irel_nd_high_t_per_yr"]
    return tonnes_range(low, high)


def gap_text(row) -> str:
    """Return one year's neodymium gap (t/yr) as text: one figure, or a range where IREL's is."""
    return tonnes_a_year_range(row["nd_gap_low_t_per_yr"], row["nd_gap_high_t_per_yr"])


def nd_gap_title(gap: pd.DataFrame) -> str:
    """Return the gap chart's finding: the need in the last year against IREL's output."""
    last = gap.iloc[-1]
    gap_low, gap_high = last["nd_gap_low_t_per_yr"], last["nd_gap_high_t_per_yr"]
    amount = tonnes_range(*sorted((abs(gap_low), abs(gap_high))))
    if gap_low > 0:
        verdict = f"{amount} a year more than IREL's planned output"
    elif gap_high < 0:
        verdict = f"{amount} a year less than IREL's planned output"
    else:
        verdict = "about what IREL plans to make"
    return (
        f"In {int(last['year'])} the magnet ramp needs "
        f"{tonnes(last['nd_needed_t_per_yr'])} of neodymium, {verdict}"
    )


def nd_gap_note(nd_mass_fraction: float) -> str:
    """Return the gap chart's assumptions in words."""
    return (
        f"Assumes {share(nd_mass_fraction)} neodymium by mass in NdFeB magnets and all of "
        "IREL's neodymium going to Indian magnets; IREL's figures in neodymium metal (its "
        "capacity converted from NdPr oxide, its plans read as metal or as oxide: a range); "
        "its plan is interpolated between 2026 and 2030 and held after 2030."
    )


def capacity_fact_headlines(named: NamedFacts, plans: PlansAsOf | None = None) -> pd.DataFrame:
    """Return the capacity headlines that are curated figures: the same in every scenario.
    A plan whose date has passed by the as-of date of ``plans`` (default: the latest date in
    the record) with no outcome recorded has the period "due <date>, outcome not reported"."""
    plans = plans_as_of() if plans is None else plans
    return headline_frame(
        [
            row_headline(
                named.irel_nd_capacity, "IREL capacity, as neodymium (later reporting: NdPr oxide)"
            ),
            row_headline(
                named.irel_production,
                "India's rare-earth production, oxide equivalent (the article: IREL's)",
            ),
            row_headline(named.exports_japan, "IREL rare-earth exports to Japan"),
            plan_headline(
                named.irel_nd_plan,
                "IREL planned neodymium output (metal or oxide not stated)",
                plans,
            ),
            plan_headline(
                named.irel_nd_target,
                "IREL neodymium output target (metal or oxide not stated)",
                plans,
            ),
            plan_headline(named.magnet_target, "National magnet production target", plans),
        ]
    )


def capacity_scenario_headlines(
    gap: pd.DataFrame, nd_mass_fraction: float, inputs: CapacityInputs
) -> pd.DataFrame:
    """Return the capacity headlines a scenario computes from its gap (``nd_gap`` rows): the
    need, the gap and the first shortfall year in its last year."""
    last = gap.iloc[-1]
    year = str(int(last["year"]))
    first_short = first_shortfall_year(gap)
    target_id = inputs.target.fact_id
    used = [
        target_id,
        inputs.irel.plan_fact_id,
        inputs.irel.target_fact_id,
        "parameters nd_mass_fraction and ramp",
    ]
    return headline_frame(
        [
            computed_headline(
                # The assumption goes in the value, so scenarios line up on one row.
                "Neodymium the magnet target needs",
                f"{tonnes_a_year(last['nd_needed_t_per_yr'])} (at {share(nd_mass_fraction)} Nd)",
                year,
                [target_id, "parameter nd_mass_fraction"],
            ),
            computed_headline("Neodymium gap: need minus IREL output", gap_text(last), year, used),
            computed_headline(
                "First year the need exceeds IREL's output",
                "none" if first_short is None else str(first_short),
                f"{int(gap['year'].iloc[0])}-{year}",
                used,
            ),
        ]
    )


def capacity_headlines(
    gap: pd.DataFrame, nd_mass_fraction: float, inputs: CapacityInputs
) -> pd.DataFrame:
    """Return the capacity notebook's headlines: the curated figures, then the scenario's
    (``capacity_fact_headlines`` and ``capacity_scenario_headlines``)."""
    return pd.concat(
        [
            capacity_fact_headlines(inputs.facts),
            capacity_scenario_headlines(gap, nd_mass_fraction, inputs),
        ],
        ignore_index=True,
    )


# The gap table's columns as readers read them (the caption gives the unit, t/yr).
GAP_TABLE_COLUMNS = {
    "year": "Year",
    "magnets": "Magnets made",
    "needed": "Neodymium needed",
    "irel": "IREL's neodymium (stated or planned)",
    "basis": "IREL's figure",
    "gap": "Gap: need minus IREL",
}


def gap_table(gap: pd.DataFrame) -> pd.DataFrame:
    """Return the year-by-year gap as a display table (t/yr rounded to whole tonnes), its
    columns named in words (``GAP_TABLE_COLUMNS``)."""
    irel = [
        whole_range(lo, hi)
        for lo, hi in zip(gap["irel_nd_low_t_per_yr"], gap["irel_nd_high_t_per_yr"], strict=True)
    ]
    columns = {
        "year": gap["year"],
        "magnets": gap["magnet_output_t_per_yr"].round(0).astype(int),
        "needed": gap["nd_needed_t_per_yr"].round(0).astype(int),
        "irel": irel,
        "basis": gap["irel_basis"],
        "gap": [gap_text(r) for r in gap.to_dict("records")],
    }
    return pd.DataFrame({GAP_TABLE_COLUMNS[k]: list(v) for k, v in columns.items()})


def gap_summary(gap: pd.DataFrame, nd_mass_fraction: float) -> str:
    """Return the gap finding in words (Markdown)."""
    last = gap.iloc[-1]
    first_short = first_shortfall_year(gap)
    text = (
        f"At {share(nd_mass_fraction)} neodymium by mass, making "
        f"{tonnes(last['magnet_output_t_per_yr'])} of magnets in {year(last['year'])} needs "
        f"**{tonnes(last['nd_needed_t_per_yr'])} of neodymium**, against IREL's "
        f"{supply_text(last)} of neodymium metal."
    )
    if first_short is None:
        text += " IREL's stated and planned output covers the need in every year shown."
    else:
        text += (
            f" The need first exceeds IREL's output in **{first_short}**, and by "
            f"{int(last['year'])} the shortfall is **{gap_text(last)}**: IREL's output "
            f"would cover {percent(last['nd_covered_by_irel_low_pct'])} of the need."
        )
    return text + " Losses in magnet making would raise the need further."
