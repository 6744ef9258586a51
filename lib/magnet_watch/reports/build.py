"""Build every notebook into offline HTML reports: ``python -m magnet_watch.report_build``.

Usage::

    python -m magnet_watch.report_build                      # base case into reports/
    python -m magnet_watch.report_build --scenario low       # reports/scenarios/low/
    python -m magnet_watch.report_build --scenario all       # every scenario + comparison page
    python -m magnet_watch.report_build --param nd_mass_fraction=0.3 --out /tmp/r

Notebooks are ``notebooks/[0-9][0-9]_*.ipynb``, found by name, run with papermill
in parallel (one kernel per notebook, as many at once as the machine has cores).
Every parameter, from a scenario file or ``--param``, is checked against the
notebooks' declared parameters (``notebooks/<stem>.params.yaml`` through
``magnet_watch.parameters``) before anything runs; an unknown name fails with
the list of valid ones.

The build happens in a hidden folder inside the output folder and is swapped in
only when every notebook succeeded: a failure leaves the previous reports as
they were and exits non-zero naming the notebook, the cell and the error. A
notebook whose inputs (its file, its parameters, data/, seeds/, the library, the
lock file) are unchanged since the last build is reused, not re-run; with nothing
changed the command only checks hashes.

Output (the ``reports/`` folder, or each ``reports/scenarios/<name>/``)::

    index.html              the reports with their headline figures and charts
    <stem>.html             one article per notebook: parameters, prose, charts, sources
    notebooks/<stem>.ipynb  the executed notebooks
    charts/<name>.svg|.png|.csv|.vl.json   every chart, its data, its spec
    data/                   the curated tables the figures come from
    assets/                 the one shared copy of Vega, the page script and style
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from magnet_watch import paths
from magnet_watch.errors import ParameterError
from magnet_watch.text.yaml_strict import load_yaml

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
KERNEL_NAME = "magnet-watch"
# nbclient's default is 60 s; several kernels starting at once on two busy cores can need more.
KERNEL_START_TIMEOUT_S = 180
MANIFEST_NAME = ".magnet-watch-build.json"
LOGS_NAME = ".logs"  # the kernels' stderr of the last build, one file per notebook
BUILD_FORMAT = 1  # bump when the layout of the output changes, to force a rebuild
SCENARIO_KEYS = {"description", "parameters"}
DEFAULT_SCENARIO = "base"
# Inputs every notebook depends on, relative to the project root.
SHARED_INPUTS = ("data", "seeds", "lib/magnet_watch", "requirements.lock")
HASHED_SUFFIXES = {".py", ".csv", ".json", ".yaml", ".yml", ".txt", ".js", ".css", ".lock"}


class BuildFailed(RuntimeError):
    """Raised when a notebook fails; the previous reports are left as they were."""


@dataclass(frozen=True)
class Project:
    """Where the build reads its inputs: the repository, or a test's temporary copy."""

    root: Path = paths.PROJECT_ROOT
    notebooks_dir: Path = paths.NOTEBOOKS_DIR
    scenarios_dir: Path = paths.PROJECT_ROOT / "scenarios"
    data_dir: Path = paths.DATA_DIR


@dataclass
class Scenario:
    """A named set of parameter values (``scenarios/<name>.yaml``) and where it came from."""

    name: str
    description: str
    parameters: dict[str, Any]
    origin: str


@dataclass
class NotebookPlan:
    """One notebook to build: its resolved parameters and the hash of its inputs."""

    stem: str
    path: Path
    overrides: dict[str, Any]  # the values passed to papermill (defaults stay in the notebook)
    parameters: list[dict]  # every parameter with its value, who set it and its meaning
    key: str = ""


@dataclass
class BuildResult:
    """What a build did: which notebooks ran, which were reused, how long each took (s)."""

    out: Path
    ran: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    up_to_date: bool = False
    total_seconds: float = 0.0


# ---------------------------------------------------------------- discovery and parameters


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """Return the report notebooks (``NN_name.ipynb``) in name order."""
    return sorted(notebooks_dir.glob(NOTEBOOK_PATTERN))


def parse_cli_value(text: str) -> Any:
    """Return a ``--param`` value read as YAML: ``0.3`` is a float, ``2030`` an int, ``true`` a bool.

    ``None`` (as the notebooks write it) and ``null`` both mean None.
    """
    if text == "None":
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def parse_cli_params(items: list[str]) -> dict[str, Any]:
    """Return ``{name: value}`` from ``name=value`` strings; raise ParameterError on bad syntax."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: write it as name=value")
        values[name.strip()] = parse_cli_value(text.strip())
    return values


def load_scenario(name: str, scenarios_dir: Path) -> Scenario:
    """Return the scenario in ``scenarios_dir/<name>.yaml``; raise ParameterError if malformed."""
    file = scenarios_dir / f"{name}.yaml"
    if not file.exists():
        known = sorted(p.stem for p in scenarios_dir.glob("*.yaml"))
        raise ParameterError(f"no scenario {name!r}: expected {file}; scenarios are {known}")
    try:
        raw = load_yaml(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ParameterError(f"{file}: expected a mapping with 'description' and 'parameters'")
    unknown = set(raw) - SCENARIO_KEYS
    if unknown:
        raise ParameterError(
            f"{file}: unknown keys {sorted(unknown)}; allowed {sorted(SCENARIO_KEYS)}"
        )
    if not isinstance(raw.get("description"), str) or not raw["description"].strip():
        raise ParameterError(f"{file}: 'description' must say what the scenario assumes")
    try:
        origin = str(file.resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        origin = str(file)
    return Scenario(name, raw["description"].strip(), raw["parameters"], origin)


SCENARIO_ORDER = ("low", DEFAULT_SCENARIO, "high")  # then any others, by name


def scenario_names(scenarios_dir: Path) -> list[str]:
    """Return the scenario names (``scenarios/*.yaml``): low, base, high, then the others."""
    names = sorted(p.stem for p in scenarios_dir.glob("*.yaml"))
    rank = {name: i for i, name in enumerate(SCENARIO_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def _declared(notebook: Path) -> tuple[dict[str, Any], dict[str, dict]]:
    """Return the notebook's parameter defaults and its specs (empty when it has no spec file)."""
    from magnet_watch.notebook.parameters import (
        load_parameter_specs,
        notebook_parameters,
        spec_path,
    )

    try:
        defaults = notebook_parameters(notebook)
    except ParameterError:
        defaults = {}  # a notebook without a parameters cell takes none
    specs = {}
    if spec_path(notebook.stem, notebook.parent).exists():
        specs = load_parameter_specs(notebook.stem, notebook.parent)["parameters"]
    return defaults, specs


def _check_type_against_default(stem: str, name: str, value: Any, default: Any) -> Any:
    """Check a value for a notebook without a spec file: it must have its default's type."""
    if default is None or isinstance(default, bool) != isinstance(value, bool):
        ok = default is None
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ParameterError(
            f"{stem}: parameter {name!r} = {value!r} has the wrong type "
            f"{type(value).__name__}: allowed {type(default).__name__} (default {default!r})"
        )
    return value


def declared_names(notebook: Path) -> list[str]:
    """Return the parameter names a notebook declares: its ``parameters`` cell and its spec file.

    Reads the notebook as plain JSON (no nbformat: this runs on every no-change build).
    """
    import ast

    names = []
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = "".join(cell.get("source", ""))
            for node in ast.parse(source).body:
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AnnAssign):
                    targets = [node.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            break
    spec = notebook.with_name(f"{notebook.stem}.params.yaml")
    if spec.exists():
        try:
            raw = load_yaml(spec.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ParameterError(f"{spec.name} is not valid YAML: {exc}") from exc
        if isinstance(raw, dict) and isinstance(raw.get("parameters"), dict):
            names += list(raw["parameters"])
    return list(dict.fromkeys(names))


def split_values(
    notebooks: list[Path], values: dict[str, Any], origin: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Return, per notebook stem, the values among ``values`` that notebook declares.

    Raises ParameterError for a name no notebook declares, listing the valid names
    (and the closest one) and saying where the bad name came from.
    """
    declared = {nb.stem: declared_names(nb) for nb in notebooks}
    valid = sorted({name for names in declared.values() for name in names})
    for name in values:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(
                f"unknown parameter {name!r} (from {origin.get(name, 'the command line')}): "
                f"no notebook declares it.{hint} Valid parameters: {', '.join(valid) or 'none'}"
            )
    return {
        stem: {k: v for k, v in values.items() if k in names} for stem, names in declared.items()
    }


def plan_notebooks(notebooks: list[Path], values: dict[str, Any], origin: dict[str, str]) -> list:
    """Return a NotebookPlan per notebook, after checking every value against the declarations.

    ``values`` are the parameters to set (from a scenario and the command line);
    ``origin`` says where each came from, for the error message. A name no
    notebook declares, a wrong type or an out-of-range value raises
    ParameterError before anything runs.
    """
    from magnet_watch.notebook.parameters import validate_parameters

    split_values(notebooks, values, origin)
    declared = {nb.stem: _declared(nb) for nb in notebooks}
    plans = []
    for nb in notebooks:
        defaults, specs = declared[nb.stem]
        names = list(dict.fromkeys([*defaults, *specs]))
        mine = {k: v for k, v in values.items() if k in names}
        try:
            if specs:
                checked = validate_parameters(nb.stem, mine, nb.parent)
            else:
                checked = {
                    k: _check_type_against_default(nb.stem, k, v, defaults.get(k))
                    for k, v in mine.items()
                }
        except ParameterError as exc:
            where = ", ".join(sorted({origin.get(k, "the command line") for k in mine}))
            raise ParameterError(f"notebook {nb.stem} (values from {where}): {exc}") from exc
        rows = []
        for name in names:
            spec = specs.get(name, {})
            meaning = "; ".join(x for x in (spec.get("description"), spec.get("unit")) if x)
            set_by = origin.get(name, "the command line") if name in checked else "notebook default"
            rows.append(
                {
                    "name": name,
                    "value": checked.get(name, defaults.get(name)),
                    "set_by": set_by,
                    "meaning": meaning,
                }
            )
        plans.append(NotebookPlan(nb.stem, nb, checked, rows))
    return plans


# ---------------------------------------------------------------- hashing and the manifest


def _hash_tree(digest, root: Path, rel: str) -> None:
    path = root / rel
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        if file.suffix not in HASHED_SUFFIXES or "__pycache__" in file.parts:
            continue
        digest.update(str(file.relative_to(root)).encode())
        digest.update(file.read_bytes())


def shared_inputs_hash(project: Project) -> str:
    """Return the hash of what every notebook depends on: data, seeds, library, lock file."""
    digest = hashlib.sha256(f"format {BUILD_FORMAT}".encode())
    for rel in SHARED_INPUTS:
        _hash_tree(digest, project.root, rel)
    if project.data_dir.resolve() != (project.root / "data").resolve():
        _hash_tree(digest, project.data_dir.parent, project.data_dir.name)
    return digest.hexdigest()


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


def _files_present(out: Path, entry: dict) -> bool:
    return all((out / f).is_file() for f in entry.get("files", []))


# ---------------------------------------------------------------- running one notebook


def _chart_files(charts_rel: str, export_dir: Path):
    """Return a function giving a chart's exported files, relative to the report root."""

    def files(name: str, spec: dict) -> dict[str, str]:
        # A chart displayed without show_chart has no files: it draws, but has no static copy.
        found = {}
        for kind in ("svg", "png", "csv", "vl.json"):
            if (export_dir / f"{name}.{kind}").exists():
                found[kind] = f"{charts_rel}/{name}.{kind}"
        return found

    return files


def _kernel_failed_to_start(exc: Exception) -> bool:
    """True when papermill failed before any cell ran because the kernel did not come up."""
    text = str(exc)
    return type(exc).__name__ == "DeadKernelError" or (
        isinstance(exc, RuntimeError)
        and ("didn't respond" in text or "died before replying" in text)
    )


def run_notebook(job: dict) -> dict:
    """Execute one notebook with papermill and write its report into ``job['stage']``.

    Runs in a worker process. Returns a summary dict (ok, stem, title, headlines,
    charts, files, seconds); on failure ok is False with the cell and the error.
    Files: ``<stem>.html``, ``notebooks/<stem>.ipynb``, ``charts/<name>.*``.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from magnet_watch.reports import html as report_html

    started = time.perf_counter()
    stem, stage = job["stem"], Path(job["stage"])
    export_dir = stage / "charts" / stem  # per notebook, merged into charts/ after all succeed
    executed = stage / "notebooks" / f"{stem}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    os.environ["MAGNET_WATCH_EXPORT_DIR"] = str(export_dir)
    print(f"  started  {stem}", flush=True)
    # The kernel writes its own chatter (transport warnings, shutdown) to stderr: keep it in
    # a log beside the build instead of the terminal, and show it when the notebook fails.
    log_path = Path(job["logs"]) / f"{stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        os.dup2(log.fileno(), 2)
    for attempt in (1, 2):
        try:
            papermill.execute_notebook(
                job["path"],
                str(executed),
                parameters=job["overrides"],
                kernel_name=KERNEL_NAME,
                cwd=job["cwd"],
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=KERNEL_START_TIMEOUT_S,
            )
            break
        except PapermillExecutionError as exc:
            return {
                "ok": False,
                "stem": stem,
                "cell": exc.cell_index,
                "exec_count": exc.exec_count,
                "source": exc.source,
                "error": f"{exc.ename}: {exc.evalue}",
                "traceback": report_html.strip_ansi("\n".join(exc.traceback)),
                "executed": str(executed),
                "log": str(log_path),
            }
        except Exception as exc:  # kernel died, bad notebook file: still report which notebook
            if attempt == 1 and _kernel_failed_to_start(exc):
                # On a loaded machine a kernel can lose its ports to another process, or
                # start too slowly; no cell has run, so starting it again changes nothing else.
                print(f"  retrying {stem}: the kernel did not start ({exc})", flush=True)
                continue
            return {"ok": False, "stem": stem, "cell": None, "source": "", "traceback": "",
                    "error": f"{type(exc).__name__}: {exc}", "executed": str(executed),
                    "log": str(log_path)}  # fmt: skip
    executed_at = time.perf_counter()
    notebook = nbformat.read(executed, as_version=4)
    cell_seconds = sum(
        c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0 for c in notebook.cells
    )
    files_of = _chart_files("charts", export_dir)
    content = report_html.read_report_content(notebook, stem, files_of)
    sources = report_html.cited_sources(
        report_html.read_sources(Path(job["data_dir"])), content.cited_text
    )
    page = report_html.report_page(content, job["parameters"], sources, job["label"], stem)
    (stage / f"{stem}.html").write_text(page, encoding="utf-8")
    chart_names = sorted(p.name for p in export_dir.iterdir()) if export_dir.exists() else []
    finished = time.perf_counter()
    return {
        "ok": True,
        "stem": stem,
        "title": content.title,
        "headlines": content.headlines,
        "charts": [{"name": c.name, "title": c.title, "files": c.files} for c in content.charts],
        "chart_files": chart_names,
        "seconds": finished - started,
        "phases": {
            "kernel_and_papermill": executed_at - started - cell_seconds,
            "cells": cell_seconds,
            "report_html": finished - executed_at,
        },
    }


# ---------------------------------------------------------------- the build


def _log(message: str) -> None:
    print(message, flush=True)


def _write_assets(stage: Path, previous: Path) -> None:
    """Write assets/: the Vega bundle (copied from the last build when vl-convert is unchanged)."""
    import vl_convert as vlc

    from magnet_watch.reports.html import ASSETS_DIR, VEGA_BUNDLE

    assets = stage / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for file in ASSETS_DIR.iterdir():
        if file.is_file():
            shutil.copy2(file, assets / file.name)
    version = f"vl-convert {vlc.get_vega_embed_version()} {vlc.get_vegalite_versions()[-1]}"
    stamp = previous / "assets" / f"{VEGA_BUNDLE}.version"
    if (
        stamp.exists()
        and stamp.read_text() == version
        and (previous / "assets" / VEGA_BUNDLE).exists()
    ):
        shutil.copy2(previous / "assets" / VEGA_BUNDLE, assets / VEGA_BUNDLE)
    else:
        (assets / VEGA_BUNDLE).write_text(vlc.javascript_bundle(), encoding="utf-8")
    (assets / f"{VEGA_BUNDLE}.version").write_text(version)


def _copy_data(stage: Path, data_dir: Path) -> list[str]:
    """Copy the curated tables (CSV files and datapackage.json) into data/; return their names."""
    target = stage / "data"
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for file in sorted(data_dir.iterdir()):
        if file.is_file() and file.suffix in (".csv", ".json"):
            shutil.copy2(file, target / file.name)
            names.append(file.name)
    return names


def _reuse(out: Path, stage: Path, entry: dict) -> None:
    """Copy a notebook's files from the previous build into the stage."""
    for rel in entry["files"]:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(out / rel, target)


def _merge_charts(stage: Path, results: dict[str, dict]) -> None:
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


def _swap_in(out: Path, stage: Path, old_entries: list[str]) -> None:
    """Move the staged build into ``out``, replacing only what builds own (not scenarios/)."""
    trash = out / f".previous-{os.getpid()}"
    trash.mkdir()
    new_entries = sorted(p.name for p in stage.iterdir())
    for name in sorted(set(old_entries) | set(new_entries)):
        if (out / name).exists():
            (out / name).replace(trash / name)
        if name in new_entries:
            (stage / name).replace(out / name)
    shutil.rmtree(trash)
    shutil.rmtree(stage)


def _failure_message(result: dict, keep: Path) -> str:
    where = "before any cell ran"
    if result.get("cell") is not None:
        where = f"cell {result['cell']} (counting from 0, In [{result.get('exec_count')}])"
    lines = [f"FAILED {result['stem']} at {where}: {result['error']}"]
    if result.get("source"):
        lines.append(
            "  cell source:\n" + "\n".join(f"    {s}" for s in result["source"].splitlines())
        )
    if result.get("traceback"):
        lines.append("  " + result["traceback"].strip().replace("\n", "\n  "))
    if keep.exists():
        lines.append(f"  executed notebook with the error: {keep}")
    if result.get("log"):
        lines.append(f"  kernel log: {result['log']}")
    return "\n".join(lines)


def build(
    out: Path,
    *,
    project: Project | None = None,
    values: dict[str, Any] | None = None,
    origin: dict[str, str] | None = None,
    label: str = "base case (the notebooks' defaults)",
    jobs: int | None = None,
    force: bool = False,
) -> BuildResult:
    """Build every notebook's report into ``out``; return what ran, what was reused and timings.

    Raises ParameterError (before anything runs) for a bad parameter, BuildFailed
    when a notebook fails; in both cases ``out`` is left as it was.
    """
    started = time.perf_counter()
    project = project or Project()
    values, origin = values or {}, origin or {}
    notebooks = discover_notebooks(project.notebooks_dir)
    if not notebooks:
        raise BuildFailed(f"no notebooks matching {NOTEBOOK_PATTERN} in {project.notebooks_dir}")
    # Cheap checks first: a no-change re-run stops after hashing the inputs. The values were
    # fully validated by the build that wrote the manifest, and the keys cover the specs.
    per_notebook = split_values(notebooks, values, origin)
    # The label (scenario and its description) is printed on every page: part of the key.
    shared = hashlib.sha256(f"{shared_inputs_hash(project)} {label}".encode()).hexdigest()
    keys = {nb.stem: notebook_key(nb, per_notebook[nb.stem], shared) for nb in notebooks}
    out = Path(out)
    result = BuildResult(out)
    manifest = read_manifest(out)
    previous = manifest.get("notebooks", {})
    reusable = {
        stem
        for stem, key in keys.items()
        if not force
        and previous.get(stem, {}).get("key") == key
        and _files_present(out, previous[stem])
    }
    if (
        len(reusable) == len(notebooks)
        and set(previous) == reusable
        and manifest.get("label") == label
        and (out / "index.html").exists()
    ):
        result.up_to_date, result.reused = True, sorted(reusable)
        result.total_seconds = time.perf_counter() - started
        _log(f"reports up to date in {out} ({len(notebooks)} notebooks, nothing changed)")
        return result
    plans = plan_notebooks(notebooks, values, origin)
    for plan in plans:
        plan.key = keys[plan.stem]

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    stage = out / f".building-{os.getpid()}"
    stage.mkdir()
    failures_dir = out / ".last-failure"
    try:
        results = {stem: previous[stem] for stem in reusable}
        for stem in sorted(reusable):
            _reuse(out, stage, previous[stem])
            _log(f"  reused   {stem} (inputs unchanged)")
        to_run = [p for p in plans if p.stem not in reusable]
        # Building the Vega bundle takes a second or two: do it while the kernels run.
        assets = threading.Thread(target=_write_assets, args=(stage, out))
        try:
            results.update(
                _run_all(to_run, stage, project, label, jobs, result, failures_dir, assets.start)
            )
        finally:
            if assets.ident is not None:
                assets.join()
        if not (stage / "assets" / "report.js").exists():
            raise BuildFailed("could not write the report assets (see the error above)")
        _merge_charts(stage, {s: r for s, r in results.items() if s in result.ran})
        data_files = _copy_data(stage, project.data_dir)
        from magnet_watch.reports.html import index_page

        reports = [dict(results[p.stem], stem=p.stem) for p in plans]
        (stage / "index.html").write_text(index_page(reports, data_files, label), encoding="utf-8")
        entries = {}
        for plan in plans:
            r = results[plan.stem]
            files = r.get("files") or [
                f"{plan.stem}.html",
                f"notebooks/{plan.stem}.ipynb",
                *(f"charts/{name}" for name in r.get("chart_files", [])),
            ]
            entries[plan.stem] = {
                "key": plan.key,
                "files": files,
                "title": r["title"],
                "headlines": r["headlines"],
                "charts": r["charts"],
                "chart_files": r.get("chart_files", []),
                "parameters": {row["name"]: row["value"] for row in plan.parameters},
                # time of the run that produced these files (s), and where it went
                "seconds": r.get("seconds"),
                "phases": r.get("phases", {}),
            }
        new_manifest = {
            "format": BUILD_FORMAT,
            "label": label,
            "values": values,
            "notebooks": entries,
            "entries": sorted(p.name for p in stage.iterdir()) + [MANIFEST_NAME],
        }
        (stage / MANIFEST_NAME).write_text(
            json.dumps(new_manifest, indent=1, sort_keys=True, default=str), encoding="utf-8"
        )
        _swap_in(out, stage, manifest.get("entries", []))
        shutil.rmtree(failures_dir, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    result.reused = sorted(reusable)
    result.total_seconds = time.perf_counter() - started
    _log(
        f"built {len(result.ran)} notebook(s), reused {len(result.reused)}, "
        f"in {result.total_seconds:.1f} s: {out / 'index.html'}"
    )
    return result


def _run_all(
    to_run, stage, project, label, jobs, result, failures_dir, start_meanwhile=None
) -> dict[str, dict]:
    """Run the notebooks in parallel worker processes, printing progress; raise on failure.

    ``start_meanwhile`` is called once the workers exist, to overlap other work with them.
    """
    if not to_run:
        if start_meanwhile is not None:
            start_meanwhile()
        return {}
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))
    _log(f"running {len(to_run)} notebook(s), {workers} at a time")
    job_list = [
        {
            "stem": p.stem,
            "path": str(p.path),
            "cwd": str(p.path.parent),
            "overrides": p.overrides,
            "parameters": p.parameters,
            "stage": str(stage),
            "data_dir": str(project.data_dir),
            "label": label,
            "logs": str(stage.parent / LOGS_NAME),
        }
        for p in to_run
    ]
    results, failures = {}, []
    # fork: the workers inherit papermill and nbformat, imported here once (about a second
    # each, otherwise paid again by every worker). The pool forks all its workers at the
    # first submit, before any other thread of this process starts.
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from magnet_watch.reports import html as report_html  # noqa: F401

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {pool.submit(run_notebook, job) for job in job_list}
        if start_meanwhile is not None:
            start_meanwhile()
        done_count = 0
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                r = future.result()
                done_count += 1
                if r["ok"]:
                    results[r["stem"]] = r
                    result.ran.append(r["stem"])
                    result.seconds[r["stem"]] = r["seconds"]
                    result.phases[r["stem"]] = r["phases"]
                    _log(
                        f"[{done_count}/{len(job_list)}] done     {r['stem']} in {r['seconds']:.1f} s"
                    )
                else:
                    failures.append(r)
                    _log(f"[{done_count}/{len(job_list)}] FAILED   {r['stem']}")
                    for other in pending:  # no point running the rest: nothing will be swapped in
                        other.cancel()
    if failures:
        failures_dir.mkdir(parents=True, exist_ok=True)
        messages = []
        for r in failures:
            keep = failures_dir / f"{r['stem']}.ipynb"
            if Path(r["executed"]).exists():
                shutil.copy2(r["executed"], keep)
            messages.append(_failure_message(r, keep))
        raise BuildFailed("\n".join(messages))
    return results


# ---------------------------------------------------------------- scenarios


def build_scenarios(
    names: list[str],
    out_root: Path,
    *,
    project: Project | None = None,
    extra: dict[str, Any] | None = None,
    jobs: int | None = None,
    force: bool = False,
) -> dict[str, BuildResult]:
    """Build each named scenario into ``out_root/scenarios/<name>/`` and write the comparison page.

    Every scenario's parameters are checked before any notebook runs.
    """
    project = project or Project()
    extra = extra or {}
    scenarios = [load_scenario(n, project.scenarios_dir) for n in names]
    notebooks = discover_notebooks(project.notebooks_dir)
    for s in scenarios:  # refuse any bad scenario before running anything
        plan_notebooks(notebooks, {**s.parameters, **extra}, _origins(s, extra))
    results = {}
    for s in scenarios:
        _log(f"scenario {s.name}: {s.description}")
        results[s.name] = build(
            out_root / "scenarios" / s.name,
            project=project,
            values={**s.parameters, **extra},
            origin=_origins(s, extra),
            label=f"scenario {s.name}: {s.description}",
            jobs=jobs,
            force=force,
        )
    write_comparison(out_root / "scenarios", project)
    return results


def _origins(scenario: Scenario, extra: dict[str, Any]) -> dict[str, str]:
    origin = {name: scenario.origin for name in scenario.parameters}
    origin.update({name: "--param" for name in extra})
    return origin


def write_comparison(scenarios_out: Path, project: Project) -> Path:
    """Write ``scenarios/index.html`` comparing every scenario built so far; return its path."""
    from magnet_watch.reports.html import ASSETS_DIR, comparison_page

    rows = []
    for name in scenario_names(project.scenarios_dir):
        manifest = read_manifest(scenarios_out / name)
        if not manifest:
            continue
        description = load_scenario(name, project.scenarios_dir).description
        reports = [dict(entry, stem=stem) for stem, entry in sorted(manifest["notebooks"].items())]
        rows.append(
            {
                "name": name,
                "description": description,
                "parameters": manifest.get("values", {}),
                "reports": reports,
            }
        )
    (scenarios_out / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ASSETS_DIR / "report.css", scenarios_out / "assets" / "report.css")
    page = scenarios_out / "index.html"
    page.write_text(comparison_page(rows), encoding="utf-8")
    _log(f"scenario comparison: {page}")
    return page


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 built, 1 a notebook failed, 2 bad input)."""
    parser = argparse.ArgumentParser(
        prog="python -m magnet_watch.report_build",
        description="Run every notebook with papermill into offline HTML reports.",
    )
    parser.add_argument("--scenario", help="scenario name in scenarios/, or 'all'")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="set a notebook parameter (repeatable)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=paths.REPORTS_DIR, help="output folder")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at once (default: cores)")
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--notebooks", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--scenarios-dir", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    project = Project()
    if args.notebooks or args.scenarios_dir:
        project = Project(
            notebooks_dir=args.notebooks or project.notebooks_dir,
            scenarios_dir=args.scenarios_dir or project.scenarios_dir,
        )
    try:
        extra = parse_cli_params(args.param)
        if args.scenario:
            names = (
                scenario_names(project.scenarios_dir) if args.scenario == "all" else [args.scenario]
            )
            if not names:
                raise ParameterError(f"no scenario files in {project.scenarios_dir}")
            build_scenarios(names, args.out, project=project, extra=extra, jobs=args.jobs,
                            force=args.force)  # fmt: skip
        else:
            values, origin, label = dict(extra), {k: "--param" for k in extra}, "base case"
            base = project.scenarios_dir / f"{DEFAULT_SCENARIO}.yaml"
            if base.exists():
                scenario = load_scenario(DEFAULT_SCENARIO, project.scenarios_dir)
                values = {**scenario.parameters, **extra}
                origin = _origins(scenario, extra)
                label = f"base case: {scenario.description}"
            if extra:
                label += " (with " + ", ".join(f"{k}={v!r}" for k, v in extra.items()) + ")"
            build(args.out, project=project, values=values, origin=origin, label=label,
                  jobs=args.jobs, force=args.force)  # fmt: skip
    except ParameterError as exc:
        print(f"error: {exc}\nNothing was run.", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print(f"error: the reports were not updated.\n{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
