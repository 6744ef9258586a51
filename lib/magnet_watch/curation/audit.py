"""Audit the curation: what was missed, what disagrees and what does not add up.

``run_audit(data_dir)`` returns an ``Audit`` with four parts:

- **coverage** (``curation.coverage``): every quantity the extractor finds in a
  document is either recorded by a fact row (or, for a date, by a fact or event
  row quoting its sentence), or listed in data/coverage_reviewed.csv with a
  reason. Anything else is a gap, and the audit fails.
- **conflicts**: claims about the same metric, subject and counterpart whose
  intervals do not overlap, across sources (``data.lookups.conflicting_claims``).
  They are findings: the facts table keeps both rows; the audit reports them.
- **same claims in different words**: facts from different rows with the same
  metric, subject, counterpart and numbers (the qualifier may differ).
- **consistency checks**: declared in data/consistency_checks.csv, each an
  arithmetic expression over fact ids with an expected band and the result the
  curator expects ("fail" with a written finding when the documents disagree).
  A result other than the expected one fails the audit.

``write_audit_tables`` writes every table in full as CSV. The audit in words (the
report `make audit` prints, headlines, summary) is ``magnet_watch.narrative.audit``;
its chart is ``magnet_watch.charts.audit``; the command is ``python -m magnet_watch.audit``.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.curation.candidate_cache import DEFAULT_CACHE_DIR
from magnet_watch.curation.coverage import check_reviewed_table, coverage_audit, records
from magnet_watch.curation.files import write_atomic
from magnet_watch.data.load import Package, load_package
from magnet_watch.data.lookups import (
    Vocabulary,
    conflicting_claims,
    format_quantity,
    months_apart,
    project_vocabulary,
)
from magnet_watch.data.provenance import evaluate_derivation
from magnet_watch.data.schema import LINE_COLUMN, check_foreign_keys, read_package, read_resource
from magnet_watch.errors import DataValidationError, ParameterError, Problem
from magnet_watch.text.spreadsheet import csv_for_people

# The facts columns a same-claim row reads or shows (records of these only: converting the
# period bounds, Timestamps, to objects was a tenth of the audit's time at 1,000 documents).
SAME_CLAIM_COLUMNS = [
    "metric",
    "subject",
    "counterpart",
    "fact_id",
    "source_id",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "period",
    "quote",
]
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


# Conflicts and same claims --------------------------------------------------------------------


# "As of" claims a year apart or less are the same kind of claim (README: "within a year").
AS_OF_WITHIN_MONTHS = 12


def conflicts_audit(facts: pd.DataFrame, vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """Return the pairs of claims about the same metric, subject, counterpart and period whose
    intervals do not overlap, across sources (``data.lookups.conflicting_claims``).

    Claims "as of" their article's date ("currently", "now") count as the same period when
    they are at most AS_OF_WITHIN_MONTHS apart, across a new year too: two articles of
    August and November 2025 that each say what China's share is now are making the same
    kind of claim. ``periods`` says which applies. ``vocabulary`` (how figures are
    written) defaults to the project's data/.
    """
    as_of = facts["period_type"].astype(str) == "as_of"
    dated = conflicting_claims(facts=facts[~as_of], same_period=True, vocabulary=vocabulary)
    current = conflicting_claims(
        facts=facts[as_of], within_months=AS_OF_WITHIN_MONTHS, vocabulary=vocabulary
    )
    current = current.assign(
        periods=[
            f"both 'as of' their article, {months_apart(a, b)} months apart"
            for a, b in zip(current["period_a"], current["period_b"], strict=True)
        ]
    )
    return pd.concat([dated.assign(periods="same period"), current], ignore_index=True)


def same_claims_audit(facts: pd.DataFrame, vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """Return groups of two or more fact rows that state the same numbers about the same
    metric, subject and counterpart: one row per fact, with the group's number and whether
    the qualifiers differ (the same claim in different words). ``vocabulary`` (how figures
    are written) defaults to the project's data/."""
    # Resolved once: format_quantity without one looks the project's up for every fact.
    vocab = project_vocabulary() if vocabulary is None else vocabulary
    groups: dict[tuple, list[dict]] = {}
    for r in records(facts[SAME_CLAIM_COLUMNS]):
        numbers = format_quantity({**r, "qualifier": "stated"}, vocab)
        groups.setdefault((r["metric"], r["subject"], r["counterpart"] or "", numbers), []).append(
            r
        )
    rows = []
    repeated = (group for _, group in sorted(groups.items()) if len(group) > 1)
    for group_no, group in enumerate(repeated, start=1):
        qualifiers = {str(r["qualifier"]) for r in group}
        for r in group:
            rows.append(
                {
                    "group": group_no,
                    "metric": r["metric"],
                    "subject": r["subject"],
                    "fact_id": r["fact_id"],
                    "source_id": r["source_id"],
                    "claim": format_quantity(r, vocab),
                    "period": r["period"],
                    "qualifier_differs": len(qualifiers) > 1,
                    "quote": r["quote"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "group",
            "metric",
            "subject",
            "fact_id",
            "source_id",
            "claim",
            "period",
            "qualifier_differs",
            "quote",
        ],
    )


# Consistency checks ---------------------------------------------------------------------------


def fact_variables(facts: pd.DataFrame) -> dict[str, float]:
    """Return the names a check may use: each fact id (its value), and ``<id>__low`` and
    ``<id>__high`` for every fact (a single value is its own low and high)."""
    names: dict[str, float] = {}
    for r in records(facts[["fact_id", "value", "low", "high"]]):
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
    for r in records(checks):
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
            problems.append(
                Problem(
                    "consistency_checks.csv",
                    line,
                    "finding",
                    "a check expected to fail needs its finding written out",
                    r["check_id"],
                )
            )
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
        rows.append(
            {
                "check_id": r["check_id"],
                "description": r["description"],
                "value": value,
                "expected_low": low,
                "expected_high": high,
                "unit": r["unit"],
                "result": result,
                "expected_result": r["expected_result"],
                "as_expected": result == r["expected_result"],
                "finding": r["finding"] or "",
                "band_reason": r["band_reason"],
            }
        )
    if problems:
        raise DataValidationError(problems)
    columns = [
        "check_id",
        "description",
        "value",
        "expected_low",
        "expected_high",
        "unit",
        "result",
        "expected_result",
        "as_expected",
        "finding",
        "band_reason",
    ]
    return pd.DataFrame(rows, columns=columns)


# The whole audit ------------------------------------------------------------------------------


def _read_valid(data_dir: Path) -> tuple[Package, pd.DataFrame, pd.DataFrame]:
    """Return (package, reviewed, checks), or raise DataValidationError listing every problem."""
    package = load_package(data_dir)
    reviewed = read_resource(data_dir, REVIEWED_TABLE)
    checks = read_resource(data_dir, CHECKS_TABLE)
    tables = {
        "sources": package.sources,
        "units": package.units,
        REVIEWED_TABLE: reviewed,
        CHECKS_TABLE: checks,
    }
    problems = check_foreign_keys(read_package(data_dir), tables)
    problems += check_reviewed_table(reviewed, package)
    if problems:
        raise DataValidationError(problems)
    return package, reviewed, checks


def check_source_id(source_id: str | None, package: Package) -> None:
    """Raise ParameterError when ``source_id`` is given but is not a document of the corpus."""
    if source_id is None or source_id in package.documents:
        return
    close = difflib.get_close_matches(source_id, list(package.documents), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ParameterError(
        f"source_id {source_id!r} is not a source in sources.csv.{hint} None audits every document."
    )


def run_audit(
    data_dir: Path | str | None = None,
    *,
    source_id: str | None = None,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
) -> Audit:
    """Load the data package (validated) and return its Audit.

    ``source_id`` audits one document: its coverage, the conflicts and same claims that
    involve it and stale reviews of it; the consistency checks are always all run (they
    span documents). ``cache_dir`` holds the extractor's candidates (None: no cache).
    Raises DataValidationError when the data, the reviewed list or a check is malformed,
    ParameterError for an unknown ``source_id``.
    """
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    package, reviewed, checks = _read_valid(data_dir)
    check_source_id(source_id, package)
    vocabulary = Vocabulary.from_tables(package)
    conflicts = conflicts_audit(package.facts, vocabulary)
    same_claims = same_claims_audit(package.facts, vocabulary)
    if source_id is not None:
        mine = (conflicts["source_id_a"] == source_id) | (conflicts["source_id_b"] == source_id)
        conflicts = conflicts[mine]
        groups = same_claims.loc[same_claims["source_id"] == source_id, "group"]
        same_claims = same_claims[same_claims["group"].isin(groups)]
    coverage, statements, stale = coverage_audit(package, reviewed, cache_dir, source_id)
    return Audit(
        coverage=coverage,
        statements=statements,
        stale_reviews=stale,
        conflicts=conflicts,
        same_claims=same_claims,
        checks=run_checks(checks, package.facts),
    )


def write_audit_tables(audit: Audit, folder: Path | str, prefix: str = "audit_") -> dict[str, Path]:
    """Write every table of ``audit`` in full to ``folder`` as ``<prefix><table>.csv``
    (coverage, statements, stale_reviews, conflicts, same_claims, checks), each atomically.
    Returns {table: path}."""
    written = {}
    for field in dataclasses.fields(audit):
        frame: pd.DataFrame = getattr(audit, field.name)
        text = csv_for_people(frame)
        written[field.name] = write_atomic(
            Path(folder) / f"{prefix}{field.name}.csv", text.encode()
        )
    return written
