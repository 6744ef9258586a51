"""The headline figures as they stood on a date (analysis.record_in_time): a figure changes
exactly when the record it rests on becomes public, and nothing public after the date leaks
into a figure computed as of it."""

from __future__ import annotations

import pandas as pd
import pytest

from magnet_watch.analysis.record_in_time import (
    HEADLINE_COLUMNS,
    edition_record,
    headline_figures,
    record_change_dates,
    record_entries,
)
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.record import latest_record, record_dates
from magnet_watch.data.record_view import view_as_of
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.replay import model_values

DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def values():
    return model_values()


@pytest.fixture(scope="module")
def entries():
    return record_entries().set_index("record_id")


@pytest.fixture(scope="module")
def by_date(values):
    """The headline figures as of each record-change date, computed once for the module."""
    return {day: headline_figures(day, values) for day in record_change_dates()}


def _figure(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame.set_index("key").loc[key]


def test_the_change_dates_are_record_dates_from_the_first_date_the_pages_can_be_built_at():
    dates = record_change_dates()
    everything = record_dates(latest_record())
    assert dates == [d for d in everything if d >= dates[0]]
    assert dates[-1] == latest_record().as_of
    view_as_of(dates[0])  # the pages can be built on the first
    earlier = [d for d in everything if d < dates[0]]
    assert earlier, "the record starts before the pages can be built"
    with pytest.raises(ParameterError, match="too early"):
        view_as_of(earlier[-1])


def test_every_headline_rests_only_on_records_public_by_its_date(by_date, entries):
    for day, figures in by_date.items():
        assert list(figures.columns) == HEADLINE_COLUMNS
        for key, rests_on in zip(figures["key"], figures["rests_on"], strict=True):
            for record_id in rests_on:
                public = entries.loc[record_id, PUBLIC_FROM]
                assert public <= day, f"{key} as of {day:%Y-%m-%d} rests on {record_id} ({public})"


def test_the_current_edition_changes_exactly_when_its_version_becomes_public(values):
    versions = latest_record().editions.versions
    later = versions[versions[PUBLIC_FROM] > record_change_dates()[0]]
    assert len(later), "the record holds a version public after the pages' first date"
    for version in later.itertuples():
        day = getattr(version, PUBLIC_FROM)
        before = _figure(headline_figures(day - DAY, values), "usgs_edition")
        then = _figure(headline_figures(day, values), "usgs_edition")
        assert edition_record(version.version_id) not in before["rests_on"]
        assert edition_record(version.version_id) in then["rests_on"]
        assert then["context"] == str(version.version)
        assert (before["value"], before["context"]) != (then["value"], then["context"])


def test_the_reserves_verdict_turns_not_available_with_the_edition_that_prints_none(values):
    editions = latest_record().editions
    first_2026 = editions.versions.loc[editions.versions["edition"] == "mcs2026", PUBLIC_FROM].min()
    before = _figure(headline_figures(first_2026 - DAY, values), "reserves_verdict")
    then = _figure(headline_figures(first_2026, values), "reserves_verdict")
    assert before["value"] == "agree" and before["context"] == editions.titles["mcs2025"]
    assert then["value"] == "not available" and then["context"] == editions.titles["mcs2026"]


def test_the_scheme_milestone_moves_on_the_day_its_page_is_public_and_not_before(by_date, entries):
    dates = list(by_date)
    seen = [_figure(by_date[d], "scheme_latest_milestone") for d in dates]
    changed = [
        (day, now)
        for day, was, now in zip(dates[1:], seen[:-1], seen[1:], strict=True)
        if now["value"] != was["value"]
    ]
    assert changed, "the scheme has milestones after the first date"
    for day, now in changed:
        (page,) = now["rests_on"]
        assert entries.loc[page, PUBLIC_FROM] == day


def test_figures_no_record_changed_stay_the_same_across_every_date(by_date):
    first, last = by_date[min(by_date)], by_date[max(by_date)]
    for key in ("national_target", "irel_nd_plan", "latest_imports", "china_import_share"):
        assert _figure(first, key)["value"] == _figure(last, key)["value"], key


def test_a_date_before_the_pages_can_be_built_is_refused_with_a_sentence(values):
    with pytest.raises(ParameterError, match="too early"):
        headline_figures(record_change_dates()[0] - DAY, values)
