"""The shared theme, caption helpers and the notebooks' chart builders, tested on their Vega-Lite specs."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis import capacity as capacity_model
from magnet_watch.analysis import imports as imports_model
from magnet_watch.analysis import market as market_model
from magnet_watch.analysis import timeline as timeline_model
from magnet_watch.charts import capacity as capacity_charts
from magnet_watch.charts import imports as imports_charts
from magnet_watch.charts import market as market_charts
from magnet_watch.charts import overview as overview_charts
from magnet_watch.charts import theme
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import irel_facts, reserves_facts
from magnet_watch.notebook.display import chart_spec
from magnet_watch.notebook.outputs import chart_title
from magnet_watch.text import formats as fmt


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


@pytest.fixture(scope="module")
def sources():
    return mw.load_sources()


def _layers(spec: dict) -> list[dict]:
    """Return every unit spec (mark + encoding) in a possibly nested layer or vconcat spec."""
    for key in ("layer", "vconcat"):
        if key in spec:
            return [unit for part in spec[key] for unit in _layers(part)]
    return [spec]


def _mark(unit: dict) -> dict:
    mark = unit["mark"]
    return mark if isinstance(mark, dict) else {"type": mark}


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def _tooltip_fields(spec: dict) -> set[str]:
    fields = set()
    for unit in _layers(spec):
        tips = unit.get("encoding", {}).get("tooltip", [])
        for tip in tips if isinstance(tips, list) else [tips]:
            fields.add(tip.get("field"))
    return fields


def _axis_titles(spec: dict) -> set[str]:
    titles = set()
    for unit in _layers(spec):
        for channel in ("x", "y"):
            title = unit.get("encoding", {}).get(channel, {}).get("title")
            if title:
                titles.add(title)
    return titles


def _check_common(spec: dict, source_ids, sources: pd.DataFrame) -> None:
    """Every chart: a finding title, a source caption naming each document, units, the tooltip."""
    title = spec["title"]
    text = chart_title(spec, "")
    assert text and not text.endswith(".")
    # A title is drawn on lines no wider than the text column.
    lines = title["text"] if isinstance(title["text"], list) else [title["text"]]
    assert all(len(line) <= theme.TITLE_CHARACTERS for line in lines), lines
    subtitle = " ".join(title["subtitle"])
    assert subtitle.count("Source") == 1
    for source_id in set(source_ids):
        document = sources.loc[sources["source_id"] == source_id, "title"].iloc[0]
        assert document in subtitle.replace("  ", " ") or document[:40] in subtitle
    assert {"value_text", "source", "quote"} <= _tooltip_fields(spec)
    assert any("(" in t and ")" in t for t in _axis_titles(spec)), "an axis names its unit"
    assert spec["config"]["font"] == theme.FONT, "the shared theme is applied"


# Theme and helpers ----------------------------------------------------------------------------


def test_theme_is_registered_and_enabled():
    assert theme.THEME_NAME in alt.theme.names()
    assert alt.theme.active == theme.THEME_NAME
    config = theme.theme()["config"]
    assert config["title"]["anchor"] == "start"
    assert config["range"]["category"] == list(theme.ROLE_COLOURS.values())


def test_source_caption_names_each_document_once_in_order(sources):
    caption = theme.source_caption(
        ["magnet-scheme-approval", "japan-korea-cooperation", "magnet-scheme-approval"], sources
    )
    assert caption.startswith("Sources: “India approves a 73-billion-rupee plan")
    assert caption.count("India approves") == 1
    assert caption.index("India approves") < caption.index("Magnet Production: India Seeks")
    assert "(Reuters, 2025-08-14)" in caption
    one = theme.source_caption(["ibns-export-halt"], sources)
    assert one.startswith("Source: ") and "(IBNS, undated)" in one


def test_source_caption_refuses_unknown_and_empty(sources):
    with pytest.raises(KeyError, match="unknown source_id 'nope'"):
        theme.source_caption(["nope"], sources)
    with pytest.raises(ValueError, match="at least one source_id"):
        theme.source_caption([], sources)


def test_claim_rows_keep_ranges_and_qualifiers(facts, sources):
    rows = theme.claim_rows(
        facts[facts["fact_id"].isin(["jkc_japan_magnet_share", "ibns_exports_japan_2024"])],
        sources,
    ).set_index("fact_id")
    japan = rows.loc["jkc_japan_magnet_share"]
    assert (japan["low"], japan["high"]) == (8.0, 9.0)
    assert pd.isna(japan["value"]), "no midpoint is invented for a range"
    exports = rows.loc["ibns_exports_japan_2024"]
    assert exports["value_text"] == "over 1,000 t"
    assert exports["shape"] == "triangle-up"
    assert "over 1,000 metric tons" in exports["quote"]


def test_finding_title_puts_the_note_before_the_caption(sources):
    title = theme.finding_title(
        "X rose", ["ibns-export-halt"], note="An assumption.", sources=sources
    )
    assert title.text == "X rose"
    assert title.subtitle[0] == "An assumption."
    assert title.subtitle[-1].endswith("(IBNS, undated).")


# Builders -------------------------------------------------------------------------------------


def test_timeline_marks_future_events_and_spans_the_window(facts, sources):
    events = mw.load_events()
    timeline = timeline_model.timeline_events(
        events, None, None, horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"]
    )
    spec = chart_spec(
        overview_charts.timeline_chart(timeline.events, timeline.start, timeline.end, sources)
    )
    _check_common_timeline(spec, timeline.events["source_id"].astype(str), sources)
    groups = timeline.events["event_group"].nunique()
    assert chart_title(spec, "").startswith(f"{groups} dated events from 2010 to 2032")
    dashed = [u for u in _layers(spec) if _mark(u).get("strokeDash")]
    assert dashed, "events still ahead have a dashed guide"
    points = next(u for u in _layers(spec) if _mark(u)["type"] == "point")
    assert "fillOpacity" in points["encoding"], "future events are hollow"
    rows = _datasets(spec)
    assert any(r.get("future") for data in rows for r in data)


def _check_common_timeline(spec, source_ids, sources):
    # The timeline's axis is a date axis: "Date" has no unit in parentheses.
    subtitle = " ".join(spec["title"]["subtitle"])
    for source_id in set(source_ids):
        assert theme.source_label(source_id, sources) in subtitle
    assert {"value_text", "source", "quote", "event"} <= _tooltip_fields(spec)


def test_capacity_chart_draws_the_capacity_range_and_dashed_plan(facts, sources):
    rows = irel_facts(facts)
    spec = chart_spec(capacity_charts.capacity_chart(rows, sources))
    _check_common(spec, rows["source_id"].astype(str), sources)
    assert chart_title(spec, "") == (
        "IREL's capacity is 400–500 t/yr of NdPr oxide (the articles say neodymium); it "
        "plans 900 t of neodymium by 2030"
    )
    # One panel per thing counted: no two scopes share an axis.
    panels = [
        {u["encoding"]["y"]["title"] for u in _layers(p) if "title" in u["encoding"].get("y", {})}
        for p in spec["vconcat"]
    ]
    assert panels == [
        {"NdPr oxide (t/yr)"},
        {"rare earths, form not stated (t)"},
        {"rare-earth oxide equivalent (t)"},
        {"neodymium, form not stated (t/yr)"},
    ]
    bars = [u for u in _layers(spec) if _mark(u)["type"] == "errorbar"]
    assert bars and "y2" in bars[0]["encoding"], "ranges are error bars"
    assert any(_mark(u).get("strokeDash") for u in _layers(spec)), "the plan is dashed"
    data = [r for d in _datasets(spec) for r in d]
    capacity = {r["source_id"] for r in data if r["metric"] == "nd_production_capacity"}
    assert capacity == {"indiapost-irel-partners, strategic-pursuit"}, (
        "two sources stating the same range are one mark naming both"
    )
    assert any(r["shape"] == "triangle-up" for r in data), "'over 1,000 t' points up"


def test_ramp_chart_marks_the_target_dashed(facts, capacity_inputs, sources):
    target = capacity_inputs.target
    ramp = capacity_model.magnet_ramp(
        target.start_year, target.target_year, target.output_t_per_yr, "s_curve"
    )
    spec = chart_spec(capacity_charts.magnet_ramp_chart(ramp, target, "s_curve", facts, sources))
    _check_common(spec, [target.source_id], sources)
    assert chart_title(spec, "") == (
        "To reach 6,000 t/yr by 2032, an S-curve ramp must pass half the target in 2029"
    )
    rules = [u for u in _layers(spec) if _mark(u)["type"] == "rule"]
    assert rules and rules[0]["mark"]["strokeDash"] == theme.QUALIFIER_DASH["target"]
    assert "assumption" in " ".join(spec["title"]["subtitle"])


def test_nd_gap_chart_states_the_gap_and_the_assumption(facts, capacity_inputs, sources):
    target = capacity_inputs.target
    gap = capacity_model.nd_gap(
        target.start_year, target.target_year, "linear", 0.27, inputs=capacity_inputs
    )
    spec = chart_spec(capacity_charts.nd_gap_chart(gap, 0.27, target, facts, sources))
    _check_common(spec, ["magnet-scheme-approval", "ibns-export-halt"], sources)
    last = gap.iloc[-1]
    assert chart_title(spec, "") == (
        f"In 2032 the magnet ramp needs {last['nd_needed_t_per_yr']:,.0f} t of neodymium, "
        f"{last['nd_gap_low_t_per_yr']:,.0f}–{last['nd_gap_high_t_per_yr']:,.0f} t a year more "
        "than IREL's planned output"
    )
    assert "27% neodymium by mass" in spec["title"]["subtitle"][0]
    bars = [u for u in _layers(spec) if _mark(u)["type"] == "errorbar"]
    assert bars and "y2" in bars[0]["encoding"], "IREL's capacity range is a band, not a point"
    assert "Neodymium (t/yr)" in _axis_titles(spec)


def test_nd_gap_chart_says_surplus_when_irel_covers_the_need(facts, capacity_inputs, sources):
    target = capacity_inputs.target
    gap = capacity_model.nd_gap(
        target.start_year, target.target_year, "linear", 0.05, inputs=capacity_inputs
    )
    spec = chart_spec(capacity_charts.nd_gap_chart(gap, 0.05, target, facts, sources))
    assert "a year less than IREL's planned output" in chart_title(spec, "")


def test_demand_coverage_chart(facts, imports_inputs, sources):
    target = imports_inputs.capacity.target
    cov = imports_model.demand_coverage(
        20.0, target.start_year, target.target_year, "linear", inputs=imports_inputs
    )
    spec = chart_spec(
        imports_charts.demand_coverage_chart(
            cov,
            20.0,
            target,
            imports_inputs.base,
            "Demand base: about 4,000 t/yr.",
            facts,
            sources,
        )
    )
    _check_common(spec, ["magnet-scheme-approval"], sources)
    assert chart_title(spec, "") == (
        f"In 2032 domestic output would cover {fmt.percent(cov.iloc[-1]['covered_pct'])} of "
        "projected rare-earth magnet demand (20%/yr growth)"
    )
    assert spec["title"]["subtitle"][0].startswith("Demand base: about 4,000 t/yr. Grown at 20%/yr")
    line = next(u for u in _layers(spec) if _mark(u)["type"] == "line")
    assert line["encoding"]["strokeDash"]["scale"]["range"] == [
        theme.QUALIFIER_DASH["projected"],
        theme.QUALIFIER_DASH["target"],
    ]
    assert "covered_pct" in _tooltip_fields(spec)


def test_market_share_chart_draws_ranges_as_error_bars(facts, sources):
    split = market_model.magnet_market_split(NamedFacts.from_facts(facts))
    spec = chart_spec(
        market_charts.market_share_chart(split, NamedFacts.from_facts(facts), facts, sources)
    )
    _check_common(spec, ["japan-korea-cooperation"], sources)
    assert chart_title(spec, "") == (
        "China makes 90% of the world's rare-earth magnets and Japan 8–9%: "
        "1–2% is left for everyone else"
    )
    bars = [u for u in _layers(spec) if _mark(u)["type"] == "errorbar"]
    assert bars and "x2" in bars[0]["encoding"]


@pytest.mark.parametrize(
    ("tolerance", "verdict"),
    [(5.0, "as worded, the two do not overlap"), (10.0, "the wording leaves room for both")],
)
def test_processing_chart_shows_both_sources_and_their_qualifiers(
    facts, sources, tolerance, verdict
):
    claims = market_model.processing_claims(facts)
    spec = chart_spec(market_charts.processing_share_chart(claims, tolerance, sources))
    _check_common(spec, claims["source_id"].astype(str), sources)
    assert chart_title(spec, "").endswith(verdict)
    assert "about 85% vs over 90%" in chart_title(spec, "")
    rows = [r for d in _datasets(spec) for r in d]
    assert len(rows) == 2, "one mark per source, never averaged"
    over = next(r for r in rows if r["qualifier"] == "over")
    assert (over["shape"], over["bound_high"]) == ("triangle-up", 100.0)
    about = next(r for r in rows if r["qualifier"] == "approximately")
    assert about["bound_low"] == pytest.approx(85 * (1 - tolerance / 100))


def test_reserves_mining_chart(facts, sources):
    rows = reserves_facts(facts)
    spec = chart_spec(market_charts.reserves_mining_chart(rows, sources))
    _check_common(spec, rows["source_id"].astype(str), sources)
    assert chart_title(spec, "") == (
        "India holds about 8% of the world's rare-earth reserves (third-largest) but "
        "less than 1% of world mining"
    )
    data = [r for d in _datasets(spec) for r in d]
    assert {r["shape"] for r in data} == {"diamond", "triangle-down"}


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        ("Demand grows", "Demand grows"),
        ("word " * 20, ["word " * 15 + "word", "word word word word"]),
        ("a" * 90, "a" * 90),  # a word longer than a line is not cut
    ],
)
def test_a_long_chart_title_wraps_at_spaces_and_a_short_one_stays_one_string(finding, expected):
    expected = [line.strip() for line in expected] if isinstance(expected, list) else expected
    assert theme.title_lines(finding.strip(), width=80) == expected
