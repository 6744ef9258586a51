"""Check the articles' claims against the references published after them, one verdict per pair.

The references are the bundle of ``magnet_watch.data.later_references``:
the scheme's terms as the Union Cabinet approved them (26 November 2025), India's
import series of permanent magnets FY2020-21 to FY2024-25 and the April-September
2025 half year. ``reference_check`` pairs each claim of the seed articles (read from
the facts table by metric and subject, so every curated claim of a kind is tested)
with the reference figure it speaks to, and gives the same verdicts as the USGS check
(``verdicts.VERDICTS``, by ``verdicts.interval_verdict``): agree, close, disagree, not comparable.

Numbers only: the sentences that explain each verdict are in
``magnet_watch.narrative.reference_check``. Each row keeps, in ``context``, the
numbers those sentences need (the converted value, the rate used, the unit value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.checks.claims_check import Thresholds
from magnet_watch.analysis.checks.claims_rows import ND_OXIDE
from magnet_watch.analysis.checks.verdicts import COLUMNS, VERDICTS, interval_verdict
from magnet_watch.analysis.official_terms import check_award_year
from magnet_watch.analysis.units import convert
from magnet_watch.data.later_references import (
    CAPACITY,
    CHINA_SHARE_FY2025,
    DOUBLING,
    DURATION,
    GESTATION,
    IMPORTS_FY2025,
    IMPORTS_VALUE_FY2025,
    OUTLAY,
    REPM_REQUIREMENT,
    References,
)
from magnet_watch.data.lookups import bounded_claims
from magnet_watch.data.reference import rounding_half_unit
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.data.schema import LINE_COLUMN
from magnet_watch.data.usgs import oxide_price_usd_per_kg
from magnet_watch.errors import DataValidationError, ParameterError, Problem
from magnet_watch.text.periods import same_period

# (check id, claim metric, subject, counterpart, unit): one row per curated claim of each.
CHECKS = (
    ("outlay", "scheme_outlay", "India", None, "INR"),
    ("capacity_clock", "magnet_production_target", "India", None, "t/yr"),
    ("demand_doubling", "demand_growth_multiple", "India", None, "ratio"),
    ("imports_tonnes", "magnet_imports", "India", None, "t"),
    ("china_share", "import_share", "India", "China", "pct"),
    ("imports_value", "magnet_imports_value", "India", None, "USD"),
    ("imports_scope", "magnet_imports", "India", None, "t"),
)


def _figure(pkg: ReferencePackage, figure_id: str) -> dict:
    """A reference figure's value and interval in its base unit, with its period."""
    row = pkg.figure(figure_id)
    factor = float(row["value_base"]) / float(row["value"]) if row["value"] else 1.0
    return {
        "value": float(row["value_base"]),
        "low": float(row["low"]) * factor,
        "high": float(row["high"]) * factor,
        "unit": str(row["base_unit"]),
        "period": str(row["period"]),
    }


def _claim_interval(fact: dict) -> tuple[float, float]:
    """The interval a claim allows: its bounds, widened by its own rounding when a single value."""
    low, high = float(fact["bound_low"]), float(fact["bound_high"])
    if pd.notna(fact["value"]) and str(fact["qualifier"]) == "stated":
        half = rounding_half_unit(float(fact["value"]))
        return low - half, high + half
    return low, high


def _row(
    check_id: str,
    fact: dict,
    ref: dict,
    package: ReferencePackage,
    figure_ids: list[str],
    comparison: str,
    verdict: str,
    context: dict | None = None,
) -> dict:
    low, high = _claim_interval(fact)
    return {
        "check_id": check_id,
        "fact_id": str(fact["fact_id"]),
        "claim_value": float(fact["value"]) if pd.notna(fact["value"]) else float("nan"),
        "claim_low": low,
        "claim_high": high,
        "claim_unit": str(fact["unit"]),
        "claim_period": str(fact["period"]),
        "claim_source_id": str(fact["source_id"]),
        "reference_value": ref["value"],
        "reference_low": ref["low"],
        "reference_high": ref["high"],
        "reference_unit": ref["unit"],
        "reference_period": ref["period"],
        "reference_package": package.name,
        "reference_figure_ids": list(figure_ids),
        "comparison": comparison,
        "verdict": verdict,
        "context": context or {},
    }


@dataclass
class _Context:
    claims_by_kind: dict[tuple[str, str], list[dict]]  # bounded_claims of CHECKS' kinds
    refs: References
    prices: pd.DataFrame
    reference_year: int
    inr_per_usd: float
    award_year: int
    t: Thresholds

    def claims(self, metric: str, subject: str, counterpart: str | None, unit: str) -> list[dict]:
        """The claims of ``metric`` about ``subject`` in ``unit`` (and about ``counterpart``,
        unless None), each with the interval it allows."""
        return [
            fact
            for fact in self.claims_by_kind[(metric, subject)]
            if str(fact["unit"]) == unit
            and (
                counterpart is None
                or (pd.notna(fact["counterpart"]) and fact["counterpart"] == counterpart)
            )
        ]


# A claim about one of these periods is compared only with a figure of that same period.
YEAR_PERIODS = ("calendar_year", "fiscal_year")


def same_period_figure(pkg: ReferencePackage, figure_id: str, fact: dict) -> str | None:
    """Return the figure to compare ``fact`` with: ``figure_id``, or for a claim about another
    year (calendar or fiscal), the package's figure of the same measure and subject for that
    year; None when it has none (a year is never compared with another year's figure)."""
    row = pkg.figure(figure_id)
    if str(fact["period_type"]) not in YEAR_PERIODS or str(fact["period"]) == str(row["period"]):
        return figure_id
    figures = pkg.figures
    same = figures[
        (figures["measure"] == row["measure"])
        & (figures["subject"] == row["subject"])
        & (figures["period"].astype(str) == str(fact["period"]))
        & (figures["period_type"].astype(str) == str(fact["period_type"]))
    ]
    return str(same["figure_id"].iloc[0]) if len(same) else None


def _same_measure(
    ctx: _Context, check_id: str, fact: dict, pkg: ReferencePackage, figure_id: str
) -> dict | None:
    figure_id = same_period_figure(pkg, figure_id, fact)
    if figure_id is None:
        return None  # the references hold no figure for the claim's year: nothing to test
    ref = _figure(pkg, figure_id)
    verdict = interval_verdict(
        _claim_interval(fact), (ref["low"], ref["high"]), ctx.t.close_fraction
    )
    return _row(check_id, fact, ref, pkg, [figure_id], "same measure", verdict)


def _capacity_clock(ctx: _Context, fact: dict) -> dict:
    pkg = ctx.refs.cabinet
    ref = _figure(pkg, CAPACITY)
    gestation = int(_figure(pkg, GESTATION)["value"])
    duration = int(_figure(pkg, DURATION)["value"])
    same_tonnes = interval_verdict(_claim_interval(fact), (ref["low"], ref["high"]), 0) == "agree"
    # The tonnes match; the clock does not: the articles count from the approval, the
    # scheme's seven years run from an award not yet made, two of them before any output.
    verdict = "close" if same_tonnes else "disagree"
    context = {
        "approval_year": ctx.refs.approval_year(),
        "award_year": ctx.award_year,
        "first_output_year": ctx.award_year + gestation,
        "scheme_end_year": ctx.award_year + duration,
        "claim_end": pd.Timestamp(fact["period_end"]),
        "gestation_years": gestation,
        "duration_years": duration,
    }
    return _row(
        "capacity_clock",
        fact,
        ref,
        pkg,
        [CAPACITY, DURATION, GESTATION],
        "same tonnes, different clock",
        verdict,
        context,
    )


def _demand_doubling(ctx: _Context, fact: dict) -> dict:
    pkg = ctx.refs.cabinet
    ref = _figure(pkg, DOUBLING)
    ref_end = int(pkg.figure(DOUBLING)["period_end"].year)
    claim_end = int(pd.Timestamp(fact["period_end"]).year)
    same_multiple = interval_verdict(_claim_interval(fact), (ref["low"], ref["high"]), 0) == "agree"
    years_apart = abs(ref_end - claim_end)
    verdict = (
        "disagree"
        if not same_multiple
        else ("agree" if years_apart == 0 else "close" if years_apart <= 1 else "disagree")
    )
    context = {"claim_end_year": claim_end, "reference_end_year": ref_end}
    return _row(
        "demand_doubling",
        fact,
        ref,
        pkg,
        [DOUBLING],
        "same multiple, same horizon" if years_apart == 0 else "same multiple, different horizon",
        verdict,
        context,
    )


def _imports_value(ctx: _Context, fact: dict) -> dict:
    pkg = ctx.refs.series
    ref = _figure(pkg, IMPORTS_VALUE_FY2025)
    usd = convert(ref["value"], "INR", "USD", inr_per_usd=ctx.inr_per_usd)
    context = {
        "reference_usd": usd,
        "inr_per_usd": ctx.inr_per_usd,
        "difference_pct": (usd / float(fact["value"]) - 1) * 100,
    }
    # Calendar 2025 "magnets and related materials" against FY2024-25 permanent magnets:
    # neither the period nor the goods are the same, so no verdict on the number.
    return _row(
        "imports_value",
        fact,
        ref,
        pkg,
        [IMPORTS_VALUE_FY2025],
        "different period and goods",
        "not comparable",
        context,
    )


def _require_one_period(pkg: ReferencePackage, value_id: str, tonnes_id: str) -> None:
    """Refuse a value and a tonnage of different periods: their quotient is no unit value.

    Raises DataValidationError naming the package's figures.csv, the value's line and both
    periods."""
    value, tonnes = pkg.figure(value_id), pkg.figure(tonnes_id)
    if not same_period(value, tonnes):
        raise DataValidationError(
            [
                Problem(
                    f"data/reference/{pkg.name}/figures.csv",
                    int(value[LINE_COLUMN]),
                    "period",
                    f"figure {value_id!r} counts {value['period']} but {tonnes_id!r} counts "
                    f"{tonnes['period']}: a value is divided by a tonnage only when both count the same "
                    "period",
                    row_id=value_id,
                )
            ]
        )


def scope_unit_value(
    refs: References,
    prices: pd.DataFrame,
    reference_year: int,
    inr_per_usd: float,
    nd_mass_fraction: float,
) -> dict:
    """Return the official series' unit value against the neodymium floor of an NdFeB magnet.

    Keys: inr_per_kg (FY2024-25 value / tonnes, rupees per kg of magnet), usd_per_kg (at
    ``inr_per_usd``), nd_price_usd_per_kg (USGS neodymium oxide, ``reference_year``),
    floor_usd_per_kg (nd_mass_fraction x that price: the oxide cost of the neodymium
    alone), break_even_inr_per_usd (the rate at which the unit value would reach the
    floor), repm_requirement_t_per_yr (the minister's figure) and tonnes_multiple (the
    series' tonnes over that requirement).
    """
    _require_one_period(refs.series, IMPORTS_VALUE_FY2025, IMPORTS_FY2025)
    tonnes = refs.series.value(IMPORTS_FY2025)
    inr_per_kg = refs.series.value(IMPORTS_VALUE_FY2025) / convert(tonnes, "t", "kg")
    nd_price = oxide_price_usd_per_kg(prices, ND_OXIDE, reference_year)
    if nd_price is None:
        raise ParameterError(
            f"parameter 'reference_year' = {reference_year!r}: the USGS "
            "reference has no neodymium oxide price for that year"
        )
    floor = nd_mass_fraction * nd_price
    requirement = refs.cabinet.value(REPM_REQUIREMENT)
    return {
        "inr_per_kg": inr_per_kg,
        "usd_per_kg": convert(inr_per_kg, "INR", "USD", inr_per_usd=inr_per_usd),
        "nd_price_usd_per_kg": nd_price,
        "floor_usd_per_kg": floor,
        "reference_year": reference_year,
        "nd_mass_fraction": nd_mass_fraction,
        "inr_per_usd": inr_per_usd,
        "break_even_inr_per_usd": inr_per_kg / floor,
        "repm_requirement_t_per_yr": requirement,
        "tonnes_multiple": tonnes / requirement,
    }


def _imports_scope(ctx: _Context, fact: dict) -> dict:
    pkg = ctx.refs.series
    scope = scope_unit_value(
        ctx.refs, ctx.prices, ctx.reference_year, ctx.inr_per_usd, ctx.t.nd_mass_fraction
    )
    unit_value, floor = scope["usd_per_kg"], scope["floor_usd_per_kg"]
    verdict = interval_verdict((floor, math.inf), (unit_value, unit_value), ctx.t.close_fraction)
    ref = {
        "value": unit_value,
        "low": unit_value,
        "high": unit_value,
        "unit": "USD/kg",
        "period": pkg.figure(IMPORTS_FY2025)["period"],
    }
    return _row(
        "imports_scope",
        fact,
        ref,
        pkg,
        [IMPORTS_VALUE_FY2025, IMPORTS_FY2025],
        "what the tonnes count",
        verdict,
        scope,
    )


def reference_check(
    facts: pd.DataFrame,
    refs: References,
    prices: pd.DataFrame,
    *,
    inr_per_usd: float,
    reference_year: int,
    award_year: int | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Return one row per claim the later references can test, with both sides and a verdict.

    ``facts``: the curated facts; ``refs``: the reference packages; ``prices``: the USGS
    oxide prices (``load_usgs_prices``) for the scope check in ``reference_year``;
    ``inr_per_usd``: the explicit rupees-per-dollar rate for every conversion;
    ``award_year``: when the scheme's clock starts (None: the earliest the record allows at
    the references' as-of date, ``References.earliest_award_year``).
    Columns (``COLUMNS``): check_id (the pair, see ``CHECKS``), fact_id, claim_value,
    claim_low/claim_high (the interval the claim allows, in claim_unit), claim_period,
    claim_source_id, reference_value/low/high (in reference_unit: INR, t/yr, ratio, t,
    pct, USD or USD/kg), reference_period, reference_package, reference_figure_ids (list),
    comparison, verdict (one of VERDICTS) and context (dict of the numbers behind it).
    """
    t = thresholds or Thresholds()
    kinds = [(metric, subject) for _, metric, subject, *_ in CHECKS]
    ctx = _Context(
        bounded_claims(kinds, facts, t.approx_tolerance),
        refs,
        prices,
        reference_year,
        inr_per_usd,
        check_award_year(award_year, refs.approval_year(), refs.earliest_award_year()),
        t,
    )
    handlers = {
        "outlay": lambda f: _same_measure(ctx, "outlay", f, refs.cabinet, OUTLAY),
        "capacity_clock": lambda f: _capacity_clock(ctx, f),
        "demand_doubling": lambda f: _demand_doubling(ctx, f),
        "imports_tonnes": lambda f: _same_measure(
            ctx, "imports_tonnes", f, refs.series, IMPORTS_FY2025
        ),
        "china_share": lambda f: _same_measure(
            ctx, "china_share", f, refs.series, CHINA_SHARE_FY2025
        ),
        "imports_value": lambda f: _imports_value(ctx, f),
        "imports_scope": lambda f: _imports_scope(ctx, f),
    }
    rows = [
        handlers[check_id](fact) for check_id, *selector in CHECKS for fact in ctx.claims(*selector)
    ]
    frame = pd.DataFrame([r for r in rows if r is not None], columns=COLUMNS)
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=list(VERDICTS))
    return frame
