"""The as_of parameter: declared once, taken by every notebook, refused when it is not a day
within the record however the notebook is run; a build as of the end of the articles shows
nothing published later, on any page or chart file.

The build as of 2025-11-30 (``as_of_build``) runs the project's own notebooks with
``--param as_of=2025-11-30`` once for this module; the default build is the session's
``project_build``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from helpers.shared import once_per_run

from magnet_watch import paths
from magnet_watch.data.record import AS_OF_ENV, load_record, record_as_of, record_dates
from magnet_watch.data.record_view import view_as_of
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.namespace import check_notebook_parameters
from magnet_watch.notebook.parameters import (
    load_parameter_specs,
    notebook_parameters,
    parameter_dictionary,
    validate_parameters,
)
from magnet_watch.reports import cli
from magnet_watch.reports.plan import parse_cli_value
from magnet_watch.text.periods import day_words

pytestmark = pytest.mark.xdist_group("report_builds")

END_OF_ARTICLES = "2025-11-30"
STEMS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def record():
    return load_record()


def test_as_of_is_declared_once_as_a_nullable_date(record):
    spec = parameter_dictionary()["as_of"]
    assert spec["type"] == "date" and spec["nullable"] is True
    for stem in STEMS:
        spec_file = (paths.NOTEBOOKS_DIR / f"{stem}.params.yaml").read_text(encoding="utf-8")
        assert "as_of" in load_parameter_specs(stem)["parameters"], stem
        assert "type:" not in spec_file.split("overrides:")[0], stem  # listed, never redeclared


def test_every_notebook_takes_as_of_with_the_latest_date_as_its_default():
    for stem in STEMS:
        assert notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")["as_of"] is None, stem


@pytest.mark.parametrize(
    "value, says",
    [
        ("2025-13-01", "must be an ISO date such as 2025-11-30, got '2025-13-01'"),
        ("2025-11", "must be an ISO date such as 2025-11-30, got '2025-11'"),
        ("30/11/2025", "must be an ISO date"),
        ("yesterday", "must be an ISO date"),
        (2025, "must be an ISO date such as 2025-11-30, got 2025"),
        (True, "must be an ISO date"),
        ("2027-01-01", "outside the record, which runs from 2025-01-31 (its first date) to"),
        ("2024-12-31", "outside the record"),
        ("2025-11-29", "too early: the pages read the article magnet-scheme-approval"),
    ],
)
def test_an_as_of_that_is_not_a_day_within_the_record_is_refused_by_every_notebook(value, says):
    for stem in STEMS:
        with pytest.raises(ParameterError, match=re.escape(says)) as info:
            validate_parameters(stem, {"as_of": value})
        assert "parameter 'as_of'" in str(info.value)


def test_a_day_within_the_record_is_taken_as_an_iso_date_from_text_or_a_date():
    assert validate_parameters("02_capacity", {"as_of": "2025-11-30"}) == {"as_of": "2025-11-30"}
    assert validate_parameters("02_capacity", {"as_of": dt.date(2026, 1, 1)}) == {
        "as_of": "2026-01-01"
    }
    assert parse_cli_value("2025-11-30") == dt.date(2025, 11, 30)  # --param reads YAML


def test_a_notebook_run_with_a_bad_as_of_stops_at_its_parameter_check(monkeypatch):
    monkeypatch.setenv(AS_OF_ENV, "")  # restored after the test: the check sets it
    namespace = {
        **notebook_parameters(paths.NOTEBOOKS_DIR / "03_imports.ipynb"),
        "as_of": "2025-02-30",
    }
    with pytest.raises(ParameterError, match="must be an ISO date"):
        check_notebook_parameters("03_imports", namespace)
    assert os.environ[AS_OF_ENV] == ""  # a refused date is never worked at


def test_a_notebook_run_as_of_a_date_works_at_that_date(monkeypatch):
    monkeypatch.setenv(AS_OF_ENV, "")  # restored after the test: the check sets it
    namespace = {
        **notebook_parameters(paths.NOTEBOOKS_DIR / "03_imports.ipynb"),
        "as_of": END_OF_ARTICLES,
    }
    assert check_notebook_parameters("03_imports", namespace)["as_of"] == END_OF_ARTICLES
    assert os.environ[AS_OF_ENV] == END_OF_ARTICLES


@pytest.mark.parametrize("value", ["2025-11", "2031-01-01"])
def test_a_build_with_a_bad_as_of_runs_nothing_and_says_why(tmp_path, capsys, value):
    status = cli.main(["--param", f"as_of={value}", "--out", str(tmp_path / "out")])
    assert status == cli.EXIT_NOTHING_RAN
    err = capsys.readouterr().err
    assert "parameter 'as_of'" in err and "Nothing was run." in err and "Traceback" not in err
    assert not (tmp_path / "out" / "index.html").exists()


def test_the_view_as_of_a_date_holds_only_what_was_public_then(record):
    view = view_as_of(END_OF_ARTICLES)
    day = pd.Timestamp(END_OF_ARTICLES)
    assert view.as_of == day
    assert (view.sources["public_from"] <= day).all()
    assert "public_from" not in view.facts.columns  # shaped as load_facts gives it
    assert set(view.record.editions.titles) == {"mcs2025"}
    assert "scheme-tender-2026" not in view.record.references
    assert "scheme-tender-2026" in view_as_of(None).record.references


def _later_needles(record) -> list[str]:
    """What a page as of the end of the articles must not show: the ids of documents,
    reference packages and figures, and the editions, published later; and every later
    date on which the record changed, as ISO and in words."""
    then = record_as_of(END_OF_ARTICLES, record)
    needles = set(record.sources["source_id"]) - set(then.sources["source_id"])
    needles |= set(record.references) - set(then.references)
    needles |= {
        record.editions.titles[e] for e in set(record.editions.titles) - set(then.editions.titles)
    }
    needles |= {f"MCS {t.split()[-1]}" for t in list(needles) if t.startswith("Mineral Commodity")}
    for name, pkg in then.references.items():
        later = set(record.references[name].figures["figure_id"]) - set(pkg.figures["figure_id"])
        needles |= {f"{name}/{figure}" for figure in later}
    for day in record_dates(record):
        if day > pd.Timestamp(END_OF_ARTICLES):
            needles |= {f"{day:%Y-%m-%d}", day_words(day)}
    return sorted(needles)


@pytest.fixture(scope="module")
def as_of_build(tmp_path_factory) -> Path:
    """The project built through the command line as of the end of the articles, once per
    test run (both xdist workers share it)."""

    def build(folder):
        out = folder / "reports"
        assert cli.main(["--param", f"as_of={END_OF_ARTICLES}", "--out", str(out)]) == cli.EXIT_OK

    folder, _ = once_per_run(tmp_path_factory, "as-of-build", build)
    return folder / "reports"


def _pages_and_chart_files(out: Path) -> list[Path]:
    files = sorted(out.glob("*.html")) + sorted((out / "charts").rglob("*"))
    return [f for f in files if f.is_file() and f.suffix in (".html", ".json", ".csv", ".svg")]


@pytest.mark.slow
def test_a_build_as_of_the_end_of_the_articles_shows_nothing_published_later(as_of_build, record):
    needles = _later_needles(record)
    assert "scheme-tender-2026" in needles and "Mineral Commodity Summaries 2026" in needles
    files = _pages_and_chart_files(as_of_build)
    assert len(files) > 50
    found = [
        (f.relative_to(as_of_build).as_posix(), n)
        for f in files
        for n in needles
        if n in f.read_text(encoding="utf-8", errors="ignore")
    ]
    assert found == []


def test_a_build_as_of_a_date_states_it_on_every_page_and_chart(as_of_build):
    for page in sorted(as_of_build.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "As of 30 November 2025: the record as it stood on that date" in text, page.name
    specs = sorted((as_of_build / "charts").rglob("*.vl.json"))
    assert specs
    for spec in specs:
        assert f'"as_of": "{END_OF_ARTICLES}"' in spec.read_text(encoding="utf-8"), spec.name
        csv_file = spec.with_name(spec.name.removesuffix(".vl.json") + ".csv")
        if not csv_file.exists():
            continue
        as_of = pd.read_csv(csv_file, dtype=str, keep_default_na=False)["as_of"]
        assert set(as_of) == {END_OF_ARTICLES}, csv_file.name


def test_a_build_as_of_a_date_leaves_later_packages_out_of_its_data(as_of_build):
    data = as_of_build / "data" / "reference"
    assert (data / "cabinet-2025-11-26" / "figures.csv").exists()
    assert not (data / "scheme-tender-2026").exists()
    assert not (data / "usgs-mcs-rare-earths" / "mcs2026_world.csv").exists()


def test_a_build_as_of_the_end_of_the_articles_shows_the_usgs_edition_current_then(as_of_build):
    claims = (as_of_build / "05_claims_check.html").read_text(encoding="utf-8")
    assert "USGS Mineral Commodity Summaries 2025, January 2025" in claims
    # MCS 2025's world mine production 2024: 390,000 t (MCS 2026 revised it to 380,000 t)
    assert "<td>mine production 2024</td>\n      <td>390,000</td>" in claims
    world = pd.read_csv(as_of_build / "charts" / "reference_world_shares.2.csv", dtype=str)
    india = world[(world["panel"] == "Reserves") & (world["country"] == "India")]
    assert list(india["value_t_reo"]) == ["6900000.0"] and list(india["rank"]) == ["3.0"]
