"""The sensitivity notebook in words: the assumptions and their ranges, the swings, the band.

Every number here comes from ``analysis.sensitivity``; this module only words and tabulates.
"""

from __future__ import annotations

import math

import pandas as pd

from magnet_watch.analysis.sensitivity import OUTCOMES, Assumption
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.narrative import headlines
from magnet_watch.narrative.capacity import ramp_shape_words
from magnet_watch.text import formats as fmt

# The facts the quoted outputs are computed from (the magnet target, IREL's plan and target,
# and the demand-doubling projection for the demand side, whose base, India's requirement of
# rare-earth magnets, is a later reference, not a fact).
# (Names in data.fact_ids.NamedFacts.)
OUTCOME_FACTS = {
    "nd_need_t_per_yr": ["magnet_target"],
    "nd_gap_t_per_yr": ["magnet_target", "irel_nd_plan", "irel_nd_target"],
    "first_shortfall_year": ["magnet_target", "irel_nd_capacity", "irel_nd_plan", "irel_nd_target"],
    "covered_pct": ["magnet_target", "demand_doubling"],
}


def outcome_facts(named: NamedFacts) -> dict[str, list[pd.Series]]:
    """Return ``{outcome: the fact rows it is computed from}`` (``OUTCOME_FACTS``)."""
    return {outcome: [getattr(named, n) for n in names] for outcome, names in OUTCOME_FACTS.items()}


RANGES_NOTE = "parameters' plausible ranges"
# Each outcome as prose names it ({year}: the year it is quoted at).
OUTCOME_WORDS = {
    "nd_need_t_per_yr": "the neodymium the magnet ramp needs in {year}",
    "nd_gap_t_per_yr": "the low end of the {year} neodymium gap (need minus IREL's high output)",
    "first_shortfall_year": "the first year the need exceeds IREL's output",
    "covered_pct": "the share of {year} rare-earth magnet demand domestic output covers",
}


def outcome_source_ids(named: NamedFacts) -> list[str]:
    """Return the source ids of the facts the demand coverage and the first shortfall rest on
    (with repeats, in ``OUTCOME_FACTS`` order): the charts' sources."""
    rows = outcome_facts(named)
    return [str(row["source_id"]) for row in [*rows["covered_pct"], *rows["first_shortfall_year"]]]


# Units of the parameter dictionary (notebooks/parameters.yaml) whose settings read better
# in the house style than as "<number> <unit>": a year needs no unit, a fraction of a whole is
# a share, a percent a year is a growth rate.
SETTING_WRITERS = {
    "calendar year": fmt.year,
    "fraction of magnet mass": lambda v: f"{fmt.share(v)} of magnet mass",
    "percent per year": fmt.growth_rate,
}


def format_setting(value, unit: str = "", short: bool = False) -> str:
    """Return an assumption's setting as a reader reads it, with its unit from the parameter
    dictionary when given: "2032", "27% of magnet mass", "14.9%/yr", "4,000 t of rare-earth
    magnets per year", "an S-curve ramp"; without a unit: 0.27, 2032, 14.87, s_curve.
    ``short`` (a chart's label beside its axis title) leaves out a long unit: "4,000"."""
    if isinstance(value, str):
        return f"{ramp_shape_words(value)} ramp" if unit == "shape name" else value
    if unit in SETTING_WRITERS:
        return SETTING_WRITERS[unit](value)
    if unit:
        number = fmt.count(value) if abs(value) >= 100 else fmt.factor(value)
        return number if short else f"{number} {unit}"
    if isinstance(value, float):
        return f"{value:g}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.2f}"
    return str(value)


def format_outcome(name: str, value: float) -> str:
    """Return an outcome's value with its unit: '1,620 t/yr', '2028' (or 'none'), '4.2%'."""
    unit = OUTCOMES[name][1]
    if unit == "year":
        return "none" if math.isnan(value) else fmt.year(value)
    if unit == "%":
        return fmt.percent(value)
    return fmt.tonnes_a_year(value) if unit == "t/yr" else f"{fmt.count(value)} {unit}"


def format_outcome_range(name: str, low: float, high: float) -> str:
    """Return a range of an outcome as every range is written (``text.formats``): "812–1,870
    t/yr", "27.3–79.6%", "2026–2033"; "2030 to none" when one end never comes."""
    unit = OUTCOMES[name][1]
    if math.isnan(low) or math.isnan(high):
        return f"{format_outcome(name, low)} to {format_outcome(name, high)}"
    if unit == "t/yr":
        return fmt.tonnes_a_year_range(low, high)
    if unit == "%":
        return fmt.percent_range(low, high)
    return fmt.whole_range(low, high).replace(",", "") if unit == "year" else f"{low}–{high}"


def _range_text(a: Assumption) -> str:
    if a.choices:
        return ", ".join(format_setting(c, a.unit) for c in a.choices)
    return f"{format_setting(a.low, a.unit)} to {format_setting(a.high, a.unit)}"


def assumptions_table(assumptions: list[Assumption], units: dict[str, str]) -> pd.DataFrame:
    """Return the assumptions: name, base case, plausible range, unit and the reason for its ends."""
    return pd.DataFrame(
        {
            "assumption": [a.label or a.name for a in assumptions],  # in words, as pages write it
            "base case": [format_setting(a.base, a.unit) for a in assumptions],
            "plausible range": [_range_text(a) for a in assumptions],
            "unit": [units[a.name] for a in assumptions],
            "why these ends": [a.reason for a in assumptions],
        }
    )


def _end_words(tornado: pd.DataFrame, end: str) -> list[str]:
    """Each tornado row's setting at one ``end`` ("low" or "high") and the outcome there."""
    return [
        f"{format_setting(s, u)}: {format_outcome(o, v)}"
        for o, s, u, v in zip(
            tornado["outcome"],
            tornado[f"setting_{end}"],
            tornado["unit"],
            tornado[f"value_at_{end}"],
            strict=True,
        )
    ]


def tornado_table(tornado: pd.DataFrame, outcome_year: int) -> pd.DataFrame:
    """Return the tornado as a display table: each outcome, each assumption, both ends."""
    return pd.DataFrame(
        {
            "outcome": [
                f"{OUTCOMES[o][0]} ({outcome_year})"
                if o != "first_shortfall_year"
                else OUTCOMES[o][0]
                for o in tornado["outcome"]
            ],
            "assumption": tornado["label"],
            "one end": _end_words(tornado, "low"),
            "other end": _end_words(tornado, "high"),
        }
    )


def _swing_words(row, outcome_year: int) -> str:
    o = row["outcome"]
    unit = row.get("unit", "")
    return (
        f"from {format_outcome(o, row['value_at_low'])} (at "
        f"{format_setting(row['setting_low'], unit)}) to "
        f"{format_outcome(o, row['value_at_high'])} "
        f"(at {format_setting(row['setting_high'], unit)})"
    )


def sensitivity_headlines(
    base: dict,
    tornado: pd.DataFrame,
    spread: pd.DataFrame,
    outcome_year: int,
    draws: int,
    band_pct: float,
    named: NamedFacts,
) -> pd.DataFrame:
    """Return the sensitivity headlines: each outcome in the base case, its Monte Carlo band
    and the assumption it depends on most (with the outcome at that assumption's two ends);
    each names the facts (``named``) it is computed from."""
    fact_rows = outcome_facts(named)
    rows = []
    # Each outcome's first tornado row has its largest swing (rows are sorted so); records,
    # not frame selections: an explorer words this for every case of its grid.
    top_swings, spreads = {}, {}
    for row in tornado.to_dict("records"):
        top_swings.setdefault(row["outcome"], row)
    for row in spread.to_dict("records"):
        spreads.setdefault(row["outcome"], row)
    for name, (label, _unit) in OUTCOMES.items():
        period = (
            f"{int(base['start_year'])}-{outcome_year}"
            if name == "first_shortfall_year"
            else str(outcome_year)
        )
        ids = [*(str(row["fact_id"]) for row in fact_rows[name]), RANGES_NOTE]
        top = top_swings[name]
        rows.append(
            headlines.computed_headline(
                f"{label}, base case", format_outcome(name, float(top["base_value"])), period, ids
            )
        )
        s = spreads[name]
        value = format_outcome_range(name, s["low"], s["high"])
        if s["none_share_pct"] > 0:
            value += f" ({fmt.percent(s['none_share_pct'])} of draws never short)"
        rows.append(
            headlines.computed_headline(
                f"{label}, central {band_pct:g}% of {draws:,} draws", value, period, ids
            )
        )
        rows.append(
            headlines.computed_headline(
                f"{label}: the assumption it depends on most",
                f"{top['label']}: {_swing_words(top, outcome_year)}"
                if top["swing"] > 0
                else "none (no assumption moves it)",
                period,
                ids,
            )
        )
    return headlines.headline_frame(rows)


def sensitivity_summary(
    tornado: pd.DataFrame,
    spread: pd.DataFrame,
    outcome_year: int,
    draws: int,
    band_pct: float,
    seed: int,
) -> str:
    """Return the findings in words (Markdown): what each quoted figure depends on most, and
    how wide the Monte Carlo band is."""
    parts = []
    for name in OUTCOMES:
        rows = tornado[(tornado["outcome"] == name) & (tornado["swing"] > 0)]
        what = OUTCOME_WORDS[name].format(year=outcome_year)
        if rows.empty:
            parts.append(f"- {what[0].upper() + what[1:]} does not move with any assumption.")
            continue
        top = rows.iloc[0]
        text = (
            f"- {what[0].upper() + what[1:]} depends most on **{top['label']}**: "
            f"{_swing_words(top, outcome_year)}"
        )
        if len(rows) > 1:
            nxt = rows.iloc[1]
            text += f"; next on {nxt['label']} ({_swing_words(nxt, outcome_year)})"
        still = tornado[(tornado["outcome"] == name) & (tornado["swing"] == 0)]["label"]
        if not still.empty:
            text += f". It does not move with {', '.join(still)}"
        parts.append(text + ".")
    gap = spread[spread["outcome"] == "nd_gap_t_per_yr"].iloc[0]
    parts.append(
        f"\nWith every assumption drawn at once ({draws:,} draws, uniform over each plausible "
        f"range, seed {seed}), the central {band_pct:g}% of the {outcome_year} gap runs from "
        f"**{format_outcome('nd_gap_t_per_yr', gap['low'])} to "
        f"{format_outcome('nd_gap_t_per_yr', gap['high'])}** (median "
        f"{format_outcome('nd_gap_t_per_yr', gap['median'])}); a negative gap is a surplus."
    )
    return "\n".join(parts)
