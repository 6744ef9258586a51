"""The notebooks' computations: magnet ramp, neodymium need and gap, imports, demand, market shares.

Every number that comes from the documents is read from the facts table by its
fact id (the ``*_FACT`` constants below); the rest are parameters the caller
passes, each a labelled assumption. Units are in the names: ``_t`` tonnes,
``_t_per_yr`` tonnes per year, ``_pct`` percent, ``_usd_per_kg`` dollars per kg.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from magnet_watch.data.load import fact, facts_for, format_quantity, load_facts
from magnet_watch.errors import ParameterError
from magnet_watch.text.periods import horizon_years, period_label

# The facts the computations read, by id.
MAGNET_TARGET_FACT = "msa_magnet_target"  # 6,000 t/yr of magnets within seven years of Nov 2025
IREL_ND_CAPACITY_FACT = "ipl_irel_nd_capacity"  # 400-500 t/yr of neodymium, Aug 2025
IREL_ND_PLAN_FACT = "ibns_irel_nd_plan_2026"  # 450 t of neodymium by March 2026
IREL_ND_TARGET_FACT = "ibns_irel_nd_target_2030"  # double that by 2030
IREL_PRODUCTION_FACT = "ibns_irel_production_2024"  # 2,900 t in 2024
EXPORTS_JAPAN_FACT = "ibns_exports_japan_2024"  # over 1,000 t to Japan in 2024
EXPORT_SHARE_FACT = "ibns_export_share_2024"  # more than a third of production
IMPORTS_TONNES_FACT = "ibns_magnet_imports_fy25"  # 53,748 t of magnets in FY2024-25
IMPORTS_VALUE_FACT = "msa_imports_value_2025"  # about $221 million in 2025
CHINA_IMPORT_SHARE_FACT = "msa_china_import_share"  # 80-90% of magnets and related materials
DEMAND_DOUBLING_FACT = "msa_demand_doubling"  # demand to double within five years
DEMAND_GROWTH_FACT = "msa_demand_growth_rate"  # the curator's rate for it, with derivation words
CHINA_MAGNET_SHARE_FACT = "jkc_china_magnet_share"  # 90% of world magnet production
JAPAN_MAGNET_SHARE_FACT = "jkc_japan_magnet_share"  # 8-9%
INDIA_RESERVES_SHARE_FACT = "msa_india_reserves_share"  # about 8% of world reserves
INDIA_MINING_SHARE_FACT = "msa_india_mining_share"  # less than 1% of world mining

RAMP_SHAPES = ("linear", "s_curve", "front_loaded", "back_loaded")

# Standard atomic weights (IUPAC 2021 abridged), g/mol: for the stoichiometric
# neodymium share of Nd2Fe14B, the reference point of the nd_mass_fraction assumption.
ATOMIC_WEIGHT_G_PER_MOL = {"Nd": 144.24, "Fe": 55.845, "B": 10.81}


def nd2fe14b_nd_mass_fraction() -> float:
    """Return the neodymium mass fraction of pure Nd2Fe14B (about 0.267, a fraction of 1).

    Commercial sintered NdFeB magnets carry roughly 29-32% rare earths by mass,
    part of it praseodymium and dysprosium instead of neodymium, so the
    stoichiometric share is a sensible central assumption for neodymium alone.
    """
    w = ATOMIC_WEIGHT_G_PER_MOL
    nd = 2 * w["Nd"]
    return nd / (nd + 14 * w["Fe"] + w["B"])


MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip


def period_words(period: str) -> str:
    """Return a period as a reader writes it: "2026-03" -> "March 2026"; others unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    return f"{MONTH_NAMES[int(match.group(2)) - 1]} {match.group(1)}" if match else period


def _facts(facts: pd.DataFrame | None) -> pd.DataFrame:
    return load_facts() if facts is None else facts


# Capacity -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MagnetTarget:
    """The national magnet target: ``output_t_per_yr`` by ``target_year``, set in ``start_year``."""

    output_t_per_yr: float
    start_year: int
    target_year: int
    fact_id: str
    source_id: str


def magnet_target(facts: pd.DataFrame | None = None) -> MagnetTarget:
    """Return the national magnet target and its horizon, read from the facts table.

    ``start_year`` is the year of approval (the horizon's origin), ``target_year``
    the year the horizon ends (approval + seven years).
    """
    row = fact(MAGNET_TARGET_FACT, _facts(facts))
    return MagnetTarget(
        output_t_per_yr=float(row["value"]),
        start_year=int(row["period_start"].year),
        target_year=int(row["period_end"].year),
        fact_id=MAGNET_TARGET_FACT,
        source_id=str(row["source_id"]),
    )


def resolve_years(
    start_year: int | None, target_year: int | None, facts: pd.DataFrame | None = None
) -> tuple[int, int]:
    """Return (start_year, target_year) with None replaced by the scheme's own horizon.

    None for ``start_year`` means the year the scheme was approved; None for
    ``target_year`` the end of its horizon (approval + seven years), both read from
    the magnet-target fact. Raises ParameterError when the target is not after the start.
    """
    target = magnet_target(facts)
    start = target.start_year if start_year is None else int(start_year)
    end = target.target_year if target_year is None else int(target_year)
    if end <= start:
        raise ParameterError(
            f"parameter 'target_year' = {end} must be after 'start_year' = {start}"
        )
    return start, end


def ramp_fraction(progress: float, shape: str) -> float:
    """Return the share of the way to target (0 to 1) reached at ``progress`` (0 to 1) of the time.

    Shapes: ``linear``; ``s_curve`` (smoothstep: slow start, fast middle, slow
    finish); ``front_loaded`` (fast start); ``back_loaded`` (slow start, fast finish).
    """
    x = min(max(progress, 0.0), 1.0)
    if shape == "linear":
        return x
    if shape == "s_curve":
        return x * x * (3 - 2 * x)
    if shape == "front_loaded":
        return 1 - (1 - x) ** 2
    if shape == "back_loaded":
        return x * x
    raise ParameterError(
        f"parameter 'ramp_shape' = {shape!r} is not allowed: allowed {RAMP_SHAPES}"
    )


def magnet_ramp(
    start_year: int,
    target_year: int,
    target_output_t_per_yr: float,
    shape: str = "linear",
    *,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
) -> pd.DataFrame:
    """Return magnet output per year from ``start_year`` to ``end_year`` (default: target year).

    Output moves from ``start_output_t_per_yr`` in the start year to the target in
    the target year along ``shape`` (see ``ramp_fraction``), then holds at the target.
    Columns: year, magnet_output_t_per_yr, share_of_target_pct.
    Raises ParameterError when the target year is not after the start year.
    """
    if target_year <= start_year:
        raise ParameterError(
            f"parameter 'target_year' = {target_year} must be after 'start_year' = {start_year}"
        )
    end_year = target_year if end_year is None else end_year
    if end_year < start_year:
        raise ParameterError(f"end_year {end_year} is before start_year {start_year}")
    years = list(range(start_year, end_year + 1))
    span = target_year - start_year
    output = [
        start_output_t_per_yr
        + (target_output_t_per_yr - start_output_t_per_yr)
        * ramp_fraction((y - start_year) / span, shape)
        for y in years
    ]
    frame = pd.DataFrame({"year": years, "magnet_output_t_per_yr": output})
    frame["share_of_target_pct"] = frame["magnet_output_t_per_yr"] / target_output_t_per_yr * 100
    return frame


def nd_needed_t_per_yr(magnet_output_t_per_yr, nd_mass_fraction: float):
    """Return the neodymium (t/yr) a magnet output (t/yr) contains at ``nd_mass_fraction`` (0-1).

    Counts only the neodymium in finished magnets: machining scrap and process
    losses would add to it, so this is a lower bound on the feedstock needed.
    """
    if not 0 < nd_mass_fraction <= 1:
        raise ParameterError(
            f"parameter 'nd_mass_fraction' = {nd_mass_fraction!r} is out of range: "
            "allowed above 0 to 1 (fraction of magnet mass)"
        )
    return magnet_output_t_per_yr * nd_mass_fraction


def irel_nd_supply(years, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return IREL's neodymium output per year (t/yr) as the documents state or plan it.

    - Before the first plan year: today's capacity, 400-500 t/yr, kept as a range.
    - From the plan year (450 t by March 2026, read as the 2026 rate) to the target
      year (900 t by 2030): linear interpolation between the two stated points.
    - After 2030: held at 900 t/yr, because no document states anything beyond.
    Columns: year, irel_nd_low_t_per_yr, irel_nd_high_t_per_yr, irel_basis, irel_fact_ids.
    """
    facts = _facts(facts)
    capacity = fact(IREL_ND_CAPACITY_FACT, facts)
    plan = fact(IREL_ND_PLAN_FACT, facts)
    target = fact(IREL_ND_TARGET_FACT, facts)
    plan_year, target_year = int(plan["period_end"].year), int(target["period_end"].year)
    plan_t, target_t = float(plan["value"]), float(target["value"])
    rows = []
    for year in years:
        if year < plan_year:
            low, high = float(capacity["low"]), float(capacity["high"])
            basis, ids = "capacity today (stated range)", IREL_ND_CAPACITY_FACT
        elif year <= target_year:
            value = plan_t + (target_t - plan_t) * (year - plan_year) / (target_year - plan_year)
            low = high = value
            basis = "planned (interpolated)" if plan_year < year < target_year else "planned"
            ids = f"{IREL_ND_PLAN_FACT}, {IREL_ND_TARGET_FACT}"
        else:
            low = high = target_t
            basis, ids = "held at the 2030 target (nothing stated beyond)", IREL_ND_TARGET_FACT
        rows.append((year, low, high, basis, ids))
    columns = ["year", "irel_nd_low_t_per_yr", "irel_nd_high_t_per_yr", "irel_basis",
               "irel_fact_ids"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def nd_gap(
    start_year: int,
    target_year: int,
    shape: str,
    nd_mass_fraction: float,
    *,
    start_output_t_per_yr: float = 0.0,
    end_year: int | None = None,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return, year by year, the magnet ramp, the neodymium it needs, IREL's supply and the gap.

    The magnet target (t/yr) is read from the facts. Gap = need minus IREL supply,
    in t/yr: positive is a shortfall, negative a surplus. Where IREL's supply is a
    range the gap is a range (gap_low uses the high supply). Columns: year,
    magnet_output_t_per_yr, share_of_target_pct, nd_needed_t_per_yr,
    irel_nd_low_t_per_yr, irel_nd_high_t_per_yr, irel_basis, irel_fact_ids,
    nd_gap_low_t_per_yr, nd_gap_high_t_per_yr, nd_covered_by_irel_low_pct, nd_covered_by_irel_high_pct.
    """
    facts = _facts(facts)
    target = magnet_target(facts)
    ramp = magnet_ramp(start_year, target_year, target.output_t_per_yr, shape,
                       start_output_t_per_yr=start_output_t_per_yr, end_year=end_year)  # fmt: skip
    ramp["nd_needed_t_per_yr"] = nd_needed_t_per_yr(
        ramp["magnet_output_t_per_yr"], nd_mass_fraction
    )
    frame = ramp.merge(irel_nd_supply(ramp["year"], facts), on="year")
    frame["nd_gap_low_t_per_yr"] = frame["nd_needed_t_per_yr"] - frame["irel_nd_high_t_per_yr"]
    frame["nd_gap_high_t_per_yr"] = frame["nd_needed_t_per_yr"] - frame["irel_nd_low_t_per_yr"]
    need = frame["nd_needed_t_per_yr"].where(frame["nd_needed_t_per_yr"] > 0)
    # Share of the need IREL's output could meet, capped at 100%; undefined with no need.
    frame["nd_covered_by_irel_low_pct"] = (frame["irel_nd_low_t_per_yr"] / need * 100).clip(
        upper=100
    )
    frame["nd_covered_by_irel_high_pct"] = (frame["irel_nd_high_t_per_yr"] / need * 100).clip(
        upper=100
    )
    return frame


# Imports and demand ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitValueCheck:
    """The unit value implied by an import value and tonnage, and whether it is plausible."""

    usd_per_kg: float
    value_usd: float
    tonnes: float
    plausible: bool
    verdict: str
    reasons: list[str] = field(default_factory=list)
    fact_ids: tuple[str, str] = (IMPORTS_VALUE_FACT, IMPORTS_TONNES_FACT)


def implied_unit_value(
    plausible_low_usd_per_kg: float,
    plausible_high_usd_per_kg: float,
    facts: pd.DataFrame | None = None,
) -> UnitValueCheck:
    """Return the import value divided by the import tonnage (USD/kg), with a verdict and reasons.

    The plausible band is an assumption the caller passes (what sintered NdFeB
    magnets cost per kg). The reasons always name how the two figures differ in
    period and scope, because they come from different documents.
    """
    if not 0 <= plausible_low_usd_per_kg < plausible_high_usd_per_kg:
        raise ParameterError(
            f"plausible unit-value band {plausible_low_usd_per_kg}-{plausible_high_usd_per_kg} "
            "USD/kg must have 0 <= low < high"
        )
    facts = _facts(facts)
    value, tonnes = fact(IMPORTS_VALUE_FACT, facts), fact(IMPORTS_TONNES_FACT, facts)
    usd_per_kg = float(value["value"]) / (float(tonnes["value"]) * 1000)
    reasons = [
        f"the periods differ: tonnes are for {tonnes['period']} (Indian fiscal year, April to "
        f"March), the value is for calendar {value['period']}, possibly part of the year",
        "the scopes differ: tonnes are 'rare earth magnets', the value is "
        "'magnets and related materials'",
        f"the two figures come from different documents ({tonnes['source_id']}, "
        f"{value['source_id']})",
    ]
    plausible = plausible_low_usd_per_kg <= usd_per_kg <= plausible_high_usd_per_kg
    if plausible:
        verdict = (f"plausible: it lies within the assumed "
                   f"{plausible_low_usd_per_kg:,.0f}–{plausible_high_usd_per_kg:,.0f} USD/kg "
                   "for rare-earth magnets")  # fmt: skip
    else:
        side = "below" if usd_per_kg < plausible_low_usd_per_kg else "above"
        verdict = (f"implausible: it is {side} the assumed "
                   f"{plausible_low_usd_per_kg:,.0f}–{plausible_high_usd_per_kg:,.0f} USD/kg "
                   "for rare-earth magnets")  # fmt: skip
        if side == "below":
            reasons.insert(
                0,
                "so low a price suggests the tonnage counts cheaper magnets (such as ferrite) "
                "or the value covers only part of the trade",
            )
    return UnitValueCheck(usd_per_kg, float(value["value"]), float(tonnes["value"]), plausible,
                          verdict, reasons)  # fmt: skip


def imports_from_china_t(facts: pd.DataFrame | None = None) -> dict:
    """Return the FY2024-25 magnet imports (t) that came from China, as a range (low_t, high_t).

    Applies China's 80-90% share (stated for "magnets and related materials", Nov 2025)
    to the FY2024-25 tonnage: a rough range, since scope and period differ.
    """
    facts = _facts(facts)
    tonnes, share = fact(IMPORTS_TONNES_FACT, facts), fact(CHINA_IMPORT_SHARE_FACT, facts)
    return {
        "low_t": float(tonnes["value"]) * float(share["low"]) / 100,
        "high_t": float(tonnes["value"]) * float(share["high"]) / 100,
        "fact_ids": (IMPORTS_TONNES_FACT, CHINA_IMPORT_SHARE_FACT),
    }


def implied_growth_rate_pct(facts: pd.DataFrame | None = None) -> float:
    """Return the compound annual growth (%/yr) implied by "demand will double within five years".

    Reads the multiple (2) and the horizon (P5Y) from the demand-doubling fact:
    (multiple ** (1 / years) - 1) * 100, about 14.9%/yr.
    """
    row = fact(DEMAND_DOUBLING_FACT, _facts(facts))
    return (float(row["value"]) ** (1 / horizon_years(str(row["period"]))) - 1) * 100


def base_demand(facts: pd.DataFrame | None = None) -> dict:
    """Return today's magnet demand proxy: FY2024-25 imports (t), with the year it is placed at.

    India made almost no magnets, so imports stand in for demand. FY2024-25 ends
    in March 2025; the projection places it at ``year`` 2025 (the year it ends).
    """
    row = fact(IMPORTS_TONNES_FACT, _facts(facts))
    return {"demand_t": float(row["value"]), "year": int(row["period_end"].year),
            "period": str(row["period"]), "fact_id": IMPORTS_TONNES_FACT}  # fmt: skip


def demand_coverage(
    growth_rate_pct_per_yr: float,
    start_year: int,
    target_year: int,
    shape: str,
    *,
    base_demand_t: float | None = None,
    end_year: int | None = None,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return projected demand (t) against domestic magnet output (t/yr), and the share covered.

    Demand grows at ``growth_rate_pct_per_yr`` (compound) from the base (FY2024-25
    imports, placed at 2025, unless ``base_demand_t`` is given). Domestic output
    follows the magnet ramp to the national target. Columns: year, demand_t,
    magnet_output_t_per_yr, covered_pct (output / demand * 100), uncovered_t.
    """
    if growth_rate_pct_per_yr < 0:
        raise ParameterError(
            f"parameter 'growth_rate_pct_per_yr' = {growth_rate_pct_per_yr} is out of range: "
            "allowed 0 or more (percent per year)"
        )
    facts = _facts(facts)
    base = base_demand(facts)
    base_t = base["demand_t"] if base_demand_t is None else base_demand_t
    target = magnet_target(facts)
    ramp = magnet_ramp(start_year, target_year, target.output_t_per_yr, shape, end_year=end_year)
    frame = ramp[["year", "magnet_output_t_per_yr"]].copy()
    frame.insert(
        1, "demand_t", base_t * (1 + growth_rate_pct_per_yr / 100) ** (frame["year"] - base["year"])
    )
    frame["covered_pct"] = frame["magnet_output_t_per_yr"] / frame["demand_t"] * 100
    frame["uncovered_t"] = (frame["demand_t"] - frame["magnet_output_t_per_yr"]).clip(lower=0)
    return frame


# Market shares --------------------------------------------------------------------------------


def magnet_market_split(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return world magnet production shares: China, Japan and everyone else (percent, as ranges).

    China's 90% is a single figure; Japan's is 8-9%, so the remainder is
    100 - 90 - 9 to 100 - 90 - 8, i.e. a range. Columns: subject, low_pct,
    high_pct, value_text, fact_ids, how (stated or derived).
    """
    facts = _facts(facts)
    rows = []
    lows, highs = [], []
    for fact_id in (CHINA_MAGNET_SHARE_FACT, JAPAN_MAGNET_SHARE_FACT):
        row = fact(fact_id, facts)
        low = float(row["value"] if pd.notna(row["value"]) else row["low"])
        high = float(row["value"] if pd.notna(row["value"]) else row["high"])
        lows.append(low)
        highs.append(high)
        rows.append((row["subject"], low, high, format_quantity(row), fact_id, "stated"))
    rest_low, rest_high = 100 - sum(highs), 100 - sum(lows)
    rest_text = f"{rest_low:g}–{rest_high:g}%" if rest_low != rest_high else f"{rest_low:g}%"
    rows.append(("everyone else", rest_low, rest_high, rest_text,
                 f"{CHINA_MAGNET_SHARE_FACT}, {JAPAN_MAGNET_SHARE_FACT}",
                 "derived: 100% minus China and Japan"))  # fmt: skip
    return pd.DataFrame(
        rows, columns=["subject", "low_pct", "high_pct", "value_text", "fact_ids", "how"]
    )


def processing_claims(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return every claim of China's share of rare-earth processing, one row per source.

    The documents disagree (about 85% of capacity; over 90% of rare earths
    processed): both rows are returned, never averaged.
    """
    return facts_for("processing_share", "China", facts=_facts(facts)).reset_index(drop=True)


def reserves_vs_mining(facts: pd.DataFrame | None = None) -> dict:
    """Return India's share of world reserves and of mining (percent) and how they compare.

    Reserves are "approximately 8%", mining "less than 1%": the reserves share is
    more than ``ratio_more_than`` (8 / 1) times the mining share.
    """
    facts = _facts(facts)
    reserves, mining = fact(INDIA_RESERVES_SHARE_FACT, facts), fact(INDIA_MINING_SHARE_FACT, facts)
    ranks = facts_for("reserves_rank", "India", facts=facts)
    return {
        "reserves_pct": float(reserves["value"]),
        "reserves_text": format_quantity(reserves),
        "mining_pct_below": float(mining["value"]),
        "mining_text": format_quantity(mining),
        "ratio_more_than": float(reserves["value"]) / float(mining["value"]),
        "reserves_rank": sorted({int(v) for v in ranks["value"]}),
        "rank_sources": sorted(str(s) for s in ranks["source_id"]),
        "fact_ids": (INDIA_RESERVES_SHARE_FACT, INDIA_MINING_SHARE_FACT),
    }


# Headlines ------------------------------------------------------------------------------------

HEADLINE_COLUMNS = ["figure", "value", "period", "source"]


def fact_headline(fact_id: str, figure: str, facts: pd.DataFrame | None = None) -> dict:
    """Return one headline row for a curated fact: its value as written, period (in words,
    e.g. "FY2024-25 (Apr 2024–Mar 2025)") and source id."""
    row = fact(fact_id, _facts(facts))
    return {"figure": figure, "value": format_quantity(row),
            "period": _period_words(row),
            "source": str(row["source_id"])}  # fmt: skip


def _period_words(row) -> str:
    return period_label(str(row["period"]), str(row["period_type"]))


def computed_headline(figure: str, value: str, period: str, fact_ids) -> dict:
    """Return one headline row for a computed figure; its source names the facts it uses."""
    return {"figure": figure, "value": value, "period": period,
            "source": "computed from " + ", ".join(fact_ids)}  # fmt: skip


def headline_frame(rows: list[dict]) -> pd.DataFrame:
    """Return headline rows as the table ``display.show_headlines`` takes (all text)."""
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(str)


# What each notebook shows: headline rows, tables and findings in words ------------------------
# The notebooks call these so that every number in their prose is computed here.

OVERVIEW_HEADLINE_FACTS = [
    (MAGNET_TARGET_FACT, "National magnet production target"),
    ("msa_scheme_outlay_inr", "Magnet scheme outlay (rupees)"),
    ("msa_scheme_outlay_usd", "Magnet scheme outlay (dollars, the article's conversion)"),
    (IREL_ND_CAPACITY_FACT, "IREL neodymium capacity"),
    (IREL_ND_TARGET_FACT, "IREL neodymium output target"),
    (IMPORTS_TONNES_FACT, "Rare-earth magnet imports"),
    (CHINA_IMPORT_SHARE_FACT, "Share of magnets and related materials imported from China"),
    (CHINA_MAGNET_SHARE_FACT, "China's share of world magnet production"),
]


def overview_headlines(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the overview's headline table: the key curated figures, as written, with sources."""
    facts = _facts(facts)
    return headline_frame(
        [fact_headline(i, figure, facts) for i, figure in OVERVIEW_HEADLINE_FACTS]
    )


@dataclass(frozen=True)
class Timeline:
    """The events a timeline shows, between ``start`` and ``end`` (Timestamps)."""

    events: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    include_future: bool


FUTURE_STATUSES = ("planned", "target", "projected")


def timeline_events(
    events: pd.DataFrame,
    start_year: int | None,
    end_year: int | None,
    *,
    include_future: bool = True,
    facts: pd.DataFrame | None = None,
) -> Timeline:
    """Return the events to draw from ``start_year`` to ``end_year`` (whole calendar years).

    None for ``start_year`` is the earliest event's year; None for ``end_year`` is the
    end of the magnet scheme's horizon (its last month, from the magnet-target fact).
    ``include_future=False`` drops planned, target and projected events.
    """
    if start_year is None:
        start = events["date_start"].min()
    else:
        start = pd.Timestamp(year=int(start_year), month=1, day=1)
    if end_year is None:
        end = fact(MAGNET_TARGET_FACT, _facts(facts))["period_end"]
    else:
        end = pd.Timestamp(year=int(end_year), month=12, day=31)
    if end <= start:
        raise ParameterError(
            f"parameter 'timeline_end_year' = {end.year} must be after "
            f"'timeline_start_year' = {start.year}"
        )
    shown = events[(events["date_start"] >= start) & (events["date_start"] <= end)]
    if not include_future:
        shown = shown[~shown["status"].astype(str).isin(FUTURE_STATUSES)]
    return Timeline(shown.reset_index(drop=True), pd.Timestamp(start), pd.Timestamp(end),
                    include_future)  # fmt: skip


def timeline_summary(timeline: Timeline) -> str:
    """Return the timeline's finding in words (Markdown)."""
    events = timeline.events
    groups = events.drop_duplicates("event_group")
    future = groups["status"].astype(str).isin(FUTURE_STATUSES)
    multi = events.groupby("event_group")["source_id"].nunique()
    text = (f"The timeline shows **{len(groups)} events** from {timeline.start.year} to "
            f"{timeline.end.year}, reported in {len(events)} rows by "
            f"{events['source_id'].nunique()} documents; **{int((multi > 1).sum())}** events are "
            "reported by more than one document.")  # fmt: skip
    if timeline.include_future:
        text += f" **{int(future.sum())}** of the events are plans, targets or projections."
    else:
        text += " Plans, targets and projections are hidden (include_future = False)."
    return text


def irel_facts(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the IREL rows the capacity chart draws: capacity (both sources), 2024 production
    and exports to Japan, and the planned neodymium output."""
    facts = _facts(facts)
    capacity = facts_for("nd_production_capacity", "IREL", facts=facts)
    ids = [IREL_PRODUCTION_FACT, EXPORTS_JAPAN_FACT, IREL_ND_PLAN_FACT, IREL_ND_TARGET_FACT]
    return pd.concat([capacity, facts[facts["fact_id"].isin(ids)]], ignore_index=True)


def irel_summary(facts: pd.DataFrame | None = None) -> str:
    """Return what IREL makes and where its 2024 output went, in words (Markdown)."""
    facts = _facts(facts)
    capacity = fact(IREL_ND_CAPACITY_FACT, facts)
    production, exports = fact(IREL_PRODUCTION_FACT, facts), fact(EXPORTS_JAPAN_FACT, facts)
    share = fact(EXPORT_SHARE_FACT, facts)
    plan, target = fact(IREL_ND_PLAN_FACT, facts), fact(IREL_ND_TARGET_FACT, facts)
    computed_share = float(exports["value"]) / float(production["value"]) * 100
    return (f"IREL can produce **{format_quantity(capacity)}** of neodymium. In "
            f"{production['period']} it produced {format_quantity(production)} of rare earths and "
            f"exported **{format_quantity(exports)}** to Japan: {share['derivation_words']} "
            f"(over {exports['value']:,.0f} of {production['value']:,.0f} t is "
            f"at least {computed_share:.1f}%). It plans {format_quantity(plan)} of neodymium by "
            f"{period_words(plan['period'])} and {format_quantity(target)} by "
            f"{period_words(target['period'])} "
            f"({target['derivation_words']}).")  # fmt: skip


def capacity_headlines(
    gap: pd.DataFrame, nd_mass_fraction: float, facts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the capacity notebook's headlines: the curated figures and the scenario's gap."""
    facts = _facts(facts)
    last = gap.iloc[-1]
    year = str(int(last["year"]))
    shortfall = gap[gap["nd_gap_low_t_per_yr"] > 0]
    first_short = str(int(shortfall["year"].iloc[0])) if not shortfall.empty else "none"
    used = [MAGNET_TARGET_FACT, IREL_ND_PLAN_FACT, IREL_ND_TARGET_FACT,
            "parameters nd_mass_fraction and ramp"]  # fmt: skip
    rows = [
        fact_headline(IREL_ND_CAPACITY_FACT, "IREL neodymium capacity", facts),
        fact_headline(IREL_PRODUCTION_FACT, "IREL rare-earth production", facts),
        fact_headline(EXPORTS_JAPAN_FACT, "IREL exports to Japan", facts),
        fact_headline(IREL_ND_PLAN_FACT, "IREL planned neodymium output", facts),
        fact_headline(IREL_ND_TARGET_FACT, "IREL neodymium output target", facts),
        fact_headline(MAGNET_TARGET_FACT, "National magnet production target", facts),
        computed_headline(
            # The assumption goes in the value, so scenarios line up on one row.
            "Neodymium the magnet target needs",
            f"{last['nd_needed_t_per_yr']:,.0f} t/yr (at {nd_mass_fraction:.0%} Nd)", year, [MAGNET_TARGET_FACT, "parameter nd_mass_fraction"],
        ),
        computed_headline("Neodymium gap: need minus IREL output", _gap_text(last), year, used),
        computed_headline("First year the need exceeds IREL's output", first_short,
                          f"{int(gap['year'].iloc[0])}-{year}", used),
    ]  # fmt: skip
    return headline_frame(rows)


def _gap_text(row) -> str:
    low, high = row["nd_gap_low_t_per_yr"], row["nd_gap_high_t_per_yr"]
    if round(low) == round(high):
        return f"{low:,.0f} t/yr"
    return f"{low:,.0f} to {high:,.0f} t/yr"


def gap_table(gap: pd.DataFrame) -> pd.DataFrame:
    """Return the year-by-year gap as a display table (t/yr rounded to whole tonnes)."""
    out = pd.DataFrame({"year": gap["year"]})
    out["magnets_t_per_yr"] = gap["magnet_output_t_per_yr"].round(0).astype(int)
    out["nd_needed_t_per_yr"] = gap["nd_needed_t_per_yr"].round(0).astype(int)
    out["irel_nd_t_per_yr"] = [
        f"{lo:,.0f}" if round(lo) == round(hi) else f"{lo:,.0f}–{hi:,.0f}"
        for lo, hi in zip(gap["irel_nd_low_t_per_yr"], gap["irel_nd_high_t_per_yr"], strict=True)
    ]
    out["irel_basis"] = gap["irel_basis"]
    out["nd_gap_t_per_yr"] = [_gap_text(r) for r in gap.to_dict("records")]
    return out


def gap_summary(gap: pd.DataFrame, nd_mass_fraction: float) -> str:
    """Return the gap finding in words (Markdown)."""
    last = gap.iloc[-1]
    shortfall = gap[gap["nd_gap_low_t_per_yr"] > 0]
    text = (f"At {nd_mass_fraction:.0%} neodymium by mass, making "
            f"{last['magnet_output_t_per_yr']:,.0f} t of magnets in {int(last['year'])} needs "
            f"**{last['nd_needed_t_per_yr']:,.0f} t of neodymium**, against IREL's "
            f"{last['irel_nd_high_t_per_yr']:,.0f} t.")  # fmt: skip
    if shortfall.empty:
        text += " IREL's stated and planned output covers the need in every year shown."
    else:
        first = shortfall.iloc[0]
        text += (f" The need first exceeds IREL's output in **{int(first['year'])}**, and by "
                 f"{int(last['year'])} the shortfall is **{_gap_text(last)}**: IREL's output "
                 f"would cover {last['nd_covered_by_irel_low_pct']:.0f}% of the need.")  # fmt: skip
    return text + " Losses in magnet making would raise the need further."


def imports_headlines(
    coverage: pd.DataFrame,
    growth_rate_pct_per_yr: float,
    unit_value: UnitValueCheck,
    facts: pd.DataFrame | None = None,
    *,
    base_demand_t: float | None = None,
) -> pd.DataFrame:
    """Return the imports notebook's headlines: imports, origin, value, unit value, coverage.

    A growth rate other than the implied one, or a ``base_demand_t``, is a parameter:
    the rows that use it say so in their source column.
    """
    facts = _facts(facts)
    growth_is_implied = abs(growth_rate_pct_per_yr - implied_growth_rate_pct(facts)) < 1e-9
    china = imports_from_china_t(facts)
    tonnes, value = fact(IMPORTS_TONNES_FACT, facts), fact(IMPORTS_VALUE_FACT, facts)
    last = coverage.iloc[-1]
    year = str(int(last["year"]))
    growth_ids = (
        [DEMAND_DOUBLING_FACT] if growth_is_implied else ["parameter growth_rate_pct_per_yr"]
    )
    base_ids = [IMPORTS_TONNES_FACT] if base_demand_t is None else ["parameter base_demand_t"]
    demand_ids = [*base_ids, *growth_ids]
    base = [*demand_ids, MAGNET_TARGET_FACT]
    rows = [
        fact_headline(IMPORTS_TONNES_FACT, "Rare-earth magnet imports", facts),
        fact_headline(CHINA_IMPORT_SHARE_FACT, "Share from China (magnets and related materials)", facts),
        computed_headline("Imports from China, if that share applies",
                          f"{china['low_t']:,.0f}–{china['high_t']:,.0f} t", str(tonnes["period"]),
                          china["fact_ids"]),
        fact_headline(IMPORTS_VALUE_FACT, "Import value (magnets and related materials)", facts),
        computed_headline("Implied unit value", f"{unit_value.usd_per_kg:,.2f} USD/kg "
                          f"({'plausible' if unit_value.plausible else 'implausible'})",
                          f"{value['period']} / {tonnes['period']}", unit_value.fact_ids),
        computed_headline("Demand growth used", f"{growth_rate_pct_per_yr:.2f}%/yr",
                          _period_words(fact(DEMAND_DOUBLING_FACT, facts)), growth_ids),
        computed_headline("Projected magnet demand", f"{last['demand_t']:,.0f} t", year,
                          demand_ids),
        computed_headline("Share of demand domestic output covers", f"{last['covered_pct']:.1f}%",
                          year, base),
    ]  # fmt: skip
    return headline_frame(rows)


def imports_summary(unit_value: UnitValueCheck, facts: pd.DataFrame | None = None) -> str:
    """Return the imports finding and the unit-value sanity check in words (Markdown)."""
    facts = _facts(facts)
    tonnes, share = fact(IMPORTS_TONNES_FACT, facts), fact(CHINA_IMPORT_SHARE_FACT, facts)
    value = fact(IMPORTS_VALUE_FACT, facts)
    china = imports_from_china_t(facts)
    reasons = "\n".join(f"- {r}" for r in unit_value.reasons)
    return (f"India imported **{format_quantity(tonnes)}** of rare-earth magnets in "
            f"{tonnes['period']}. It buys **{format_quantity(share)}** of its magnets and related "
            f"materials from China; applied to that tonnage, {china['low_t']:,.0f} to "
            f"{china['high_t']:,.0f} t came from China.\n\n"
            f"Imports of magnets and related materials were worth {format_quantity(value)} in "
            f"{value['period']}. Divided by the tonnage, that is **{unit_value.usd_per_kg:,.2f} "
            f"USD/kg**, which looks {unit_value.verdict}. What separates the two figures:\n\n"
            f"{reasons}")  # fmt: skip


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """Return projected demand, domestic output (t, rounded) and the share covered (%, 1 dp)."""
    return pd.DataFrame({
        "year": coverage["year"],
        "demand_t": coverage["demand_t"].round(0).astype(int),
        "domestic_output_t_per_yr": coverage["magnet_output_t_per_yr"].round(0).astype(int),
        "covered_pct": coverage["covered_pct"].round(1),
    })  # fmt: skip


def coverage_summary(
    coverage: pd.DataFrame, growth_rate_pct_per_yr: float, facts: pd.DataFrame | None = None
) -> str:
    """Return the demand-coverage finding in words (Markdown)."""
    facts = _facts(facts)
    implied = implied_growth_rate_pct(facts)
    first, last = coverage.iloc[0], coverage.iloc[-1]
    words = fact(DEMAND_GROWTH_FACT, facts)["derivation_words"]
    if abs(growth_rate_pct_per_yr - implied) < 1e-9:
        basis = f'the rate implied by officials\' projection that demand will "{words}"'
    else:
        basis = f'a parameter (officials\' "{words}" implies {implied:.2f}%/yr)'
    return (f"Demand grows at **{growth_rate_pct_per_yr:.2f}%/yr**, {basis}. From "
            f"{first['demand_t']:,.0f} t in {int(first['year'])} it reaches "
            f"**{last['demand_t']:,.0f} t in {int(last['year'])}**, when domestic output at the "
            f"target ({last['magnet_output_t_per_yr']:,.0f} t/yr) would cover "
            f"**{last['covered_pct']:.1f}%** of it; {last['uncovered_t']:,.0f} t would still "
            "have to be imported.")  # fmt: skip


def market_headlines(split: pd.DataFrame, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the market-share notebook's headlines: magnet shares, processing claims, reserves."""
    facts = _facts(facts)
    rest = split[split["subject"] == "everyone else"].iloc[0]
    china = fact(CHINA_MAGNET_SHARE_FACT, facts)
    rows = [
        fact_headline(CHINA_MAGNET_SHARE_FACT, "China's share of world magnet production", facts),
        fact_headline(JAPAN_MAGNET_SHARE_FACT, "Japan's share of world magnet production", facts),
        computed_headline("Share left for everyone else", rest["value_text"], _period_words(china),
                          rest["fact_ids"].split(", ")),
    ]  # fmt: skip
    for r in processing_claims(facts).to_dict("records"):
        rows.append(fact_headline(r["fact_id"], "China's share of rare-earth processing", facts))
    rows += [
        fact_headline(INDIA_RESERVES_SHARE_FACT, "India's share of world reserves", facts),
        fact_headline("msa_india_reserves_rank", "India's rank by reserves", facts),
        fact_headline(INDIA_MINING_SHARE_FACT, "India's share of world mining", facts),
    ]
    return headline_frame(rows)


def processing_summary(
    claims: pd.DataFrame, conflicts: pd.DataFrame, approx_tolerance_pct: float
) -> str:
    """Return the processing-share finding in words (Markdown): both claims, and whether the
    wording of the two can both hold when "approximately" means +/- ``approx_tolerance_pct``."""
    parts = [f"**{format_quantity(r)}** ({r['source_id']}: {str(r['note']).rstrip('.')})"
             for r in claims.to_dict("records")]  # fmt: skip
    text = "China's share of rare-earth processing, as each source states it: " + "; ".join(parts)
    if conflicts.empty:
        verdict = (f"Reading \"approximately\" as within {approx_tolerance_pct:g}% of the figure, "
                   "the two claims **can both hold**.")  # fmt: skip
    else:
        verdict = (f"Reading \"approximately\" as within {approx_tolerance_pct:g}% of the figure, "
                   "the two claims **cannot both hold**: they measure different things (capacity "
                   "against rare earths processed) or one of them is wrong. Both are kept.")  # fmt: skip
    return f"{text}.\n\n{verdict}"


def reserves_facts(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return India's reserves-share, mining-share and reserves-rank rows."""
    facts = _facts(facts)
    ranks = facts_for("reserves_rank", "India", facts=facts)
    ids = [INDIA_RESERVES_SHARE_FACT, INDIA_MINING_SHARE_FACT]
    return pd.concat([facts[facts["fact_id"].isin(ids)], ranks], ignore_index=True)


def reserves_summary(facts: pd.DataFrame | None = None) -> str:
    """Return India's reserves against mining in words (Markdown)."""
    r = reserves_vs_mining(_facts(facts))
    ordinal = {1: "largest", 2: "second-largest", 3: "third-largest"}
    ranks = " or ".join(ordinal.get(v, f"rank {v}") for v in r["reserves_rank"])
    return (f"India has the world's {ranks} rare-earth reserves (so say "
            f"{len(r['rank_sources'])} documents), **{r['reserves_text']}** of the world total, "
            f"but contributes **{r['mining_text']}** of world mining: its share of reserves is "
            f"roughly {r['ratio_more_than']:.0f} times its share of mining or more.")  # fmt: skip
