"""Charts of the later references: the official import series and the official clock.

Titles come from ``magnet_watch.narrative.official_terms`` (each finding is worded once);
the subtitle cites the reference pages and the seed documents whose claims are drawn.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.charts.theme import (
    HEIGHT_PX,
    QUALIFIER_DASH,
    ROLE_COLOURS,
    UTC_DAY,
    WIDTH_PX,
    claim_rows,
    finding_title,
    time_scale,
    tooltip,
    wrapped_labels,
)
from magnet_watch.text import formats as fmt

SERIES_KINDS = {"fiscal_year": "full fiscal year (12 months)", "half_year": "half year (6 months)"}
CLAIM_COLOUR = "#000000"


def _series_data(series: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": series["period_start"].dt.strftime("%Y-%m-%d"),
            "end": series["period_end"].dt.strftime("%Y-%m-%d"),
            "imports_t": series["imports_t"],
            "kind": series["period_type"].map(SERIES_KINDS),
            "period": series["period"],
            "value_text": [
                f"{fmt.tonnes(v)}" + (" (about)" if q == "approximately" else "")
                for v, q in zip(series["imports_t"], series["qualifier"], strict=True)
            ],
            "source": series["citation"],
            "quote": "",  # a reference gives figures, not sentences: the source column cites it
        }
    )


def _claims_data(claims: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    rows = claim_rows(claims, sources)
    middle = claims["period_start"] + (claims["period_end"] - claims["period_start"]) / 2
    return rows.assign(
        date=middle.dt.strftime("%Y-%m-%d").to_numpy(),
        label=[f"article: {t}" for t in rows["value_text"]],
    )


def _restrictions_layers(restrictions: pd.Timestamp) -> tuple[alt.Chart, alt.Chart]:
    """A dashed rule on the day China's export restrictions took effect, and its label."""
    day = alt.X("date:T", scale=time_scale(), timeUnit=UTC_DAY)
    rule_data = pd.DataFrame(
        [
            {
                "date": f"{restrictions:%Y-%m-%d}",
                "label": f"China's export restrictions, {restrictions:%-d %b %Y}",
            }
        ]
    )
    rule = (
        alt.Chart(rule_data)
        .mark_rule(strokeDash=QUALIFIER_DASH["planned"], color=ROLE_COLOURS["target"], size=2)
        .encode(x=day)
    )
    text = (
        alt.Chart(rule_data)
        .mark_text(align="right", dx=-4, y=8, color=ROLE_COLOURS["target"])
        .encode(x=day, text="label:N")
    )
    return rule, text


def imports_series_chart(
    series: pd.DataFrame,
    claims: pd.DataFrame,
    restrictions: pd.Timestamp,
    finding: str,
    reference_note: str,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return India's permanent-magnet imports per period, with the articles' claims on top.

    ``series``: ``official_terms.import_series`` (each bar spans its period, so the half
    year is half as wide, never annualised); ``claims``: fact rows of the articles'
    import tonnage (drawn as points at the middle of their period); ``restrictions``:
    the day China's export restrictions took effect (a vertical rule); ``finding``:
    the title (``narrative.official_terms.series_finding``); ``reference_note``: the
    reference pages cited in the subtitle.
    """
    data = _series_data(series)
    x = alt.X(
        "start:T",
        title="Period (Indian fiscal years run April to March)",
        scale=time_scale(),
        timeUnit=UTC_DAY,
    )
    day = alt.X("date:T", scale=time_scale(), timeUnit=UTC_DAY)
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.8, stroke="white")
        .encode(
            x=x,
            x2=alt.X2("end:T", timeUnit=UTC_DAY),
            y=alt.Y("imports_t:Q", title="Imports (t of permanent magnets, all kinds)"),
            color=alt.Color(
                "kind:N",
                title="Period",
                scale=alt.Scale(
                    domain=list(SERIES_KINDS.values()),
                    range=[ROLE_COLOURS["observed"], ROLE_COLOURS["capacity"]],
                ),
            ),
            tooltip=tooltip(alt.Tooltip("period:N", title="Period")),
        )
    )
    claim_data = _claims_data(claims, sources)
    points = (
        alt.Chart(claim_data)
        .mark_point(size=110, filled=True, color=CLAIM_COLOUR)
        .encode(
            x=day,
            y="value:Q",
            shape=alt.Shape("label:N", title="The articles' claim"),
            tooltip=tooltip(alt.Tooltip("period:N", title="Period")),
        )
    )
    rule, text = _restrictions_layers(restrictions)
    return alt.layer(bars, points, rule, text).properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(
            finding, claims["source_id"].astype(str), note=reference_note, sources=sources
        ),
    )


def clock_chart(
    gap_articles: pd.DataFrame,
    gap_official: pd.DataFrame,
    finding: str,
    note: str,
    source_ids,
    sources: pd.DataFrame,
) -> alt.LayerChart:
    """Return the neodymium need year by year on two clocks, against IREL's higher output.

    ``gap_articles``/``gap_official``: ``capacity.nd_gap`` frames for the articles' reading
    (seven years from the approval) and the official terms (output after the award and
    the gestation period); ``finding`` (``narrative.official_terms.clock_finding``) is the
    title; ``note`` names the assumptions and the reference page.
    """
    frames = []
    for label, gap in (("articles' reading", gap_articles), ("official terms", gap_official)):
        frames.append(
            pd.DataFrame(
                {
                    "year": gap["year"],
                    "nd_t_per_yr": gap["nd_needed_t_per_yr"],
                    "series": label,
                    "value_text": [
                        f"{fmt.tonnes_a_year(v)} of neodymium needed"
                        for v in gap["nd_needed_t_per_yr"]
                    ],
                    "source": f"computed: {label}",
                    "quote": "",
                }
            )
        )
    need = pd.concat(frames, ignore_index=True)
    years = sorted(set(need["year"]))
    irel = gap_articles.set_index("year")["irel_nd_high_t_per_yr"].reindex(years).ffill()
    supply = pd.DataFrame(
        {
            "year": years,
            "nd_t_per_yr": irel.to_numpy(),
            "series": "IREL output (higher figure)",
            "value_text": [f"{fmt.tonnes_a_year(v)}" for v in irel],
            "source": "IREL (articles; quotes in the capacity section)",
            "quote": "",
        }
    )
    data = pd.concat([need, supply], ignore_index=True)
    colours = alt.Scale(
        domain=["articles' reading", "official terms", "IREL output (higher figure)"],
        range=[ROLE_COLOURS["projected"], ROLE_COLOURS["target"], ROLE_COLOURS["observed"]],
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("nd_t_per_yr:Q", title="Neodymium (t/yr)"),
            color=alt.Color("series:N", title=None, scale=colours),
            tooltip=tooltip(
                alt.Tooltip("year:O", title="Year"), alt.Tooltip("series:N", title="Series")
            ),
        )
    )
    return lines.properties(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        title=finding_title(finding, source_ids, note=note, sources=sources),
    )


STATE_COLOURS = {
    "happened": ROLE_COLOURS["observed"],
    "ahead": ROLE_COLOURS["planned"],
    "due": "#999999",
    "restated": "#CCCCCC",
}


def progress_chart(
    milestones: pd.DataFrame, clock, finding: str, note: str, source_ids, sources: pd.DataFrame
) -> alt.LayerChart:
    """Return the scheme's milestones on a time axis (one row each, coloured by their state as
    of the as-of date) against the official clock (the award's earliest year, the first year
    of output, the scheme's end: ``clock``, an ``OfficialClock``), titled by ``finding``."""
    data = pd.DataFrame(
        {
            "date": milestones["date_start"].dt.strftime("%Y-%m-%d"),
            "milestone": milestones["what"].str.split(" [(]").str[0],
            "state": milestones["state"],
            "value_text": milestones["date"].astype(str),
            "source": milestones["package"],
            "quote": "",
        }
    )
    marks = [
        ("award (earliest)", clock.award_year),
        ("first output", clock.first_output_year),
        ("scheme ends", clock.end_year),
    ]
    rules = pd.DataFrame(
        {"date": [f"{y}-01-01" for _, y in marks], "clock": [f"{n}, {y}" for n, y in marks]}
    )
    scale = alt.Scale(domain=list(STATE_COLOURS), range=list(STATE_COLOURS.values()))
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X(f"{UTC_DAY}(date):T", title="Date", scale=time_scale()),
            y=alt.Y("milestone:N", title=None, sort=None, axis=wrapped_labels(48)),
            color=alt.Color("state:N", title="As of the as-of date", scale=scale),
            tooltip=tooltip(
                alt.Tooltip("milestone:N", title="Milestone"), alt.Tooltip("state:N", title="State")
            ),
        )
    )
    clock_rules = (
        alt.Chart(rules)
        .mark_rule(strokeDash=[4, 3], color=ROLE_COLOURS["target"])
        .encode(
            x=alt.X(f"{UTC_DAY}(date):T"), tooltip=[alt.Tooltip("clock:N", title="Official clock")]
        )
    )
    labels = (
        alt.Chart(rules)
        .mark_text(align="left", dx=3, dy=-4, baseline="bottom", angle=0)
        .encode(x=alt.X(f"{UTC_DAY}(date):T"), y=alt.value(0), text="clock:N")
    )
    return alt.layer(points, clock_rules, labels).properties(
        width=WIDTH_PX,
        # A row for each milestone tall enough for its label's three lines.
        height=alt.Step(44),
        title=finding_title(finding, source_ids, note=note, sources=sources),
    )
