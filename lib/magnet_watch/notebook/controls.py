"""A panel of controls for JupyterLab, generated from a notebook's parameter spec.

``show_panel(stem, values, recompute)`` displays one control per parameter of
``notebooks/<stem>.params.yaml``, each labelled with the parameter's description and unit:
a slider for a bounded number (its plausible range when the spec declares one), a dropdown
for a choice, a checkbox for a flag, and for a nullable parameter a "from the facts"
checkbox beside its slider; a date (the page's ``as_of``) is shown, not moved: the data were
loaded as of it. Moving a control calls ``recompute(values)``, which returns what
to show (headline tables, charts, findings in words, all computed by the library), and
redraws it in the panel's output area. The notebook's parameters cell stays the source of
the defaults; nothing is shown in the output area until a control moves, so a run without a
person (papermill, nbval, a report build) shows exactly the outputs it showed before, plus
this panel.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from magnet_watch.errors import ParameterError
from magnet_watch.notebook.display import VEGALITE_MIME, chart_spec, show_findings, show_headlines
from magnet_watch.notebook.parameters import (
    choice_label,
    label_text,
    load_parameter_specs,
    plausible_grid,
    validate_parameters,
)

SLIDER_STEPS = 100  # a slider without a declared plausible step moves in 1/100 of its range
LAYOUT = widgets.Layout(width="420px")
STYLE = {"description_width": "0px"}


def _bounds(spec: dict, value) -> tuple[float, float, float] | None:
    """Return (low, high, step) for a slider, or None when the spec leaves the number open."""
    if "plausible" in spec and "choices" not in spec["plausible"]:
        grid = plausible_grid(spec)
        low, high = min(grid[0], value), max(grid[-1], value)
        return low, high, spec["plausible"]["step"]
    if "min" in spec and "max" in spec:
        low, high = spec["min"], spec["max"]
        return low, high, 1 if spec["type"] == "int" else (high - low) / SLIDER_STEPS
    return None


def control_widget(name: str, spec: dict, value, resolved=None) -> tuple[widgets.Widget, Callable]:
    """Return (the control for one parameter, a function giving its current value).

    ``value`` is the notebook's value (None: from the facts); ``resolved`` the number None
    stands for, where a slider needs a position.
    """
    if spec["type"] == "date":  # the page's as-of date: its data was loaded as of it
        text = f"{value or 'the latest date in the record'} (run the notebook again to change it)"
        return widgets.HTML(text), lambda: value
    if "choices" in spec:
        options = [(choice_label(spec, c), c) for c in spec["choices"]]
        box = widgets.Dropdown(options=options, value=value, layout=LAYOUT)
        return box, lambda: box.value
    if spec["type"] == "bool":
        box = widgets.Checkbox(value=bool(value), indent=False)
        return box, lambda: box.value
    position = value if value is not None else resolved
    bounds = _bounds(spec, position if position is not None else spec.get("min", 0))
    if position is None:
        position = bounds[0] if bounds else spec.get("min", 0)
    if bounds is None:
        kind = widgets.IntText if spec["type"] == "int" else widgets.FloatText
        box = kind(value=position, layout=LAYOUT)
    else:
        kind = widgets.IntSlider if spec["type"] == "int" else widgets.FloatSlider
        low, high, step = bounds
        box = kind(
            value=position,
            min=low,
            max=high,
            step=step,
            layout=LAYOUT,
            style=STYLE,
            continuous_update=False,
            readout_format="d" if spec["type"] == "int" else ".3g",
        )
    if not spec.get("nullable"):
        return box, lambda: box.value
    facts = widgets.Checkbox(value=value is None, description="from the facts", indent=False)
    box.disabled = facts.value
    facts.observe(lambda change: setattr(box, "disabled", change["new"]), names="value")
    return widgets.HBox([box, facts]), lambda: None if facts.value else box.value


def show(item) -> None:
    """Display one thing ``recompute`` returned: a headline table, a chart or findings."""
    if isinstance(item, alt.TopLevelMixin):
        display({VEGALITE_MIME: chart_spec(item), "text/plain": "<chart>"}, raw=True)
    elif isinstance(item, pd.DataFrame):
        show_headlines(item)
    else:
        show_findings(str(item))


def panel(
    stem: str, values: dict, recompute: Callable[[dict], list], resolved: dict | None = None
) -> widgets.VBox:
    """Return the panel: the controls of ``stem``'s parameters and an output area that shows
    ``recompute(current values)`` each time a control changes (nothing before)."""
    specs = load_parameter_specs(stem)["parameters"]
    rows, getters = [], {}
    for name, spec in specs.items():
        control, getters[name] = control_widget(
            name, spec, values[name], (resolved or {}).get(name)
        )
        label = widgets.HTML(f"<b>{name}</b>: {label_text(spec)}")  # spec text, not user text
        rows.append(widgets.VBox([label, control]))
    out = widgets.Output()

    def redraw(_change=None) -> None:
        current = {name: get() for name, get in getters.items()}
        with out:
            out.clear_output(wait=True)
            try:
                current = validate_parameters(stem, current)
            except ParameterError as exc:  # say why, as a papermill run would refuse it
                show_findings(f"**Not computed:** {exc}")
                return
            for item in recompute(current):
                show(item)

    for row in rows:
        for child in _leaves(row):
            if isinstance(child, widgets.ValueWidget):
                child.observe(redraw, names="value")
    note = widgets.HTML("<i>Move a control: the figures below are recomputed by the library.</i>")
    return widgets.VBox([*rows, note, out])


def _leaves(widget: widgets.Widget) -> list[widgets.Widget]:
    if isinstance(widget, widgets.Box):
        return [leaf for child in widget.children for leaf in _leaves(child)]
    return [widget]


def show_panel(
    stem: str, values: dict, recompute: Callable[[dict], list], resolved: dict | None = None
) -> None:
    """Display ``panel(stem, values, recompute, resolved)``."""
    display(panel(stem, values, recompute, resolved))
