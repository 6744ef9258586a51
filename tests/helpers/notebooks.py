"""The project's notebooks run by papermill, and what their outputs show.

The tests run notebooks as the build does: on kernels forked from a fork server that has
imported the libraries once (``magnet_watch.reports.kernel_fork``), one server per test
process, started at the first run and ended with the process. A fresh kernel would pay the
imports, about 2 s of CPU, at each of the suite's 30-odd runs; that forked and fresh kernels
give the same outputs is test_kernel_fork's to prove.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import tempfile
from functools import cache
from pathlib import Path

import nbformat
import papermill as pm

from magnet_watch import paths
from magnet_watch.notebook.display import HEADLINES_MIME, VEGALITE_MIME
from magnet_watch.notebook.outputs import chart_title
from magnet_watch.reports.build import KERNEL_START_TIMEOUT_S

STEMS = ["01_overview", "02_capacity", "03_imports", "04_market_share"]
KERNEL = "magnet-watch"


def notebook_path(stem: str):
    return paths.NOTEBOOKS_DIR / f"{stem}.ipynb"


@cache
def forked_kernels() -> type:
    """The kernel manager class to give papermill: kernels forked from this process's fork
    server (started at the first call, ended when the process ends; its log in a temporary
    folder)."""
    from magnet_watch.reports.kernel_fork import forked_kernel_manager, running_server
    from magnet_watch.reports.run import kernel_python

    log = Path(tempfile.mkdtemp(prefix="magnet-watch-test-kernels-")) / "server.log"
    server = contextlib.ExitStack()
    running = server.enter_context(running_server(kernel_python(KERNEL), log, renderers=0))
    atexit.register(server.close)
    return forked_kernel_manager(running.socket_path)


def execute(
    notebook: Path, out: Path, cwd: Path, forked: bool = True, **parameters
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` into ``out``, in ``cwd``, on a forked kernel
    (``forked_kernels``) or, not ``forked``, a fresh one; return the result."""
    manager = {"kernel_manager_class": forked_kernels()} if forked else {}
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(cwd),
        progress_bar=False,
        start_timeout=KERNEL_START_TIMEOUT_S,
        **manager,
    )
    return nbformat.read(out, as_version=4)


def run(tmp_path, stem: str, **parameters) -> nbformat.NotebookNode:
    """Execute notebook ``stem`` with ``parameters`` into tmp_path and return the result."""
    out = tmp_path / f"{stem}.{len(parameters)}.out.ipynb"
    return execute(notebook_path(stem), out, paths.NOTEBOOKS_DIR, **parameters)


def outputs(nb: nbformat.NotebookNode, mime: str) -> list:
    return [
        o["data"][mime]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if mime in o.get("data", {})
    ]


def headlines(nb: nbformat.NotebookNode) -> dict[str, dict]:
    (records,) = outputs(nb, HEADLINES_MIME)
    return {r["figure"]: r for r in records["headlines"]}


def chart_titles(nb: nbformat.NotebookNode) -> list[str]:
    return [chart_title(c, "") for c in outputs(nb, VEGALITE_MIME)]


def prose(nb: nbformat.NotebookNode) -> str:
    return "\n".join(outputs(nb, "text/markdown"))


def number(text: str) -> float:
    """Return the first number in ``text`` ("1,620 t/yr" -> 1620.0)."""
    return float(re.search(r"-?[\d,]+(\.\d+)?", text).group(0).replace(",", ""))
