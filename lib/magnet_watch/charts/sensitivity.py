"""Charts of the sensitivity notebook: the tornado of swings and the Monte Carlo bands."""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.analysis.sensitivity import OUTCOMES
from magnet_watch.charts.theme import (
    HEIGHT_PX,
    QUALIFIER_DASH,
    ROLE_COLOURS,
    WIDTH_PX,
    finding_title,
)
from magnet_watch.narrative.sensitivity import (
    format_outcome,
    format_outcome_range,
    format_setting,
)
from magnet_watch.text import formats as fmt

TORNADO_PANEL_HEIGHT_PX = 90


def tornado_data(tornado: pd.DataFrame, outcome_year: int) -> pd.DataFrame:
    """Return the tornado's bars: one row per outcome and assumption, with the two ends' labels."""
    data = tornado.copy()
    data["outcome_label"] = [
        OUTCOMES[o][0]
        + ("" if o == "first_shortfall_year" else f" in {outcome_year}")
        + f" ({OUTCOMES[o][1]})"
        for o in data["outcome"]
    ]
    for end in ("low", "high"):
        data[f"setting_{end}"] = [
            format_setting(s, u, short=True)
            for s, u in zip(data[f"setting_{end}"], data["unit"], strict=True)
        ]
        data[f"text_{end}"] = [
            f"{s}: {format_outcome(o, v)}"
            for o, s, v in zip(
                data["outcome"], data[f"setting_{end}"], data[f"value_at_{end}"], strict=True
            )
        ]
    data["left"] = data[["value_at_low", "value_at_high"]].min(axis=1)
    data["right"] = data[["value_at_low", "value_at_high"]].max(axis=1)
    return data


def _panel(data: pd.DataFrame, outcome: str) -> alt.LayerChart:
    rows = data[data["outcome"] == outcome]
    order = list(rows["label"])  # largest swing first
    # Rows are too close for wrapped labels: each assumption's words on one line, never cut.
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    x_title = rows["outcome_label"].iloc[0]
    # Room at both ends for the settings written beside the bars, off the axis labels.
    scale = alt.Scale(zero=False, nice=True, padding=120)
    # A year is counted in whole years: no tick at "2,027.5".
    is_year = OUTCOMES[outcome][1] == "year"
    axis = alt.Axis(format="d", tickMinStep=1) if is_year else alt.Axis()
    tips = [
        alt.Tooltip("label:N", title="Assumption"),
        alt.Tooltip("text_low:N", title="One end"),
        alt.Tooltip("text_high:N", title="Other end"),
    ]
    # The layers share the panel's rows, given once (each alt.Chart(rows) converts them again).
    bars = (
        alt.Chart()
        .mark_bar(color=ROLE_COLOURS["need"], height=14)
        .encode(
            x=alt.X("left:Q", title=x_title, scale=scale, axis=axis),
            x2="right:Q",
            y=y,
            tooltip=tips,
        )
    )
    ticks = alt.Chart().mark_tick(color="black", thickness=2).encode(x="base_value:Q", y=y)
    low = (
        alt.Chart()
        .mark_text(align="right", dx=-4, fontSize=10)
        .encode(x="left:Q", y=y, text="setting_at_left:N")
    )
    high = (
        alt.Chart()
        .mark_text(align="left", dx=4, fontSize=10)
        .encode(x="right:Q", y=y, text="setting_at_right:N")
    )
    return alt.layer(bars, ticks, low, high, data=rows).properties(
        width=WIDTH_PX, height=TORNADO_PANEL_HEIGHT_PX
    )


def tornado_chart(
    tornado: pd.DataFrame, outcome_year: int, source_ids, sources: pd.DataFrame
) -> alt.VConcatChart:
    """Return one tornado panel per quoted outcome: a bar per assumption from the outcome at one
    end of its plausible range to the other, largest swing on top, a tick at the base case."""
    data = tornado_data(tornado, outcome_year)
    at_left = data["value_at_low"] <= data["value_at_high"]
    data["setting_at_left"] = data["setting_low"].where(at_left, data["setting_high"])
    data["setting_at_right"] = data["setting_high"].where(at_left, data["setting_low"])
    gap = data[data["outcome"] == "nd_gap_t_per_yr"].iloc[0]
    finding = (
        f"The low end of the {outcome_year} neodymium gap depends most on {gap['label']}: "
        f"{format_outcome_range('nd_gap_t_per_yr', gap['left'], gap['right'])}"
    )
    note = (
        "Each bar moves one assumption from one end of its plausible range to the other, "
        "the others at the base case (black tick); labels: the setting at each end."
    )
    panels = [_panel(data, o) for o in OUTCOMES if (data["outcome"] == o).any()]
    return alt.vconcat(*panels).properties(
        title=finding_title(finding, source_ids, note=note, sources=sources)
    )


def _base_lines(base_gap: pd.DataFrame) -> pd.DataFrame:
    """The base case's need and IREL's output (t/yr) by year, in long form with their text."""
    lines = pd.concat(
        [
            pd.DataFrame(
                {
                    "year": base_gap["year"],
                    "series": "need, base case",
                    "t": base_gap["nd_needed_t_per_yr"],
                }
            ),
            pd.DataFrame(
                {
                    "year": base_gap["year"],
                    "series": "IREL output (stated or planned, high end)",
                    "t": base_gap["irel_nd_high_t_per_yr"],
                }
            ),
        ],
        ignore_index=True,
    )
    lines["text"] = [f"{fmt.tonnes_a_year(v)}" for v in lines["t"]]
    return lines


def _band_need(band: pd.DataFrame, band_pct: float, draws: int) -> pd.DataFrame:
    """The band's neodymium need by year, named for its legend, with its text."""
    need = band[band["quantity"] == "nd_need_t_per_yr"].copy()
    need["series"] = f"central {band_pct:g}% of {draws:,} draws"
    need["text"] = [
        f"{fmt.tonnes_a_year_range(lo, hi)} (median {fmt.count(m)})"
        for lo, m, hi in zip(need["low"], need["median"], need["high"], strict=True)
    ]
    return need


def band_chart(
    band: pd.DataFrame,
    base_gap: pd.DataFrame,
    band_pct: float,
    draws: int,
    source_ids,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return the Monte Carlo band of the neodymium need (t/yr) by year, with the base case and
    IREL's output. ``band`` is ``sensitivity.band`` output; ``base_gap`` is ``capacity.nd_gap``."""
    need = _band_need(band, band_pct, draws)
    lines = _base_lines(base_gap)
    x = alt.X("year:O", title="Year")
    y_title = "Neodymium (t/yr)"
    domain = [
        need["series"].iloc[0],
        "need, base case",
        "IREL output (stated or planned, high end)",
    ]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=domain,
            range=[ROLE_COLOURS["gap"], ROLE_COLOURS["need"], ROLE_COLOURS["planned"]],
        ),
    )
    area = (
        alt.Chart(need)
        .mark_area(opacity=0.35)
        .encode(
            x=x,
            y=alt.Y("low:Q", title=y_title),
            y2="high:Q",
            color=colour,
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("text:N", title="Band")],
        )
    )
    dash = alt.StrokeDash(
        "series:N",
        legend=None,
        scale=alt.Scale(domain=domain[1:], range=[[1, 0], QUALIFIER_DASH["planned"]]),
    )
    line = (
        alt.Chart(lines)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("t:Q", title=y_title),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("text:N", title="Value"),
            ],
        )
    )
    last = need.iloc[-1]
    finding = (
        f"By {fmt.year(last['year'])} the need lies at "
        f"{fmt.tonnes_a_year_range(last['low'], last['high'])} in {band_pct:g}% of the draws"
    )
    note = (
        "Every assumption drawn at once, uniformly over its plausible range; IREL's output "
        "as the documents state or plan it."
    )
    return alt.layer(area, line).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(finding, source_ids, note=note, sources=sources),
    )
