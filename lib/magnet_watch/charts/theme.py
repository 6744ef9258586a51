"""The project's one Altair theme, shared chart helpers, and the chart builders of the notebooks.

Importing this module registers and enables the ``magnet_watch`` theme (fonts,
sizes, colours). Every chart built here follows the same conventions, which
other modules reuse through the public helpers:

- ``finding_title(finding, source_ids)``: the title states the finding; the
  subtitle is the caption naming the source documents (``source_caption``).
- Ranges are drawn as bands or error bars, never as a midpoint.
- Qualifiers are visible: targets, plans and projections are dashed
  (``QUALIFIER_DASH``); "over"/"more than" points up, "less than" points down
  (``QUALIFIER_SHAPE``); the written form ("over 90%") is the label.
- Tooltips carry the value as written, the source and the verbatim quote
  (``TOOLTIP_FIELDS``); ``claim_rows`` turns fact rows into those columns.
- Colours: ``ROLE_COLOURS`` for what a series is (observed, planned, target,
  projected, gap, need), ``SOURCE_COLOURS`` for which document says it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from magnet_watch.data.load import claim_bounds, fact, format_quantity, load_facts, load_sources

THEME_NAME = "magnet_watch"
FONT = "DejaVu Sans"  # installed with chromium (fonts-dejavu-core), so exports match the screen
WIDTH_PX = 560
HEIGHT_PX = 300

# What a series is. Colour-blind-safe (Okabe-Ito).
ROLE_COLOURS = {
    "observed": "#0072B2",
    "capacity": "#56B4E9",
    "planned": "#009E73",
    "target": "#D55E00",
    "projected": "#CC79A7",
    "need": "#E69F00",
    "gap": "#999999",
}
# Which document says it: one colour per source, used where sources are compared.
SOURCE_COLOURS = {
    "japan-korea-cooperation": "#0072B2",
    "indiapost-irel-partners": "#56B4E9",
    "strategic-pursuit": "#009E73",
    "ibns-export-halt": "#E69F00",
    "magnet-scheme-approval": "#D55E00",
}
# Stroke dash by qualifier: what has not happened yet is dashed.
QUALIFIER_DASH = {"target": [6, 3], "planned": [2, 2], "projected": [1, 3]}
# Point shape by qualifier: an open-ended claim points the way it is open.
QUALIFIER_SHAPE = {
    "over": "triangle-up",
    "more than": "triangle-up",
    "less than": "triangle-down",
    "approximately": "diamond",
    "estimated": "diamond",
}
DEFAULT_SHAPE = "circle"
QUALIFIER_MARK_NOTE = "▲ over / more than   ▼ less than   ◆ approximately   dashed: target or plan"

# Columns every chart's data carries for its tooltip, and how they are titled.
TOOLTIP_FIELDS = {
    "value_text": "Value (as the source writes it)",
    "source": "Source",
    "quote": "Quote",
}


def theme() -> alt.theme.ThemeConfig:
    """Return the project's theme config: fonts, sizes, axis and title styles, colour range."""
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "view": {"continuousWidth": WIDTH_PX, "continuousHeight": HEIGHT_PX, "stroke": None},
            "title": {
                "font": FONT,
                "fontSize": 15,
                "fontWeight": "bold",
                "anchor": "start",
                "subtitleFontSize": 10,
                "subtitleColor": "#555555",
                "subtitlePadding": 6,
                "offset": 12,
            },
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e6e6e6",
            },
            "axisX": {"labelAngle": 0},
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 11,
                "labelLimit": 420,
                "orient": "bottom",
                "direction": "vertical",
            },
            "text": {"font": FONT, "fontSize": 11},
            "range": {"category": list(ROLE_COLOURS.values())},
            "numberFormat": ",~f",
        }
    )


alt.theme.register(THEME_NAME, enable=True)(theme)


def ensure_theme() -> None:
    """Enable the project theme (enabled on import; call this if something else changed it)."""
    alt.theme.enable(THEME_NAME)


def _sources_table(sources: pd.DataFrame | None) -> pd.DataFrame:
    return load_sources() if sources is None else sources


def source_label(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """Return a short reader-facing name of one source: its publisher or outlet, and date.

    Falls back to the outlet the document cites, then to "outlet not named".
    Raises KeyError naming the id when it is not in sources.csv.
    """
    sources = _sources_table(sources)
    row = sources[sources["source_id"] == source_id]
    if row.empty:
        raise KeyError(f"unknown source_id {source_id!r}; known: {list(sources['source_id'])}")
    row = row.iloc[0]
    name = next(
        (str(row[c]) for c in ("publisher", "cites") if pd.notna(row.get(c)) and str(row[c])),
        "outlet not named",
    )
    date = row.get("published")
    when = str(date)[:10] if pd.notna(date) and str(date) else "undated"
    return f"{name}, {when}"


def source_caption(source_ids: Iterable[str], sources: pd.DataFrame | None = None) -> str:
    """Return one line naming the source documents: 'Sources: “Title” (Publisher, date); ...'.

    Ids keep their first-seen order and appear once. Raises KeyError for an unknown id,
    ValueError when no id is given (a chart without a source is not allowed).
    """
    sources = _sources_table(sources)
    ids = list(dict.fromkeys(str(s) for s in source_ids))
    if not ids:
        raise ValueError("a caption needs at least one source_id")
    parts = []
    for source_id in ids:
        label = source_label(source_id, sources)
        title = sources.loc[sources["source_id"] == source_id, "title"].iloc[0]
        parts.append(f"“{title}” ({label})")
    noun = "Source" if len(parts) == 1 else "Sources"
    return f"{noun}: " + "; ".join(parts) + "."


def caption_lines(text: str, width: int = 110) -> list[str]:
    """Return ``text`` wrapped into lines of at most ``width`` characters (for a subtitle)."""
    return textwrap.wrap(text, width=width) or [""]


def finding_title(
    finding: str,
    source_ids: Iterable[str],
    *,
    note: str | None = None,
    sources: pd.DataFrame | None = None,
) -> alt.TitleParams:
    """Return a chart title that states ``finding``, with a subtitle captioning the sources.

    ``note`` (an assumption or a caveat) goes on its own subtitle line before the caption.
    """
    lines = caption_lines(note) if note else []
    lines += caption_lines(source_caption(source_ids, sources))
    return alt.TitleParams(text=finding, subtitle=lines)


def claim_rows(facts: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return fact rows as chart data: one row per claim, ready for the standard tooltip.

    Columns: fact_id, subject, counterpart, metric, period, qualifier, unit, source_id,
    low, high, value (the midpoint only when a single value is stated), value_text
    (as written: "over 90%"), source (short label), quote, shape (by qualifier).
    ``low``/``high`` equal the value for a single figure, so every claim can be drawn
    as a band or error bar and ranges are never collapsed.
    """
    sources = _sources_table(sources)
    rows = []
    for r in facts.to_dict("records"):
        single = pd.notna(r["value"])
        low = float(r["value"] if single else r["low"])
        high = float(r["value"] if single else r["high"])
        rows.append(
            {
                "fact_id": r["fact_id"],
                "subject": r["subject"],
                "counterpart": r.get("counterpart") if pd.notna(r.get("counterpart")) else "",
                "metric": str(r["metric"]),
                "period": r["period"],
                "qualifier": r["qualifier"],
                "unit": str(r["unit"]),
                "source_id": str(r["source_id"]),
                "value": float(r["value"]) if single else None,
                "low": low,
                "high": high,
                "value_text": format_quantity(r),
                "source": source_label(str(r["source_id"]), sources),
                "quote": r["quote"],
                "shape": QUALIFIER_SHAPE.get(r["qualifier"], DEFAULT_SHAPE),
            }
        )
    columns = ["fact_id", "subject", "counterpart", "metric", "period", "qualifier", "unit",
               "source_id", "value", "low", "high", "value_text", "source", "quote",
               "shape"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def tooltip(*extra: alt.Tooltip) -> list[alt.Tooltip]:
    """Return the standard tooltip (value as written, source, quote) after any ``extra`` fields."""
    return [*extra] + [alt.Tooltip(f"{k}:N", title=v) for k, v in TOOLTIP_FIELDS.items()]


# Chart builders for the notebooks -------------------------------------------------------------
# Each takes computed frames (from magnet_watch.model) or curated rows and returns a chart
# whose title states the finding computed from its data.


def _claim(fact_id: str, facts: pd.DataFrame | None, sources: pd.DataFrame | None) -> pd.Series:
    """Return one fact as a ``claim_rows`` row (value_text, source, quote, ...)."""
    facts = load_facts() if facts is None else facts
    return claim_rows(facts[facts["fact_id"] == fact(fact_id, facts)["fact_id"]], sources).iloc[0]


def _merge_agreeing(data: pd.DataFrame) -> pd.DataFrame:
    """Return claim rows with claims of the same figure (metric, subject, period, low, high) from
    several sources merged into one row: sources and quotes joined, value texts kept."""
    keys = ["metric", "subject", "counterpart", "period", "low", "high"]
    rows = []
    for _, group in data.groupby(keys, sort=False, dropna=False):
        row = group.iloc[0].copy()
        for column, sep in (("value_text", " / "), ("source", "; "), ("quote", " / "),
                            ("source_id", ", "), ("fact_id", ", ")):  # fmt: skip
            row[column] = sep.join(dict.fromkeys(group[column].astype(str)))
        rows.append(row)
    return pd.DataFrame(rows).reset_index(drop=True)


def _fmt_t(value: float) -> str:
    return f"{value:,.0f} t"


def _datetime(ts: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=ts.year, month=ts.month, date=ts.day)


RAMP_SHAPE_WORDS = {"linear": "a linear", "s_curve": "an S-curve", "front_loaded": "a front-loaded",
                    "back_loaded": "a back-loaded"}  # fmt: skip
EVENT_STATUS_ROLE = {"happened": "observed", "reported": "observed", "planned": "planned",
                     "target": "target", "projected": "projected"}  # fmt: skip


def timeline_chart(
    events: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    sources: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Return the timeline of dated events from ``start`` to ``end``: one row per event group.

    Each report of an event is a point (several sources may report one event);
    what has not happened yet (planned, target, projected) is a hollow point on a
    dashed guide. Tooltip: the date as written, the event, source and quote.
    """
    sources = _sources_table(sources)
    shown = events[(events["date_start"] >= start) & (events["date_start"] <= end)].copy()
    if shown.empty:
        raise ValueError(f"no events between {start:%Y-%m-%d} and {end:%Y-%m-%d}")
    shown = shown.sort_values(["date_start", "event_id"])
    first = shown.drop_duplicates("event_group")
    label = dict(zip(first["event_group"], first["event"].str.slice(0, 70), strict=True))
    data = pd.DataFrame(
        {
            "date": shown["date_start"].dt.strftime("%Y-%m-%d"),
            "event_label": shown["event_group"].map(label),
            "status": shown["status"].astype(str),
            "role": shown["status"].astype(str).map(EVENT_STATUS_ROLE),
            "future": ~shown["status"].astype(str).isin(["happened", "reported"]),
            "value_text": shown["date"].astype(str)
            + " ("
            + shown["date_precision"].astype(str)
            + ")",
            "event": shown["event"],
            "source_id": shown["source_id"].astype(str),
            "source": [source_label(s, sources) for s in shown["source_id"].astype(str)],
            "quote": shown["quote"],
        }
    )
    # Dashed guides run from the latest event that has happened to each one still ahead.
    latest = shown.loc[~data["future"], "date_start"].max()
    data["from_date"] = latest.strftime("%Y-%m-%d") if pd.notna(latest) else data["date"]
    order = list(label.values())
    n_future = int(first["status"].astype(str).isin(["planned", "target", "projected"]).sum())
    finding = (f"{len(order)} dated events from {start.year} to {end.year}; "
               f"{n_future} of them are plans, targets or projections still ahead")  # fmt: skip
    x_scale = alt.Scale(domain=[_datetime(start), _datetime(end)])
    x = alt.X("date:T", title="Date", scale=x_scale)
    y = alt.Y("event_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    statuses = list(EVENT_STATUS_ROLE)
    status_scale = alt.Scale(
        domain=statuses, range=[ROLE_COLOURS[EVENT_STATUS_ROLE[s]] for s in statuses]
    )
    colour = alt.Color("status:N", title="Status", scale=status_scale)
    guide = (
        alt.Chart(data[data["future"]])
        .mark_rule(strokeDash=QUALIFIER_DASH["target"], color=ROLE_COLOURS["gap"])
        .encode(x=alt.X("from_date:T", scale=x_scale, title="Date"), x2="date:T", y=y)
    )
    points = (
        alt.Chart(data)
        .mark_point(size=90, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=colour,
            fill=alt.Fill("status:N", scale=status_scale, title="Status"),
            fillOpacity=alt.condition("datum.future", alt.value(0), alt.value(1)),
            shape=alt.Shape("status:N", title="Status", scale=alt.Scale(domain=statuses)),
            tooltip=tooltip(alt.Tooltip("event:N", title="Event")),
        )
    )
    return alt.layer(guide, points).properties(
        title=finding_title(finding, data["source_id"], sources=sources),
        width=WIDTH_PX,
        height=max(160, 24 * len(order)),
    )


def capacity_chart(facts: pd.DataFrame, sources: pd.DataFrame | None = None) -> alt.LayerChart:
    """Return IREL's stated figures over time (t and t/yr): capacity band, 2024 production and
    exports, and the planned neodymium output (dashed, hollow).

    ``facts`` are the rows to draw (capacity ranges, production, exports, plan and target),
    each with ``period_start``/``period_end``. Ranges are drawn as error bars; "over"
    points upward.
    """
    sources = _sources_table(sources)
    data = claim_rows(facts, sources)
    data["year"] = [int(ts.year) for ts in facts["period_end"]]
    data = _merge_agreeing(data)
    data["series"] = [
        {"nd_production_capacity": "Nd capacity (t/yr)", "nd_output_target": "Nd planned (t/yr)",
         "re_production": "rare-earth production (t)", "exports": "exports to Japan (t)"}.get(m, m)
        for m in data["metric"]
    ]  # fmt: skip
    data["future"] = data["qualifier"].isin(["planned", "target"])
    plan = data[data["metric"] == "nd_output_target"].sort_values("year")
    capacity = data[data["metric"] == "nd_production_capacity"]
    if plan.empty or capacity.empty:
        raise ValueError("capacity_chart needs IREL's capacity and its planned output")
    cap = capacity.iloc[0]
    finding = (f"IREL can make {cap['low']:,.0f}–{cap['high']:,.0f} t of "
               f"neodymium a year and plans {_fmt_t(plan['high'].iloc[-1])} by "
               f"{plan['year'].iloc[-1]}")  # fmt: skip
    x = alt.X("year:Q", title="Year", scale=alt.Scale(zero=False, nice=False, padding=24),
              axis=alt.Axis(format="d", tickMinStep=1))  # fmt: skip
    y_title = "Tonnes (t, or t/yr for capacity and plans)"
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
            alt.Chart(data[data["future"] == future])
            .mark_text(align="left", dx=8, dy=14 if future else -10)
            .encode(x=x, y="high:Q", text="value_text:N")
            for future in (False, True)
        ]
    )
    ids = [i for group in data["source_id"] for i in group.split(", ")]
    return alt.layer(bars, guide, points, labels).properties(
        title=finding_title(finding, ids, note=QUALIFIER_MARK_NOTE, sources=sources),
        width=WIDTH_PX,
        height=HEIGHT_PX,
    )


def magnet_ramp_chart(
    ramp: pd.DataFrame,
    target,
    shape: str,
    facts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Return the assumed magnet output ramp (t/yr) to the national target, the target dashed.

    ``ramp`` is ``model.magnet_ramp`` output; ``target`` a ``model.MagnetTarget``.
    """  # fmt: skip
    sources = _sources_table(sources)
    target_row = _claim(target.fact_id, facts, sources)
    shape_words = RAMP_SHAPE_WORDS.get(shape, f"a {shape}")
    data = ramp.assign(
        value_text=[
            f"{v:,.0f} t/yr (assumes {shape_words} ramp)" for v in ramp["magnet_output_t_per_yr"]
        ],
        source=target_row["source"],
        quote=target_row["quote"],
    )
    halfway = data[data["share_of_target_pct"] >= 50]["year"].min()
    finding = (f"To reach {target.output_t_per_yr:,.0f} t/yr by {target.target_year}, {shape_words} "
               f"ramp must pass half the target in {halfway}")  # fmt: skip
    x = alt.X("year:O", title="Year")
    line = (
        alt.Chart(data)
        .mark_line(point=True, color=ROLE_COLOURS["projected"])
        .encode(
            x=x,
            y=alt.Y("magnet_output_t_per_yr:Q", title="Magnet output (t/yr)"),
            tooltip=tooltip(alt.Tooltip("year:O", title="Year"),
                            alt.Tooltip("share_of_target_pct:Q", title="Share of target (%)",
                                        format=".0f")),
        )
    )  # fmt: skip
    rule_data = pd.DataFrame([{"target_t_per_yr": target.output_t_per_yr,
                               "label": f"target {target_row['value_text']} by {target.target_year}",
                               "value_text": target_row["value_text"], "source": target_row["source"],
                               "quote": target_row["quote"]}])  # fmt: skip
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
        title=finding_title(finding, [target.source_id], note=note, sources=sources),
    )


def nd_gap_chart(
    gap: pd.DataFrame,
    nd_mass_fraction: float,
    target,
    facts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Return the neodymium the magnet ramp needs (t/yr) against IREL's output (t/yr), by year.

    ``gap`` is ``model.nd_gap`` output. IREL's output is a band where it is a range
    (today's capacity) and a dashed line where it is planned; the need is a line.
    The title states the gap (or surplus) in the last year shown.
    """
    sources = _sources_table(sources)
    target_claim = _claim(target.fact_id, facts, sources)
    need = pd.DataFrame({
        "year": gap["year"], "series": "Nd needed by the magnet ramp (assumption)",
        "low": gap["nd_needed_t_per_yr"], "high": gap["nd_needed_t_per_yr"],
        "value_text": [f"{v:,.0f} t/yr at {nd_mass_fraction:.0%} Nd by mass"
                       for v in gap["nd_needed_t_per_yr"]],
        "source": target_claim["source"], "quote": target_claim["quote"],
        "source_id": target.source_id,
    })  # fmt: skip
    irel_rows = []
    for r in gap.to_dict("records"):
        claims = [_claim(i.strip(), facts, sources) for i in r["irel_fact_ids"].split(",")]
        low, high = r["irel_nd_low_t_per_yr"], r["irel_nd_high_t_per_yr"]
        amount = f"{low:,.0f}–{high:,.0f} t/yr" if low != high else f"{low:,.0f} t/yr"
        irel_rows.append({
            "year": r["year"], "series": "IREL neodymium output (stated or planned)",
            "low": low, "high": high, "value_text": f"{amount}, {r['irel_basis']}",
            "source": "; ".join(dict.fromkeys(c["source"] for c in claims)),
            "quote": " / ".join(dict.fromkeys(c["quote"] for c in claims)),
            "source_id": claims[0]["source_id"], "planned": low == high,
        })  # fmt: skip
    irel = pd.DataFrame(irel_rows)
    last = gap.iloc[-1]
    gap_low, gap_high = last["nd_gap_low_t_per_yr"], last["nd_gap_high_t_per_yr"]
    amount = (
        _fmt_t(abs(gap_low))
        if gap_low == gap_high
        else (f"{abs(gap_low):,.0f}–{abs(gap_high):,.0f} t")
    )
    if gap_low > 0:
        verdict = f"{amount} a year more than IREL's output"
    elif gap_high < 0:
        verdict = f"{amount} a year less than IREL's output"
    else:
        verdict = "about what IREL's output provides"
    finding = (f"In {int(last['year'])} the magnet ramp needs "
               f"{last['nd_needed_t_per_yr']:,.0f} t of neodymium, {verdict}")  # fmt: skip
    x = alt.X("year:O", title="Year")
    y_title = "Neodymium (t/yr)"
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[need["series"].iloc[0], irel_rows[0]["series"]],
                        range=[ROLE_COLOURS["need"], ROLE_COLOURS["planned"]]),
    )  # fmt: skip
    band = (
        alt.Chart(irel[~irel["planned"]])
        .mark_errorbar(ticks=True, thickness=3)
        .encode(x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q", color=colour)
    )
    planned = (
        alt.Chart(irel[irel["planned"]])
        .mark_line(strokeDash=QUALIFIER_DASH["planned"], point=alt.OverlayMarkDef(filled=False))
        .encode(x=x, y=alt.Y("high:Q", title=y_title), color=colour,
                tooltip=tooltip(alt.Tooltip("year:O", title="Year")))
    )  # fmt: skip
    irel_tips = (
        alt.Chart(irel)
        .mark_point(opacity=0, size=200)
        .encode(x=x, y="high:Q", tooltip=tooltip(alt.Tooltip("year:O", title="Year")))
    )
    need_line = (
        alt.Chart(need)
        .mark_line(point=True)
        .encode(x=x, y=alt.Y("high:Q", title=y_title), color=colour,
                tooltip=tooltip(alt.Tooltip("year:O", title="Year")))
    )  # fmt: skip
    note = (f"Assumes {nd_mass_fraction:.0%} neodymium by mass in NdFeB magnets and all of "
            "IREL's neodymium going to Indian magnets; IREL's plan is interpolated between "
            "2026 and 2030 and held after 2030.")  # fmt: skip
    ids = [target.source_id, *irel["source_id"]]
    return alt.layer(band, planned, irel_tips, need_line).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(finding, ids, note=note, sources=sources),
    )


def demand_coverage_chart(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    target,
    base_fact_id: str,
    facts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Return projected magnet demand (t) against domestic output (t/yr), labelled with the
    share of demand covered (%) each year.

    ``coverage`` is ``model.demand_coverage`` output; demand is dotted (a projection),
    domestic output dashed (a ramp to a target).
    """
    sources = _sources_table(sources)
    base = _claim(base_fact_id, facts, sources)
    goal = _claim(target.fact_id, facts, sources)
    demand = pd.DataFrame({
        "year": coverage["year"], "series": "demand (projected)", "t": coverage["demand_t"],
        "value_text": [f"{v:,.0f} t at {growth_rate_pct_per_yr:.1f}%/yr growth"
                       for v in coverage["demand_t"]],
        "source": base["source"], "quote": base["quote"], "covered_pct": coverage["covered_pct"],
    })  # fmt: skip
    output = pd.DataFrame({
        "year": coverage["year"], "series": "domestic output (ramp to target)",
        "t": coverage["magnet_output_t_per_yr"],
        "value_text": [f"{v:,.0f} t/yr" for v in coverage["magnet_output_t_per_yr"]],
        "source": goal["source"], "quote": goal["quote"], "covered_pct": coverage["covered_pct"],
    })  # fmt: skip
    data = pd.concat([demand, output], ignore_index=True)
    data["covered_text"] = [f"{v:.1f}%" for v in data["covered_pct"]]
    last = coverage.iloc[-1]
    finding = (f"In {int(last['year'])} domestic output would cover {last['covered_pct']:.1f}% "
               f"of projected magnet demand ({growth_rate_pct_per_yr:.1f}%/yr growth)")  # fmt: skip
    x = alt.X("year:O", title="Year")
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=["demand (projected)", "domestic output (ramp to target)"],
                        range=[ROLE_COLOURS["projected"], ROLE_COLOURS["target"]]),
    )  # fmt: skip
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=["demand (projected)", "domestic output (ramp to target)"],
                        range=[QUALIFIER_DASH["projected"], QUALIFIER_DASH["target"]]),
        title=None,
    )  # fmt: skip
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(x=x, y=alt.Y("t:Q", title="Magnets (t, or t/yr)"), color=colour,
                strokeDash=dash,
                tooltip=tooltip(alt.Tooltip("year:O", title="Year"),
                                alt.Tooltip("covered_pct:Q", title="Demand covered (%)",
                                            format=".1f")))
    )  # fmt: skip
    labels = (
        alt.Chart(data[data["series"] == "domestic output (ramp to target)"])
        .mark_text(dy=-10, color=ROLE_COLOURS["target"])
        .encode(x=x, y="t:Q", text="covered_text:N")
    )
    note = (
        f"Demand: {base['period']} imports ({base['value_text']}) taken as today's demand, "
        f"grown at {growth_rate_pct_per_yr:.2f}%/yr; labels: share of demand covered."
    )
    return alt.layer(lines, labels).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(finding, [base["source_id"], goal["source_id"]], note=note,
                            sources=sources)
    )  # fmt: skip


def market_share_chart(
    split: pd.DataFrame, facts: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Return world magnet production shares (%) of China, Japan and everyone else, ranges as
    error bars. ``split`` is ``model.magnet_market_split`` output."""  # fmt: skip
    sources = _sources_table(sources)
    claims = [
        [_claim(i.strip(), facts, sources) for i in ids.split(",")] for ids in split["fact_ids"]
    ]
    data = split.assign(
        source=["; ".join(dict.fromkeys(c["source"] for c in cs)) for cs in claims],
        quote=[" / ".join(dict.fromkeys(c["quote"] for c in cs)) for cs in claims],
        source_id=[cs[0]["source_id"] for cs in claims],
    )
    rows = {r["subject"]: r for r in data.to_dict("records")}
    finding = (f"China makes {rows['China']['value_text']} of the world's rare-earth magnets and "
               f"Japan {rows['Japan']['value_text'].replace('est. ', '')}: "
               f"{rows['everyone else']['value_text']} is left for everyone else")  # fmt: skip
    y = alt.Y("subject:N", sort=list(data["subject"]), title=None)
    x_title = "Share of world magnet production (%)"
    bars = alt.Chart(data).mark_bar(color=ROLE_COLOURS["observed"], opacity=0.8).encode(
        x=alt.X("low_pct:Q", title=x_title, scale=alt.Scale(domain=[0, 100])), y=y,
        tooltip=tooltip(alt.Tooltip("how:N", title="How")),
    )  # fmt: skip
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
    return alt.layer(bars, ranges, labels).properties(
        title=finding_title(finding, data["source_id"], note=note, sources=sources)
    )


def processing_share_chart(
    claims: pd.DataFrame,
    approx_tolerance_pct: float = 5.0,
    sources: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Return each source's claim of China's share of rare-earth processing (%), side by side.

    One row per source, never averaged. The point is the stated figure, shaped by its
    qualifier; the line is the interval the wording allows (claim_bounds: "over 90%"
    runs to 100%, "approximately" is +/- ``approx_tolerance_pct`` percent of the figure).
    """
    sources = _sources_table(sources)
    bounds = claim_bounds(claims, approx_tolerance=approx_tolerance_pct / 100)
    data = claim_rows(claims, sources)
    data["bound_low"] = bounds["bound_low"].to_numpy()
    data["bound_high"] = bounds["bound_high"].to_numpy()
    data["note"] = claims["note"].fillna("").to_numpy()
    data["label"] = [f"{v} ({s})" for v, s in zip(data["value_text"], data["source"], strict=True)]
    texts = " vs ".join(data["value_text"])
    overlap = data["bound_low"].max() <= data["bound_high"].min()
    verdict = "the wording leaves room for both" if overlap else "as worded, the two do not overlap"
    finding = f"China's processing share by source: {texts}; {verdict}"
    x_min = min(50.0, 10 * (data["bound_low"].min() // 10))
    y = alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=360))
    x_title = "China's share of world rare-earth processing (%)"
    colour = alt.Color(
        "source_id:N",
        title="Source",
        scale=alt.Scale(domain=list(SOURCE_COLOURS), range=list(SOURCE_COLOURS.values())),
        legend=None,
    )
    allowed = alt.Chart(data).mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=alt.X("bound_low:Q", title=x_title, scale=alt.Scale(domain=[x_min, 100])),
        x2="bound_high:Q", y=y, color=colour,
    )  # fmt: skip
    points = alt.Chart(data).mark_point(size=160, filled=True).encode(
        x=alt.X("low:Q", title=x_title), y=y, color=colour,
        shape=alt.Shape("shape:N", scale=None),
        tooltip=tooltip(alt.Tooltip("note:N", title="Note")),
    )  # fmt: skip
    note = (f"Lines: the range each wording allows ('approximately' read as ±{approx_tolerance_pct:g}%"
            f" of the figure, 'over' up to 100%). {QUALIFIER_MARK_NOTE}")  # fmt: skip
    return alt.layer(allowed, points).properties(
        title=finding_title(finding, data["source_id"], note=note, sources=sources),
        width=WIDTH_PX,
    )


def reserves_mining_chart(
    facts: pd.DataFrame, sources: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Return India's share of world rare-earth reserves against its share of mining (%).

    ``facts`` are the reserves-share and mining-share rows, plus optionally reserves-rank
    rows (the rank goes into the title). "less than" points down, "approximately" is a
    diamond; each bar runs to the stated figure.
    """
    sources = _sources_table(sources)
    ranks = facts[facts["metric"] == "reserves_rank"]
    data = claim_rows(facts[facts["metric"].isin(["reserves_share", "mining_share"])], sources)
    data["what"] = data["metric"].map(
        {"reserves_share": "world reserves", "mining_share": "world mining"}
    )
    by = {r["metric"]: r for r in data.to_dict("records")}
    ordinal = {1: "largest", 2: "second-largest", 3: "third-largest"}
    rank_text = "".join(
        f" ({ordinal.get(int(v), f'rank {int(v)}')})" for v in sorted(set(ranks["value"]))
    )
    finding = (f"India holds {by['reserves_share']['value_text']} of the world's rare-earth "
               f"reserves{rank_text} but {by['mining_share']['value_text']} of world "
               "mining")  # fmt: skip
    y = alt.Y("what:N", title=None, sort=["world reserves", "world mining"])
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
        title=finding_title(finding, ids, note=QUALIFIER_MARK_NOTE, sources=sources),
        width=WIDTH_PX,
    )
