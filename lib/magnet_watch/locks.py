"""One writer at a time: an exclusive ``flock`` on a lock file that says who holds it.

The report build (``reports.lock``: a second build waits) and curation
(``curation.lock``: a second curation run refuses) both use ``hold_lock``. The lock is
the ``flock``, not the file: the kernel releases it when the holder's file descriptor
closes, also when the process is killed, so a lock file left behind never blocks the
next run. The file holds the last holder's record (pid, command, since), which the next
run shows while the lock is taken.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Lock files this thread holds: a nested hold_lock in the same thread is a no-op; another
# thread opens the file again and, flock being per open file, finds it taken.
_THREAD = threading.local()
_RECORD_BYTES = 1024  # a record is three short lines; read no more than this


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its record says: process id, command, UTC time it took the lock.
    Each is "unknown" when the record is empty (the holder has not written it yet)."""

    pid: str
    command: str
    since: str


class LockBusy(RuntimeError):
    """Another process holds the lock; the message names it. ``holder`` is its record."""

    def __init__(self, message: str, holder: Holder):
        super().__init__(message)
        self.holder = holder


def read_holder(fd: int) -> Holder:
    """Return the record in the open lock file ``fd`` (``unknown`` for a missing field)."""
    text = os.pread(fd, _RECORD_BYTES, 0).decode(errors="replace")
    fields = [line.strip() for line in text.splitlines()][:3]
    fields += [""] * (3 - len(fields))
    return Holder(*(f or "unknown" for f in fields))


@contextmanager
def hold_lock(path: Path | str, command: str, on_busy: Callable[[Holder], None]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) while the block runs.

    When another process holds it, ``on_busy(holder)`` is called first: raising (e.g.
    ``LockBusy``) refuses, returning waits until the lock is free. Once taken, the file
    records this process (pid, ``command``, since when, UTC). A nested hold of a lock this
    thread already holds runs the block at once.
    """
    path = Path(path).absolute()
    held: set[Path] = _THREAD.__dict__.setdefault("held", set())
    if path in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_busy(read_holder(fd))
            fcntl.flock(fd, fcntl.LOCK_EX)
        since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        record = f"{os.getpid()}\n{' '.join(command.split())}\n{since}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, record[:_RECORD_BYTES], 0)
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
    finally:
        os.close(fd)  # releases the flock
