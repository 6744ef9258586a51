"""The claims check in words: the verdicts' summary, the headline table, the reader's table,
the findings of its charts, and the reference's caption from its origin record."""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.checks.claims_check import short_citation, verdict_counts
from magnet_watch.analysis.checks.claims_rows import share_text
from magnet_watch.narrative.headlines import HEADLINE_COLUMNS


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
    lines = [f"Of {len(table)} claims the USGS reference ({reference_year}) can test: "
             + verdict_counts_text(table) + "."]  # fmt: skip
    for row in table.itertuples():
        lines.append(f"- **{row.check}** ({row.claim_source}): *{row.claim}* vs "
                     f"USGS *{row.reference}*: **{row.verdict}**. {row.reason}")  # fmt: skip
    return "\n".join(lines)


def verdicts_title(table: pd.DataFrame) -> str:
    """Return the verdict chart's finding: how many claims got each verdict."""
    return f"Of {len(table)} claims USGS can test: " + verdict_counts_text(table)


def claims_headlines(table: pd.DataFrame) -> pd.DataFrame:
    """Return the headline table (figure, value, period, source) of the claims check."""
    rows = []
    for row in table.itertuples():
        rows.append({
            "figure": f"{row.check}: {row.fact_id}",
            "value": f"claim {row.claim}; USGS {row.reference}; {row.verdict}",
            "period": f"{row.claim_period} vs {row.reference_period}",
            "source": f"{row.claim_source_id} vs {row.reference_source}",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def claims_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the claims check as a reader's table: both sides, their sources, verdict, reason."""
    frame = pd.DataFrame({
        "Check": table["check"],
        "Claim": table["claim"],
        "Claim source": table["claim_source"] + " (" + table["claim_period"].astype(str) + ")",
        "Reference": table["reference"],
        "Reference source": table["reference_source"] + " (" + table["reference_period"] + ")",
        "Verdict": table["verdict"].astype(str),
        "Why": table["reason"],
        "Definitions": table["definition_note"],
    })  # fmt: skip
    return frame.reset_index(drop=True)


def world_shares_title(india_reserves_pct: float, india_production_pct: float, year: int) -> str:
    """Return the world-shares chart's finding: India's share of reserves against mining."""
    return (f"India holds {share_text(india_reserves_pct)} of world rare-earth reserves "
            f"but mined {share_text(india_production_pct)} in {year}")  # fmt: skip


def world_shares_note() -> str:
    """Return what the world-shares chart's shares are, and are not."""
    return ("Shares of the USGS world total in tonnes of rare-earth oxide (REO): mining, not "
            "processing or magnets. Reserves total is 'more than 90,000,000 t', so reserve shares "
            "are upper bounds; countries with reserves 'not available' are not shown.")  # fmt: skip


def india_shares_title(reserves_text: str, production_text: str, ratio: float) -> str:
    """Return the India chart's finding: its reserves share as a multiple of its mining share."""
    return (
        f"India's share of world reserves ({reserves_text}) is about "
        f"{ratio:.0f} times its share of mine production ({production_text})"
    )
