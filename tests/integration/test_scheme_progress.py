"""The scheme's progress against its clock: its milestones as dated events, as of a date, in a
chart, a table and words on the capacity page."""

from __future__ import annotations

import pandas as pd
import pytest

from magnet_watch.analysis.official_terms import official_clock
from magnet_watch.analysis.scheme_progress import award_recorded, scheme_milestones
from magnet_watch.data.inputs import CapacityInputs
from magnet_watch.data.record_view import view_as_of
from magnet_watch.narrative.scheme_progress import (
    milestones_table,
    progress_finding,
    progress_summary,
)

pytestmark = pytest.mark.xdist_group("report_builds")


def _states(as_of) -> dict[str, str]:
    milestones = scheme_milestones(view_as_of(as_of).record)
    return dict(zip(milestones["event_id"].str.split("/").str[1], milestones["state"], strict=True))


def test_at_the_latest_date_the_tender_steps_have_happened_and_the_bids_are_ahead():
    assert _states(None) == {
        "scheme_approved": "happened",
        "scheme_notified": "happened",
        "stakeholder_consultation": "happened",
        "rfp_issued": "happened",
        "prebid_conference": "happened",
        "bid_deadline_extended": "happened",
        "bid_due_first": "restated",
        "bidder_queries_answered": "ahead",
        "bid_due_extended": "ahead",
        "technical_bids_opening": "ahead",
    }


def test_as_of_the_end_of_the_articles_only_the_approval_is_recorded():
    assert _states("2025-11-30") == {"scheme_approved": "happened"}


def test_the_milestones_are_dated_and_in_order():
    milestones = scheme_milestones(view_as_of(None).record)
    assert milestones["date_start"].is_monotonic_increasing
    assert not award_recorded(milestones)


def test_the_milestones_table_names_each_page_by_publisher_and_date_never_by_its_ids():
    milestones = scheme_milestones(view_as_of(None).record)
    table = milestones_table(milestones)
    cited = dict(zip(table["milestone"], table["reported by"], strict=True))
    extended = milestones.loc[milestones["event_id"].str.endswith("/bid_deadline_extended"), "what"]
    assert cited[extended.iloc[0]] == "PIB Tracker (copy of a PIB Delhi release), 15 May 2026"
    ids = set(milestones["package"]) | set(milestones["page_id"])
    assert not any(i in text for i in ids for text in table.to_numpy().ravel().astype(str))


def test_the_words_say_where_the_scheme_stands_against_its_clock():
    view = view_as_of(None)
    clock = official_clock(CapacityInputs.from_data(view.facts, view.refs).terms)
    milestones = scheme_milestones(view.record)
    assert progress_finding(milestones, clock, view.as_of) == (
        "As of 27 May 2026 no award is recorded: the clock starts in 2026 at the earliest, "
        "magnets not before 2028"
    )
    text = progress_summary(milestones, clock, view.as_of)
    assert "Pre-bid conference for prospective bidders in New Delhi (7 April 2026)" in text
    assert "Bids due (29 June 2026)" in text and "no magnets before 2028" in text


def test_the_default_build_shows_the_scheme_milestones(project_build):
    out, _ = project_build
    page = (out / "02_capacity.html").read_text(encoding="utf-8")
    assert (
        "The scheme&#x27;s progress as of 27 May 2026" in page
        or "The scheme's progress as of 27 May 2026" in page
    )
    assert "Pre-bid conference" in page
    data = pd.read_csv(out / "charts" / "capacity_scheme_progress.csv")
    assert "Technical bids to be opened" in set(data["milestone"])
    assert set(data["as_of"]) == {"2026-05-27"}
