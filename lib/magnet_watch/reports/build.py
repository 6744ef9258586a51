"""Build every notebook into offline HTML reports: ``python -m magnet_watch.report_build``.

Usage::

    python -m magnet_watch.report_build                      # base case into reports/
    python -m magnet_watch.report_build --scenario low       # reports/scenarios/low/
    python -m magnet_watch.report_build --scenario all       # every scenario + comparison page
    python -m magnet_watch.report_build --param nd_mass_fraction=0.3 --out /tmp/r

The order of a build (each step in its own module): plan the notebooks and check
every parameter (``plan``); hash the inputs and stop if nothing changed (``cache``);
take the lock (``lock``) and check the kernel and the output folder
(``environment``); run what changed in parallel kernels (``run``), each writing
its page (``pages``, ``html``); then publish the complete new tree in one atomic
swap (``publish``). A failure leaves the previous reports as they were and exits
non-zero naming the notebook, the cell and the error.

Output (the ``reports/`` folder, or each ``reports/scenarios/<name>/``)::

    index.html              the reports with their headline figures and charts
    <stem>.html             one article per notebook: parameters, prose, charts, sources
    notebooks/<stem>.ipynb  the executed notebooks
    charts/<name>.svg|.png|.csv|.vl.json   every chart, its data, its spec
    data/                   the curated tables the figures come from
    assets/                 the one shared copy of Vega, the page script and style
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from magnet_watch.curation.lock import curation_lock_path
from magnet_watch.errors import DiskFull, ParameterError
from magnet_watch.locks import Holder, hold_lock
from magnet_watch.reports import run
from magnet_watch.reports.cache import (
    MANIFEST_NAME,
    intact,
    longest_first,
    manifest_entry,
    notebook_key,
    read_manifest,
    reusable,
    shared_inputs_hash,
    up_to_date,
    write_manifest,
)
from magnet_watch.reports.comparison import write_comparison
from magnet_watch.reports.environment import check_kernel, check_writable, output_folder
from magnet_watch.reports.lead import lead_findings_for, scenario_list
from magnet_watch.reports.lock import build_lock
from magnet_watch.reports.plan import (
    NOTEBOOK_PATTERN,
    Project,
    declared_names,
    discover_notebooks,
    load_scenario,
    plan_notebooks,
    scenario_names,
    scenario_origins,
    split_values,
)
from magnet_watch.reports.publish import (
    carry_over,
    copy_data,
    link_file,
    merge_charts,
    new_stage,
    publish,
    recover,
    write_assets,
)
from magnet_watch.reports.reader_pages import write_reader_pages
from magnet_watch.reports.run import (
    FAILURES_NAME,
    KERNEL_NAME,
    KERNEL_START_TIMEOUT_S,
    LOGS_NAME,
    BuildFailed,
    log,
)

# What other modules and tests import from here (the rest lives in the modules above).
__all__ = [
    "KERNEL_NAME",
    "KERNEL_START_TIMEOUT_S",
    "MANIFEST_NAME",
    "BuildFailed",
    "BuildResult",
    "ParameterError",
    "Project",
    "build",
    "build_scenarios",
    "declared_names",
    "discover_notebooks",
    "load_scenario",
    "plan_notebooks",
    "scenario_names",
    "write_comparison",
]


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


def build(
    out: Path,
    *,
    project: Project | None = None,
    values: dict[str, Any] | None = None,
    origin: dict[str, str] | None = None,
    label: str = "base case (the notebooks' defaults)",
    jobs: int | None = None,
    force: bool = False,
    fresh_kernels: bool = False,
) -> BuildResult:
    """Build every notebook's report into ``out``; return what ran, what was reused and timings.

    Raises ParameterError (before anything runs) for a bad parameter, EnvironmentProblem
    (a BuildFailed) when the kernel or the output folder is unusable, BuildFailed when
    a notebook fails; in every case ``out`` is left as it was. ``jobs`` notebooks run at
    once (None: one per core), on kernels forked from one that did the imports, or on
    fresh kernels with ``fresh_kernels`` (slower; the outputs are the same).
    """
    started = time.perf_counter()
    project = project or Project()
    out = output_folder(out, project)  # absolute: the kernels run in the notebooks' folder
    values, origin = values or {}, origin or {}
    notebooks = discover_notebooks(project.notebooks_dir)
    if not notebooks:
        raise BuildFailed(f"no notebooks matching {NOTEBOOK_PATTERN} in {project.notebooks_dir}")
    # Cheap checks first: a no-change re-run stops after hashing the inputs. The values were
    # fully validated by the build that wrote the manifest, and the keys cover the specs.
    per_notebook = split_values(notebooks, values, origin)
    shared = inputs_snapshot(project, label)
    keys = {nb.stem: notebook_key(nb, per_notebook[nb.stem], shared) for nb in notebooks}
    result = BuildResult(out)
    check_writable(out)  # before the lock, whose file lives beside out
    with build_lock(out, say=log):
        recover(out)  # an interrupted build: finish or undo its swap, remove its stage
        manifest = read_manifest(out)
        reuse = reusable(out, manifest, keys, force)
        result.reused = sorted(reuse)
        if up_to_date(out, manifest, keys, reuse, label):
            result.up_to_date = True
            log(f"reports up to date in {out} ({len(notebooks)} notebooks, nothing changed)")
        else:
            plans = plan_notebooks(notebooks, values, origin)
            for plan in plans:
                plan.key = keys[plan.stem]
            if len(reuse) < len(plans):
                check_kernel(run.KERNEL_NAME)
            kernels = run.Kernels(jobs, fresh_kernels)
            snapshot = (shared, label)
            _build_and_publish(out, project, plans, manifest, snapshot, values, kernels, result)
    result.total_seconds = time.perf_counter() - started
    if not result.up_to_date:
        log(
            f"built {len(result.ran)} notebook(s), reused {len(result.reused)}, "
            f"in {result.total_seconds:.1f} s: {out / 'index.html'}"
        )
    return result


def inputs_snapshot(project: Project, label: str) -> str:
    """Return the hash of the build's shared inputs, read while no curation run writes them
    (waiting, and saying so, for one that does): data/ and seeds/ as one consistent state."""

    def wait(holder: Holder) -> None:
        log(
            f"a curation run (pid {holder.pid}, '{holder.command}') is writing data/ and "
            "seeds/: waiting for it to finish"
        )

    with hold_lock(curation_lock_path(project.data_dir), "report build (reading data/)", wait):
        return shared_inputs_hash(project, label)


def _build_and_publish(out, project, plans, manifest, snapshot, values, kernels, result) -> None:
    """Build the whole new tree in a stage beside ``out``, then swap it in (see publish).

    The inputs are hashed again before publishing: when data/ or seeds/ (or the library)
    changed while the notebooks ran, the pages may mix two states, and nothing is published.
    A full disk raises DiskFull, naming the path and the disk; ``out`` is as it was.
    """
    try:
        _stage_and_publish(out, project, plans, manifest, snapshot, values, kernels, result)
    except OSError as exc:
        if not DiskFull.matches(exc) or isinstance(exc, DiskFull):
            raise
        raise DiskFull(exc.filename or out, f"nothing was published: {out} is as it was") from None


def _stage_and_publish(out, project, plans, manifest, snapshot, values, kernels, result) -> None:
    shared, label = snapshot
    stage = new_stage(out)
    try:
        results = _stage_build(out, stage, project, plans, manifest, label, kernels, result)
        entries = {p.stem: manifest_entry(p, results[p.stem]) for p in plans}
        write_manifest(stage, label, values, entries, unhashed={LOGS_NAME})
        if shared_inputs_hash(project, label) != shared:
            raise BuildFailed(
                f"{project.data_dir} or seeds/ changed while the reports were built (a "
                "`make add-document` or an accept ran?): the pages would mix two states of "
                f"the data, so nothing was published and {out} is as it was. Build again."
            )
        carry_over(out, stage, set(manifest.get("entries", [])))
        if scenario_list(project):  # after the carry-over: the scenarios built so far
            write_comparison(stage / "scenarios", project)
        publish(out, stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _stage_build(out, stage, project, plans, manifest, label, kernels, result) -> dict[str, dict]:
    """Fill ``stage``: reused files, the notebooks run now, assets, data, index; return results."""
    from magnet_watch.reports.html import VEGA_BUNDLE, index_page
    from magnet_watch.reports.what_changed import what_changed_block

    previous = manifest.get("notebooks", {})
    results = {stem: previous[stem] for stem in result.reused}
    for stem in result.reused:
        for rel in previous[stem]["files"]:
            link_file(out / rel, stage / rel)
        log(f"  reused   {stem} (inputs unchanged)")
    to_run = longest_first([p for p in plans if p.stem not in result.reused], manifest)
    as_of = record_as_of_words(project.data_dir, build_as_of(plans))
    # Building the Vega bundle takes a second or two: do it while the kernels run.
    bundle_intact = intact(out, manifest, f"assets/{VEGA_BUNDLE}")
    assets_failed: list[Exception] = []

    def assets_target() -> None:
        try:
            write_assets(stage, out if bundle_intact else None)
        except Exception as exc:  # raised below, in this thread, after the notebooks
            assets_failed.append(exc)

    assets = threading.Thread(target=assets_target)
    try:
        results.update(
            _run_all(to_run, stage, project, (label, as_of), kernels, result, assets.start)
        )
    finally:
        if assets.ident is not None:
            assets.join()
    if assets_failed:
        if DiskFull.matches(assets_failed[0]):
            raise assets_failed[0]
        raise BuildFailed(f"could not write the report assets: {assets_failed[0]}")
    merge_charts(stage, {s: r for s, r in results.items() if s in result.ran})
    data_files = copy_data(stage, project.data_dir, later_data(project.data_dir, as_of["date"]))
    reports = [dict(results[p.stem], stem=p.stem) for p in plans]
    lead = lead_findings_for(project, plans, results, as_of["date"])
    changed = what_changed_block(plans, as_of["date"])
    index = index_page(
        reports,
        data_files,
        label,
        as_of["words"],
        lead=lead,
        scenarios=scenario_list(project),
        what_changed=changed,
    )
    (stage / "index.html").write_text(index, encoding="utf-8")
    write_reader_pages(stage, project.data_dir, project.notebooks_dir, label, as_of)
    return results


def build_as_of(plans) -> str | None:
    """Return the ``as_of`` the build's notebooks are given (checked by ``plan_notebooks``), or
    None: the latest date in the record."""
    return next((p.overrides["as_of"] for p in plans if p.overrides.get("as_of")), None)


def later_data(data_dir: Path, as_of: str) -> tuple[str, ...]:
    """Return the paths (relative to data/) of the reference packages and USGS editions
    published after ``as_of``, which a build as of it leaves out of its data/ folder."""
    from magnet_watch.data.editions import EDITIONS_DIR
    from magnet_watch.data.record import latest_record, record_as_of

    record = latest_record(data_dir)
    then = record_as_of(as_of, record)
    later = [f"reference/{name}/" for name in record.references if name not in then.references]
    later += [
        f"reference/{EDITIONS_DIR.name}/{edition}_"
        for edition in record.editions.titles
        if edition not in then.editions.titles
    ]
    return tuple(later)


def record_as_of_words(data_dir: Path, as_of: str | None = None) -> dict[str, str]:
    """Return the as-of date of the record in ``data_dir`` (``as_of``; None: its latest date):
    "date" (ISO), for the charts' files, and "words", the sentence every page states near its
    top."""
    from magnet_watch.data.record import latest_record, record_as_of
    from magnet_watch.narrative.as_of import as_of_sentence

    whole = latest_record(data_dir)
    record = whole if as_of is None else record_as_of(as_of, whole)
    return {"date": f"{record.as_of:%Y-%m-%d}", "words": as_of_sentence(record, whole)}


def _run_all(to_run, stage, project, labels, kernels, result, start_meanwhile) -> dict[str, dict]:
    """Run the notebooks in parallel worker processes, printing progress; raise on failure.
    ``labels`` is the build's label and its as-of date (``record_as_of_words``)."""
    label, as_of = labels
    if not to_run:
        start_meanwhile()
        return {}
    workers = max(1, min(kernels.at_once or os.cpu_count() or 1, len(to_run)))
    log(f"running {len(to_run)} notebook(s), {workers} at a time")
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
            "as_of": as_of,
            "logs": str(stage / LOGS_NAME),
            "kernel": run.KERNEL_NAME,
        }
        for p in to_run
    ]
    results = {}

    def on_done(r: dict, done: int, total: int) -> None:
        if not r["ok"]:
            log(f"[{done}/{total}] FAILED   {r['stem']}")
            return
        results[r["stem"]] = r
        result.ran.append(r["stem"])
        result.seconds[r["stem"]] = r["seconds"]
        result.phases[r["stem"]] = r["phases"]
        log(f"[{done}/{total}] done     {r['stem']} in {r['seconds']:.1f} s")

    failures = run.run_pool(job_list, workers, on_done, start_meanwhile, kernels.fresh)
    full = [f["disk_full"] for f in failures if f.get("disk_full")]
    if full:  # no failure record either: it would not fit
        raise DiskFull(full[0], f"nothing was published: {result.out} is as it was")
    if failures:
        raise BuildFailed(run.keep_failures(failures, result.out / FAILURES_NAME))
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
    fresh_kernels: bool = False,
) -> dict[str, BuildResult]:
    """Build each named scenario into ``out_root/scenarios/<name>/`` and write the comparison page.

    Every scenario's parameters are checked before any notebook runs. The lock of
    ``out_root`` is held throughout, so a base build never copies a half-built scenario.
    """
    project, extra = project or Project(), extra or {}
    out_root = output_folder(out_root, project)
    scenarios = [load_scenario(n, project.scenarios_dir) for n in names]
    notebooks = discover_notebooks(project.notebooks_dir)
    for s in scenarios:  # refuse any bad scenario before running anything
        plan_notebooks(notebooks, {**s.parameters, **extra}, scenario_origins(s, extra))
    results = {}
    with build_lock(Path(out_root), say=log):
        for s in scenarios:
            log(f"scenario {s.name}: {s.description}")
            results[s.name] = build(
                Path(out_root) / "scenarios" / s.name,
                project=project,
                values={**s.parameters, **extra},
                origin=scenario_origins(s, extra),
                label=f"scenario {s.name}: {s.description}",
                jobs=jobs,
                force=force,
                fresh_kernels=fresh_kernels,
            )
        write_comparison(Path(out_root) / "scenarios", project)
    return results
