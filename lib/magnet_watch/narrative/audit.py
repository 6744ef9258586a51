"""The curation audit in words: headline figures, findings, the plain-text report, bounded tables.

Every number is computed from an ``Audit`` (``magnet_watch.curation.audit``). Long lists
(gaps, conflicts) are cut to their first rows with a count of the rest, so a page or a
terminal stays readable whatever the corpus; the full tables go to CSV
(``curation.audit.write_audit_tables``).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.curation.audit import Audit
from magnet_watch.text.formats import percent, significant

STATUS_ORDER = ["fact", "event", "source", "reviewed", "gap"]
STATUS_LABELS = {
    "fact": "recorded by a fact",
    "event": "recorded by an event",
    "source": "the document's own date",
    "reviewed": "reviewed, left out with a reason",
    "gap": "GAP: not curated, not reviewed",
}
# Rows a table or list shows before "... and N more": keeps the audit page a few hundred
# kilobytes at any corpus size (a 50 MB document once made it 55 MB).
SHOWN_ROWS = 50


def _pct(part: int, whole: int) -> str:
    return percent(100 * part / whole) if whole else "n/a"


def audit_headlines(audit: Audit, recall: tuple[int, int, list[str]]) -> pd.DataFrame:
    """Return the audit's headline figures (figure, value, period, source) for show_headlines."""
    cov = audit.coverage
    total = int(cov["quantities"].sum())
    recorded = int(cov["recorded"].sum())
    found, curated, _ = recall
    expected_fail = audit.checks[(audit.checks["result"] == "fail") & audit.checks["as_expected"]]
    rows = [
        ("Quantities the extractor finds in the seeds", f"{total:,}"),
        (
            "Recorded by a fact, an event or the source's date",
            f"{recorded:,} ({_pct(recorded, total)})",
        ),
        ("Reviewed and left out, each with a reason", f"{int(cov['reviewed'].sum()):,}"),
        ("Gaps (neither curated nor reviewed)", f"{len(audit.gaps):,}"),
        (
            "Extractor recall against the curated facts",
            f"{_pct(found, curated)} ({found} of {curated})",
        ),
        ("Conflicting claims (pairs of sources)", f"{len(audit.conflicts):,}"),
        (
            "Consistency checks passing",
            f"{int((audit.checks['result'] == 'pass').sum())} of {len(audit.checks)}",
        ),
        (
            "Checks failing as documented findings",
            f"{len(expected_fail)}: {', '.join(expected_fail['check_id'])}",
        ),
        ("Audit verdict", "passed" if audit.ok else "FAILED"),
    ]
    sources = f"{len(cov)} documents in seeds/"
    return pd.DataFrame(
        [{"figure": f, "value": v, "period": "as curated", "source": sources} for f, v in rows]
    )


def more_text(shown: int, total: int, what: str, where: str | None = None) -> str:
    """Return "" when every row is shown, else a sentence saying how many are left out
    ("... and 12 more gaps (all of them: build/audit/audit_statements.csv)")."""
    if total <= shown:
        return ""
    return f"... and {total - shown:,} more {what}" + (f" (all of them: {where})" if where else "")


def first_rows(
    frame: pd.DataFrame, caption: str, where: str | None = None, rows: int = SHOWN_ROWS
) -> tuple[pd.DataFrame, str]:
    """Return (the first ``rows`` rows of ``frame``, its caption): when rows are left out
    the caption says "first N of M" and where the full table is."""
    if len(frame) <= rows:
        return frame, caption
    full = f"; all of them in {where}" if where else ""
    return frame.head(rows), f"{caption} (first {rows:,} of {len(frame):,}{full})"


def most_gaps_first(coverage: pd.DataFrame, rows: int) -> pd.DataFrame:
    """Return the ``rows`` documents of the coverage table with the most gaps (then the most
    quantities), in that order; the whole table, in its order, when it has no more rows."""
    if len(coverage) <= rows:
        return coverage
    return coverage.sort_values(["gaps", "quantities"], ascending=False, kind="stable").head(rows)


def audit_summary(audit: Audit, where: str | None = None, rows: int = SHOWN_ROWS) -> str:
    """Return a Markdown paragraph stating the audit's findings, every number computed.

    Lists at most ``rows`` conflicts, then how many more and ``where`` they all are.
    """
    parts = []
    for c in audit.conflicts.head(rows).itertuples():
        parts.append(
            f"**Conflict:** {c.metric.replace('_', ' ')} of {c.subject}: {c.claim_a} ({c.source_id_a}) "
            f"against {c.claim_b} ({c.source_id_b}); {c.periods}. Both rows are kept."
        )
    if more := more_text(rows, len(audit.conflicts), "conflicts", where):
        parts.append(more + ".")
    for c in audit.checks[audit.checks["result"] == "fail"].itertuples():
        parts.append(
            f"**Check {c.check_id}:** {significant(c.value)} {c.unit}, outside the plausible band "
            f"{significant(c.expected_low)} to {significant(c.expected_high)}. {c.finding}"
        )
    if not audit.gaps.empty:
        parts.append(f"**{len(audit.gaps)} gaps** remain: curate them or review them.")
    return "\n\n".join(parts) if parts else "No conflicts, failed checks or gaps."
