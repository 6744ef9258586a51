"""Explorer charts: figures precomputed over a grid, picked by controls that work with no kernel.

The controls are Vega-Lite parameters bound to HTML inputs (a slider, a dropdown, a
checkbox); every layer filters the grid tables on them, so a report page opened from disk
redraws with the figures the Python model computed at build time. The headline panel is a
chart of text marks driven by the same parameters. At the controls' defaults the chart shows
the report's own case, so its static SVG (what a page shows without JavaScript) is that case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import altair as alt
import pandas as pd

from magnet_watch.charts.reference import VERDICT_COLOURS, verdict_axis
from magnet_watch.charts.theme import (
    FONT,
    HEIGHT_PX,
    QUALIFIER_DASH,
    ROLE_COLOURS,
    WIDTH_PX,
    finding_title,
    source_colours,
)
from magnet_watch.narrative.explorers import headline_lines

# A nullable parameter's "from the facts" case sits in its grid column as this value, which
# JSON keeps (unlike NaN) and no real value of a number, a year or a shape can take.
FROM_FACTS = "from the facts"


@dataclass(frozen=True)
class Control:
    """One input on an explorer: ``kind`` is "range" (slider: ``low``, ``high``, ``step``),
    "select" (dropdown: ``options``) or "checkbox". ``column`` is the grid column it picks;
    a checkbox with a ``column`` of a nullable parameter picks its FROM_FACTS rows when ticked
    and its slider's (``partner``) value when not."""

    name: str
    kind: str
    label: str
    default: object
    column: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    options: tuple = ()
    partner: str | None = None
    labels: tuple = ()  # a dropdown's options in words (the parameter's choice_labels)

    def param(self) -> alt.Parameter:
        """Return the Vega-Lite parameter bound to this control's input."""
        if self.kind == "range":
            bind = alt.binding_range(min=self.low, max=self.high, step=self.step, name=self.label)
        elif self.kind == "select":
            words = {"labels": list(self.labels)} if self.labels else {}
            bind = alt.binding_select(options=list(self.options), name=self.label, **words)
        elif self.kind == "checkbox":
            bind = alt.binding_checkbox(name=self.label)
        else:
            raise ValueError(f"control {self.name!r}: unknown kind {self.kind!r}")
        return alt.param(name=self.name, value=self.default, bind=bind)


CASE_PARAM = "p_case"


def _index_expression(control: Control, values: list, by_name: dict[str, Control]) -> str:
    """Return the Vega expression of the position, in its axis, of the value a control picks."""
    if control.kind == "select":
        return f"indexof({json.dumps(list(values))}, {control.name})"
    index = f"round(({control.name} - {control.low}) / {control.step})"
    checkbox = next((c for c in by_name.values() if c.partner == control.name), None)
    if checkbox is not None:  # FROM_FACTS is the axis's last value
        return f"({checkbox.name} ? {len(values) - 1} : {index})"
    return index


def case_parameter(controls: list[Control], axes: dict[str, list]) -> alt.Parameter:
    """Return the parameter holding the grid case the controls pick: its ``case`` number in
    ``analysis.grid.grid_points`` order (the last axis fastest)."""
    by_name = {c.name: c for c in controls}
    pickers = {c.column: c for c in controls if c.kind != "checkbox"}
    terms, stride = [], 1
    for column in reversed(list(axes)):
        terms.append(f"{stride} * {_index_expression(pickers[column], axes[column], by_name)}")
        stride *= len(axes[column])
    return alt.param(name=CASE_PARAM, expr=" + ".join(reversed(terms)))


KEEP_CASE = f"datum.case === {CASE_PARAM}"


def _picker(controls: list[Control], column: str) -> Control:
    """Return the slider or dropdown that picks grid column ``column``."""
    return next(c for c in controls if c.column == column and c.kind != "checkbox")


def headline_panel(headlines: pd.DataFrame) -> alt.Chart:
    """Return the headline figures as text lines ("figure: value (period)") for the chosen case.

    ``headlines`` has case, the grid columns and figure, value, period, order (line number).
    A headline too long for one line takes two (``narrative.explorers.headline_lines``).
    """
    data = headlines.drop(columns=["figure", "value", "period"])
    data["line"] = [
        headline_lines(f, v, p)
        for f, v, p in zip(
            headlines["figure"], headlines["value"], headlines["period"], strict=True
        )
    ]
    data = data.explode("line", ignore_index=True)
    data["order"] = data.groupby("case").cumcount()
    lines = int(data["order"].max()) + 1
    return (
        alt.Chart(data)
        .transform_filter(KEEP_CASE)
        .mark_text(align="left", baseline="middle", font=FONT, fontSize=13, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.Y("order:O", axis=None), text="line:N")
        .properties(width=WIDTH_PX, height=22 * lines)
    )


def explorer_chart(
    headlines: pd.DataFrame,
    series: alt.LayerChart | alt.Chart,
    controls: list[Control],
    axes: dict[str, list],
    what: str,
    source_ids,
    sources: pd.DataFrame,
    note: str | None = None,
) -> alt.VConcatChart:
    """Return the explorer: the headline panel over ``series`` (layers already filtered with
    ``KEEP_CASE``), the controls bound once, for the whole chart, titled "Explore the
    assumptions: ``what``" over its sources (``note``: a line before them)."""
    # The grid in words is not in the subtitle: the page states it right below the chart (and
    # drawing its four lines took vl-convert a sixth of the capacity explorer's time).
    title = finding_title(
        f"Explore the assumptions: {what}", source_ids, note=note, sources=sources
    )
    return (
        alt.vconcat(headline_panel(headlines), series)
        .add_params(*[c.param() for c in controls], case_parameter(controls, axes))
        .properties(title=title)
    )


def capacity_explorer_chart(
    tables: dict[str, pd.DataFrame],
    controls: list[Control],
    axes: dict,
    source_ids,
    sources: pd.DataFrame,
) -> alt.VConcatChart:
    """Return the capacity explorer: the neodymium need (t/yr) against IREL's output, by year,
    for the case the controls pick. ``tables`` come from ``notebook.explorer_grid.grid_tables``, with
    "irel" (IREL's output by year, the same in every case) beside them."""
    base = alt.Chart(tables["series"]).transform_filter(KEEP_CASE)
    x = alt.X("year:O", title="Year")
    y = alt.Y("nd_needed_t_per_yr:Q", title="Neodymium (t/yr)")
    need = base.mark_line(
        color=ROLE_COLOURS["need"], point=alt.OverlayMarkDef(color=ROLE_COLOURS["need"])
    ).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("nd_needed_t_per_yr:Q", title="Nd needed (t/yr)", format=",.0f"),
        ],
    )
    # IREL's output is stored once for every year (``tables["irel"]``), drawn to the target year.
    until_target = f"datum.year <= {_picker(controls, 'target_year').name}"
    supply = alt.Chart(tables["irel"]).transform_filter(until_target)
    irel = supply.mark_area(color=ROLE_COLOURS["planned"], opacity=0.25).encode(
        x=x, y="irel_nd_low_t_per_yr:Q", y2="irel_nd_high_t_per_yr:Q"
    )
    irel_line = supply.mark_line(
        color=ROLE_COLOURS["planned"], strokeDash=QUALIFIER_DASH["planned"]
    ).encode(
        x=x,
        y="irel_nd_high_t_per_yr:Q",
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip(
                "irel_nd_high_t_per_yr:Q", title="IREL output, high end (t/yr)", format=",.0f"
            ),
        ],
    )
    series = alt.layer(irel, irel_line, need).properties(width=WIDTH_PX, height=HEIGHT_PX)
    what = "neodymium needed against IREL's planned output"
    return explorer_chart(tables["headlines"], series, controls, axes, what, source_ids, sources)


def imports_explorer_chart(
    tables: dict[str, pd.DataFrame],
    controls: list[Control],
    axes: dict,
    source_ids,
    sources: pd.DataFrame,
    note: str,
) -> alt.VConcatChart:
    """Return the imports explorer: projected rare-earth magnet demand (t/yr) against domestic
    output (t/yr), by year, for the case the controls pick; ``note`` says where the demand
    base comes from."""
    base = alt.Chart(tables["series"]).transform_filter(KEEP_CASE)
    x = alt.X("year:O", title="Year")
    tips = [
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("demand_t:Q", title="Demand (t)", format=",.0f"),
        alt.Tooltip("magnet_output_t_per_yr:Q", title="Domestic output (t/yr)", format=",.0f"),
        alt.Tooltip("covered_pct:Q", title="Demand covered (%)", format=".1f"),
    ]
    demand = base.mark_line(
        color=ROLE_COLOURS["projected"], point=True, strokeDash=QUALIFIER_DASH["projected"]
    ).encode(x=x, y=alt.Y("demand_t:Q", title="Rare-earth magnets (t/yr)"), tooltip=tips)
    output = base.mark_line(
        color=ROLE_COLOURS["target"], point=True, strokeDash=QUALIFIER_DASH["target"]
    ).encode(x=x, y="magnet_output_t_per_yr:Q", tooltip=tips)
    series = alt.layer(demand, output).properties(width=WIDTH_PX, height=HEIGHT_PX)
    what = "projected rare-earth magnet demand against domestic output"
    return explorer_chart(
        tables["headlines"], series, controls, axes, what, source_ids, sources, note
    )


def _year_marker(band: alt.Chart, x: alt.X, controls: list[Control]) -> list[alt.Chart]:
    """The year the explorer's figures are quoted at, marked on the chart where the reader's
    control sets it (a rule and "figures at <year>"); none without an ``outcome_year`` control."""
    year = next((c for c in controls if c.column == "outcome_year"), None)
    if year is None:
        return []
    at = band.transform_filter(f"datum.year == {year.name}")
    rule = at.mark_rule(strokeDash=[4, 3], color=ROLE_COLOURS["target"], aria=False).encode(x=x)
    label = (
        at.transform_calculate(label="'figures at ' + datum.year")
        .mark_text(align="left", dx=4, color=ROLE_COLOURS["target"], aria=False)
        .encode(x=x, y=alt.value(8), text="label:N")
    )
    return [rule, label]


def band_explorer_chart(
    tables: dict[str, pd.DataFrame],
    base_gap: pd.DataFrame,
    controls: list[Control],
    axes: dict,
    source_ids,
    sources: pd.DataFrame,
) -> alt.VConcatChart:
    """Return the sensitivity explorer: the Monte Carlo band of the neodymium need (t/yr, low to
    high, and its median) for the case the controls pick, over the base case's need and IREL's
    output (``base_gap``: ``capacity.nd_gap``, the same in every case, so stored once), with
    the year the figures are quoted at marked where the year's control sets it."""
    band = alt.Chart(tables["series"]).transform_filter(KEEP_CASE)
    x = alt.X("year:O", title="Year")
    y_title = "Neodymium (t/yr)"
    area = band.mark_area(color=ROLE_COLOURS["gap"], opacity=0.35).encode(
        x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q"
    )
    median = band.mark_line(
        color=ROLE_COLOURS["gap"], point=alt.OverlayMarkDef(color=ROLE_COLOURS["gap"])
    ).encode(
        x=x,
        y="median:Q",
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("median:Q", title="Median of the draws (t/yr)", format=",.0f"),
            alt.Tooltip("low:Q", title="Band, low end (t/yr)", format=",.0f"),
            alt.Tooltip("high:Q", title="Band, high end (t/yr)", format=",.0f"),
        ],
    )
    lines = alt.Chart(base_gap[["year", "nd_needed_t_per_yr", "irel_nd_high_t_per_yr"]])
    need = lines.mark_line(color=ROLE_COLOURS["need"]).encode(x=x, y="nd_needed_t_per_yr:Q")
    irel = lines.mark_line(
        color=ROLE_COLOURS["planned"], strokeDash=QUALIFIER_DASH["planned"]
    ).encode(x=x, y="irel_nd_high_t_per_yr:Q")
    layers = [area, need, irel, median, *_year_marker(band, x, controls)]
    series = alt.layer(*layers).properties(width=WIDTH_PX, height=HEIGHT_PX)
    what = "the band of the draws against the base case and IREL's planned output"
    return explorer_chart(tables["headlines"], series, controls, axes, what, source_ids, sources)


def verdicts_explorer_chart(
    tables: dict[str, pd.DataFrame],
    controls: list[Control],
    axes: dict,
    source_ids,
    sources: pd.DataFrame,
) -> alt.VConcatChart:
    """Return the claims-check explorer: one row per claim, its verdict against the reference
    (coloured as in ``reference.claims_verdict_chart``) for the case the controls pick."""
    verdicts = list(VERDICT_COLOURS)
    colour = alt.Color(
        "Verdict:N",
        legend=None,
        scale=alt.Scale(domain=verdicts, range=list(VERDICT_COLOURS.values())),
    )
    series = (
        alt.Chart(tables["series"])
        .transform_filter(KEEP_CASE)
        .mark_square(size=220)
        .encode(
            y=alt.Y("row:N", title=None, sort=None, axis=verdict_axis(orient="right")),
            x=alt.X("Verdict:N", title="Verdict", scale=alt.Scale(domain=verdicts)),
            color=colour,
            tooltip=[
                alt.Tooltip(c, type="nominal") for c in ("row", "Reference", "Verdict", "Why")
            ],
        )
        .properties(width=360)
    )
    what = "each claim's verdict against USGS"
    return explorer_chart(tables["headlines"], series, controls, axes, what, source_ids, sources)


# The y labels of these explorers go on the right: on the left they would push the headline
# panel above (aligned with the plot, not the labels) off the page.


def processing_explorer_chart(
    tables: dict[str, pd.DataFrame],
    controls: list[Control],
    axes: dict,
    source_ids,
    sources: pd.DataFrame,
) -> alt.VConcatChart:
    """Return the market explorer: each source's claim of China's processing share (%) and the
    interval its wording allows (as ``market.processing_share_chart`` draws them) for the case
    the controls pick."""
    base = alt.Chart(tables["series"]).transform_filter(KEEP_CASE)
    palette = source_colours(sources)
    colour = alt.Color(
        "source_id:N",
        legend=None,
        scale=alt.Scale(domain=list(palette), range=list(palette.values())),
    )
    y = alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=360, orient="right"))
    x = alt.X(
        "bound_low:Q",
        title="China's share of world rare-earth processing (%)",
        scale=alt.Scale(domain=[50, 100]),
    )
    allowed = base.mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=x, x2="bound_high:Q", y=y, color=colour
    )
    points = base.mark_point(size=160, filled=True).encode(
        x=alt.X("low:Q"),
        y=y,
        color=colour,
        shape=alt.Shape("shape:N", scale=None),
        tooltip=[
            alt.Tooltip("label:N", title="Claim"),
            alt.Tooltip("bound_low:Q", title="Allowed from (%)", format=".2f"),
            alt.Tooltip("bound_high:Q", title="Allowed to (%)", format=".2f"),
        ],
    )
    series = alt.layer(allowed, points).properties(width=WIDTH_PX)
    what = "the range each source's wording allows"
    return explorer_chart(tables["headlines"], series, controls, axes, what, source_ids, sources)
