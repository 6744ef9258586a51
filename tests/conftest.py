"""Fixtures shared by the test modules of every folder (unit/, integration/, browser/).

Helpers that are not fixtures (generated projects, table edits, the notebooks' papermill
helpers, the browser's) live in the ``helpers`` package; no test module imports another.
"""

from __future__ import annotations

import pytest
from helpers.browser import CHROMIUM
from helpers.projects import make_project
from helpers.shared import once_per_run

# ------------------------------------------------------------------ the order of the modules


def pytest_collection_modifyitems(config, items):
    """Modules with a slow or browser test first, the rest after in their own order.

    ``make test`` sends whole modules to its two xdist workers (``--dist loadscope
    --no-loadscope-reorder``) in this order: the long modules start first, and the many short
    ones left at the end keep both workers busy to the end of the run."""

    def heavy(item) -> bool:
        return any(item.iter_markers("slow")) or any(item.iter_markers("browser"))

    heavy_modules = {item.path for item in items if heavy(item)}
    items.sort(key=lambda item: item.path not in heavy_modules)


# ------------------------------------------------------------------ built projects


@pytest.fixture(scope="session")
def project_build(tmp_path_factory):
    """The project's own notebooks, built once per test run with their defaults: (reports
    folder, result). Read it, never modify it; both xdist workers share the one build
    (``once_per_run``), so a module that uses it needs no xdist group."""
    from magnet_watch.reports import build as report_build

    def build(folder):
        return report_build.build(folder / "reports", project=report_build.Project())

    folder, result = once_per_run(tmp_path_factory, "project-build", build)
    return folder / "reports", result


@pytest.fixture(scope="session")
def executed_with_defaults(project_build):
    """A function: notebook stem -> the project's notebook as ``project_build`` executed it
    with its defaults (an nbformat node). Tests that read a default run's outputs use it
    instead of running the notebook again; read it, never modify it."""
    import nbformat

    out, _ = project_build

    def executed(stem: str):
        return nbformat.read(out / "notebooks" / f"{stem}.ipynb", as_version=4)

    return executed


@pytest.fixture
def report_project(tmp_path):
    """A generated two-notebook report project in tmp_path (see make_project)."""
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def project_references():
    """The project's later references, loaded once (``data.later_references``)."""
    from magnet_watch.data.later_references import load_references

    return load_references()


@pytest.fixture(scope="session")
def imports_inputs(project_references):
    """The models' inputs resolved once from the project's facts and later references."""
    from magnet_watch import load_facts
    from magnet_watch.data.inputs import ImportsInputs

    return ImportsInputs.from_data(load_facts(), project_references)


@pytest.fixture(scope="session")
def capacity_inputs(imports_inputs):
    """The capacity model's inputs (part of ``imports_inputs``)."""
    return imports_inputs.capacity


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make browser` (make test runs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()
