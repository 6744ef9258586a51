"""Every page and every chart says as of when it speaks; a plan whose date has passed is not ahead.

The as-of date is the latest date in the record (``record_dates()[-1]``). The built pages and
chart files come from the project's own build (``project_build``, shared with
test_report_build); the wording of plans is checked on both sides of their dates with the
record as it stood before and after them (``record_as_of``).
"""

from __future__ import annotations

import csv
import html
import json
import re

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis import official_terms as official
from magnet_watch.analysis.plans import plans_as_of
from magnet_watch.analysis.timeline import timeline_events
from magnet_watch.charts import capacity as capacity_charts
from magnet_watch.charts.overview import DUE_STATUS, timeline_chart
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import CapacityInputs, irel_facts
from magnet_watch.data.later_references import load_references
from magnet_watch.data.record import latest_record, load_record, record_as_of, record_dates
from magnet_watch.narrative import capacity as capacity_words
from magnet_watch.narrative import overview as overview_words
from magnet_watch.narrative.as_of import as_of_sentence, due_words
from magnet_watch.notebook.display import AS_OF_KEY, chart_spec, export_chart, with_as_of
from magnet_watch.notebook.outputs import chart_title
from magnet_watch.text.periods import date_words, day_words

pytestmark = pytest.mark.xdist_group("report_builds")

BEFORE_THE_PLAN = "2025-11-30"  # the end of the articles: IREL's 450 t "by March 2026" is ahead
AFTER_THE_PLAN = "2026-04-01"  # March 2026 has passed with no outcome recorded
DUE_450 = "due March 2026, outcome not reported"


def _irel():
    """IREL's supply in neodymium metal, as the capacity notebook resolves it."""
    return CapacityInputs.from_data(mw.load_facts(), load_references()).irel


@pytest.fixture(scope="module")
def record():
    return load_record()


@pytest.fixture(scope="module")
def as_of(record) -> pd.Timestamp:
    return record_dates(record)[-1]


def _plans(record, date):
    return plans_as_of(record_as_of(date, record))


# ---------------------------------------------------------------- the date, in words


def test_dates_are_written_by_the_one_formatter():
    assert day_words("2026-05-27") == "27 May 2026" and day_words(pd.Timestamp("2026-05-07")) == (
        "7 May 2026"
    )
    assert [date_words(d) for d in ("2025", "2026-03", "2026-06-29")] == [
        "2025",
        "March 2026",
        "29 June 2026",
    ]
    assert due_words("2026-03") == DUE_450


def test_the_as_of_sentence_names_the_latest_date_and_how_far_each_part_reaches(record, as_of):
    assert as_of == record.as_of == latest_record().as_of
    assert as_of_sentence(record) == (
        f"As of {day_words(as_of)}: the latest date in the record (articles to November 2025, "
        f"later references to {day_words(as_of)})."
    )
    then = as_of_sentence(record_as_of(BEFORE_THE_PLAN, record))
    assert (
        then.startswith("As of 30 November 2025:")
        and "later references to 26 November 2025" in then
    )


# ---------------------------------------------------------------- every page, every chart file


def _as_of_paragraph(page: str) -> str:
    found = re.findall(r'<p class="as-of">(.*?)</p>', page)
    assert len(found) == 1, "one as-of statement, near the top"
    assert page.index('<p class="as-of">') < page.index("</header>")
    return html.unescape(found[0])


def test_every_built_page_states_its_as_of_date_the_latest_in_the_record(
    project_build, record, as_of
):
    out, _ = project_build
    pages = sorted(out.glob("*.html"))
    assert {p.stem for p in pages} >= {"index", "01_overview", "02_capacity", "07_sensitivity"}
    for page in pages:
        stated = _as_of_paragraph(page.read_text(encoding="utf-8"))
        assert stated == as_of_sentence(record), page.name
        assert stated.startswith(f"As of {day_words(record_dates(record)[-1])}: "), page.name


def test_every_chart_file_states_its_as_of_date(project_build, as_of):
    out, _ = project_build
    day = f"{as_of:%Y-%m-%d}"
    specs = sorted((out / "charts").glob("*.vl.json"))
    assert len(specs) > 10
    for spec_file in specs:
        name = spec_file.name.removesuffix(".vl.json")
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        assert spec["usermeta"][AS_OF_KEY] == day, name
        assert spec["title"]["subtitle"][-1].startswith(f"As of {day_words(as_of)}"), name
        assert f"As of {day_words(as_of)}" in (out / "charts" / f"{name}.svg").read_text(), name
        data = [out / "charts" / f"{name}.csv", *(out / "charts").glob(f"{name}.[0-9]*.csv")]
        for file in data:
            rows = list(csv.DictReader(file.open(encoding="utf-8")))
            assert rows and {r[AS_OF_KEY] for r in rows} == {day}, file.name


def test_the_as_of_date_is_added_once_and_a_reexport_is_the_same(tmp_path):
    spec = {"title": "Demand grows", "mark": "point", "data": {"values": [{"x": 1}]}}
    stated = with_as_of(spec, "2026-05-27")
    assert stated["title"] == {
        "text": "Demand grows",
        "subtitle": ["As of 27 May 2026 (the latest date in the record)"],
    }
    assert spec["title"] == "Demand grows"  # the chart's own spec is left as it was
    first = export_chart(stated, "c", tmp_path / "a", png=False)
    again = json.loads(first["spec"].read_text())
    second = export_chart(again, "c", tmp_path / "b", png=False)
    assert first["csv"].read_text() == second["csv"].read_text() == "x,as_of\n1,2026-05-27\n"


def test_built_pages_word_the_passed_plan_as_due(project_build):
    out, _ = project_build
    overview = html.unescape((out / "01_overview.html").read_text(encoding="utf-8"))
    capacity = html.unescape((out / "02_capacity.html").read_text(encoding="utf-8"))
    assert (
        "IREL plans to produce 450 t of neodymium (due March 2026, outcome not reported)"
        in overview
    )
    assert "It planned 450 t/yr of neodymium (due March 2026, outcome not reported)" in capacity
    assert "450 t/yr by March 2026" not in capacity and "plans 450 t" not in capacity
    timeline = json.loads((out / "charts" / "overview_timeline.vl.json").read_text())
    assert "still ahead" in chart_title(timeline, "")
    assert "due by then with no outcome reported" in chart_title(timeline, "")


# ---------------------------------------------------------------- a passed plan is not ahead


@pytest.fixture(scope="module")
def timeline():
    refs = load_references()
    named = NamedFacts.from_facts(mw.load_facts())
    events = pd.concat([mw.load_events(), official.timeline_rows(refs)], ignore_index=True)
    sources = pd.concat([mw.load_sources(), official.timeline_sources(refs)], ignore_index=True)
    shown = timeline_events(events, None, None, horizon_end=named.magnet_target["period_end"])
    return shown, sources


def _timeline_rows(spec: dict) -> list[dict]:
    return [r for rows in spec["datasets"].values() for r in rows if "event_label" in r]


def _ahead_groups(events: pd.DataFrame, date) -> int:
    """The plans (statuses still to come) whose date has not ended by ``date``, by group."""
    plans = events[events["status"].astype(str).isin(["planned", "target", "projected"])]
    return plans[plans["date_end"] >= pd.Timestamp(date)]["event_group"].nunique()


def test_before_its_date_the_plan_is_ahead(record, timeline):
    shown, sources = timeline
    plans = _plans(record, BEFORE_THE_PLAN)
    spec = chart_spec(timeline_chart(shown.events, shown.start, shown.end, sources, plans=plans))
    nd_plan = [
        r for r in _timeline_rows(spec) if r["event"].startswith("IREL plans to produce 450")
    ]
    assert nd_plan and all(r["future"] and not r["due"] for r in nd_plan)
    ahead = _ahead_groups(shown.events, BEFORE_THE_PLAN)
    assert (
        f"; {ahead} of them are plans, targets or projections still ahead on 30 November 2025"
        in (chart_title(spec, ""))
    )
    assert "due" not in chart_title(spec, "")
    assert "due March 2026" not in overview_words.timeline_summary(shown, plans)
    named = NamedFacts.from_facts(mw.load_facts())
    assert "It plans 450 t/yr of neodymium by March 2026" in capacity_words.irel_summary(
        named, _irel(), plans
    )
    heads = capacity_words.capacity_fact_headlines(named, plans).set_index("figure")
    assert (
        heads.loc["IREL planned neodymium output (metal or oxide not stated)", "period"]
        == "by Mar 2026"
    )


def test_after_its_date_the_plan_is_due_never_ahead(record, timeline):
    shown, sources = timeline
    for date in (AFTER_THE_PLAN, None):  # None: the default, the latest date in the record
        plans = plans_as_of(record) if date is None else _plans(record, date)
        spec = chart_spec(
            timeline_chart(shown.events, shown.start, shown.end, sources, plans=plans)
        )
        rows = _timeline_rows(spec)
        nd_plan = [r for r in rows if r["event"].startswith("IREL plans to produce 450")]
        assert nd_plan and all(r["due"] and not r["future"] for r in nd_plan)
        assert {r["status"] for r in nd_plan} == {DUE_STATUS}
        assert {r["due_text"] for r in nd_plan} == {DUE_450}
        assert not [r for r in rows if r["future"] and r["due"]]
        ahead = _ahead_groups(shown.events, plans.as_of)
        title = chart_title(spec, "")
        assert f"; {ahead} of them are plans, targets or projections still ahead on " in title
        assert "and 2 were due by then with no outcome reported" in title  # board approval, 450 t
        summary = overview_words.timeline_summary(shown, plans)
        assert f"**{ahead}** of the events are plans, targets or projections still ahead" in summary
        assert f"IREL plans to produce 450 t of neodymium ({DUE_450})" in summary


def test_the_capacity_page_words_the_passed_plan_as_due(record):
    named = NamedFacts.from_facts(mw.load_facts())
    plans = _plans(record, AFTER_THE_PLAN)
    summary = capacity_words.irel_summary(named, _irel(), plans)
    assert f"It planned 450 t/yr of neodymium ({DUE_450})" in summary
    assert "by March 2026" not in summary and "plans 900 t/yr of neodymium by 2030" in summary
    heads = capacity_words.capacity_fact_headlines(named, plans).set_index("figure")
    assert (
        heads.loc["IREL planned neodymium output (metal or oxide not stated)", "period"] == DUE_450
    )
    assert (
        heads.loc["IREL neodymium output target (metal or oxide not stated)", "period"] == "by 2030"
    )
    spec = chart_spec(
        capacity_charts.capacity_chart(irel_facts(mw.load_facts()), mw.load_sources(), plans=plans)
    )
    rows = [r for data in spec["datasets"].values() for r in data if r.get("metric")]
    plan = [r for r in rows if r.get("fact_id") == "ibns_irel_nd_plan_2026"]
    assert plan and all(r["due"] and not r["future"] for r in plan)
    assert {r["value_text"] for r in plan} == {f"450 t/yr: {DUE_450}"}
    assert chart_title(spec, "").endswith("it plans 900 t of neodymium by 2030")


def test_a_plan_past_even_its_latest_date_is_due_in_the_chart_title(record):
    plans = _plans(record, "2031-01-01")
    named = NamedFacts.from_facts(mw.load_facts())
    assert "planned 900 t/yr of neodymium (due 2030, outcome not reported)" in (
        capacity_words.irel_summary(named, _irel(), plans)
    )
    spec = chart_spec(
        capacity_charts.capacity_chart(irel_facts(mw.load_facts()), mw.load_sources(), plans=plans)
    )
    assert chart_title(spec, "").endswith(
        "its plan of 900 t of neodymium was due 2030, outcome not reported"
    )
    heads = overview_words.overview_headlines(named, plans).set_index("figure")
    assert heads.loc["IREL neodymium output target", "period"] == "due 2030, outcome not reported"
