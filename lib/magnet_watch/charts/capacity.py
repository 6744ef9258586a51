"""The capacity notebook's charts: IREL's figures, the magnet ramp, neodymium need against supply.

Each takes computed frames (``analysis.capacity``) or curated rows and the sources table;
the title's finding comes from ``narrative.capacity``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.analysis.plans import PlansAsOf, plans_as_of
from magnet_watch.charts.theme import (
    HEIGHT_PX,
    QUALIFIER_DASH,
    QUALIFIER_MARK_NOTE,
    ROLE_COLOURS,
    WIDTH_PX,
    claim,
    claim_rows,
    finding_title,
    merge_agreeing,
    tooltip,
    year_tooltip,
)
from magnet_watch.data.inputs import MagnetTarget
from magnet_watch.data.lookups import Vocabulary, project_vocabulary
from magnet_watch.narrative.as_of import fact_due_words
from magnet_watch.narrative.capacity import (
    capacity_title,
    nd_gap_note,
    nd_gap_title,
    ramp_shape_words,
    ramp_title,
)
from magnet_watch.text import formats as fmt

# Legend label of each IREL figure, by metric.
IREL_SERIES = {
    "nd_production_capacity": "IREL capacity (t/yr)",
    "nd_output_target": "IREL planned neodymium (t/yr)",
    "re_production": "India's rare-earth production (t)",
    "exports": "IREL exports to Japan (t)",
}
NEED_SERIES = "Nd needed by the magnet ramp (assumption)"
IREL_ND_SERIES = "IREL neodymium output (stated or planned)"


def irel_data(
    facts: pd.DataFrame, sources: pd.DataFrame, vocab: Vocabulary, plans: PlansAsOf
) -> pd.DataFrame:
    """Return IREL's rows as chart data: claims of one figure merged, with year, series, future.

    Columns: ``theme.CLAIM_COLUMNS`` + year, series, future (a plan still ahead at
    ``plans.as_of``: drawn hollow), due (a plan whose date has passed with no outcome
    recorded: drawn filled, its label "450 t/yr: due March 2026, outcome not reported");
    ``source_ids`` (a list) is kept for the caption and dropped before drawing.
    """
    data = claim_rows(facts, sources, vocab)
    data["year"] = [int(ts.year) for ts in facts["period_end"]]
    records = facts.to_dict("records")
    data["due"] = [plans.fact_is_due(r) for r in records]
    data["due_text"] = [
        fact_due_words(r) if d else "" for r, d in zip(records, data["due"], strict=True)
    ]
    data = merge_agreeing(data).drop(columns="fact_ids")
    data["series"] = [IREL_SERIES.get(m, m) for m in data["metric"]]
    plan = data["qualifier"].astype(str).isin(vocab.future_qualifiers)
    data["due"] = data["due"].astype(bool)
    data["future"] = plan & ~data["due"]
    data["value_text"] = [
        f"{v}: {d}" if d else v for v, d in zip(data["value_text"], data["due_text"], strict=True)
    ]
    return data.drop(columns="due_text")


def _irel_layers(data: pd.DataFrame, plan: pd.DataFrame, y_title: str, years: list[int]):
    x = alt.X(
        "year:Q",
        title="Year",
        scale=alt.Scale(domain=years, nice=False, padding=24),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    colour = alt.Color("series:N", title=None)
    bars = (
        alt.Chart(data)
        .mark_errorbar(ticks=True, thickness=2)
        .encode(x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q", color=colour)
    )
    guide = (
        alt.Chart(plan)
        .mark_line(strokeDash=QUALIFIER_DASH["planned"], color=ROLE_COLOURS["planned"])
        .encode(x=x, y="high:Q")
    )
    points = (
        alt.Chart(data)
        .mark_point(size=90, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("high:Q", title=y_title),
            color=colour,
            shape=alt.Shape("shape:N", scale=None),
            fill=alt.Fill("series:N", legend=None),
            fillOpacity=alt.condition("datum.future", alt.value(0), alt.value(1)),
            tooltip=tooltip(
                alt.Tooltip("series:N", title="Figure"), alt.Tooltip("period:N", title="Period")
            ),
        )
    )
    labels = alt.layer(
        *[
            # Plans (ahead or due) are labelled below their point, the rest above.
            alt.Chart(data[(data["future"] | data["due"]) == below])
            .mark_text(align="left", dx=8, dy=14 if below else -10)
            .encode(x=x, y="high:Q", text="value_text:N")
            for below in (False, True)
            if ((data["future"] | data["due"]) == below).any()
        ]
    )
    return (bars, guide, points, labels) if not plan.empty else (bars, points, labels)


def capacity_chart(
    facts: pd.DataFrame,
    sources: pd.DataFrame,
    vocabulary: Vocabulary | None = None,
    plans: PlansAsOf | None = None,
) -> alt.VConcatChart:
    """Return IREL's stated figures over time, one panel per thing counted (its own axis: no
    two scopes share one): the capacity range, the planned neodymium (dashed; hollow while
    still ahead at the as-of date of ``plans``, default the latest date in the record; a plan
    whose date has passed with no outcome recorded is filled and labelled "due <date>,
    outcome not reported"), India's 2024 production and the exports to Japan.

    ``facts`` are the rows to draw (``data.inputs.irel_facts``: capacity ranges, production,
    exports, plan and target), each with ``period_start``/``period_end`` and ``counts`` (the
    scope in words). Ranges are drawn as error bars; "over" points upward.
    """
    vocab = project_vocabulary() if vocabulary is None else vocabulary
    data = irel_data(facts, sources, vocab, plans_as_of() if plans is None else plans)
    data["counts"] = [
        facts.loc[facts["fact_id"] == i.split(", ")[0], "counts"].iloc[0] for i in data["fact_id"]
    ]
    plan = data[data["metric"] == "nd_output_target"].sort_values("year")
    capacity = data[data["metric"] == "nd_production_capacity"]
    if plan.empty or capacity.empty:
        raise ValueError("capacity_chart needs IREL's capacity and its planned output")
    cap, last = capacity.iloc[0], plan.iloc[-1]
    finding = capacity_title(
        cap["low"], cap["high"], cap["counts"], last["high"], last["year"], due=bool(last["due"])
    )
    ids = [i for group in data["source_ids"] for i in group]
    data = data.drop(columns="source_ids")
    years = [int(data["year"].min()), int(data["year"].max())]
    panels = []
    for counts, part in data.groupby("counts", sort=False):
        unit = str(part["unit"].iloc[0])
        layers = _irel_layers(
            part,
            part[part["metric"] == "nd_output_target"].sort_values("year"),
            f"{counts} ({unit})",
            years,
        )
        panels.append(alt.layer(*layers).properties(width=WIDTH_PX, height=HEIGHT_PX // 3))
    return alt.vconcat(*panels).properties(
        title=finding_title(finding, ids, note=QUALIFIER_MARK_NOTE, sources=sources)
    )


def magnet_ramp_chart(
    ramp: pd.DataFrame,
    target: MagnetTarget,
    shape: str,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return the assumed magnet output ramp (t/yr) to the national target, the target dashed.

    ``ramp`` is ``analysis.capacity.magnet_ramp`` output; ``target`` a ``MagnetTarget``.
    """
    target_row = claim(target.fact_id, facts, sources)
    data = ramp.assign(
        value_text=[
            f"{fmt.tonnes_a_year(v)} (assumes {ramp_shape_words(shape)} ramp)"
            for v in ramp["magnet_output_t_per_yr"]
        ],
        source=target_row["source"],
        quote=target_row["quote"],
    )
    halfway = data[data["share_of_target_pct"] >= 50]["year"].min()
    line = (
        alt.Chart(data)
        .mark_line(point=True, color=ROLE_COLOURS["projected"])
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("magnet_output_t_per_yr:Q", title="Magnet output (t/yr)"),
            tooltip=tooltip(
                year_tooltip(),
                alt.Tooltip("share_of_target_pct:Q", title="Share of target (%)", format=".0f"),
            ),
        )
    )
    rule_data = pd.DataFrame(
        [
            {
                "target_t_per_yr": target.output_t_per_yr,
                "label": f"target {target_row['value_text']} by {target.target_year}",
                "value_text": target_row["value_text"],
                "source": target_row["source"],
                "quote": target_row["quote"],
            }
        ]
    )
    rule = (
        alt.Chart(rule_data)
        .mark_rule(strokeDash=QUALIFIER_DASH["target"], color=ROLE_COLOURS["target"], size=2)
        .encode(y="target_t_per_yr:Q", tooltip=tooltip())
    )
    text = (
        alt.Chart(rule_data)
        .mark_text(align="left", dy=-8, x=4, color=ROLE_COLOURS["target"])
        .encode(y="target_t_per_yr:Q", text="label:N")
    )
    note = f"The ramp shape ({shape}) is an assumption; only the end point is a stated target."
    return alt.layer(line, rule, text).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(
            ramp_title(target, shape, halfway), [target.source_id], note=note, sources=sources
        ),
    )


def need_data(gap: pd.DataFrame, nd_mass_fraction: float, target_claim, target) -> pd.DataFrame:
    """Return the neodymium need (t/yr) as chart data, one row per year."""
    return pd.DataFrame(
        {
            "year": gap["year"],
            "series": NEED_SERIES,
            "low": gap["nd_needed_t_per_yr"],
            "high": gap["nd_needed_t_per_yr"],
            "value_text": [
                f"{fmt.tonnes_a_year(v)} at {fmt.share(nd_mass_fraction)} Nd by mass"
                for v in gap["nd_needed_t_per_yr"]
            ],
            "source": target_claim["source"],
            "quote": target_claim["quote"],
            "source_id": target.source_id,
        }
    )


def irel_supply_data(gap: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Return IREL's neodymium output (t/yr) as chart data, one row per year, with the sources
    and quotes of the facts each year rests on (``irel_fact_ids``, a list); ``planned`` for the
    years that rest on IREL's plans rather than its capacity today."""
    rows = []
    for r in gap.to_dict("records"):
        claims = [claim(i, facts, sources) for i in r["irel_fact_ids"]]
        low, high = r["irel_nd_low_t_per_yr"], r["irel_nd_high_t_per_yr"]
        amount = fmt.tonnes_a_year_range(low, high)
        rows.append(
            {
                "year": r["year"],
                "series": IREL_ND_SERIES,
                "low": low,
                "high": high,
                "value_text": f"{amount}, {r['irel_basis']}",
                "source": "; ".join(dict.fromkeys(c["source"] for c in claims)),
                "quote": " / ".join(dict.fromkeys(c["quote"] for c in claims)),
                "source_id": claims[0]["source_id"],
                "planned": not str(r["irel_basis"]).startswith("capacity"),
            }
        )
    return pd.DataFrame(rows)


def _gap_layers(need: pd.DataFrame, irel: pd.DataFrame):
    x = alt.X("year:O", title="Year")
    y_title = "Neodymium (t/yr)"
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=[NEED_SERIES, IREL_ND_SERIES],
            range=[ROLE_COLOURS["need"], ROLE_COLOURS["planned"]],
        ),
    )
    # Every year of IREL's supply is a range (its capacity converted from NdPr oxide, its plans
    # read as metal or oxide): an error bar each year, the plans' higher figure dashed.
    band = (
        alt.Chart(irel)
        .mark_errorbar(ticks=True, thickness=3)
        .encode(x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q", color=colour)
    )
    planned = (
        alt.Chart(irel[irel["planned"]])
        .mark_line(strokeDash=QUALIFIER_DASH["planned"], point=alt.OverlayMarkDef(filled=False))
        .encode(
            x=x, y=alt.Y("high:Q", title=y_title), color=colour, tooltip=tooltip(year_tooltip())
        )
    )
    irel_tips = (
        alt.Chart(irel)
        .mark_point(opacity=0, size=200)
        .encode(x=x, y="high:Q", tooltip=tooltip(year_tooltip()))
    )
    need_line = (
        alt.Chart(need)
        .mark_line(point=True)
        .encode(
            x=x, y=alt.Y("high:Q", title=y_title), color=colour, tooltip=tooltip(year_tooltip())
        )
    )
    return band, planned, irel_tips, need_line


def nd_gap_chart(
    gap: pd.DataFrame,
    nd_mass_fraction: float,
    target: MagnetTarget,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return the neodymium the magnet ramp needs (t/yr) against IREL's output (t/yr), by year.

    ``gap`` is ``analysis.capacity.nd_gap`` output. IREL's output is a band where it is a
    range (today's capacity) and a dashed line where it is planned; the need is a line.
    The title states the gap (or surplus) in the last year shown.
    """
    need = need_data(gap, nd_mass_fraction, claim(target.fact_id, facts, sources), target)
    irel = irel_supply_data(gap, facts, sources)
    ids = [target.source_id, *irel["source_id"]]
    return alt.layer(*_gap_layers(need, irel)).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(
            nd_gap_title(gap), ids, note=nd_gap_note(nd_mass_fraction), sources=sources
        ),
    )
