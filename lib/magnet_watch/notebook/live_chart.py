"""Charts in a live JupyterLab session, drawn by Altair's own renderer.

JupyterLab draws the MIME type ``application/vnd.vegalite.v5+json`` with the Vega-Lite it
bundles (5.x), while Altair writes Vega-Lite 6 specs: the charts draw, but the console warns
once per chart, and a feature of Vega-Lite 6 would not draw at all. Altair's own renderer,
``JupyterChart`` (a widget, through anywidget), draws with the Vega, Vega-Lite and
vega-embed that vl-convert bundles for the Vega-Lite version Altair writes; offline, with no
request outside the Jupyter server. So a kernel of a live session (jupyter_server sets
``JPY_SESSION_NAME`` for the kernels of its sessions) shows that widget. Papermill, nbval and
the report build start kernels without a session and keep the plain MIME bundle with its
static SVG, which the pages are built from (``notebook.display.show_chart``).
"""

from __future__ import annotations

import os

import altair as alt

SESSION_ENV = "JPY_SESSION_NAME"


def in_live_session() -> bool:
    """Whether this kernel serves a live Jupyter session (JupyterLab, Notebook, VS Code)."""
    return bool(os.environ.get(SESSION_ENV))


def live_chart(chart: alt.TopLevelMixin, spec: dict) -> alt.JupyterChart:
    """Return a widget that draws ``spec`` (``chart``'s spec as the page shows it, with its
    as-of date) with the Vega-Lite version Altair writes, offline."""
    alt.JupyterChart.enable_offline()
    widget = alt.JupyterChart(chart)
    widget.spec = spec
    return widget
