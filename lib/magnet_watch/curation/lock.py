"""One curation run at a time: ``add``, ``candidates`` and ``accept`` hold a lock while they write.

Two runs at once would interleave their writes to data/ and seeds/ (two appends to
sources.csv, one losing the other's row) and remove each other's temporary files. So
each writing command holds an exclusive lock on ``.curation.lock`` beside data/ (the
mechanism is ``magnet_watch.locks``), and a second run refuses at once, naming the run
that holds it. It refuses rather than waits: a curation command takes seconds, a second
one is usually a mistake (the same document twice, ``accept`` on a candidates file that
``candidates`` is rewriting), and whoever started it should look before running it again.

The file lives beside data/, not in it: every file under data/ is an input of the report
build (its cache hashes them), and the lock file's record changes at every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from magnet_watch.locks import Holder, LockBusy, hold_lock

LOCK_NAME = ".curation.lock"


def curation_lock_path(data_dir: Path) -> Path:
    """Return the curation lock file of the data folder ``data_dir``: beside it."""
    return Path(data_dir).absolute().parent / LOCK_NAME


@contextmanager
def curation_lock(data_dir: Path, command: str) -> Iterator[None]:
    """Hold the curation lock of ``data_dir`` while the block runs (``command`` says what
    runs, for the message another run prints). Raises LockBusy at once, naming the holder
    (pid, command, since when), when another process holds it."""
    path = curation_lock_path(data_dir)

    def refuse(holder: Holder) -> None:
        raise LockBusy(
            f"another curation run is writing {Path(data_dir).name}/ and seeds/: "
            f"pid {holder.pid}, '{holder.command}', since {holder.since}; "
            f"nothing done, run this again when it has finished (lock: {path})",
            holder,
        )

    with hold_lock(path, command, refuse):
        yield
