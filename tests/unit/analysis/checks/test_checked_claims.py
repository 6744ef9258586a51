"""Notebook 05's run (``checked_claims``): the parameters resolved once, both checks run once,
and the notebook, its panel and its explorer all reading that one run."""

from __future__ import annotations

import pandas as pd
import pytest

from magnet_watch import ParameterError
from magnet_watch.analysis.checks import checked_claims as run_module
from magnet_watch.analysis.checks.checked_claims import checked_claims, thresholds_for
from magnet_watch.analysis.checks.claims_check import Thresholds
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.data.load import load_facts, load_sources
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.notebook import explorers, panels

DEFAULTS = {
    "reference_year": 2024,
    "approx_tolerance_pct": 5.0,
    "close_fraction": 0.20,
    "inr_per_usd": None,
    "award_year": None,
}


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load_facts()


@pytest.fixture(scope="module")
def usgs():
    return load_usgs_reference()


@pytest.fixture(scope="module")
def run(facts, project_references, usgs):
    return checked_claims(DEFAULTS, facts, project_references, usgs)


def test_the_run_resolves_the_rate_from_the_record_when_none_is_given(run, facts):
    assert run.inr_per_usd == implied_inr_per_usd(facts)["inr_per_usd"]
    assert run.reference_year == 2024
    assert run.thresholds == Thresholds(approx_tolerance=0.05, close_fraction=0.20)
    assert len(run.against_usgs) > 0 and len(run.against_later) > 0


def test_an_explicit_rate_is_the_one_every_conversion_uses(facts, project_references, usgs):
    doubled = 2 * implied_inr_per_usd(facts)["inr_per_usd"]
    run = checked_claims({**DEFAULTS, "inr_per_usd": doubled}, facts, project_references, usgs)
    assert run.inr_per_usd == doubled
    rates = {c["inr_per_usd"] for c in run.against_later["context"] if "inr_per_usd" in c}
    assert rates == {doubled}


@pytest.mark.parametrize(
    "change, named",
    [
        ({"reference_year": 1990}, "reference_year"),
        ({"approx_tolerance_pct": 150.0}, "approx_tolerance"),
        ({"close_fraction": -0.1}, "close_fraction"),
        ({"award_year": 2000}, "award"),
    ],
)
def test_the_run_refuses_a_parameter_out_of_range_naming_it(
    change, named, facts, project_references, usgs
):
    with pytest.raises(ParameterError, match=named):
        checked_claims({**DEFAULTS, **change}, facts, project_references, usgs)


def test_thresholds_read_close_fraction_only_where_the_notebook_has_it():
    assert thresholds_for({"approx_tolerance_pct": 10.0}) == Thresholds(approx_tolerance=0.10)
    assert thresholds_for({"approx_tolerance_pct": 10.0, "close_fraction": 0.5}) == Thresholds(
        approx_tolerance=0.10, close_fraction=0.5
    )


@pytest.fixture
def counted(monkeypatch):
    """Count the runs: every call of ``checked_claims`` through the modules that call it."""
    calls = []
    real = run_module.checked_claims

    def counting(params, *args):
        calls.append(dict(params))
        return real(params, *args)

    monkeypatch.setattr(panels, "checked_claims", counting)
    monkeypatch.setattr(explorers, "checked_claims", counting)
    return calls


def test_the_panel_shows_both_checks_of_one_run(counted, facts, project_references, usgs):
    items = panels.claims_recompute(facts, load_sources(), project_references, usgs)(DEFAULTS)
    run = checked_claims(DEFAULTS, facts, project_references, usgs)
    (headlines,) = [i for i in items if isinstance(i, pd.DataFrame)]
    assert len(counted) == 1
    assert len(headlines) == len(run.against_usgs) + len(run.against_later)


def test_each_explorer_case_is_one_run_at_the_notebooks_other_values(
    counted, facts, project_references, usgs
):
    values = {**DEFAULTS, "inr_per_usd": 90.0, "award_year": 2026}
    explorers.claims_explorer(values, facts, load_sources(), project_references, usgs)
    assert len(counted) > 1  # one run per grid case
    for params in counted:
        assert params["inr_per_usd"] == 90.0 and params["award_year"] == 2026
    cases = {(p["reference_year"], p["approx_tolerance_pct"]) for p in counted}
    assert len(cases) == len(counted)  # no case run twice
