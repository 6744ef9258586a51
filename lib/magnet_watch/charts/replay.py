"""The overview's Replay control: the headline figures as they stood on each date the record
changed, picked by a dropdown labelled with the date in words, drawn from figures computed at
build time (``notebook.replay``), so the page works from disk with no kernel and no network.
The dates run along a strip below the figures, the chosen one marked. Like every explorer its
control is a Vega-Lite parameter, so the page keeps its state in its address.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from magnet_watch.charts.explorers import CASE_PARAM, headline_panel
from magnet_watch.charts.theme import WIDTH_PX

REPLAY_PARAM = "p_as_of"
REPLAY_LABEL = "The record as it stood on "


def _strip(days: list[str], words: list[str]) -> alt.LayerChart:
    """The dates along a time axis, the one chosen marked larger and darker."""
    data = pd.DataFrame({"day": days, "words": words, "case": range(len(days))})
    base = alt.Chart(data).encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
        tooltip=[alt.Tooltip("words:N", title="Record changed on")],
    )
    chosen = f"datum.case === {CASE_PARAM}"
    dots = base.mark_circle().encode(
        size=alt.condition(chosen, alt.value(220), alt.value(60)),
        color=alt.condition(chosen, alt.value("#1f3b73"), alt.value("#9aa7bd")),
    )
    return alt.layer(dots).properties(width=WIDTH_PX, height=40)


def replay_chart(headlines: pd.DataFrame, days: list[str], words: list[str]) -> alt.VConcatChart:
    """Return the Replay chart: ``headlines`` (figure, value, period per case, the position of
    its date in ``days``) over the strip of ``days`` (ISO), the dropdown's labels ``words``;
    it starts at the last date, the page's own as-of date."""
    heads = headlines.copy()
    heads["order"] = heads.groupby("case").cumcount()
    control = alt.param(
        name=REPLAY_PARAM,
        value=days[-1],
        bind=alt.binding_select(options=days, labels=words, name=REPLAY_LABEL),
    )
    case = alt.param(name=CASE_PARAM, expr=f"indexof({json.dumps(days)}, {REPLAY_PARAM})")
    title = alt.TitleParams(
        text="Replay: the headline figures as they stood on each date the record changed",
        subtitle=["Pick a date: every figure is the library's own, computed as of that date."],
    )
    panel = headline_panel(heads[["case", "figure", "value", "period", "order"]])
    return alt.vconcat(panel, _strip(days, words)).add_params(control, case).properties(title=title)
