"""Work done once per test run and shared by every xdist worker: the expensive builds.

A session fixture is set up once per worker, so with ``pytest -n 2`` each worker would build
the project for itself. ``once_per_run`` builds in the folder the workers of one run share
(the parent of each worker's base temporary folder), under a file lock: the first worker to
ask builds, the other waits for it and reads the same folder.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def run_folder(tmp_path_factory) -> Path:
    """The temporary folder this test run's workers share (the base folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], T]) -> tuple[Path, T]:
    """Return (folder, make(folder)), with ``make`` run once per test run whichever worker
    asks first; ``make`` writes into the empty ``folder`` and returns a picklable result.
    A ``make`` that raised leaves nothing recorded: the next worker to ask tries again."""
    root = run_folder(tmp_path_factory)
    folder, record = root / f"once-{name}", root / f"once-{name}.pickle"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if record.exists():
                return folder, pickle.loads(record.read_bytes())
            shutil.rmtree(folder, ignore_errors=True)  # what a failed try left
            folder.mkdir()
            result = make(folder)
            record.write_bytes(pickle.dumps(result))
            return folder, result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
