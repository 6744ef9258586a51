"""Find and parse the quantities written in a sentence.

``parse_quantities(text)`` returns every number a reader would see in ``text``:
digits with thousands separators ("53,748", Indian "1,00,000"), decimals,
ranges ("400–500", "eight to nine", "between 80% and 90%"), scale words
("73-billion", "$221 million", "55 lakh", "7,300 crore"), percentages,
ordinals ("third-largest"), fractions ("a third"), multiples ("double"),
years and Indian fiscal years ("FY25", "FY2024-25"), with the qualifier that
precedes them ("over", "more than", "less than", "approximately").

Values are returned in base units: "73-billion-rupee" is 73e9 with
currency INR; "8%" is 8 with unit pct; "a third" is 1/3 with kind fraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
ORDINAL_WORDS = {n: w for w, n in ORDINALS.items()}  # 1 -> "first": for writing ranks
FRACTIONS = {
    "half": 1 / 2,
    "a half": 1 / 2,
    "one half": 1 / 2,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "one-third": 1 / 3,
    "a quarter": 1 / 4,
    "one quarter": 1 / 4,
    "a fifth": 1 / 5,
    "two thirds": 2 / 3,
    "two-thirds": 2 / 3,
    "three quarters": 3 / 4,
    "three-quarters": 3 / 4,
}
MULTIPLES = {
    "double": 2,
    "doubled": 2,
    "twice": 2,
    "triple": 3,
    "tripled": 3,
    "treble": 3,
    "quadruple": 4,
    "two-fold": 2,
    "twofold": 2,
    "three-fold": 3,
    "threefold": 3,
}
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
QUALIFIERS = {
    "over": "over",
    "more than": "more than",
    "exceeding": "more than",
    "above": "over",
    "less than": "less than",
    "under": "less than",
    "below": "less than",
    "fewer than": "less than",
    "approximately": "approximately",
    "about": "approximately",
    "around": "approximately",
    "roughly": "approximately",
    "nearly": "approximately",
    "almost": "approximately",
    "some": "approximately",
    "at least": "more than",
    "up to": "less than",
    "just over": "over",
    "just under": "less than",
}
UNIT_WORDS = {
    r"metric tons?|tonnes?|tons?|tonne|t\b": "t",
    r"kilograms?|kgs?\b": "kg",
    r"years?": "year",
    r"months?": "month",
    r"rupees?": "INR",
    r"dollars?": "USD",
}
CURRENCY_PREFIX = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DIGITS = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
# "twenty-five" joins tens and units; "eight eight" is two numbers, not one.
_TENS = [k for k, v in WORD_NUMBERS.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
_UNITS = [k for k, v in WORD_NUMBERS.items() if 0 < v < 10]
_WORD = rf"(?:(?:{_alt(_TENS)})[- ](?:{_alt(_UNITS)})|{_alt(WORD_NUMBERS)})"
_NUM = rf"(?:{_DIGITS}|\b{_WORD}\b)"
_SCALE = rf"(?:{_alt(SCALES)})\b"
_PCT = r"(?:%|\s?percent\b|\s?per\s?cent\b)"
_CUR = r"(?:US\$|\$|₹|Rs\.?\s?|INR\s?|USD\s?)"
_SINGLE = (
    rf"(?P<§cur>{_CUR})?(?P<§num>{_NUM})(?:[\s-]?(?P<§scale>{_SCALE}))?"
    rf"(?P<§pct>{_PCT})?"
)
_Q1 = _SINGLE.replace("§", "a")
_Q2 = _SINGLE.replace("§", "b")
_QUAL = rf"(?:(?P<qual>\b(?:{_alt(QUALIFIERS)}))\s+)?"
BETWEEN_RE = re.compile(rf"{_QUAL}\bbetween\s+{_Q1}\s+and\s+{_Q2}", re.IGNORECASE)
# A quantity starts at a word boundary, a currency sign or a leading decimal point: saying so
# first spares the regex engine from trying the qualifier words at every character.
_START = r"(?:\b|(?=[$₹])|(?=\.\d))"
QUANTITY_RE = re.compile(
    rf"{_START}{_QUAL}{_Q1}(?:\s?(?:-|–|—|to)\s?(?={_NUM}){_Q2})?", re.IGNORECASE
)
SINGLE_RE = re.compile(rf"{_QUAL}{_Q1}", re.IGNORECASE)
MONTH_NUMBERS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
# "August 16, 2025", "14 August, 2025", "14. Aug 2025", "March 2026": dates, not quantities.
DATE_RE = re.compile(
    rf"(?:\b(?P<day1>\d{{1,2}})\.?\s+)?\b{_MONTH}(?:\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?,?"
    r"\s+(?P<year>(?:19|20)\d{2})\b"
)
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}\b(?:\s?[AP]M\b)?", re.IGNORECASE)
# "a few thousand tons", "millions in funding": a quantity without a number to hold it to.
VAGUE_RE = re.compile(
    r"\b(?:(?:a few|several|a couple of|many)\s+(?:hundred|thousand|lakh|crore|million|billion)s?"
    r"|(?:hundreds|thousands|lakhs|crores|millions|billions)(?:\s+of)?)\b",
    re.IGNORECASE,
)
ORDINAL_RE = re.compile(
    rf"\b(?P<ord>{_alt(ORDINALS)}|\d+(?:st|nd|rd|th))(?=[\s-]+(?:largest|biggest|highest|"
    r"lowest|smallest|most|place|rank|top|-?ranked))",
    re.IGNORECASE,
)
FRACTION_RE = re.compile(rf"\b(?P<frac>{_alt(FRACTIONS)})\b", re.IGNORECASE)
MULTIPLE_RE = re.compile(rf"\b(?P<mult>{_alt(MULTIPLES)})\b", re.IGNORECASE)
FISCAL_RE = re.compile(r"\bFY\s?'?(?P<fy1>\d{4}|\d{2})(?:\s?[-–/]\s?(?P<fy2>\d{2,4}))?\b")
_UNIT_AFTER = re.compile(
    r"^[\s-]*(?:(?P<unit>" + "|".join(f"(?:{k})" for k in UNIT_WORDS) + r"))", re.IGNORECASE
)


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text. Values are in base units (73 billion -> 7.3e10)."""

    text: str
    start: int
    end: int
    kind: str  # number, range, year, fiscal_year, date, ordinal, fraction, multiple, vague
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # pct, t, kg, year, INR, USD, ... when the text says
    qualifier: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def numbers(self) -> tuple[float, ...]:
        """Every number this quantity states: its value, or both ends of its range."""
        return tuple(v for v in (self.value, self.low, self.high) if v is not None)


def parse_number(token: str) -> float:
    """Parse one number written in digits ("53,748", "1,00,000", "8.5") or words ("nine").

    Raises ValueError for anything else.
    """
    t = token.strip().lower()
    if re.fullmatch(_DIGITS, t):
        return float(t.replace(",", ""))
    parts = re.split(r"[- ]", t)
    if parts and all(p in WORD_NUMBERS for p in parts):
        if len(parts) == 2 and WORD_NUMBERS[parts[0]] >= 20 and WORD_NUMBERS[parts[1]] < 10:
            return float(WORD_NUMBERS[parts[0]] + WORD_NUMBERS[parts[1]])
        if len(parts) == 1:
            return float(WORD_NUMBERS[parts[0]])
    raise ValueError(f"not a number: {token!r}")


def _single(m: re.Match, p: str) -> tuple[float, str | None, str | None]:
    value = parse_number(m.group(f"{p}num"))
    scale = m.group(f"{p}scale")
    if scale:
        value *= SCALES[scale.lower()]
    unit = None
    if m.group(f"{p}pct"):
        unit = "pct"
    cur = m.group(f"{p}cur")
    if cur:
        unit = CURRENCY_PREFIX[cur.strip().lower()]
    return value, unit, scale


def _is_year(text: str, value: float) -> bool:
    return bool(re.fullmatch(r"\d{4}", text)) and 1900 <= value <= 2100


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    m = _UNIT_AFTER.match(text[end : end + 40])
    if not m:
        return None, end
    word = m.group("unit").lower()
    for pattern, unit in UNIT_WORDS.items():
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return unit, end + m.end()
    return None, end  # pragma: no cover - the alternation and the table agree


def _add_match(text: str, m: re.Match, found: list, taken: list) -> bool:
    """Turn one number or range match into a Quantity; False when it is not a valid range."""
    qual = m.group("qual")
    qualifier = QUALIFIERS[qual.lower()] if qual else None
    a_start = m.start("acur") if m.group("acur") else m.start("anum")
    # A hyphenated token glued to letters ("COVID-19", "G-20") is a name, not a quantity.
    before = text[max(0, a_start - 2) : a_start]
    if before[-1:].isalnum() or (before[-1:] == "-" and before[:1].isalpha()):
        taken.append(m.span())
        return True
    a, a_unit, a_scale = _single(m, "a")
    if "bnum" in m.re.groupindex and m.group("bnum"):
        b, b_unit, b_scale = _single(m, "b")
        # "8-9%": the unit or scale written once applies to both ends.
        unit = a_unit or b_unit
        if b_scale and not a_scale:
            a *= SCALES[b_scale.lower()]
        end = m.end()
        if unit is None:
            unit, end = _unit_after(text, end)
        start = m.start() if qual or m.re is BETWEEN_RE else a_start
        kind = "range"
        if _is_year(m.group("anum"), a) and b < 100 and unit is None:  # "2023-24"
            kind, b = "year", a - a % 100 + b
            if b <= a:
                return False
        elif _is_year(m.group("anum"), a) and _is_year(m.group("bnum"), b) and unit is None:
            kind = "year"  # "2010-2012": a span of years
        if a > b:  # "10-5" is not a range a reader would write
            return False
        found.append(
            Quantity(
                text[start:end], start, end, kind, low=a, high=b, unit=unit, qualifier=qualifier
            )
        )
    else:
        raw = m.group("anum")
        unit = a_unit
        end = m.end()
        if unit is None:
            unit, end = _unit_after(text, end)
        start = m.start() if qual else a_start
        kind = "year" if _is_year(raw, a) and unit is None and not a_scale else "number"
        found.append(
            Quantity(text[start:end], start, end, kind, value=a, unit=unit, qualifier=qualifier)
        )
    taken.append((start, end))
    return True


# Every quantity above holds a digit or one of these words: a sentence with neither has none,
# and one search rules it out instead of the ten passes below (most sentences of an article).
_NUMBER_WORDS = (
    {w for table in (WORD_NUMBERS, ORDINALS, MULTIPLES) for w in table}
    | {
        word
        for phrase in FRACTIONS
        for word in re.split(r"[- ]", phrase)
        if word not in ("a", "one")
    }
    | {"hundred", "thousand", "lakh", "lac", "crore", "million", "billion"}
)
MAY_HOLD_A_QUANTITY = re.compile(rf"\d|\b(?:{_alt(_NUMBER_WORDS)})", re.IGNORECASE)


def parse_quantities(text: str) -> list[Quantity]:
    """Return the quantities in ``text`` in reading order (see the module docstring)."""
    if not MAY_HOLD_A_QUANTITY.search(text):
        return []
    return _parse_quantities(text)


def _free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    """Return True when the span a..b overlaps no span already taken by a quantity."""
    return all(b <= s or a >= e for s, e in taken)


def _fiscal_years(text: str, found: list, taken: list) -> None:
    """Add every Indian fiscal year ("FY25", "FY2024-25"); they go first, so "2024-25" in one
    is never read as a range."""
    for m in FISCAL_RE.finditer(text):
        y1 = int(m.group("fy1"))
        start_year = (2000 + y1 - 1 if y1 < 100 else y1) if not m.group("fy2") else None
        if m.group("fy2"):
            start_year = 2000 + y1 if y1 < 100 else y1
        found.append(
            Quantity(
                m.group(0),
                m.start(),
                m.end(),
                "fiscal_year",
                value=float(start_year),
                extra={"period": f"FY{start_year}-{(start_year + 1) % 100:02d}"},
            )
        )
        taken.append(m.span())


def _dates_and_times(text: str, found: list, taken: list) -> None:
    """Add every written date ("August 16, 2025"); take clock times ("13:31") out of reach,
    since they are not two numbers."""
    for m in DATE_RE.finditer(text):
        if not _free(taken, *m.span()):
            continue
        month = MONTH_NUMBERS[m.group("month")[:3].lower()]
        date = f"{m.group('year')}-{month:02d}"
        if m.group("day1") or m.group("day2"):
            date += f"-{int(m.group('day1') or m.group('day2')):02d}"
        found.append(
            Quantity(
                m.group(0),
                m.start(),
                m.end(),
                "date",
                value=float(m.group("year")),
                extra={"date": date},
            )
        )
        taken.append(m.span())
    for m in TIME_RE.finditer(text):
        taken.append(m.span())


def _numbers_and_ranges(text: str, found: list, taken: list) -> None:
    """Add every number and range ("between 80% and 90%", "400–500", "73-billion") not
    already part of a quantity found before."""
    for m in BETWEEN_RE.finditer(text) if "between" in text.lower() else ():
        if _free(taken, *m.span()):
            _add_match(text, m, found, taken)
    pos = 0
    while (m := QUANTITY_RE.search(text, pos)) is not None:
        clashes = sorted((s, e) for s, e in taken if not (m.end() <= s or m.start() >= e))
        if clashes:
            first_start, first_end = clashes[0]
            if m.start() < first_start:
                # Keep the part before the clash when it is a whole quantity of its own.
                single = SINGLE_RE.match(text, m.start())
                if single and single.end() <= first_start:
                    _add_match(text, single, found, taken)
            pos = max(m.start() + 1, first_end)
            continue
        if not _add_match(text, m, found, taken):
            # Not a range a reader would write ("2025 - 13" in a time stamp, "10-5"):
            # keep the first number on its own and read on from there.
            single = SINGLE_RE.match(text, m.start())
            _add_match(text, single, found, taken)
            pos = single.end()
        else:
            pos = m.end()


def _word_quantities(text: str, found: list, taken: list) -> None:
    """Add vague amounts ("a few thousand"), ordinals ("third-largest"), fractions ("a third")
    and multiples ("double"), each with the qualifier written just before it."""
    for m in VAGUE_RE.finditer(text):
        if _free(taken, *m.span()):
            found.append(Quantity(m.group(0), m.start(), m.end(), "vague"))
            taken.append(m.span())
    for regex, kind, table, group in (
        (ORDINAL_RE, "ordinal", ORDINALS, "ord"),
        (FRACTION_RE, "fraction", FRACTIONS, "frac"),
        (MULTIPLE_RE, "multiple", MULTIPLES, "mult"),
    ):
        for m in regex.finditer(text):
            if not _free(taken, *m.span()):
                continue
            word = m.group(group).lower()
            value = table.get(word)
            if value is None:  # numeric ordinal such as "3rd"
                value = int(re.match(r"\d+", word).group(0))
            qual_m = re.search(
                rf"\b({_alt(QUALIFIERS)})\s+$",
                text[max(0, m.start() - 20) : m.start()],
                re.IGNORECASE,
            )
            found.append(
                Quantity(
                    m.group(0),
                    m.start(),
                    m.end(),
                    kind,
                    value=float(value),
                    unit="rank" if kind == "ordinal" else None,
                    qualifier=QUALIFIERS[qual_m.group(1).lower()] if qual_m else None,
                )
            )
            taken.append(m.span())


def _parse_quantities(text: str) -> list[Quantity]:
    """Return the quantities in ``text``, in reading order: fiscal years and dates first, then
    numbers and ranges, then quantities written in words (each phase skips text already taken)."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for phase in (_fiscal_years, _dates_and_times, _numbers_and_ranges, _word_quantities):
        phase(text, found, taken)
    return sorted(found, key=lambda q: q.start)
