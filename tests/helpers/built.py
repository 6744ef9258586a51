"""A quick two-notebook report project built once per test run, and copies of it to modify.

Many report tests start from a finished build of ``make_project(..., body=QUICK)`` (two
notebooks that only print) and then damage, rebuild or lock it. ``quick_build`` builds it
once per run (``once_per_run``: both xdist workers share it); ``copy_built`` gives a test its
own copy, project and reports together: the copy's notebooks hash as the original's, so a
build of the copy is up to date until the test changes something.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.projects import QUICK, QUICK_KERNELS, make_project
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


def copy_built(source: Path, into: Path):
    """Copy a built project folder (notebooks/, scenarios/, reports/) into ``into`` (made if
    missing); return the copy's (Project, reports folder)."""
    from magnet_watch.reports.plan import Project

    into.mkdir(parents=True, exist_ok=True)
    for name in ("notebooks", "scenarios", "reports"):
        shutil.copytree(source / name, into / name, symlinks=True)
    return Project(notebooks_dir=into / "notebooks", scenarios_dir=into / "scenarios"), (
        into / "reports"
    )
