"""One rule across pages (issue 18): no page and no model uses a record in a scope that a
check on another page rules out (data/scope_verdicts.csv, analysis.checks.scope_consistency)."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest

from magnet_watch import paths
from magnet_watch.analysis.checks.reference_check import reference_check
from magnet_watch.analysis.checks.scope_consistency import scope_conflicts, scope_rejections
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.curation.audit import run_checks
from magnet_watch.data.inputs import DemandBase
from magnet_watch.data.later_references import IMPORTS_FY2025, SERIES_PACKAGE
from magnet_watch.data.load import load_package
from magnet_watch.data.reference import load_usgs_prices
from magnet_watch.data.reference_packages import load_reference_packages
from magnet_watch.data.schema import read_resource
from magnet_watch.data.scope_uses import (
    ScopeUse,
    model_scope_uses,
    read_scope_verdicts,
    worded_scope_uses,
)
from magnet_watch.errors import DataValidationError

TONNAGE_FACT = "ibns_magnet_imports_fy25"
TONNAGE_FIGURE = f"{SERIES_PACKAGE}/{IMPORTS_FY2025}"


@pytest.fixture(scope="module")
def package():
    return load_package()


@pytest.fixture(scope="module")
def rules(package):
    return read_scope_verdicts(package)


def check_verdicts(package, references, *, reference_year: int, inr_per_usd: float) -> pd.DataFrame:
    """Every check's verdicts as the pages give them: the later-reference check (05) and the
    curation audit's consistency checks (06, their result as the verdict)."""
    later = reference_check(
        package.facts,
        references,
        load_usgs_prices(),
        inr_per_usd=inr_per_usd,
        reference_year=reference_year,
    )
    audit = run_checks(read_resource(paths.DATA_DIR, "consistency_checks"), package.facts)
    return pd.concat(
        [
            later[["check_id", "verdict"]],
            audit[["check_id", "result"]].rename(columns={"result": "verdict"}),
        ],
        ignore_index=True,
    )


def all_uses(package, references, inputs) -> list[ScopeUse]:
    return worded_scope_uses(package, load_reference_packages()) + model_scope_uses(
        inputs, references, package
    )


@pytest.mark.parametrize("reference_year", [2023, 2024])
@pytest.mark.parametrize("rate", ["implied", 80.0, 95.0])
def test_no_page_or_model_uses_a_record_in_a_scope_a_check_rules_out(
    package, rules, project_references, imports_inputs, reference_year, rate
):
    inr_per_usd = implied_inr_per_usd(package.facts)["inr_per_usd"] if rate == "implied" else rate
    verdicts = check_verdicts(
        package, project_references, reference_year=reference_year, inr_per_usd=inr_per_usd
    )
    rejections = scope_rejections(rules, verdicts)
    # The checks do rule the import tonnage out as rare-earth magnets (so the rule is tested
    # against a real verdict, not an empty table) ...
    assert {TONNAGE_FACT, TONNAGE_FIGURE} <= set(rejections["record"])
    assert set(rejections["rejects_scope"]) == {"re_permanent_magnets"}
    # ... and nothing uses it, or any record, that way.
    conflicts = scope_conflicts(
        all_uses(package, project_references, imports_inputs), rejections, package.scopes
    )
    assert conflicts.empty, conflicts.to_string()


def test_the_old_demand_base_the_import_tonnage_is_caught_as_a_conflict(
    package, rules, project_references, imports_inputs
):
    # Version 2 grew the FY2024-25 import tonnage as demand for rare-earth magnets.
    old_base = dataclasses.replace(imports_inputs.base, figure=TONNAGE_FIGURE)
    old = dataclasses.replace(imports_inputs, base=old_base)
    verdicts = check_verdicts(package, project_references, reference_year=2024, inr_per_usd=91.25)
    conflicts = scope_conflicts(
        model_scope_uses(old, project_references, package),
        scope_rejections(rules, verdicts),
        package.scopes,
    )
    assert list(conflicts["record"]) == [TONNAGE_FIGURE]
    assert list(conflicts["use"]) == ["the demand projection's base"]
    assert list(conflicts["check_id"]) == ["imports_scope"]
    assert "permanent magnets of every kind" in conflicts["reason"].iloc[0]


def test_a_scope_part_of_the_one_ruled_out_is_ruled_out_too(package, rules, project_references):
    verdicts = check_verdicts(package, project_references, reference_year=2024, inr_per_usd=91.25)
    uses = [
        ScopeUse(TONNAGE_FACT, "sintered_re_magnets", "imports", "a chart of sintered magnets"),
        ScopeUse(TONNAGE_FACT, "ndfeb_magnets", "imports", "a chart of NdFeB magnets"),
        ScopeUse(TONNAGE_FACT, "permanent_magnets_all", "imports", "the imports page"),
    ]
    conflicts = scope_conflicts(uses, scope_rejections(rules, verdicts), package.scopes)
    # Two checks rule it out (05 and 06): each conflict is named once per check.
    assert sorted(set(conflicts["scope"])) == ["ndfeb_magnets", "sintered_re_magnets"]
    assert set(conflicts["check_id"]) == {"imports_scope", "imports_implied_price_usd_per_kg"}


def test_the_articles_label_as_the_projects_would_be_caught(package, rules, project_references):
    # Version 2's metrics.csv described magnet_imports as rare-earth magnet imports.
    metrics = package.metrics.copy()
    metrics.loc[metrics["metric"] == "magnet_imports", "scope"] = "re_permanent_magnets"
    relabelled = dataclasses.replace(package, metrics=metrics)
    verdicts = check_verdicts(package, project_references, reference_year=2024, inr_per_usd=91.25)
    uses = worded_scope_uses(relabelled, load_reference_packages())
    conflicts = scope_conflicts(uses, scope_rejections(rules, verdicts), package.scopes)
    assert set(conflicts["record"]) == {TONNAGE_FACT}
    assert set(conflicts["use"]) == {"worded on the pages"}


def test_a_verdict_that_does_not_rule_the_scope_out_gives_no_rejection(rules):
    verdicts = pd.DataFrame(
        {
            "check_id": ["imports_scope", "imports_implied_price_usd_per_kg"],
            "verdict": ["agree", "pass"],
        }
    )
    assert scope_rejections(rules, verdicts).empty


def test_a_rule_on_a_check_that_gave_no_verdict_is_refused_by_name(rules):
    verdicts = pd.DataFrame({"check_id": ["imports_scope"], "verdict": ["disagree"]})
    with pytest.raises(ValueError, match="imports_implied_price_usd_per_kg"):
        scope_rejections(rules, verdicts)


def test_a_rule_naming_an_unknown_scope_is_refused_with_file_line_and_column(tmp_path, package):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    table = data / "scope_verdicts.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",re_permanent_magnets,", ",rare_earth_magnetz,")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        read_scope_verdicts(package, data)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (
        "scope_verdicts.csv",
        2,
        "rejects_scope",
    )
    assert "rare_earth_magnetz" in problem.message


def test_the_demand_base_stays_the_requirement_the_checks_allow(imports_inputs):
    assert isinstance(imports_inputs.base, DemandBase)
    assert imports_inputs.base.figure == "cabinet-2025-11-26/repm_requirement"
