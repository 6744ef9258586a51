"""The curation audit as the plain-text report ``make audit`` prints, bounded at any corpus size.

Each list (documents, gaps, stale reviews, conflicts, same claims, checks) shows at most
``TERMINAL_ROWS`` rows, and any sentence, quote or list of facts at most ``TEXT_CHARS``
characters, then "... and N more" naming the CSV file that has them all. A summary of the
counts per table, where the full tables are, and the verdict with the meaning of the exit
code close the report. So a 1,000-document corpus prints under 200 lines instead of
84,000; ``rows=None`` prints every row in full (``make audit ARGS=--all``).
"""

from __future__ import annotations

import collections
import itertools
from pathlib import Path

import pandas as pd

from magnet_watch.curation.audit import Audit
from magnet_watch.narrative.audit import STATUS_ORDER, more_text, most_gaps_first
from magnet_watch.text.formats import significant

# Rows of each list the terminal shows: about a screenful. The audit page shows SHOWN_ROWS
# (50) of each table; a terminal has less room.
TERMINAL_ROWS = 20
# Longest sentence, quote or list of facts printed in full; longer ones end in "…". (A
# check's finding is printed whole: the curator writes one per declared check.)
TEXT_CHARS = 160
# The exit codes of ``python -m magnet_watch.audit`` (docs/curation.md, "Audit").
EXIT_PASSED, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
EXIT_MEANING = (
    f"{EXIT_PASSED} passed, {EXIT_FAILED} failed, {EXIT_REFUSED} nothing audited: "
    "the data does not load or an option is wrong"
)


def _clip(text: object, chars: int | None, whole: str = "") -> str:
    """Return ``text`` cut to ``chars`` characters ending in "…" (then ``whole``, saying how
    much there was), or whole when it fits or ``chars`` is None."""
    text = str(text)
    if chars is None or len(text) <= chars:
        return text
    return text[: chars - 1] + "…" + whole


def _head(frame: pd.DataFrame, rows: int | None) -> pd.DataFrame:
    return frame if rows is None else frame.head(rows)


def _records(frame: pd.DataFrame):
    """The rows of ``frame`` as named tuples (as ``itertuples``, without the index), read from
    each column's Python list: ``itertuples`` reads a text column cell by cell, which made
    printing 700,000 conflicts take a second instead of a tenth."""
    row = collections.namedtuple("Row", frame.columns, rename=True)
    return itertools.starmap(row, zip(*(frame[c].tolist() for c in frame.columns), strict=True))


def _more(shown: int, total: int, what: str, where: str | None) -> list[str]:
    more = more_text(shown, total, what, where)
    return [f"  {more}"] if more else []


def _coverage_lines(audit: Audit, rows: int | None, files: dict[str, str]) -> list[str]:
    coverage = audit.coverage
    shown = coverage if rows is None else most_gaps_first(coverage, rows)
    title = "Coverage (quantities found by the extractor in each document)"
    if len(shown) < len(coverage):
        title += f", the {len(shown)} documents with the most gaps"
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        table = shown.to_string(index=False)
    return [
        f"{title}:",
        table,
        *_more(len(shown), len(coverage), "documents", files.get("coverage")),
        "",
    ]


def _gap_lines(audit: Audit, rows: int | None, files: dict[str, str]) -> list[str]:
    lines = []
    gaps, chars = audit.gaps, None if rows is None else TEXT_CHARS
    if gaps.empty:
        lines.append("Gaps: none. Every quantity is recorded by a fact or event, or reviewed.")
    else:
        lines.append(f"GAPS: {len(gaps):,} quantities no fact records and no review explains:")
        for g in _records(_head(gaps, rows)):
            lines.append(
                f"  - {g.source_id}, sentence {g.sentence_no}: {g.quantity!r} in: "
                f"{_clip(g.sentence, chars)}"
            )
        lines += _more(len(_head(gaps, rows)), len(gaps), "gaps", files.get("statements"))
        lines.append(
            "  Curate them into data/facts.csv, or add them to data/coverage_reviewed.csv "
            "with a reason."
        )
    stale = audit.stale_reviews
    if not stale.empty:
        lines.append(
            f"STALE REVIEWS: {len(stale):,} entries of coverage_reviewed.csv match no "
            "unrecorded quantity (remove them or fix the quote):"
        )
        for s in _records(_head(stale, rows)):
            lines.append(
                f"  - coverage_reviewed.csv, line {s.line}: {s.source_id}: "
                f"{_clip(repr(s.quote), chars)}"
            )
        lines += _more(
            len(_head(stale, rows)), len(stale), "stale reviews", files.get("stale_reviews")
        )
    return [*lines, ""]


def _conflict_lines(audit: Audit, rows: int | None, files: dict[str, str]) -> list[str]:
    conflicts = audit.conflicts
    lines = [
        f"Conflicts (same metric, subject and period; intervals do not overlap): {len(conflicts):,}"
    ]
    for c in _records(_head(conflicts, rows)):
        lines.append(
            f"  - {c.metric} / {c.subject}: {c.claim_a} ({c.source_id_a}, {c.period_a}) vs "
            f"{c.claim_b} ({c.source_id_b}, {c.period_b}); {c.periods}. Both rows kept."
        )
    return lines + _more(
        len(_head(conflicts, rows)), len(conflicts), "conflicts", files.get("conflicts")
    )


def _same_claim_lines(audit: Audit, rows: int | None, files: dict[str, str]) -> list[str]:
    same = audit.same_claims
    groups = [g for _, g in same.groupby("group")] if not same.empty else []
    chars = None if rows is None else TEXT_CHARS
    lines = [f"Same claim, different rows: {len(groups):,} groups"]
    for g in groups if rows is None else groups[:rows]:
        wording = "qualifiers differ" if g["qualifier_differs"].iloc[0] else "same qualifier"
        listed = "; ".join(f"{r.fact_id} ({r.source_id}): {r.claim}" for r in _records(g))
        listed = _clip(listed, chars, whole=f" ({len(g):,} rows)")
        lines.append(f"  - {g['metric'].iloc[0]} / {g['subject'].iloc[0]} [{wording}]: {listed}")
    shown = len(groups) if rows is None else min(rows, len(groups))
    return lines + _more(shown, len(groups), "groups", files.get("same_claims")) + [""]


def _check_lines(audit: Audit, rows: int | None, files: dict[str, str]) -> list[str]:
    checks = audit.checks
    if rows is not None and len(checks) > rows:  # the unexpected results first: they fail it
        checks = checks.sort_values("as_expected", kind="stable")
    lines = ["Consistency checks (declared in data/consistency_checks.csv):"]
    for c in _records(_head(checks, rows)):
        verdict = (
            f"{c.result.upper()}, as expected"
            if c.as_expected
            else f"{c.result.upper()} (UNEXPECTED: expected {c.expected_result})"
        )
        lines.append(
            f"  [{verdict}] {c.check_id}: {significant(c.value)} {c.unit}; "
            f"band {significant(c.expected_low)} to {significant(c.expected_high)}"
        )
        if c.finding:  # in full: the curator's explanation, one per declared check
            lines.append(f"      {c.finding}")
    return (
        lines + _more(len(_head(checks, rows)), len(checks), "checks", files.get("checks")) + [""]
    )


def summary_lines(audit: Audit, files: dict[str, str] | None = None) -> list[str]:
    """Return the summary: the count of each table's rows (and of statements per status,
    checks per result), with the file holding each table in full when ``files`` ({table:
    file name}) is given."""
    files = files or {}
    statuses = audit.statements["status"].value_counts()
    by_status = ", ".join(f"{s} {int(statuses.get(s, 0)):,}" for s in STATUS_ORDER)
    passing = int((audit.checks["result"] == "pass").sum())
    groups = audit.same_claims["group"].nunique()
    rows = [
        ("documents", len(audit.coverage), "coverage", ""),
        ("quantities found", len(audit.statements), "statements", by_status),
        ("gaps", len(audit.gaps), "statements", "status 'gap'"),
        ("stale reviews", len(audit.stale_reviews), "stale_reviews", ""),
        ("conflicts", len(audit.conflicts), "conflicts", ""),
        (
            "same claim, different rows",
            groups,
            "same_claims",
            f"groups of {len(audit.same_claims):,} rows",
        ),
        (
            "consistency checks",
            len(audit.checks),
            "checks",
            f"{passing} pass, {len(audit.checks) - passing} fail, {len(audit.failed_checks)} unexpected",
        ),
    ]
    lines = []
    for label, count, table, detail in rows:
        where = "  ".join(part for part in (files.get(table, ""), detail) if part)
        lines.append(f"  {label:<28}{count:>9,}  {where}".rstrip())
    return lines


def verdict_line(audit: Audit) -> str:
    """Return the last line: the verdict, what failed it, and what each exit code means."""
    if audit.ok:
        return f"AUDIT PASSED (exit code {EXIT_PASSED}; the codes: {EXIT_MEANING})"
    return (
        f"AUDIT FAILED: {len(audit.gaps):,} gaps, {len(audit.stale_reviews):,} stale reviews, "
        f"{len(audit.failed_checks):,} unexpected check results (exit code {EXIT_FAILED}; "
        f"the codes: {EXIT_MEANING})"
    )


def format_report(
    audit: Audit, rows: int | None = TERMINAL_ROWS, tables: dict[str, Path] | None = None
) -> str:
    """Return the audit as plain text: coverage, gaps, conflicts, same claims, checks, each
    cut to ``rows`` rows (None: every row, in full), then the summary and the verdict.

    ``tables`` ({table: path}, from ``curation.audit.write_audit_tables``) are the CSV files
    with every row, named in the "... and N more" lines and the summary.
    """
    files = {name: Path(path).name for name, path in (tables or {}).items()}
    out = [f"CURATION AUDIT of {len(audit.coverage):,} documents", ""]
    for section in (_coverage_lines, _gap_lines, _conflict_lines, _same_claim_lines, _check_lines):
        out += section(audit, rows, files)
    folders = sorted({str(Path(path).parent) for path in (tables or {}).values()})
    where = f" (every row of each table is in its CSV file, in {', '.join(folders)}/)"
    out += [f"Summary{where if folders else ''}:", *summary_lines(audit, files), ""]
    out.append(verdict_line(audit))
    return "\n".join(out)
