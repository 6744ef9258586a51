"""Adding a sixth document end to end, and every refusal, on a copy of data/ and seeds/."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from magnet_watch import paths
from magnet_watch.curation.accept import accept_candidates
from magnet_watch.curation.add import CurationError, add_document
from magnet_watch.curation.audit import run_audit
from magnet_watch.curation.cli import main
from magnet_watch.data.load import load_package
from magnet_watch.errors import DataValidationError, ParameterError

ARTICLE = """India's magnet imports climb
12 March 2026
India imported 61,200 metric tons of rare earth magnets in FY26, trade data showed.
IREL plans to produce 600 metric tons of neodymium a year by 2028.
"""


@pytest.fixture
def corpus(tmp_path):
    """A copy of data/ and seeds/; returns (data_dir, seeds_dir, candidates_dir)."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data", tmp_path / "seeds", tmp_path / "candidates"


def snapshot(data_dir, seeds_dir) -> dict:
    files = [*data_dir.glob("*.csv"), *seeds_dir.glob("*")]
    return {f.name: f.read_bytes() for f in files}


def add(path, corpus, **options):
    data_dir, seeds_dir, candidates_dir = corpus
    return add_document(
        path, data_dir=data_dir, seeds_dir=seeds_dir, candidates_dir=candidates_dir, **options
    )


def review(candidates_path, decisions: dict[str, dict]) -> None:
    """Do what a curator does in a spreadsheet: fill in and mark the rows to accept."""
    frame = pd.read_csv(candidates_path, dtype=str, keep_default_na=False)
    for quantity, fields in decisions.items():
        row = frame.index[frame["quantity_text"] == quantity]
        assert len(row) == 1, quantity
        for column, value in {"accept": "yes", **fields}.items():
            frame.loc[row, column] = value
    frame.to_csv(candidates_path, index=False)


def test_a_sixth_document_from_file_to_audited_facts(tmp_path, corpus):
    data_dir, seeds_dir, _ = corpus
    article = tmp_path / "magnet-imports.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    added = add(article, corpus)

    # The seed is a byte-for-byte copy under a readable name; sources.csv records its checksum.
    assert added.seed_path.name == "2026-03-12_india-s-magnet-imports-climb.txt"
    assert added.seed_path.read_bytes() == article.read_bytes()
    source = load_package(data_dir).sources.set_index("source_id").loc[added.source_id]
    assert source["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    assert (source["published"], source["published_precision"]) == ("2026-03-12", "day")
    assert source["title"] == "India's magnet imports climb"

    # The candidates carry the parsed numbers and suggestions.
    candidates = pd.read_csv(added.candidates_path).set_index("quantity_text")
    assert candidates.loc[
        "61,200 metric tons", ["value", "unit", "metric", "period", "period_type"]
    ].tolist() == [61200.0, "t", "magnet_imports", "FY2025-26", "fiscal_year"]
    assert candidates.loc[
        "600 metric tons", ["value", "unit", "metric", "period", "qualifier"]
    ].tolist() == [600.0, "t/yr", "nd_output_target", "2028", "planned"]

    # Until the curator accepts them, the audit reports the new document's statements as gaps.
    before = run_audit(data_dir)
    assert not before.ok
    assert set(before.gaps["quantity"]) == {"61,200 metric tons", "600 metric tons", "FY26", "2028"}

    review(
        added.candidates_path,
        {
            "61,200 metric tons": {
                "fact_id": "mic_magnet_imports_fy26",
                "subject": "India",
                "counterpart": "world",
            },
            "600 metric tons": {
                "fact_id": "mic_irel_nd_plan_2028",
                "subject": "IREL",
                "period_type": "target_date",
            },
        },
    )
    accepted = accept_candidates(added.candidates_path, data_dir=data_dir)
    assert accepted == ["mic_magnet_imports_fy26", "mic_irel_nd_plan_2028"]

    facts = load_package(data_dir).facts.set_index("fact_id")
    assert facts.loc["mic_magnet_imports_fy26", "value"] == 61200
    assert facts.loc["mic_irel_nd_plan_2028", "quote"] == (
        "IREL plans to produce 600 metric tons of neodymium a year by 2028."
    )
    after = run_audit(data_dir)
    assert after.ok
    coverage = after.coverage.set_index("source_id").loc[added.source_id]
    assert (coverage["quantities"], coverage["gaps"], coverage["recorded_pct"]) == (5, 0, 100.0)

    # Provenance holds the accepted facts to the document: a changed value no longer loads.
    facts_csv = data_dir / "facts.csv"
    facts_csv.write_text(
        facts_csv.read_text(encoding="utf-8").replace("61200", "62100"), encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="mic_magnet_imports_fy26"):
        load_package(data_dir)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Prix : 73 milliards de roupies, été 2025".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "whitespace", "binary", "latin-1"],
)
def test_bad_files_are_refused_and_nothing_changes(tmp_path, corpus, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = snapshot(*corpus[:2])
    with pytest.raises(CurationError, match=message):
        add(path, corpus)
    assert snapshot(*corpus[:2]) == before


def test_a_document_already_in_the_corpus_is_refused(tmp_path, corpus):
    copy = tmp_path / "again.txt"
    shutil.copy(paths.SEEDS_DIR / "undated_india-to-suspend-rare-earth-exports-to-japan.txt", copy)
    before = snapshot(*corpus[:2])
    with pytest.raises(CurationError, match="already in the corpus as source 'ibns-export-halt'"):
        add(copy, corpus)
    assert snapshot(*corpus[:2]) == before


def test_adding_the_same_new_document_twice_is_refused(tmp_path, corpus):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    add(article, corpus)
    with pytest.raises(CurationError, match="already in the corpus"):
        add(article, corpus)


def test_a_missing_file_and_a_bad_date_are_refused(tmp_path, corpus):
    with pytest.raises(CurationError, match="no such file"):
        add(tmp_path / "nowhere.txt", corpus)
    article = tmp_path / "a.txt"
    article.write_text("No date here.\nIt cost $5 million.\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="YYYY"):
        add(article, corpus, published="12/03/2026")


def test_an_undated_document_is_added_as_undated(tmp_path, corpus):
    article = tmp_path / "a.txt"
    article.write_text("A plant opens\nIt cost $5 million.\n", encoding="utf-8")
    added = add(article, corpus, source_id="plant-opens")
    assert added.seed_path.name == "undated_a-plant-opens.txt"
    source = load_package(corpus[0]).sources.set_index("source_id").loc["plant-opens"]
    assert source["published_precision"] == "unknown"


def test_accepting_a_row_without_its_fact_id_names_line_and_column(tmp_path, corpus):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = add(article, corpus)
    review(added.candidates_path, {"61,200 metric tons": {"subject": "India"}})
    with pytest.raises(CurationError, match=r"line 2, column 'fact_id'"):
        accept_candidates(added.candidates_path, data_dir=corpus[0])


def test_accepting_a_value_the_quote_does_not_state_is_refused_and_undone(tmp_path, corpus):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = add(article, corpus)
    facts_before = (corpus[0] / "facts.csv").read_bytes()
    review(
        added.candidates_path,
        {"61,200 metric tons": {"fact_id": "x_imports", "subject": "India", "value": "62100"}},
    )
    with pytest.raises(CurationError, match="62100 is not written in the quote"):
        accept_candidates(added.candidates_path, data_dir=corpus[0])
    assert (corpus[0] / "facts.csv").read_bytes() == facts_before


def test_the_command_line_refuses_with_exit_code_2(tmp_path, corpus, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["--data-dir", str(corpus[0]), "add", str(empty)]) == 2
    assert "refused" in capsys.readouterr().err


def test_the_command_line_without_a_file_says_how_to_call_it(corpus, capsys):
    assert main(["--data-dir", str(corpus[0]), "add", ""]) == 2
    assert "Usage: make add-document FILE=" in capsys.readouterr().err


# Hostile file names, interruptions, size limits, re-writing candidates ----------------------

HOSTILE_NAME = 'a `touch marker1` $(touch marker2) "q" ;b\'c $$HOME.txt'


@pytest.fixture
def project(tmp_path):
    """A copy of the project (Makefile, lib, data, seeds) whose .venv/bin/python runs the
    copy's library, so `make` there changes only the copy."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(paths.PROJECT_ROOT / name, root / name)
    for name in ("lib", "data", "seeds"):
        shutil.copytree(
            paths.PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{root / "lib"}" exec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    # Newer than the lock file: make sees the environment installed for this Python version.
    (root / ".venv" / f".installed-python{sys.version_info[0]}.{sys.version_info[1]}").touch()
    return root


def test_make_add_document_never_runs_or_expands_a_file_name(project):
    incoming = project / "incoming"
    incoming.mkdir()
    (incoming / HOSTILE_NAME).write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run(
        ["make", "--no-print-directory", "add-document", f"FILE=incoming/{HOSTILE_NAME}"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert not (project / "marker1").exists() and not (project / "marker2").exists()
    sources = load_package(project / "data").sources.set_index("original_file")
    assert sources.loc[HOSTILE_NAME, "source_id"] == "india-s-magnet-imports-climb"
    assert (project / "build" / "candidates" / "india-s-magnet-imports-climb.csv").is_file()
    again = subprocess.run(
        ["make", "--no-print-directory", "candidates", "SOURCE=india-s-magnet-imports-climb"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "candidates of source 'india-s-magnet-imports-climb'" in again.stdout


class Crash(BaseException):
    """Stands for the process being killed: no `except Exception` handler sees it."""


def crash_at_write(monkeypatch, step: int) -> None:
    """Make add_document's ``step``-th file write (1 seed, 2 sources.csv, 3 candidates) crash
    before it starts."""
    from magnet_watch.curation import add as add_module

    calls = []
    real = add_module.write_atomic

    def write(path, data):
        calls.append(path)
        if len(calls) == step:
            raise Crash(path)
        return real(path, data)

    monkeypatch.setattr(add_module, "write_atomic", write)


def leftovers(*folders) -> list[str]:
    return [p.name for folder in folders for p in folder.glob(".*.tmp")]


def test_interrupted_before_any_write_leaves_nothing(tmp_path, corpus, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(*corpus[:2])
    crash_at_write(monkeypatch, 1)
    with pytest.raises(Crash):
        add(article, corpus)
    assert snapshot(*corpus[:2]) == before
    assert leftovers(*corpus[:2]) == []


def test_interrupted_after_the_seed_a_second_add_adopts_it(tmp_path, corpus, monkeypatch):
    data_dir, seeds_dir, _ = corpus
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    seeds_before = set(p.name for p in seeds_dir.iterdir())
    crash_at_write(monkeypatch, 2)
    with pytest.raises(Crash):
        add(article, corpus)
    monkeypatch.undo()
    load_package(data_dir)  # the orphan seed is in no table: the corpus still loads
    added = add(article, corpus)  # resumes: the seed is adopted, not refused as a duplicate
    assert set(p.name for p in seeds_dir.iterdir()) - seeds_before == {added.seed_path.name}
    assert added.candidates_path.is_file() and added.candidates == 2
    assert run_audit(data_dir).coverage.set_index("source_id").loc[added.source_id, "gaps"] == 4


def test_interrupted_before_the_candidates_a_command_writes_them(
    tmp_path, corpus, monkeypatch, capsys
):
    data_dir, _, candidates_dir = corpus
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    crash_at_write(monkeypatch, 3)
    with pytest.raises(Crash):
        add(article, corpus)
    monkeypatch.undo()
    assert list(candidates_dir.glob("*.csv")) == []
    with pytest.raises(CurationError, match="make candidates SOURCE=india-s-magnet-imports-climb"):
        add(article, corpus)
    args = [
        "--data-dir",
        str(data_dir),
        "candidates",
        "india-s-magnet-imports-climb",
        "--candidates-dir",
        str(candidates_dir),
    ]
    assert main(args) == 0
    written = candidates_dir / "india-s-magnet-imports-climb.csv"
    assert "2 candidates of source" in capsys.readouterr().out
    # The same file a clean add writes.
    clean = tmp_path / "clean"
    shutil.copytree(paths.DATA_DIR, clean / "data")
    shutil.copytree(paths.SEEDS_DIR, clean / "seeds")
    fresh = add(article, (clean / "data", clean / "seeds", clean / "candidates"))
    assert written.read_bytes() == fresh.candidates_path.read_bytes()


def test_a_write_that_fails_midway_leaves_the_file_whole_and_no_temporary(
    tmp_path, corpus, monkeypatch
):
    from magnet_watch.curation import files

    data_dir = corpus[0]
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = add(article, corpus)
    review(
        added.candidates_path, {"61,200 metric tons": {"fact_id": "x_imports", "subject": "India"}}
    )
    facts_before = (data_dir / "facts.csv").read_bytes()

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        accept_candidates(added.candidates_path, data_dir=data_dir)
    assert (data_dir / "facts.csv").read_bytes() == facts_before
    assert leftovers(data_dir) == []


def test_a_document_over_the_size_limit_is_refused_unless_the_limit_is_raised(
    tmp_path, corpus, capsys
):
    from magnet_watch.curation.add import MAX_DOCUMENT_BYTES

    big = tmp_path / "big.txt"
    line = "India imported 61,200 metric tons of magnets.\n"
    big.write_text(
        "A long report\n" + line * (MAX_DOCUMENT_BYTES // len(line) + 1), encoding="utf-8"
    )
    size = big.stat().st_size
    before = snapshot(*corpus[:2])
    with pytest.raises(
        CurationError, match=f"{size:,} bytes, over the limit of {MAX_DOCUMENT_BYTES:,}"
    ):
        add(big, corpus)
    assert snapshot(*corpus[:2]) == before
    assert main(["--data-dir", str(corpus[0]), "add", str(big)]) == 2
    assert "--max-bytes" in capsys.readouterr().err
    added = add(big, corpus, max_bytes=size)
    assert added.seed_path.stat().st_size == size


def test_candidates_of_an_unknown_source_are_refused(corpus, capsys):
    assert main(["--data-dir", str(corpus[0]), "candidates", "no-such-source"]) == 2
    assert "'no-such-source' is not a source in sources.csv" in capsys.readouterr().err


KILL_AT = """
import os, signal, sys
from magnet_watch.curation import files
from magnet_watch.curation.cli import main

real_replace, target = os.replace, sys.argv.pop(1)

def replace(src, dst):  # killed with the new file written, just before it takes the old one's place
    if target in str(dst):
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)

files.os.replace = replace
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("target", ["/seeds/", "/sources.csv", "/candidates/"])
def test_a_process_killed_at_any_write_leaves_a_state_the_next_command_finishes(
    tmp_path, corpus, target
):
    data_dir, seeds_dir, candidates_dir = corpus
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = [
        "--data-dir",
        str(data_dir),
        "add",
        str(article),
        "--candidates-dir",
        str(candidates_dir),
    ]
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT, target, *args], capture_output=True, timeout=300
    )
    assert killed.returncode == -9, killed.stderr
    load_package(data_dir)  # whatever was left, the corpus loads
    again = subprocess.run(
        [sys.executable, "-m", "magnet_watch.curation", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    source_id = "india-s-magnet-imports-climb"
    if target == "/candidates/":
        assert again.returncode == 2 and f"make candidates SOURCE={source_id}" in again.stderr
        assert (
            main(
                [
                    "--data-dir",
                    str(data_dir),
                    "candidates",
                    source_id,
                    "--candidates-dir",
                    str(candidates_dir),
                ]
            )
            == 0
        )
    else:
        assert again.returncode == 0, again.stderr
    row = load_package(data_dir).sources.set_index("source_id").loc[source_id]
    assert row["file"] == "seeds/2026-03-12_india-s-magnet-imports-climb.txt"  # never a temporary
    assert leftovers(seeds_dir, data_dir, candidates_dir) == []  # the killed write's temporary
    assert (candidates_dir / f"{source_id}.csv").is_file()


def test_atomic_writes_keep_the_files_permissions(tmp_path, corpus):
    """A replaced table keeps its mode and a new seed gets the umask's, not mkstemp's 0600
    (an add once left sources.csv readable by its owner only)."""
    import os
    import stat

    data_dir, seeds_dir, _ = corpus
    (data_dir / "sources.csv").chmod(0o664)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    umask = os.umask(0o027)
    try:
        added = add(article, corpus)
    finally:
        os.umask(umask)

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data_dir / "sources.csv") == 0o664
    assert mode(added.seed_path) == 0o640
    assert mode(added.candidates_path) == 0o640
