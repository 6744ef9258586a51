"""Words for the official terms, the official import series and the timeline's later events.

Each finding is stated once here; charts take their titles from these functions and
the notebooks show the same sentences as prose. Figures from the articles and figures
from later references are always named as such (``ARTICLE``, ``LATER_REFERENCE``).
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.official_terms import Growth, OfficialClock, SeriesGrowth
from magnet_watch.data.later_references import References
from magnet_watch.data.lookups import facts_for, format_quantity
from magnet_watch.narrative.headlines import HEADLINE_COLUMNS
from magnet_watch.narrative.reference_check import figure_text
from magnet_watch.text import formats as fmt
from magnet_watch.text.periods import day_words

ARTICLE = "article"
LATER_REFERENCE = "later reference"
GROWTH_BASIS_WORDS = {
    "articles": 'the articles\' "double within five years"',
    "cabinet": 'the Cabinet\'s "consumption to double by 2030 from 2025"',
    "parameter": "the parameter growth_rate_pct_per_yr",
}
# Overview: the later references' key figures, in the order shown (package attribute, id, label).
OVERVIEW_REFERENCE_FIGURES = [
    ("cabinet", "outlay", "Magnet scheme outlay as approved"),
    ("cabinet", "capacity", "Scheme capacity as approved"),
    ("cabinet", "duration", "Scheme duration (from the award)"),
    ("series", "imports_fy2025", "Permanent magnet imports, all kinds"),
    ("series", "china_share_fy2025", "Share of permanent magnet imports from China"),
    ("half_year", "imports_h1_fy2026", "Permanent magnet imports, half year after China's curbs"),
]


def _period_words(row: pd.Series) -> str:
    if row["period_type"] == "fiscal_year":
        return f"{row['period']} ({row['period_start']:%b %Y}–{row['period_end']:%b %Y})"
    return str(row["period"])


def reference_headline(refs: References, attr: str, figure_id: str, label: str) -> dict:
    """Return one headline row for a later reference figure, its source saying so."""
    pkg = getattr(refs, attr)
    row = pkg.figure(figure_id)
    publisher = pkg.page(figure_id)["publisher"]
    return {
        "figure": label,
        "value": figure_text(pkg, figure_id),
        "period": _period_words(row),
        "source": f"{LATER_REFERENCE}: {publisher} ({pkg.name})",
    }


def overview_reference_headlines(refs: References) -> pd.DataFrame:
    """Return the overview's headline rows from the references published after the articles."""
    rows = [reference_headline(refs, *spec) for spec in OVERVIEW_REFERENCE_FIGURES]
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(str)


def headline_origin_note() -> str:
    """Return the sentence telling readers which headline rows come from where (Markdown)."""
    return (
        f"Rows whose source is a document id come from the five seed articles; rows marked "
        f"*{LATER_REFERENCE}* come from figures published after them (the Cabinet's approved "
        "terms of 26 November 2025 and official import data), each verified against a stored "
        "copy of the page it is cited from."
    )


def timeline_reference_summary(rows: pd.DataFrame) -> str:
    """Return what the later references add to the timeline (Markdown); empty when nothing."""
    if rows.empty:
        return ""
    items = [
        f"{r['event']} ({r['date']})" for r in rows.sort_values("date_start").to_dict("records")
    ]
    return (
        f"From {LATER_REFERENCE}s the timeline adds or dates more precisely "
        f"**{len(items)} events**: " + "; ".join(items) + "."
    )


# Capacity: the official clock ------------------------------------------------------------------


def clock_finding(
    clock: OfficialClock, first_articles: int | None, first_official: int | None
) -> str:
    """Return what the official clock does to the first year of neodymium shortfall (one line)."""

    def year(y):
        return str(y) if y is not None else "no year shown"

    if first_articles == first_official:
        change = "leaves the first year of shortfall unchanged"
    elif first_articles is None or first_official is None:
        change = "changes whether a shortfall appears at all"
    else:
        shift = first_official - first_articles
        change = (
            f"moves the first year of shortfall {abs(shift)} year{'s' * (abs(shift) != 1)} "
            + ("later" if shift > 0 else "earlier")
        )
    return (
        f"With an award in {clock.award_year}, the official clock {change}: "
        f"{year(first_official)} against {year(first_articles)} on the articles' reading"
    )


def clock_note(clock: OfficialClock, refs: References, nd_mass_fraction: float) -> str:
    """Return the clock chart's note: the assumptions and the page the terms come from."""
    return (
        f"Assumes {fmt.share(nd_mass_fraction)} neodymium by mass; official terms: no output before "
        f"{clock.first_output_year}, then the full capacity; articles' reading: a linear ramp "
        f"from the approval. Terms: {refs.cabinet.citation('duration')}."
    )


def award_default_words(refs: References) -> str:
    """Return why the award year's default is what it is, as of the references' date: "the
    earliest the record allows as of 27 May 2026: no award is recorded by then, so not
    before 2026"."""
    year = refs.earliest_award_year()
    if refs.award_date is not None:
        return f"the year of the award, recorded on {day_words(refs.award_date)}"
    if refs.as_of is None:
        return f"the year of the approval, {year}"
    return (
        f"the earliest the record allows as of {day_words(refs.as_of)}: no award is recorded "
        f"by then, so not before {year}"
    )


def clock_summary(
    clock: OfficialClock, refs: References, first_articles: int | None, first_official: int | None
) -> str:
    """Return the official terms and their effect on the neodymium gap, in words (Markdown)."""
    cab = refs.cabinet
    return (
        f"The approved terms ({LATER_REFERENCE}, {cab.page('duration')['publisher']}): "
        f"{figure_text(cab, 'capacity')} split among {figure_text(cab, 'beneficiaries')} "
        f"beneficiaries of {figure_text(cab, 'capacity_per_beneficiary')} each, over "
        f"{figure_text(cab, 'duration')} from the award, the first "
        f"{figure_text(cab, 'gestation')} for building the plants. With the award in "
        f"**{clock.award_year}** (an assumption; its default is "
        f"{award_default_words(refs)}; never before the approval, {clock.approval_year}), "
        f"no magnets come before **{clock.first_output_year}** and the "
        f"scheme ends in {clock.end_year}. "
        + clock_finding(clock, first_articles, first_official)
        + "."
    )


def clock_headlines(
    clock: OfficialClock, first_articles: int | None, first_official: int | None
) -> pd.DataFrame:
    """Return the capacity notebook's official-clock headline rows."""
    ids = ", ".join(clock.figure_ids)
    source = f"{LATER_REFERENCE} cabinet-2025-11-26 ({ids}); parameter award_year"
    rows = [
        {
            "figure": "Official clock: first year of magnet output",
            "value": str(clock.first_output_year),
            "period": f"award {clock.award_year}",
            "source": source,
        },
        {
            "figure": "First year of neodymium shortfall, official clock vs articles' reading",
            "value": f"{first_official or 'none'} vs {first_articles or 'none'}",
            "period": f"award {clock.award_year}",
            "source": source,
        },
    ]
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS).astype(str)


# Imports: the official series ------------------------------------------------------------------


def series_finding(series: pd.DataFrame, refs: References) -> str:
    """Return the import series' finding in one line (the chart's title)."""
    fy = series[series["period_type"] == "fiscal_year"]
    half = series[series["period_type"] == "half_year"].iloc[-1]
    change = refs.half_year.figure("imports_change_h1_fy2026")["value"]
    return (
        f"Permanent magnet imports rose from {fmt.tonnes(fy['imports_t'].iloc[0])} in "
        f"{fy['period'].iloc[0]} to {fmt.tonnes(fy['imports_t'].iloc[-1])} in "
        f"{fy['period'].iloc[-1]}; after China's curbs, April-September 2025 was "
        f"{fmt.percent(abs(change))} below a year earlier ({fmt.tonnes(half['imports_t'])})"
    )


def growth_words(growth: Growth, series: SeriesGrowth, articles_rate_pct_per_yr: float) -> str:
    """Return which growth the projection uses and the alternative (Markdown)."""
    used = GROWTH_BASIS_WORDS[growth.basis]
    return (
        f"Rare-earth magnet demand grows at **{fmt.growth_rate(growth.rate_pct_per_yr)}**, "
        f"from {used}. For comparison, the articles' doubling within five years implies "
        f"{fmt.growth_rate(articles_rate_pct_per_yr)}. The official import series grew "
        f"{fmt.growth_rate(series.rate_pct_per_yr)} ({series.from_period} "
        f"{fmt.tonnes(series.from_t)} to {series.to_period} {fmt.tonnes(series.to_t)} over "
        f"{series.years} years), but it counts "
        "permanent magnets of every kind and ends before the half-year fall of 2025: it is "
        "not a growth rate of rare-earth magnet demand, and the projection never uses it."
    )


def series_note(refs: References) -> str:
    """Return the import chart's note: what the bars count and the pages they come from."""
    pages = [refs.series.citation("imports_fy2025"), refs.half_year.citation("imports_h1_fy2026")]
    return (
        "Later references: permanent magnets of every kind, not only rare-earth ones; the last "
        "bar is a half year. " + " ".join(f"{p}." for p in pages)
    )


def coverage_basis_words(growth: Growth) -> str | None:
    """Return where the growth rate comes from for the coverage finding, or None when it is
    the articles' rate or a typed parameter (the finding words those itself)."""
    return GROWTH_BASIS_WORDS[growth.basis] if growth.basis == "cabinet" else None


def series_summary(series: pd.DataFrame, refs: References, facts: pd.DataFrame) -> str:
    """Return the series in words, with the articles' FY2024-25 claim beside it (Markdown)."""
    claims = facts_for("magnet_imports", "India", facts=facts)
    claim_text = " and ".join(f"'{format_quantity(r)}'" for r in claims.to_dict("records"))
    series_pkg = refs.series
    return (
        series_finding(series, refs)
        + ". "
        + f"Of FY2024-25's {figure_text(series_pkg, 'imports_fy2025')}, "
        f"{figure_text(series_pkg, 'china_share_fy2025')} came from China "
        f"({figure_text(series_pkg, 'china_imports_fy2025')}), worth "
        f"{figure_text(series_pkg, 'imports_value_fy2025')} in all "
        f"({figure_text(series_pkg, 'imports_value_change_fy2025')} more than the year before "
        f"for {figure_text(series_pkg, 'imports_change_fy2025')} more tonnes). The articles' "
        f"{claim_text} for FY2024-25 is the same figure; the half year is shown as six months, "
        "not annualised."
    )
