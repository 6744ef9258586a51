"""The scheme's official terms and the official import series, as inputs to the notebooks' models.

- ``official_clock``: the years the approved terms imply for an award year (no output
  before the award plus the gestation period; the scheme ends seven years after the
  award). With ``ramp_shape = "official_terms"`` the magnet ramp is a step from nothing
  to the full capacity in the first year of output (``capacity.ramp_fraction``).
- ``import_series``: India's permanent-magnet imports per fiscal year, and the April-
  September 2025 half year, as tidy rows with their exact periods (a half year stays a
  half year: it is never annualised here).
- ``series_growth`` and ``resolve_growth``: the growth rate the official series implies,
  selectable instead of the articles' "double within five years" (``GROWTH_BASES``).
- ``timeline_rows``: the packages' dated events in the curated timeline's columns.

Numbers only: words are in ``magnet_watch.narrative.official_terms``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.reference_check import (
    CAPACITY,
    DURATION,
    GESTATION,
    IMPORTS_FY2025,
    RESTRICTIONS_EVENT,
    References,
    check_award_year,
)
from magnet_watch.data.reference_packages import ReferencePackage
from magnet_watch.errors import ParameterError

OFFICIAL_RAMP_SHAPE = "official_terms"
GROWTH_BASES = ("articles", "official_series")
BENEFICIARIES, CAPACITY_PER_BENEFICIARY = "beneficiaries", "capacity_per_beneficiary"
IMPORTS_MEASURE = "permanent_magnet_imports"
SERIES_COLUMNS = ["figure_id", "package", "period", "period_type", "period_start", "period_end",
                  "months", "imports_t", "qualifier", "citation"]  # fmt: skip


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
    figure_ids: tuple[str, ...] = (CAPACITY, DURATION, GESTATION, BENEFICIARIES,
                                   CAPACITY_PER_BENEFICIARY)  # fmt: skip


def official_clock(refs: References, award_year: int | None = None) -> OfficialClock:
    """Return the scheme's calendar for ``award_year`` (None: the year of approval).

    Raises ParameterError for an award before the approval.
    """
    cab = refs.cabinet
    award = check_award_year(award_year, refs)
    return OfficialClock(
        approval_year=refs.approval_year(), award_year=award,
        first_output_year=award + int(cab.value(GESTATION)), end_year=award + int(cab.value(DURATION)),
        capacity_t_per_yr=cab.value(CAPACITY), beneficiaries=int(cab.value(BENEFICIARIES)),
        capacity_per_beneficiary_t_per_yr=cab.value(CAPACITY_PER_BENEFICIARY),
    )  # fmt: skip


def ramp_years(ramp_shape: str, clock: OfficialClock, start_year: int | None,
               target_year: int | None) -> tuple[int, int, int] | None:  # fmt: skip
    """Return (start, target, end) years of the official-terms ramp, or None for another shape.

    The official ramp starts at the award and reaches its capacity in the first year of
    output; it is drawn to the scheme's end. ``start_year`` and ``target_year`` must be
    None with it (the award year sets the clock): ParameterError otherwise.
    """
    if ramp_shape != OFFICIAL_RAMP_SHAPE:
        return None
    for name, value in (("start_year", start_year), ("target_year", target_year)):
        if value is not None:
            raise ParameterError(f"parameter {name!r} = {value!r} is not allowed with ramp_shape "
                                 f"{OFFICIAL_RAMP_SHAPE!r}: the award year sets the official "
                                 "clock (set award_year instead)")  # fmt: skip
    return clock.award_year, clock.first_output_year, clock.end_year


def first_shortfall_year(gap: pd.DataFrame) -> int | None:
    """Return the first year the neodymium need surely exceeds IREL's output (None: never).

    ``gap`` is ``capacity.nd_gap``'s frame; "surely" uses the low end of the gap (the
    need minus IREL's higher output figure).
    """
    short = gap[gap["nd_gap_low_t_per_yr"] > 0]
    return int(short["year"].iloc[0]) if not short.empty else None


def _months(start: pd.Timestamp, end: pd.Timestamp) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def import_series(refs: References) -> pd.DataFrame:
    """Return India's permanent-magnet imports (world, tonnes) per period, oldest first.

    One row per figure of measure ``permanent_magnet_imports`` for India in the series
    and half-year packages. Columns (``SERIES_COLUMNS``): figure_id, package, period (as
    stated), period_type (fiscal_year | half_year), period_start, period_end, months (12
    or 6), imports_t (as stated, never annualised), qualifier, citation.
    """
    rows = []
    for pkg in (refs.series, refs.half_year):
        figures = pkg.figures
        own = figures[(figures["measure"] == IMPORTS_MEASURE) & (figures["subject"] == "India")]
        for row in own.to_dict("records"):
            rows.append({
                "figure_id": row["figure_id"], "package": pkg.name, "period": row["period"],
                "period_type": row["period_type"], "period_start": row["period_start"],
                "period_end": row["period_end"],
                "months": _months(row["period_start"], row["period_end"]),
                "imports_t": float(row["value_base"]), "qualifier": row["qualifier"],
                "citation": pkg.citation(row["figure_id"]),
            })  # fmt: skip
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    return frame.sort_values("period_start", kind="stable").reset_index(drop=True)


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


def series_growth(refs: References) -> SeriesGrowth:
    """Return the compound growth (%/yr) of the fiscal-year imports, first year to last.

    Only full fiscal years count (the half year is not a year). FY2020-21 12,400 t to
    FY2024-25 53,700 t over four years: about 44%/yr.
    """
    series = import_series(refs)
    years = series[series["period_type"] == "fiscal_year"]
    first, last = years.iloc[0], years.iloc[-1]
    span = int(last["period_start"].year - first["period_start"].year)
    rate = ((last["imports_t"] / first["imports_t"]) ** (1 / span) - 1) * 100
    return SeriesGrowth(float(rate), str(first["period"]), str(last["period"]), span,
                        float(first["imports_t"]), float(last["imports_t"]),
                        (str(first["figure_id"]), str(last["figure_id"])))  # fmt: skip


@dataclass(frozen=True)
class Growth:
    """The demand growth a notebook uses and where it comes from."""

    rate_pct_per_yr: float
    basis: str  # "parameter", or one of GROWTH_BASES
    sources: tuple[str, ...]  # fact ids, reference figure ids, or the parameter's name
    period: str | None = None  # the years the rate is measured over, when not the claim's own


def resolve_growth(growth_rate_pct_per_yr: float | None, growth_basis: str,
                   articles_rate_pct_per_yr: float, articles_fact_id: str,
                   refs: References) -> Growth:  # fmt: skip
    """Return the growth to use: the parameter when given, else the rate of ``growth_basis``.

    ``articles`` is the rate the articles' "double within five years" implies (the caller
    passes it and its fact id); ``official_series`` the rate of ``series_growth``.
    Raises ParameterError for an unknown basis.
    """
    if growth_basis not in GROWTH_BASES:
        raise ParameterError(f"parameter 'growth_basis' = {growth_basis!r} is not allowed: "
                             f"allowed {list(GROWTH_BASES)}")  # fmt: skip
    if growth_rate_pct_per_yr is not None:
        return Growth(
            float(growth_rate_pct_per_yr), "parameter", ("parameter growth_rate_pct_per_yr",)
        )
    if growth_basis == "articles":
        return Growth(articles_rate_pct_per_yr, "articles", (articles_fact_id,))
    growth = series_growth(refs)
    return Growth(growth.rate_pct_per_yr, "official_series", growth.figure_ids,
                  f"{growth.from_period} to {growth.to_period}")  # fmt: skip


def base_year_imports(refs: References) -> tuple[float, str]:
    """Return the official FY2024-25 imports (t) and the figure id: the series' last full year."""
    return refs.series.value(IMPORTS_FY2025), IMPORTS_FY2025


def restrictions_date(refs: References) -> pd.Timestamp:
    """Return the day China's April 2025 export restrictions took effect (reference event)."""
    return pd.Timestamp(refs.series.event(RESTRICTIONS_EVENT)["date_start"])


def _package_rows(pkg: ReferencePackage) -> list[dict]:
    rows = []
    for event in pkg.events.to_dict("records"):
        rows.append({
            "event_id": f"{pkg.name}/{event['event_id']}", "event_group": event["event_group"],
            "date": event["date"], "date_precision": event["date_precision"],
            "status": event["status"], "event": event["what"], "actor": "",
            "source_id": f"{pkg.name}/{event['page_id']}",
            # References carry figures, not sentences: no quote; the source names the page.
            "quote": "",
            "date_note": event["note"] if pd.notna(event["note"]) else "",
            "date_start": event["date_start"], "date_end": event["date_end"],
        })  # fmt: skip
    return rows


def timeline_rows(refs: References) -> pd.DataFrame:
    """Return the packages' dated events in the columns of the curated events table.

    ``source_id`` is "<package>/<page_id>" (see ``timeline_sources``, which names the
    page); ``quote`` is empty: a reference carries figures, not sentences. Columns: event_id, event_group, date,
    date_precision, status, event, actor, source_id, quote, date_note, date_start, date_end.
    """
    rows = [r for pkg in (refs.cabinet, refs.series, refs.half_year) for r in _package_rows(pkg)]
    return pd.DataFrame(rows)


def timeline_sources(refs: References) -> pd.DataFrame:
    """Return one sources-table row per reference page: source_id, title, publisher, published,
    published_precision, url (the columns a chart's source label reads)."""
    rows = []
    for pkg in (refs.cabinet, refs.series, refs.half_year):
        for page in pkg.pages.to_dict("records"):
            published = page["date_published"]
            rows.append({
                "source_id": f"{pkg.name}/{page['page_id']}",
                "title": page["title"] if pd.notna(page["title"]) else "",
                "publisher": page["publisher"],
                "published": f"{published:%Y-%m-%d}" if pd.notna(published) else "",
                "published_precision": "day" if pd.notna(published) else "",
                "url": page["url"],
            })  # fmt: skip
    return pd.DataFrame(rows)
