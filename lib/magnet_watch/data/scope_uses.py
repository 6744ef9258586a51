"""What each record is used as, and what the checks rule out (data/scope_verdicts.csv).

A record (a fact id, or "<package>/<figure id>" for a reference figure) is used in a scope
and kind twice over: the pages word it as what it counts (its fact's scope, or its measure's
mapping in data/measure_scopes.csv), and a model input reads it in the scope and kind the
input requires (``data.inputs``: the demand base, IREL's supply, ...). ``ScopeUse`` is one
such use. A check can rule a scope out for a record (the later-reference check finds the
import tonnage's unit value below the cost of a rare-earth magnet's neodymium): those
verdicts are data, ``scope_verdicts.csv``, read here and judged by
``analysis.checks.scope_consistency``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.inputs import (
    DEMAND_BASE_SCOPE,
    DEMAND_GROWTH_SCOPE,
    IREL_SUPPLY_SCOPE,
    CapacityInputs,
    ImportsInputs,
)
from magnet_watch.data.later_references import References
from magnet_watch.data.load import Package
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.data.schema import check_foreign_keys, read_package, read_resource
from magnet_watch.data.scopes import fact_scope_kind, measure_scope
from magnet_watch.errors import DataValidationError

SCOPE_VERDICTS = "scope_verdicts"


@dataclass(frozen=True)
class ScopeUse:
    """``record`` used as a quantity of ``scope`` and ``kind``, by ``use`` (in words)."""

    record: str
    scope: str
    kind: str
    use: str


def figure_record(pkg: ReferencePackage, figure_id: str) -> str:
    """The record name of a reference figure: "<package>/<figure id>"."""
    return f"{pkg.name}/{figure_id}"


def read_scope_verdicts(package: Package, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return data/scope_verdicts.csv, validated by its schema and its keys into scopes.csv
    (``package`` gives the scopes); DataValidationError names the file, line and column."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    table = read_resource(data_dir, SCOPE_VERDICTS)
    tables = {SCOPE_VERDICTS: table, "scopes": package.scopes}
    problems = check_foreign_keys(read_package(data_dir), tables)
    if problems:
        raise DataValidationError(problems)
    return table


def worded_scope_uses(package: Package, packages: dict[str, ReferencePackage]) -> list[ScopeUse]:
    """Every record as the pages word it: each fact in the scope it counts (its own scope or
    its metric's; an article's other wording is ``scope_as_stated``, shown as the article's
    claim), each reference figure in its measure's scope."""
    uses = [
        ScopeUse(str(r["fact_id"]), *fact_scope_kind(r, package), "worded on the pages")
        for _, r in package.facts.iterrows()
    ]
    for pkg in packages.values():
        for _, figure in pkg.figures.iterrows():
            scope, kind = measure_scope(pkg.name, str(figure["measure"]), package=package)
            uses.append(
                ScopeUse(
                    figure_record(pkg, str(figure["figure_id"])), scope, kind, "worded on the pages"
                )
            )
    return uses


def model_scope_uses(
    inputs: ImportsInputs, references: References, package: Package
) -> list[ScopeUse]:
    """Every record the model runs read (``inputs``: the imports outlook's, which hold the
    capacity outlook's), each in the scope and kind its input requires."""
    capacity: CapacityInputs = inputs.capacity
    irel = capacity.irel
    cab = references.cabinet
    uses = [
        ScopeUse(
            capacity.target.fact_id,
            *fact_scope_kind(capacity.target.fact_id, package),
            "the magnet ramp's target",
        ),
        ScopeUse(
            irel.capacity_fact_id,
            IREL_SUPPLY_SCOPE,
            "capacity",
            "IREL's supply in the neodymium gap",
        ),
        ScopeUse(
            irel.plan_fact_id, IREL_SUPPLY_SCOPE, "target", "IREL's plan in the neodymium gap"
        ),
        ScopeUse(
            irel.target_fact_id, IREL_SUPPLY_SCOPE, "target", "IREL's target in the neodymium gap"
        ),
        ScopeUse(inputs.base.figure, *DEMAND_BASE_SCOPE, "the demand projection's base"),
        ScopeUse(
            inputs.doubling.source,
            *DEMAND_GROWTH_SCOPE,
            "the demand projection's growth (articles)",
        ),
        ScopeUse(
            inputs.cabinet_doubling.source,
            *DEMAND_GROWTH_SCOPE,
            "the demand projection's growth (Cabinet)",
        ),
    ]
    for figure_id in capacity.terms.figure_ids:
        measure = str(cab.figure(figure_id)["measure"])
        uses.append(
            ScopeUse(
                figure_record(cab, figure_id),
                *measure_scope(cab.name, measure, package=package),
                "the official clock's terms",
            )
        )
    by_name = {pkg.name: pkg for pkg in references.packages}
    for figure_id, name in zip(inputs.series["figure_id"], inputs.series["package"], strict=True):
        pkg = by_name[str(name)]
        measure = str(pkg.figure(str(figure_id))["measure"])
        uses.append(
            ScopeUse(
                figure_record(pkg, str(figure_id)),
                *measure_scope(pkg.name, measure, package=package),
                "the official import series",
            )
        )
    return uses
