"""Atomic file writes: a reader, or a crash, sees the old file or the new one, never half.

Every file curation writes (a seed, sources.csv, facts.csv, a candidates file, a cache
entry, an audit table) goes through ``write_atomic``: the bytes go to a temporary file
in the same folder, are flushed to disk (fsync), and the temporary file then replaces
the target in one ``os.replace`` (atomic on POSIX and Windows within one file system).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from magnet_watch.errors import DiskFull


def write_atomic(path: Path | str, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, os.replace); return the path.

    Creates the folder if missing. On any error the temporary file is removed and the
    target is as it was; a full disk raises DiskFull, naming the file and the disk.
    ``durable=False`` skips the fsyncs: still all-or-nothing for
    readers, but a power cut may lose the file (fine for a cache that is rebuilt).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _open_temporary(path)
    except OSError as exc:
        if DiskFull.matches(exc):
            raise DiskFull(path, f"{path.name} is as it was") from None
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if DiskFull.matches(exc):
            raise DiskFull(path, f"{path.name} is as it was") from None
        raise
    if durable:
        _fsync_folder(path.parent)
    return path


def _open_temporary(path: Path) -> tuple[int, Path]:
    """Create ``.<name>.<random>.tmp`` beside ``path``; return (its descriptor, its path).

    Its permissions are the target's when the target exists, else those of any new file
    (0666 less the umask), not mkstemp's 0600: replacing sources.csv must not make it
    unreadable to the curator's group, and a new seed reads like the others."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
        except FileNotFoundError:
            pass  # a new file: the umask already applied
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def write_text_atomic(path: Path | str, text: str, *, durable: bool = True) -> Path:
    """``write_atomic`` for UTF-8 text, written exactly as given (no newline translation)."""
    return write_atomic(path, text.encode("utf-8"), durable=durable)


def remove_temporaries(folder: Path | str) -> list[str]:
    """Remove the temporary files ``write_atomic`` leaves in ``folder`` when its process is
    killed mid-write (``.<name>.<random>.tmp``); return their names. Call it only under the
    curation lock (``curation.lock``): one curation run at a time, so no other write owns them."""
    removed = []
    for tmp in Path(folder).glob(".*.tmp"):
        if tmp.is_file():
            tmp.unlink()
            removed.append(tmp.name)
    return removed


def _fsync_folder(folder: Path) -> None:
    """Flush the folder entry too, so the rename survives a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
