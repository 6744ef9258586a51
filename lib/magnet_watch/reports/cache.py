"""Hash a build's inputs, read and write its manifest, and decide what can be reused.

A notebook whose inputs (its file, its parameter spec and values, data/, seeds/,
the library, the lock file, and the label printed on its page) hash the same as
in the last build's manifest, and whose files are all still there with the bytes the
manifest records (their SHA-256), is reused, not re-run: a damaged file is rebuilt.
With nothing changed a build only hashes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from magnet_watch.reports.plan import Project

MANIFEST_NAME = ".magnet-watch-build.json"
BUILD_FORMAT = 2  # bump when the layout of the output changes, to force a rebuild
# Inputs every notebook depends on, relative to the project root.
SHARED_INPUTS = ("data", "seeds", "lib/magnet_watch", "requirements.lock")
HASHED_SUFFIXES = {
    ".py",
    ".csv",
    ".json",
    ".yaml",
    ".yml",
    ".txt",
    ".js",
    ".css",
    ".lock",
    ".html",
}


def _hash_tree(digest, root: Path, rel: str) -> None:
    path = root / rel
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if file.suffix not in HASHED_SUFFIXES or "__pycache__" in file.parts:
            continue
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())


def shared_inputs_hash(project: Project, label: str) -> str:
    """Return the hash of what every notebook depends on: data, seeds, library, lock file, label.

    The label (scenario and its description) is printed on every page, so it is an input.
    """
    digest = hashlib.sha256(f"format {BUILD_FORMAT}".encode())
    for rel in SHARED_INPUTS:
        _hash_tree(digest, project.root, rel)
    if project.data_dir.resolve() != (project.root / "data").resolve():
        _hash_tree(digest, project.data_dir.parent, project.data_dir.name)
    return hashlib.sha256(f"{digest.hexdigest()} {label}".encode()).hexdigest()


def notebook_key(notebook: Path, values: dict[str, Any], shared: str) -> str:
    """Return the hash of one notebook's inputs: the shared hash, its file, spec and parameters."""
    digest = hashlib.sha256(shared.encode())
    digest.update(notebook.read_bytes())
    spec = notebook.with_name(f"{notebook.stem}.params.yaml")
    if spec.exists():
        digest.update(spec.read_bytes())
    digest.update(json.dumps(values, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def read_manifest(out: Path) -> dict:
    """Return the manifest of the build in ``out`` ({} when there is none or it is unreadable)."""
    try:
        return json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def file_hash(file: Path) -> str:
    """Return the SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def intact(out: Path, manifest: dict, rel: str) -> bool:
    """Return True when ``out/rel`` holds the bytes the manifest records for it."""
    expected = manifest.get("hashes", {}).get(rel)
    try:
        return expected is not None and file_hash(out / rel) == expected
    except OSError:
        return False


def write_manifest(
    stage: Path, label: str, values: dict, entries: dict[str, dict], unhashed: set[str]
) -> None:
    """Write the manifest of the build staged in ``stage``: label, values, one entry per
    notebook, and the SHA-256 of every file staged (except in the top-level ``unhashed``)."""
    hashes = {
        file.relative_to(stage).as_posix(): file_hash(file)
        for file in sorted(stage.rglob("*"))
        if file.is_file() and file.relative_to(stage).parts[0] not in unhashed
    }
    manifest = {
        "format": BUILD_FORMAT,
        "label": label,
        "values": values,
        "notebooks": entries,
        "entries": sorted(p.name for p in stage.iterdir()) + [MANIFEST_NAME],
        "hashes": hashes,
    }
    (stage / MANIFEST_NAME).write_text(
        json.dumps(manifest, indent=1, sort_keys=True, default=str), encoding="utf-8"
    )


def files_intact(out: Path, manifest: dict, entry: dict) -> bool:
    """Return True when every file a manifest entry lists is in ``out``, as the manifest hashed it."""
    return all(intact(out, manifest, f) for f in entry.get("files", []))


def reusable(out: Path, manifest: dict, keys: dict[str, str], force: bool) -> set[str]:
    """Return the notebooks whose key matches the manifest and whose files are all in ``out``."""
    if force:
        return set()
    previous = manifest.get("notebooks", {})
    return {
        stem
        for stem, key in keys.items()
        if previous.get(stem, {}).get("key") == key and files_intact(out, manifest, previous[stem])
    }


def up_to_date(out: Path, manifest: dict, keys: dict[str, str], reuse: set[str], label: str):
    """Return True when ``out`` holds exactly this build: every notebook reusable, same label,
    and every file the build wrote there with the bytes the manifest records."""
    return (
        reuse == set(keys)
        and set(manifest.get("notebooks", {})) == reuse
        and manifest.get("label") == label
        and all((out / name).exists() for name in manifest.get("entries", ["index.html"]))
        and all(intact(out, manifest, rel) for rel in manifest.get("hashes", {"index.html": ""}))
    )


def manifest_entry(plan, result: dict) -> dict:
    """Return a notebook's manifest entry: its key, files, page content and timings."""
    files = result.get("files") or [
        f"{plan.stem}.html",
        f"notebooks/{plan.stem}.ipynb",
        *(f"charts/{name}" for name in result.get("chart_files", [])),
    ]
    return {
        "key": plan.key,
        "files": files,
        "title": result["title"],
        "kicker": result.get("kicker", ""),
        "headlines": result["headlines"],
        "charts": result["charts"],
        "chart_files": result.get("chart_files", []),
        "parameters": {row["name"]: row["value"] for row in plan.parameters},
        # time of the run that produced these files (s), and where it went
        "seconds": result.get("seconds"),
        "phases": result.get("phases", {}),
    }


def longest_first(plans: list, manifest: dict) -> list:
    """Return ``plans`` in the order to start them: those the manifest's build ran longest
    first, and those it has no time for before all (in their own order).

    On a few workers, the notebook started last then is a short one: started last in name
    order, the 2.2 s of 07_sensitivity alone kept one worker busy while the other idled.
    """
    previous = manifest.get("notebooks", {})
    return sorted(plans, key=lambda p: -(previous.get(p.stem, {}).get("seconds") or float("inf")))
