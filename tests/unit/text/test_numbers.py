"""The number parser reads back every number a reader would see (property-based, hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from magnet_watch.text.numbers import parse_number, parse_quantities

SCALES = {"thousand": 1e3, "lakh": 1e5, "crore": 1e7, "million": 1e6, "billion": 1e9}


def indian_grouping(n: int) -> str:
    """Write n with Indian separators: 1,00,000 and 12,34,567."""
    digits = str(n)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups, tail])


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def only_quantity(text: str):
    found = parse_quantities(text)
    assert len(found) == 1, f"{text!r} gave {[q.text for q in found]}"
    return found[0]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_international_thousands_separators_parse_back(n):
    q = only_quantity(f"India imported {n:,} tonnes last year")
    assert q.value == n
    assert q.unit == "t"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1000, max_value=10**13))
def test_indian_grouping_parses_back(n):
    text = indian_grouping(n)
    assert parse_number(text) == n
    assert only_quantity(f"a cost of Rs {text} was approved").value == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**4))
def test_decimals_parse_back(whole, fraction):
    text = f"{whole:,}.{fraction}"
    q = only_quantity(f"shares rose to {text}% this year")
    assert close(q.value, float(text.replace(",", "")))
    assert q.unit == "pct"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=1, max_value=10**7),
    st.sampled_from(["-", "–", " – ", " to "]),
    st.sampled_from(["%", " metric tons", " tonnes", " percent"]),
)
def test_ranges_with_hyphens_dashes_and_to_parse_back(low, width, separator, unit):
    high = low + width
    q = only_quantity(f"capacity of {low:,}{separator}{high:,}{unit} annually")
    assert (q.low, q.high) == (low, high)
    assert q.value is None


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(sorted(SCALES)),
    st.sampled_from([" ", "-"]),
    st.sampled_from(["", "$", "Rs ", "₹", "US$"]),
)
def test_scale_words_parse_back(whole, tenth, scale, joint, currency):
    written = f"{whole}.{tenth}" if tenth else f"{whole}"
    q = only_quantity(f"the plan is worth {currency}{written}{joint}{scale} in all")
    assert close(q.value, float(written) * SCALES[scale])
    if currency:
        assert q.unit == ("USD" if "$" in currency else "INR")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=500),
    st.integers(min_value=1, max_value=500),
    st.sampled_from(sorted(SCALES)),
)
def test_scaled_ranges_apply_the_scale_to_both_ends(low, width, scale):
    q = only_quantity(f"an outlay of {low}-{low + width} {scale} rupees")
    assert close(q.low, low * SCALES[scale])
    assert close(q.high, (low + width) * SCALES[scale])


def test_named_examples_parse_exactly():
    cases = {
        "India imported 53,748 metric tons": (53748, None, None, "t", None),
        "a 73-billion-rupee ($800 million) plan": (73e9, None, None, "INR", None),
        "the capacity to produce 400–500 metric tons": (None, 400, 500, "t", None),
        "8-9% of the market": (None, 8, 9, "pct", None),
        "over 1,000 metric tons were exported": (1000, None, None, "t", "over"),
        "55 lakh Punjabis": (5.5e6, None, None, None, None),
        "Rs 7,300 crore": (7.3e10, None, None, "INR", None),
    }
    for text, (value, low, high, unit, qualifier) in cases.items():
        q = parse_quantities(text)[0]
        assert (q.value, q.low, q.high, q.unit, q.qualifier) == (
            value,
            low,
            high,
            unit,
            qualifier,
        ), text


def test_dates_and_clock_times_are_not_counts():
    kinds = [(q.kind, q.text) for q in parse_quantities("by | 14. Aug 2025 - 13:31 | Economy")]
    assert kinds == [("date", "14. Aug 2025")]
    (q,) = parse_quantities("(August 16, 2025)")
    assert q.extra["date"] == "2025-08-16"
    (q,) = parse_quantities("In June 2025, India")
    assert (q.kind, q.extra["date"]) == ("date", "2025-06")


def test_an_impossible_range_keeps_its_numbers():
    assert [q.value for q in parse_quantities("a 10-5 vote")] == [10, 5]
    assert [q.kind for q in parse_quantities("FY2024-25 and 2023-24")] == ["fiscal_year", "year"]


def test_vague_quantities_are_found_without_a_value():
    (q,) = parse_quantities("produces just a few thousand tons annually")
    assert (q.kind, q.numbers) == ("vague", ())
    assert [q.kind for q in parse_quantities("with millions in government funding")] == ["vague"]


def test_names_with_digits_are_not_quantities():
    assert parse_quantities("COVID-19 and the G-20") == []


# The quick pre-check never hides a quantity ---------------------------------------------------

_WORDS = st.sampled_from(
    [
        "a",
        "third",
        "double",
        "eight",
        "to",
        "nine",
        "percent",
        "over",
        "tonnes",
        "crore",
        "lakh",
        "India",
        "FY",
        "between",
        "and",
        "-",
        "–",
        "half",
        "first",
        "largest",
        "millions",
        "of",
        "twenty-five",
        "Rs",
        "$",
        "the",
        "reserves",
        "June",
        "2025",
        "1,000",
        "53,748",
        "8%",
    ]
)


@given(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join))
def test_the_pre_check_never_hides_a_quantity(text):
    from magnet_watch.text.numbers import MAY_HOLD_A_QUANTITY, _parse_quantities

    if _parse_quantities(text):
        assert MAY_HOLD_A_QUANTITY.search(text)


def test_the_pre_check_changes_nothing_on_the_seeds():
    from magnet_watch import load_package
    from magnet_watch.curation.extract import split_sentences
    from magnet_watch.text.numbers import _parse_quantities

    for document in load_package().documents.values():
        for sentence in split_sentences(document):
            assert parse_quantities(sentence.text) == _parse_quantities(sentence.text)
