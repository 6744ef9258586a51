"""Check the documents' claims against the USGS reference, one verdict per claim.

``claims_check(reference_year)`` reads the claims from the facts table (by metric
and subject, so every curated claim of a kind is tested; never typed here), computes
the matching reference figure from ``magnet_watch.reference`` and gives a verdict:

- **agree**: the reference figure lies inside the interval the claim allows
  (``datasets.claim_bounds``: "less than 1%" allows 0 to 1; "approximately 8%"
  allows 8% ± ``approx_tolerance``; a rank must match exactly);
- **close**: outside it, but within ``close_fraction`` of the nearest end of the
  interval (a rank: within ``close_rank_difference`` places);
- **disagree**: further off;
- **not comparable**: the claim measures something the reference does not (a
  processing share against a mining share), so the reference neither confirms nor
  contradicts it; the reference figure is shown as context.

Every row says in ``definition_note`` how the two sides differ in definition: rare-
earth oxide tonnes are not magnet tonnes; a national estimate is not one company's
output; a share of mining is not a share of processing or of magnet making.
The thresholds are the fields of ``Thresholds``; their defaults are documented there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.constants import ND_MASS_FRACTION_ND2FE14B
from magnet_watch.data.load import load_facts, load_sources
from magnet_watch.data.lookups import claim_bounds, facts_for, format_quantity, source_label
from magnet_watch.data.reference import (
    country_figure,
    load_usgs_prices,
    load_usgs_world,
    production_years,
    world_shares,
)
from magnet_watch.errors import ParameterError

VERDICTS = ("agree", "close", "disagree", "not comparable")
DEFAULT_REFERENCE_YEAR = 2024
REFERENCE_SOURCE = "USGS MCS 2025"
RESERVES_PERIOD = "reserves, 2025 edition"  # USGS states reserves once per edition, not per year


@dataclass(frozen=True)
class Thresholds:
    """How far apart a claim and the reference may be for each verdict.

    - ``approx_tolerance`` (fraction, default 0.05): "approximately X" and "estimated
      X" allow X ± 5%; the same default as ``datasets.claim_bounds``.
    - ``close_fraction`` (fraction, default 0.20): a reference figure outside the
      claim's interval but within 20% of its nearest end is "close", further is
      "disagree". For the import unit value: within 20% below the floor is "close".
    - ``close_rank_difference`` (places, default 1): a rank one place off is "close".
    - ``nd_mass_fraction`` (fraction of magnet mass, default 0.267, Nd2Fe14B): the
      neodymium in a kilogram of NdFeB magnet, used to price a magnet's neodymium
      content at the oxide price (a floor: oxide per kg of metal is more, not less).
    """

    approx_tolerance: float = 0.05
    close_fraction: float = 0.20
    close_rank_difference: int = 1
    nd_mass_fraction: float = ND_MASS_FRACTION_ND2FE14B

    def __post_init__(self):
        for name in ("approx_tolerance", "close_fraction", "nd_mass_fraction"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ParameterError(
                    f"threshold {name!r} = {value!r} is out of range: allowed 0 to 1 (a fraction)"
                )
        if self.close_rank_difference < 0:
            raise ParameterError(f"threshold 'close_rank_difference' = {self.close_rank_difference!r} "
                                 "is out of range: allowed 0 or more (places)")  # fmt: skip


COLUMNS = ["check", "fact_id", "subject", "claim", "claim_qualifier", "claim_period", "claim_source_id",
           "claim_source", "quote", "claim_low", "claim_high", "reference_value", "reference",
           "reference_unit", "reference_period", "reference_basis", "reference_source", "comparison",
           "definition_note", "verdict", "reason"]  # fmt: skip


def check_reference_year(
    reference_year: int, world: pd.DataFrame | None = None, reference_dir=None
) -> int:
    """Return ``reference_year`` if the reference has production and prices for it.

    Raises ParameterError naming the parameter, the value and the allowed years.
    """
    world = load_usgs_world(reference_dir) if world is None else world
    prices = load_usgs_prices(reference_dir)
    years = sorted(set(production_years(world)) & set(prices["year"].astype(int)))
    if (
        isinstance(reference_year, bool)
        or not isinstance(reference_year, int)
        or reference_year not in years
    ):
        raise ParameterError(f"parameter 'reference_year' = {reference_year!r} is not allowed: "
                             f"the USGS reference has mine production and prices for {years}")  # fmt: skip
    return reference_year


def _verdict_numeric(reference: float, low: float, high: float, t: Thresholds) -> str:
    """agree inside [low, high]; close within ``close_fraction`` of the nearest end; else disagree."""
    if low <= reference <= high:
        return "agree"
    nearest = low if reference < low else high
    distance = abs(reference - nearest)
    return "close" if distance <= t.close_fraction * abs(nearest) else "disagree"


def _verdict_rank(reference: int, claimed: int, t: Thresholds) -> str:
    if reference == claimed:
        return "agree"
    return "close" if abs(reference - claimed) <= t.close_rank_difference else "disagree"


def _ordinal(rank: int) -> str:
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
    return words.get(rank, f"{rank}th")


def share_text(value: float) -> str:
    """Return a share in percent as text: two decimals below 1% ("0.74%"), else one ("69.2%")."""
    return f"{value:.2f}%" if value < 1 else f"{value:.1f}%"


def _claim_row(fact: dict, sources: pd.DataFrame) -> dict:
    return {
        "fact_id": fact["fact_id"], "subject": fact["subject"], "claim": format_quantity(fact),
        "claim_qualifier": str(fact["qualifier"]), "claim_period": fact["period"], "claim_source_id": str(fact["source_id"]),
        "claim_source": source_label(str(fact["source_id"]), sources), "quote": fact["quote"],
        "claim_low": float(fact["bound_low"]), "claim_high": float(fact["bound_high"]),
        "reference_source": REFERENCE_SOURCE,
    }  # fmt: skip


def _claims(metric: str, subject: str, facts: pd.DataFrame, t: Thresholds) -> list[dict]:
    """The facts of ``metric`` about ``subject`` with the interval each allows (bound_low/high)."""
    rows = facts_for(metric, subject, facts=facts)
    return claim_bounds(rows, t.approx_tolerance).to_dict("records")


def _reserves_rank(ctx) -> list[dict]:
    india = country_figure(ctx.world, "India", "reserves")
    listed = ctx.world[(ctx.world["measure"] == "reserves") & (ctx.world["row_kind"] == "country")]
    missing = int(listed["value_t_reo"].isna().sum())
    out = []
    for fact in _claims("reserves_rank", "India", ctx.facts, ctx.t):
        rank = int(india["rank"])
        verdict = _verdict_rank(rank, int(fact["value"]), ctx.t)
        out.append({
            **_claim_row(fact, ctx.sources), "check": "India's rank by reserves",
            "reference_value": float(rank), "reference": f"rank {rank}", "reference_unit": "rank",
            "reference_period": RESERVES_PERIOD,
            "reference_basis": f"India {india['value_t_reo']:,.0f} t REO of reserves, behind "
                               f"{', '.join(ctx.reserves_ahead_of('India'))}",
            "comparison": "same measure",
            "definition_note": f"Ranked among the countries USGS gives reserves for; {missing} listed "
                               "producers have reserves 'not available'.",
            "verdict": verdict,
            "reason": (f"USGS ranks India {_ordinal(rank)} by reserves ({india['value_t_reo']:,.0f} t REO), "
                       f"{'the same as' if verdict == 'agree' else 'against'} the claimed "
                       f"{_ordinal(int(fact['value']))}, among countries with a reserves figure."),
        })  # fmt: skip
    return out


def _share(ctx, metric: str, subject: str, measure: str, country: str) -> list[dict]:
    year = ctx.year if measure == "mine_production" else None
    ref = country_figure(ctx.world, country, measure, year)
    share = float(ref["share_pct"])
    what = "mine production" if measure == "mine_production" else "reserves"
    when = f" in {year}" if year else ""
    bound = (
        " (at most: the world total is 'more than')"
        if ref["world_qualifier"] == "more than"
        else ""
    )
    out = []
    for fact in _claims(metric, subject, ctx.facts, ctx.t):
        verdict = _verdict_numeric(share, fact["bound_low"], fact["bound_high"], ctx.t)
        allowed = f"{fact['bound_low']:.2f}%–{fact['bound_high']:.2f}%"
        relation = {"agree": "inside", "close": "just outside", "disagree": "well outside"}[verdict]
        period_note = ""
        if measure == "mine_production" and str(fact["period"])[:4] != str(year):
            period_note = f" The claim is dated {fact['period']}; the reference year is {year}."
        out.append({
            **_claim_row(fact, ctx.sources), "check": f"{subject}'s share of world {what}",
            "reference_value": share, "reference": share_text(share) + bound, "reference_unit": "pct",
            "reference_period": str(year) if year else RESERVES_PERIOD,
            "reference_basis": f"{country} {ref['value_t_reo']:,.0f} t of {ref['world_qualifier']} "
                               f"world total {ref['world_total_t_reo']:,.0f} t REO{when}",
            "comparison": "same measure",
            "definition_note": f"Share of world {what} in tonnes of rare-earth oxide (REO), not of "
                               f"processing or of magnet making.{period_note}",
            "verdict": verdict,
            "reason": (f"USGS puts {country} at {share_text(share)} of world {what}{when}{bound}, "
                       f"{relation} the {allowed} that '{format_quantity(fact)}' allows."),
        })  # fmt: skip
    return out


def _processing_vs_mining(ctx) -> list[dict]:
    china = country_figure(ctx.world, "China", "mine_production", ctx.year)
    share = float(china["share_pct"])
    shares = ctx.shares_production
    via_china = shares[shares["note"].str.contains("estimated from China's reported imports")]
    via_share = float(via_china["share_pct"].sum())
    out = []
    for fact in _claims("processing_share", "China", ctx.facts, ctx.t):
        out.append({
            **_claim_row(fact, ctx.sources), "check": "China's share of world processing",
            "reference_value": share, "reference": f"{share_text(share)} of mining", "reference_unit": "pct",
            "reference_period": str(ctx.year),
            "reference_basis": f"China {china['value_t_reo']:,.0f} t of {china['world_total_t_reo']:,.0f} t "
                               f"REO mined in {ctx.year}; USGS gives no processing share",
            "comparison": "different measure",
            "definition_note": "A share of processing is not a share of mining: China also refines "
                               "ore mined elsewhere.",
            "verdict": "not comparable",
            "reason": (f"USGS gives China {share_text(share)} of world mining in {ctx.year} but no processing "
                       f"share, and estimates another {share_text(via_share)} of world output "
                       f"({', '.join(via_china['country'])}) from China's reported imports, so a "
                       f"processing share of '{format_quantity(fact)}' is neither confirmed nor "
                       "contradicted."),
        })  # fmt: skip
    return out


def _india_mine_production(ctx) -> tuple[float, dict]:
    """Return USGS's India mine production (t REO) in the reference year, and the
    reference fields every claim checked against it shares."""
    national = float(country_figure(ctx.world, "India", "mine_production", ctx.year)["value_t_reo"])
    return national, {
        "reference_value": national, "reference_unit": "t", "reference_period": str(ctx.year),
        "reference_basis": f"USGS estimate of India's mine production in {ctx.year}, t REO",
    }  # fmt: skip


def _company_vs_national(ctx) -> list[dict]:
    national, reference = _india_mine_production(ctx)
    out = []
    for fact in _claims("re_production", "IREL", ctx.facts, ctx.t):
        verdict = _verdict_numeric(national, fact["bound_low"], fact["bound_high"], ctx.t)
        same = "the same figure as" if verdict == "agree" else "against"
        period_note = (f" The claim is for {fact['period']}; the reference year is {ctx.year}."
                       if str(fact["period"]) != str(ctx.year) else "")  # fmt: skip
        out.append({
            **_claim_row(fact, ctx.sources), **reference,
            "check": "IREL's production against India's national output",
            "reference": f"{national:,.0f} t REO (all of India)",
            "comparison": "different definition",
            "definition_note": "A national estimate is not one company's output, and the article does "
                               "not say whether its tonnes are oxide (REO) or concentrate." + period_note,
            "verdict": verdict,
            "reason": (f"USGS estimates {national:,.0f} t REO for all of India in {ctx.year}, {same} "
                       f"IREL's claimed {format_quantity(fact)}: the documents say only IREL may mine "
                       "rare earths in India, but a company figure identical to the national estimate suggests the article "
                       "reports the national figure."),
        })  # fmt: skip
    return out


def _national_production(ctx) -> list[dict]:
    national, reference = _india_mine_production(ctx)
    out = []
    for fact in _claims("re_production", "India", ctx.facts, ctx.t):
        verdict = _verdict_numeric(national, fact["bound_low"], fact["bound_high"], ctx.t)
        relation = {"agree": "inside", "close": "just outside", "disagree": "well outside"}[verdict]
        out.append({
            **_claim_row(fact, ctx.sources), **reference,
            "check": "India's rare-earth production", "reference": f"{national:,.0f} t REO",
            "comparison": "same measure",
            "definition_note": "USGS counts mine output in tonnes of rare-earth oxide (REO); the "
                               "document does not say oxide or concentrate.",
            "verdict": verdict,
            "reason": (f"USGS estimates {national:,.0f} t REO for India in {ctx.year}, {relation} the "
                       f"{fact['bound_low']:,.0f}–{fact['bound_high']:,.0f} t that "
                       f"'{format_quantity(fact)}' allows."),
        })  # fmt: skip
    return out


def _import_unit_value(ctx) -> list[dict]:
    nd = ctx.prices[(ctx.prices["oxide"] == "Neodymium oxide") & (ctx.prices["year"] == ctx.year)]
    nd_price = float(nd["price_usd_per_kg"].iloc[0])
    floor = ctx.t.nd_mass_fraction * nd_price
    out = []
    tonnes = facts_for("magnet_imports", "India", facts=ctx.facts)
    values = facts_for("magnet_imports_value", "India", facts=ctx.facts)
    for mass in tonnes.to_dict("records"):
        for money in values.to_dict("records"):
            if pd.isna(mass["value"]) or pd.isna(money["value"]):
                continue  # a range on either side would need its own interval; none is curated
            unit_value = float(money["value"]) / (float(mass["value"]) * 1000)
            if unit_value >= floor:
                verdict = "agree"
            elif unit_value >= floor * (1 - ctx.t.close_fraction):
                verdict = "close"
            else:
                verdict = "disagree"
            relation = "above" if verdict == "agree" else "below"
            fact = claim_bounds(pd.DataFrame([money]), ctx.t.approx_tolerance).iloc[0].to_dict()
            row = _claim_row(fact, ctx.sources)
            row.update({
                "check": "Implied import unit value against the neodymium oxide price",
                "fact_id": f"{money['fact_id']} / {mass['fact_id']}",
                "claim": f"${unit_value:,.2f}/kg ({format_quantity(money)} / {format_quantity(mass)})",
                "claim_qualifier": "derived",
                "claim_period": f"{money['period']} / {mass['period']}",
                "claim_source_id": f"{money['source_id']} / {mass['source_id']}",
                "claim_source": f"{row['claim_source']} / {source_label(str(mass['source_id']), ctx.sources)}",
                "quote": f"{money['quote']} / {mass['quote']}",
                "claim_low": unit_value, "claim_high": unit_value,
                "reference_value": floor,
                "reference": f"at least ${floor:,.2f}/kg",
                "reference_unit": "USD/kg", "reference_period": str(ctx.year),
                "reference_basis": f"neodymium oxide ${nd_price:,.0f}/kg in {ctx.year} × "
                                   f"{ctx.t.nd_mass_fraction:.3f} kg neodymium per kg of NdFeB magnet",
                "comparison": "different definition",
                "definition_note": "Tonnes of magnets (FY2024-25) and dollars of 'magnets and related "
                                   "materials' (calendar 2025) are different goods and periods; an "
                                   "oxide price is per kg of oxide, not of magnet.",
                "verdict": verdict,
                "reason": (f"The implied ${unit_value:,.2f}/kg is {relation} the ${floor:,.2f}/kg that "
                           f"the neodymium in a kilogram of magnet would cost as oxide alone in "
                           f"{ctx.year}, so "
                           + ("the two figures can describe the same goods."
                              if verdict == "agree" else
                              "the tonnes and the dollars cannot describe the same goods.")),
            })  # fmt: skip
            out.append(row)
    return out


@dataclass
class _Context:
    facts: pd.DataFrame
    sources: pd.DataFrame
    world: pd.DataFrame
    prices: pd.DataFrame
    year: int
    t: Thresholds

    @property
    def shares_production(self) -> pd.DataFrame:
        return world_shares(self.world, "mine_production", self.year)

    def reserves_ahead_of(self, country: str) -> list[str]:
        shares = world_shares(self.world, "reserves")
        rank = shares.loc[shares["country"] == country, "rank"].iloc[0]
        return list(shares.loc[shares["rank"] < rank, "country"])


def claims_check(
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    thresholds: Thresholds | None = None,
    *,
    facts: pd.DataFrame | None = None,
    reference_dir=None,
) -> pd.DataFrame:
    """Return one row per claim the USGS reference can test, with both sides and a verdict.

    Columns (see ``COLUMNS``): check, fact_id, subject, claim (as written), claim_qualifier
    (the fact's qualifier; "derived" for a figure computed from two facts), claim_period,
    claim_source_id, claim_source, quote, claim_low/claim_high (the interval the claim
    allows, in reference_unit), reference_value (float, in reference_unit: pct, rank,
    t or USD/kg), reference (as text), reference_basis, reference_source, comparison
    (same measure | different definition | different measure), definition_note,
    verdict (one of VERDICTS) and reason (one sentence).
    Raises ParameterError for a reference year the reference does not cover.
    """  # fmt: skip
    thresholds = thresholds or Thresholds()
    world = load_usgs_world(reference_dir)
    check_reference_year(reference_year, world, reference_dir)
    ctx = _Context(
        facts=load_facts() if facts is None else facts, sources=load_sources(), world=world,
        prices=load_usgs_prices(reference_dir), year=reference_year, t=thresholds,
    )  # fmt: skip
    rows = (
        _reserves_rank(ctx)
        + _share(ctx, "reserves_share", "India", "reserves", "India")
        + _share(ctx, "mining_share", "India", "mine_production", "India")
        + _share(ctx, "mining_share", "China", "mine_production", "China")
        + _processing_vs_mining(ctx)
        + _national_production(ctx)
        + _company_vs_national(ctx)
        + _import_unit_value(ctx)
    )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=list(VERDICTS))
    return frame


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """Return how many claims got each verdict, in the order of VERDICTS."""
    counts = table["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def verdict_summary(table: pd.DataFrame, reference_year: int) -> str:
    """Return a Markdown paragraph summarising the verdicts, computed from ``table``."""
    counts = verdict_counts(table)
    parts = [f"{n} {v}" for v, n in counts.items() if n]
    lines = [f"Of {len(table)} claims the USGS reference ({reference_year}) can test: "
             + ", ".join(parts) + "."]  # fmt: skip
    for row in table.itertuples():
        lines.append(f"- **{row.check}** ({row.claim_source}): *{row.claim}* vs "
                     f"USGS *{row.reference}*: **{row.verdict}**. {row.reason}")  # fmt: skip
    return "\n".join(lines)


def claims_headlines(table: pd.DataFrame) -> pd.DataFrame:
    """Return the headline table (figure, value, period, source) of the claims check."""
    rows = []
    for row in table.itertuples():
        rows.append({
            "figure": f"{row.check}: {row.fact_id}",
            "value": f"claim {row.claim}; USGS {row.reference}; {row.verdict}",
            "period": f"{row.claim_period} vs {row.reference_period}",
            "source": f"{row.claim_source_id} vs {row.reference_source}",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["figure", "value", "period", "source"])
