"""The claims check in words: each row's label, sides, definitions and reason (``claims_words``),
the verdicts' summary, the headline table, the reader's table, the findings of its charts, and
the reference's caption from its origin record.

``analysis.checks.claims_check`` gives numbers and verdict codes only; every sentence about a
claim and its USGS figure is written here, from the numbers each row keeps in ``context``.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.checks.claims_check import short_citation, verdict_counts
from magnet_watch.data.lookups import format_quantity, source_label
from magnet_watch.narrative.headlines import HEADLINE_COLUMNS
from magnet_watch.text import formats as fmt
from magnet_watch.text.numbers import ORDINAL_WORDS

# Where a reference figure lies against the interval a claim allows, by numeric verdict.
VERDICT_POSITION = {"agree": "inside", "close": "just outside", "disagree": "well outside"}
# The worded table: the check's numbers with the words of each row, in the reader's order.
WORDED_COLUMNS = [
    "check",
    "fact_id",
    "metric",
    "subject",
    "claim",
    "claim_qualifier",
    "claim_period",
    "claim_source_id",
    "claim_source",
    "quote",
    "claim_low",
    "claim_high",
    "reference_value",
    "reference",
    "reference_unit",
    "reference_period",
    "reference_basis",
    "reference_source",
    "comparison",
    "definition_note",
    "verdict",
    "reason",
    "claim_source_ids",
]


def share_text(value: float) -> str:
    """Return a share in percent as text: two decimals below 1% ("0.74%"), else one ("69.2%")."""
    return fmt.percent(value)


def _ordinal(rank: int) -> str:
    return ORDINAL_WORDS.get(rank, f"{rank}th")


def _not_available(r: dict, c: dict, check: str, what: str) -> dict:
    """The words of a claim the edition cannot test: it prints the figure as not available."""
    footnote = f" (footnote: {c['footnote']})" if c["footnote"] else ""
    return {
        "check": check,
        "reference": "not available",
        "reference_basis": f"{c['not_available']} lists {c['country']}'s reserves as not available",
        "definition_note": f"{c['not_available']} prints no reserves figure for {c['country']}"
        f"{footnote}.",
        "reason": f"{c['not_available']} lists {c['country']}'s reserves as not available, so {what} "
        "cannot be computed from it: the claim is neither confirmed nor contradicted.",
    }


def _reserves_rank(r: dict, c: dict, claim: str) -> dict:
    if "not_available" in c:
        return _not_available(r, c, "India's rank by reserves", "its rank")
    rank = int(r["reference_value"])
    same = "the same as" if r["verdict"] == "agree" else "against"
    return {
        "check": "India's rank by reserves",
        "reference": f"rank {rank}",
        "reference_basis": f"India {fmt.tonnes(c['reserves_t'])} REO of reserves, behind "
        f"{', '.join(c['ahead'])}",
        "definition_note": f"Ranked among the countries USGS gives reserves for; {c['missing']} "
        "listed producers have reserves 'not available'.",
        "reason": (
            f"USGS ranks India {_ordinal(rank)} by reserves ({fmt.tonnes(c['reserves_t'])} REO), "
            f"{same} the claimed {_ordinal(int(r['claim_value']))}, among countries with a "
            "reserves figure."
        ),
    }


def _share(r: dict, c: dict, claim: str) -> dict:
    if "not_available" in c:
        return _not_available(r, c, f"{c['subject']}'s share of world reserves", "a share")
    year, share = c["year"], r["reference_value"]
    what = "mine production" if c["measure"] == "mine_production" else "reserves"
    when = f" in {year}" if year else ""
    bound = (
        " (at most: the world total is 'more than')" if c["world_qualifier"] == "more than" else ""
    )
    period = c["claim_periods"][0]
    period_note = (
        f" The claim is dated {period}; the reference year is {year}."
        if c["measure"] == "mine_production" and str(period)[:4] != str(year)
        else ""
    )
    allowed = fmt.percent_range(r["claim_low"], r["claim_high"])
    return {
        "check": f"{c['subject']}'s share of world {what}",
        "reference": share_text(share) + bound,
        "reference_basis": f"{c['country']} {fmt.tonnes(c['country_t'])} of {c['world_qualifier']} "
        f"world total {fmt.tonnes(c['world_t'])} REO{when}",
        "definition_note": f"Share of world {what} in tonnes of rare-earth oxide (REO), not of "
        f"processing or of magnet making.{period_note}",
        "reason": (
            f"USGS puts {c['country']} at {share_text(share)} of world {what}{when}{bound}, "
            f"{VERDICT_POSITION[r['verdict']]} the {allowed} that '{claim}' allows."
        ),
    }


def _processing_vs_mining(r: dict, c: dict, claim: str) -> dict:
    share, year = r["reference_value"], c["year"]
    return {
        "check": "China's share of world processing",
        "reference": f"{share_text(share)} of mining",
        "reference_basis": f"China {fmt.tonnes(c['china_t'])} of {fmt.tonnes(c['world_t'])} "
        f"REO mined in {year}; USGS gives no processing share",
        "definition_note": "A share of processing is not a share of mining: China also refines "
        "ore mined elsewhere.",
        "reason": (
            f"USGS gives China {share_text(share)} of world mining in {year} but no "
            f"processing share, and estimates another {share_text(c['via_china_pct'])} of "
            f"world output ({', '.join(c['via_china'])}) from China's reported imports, so "
            f"a processing share of '{claim}' is neither confirmed nor contradicted."
        ),
    }


def _national_basis(year: int) -> str:
    return f"USGS estimate of India's mine production in {year}, t REO"


def _company_vs_national(r: dict, c: dict, claim: str) -> dict:
    national, year, period = r["reference_value"], c["year"], c["claim_periods"][0]
    same = "the same figure as" if r["verdict"] == "agree" else "against"
    period_note = (
        f" The claim is for {period}; the reference year is {year}."
        if str(period) != str(year)
        else ""
    )
    return {
        "check": "IREL's production against India's national output",
        "reference": f"{fmt.tonnes(national)} REO (all of India)",
        "reference_basis": _national_basis(year),
        "definition_note": "A national estimate is not one company's output, and the article does "
        "not say whether its tonnes are oxide (REO) or concentrate." + period_note,
        "reason": (
            f"USGS estimates {fmt.tonnes(national)} REO for all of India in {year}, {same} "
            f"IREL's claimed {claim}: the documents say only IREL may mine "
            "rare earths in India, but a company figure identical to the national estimate "
            "suggests the article reports the national figure."
        ),
    }


def _national_production(r: dict, c: dict, claim: str) -> dict:
    national, year = r["reference_value"], c["year"]
    return {
        "check": "India's rare-earth production",
        "reference": f"{fmt.tonnes(national)} REO",
        "reference_basis": _national_basis(year),
        "definition_note": "USGS counts mine output in tonnes of rare-earth oxide (REO); the "
        "document does not say oxide or concentrate.",
        "reason": (
            f"USGS estimates {fmt.tonnes(national)} REO for India in {year}, "
            f"{VERDICT_POSITION[r['verdict']]} the "
            f"{fmt.tonnes_range(r['claim_low'], r['claim_high'])} that '{claim}' allows."
        ),
    }


def _import_unit_value(r: dict, c: dict, claim: str) -> dict:
    unit_value, floor, year = c["unit_value"], r["reference_value"], c["year"]
    agree = r["verdict"] == "agree"
    money, mass = (format_quantity(f) for f in c["claims"])
    dollars, tonnes = c["value_period"], c["tonnes_period"]
    floor_words = (
        f"the {fmt.usd_per_kg(floor)} that the neodymium in a kilogram of magnet would cost "
        f"as oxide alone in {year}"
    )
    if c["same_period"]:
        periods = f"Both count {dollars}, but tonnes of magnets and dollars of an import value "
        reason = (
            f"The implied {fmt.usd_per_kg(unit_value)} is {'above' if agree else 'below'} "
            f"{floor_words}, so "
            + (
                "the two figures can describe the same goods."
                if agree
                else "the tonnes and the dollars cannot describe the same goods."
            )
        )
    else:
        periods = (
            f"The dollars count {dollars}, the tonnes {tonnes}: dollars of one period "
            "divided by tonnes of another are no price of either; and tonnes of magnets "
            "and dollars of an import value "
        )
        reason = (
            f"The dollars ({money}, {dollars}) and the tonnes ({mass}, {tonnes}) count "
            f"different periods, so their quotient, {fmt.usd_per_kg(unit_value)}, is not a unit "
            f"value and is not compared with {floor_words}."
        )
    return {
        "check": "Implied import unit value against the neodymium oxide price",
        "claim": f"{fmt.usd_per_kg(unit_value)} ({money} / {mass})",
        "reference": f"at least {fmt.usd_per_kg(floor)}",
        "reference_basis": f"neodymium oxide {fmt.usd_per_kg(c['nd_price_usd_per_kg'])} in {year} × "
        f"{c['nd_mass_fraction']:.3f} kg neodymium per kg of NdFeB magnet",
        "definition_note": periods + "may count different goods; an oxide price is per kg of "
        "oxide, not of magnet.",
        "reason": reason,
    }


WORDS = {
    "reserves_rank": _reserves_rank,
    "share": _share,
    "processing_vs_mining": _processing_vs_mining,
    "company_vs_national": _company_vs_national,
    "national_production": _national_production,
    "import_unit_value": _import_unit_value,
}


def claims_words(table: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Return the USGS check's ``table`` (numbers and verdicts) with the words of each row, in
    ``WORDED_COLUMNS``: check, claim (as written), claim_source (publisher and date, from
    ``sources``), quote, reference (as text), reference_basis, reference_source,
    definition_note and reason (one sentence), beside the numbers."""
    labels: dict[str, str] = {}

    def label(source_id: str) -> str:  # once per source and table
        if source_id not in labels:
            labels[source_id] = source_label(source_id, sources)
        return labels[source_id]

    rows = []
    for r in table.to_dict("records"):
        c = r["context"]
        claim = format_quantity(c["claims"][0])
        words = {"claim": claim, **WORDS[r["check_id"]](r, c, claim)}
        rows.append(
            {
                **r,
                **words,
                "metric": c["metric"],
                "subject": c["subject"],
                "claim_qualifier": c["claim_qualifier"],
                "claim_source": " / ".join(label(s) for s in c["claim_source_ids"]),
                "quote": " / ".join(c["quotes"]),
                "reference_source": r["reference_package"],
                "claim_source_ids": c["claim_source_ids"],
            }
        )
    frame = pd.DataFrame(rows, columns=WORDED_COLUMNS)
    frame["verdict"] = table["verdict"].reset_index(drop=True)
    return frame


def reference_caption(record: dict) -> str:
    """Return one line naming a reference (``data.reference.origin()``): producer, publication,
    date, URL."""
    return f"Reference: {record['citation']}, {record['urls'][0]}."


def reference_table_caption(record: dict) -> str:
    """Return the claims table's caption: "Claims in the documents against USGS Mineral
    Commodity Summaries 2025" (the producer's abbreviation and the publication's title)."""
    abbreviation = short_citation(record).split()[0]
    return f"Claims in the documents against {abbreviation} {record['publication'].split(',')[0]}"


def verdict_counts_text(table: pd.DataFrame) -> str:
    """Return the verdict counts as "4 agree, 1 close, ..." (verdicts with no claim left out)."""
    return ", ".join(f"{n} {v}" for v, n in verdict_counts(table).items() if n)


def verdict_summary(table: pd.DataFrame, reference_year: int) -> str:
    """Return a Markdown paragraph summarising the verdicts, computed from ``table``."""
    lines = [
        f"Of {len(table)} claims the USGS reference ({reference_year}) can test: "
        + verdict_counts_text(table)
        + "."
    ]
    for row in table.itertuples():
        lines.append(
            f"- **{row.check}** ({row.claim_source}): *{row.claim}* vs "
            f"USGS *{row.reference}*: **{row.verdict}**. {row.reason}"
        )
    return "\n".join(lines)


def verdicts_title(table: pd.DataFrame) -> str:
    """Return the verdict chart's finding: how many claims got each verdict."""
    return f"Of {len(table)} claims USGS can test: " + verdict_counts_text(table)


def claims_headlines(table: pd.DataFrame, *, for_readers: bool = False) -> pd.DataFrame:
    """Return the headline table (figure, value, period, source) of the claims check.

    The notebook's record names each claim by its fact id (two sources' claims of one check
    differ by it); ``for_readers`` names it by its source's publisher and date instead, as the
    explorers draw their headlines on the page."""
    rows = []
    for row in table.itertuples():
        which = f" ({row.claim_source})" if for_readers else f": {row.fact_id}"
        claimed_by = row.claim_source if for_readers else row.claim_source_id
        rows.append(
            {
                "figure": f"{row.check}{which}",
                "value": f"claim {row.claim}; USGS {row.reference}; {row.verdict}",
                "period": f"{row.claim_period} vs {row.reference_period}",
                "source": f"{claimed_by} vs {row.reference_source}",
            }
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def claims_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the claims check as a reader's table: both sides, their sources, verdict, reason."""
    frame = pd.DataFrame(
        {
            "Check": table["check"],
            "Claim": table["claim"],
            "Claim source": table["claim_source"] + " (" + table["claim_period"].astype(str) + ")",
            "Reference": table["reference"],
            "Reference source": table["reference_source"] + " (" + table["reference_period"] + ")",
            "Verdict": table["verdict"].astype(str),
            "Why": table["reason"],
            "Definitions": table["definition_note"],
        }
    )
    return frame.reset_index(drop=True)


def world_shares_title(
    india_reserves_pct: float, india_production_pct: float, year: int, edition: str
) -> str:
    """Return the world-shares chart's finding: India's share of reserves against mining, or,
    when ``edition`` (its short name) prints India's reserves as not available, that instead."""
    mined = f"mined {share_text(india_production_pct)} in {year}"
    if pd.isna(india_reserves_pct):
        return f"{edition} lists India's reserves as not available; India {mined}"
    return f"India holds {share_text(india_reserves_pct)} of world rare-earth reserves but {mined}"


def world_shares_note(world_reserves_t: float, missing: list[str]) -> str:
    """Return what the world-shares chart's shares are, and are not: the reserves total (a
    lower bound, ``world_reserves_t``) and the countries whose reserves are not available."""
    return (
        "Shares of the USGS world total in tonnes of rare-earth oxide (REO): mining, not "
        f"processing or magnets. Reserves total is 'more than {world_reserves_t:,.0f} t', so "
        "reserve shares are upper bounds; reserves 'not available' in the edition (shown in "
        f"words, no bar): {', '.join(missing)}."
    )


def india_shares_title(reserves_text: str, production_text: str, ratio: float, edition: str) -> str:
    """Return the India chart's finding: its reserves share as a multiple of its mining share;
    when ``edition`` prints India's reserves as not available, why no share can be computed."""
    if pd.isna(ratio):
        return (
            f"{edition} lists India's reserves as not available: no share of world reserves; "
            f"India's share of mine production is {production_text}"
        )
    return (
        f"India's share of world reserves ({reserves_text}) is about "
        f"{fmt.ratio_number(ratio)} times its share of mine production ({production_text})"
    )
