"""One curation run at a time (issue 10): a second add, candidates or accept refuses at once,
naming the run that holds the lock, and writes nothing; a run killed while holding the lock
never blocks the next one. Every run here is a real process of the curation command."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from magnet_watch import paths
from magnet_watch.curation.lock import LOCK_NAME
from magnet_watch.data.load import load_package

FIRST = """India's magnet imports climb
12 March 2026
India imported 61,200 metric tons of rare earth magnets in FY26, trade data showed.
"""
SECOND = """IREL expands its Odisha plant
3 April 2026
IREL plans to produce 600 metric tons of neodymium a year by 2028.
"""
TIMEOUT_S = 120

# The curation command, paused just after its first file write (the seed, for `add`) until
# the file named by argv[2] exists; it touches argv[1] when it pauses. So the test knows it
# holds the lock and is halfway through writing.
PAUSED = """
import sys, time
from pathlib import Path
from magnet_watch.curation import add
from magnet_watch.curation.cli import main

paused, release = Path(sys.argv.pop(1)), Path(sys.argv.pop(1))
real = add.write_atomic

def write_then_pause(path, data, **options):
    written = real(path, data, **options)
    if not paused.exists():
        paused.touch()
        while not release.exists():
            time.sleep(0.02)
    return written

add.write_atomic = write_then_pause
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def corpus(tmp_path):
    """A copy of data/ and seeds/ with two new articles beside it; returns tmp_path."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    (tmp_path / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    return tmp_path


def command(root: Path, *args: str) -> list[str]:
    return ["--data-dir", str(root / "data"), *args]


def add_args(root: Path, article: str) -> list[str]:
    return command(root, "add", str(root / article), "--candidates-dir", str(root / "candidates"))


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "magnet_watch.curation", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def start_paused(root: Path, args: list[str]) -> tuple[subprocess.Popen, Path]:
    """Start the command paused after its first write; return (process, release file)."""
    paused, release = root / "paused", root / "release"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED, str(paused), str(release), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + TIMEOUT_S
    while not paused.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first run never reached its first write"
        time.sleep(0.05)
    return process, release


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file curation may write: data/, seeds/ and the candidates folder."""
    folders = [root / "data", root / "seeds", root / "candidates"]
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in folders
        if folder.exists()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_second_run_refuses_at_once_naming_the_first_and_writes_nothing(corpus):
    first, release = start_paused(corpus, add_args(corpus, "first.txt"))
    try:
        during = snapshot(corpus)
        assert "seeds/2026-03-12_india-s-magnet-imports-climb.txt" in during  # halfway through
        started = time.monotonic()
        second = run(add_args(corpus, "second.txt"))
        waited_s = time.monotonic() - started
        assert second.returncode == 2, second.stdout + second.stderr
        message = second.stderr.strip()
        assert "\n" not in message, message  # one line
        assert re.fullmatch(
            rf"add: refused: another curation run is writing data/ and seeds/: pid {first.pid}, "
            rf"'add {re.escape(str(corpus / 'first.txt'))}', since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC; "
            rf"nothing done, .* \(lock: {re.escape(str(corpus / LOCK_NAME))}\)",
            message,
        ), message
        assert waited_s < 30, "the second run waited instead of refusing"  # generous: shared CPUs
        # `candidates` and `accept` refuse too, while the add holds the lock.
        again = run(command(corpus, "candidates", "strategic-pursuit"))
        assert again.returncode == 2 and f"pid {first.pid}" in again.stderr
        reviewed = corpus / "reviewed.csv"  # a candidates file: the lock refuses before reading it
        reviewed.write_text("accept,fact_id\nyes,x\n", encoding="utf-8")
        accept = run(command(corpus, "accept", str(reviewed)))
        assert accept.returncode == 2 and f"pid {first.pid}" in accept.stderr
        assert snapshot(corpus) == during  # nothing of the refused runs is written
    finally:
        release.touch()
        out, err = first.communicate(timeout=TIMEOUT_S)
    assert first.returncode == 0, err
    sources = load_package(corpus / "data").sources
    assert "india-s-magnet-imports-climb" in set(sources["source_id"])
    assert "irel-expands-its-odisha-plant" not in set(sources["source_id"])
    assert sorted(p.name for p in (corpus / "candidates").iterdir()) == [
        "india-s-magnet-imports-climb.csv"
    ]
    # Once the first has finished, the second runs.
    after = run(add_args(corpus, "second.txt"))
    assert after.returncode == 0, after.stderr
    assert "as source 'irel-expands-its-odisha-plant'" in after.stdout


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(corpus):
    first, _ = start_paused(corpus, add_args(corpus, "first.txt"))
    lock = corpus / LOCK_NAME
    assert lock.read_text().splitlines()[0] == str(first.pid)  # it holds the lock
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=TIMEOUT_S)
    assert first.returncode == -signal.SIGKILL
    assert lock.exists()  # the file stays; the flock died with the process
    done = run(add_args(corpus, "second.txt"))
    assert done.returncode == 0, done.stderr
    resumed = run(add_args(corpus, "first.txt"))  # the killed add's seed is adopted
    assert resumed.returncode == 0, resumed.stderr
    sources = set(load_package(corpus / "data").sources["source_id"])
    assert {"india-s-magnet-imports-climb", "irel-expands-its-odisha-plant"} <= sources
    assert lock.read_text().splitlines()[0] not in (str(first.pid), "")


def test_the_lock_file_is_beside_data_and_kept_out_of_git():
    from magnet_watch.curation.lock import curation_lock_path

    assert curation_lock_path(paths.DATA_DIR) == paths.PROJECT_ROOT / LOCK_NAME
    ignored = subprocess.run(["git", "check-ignore", "-q", LOCK_NAME], cwd=paths.PROJECT_ROOT)
    assert ignored.returncode == 0, f"{LOCK_NAME} is not in .gitignore"
