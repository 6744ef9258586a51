"""One build at a time per output folder: an exclusive ``flock`` on a file beside it.

A second build of the same folder waits, saying which process it waits for,
instead of deleting the first one's stage. The lock is released when the holder's
file descriptor closes, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HELD: set[Path] = set()  # locks this process holds (a scenario build holds the top one)


def lock_path(out: Path) -> Path:
    """Return the lock file of the output folder ``out``: ``.<name>.lock`` beside it."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.lock"


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 64).decode(errors="replace").strip() or "unknown"


@contextmanager
def build_lock(out: Path, say=print) -> Iterator[None]:
    """Hold the build lock of ``out`` while the block runs; wait (saying so) when it is taken."""
    path = lock_path(out)
    if path in _HELD:  # already ours: a scenario build locks once for all its scenarios
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another build (pid {_holder(fd)}) is writing {out}: waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
    finally:
        os.close(fd)
