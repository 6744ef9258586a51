"""The scenario comparison's chart: the neodymium each scenario's ramp needs, year by year,
against IREL's output, with the one year the scenarios are read at marked.

It takes ``analysis.scenarios``' outcomes and the sources table; its title, note and data
come from ``narrative.scenarios``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.analysis.scenarios import ScenarioOutcomes
from magnet_watch.charts.theme import (
    HEIGHT_PX,
    ROLE_COLOURS,
    SOURCE_PALETTE,
    WIDTH_PX,
    finding_title,
    year_tooltip,
)
from magnet_watch.narrative.scenarios import (
    IREL_SERIES,
    need_chart_note,
    need_chart_rows,
    need_chart_title,
)

# One colour per scenario, in the scenarios' order: colours of the Okabe-Ito palette (the
# theme's SOURCE_PALETTE) far apart for three scenarios (reddish purple, blue, vermillion,
# then orange, black, sky blue), never its green, which IREL's output keeps.
SCENARIO_COLOURS = [SOURCE_PALETTE[i] for i in (5, 0, 4, 3, 7, 1)]


def scenario_need_chart(
    outcomes: ScenarioOutcomes, source_ids: list[str], sources: pd.DataFrame
) -> alt.LayerChart:
    """Return the neodymium each scenario needs (a line per scenario) against IREL's output
    (an error bar each year, its range), with a rule at the year the scenarios are read at."""
    data = need_chart_rows(outcomes)
    names = list(outcomes.cases)
    x = alt.X("year:O", title="Year")
    y_title = "Neodymium (t/yr)"
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=[*names, IREL_SERIES],
            range=[
                *(SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(names))),
                ROLE_COLOURS["planned"],
            ],
        ),
    )
    tips = [year_tooltip(), alt.Tooltip("series:N", title="Series")]
    tips.append(alt.Tooltip("value_text:N", title="Value"))
    is_irel = alt.datum.series == IREL_SERIES
    band = (
        alt.Chart()
        .transform_filter(is_irel)
        .mark_errorbar(ticks=True, thickness=3)
        .encode(x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q", color=colour)
    )
    irel_tips = (
        alt.Chart()
        .transform_filter(is_irel)
        .mark_point(opacity=0, size=200)
        .encode(x=x, y="high:Q", tooltip=tips)
    )
    lines = (
        alt.Chart()
        .transform_filter(alt.datum.series != IREL_SERIES)
        .mark_line(point=True)
        .encode(x=x, y=alt.Y("high:Q", title=y_title), color=colour, tooltip=tips)
    )
    year = pd.DataFrame(
        {"year": [outcomes.quote_year], "label": [f"read at {outcomes.quote_year}"]}
    )
    rule = alt.Chart(year).mark_rule(strokeDash=[4, 4], color="#555555").encode(x=x)
    label = (
        alt.Chart(year)
        .mark_text(align="left", dx=4, dy=-4, baseline="bottom", color="#555555")
        .encode(x=x, y=alt.value(HEIGHT_PX), text="label:N")
    )
    # The need and IREL's output are one dataset (the page's "show the data" table lists it).
    return alt.layer(band, irel_tips, lines, rule, label, data=data).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(
            need_chart_title(outcomes),
            source_ids,
            note=need_chart_note(outcomes),
            sources=sources,
        ),
    )
