"""Generated report projects built once per test run, and copies of them to modify.

Many report tests start from a finished build of ``make_project(..., body=QUICK)`` (two
notebooks that only print) and then damage, rebuild or lock it. ``quick_build`` builds it
once per run (``once_per_run``: both xdist workers share it); ``copy_built`` gives a test its
own copy, project and reports together: the copy's notebooks hash as the original's, so a
build of the copy is up to date until the test changes something.

Two builds of the generated notebooks that draw a chart are shared the same way, each read by
the tests of the build and by the browser tests: ``chart_build`` (two notebooks, whose quotes
carry "<script>") and ``scenario_build`` (one notebook, every scenario, through the command).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.projects import QUICK, QUICK_KERNELS, build_args, make_project, project_in
from helpers.shared import once_per_run


def quick_build(tmp_path_factory) -> Path:
    """Return the folder of the run's quick build: notebooks/, scenarios/ and reports/ (built
    with the notebooks' defaults, on fresh kernels: ``QUICK_KERNELS``). Read it, never modify
    it: ``copy_built`` it first."""
    from magnet_watch.reports.build import build

    def make(folder: Path) -> None:
        project = make_project(folder, body=QUICK)
        build(folder / "reports", project=project, **QUICK_KERNELS)

    folder, _ = once_per_run(tmp_path_factory, "quick-build", make)
    return folder


def chart_build(tmp_path_factory):
    """Return (project, reports folder, the build's result) of the run's one build of
    ``make_project`` (two notebooks, each drawing a chart) with the notebooks' defaults, on
    forked kernels as every build. Read it, never modify it: ``copy_built`` its folder first."""
    from magnet_watch.reports.build import build

    folder, result = once_per_run(
        tmp_path_factory, "chart-build", lambda f: build(f / "reports", project=make_project(f))
    )
    return project_in(folder), folder / "reports", result


def scenario_build(tmp_path_factory):
    """Return (reports folder, the command's exit status) of the run's one build of every
    scenario of a one-notebook ``make_project`` ("low" and "high"), as
    ``python -m magnet_watch.report_build --scenario all`` runs it: the scenarios in
    reports/scenarios/, with their comparison page. Read it, never modify it."""
    from magnet_watch.reports import cli

    def make(folder: Path) -> int:
        project = make_project(folder, stems=("01_alpha",))
        return cli.main(build_args(project, folder / "reports", "--scenario", "all"))

    folder, status = once_per_run(tmp_path_factory, "scenario-build", make)
    return folder / "reports", status


def copy_built(source: Path, into: Path):
    """Copy a built project folder (notebooks/, scenarios/, reports/) into ``into`` (made if
    missing); return the copy's (Project, reports folder)."""
    into.mkdir(parents=True, exist_ok=True)
    for name in ("notebooks", "scenarios", "reports"):
        shutil.copytree(source / name, into / name, symlinks=True)
    return project_in(into), into / "reports"
