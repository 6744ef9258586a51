"""One way to write each kind of number a reader sees: prose, tables, chart titles and tooltips,
and the explorers' precomputed texts all call these, so one figure reads the same on every page.

The house rules, declared here once:

- tonnes are whole, with thousands separated: "1,234 t", "1,234 t/yr";
- percentages and shares have one decimal, two below 1%, and drop a trailing ".0": "12.3%",
  "27%", "0.08%"; a growth rate is a percentage a year: "14.9%/yr";
- prices are US dollars a kilogram with cents below $100: "$4.11/kg", "$1,250/kg";
- rupee amounts are written in crore, as Indian officials write them, with the billions a
  reader elsewhere knows: "Rs 7,280 crore (72.8 billion rupees)";
- a ratio in words is "about N times", N rounded to a whole number (to one decimal below 2);
- a range joins its two ends with an en dash and writes its unit once: "720–848 t/yr"; a range
  whose ends round to the same figure is that one figure, and one with a negative end is
  joined by "to" ("-88 to 970 t/yr");
- a year is a whole number: "2031", never "2,031" or "2030.5";
- a factor (a multiplier with no unit, such as kilograms of neodymium per kilogram of magnet)
  keeps three significant digits: "0.27".

A figure quoted as its source writes it is not rewritten by these: a fact's words come from
``data.lookups.format_quantity`` (its own number, unit and qualifier, as curated).
"""

from __future__ import annotations

import math

EN_DASH = "–"
CRORE = 1e7  # rupees in a crore (Indian numbering: 1 crore = 100 lakh = 10 million)
BILLION = 1e9


def _whole(value: float) -> str:
    """Return a number rounded to a whole one, thousands separated ("1,234"; "0", never "-0")."""
    text = f"{value:,.0f}"
    return "0" if text == "-0" else text


def count(n: float) -> str:
    """Return a count of things: "53,748"."""
    return _whole(n)


def year(value: float) -> str:
    """Return a year as a reader writes it: "2031" (a whole number, no thousands separator)."""
    return str(int(round(float(value))))


def tonnes(value: float) -> str:
    """Return a mass in tonnes: "1,234 t"."""
    return f"{_whole(value)} t"


def tonnes_a_year(value: float) -> str:
    """Return a rate in tonnes a year: "1,234 t/yr"."""
    return f"{_whole(value)} t/yr"


def _ends(low: float, high: float, write) -> str:
    """Return a range's two numbers joined by an en dash, or one number when both ends are
    written the same."""
    lo, hi = write(low), write(high)
    if lo == hi:
        return lo
    # "-88–970" reads as a subtraction: a range with a negative end is joined by "to".
    return f"{lo} to {hi}" if lo.startswith("-") or hi.startswith("-") else f"{lo}{EN_DASH}{hi}"


def tonnes_range(low: float, high: float) -> str:
    """Return a range of tonnes: "720–848 t" (one figure when both ends round alike)."""
    return f"{_ends(low, high, _whole)} t"


def tonnes_a_year_range(low: float, high: float) -> str:
    """Return a range of tonnes a year: "720–848 t/yr" (one figure when both ends round alike)."""
    return f"{_ends(low, high, _whole)} t/yr"


def whole_range(low: float, high: float) -> str:
    """Return a range of whole numbers without a unit, for a table column that names its unit:
    "720–848", or "720"."""
    return _ends(low, high, _whole)


def _percent_number(value: float) -> str:
    if value != 0 and abs(value) < 1:
        return f"{value:.2f}"
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: float) -> str:
    """Return a percentage (0-100): "12.3%", "27%", "0.08%"."""
    return f"{_percent_number(value)}%"


def share(fraction: float) -> str:
    """Return a share given as a fraction (0-1) as a percentage: 0.27 -> "27%"."""
    return percent(100 * fraction)


def percent_range(low: float, high: float) -> str:
    """Return a range of percentages: "8–9%" (one figure when both ends are written alike)."""
    return f"{_ends(low, high, _percent_number)}%"


def signed_percent(value: float) -> str:
    """Return a difference in percent with its sign: "+12%", "-3.5%"."""
    sign = "+" if value > 0 else ""
    return f"{sign}{percent(value)}"


def growth_rate(value: float) -> str:
    """Return a compound growth rate in percent a year: "14.9%/yr"."""
    return f"{percent(value)}/yr"


def _dollars(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 100 and not float(value).is_integer() else _whole(value)


def usd_per_kg(value: float) -> str:
    """Return a price in US dollars a kilogram: "$4.11/kg", "$1,250/kg"."""
    return f"${_dollars(value)}/kg"


def usd_per_kg_range(low: float, high: float) -> str:
    """Return a range of prices: "$20–60/kg" (one figure when both ends are written alike)."""
    return f"${_ends(low, high, _dollars)}/kg"


def usd(value: float) -> str:
    """Return an amount of US dollars: "$873 million", "$1.2 billion", "$5,000"."""
    for scale, word in ((BILLION, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"${_short(value / scale)} {word}"
    return f"${_whole(value)}"


def _short(value: float) -> str:
    """Return a number of millions or billions: whole from 100, else three significant digits."""
    return _whole(value) if abs(value) >= 100 else f"{value:,.3g}"


def rupees(value: float) -> str:
    """Return an amount of rupees in crore, with its billions: "Rs 7,280 crore (72.8 billion
    rupees)"; below a crore, "Rs 52,000"."""
    if abs(value) < CRORE:
        return f"Rs {_whole(value)}"
    crore = value / CRORE
    crore_text = _whole(crore) if abs(crore) >= 100 else f"{crore:,.3g}"
    billions = value / BILLION
    if abs(billions) < 1:
        return f"Rs {crore_text} crore"
    return f"Rs {crore_text} crore ({_short(billions)} billion rupees)"


def rupees_per_usd(value: float) -> str:
    """Return an exchange rate: "88.50 rupees per dollar"."""
    return f"{value:,.2f} rupees per dollar"


def ratio_number(value: float) -> str:
    """Return a ratio's number as it is written in words: whole, to one decimal below 2."""
    return f"{value:.1f}" if abs(value) < 2 else _whole(value)


def ratio(value: float) -> str:
    """Return a ratio in words: "about 8 times" (see ``ratio_number``)."""
    return f"about {ratio_number(value)} times"


def factor(value: float) -> str:
    """Return a multiplier without a unit with three significant digits: "0.27", "1.5"."""
    return f"{value:.3g}"


def plain_number(value: float) -> str:
    """Return a number as a document writes it, with no unit: "221 million", "1.5 billion",
    "53,748", "0.5" (the form of a curated fact's figure)."""
    for scale, word in ((BILLION, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:,.4g} {word}"
    if float(value).is_integer() or abs(value) >= 1e4:  # 4 digits of 53,748.5 is "5.375e+04"
        return _whole(value)
    return f"{value:,.4g}"


def significant(value: float) -> str:
    """Return a checked value as the audit writes it: four significant digits, whole from a
    million, "inf" for an unbounded band: "0.1235", "1,235", "12,345,678"."""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:,.4g}" if abs(value) < 1e6 else _whole(value)
