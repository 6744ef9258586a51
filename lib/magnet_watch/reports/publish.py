"""Stage a build beside the output folder and publish it in one atomic step.

The complete new tree is built in ``.<out>.stage-<pid>``, a sibling of ``out`` on
the same filesystem, then swapped with ``out`` by one ``renameat2(RENAME_EXCHANGE)``
(Linux, glibc >= 2.28): at every instant ``out`` is a real directory holding either
the whole old build or the whole new one. Without that call the old tree is renamed
away and the new one renamed in, with a marker file that the next build uses to
finish or undo an interrupted swap. Leftover stages and old trees are removed by
the next build. What lives in ``out`` but is built separately (``scenarios/``,
anything the build does not own) is hard-linked into the stage, so it survives.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

from magnet_watch import paths
from magnet_watch.curation.files import write_atomic
from magnet_watch.reports.run import FAILURES_NAME, LOGS_NAME, BuildFailed
from magnet_watch.text.spreadsheet import csv_for_people

# The Vega bundle of each vl-convert version, kept between builds (see write_assets).
VEGA_BUNDLE_CACHE = paths.BUILD_DIR / "cache" / "vega-bundle"

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # from <linux/fs.h>
USE_EXCHANGE = True  # tests set False to exercise the portable fallback
# Names older versions of the build left inside the output folder.
_LEGACY = (".building-", ".previous-")


def _sibling(out: Path, kind: str, pid: int | None = None) -> Path:
    suffix = f"-{pid}" if pid is not None else ""
    return out.parent / f".{out.name}.{kind}{suffix}"


def new_stage(out: Path) -> Path:
    """Create and return an empty stage folder beside ``out`` (same filesystem)."""
    stage = _sibling(out, "stage", os.getpid())
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def link_file(src: Path, dst: Path) -> None:
    """Hard-link ``src`` at ``dst`` (a copy where links are not possible)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    _link_or_copy(str(src), str(dst))


def link_tree(src: Path, dst: Path) -> None:
    """Recreate the tree ``src`` at ``dst`` with hard links (copies where links fail)."""
    if src.is_dir() and not src.is_symlink():
        shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
    else:
        link_file(src, dst)


def carry_over(out: Path, stage: Path, owned: set[str]) -> list[str]:
    """Link into the stage what ``out`` holds that this build does not own; return the names."""
    if not out.is_dir():
        return []
    skip = owned | {LOGS_NAME, FAILURES_NAME}
    carried = []
    for entry in sorted(out.iterdir()):
        if entry.name in skip or entry.name.startswith(_LEGACY) or (stage / entry.name).exists():
            continue
        link_tree(entry, stage / entry.name)
        carried.append(entry.name)
    return carried


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` atomically; return False where the system cannot."""
    if not USE_EXCHANGE:
        return False
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a filesystem without RENAME_EXCHANGE
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_with_marker(out: Path, stage: Path, old: Path) -> None:
    """Rename ``out`` away and ``stage`` in, recording the swap so the next build can finish it."""
    marker = _sibling(out, "swap")
    marker.write_text(json.dumps({"new": str(stage), "old": str(old)}), encoding="utf-8")
    _fsync_dir(out.parent)
    out.rename(old)
    stage.rename(out)
    _fsync_dir(out.parent)
    marker.unlink()


def publish(out: Path, stage: Path) -> None:
    """Make the complete tree in ``stage`` the new ``out`` in one step; remove the old tree."""
    old = _sibling(out, "old", os.getpid())
    if not out.exists():
        stage.rename(out)
    elif _renameat2_exchange(stage, out):
        stage.rename(old)  # the stage path now holds the old tree
    else:
        _swap_with_marker(out, stage, old)
    _fsync_dir(out.parent)
    shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """Finish or undo a swap that was interrupted, then remove stale stages and old trees.

    Call it holding the build lock: no other build's stage is then in progress.
    """
    marker = _sibling(out, "swap")
    if marker.exists():
        try:
            swap = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            swap = {}
        if not out.exists():
            for candidate in (swap.get("new"), swap.get("old")):  # finish, else undo
                if candidate and Path(candidate).is_dir():
                    Path(candidate).rename(out)
                    break
        marker.unlink()
    for pattern in (f".{out.name}.stage-*", f".{out.name}.old-*", f".{out.name}.probe-*"):
        for stale in out.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    if out.is_dir():
        for stale in out.iterdir():
            if stale.name.startswith(_LEGACY):
                shutil.rmtree(stale, ignore_errors=True)


def merge_charts(stage: Path, results: dict[str, dict]) -> None:
    """Move each notebook's charts/<stem>/ files into charts/; refuse a name two notebooks use."""
    owner: dict[str, str] = {}
    charts = stage / "charts"
    for stem, result in sorted(results.items()):
        for name in result.get("chart_files", []):
            if name in owner and owner[name] != stem:
                raise BuildFailed(
                    f"chart file {name!r} is written by both {owner[name]} and {stem}: "
                    "give the charts different names in show_chart"
                )
            owner[name] = stem
        per_notebook = charts / stem
        if per_notebook.is_dir():
            for file in per_notebook.iterdir():
                file.replace(charts / file.name)
            per_notebook.rmdir()


def copy_data(stage: Path, data_dir: Path, later: tuple[str, ...] = ()) -> list[str]:
    """Copy the curated tables and the reference packages (every CSV file and datapackage.json
    under data/, keeping their folders) into data/; return their paths relative to data/.

    The references go too: a shared report carries each outside figure's origin record.
    They are copied byte for byte, except a table with a cell a spreadsheet would run:
    that one is written by ``csv_for_people``, the cell as text. Files whose path (relative
    to data/) starts with one of ``later`` are left out: a build as of an earlier date leaves
    out the packages and editions published after it.
    """
    import pandas as pd

    target = stage / "data"
    names = []
    for file in sorted(data_dir.rglob("*")):
        if file.is_file() and file.suffix in (".csv", ".json"):
            name = file.relative_to(data_dir).as_posix()
            if name.startswith(later) and later:
                continue
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target / name)
            if file.suffix == ".csv":
                table = pd.read_csv(file, dtype=str, keep_default_na=False)
                safe = csv_for_people(table)
                if safe != table.to_csv(index=False, lineterminator="\n"):
                    (target / name).write_text(safe, encoding="utf-8")
            names.append(name)
    return names


def write_assets(stage: Path, previous: Path | None, cache_dir: Path = VEGA_BUNDLE_CACHE) -> None:
    """Write assets/: the page assets and the Vega bundle.

    The bundle (about 0.9 MB, 1.6 s of vl-convert's time) depends only on vl-convert's
    version: it is linked from the last build ``previous`` (None: its bundle is not as
    its manifest recorded it), or from ``cache_dir``, when that version matches, and
    written there once otherwise.
    """
    import vl_convert as vlc

    from magnet_watch.reports.html import ASSETS_DIR, VEGA_BUNDLE

    assets = stage / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for file in ASSETS_DIR.iterdir():
        if file.is_file():
            shutil.copy2(file, assets / file.name)
    version = f"vl-convert {vlc.get_vega_embed_version()} {vlc.get_vegalite_versions()[-1]}"
    cached = cache_dir / f"{hashlib.sha256(version.encode()).hexdigest()[:16]}.js"
    stamp = previous / "assets" / f"{VEGA_BUNDLE}.version" if previous else None
    bundle = previous / "assets" / VEGA_BUNDLE if previous else None
    if stamp and stamp.exists() and stamp.read_text() == version and bundle.exists():
        link_file(bundle, assets / VEGA_BUNDLE)
    else:
        if not cached.exists():
            write_atomic(cached, vlc.javascript_bundle().encode("utf-8"), durable=False)
        link_file(cached, assets / VEGA_BUNDLE)
    (assets / f"{VEGA_BUNDLE}.version").write_text(version)
