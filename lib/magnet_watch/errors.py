"""The errors the library raises on bad input: each names the file, row and column."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of one file.

    ``line`` is the line number in the CSV file (the header is line 1), so an
    editor jumps straight to it; ``row_id`` is the row's key where it has one.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    row_id: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.row_id:
            where += f" ({self.row_id})"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """Raised when a table fails its schema, keys or provenance. Nothing is loaded.

    ``problems`` lists every offending cell; the message shows them all (up to a
    limit) so that one run finds every mistake.
    """

    MAX_SHOWN = 50

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[: self.MAX_SHOWN])
        more = len(self.problems) - self.MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the curated data:\n{shown}{tail}")


class ParameterError(ValueError):
    """Raised when a notebook or report parameter is unknown, of the wrong type or out of range."""

    def _render_traceback_(self) -> list[str]:
        """Return the lines IPython shows instead of a traceback: the message alone, so a
        notebook (JupyterLab, papermill, nbval) stops on one readable line, not a stack."""
        return [f"ParameterError: {self}"]


class DiskFull(OSError):
    """Raised when a write finds its disk full (ENOSPC, or the user's quota: EDQUOT).

    The message names the file that could not be written and the disk (the file system's
    mount point, device and free space); whoever raises it has left the previous state whole.
    """

    FULL = {errno.ENOSPC, errno.EDQUOT}

    @classmethod
    def matches(cls, exc: BaseException) -> bool:
        """True when ``exc`` is an OSError saying the disk (or the quota) is full."""
        return isinstance(exc, OSError) and exc.errno in cls.FULL

    def __init__(self, path: Path | str, what_happened: str = "nothing was changed"):
        self.path = Path(path)
        super().__init__(
            errno.ENOSPC,
            f"the disk is full: {self.path} could not be written ({describe_disk(self.path)}); "
            f"{what_happened}. Free some space and run it again",
            str(self.path),
        )

    def __str__(self) -> str:
        return self.strerror


def describe_disk(path: Path | str) -> str:
    """Return the file system holding ``path``: its mount point, device and free space."""
    folder = Path(os.path.abspath(path))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    mount = folder
    while not os.path.ismount(mount) and mount != mount.parent:
        mount = mount.parent
    device = "unknown device"
    try:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                fields = line.split()
                if len(fields) > 2 and fields[1] == str(mount):
                    device = f"{fields[0]}, {fields[2]}"
    except OSError:
        pass
    try:
        free = f"{shutil.disk_usage(mount).free:,} bytes free"
    except OSError:
        free = "free space unknown"
    return f"the disk mounted at {mount} ({device}), {free}"
