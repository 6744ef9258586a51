"""The record as it stood on a date: nothing published later, at any level; the default is the
latest date in the record."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from magnet_watch.data.load import load_package
from magnet_watch.data.record import (
    load_record,
    passed_without_outcome,
    record_as_of,
    record_dates,
)
from magnet_watch.errors import ParameterError

END_OF_ARTICLES = "2025-11-30"


@pytest.fixture(scope="module")
def record():
    return load_record()


def _public_dates(record) -> list[pd.Timestamp]:
    """Every public_from of every row the record holds, at every level."""
    frames = [
        record.sources,
        record.facts,
        record.events,
        record.editions.versions,
        record.editions.world,
        record.editions.prices,
    ]
    for pkg in record.references.values():
        frames += [pkg.pages, pkg.figures, pkg.events]
    return [d for f in frames for d in f["public_from"]]


def test_every_row_of_the_record_has_a_public_date(record):
    assert all(pd.notna(d) for d in _public_dates(record))


def test_as_of_the_end_of_the_articles_no_later_record_is_left(record):
    then = record_as_of(END_OF_ARTICLES, record)
    assert max(_public_dates(then)) <= pd.Timestamp(END_OF_ARTICLES)
    assert len(then.facts) == len(record.facts)  # the articles themselves all stand
    assert "scheme-notification-2025-12-15" not in then.references
    assert "scheme-tender-2026" not in then.references
    assert "demand-2026-02-11-lok-sabha" not in then.references
    assert then.editions.current(then.as_of)["edition"] == "mcs2025"
    assert set(then.editions.world["edition"]) == {"mcs2025"}
    china = then.references["china-export-controls-2025-11"]
    assert "licences_for_indian_firms" not in set(china.events["event_id"])  # reported 26 Dec
    assert "october_suspension_ends" in set(china.events["event_id"])  # known from 7 Nov


def test_the_default_is_the_latest_date_with_mcs_2026_and_the_scheme_milestones(record):
    now = record_as_of(record=record)
    assert now.as_of == record_dates(record)[-1] == pd.Timestamp("2026-05-27")
    current = now.editions.current(now.as_of)
    assert (current["edition"], current["version"]) == ("mcs2026", "1.3")
    milestones = set(now.references["scheme-tender-2026"].events["event_id"])
    assert {
        "rfp_issued",
        "prebid_conference",
        "bid_due_first",
        "bid_deadline_extended",
        "bid_due_extended",
        "technical_bids_opening",
    } <= milestones
    assert "scheme_notified" in set(
        now.references["scheme-notification-2025-12-15"].events["event_id"]
    )


def test_a_milestone_set_later_is_not_known_before(record):
    april = record_as_of("2026-04-10", record)
    events = set(april.references["scheme-tender-2026"].events["event_id"])
    assert events == {"rfp_issued", "prebid_conference", "bid_due_first"}


def test_a_document_and_its_facts_count_from_its_own_date(record):
    day = record_as_of("2025-08-14", record)
    assert set(day.sources["source_id"]) == {
        "japan-korea-cooperation",
        "indiapost-irel-partners",
        "ibns-export-halt",
    }
    assert set(day.facts["source_id"].astype(str)) <= set(day.sources["source_id"])
    assert "strategic-pursuit" not in set(day.events["source_id"].astype(str))


def test_a_check_is_kept_only_when_all_its_figures_are_public(record):
    notified = record_as_of("2025-12-15", record).references["scheme-notification-2025-12-15"]
    assert list(notified.figures["figure_id"]) == ["outlay"]  # only the gazette by then
    assert notified.checks.empty
    later = record_as_of("2026-01-12", record).references["scheme-notification-2025-12-15"]
    assert later.checks["passed"].all() and len(later.checks) == 7


def test_record_dates_are_the_days_the_record_changed(record):
    dates = record_dates(record)
    assert dates == sorted(set(dates))
    for day in ("2025-11-26", "2025-12-15", "2026-02-06", "2026-03-20", "2026-05-15", "2026-05-27"):
        assert pd.Timestamp(day) in dates


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", ""])
def test_an_as_of_that_is_not_a_date_is_refused_in_a_sentence(record, bad):
    with pytest.raises(ParameterError, match="as_of must be an ISO date such as 2025-11-30"):
        record_as_of(bad, record)


@pytest.fixture(scope="module")
def statuses():
    return load_package().statuses


def _due(record, date, statuses) -> list[str]:
    return list(passed_without_outcome(record_as_of(date, record), statuses)["event_id"])


def test_a_plan_whose_date_has_passed_without_an_outcome_is_due_never_ahead(record, statuses):
    assert _due(record, END_OF_ARTICLES, statuses) == []
    # IREL's 450 t "by March 2026" (a seed) and 200 t by the end of FY2025-26 (a reference).
    assert _due(record, "2026-04-01", statuses) == [
        "ipl_2025_board_approval",
        "ibns_2026_03_nd_plan",
        "irel-neodymium-2025-11-09/nd_target_fy2026",
    ]
    later = _due(record, "2026-12-05", statuses)
    assert {
        "scheme-tender-2026/bid_due_extended",
        "scheme-tender-2026/technical_bids_opening",
        "china-export-controls-2025-11/october_suspension_ends",
    } <= set(later)


def test_a_moved_deadline_counts_as_the_later_plan_only(record, statuses):
    assert "scheme-tender-2026/bid_due_first" not in _due(record, "2026-12-05", statuses)
    assert "scheme-tender-2026/bid_due_extended" not in _due(record, "2026-06-01", statuses)


def test_a_recorded_outcome_takes_a_plan_off_the_due_list(record, statuses):
    then = record_as_of("2026-04-01", record)
    nd_plan = then.events[then.events["event_id"] == "ibns_2026_03_nd_plan"].iloc[0]
    outcome = nd_plan.copy()
    outcome["event_id"], outcome["status"] = "ibns_2026_03_nd_outcome", "happened"
    events = pd.concat([then.events, outcome.to_frame().T], ignore_index=True)
    with_outcome = replace(
        then, events=events.astype({"date_end": "datetime64[ns]", "public_from": "datetime64[ns]"})
    )
    assert "ibns_2026_03_nd_plan" not in list(
        passed_without_outcome(with_outcome, statuses)["event_id"]
    )
