"""Every explorer of the reports (02 capacity, 03 imports, 04 market, 05 claims, 07
sensitivity), on the grid of ``notebook.explorer_grid``: the controls come from each
notebook's parameter spec (its ``plausible`` grids), every case is computed by the library's
own functions when the report is built, and the controls start at the notebook's own values,
so the default case is the report's figures.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd

from magnet_watch.analysis import capacity, sensitivity
from magnet_watch.analysis.checks.checked_claims import (
    checked_claims,
    inr_per_usd_for,
    thresholds_for,
)
from magnet_watch.analysis.checks.claims_check import claims_check
from magnet_watch.analysis.outlook import demand_outlook, neodymium_outlook, resolve_demand
from magnet_watch.charts import explorers as charts
from magnet_watch.charts.explorers import FROM_FACTS, Control
from magnet_watch.charts.market import processing_data
from magnet_watch.charts.reference import verdict_rows
from magnet_watch.constants import pct_to_fraction
from magnet_watch.data.inputs import CapacityInputs, ImportsInputs
from magnet_watch.data.later_references import References
from magnet_watch.data.lookups import conflicting_claims
from magnet_watch.data.usgs import UsgsReference
from magnet_watch.narrative.capacity import capacity_scenario_headlines
from magnet_watch.narrative.claims import claims_headlines, claims_words
from magnet_watch.narrative.explorers import overlap_headline
from magnet_watch.narrative.headlines import headline_frame
from magnet_watch.narrative.imports import base_note, imports_scenario_headlines
from magnet_watch.narrative.reference_check import checked_claims_headlines
from magnet_watch.narrative.sensitivity import sensitivity_headlines
from magnet_watch.notebook.explorer_grid import axes_words, case_params, controls_for, grid_tables


def sensitivity_explorer(
    run_values: dict,
    assumptions: list[sensitivity.Assumption],
    base: dict,
    base_gap: pd.DataFrame,
    inputs: ImportsInputs,
    source_ids,
    sources: pd.DataFrame,
):
    """Return (the sensitivity explorer, its grid in words): the year the figures are quoted at
    and the share of the draws the band shows as controls; the band of the neodymium need and
    the moving headlines (base case, band, the assumption each figure depends on most), for
    every grid case. ``assumptions`` and ``base`` are the notebook's, ``base_gap`` its base
    case ``nd_gap``."""
    names = ["outcome_year", "band_pct"]
    resolved = {"outcome_year": inputs.capacity.target.target_year}
    controls, axes = controls_for("07_sensitivity", names, run_values, resolved)
    draws, seed = run_values["draws"], run_values["seed"]
    years = axes["outcome_year"]
    # One model run per setting for every year, one set of draws shared by the years.
    swings = sensitivity.tornadoes(assumptions, base, years, inputs)
    runs = sensitivity.monte_carlos(assumptions, base, years, draws, seed, inputs)

    @cache  # a band depends on the run (the same for most years) and the share shown
    def need_band(year: int, band_pct: float) -> pd.DataFrame:
        band = sensitivity.band(runs[year], band_pct)
        return band.loc[band["quantity"] == "nd_need_t_per_yr", ["year", "low", "median", "high"]]

    def evaluate(point: dict):
        year, band_pct = point["outcome_year"], point["band_pct"]
        spread = sensitivity.outcome_spread(runs[year], year, band_pct)
        heads = sensitivity_headlines(
            base, swings[year], spread, year, draws, band_pct, inputs.capacity.facts
        )
        shared = min(y for y in years if runs[y] is runs[year])  # the first year of that run
        return need_band(shared, band_pct), heads

    tables = grid_tables(axes, evaluate, {"low": 1, "median": 1, "high": 1})
    words = axes_words("07_sensitivity", controls, axes)
    chart = charts.band_explorer_chart(tables, base_gap, controls, axes, source_ids, sources)
    return chart, words


def claims_explorer(
    run_values: dict,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
    refs: References,
    usgs: UsgsReference,
):
    """Return (the claims-check explorer, its grid in words): the reference year and how far
    "approximately" may stray as controls; each claim's verdict against USGS and the moving
    headlines (both checks, as notebook 05 words them), for every grid case, each case the
    notebook's run (``checked_claims``) with the rest of ``run_values``. ``refs`` and the
    USGS reference ``usgs`` are the notebook's."""
    names = ["reference_year", "approx_tolerance_pct"]
    controls, axes = controls_for("05_claims_check", names, run_values, {})
    controls = _edition_years(controls, axes, usgs)

    source_ids: set[str] = set()
    # The rate does not move with the grid: resolved once, not in every case.
    fixed = {**run_values, "inr_per_usd": inr_per_usd_for(run_values, facts)}

    def evaluate(point: dict):
        run = checked_claims({**fixed, **point}, facts, refs, usgs)
        table = claims_words(run.against_usgs, sources)
        source_ids.update(s for ids in table["claim_source_ids"] for s in ids)
        heads = checked_claims_headlines(table, run.against_later, refs, facts, sources)
        return verdict_rows(table)[["row", "Verdict", "Reference", "Why"]], heads

    tables = grid_tables(axes, evaluate, {})
    words = axes_words("05_claims_check", controls, axes)
    chart = charts.verdicts_explorer_chart(tables, controls, axes, sorted(source_ids), sources)
    return chart, words


def _edition_years(controls: list, axes: dict, usgs: UsgsReference) -> list:
    """Keep on the reference-year axis only the years the edition current at the page's date
    states (``usgs.years``); return the controls with that axis as the dropdown's options."""
    axes["reference_year"] = [y for y in axes["reference_year"] if y in usgs.years]
    options = tuple(axes["reference_year"])
    return [
        replace(c, options=options, labels=()) if c.column == "reference_year" else c
        for c in controls
    ]


PROCESSING_FIGURE = "China's share of rare-earth processing"


def market_explorer(
    run_values: dict,
    processing: pd.DataFrame,
    facts: pd.DataFrame,
    sources: pd.DataFrame,
    usgs: UsgsReference,
):
    """Return (the market explorer, its grid in words): how far "approximately" may stray and
    the USGS year as controls; the interval each source's processing claim allows, whether
    they can both hold, and the claims-check verdicts that move, for every grid case.
    ``processing`` is ``market.processing_claims``, ``usgs`` the USGS reference."""
    names = ["approx_tolerance_pct", "reference_year"]
    controls, axes = controls_for("04_market_share", names, run_values, {})
    controls = _edition_years(controls, axes, usgs)

    @cache  # the processing claims move with the tolerance only, not with the reference year
    def processing_at(tolerance: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        conflicts = conflicting_claims(
            "processing_share", facts=facts, approx_tolerance=pct_to_fraction(tolerance)
        )
        overlap = overlap_headline(PROCESSING_FIGURE, processing, conflicts, tolerance)
        data = processing_data(processing, tolerance, sources)
        columns = ["label", "source_id", "low", "bound_low", "bound_high", "shape"]
        return data[columns], headline_frame([overlap])

    def evaluate(point: dict):
        data, overlap = processing_at(point["approx_tolerance_pct"])
        checked = claims_check(
            point["reference_year"], thresholds_for(point), facts=facts, usgs=usgs
        )
        table = claims_words(checked, sources)
        heads = claims_headlines(table, for_readers=True)
        return data, pd.concat([overlap, heads], ignore_index=True)

    tables = grid_tables(axes, evaluate, {"bound_low": 2, "bound_high": 2})
    words = axes_words("04_market_share", controls, axes)
    chart = charts.processing_explorer_chart(
        tables, controls, axes, list(processing["source_id"]), sources
    )
    return chart, words


def _horizon(run_values: dict, inputs: CapacityInputs) -> tuple[int, int]:
    """Return the (start, target) years the grid's ramp shapes run over: the run's own, or on
    the official clock the magnet target's horizon (the clock itself ignores the target year)."""
    return capacity.resolve_years(
        run_values.get("start_year"), run_values.get("target_year"), inputs.target
    )


def _target_years(axes: dict, start_year: int, horizon_year: int) -> None:
    """Keep only the target years after the start year (the parameters' rule); "from the facts"
    stands for the scheme's own horizon, ``horizon_year``, and is kept only when that is after
    the start year too (a start year of 2040 with a target of 2045 has no case at 2032)."""
    axes["target_year"] = [
        y for y in axes["target_year"] if (horizon_year if y == FROM_FACTS else y) > start_year
    ]


def capacity_grid(run_values: dict, inputs: CapacityInputs) -> tuple[dict, list[Control], dict]:
    """Return (the grid tables, the controls, the axes) of the capacity explorer: Nd content,
    ramp shape and target year as controls; per case the neodymium need by year ("series":
    year, nd_needed_t_per_yr in t/yr to 0.1) and the scenario's headlines that move
    ("headlines", see ``grid_tables``); IREL's output by year once ("irel", t/yr).
    Every case is ``outlook.neodymium_outlook`` of its parameter values."""
    start, target = _horizon(run_values, inputs)
    names = ["nd_mass_fraction", "ramp_shape", "target_year"]
    controls, axes = controls_for("02_capacity", names, run_values, {"target_year": target})
    _target_years(axes, start, inputs.target.target_year)

    def evaluate(point: dict):
        found = neodymium_outlook(case_params(run_values, point, target), inputs)
        # Only the scenario's headlines: the curated figures would stay the same in every case.
        return found.gap, capacity_scenario_headlines(found.gap, found.nd_mass_fraction, inputs)

    tables = grid_tables(axes, evaluate, {"nd_needed_t_per_yr": 1}, ["year", "nd_needed_t_per_yr"])
    # IREL's output depends on the year alone: stored once, to the latest year of any case.
    last = int(tables["series"]["year"].max())
    irel = capacity.irel_nd_supply(
        range(int(tables["series"]["year"].min()), last + 1), inputs.irel
    )
    tables["irel"] = irel[["year", "irel_nd_low_t_per_yr", "irel_nd_high_t_per_yr"]]
    return tables, controls, axes


def capacity_explorer(run_values: dict, inputs: CapacityInputs, sources: pd.DataFrame):
    """Return (the capacity explorer chart, its grid in words): see ``capacity_grid``."""
    tables, controls, axes = capacity_grid(run_values, inputs)
    ids = [inputs.target.source_id, inputs.irel.target_source_id]
    words = axes_words("02_capacity", controls, axes)
    return charts.capacity_explorer_chart(tables, controls, axes, ids, sources), words


def imports_grid(run_values: dict, inputs: ImportsInputs) -> tuple[dict, list[Control], dict]:
    """Return (the grid tables, the controls, the axes) of the imports explorer: demand growth
    (or the rate of the run's growth basis), ramp shape and target year as controls; per case
    projected demand against domestic output ("series": year, demand_t to 1 t,
    magnet_output_t_per_yr to 0.1, covered_pct to 0.01) and the scenario's headlines that move
    ("headlines"). Every case is ``outlook.demand_outlook`` of its parameter values."""
    start, target = _horizon(run_values, inputs.capacity)
    growth, _ = resolve_demand({**run_values, "growth_rate_pct_per_yr": None}, inputs)
    names = ["growth_rate_pct_per_yr", "ramp_shape", "target_year"]
    resolved = {"target_year": target, "growth_rate_pct_per_yr": growth.rate_pct_per_yr}
    controls, axes = controls_for("03_imports", names, run_values, resolved)
    _target_years(axes, start, inputs.capacity.target.target_year)
    # The unit value does not move with these controls: the cases leave it out.
    model_values = {k: v for k, v in run_values.items() if not k.startswith("plausible_")}

    def evaluate(point: dict):
        found = demand_outlook(case_params(model_values, point, target), inputs)
        # Only the scenario's headlines: imports, value and unit value stay the same.
        heads = imports_scenario_headlines(
            found.coverage,
            found.growth.rate_pct_per_yr,
            inputs,
            base_demand_t=run_values["base_demand_t"],
            growth_sources=found.growth.sources,
            growth_period=found.growth.period,
        )
        return found.coverage, heads

    digits = {"demand_t": 0, "magnet_output_t_per_yr": 1, "covered_pct": 2}
    return grid_tables(axes, evaluate, digits, ["year", *digits]), controls, axes


def imports_explorer(run_values: dict, inputs: ImportsInputs, sources: pd.DataFrame):
    """Return (the imports explorer chart, its grid in words): see ``imports_grid``."""
    tables, controls, axes = imports_grid(run_values, inputs)
    note = base_note(inputs, run_values["base_demand_t"])
    words = axes_words("03_imports", controls, axes)
    return charts.imports_explorer_chart(
        tables, controls, axes, [inputs.capacity.target.source_id], sources, note
    ), words
