"""The claims check's rows: one function per kind of claim, each giving both sides and a verdict.

Called by ``claims_check.claims_check`` with its context (the claims of each kind in
``CLAIM_KINDS`` with the interval each allows, the sources, the USGS reference, the
reference year, the thresholds); see that module for the verdicts.
"""

from __future__ import annotations

import math

import pandas as pd

from magnet_watch.analysis.checks.verdicts import interval_verdict, rank_verdict
from magnet_watch.data.lookups import format_quantity
from magnet_watch.text.numbers import ORDINAL_WORDS

RESERVES_PERIOD = "reserves, 2025 edition"  # USGS states reserves once per edition, not per year
ND_OXIDE = "Neodymium oxide"  # the oxide the import unit value is priced against (USGS prices)

# The kinds of claim (metric, subject) the rows below read, each selected once per check.
CLAIM_KINDS = (
    ("reserves_rank", "India"), ("reserves_share", "India"), ("mining_share", "India"),
    ("mining_share", "China"), ("processing_share", "China"), ("re_production", "India"),
    ("re_production", "IREL"), ("magnet_imports", "India"), ("magnet_imports_value", "India"),
)  # fmt: skip


# Where a reference figure lies against the interval a claim allows, by numeric verdict.
VERDICT_POSITION = {"agree": "inside", "close": "just outside", "disagree": "well outside"}


def _verdict(reference: float, fact: dict, t) -> str:
    """The verdict on a reference figure against the interval the claim ``fact`` allows."""
    return interval_verdict((fact["bound_low"], fact["bound_high"]), (reference, reference),
                            t.close_fraction)  # fmt: skip


def _ordinal(rank: int) -> str:
    return ORDINAL_WORDS.get(rank, f"{rank}th")


def share_text(value: float) -> str:
    """Return a share in percent as text: two decimals below 1% ("0.74%"), else one ("69.2%")."""
    return f"{value:.2f}%" if value < 1 else f"{value:.1f}%"


def _claim_row(fact: dict, ctx) -> dict:
    return {
        "fact_id": fact["fact_id"], "metric": str(fact["metric"]), "subject": fact["subject"], "claim": format_quantity(fact),
        "claim_qualifier": str(fact["qualifier"]), "claim_period": fact["period"], "claim_source_id": str(fact["source_id"]),
        "claim_source": ctx.source_label(str(fact["source_id"])), "quote": fact["quote"],
        "claim_low": float(fact["bound_low"]), "claim_high": float(fact["bound_high"]),
        "reference_source": ctx.reference_source, "claim_source_ids": [str(fact["source_id"])],
    }  # fmt: skip


def reserves_rank_rows(ctx) -> list[dict]:
    india = ctx.usgs.country_figure("India", "reserves")
    missing = sum(1 for f in ctx.usgs.figures("reserves")
                  if f["row_kind"] == "country" and math.isnan(f["value_t_reo"]))  # fmt: skip
    out = []
    for fact in ctx.claims("reserves_rank", "India"):
        rank = int(india["rank"])
        verdict = rank_verdict(rank, int(fact["value"]), ctx.t.close_rank_difference)
        out.append({
            **_claim_row(fact, ctx), "check": "India's rank by reserves",
            "reference_value": float(rank), "reference": f"rank {rank}", "reference_unit": "rank",
            "reference_period": RESERVES_PERIOD,
            "reference_basis": f"India {india['value_t_reo']:,.0f} t REO of reserves, behind "
                               f"{', '.join(ctx.reserves_ahead_of('India'))}",
            "comparison": "same measure",
            "definition_note": f"Ranked among the countries USGS gives reserves for; {missing} listed "
                               "producers have reserves 'not available'.",
            "verdict": verdict,
            "reason": (f"USGS ranks India {_ordinal(rank)} by reserves ({india['value_t_reo']:,.0f} t REO), "
                       f"{'the same as' if verdict == 'agree' else 'against'} the claimed "
                       f"{_ordinal(int(fact['value']))}, among countries with a reserves figure."),
        })  # fmt: skip
    return out


def share_rows(ctx, metric: str, subject: str, measure: str, country: str) -> list[dict]:
    year = ctx.year if measure == "mine_production" else None
    ref = ctx.usgs.country_figure(country, measure, year)
    share = float(ref["share_pct"])
    what = "mine production" if measure == "mine_production" else "reserves"
    when = f" in {year}" if year else ""
    bound = (
        " (at most: the world total is 'more than')"
        if ref["world_qualifier"] == "more than"
        else ""
    )
    out = []
    for fact in ctx.claims(metric, subject):
        verdict = _verdict(share, fact, ctx.t)
        allowed = f"{fact['bound_low']:.2f}%–{fact['bound_high']:.2f}%"
        relation = VERDICT_POSITION[verdict]
        period_note = ""
        if measure == "mine_production" and str(fact["period"])[:4] != str(year):
            period_note = f" The claim is dated {fact['period']}; the reference year is {year}."
        out.append({
            **_claim_row(fact, ctx), "check": f"{subject}'s share of world {what}",
            "reference_value": share, "reference": share_text(share) + bound, "reference_unit": "pct",
            "reference_period": str(year) if year else RESERVES_PERIOD,
            "reference_basis": f"{country} {ref['value_t_reo']:,.0f} t of {ref['world_qualifier']} "
                               f"world total {ref['world_total_t_reo']:,.0f} t REO{when}",
            "comparison": "same measure",
            "definition_note": f"Share of world {what} in tonnes of rare-earth oxide (REO), not of "
                               f"processing or of magnet making.{period_note}",
            "verdict": verdict,
            "reason": (f"USGS puts {country} at {share_text(share)} of world {what}{when}{bound}, "
                       f"{relation} the {allowed} that '{format_quantity(fact)}' allows."),
        })  # fmt: skip
    return out


def processing_vs_mining_rows(ctx) -> list[dict]:
    china = ctx.usgs.country_figure("China", "mine_production", ctx.year)
    share = float(china["share_pct"])
    via_china = [f for f in ctx.usgs.figures("mine_production", ctx.year)
                 if "estimated from China's reported imports" in f["note"]]  # fmt: skip
    via_share = float(sum(f["share_pct"] for f in via_china))
    out = []
    for fact in ctx.claims("processing_share", "China"):
        out.append({
            **_claim_row(fact, ctx), "check": "China's share of world processing",
            "reference_value": share, "reference": f"{share_text(share)} of mining", "reference_unit": "pct",
            "reference_period": str(ctx.year),
            "reference_basis": f"China {china['value_t_reo']:,.0f} t of {china['world_total_t_reo']:,.0f} t "
                               f"REO mined in {ctx.year}; USGS gives no processing share",
            "comparison": "different measure",
            "definition_note": "A share of processing is not a share of mining: China also refines "
                               "ore mined elsewhere.",
            "verdict": "not comparable",
            "reason": (f"USGS gives China {share_text(share)} of world mining in {ctx.year} but no processing "
                       f"share, and estimates another {share_text(via_share)} of world output "
                       f"({', '.join(f['country'] for f in via_china)}) from China's reported imports, so a "
                       f"processing share of '{format_quantity(fact)}' is neither confirmed nor "
                       "contradicted."),
        })  # fmt: skip
    return out


def _india_mine_production(ctx) -> tuple[float, dict]:
    """Return USGS's India mine production (t REO) in the reference year, and the
    reference fields every claim checked against it shares."""
    national = float(ctx.usgs.country_figure("India", "mine_production", ctx.year)["value_t_reo"])
    return national, {
        "reference_value": national, "reference_unit": "t", "reference_period": str(ctx.year),
        "reference_basis": f"USGS estimate of India's mine production in {ctx.year}, t REO",
    }  # fmt: skip


def company_vs_national_rows(ctx) -> list[dict]:
    national, reference = _india_mine_production(ctx)
    out = []
    for fact in ctx.claims("re_production", "IREL"):
        verdict = _verdict(national, fact, ctx.t)
        same = "the same figure as" if verdict == "agree" else "against"
        period_note = (f" The claim is for {fact['period']}; the reference year is {ctx.year}."
                       if str(fact["period"]) != str(ctx.year) else "")  # fmt: skip
        out.append({
            **_claim_row(fact, ctx), **reference,
            "check": "IREL's production against India's national output",
            "reference": f"{national:,.0f} t REO (all of India)",
            "comparison": "different definition",
            "definition_note": "A national estimate is not one company's output, and the article does "
                               "not say whether its tonnes are oxide (REO) or concentrate." + period_note,
            "verdict": verdict,
            "reason": (f"USGS estimates {national:,.0f} t REO for all of India in {ctx.year}, {same} "
                       f"IREL's claimed {format_quantity(fact)}: the documents say only IREL may mine "
                       "rare earths in India, but a company figure identical to the national estimate suggests the article "
                       "reports the national figure."),
        })  # fmt: skip
    return out


def national_production_rows(ctx) -> list[dict]:
    national, reference = _india_mine_production(ctx)
    out = []
    for fact in ctx.claims("re_production", "India"):
        verdict = _verdict(national, fact, ctx.t)
        relation = VERDICT_POSITION[verdict]
        out.append({
            **_claim_row(fact, ctx), **reference,
            "check": "India's rare-earth production", "reference": f"{national:,.0f} t REO",
            "comparison": "same measure",
            "definition_note": "USGS counts mine output in tonnes of rare-earth oxide (REO); the "
                               "document does not say oxide or concentrate.",
            "verdict": verdict,
            "reason": (f"USGS estimates {national:,.0f} t REO for India in {ctx.year}, {relation} the "
                       f"{fact['bound_low']:,.0f}–{fact['bound_high']:,.0f} t that "
                       f"'{format_quantity(fact)}' allows."),
        })  # fmt: skip
    return out


def import_unit_value_rows(ctx) -> list[dict]:
    nd_price = ctx.usgs.oxide_price_usd_per_kg(ND_OXIDE, ctx.year)  # the year has prices: checked
    floor = ctx.t.nd_mass_fraction * nd_price
    out = []
    for mass in ctx.claims("magnet_imports", "India"):
        for money in ctx.claims("magnet_imports_value", "India"):
            if pd.isna(mass["value"]) or pd.isna(money["value"]):
                continue  # a range on either side would need its own interval; none is curated
            unit_value = float(money["value"]) / (float(mass["value"]) * 1000)
            # A floor is the interval [floor, inf): at or above it agrees.
            verdict = interval_verdict((floor, math.inf), (unit_value, unit_value),
                                       ctx.t.close_fraction)  # fmt: skip
            relation = "above" if verdict == "agree" else "below"
            row = _claim_row(money, ctx)
            row.update({
                "check": "Implied import unit value against the neodymium oxide price",
                "fact_id": f"{money['fact_id']} / {mass['fact_id']}",
                "claim": f"${unit_value:,.2f}/kg ({format_quantity(money)} / {format_quantity(mass)})",
                "claim_qualifier": "derived",
                "claim_period": f"{money['period']} / {mass['period']}",
                "claim_source_id": f"{money['source_id']} / {mass['source_id']}",
                "claim_source_ids": [str(money["source_id"]), str(mass["source_id"])],
                "claim_source": f"{row['claim_source']} / {ctx.source_label(str(mass['source_id']))}",
                "quote": f"{money['quote']} / {mass['quote']}",
                "claim_low": unit_value, "claim_high": unit_value,
                "reference_value": floor,
                "reference": f"at least ${floor:,.2f}/kg",
                "reference_unit": "USD/kg", "reference_period": str(ctx.year),
                "reference_basis": f"neodymium oxide ${nd_price:,.0f}/kg in {ctx.year} × "
                                   f"{ctx.t.nd_mass_fraction:.3f} kg neodymium per kg of NdFeB magnet",
                "comparison": "different definition",
                "definition_note": "Tonnes of magnets (FY2024-25) and dollars of 'magnets and related "
                                   "materials' (calendar 2025) are different goods and periods; an "
                                   "oxide price is per kg of oxide, not of magnet.",
                "verdict": verdict,
                "reason": (f"The implied ${unit_value:,.2f}/kg is {relation} the ${floor:,.2f}/kg that "
                           f"the neodymium in a kilogram of magnet would cost as oxide alone in "
                           f"{ctx.year}, so "
                           + ("the two figures can describe the same goods."
                              if verdict == "agree" else
                              "the tonnes and the dollars cannot describe the same goods.")),
            })  # fmt: skip
            out.append(row)
    return out
