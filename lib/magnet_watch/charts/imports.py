"""The imports notebook's chart: projected rare-earth magnet demand against domestic output.

The title's finding and the note come from ``narrative.imports``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.charts.theme import (
    HEIGHT_PX,
    QUALIFIER_DASH,
    ROLE_COLOURS,
    WIDTH_PX,
    claim,
    finding_title,
    tooltip,
    year_tooltip,
)
from magnet_watch.data.inputs import DemandBase, MagnetTarget
from magnet_watch.narrative.imports import coverage_note, coverage_title
from magnet_watch.text import formats as fmt

DEMAND_SERIES = "demand (projected)"
OUTPUT_SERIES = "domestic output (ramp to target)"


def coverage_data(
    coverage: pd.DataFrame, growth_rate_pct_per_yr: float, base: DemandBase, goal
) -> pd.DataFrame:
    """Return demand (t) and domestic output (t/yr) as chart data, two rows per year, with the
    share of demand covered (covered_pct, covered_text) and each series' source and quote (the
    demand base is a later reference: its page, no quote)."""
    demand = pd.DataFrame(
        {
            "year": coverage["year"],
            "series": DEMAND_SERIES,
            "t": coverage["demand_t"],
            "value_text": [
                f"{fmt.tonnes(v)} at {fmt.growth_rate(growth_rate_pct_per_yr)} growth"
                for v in coverage["demand_t"]
            ],
            "source": f"later reference: {base.citation}",
            "quote": "",
            "covered_pct": coverage["covered_pct"],
        }
    )
    output = pd.DataFrame(
        {
            "year": coverage["year"],
            "series": OUTPUT_SERIES,
            "t": coverage["magnet_output_t_per_yr"],
            "value_text": [f"{fmt.tonnes_a_year(v)}" for v in coverage["magnet_output_t_per_yr"]],
            "source": goal["source"],
            "quote": goal["quote"],
            "covered_pct": coverage["covered_pct"],
        }
    )
    data = pd.concat([demand, output], ignore_index=True)
    data["covered_text"] = [f"{fmt.percent(v)}" for v in data["covered_pct"]]
    return data


def _coverage_layers(data: pd.DataFrame):
    x = alt.X("year:O", title="Year")
    series = [DEMAND_SERIES, OUTPUT_SERIES]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series, range=[ROLE_COLOURS["projected"], ROLE_COLOURS["target"]]),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(
            domain=series, range=[QUALIFIER_DASH["projected"], QUALIFIER_DASH["target"]]
        ),
        title=None,
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("t:Q", title="Rare-earth magnets (t/yr)"),
            color=colour,
            strokeDash=dash,
            tooltip=tooltip(
                year_tooltip(),
                alt.Tooltip("covered_pct:Q", title="Demand covered (%)", format=".1f"),
            ),
        )
    )
    labels = (
        alt.Chart(data[data["series"] == OUTPUT_SERIES])
        .mark_text(dy=-10, color=ROLE_COLOURS["target"])
        .encode(x=x, y="t:Q", text="covered_text:N")
    )
    return lines, labels


def demand_coverage_chart(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    target: MagnetTarget,
    base: DemandBase,
    base_note: str,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return projected rare-earth magnet demand (t/yr) against domestic output (t/yr),
    labelled with the share of demand covered (%) each year.

    ``coverage`` is ``analysis.imports.demand_coverage`` output; demand is dotted (a
    projection), domestic output dashed (a ramp to a target). ``base_note`` is the demand
    base in words (``narrative.imports.base_note``).
    """
    goal = claim(target.fact_id, facts, sources)
    data = coverage_data(coverage, growth_rate_pct_per_yr, base, goal)
    note = coverage_note(base_note, growth_rate_pct_per_yr)
    return alt.layer(*_coverage_layers(data)).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(
            coverage_title(coverage, growth_rate_pct_per_yr),
            [goal["source_id"]],
            note=note,
            sources=sources,
        ),
    )
