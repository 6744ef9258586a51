"""The USGS check's rows: one function per kind of claim, each giving both sides and a verdict.

Called by ``claims_check.claims_check`` with its context (the claims of each kind in
``CLAIM_KINDS`` with the interval each allows, the USGS reference, the reference year, the
thresholds). Numbers and codes only, in the columns of every check (``checks.COLUMNS``): each
row keeps in ``context`` the numbers its sentences need, and ``narrative.claims`` words them.
"""

from __future__ import annotations

import math

import pandas as pd

from magnet_watch.analysis.checks.verdicts import interval_verdict, rank_verdict
from magnet_watch.text.periods import period_in_words, same_period

ND_OXIDE = "Neodymium oxide"  # the oxide the import unit value is priced against (USGS prices)
# The note USGS gives a country whose output it estimates from China's reported imports.
VIA_CHINA_NOTE = "estimated from China's reported imports"

# The kinds of claim (metric, subject) the rows below read, each selected once per check.
CLAIM_KINDS = (
    ("reserves_rank", "India"),
    ("reserves_share", "India"),
    ("mining_share", "India"),
    ("mining_share", "China"),
    ("processing_share", "China"),
    ("re_production", "India"),
    ("re_production", "IREL"),
    ("magnet_imports", "India"),
    ("magnet_imports_value", "India"),
)
STATED = ("value", "low", "high", "unit", "qualifier")  # a claim as its document states it


def _verdict(reference: float, fact: dict, t) -> str:
    """The verdict on a reference figure against the interval the claim ``fact`` allows."""
    return interval_verdict(
        (fact["bound_low"], fact["bound_high"]), (reference, reference), t.close_fraction
    )


def _row(
    check_id: str,
    fact: dict,
    ctx,
    reference: float,
    unit: str,
    period: str,
    comparison: str,
    verdict: str,
    context: dict,
) -> dict:
    """One row of the check: the claim (its bounds in the reference's unit), the reference
    figure (a point), the verdict, and in ``context`` the claim as stated and what the words
    need."""
    value = float(fact["value"]) if pd.notna(fact["value"]) else float("nan")
    return {
        "check_id": check_id,
        "fact_id": str(fact["fact_id"]),
        "claim_value": value,
        "claim_low": float(fact["bound_low"]),
        "claim_high": float(fact["bound_high"]),
        "claim_unit": str(fact["unit"]),
        "claim_period": str(fact["period"]),
        "claim_source_id": str(fact["source_id"]),
        "reference_value": reference,
        "reference_low": reference,
        "reference_high": reference,
        "reference_unit": unit,
        "reference_period": period,
        "reference_package": ctx.reference_source,
        "reference_figure_ids": [],
        "comparison": comparison,
        "verdict": verdict,
        "context": {
            "metric": str(fact["metric"]),
            "subject": fact["subject"],
            "claims": [{k: fact[k] for k in STATED}],
            "claim_qualifier": str(fact["qualifier"]),
            "claim_periods": [fact["period"]],
            "claim_source_ids": [str(fact["source_id"])],
            "quotes": [fact["quote"]],
            **context,
        },
    }


def _not_available(figure: dict, ctx) -> dict:
    """What the words need when the edition prints no figure: its name, status and footnote."""
    if pd.notna(figure["value_t_reo"]):
        return {}
    return {"not_available": ctx.usgs.origin["name"], "footnote": figure["note"]}


def reserves_rank_rows(ctx) -> list[dict]:
    india = ctx.usgs.country_figure("India", "reserves")
    missing = sum(
        1
        for f in ctx.usgs.figures("reserves")
        if f["row_kind"] == "country" and math.isnan(f["value_t_reo"])
    )
    context = {
        "country": "India",
        "reserves_t": india["value_t_reo"],
        "ahead": [] if pd.isna(india["rank"]) else ctx.reserves_ahead_of("India"),
        "missing": missing,
        **_not_available(india, ctx),
    }
    out = []
    for fact in ctx.claims("reserves_rank", "India"):
        rank = float("nan") if pd.isna(india["rank"]) else int(india["rank"])
        verdict = (
            "not comparable"
            if pd.isna(india["rank"])
            else rank_verdict(rank, int(fact["value"]), ctx.t.close_rank_difference)
        )
        out.append(
            _row(
                "reserves_rank",
                fact,
                ctx,
                float(rank),
                "rank",
                ctx.usgs.origin["reserves_period"],
                "same measure",
                verdict,
                context,
            )
        )
    return out


def share_rows(ctx, metric: str, subject: str, measure: str, country: str) -> list[dict]:
    year = ctx.year if measure == "mine_production" else None
    ref = ctx.usgs.country_figure(country, measure, year)
    share = float(ref["share_pct"])
    context = {
        "country": country,
        "measure": measure,
        "year": year,
        "country_t": ref["value_t_reo"],
        "world_t": ref["world_total_t_reo"],
        "world_qualifier": ref["world_qualifier"],
        **_not_available(ref, ctx),
    }
    period = str(year) if year else ctx.usgs.origin["reserves_period"]
    return [
        _row(
            "share",
            fact,
            ctx,
            share,
            "pct",
            period,
            "same measure",
            "not comparable" if pd.isna(share) else _verdict(share, fact, ctx.t),
            context,
        )
        for fact in ctx.claims(metric, subject)
    ]


def processing_vs_mining_rows(ctx) -> list[dict]:
    china = ctx.usgs.country_figure("China", "mine_production", ctx.year)
    share = float(china["share_pct"])
    via_china = [
        f for f in ctx.usgs.figures("mine_production", ctx.year) if VIA_CHINA_NOTE in f["note"]
    ]
    context = {
        "year": ctx.year,
        "china_t": china["value_t_reo"],
        "world_t": china["world_total_t_reo"],
        "via_china_pct": float(sum(f["share_pct"] for f in via_china)),
        "via_china": [f["country"] for f in via_china],
    }
    return [
        _row(
            "processing_vs_mining",
            fact,
            ctx,
            share,
            "pct",
            str(ctx.year),
            "different measure",
            "not comparable",
            context,
        )
        for fact in ctx.claims("processing_share", "China")
    ]


def _india_mine_production(ctx) -> float:
    """Return USGS's India mine production (t REO) in the reference year."""
    return float(ctx.usgs.country_figure("India", "mine_production", ctx.year)["value_t_reo"])


def company_vs_national_rows(ctx) -> list[dict]:
    national = _india_mine_production(ctx)
    return [
        _row(
            "company_vs_national",
            fact,
            ctx,
            national,
            "t",
            str(ctx.year),
            "different definition",
            _verdict(national, fact, ctx.t),
            {"year": ctx.year},
        )
        for fact in ctx.claims("re_production", "IREL")
    ]


def national_production_rows(ctx) -> list[dict]:
    national = _india_mine_production(ctx)
    return [
        _row(
            "national_production",
            fact,
            ctx,
            national,
            "t",
            str(ctx.year),
            "same measure",
            _verdict(national, fact, ctx.t),
            {"year": ctx.year},
        )
        for fact in ctx.claims("re_production", "India")
    ]


def import_unit_value_rows(ctx) -> list[dict]:
    nd_price = ctx.usgs.oxide_price_usd_per_kg(ND_OXIDE, ctx.year)  # the year has prices: checked
    floor = ctx.t.nd_mass_fraction * nd_price
    out = []
    for mass in ctx.claims("magnet_imports", "India"):
        for money in ctx.claims("magnet_imports_value", "India"):
            if pd.isna(mass["value"]) or pd.isna(money["value"]):
                continue  # a range on either side would need its own interval; none is curated
            unit_value = float(money["value"]) / (float(mass["value"]) * 1000)
            # Dollars of one period over tonnes of another are no price of either: compared
            # with the floor only when both count the same period. A floor is the interval
            # [floor, inf): at or above it agrees.
            one_period = same_period(money, mass)
            verdict = (
                interval_verdict((floor, math.inf), (unit_value, unit_value), ctx.t.close_fraction)
                if one_period
                else "not comparable"
            )
            row = _row(
                "import_unit_value",
                money,
                ctx,
                floor,
                "USD/kg",
                str(ctx.year),
                "different definition" if one_period else "different period",
                verdict,
                {
                    "year": ctx.year,
                    "nd_price_usd_per_kg": nd_price,
                    "nd_mass_fraction": ctx.t.nd_mass_fraction,
                    "unit_value": unit_value,
                    "same_period": one_period,
                    "value_period": period_in_words(money),
                    "tonnes_period": period_in_words(mass),
                },
            )
            c = row["context"]
            c["claims"] += [{k: mass[k] for k in STATED}]
            c["claim_periods"] += [mass["period"]]
            c["claim_source_ids"] += [str(mass["source_id"])]
            c["quotes"] += [mass["quote"]]
            c["claim_qualifier"] = "derived"
            row.update(
                {
                    "fact_id": f"{money['fact_id']} / {mass['fact_id']}",
                    "claim_value": unit_value,
                    "claim_low": unit_value,
                    "claim_high": unit_value,
                    "claim_unit": "USD/kg",
                    "claim_period": f"{money['period']} / {mass['period']}",
                    "claim_source_id": f"{money['source_id']} / {mass['source_id']}",
                    "reference_high": math.inf,
                }
            )
            out.append(row)
    return out
