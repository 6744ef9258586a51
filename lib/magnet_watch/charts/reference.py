"""Charts and the styled table of the USGS reference and the claims check.

Built on the shared theme and helpers of ``magnet_watch.charts``: the title states
the finding (words from ``narrative.claims``), the subtitle names the sources (the USGS
reference by its origin record, from the ``data.usgs.UsgsReference`` the caller loaded;
the documents through ``source_caption``), axes carry units, qualifiers stay visible, and tooltips carry the figure, its source and
the source's note or quote. ``notebook.claims_section`` shows them all in a notebook.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.analysis.checks.claims_check import (
    DEFAULT_REFERENCE_YEAR,
    short_citation,
)
from magnet_watch.charts.theme import (
    ROLE_COLOURS,
    caption_lines,
    qualifier_shape,
    source_caption,
    title_lines,
)
from magnet_watch.data.lookups import OPEN_ABOVE, OPEN_BELOW, project_vocabulary
from magnet_watch.data.usgs import UsgsReference
from magnet_watch.narrative.claims import (
    claims_table,
    india_shares_title,
    reference_caption,
    reference_table_caption,
    share_text,
    verdicts_title,
    world_shares_note,
    world_shares_title,
)

INDIA = "India"
NOT_AVAILABLE = "not available"  # a figure the edition prints as NA: words, never 0
# Where a share's words sit: after its bar, or at the axis when there is no figure (the data
# keep the share empty; only the drawing places the words).
LABEL_X = "isValid(datum.share_pct) ? datum.share_pct : 0"
HIGHLIGHT_COLOUR = ROLE_COLOURS["target"]  # India stands out in the theme's warm colour
OTHER_COLOUR = "#bbbbbb"
VERDICT_COLOURS = {
    "agree": "#009E73",
    "close": "#E69F00",
    "disagree": "#D55E00",
    "not comparable": "#999999",
}
# The claims the India chart draws, by metric and subject (never by their display text).
INDIA_SHARE_METRICS = {"reserves": "reserves_share", "mine_production": "mining_share"}


def _title(
    finding: str,
    usgs: UsgsReference,
    note: str | None = None,
    source_ids=(),
    sources: pd.DataFrame | None = None,
) -> alt.TitleParams:
    lines = caption_lines(note) if note else []
    lines += caption_lines(reference_caption(usgs.origin))
    if source_ids:
        lines += caption_lines(source_caption(source_ids, sources))
    return alt.TitleParams(text=title_lines(finding), subtitle=lines)


def shares_frame(usgs: UsgsReference, year: int) -> pd.DataFrame:
    """Return the shares of world mine production (``year``) and reserves, one row per country.

    Columns: panel, country, value_t_reo, share_pct, share_text, rank, is_india,
    world_total_t_reo, world_qualifier, note. Production: "Other countries" and countries
    without a figure are left out. Reserves: a country the edition prints as "not available"
    is kept, with a NaN share (no bar) and the words "not available" (with its footnote in the
    tooltip), never as 0; "Other countries" is left out.
    """
    parts = []
    for measure, label, y in (
        ("mine_production", f"Mine production {year}", year),
        ("reserves", "Reserves", None),
    ):
        shares = usgs.world_shares(measure, y)
        keep = shares["value_t_reo"].notna()
        if measure == "reserves":
            keep |= shares["row_kind"] == "country"  # a country without a figure: not available
        shares = shares[keep].copy()
        shares["panel"] = label
        parts.append(shares)
    frame = pd.concat(parts, ignore_index=True)
    frame["is_india"] = frame["country"] == INDIA
    frame["share_text"] = [
        NOT_AVAILABLE if pd.isna(v) else share_text(v) for v in frame["share_pct"]
    ]
    frame["note"] = frame["note"].fillna("")
    columns = [
        "panel",
        "country",
        "value_t_reo",
        "share_pct",
        "share_text",
        "rank",
        "is_india",
        "world_total_t_reo",
        "world_qualifier",
        "note",
    ]
    return frame[columns]


def world_shares_chart(usgs: UsgsReference, year: int = DEFAULT_REFERENCE_YEAR) -> alt.HConcatChart:
    """Return bars of each country's share of world mine production and of reserves, India highlighted.

    Shares are percent of the edition's rounded world total (t REO); the reserves total is a
    lower bound ("more than"), so those shares are upper bounds. Reserves the edition prints
    as not available are shown in words, without a bar.
    """
    data = shares_frame(usgs, year)
    india = data[data["is_india"]].set_index("panel")["share_pct"]
    production_label = f"Mine production {year}"
    finding = world_shares_title(
        india["Reserves"], india[production_label], year, usgs.origin["short"]
    )
    reserves = data[data["panel"] == "Reserves"]
    missing = list(reserves.loc[reserves["share_pct"].isna(), "country"])
    note = world_shares_note(float(reserves["world_total_t_reo"].iloc[0]), missing)
    panels = []
    for label in (production_label, "Reserves"):
        part = data[data["panel"] == label]
        base = (
            alt.Chart(part, title=label)
            .transform_calculate(label_x=LABEL_X)
            .encode(
                y=alt.Y(
                    "country:N",
                    sort=alt.EncodingSortField("label_x", order="descending"),
                    title=None,
                ),
                x=alt.X("share_pct:Q", title="Share of world total (%)"),
            )
        )
        bars = base.mark_bar().encode(
            color=alt.condition(
                alt.datum.is_india, alt.value(HIGHLIGHT_COLOUR), alt.value(OTHER_COLOUR)
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("share_text:N", title="Share of world total"),
                alt.Tooltip("value_t_reo:Q", title="Tonnes REO", format=",.0f"),
                alt.Tooltip("world_total_t_reo:Q", title="World total (t REO)", format=",.0f"),
                alt.Tooltip("world_qualifier:N", title="World total is"),
                alt.Tooltip("note:N", title="USGS note"),
            ],
        )
        labels = base.mark_text(align="left", dx=3).encode(
            x=alt.X("label_x:Q"),
            text="share_text:N",
            tooltip=[
                alt.Tooltip("share_text:N", title="Share"),
                alt.Tooltip("note:N", title="USGS note"),
            ],
        )
        panels.append((bars + labels).properties(width=240, height=300))
    return alt.hconcat(*panels, title=_title(finding, usgs, note))


def india_bar_data(usgs: UsgsReference, year: int) -> pd.DataFrame:
    """Return India's USGS shares (%) of world reserves and of mine production in ``year``.

    Columns: measure (the axis label), share_pct (NaN when the edition prints the figure as not
    available), share_text ("not available" then), note (the
    edition's footnote), source (the edition's name, from its origin record).
    """
    rows = []
    for measure, label, y in india_measures(year):
        row = usgs.country_figure(INDIA, measure, y)
        share = float(row["share_pct"])
        rows.append(
            {
                "measure": label,
                "share_pct": share,
                "share_text": NOT_AVAILABLE if pd.isna(share) else share_text(share),
                "note": str(row["note"]),
                "source": short_citation(usgs.origin),
            }
        )
    return pd.DataFrame(rows)


def india_measures(year: int) -> list[tuple[str, str, int | None]]:
    """Return (USGS measure, axis label, year) of the India chart's two rows, in order."""
    return [
        ("reserves", "Share of world reserves", None),
        ("mine_production", f"Share of world mine production {year}", year),
    ]


def india_claim_data(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the documents' claims of India's reserves and mining shares (selected by metric
    and subject), with where each mark sits and its shape, for the India chart."""
    vocab = project_vocabulary()
    labels = {INDIA_SHARE_METRICS[m]: label for m, label, _ in india_measures(year)}
    claims = table[table["metric"].isin(list(labels)) & (table["subject"] == INDIA)].copy()
    claims["measure"] = claims["metric"].map(labels)
    claims["qualifier_shape"] = [qualifier_shape(q, vocab) for q in claims["claim_qualifier"]]
    # The mark sits where the document puts its number: "less than 1%" at 1, pointing down.
    bound = claims["claim_qualifier"].map(vocab.qualifier_bound)
    claims["claim_mark"] = (claims["claim_low"] + claims["claim_high"]) / 2
    claims.loc[bound == OPEN_BELOW, "claim_mark"] = claims["claim_high"]
    claims.loc[bound == OPEN_ABOVE, "claim_mark"] = claims["claim_low"]
    return claims[
        [
            "measure",
            "claim",
            "claim_low",
            "claim_high",
            "claim_mark",
            "claim_source",
            "quote",
            "verdict",
            "qualifier_shape",
            "claim_source_id",
        ]
    ].assign(verdict=lambda f: f["verdict"].astype(str))


def _india_layers(bar_data: pd.DataFrame, claims: pd.DataFrame, order: list[str]):
    y = alt.Y("measure:N", title=None, sort=order, axis=alt.Axis(labelLimit=400))
    x_title = "Share of world total (%)"
    bar_layer = (
        alt.Chart(bar_data)
        .mark_bar(color=HIGHLIGHT_COLOUR, opacity=0.7, height=28)
        .encode(
            y=y,
            x=alt.X("share_pct:Q", title=x_title),
            tooltip=[
                alt.Tooltip("share_text:N", title="USGS share"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    claim_tooltip = [
        alt.Tooltip("claim:N", title="Claim (as written)"),
        alt.Tooltip("claim_source:N", title="Source"),
        alt.Tooltip("quote:N", title="Quote"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    interval = (
        alt.Chart(claims)
        .mark_rule(strokeWidth=3, color="#000000")
        .encode(
            y=y, x=alt.X("claim_low:Q", title=x_title), x2="claim_high:Q", tooltip=claim_tooltip
        )
    )
    marks = (
        alt.Chart(claims)
        .mark_point(filled=True, size=120, color="#000000")
        .encode(
            y=y,
            x="claim_mark:Q",
            shape=alt.Shape("qualifier_shape:N", scale=None),
            tooltip=claim_tooltip,
        )
    )
    missing = bar_data[bar_data["share_pct"].isna()]
    words = (
        alt.Chart(missing)
        .transform_calculate(label_x=LABEL_X)
        .mark_text(align="left", dx=3, fontStyle="italic")
        .encode(
            y=y,
            x=alt.X("label_x:Q", title=x_title),
            text="share_text:N",
            tooltip=[
                alt.Tooltip("share_text:N", title="USGS share"),
                alt.Tooltip("note:N", title="USGS note"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    return bar_layer, interval, marks, words


def india_shares_chart(
    table: pd.DataFrame,
    usgs: UsgsReference,
    year: int = DEFAULT_REFERENCE_YEAR,
    *,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return India's share of world reserves against its share of mine production, with the claims.

    Bars: the USGS shares (percent). Error bars and marks: the interval each document's
    claim allows ("about 8%", "less than 1%"), shaped by qualifier. ``table`` is the
    output of ``claims_check``, ``usgs`` the reference it was checked against.
    """
    bar_data = india_bar_data(usgs, year)
    claims = india_claim_data(table, year)
    source_ids = claims.pop("claim_source_id").tolist()
    reserves, production = bar_data.iloc[0], bar_data.iloc[1]
    finding = india_shares_title(
        reserves["share_text"],
        production["share_text"],
        reserves["share_pct"] / production["share_pct"],
        usgs.origin["short"],
    )
    note = (
        "Bars: USGS shares (t REO). Lines and marks: the interval each document's claim allows "
        "(▼ less than, ◆ approximately)."
    )
    layers = _india_layers(bar_data, claims, list(bar_data["measure"]))
    return alt.layer(*layers).properties(
        width=520, height=140, title=_title(finding, usgs, note, source_ids, sources)
    )


def claims_styled_table(table: pd.DataFrame, usgs: UsgsReference):
    """Return a pandas Styler of ``narrative.claims.claims_table`` with the verdict cells
    coloured, no index, captioned with the reference ``usgs``."""
    frame = claims_table(table)

    def colour(verdict: str) -> str:
        return f"background-color: {VERDICT_COLOURS.get(verdict, '#ffffff')}; color: black; font-weight: bold"

    # A fixed uuid keeps the HTML the same from run to run (the report build compares bytes).
    return (
        frame.style.set_uuid("claims_check")
        .hide(axis="index")
        .format(escape="html")
        .map(colour, subset=["Verdict"])
        .set_caption(reference_table_caption(usgs.origin))
        .set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"})
        .set_properties(subset=["Why"], **{"min-width": "16em"})
        .set_properties(subset=["Definitions"], **{"min-width": "12em"})
    )


def verdict_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return the verdict chart's rows: ``narrative.claims.claims_table`` and ``row``, the
    chart's label of each claim ("check: claim (source id)")."""
    return claims_table(table).assign(
        row=lambda f: f["Check"] + ": " + f["Claim"] + " (" + table["claim_source_id"].values + ")"
    )


# A claim's label ("check: claim (source ids)") too long for its axis goes on two lines, the
# source ids on the second: cut at the limit, the ids were lost ("(magnet-scheme-app…"), and
# shortening the label to fit took vl-convert 0.1 s a chart.
VERDICT_LABEL_LIMIT_PX = 700
VERDICT_LABEL_ONE_LINE_CHARS = 100  # at 11 px, about 7 px a character: 700 px


def verdict_axis(**kwargs) -> alt.Axis:
    """Return the y axis of a verdict chart (rows from ``verdict_rows``); ``kwargs`` for Axis."""
    cut = "lastindexof(datum.label, ' (')"
    two_lines = f"[substring(datum.label, 0, {cut}), substring(datum.label, {cut} + 1)]"
    return alt.Axis(
        labelLimit=VERDICT_LABEL_LIMIT_PX,
        labelExpr=f"length(datum.label) > {VERDICT_LABEL_ONE_LINE_CHARS} ? {two_lines} : datum.label",
        **kwargs,
    )


def claims_verdict_chart(
    table: pd.DataFrame, usgs: UsgsReference, sources: pd.DataFrame
) -> alt.Chart:
    """Return the claims check as a chart: one row per claim, coloured by verdict, tooltips with
    both sides; ``usgs`` is the reference the claims were checked against."""
    data = verdict_rows(table)
    ids = [s for ids in table["claim_source_ids"] for s in ids]
    return (
        alt.Chart(data)
        .mark_square(size=220)
        .encode(
            y=alt.Y("row:N", title=None, sort=None, axis=verdict_axis()),
            x=alt.X(
                "Verdict:N",
                title="Verdict against USGS",
                scale=alt.Scale(domain=list(VERDICT_COLOURS)),
            ),
            color=alt.Color(
                "Verdict:N",
                scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip(c, type="nominal")
                for c in (
                    "Claim",
                    "Claim source",
                    "Reference",
                    "Reference source",
                    "Verdict",
                    "Why",
                    "Definitions",
                )
            ],
        )
        .properties(width=360, title=_title(verdicts_title(table), usgs, None, ids, sources))
    )
