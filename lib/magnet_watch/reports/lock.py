"""One build at a time per output folder: an exclusive ``flock`` on a file beside it.

A second build of the same folder waits, saying which process it waits for,
instead of deleting the first one's stage. The mechanism is ``magnet_watch.locks``
(shared with curation): the lock is released when the holder's file descriptor
closes, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from magnet_watch.locks import Holder, hold_lock


def lock_path(out: Path) -> Path:
    """Return the lock file of the output folder ``out``: ``.<name>.lock`` beside it."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.lock"


@contextmanager
def build_lock(out: Path, say=print) -> Iterator[None]:
    """Hold the build lock of ``out`` while the block runs; wait (saying so) when it is taken.
    A scenario build holds the top folder's lock once for all its scenarios."""

    def wait(holder: Holder) -> None:
        say(f"another build (pid {holder.pid}) is writing {out}: waiting for it to finish")

    with hold_lock(lock_path(out), f"build {out}", wait):
        yield
