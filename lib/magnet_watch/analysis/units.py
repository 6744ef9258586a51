"""Unit conversions, always explicit.

Mass converts by fixed factors. Money converts only with a rupee/dollar rate
the caller passes: either a parameter or the rate implied by a document that
states both amounts (``implied_inr_per_usd``). There is no hidden constant.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.constants import MASS_IN_KG
from magnet_watch.errors import ParameterError

CURRENCIES = ("INR", "USD")


def convert(
    value: float, from_unit: str, to_unit: str, *, inr_per_usd: float | None = None
) -> float:
    """Return ``value`` converted from ``from_unit`` to ``to_unit``.

    Mass: kg and t (and the same per year). Money: INR and USD, which needs
    ``inr_per_usd`` (rupees per US dollar). Raises ParameterError otherwise.
    """
    if from_unit == to_unit:
        return value
    base_from, _, rate_from = from_unit.partition("/")
    base_to, _, rate_to = to_unit.partition("/")
    if rate_from == rate_to and base_from in MASS_IN_KG and base_to in MASS_IN_KG:
        return value * MASS_IN_KG[base_from] / MASS_IN_KG[base_to]
    if {from_unit, to_unit} == set(CURRENCIES):
        if inr_per_usd is None:
            raise ParameterError(
                "converting between INR and USD needs a rate: pass inr_per_usd= "
                "(a parameter) or use implied_inr_per_usd(facts) from a document that states both"
            )
        if not inr_per_usd > 0:
            raise ParameterError(
                f"inr_per_usd must be a positive number of rupees per dollar, got {inr_per_usd!r}"
            )
        return value / inr_per_usd if from_unit == "INR" else value * inr_per_usd
    raise ParameterError(f"cannot convert {from_unit!r} to {to_unit!r}")


def implied_inr_per_usd(facts: pd.DataFrame, metric: str = "scheme_outlay") -> dict:
    """Return the rupee/dollar rate implied by one document stating both amounts of ``metric``.

    Returns a dict: ``inr_per_usd`` (rupees per dollar), ``source_id``, ``inr_fact_id``,
    ``usd_fact_id``. Raises LookupError when no document states both, or when
    documents imply different rates (then pass the rate you want explicitly).
    """
    rows = facts[(facts["metric"] == metric) & facts["value"].notna()]
    rates = []
    for (source, _subject, _period), group in rows.groupby(
        ["source_id", "subject", "period"], observed=True
    ):
        inr = group[group["unit"] == "INR"]
        usd = group[group["unit"] == "USD"]
        if len(inr) == 1 and len(usd) == 1:
            rates.append(
                {
                    "inr_per_usd": float(inr["value"].iloc[0] / usd["value"].iloc[0]),
                    "source_id": source,
                    "inr_fact_id": inr["fact_id"].iloc[0],
                    "usd_fact_id": usd["fact_id"].iloc[0],
                }
            )
    if not rates:
        raise LookupError(f"no document states {metric} in both INR and USD")
    if len({round(r["inr_per_usd"], 6) for r in rates}) > 1:
        raise LookupError(f"documents imply different rates for {metric}: {rates}")
    return rates[0]
