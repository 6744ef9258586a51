"""magnet_watch: curated facts on India's rare-earth magnet push, and the charts built on them.

Import the loaders from here: ``from magnet_watch import load_facts``. The lookups
here take the facts table as an optional argument and, as a convenience, load the
project's package when it is not given; the library below this facade never does.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.analysis.units import convert, implied_inr_per_usd
from magnet_watch.data import lookups as _lookups
from magnet_watch.data.load import (
    load_events,
    load_facts,
    load_metrics,
    load_package,
    load_sources,
    load_units,
)
from magnet_watch.data.lookups import claim_bounds, format_quantity
from magnet_watch.errors import DataValidationError, ParameterError, Problem


def _facts(facts: pd.DataFrame | None) -> pd.DataFrame:
    return load_facts() if facts is None else facts


def fact(fact_id: str, facts: pd.DataFrame | None = None) -> pd.Series:
    """Return one fact row by id (``facts`` default: the project's facts table).

    Raises KeyError naming close ids when it does not exist.
    """
    return _lookups.fact(fact_id, _facts(facts))


def facts_for(
    metric: str,
    subject: str | None = None,
    *,
    period: str | None = None,
    counterpart: str | None = None,
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the facts for a metric (optionally one subject, period, counterpart), one row
    per claim (``facts`` default: the project's facts table). KeyError for an unknown metric."""
    return _lookups.facts_for(
        metric, subject, period=period, counterpart=counterpart, facts=_facts(facts)
    )


def facts_of_source(source_id: str, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return every fact curated from one source document (``facts`` default: the project's)."""
    return _lookups.facts_of_source(source_id, _facts(facts))


def conflicting_claims(
    metric: str | None = None,
    *,
    facts: pd.DataFrame | None = None,
    approx_tolerance: float = _lookups.APPROX_TOLERANCE,
    same_period: bool = False,
) -> pd.DataFrame:
    """Return pairs of claims whose intervals do not overlap (see ``data.lookups``);
    ``facts`` default: the project's facts table."""
    return _lookups.conflicting_claims(
        metric, facts=_facts(facts), approx_tolerance=approx_tolerance, same_period=same_period
    )


__all__ = [
    "DataValidationError",
    "ParameterError",
    "Problem",
    "claim_bounds",
    "conflicting_claims",
    "convert",
    "fact",
    "facts_for",
    "facts_of_source",
    "format_quantity",
    "implied_inr_per_usd",
    "load_events",
    "load_facts",
    "load_metrics",
    "load_package",
    "load_sources",
    "load_units",
]
