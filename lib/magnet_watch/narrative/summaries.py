"""Each report's title, stating its finding, and the summary of 3 to 5 sentences that opens it.

One function per report, each computed from the run's results and the record as of the
page's date (never a figure written here): with another ``as_of`` or other parameters the
words follow. The sentences keep the index's rules (``narrative.lead``): scope stated (which
magnets, neodymium metal, plans not output), every figure dated or with its period, a plan
kept a plan, two sources that disagree both named.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.outlook import (
    ClockOutlook,
    DemandOutlook,
    NeodymiumOutlook,
    neodymium_outlook,
    official_clock_outlook,
)
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs
from magnet_watch.data.lookups import format_quantity
from magnet_watch.narrative.capacity import gap_text, ramp_shape_words
from magnet_watch.narrative.claims import verdict_counts_text
from magnet_watch.narrative.headlines import period_words
from magnet_watch.narrative.lead import (
    china_finding,
    clock_finding,
    coverage_finding,
    gap_finding,
    imports_finding,
)
from magnet_watch.narrative.sensitivity import OUTCOME_WORDS, format_outcome
from magnet_watch.text import formats as fmt

# How many sentences a summary holds (issue 20: "a summary of three to five sentences").
SENTENCES = (3, 5)


@dataclass(frozen=True)
class Summary:
    """A report's finding as its title (one sentence) and the sentences that open its page."""

    title: str
    sentences: tuple[str, ...]

    def __post_init__(self) -> None:
        low, high = SENTENCES
        if not low <= len(self.sentences) <= high:
            raise ValueError(
                f"a summary has {low} to {high} sentences, not {len(self.sentences)}: "
                f"{self.title!r}"
            )

    @property
    def text(self) -> str:
        """The summary as one paragraph."""
        return " ".join(self.sentences)


def _nd_gap_words(run: NeodymiumOutlook) -> tuple[str, str]:
    """Return the target year's neodymium gap as a title and the sentence on IREL's output."""
    year = run.ramp.target_year
    row = run.gap[run.gap["year"] == year].iloc[0]
    need = fmt.tonnes(run.need_at_target_t_per_yr)
    if row["nd_gap_low_t_per_yr"] > 0:
        title = (
            f"IREL's plans fall {gap_text(row)} short of the {need} of neodymium a year the "
            f"magnet target needs in {fmt.year(year)}"
        )
    else:
        title = (
            f"IREL's plans would cover the {need} of neodymium a year the magnet target needs "
            f"in {fmt.year(year)}"
        )
    short = run.first_shortfall_year
    first = (
        f"The need first exceeds IREL's planned output in {fmt.year(short)}, on "
        f"{ramp_shape_words(run.ramp.shape)} ramp of magnet output from "
        f"{fmt.year(run.ramp.start_year)}, this page's assumption."
        if short is not None
        else "On this ramp the need never exceeds IREL's planned output."
    )
    return title, first


def overview_summary(values: dict, inputs: ImportsInputs, facts: pd.DataFrame) -> Summary:
    """The overview: the target's neodymium against IREL's plans, then the index's findings,
    for the model values ``values`` (each model run once)."""
    run = neodymium_outlook(values, inputs.capacity)
    row = run.gap[run.gap["year"] == run.ramp.target_year].iloc[0]
    target = inputs.capacity.target
    return Summary(
        f"India's target of {fmt.tonnes(target.output_t_per_yr)} of rare-earth magnets a year by "
        f"{fmt.year(run.ramp.target_year)} needs {gap_text(row)} more neodymium than IREL plans "
        "to make",
        (
            gap_finding(run, inputs.capacity).text,
            clock_finding(official_clock_outlook(values, inputs.capacity)).text,
            china_finding(inputs, facts).text,
            imports_finding(inputs).text,
        ),
    )


def capacity_summary(
    run: NeodymiumOutlook, clock: ClockOutlook, capacity: CapacityInputs
) -> Summary:
    """Notebook 02: the neodymium the target needs against IREL's plans, and the clock, from
    the notebook's own runs (``run``, ``clock``)."""
    title, first = _nd_gap_words(run)
    target = capacity.target
    earliest = " at the earliest" if clock.award_assumed else ""
    row = run.gap[run.gap["year"] == run.ramp.target_year].iloc[0]
    official = clock.clock
    return Summary(
        title,
        (
            f"Making the national target of {fmt.tonnes(target.output_t_per_yr)} of rare-earth "
            f"magnets a year by {fmt.year(run.ramp.target_year)} needs "
            f"{fmt.tonnes_a_year(run.need_at_target_t_per_yr)} of neodymium metal (at "
            f"{fmt.share(run.nd_mass_fraction)} neodymium by mass), {gap_text(row)} more than "
            "IREL plans to make.",
            "IREL's figures are plans and targets, not what it has made.",
            first,
            f"On the terms the Cabinet approved in {fmt.year(official.approval_year)}, the "
            f"scheme's years run from the award ({fmt.year(official.award_year)}{earliest}), so "
            f"no magnets come before {fmt.year(official.first_output_year)} and the scheme ends "
            f"in {fmt.year(official.end_year)}.",
        ),
    )


def _unit_value_sentence(check, rate_pct_per_yr: float) -> str:
    """Return what the imports' value over their tonnage says (or, without it, the growth)."""
    if check is None:
        return (
            f"The growth of {fmt.growth_rate(rate_pct_per_yr)} is an assumption the explorer "
            "below lets a reader change."
        )
    where = {"below": "below", "above": "above"}.get(check.side, "inside")
    return (
        f"Their declared value over that tonnage comes to {fmt.usd_per_kg(check.usd_per_kg)}, "
        f"{where} the {fmt.usd_per_kg_range(check.band_low_usd_per_kg, check.band_high_usd_per_kg)}"
        " this page assumes a rare-earth (NdFeB) magnet can cost."
    )


def imports_summary(run: DemandOutlook, inputs: ImportsInputs) -> Summary:
    """Notebook 03: how much of demand home output would cover, and the imports' scope, from
    the notebook's own run."""
    year = run.ramp.target_year
    title = (
        f"If India makes its magnet target, home output would cover "
        f"{fmt.percent(run.covered_at_target_pct)} of its rare-earth magnet demand in "
        f"{fmt.year(year)} (demand growing {fmt.growth_rate(run.growth.rate_pct_per_yr)})"
    )
    return Summary(
        title,
        (
            coverage_finding(run, inputs).text,
            imports_finding(inputs).text,
            _unit_value_sentence(run.unit_value, run.growth.rate_pct_per_yr),
        ),
    )


def market_summary(
    inputs: ImportsInputs, facts: pd.DataFrame, verdicts: pd.DataFrame, reference_year: int
) -> Summary:
    """Notebook 04: China's shares as each source states them, and the claims' verdicts."""
    magnets = inputs.capacity.facts.china_magnet_share
    title = (
        f"China makes {format_quantity(magnets)} of the world's rare-earth magnets "
        f"({period_words(magnets)}); its share of processing depends on the source"
    )
    return Summary(
        title,
        (
            china_finding(inputs, facts).text,
            "Each processing figure is shown with its source and date.",
            f"Of {len(verdicts)} claims USGS's {fmt.year(reference_year)} figures can test: "
            f"{verdict_counts_text(verdicts)}.",
        ),
    )


def _later_counts(later: pd.DataFrame) -> str:
    """Return the later references' verdict counts: "3 agree, 1 disagrees"."""
    counts = later["verdict"].value_counts()
    return ", ".join(f"{int(counts[v])} {v}" for v in counts.index if counts[v])


def claims_summary(verdicts: pd.DataFrame, reference_year: int, later: pd.DataFrame) -> Summary:
    """Notebook 05: the verdicts of the claims against USGS, and against the later references."""
    counts = verdict_counts_text(verdicts)
    return Summary(
        f"Of {fmt.count(len(verdicts))} claims in the documents that USGS's "
        f"{fmt.year(reference_year)} figures can test: {counts}",
        (
            "The documents' claims about reserves, mining, output and prices are checked "
            f"against the U.S. Geological Survey's world figures for {fmt.year(reference_year)}.",
            f"Of the {fmt.count(len(verdicts))} it can test: {counts}.",
            f"Against the official references published after the articles, "
            f"{fmt.count(len(later))} claims: {_later_counts(later)}.",
            "Each verdict is given with the claim as written, its source and its period.",
        ),
    )


def _many(n: int, one: str, many: str) -> str:
    """Return a count with its noun: "1 gap", "3 gaps"."""
    return f"{fmt.count(n)} {one if n == 1 else many}"


def curation_summary(audit, recall: tuple[int, int, list[str]]) -> Summary:
    """Notebook 06: the curation audit's state: coverage, gaps, conflicts and checks."""
    cov, checks = audit.coverage, audit.checks
    total, recorded = int(cov["quantities"].sum()), int(cov["recorded"].sum())
    passing = int((checks["result"] == "pass").sum())
    documented = int(((checks["result"] == "fail") & checks["as_expected"]).sum())
    found, curated, _ = recall
    conflicts = len(audit.conflicts)
    return Summary(
        f"The curation audit {'passes' if audit.ok else 'fails'}: "
        f"{_many(len(audit.gaps), 'gap', 'gaps')} in the documents, "
        f"{_many(conflicts, 'conflict', 'conflicts')} between sources kept side by side",
        (
            f"The extractor finds {fmt.count(total)} quantities in the "
            f"{_many(len(cov), 'document', 'documents')}, of which {fmt.count(recorded)} are "
            "recorded by a fact, an event or a source's date.",
            f"It finds {fmt.count(found)} of the {fmt.count(curated)} curated facts.",
            f"Where sources disagree ({_many(conflicts, 'pair', 'pairs')}), both rows are kept.",
            f"{fmt.count(passing)} of {fmt.count(len(checks))} consistency checks pass; "
            f"{_many(documented, 'failing check is a documented finding', 'failing checks are documented findings')}.",
        ),
    )


def sensitivity_summary(
    tornado: pd.DataFrame, spread: pd.DataFrame, year: int, band_pct: float
) -> Summary:
    """Notebook 07: what the quoted figures depend on most, and the band of the gap."""
    sentences = []
    leads = {}
    for name, what in OUTCOME_WORDS.items():
        rows = tornado[(tornado["outcome"] == name) & (tornado["swing"] > 0)]
        if not rows.empty:
            leads[name] = rows.iloc[0]["label"]
            words = what.format(year=fmt.year(year))
            sentences.append(f"{words[0].upper()}{words[1:]} depends most on {leads[name]}.")
    gap = spread[spread["outcome"] == "nd_gap_t_per_yr"].iloc[0]
    sentences.append(
        f"With every assumption drawn at once, {fmt.percent(band_pct)} of the draws put the "
        f"{fmt.year(year)} gap between {format_outcome('nd_gap_t_per_yr', gap['low'])} and "
        f"{format_outcome('nd_gap_t_per_yr', gap['high'])}; a negative gap is a surplus."
    )
    driver = leads.get("nd_gap_t_per_yr", "none of the assumptions")
    return Summary(
        f"The {fmt.year(year)} neodymium gap depends most on {driver}",
        tuple(sentences[:4] + sentences[-1:]) if len(sentences) > 5 else tuple(sentences),
    )
