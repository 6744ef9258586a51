"""Run the notebooks: one papermill kernel per notebook, in a pool of worker processes.

Each worker executes one notebook into the stage, exports its charts (the kernel
does, through ``show_chart``) and writes its report page. The kernels are forked
from a server that has done the imports once (``kernel_fork``), unless the build
asks for fresh ones. A kernel that did not start is retried once, as a fresh
kernel; a notebook that fails stops the build with a message naming the notebook,
the cell and the error, never a bare ``CancelledError``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from magnet_watch.errors import DiskFull
from magnet_watch.notebook.chart_render import RENDERER_ENV
from magnet_watch.notebook.outputs import AS_OF_ENV

KERNEL_NAME = "magnet-watch"
# nbclient's default is 60 s; several kernels starting at once on two busy cores can need more.
KERNEL_START_TIMEOUT_S = 180
LOGS_NAME = ".logs"  # the kernels' stderr, one file per notebook, published with the build
KERNEL_SERVER_LOG = "kernel-fork-server.log"  # in LOGS_NAME
FAILURES_NAME = ".last-failure"  # the failed notebook and its kernel log, kept for the reader


@dataclass(frozen=True)
class Kernels:
    """How the notebooks run: how many at once (None: one per core), and on fresh kernels
    (started from scratch) or, by default, kernels forked from one that did the imports."""

    at_once: int | None = None
    fresh: bool = False


class BuildFailed(RuntimeError):
    """Raised when a notebook fails; the previous reports are left as they were."""


def log(message: str) -> None:
    print(message, flush=True)


def chart_files(charts_rel: str, export_dir: Path):
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


def _failure(job: dict, executed: Path, log_path: Path, error: str, **where) -> dict:
    return {
        "ok": False,
        "stem": job["stem"],
        "cell": None,
        "source": "",
        "traceback": "",
        "error": error,
        "executed": str(executed),
        "log": str(log_path),
        **where,
    }


def _disk_full(exc: BaseException, fallback: str) -> dict:
    """Return {"disk_full": the path that could not be written} when ``exc`` says the disk
    is full, else {}."""
    if not DiskFull.matches(exc):
        return {}
    return {"disk_full": str(getattr(exc, "filename", None) or fallback)}


def _execute(job: dict, executed: Path, log_path: Path) -> dict | None:
    """Run the notebook with papermill into ``executed``; return a failure dict, or None."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from magnet_watch.reports.kernel_fork import forked_kernel_manager
    from magnet_watch.reports.pages import strip_ansi

    for attempt in (1, 2):
        forked = attempt == 1 and job.get("kernel_fork_socket")
        manager = {"kernel_manager_class": forked_kernel_manager(forked)} if forked else {}
        try:
            papermill.execute_notebook(
                job["path"],
                str(executed),
                parameters=job["overrides"],
                kernel_name=job.get("kernel", KERNEL_NAME),
                cwd=job["cwd"],
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=KERNEL_START_TIMEOUT_S,
                **manager,
            )
            return None
        except PapermillExecutionError as exc:
            return _failure(
                job,
                executed,
                log_path,
                f"{exc.ename}: {exc.evalue}",
                cell=exc.cell_index,
                exec_count=exc.exec_count,
                source=exc.source,
                traceback=strip_ansi("\n".join(exc.traceback)),
            )
        except Exception as exc:  # kernel died, bad notebook file: still report which notebook
            if attempt == 1 and _kernel_failed_to_start(exc):
                # On a loaded machine a kernel can lose its ports to another process, or
                # start too slowly; no cell has run, so starting it again changes nothing else.
                # The second try is a fresh kernel, in case the fork server is the trouble.
                print(f"  retrying {job['stem']}: the kernel did not start ({exc})", flush=True)
                continue
            return _failure(
                job,
                executed,
                log_path,
                f"{type(exc).__name__}: {exc}",
                **_disk_full(exc, str(executed)),
            )
    return None  # not reached: the second attempt returns


def _write_page(job: dict, executed: Path, export_dir: Path) -> dict:
    """Write the notebook's report page into the stage; return what the index and manifest need."""
    from magnet_watch.reports import html, pages, source_words

    notebook = json.loads(executed.read_text(encoding="utf-8"))
    content = pages.read_report_content(notebook, job["stem"], chart_files("charts", export_dir))
    names = source_words.read_names(Path(job["data_dir"]), Path(job["cwd"]))
    source_words.headlines_in_words(content.headlines, names)  # the page's words for the ids
    sources = pages.cited_sources(pages.read_sources(Path(job["data_dir"])), content.cited_text)
    page = html.report_page(
        content, job["parameters"], sources, job["label"], job["stem"], as_of=job["as_of"]["words"]
    )
    (Path(job["stage"]) / f"{job['stem']}.html").write_text(page, encoding="utf-8")
    cell_seconds = sum(
        c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
        for c in notebook.get("cells", [])
    )
    return {
        "ok": True,
        "stem": job["stem"],
        "title": content.title,
        "kicker": content.kicker,
        "headlines": content.headlines,
        "charts": [{"name": c.name, "title": c.title, "files": c.files} for c in content.charts],
        "chart_files": sorted(p.name for p in export_dir.iterdir()) if export_dir.exists() else [],
        "cell_seconds": cell_seconds,
    }


def run_notebook(job: dict) -> dict:
    """Execute one notebook with papermill and write its report into ``job['stage']``.

    Runs in a worker process. Returns a summary dict (ok, stem, title, headlines,
    charts, chart_files, seconds, phases); on failure ok is False with the cell and
    the error. Files: ``<stem>.html``, ``notebooks/<stem>.ipynb``, ``charts/<stem>/*``.
    """
    started = time.perf_counter()
    stem, stage = job["stem"], Path(job["stage"])
    export_dir = stage / "charts" / stem  # per notebook, merged into charts/ after all succeed
    executed = stage / "notebooks" / f"{stem}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    os.environ["MAGNET_WATCH_EXPORT_DIR"] = str(export_dir)
    os.environ[AS_OF_ENV] = job["as_of"]["date"]  # the charts' files state it (show_chart)
    if job.get("chart_renderer"):  # the kernel inherits it and has its charts drawn there
        os.environ[RENDERER_ENV] = job["chart_renderer"]
    print(f"  started  {stem}", flush=True)
    # The kernel writes its own chatter (transport warnings, shutdown) to stderr: keep it in
    # a log beside the build instead of the terminal, and show it when the notebook fails.
    log_path = Path(job["logs"]) / f"{stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
        os.dup2(log_file.fileno(), 2)
    failure = _execute(job, executed, log_path)
    if failure is not None:
        return failure
    executed_at = time.perf_counter()
    result = _write_page(job, executed, export_dir)
    finished = time.perf_counter()
    cell_seconds = result.pop("cell_seconds")
    result["seconds"] = finished - started
    result["phases"] = {
        "kernel_and_papermill": executed_at - started - cell_seconds,
        "cells": cell_seconds,
        "report_html": finished - executed_at,
    }
    return result


def failure_message(result: dict, keep: Path, kept_log: Path | None = None) -> str:
    """Return "FAILED <notebook> at cell N: <error>" with the cell's source and traceback."""
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
    if kept_log is not None and kept_log.exists():
        lines.append(f"  kernel log: {kept_log}")
    return "\n".join(lines)


def keep_failures(failures: list[dict], failures_dir: Path) -> str:
    """Copy each failed notebook and its kernel log into ``failures_dir``; return the messages."""
    shutil.rmtree(failures_dir, ignore_errors=True)
    failures_dir.mkdir(parents=True, exist_ok=True)
    messages = []
    for r in sorted(failures, key=lambda r: r["stem"]):
        keep, kept_log = failures_dir / f"{r['stem']}.ipynb", failures_dir / f"{r['stem']}.log"
        for source, target in ((r.get("executed"), keep), (r.get("log"), kept_log)):
            if source and Path(source).exists():
                shutil.copy2(source, target)
        messages.append(failure_message(r, keep, kept_log))
    return "\n".join(messages)


def _crashed(stem: str, exc: BaseException, stage: str) -> dict:
    """Return the failure of a worker that died or raised outside papermill."""
    return {
        "ok": False,
        "stem": stem,
        "cell": None,
        "source": "",
        "traceback": "",
        "error": f"{type(exc).__name__}: {exc}",
        "executed": "",
        "log": "",
        **_disk_full(exc, stage),
    }


def kernel_python(kernel_name: str) -> str:
    """Return the Python the kernel ``kernel_name`` runs (its kernel.json's first word)."""
    from jupyter_client.kernelspec import KernelSpecManager

    program = KernelSpecManager().get_kernel_spec(kernel_name).argv[0]
    return shutil.which(program) or program


def run_pool(
    jobs: list[dict], workers: int, on_done, start_meanwhile=None, fresh_kernels: bool = False
) -> list[dict]:
    """Run ``jobs`` with ``run_notebook`` in ``workers`` processes; return the failures.

    ``on_done(result, done, total)`` is called for each finished notebook. After the
    first failure the queued notebooks are cancelled (never read: a cancelled future
    has no result) and the running ones finish. ``start_meanwhile`` is called once
    the workers exist, to overlap other work with them. The kernels are forked from a
    fork server started here (its log in the jobs' logs folder), unless ``fresh_kernels``.
    """
    if fresh_kernels or not jobs:
        return _run_in_pool(jobs, workers, on_done, start_meanwhile)
    from magnet_watch.reports import kernel_fork

    log_path = Path(jobs[0]["logs"]) / KERNEL_SERVER_LOG
    python = kernel_python(jobs[0].get("kernel", KERNEL_NAME))
    with kernel_fork.running_server(python, log_path, renderers=workers) as server:
        jobs = [
            dict(job, kernel_fork_socket=server.socket_path, chart_renderer=server.charts_path)
            for job in jobs
        ]
        return _run_in_pool(jobs, workers, on_done, start_meanwhile)


def _run_in_pool(jobs: list[dict], workers: int, on_done, start_meanwhile) -> list[dict]:
    """Run ``jobs`` in ``workers`` processes (see ``run_pool``); return the failures."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # fork: the workers inherit papermill and the page code, imported here once (about a
    # second each, otherwise paid again by every worker). The pool forks all its workers
    # at the first submit, before any other thread of this process starts.
    import papermill  # noqa: F401

    from magnet_watch.reports import html  # noqa: F401

    failures, done = [], 0
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        stems = {pool.submit(run_notebook, job): job["stem"] for job in jobs}
        stages = {job["stem"]: job["stage"] for job in jobs}
        pending = set(stems)
        if start_meanwhile is not None:
            start_meanwhile()
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if future.cancelled():
                    continue  # queued behind a failure: it never ran
                try:
                    result = future.result()
                except Exception as exc:  # the worker died (killed, out of memory)
                    result = _crashed(stems[future], exc, stages[stems[future]])
                done += 1
                on_done(result, done, len(jobs))
                if not result["ok"]:
                    failures.append(result)
                    for other in pending:  # nothing will be published: do not start the rest
                        other.cancel()
    return failures
