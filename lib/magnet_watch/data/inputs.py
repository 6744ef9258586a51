"""The models' inputs, resolved once from the data into frozen, typed objects.

A model run (``analysis.outlook``) never looks a fact up: it takes one of these objects, built
by ``from_data(facts, references)`` in one call, and reads plain numbers from it. Each input
keeps the id of the fact or reference figure it came from, and the metric that fact must
count (``REQUIRED_METRICS``): a fact of another metric is refused when the inputs are built,
naming the fact, the metric it has and the one required.

- ``CapacityInputs``: the national magnet target, IREL's neodymium supply as the documents
  state and plan it, and the scheme's official terms (the later reference of the Cabinet).
- ``ImportsInputs``: those, plus the demand base (India's requirement of rare-earth
  permanent magnets, a later reference), its growth ("double within five years" in the
  articles, "to double by 2030" in the Cabinet's reporting), the import tonnage, value and
  China's share, and the official import series.

Each demand input also counts what the model needs (``DEMAND_BASE_SCOPE``,
``DEMAND_GROWTH_SCOPE``: a scope and kind of data/scopes.csv and data/kinds.csv): a fact or
reference figure of another scope is refused when the inputs are built
(``data.scopes.in_scope``, ``require_figure_scope``). The import tonnage counts permanent
magnets of every kind: it is never the demand base.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.data.fact_ids import (
    CHINA_IMPORT_SHARE_FACT,
    DEMAND_DOUBLING_FACT,
    DEMAND_GROWTH_FACT,
    EXPORTS_JAPAN_FACT,
    IMPORTS_TONNES_FACT,
    IMPORTS_VALUE_FACT,
    INDIA_MINING_SHARE_FACT,
    INDIA_RESERVES_SHARE_FACT,
    IREL_ND_CAPACITY_FACT,
    IREL_ND_PLAN_FACT,
    IREL_ND_TARGET_FACT,
    IREL_PRODUCTION_FACT,
    MAGNET_TARGET_FACT,
    NamedFacts,
)
from magnet_watch.data.later_references import (
    BENEFICIARIES,
    CAPACITY,
    CAPACITY_PER_BENEFICIARY,
    DOUBLING,
    DURATION,
    GESTATION,
    IMPORTS_MEASURE,
    REPM_REQUIREMENT,
    References,
)
from magnet_watch.data.load import Package, load_package
from magnet_watch.data.lookups import fact, facts_for
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.data.schema import LINE_COLUMN
from magnet_watch.data.scopes import fact_scope_kind, in_scope, require_figure_scope
from magnet_watch.errors import DataValidationError, Problem
from magnet_watch.text.periods import horizon_years

# What each fact a model reads must count: its metric in data/metrics.csv.
REQUIRED_METRICS = {
    MAGNET_TARGET_FACT: "magnet_production_target",
    IREL_ND_CAPACITY_FACT: "nd_production_capacity",
    IREL_ND_PLAN_FACT: "nd_output_target",
    IREL_ND_TARGET_FACT: "nd_output_target",
    IMPORTS_TONNES_FACT: "magnet_imports",
    IMPORTS_VALUE_FACT: "magnet_imports_value",
    CHINA_IMPORT_SHARE_FACT: "import_share",
    DEMAND_DOUBLING_FACT: "demand_growth_multiple",
    DEMAND_GROWTH_FACT: "demand_growth_rate",
}
# What the demand projection's inputs must count (scope, kind): the base is a requirement of
# rare-earth permanent magnets, its growth a growth of the same.
DEMAND_BASE_SCOPE = ("re_permanent_magnets", "requirement")
DEMAND_GROWTH_SCOPE = ("re_permanent_magnets", "growth")
SERIES_COLUMNS = [
    "figure_id",
    "package",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "months",
    "imports_t",
    "qualifier",
    "citation",
]


def model_fact(fact_id: str, facts: pd.DataFrame) -> pd.Series:
    """Return the fact a model reads, refused when it does not count what the model needs.

    Raises DataValidationError naming the fact, the metric it has and the one required.
    """
    row = fact(fact_id, facts)
    required = REQUIRED_METRICS[fact_id]
    if row["metric"] != required:
        raise DataValidationError(
            [
                Problem(
                    "data/facts.csv",
                    int(row[LINE_COLUMN]),
                    "metric",
                    f"fact {fact_id!r} counts {row['metric']!r}, but "
                    f"the model needs {required!r} there",
                    row_id=fact_id,
                )
            ]
        )
    return row


@dataclass(frozen=True)
class MagnetTarget:
    """The national magnet target: ``output_t_per_yr`` by ``target_year``, set in ``start_year``."""

    output_t_per_yr: float
    start_year: int
    target_year: int
    fact_id: str
    source_id: str


# What IREL's figures must count where the neodymium gap reads them: neodymium metal (the
# element's mass, what a magnet's neodymium share counts), converted where data/conversions.csv
# declares how (NdPr oxide; neodymium of a form not stated).
IREL_SUPPLY_SCOPE = "neodymium_metal"


@dataclass(frozen=True)
class IrelSupply:
    """IREL's neodymium as the documents state and plan it, in t/yr of neodymium metal.

    Today's capacity as a range (``capacity_low``/``capacity_high``), the plan for
    ``plan_year`` and the target for ``target_year``, each a range too once converted
    (``*_low``/``*_high``), with its fact id and the conversion in words
    (``capacity_words``, ``plan_words``: "converted from NdPr oxide at ...").
    """

    capacity_low_t_per_yr: float
    capacity_high_t_per_yr: float
    plan_year: int
    plan_low_t_per_yr: float
    plan_high_t_per_yr: float
    target_year: int
    target_low_t_per_yr: float
    target_high_t_per_yr: float
    capacity_words: str = ""
    plan_words: str = ""
    capacity_fact_id: str = IREL_ND_CAPACITY_FACT
    plan_fact_id: str = IREL_ND_PLAN_FACT
    target_fact_id: str = IREL_ND_TARGET_FACT
    target_source_id: str = ""

    @classmethod
    def from_facts(cls, facts: pd.DataFrame, package: Package) -> IrelSupply:
        """Return IREL's supply in neodymium metal; ScopeError for a figure that counts
        neither neodymium metal nor a scope with a declared conversion to it, or another kind
        (a capacity given as a target, say)."""
        capacity = model_fact(IREL_ND_CAPACITY_FACT, facts)
        plan, goal = model_fact(IREL_ND_PLAN_FACT, facts), model_fact(IREL_ND_TARGET_FACT, facts)
        cap = in_scope(capacity, IREL_SUPPLY_SCOPE, "capacity", package=package)
        planned = in_scope(plan, IREL_SUPPLY_SCOPE, "target", package=package)
        targeted = in_scope(goal, IREL_SUPPLY_SCOPE, "target", package=package)
        return cls(
            *_ends(cap),
            int(plan["period_end"].year),
            *_ends(planned),
            int(goal["period_end"].year),
            *_ends(targeted),
            cap.words,
            planned.words,
            target_source_id=str(goal["source_id"]),
        )


def _ends(figure) -> tuple[float, float]:
    """(low, high) of an ``InScope`` figure: its range, or its one value twice."""
    if figure.value is not None:
        return float(figure.value), float(figure.value)
    return float(figure.low), float(figure.high)


@dataclass(frozen=True)
class SchemeTerms:
    """The scheme's official terms (the Cabinet's later reference): the approval year, the
    capacity (t/yr) and its split, the duration and gestation (years), the earliest award year
    the record allows at its as-of date (``References.earliest_award_year``), the figure ids."""

    approval_year: int
    capacity_t_per_yr: float
    duration_years: int
    gestation_years: int
    beneficiaries: int
    capacity_per_beneficiary_t_per_yr: float
    earliest_award_year: (
        int  # the award's default: the earliest the record allows at its as-of date
    )
    figure_ids: tuple[str, ...] = (
        CAPACITY,
        DURATION,
        GESTATION,
        BENEFICIARIES,
        CAPACITY_PER_BENEFICIARY,
    )


@dataclass(frozen=True)
class CapacityInputs:
    """What the magnet ramp and the neodymium gap read: the target, IREL, the official terms;
    and the curated facts the capacity pages word (``facts``, looked up once by name)."""

    target: MagnetTarget
    irel: IrelSupply
    terms: SchemeTerms
    facts: NamedFacts

    @classmethod
    def from_data(
        cls, facts: pd.DataFrame, references: References, package: Package | None = None
    ) -> CapacityInputs:
        """Resolve the inputs from the facts table and the later references, once
        (``package``, default data/, gives the scopes IREL's figures are checked in)."""
        package = package or load_package()
        row = model_fact(MAGNET_TARGET_FACT, facts)
        target = MagnetTarget(
            float(row["value"]),
            int(row["period_start"].year),
            int(row["period_end"].year),
            MAGNET_TARGET_FACT,
            str(row["source_id"]),
        )
        irel = IrelSupply.from_facts(facts, package)
        cab = references.cabinet
        terms = SchemeTerms(
            references.approval_year(),
            cab.value(CAPACITY),
            int(cab.value(DURATION)),
            int(cab.value(GESTATION)),
            int(cab.value(BENEFICIARIES)),
            cab.value(CAPACITY_PER_BENEFICIARY),
            references.earliest_award_year(),
        )
        return cls(target, irel, terms, NamedFacts.from_facts(facts))


@dataclass(frozen=True)
class DemandBase:
    """Today's demand for rare-earth permanent magnets (t/yr) in ``year``: a reference figure
    that counts ``DEMAND_BASE_SCOPE``, as stated (``qualifier``: "approximately"), dated
    ``period`` ("26 Nov 2025"); ``figure`` names it ("<package>/<figure id>") and
    ``citation`` the page it was verified on."""

    demand_t: float
    year: int
    period: str
    qualifier: str
    figure: str
    citation: str

    @classmethod
    def from_reference(
        cls, pkg: ReferencePackage, figure_id: str, package: Package | None = None
    ) -> DemandBase:
        """Return the base from a reference figure; ScopeError when the figure does not count
        a requirement of rare-earth permanent magnets (the import tonnage, say)."""
        row = pkg.figure(figure_id)
        require_figure_scope(pkg.name, row, *DEMAND_BASE_SCOPE, package=package)
        day = pd.Timestamp(row["period_end"])
        return cls(
            float(row["value_base"]),
            day.year,
            f"{day.day} {day:%b %Y}",
            str(row["qualifier"]),
            f"{pkg.name}/{figure_id}",
            pkg.citation(figure_id),
        )


@dataclass(frozen=True)
class DemandDoubling:
    """A projection that demand will grow by ``multiple`` over ``years``, as ``period`` words
    it, from ``source`` (a fact id, or "<package>/<figure id>" for a reference figure)."""

    multiple: float
    years: float
    period: str
    source: str = DEMAND_DOUBLING_FACT

    @property
    def rate_pct_per_yr(self) -> float:
        """The compound annual growth (%/yr) it implies: (multiple ** (1 / years) - 1) * 100."""
        return (self.multiple ** (1 / self.years) - 1) * 100


def _cabinet_doubling(refs: References, package: Package) -> DemandDoubling:
    """The Cabinet's "consumption to double by 2030 from 2025", refused unless it counts
    ``DEMAND_GROWTH_SCOPE``."""
    row = refs.cabinet.figure(DOUBLING)
    require_figure_scope(refs.cabinet.name, row, *DEMAND_GROWTH_SCOPE, package=package)
    years = pd.Timestamp(row["period_end"]).year - pd.Timestamp(row["period_start"]).year
    return DemandDoubling(
        float(row["value"]), float(years), str(row["period"]), f"{refs.cabinet.name}/{DOUBLING}"
    )


@dataclass(frozen=True, eq=False)
class ImportsInputs:
    """What the demand projection and the unit value read: the capacity inputs, the demand
    ``base`` and the projections of its growth (``doubling``, the articles'; ``cabinet_doubling``,
    the Cabinet's), the fact rows the pages word (import tonnage and value, China's share,
    "double within five years" and the curator's rate for it), and the official import
    series (``SERIES_COLUMNS``, oldest first)."""

    capacity: CapacityInputs
    base: DemandBase
    doubling: DemandDoubling
    cabinet_doubling: DemandDoubling
    imports_value: pd.Series
    imports_tonnes: pd.Series
    china_share: pd.Series
    doubling_fact: pd.Series
    growth_fact: pd.Series
    series: pd.DataFrame

    @classmethod
    def from_data(
        cls, facts: pd.DataFrame, references: References, package: Package | None = None
    ) -> ImportsInputs:
        """Resolve the inputs from the facts table and the later references, once
        (``package``, default data/, gives the scopes the demand inputs are checked in)."""
        package = package or load_package()
        doubling = model_fact(DEMAND_DOUBLING_FACT, facts)
        in_scope(doubling, *DEMAND_GROWTH_SCOPE, package=package)
        return cls(
            CapacityInputs.from_data(facts, references, package),
            DemandBase.from_reference(references.cabinet, REPM_REQUIREMENT, package),
            DemandDoubling(
                float(doubling["value"]),
                horizon_years(str(doubling["period"])),
                str(doubling["period"]),
            ),
            _cabinet_doubling(references, package),
            model_fact(IMPORTS_VALUE_FACT, facts),
            model_fact(IMPORTS_TONNES_FACT, facts),
            model_fact(CHINA_IMPORT_SHARE_FACT, facts),
            doubling,
            model_fact(DEMAND_GROWTH_FACT, facts),
            import_series(references),
        )


def _months(start: pd.Timestamp, end: pd.Timestamp) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def import_series(refs: References) -> pd.DataFrame:
    """Return India's permanent-magnet imports (world, tonnes) per period, oldest first.

    One row per figure of measure ``permanent_magnet_imports`` for India in the series
    and half-year packages. Columns (``SERIES_COLUMNS``): figure_id, package, period (as
    stated), period_type (fiscal_year | half_year), period_start, period_end, months (12
    or 6), imports_t (as stated, never annualised), qualifier, citation.
    """
    rows = []
    for pkg in (refs.series, refs.half_year):
        figures = pkg.figures
        own = figures[(figures["measure"] == IMPORTS_MEASURE) & (figures["subject"] == "India")]
        for row in own.to_dict("records"):
            rows.append(
                {
                    "figure_id": row["figure_id"],
                    "package": pkg.name,
                    "period": row["period"],
                    "period_type": row["period_type"],
                    "period_start": row["period_start"],
                    "period_end": row["period_end"],
                    "months": _months(row["period_start"], row["period_end"]),
                    "imports_t": float(row["value_base"]),
                    "qualifier": row["qualifier"],
                    "citation": pkg.citation(row["figure_id"]),
                }
            )
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    return frame.sort_values("period_start", kind="stable").reset_index(drop=True)


def irel_facts(facts: pd.DataFrame, package: Package | None = None) -> pd.DataFrame:
    """Return the IREL rows the capacity chart draws: capacity (both sources), 2024 production
    and exports to Japan, and the planned neodymium output, in the facts table's order, with
    ``counts``: what each figure counts, in words (its scope's label in data/scopes.csv), so
    that no chart puts two scopes on one axis."""
    package = package or load_package()
    capacity = facts_for("nd_production_capacity", "IREL", facts=facts)
    ids = [IREL_PRODUCTION_FACT, EXPORTS_JAPAN_FACT, IREL_ND_PLAN_FACT, IREL_ND_TARGET_FACT]
    rows = pd.concat([capacity, facts[facts["fact_id"].isin(ids)]], ignore_index=True)
    labels = dict(zip(package.scopes["scope"], package.scopes["label"], strict=True))
    rows["counts"] = [labels[fact_scope_kind(r, package)[0]] for _, r in rows.iterrows()]
    return rows


def reserves_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Return India's reserves-share and mining-share rows, then its reserves-rank rows."""
    ranks = facts_for("reserves_rank", "India", facts=facts)
    ids = [INDIA_RESERVES_SHARE_FACT, INDIA_MINING_SHARE_FACT]
    return pd.concat([facts[facts["fact_id"].isin(ids)], ranks], ignore_index=True)
