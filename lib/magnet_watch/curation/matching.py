"""Does a curated row record a candidate? The rules the audit's coverage and recall use.

``fact_covers(fact, candidate)`` and ``event_covers(event, candidate)`` compare a row of
the facts or events table (a dict) with a ``Candidate`` from ``extract_candidates``.
"""

from __future__ import annotations

import functools
import math
import re

import pandas as pd

from magnet_watch.curation.extract import Candidate
from magnet_watch.data.provenance import normalise_text, same_number

# Coverage compares every quote with every sentence of its document: normalise each text once.
normalised = functools.lru_cache(maxsize=1 << 16)(normalise_text)


def overlap(q: str, s: str) -> bool:
    """True when one normalised text contains the other."""
    return q in s or s in q


def quote_overlaps(quote: str, sentence: str) -> bool:
    """True when one text contains the other, after normalise_text (a quote of the sentence,
    or of part of it, or of more than it)."""
    return overlap(normalised(quote), normalised(sentence))


def fact_covers(fact: dict, candidate: Candidate) -> bool:
    """True when a curated fact row records the quantity ``candidate`` found.

    The fact must come from the same source and quote the same sentence (or part of
    it), and state the candidate's number, or encode it in its derivation words
    ("double that by 2030"), or use it as its horizon ("within seven years" in a
    period such as 2025-11/P7Y), or be dated by it ("In 2024, ...").
    """
    return (
        fact["source_id"] == candidate.source_id
        and quote_overlaps(fact["quote"], candidate.sentence.text)
        and fact_states(fact, candidate)
    )


def fact_states(fact: dict, candidate: Candidate) -> bool:
    """The half of ``fact_covers`` after source and quote: True when the fact states the
    candidate's number (or derivation words, or horizon), or the candidate is a date."""
    q = candidate.quantity
    if candidate.is_date:
        return True
    numbers = set(candidate.numbers) | set(q.numbers)
    stated = [fact[k] for k in ("value", "low", "high") if _present(fact.get(k))]
    if _same_dimension(candidate.unit, str(fact.get("unit"))) and any(
        same_number(float(v), n) for v in stated for n in numbers
    ):
        return True
    words = fact.get("derivation_words")
    if _present(words) and normalise_text(q.text).lower() in normalise_text(words).lower():
        return True
    period = str(fact.get("period") or "")
    return bool(
        q.unit == "year"
        and q.value is not None
        and re.search(rf"/P{int(q.value)}Y$", period)
        and float(q.value).is_integer()
    )


def _same_dimension(candidate_unit: str | None, fact_unit: str) -> bool:
    """True unless the text's unit rules the fact out ("less than 1%" is not "one mine")."""
    if candidate_unit in (None, "count"):
        return True  # a bare number may be anything

    def base(unit: str) -> str:
        return unit.split("/")[0]

    return base(candidate_unit) == base(fact_unit)


def event_covers(event: dict, candidate: Candidate) -> bool:
    """True when a curated event row quotes the sentence that ``candidate`` dates."""
    return (
        candidate.is_date
        and event["source_id"] == candidate.source_id
        and quote_overlaps(event["quote"], candidate.sentence.text)
    )


def _present(value) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and math.isnan(value))
        and (value is not pd.NA)
    )
