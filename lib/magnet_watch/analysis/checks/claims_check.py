"""Check the documents' claims against the USGS reference, one verdict per claim.

``claims_check(reference_year, facts=, usgs=)`` reads the claims from the facts
table (by metric and subject, so every curated claim of a kind is tested; never typed
here), takes the matching figure from the USGS reference the caller loaded once
(``data.usgs.load_usgs_reference``) and gives a verdict:

- **agree**: the reference figure lies inside the interval the claim allows
  (``datasets.claim_bounds``: "less than 1%" allows 0 to 1; "approximately 8%"
  allows 8% ± ``approx_tolerance``; a rank must match exactly);
- **close**: outside it, but within ``close_fraction`` of the nearest end of the
  interval (a rank: within ``close_rank_difference`` places);
- **disagree**: further off;
- **not comparable**: the claim measures something the reference does not (a
  processing share against a mining share), or is a quotient of two figures of different
  periods (dollars of calendar 2025 over tonnes of FY2024-25 are no unit value), so the
  reference neither confirms nor contradicts it; the reference figure is shown as context.

Every row says in ``definition_note`` how the two sides differ in definition: rare-
earth oxide tonnes are not magnet tonnes; a national estimate is not one company's
output; a share of mining is not a share of processing or of magnet making.
The thresholds are the fields of ``Thresholds``; their defaults are documented there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.checks.claims_rows import (
    CLAIM_KINDS,
    company_vs_national_rows,
    import_unit_value_rows,
    national_production_rows,
    processing_vs_mining_rows,
    reserves_rank_rows,
    share_rows,
)
from magnet_watch.analysis.checks.verdicts import COLUMNS, VERDICTS
from magnet_watch.constants import ND_MASS_FRACTION_ND2FE14B
from magnet_watch.data.lookups import APPROX_TOLERANCE, bounded_claims
from magnet_watch.data.usgs import UsgsReference
from magnet_watch.errors import ParameterError

DEFAULT_REFERENCE_YEAR = 2024


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

    approx_tolerance: float = APPROX_TOLERANCE
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
            raise ParameterError(
                f"threshold 'close_rank_difference' = {self.close_rank_difference!r} "
                "is out of range: allowed 0 or more (places)"
            )


def check_reference_year(reference_year: int, usgs: UsgsReference) -> int:
    """Return ``reference_year`` if the reference ``usgs`` has production and prices for it.

    Raises ParameterError naming the parameter, the value and the allowed years.
    """
    if (
        isinstance(reference_year, bool)
        or not isinstance(reference_year, int)
        or reference_year not in usgs.years
    ):
        raise ParameterError(
            f"parameter 'reference_year' = {reference_year!r} is not allowed: "
            f"the USGS reference has mine production and prices for {usgs.years}"
        )
    return reference_year


def short_citation(record: dict) -> str:
    """Return a reference's short name from its origin record: "USGS MCS 2025".

    The producer's abbreviation (in parentheses, "(USGS)"), the publication's initials and
    its year: ``record`` is ``data.reference.origin()``.
    """
    producer = record["producer"]
    abbreviation = (
        producer[producer.index("(") + 1 : producer.index(")")] if "(" in producer else producer
    )
    words = record["publication"].split(",")[0].split()
    initials = "".join(w[0] for w in words if w[0].isupper())
    year = next((w for w in words if w.isdigit()), str(record["published"])[:4])
    return f"{abbreviation} {initials} {year}"


@dataclass
class _Context:
    """What every row of one check reads: the tables, the reference, the year, the thresholds,
    the claims of each kind (``claims_rows.CLAIM_KINDS``, bounded at the check's tolerance)."""

    claims_by_kind: dict[tuple[str, str], list[dict]]
    usgs: UsgsReference
    year: int
    t: Thresholds
    reference_source: str

    def claims(self, metric: str, subject: str) -> list[dict]:
        """The facts of ``metric`` about ``subject``, each with the interval it allows."""
        return self.claims_by_kind[(metric, subject)]

    def reserves_ahead_of(self, country: str) -> list[str]:
        """The countries ranked ahead of ``country`` by reserves, largest first."""
        rank = self.usgs.country_figure(country, "reserves")["rank"]
        return [
            f["country"]
            for f in self.usgs.figures("reserves")
            if pd.notna(f["rank"]) and f["rank"] < rank
        ]


def claims_check(
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    thresholds: Thresholds | None = None,
    *,
    facts: pd.DataFrame,
    usgs: UsgsReference,
) -> pd.DataFrame:
    """Return one row per claim the USGS reference can test, with both sides and a verdict:
    numbers and codes only, in the columns of every check (``verdicts.COLUMNS``).

    check_id (reserves_rank, share, processing_vs_mining, national_production,
    company_vs_national, import_unit_value), fact_id ("a / b" for a figure derived from two
    facts), claim_value, claim_low/claim_high (the interval the claim allows, in
    reference_unit), reference_value/low/high (in reference_unit: pct, rank, t or USD/kg; a
    floor's high is inf), reference_period, reference_package (the reference's short name,
    from its origin record), comparison (same measure | different definition | different
    measure | different period), verdict (one of VERDICTS) and context (the claim as stated,
    its metric, subject, qualifier, documents and quotes, and the reference's numbers the
    words need).
    ``narrative.claims.claims_words`` writes each row's words. ``facts`` is the curated table,
    ``usgs`` the reference (``data.usgs.load_usgs_reference``).
    Raises ParameterError for a reference year the reference does not cover.
    """
    thresholds = thresholds or Thresholds()
    check_reference_year(reference_year, usgs)
    ctx = _Context(
        claims_by_kind=bounded_claims(CLAIM_KINDS, facts, thresholds.approx_tolerance),
        usgs=usgs,
        year=reference_year,
        t=thresholds,
        reference_source=short_citation(usgs.origin),
    )
    rows = (
        reserves_rank_rows(ctx)
        + share_rows(ctx, "reserves_share", "India", "reserves", "India")
        + share_rows(ctx, "mining_share", "India", "mine_production", "India")
        + share_rows(ctx, "mining_share", "China", "mine_production", "China")
        + processing_vs_mining_rows(ctx)
        + national_production_rows(ctx)
        + company_vs_national_rows(ctx)
        + import_unit_value_rows(ctx)
    )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=list(VERDICTS))
    return frame


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """Return how many claims got each verdict, in the order of VERDICTS."""
    counts = table["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}
