"""Notebook 05's run: the documents' claims checked against USGS and against the later
references, with the parameters resolved once.

``checked_claims(params, facts, refs, usgs)`` is what notebook 05's cells, its JupyterLab
panel (``notebook.panels.claims_recompute``) and its offline explorer's grid
(``notebook.explorers.claims_explorer``) call, each with a dict of parameter values (the
notebook's own, or one case of a grid): none of them decides the reference year, the
thresholds or the exchange rate again. ``thresholds_for(params)`` is the one reading of the
threshold parameters, shared with notebook 04's claims check.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.analysis.checks.claims_check import (
    Thresholds,
    check_reference_year,
    claims_check,
)
from magnet_watch.analysis.checks.reference_check import reference_check
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.constants import pct_to_fraction
from magnet_watch.data.later_references import References
from magnet_watch.data.usgs import UsgsReference


@dataclass(frozen=True)
class CheckedClaims:
    """Notebook 05's run: the resolved ``reference_year``, ``thresholds`` and rupees per dollar
    (``inr_per_usd``), the claims against USGS (``against_usgs``, the rows of
    ``claims_check``) and against the later references (``against_later``, the rows of
    ``reference_check``)."""

    reference_year: int
    thresholds: Thresholds
    inr_per_usd: float
    against_usgs: pd.DataFrame
    against_later: pd.DataFrame


def thresholds_for(params: dict) -> Thresholds:
    """Return the claims check's thresholds for ``params``: ``approx_tolerance_pct`` (a
    percentage) and, where the notebook has it, ``close_fraction``; the rest at their
    defaults (``Thresholds``)."""
    close = {"close_fraction": params["close_fraction"]} if "close_fraction" in params else {}
    return Thresholds(approx_tolerance=pct_to_fraction(params["approx_tolerance_pct"]), **close)


def inr_per_usd_for(params: dict, facts: pd.DataFrame) -> float:
    """Return the rupees per dollar of ``params`` (``inr_per_usd``); None or missing: the rate
    the record's own two amounts of the scheme's outlay imply (``units.implied_inr_per_usd``)."""
    rate = params.get("inr_per_usd")
    return implied_inr_per_usd(facts)["inr_per_usd"] if rate is None else rate


def checked_claims(
    params: dict, facts: pd.DataFrame, refs: References, usgs: UsgsReference
) -> CheckedClaims:
    """Return notebook 05's run for ``params`` (reference_year, approx_tolerance_pct,
    close_fraction, inr_per_usd, award_year; a missing rate or award year counts as None).

    ``inr_per_usd`` None: the rate the record implies (``inr_per_usd_for``); ``award_year``
    None: the earliest the references allow.
    Raises ParameterError for a reference year the USGS edition ``usgs`` does not state, a
    threshold out of range or an award before the approval."""
    year = check_reference_year(params["reference_year"], usgs)
    thresholds = thresholds_for(params)
    rate = inr_per_usd_for(params, facts)
    later = reference_check(
        facts,
        refs,
        usgs.prices,
        inr_per_usd=rate,
        reference_year=year,
        award_year=params.get("award_year"),
        thresholds=thresholds,
    )
    return CheckedClaims(
        year, thresholds, rate, claims_check(year, thresholds, facts=facts, usgs=usgs), later
    )
