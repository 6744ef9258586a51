"""Words for the check of the articles' claims against the later references.

``analysis.checks.reference_check`` computes each pair's verdict and keeps the numbers behind
it in ``context``; this module says it: a label per pair, one sentence per verdict, a
reader's table, a Markdown summary and headline rows (``checked_claims_headlines``: notebook
05's, both checks). Reference figures are written as
their page states them (Rs crore stays Rs crore, a fiscal year stays a fiscal year).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.data.later_references import References
from magnet_watch.data.lookups import fact, format_quantity, source_label
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.narrative.claims import VERDICT_POSITION, claims_headlines
from magnet_watch.narrative.headlines import HEADLINE_COLUMNS
from magnet_watch.text import formats as fmt

LABELS = {
    "outlay": "Scheme outlay",
    "capacity_clock": "6,000 t within seven years: when does the clock start?",
    "demand_doubling": "Demand doubling",
    "imports_tonnes": "FY2024-25 magnet imports (tonnes)",
    "china_share": "Share of imports from China",
    "imports_value": "Value of magnet imports",
    "imports_scope": "Do the 53,748 t count only rare-earth magnets?",
}
UNIT_WORDS = {"t/yr": " t/yr", "t": " t", "pct": "%", "count": "", "year": " years", "ratio": "×"}


def figure_text(pkg: ReferencePackage, figure_id: str) -> str:
    """Return a reference figure as its page states it: "Rs 7,280 crore", "53,700 t", "93%"."""
    row = pkg.figure(figure_id)
    value, unit = float(row["value"]), str(row["unit"])
    number = f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    prefix = {"up to": "up to ", "approximately": "about "}.get(str(row["qualifier"]), "")
    if unit == "INR crore":
        return f"{prefix}Rs {number} crore"
    return f"{prefix}{number}{UNIT_WORDS.get(unit, ' ' + unit)}"


def _package(refs: References, name: str) -> ReferencePackage:
    return {p.name: p for p in (refs.cabinet, refs.series, refs.half_year)}[name]


def reference_text(row: dict, refs: References) -> str:
    """Return the reference side of one pair as text, from its figures (or the unit value)."""
    if row["check_id"] == "imports_scope":
        return f"${row['reference_value']:,.2f}/kg (Rs {row['context']['inr_per_kg']:,.0f}/kg)"
    pkg = _package(refs, row["reference_package"])
    first = row["reference_figure_ids"][0]
    text = figure_text(pkg, first)
    if row["check_id"] == "capacity_clock":
        c = row["context"]
        return (
            f"{text} over {c['duration_years']} years from the award, "
            f"{c['gestation_years']} of them before any output"
        )
    if row["check_id"] == "demand_doubling":
        return f"{text} by {row['context']['reference_end_year']} from 2025"
    if pkg.figure(first)["period_type"] == "scheme_term":
        return text
    return f"{text} ({row['reference_period']})"


def _reason_outlay(row: dict, refs: References, claim: str) -> str:
    return (
        f"The outlay, {fmt.rupees(row['reference_value'])}, is what the "
        f"articles' {claim} rounds to the nearest billion."
    )


def _reason_clock(row: dict, refs: References, claim: str) -> str:
    c = row["context"]
    return (
        f"The tonnes match, but the articles count seven years from the {c['approval_year']} "
        f"approval (to {c['claim_end']:%b %Y}) while the approved terms run seven years from "
        f"an award ({c['award_year']} assumed), with output only from {c['first_output_year']} "
        f"and the scheme ending in {c['scheme_end_year']}."
    )


def _reason_doubling(row: dict, refs: References, claim: str) -> str:
    c = row["context"]
    same = c["claim_end_year"] == c["reference_end_year"]
    return (
        f"Both double: five years from November 2025 end in {c['claim_end_year']}, "
        + ("the same year as" if same else "against")
        + f" the official "
        f"{c['reference_end_year']} (the official figure is consumption of rare-earth "
        "permanent magnets)."
    )


def _reason_tonnes(row: dict, refs: References, claim: str) -> str:
    compared = row["reference_figure_ids"][0]  # the figure of the claim's own year
    return (
        f"{claim} rounds to the official {figure_text(refs.series, compared)} for "
        f"{row['reference_period']}, but the official series counts permanent magnets of "
        "every kind, not only rare-earth ones."
    )


def _reason_share(row: dict, refs: References, claim: str) -> str:
    relation = VERDICT_POSITION[row["verdict"]]
    return (
        f"The official {figure_text(refs.series, 'china_share_fy2025')} by tonnes in "
        f"{row['reference_period']} is {relation} the articles' {claim}, which covers "
        f"magnets and related materials as of {row['claim_period']}."
    )


def _reason_value(row: dict, refs: References, claim: str) -> str:
    c = row["context"]
    return (
        f"At {c['inr_per_usd']:,.2f} rupees per dollar, "
        f"{figure_text(refs.series, 'imports_value_fy2025')} is about "
        f"${c['reference_usd'] / 1e6:,.0f} million ({c['difference_pct']:+.0f}% against "
        f"{claim}), but one is FY2024-25 permanent magnets and the other calendar 2025 "
        "magnets and related materials, so the gap neither confirms nor contradicts it."
    )


def _reason_scope(row: dict, refs: References, claim: str) -> str:
    c = row["context"]
    relation = "above" if row["verdict"] == "agree" else "far below"
    return (
        f"The official series is worth ${c['usd_per_kg']:,.2f}/kg, {relation} the "
        f"${c['floor_usd_per_kg']:,.2f}/kg that the neodymium alone in a kilogram of NdFeB "
        f"magnet cost as oxide in {c['reference_year']} (it would take a rate of "
        f"{c['break_even_inr_per_usd']:,.0f} rupees per dollar to reach it), and the tonnes "
        f"are {fmt.ratio(c['tonnes_multiple'])} the minister's "
        f"{c['repm_requirement_t_per_yr']:,.0f} t/yr requirement of rare-earth magnets: "
        "the 53,748 t count permanent magnets of every kind."
    )


REASONS = {
    "outlay": _reason_outlay,
    "capacity_clock": _reason_clock,
    "demand_doubling": _reason_doubling,
    "imports_tonnes": _reason_tonnes,
    "china_share": _reason_share,
    "imports_value": _reason_value,
    "imports_scope": _reason_scope,
}


def reason(row: dict, refs: References, facts: pd.DataFrame) -> str:
    """Return the one-sentence reason for one pair's verdict."""
    claim = f"'{format_quantity(fact(row['fact_id'], facts))}'"
    return REASONS[row["check_id"]](row, refs, claim)


def check_table(
    table: pd.DataFrame, refs: References, facts: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """Return the reader's table: pair, claim (with period and source, by publisher and date:
    ``sources``), reference, verdict, reason."""
    rows = []
    for row in table.to_dict("records"):
        claim = fact(row["fact_id"], facts)
        pkg = _package(refs, row["reference_package"])
        rows.append(
            {
                "pair": LABELS[row["check_id"]],
                "article claim": (
                    f"{format_quantity(claim)} ({row['claim_period']}; "
                    f"{source_label(row['claim_source_id'], sources)})"
                ),
                "later reference": reference_text(row, refs),
                "verdict": str(row["verdict"]),
                "reason": reason(row, refs, facts),
                "reference page": pkg.citation(row["reference_figure_ids"][0]),
            }
        )
    return pd.DataFrame(rows)


def check_summary(table: pd.DataFrame, refs: References, facts: pd.DataFrame) -> str:
    """Return a Markdown paragraph: verdict counts, then one line per pair."""
    counts = table["verdict"].value_counts()
    parts = [f"{int(counts[v])} {v}" for v in table["verdict"].cat.categories if counts.get(v, 0)]
    lines = [
        f"Of {len(table)} claims the references published after the articles can test: "
        + ", ".join(parts)
        + "."
    ]
    for row in table.to_dict("records"):
        lines.append(
            f"- **{LABELS[row['check_id']]}**: *{format_quantity(fact(row['fact_id'], facts))}* "
            f"vs *{reference_text(row, refs)}*: **{row['verdict']}**. "
            f"{reason(row, refs, facts)}"
        )
    return "\n".join(lines)


def check_headlines(
    table: pd.DataFrame,
    refs: References,
    facts: pd.DataFrame,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return headline rows (figure, value, period, source), one per pair.

    The notebook's record names each claim by its fact id and source id; given ``sources``,
    the rows name the claim's source by publisher and date and the later reference by its
    page's publisher, as the explorers draw them on the page."""
    rows = []
    for r in table.to_dict("records"):
        if sources is None:
            which, claimed = f": {r['fact_id']}", r["claim_source_id"]
            later = r["reference_package"]
        else:
            claimed = source_label(r["claim_source_id"], sources)
            which = f" ({claimed})"
            page = _package(refs, r["reference_package"]).page(r["reference_figure_ids"][0])
            later = page["publisher"]
        rows.append(
            {
                "figure": f"{LABELS[r['check_id']]}{which}",
                "value": f"article {format_quantity(fact(r['fact_id'], facts))}; later "
                f"reference {reference_text(r, refs)}; {r['verdict']}",
                "period": f"{r['claim_period']} vs {r['reference_period']}",
                "source": f"{claimed} vs later reference {later}",
            }
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(str)


def checked_claims_headlines(
    table: pd.DataFrame,
    later: pd.DataFrame,
    refs: References,
    facts: pd.DataFrame,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return notebook 05's headline table: the claims against USGS (``table``, as
    ``claims_words`` words them), then against the later references (``later``). The notebook's
    record names each claim by its fact id; given ``sources``, the rows name it by its source's
    publisher and date, as the explorers draw them on the page."""
    return pd.concat(
        [
            claims_headlines(table, for_readers=sources is not None),
            check_headlines(later, refs, facts, sources),
        ],
        ignore_index=True,
    )
