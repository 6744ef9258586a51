"""notebooks/05_claims_check.ipynb: structure, a papermill run with another reference year, a bad year."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest
from helpers.notebooks import execute, outputs

from magnet_watch import ParameterError, paths
from magnet_watch.notebook.display import HEADLINES_MIME
from magnet_watch.notebook.parameters import notebook_parameters, validate_parameters

STEM = "05_claims_check"
NOTEBOOK = paths.NOTEBOOKS_DIR / f"{STEM}.ipynb"


def run(tmp_path, **parameters) -> nbformat.NotebookNode:
    return execute(NOTEBOOK, tmp_path / f"{STEM}.out.ipynb", paths.NOTEBOOKS_DIR, **parameters)


def test_notebook_structure_and_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "magnet-watch"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'params = check_notebook_parameters("05_claims_check", globals())' in code[1].source
    headlines = [c for c in code if "headlines" in c.metadata.get("tags", [])]
    assert len(headlines) == 1
    assert headlines[0].source.startswith("# NBVAL_CHECK_OUTPUT")
    assert "show_headlines" in headlines[0].source
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


def test_defaults_are_valid_parameters():
    defaults = notebook_parameters(NOTEBOOK)
    assert defaults == {
        "reference_year": 2024,
        "approx_tolerance_pct": 5.0,
        "close_fraction": 0.2,
        "inr_per_usd": None,
        "award_year": None,
        "as_of": None,
    }
    assert validate_parameters(STEM, defaults) == defaults


@pytest.mark.xdist_group("notebook_05")
def test_other_reference_year_changes_figures_and_prose(tmp_path):
    # 2023 is a year of MCS 2025, the edition current at the end of the articles
    nb = run(tmp_path, reference_year=2023, as_of="2025-11-30")
    records = outputs(nb, HEADLINES_MIME)[0]["headlines"]
    by_figure = {r["figure"]: r for r in records}
    mining = by_figure["India's share of world mine production: msa_india_mining_share"]
    assert mining["value"] == "claim less than 1%; USGS 0.77%; agree"  # 2,900 / 376,000 t
    assert mining["period"] == "2025-11 vs 2023"
    unit_value = next(r for r in records if r["figure"].startswith("Implied import unit value"))
    assert "at least $20.81/kg" in unit_value["value"]  # 0.2668 x $78/kg, the 2023 price
    prose = "\n".join(outputs(nb, "text/markdown"))
    assert "USGS reference (2023)" in prose and "0.77% of world mine production in 2023" in prose
    assert "0.74%" not in prose  # the 2024 figure must not survive a 2023 run
    charts = outputs(nb, "application/vnd.vegalite.v5+json")
    assert any("mined 0.77% in 2023" in str(c.get("title")) for c in charts)


@pytest.mark.xdist_group("notebook_05")
def test_bad_reference_year_stops_with_a_clear_message(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, reference_year=2022)
    assert info.value.ename == "ParameterError"
    assert "parameter 'reference_year' = 2022 is not an allowed choice" in info.value.evalue
    assert "2023, 2024" in info.value.evalue


@pytest.mark.xdist_group("notebook_05")
def test_a_year_the_current_edition_does_not_state_stops_naming_its_years(tmp_path):
    # At the default date the edition is MCS 2026 (v1.3): mine production for 2024 and 2025
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, reference_year=2023)
    assert info.value.ename == "ParameterError"
    assert "'reference_year' = 2023 is not allowed" in info.value.evalue
    assert "[2024, 2025]" in info.value.evalue


def test_bad_tolerance_is_refused_by_the_spec():
    with pytest.raises(
        ParameterError, match=r"'close_fraction' = 2.0 is out of range: allowed a float from 0 to 1"
    ):
        validate_parameters(STEM, {"close_fraction": 2.0})
