"""The scheme's official terms and the official import series, as inputs to the notebooks' models.

- ``official_clock``: the years the approved terms imply for an award year (no output
  before the award plus the gestation period; the scheme ends seven years after the
  award). With ``ramp_shape = "official_terms"`` the magnet ramp is a step from nothing
  to the full capacity in the first year of output (``capacity.ramp_fraction``).
- ``series_growth``: the growth rate the official import series (``data.inputs.import_series``)
  implies: a growth of permanent magnets of every kind, shown beside the demand projection
  and never used as the growth of rare-earth magnet demand;
- ``resolve_growth``: the demand growth, a parameter or the rate of a growth basis
  (``GROWTH_BASES``: the articles' "double within five years", the Cabinet's "to double by
  2030").
- ``timeline_rows``: the packages' dated events in the curated timeline's columns.

Numbers only: words are in ``magnet_watch.narrative.official_terms``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.data.inputs import DemandDoubling, SchemeTerms
from magnet_watch.data.later_references import IMPORTS_FY2025, RESTRICTIONS_EVENT, References
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.errors import ParameterError

OFFICIAL_RAMP_SHAPE = "official_terms"
GROWTH_BASES = ("articles", "cabinet")


@dataclass(frozen=True)
class OfficialClock:
    """The scheme's calendar for one award year, in calendar years.

    ``award_year`` (the clock's start), ``first_output_year`` (award + gestation: the
    first year the plants may produce), ``end_year`` (award + duration), the capacity
    (t/yr) and how it is split (``beneficiaries`` x ``capacity_per_beneficiary_t_per_yr``),
    and the reference figure ids read.
    """

    approval_year: int
    award_year: int
    first_output_year: int
    end_year: int
    capacity_t_per_yr: float
    beneficiaries: int
    capacity_per_beneficiary_t_per_yr: float
    figure_ids: tuple[str, ...]


def check_award_year(award_year: int | None, approval: int, default: int | None = None) -> int:
    """Return the award year: None is ``default``, the earliest the record allows at its as-of
    date (``References.earliest_award_year``; without it, the year of ``approval``); a year
    before the approval is refused.

    Raises ParameterError naming the parameter, its value and the earliest allowed year.
    """
    if award_year is None:
        return approval if default is None else default
    if isinstance(award_year, bool) or not isinstance(award_year, int) or award_year < approval:
        raise ParameterError(
            f"parameter 'award_year' = {award_year!r} is not allowed: the award "
            f"cannot come before the scheme's approval in {approval}"
        )
    return award_year


def official_clock(terms: SchemeTerms, award_year: int | None = None) -> OfficialClock:
    """Return the scheme's calendar for ``award_year`` (None: the earliest award year the
    record allows at its as-of date, ``terms.earliest_award_year``).

    Raises ParameterError for an award before the approval.
    """
    award = check_award_year(award_year, terms.approval_year, terms.earliest_award_year)
    return OfficialClock(
        approval_year=terms.approval_year,
        award_year=award,
        first_output_year=award + terms.gestation_years,
        end_year=award + terms.duration_years,
        capacity_t_per_yr=terms.capacity_t_per_yr,
        beneficiaries=terms.beneficiaries,
        capacity_per_beneficiary_t_per_yr=terms.capacity_per_beneficiary_t_per_yr,
        figure_ids=terms.figure_ids,
    )


def ramp_years(
    ramp_shape: str, clock: OfficialClock, start_year: int | None, target_year: int | None
) -> tuple[int, int, int] | None:
    """Return (start, target, end) years of the official-terms ramp, or None for another shape.

    The official ramp starts at the award and reaches its capacity in the first year of
    output; it is drawn to the scheme's end. ``start_year`` and ``target_year`` must be
    None with it (the award year sets the clock): ParameterError otherwise.
    """
    if ramp_shape != OFFICIAL_RAMP_SHAPE:
        return None
    for name, value in (("start_year", start_year), ("target_year", target_year)):
        if value is not None:
            raise ParameterError(
                f"parameter {name!r} = {value!r} is not allowed with ramp_shape "
                f"{OFFICIAL_RAMP_SHAPE!r}: the award year sets the official "
                "clock (set award_year instead)"
            )
    return clock.award_year, clock.first_output_year, clock.end_year


def first_shortfall_year(gap: pd.DataFrame) -> int | None:
    """Return the first year the neodymium need surely exceeds IREL's output (None: never).

    ``gap`` is ``capacity.nd_gap``'s frame; "surely" uses the low end of the gap (the
    need minus IREL's higher output figure).
    """
    short = gap[gap["nd_gap_low_t_per_yr"] > 0]
    return int(short["year"].iloc[0]) if not short.empty else None


@dataclass(frozen=True)
class SeriesGrowth:
    """Compound annual growth between the first and last full fiscal years of the series."""

    rate_pct_per_yr: float
    from_period: str
    to_period: str
    years: int
    from_t: float
    to_t: float
    figure_ids: tuple[str, str]


def series_growth(series: pd.DataFrame) -> SeriesGrowth:
    """Return the compound growth (%/yr) of the fiscal-year imports, first year to last.

    Only full fiscal years count (the half year is not a year). FY2020-21 12,400 t to
    FY2024-25 53,700 t over four years: about 44%/yr.
    """
    years = series[series["period_type"] == "fiscal_year"]
    first, last = years.iloc[0], years.iloc[-1]
    span = int(last["period_start"].year - first["period_start"].year)
    rate = ((last["imports_t"] / first["imports_t"]) ** (1 / span) - 1) * 100
    return SeriesGrowth(
        float(rate),
        str(first["period"]),
        str(last["period"]),
        span,
        float(first["imports_t"]),
        float(last["imports_t"]),
        (str(first["figure_id"]), str(last["figure_id"])),
    )


@dataclass(frozen=True)
class Growth:
    """The demand growth a notebook uses and where it comes from."""

    rate_pct_per_yr: float
    basis: str  # "parameter", or one of GROWTH_BASES
    sources: tuple[str, ...]  # fact ids, reference figure ids, or the parameter's name
    period: str | None = None  # the years the rate is measured over, when not the claim's own


def resolve_growth(
    growth_rate_pct_per_yr: float | None, growth_basis: str, doublings: dict[str, DemandDoubling]
) -> Growth:
    """Return the growth to use: the parameter when given, else the rate of ``growth_basis``.

    ``doublings`` holds each basis's projection (``GROWTH_BASES``: "articles", the articles'
    "double within five years"; "cabinet", the Cabinet's consumption "to double by 2030 from
    2025"), each already checked to count a growth of rare-earth magnet demand. Raises
    ParameterError for an unknown basis.
    """
    if growth_basis not in GROWTH_BASES:
        raise ParameterError(
            f"parameter 'growth_basis' = {growth_basis!r} is not allowed: "
            f"allowed {list(GROWTH_BASES)}"
        )
    if growth_rate_pct_per_yr is not None:
        return Growth(
            float(growth_rate_pct_per_yr), "parameter", ("parameter growth_rate_pct_per_yr",)
        )
    doubling = doublings[growth_basis]
    period = None if growth_basis == "articles" else doubling.period
    return Growth(doubling.rate_pct_per_yr, growth_basis, (doubling.source,), period)


def base_year_imports(refs: References) -> tuple[float, str]:
    """Return the official FY2024-25 imports (t) and the figure id: the series' last full year."""
    return refs.series.value(IMPORTS_FY2025), IMPORTS_FY2025


def restrictions_date(refs: References) -> pd.Timestamp:
    """Return the day China's April 2025 export restrictions took effect (reference event)."""
    return pd.Timestamp(refs.series.event(RESTRICTIONS_EVENT)["date_start"])


def _package_rows(pkg: ReferencePackage) -> list[dict]:
    rows = []
    for event in pkg.events.to_dict("records"):
        rows.append(
            {
                "event_id": f"{pkg.name}/{event['event_id']}",
                "event_group": event["event_group"],
                "date": event["date"],
                "date_precision": event["date_precision"],
                "status": event["status"],
                "event": event["what"],
                "actor": "",
                "source_id": f"{pkg.name}/{event['page_id']}",
                # References carry figures, not sentences: no quote; the source names the page.
                "quote": "",
                "date_note": event["note"] if pd.notna(event["note"]) else "",
                "date_start": event["date_start"],
                "date_end": event["date_end"],
            }
        )
    return rows


def timeline_rows(refs: References) -> pd.DataFrame:
    """Return the packages' dated events in the columns of the curated events table.

    ``source_id`` is "<package>/<page_id>" (see ``timeline_sources``, which names the
    page); ``quote`` is empty: a reference carries figures, not sentences. Columns: event_id, event_group, date,
    date_precision, status, event, actor, source_id, quote, date_note, date_start, date_end.
    """
    rows = [r for pkg in refs.packages for r in _package_rows(pkg)]
    return pd.DataFrame(rows)


def timeline_sources(refs: References) -> pd.DataFrame:
    """Return one sources-table row per reference page: source_id, title, publisher, published,
    published_precision, url (the columns a chart's source label reads)."""
    rows = []
    for pkg in refs.packages:
        for page in pkg.pages.to_dict("records"):
            published = page["date_published"]
            rows.append(
                {
                    "source_id": f"{pkg.name}/{page['page_id']}",
                    "title": page["title"] if pd.notna(page["title"]) else "",
                    "publisher": page["publisher"],
                    "published": f"{published:%Y-%m-%d}" if pd.notna(published) else "",
                    "published_precision": "day" if pd.notna(published) else "",
                    "url": page["url"],
                }
            )
    return pd.DataFrame(rows)
