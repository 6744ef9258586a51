"""Find the quantitative statements in a document: the curator's candidate facts.

``split_sentences(text)`` cuts a document into sentences, keeping each one's
position, so every candidate's quote is a verbatim slice of the document.
``extract_candidates(text, source_id)`` returns one ``Candidate`` per quantity
that ``magnet_watch.text.numbers.parse_quantities`` finds in a sentence, with the
number parsed and, where the sentence tells, a suggested metric, unit, period
and qualifier. ``candidates_frame`` puts them in a table whose columns are the
facts table's columns plus the review columns, so an accepted row moves into
data/facts.csv as it is.

The suggestions are rules of thumb (``METRIC_RULES``, declared below as data):
the curator checks every one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch.data.lookups import table_fields
from magnet_watch.text.numbers import Quantity, parse_quantities

# A full stop after these is not the end of a sentence ("Ltd.", "U.S.", "Rs. 500").
ABBREVIATIONS = {
    "ltd",
    "inc",
    "co",
    "corp",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "rs",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "approx",
    "govt",
    "dept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "p.m",
    "a.m",
}
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
_MONTH_AHEAD = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")

# Kinds of quantity that date a statement rather than measure something.
DATE_KINDS = {"year", "fiscal_year", "date"}

# (metric, pattern, units the candidate may have). The first rule whose unit fits and whose
# pattern is found near the quantity wins; failing that, the first found anywhere in the sentence.
METRIC_RULES: list[tuple[str, str, set[str]]] = [
    ("scheme_outlay", r"rupee|crore|lakh|scheme|plan|outlay|incentive", {"INR", "USD"}),
    ("magnet_imports_value", r"import", {"USD", "INR"}),
    ("import_share", r"import", {"pct"}),
    ("magnet_imports", r"import", {"t", "t/yr"}),
    ("export_share_of_production", r"export.*(?:production|output)", {"pct"}),
    ("exports", r"export|shipped", {"t", "t/yr"}),
    (
        "magnet_production_share",
        r"magnets? (?:are |is )?(?:made|produced)|magnet production",
        {"pct"},
    ),
    ("processing_share", r"process|refin", {"pct"}),
    ("mining_share", r"mining|mined", {"pct"}),
    ("reserves_share", r"reserve", {"pct"}),
    ("reserves_rank", r"reserve", {"rank"}),
    ("magnet_production_share", r"magnet", {"pct"}),
    ("demand_growth_multiple", r"demand", {"ratio"}),
    ("demand_growth_rate", r"growth|grow|demand", {"pct/yr"}),
    ("re_content_per_vehicle", r"vehicle", {"kg/vehicle"}),
    ("agreement_age", r"year-old|agreement|deal", {"year"}),
    ("mine_sites_awaiting_clearance", r"mine sites?|clearance", {"count"}),
    ("operational_mines", r"operational mines?|active mines?", {"count"}),
    ("nd_production_capacity", r"capacity", {"t", "t/yr"}),
    (
        "magnet_production_target",
        r"magnet.*(?:target|goal|aim)|(?:target|goal|aim).*magnet",
        {"t", "t/yr"},
    ),
    (
        "nd_output_target",
        r"neodymium.*(?:plan|target|aim)|(?:plan|target|aim).*neodymium",
        {"t", "t/yr"},
    ),
    ("re_production", r"produc|output", {"t", "t/yr"}),
]
SENTENCE_SCOPE = {"magnet_production_target", "nd_output_target"}
NEAR_CHARS = (30, 40)  # how far before and after the quantity "near" reaches
# Words that make a number word a pronoun or part of a compound, not a count ("one of the
# most", "the only one with", "two-pronged").
NOT_A_COUNT = re.compile(r"^(?:one of\b|one another\b)|^[a-z]+-(?!year|month|ton)[a-z]", re.I)
ANNUAL = re.compile(r"\b(?:annual(?:ly)?|a year|per year|each year|every year|per annum)\b", re.I)
HORIZON = re.compile(
    r"\b(?:within|over the next|in the next|in)\s+(?:the\s+next\s+)?(?P<n>\d+|[a-z]+)\s+years\b"
    r"|\bover the next (?P<decade>decade)\b",
    re.I,
)
TARGET = re.compile(r"\b(?:by|until|before)\s+(?:(?P<month>[A-Z][a-z]+)\s+)?(?P<year>20\d{2})\b")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PLAN_WORDS = {
    "target": r"\btarget|\bgoal\b|\baims?\b",
    "planned": r"\bplans?\b|\bplanned\b",
    "projected": r"\bproject(?:ed|s|ion)?\b|\bforecast|\bexpected\b",
    "estimated": r"\bestimated?\b",
}
QUALIFIER_TO_FACT = {
    "over": "over",
    "more than": "more than",
    "less than": "less than",
    "approximately": "approximately",
}
_WORD_YEARS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "decade": 10,
}

# The candidates file: the review columns, the facts table's columns (from the data
# package, see fact_columns), then what the extractor found.
REVIEW_COLUMNS = ["candidate_id", "accept"]
FOUND_COLUMNS = ["quantity_text", "quantity_kind", "sentence_no"]
FACTS_RESOURCE = "facts"


def fact_columns(data_dir: Path | str | None = None) -> list[str]:
    """Return the facts table's column names, in order, from ``data_dir``/datapackage.json."""
    return table_fields(FACTS_RESOURCE, data_dir)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: its text (verbatim) and where it starts and ends."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """One quantity stated in a sentence, with what the library can tell about it.

    ``value``/``low``/``high`` are in the suggested unit (a percentage is 8, not 0.08;
    a third is 33.33 percent). ``quote`` is the whole sentence, verbatim.
    """

    source_id: str
    sentence: Sentence
    quantity: Quantity
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    metric: str | None
    period: str | None
    period_type: str | None
    qualifier: str
    derivation: str | None
    derivation_words: str | None

    @property
    def is_date(self) -> bool:
        """True when the quantity dates the statement (a year, fiscal year or date)."""
        return self.quantity.kind in DATE_KINDS

    @property
    def numbers(self) -> tuple[float, ...]:
        """Every number the candidate states, in its suggested unit."""
        return tuple(v for v in (self.value, self.low, self.high) if v is not None)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order, each with its character span in ``text``.

    A line break always ends a sentence (headlines, list items, page furniture);
    within a line a sentence ends at . ! or ? followed by space and a capital,
    digit or opening quote, except after an abbreviation such as "Ltd." or "U.S.".
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        offset, body = line.start(), line.group(0)
        cut = 0
        for m in _BOUNDARY.finditer(body):
            word = _WORD_BEFORE.search(body[: m.start()])
            token = word.group(1).lower().strip(".") if word else ""
            if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
                continue
            if re.search(r"\b\d{1,2}$", body[: m.start()]) and _MONTH_AHEAD.match(body, m.end()):
                continue  # "14. Aug 2025": a day of the month
            _append(sentences, body, offset, cut, m.start() + 1)
            cut = m.end()
        _append(sentences, body, offset, cut, len(body))
    return sentences


def _append(sentences: list[Sentence], body: str, offset: int, start: int, end: int) -> None:
    piece = body[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = offset + start + lead
    sentences.append(Sentence(len(sentences) + 1, s, s + len(stripped), stripped))


_METRIC_PATTERNS = [
    (metric, re.compile(pattern, re.IGNORECASE), units) for metric, pattern, units in METRIC_RULES
]


def _suggest_metric(sentence: str, q: Quantity, unit: str | None) -> str | None:
    """Return the first metric whose rule fits the unit and the words near the quantity."""
    before, after = NEAR_CHARS
    near = sentence[max(0, q.start - before) : q.end + after]
    for first_pass in (True, False):
        for metric, pattern, units in _METRIC_PATTERNS:
            # Plans and targets are told by the whole sentence ("The target is ... 6,000 tonnes").
            text = near if first_pass and metric not in SENTENCE_SCOPE else sentence
            if unit in units and pattern.search(text):
                return metric
    return None


def _suggest_period(
    sentence: str, quantities: list[Quantity], published: str | None
) -> tuple[str | None, str | None]:
    """Return (period, period_type) as the facts table writes them, or (None, None).

    ``quantities`` are the sentence's, from parse_quantities (parsed once by the caller).
    """
    fiscal = next((q for q in quantities if q.kind == "fiscal_year"), None)
    if fiscal is not None:
        return fiscal.extra["period"], "fiscal_year"
    target = TARGET.search(sentence)
    if target:
        month = target.group("month")
        if month and month[:3] in MONTHS:
            return f"{target.group('year')}-{MONTHS.index(month[:3]) + 1:02d}", "target_date"
        return target.group("year"), "target_date"
    horizon = HORIZON.search(sentence)
    if horizon and published:
        n = horizon.group("n") or horizon.group("decade")
        years = int(n) if n.isdigit() else _WORD_YEARS.get(n.lower())
        if years:
            return f"{published[:7]}/P{years}Y", "horizon"
    year = re.search(
        r"\b(?:In|in|During|during)\s+(?:(?P<month>[A-Z][a-z]+)\s+)?(?P<year>(?:19|20)\d{2})\b(?![-–]\d)",
        sentence,
    )
    if year and year.group("month") and year.group("month")[:3] in MONTHS:
        return f"{year.group('year')}-{MONTHS.index(year.group('month')[:3]) + 1:02d}", "month"
    if year and not year.group("month"):
        return year.group("year"), "calendar_year"
    if published:
        # No period stated ("currently", or nothing): the claim is as of the document's date.
        return published[:7], "as_of"
    return None, None


def _suggest_qualifier(q: Quantity, sentence: str) -> str:
    if q.qualifier in QUALIFIER_TO_FACT:
        return QUALIFIER_TO_FACT[q.qualifier]
    for qualifier, pattern in PLAN_WORDS.items():
        if re.search(pattern, sentence, re.IGNORECASE):
            return qualifier
    return "stated"


def _in_unit(
    q: Quantity, sentence: str
) -> tuple[float | None, float | None, float | None, str | None]:
    """Return (value, low, high, unit) in the facts table's units."""
    unit = q.unit
    value, low, high = q.value, q.low, q.high
    annual = bool(ANNUAL.search(sentence))
    if q.kind == "fraction":
        return round(q.value * 100, 2), None, None, "pct"
    if q.kind == "multiple":
        return q.value, None, None, "ratio"
    if unit == "kg" and re.search(r"vehicle|car\b", sentence, re.I):
        unit = "kg/vehicle"
    elif unit == "t" and annual:
        unit = "t/yr"
    elif unit == "pct" and annual:
        unit = "pct/yr"
    elif unit is None and q.kind in ("number", "range"):
        unit = "count"
    return value, low, high, unit


def extract_candidates(text: str, source_id: str, published: str | None = None) -> list[Candidate]:
    """Return one Candidate per quantity stated in ``text``, in reading order.

    ``published`` (YYYY, YYYY-MM or YYYY-MM-DD) anchors periods the sentence leaves
    implicit ("currently", "within seven years"); without it they stay empty.
    """
    out = []
    for sentence in split_sentences(text):
        quantities = parse_quantities(sentence.text)
        if not quantities:
            continue
        period, period_type = _suggest_period(sentence.text, quantities, published)
        for q in quantities:
            value, low, high, unit = _in_unit(q, sentence.text)
            if q.kind == "number" and NOT_A_COUNT.match(sentence.text[q.start :]):
                continue
            measured = q.kind not in DATE_KINDS | {"vague"}
            metric = _suggest_metric(sentence.text, q, unit) if measured else None
            derivation = derivation_words = None
            if q.kind == "fraction":
                derivation, derivation_words = f"100 * {_fraction_text(q.value)}", q.text
            out.append(
                Candidate(
                    source_id=source_id,
                    sentence=sentence,
                    quantity=q,
                    value=value,
                    low=low,
                    high=high,
                    unit=unit,
                    metric=metric,
                    period=period,
                    period_type=period_type,
                    qualifier=_suggest_qualifier(q, sentence.text),
                    derivation=derivation,
                    derivation_words=derivation_words,
                )
            )
    return out


def _fraction_text(value: float) -> str:
    for denominator in range(2, 11):
        numerator = round(value * denominator)
        if abs(numerator / denominator - value) < 1e-9:
            return f"{numerator} / {denominator}"
    return repr(value)


def candidates_frame(candidates: list[Candidate], fact_columns: list[str]) -> pd.DataFrame:
    """Return the candidates as a table for review: review columns, the facts table's
    columns (``fact_columns``, from ``fact_columns()``), then what was found.

    ``accept`` is empty: the curator writes "yes" on the rows to accept, fills in
    ``fact_id`` and ``subject`` and corrects the suggestions. Date-only candidates
    (a year, a fiscal year) are left out: they belong to events or to a fact's period.
    A facts column the extractor does not suggest (``fact_id``, ``subject``, ...) is empty.
    """
    columns = [*REVIEW_COLUMNS, *fact_columns, *FOUND_COLUMNS]
    blank = dict.fromkeys(columns, "")
    rows = []
    for c in candidates:
        if c.is_date:
            continue
        q = c.quantity
        suggested = {
            "candidate_id": f"{c.source_id}-s{c.sentence.number}-{q.start}",
            "metric": c.metric or "",
            "value": c.value,
            "low": c.low,
            "high": c.high,
            "unit": c.unit or "",
            "period": c.period or "",
            "period_type": c.period_type or "",
            "qualifier": c.qualifier,
            "source_id": c.source_id,
            "quote": c.sentence.text,
            "derivation": c.derivation or "",
            "derivation_words": c.derivation_words or "",
            "quantity_text": q.text,
            "quantity_kind": q.kind,
            "sentence_no": c.sentence.number,
        }
        rows.append(blank | {k: v for k, v in suggested.items() if k in blank})
    return pd.DataFrame(rows, columns=columns)
