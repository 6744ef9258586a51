"""The second round of hostile input (issue 21): nothing accepted silently, no traceback
where a sentence belongs. Each test here failed before issue 21.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers.tables import set_cell

import magnet_watch as mw
from magnet_watch import DataValidationError, paths
from magnet_watch.analysis.checks.claims_check import claims_check
from magnet_watch.analysis.checks.reference_check import (
    References,
    reference_check,
    scope_unit_value,
)
from magnet_watch.analysis.imports import implied_unit_value
from magnet_watch.analysis.market import processing_claims
from magnet_watch.curation import cli as curation_cli
from magnet_watch.curation.add import CurationError, add_document
from magnet_watch.curation.audit import conflicts_audit
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.lookups import source_label
from magnet_watch.data.reference import load_usgs_prices
from magnet_watch.data.reference_packages import load_reference_package, load_reference_packages
from magnet_watch.data.schema import read_package
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.narrative.claims import claims_words
from magnet_watch.narrative.imports import imports_summary
from magnet_watch.narrative.market import processing_summary, reserves_summary
from magnet_watch.narrative.reference_check import reason as reference_reason
from magnet_watch.reports import cli, plan
from magnet_watch.text.yaml_strict import load_yaml


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


# ------------------------------------------------------------ quantities that cannot be negative

NEGATIVE = [
    # (case, file under data/, row id, column, bad value, derivation or None)
    ("a fact's value", "facts.csv", "ibns_irel_nd_plan_2026", "value", "-450", None),
    ("a range's low end", "facts.csv", "ipl_irel_nd_capacity", "low", "-100", None),
    ("a range's high end", "facts.csv", "ipl_irel_nd_capacity", "high", "-5", None),
    (
        "a derived tonnage",
        "facts.csv",
        "ibns_irel_nd_target_2030",
        "value",
        "-900",
        "0 - 2 * ibns_irel_nd_plan_2026",
    ),
    (
        "a reference figure",
        "reference/cabinet-2025-11-26/figures.csv",
        "outlay",
        "value",
        "-7280",
        None,
    ),
]


@pytest.mark.parametrize(
    ("file", "row_id", "column", "bad", "derivation"),
    [case[1:] for case in NEGATIVE],
    ids=[case[0] for case in NEGATIVE],
)
def test_a_negative_quantity_is_refused_at_load_naming_line_and_column(
    project, file, row_id, column, bad, derivation
):
    line = set_cell(project / file, row_id, column, bad)
    if derivation:
        set_cell(project / file, row_id, "derivation", derivation)
    if file.startswith("reference/"):
        name = Path(file).parent.name
        with pytest.raises(DataValidationError) as info:
            load_reference_package(name, project / "reference")
    else:
        with pytest.raises(DataValidationError) as info:
            mw.load_package(project)
    problems = [p for p in info.value.problems if p.column == column and p.line == line]
    assert any(f"{bad} is below the minimum 0" in p.message for p in problems), str(info.value)


def test_negative_quantities_are_declared_in_the_schemas_not_in_code():
    facts = next(r for r in read_package(paths.DATA_DIR)["resources"] if r["name"] == "facts")
    bounded = {
        f["name"] for f in facts["schema"]["fields"] if "minimum" in f.get("constraints", {})
    }
    assert bounded == {"value", "low", "high"}


# ------------------------------------------------------------ dates in every time zone

TIME_CHARTS = r"""
import hashlib, json, sys
import magnet_watch as mw
import vl_convert as vlc
from magnet_watch.analysis import official_terms as official, timeline as timeline_model
from magnet_watch.charts.official_terms import imports_series_chart
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.inputs import import_series
from magnet_watch.data.later_references import load_references
from magnet_watch.charts.overview import timeline_chart
from magnet_watch.data.lookups import facts_for
from magnet_watch.narrative import official_terms as words
from magnet_watch.notebook.display import chart_spec

facts, sources = mw.load_facts(), mw.load_sources()
timeline = timeline_model.timeline_events(mw.load_events(), None, None, horizon_end=NamedFacts.from_facts(facts).magnet_target["period_end"])
refs = load_references()
series = import_series(refs)
specs = {
    "timeline": chart_spec(timeline_chart(timeline.events, timeline.start, timeline.end, sources)),
    "imports": chart_spec(imports_series_chart(
        series, facts_for("magnet_imports", "India", facts=facts),
        official.restrictions_date(refs), words.series_finding(series, refs), "Reference",
        sources=sources)),
}
print(json.dumps({name: [hashlib.sha256(vlc.vegalite_to_svg(spec).encode()).hexdigest(), spec]
                  for name, spec in specs.items()}))
"""


def temporal_encodings(spec) -> list[dict]:
    """Return every encoding of a temporal field that has a scale (x, not x2), in any layer."""
    found = []
    if isinstance(spec, dict):
        for channel, encoding in (spec.get("encoding") or {}).items():
            if isinstance(encoding, dict) and encoding.get("type") == "temporal":
                if channel not in ("x2", "y2"):
                    found.append(encoding)
        for value in spec.values():
            found += temporal_encodings(value) if isinstance(value, dict | list) else []
    elif isinstance(spec, list):
        for item in spec:
            found += temporal_encodings(item)
    return found


def test_dated_charts_are_the_same_bytes_in_every_time_zone_and_read_in_utc():
    drawn = {}
    for zone in ("UTC", "America/Los_Angeles", "Asia/Kolkata"):
        done = subprocess.run(
            [sys.executable, "-c", TIME_CHARTS],
            capture_output=True,
            text=True,
            env=dict(os.environ, TZ=zone),
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        drawn[zone] = json.loads(done.stdout)
    for name, (svg, spec) in drawn["UTC"].items():
        assert {zone: drawn[zone][name][0] for zone in drawn} == dict.fromkeys(drawn, svg), name
        # A reader's browser places and labels the dates in UTC too, wherever the reader is.
        encodings = temporal_encodings(spec)
        assert encodings, name
        assert all(e.get("scale", {}).get("type") == "utc" for e in encodings), (name, encodings)


# ------------------------------------------------------------ --param values

PARAM_VALUES = [
    # (--param, the value read, or the refusal's words)
    ("nd_mass_fraction=3e-1", 0.3),
    ("nd_mass_fraction=1E-1", 0.1),
    ("growth=0.3", 0.3),
    ("year=2030", 2030),
    ("include_future=true", True),
    ("include_future=False", False),
    ("include_future=yes", "yes"),
    ("include_future=off", "off"),
    ("target_year=None", None),
    ("target_year=null", None),
    ("shape=s_curve", "s_curve"),
]


@pytest.mark.parametrize(("item", "value"), PARAM_VALUES, ids=[p[0] for p in PARAM_VALUES])
def test_a_param_value_is_read_as_yaml_1_2(item, value):
    name = item.partition("=")[0]
    read = plan.parse_cli_params([item])[name]
    assert read == value and type(read) is type(value)


REFUSED_PARAMS = [
    # (--param, what the refusal says)
    ("target_year=", "no value after '='"),
    ("include_future=yes", "include_future"),
    ("include_future=on", "include_future"),
]


@pytest.mark.parametrize(("item", "says"), REFUSED_PARAMS, ids=[p[0] for p in REFUSED_PARAMS])
def test_an_empty_or_yes_no_param_is_refused_before_anything_runs(tmp_path, capsys, item, says):
    status = cli.main(["--param", item, "--out", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert status == 2, err
    assert says in err and "Nothing was run." in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def test_an_exponent_without_a_dot_is_accepted_as_a_float_by_the_notebooks():
    values = plan.parse_cli_params(["nd_mass_fraction=3e-1"])
    origin = {"nd_mass_fraction": "--param"}
    plans = plan.plan_notebooks(plan.discover_notebooks(paths.NOTEBOOKS_DIR), values, origin)
    assert {p.overrides.get("nd_mass_fraction") for p in plans} - {None} == {0.3}


# ------------------------------------------------------------ limits of scenario files

ALIAS_BOMB = (
    "description: laughs\nparameters:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
        for i in range(8)
    )
)
SCENARIOS = [
    # (case, the scenario file's bytes, what the refusal says)
    ("nested aliases", ALIAS_BOMB.encode(), "expands to more than 15,000 values"),
    (
        "a 50 MB description",
        b"description: " + b"x" * (50 * 1024 * 1024) + b"\nparameters: {}\n",
        "over the limit of 65,536 bytes for a scenario file",
    ),
    (
        "a long description",
        b"description: " + b"y" * 5000 + b"\nparameters: {}\n",
        "'description' has 5,000 characters, over the limit of 1,000",
    ),
    (
        "not UTF-8",
        "description: Pr\xe9vision basse\nparameters: {}\n".encode("latin-1"),
        "not UTF-8 text (byte 0xe9 at offset 15)",
    ),
]


@pytest.mark.parametrize(
    ("content", "says"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_a_hostile_scenario_file_is_refused_with_its_limit(tmp_path, capsys, content, says):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "hostile.yaml").write_bytes(content)
    argv = [
        "--scenario",
        "hostile",
        "--scenarios-dir",
        str(scenarios),
        "--out",
        str(tmp_path / "r"),
    ]
    status = cli.main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert says in err and "Nothing was run." in err and "Traceback" not in err
    assert len(err) < 1000  # the description is not echoed
    assert not (tmp_path / "r").exists()


def test_an_alias_bomb_is_refused_by_the_loader_without_expanding_it():
    """Refused while counting, before the document is built: the memory the refusal takes is
    measured (tracemalloc's peak), not the time, which a loaded machine stretches. Expanded,
    the bomb's 9**9 values once grew to 4.7 GB over 83 s; counting to 15,000 takes kilobytes."""
    tracemalloc.start()
    try:
        with pytest.raises(yaml.YAMLError, match="more than 15,000 values"):
            load_yaml(ALIAS_BOMB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20, f"refusing the bomb took {peak:,} bytes"
    wide = "a: &a [1, 2]\nb: [" + ", ".join(["*a"] * 100) + "]\n"  # aliases in moderation
    assert len(load_yaml(wide)["b"]) == 100


# ------------------------------------------------------------ a sentence, not a traceback


def load_problems(data_dir: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        mw.load_package(data_dir)
    return info.value


def test_a_derivation_that_overflows_is_named_not_a_traceback(project):
    line = set_cell(project / "facts.csv", "ibns_irel_nd_target_2030", "derivation", "10 ** 400")
    error = load_problems(project)
    assert any(
        p.line == line and p.column == "derivation" and "overflows" in p.message
        for p in error.problems
    ), str(error)


def test_an_unclosed_quote_is_named_with_its_line(project):
    facts = project / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append('late_fact,"magnet_imports,India\n')  # a quote that nothing closes
    facts.write_text("".join(lines), encoding="utf-8")
    error = load_problems(project)
    assert [(p.file, p.line) for p in error.problems] == [("facts.csv", len(lines))]
    assert "never closed" in str(error)


def test_a_quote_closed_lines_later_is_suspected_not_just_counted(project):
    facts = project / "facts.csv"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    # The first row with no quoted cell whose next row has quotes: that row opens a quote,
    # the next row's first quote closes it.
    i = next(i for i in range(1, len(lines) - 1) if '"' not in lines[i] and '"' in lines[i + 1])
    lines[i] = lines[i].replace(",", ',"', 1)
    facts.write_text("".join(lines), encoding="utf-8")
    error = load_problems(project)
    assert any(
        p.line == i + 1 and "is a quote on this line not closed?" in p.message
        for p in error.problems
    ), str(error)


def test_a_symlinked_seeds_folder_is_refused_naming_the_symlink(tmp_path, capsys):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "elsewhere")
    (tmp_path / "seeds").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    status = curation_cli.main(["--data-dir", str(tmp_path / "data"), "add", str(article)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert f"{tmp_path / 'seeds'} is a symlink (to {tmp_path / 'elsewhere'})" in err


def test_a_candidates_file_saved_with_semicolons_is_refused_in_a_sentence(
    tmp_path, project, capsys
):
    candidates = tmp_path / "c.csv"
    candidates.write_text(
        'accept;fact_id;quote\nyes;x;"India imported 61,200 t; in FY26"\nno;y;a, b, c\n',
        encoding="utf-8",
    )
    status = curation_cli.main(["--data-dir", str(project), "accept", str(candidates)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "separated by ';', not ','" in err


def test_a_candidates_file_with_an_unclosed_quote_is_refused_in_a_sentence(
    tmp_path, project, capsys
):
    candidates = tmp_path / "c.csv"
    candidates.write_text(
        'accept,fact_id,quote\nyes,x,"India imported 61,200 t\nno,y,z\n', encoding="utf-8"
    )
    status = curation_cli.main(["--data-dir", str(project), "accept", str(candidates)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "is a quote not closed?" in err


# Disk full: the write that fills the disk fails with ENOSPC (simulated: os.fsync raises it at
# the Nth call), and every command names the disk and the file, exits 2, and changes nothing.

ARTICLE = """Magnet plans
12 March 2026
IREL plans to produce 600 metric tons of neodymium a year by 2028.
"""


def fill_disk_at(monkeypatch, call: int) -> None:
    """Make the ``call``-th os.fsync from now fail as on a full disk."""
    calls, fsync = [0], os.fsync

    def full(fd):
        calls[0] += 1
        if calls[0] >= call:
            raise OSError(errno.ENOSPC, "No space left on device")
        return fsync(fd)

    monkeypatch.setattr(os, "fsync", full)


def tree(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("call", [1, 3], ids=["writing the seed", "writing sources.csv"])
def test_disk_full_during_add_names_the_disk_and_leaves_the_corpus_whole(
    tmp_path, project, capsys, monkeypatch, call
):
    seeds = project.parent / "seeds"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = tree(project, seeds)
    fill_disk_at(monkeypatch, call)
    status = curation_cli.main(["--data-dir", str(project), "add", str(article)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "the disk is full: " in err and "the disk mounted at /" in err
    assert "nothing was added" in err
    assert tree(project, seeds) == before


def test_disk_full_during_accept_names_the_disk_and_leaves_the_facts_whole(
    tmp_path, project, capsys, monkeypatch
):
    seeds, candidates = project.parent / "seeds", tmp_path / "candidates"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = add_document(article, data_dir=project, seeds_dir=seeds, candidates_dir=candidates)
    frame = pd.read_csv(added.candidates_path, dtype=str, keep_default_na=False)
    frame.loc[0, ["accept", "fact_id", "subject", "period_type"]] = [
        "yes",
        "full_irel_plan",
        "IREL",
        "target_date",
    ]
    frame.to_csv(added.candidates_path, index=False)
    before = tree(project, seeds)
    fill_disk_at(monkeypatch, 1)
    status = curation_cli.main(["--data-dir", str(project), "accept", str(added.candidates_path)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert f"the disk is full: {project / 'facts.csv'} could not be written" in err
    assert tree(project, seeds) == before


# ------------------------------------------------------------ near-duplicates, candidates' marks


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "  \n"),
        lambda t: t.replace("'", "\u2019") + "\n\n",
        lambda t: "\ufeff" + t.replace(" ", "  "),
    ],
    ids=["CRLF", "trailing spaces", "curly quotes", "doubled spaces"],
)
def test_the_same_article_saved_again_is_refused_naming_its_source(tmp_path, project, variant):
    seeds, candidates = project.parent / "seeds", tmp_path / "candidates"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    first = add_document(article, data_dir=project, seeds_dir=seeds, candidates_dir=candidates)
    before = tree(project, seeds)
    again = tmp_path / "again.txt"
    again.write_bytes(variant(ARTICLE).encode("utf-8"))
    with pytest.raises(CurationError, match=f"same text as source '{first.source_id}'"):
        add_document(again, data_dir=project, seeds_dir=seeds, candidates_dir=candidates)
    assert tree(project, seeds) == before


def test_rewriting_candidates_keeps_the_curators_marked_file_and_says_so(tmp_path, project, capsys):
    seeds, candidates = project.parent / "seeds", tmp_path / "candidates"
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = add_document(article, data_dir=project, seeds_dir=seeds, candidates_dir=candidates)
    fresh = added.candidates_path.read_bytes()
    argv = [
        "--data-dir",
        str(project),
        "candidates",
        added.source_id,
        "--candidates-dir",
        str(candidates),
    ]
    assert curation_cli.main(argv) == 0  # nothing marked: nothing to keep
    assert "kept as" not in capsys.readouterr().out
    assert sorted(p.name for p in candidates.iterdir()) == [added.candidates_path.name]
    frame = pd.read_csv(added.candidates_path, dtype=str, keep_default_na=False)
    frame.loc[0, ["accept", "fact_id"]] = ["yes", "my_marked_fact"]
    frame.to_csv(added.candidates_path, index=False)
    marked = added.candidates_path.read_bytes()
    assert curation_cli.main(argv) == 0
    out = capsys.readouterr().out
    kept = [p for p in candidates.iterdir() if p.name != added.candidates_path.name]
    assert len(kept) == 1 and kept[0].read_bytes() == marked
    assert f"kept as {kept[0]}" in out
    assert added.candidates_path.read_bytes() == fresh


# ------------------------------------------------------------ a sixth document's meaning


@pytest.mark.parametrize("note", [None, float("nan"), "", "  "])
def test_a_claim_without_a_note_is_listed_without_one_not_as_none(note):
    facts = mw.load_facts()
    claims = processing_claims(facts).assign(note=note)
    sources = mw.load_package().sources
    text = processing_summary(claims, claims.iloc[0:0], 5.0, sources)
    for source_id in claims["source_id"].astype(str):
        assert f"({source_label(source_id, sources)})" in text
    assert "None" not in text and "nan" not in text and ": )" not in text


AS_OF = [
    # (the two "as of" periods, whether the audit compares them)
    (("2024-11", "2025-02"), True),  # three months apart, across a new year
    (("2024-12", "2025-12"), True),  # a year apart: still within a year
    (("2025-01", "2025-12"), True),
    (("2024-01", "2025-12"), False),  # 23 months apart, though only a calendar year between
    (("2023-06", "2025-01"), False),
    (("2024", "2025-06"), True),  # a year-only "as of" means any month of it
]


@pytest.mark.parametrize(("periods", "compared"), AS_OF, ids=[" vs ".join(p) for p, _ in AS_OF])
def test_as_of_claims_are_compared_within_a_year_not_by_calendar_year(periods, compared):
    facts = mw.load_facts()
    rows = facts[facts["fact_id"].isin(["sp_china_processing_share", "msa_china_processing_share"])]
    assert set(rows["period_type"].astype(str)) == {"as_of"}
    facts = facts.copy()
    facts["period"] = facts["period"].astype(object)
    for fact_id, period in zip(rows["fact_id"], periods, strict=True):
        facts.loc[facts["fact_id"] == fact_id, "period"] = period
    conflicts = conflicts_audit(facts)
    found = conflicts[conflicts["metric"] == "processing_share"]
    assert (len(found) == 1) is compared, found


def test_a_claim_for_another_fiscal_year_is_compared_with_that_years_figure_or_not_at_all():
    facts = mw.load_facts()
    base = facts[facts["fact_id"] == "ibns_magnet_imports_fy25"]
    other_years = pd.concat(
        [
            base.assign(fact_id="sixth_imports_fy24", period="FY2023-24", value=30000.0),
            base.assign(fact_id="sixth_imports_fy20", period="FY2019-20", value=10000.0),
        ]
    )
    refs = References.from_packages(load_reference_packages())
    table = reference_check(
        pd.concat([facts, other_years], ignore_index=True),
        refs,
        load_usgs_prices(),
        inr_per_usd=91.25,
        reference_year=2024,
    )
    tonnes = table[table["check_id"] == "imports_tonnes"].set_index("fact_id")
    assert tonnes.loc["sixth_imports_fy24", "reference_figure_ids"] == ["imports_fy2024"]
    assert tonnes.loc["sixth_imports_fy24", "reference_period"] == "FY2023-24"
    assert tonnes.loc["ibns_magnet_imports_fy25", "reference_figure_ids"] == ["imports_fy2025"]
    assert "sixth_imports_fy20" not in tonnes.index  # no official figure for that year
    row = tonnes.loc["sixth_imports_fy24"].to_dict() | {"fact_id": "sixth_imports_fy24"}
    words = reference_reason(row, refs, pd.concat([facts, other_years], ignore_index=True))
    assert "about 28,700 t for FY2023-24" in words and "53,700" not in words


@pytest.mark.parametrize(
    ("ranks", "says"),
    [
        ((3,), "world's third-largest rare-earth reserves (so says one document)"),
        ((3, 3), "world's third-largest rare-earth reserves (so say two documents)"),
        (
            (3, 5, 6),
            "world's third-largest, fifth-largest or sixth-largest rare-earth reserves "
            "(so say three documents)",
        ),
    ],
)
def test_the_reserves_sentence_is_written_for_any_number_of_rank_claims(ranks, says):
    facts = mw.load_facts()
    rank_rows = facts[facts["metric"] == "reserves_rank"]
    template = rank_rows.iloc[[0]]
    extra = pd.concat(
        [
            template.assign(fact_id=f"rank_{i}", value=float(v), source_id=f"doc-{i}")
            for i, v in enumerate(ranks)
        ]
    )
    changed = pd.concat([facts.drop(rank_rows.index), extra], ignore_index=True)
    text = reserves_summary(NamedFacts.from_facts(facts), changed)
    assert says in text


# Dollars divided by tonnes are a unit value only when both count the same period: the
# curated value counts calendar 2025, the tonnage FY2024-25 (issue 21, a sixth document's
# meaning). (value's period, period type; whether the two are divided as a price of one period)
UNIT_VALUE_PERIODS = [
    (("2025", "calendar_year"), False),  # the curated pair: overlapping, not the same
    (("FY2024-25", "fiscal_year"), True),  # the tonnage's own fiscal year
    (("2024", "calendar_year"), False),
    (("FY2019-20", "fiscal_year"), False),  # years apart
]
UNIT_VALUE_IDS = [" ".join(p) for p, _ in UNIT_VALUE_PERIODS]


def facts_with_value_period(period: str, period_type: str) -> pd.DataFrame:
    facts = mw.load_facts().copy()
    row = facts["fact_id"] == "msa_imports_value_2025"
    facts.loc[row, ["period", "period_type"]] = [period, period_type]
    return facts


@pytest.mark.parametrize(("period", "same"), UNIT_VALUE_PERIODS, ids=UNIT_VALUE_IDS)
def test_the_claims_check_compares_dollars_over_tonnes_with_the_floor_only_for_one_period(
    period, same
):
    table = claims_check(2024, facts=facts_with_value_period(*period), usgs=load_usgs_reference())
    row = table[table["check_id"] == "import_unit_value"].iloc[0]
    words = claims_words(table, mw.load_sources())
    said = words[words["fact_id"] == row["fact_id"]].iloc[0]
    value_words = f"calendar {period[0]}" if period[1] == "calendar_year" else period[0]
    if same:
        assert row["verdict"] != "not comparable" and row["comparison"] == "different definition"
        assert "periods" not in said["reason"]
    else:
        assert (row["verdict"], row["comparison"]) == ("not comparable", "different period")
        assert value_words in said["reason"] and "FY2024-25" in said["reason"]
        assert "not compared" in said["reason"] and "cannot describe" not in said["reason"]
    assert value_words in said["definition_note"] and "FY2024-25" in said["definition_note"]


@pytest.mark.parametrize(("period", "same"), UNIT_VALUE_PERIODS, ids=UNIT_VALUE_IDS)
def test_the_imports_page_says_when_its_dollars_and_tonnes_count_different_periods(
    imports_inputs, period, same
):
    facts = facts_with_value_period(*period)
    value = facts[facts["fact_id"] == "msa_imports_value_2025"].iloc[0]
    inputs = replace(imports_inputs, imports_value=value)
    check = implied_unit_value(20, 200, inputs)
    assert check.same_period is same
    text = imports_summary(check, inputs)
    value_words = f"calendar {period[0]}" if period[1] == "calendar_year" else period[0]
    if same:
        assert "periods differ" not in text
    else:
        assert (
            "the periods differ: the tonnes count FY2024-25 (Apr 2024–Mar 2025), the value "
            f"counts {value_words}"
        ) in text
        assert "no price of either" in text


# A start year of 2030 or later is valid by the spec: notebooks 02 and 03 build with it through
# the build's own path (--param, papermill), their explorers' grids keeping only the target
# years after it, "from the facts" (the scheme's horizon, 2032) included.
START_YEARS = [
    # (--param values, the exit status, what stderr says)
    (["start_year=2030"], 0, "built 2 notebook(s)"),
    (["start_year=2040", "target_year=2045"], 0, "built 2 notebook(s)"),
    (["start_year=2033", "target_year=2034"], 0, "built 2 notebook(s)"),
    (
        ["start_year=2040"],
        1,
        "parameter 'start_year' = 2040 must come before the target year, "
        "which is the scheme's own horizon, 2032, while 'target_year' is "
        "None: set a later target_year",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("params", "status", "says"), START_YEARS, ids=[" ".join(p) for p, _, _ in START_YEARS]
)
def test_a_late_start_year_builds_the_capacity_and_imports_pages_or_is_refused_about_itself(
    tmp_path, capsys, params, status, says
):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem in ("02_capacity", "03_imports"):
        for suffix in (".ipynb", ".params.yaml"):
            shutil.copy(paths.NOTEBOOKS_DIR / f"{stem}{suffix}", notebooks)
    shutil.copy(paths.NOTEBOOKS_DIR / "parameters.yaml", notebooks)
    argv = ["--notebooks", str(notebooks), "--out", str(tmp_path / "r"), "--jobs", "2"]
    done = cli.main(argv + [a for p in params for a in ("--param", p)])
    out, err = capsys.readouterr()
    assert done == status, out + err
    assert says in out + err and "Traceback" not in out + err
    if status == 0:
        assert {p.name for p in (tmp_path / "r").glob("*.html")} >= {
            "02_capacity.html",
            "03_imports.html",
        }


def test_the_official_unit_value_is_refused_when_its_value_and_tonnage_count_different_years(
    project,
):
    figures = project / "reference" / "trade-imports-fy2021-fy2025" / "figures.csv"
    line = set_cell(figures, "imports_value_fy2025", "period", "FY2023-24")
    set_cell(figures, "imports_value_fy2025", "period_start", "2023-04-01")
    set_cell(figures, "imports_value_fy2025", "period_end", "2024-03-31")
    refs = References.from_packages(load_reference_packages(project / "reference"))
    with pytest.raises(DataValidationError) as info:
        scope_unit_value(refs, load_usgs_prices(), 2024, inr_per_usd=91.25, nd_mass_fraction=0.267)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column, problem.row_id) == (
        "data/reference/trade-imports-fy2021-fy2025/figures.csv",
        line,
        "period",
        "imports_value_fy2025",
    )
    assert "counts FY2023-24 but 'imports_fy2025' counts FY2024-25" in problem.message
