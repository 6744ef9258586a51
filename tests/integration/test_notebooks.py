"""Notebooks 01-04: structure, and papermill runs with other parameters and with bad ones.

Each papermill run takes a second or two (a forked kernel: ``helpers.notebooks``); the runs
share one xdist group so that they do not compete with each other for the two cores.
"""

from __future__ import annotations

import inspect
import re

import nbformat
import papermill as pm
import pytest
from helpers.notebooks import (  # noqa: F401
    KERNEL,
    STEMS,
    chart_titles,
    headlines,
    notebook_path,
    number,
    outputs,
    prose,
    run,
)
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from magnet_watch import paths
from magnet_watch.data.record import AS_OF_ENV
from magnet_watch.errors import ParameterError
from magnet_watch.notebook import sections
from magnet_watch.notebook.namespace import check_notebook_parameters
from magnet_watch.notebook.parameters import notebook_parameters
from magnet_watch.reports.build import KERNEL_START_TIMEOUT_S

# Structure (no kernel) ------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_structure(stem):
    nb = nbformat.read(notebook_path(stem), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all("#" in line for line in code[0].source.splitlines() if "=" in line), (
        "every parameter has a comment giving its unit and meaning"
    )
    assert f'check_notebook_parameters("{stem}", globals())' in code[1].source
    assert set(pm.inspect_notebook(str(notebook_path(stem)))) == set(
        notebook_parameters(notebook_path(stem))
    ), "papermill reads every parameter (a second '=' on a line hides it from papermill)"
    (headline,) = [c for c in code if "headlines" in c.metadata.get("tags", [])]
    assert headline.source.startswith("# NBVAL_CHECK_OUTPUT\n")
    assert "show_headlines(" in headline.source


@pytest.mark.parametrize("stem", STEMS)
def test_committed_without_outputs(stem):
    """Notebooks are committed bare; the headline figures nbval checks live in
    tests/expected_headlines (see scripts/nbval_reference.py)."""
    nb = nbformat.read(notebook_path(stem), as_version=4)
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        assert not cell.outputs and cell.execution_count is None


def test_chart_names_are_unique_and_topic_prefixed():
    names = []
    for path in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        names += re.findall(r'name="([a-z0-9_-]+)"', source)
    # The charts the notebooks show through one call per compound section (02, 03).
    names += re.findall(r'name="([a-z0-9_-]+)"', inspect.getsource(sections))
    assert len(names) == len(set(names)), f"duplicate chart names: {sorted(names)}"
    mine = [n for n in names if n.split("_")[0] in {"overview", "capacity", "imports", "market"}]
    # 8, the official clock (02) and official series (03) of issue 12, the scheme's progress (02);
    # the overview's Replay (issue 19) is an explorer by name (explore_replay), so not counted here
    assert len(mine) == 11
    assert sum(n.startswith("explore_") for n in names) == 6


# Papermill runs with other parameters ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks_01_04")
def test_capacity_responds_to_its_parameters(tmp_path, executed_with_defaults):
    base = executed_with_defaults("02_capacity")
    more_nd = run(
        tmp_path, "02_capacity", nd_mass_fraction=0.32, ramp_shape="s_curve", target_year=2035
    )
    need_key = "Neodymium the magnet target needs"
    base_h, more_h = headlines(base), headlines(more_nd)
    assert base_h[need_key]["value"] == "1,620 t/yr (at 27% Nd)"
    assert more_h[need_key]["value"] == "1,920 t/yr (at 32% Nd)"
    assert more_h[need_key]["period"] == "2035"
    gap_key = "Neodymium gap: need minus IREL output"
    assert number(more_h[gap_key]["value"]) > number(base_h[gap_key]["value"])
    assert any("an S-curve ramp" in t for t in chart_titles(more_nd))
    assert "At 32% neodymium by mass" in prose(more_nd)
    assert "At 27% neodymium by mass" in prose(base)


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks_01_04")
def test_imports_higher_growth_lowers_the_covered_share(tmp_path, executed_with_defaults):
    share = "Share of rare-earth magnet demand domestic output covers"
    base = headlines(executed_with_defaults("03_imports"))
    fast_nb = run(tmp_path, "03_imports", growth_rate_pct_per_yr=25.0)
    fast = headlines(fast_nb)
    assert number(fast[share]["value"]) < number(base[share]["value"])
    assert fast["Demand growth used"]["value"] == "25%/yr"
    assert fast["Demand growth used"]["source"] == "computed from parameter growth_rate_pct_per_yr"
    assert "and grows at **25%/yr**, a parameter" in prose(fast_nb)
    assert any("(25%/yr growth)" in t for t in chart_titles(fast_nb))
    cheap = headlines(
        run(tmp_path, "03_imports", plausible_low_usd_per_kg=1.0, plausible_high_usd_per_kg=10.0)
    )
    assert base["Implied unit value"]["value"].endswith("(implausible)")
    assert cheap["Implied unit value"]["value"].endswith("(plausible)")


@pytest.mark.xdist_group("notebooks_01_04")
def test_overview_can_hide_future_events(tmp_path):
    past = run(tmp_path, "01_overview", include_future=False, timeline_start_year=2020)
    text = prose(past)
    assert "Plans, targets and projections are hidden" in text
    assert "from 2020 to 2032" in text
    title, _replay = chart_titles(past)  # the timeline, then the Replay (issue 19)
    assert "; 0 of them are plans, targets or projections still ahead on " in title


@pytest.mark.xdist_group("notebooks_01_04")
def test_market_share_tolerance_decides_whether_the_sources_can_both_hold(tmp_path):
    loose = run(tmp_path, "04_market_share", approx_tolerance_pct=10.0)
    assert "the two claims **can both hold**" in prose(loose)
    assert any(t.endswith("the wording leaves room for both") for t in chart_titles(loose))


# Bad parameters stop the run with a clear message ---------------------------------------------


# Every bad value is refused by the check each notebook calls first (its validation cell,
# ``check_notebook_parameters``) with the message below; one papermill run per notebook proves
# the wiring: the validation cell stops the run, in one line.
BAD_PARAMETERS = [
    (
        "02_capacity",
        {"nd_mass_fraction": 1.5},
        "parameter 'nd_mass_fraction' = 1.5 is out of range: allowed a float above 0 and up to 1 "
        "(fraction of magnet mass)",
    ),
    (
        "03_imports",
        {"growth_rate_pct_per_yr": -5.0},
        "parameter 'growth_rate_pct_per_yr' = -5.0 is out of range: allowed a float from 0 to 100",
    ),
    (
        "02_capacity",
        {"start_year": 2030, "target_year": 2027},
        "parameter 'target_year' = 2027 with 'start_year' = 2030 is not allowed: the target year "
        "must come after the start year",
    ),
    # papermill only warns about a name the notebook does not declare; the notebook refuses it
    (
        "03_imports",
        {"growth": "abc"},
        "unknown parameter(s) ['growth'] for notebook '03_imports': allowed ['as_of', 'award_year', "
        "'base_demand_t', 'growth_basis', 'growth_rate_pct_per_yr', 'plausible_high_usd_per_kg', "
        "'plausible_low_usd_per_kg', 'ramp_shape', 'start_year', 'target_year']",
    ),
    # The official clock cannot start before the approval (issue 12)
    ("02_capacity", {"award_year": 2024}, "parameter 'award_year' = 2024 is out of range"),
]


@pytest.mark.parametrize(("stem", "parameters", "message"), BAD_PARAMETERS)
def test_a_bad_parameter_is_refused_by_the_check_the_notebook_calls_first(
    stem, parameters, message, monkeypatch
):
    monkeypatch.setenv(AS_OF_ENV, "")  # restored after the test: the check may set it
    namespace = {**notebook_parameters(notebook_path(stem)), **parameters}
    with pytest.raises(ParameterError) as info:
        check_notebook_parameters(stem, namespace)
    assert message in str(info.value)


@pytest.mark.xdist_group("notebooks_01_04")
@pytest.mark.parametrize(
    ("stem", "parameters", "message"),
    # a name the notebook does not declare (papermill only warns; the notebook refuses it),
    # and a value out of range
    [BAD_PARAMETERS[3], BAD_PARAMETERS[4]],
    ids=["03_imports-unknown-name", "02_capacity-out-of-range"],
)
def test_a_bad_parameter_stops_the_notebook(tmp_path, stem, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, stem, **parameters)
    assert info.value.ename == "ParameterError"
    assert message in info.value.evalue
    failed = nbformat.read(tmp_path / f"{stem}.{len(parameters)}.out.ipynb", as_version=4)
    (stopped,) = [
        c
        for c in failed.cells
        if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.outputs)
    ]
    assert "check_notebook_parameters(" in stopped.source, "the validation cell stops the run"
    # One line, the message first: no traceback through the library.
    assert info.value.traceback == [f"ParameterError: {info.value.evalue}"]
    assert str(info.value).strip().splitlines()[-1] == f"ParameterError: {info.value.evalue}"


@pytest.mark.xdist_group("notebooks_01_04")
def test_a_name_set_in_a_new_cell_is_refused_as_in_jupyterlab(tmp_path):
    """A typo typed into a cell of its own (as in JupyterLab) stops the run like a papermill -p
    typo: the validation cell lists the allowed names, in one line."""
    nb = nbformat.read(notebook_path("02_capacity"), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell('ramp_shpe = "s_curve"'))
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        startup_timeout=KERNEL_START_TIMEOUT_S,
        resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}},
    )
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    assert info.value.ename == "ParameterError"
    assert "unknown parameter(s) ['ramp_shpe'] for notebook '02_capacity'" in info.value.evalue
    (error,) = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert error.traceback == [f"ParameterError: {info.value.evalue}"]
