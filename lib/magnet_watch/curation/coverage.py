"""Coverage: is every quantity the extractor finds in a document curated, or reviewed?

``coverage_audit(package, reviewed, cache_dir)`` gives each quantity a status: "fact" or
"event" (a curated row records it), "source" (the document's own date, recorded in
sources.csv), "reviewed" (data/coverage_reviewed.csv says why it is left out) or "gap".
``extractor_recall(package, cache_dir)`` counts the curated facts the extractor finds.
Candidates come from ``candidate_cache`` (``cache_dir=None`` extracts every time).
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pandas as pd

from magnet_watch.curation.candidate_cache import cached_candidates
from magnet_watch.curation.extract import Candidate
from magnet_watch.curation.matching import fact_covers, fact_states, normalised, overlap
from magnet_watch.data.load import Package
from magnet_watch.data.provenance import normalise_text, quote_in_document
from magnet_watch.data.schema import LINE_COLUMN
from magnet_watch.errors import Problem

STATUSES = ["source", "fact", "event", "reviewed", "gap"]
STATEMENT_COLUMNS = [
    "source_id",
    "sentence_no",
    "quantity",
    "kind",
    "status",
    "recorded_by",
    "reason",
    "sentence",
]


# The facts columns matching reads (``matching.fact_covers``): converting only these to
# records is a third of the work of converting every column.
MATCH_COLUMNS = [
    "fact_id",
    "source_id",
    "quote",
    "value",
    "low",
    "high",
    "unit",
    "derivation_words",
    "period",
]


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values as None (pandas NA is not falsy-safe)."""
    # Plain tuples zipped with the column names: several times faster than to_dict("records")
    # and than itertuples' namedtuples.
    plain = frame.astype(object).where(frame.notna(), None)
    columns = list(plain.columns)
    return [
        dict(zip(columns, row, strict=True)) for row in plain.itertuples(index=False, name=None)
    ]


def _dates(package: Package) -> dict[str, str | None]:
    """Return each source's publication date as written (YYYY[-MM[-DD]]), or None."""
    return {
        r["source_id"]: r["published"] for r in records(package.sources[["source_id", "published"]])
    }


def _by_source(rows: list[dict]) -> dict[str, list[tuple[int, dict]]]:
    """Rows grouped by source_id, each with its position in ``rows``, in order."""
    grouped: dict[str, list[tuple[int, dict]]] = {}
    for i, row in enumerate(rows):
        grouped.setdefault(row["source_id"], []).append((i, row))
    return grouped


def _review_names(review: dict, candidate: Candidate) -> bool:
    """True when a review (already known to quote the sentence) names this quantity, or none."""
    quantity = review.get("quantity")
    return (
        not quantity
        or normalise_text(quantity).lower() == normalise_text(candidate.quantity.text).lower()
    )


def _statuses(candidates, published, facts, events, reviews, used_reviews) -> list[dict]:
    """Return one statement row per candidate of one document (see coverage_audit).

    ``facts``, ``events`` and ``reviews`` are the document's rows as (position, row);
    each is compared with a sentence once, then only the rows quoting it with its quantities.
    """
    # Normalise each row's quote once; a row quotes a sentence when one text contains the other.
    facts = [(normalised(f["quote"]), f) for _, f in facts]
    events = [(normalised(e["quote"]), e) for _, e in events]
    reviews = [(normalised(r["quote"]), (i, r)) for i, r in reviews]
    rows = []
    for _, group in groupby(candidates, key=lambda c: c.sentence.number):
        group = list(group)
        s = normalised(group[0].sentence.text)
        quoting = [f for q, f in facts if overlap(q, s)]
        dating = [e for q, e in events if overlap(q, s)]
        reviewing = [r for q, r in reviews if overlap(q, s)]
        for c in group:
            fact = next((f for f in quoting if fact_states(f, c)), None)
            event = dating[0] if dating and c.is_date else None
            review = next(((i, r) for i, r in reviewing if _review_names(r, c)), None)
            reason = ""
            if c.quantity.kind == "date" and c.quantity.extra.get("date") == published:
                status, by = "source", "sources.csv"  # the byline: the source's own date
            elif fact is not None:
                status, by = "fact", fact["fact_id"]
            elif event is not None:
                status, by = "event", event["event_id"]
            elif review is not None:
                status, by, reason = "reviewed", review[1]["reason_code"], review[1]["reason"]
                used_reviews.add(review[0])
            else:
                status, by = "gap", ""
            rows.append(
                {
                    "source_id": c.source_id,
                    "sentence_no": c.sentence.number,
                    "quantity": c.quantity.text,
                    "kind": c.quantity.kind,
                    "status": status,
                    "recorded_by": by,
                    "reason": reason,
                    "sentence": c.sentence.text,
                }
            )
    return rows


def _coverage_table(statements: pd.DataFrame, documents: list[str]) -> pd.DataFrame:
    """Return one row per document: quantities, recorded, reviewed, gaps and percentages."""
    counts = (
        statements.assign(n=1)
        .pivot_table(index="source_id", columns="status", values="n", aggfunc="sum", fill_value=0)
        .reindex(index=documents, columns=STATUSES, fill_value=0)
    )
    total = counts.sum(axis=1)
    coverage = pd.DataFrame(
        {
            "source_id": counts.index,
            "quantities": total.to_numpy(),
            "recorded": (counts["source"] + counts["fact"] + counts["event"]).to_numpy(),
            "reviewed": counts["reviewed"].to_numpy(),
            "gaps": counts["gap"].to_numpy(),
        }
    )
    safe_total = coverage["quantities"].where(coverage["quantities"] > 0)
    coverage["recorded_pct"] = (100 * coverage["recorded"] / safe_total).round(1).fillna(100.0)
    coverage["accounted_pct"] = (
        (100 * (coverage["recorded"] + coverage["reviewed"]) / safe_total).round(1).fillna(100.0)
    )
    return coverage


def coverage_audit(
    package: Package,
    reviewed: pd.DataFrame,
    cache_dir: Path | None = None,
    source_id: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (coverage per document, every quantity with its status, stale reviews), of
    every document, or of document ``source_id`` only.

    Statements have the columns ``STATEMENT_COLUMNS``; stale reviews are the entries of
    coverage_reviewed.csv that explain no quantity (with their CSV ``line``).
    """
    facts = _by_source(records(package.facts[MATCH_COLUMNS]))
    events = _by_source(records(package.events))
    reviews = records(reviewed)
    reviews_by_source = _by_source(reviews)
    dates = _dates(package)
    used_reviews: set[int] = set()
    rows = []
    documents = [s for s in package.documents if source_id in (None, s)]
    for doc in documents:
        published = dates.get(doc)
        candidates = cached_candidates(package.documents[doc], doc, published, cache_dir)
        rows += _statuses(
            candidates,
            published,
            facts.get(doc, []),
            events.get(doc, []),
            reviews_by_source.get(doc, []),
            used_reviews,
        )
    statements = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    stale = reviewed.iloc[
        [i for i, r in enumerate(reviews) if i not in used_reviews and r["source_id"] in documents]
    ]
    stale = stale[["source_id", "quote", "quantity", "reason_code", LINE_COLUMN]].rename(
        columns={LINE_COLUMN: "line"}
    )
    return _coverage_table(statements, documents), statements, stale


def check_reviewed_table(reviewed: pd.DataFrame, package: Package) -> list[Problem]:
    """Return a Problem for each reviewed entry whose source is unknown or whose quote is not in it."""
    problems = []
    for r in records(reviewed):
        line = int(r[LINE_COLUMN])
        document = package.documents.get(r["source_id"])
        if document is None:
            problems.append(
                Problem(
                    "coverage_reviewed.csv",
                    line,
                    "source_id",
                    f"{r['source_id']!r} is not a known source_id in sources.csv",
                )
            )
        elif not quote_in_document(r["quote"], document):
            problems.append(
                Problem(
                    "coverage_reviewed.csv",
                    line,
                    "quote",
                    f"quote not found in {r['source_id']}: {r['quote']!r}",
                )
            )
    return problems


def extractor_recall(
    package: Package, cache_dir: Path | None = None, source_id: str | None = None
) -> tuple[int, int, list[str]]:
    """Return (facts found, facts curated, ids missed): how many curated facts (of every
    document, or of document ``source_id``) the extractor finds in their own document, with
    their number (or derivation words) in a sentence the fact quotes. Dates do not count."""
    facts = records(package.facts[MATCH_COLUMNS])
    facts = [f for f in facts if source_id in (None, f["source_id"])]
    dates = _dates(package)
    documents = {f["source_id"] for f in facts}
    candidates = {
        doc: [c for c in cached_candidates(text, doc, dates.get(doc), cache_dir) if not c.is_date]
        for doc, text in package.documents.items()
        if doc in documents
    }
    missed = [
        f["fact_id"]
        for f in facts
        if not any(fact_covers(f, c) for c in candidates[f["source_id"]])
    ]
    return len(facts) - len(missed), len(facts), missed
