"""`make audit` prints a bounded report whatever the corpus (issue 10): on the 1,000-document
synthetic corpus of `make bench` it printed 84,000 lines (11.8 MB). Now: at most
TERMINAL_ROWS rows of each table, a summary whose counts are the tables', and every row
in the CSV files it names; --all prints everything."""

from __future__ import annotations

import re
import sys
from functools import partial

import pandas as pd
import pytest

from magnet_watch import audit as audit_command
from magnet_watch import paths
from magnet_watch.audit import TABLE_PREFIX, main
from magnet_watch.curation.audit import run_audit
from magnet_watch.narrative.audit_printout import TERMINAL_ROWS, TEXT_CHARS

sys.path.insert(0, str(paths.PROJECT_ROOT / "scripts"))
from bench_curation import build_corpus  # noqa: E402

pytestmark = pytest.mark.slow
DOCUMENTS = 1_000
# Six lists of TERMINAL_ROWS rows (checks take two lines each), their headings and "... and
# N more" lines, the summary and the verdict.
MAX_LINES = 7 * TERMINAL_ROWS + 40
MAX_LINE_CHARS = TEXT_CHARS + 120  # a clipped sentence or list after its label and ids


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """(data folder, its audit, the extractor's cache) of a synthetic corpus of DOCUMENTS
    documents."""
    root = tmp_path_factory.mktemp("big")
    data = build_corpus(root, DOCUMENTS)
    return data, run_audit(data, cache_dir=root / "cache"), root / "cache"


@pytest.fixture
def big(big_corpus, monkeypatch):
    """(data folder, its audit); the command's audit reads the extractor's candidates from the
    corpus's cache, filled by the first audit, not from (and into) the project's build/cache/."""
    data, audit, cache = big_corpus
    monkeypatch.setattr(audit_command, "run_audit", partial(run_audit, cache_dir=cache))
    return data, audit


def summary_counts(out: str) -> dict[str, int]:
    """Return {label: count} from the summary block of the printed report."""
    block = out.split("\nSummary", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^  (\S.*?)\s+([\d,]+)(?:  |$)", block, flags=re.MULTILINE)
    return {label: int(count.replace(",", "")) for label, count in rows}


def test_a_big_corpus_prints_a_bounded_report_and_writes_every_row(big, tmp_path, capsys):
    data, audit = big
    assert len(audit.gaps) > 10_000 and len(audit.conflicts) > 10_000  # big enough to matter
    tables = tmp_path / "tables"
    assert main(["--data-dir", str(data), "--tables-dir", str(tables)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) <= MAX_LINES, len(lines)
    assert max(len(line) for line in lines) <= MAX_LINE_CHARS
    assert sum(line.startswith("  - synthetic-") for line in lines) == TERMINAL_ROWS  # gaps
    more = len(audit.gaps) - TERMINAL_ROWS
    assert f"  ... and {more:,} more gaps (all of them: {TABLE_PREFIX}statements.csv)" in lines
    assert lines[-1].startswith(
        f"AUDIT FAILED: {len(audit.gaps):,} gaps, 0 stale reviews, "
        "0 unexpected check results (exit code 1; the codes: 0 passed, 1 failed, 2 "
    )

    counts = summary_counts(out)
    assert counts == {
        "documents": DOCUMENTS,
        "quantities found": len(audit.statements),
        "gaps": len(audit.gaps),
        "stale reviews": 0,
        "conflicts": len(audit.conflicts),
        "same claim, different rows": audit.same_claims["group"].nunique(),
        "consistency checks": len(audit.checks),
    }
    assert f"in its CSV file, in {tables}/" in out

    # The CSV files have every row of every table.
    def table(name):
        return pd.read_csv(tables / f"{TABLE_PREFIX}{name}.csv", dtype=str, keep_default_na=False)

    assert len(table("coverage")) == DOCUMENTS
    statements = table("statements")
    assert len(statements) == len(audit.statements)
    assert (statements["status"] == "gap").sum() == counts["gaps"]
    assert list(statements["sentence"]) == list(audit.statements["sentence"])
    assert len(table("conflicts")) == counts["conflicts"]
    assert len(table("same_claims")) == len(audit.same_claims)


def test_all_prints_every_row_in_full(big, tmp_path, capsys):
    data, audit = big
    assert main(["--data-dir", str(data), "--tables-dir", str(tmp_path), "--all"]) == 1
    lines = capsys.readouterr().out.splitlines()
    gap_lines = [line for line in lines if line.startswith("  - synthetic-")]
    assert len(gap_lines) == len(audit.gaps)
    assert sum(" vs " in line for line in lines) == len(audit.conflicts)
    assert not any("... and" in line or "…" in line for line in lines)


def test_a_tables_folder_that_cannot_be_written_is_refused_with_exit_code_2(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the tables folder should be", encoding="utf-8")
    assert main(["--tables-dir", str(blocker / "audit")]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the full tables to {blocker / 'audit'}" in err
