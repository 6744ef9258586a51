"""Explorer charts of notebooks 04, 05 and 07, on the mechanism of ``notebook.explore``: the
controls come from each notebook's parameter spec (its ``plausible`` grids), every case is
computed by the library's own functions when the report is built, and the controls start at
the notebook's own values, so the default case is the report's figures.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from magnet_watch.analysis import capacity, sensitivity
from magnet_watch.charts import explore as charts
from magnet_watch.narrative.sensitivity import sensitivity_headlines
from magnet_watch.notebook.explore import axes_words, controls_for, grid_tables, model_facts


def sensitivity_explorer(
    run_values: dict,
    assumptions: list[sensitivity.Assumption],
    base: dict,
    base_gap: pd.DataFrame,
    facts: pd.DataFrame,
    source_ids,
    sources: pd.DataFrame,
):
    """Return (the sensitivity explorer, its grid in words): the year the figures are quoted at
    and the share of the draws the band shows as controls; the band of the neodymium need and
    the moving headlines (base case, band, the assumption each figure depends on most), for
    every grid case. ``assumptions`` and ``base`` are the notebook's, ``base_gap`` its base
    case ``nd_gap``."""
    names = ["outcome_year", "band_pct"]
    resolved = {"outcome_year": capacity.magnet_target(facts).target_year}
    controls, axes = controls_for("07_sensitivity", names, run_values, resolved)
    draws, seed = run_values["draws"], run_values["seed"]
    facts = model_facts(facts)
    years = axes["outcome_year"]
    # One model run per setting for every year, one set of draws shared by the years.
    swings = sensitivity.tornadoes(assumptions, base, years, facts)
    runs = sensitivity.monte_carlos(assumptions, base, years, draws, seed, facts)

    @cache  # a band depends on the run (the same for most years) and the share shown
    def need_band(year: int, band_pct: float) -> pd.DataFrame:
        band = sensitivity.band(runs[year], band_pct)
        return band.loc[band["quantity"] == "nd_need_t_per_yr", ["year", "low", "median", "high"]]

    def evaluate(point: dict):
        year, band_pct = point["outcome_year"], point["band_pct"]
        spread = sensitivity.outcome_spread(runs[year], year, band_pct)
        heads = sensitivity_headlines(base, swings[year], spread, year, draws, band_pct)
        shared = min(y for y in years if runs[y] is runs[year])  # the first year of that run
        return need_band(shared, band_pct), heads

    tables = grid_tables(axes, evaluate, {"low": 1, "median": 1, "high": 1})
    words = axes_words("07_sensitivity", controls, axes)
    chart = charts.band_explorer_chart(tables, base_gap, controls, axes, words, source_ids, sources)
    return chart, words
