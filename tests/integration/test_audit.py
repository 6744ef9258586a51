"""The curation audit: clean on the real data, and failing, loudly, when curation slips."""

from __future__ import annotations

import csv
import shutil

import pytest
from helpers.notebooks import execute

from magnet_watch import paths
from magnet_watch.audit import main
from magnet_watch.curation.audit import run_audit
from magnet_watch.data.load import load_sources
from magnet_watch.errors import DataValidationError
from magnet_watch.narrative.audit_printout import format_report
from magnet_watch.notebook.outputs import chart_title


@pytest.fixture(scope="module")
def audit():
    return run_audit()


@pytest.fixture
def tmp_data(tmp_path):
    """A copy of data/ and seeds/ that a test may break."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_line(path, startswith):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(startswith)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def test_the_real_data_passes_the_audit(audit, capsys, tmp_path):
    assert audit.ok, format_report(audit)
    assert main(["--tables-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "AUDIT PASSED (exit code 0" in out
    assert "... and" not in out and "…" not in out  # five documents: every row fits, whole
    for finding in audit.checks["finding"]:
        assert finding in out  # the curator's findings are never cut
    assert len(list(tmp_path.glob("audit_table_*.csv"))) == 6


def test_every_seed_is_fully_accounted_for(audit):
    assert len(audit.coverage) == 5
    assert (audit.coverage["accounted_pct"] == 100).all()
    assert audit.gaps.empty
    assert audit.stale_reviews.empty


def test_imports_value_and_tonnage_imply_an_implausible_price_a_declared_finding(audit):
    check = audit.checks.set_index("check_id").loc["imports_implied_price_usd_per_kg"]
    assert check["value"] == pytest.approx(221e6 / 53_748_000)
    assert check["result"] == "fail"
    assert check["as_expected"]
    assert "FINDING" in check["finding"]


def test_other_checks_pass_with_their_numbers(audit):
    checks = audit.checks.set_index("check_id")
    assert checks.loc["scheme_implied_inr_per_usd", "value"] == pytest.approx(91.25)
    assert checks.loc["exports_japan_vs_third_of_production", "value"] == pytest.approx(
        100000 / 2900
    )
    assert checks.loc["nd_target_2030_is_double_the_2026_plan", "result"] == "pass"
    assert (checks.drop("imports_implied_price_usd_per_kg")["result"] == "pass").all()


def test_china_processing_share_conflict_is_reported_not_resolved(audit):
    conflict = audit.conflicts.set_index("metric").loc["processing_share"]
    assert {conflict["fact_id_a"], conflict["fact_id_b"]} == {
        "sp_china_processing_share",
        "msa_china_processing_share",
    }
    assert conflict["periods"] == "both 'as of' their article, 3 months apart"


def test_same_claim_in_different_words_is_listed(audit):
    capacity = audit.same_claims[audit.same_claims["metric"] == "nd_production_capacity"]
    assert set(capacity["fact_id"]) == {"ipl_irel_nd_capacity", "sp_irel_nd_capacity"}
    assert capacity["qualifier_differs"].all()


def test_a_dropped_fact_is_a_coverage_gap_and_fails_the_audit(tmp_data, capsys):
    drop_line(tmp_data / "facts.csv", "msa_india_mining_share,")
    audit = run_audit(tmp_data)
    assert not audit.ok
    assert list(audit.gaps["quantity"]) == ["less than 1%"]
    assert main(["--data-dir", str(tmp_data)]) == 1
    out = capsys.readouterr().out
    assert "GAPS: 1 quantities" in out
    assert "AUDIT FAILED: 1 gaps, 0 stale reviews, 0 unexpected check results (exit code 1" in out


@pytest.mark.slow
def test_documented_exit_codes_hold_directly_and_through_make(tmp_data, tmp_path):
    """docs/curation.md, "Audit": the command exits 0 passed, 1 failed, 2 nothing audited;
    make turns any failure into its own 2."""
    import subprocess
    import sys

    def codes(argv):
        runs = [
            ["--tables-dir", str(tmp_path / "ok")],
            ["--data-dir", str(tmp_data), "--tables-dir", str(tmp_path / "failed")],
            ["--source-id", "nowhere", "--tables-dir", str(tmp_path / "none")],
        ]
        return [
            subprocess.run(
                argv(args), cwd=paths.PROJECT_ROOT, capture_output=True, timeout=300
            ).returncode
            for args in runs
        ]

    drop_line(tmp_data / "facts.csv", "msa_india_mining_share,")
    python = codes(lambda args: [sys.executable, "-m", "magnet_watch.audit", *args])
    make = codes(
        lambda args: ["make", "-s", "--no-print-directory", "audit", "ARGS=" + " ".join(args)]
    )
    assert python == [0, 1, 2]
    assert make == [0, 2, 2]
    documented = (paths.PROJECT_ROOT / "docs" / "curation.md").read_text(encoding="utf-8")
    assert (
        "`python -m magnet_watch.audit` exits 0 when the audit passes,\n   1 when it fails, 2"
        in documented
    )


def test_a_review_that_no_longer_matches_is_stale(tmp_data):
    with (tmp_data / "coverage_reviewed.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "magnet-scheme-approval,China processes over 90% of the world's rare earths.,"
            "over 90%,repeat,wrongly reviewed: a fact records it\n"
        )
    audit = run_audit(tmp_data)
    assert not audit.ok
    assert list(audit.stale_reviews["quantity"]) == ["over 90%"]


def test_a_check_giving_an_unexpected_result_fails_the_audit(tmp_data):
    replace_in(
        tmp_data / "consistency_checks.csv",
        "msa_scheme_outlay_usd,82,98",
        "msa_scheme_outlay_usd,82,90",
    )
    audit = run_audit(tmp_data)
    assert list(audit.failed_checks["check_id"]) == ["scheme_implied_inr_per_usd"]
    assert "UNEXPECTED" in format_report(audit)


def test_a_check_on_an_unknown_fact_names_its_line_and_column(tmp_data, capsys):
    replace_in(
        tmp_data / "consistency_checks.csv",
        "ibns_irel_nd_plan_2026,2,2",
        "ibns_irel_nd_plan_2027,2,2",
    )
    with pytest.raises(DataValidationError) as err:
        run_audit(tmp_data)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column) == (
        "consistency_checks.csv",
        5,
        "expression",
    )
    assert "ibns_irel_nd_plan_2027" in problem.message
    assert main(["--data-dir", str(tmp_data)]) == 2
    assert "nothing audited" in capsys.readouterr().err


def test_a_reviewed_quote_not_in_its_document_is_refused(tmp_data):
    replace_in(
        tmp_data / "coverage_reviewed.csv", "NM Desk NM Desk 3 Min Read", "NM Desk 4 Min Read"
    )
    with pytest.raises(DataValidationError) as err:
        run_audit(tmp_data)
    assert [(p.file, p.column) for p in err.value.problems] == [("coverage_reviewed.csv", "quote")]


def test_a_failing_check_without_its_finding_is_refused(tmp_data):
    path = tmp_data / "consistency_checks.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["expected_result"] == "fail":
            row["finding"] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataValidationError) as err:
        run_audit(tmp_data)
    assert [(p.line, p.column) for p in err.value.problems] == [(4, "finding")]


def test_headlines_summary_and_chart_state_the_computed_figures(audit):
    from magnet_watch.charts.audit import coverage_chart
    from magnet_watch.curation.coverage import extractor_recall
    from magnet_watch.data.load import load_package
    from magnet_watch.narrative.audit import audit_headlines, audit_summary

    found, curated, missed = extractor_recall(load_package())
    assert found == curated - len(missed) and curated == len(load_package().facts)
    headlines = audit_headlines(audit, (found, curated, missed)).set_index("figure")["value"]
    total = int(audit.coverage["quantities"].sum())
    assert headlines["Quantities the extractor finds in the seeds"] == f"{total:,}"
    assert headlines["Gaps (neither curated nor reviewed)"] == "0"
    assert (
        headlines["Checks failing as documented findings"] == "1: imports_implied_price_usd_per_kg"
    )
    summary = audit_summary(audit)
    assert "about 85% (strategic-pursuit) against over 90% (magnet-scheme-approval)" in summary
    assert "4.112 USD/kg" in summary
    spec = coverage_chart(audit, load_sources()).to_dict()
    bars = spec["datasets"][next(iter(spec["datasets"]))]
    assert sum(b["quantities"] for b in bars) == total


def test_recall_counts_a_fact_the_extractor_cannot_find_as_missed(tmp_data):
    from magnet_watch.curation.coverage import extractor_recall
    from magnet_watch.data.load import load_package

    # A fact quoting a sentence with no digits: provenance allows it through its derivation,
    # but the extractor has no number there to find.
    with (tmp_data / "facts.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "x_subsidy,scheme_outlay,India,,2,,,INR,2025-06,month,stated,japan-korea-cooperation,"
            '"India announced plans to subsidize rare earth magnet production",1 + 1,plans,,,,,\n'
        )
    found, curated, missed = extractor_recall(load_package(tmp_data))
    assert missed == ["x_subsidy"]
    assert found == curated - 1


# One document, the candidates cache, full tables as CSV, bounded words and chart ---------


def test_auditing_one_document_keeps_only_what_involves_it(audit):
    one = run_audit(source_id="strategic-pursuit")
    assert list(one.coverage["source_id"]) == ["strategic-pursuit"]
    assert set(one.statements["source_id"]) == {"strategic-pursuit"}
    mine = audit.statements[audit.statements["source_id"] == "strategic-pursuit"]
    assert one.statements.reset_index(drop=True).equals(mine.reset_index(drop=True))
    assert list(one.conflicts["metric"]) == ["processing_share"]  # with magnet-scheme-approval
    assert set(one.same_claims["fact_id"]) >= {"sp_irel_nd_capacity", "ipl_irel_nd_capacity"}
    assert one.checks.equals(audit.checks)  # the checks span documents: always all of them


def test_an_unknown_source_id_is_refused_with_the_closest(capsys):
    from magnet_watch.errors import ParameterError

    with pytest.raises(ParameterError, match="Did you mean 'strategic-pursuit'"):
        run_audit(source_id="strategic-pursuits")
    assert main(["--source-id", "nowhere"]) == 2
    assert "'nowhere' is not a source" in capsys.readouterr().err


def test_cached_candidates_are_the_extractors_exactly(tmp_path):
    from magnet_watch.curation import candidate_cache
    from magnet_watch.curation.extract import extract_candidates
    from magnet_watch.data.load import load_package

    package = load_package()
    dates = package.sources.set_index("source_id")["published"]
    for source_id, text in package.documents.items():
        published = dates[source_id] if isinstance(dates[source_id], str) else None
        fresh = extract_candidates(text, source_id, published)
        stored = candidate_cache.cached_candidates(text, source_id, published, tmp_path)
        read_back = candidate_cache.cached_candidates(text, source_id, published, tmp_path)
        assert stored == fresh and read_back == fresh
        assert [c.quantity.extra for c in read_back] == [c.quantity.extra for c in fresh]
    assert len(list(tmp_path.glob("*.json"))) == len(package.documents)


def test_the_cache_misses_when_the_extractor_changes_and_survives_a_bad_entry(
    tmp_path, monkeypatch
):
    from magnet_watch.curation import candidate_cache

    text = "IREL plans to produce 600 metric tons of neodymium a year by 2028.\n"
    first = candidate_cache.cached_candidates(text, "x", None, tmp_path)
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("[{not json", encoding="utf-8")  # a torn or foreign entry
    assert candidate_cache.cached_candidates(text, "x", None, tmp_path) == first

    def no_extraction(*args):
        raise AssertionError("a cache hit must not extract")

    with monkeypatch.context() as patch:  # the entry was rewritten whole: now a hit
        patch.setattr(candidate_cache, "extract_candidates", no_extraction)
        assert candidate_cache.cached_candidates(text, "x", None, tmp_path) == first
    monkeypatch.setattr(candidate_cache, "extractor_version", lambda: "another extractor")
    assert candidate_cache.cached_candidates(text, "x", None, tmp_path) == first
    assert len(list(tmp_path.glob("*.json"))) == 2  # a new key: the old entry is not reused


def test_a_cached_audit_gives_the_same_tables(tmp_path, audit):
    cold = run_audit(cache_dir=tmp_path)
    warm = run_audit(cache_dir=tmp_path)
    uncached = run_audit(cache_dir=None)
    for name in ("coverage", "statements", "stale_reviews"):
        assert getattr(cold, name).equals(getattr(audit, name))
        assert getattr(warm, name).equals(getattr(audit, name))
        assert getattr(uncached, name).equals(getattr(audit, name))


def test_every_table_is_written_in_full_as_csv(tmp_path, audit):
    import pandas as pd

    from magnet_watch.curation.audit import write_audit_tables

    written = write_audit_tables(audit, tmp_path)
    assert sorted(p.name for p in written.values()) == sorted(
        f"audit_{n}.csv"
        for n in ("coverage", "statements", "stale_reviews", "conflicts", "same_claims", "checks")
    )
    statements = pd.read_csv(written["statements"], dtype=str, keep_default_na=False)
    assert len(statements) == len(audit.statements)
    assert list(statements["quantity"]) == list(audit.statements["quantity"])


def test_long_lists_are_cut_with_a_count_of_the_rest(audit):
    import pandas as pd

    from magnet_watch.narrative.audit import audit_summary, first_rows

    frame = pd.DataFrame({"n": range(120)})
    shown, caption = first_rows(frame, "Gaps", where="audit_statements.csv", rows=50)
    assert len(shown) == 50
    assert caption == "Gaps (first 50 of 120; all of them in audit_statements.csv)"
    small, small_caption = first_rows(frame.head(3), "Gaps", rows=50)
    assert len(small) == 3 and small_caption == "Gaps"
    many = pd.concat([audit.conflicts] * 30, ignore_index=True)
    summary = audit_summary(dataclasses_replace(audit, conflicts=many), where="x.csv", rows=5)
    assert summary.count("**Conflict:**") == 5
    assert f"... and {len(many) - 5} more conflicts (all of them: x.csv)." in summary


def test_the_coverage_chart_draws_at_most_its_limit_of_documents(audit):
    from magnet_watch.charts.audit import coverage_chart

    spec = coverage_chart(audit, load_sources(), documents=2).to_dict()
    bars = spec["datasets"][next(iter(spec["datasets"]))]
    largest = audit.coverage.sort_values("quantities", ascending=False)["source_id"].head(2)
    assert {b["source_id"] for b in bars} == set(largest)  # no gaps: the longest documents
    assert "The 2 documents with the most gaps, of 5" in " ".join(spec["title"]["subtitle"])
    total = int(audit.coverage["quantities"].sum())
    assert (
        chart_title(spec, "")
        == f"{total} of {total} quantities in the seeds are curated or reviewed"
    )


def dataclasses_replace(audit, **changes):
    import dataclasses

    return dataclasses.replace(audit, **changes)


# Notebook 06: its parameter, and a page that stays small whatever the corpus --------------


def run_notebook_06(root, out, **parameters):
    """Run notebooks/06_curation_audit.ipynb of project copy ``root`` (its lib, data and
    seeds: the kernel imports the copy's library) and return the executed notebook. On a fresh
    kernel, not a forked one (``helpers.notebooks.execute``): a fork would hold the project's
    own library, imported before the copy's could be."""
    import os

    env = {"PYTHONPATH": str(root / "lib"), "MAGNET_WATCH_EXPORT_DIR": ""}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    notebooks = root / "notebooks"
    try:
        return execute(
            notebooks / "06_curation_audit.ipynb", out, notebooks, forked=False, **parameters
        )
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture
def project_copy(tmp_path):
    root = tmp_path / "project"
    for name in ("lib", "data", "seeds", "notebooks"):
        shutil.copytree(
            paths.PROJECT_ROOT / name,
            root / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
    return root


def headline_values(nb) -> dict[str, str]:
    from magnet_watch.notebook.display import HEADLINES_MIME

    (cell,) = [c for c in nb.cells if "headlines" in c.metadata.get("tags", [])]
    (output,) = [o for o in cell.outputs if HEADLINES_MIME in o.get("data", {})]
    return {r["figure"]: r["value"] for r in output["data"][HEADLINES_MIME]["headlines"]}


@pytest.mark.xdist_group("notebook_06")
def test_notebook_06_audits_one_document_or_refuses_an_unknown_one(project_copy, tmp_path):
    nb = run_notebook_06(project_copy, tmp_path / "one.ipynb", source_id="ibns-export-halt")
    one = run_audit(source_id="ibns-export-halt")
    figures = headline_values(nb)
    assert figures["Quantities the extractor finds in the seeds"] == f"{len(one.statements):,}"
    assert len(one.statements) < len(run_audit().statements)
    table = (project_copy / "build" / "audit" / "audit_table_coverage.csv").read_text()
    assert table.splitlines()[1].startswith("ibns-export-halt,")
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="is not a source in sources.csv"):
        run_notebook_06(project_copy, tmp_path / "bad.ipynb", source_id="ibns-export")
    with pytest.raises(pm.PapermillExecutionError, match="source_id"):
        run_notebook_06(project_copy, tmp_path / "bad2.ipynb", source_id=3)


@pytest.mark.xdist_group("notebook_06")
def test_notebook_06_stays_small_with_thousands_of_gaps(project_copy, tmp_path):
    from magnet_watch.curation.add import add_document

    lines = [f"IREL shipped {1000 + i:,} metric tons of item {i} in 2024." for i in range(4000)]
    article = tmp_path / "long.txt"
    article.write_text("A very long ledger\n" + "\n".join(lines) + "\n", encoding="utf-8")
    add_document(article, data_dir=project_copy / "data", candidates_dir=tmp_path / "candidates")
    nb = run_notebook_06(project_copy, tmp_path / "long.ipynb")
    size = (tmp_path / "long.ipynb").stat().st_size
    assert size < 1_500_000, f"executed notebook is {size:,} bytes"
    import pandas as pd

    statements = pd.read_csv(project_copy / "build" / "audit" / "audit_table_statements.csv")
    assert (statements["status"] == "gap").sum() >= 8000  # every ledger quantity and year
    left_out = int(statements["status"].isin(["gap", "reviewed"]).sum())
    html = "".join(
        str(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert f"(first 50 of {left_out:,}; all of them in audit_table_statements.csv)" in html
