"""The imports notebook in words: imports, the unit-value check, demand coverage; headlines, tables.

Each finding is stated once here; the charts take their titles from these functions.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.imports import (
    UnitValueCheck,
    implied_growth_rate_pct,
    imports_from_china_t,
    is_implied_growth,
)
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.data.lookups import format_quantity
from magnet_watch.narrative.headlines import (
    computed_headline,
    headline_frame,
    period_words,
    row_headline,
)
from magnet_watch.text import formats as fmt
from magnet_watch.text.periods import period_in_words


def unit_value_verdict(check: UnitValueCheck) -> str:
    """Return the unit-value verdict in words: plausible, or below/above the assumed band."""
    band = fmt.usd_per_kg_range(check.band_low_usd_per_kg, check.band_high_usd_per_kg)
    if check.plausible:
        return f"plausible: it lies within the assumed {band} for rare-earth magnets"
    return f"implausible: it is {check.side} the assumed {band} for rare-earth magnets"


def unit_value_reasons(check: UnitValueCheck) -> list[str]:
    """Return what separates the two figures (the periods when they differ, scope, documents),
    and, for a value below the band, what so low a price suggests."""
    tonnes, value = check.tonnes_fact, check.value_fact
    periods = (
        []
        if check.same_period
        else [
            f"the periods differ: the tonnes count {period_in_words(tonnes)}, the value counts "
            f"{period_in_words(value)}; dollars of one period divided by tonnes of another are no "
            "price of either"
        ]
    )
    reasons = [
        *periods,
        "the scopes differ: the tonnes count permanent magnets of every kind (the article "
        "calls them rare earth magnets), the value 'magnets and related materials'",
        "the two figures come from different documents (the headline figures name both)",
    ]
    if check.side == "below":
        reasons.insert(
            0,
            "so low a price suggests the tonnage counts cheaper magnets (such as ferrite) "
            "or the value covers only part of the trade: most of these tonnes cannot be "
            "rare-earth magnets",
        )
    return reasons


def imports_fact_headlines(unit_value: UnitValueCheck, inputs: ImportsInputs) -> pd.DataFrame:
    """Return the imports headlines no demand scenario moves: imports, origin, value (curated)
    and what they imply (imports from China, the unit value against its assumed band)."""
    china = imports_from_china_t(inputs)
    tonnes, value = inputs.imports_tonnes, inputs.imports_value
    return headline_frame(
        [
            row_headline(
                tonnes, "Permanent magnet imports, all kinds (the article says rare-earth magnets)"
            ),
            row_headline(inputs.china_share, "Share from China (magnets and related materials)"),
            computed_headline(
                "Imports from China, if that share applies",
                fmt.tonnes_range(china["low_t"], china["high_t"]),
                str(tonnes["period"]),
                china["fact_ids"],
            ),
            row_headline(value, "Import value (magnets and related materials)"),
            computed_headline(
                "Implied unit value",
                f"{fmt.usd_per_kg(unit_value.usd_per_kg)} "
                f"({'plausible' if unit_value.plausible else 'implausible'})",
                f"{value['period']} / {tonnes['period']}",
                unit_value.fact_ids,
            ),
        ]
    )


def imports_scenario_headlines(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    inputs: ImportsInputs,
    *,
    base_demand_t: float | None = None,
    growth_sources: list[str] | tuple[str, ...] | None = None,
    growth_period: str | None = None,
) -> pd.DataFrame:
    """Return the imports headlines a demand scenario computes (``demand_coverage`` rows): the
    growth used, the projected demand and the share domestic output covers, in its last year.

    Arguments as ``imports_headlines``.
    """
    last = coverage.iloc[-1]
    year = str(int(last["year"]))
    growth_ids = (
        [inputs.doubling.source]
        if is_implied_growth(growth_rate_pct_per_yr, inputs)
        else ["parameter growth_rate_pct_per_yr"]
    )
    if growth_sources is not None:
        growth_ids = list(growth_sources)
    base_ids = [inputs.base.figure] if base_demand_t is None else ["parameter base_demand_t"]
    demand_ids = [*base_ids, *growth_ids]
    return headline_frame(
        [
            computed_headline(
                "Demand growth used",
                fmt.growth_rate(growth_rate_pct_per_yr),
                growth_period or period_words(inputs.doubling_fact),
                growth_ids,
            ),
            computed_headline(
                "Projected rare-earth magnet demand", fmt.tonnes(last["demand_t"]), year, demand_ids
            ),
            computed_headline(
                "Share of rare-earth magnet demand domestic output covers",
                fmt.percent(last["covered_pct"]),
                year,
                [*demand_ids, inputs.capacity.target.fact_id],
            ),
        ]
    )


def imports_headlines(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    unit_value: UnitValueCheck,
    inputs: ImportsInputs,
    *,
    base_demand_t: float | None = None,
    growth_sources: list[str] | tuple[str, ...] | None = None,
    growth_period: str | None = None,
) -> pd.DataFrame:
    """Return the imports notebook's headlines: imports, origin, value, unit value, coverage
    (``imports_fact_headlines``, then ``imports_scenario_headlines``).

    A growth rate other than the implied one, or a ``base_demand_t``, is a parameter:
    the rows that use it say so in their source column. ``growth_sources`` names where
    the growth rate comes from when the caller knows (e.g. reference figure ids), and
    ``growth_period`` the years it is measured over when not the doubling claim's.
    """
    scenario = imports_scenario_headlines(
        coverage,
        growth_rate_pct_per_yr,
        inputs,
        base_demand_t=base_demand_t,
        growth_sources=growth_sources,
        growth_period=growth_period,
    )
    return pd.concat([imports_fact_headlines(unit_value, inputs), scenario], ignore_index=True)


def imports_summary(unit_value: UnitValueCheck, inputs: ImportsInputs) -> str:
    """Return the imports finding and the unit-value sanity check in words (Markdown)."""
    tonnes, share, value = inputs.imports_tonnes, inputs.china_share, inputs.imports_value
    china = imports_from_china_t(inputs)
    reasons = "\n".join(f"- {r}" for r in unit_value_reasons(unit_value))
    return (
        f"India imported **{format_quantity(tonnes)}** of permanent magnets in "
        f"{tonnes['period']}: the article calls them rare-earth magnets, but the tonnage counts "
        f"magnets of every kind, ferrites included (see the unit value below), so it is not "
        f"India's demand for rare-earth magnets. It buys **{format_quantity(share)}** of its magnets and related "
        f"materials from China; applied to that tonnage, "
        f"{fmt.tonnes_range(china['low_t'], china['high_t'])} came from China.\n\n"
        f"Imports of magnets and related materials were worth {format_quantity(value)} in "
        f"{value['period']}. Divided by the tonnage, that is "
        f"**{fmt.usd_per_kg(unit_value.usd_per_kg)}**, which looks {unit_value_verdict(unit_value)}. What separates the two "
        f"figures:\n\n{reasons}"
    )


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """Return projected demand, domestic output (t, rounded) and the share covered (%, 1 dp),
    the columns named in words with their units."""
    return pd.DataFrame(
        {
            "Year": coverage["year"],
            "Rare-earth magnet demand (t)": coverage["demand_t"].round(0).astype(int),
            "Domestic output (t/yr)": coverage["magnet_output_t_per_yr"].round(0).astype(int),
            "Share of demand covered (%)": coverage["covered_pct"].round(1),
        }
    )


def coverage_summary(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    inputs: ImportsInputs,
    *,
    base_demand_t: float | None = None,
    basis_words: str | None = None,
) -> str:
    """Return the demand-coverage finding in words (Markdown); ``basis_words`` says where the
    growth rate comes from when it is neither the implied rate nor a typed parameter, and
    ``base_demand_t`` the base when a parameter gives it."""
    implied = implied_growth_rate_pct(inputs)
    first, last = coverage.iloc[0], coverage.iloc[-1]
    words = inputs.growth_fact["derivation_words"]
    if is_implied_growth(growth_rate_pct_per_yr, inputs):
        basis = f'the rate implied by officials\' projection that demand will "{words}"'
    elif basis_words is not None:
        basis = f'{basis_words} (officials\' "{words}" implies {fmt.growth_rate(implied)})'
    else:
        basis = f'a parameter (officials\' "{words}" implies {fmt.growth_rate(implied)})'
    return (
        f"Demand for rare-earth permanent magnets starts from {base_words(inputs, base_demand_t)} "
        f"and grows at **{fmt.growth_rate(growth_rate_pct_per_yr)}**, {basis}. From "
        f"{fmt.tonnes(first['demand_t'])} in {fmt.year(first['year'])} it reaches "
        f"**{fmt.tonnes(last['demand_t'])} in {fmt.year(last['year'])}**, when domestic output "
        f"at the target ({fmt.tonnes_a_year(last['magnet_output_t_per_yr'])} of sintered "
        f"rare-earth magnets) would cover **{fmt.percent(last['covered_pct'])}** of it; "
        f"{fmt.tonnes(last['uncovered_t'])} "
        "would still have to be imported. The import tonnage is not this demand: it counts "
        "permanent magnets of every kind."
    )


def base_words(inputs: ImportsInputs, base_demand_t: float | None = None) -> str:
    """Return the demand base in words: the requirement as the later reference states it
    ("about 4,000 t/yr in 2025, India's requirement as the minister gave it on 26 Nov 2025"),
    or the parameter's value."""
    base = inputs.base
    if base_demand_t is not None:
        return f"{fmt.tonnes_a_year(base_demand_t)} in {base.year} (parameter base_demand_t)"
    about = "about " if base.qualifier == "approximately" else ""
    return (
        f"{about}{fmt.tonnes_a_year(base.demand_t)} in {base.year}, India's requirement as the "
        f"minister gave it on {base.period} (later reference)"
    )


def base_note(inputs: ImportsInputs, base_demand_t: float | None = None) -> str:
    """Return the demand base for a chart's note: in words, then the page it was verified on
    (or the parameter that gives it)."""
    cited = "" if base_demand_t is not None else f"; {inputs.base.citation}"
    return f"Demand base: {base_words(inputs, base_demand_t)}{cited}."


def coverage_title(coverage: pd.DataFrame, growth_rate_pct_per_yr: float) -> str:
    """Return the coverage chart's finding: the share of demand covered in the last year."""
    last = coverage.iloc[-1]
    return (
        f"In {fmt.year(last['year'])} domestic output would cover "
        f"{fmt.percent(last['covered_pct'])} of projected rare-earth magnet demand "
        f"({fmt.growth_rate(growth_rate_pct_per_yr)} growth)"
    )


def coverage_note(base_note_text: str, growth_rate_pct_per_yr: float) -> str:
    """Return the coverage chart's assumption: today's demand (``base_note``) and its growth."""
    return (
        f"{base_note_text} Grown at {fmt.growth_rate(growth_rate_pct_per_yr)}; not the import tonnage, "
        f"which counts magnets of every kind. Labels: share of demand covered."
    )
