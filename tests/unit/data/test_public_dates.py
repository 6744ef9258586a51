"""Every record has the date it became public: documents and pages by the date they print, or an
available_from date with its reason; a record cannot say something happened before it was public."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers.tables import problems_of, set_cell

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.data import reference_packages as rp
from magnet_watch.data.public_dates import printed_date_public_from


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


def test_a_printed_day_counts_from_that_day_and_a_month_or_year_from_its_last_day():
    assert printed_date_public_from("2025-11-26") == pd.Timestamp("2025-11-26")
    assert printed_date_public_from("2025-01") == pd.Timestamp("2025-01-31")
    assert printed_date_public_from("2025") == pd.Timestamp("2025-12-31")
    assert pd.isna(printed_date_public_from(""))


def test_every_document_has_a_public_date_and_the_undated_ones_say_why():
    sources = mw.load_sources()
    assert sources["public_from"].notna().all()
    undated = sources[sources["published"].isna()]
    assert len(undated) == 3
    assert (
        undated["available_from_reason"]
        .str.startswith("The latest date its own text refers to")
        .all()
    )
    dated = sources[sources["published"].notna()]
    assert (dated["public_from"] == pd.to_datetime(dated["published"].astype(str))).all()
    assert dated["available_from"].isna().all()  # one place: a printed day is not written twice


def test_every_reference_page_figure_and_event_has_a_public_date():
    for name, pkg in rp.load_reference_packages().items():
        assert pkg.pages["public_from"].notna().all(), name
        assert pkg.figures["public_from"].notna().all(), name
        assert pkg.events["public_from"].notna().all(), name
        printed = pkg.pages["date_published"].notna()
        assert (
            pkg.pages.loc[printed, "public_from"] == pkg.pages.loc[printed, "date_published"]
        ).all()


# (case, cells to set as (file, row id, column, value), file, row id, column, what the error says)
BAD_SOURCE_DATES = [
    (
        "an undated document without available_from",
        [
            ("sources.csv", "strategic-pursuit", "available_from", ""),
            ("sources.csv", "strategic-pursuit", "available_from_reason", ""),
        ],
        "sources.csv",
        "strategic-pursuit",
        "available_from",
        "no publication date printed",
    ),
    (
        "available_from without its reason",
        [("sources.csv", "strategic-pursuit", "available_from_reason", "")],
        "sources.csv",
        "strategic-pursuit",
        "available_from_reason",
        "needs its reason",
    ),
    (
        "a reason without a date",
        [
            (
                "sources.csv",
                "japan-korea-cooperation",
                "available_from_reason",
                "entered the project",
            )
        ],
        "sources.csv",
        "japan-korea-cooperation",
        "available_from",
        "a reason is given but no available_from",
    ),
    (
        "available_from beside a printed day",
        [
            ("sources.csv", "japan-korea-cooperation", "available_from", "2025-08-20"),
            (
                "sources.csv",
                "japan-korea-cooperation",
                "available_from_reason",
                "entered the project",
            ),
        ],
        "sources.csv",
        "japan-korea-cooperation",
        "available_from",
        "prints the day (2025-08-14)",
    ),
    (
        "available_from outside the printed month",
        [
            ("sources.csv", "japan-korea-cooperation", "published", "2025-08"),
            ("sources.csv", "japan-korea-cooperation", "published_precision", "month"),
            ("sources.csv", "japan-korea-cooperation", "available_from", "2025-09-02"),
            (
                "sources.csv",
                "japan-korea-cooperation",
                "available_from_reason",
                "the byline's month",
            ),
        ],
        "sources.csv",
        "japan-korea-cooperation",
        "available_from",
        "outside the period the document prints (2025-08)",
    ),
    (
        "an event reported as past before its document was public",
        [("sources.csv", "strategic-pursuit", "available_from", "2025-08-15")],
        "events.csv",
        "sp_2025_08_partner_search",
        "date",
        "its document was public from 2025-08-15",
    ),
    (
        "a fact as of a month after its document was public",
        [("facts.csv", "jkc_china_magnet_share", "period", "2025-09")],
        "facts.csv",
        "jkc_china_magnet_share",
        "period",
        "as of 2025-09, but its document was public from 2025-08-14",
    ),
]


@pytest.mark.parametrize(
    ("case", "cells", "file", "row_id", "column", "text"),
    BAD_SOURCE_DATES,
    ids=[c[0] for c in BAD_SOURCE_DATES],
)
def test_a_bad_document_date_is_refused_naming_file_line_and_column(
    project, case, cells, file, row_id, column, text
):
    lines = {}
    for cell_file, cell_row, cell_column, value in cells:
        lines[(cell_file, cell_row)] = set_cell(project / cell_file, cell_row, cell_column, value)
    if (file, row_id) not in lines:
        lines[(file, row_id)] = set_cell(
            project / file, row_id, column, _cell(project / file, row_id, column)
        )
    problems = problems_of(lambda: mw.load_package(project))
    matching = [
        p
        for p in problems
        if (p.file, p.row_id, p.column) == (file, row_id, column) and text in p.message
    ]
    assert matching, problems
    assert matching[0].line == lines[(file, row_id)]


def _cell(path: Path, row_id: str, column: str) -> str:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.loc[frame.iloc[:, 0] == row_id, column].iloc[0]


CABINET = "cabinet-2025-11-26"
BAD_PAGE_DATES = [
    (
        "an undated page without available_from",
        CABINET,
        [
            ("pages.csv", "ndtv", "available_from", ""),
            ("pages.csv", "ndtv", "available_from_reason", ""),
        ],
        "pages.csv",
        "ndtv",
        "available_from",
        "no date_published printed",
    ),
    (
        "available_from beside a printed date",
        CABINET,
        [
            ("pages.csv", "wion", "available_from", "2025-11-27"),
            ("pages.csv", "wion", "available_from_reason", "entered the project"),
        ],
        "pages.csv",
        "wion",
        "available_from",
        "the page prints its date (2025-11-26)",
    ),
    (
        "available_from after the page was accessed",
        CABINET,
        [("pages.csv", "ndtv", "available_from", "2026-11-23")],
        "pages.csv",
        "ndtv",
        "available_from",
        "after it was accessed",
    ),
    (
        "an event reported as past before its page was public",
        CABINET,
        [("events.csv", "scheme_approved", "date", "2025-11-27")],
        "events.csv",
        "scheme_approved",
        "date",
        "its document was public from 2025-11-26",
    ),
]


@pytest.mark.parametrize(
    ("case", "package", "cells", "file", "row_id", "column", "text"),
    BAD_PAGE_DATES,
    ids=[c[0] for c in BAD_PAGE_DATES],
)
def test_a_bad_page_date_is_refused_naming_file_line_and_column(
    tmp_path, case, package, cells, file, row_id, column, text
):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    root = tmp_path / "data" / "reference"
    line = None
    for cell_file, cell_row, cell_column, value in cells:
        written = set_cell(root / package / cell_file, cell_row, cell_column, value)
        line = written if (cell_file, cell_row) == (file, row_id) else line
    problems = problems_of(lambda: rp.load_reference_package(package, root))
    matching = [
        p
        for p in problems
        if p.file == f"{package}/{file}"
        and p.row_id == row_id
        and p.column == column
        and text in p.message
    ]
    assert matching, problems
    assert matching[0].line == line


def test_an_undated_document_added_by_curation_is_public_from_the_day_it_entered(tmp_path, project):
    from magnet_watch.curation.add import add_document

    article = tmp_path / "a.txt"
    article.write_text("A plant opens\nIt cost $5 million.\n", encoding="utf-8")
    add_document(
        article,
        data_dir=project,
        seeds_dir=project.parent / "seeds",
        candidates_dir=tmp_path / "candidates",
        source_id="plant-opens",
    )
    source = mw.load_package(project).sources.set_index("source_id").loc["plant-opens"]
    assert source["public_from"] == pd.Timestamp.now().normalize()
    assert source["available_from_reason"].startswith("The date it entered the project")
