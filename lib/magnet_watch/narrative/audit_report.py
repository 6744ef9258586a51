"""The curation audit as the plain-text report ``make audit`` prints."""

from __future__ import annotations

import pandas as pd

from magnet_watch.curation.audit import Audit
from magnet_watch.narrative.audit import number_text as _number


def format_report(audit: Audit) -> str:
    """Return the audit as plain text: coverage, gaps, conflicts, same claims, checks, verdict."""
    out = ["CURATION AUDIT", "", "Coverage (quantities found by the extractor in each document):"]
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        out.append(audit.coverage.to_string(index=False))
        out.append("")
        if audit.gaps.empty:
            out.append("Gaps: none. Every quantity is recorded by a fact or event, or reviewed.")
        else:
            out.append(
                f"GAPS: {len(audit.gaps)} quantities no fact records and no review explains:"
            )
            for g in audit.gaps.itertuples():
                out.append(
                    f"  - {g.source_id}, sentence {g.sentence_no}: {g.quantity!r} in: {g.sentence}"
                )
            out.append("  Curate them into data/facts.csv, or add them to data/coverage_reviewed.csv "
                       "with a reason.")  # fmt: skip
        if not audit.stale_reviews.empty:
            out.append(f"STALE REVIEWS: {len(audit.stale_reviews)} entries of coverage_reviewed.csv "
                       "match no unrecorded quantity (remove them or fix the quote):")  # fmt: skip
            for s in audit.stale_reviews.itertuples():
                out.append(f"  - coverage_reviewed.csv, line {s.line}: {s.source_id}: {s.quote!r}")
        out.append("")
        out.append(
            f"Conflicts (same metric, subject and period; intervals do not overlap): {len(audit.conflicts)}"
        )
        for c in audit.conflicts.itertuples():
            out.append(f"  - {c.metric} / {c.subject}: {c.claim_a} ({c.source_id_a}, {c.period_a}) vs "
                       f"{c.claim_b} ({c.source_id_b}, {c.period_b}); {c.periods}. Both rows kept.")  # fmt: skip
        groups = audit.same_claims.groupby("group") if not audit.same_claims.empty else []
        out.append(f"Same claim, different rows: {len(groups)} groups")
        for _, g in groups:
            wording = "qualifiers differ" if g["qualifier_differs"].iloc[0] else "same qualifier"
            listed = "; ".join(f"{r.fact_id} ({r.source_id}): {r.claim}" for r in g.itertuples())
            out.append(f"  - {g['metric'].iloc[0]} / {g['subject'].iloc[0]} [{wording}]: {listed}")
        out.append("")
        out.append("Consistency checks (declared in data/consistency_checks.csv):")
        for c in audit.checks.itertuples():
            verdict = (
                f"{c.result.upper()}, as expected"
                if c.as_expected
                else f"{c.result.upper()} (UNEXPECTED: expected {c.expected_result})"
            )
            out.append(f"  [{verdict}] {c.check_id}: {_number(c.value)} {c.unit}; "
                       f"band {_number(c.expected_low)} to {_number(c.expected_high)}")  # fmt: skip
            if c.finding:
                out.append(f"      {c.finding}")
        out.append("")
    out.append("AUDIT " + ("PASSED" if audit.ok else "FAILED"))
    return "\n".join(out)
