"""magnet_watch: curated facts on India's rare-earth magnet push, and the charts built on them.

Import the loaders from here: ``from magnet_watch import load_facts``.
"""

from magnet_watch.analysis.units import convert, implied_inr_per_usd
from magnet_watch.data.load import (
    claim_bounds,
    conflicting_claims,
    fact,
    facts_for,
    facts_of_source,
    format_quantity,
    load_events,
    load_facts,
    load_metrics,
    load_package,
    load_sources,
    load_units,
)
from magnet_watch.errors import DataValidationError, ParameterError, Problem

__all__ = [
    "DataValidationError", "ParameterError", "Problem", "claim_bounds", "conflicting_claims",
    "convert", "fact", "facts_for", "facts_of_source", "format_quantity", "implied_inr_per_usd",
    "load_events", "load_facts", "load_metrics", "load_package", "load_sources", "load_units",
]  # fmt: skip
