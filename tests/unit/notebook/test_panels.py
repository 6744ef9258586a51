"""The JupyterLab panel without a browser: one control per parameter, generated from the spec,
and a change recomputing through the callback with validated values."""

from __future__ import annotations

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest
from IPython.display import Markdown

from magnet_watch import paths
from magnet_watch.notebook import controls, display
from magnet_watch.notebook.parameters import notebook_parameters

CAPACITY = notebook_parameters(paths.NOTEBOOKS_DIR / "02_capacity.ipynb")


def rows_by_name(panel: widgets.VBox) -> dict[str, widgets.VBox]:
    rows = {}
    for row in panel.children:
        if isinstance(row, widgets.VBox) and isinstance(row.children[0], widgets.HTML):
            rows[row.children[0].value.split("</b>")[0].removeprefix("<b>")] = row
    return rows


def test_each_parameter_gets_the_control_its_spec_calls_for():
    seen = []
    panel = controls.panel(
        "02_capacity",
        CAPACITY,
        lambda p: seen.append(p) or [],
        {"start_year": 2025, "target_year": 2032},
    )
    rows = rows_by_name(panel)
    assert set(rows) == set(CAPACITY)
    nd = rows["nd_mass_fraction"].children[1]
    assert isinstance(nd, widgets.FloatSlider)
    assert (nd.min, nd.max, nd.step, nd.value) == (0.25, 0.32, 0.01, 0.27)  # plausible grid
    assert "neodymium (fraction of magnet mass)" in rows["nd_mass_fraction"].children[0].value
    assert isinstance(rows["ramp_shape"].children[1], widgets.Dropdown)
    target, facts = rows["target_year"].children[1].children  # nullable: slider + "from the facts"
    assert isinstance(target, widgets.IntSlider) and target.value == 2032 and target.disabled
    assert isinstance(facts, widgets.Checkbox) and facts.value
    assert isinstance(rows["start_output_t_per_yr"].children[1], widgets.FloatText)  # no max
    assert seen == []  # nothing recomputed before a control moves


def test_moving_a_control_recomputes_with_validated_values_and_refuses_bad_ones():
    seen = []
    panel = controls.panel(
        "02_capacity",
        CAPACITY,
        lambda p: seen.append(p) or [],
        {"start_year": 2025, "target_year": 2032},
    )
    rows = rows_by_name(panel)
    rows["ramp_shape"].children[1].value = "s_curve"
    assert seen[-1] == {**CAPACITY, "ramp_shape": "s_curve"}
    target, facts = rows["target_year"].children[1].children
    facts.value = False
    assert not target.disabled and seen[-1]["target_year"] == 2032
    start, start_facts = rows["start_year"].children[1].children
    start_facts.value = False
    start.value = 2040  # after the target year: refused, not recomputed
    assert seen[-1]["start_year"] == 2025 and len(seen) == 3


@pytest.mark.parametrize(
    "stem", ["02_capacity", "03_imports", "04_market_share", "05_claims_check"]
)
def test_each_panel_recomputes_the_notebooks_own_headlines_at_its_defaults(stem, monkeypatch):
    """Runs the notebook's code in this process, then calls its panel's recompute (the one the
    notebook hands to ``controls.show_panel``) with the notebook's values: the headline table it
    returns is the notebook's own."""
    shown, panels = [], []
    show_panel = controls.show_panel
    monkeypatch.setattr(controls, "display", lambda *a, **k: None)
    monkeypatch.setattr(
        controls,
        "show_panel",
        lambda stem_, values, recompute, *a: (
            panels.append(recompute) or show_panel(stem_, values, recompute, *a)
        ),
    )
    monkeypatch.setattr(display, "display", lambda obj, **k: shown.append(obj))
    namespace: dict = {}
    cells = [
        c
        for c in nbformat.read(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4).cells
        if c.cell_type == "code"
    ]
    namespace["In"] = []  # as IPython keeps it: the parameters check reads the cells run
    for cell in cells:
        namespace["In"].append(cell.source)
        exec(compile(cell.source, f"{stem}.ipynb", "exec"), namespace)
    recorded = [
        s[display.HEADLINES_MIME]
        for s in shown
        if isinstance(s, dict) and display.HEADLINES_MIME in s
    ]
    (recompute,) = panels  # one panel per notebook
    items = recompute(dict(namespace["params"]))
    headlines = [i for i in items if isinstance(i, pd.DataFrame)]
    assert len(headlines) == 1 and len(items) >= 2
    got = headlines[0].astype(str).to_dict("records")
    if stem != "04_market_share":  # 04's panel shows the claims check, whose rows 04 tables
        assert all(row in recorded[0]["headlines"] for row in got)
    prose = [s.data for s in shown if isinstance(s, Markdown)]
    for text in (i for i in items if isinstance(i, str)):
        assert display.markdown_text(text) in prose  # the notebook's own finding, word for word
