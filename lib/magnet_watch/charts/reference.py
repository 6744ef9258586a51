"""Charts and the styled table of the USGS reference and the claims check.

Built on the shared theme and helpers of ``magnet_watch.charts``: the title states
the finding computed from the data, the subtitle names the sources (the USGS
reference by its origin record; the documents through ``source_caption``), axes
carry units, qualifiers stay visible, and tooltips carry the figure, its source and
the source's note or quote. ``claims_check_section()`` shows the whole claims check
(prose, charts, table) in any notebook.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import display

from magnet_watch.analysis.claims_check import (
    DEFAULT_REFERENCE_YEAR,
    Thresholds,
    claims_check,
    share_text,
    verdict_counts,
    verdict_summary,
)
from magnet_watch.charts.theme import QUALIFIER_SHAPE, ROLE_COLOURS, caption_lines, source_caption
from magnet_watch.data.reference import load_usgs_world, origin, world_shares
from magnet_watch.notebook.display import show_chart, show_findings

INDIA = "India"
HIGHLIGHT_COLOUR = ROLE_COLOURS["target"]  # India stands out in the theme's warm colour
OTHER_COLOUR = "#bbbbbb"
VERDICT_COLOURS = {"agree": "#009E73", "close": "#E69F00", "disagree": "#D55E00",
                   "not comparable": "#999999"}  # fmt: skip


def reference_caption() -> str:
    """Return one line naming the USGS reference: producer, publication, date, URL."""
    record = origin()
    return f"Reference: {record['citation']}, {record['urls'][0]}."


def _title(finding: str, note: str | None = None, source_ids=()) -> alt.TitleParams:
    lines = caption_lines(note) if note else []
    lines += caption_lines(reference_caption())
    if source_ids:
        lines += caption_lines(source_caption(source_ids))
    return alt.TitleParams(text=finding, subtitle=lines)


def shares_frame(world: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the shares of world mine production (``year``) and reserves, one row per country.

    Columns: panel, country, value_t_reo, share_pct, share_text, rank, is_india,
    world_total_t_reo, world_qualifier, note. "Other" and countries without a figure
    are kept with NaN shares only for production; for reserves they are left out.
    """
    parts = []
    for measure, label, y in (("mine_production", f"Mine production {year}", year),
                              ("reserves", "Reserves", None)):  # fmt: skip
        shares = world_shares(world, measure, y)
        shares = shares[shares["value_t_reo"].notna()].copy()
        shares["panel"] = label
        parts.append(shares)
    frame = pd.concat(parts, ignore_index=True)
    frame["is_india"] = frame["country"] == INDIA
    frame["share_text"] = frame["share_pct"].map(share_text)
    frame["note"] = frame["note"].fillna("")
    columns = ["panel", "country", "value_t_reo", "share_pct", "share_text", "rank", "is_india",
               "world_total_t_reo", "world_qualifier", "note"]  # fmt: skip
    return frame[columns]


def world_shares_chart(
    world: pd.DataFrame | None = None, year: int = DEFAULT_REFERENCE_YEAR
) -> alt.HConcatChart:
    """Return bars of each country's share of world mine production and of reserves, India highlighted.

    Shares are percent of the source's rounded world total (t REO); the reserves total
    is "more than 90,000,000 t", so those shares are upper bounds.
    """  # fmt: skip
    world = load_usgs_world() if world is None else world
    data = shares_frame(world, year)
    india = data[data["is_india"]].set_index("panel")["share_pct"]
    production_label = f"Mine production {year}"
    finding = (f"India holds {share_text(india['Reserves'])} of world rare-earth reserves "
               f"but mined {share_text(india[production_label])} in {year}")  # fmt: skip
    note = ("Shares of the USGS world total in tonnes of rare-earth oxide (REO): mining, not "
            "processing or magnets. Reserves total is 'more than 90,000,000 t', so reserve shares "
            "are upper bounds; countries with reserves 'not available' are not shown.")  # fmt: skip
    panels = []
    for label in (production_label, "Reserves"):
        part = data[data["panel"] == label]
        base = alt.Chart(part, title=label).encode(
            y=alt.Y("country:N", sort="-x", title=None),
            x=alt.X("share_pct:Q", title="Share of world total (%)"),
        )
        bars = base.mark_bar().encode(
            color=alt.condition(alt.datum.is_india, alt.value(HIGHLIGHT_COLOUR),
                                alt.value(OTHER_COLOUR)),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("share_text:N", title="Share of world total"),
                alt.Tooltip("value_t_reo:Q", title="Tonnes REO", format=",.0f"),
                alt.Tooltip("world_total_t_reo:Q", title="World total (t REO)", format=",.0f"),
                alt.Tooltip("world_qualifier:N", title="World total is"),
                alt.Tooltip("note:N", title="USGS note"),
            ],
        )  # fmt: skip
        labels = base.mark_text(align="left", dx=3).encode(text="share_text:N")
        panels.append((bars + labels).properties(width=240, height=300))
    return alt.hconcat(*panels, title=_title(finding, note))


def india_shares_chart(
    table: pd.DataFrame, world: pd.DataFrame | None = None, year: int = DEFAULT_REFERENCE_YEAR
) -> alt.LayerChart:
    """Return India's share of world reserves against its share of mine production, with the claims.

    Bars: the USGS shares (percent). Error bars and marks: the interval each document's
    claim allows ("about 8%", "less than 1%"), shaped by qualifier. ``table`` is the
    output of ``claims_check``.
    """  # fmt: skip
    world = load_usgs_world() if world is None else world
    measures = {"reserves": ("Share of world reserves", None),
                "mine_production": (f"Share of world mine production {year}", year)}  # fmt: skip
    bars = []
    for measure, (label, y) in measures.items():
        row = world_shares(world, measure, y).set_index("country").loc[INDIA]
        bars.append({"measure": label, "share_pct": float(row["share_pct"]),
                     "share_text": share_text(float(row["share_pct"])),
                     "source": "USGS MCS 2025"})  # fmt: skip
    bar_data = pd.DataFrame(bars)
    claims = table[table["check"].isin(["India's share of world reserves",
                                        "India's share of world mine production"])].copy()  # fmt: skip
    claims["measure"] = claims["check"].map({
        "India's share of world reserves": measures["reserves"][0],
        "India's share of world mine production": measures["mine_production"][0]})  # fmt: skip
    claims["qualifier_shape"] = claims["claim_qualifier"].map(
        lambda q: QUALIFIER_SHAPE.get(q, "circle")
    )
    # The mark sits where the document puts its number: "less than 1%" at 1, pointing down.
    claims["claim_mark"] = (claims["claim_low"] + claims["claim_high"]) / 2
    claims.loc[claims["claim_qualifier"] == "less than", "claim_mark"] = claims["claim_high"]
    claims.loc[claims["claim_qualifier"].isin(["over", "more than"]), "claim_mark"] = claims[
        "claim_low"
    ]
    claims = claims[["measure", "claim", "claim_low", "claim_high", "claim_mark", "claim_source",
                     "quote", "verdict", "qualifier_shape"]].assign(
                         verdict=lambda f: f["verdict"].astype(str))  # fmt: skip
    ratio = bars[0]["share_pct"] / bars[1]["share_pct"]
    finding = (
        f"India's share of world reserves ({bars[0]['share_text']}) is about "
        f"{ratio:.0f} times its share of mine production ({bars[1]['share_text']})"
    )
    note = ("Bars: USGS shares (t REO). Lines and marks: the interval each document's claim allows "
            "(▼ less than, ◆ approximately).")  # fmt: skip
    y = alt.Y("measure:N", title=None, sort=[m[0] for m in measures.values()],
              axis=alt.Axis(labelLimit=400))  # fmt: skip
    x_title = "Share of world total (%)"
    bar_layer = alt.Chart(bar_data).mark_bar(color=HIGHLIGHT_COLOUR, opacity=0.7, height=28).encode(
        y=y, x=alt.X("share_pct:Q", title=x_title),
        tooltip=[alt.Tooltip("share_text:N", title="USGS share"),
                 alt.Tooltip("source:N", title="Source")],
    )  # fmt: skip
    claim_tooltip = [alt.Tooltip("claim:N", title="Claim (as written)"),
                     alt.Tooltip("claim_source:N", title="Source"),
                     alt.Tooltip("quote:N", title="Quote"),
                     alt.Tooltip("verdict:N", title="Verdict")]  # fmt: skip
    interval = (
        alt.Chart(claims)
        .mark_rule(strokeWidth=3, color="#000000")
        .encode(
            y=y, x=alt.X("claim_low:Q", title=x_title), x2="claim_high:Q", tooltip=claim_tooltip
        )
    )
    marks = alt.Chart(claims).mark_point(filled=True, size=120, color="#000000").encode(
        y=y, x="claim_mark:Q", shape=alt.Shape("qualifier_shape:N", scale=None),
        tooltip=claim_tooltip)  # fmt: skip
    sources = table.loc[claims.index, "claim_source_id"].tolist()
    return (bar_layer + interval + marks).properties(
        width=520, height=140, title=_title(finding, note, sources)
    )


def claims_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the claims check as a reader's table: both sides, their sources, verdict, reason."""
    frame = pd.DataFrame({
        "Check": table["check"],
        "Claim": table["claim"],
        "Claim source": table["claim_source"] + " (" + table["claim_period"].astype(str) + ")",
        "Reference": table["reference"],
        "Reference source": table["reference_source"] + " (" + table["reference_period"] + ")",
        "Verdict": table["verdict"].astype(str),
        "Why": table["reason"],
        "Definitions": table["definition_note"],
    })  # fmt: skip
    return frame.reset_index(drop=True)


def claims_styled_table(table: pd.DataFrame):
    """Return a pandas Styler of ``claims_table`` with the verdict cells coloured, no index."""
    frame = claims_table(table)

    def colour(verdict: str) -> str:
        return f"background-color: {VERDICT_COLOURS.get(verdict, '#ffffff')}; color: white; font-weight: bold"

    # A fixed uuid keeps the HTML the same from run to run (the report build compares bytes).
    return (frame.style.set_uuid("claims_check").hide(axis="index").format(escape="html")
            .map(colour, subset=["Verdict"])
            .set_caption("Claims in the documents against USGS Mineral Commodity Summaries 2025")
            .set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"})
            .set_properties(subset=["Why"], **{"min-width": "16em"})
            .set_properties(subset=["Definitions"], **{"min-width": "12em"}))  # fmt: skip


def claims_verdict_chart(table: pd.DataFrame) -> alt.Chart:
    """Return the claims check as a chart: one row per claim, coloured by verdict, tooltips with both sides."""
    data = claims_table(table).assign(
        row=lambda f: f["Check"] + ": " + f["Claim"] + " (" + table["claim_source_id"].values + ")"
    )
    counts = verdict_counts(table)
    finding = (f"Of {len(table)} claims USGS can test: "
               + ", ".join(f"{n} {v}" for v, n in counts.items() if n))  # fmt: skip
    sources = [s for ids in table["claim_source_id"] for s in str(ids).split(" / ")]
    return alt.Chart(data).mark_square(size=220).encode(
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=700)),
        x=alt.X("Verdict:N", title="Verdict against USGS",
                scale=alt.Scale(domain=list(VERDICT_COLOURS))),
        color=alt.Color("Verdict:N", scale=alt.Scale(domain=list(VERDICT_COLOURS),
                                                   range=list(VERDICT_COLOURS.values())),
                        legend=None),
        tooltip=[alt.Tooltip(c, type="nominal") for c in
                 ("Claim", "Claim source", "Reference", "Reference source", "Verdict", "Why",
                  "Definitions")],
    ).properties(width=360, title=_title(finding, None, sources))  # fmt: skip


def claims_check_section(
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    *,
    table: pd.DataFrame | None = None,
    thresholds: Thresholds | None = None,
    name_prefix: str = "reference",
) -> pd.DataFrame:
    """Show the claims check in a notebook: prose, the India chart, the verdict chart, the table.

    Returns the claims-check table (see ``claims_check``; ``thresholds`` as there, used
    only when ``table`` is not given). Charts are named
    ``<name_prefix>_india_shares`` and ``<name_prefix>_claims_verdicts``: give each
    notebook its own prefix so chart names stay unique across the project.
    """
    table = claims_check(reference_year, thresholds) if table is None else table
    show_findings(verdict_summary(table, reference_year))
    show_chart(india_shares_chart(table, year=reference_year), name=f"{name_prefix}_india_shares")
    show_chart(claims_verdict_chart(table), name=f"{name_prefix}_claims_verdicts")
    display(claims_styled_table(table))
    return table
