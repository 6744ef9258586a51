"""Each kind of number is written one way (text.formats): a table of values and their words."""

from __future__ import annotations

import pytest

from magnet_watch.text import formats

CASES = [
    # (formatter, arguments, expected text)
    (formats.count, (53748,), "53,748"),
    (formats.year, (2031.0,), "2031"),
    (formats.year, (2030.6,), "2031"),
    (formats.tonnes, (1234.4,), "1,234 t"),
    (formats.tonnes, (-0.2,), "0 t"),
    (formats.tonnes_a_year, (848.4,), "848 t/yr"),
    (formats.tonnes_range, (720.2, 847.9), "720–848 t"),
    (formats.tonnes_range, (720.2, 719.8), "720 t"),
    (formats.tonnes_a_year_range, (720.2, 847.9), "720–848 t/yr"),
    (formats.tonnes_a_year_range, (1500, 1500.3), "1,500 t/yr"),
    (formats.tonnes_a_year_range, (-88.4, 970.1), "-88 to 970 t/yr"),
    (formats.whole_range, (720.2, 847.9), "720–848"),
    (formats.percent, (12.34,), "12.3%"),
    (formats.percent, (27.0,), "27%"),
    (formats.percent, (0.083,), "0.08%"),
    (formats.percent, (100.0,), "100%"),
    (formats.share, (0.27,), "27%"),
    (formats.percent_range, (8, 9), "8–9%"),
    (formats.signed_percent, (12.04,), "+12%"),
    (formats.signed_percent, (-3.46,), "-3.5%"),
    (formats.growth_rate, (14.87,), "14.9%/yr"),
    (formats.growth_rate, (14.9,), "14.9%/yr"),
    (formats.usd_per_kg, (4.112,), "$4.11/kg"),
    (formats.usd_per_kg, (1250.4,), "$1,250/kg"),
    (formats.usd_per_kg_range, (20, 60), "$20–60/kg"),
    (formats.usd, (873.4e6,), "$873 million"),
    (formats.usd, (1.234e9,), "$1.23 billion"),
    (formats.rupees, (7.28e10,), "Rs 7,280 crore (72.8 billion rupees)"),
    (formats.rupees, (7.3e10,), "Rs 7,300 crore (73 billion rupees)"),
    (formats.rupees, (5e7,), "Rs 5 crore"),
    (formats.rupees, (52000,), "Rs 52,000"),
    (formats.rupees_per_usd, (88.5,), "88.50 rupees per dollar"),
    (formats.ratio, (8.4,), "about 8 times"),
    (formats.ratio, (9.6,), "about 10 times"),
    (formats.ratio, (1.46,), "about 1.5 times"),
    (formats.factor, (0.27,), "0.27"),
    (formats.factor, (0.2734,), "0.273"),
    (formats.plain_number, (221e6,), "221 million"),
    (formats.plain_number, (1.5e9,), "1.5 billion"),
    (formats.plain_number, (53748,), "53,748"),
    (formats.plain_number, (53748.5,), "53,748"),
    (formats.plain_number, (0.5,), "0.5"),
    (formats.significant, (0.123456,), "0.1235"),
    (formats.significant, (12345678.9,), "12,345,679"),
    (formats.significant, (float("inf"),), "inf"),
]


@pytest.mark.parametrize(("formatter", "args", "expected"), CASES)
def test_each_kind_of_number_is_written_one_way(formatter, args, expected):
    assert formatter(*args) == expected


def test_the_same_growth_rate_is_written_alike_whatever_its_precision():
    assert formats.growth_rate(14.87) == formats.growth_rate(14.9)


def test_the_same_ratio_is_written_alike_whether_rounded_down_or_up():
    assert formats.ratio(8.4) == "about 8 times" and formats.ratio(7.6) == "about 8 times"
