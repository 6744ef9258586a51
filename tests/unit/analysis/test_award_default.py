"""The award year's default: the earliest the record allows at the as-of date (the year of a
recorded award; with none recorded, not before the as-of date's year, nor the approval's),
and the page says so."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from magnet_watch.analysis.official_terms import official_clock
from magnet_watch.data.inputs import CapacityInputs
from magnet_watch.data.later_references import AWARD_GROUP, References, load_references
from magnet_watch.data.record_view import view_as_of
from magnet_watch.errors import ParameterError
from magnet_watch.narrative.official_terms import award_default_words, clock_summary


def _clock(as_of, award_year=None):
    view = view_as_of(as_of)
    return official_clock(CapacityInputs.from_data(view.facts, view.refs).terms, award_year)


def test_as_of_the_end_of_the_articles_the_award_defaults_to_the_approval_year():
    clock = _clock("2025-11-30")
    assert (clock.award_year, clock.first_output_year, clock.end_year) == (2025, 2027, 2032)


def test_with_no_award_recorded_the_award_is_not_before_the_as_of_year():
    clock = _clock(None)  # the latest date in the record, 27 May 2026: bids due, no award
    assert (clock.award_year, clock.first_output_year, clock.end_year) == (2026, 2028, 2033)
    assert load_references().earliest_award_year() == 2026


def test_an_explicit_award_year_is_kept_and_one_before_the_approval_refused():
    assert _clock(None, 2029).award_year == 2029
    with pytest.raises(ParameterError, match="before the scheme's approval in 2025"):
        _clock(None, 2024)


def test_a_recorded_award_sets_the_default_to_its_year():
    view = view_as_of(None)
    packages = dict(view.record.references)
    tender = packages["scheme-tender-2026"]
    award = tender.events.iloc[[0]].assign(
        event_id="award",
        event_group=AWARD_GROUP,
        status="happened",
        date_start=pd.Timestamp("2027-02-01"),
    )
    packages["scheme-tender-2026"] = replace(tender, events=pd.concat([tender.events, award]))
    refs = References.from_packages(packages, view.as_of)
    assert refs.award_date == pd.Timestamp("2027-02-01")
    assert refs.earliest_award_year() == 2027
    assert "the year of the award, recorded on 1 February 2027" in award_default_words(refs)
    planned = award.assign(status="planned")
    packages["scheme-tender-2026"] = replace(tender, events=pd.concat([tender.events, planned]))
    assert References.from_packages(packages, view.as_of).earliest_award_year() == 2026


def test_the_page_says_why_the_award_year_is_what_it_is():
    view = view_as_of(None)
    clock = _clock(None)
    text = clock_summary(clock, view.refs, 2028, 2028)
    assert "**2026**" in text
    assert "the earliest the record allows as of 27 May 2026: no award is recorded by then" in text
    then = view_as_of("2025-11-30")
    assert "as of 30 November 2025" in clock_summary(_clock("2025-11-30"), then.refs, 2028, 2027)
