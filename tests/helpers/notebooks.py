"""The project's notebooks run by papermill in a fresh kernel, and what their outputs show."""

from __future__ import annotations

import re

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


def run(tmp_path, stem: str, **parameters) -> nbformat.NotebookNode:
    """Execute notebook ``stem`` with ``parameters`` into tmp_path and return the result."""
    out = tmp_path / f"{stem}.{len(parameters)}.out.ipynb"
    pm.execute_notebook(
        str(notebook_path(stem)),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(paths.NOTEBOOKS_DIR),
        progress_bar=False,
        start_timeout=KERNEL_START_TIMEOUT_S,
    )
    return nbformat.read(out, as_version=4)


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
