"""What changed, in words (narrative.what_changed): each figure that differs, old and new,
with the records that changed it, or the date itself when no record did."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.record_in_time import ENTRY_COLUMNS, HEADLINE_COLUMNS
from magnet_watch.narrative.what_changed import changes, changes_sentence, headline_words

SINCE, NOW = pd.Timestamp("2025-11-30"), pd.Timestamp("2026-05-27")
ENTRIES = pd.DataFrame(
    [
        ("edition/old-1", "edition", "USGS", "Old edition", pd.Timestamp("2025-01-31")),
        ("edition/new-1", "edition", "USGS", "New edition", pd.Timestamp("2026-02-06")),
        ("source/article", "document", "A paper", "An article", pd.Timestamp("2025-11-30")),
    ],
    columns=ENTRY_COLUMNS,
)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


OLD = _frame(
    [
        ("national_target", 6000.0, 2032, ("source/article",)),
        ("usgs_edition", "Old edition", "1.0", ("edition/old-1",)),
        ("official_first_magnets", 2027, 2025, ()),
    ]
)
NEW = _frame(
    [
        ("national_target", 6000.0, 2032, ("source/article",)),
        ("usgs_edition", "New edition", "1.0", ("edition/new-1",)),
        ("official_first_magnets", 2028, 2026, ()),
    ]
)


def test_only_the_figures_that_differ_are_listed_with_old_and_new():
    table = changes(OLD, NEW, ENTRIES, SINCE, NOW)
    assert list(table["key"]) == ["usgs_edition", "official_first_magnets"]
    edition = table.set_index("key").loc["usgs_edition"]
    assert edition["before"] == "Old edition (version 1.0)"
    assert edition["now"] == "New edition (version 1.0)"


def test_the_record_that_changed_a_figure_is_named_with_its_publisher_title_and_date():
    edition = changes(OLD, NEW, ENTRIES, SINCE, NOW).set_index("key").loc["usgs_edition"]
    assert edition["changed_by"] == "USGS, “New edition” (6 February 2026)"


def test_a_figure_the_date_moved_says_no_new_record_and_why():
    clock = changes(OLD, NEW, ENTRIES, SINCE, NOW).set_index("key").loc["official_first_magnets"]
    assert clock["before"] == "2027 (award in 2025)" and clock["now"] == "2028 (award in 2026)"
    assert clock["changed_by"].startswith("No new record: no award recorded by 27 May 2026")


def test_the_sentence_counts_the_changes_or_says_none_changed():
    table = changes(OLD, NEW, ENTRIES, SINCE, NOW)
    assert changes_sentence(table, SINCE, NOW) == (
        "2 headline figures or verdicts changed between 30 November 2025 and 27 May 2026."
    )
    none = changes(OLD, OLD, ENTRIES, SINCE, NOW)
    assert none.empty
    assert changes_sentence(none, SINCE, NOW).startswith("No headline figure or verdict changed")


def test_headline_words_keep_ranges_as_ranges():
    heads = headline_words(_frame([("irel_nd_plan", (385.8, 450.0), 2026, ("source/article",))]))
    assert heads.iloc[0]["value"] == "386–450 t/yr" and heads.iloc[0]["period"] == "in 2026"
