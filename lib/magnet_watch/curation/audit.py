"""Audit the curation: what was missed, what disagrees and what does not add up.

``run_audit(data_dir)`` returns an ``Audit`` with four parts:

- **coverage**: every quantity the extractor (``magnet_watch.extract``) finds in a
  document is either recorded by a fact row (or, for a date, by a fact or event
  row quoting its sentence), or listed in data/coverage_reviewed.csv with a
  reason. Anything else is a gap, and the audit fails.
- **conflicts**: claims about the same metric, subject and counterpart whose
  intervals do not overlap, across sources (``datasets.conflicting_claims``).
  They are findings: the facts table keeps both rows; the audit reports them.
- **same claims in different words**: facts from different rows with the same
  metric, subject, counterpart and numbers (the qualifier may differ).
- **consistency checks**: declared in data/consistency_checks.csv, each an
  arithmetic expression over fact ids with an expected band and the result the
  curator expects ("fail" with a written finding when the documents disagree).
  A result other than the expected one fails the audit.

``python -m magnet_watch.audit`` prints the report and exits 1 when the audit fails.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.curation.extract import Candidate, event_covers, extract_candidates, fact_covers
from magnet_watch.data.load import (
    Package,
    claim_bounds,
    conflicting_claims,
    format_quantity,
    load_package,
)
from magnet_watch.data.provenance import evaluate_derivation, normalise_text, quote_in_document
from magnet_watch.data.schema import LINE_COLUMN, check_foreign_keys, read_package, read_table
from magnet_watch.errors import DataValidationError, Problem

REVIEWED_TABLE = "coverage_reviewed"
CHECKS_TABLE = "consistency_checks"


@dataclass(frozen=True)
class Audit:
    """The audit's tables. ``ok`` is False when there is a gap, a stale review or an
    unexpected check result."""

    coverage: pd.DataFrame  # one row per document
    statements: pd.DataFrame  # one row per quantity found, with its status
    stale_reviews: pd.DataFrame  # reviewed entries that no longer match an uncovered quantity
    conflicts: pd.DataFrame
    same_claims: pd.DataFrame
    checks: pd.DataFrame

    @property
    def gaps(self) -> pd.DataFrame:
        """Quantities no fact or event records and no review explains."""
        return self.statements[self.statements["status"] == "gap"]

    @property
    def failed_checks(self) -> pd.DataFrame:
        """Checks whose result is not the one the table expects."""
        return self.checks[~self.checks["as_expected"]]

    @property
    def ok(self) -> bool:
        """True when the curation is complete and every check gives its expected result."""
        return self.gaps.empty and self.stale_reviews.empty and self.failed_checks.empty


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values as None (pandas NA is not falsy-safe)."""
    # itertuples on an object frame is several times faster than to_dict("records").
    plain = frame.astype(object).where(frame.notna(), None)
    return [row._asdict() for row in plain.itertuples(index=False)]


def _read_extra_table(data_dir: Path, name: str) -> pd.DataFrame:
    package = read_package(data_dir)
    resource = next((r for r in package["resources"] if r["name"] == name), None)
    if resource is None:
        raise DataValidationError(
            [Problem("datapackage.json", None, None, f"no resource named {name!r}")]
        )
    return read_table(data_dir, resource)


# Coverage -------------------------------------------------------------------------------------


def _review_matches(review: dict, candidate: Candidate) -> bool:
    if review["source_id"] != candidate.source_id:
        return False
    quote, sentence = normalise_text(review["quote"]), normalise_text(candidate.sentence.text)
    if quote not in sentence and sentence not in quote:
        return False
    quantity = review.get("quantity")
    return (
        not quantity
        or normalise_text(quantity).lower() == normalise_text(candidate.quantity.text).lower()
    )


def coverage_audit(
    package: Package, reviewed: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (coverage per document, every quantity with its status, stale reviews).

    A quantity's status is "fact" or "event" (a curated row records it), "source" (the
    document's own date, recorded in sources.csv), "reviewed"
    (coverage_reviewed.csv explains why not) or "gap".
    """
    facts, events, reviews = _records(package.facts), _records(package.events), _records(reviewed)
    facts_by_source: dict[str, list[dict]] = {}
    for f in facts:
        facts_by_source.setdefault(f["source_id"], []).append(f)
    events_by_source: dict[str, list[dict]] = {}
    for e in events:
        events_by_source.setdefault(e["source_id"], []).append(e)
    used_reviews: set[int] = set()
    rows = []
    dates = {r["source_id"]: r["published"] for r in _records(package.sources)}
    for source_id, document in package.documents.items():
        published = dates.get(source_id)
        candidates = extract_candidates(document, source_id, published)
        for c in candidates:
            fact = next((f for f in facts_by_source.get(source_id, []) if fact_covers(f, c)), None)
            event = next(
                (e for e in events_by_source.get(source_id, []) if event_covers(e, c)), None
            )
            review_at = next((i for i, r in enumerate(reviews) if _review_matches(r, c)), None)
            if c.quantity.kind == "date" and c.quantity.extra.get("date") == published:
                status, by = "source", "sources.csv"  # the byline: the source's own date
            elif fact is not None:
                status, by = "fact", fact["fact_id"]
            elif event is not None:
                status, by = "event", event["event_id"]
            elif review_at is not None:
                status, by = "reviewed", reviews[review_at]["reason_code"]
                used_reviews.add(review_at)
            else:
                status, by = "gap", ""
            rows.append({
                "source_id": source_id, "sentence_no": c.sentence.number,
                "quantity": c.quantity.text, "kind": c.quantity.kind, "status": status,
                "recorded_by": by, "reason": reviews[review_at]["reason"] if status == "reviewed" else "",
                "sentence": c.sentence.text,
            })  # fmt: skip
    statements = pd.DataFrame(rows, columns=["source_id", "sentence_no", "quantity", "kind", "status",
                                             "recorded_by", "reason", "sentence"])  # fmt: skip
    stale = reviewed.iloc[[i for i in range(len(reviews)) if i not in used_reviews]]
    stale = stale[["source_id", "quote", "quantity", "reason_code", LINE_COLUMN]].rename(
        columns={LINE_COLUMN: "line"}
    )
    counts = (
        statements.assign(n=1)
        .pivot_table(index="source_id", columns="status", values="n", aggfunc="sum", fill_value=0)
        .reindex(
            index=list(package.documents),
            columns=["source", "fact", "event", "reviewed", "gap"],
            fill_value=0,
        )
    )
    total = counts.sum(axis=1)
    coverage = pd.DataFrame({
        "source_id": counts.index,
        "quantities": total.to_numpy(),
        "recorded": (counts["source"] + counts["fact"] + counts["event"]).to_numpy(),
        "reviewed": counts["reviewed"].to_numpy(),
        "gaps": counts["gap"].to_numpy(),
    })  # fmt: skip
    safe_total = coverage["quantities"].where(coverage["quantities"] > 0)
    coverage["recorded_pct"] = (100 * coverage["recorded"] / safe_total).round(1).fillna(100.0)
    coverage["accounted_pct"] = (
        (100 * (coverage["recorded"] + coverage["reviewed"]) / safe_total).round(1).fillna(100.0)
    )
    return coverage, statements, stale


def check_reviewed_table(reviewed: pd.DataFrame, package: Package) -> list[Problem]:
    """Return a Problem for each reviewed entry whose source is unknown or whose quote is not in it."""
    problems = []
    for r in _records(reviewed):
        line = int(r[LINE_COLUMN])
        document = package.documents.get(r["source_id"])
        if document is None:
            problems.append(Problem("coverage_reviewed.csv", line, "source_id",
                                    f"{r['source_id']!r} is not a known source_id in sources.csv"))  # fmt: skip
        elif not quote_in_document(r["quote"], document):
            problems.append(Problem("coverage_reviewed.csv", line, "quote",
                                    f"quote not found in {r['source_id']}: {r['quote']!r}"))  # fmt: skip
    return problems


# Conflicts and same claims --------------------------------------------------------------------


def conflicts_audit(facts: pd.DataFrame) -> pd.DataFrame:
    """Return the pairs of claims about the same metric, subject, counterpart and period whose
    intervals do not overlap, across sources (``datasets.conflicting_claims``).

    Claims "as of" their article's date ("currently", "now") count as the same period when
    they are of the same year: two articles of August and November 2025 that each say what
    China's share is now are making the same kind of claim. ``periods`` says which applies.
    """
    as_of = facts["period_type"].astype(str) == "as_of"
    keyed = facts.assign(period=facts["period"].where(~as_of, "as of " + facts["period"].str[:4]))
    pairs = conflicting_claims(facts=keyed, same_period=True)
    period = facts.set_index("fact_id")["period"]
    pairs["period_a"] = pairs["fact_id_a"].map(period)
    pairs["period_b"] = pairs["fact_id_b"].map(period)
    pairs["periods"] = [
        "same period" if a == b else "both 'as of' their article, same year"
        for a, b in zip(pairs["period_a"], pairs["period_b"], strict=True)
    ]
    return pairs


def same_claims_audit(facts: pd.DataFrame) -> pd.DataFrame:
    """Return groups of two or more fact rows that state the same numbers about the same
    metric, subject and counterpart: one row per fact, with the group's number and whether
    the qualifiers differ (the same claim in different words)."""
    groups: dict[tuple, list[dict]] = {}
    for r in _records(claim_bounds(facts)):
        numbers = format_quantity({**r, "qualifier": "stated"})
        groups.setdefault((r["metric"], r["subject"], r["counterpart"] or "", numbers), []).append(
            r
        )
    rows = []
    repeated = (group for _, group in sorted(groups.items()) if len(group) > 1)
    for group_no, group in enumerate(repeated, start=1):
        qualifiers = {str(r["qualifier"]) for r in group}
        for r in group:
            rows.append({
                "group": group_no, "metric": r["metric"], "subject": r["subject"],
                "fact_id": r["fact_id"], "source_id": r["source_id"], "claim": format_quantity(r),
                "period": r["period"], "qualifier_differs": len(qualifiers) > 1, "quote": r["quote"],
            })  # fmt: skip
    return pd.DataFrame(rows, columns=["group", "metric", "subject", "fact_id", "source_id", "claim",
                                       "period", "qualifier_differs", "quote"])  # fmt: skip


# Consistency checks ---------------------------------------------------------------------------


def fact_variables(facts: pd.DataFrame) -> dict[str, float]:
    """Return the names a check may use: each fact id (its value), and ``<id>__low`` and
    ``<id>__high`` for every fact (a single value is its own low and high)."""
    names: dict[str, float] = {}
    for r in _records(facts):
        value, low, high = r["value"], r["low"], r["high"]
        if value is not None:
            names[r["fact_id"]] = float(value)
        names[f"{r['fact_id']}__low"] = float(low if low is not None else value)
        names[f"{r['fact_id']}__high"] = float(high if high is not None else value)
    return names


def run_checks(checks: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Evaluate every declared check. Returns one row per check with its value, band,
    result ("pass" or "fail"), the expected result and ``as_expected``.

    Raises DataValidationError naming the line and column of an expression that refers to
    an unknown fact or is not arithmetic.
    """
    names = fact_variables(facts)
    rows, problems = [], []
    for r in _records(checks):
        line = int(r[LINE_COLUMN])
        evaluated = {}
        for column in ("expression", "expected_low", "expected_high"):
            try:
                evaluated[column] = evaluate_derivation(str(r[column]), names)
            except (ValueError, ZeroDivisionError) as exc:
                problems.append(
                    Problem("consistency_checks.csv", line, column, str(exc), r["check_id"])
                )
        if r["expected_result"] == "fail" and not r["finding"]:
            problems.append(Problem("consistency_checks.csv", line, "finding",
                                    "a check expected to fail needs its finding written out",
                                    r["check_id"]))  # fmt: skip
        if len(evaluated) < 3:
            continue
        value, low, high = (
            evaluated["expression"],
            evaluated["expected_low"],
            evaluated["expected_high"],
        )
        # A band written as 2..2 is an equality: allow float rounding, nothing more.
        slack = 1e-9 * max(1.0, abs(value))
        result = "pass" if low - slack <= value <= high + slack else "fail"
        rows.append({
            "check_id": r["check_id"], "description": r["description"], "value": value,
            "expected_low": low, "expected_high": high, "unit": r["unit"], "result": result,
            "expected_result": r["expected_result"], "as_expected": result == r["expected_result"],
            "finding": r["finding"] or "", "band_reason": r["band_reason"],
        })  # fmt: skip
    if problems:
        raise DataValidationError(problems)
    columns = ["check_id", "description", "value", "expected_low", "expected_high", "unit", "result",
               "expected_result", "as_expected", "finding", "band_reason"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


# The whole audit ------------------------------------------------------------------------------


def run_audit(data_dir: Path | str | None = None) -> Audit:
    """Load the data package (validated) and return its Audit.

    Raises DataValidationError when the data, the reviewed list or a check is malformed.
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    package = load_package(data_dir)
    reviewed = _read_extra_table(data_dir, REVIEWED_TABLE)
    checks = _read_extra_table(data_dir, CHECKS_TABLE)
    problems = check_foreign_keys(
        read_package(data_dir),
        {
            "sources": package.sources,
            "units": package.units,
            REVIEWED_TABLE: reviewed,
            CHECKS_TABLE: checks,
        },
    )
    problems += check_reviewed_table(reviewed, package)
    if problems:
        raise DataValidationError(problems)
    coverage, statements, stale = coverage_audit(package, reviewed)
    return Audit(
        coverage=coverage,
        statements=statements,
        stale_reviews=stale,
        conflicts=conflicts_audit(package.facts),
        same_claims=same_claims_audit(package.facts),
        checks=run_checks(checks, package.facts),
    )


def extractor_recall(package: Package) -> tuple[int, int, list[str]]:
    """Return (facts found, facts curated, ids missed): how many curated facts the extractor
    finds in their own document, with their number (or derivation words) in a sentence the
    fact quotes. Dates do not count as finding a fact."""
    facts = _records(package.facts)
    dates = {r["source_id"]: r["published"] for r in _records(package.sources)}
    candidates = {
        source_id: [
            c for c in extract_candidates(text, source_id, dates.get(source_id)) if not c.is_date
        ]
        for source_id, text in package.documents.items()
    }
    missed = [
        f["fact_id"]
        for f in facts
        if not any(fact_covers(f, c) for c in candidates[f["source_id"]])
    ]
    return len(facts) - len(missed), len(facts), missed


STATUS_ORDER = ["fact", "event", "source", "reviewed", "gap"]
STATUS_LABELS = {
    "fact": "recorded by a fact",
    "event": "recorded by an event",
    "source": "the document's own date",
    "reviewed": "reviewed, left out with a reason",
    "gap": "GAP: not curated, not reviewed",
}


def audit_headlines(audit: Audit, recall: tuple[int, int, list[str]]) -> pd.DataFrame:
    """Return the audit's headline figures (figure, value, period, source) for show_headlines."""
    cov = audit.coverage
    total = int(cov["quantities"].sum())
    recorded = int(cov["recorded"].sum())
    found, curated, _ = recall
    expected_fail = audit.checks[(audit.checks["result"] == "fail") & audit.checks["as_expected"]]
    rows = [
        ("Quantities the extractor finds in the seeds", f"{total:,}"),
        ("Recorded by a fact, an event or the source's date", f"{recorded:,} ({100 * recorded / total:.1f}%)"),
        ("Reviewed and left out, each with a reason", f"{int(cov['reviewed'].sum()):,}"),
        ("Gaps (neither curated nor reviewed)", f"{len(audit.gaps):,}"),
        ("Extractor recall against the curated facts", f"{100 * found / curated:.1f}% ({found} of {curated})"),
        ("Conflicting claims (pairs of sources)", f"{len(audit.conflicts):,}"),
        ("Consistency checks passing", f"{int((audit.checks['result'] == 'pass').sum())} of {len(audit.checks)}"),
        ("Checks failing as documented findings", f"{len(expected_fail)}: {', '.join(expected_fail['check_id'])}"),
        ("Audit verdict", "passed" if audit.ok else "FAILED"),
    ]  # fmt: skip
    sources = f"{len(cov)} documents in seeds/"
    return pd.DataFrame(
        [{"figure": f, "value": v, "period": "as curated", "source": sources} for f, v in rows]
    )


def audit_summary(audit: Audit) -> str:
    """Return a Markdown paragraph stating the audit's findings, every number computed."""
    parts = []
    for c in audit.conflicts.itertuples():
        parts.append(
            f"**Conflict:** {c.metric.replace('_', ' ')} of {c.subject}: {c.claim_a} ({c.source_id_a}) "
            f"against {c.claim_b} ({c.source_id_b}); {c.periods}. Both rows are kept."
        )
    for c in audit.checks[audit.checks["result"] == "fail"].itertuples():
        parts.append(
            f"**Check {c.check_id}:** {_number(c.value)} {c.unit}, outside the plausible band "
            f"{_number(c.expected_low)} to {_number(c.expected_high)}. {c.finding}"
        )
    if not audit.gaps.empty:
        parts.append(f"**{len(audit.gaps)} gaps** remain: curate them or review them.")
    return "\n\n".join(parts) if parts else "No conflicts, failed checks or gaps."


def coverage_chart(audit: Audit):
    """Return an Altair stacked bar chart: per document, its quantities by status."""
    import altair as alt  # imported here so the command line audit does not pay for it

    from magnet_watch.charts.theme import ensure_theme, finding_title

    ensure_theme()
    counts = (
        audit.statements.groupby(["source_id", "status"], observed=True).size().rename("quantities")
    ).reset_index()
    counts["status_label"] = counts["status"].map(STATUS_LABELS)
    colours = ["#0072B2", "#56B4E9", "#009E73", "#999999", "#D55E00"]
    total = int(audit.coverage["quantities"].sum())
    accounted = int((audit.coverage["recorded"] + audit.coverage["reviewed"]).sum())
    finding = f"{accounted} of {total} quantities in the seeds are curated or reviewed"
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("source_id:N", title=None, sort=list(audit.coverage["source_id"])),
            x=alt.X("quantities:Q", title="Quantities found by the extractor"),
            color=alt.Color(
                "status_label:N",
                title="Status",
                sort=[STATUS_LABELS[s] for s in STATUS_ORDER],
                scale=alt.Scale(domain=[STATUS_LABELS[s] for s in STATUS_ORDER], range=colours),
            ),
            order=alt.Order("status:N"),
            tooltip=["source_id:N", "status_label:N", "quantities:Q"],
        )
        .properties(title=finding_title(finding, audit.coverage["source_id"]), height=180)
    )


def _number(v: float) -> str:
    if math.isinf(v):
        return "inf"
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"


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


def main(argv: list[str] | None = None) -> int:
    """Run the audit and print it; return 0 when it passes, 1 when it fails, 2 on bad data."""
    parser = argparse.ArgumentParser(
        prog="python -m magnet_watch.audit", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR,
                        help="folder with datapackage.json and the tables (seeds/ beside it)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        audit = run_audit(args.data_dir)
    except DataValidationError as exc:
        print(f"audit: the data is not valid, nothing audited.\n{exc}", file=sys.stderr)
        return 2
    print(format_report(audit))
    return 0 if audit.ok else 1


if __name__ == "__main__":
    sys.exit(main())
