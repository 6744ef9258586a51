"""Charts in a live JupyterLab session: Altair's own renderer, offline (issue 22)."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from magnet_watch.notebook import live_chart as live


def test_a_kernel_serves_a_live_session_only_when_jupyter_server_names_it(monkeypatch):
    monkeypatch.delenv(live.SESSION_ENV, raising=False)
    assert not live.in_live_session()
    monkeypatch.setenv(live.SESSION_ENV, "02_capacity.ipynb")
    assert live.in_live_session()


def test_the_live_chart_draws_the_pages_spec_with_a_bundle_that_asks_no_network():
    chart = alt.Chart(pd.DataFrame({"year": [2025, 2026], "t": [1, 2]})).mark_line()
    spec = chart.to_dict() | {"usermeta": {"as_of": "2026-05-27"}}
    widget = live.live_chart(chart, spec)
    assert widget.spec == spec  # the spec with its as-of date, not Altair's own
    assert widget._is_offline
    # Altair's online module imports vega-embed from esm.sh; the offline one carries its own.
    assert not re.search(r"\bfrom\s+[\"']https?://", widget._esm)
    assert "vega-lite" in widget._esm.lower()
