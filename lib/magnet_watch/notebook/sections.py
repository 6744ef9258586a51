"""Sections of the model notebooks that show several things at once: a chart, its table and
its finding, drawn and worded from one run's result. A notebook calls one function per
section, so its cells read as a document."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis import official_terms as official
from magnet_watch.analysis.imports import implied_growth_rate_pct
from magnet_watch.analysis.outlook import ClockOutlook, DemandOutlook
from magnet_watch.analysis.timeline import timeline_events
from magnet_watch.charts import imports as imports_charts
from magnet_watch.charts import official_terms as official_charts
from magnet_watch.charts.overview import timeline_chart
from magnet_watch.data.inputs import ImportsInputs, MagnetTarget
from magnet_watch.data.later_references import References
from magnet_watch.data.lookups import facts_for
from magnet_watch.narrative import imports as imports_words
from magnet_watch.narrative import official_terms as official_words
from magnet_watch.narrative.overview import timeline_summary
from magnet_watch.narrative.what_changed import changes_for_readers
from magnet_watch.notebook import replay
from magnet_watch.notebook.display import show_chart, show_findings, show_table


def official_clock_section(
    clock: ClockOutlook,
    refs: References,
    nd_mass_fraction: float,
    target: MagnetTarget,
    sources: pd.DataFrame,
) -> None:
    """Show the official clock against the articles' reading: the chart and its summary."""
    first = (clock.first_short_articles, clock.first_short_official)
    chart = official_charts.clock_chart(
        clock.articles_gap,
        clock.official_gap,
        official_words.clock_finding(clock.clock, *first),
        official_words.clock_note(clock.clock, refs, nd_mass_fraction),
        [target.source_id],
        sources,
    )
    show_chart(chart, name="capacity_official_clock")
    show_findings(official_words.clock_summary(clock.clock, refs, *first))


def coverage_section(
    run: DemandOutlook, inputs: ImportsInputs, facts: pd.DataFrame, sources: pd.DataFrame
) -> None:
    """Show projected demand against domestic output: the chart, the table and the finding."""
    rate = run.growth.rate_pct_per_yr
    chart = imports_charts.demand_coverage_chart(
        run.coverage,
        rate,
        inputs.capacity.target,
        inputs.base,
        imports_words.base_note(inputs, run.base_given_t),
        facts,
        sources,
    )
    show_chart(chart, name="imports_demand_coverage")
    show_table(
        imports_words.coverage_table(run.coverage),
        caption="Projected demand, domestic output and the share covered",
    )
    basis = official_words.coverage_basis_words(run.growth)
    show_findings(
        imports_words.coverage_summary(
            run.coverage, rate, inputs, base_demand_t=run.base_given_t, basis_words=basis
        )
    )


def official_series_section(
    run: DemandOutlook,
    inputs: ImportsInputs,
    refs: References,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
) -> None:
    """Show the official import series beside the articles' claim, and the growth it implies."""
    series = inputs.series
    chart = official_charts.imports_series_chart(
        series,
        facts_for("magnet_imports", "India", facts=facts),
        official.restrictions_date(refs),
        official_words.series_finding(series, refs),
        official_words.series_note(refs),
        sources,
    )
    show_chart(chart, name="imports_official_series")
    growth = official_words.growth_words(
        run.growth, official.series_growth(series), implied_growth_rate_pct(inputs)
    )
    show_findings(official_words.series_summary(series, refs, facts) + "\n\n" + growth)


def scheme_progress_section(
    record, clock: ClockOutlook, target: MagnetTarget, sources: pd.DataFrame
) -> None:
    """Show the scheme's milestones as of the record's date against its official clock: the
    chart, where it stands in words, and the table of milestones."""
    from magnet_watch.analysis.scheme_progress import scheme_milestones
    from magnet_watch.narrative import scheme_progress as progress_words

    milestones = scheme_milestones(record)
    finding = progress_words.progress_finding(milestones, clock.clock, record.as_of)
    note = "Dots: the milestones in the later references; dashed lines: the official clock's years."
    show_chart(
        official_charts.progress_chart(
            milestones, clock.clock, finding, note, [target.source_id], sources
        ),
        name="capacity_scheme_progress",
    )
    show_findings(progress_words.progress_summary(milestones, clock.clock, record.as_of))
    show_table(progress_words.milestones_table(milestones), caption="The scheme's milestones")


def timeline_section(view, named, start_year, end_year, include_future: bool) -> None:
    """Show 01's timeline: the documents' dated events with the later references' (``view``:
    the record as of the page's date), from ``start_year`` to ``end_year`` (None: the earliest
    event, the magnet target's horizon), and its words."""
    reference_events = official.timeline_rows(view.refs)
    events = pd.concat([view.events, reference_events], ignore_index=True)
    sources = pd.concat([view.sources, official.timeline_sources(view.refs)], ignore_index=True)
    timeline = timeline_events(
        events,
        start_year,
        end_year,
        include_future=include_future,
        horizon_end=named.magnet_target["period_end"],
    )
    show_chart(
        timeline_chart(timeline.events, timeline.start, timeline.end, sources),
        name="overview_timeline",
    )
    shown = reference_events["event_id"].isin(timeline.events["event_id"])
    show_findings(
        timeline_summary(timeline)
        + " "
        + official_words.timeline_reference_summary(reference_events[shown])
    )


def what_changed_section(since, as_of, values: dict) -> None:
    """Show what changed between ``since`` and ``as_of`` (01's table, the index's block): the
    sentence, then the changes as a reader's table when there are any."""
    changed, changed_words = replay.what_changed_table(since, as_of, values)
    show_findings(changed_words)
    if len(changed):
        show_table(changes_for_readers(changed))
