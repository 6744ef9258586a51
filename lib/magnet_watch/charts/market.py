"""The market-share notebook's charts: magnet production shares, processing claims, reserves.

The title's finding comes from ``narrative.market``; sources are coloured by
``theme.source_colours`` (the order of sources.csv), so a new source gets its own colour.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.charts.theme import (
    QUALIFIER_MARK_NOTE,
    ROLE_COLOURS,
    WIDTH_PX,
    claim,
    claim_rows,
    finding_title,
    source_colours,
    tooltip,
)
from magnet_watch.constants import pct_to_fraction
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.lookups import claim_bounds
from magnet_watch.narrative.market import (
    market_share_title,
    processing_note,
    processing_title,
    reserves_title,
    usgs_reserves_words,
)

RESERVES_WHAT = {"reserves_share": "world reserves", "mining_share": "world mining"}


def market_share_data(
    split: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """Return the magnet-share split as chart data: the split's columns with fact_ids written
    out for reading, and each row's source(s), quote(s) and first source_id."""
    claims = [[claim(i, facts, sources) for i in ids] for ids in split["fact_ids"]]
    return split.assign(
        fact_ids=[", ".join(ids) for ids in split["fact_ids"]],
        source=["; ".join(dict.fromkeys(c["source"] for c in cs)) for cs in claims],
        quote=[" / ".join(dict.fromkeys(c["quote"] for c in cs)) for cs in claims],
        source_id=[cs[0]["source_id"] for cs in claims],
    )


def market_share_chart(
    split: pd.DataFrame, named: NamedFacts, facts: pd.DataFrame, sources: pd.DataFrame
) -> alt.LayerChart:
    """Return world magnet production shares (%) of China, Japan and everyone else, ranges as
    error bars. ``split`` is ``analysis.market.magnet_market_split(named)`` output."""
    data = market_share_data(split, facts, sources)
    y = alt.Y("subject:N", sort=list(data["subject"]), title=None)
    x_title = "Share of world magnet production (%)"
    bars = (
        alt.Chart(data)
        .mark_bar(color=ROLE_COLOURS["observed"], opacity=0.8)
        .encode(
            x=alt.X("low_pct:Q", title=x_title, scale=alt.Scale(domain=[0, 100])),
            y=y,
            tooltip=tooltip(alt.Tooltip("how:N", title="How")),
        )
    )
    ranges = (
        alt.Chart(data)
        .mark_errorbar(ticks=True, thickness=2, color="black")
        .encode(x=alt.X("low_pct:Q", title=x_title), x2="high_pct:Q", y=y)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=6)
        .encode(x="high_pct:Q", y=y, text="value_text:N")
    )
    note = "Bars start at the low end of each range; error bars span the range."
    finding = market_share_title(split, named.japan_magnet_share)
    return alt.layer(bars, ranges, labels).properties(
        title=finding_title(finding, data["source_id"], note=note, sources=sources)
    )


def processing_data(
    claims: pd.DataFrame, approx_tolerance_pct: float, sources: pd.DataFrame
) -> pd.DataFrame:
    """Return the processing claims as chart data: ``claim_rows`` plus bound_low/bound_high
    (the interval each wording allows, %), note and label ("over 90% (publisher, date)")."""
    bounds = claim_bounds(claims, approx_tolerance=pct_to_fraction(approx_tolerance_pct))
    data = claim_rows(claims, sources)
    data["bound_low"] = bounds["bound_low"].to_numpy()
    data["bound_high"] = bounds["bound_high"].to_numpy()
    data["note"] = claims["note"].fillna("").to_numpy()
    data["label"] = [f"{v} ({s})" for v, s in zip(data["value_text"], data["source"], strict=True)]
    return data


def processing_share_chart(
    claims: pd.DataFrame, approx_tolerance_pct: float, sources: pd.DataFrame
) -> alt.LayerChart:
    """Return each source's claim of China's share of rare-earth processing (%), side by side.

    One row per source, never averaged, each in its source's colour. The point is the
    stated figure, shaped by its qualifier; the line is the interval the wording allows
    (claim_bounds: "over 90%" runs to 100%, "approximately" is +/- ``approx_tolerance_pct``
    percent of the figure).
    """
    data = processing_data(claims, approx_tolerance_pct, sources)
    overlap = data["bound_low"].max() <= data["bound_high"].min()
    x_min = min(50.0, 10 * (data["bound_low"].min() // 10))
    y = alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=360))
    x_title = "China's share of world rare-earth processing (%)"
    palette = source_colours(sources)
    colour = alt.Color(
        "source_id:N",
        title="Source",
        scale=alt.Scale(domain=list(palette), range=list(palette.values())),
        legend=None,
    )
    allowed = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3, opacity=0.5)
        .encode(
            x=alt.X("bound_low:Q", title=x_title, scale=alt.Scale(domain=[x_min, 100])),
            x2="bound_high:Q",
            y=y,
            color=colour,
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(size=160, filled=True)
        .encode(
            x=alt.X("low:Q", title=x_title),
            y=y,
            color=colour,
            shape=alt.Shape("shape:N", scale=None),
            tooltip=tooltip(alt.Tooltip("note:N", title="Note")),
        )
    )
    finding = processing_title(data["value_text"], overlap)
    note = processing_note(approx_tolerance_pct, QUALIFIER_MARK_NOTE)
    return alt.layer(allowed, points).properties(
        title=finding_title(finding, data["source_id"], note=note, sources=sources),
        width=WIDTH_PX,
    )


def reserves_mining_chart(
    facts: pd.DataFrame, sources: pd.DataFrame, editions: list[dict] | None = None
) -> alt.LayerChart:
    """Return India's share of world rare-earth reserves against its share of mining (%).

    ``facts`` are the reserves-share and mining-share rows, plus optionally reserves-rank
    rows (the rank goes into the title). ``editions`` (``data.usgs.reserves_by_edition``)
    add what USGS says at the page's date under the title, and make the title the documents'
    word when the current edition lists India's reserves as not available. "less than" points down, "approximately" is a
    diamond; each bar runs to the stated figure.
    """
    ranks = facts[facts["metric"] == "reserves_rank"]
    data = claim_rows(facts[facts["metric"].isin(list(RESERVES_WHAT))], sources)
    data["what"] = data["metric"].map(RESERVES_WHAT)
    by = {r["metric"]: r for r in data.to_dict("records")}
    finding = reserves_title(
        by["reserves_share"]["value_text"],
        by["mining_share"]["value_text"],
        ranks["value"],
        editions,
    )
    note = QUALIFIER_MARK_NOTE + (" " + usgs_reserves_words(editions) if editions else "")
    y = alt.Y("what:N", title=None, sort=list(RESERVES_WHAT.values()))
    x = alt.X("high:Q", title="India's share of the world total (%)")
    bars = (
        alt.Chart(data)
        .mark_bar(color=ROLE_COLOURS["observed"], opacity=0.7)
        .encode(x=x, y=y, tooltip=tooltip())
    )
    marks = (
        alt.Chart(data)
        .mark_point(size=140, filled=True, color="black")
        .encode(x="high:Q", y=y, shape=alt.Shape("shape:N", scale=None), tooltip=tooltip())
    )
    labels = (
        alt.Chart(data).mark_text(align="left", dx=10).encode(x="high:Q", y=y, text="value_text:N")
    )
    ids = [*data["source_id"], *ranks["source_id"].astype(str)]
    return alt.layer(bars, marks, labels).properties(
        title=finding_title(finding, ids, note=note, sources=sources),
        width=WIDTH_PX,
    )
