"""Findings and tables shown in notebooks never run HTML from documents (JupyterLab would)."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from magnet_watch import paths
from magnet_watch.notebook import display
from magnet_watch.notebook.display import show_findings, show_table


@pytest.fixture
def shown(monkeypatch) -> list:
    """What the display functions hand to IPython's display(), in order."""
    objects = []
    monkeypatch.setattr(display, "display", lambda obj, **kwargs: objects.append(obj))
    return objects


def test_findings_show_html_from_documents_as_text(shown):
    show_findings("IREL said **<script>alert(1)</script>** & more, see [USGS](https://usgs.gov)")
    markdown = shown[0].data
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown
    assert "**" in markdown and "[USGS](https://usgs.gov)" in markdown  # Markdown still works


def test_tables_escape_cells_and_captions(shown):
    frame = pd.DataFrame({"quote": ["<img src=x onerror=alert(1)>"]})
    show_table(frame, caption="<b>caption</b>")
    html = shown[0]["text/html"]
    assert "<img" not in html and "<b>caption" not in html


def test_notebooks_show_prose_through_show_findings():
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        code = "\n".join(c.source for c in cells if c.cell_type == "code")
        assert "Markdown(" not in code, f"{path.name}: use show_findings(), which escapes HTML"
