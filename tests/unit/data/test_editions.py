"""USGS editions side by side: both editions tidy, MCS 2026's versions dated, revisions kept as
second rows, the edition current at a date, and bad rows refused naming file, line and column."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.tables import problems_of

from magnet_watch.data import editions as ed
from magnet_watch.data.reference import load_usgs_prices, load_usgs_world
from magnet_watch.data.reference_packages import package_names


@pytest.fixture(scope="module")
def editions() -> ed.Editions:
    return ed.load_editions()


def test_both_editions_and_every_version_are_held_and_dated(editions):
    assert editions.titles == {
        "mcs2025": "Mineral Commodity Summaries 2025",
        "mcs2026": "Mineral Commodity Summaries 2026",
    }
    dated = dict(
        zip(editions.versions["version_id"], editions.versions["public_from"], strict=True)
    )
    assert dated == {
        "mcs2025-1.0": pd.Timestamp("2025-01-31"),  # printed "January 2025": its last day
        "mcs2026-1.0": pd.Timestamp("2026-02-06"),
        "mcs2026-1.1": pd.Timestamp("2026-03-05"),
        "mcs2026-1.2": pd.Timestamp("2026-04-15"),
        "mcs2026-1.3": pd.Timestamp("2026-05-27"),
    }
    assert "usgs-mcs-rare-earths" not in package_names()  # its own loader, not a page package


@pytest.mark.parametrize(
    ("date", "current"),
    [
        ("2025-01-30", None),
        ("2025-11-30", ("mcs2025", "1.0")),
        ("2026-02-05", ("mcs2025", "1.0")),
        ("2026-02-06", ("mcs2026", "1.0")),
        ("2026-05-26", ("mcs2026", "1.2")),
        ("2026-05-27", ("mcs2026", "1.3")),
        ("2026-12-05", ("mcs2026", "1.3")),
    ],
)
def test_the_edition_current_at_a_date_is_the_latest_version_public_by_then(
    editions, date, current
):
    row = editions.current(date)
    assert (None if row is None else (row["edition"], row["version"])) == current


def test_a_revised_figure_keeps_both_rows_each_with_its_versions(editions):
    brazil = [
        editions.figure("mcs2026", "Brazil", "reserves", 2025, v)["value_t_reo"]
        for v in ("1.0", "1.1", "1.2", "1.3")
    ]
    assert brazil == [21_000_000, 21_000_000, 21_000_000, 11_000_000]
    world = editions.figure("mcs2026", "World total", "reserves", 2025)
    assert (world["value_t_reo"], world["status"]) == (75_000_000, "lower_bound")
    assert (
        editions.figure("mcs2026", "World total", "reserves", 2025, "1.0")["value_t_reo"]
        == 85_000_000
    )
    # The revision is public from its own version, the first row from the first.
    assert editions.figure("mcs2026", "Brazil", "reserves", 2025)["public_from"] == pd.Timestamp(
        "2026-05-27"
    )
    assert editions.figure("mcs2026", "Brazil", "reserves", 2025, "1.0")[
        "public_from"
    ] == pd.Timestamp("2026-02-06")


def test_each_edition_states_its_own_figure_for_the_same_year(editions):
    old = editions.figure("mcs2025", "World total", "mine_production", 2024)
    new = editions.figure("mcs2026", "World total", "mine_production", 2024)
    assert (old["value_t_reo"], new["value_t_reo"]) == (390_000, 380_000)
    assert editions.figure("mcs2025", "India", "reserves", 2024)["value_t_reo"] == 6_900_000
    for version in ("1.0", "1.1", "1.2", "1.3"):
        india = editions.figure("mcs2026", "India", "reserves", 2025, version)
        assert india["status"] == "not_available" and math.isnan(india["value_t_reo"])


def test_as_of_a_date_leaves_out_later_editions_and_versions(editions):
    end_of_articles = editions.as_of("2025-11-30")
    assert list(end_of_articles.versions["version_id"]) == ["mcs2025-1.0"]
    assert set(end_of_articles.world["edition"]) == {"mcs2025"}
    assert set(end_of_articles.prices["edition"]) == {"mcs2025"}
    april = editions.as_of("2026-04-01")
    assert set(zip(april.world["edition"], april.world["version"], strict=True)) == {
        ("mcs2025", "1.0"),
        ("mcs2026", "1.1"),
    }
    assert april.figure("mcs2026", "Brazil", "reserves", 2025)["value_t_reo"] == 21_000_000
    with pytest.raises(ValueError, match="not public on 2025-11-30"):
        editions.latest_version("mcs2026", "2025-11-30")


def test_an_unknown_edition_or_figure_names_what_there_is(editions):
    with pytest.raises(KeyError, match="there are \\['mcs2025', 'mcs2026'\\]"):
        editions.figure("mcs2027", "India", "reserves", 2026)
    with pytest.raises(KeyError, match="has no reserves 2026 for 'India'"):
        editions.figure("mcs2026", "India", "reserves", 2026)


def test_the_tidy_mcs_2025_agrees_figure_by_figure_with_the_wide_files(editions):
    """The wide files of issue 1 stay, because UsgsReference reads them: the two must not drift."""
    names = {"Other": "Other countries", "World total (rounded)": "World total"}
    wide = load_usgs_world()
    for row in wide.to_dict("records"):
        year = 2024 if row["measure"] == "reserves" else int(row["year"])
        tidy = editions.figure(
            "mcs2025", names.get(row["country"], row["country"]), row["measure"], year
        )
        same = (math.isnan(tidy["value_t_reo"]) and math.isnan(row["value_t_reo"])) or (
            tidy["value_t_reo"] == row["value_t_reo"]
        )
        assert same, (row["country"], row["measure"], row["year"])
    tidy_prices = editions.prices[editions.prices["edition"] == "mcs2025"]
    assert len(tidy_prices) == len(load_usgs_prices())
    for row in load_usgs_prices().to_dict("records"):
        product = row["product"].replace(" oxide ", " oxide, ")
        match = tidy_prices[
            (tidy_prices["product"] == product) & (tidy_prices["year"] == row["year"])
        ]
        assert match["price_usd_per_kg"].tolist() == [row["price_usd_per_kg"]]


def test_world_totals_of_every_version_agree_with_their_rows(editions):
    checks = ed.total_checks(editions.world.assign(file="x", csv_line=0))
    assert checks["passed"].all()
    assert len(checks) == 3 + 3 * 4  # MCS 2025: 2023, 2024, reserves; MCS 2026: 3 in 4 versions


def _edit(path: Path, change) -> int:
    """Rewrite a CSV after ``change(rows)`` edits its rows (the header is rows[0]); return the
    CSV line of the row ``change`` returns the index of."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    index = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return index + 1


def _row(rows, *cells) -> int:
    return next(i for i, r in enumerate(rows) if r[: len(cells)] == list(cells))


def _set(column, value, *cells):
    def change(rows):
        i = _row(rows, *cells)
        rows[i][rows[0].index(column)] = value
        return i

    return change


def _delete(*cells):
    def change(rows):
        i = _row(rows, *cells)
        del rows[i]
        return i - 1  # the problem names the row before it (the figure's last row)

    return change


BAD_EDITIONS = [
    # (case, file, change, column, what the error says)
    (
        "a version the edition does not have",
        "mcs2025_world.csv",
        _set("versions", "1.4", "India", "reserves"),
        "versions",
        "names a version mcs2025 does not have",
    ),
    (
        "a value where the source prints NA",
        "mcs2025_world.csv",
        _set("value_t_reo", "1000", "Burma", "reserves"),
        "value_t_reo",
        "status not_available means no value",
    ),
    (
        "no value for an estimate",
        "mcs2025_world.csv",
        _set("value_t_reo", "", "India", "mine_production", "2024"),
        "value_t_reo",
        "status estimated needs a value",
    ),
    (
        "two rows of one figure in the same version",
        "mcs2026_world.csv",
        _set("versions", "1.2-1.3", "Brazil", "reserves", "2025", "11000000"),
        "versions",
        "two rows for version(s) ['1.2']",
    ),
    (
        "a figure missing from a version",
        "mcs2026_world.csv",
        _delete("Brazil", "reserves", "2025", "11000000"),
        "versions",
        "no row for version(s) ['1.3'] of mcs2026",
    ),
    (
        "a world total the rows do not add up to",
        "mcs2025_world.csv",
        _set("value_t_reo", "200000", "China", "mine_production", "2024"),
        "value_t_reo",
        "world total inconsistent with the rows in mcs2025 v1.0",
    ),
    (
        "a changed copy of the transcription",
        "mcs2026_prices.csv",
        _set("price_usd_per_kg", "99", "Neodymium oxide, 99.5% minimum", "2021"),
        None,
        "the copy of the transcription has changed",
    ),
    (
        "a version id that is not its edition and version",
        "versions.csv",
        _set("version_id", "mcs2026-9.9", "mcs2026-1.2"),
        "version_id",
        "must read mcs2026-1.2",
    ),
    (
        "an undated version without available_from",
        "versions.csv",
        _set("released", "", "mcs2025-1.0"),
        "available_from",
        "no publication date printed",
    ),
]


@pytest.mark.parametrize(
    ("case", "file", "change", "column", "text"), BAD_EDITIONS, ids=[c[0] for c in BAD_EDITIONS]
)
def test_a_bad_edition_row_is_refused_naming_file_line_and_column(
    tmp_path, case, file, change, column, text
):
    folder = tmp_path / "editions"
    shutil.copytree(ed.EDITIONS_DIR, folder)
    line = _edit(folder / file, change)
    problems = problems_of(lambda: ed.load_editions(folder))
    matching = [p for p in problems if p.file == file and p.column == column and text in p.message]
    assert matching, problems
    # A missing row is named by the figure's remaining row, a bad total by the total's own row.
    if column is not None and "missing" not in case and "total" not in case:
        assert line in {p.line for p in matching}
