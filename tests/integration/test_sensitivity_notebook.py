"""Notebook 07_sensitivity: structure, a papermill run with another seed, bad parameters refused."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest
from helpers.notebooks import headlines, notebook_path, outputs, prose, run

from magnet_watch.notebook.assumptions import default_values
from magnet_watch.notebook.display import VEGALITE_MIME
from magnet_watch.notebook.outputs import chart_title
from magnet_watch.notebook.parameters import notebook_parameters

STEM = "07_sensitivity"


def test_structure_parameters_first_validated_then_one_headline_cell():
    nb = nbformat.read(notebook_path(STEM), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert f'params = check_notebook_parameters("{STEM}", globals())' in code[1].source
    assert set(pm.inspect_notebook(str(notebook_path(STEM)))) == set(
        notebook_parameters(notebook_path(STEM))
    )
    (headline,) = [c for c in code if "headlines" in c.metadata.get("tags", [])]
    assert headline.source.startswith("# NBVAL_CHECK_OUTPUT\n")


@pytest.mark.xdist_group("notebooks_01_04")
def test_another_seed_moves_the_band_but_not_the_base_case_or_the_tornado(
    tmp_path, executed_with_defaults
):
    base = executed_with_defaults(STEM)
    other = run(tmp_path, STEM, seed=99)
    a, b = headlines(base), headlines(other)
    # The low end of 02's range, worded so (02 gives "720–848 t/yr").
    gap = "Neodymium gap, low end: need minus IREL's high output"
    assert a[f"{gap}, base case"]["value"] == "720 t/yr"
    assert a[f"{gap}, base case"] == b[f"{gap}, base case"]
    assert a[f"{gap}: the assumption it depends on most"]["value"].startswith(
        "the year the target is reached:"
    )
    band = f"{gap}, central 90% of 10,000 draws"
    assert a[band]["value"] != b[band]["value"]
    assert "depends most on **the year the target is reached**" in prose(base)
    names = [chart_title(o, "") for o in outputs(base, VEGALITE_MIME)]
    assert names[0].startswith(
        "The low end of the 2032 neodymium gap depends most on the year the target is reached"
    )


@pytest.mark.xdist_group("notebooks_01_04")
def test_fewer_than_ten_thousand_draws_are_refused(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, STEM, draws=500)
    assert info.value.ename == "ParameterError"
    assert "parameter 'draws' = 500 is out of range" in info.value.evalue


def test_base_case_defaults_are_those_of_02_and_03():
    mine = notebook_parameters(notebook_path(STEM))
    theirs = default_values()
    shared = set(mine) & set(theirs)
    assert shared == {
        "target_year",
        "ramp_shape",
        "award_year",
        "nd_mass_fraction",
        "growth_rate_pct_per_yr",
    }
    assert {k: mine[k] for k in shared} == {k: theirs[k] for k in shared}
