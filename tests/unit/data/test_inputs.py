"""The demand projection's inputs count what the model needs: rare-earth permanent magnets.

The import tonnage (53,748 t in FY2024-25) counts permanent magnets of every kind, ferrites
included: it is refused as the demand base, in a sentence naming what it counts and what is
required. The base is India's requirement of rare-earth magnets, a later reference.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import magnet_watch as mw
from magnet_watch.data.fact_ids import IMPORTS_TONNES_FACT
from magnet_watch.data.inputs import (
    DEMAND_BASE_SCOPE,
    DEMAND_GROWTH_SCOPE,
    DemandBase,
    ImportsInputs,
)
from magnet_watch.data.scopes import ScopeError, in_scope


@pytest.fixture(scope="module")
def facts():
    return mw.load_facts()


def test_the_import_tonnage_given_to_the_demand_base_is_refused_naming_what_it_counts():
    with pytest.raises(ScopeError) as info:
        in_scope(IMPORTS_TONNES_FACT, *DEMAND_BASE_SCOPE)
    assert str(info.value).startswith(
        "fact 'ibns_magnet_imports_fy25' counts permanent magnets of every kind "
        "(permanent_magnets_all), kind imports, of India; required: rare-earth permanent "
        "magnets (re_permanent_magnets), kind requirement. Refused: its kind is imports, not "
        "requirement"
    )
    assert (
        "The document states it as rare-earth permanent magnets: that is the document's claim"
        in (str(info.value))
    )


def test_the_official_import_tonnage_is_refused_as_the_demand_base(project_references):
    with pytest.raises(
        ScopeError,
        match=(
            "reference figure 'trade-imports-fy2021-fy2025/imports_fy2025' counts permanent "
            r"magnets of every kind \(permanent_magnets_all\), kind imports; required: rare-earth "
            r"permanent magnets \(re_permanent_magnets\), kind requirement"
        ),
    ):
        DemandBase.from_reference(project_references.series, "imports_fy2025")


def test_the_demand_base_is_the_ministers_requirement_as_stated(project_references):
    base = DemandBase.from_reference(project_references.cabinet, "repm_requirement")
    assert (base.demand_t, base.year, base.period, base.qualifier) == (
        4000.0,
        2025,
        "26 Nov 2025",
        "approximately",
    )
    assert base.figure == "cabinet-2025-11-26/repm_requirement"
    assert base.citation.startswith("NDTV Profit")


def _remapped(package, measure: str, scope: str, kind: str):
    table = package.measure_scopes.copy()
    rows = (table["package"] == "cabinet-2025-11-26") & (table["measure"] == measure)
    table.loc[rows, ["scope", "kind"]] = [scope, kind]
    return replace(package, measure_scopes=table)


@pytest.mark.parametrize(
    ("measure", "says"),
    [
        (
            "repm_annual_requirement",
            "reference figure 'cabinet-2025-11-26/repm_requirement' counts "
            "permanent magnets of every kind",
        ),
        (
            "repm_consumption_growth_multiple",
            "reference figure "
            "'cabinet-2025-11-26/consumption_doubling' counts "
            "permanent magnets of every kind",
        ),
    ],
)
def test_building_the_inputs_refuses_a_demand_figure_of_another_scope(
    facts, project_references, measure, says
):
    kind = "requirement" if measure == "repm_annual_requirement" else "growth"
    package = _remapped(mw.load_package(), measure, "permanent_magnets_all", kind)
    with pytest.raises(ScopeError, match=says):
        ImportsInputs.from_data(facts, project_references, package)


def test_building_the_inputs_refuses_a_doubling_fact_of_another_scope(facts, project_references):
    package = mw.load_package()
    metrics = package.metrics.copy()
    metrics.loc[metrics["metric"] == "demand_growth_multiple", "scope"] = "permanent_magnets_all"
    with pytest.raises(ScopeError, match="fact 'msa_demand_doubling' counts permanent magnets"):
        ImportsInputs.from_data(facts, project_references, replace(package, metrics=metrics))


def test_the_demand_inputs_as_built_count_rare_earth_magnets(imports_inputs):
    assert DEMAND_GROWTH_SCOPE == ("re_permanent_magnets", "growth")
    assert imports_inputs.base.demand_t == 4000.0
    assert imports_inputs.cabinet_doubling.rate_pct_per_yr == pytest.approx(
        (2 ** (1 / 5) - 1) * 100
    )
