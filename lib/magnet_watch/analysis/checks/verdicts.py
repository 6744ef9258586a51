"""The verdicts of every check, and the one rule that gives them.

A claim allows an interval (its bounds, widened by "approximately" or by its rounding); a
reference gives an interval too (a point, a range, or a floor up to infinity). Both checks
(``claims_check`` against USGS, ``reference_check`` against the later references) judge a
pair with ``interval_verdict``, and a rank with ``rank_verdict``.
"""

from __future__ import annotations

VERDICTS = ("agree", "close", "disagree", "not comparable")
# The columns of every check's table: the claim's interval (in the reference's unit, or the
# claim's own), the reference's, what is compared, the verdict, and in ``context`` the numbers
# the words need (``narrative.claims`` and ``narrative.reference_check`` write them).
COLUMNS = [
    "check_id",
    "fact_id",
    "claim_value",
    "claim_low",
    "claim_high",
    "claim_unit",
    "claim_period",
    "claim_source_id",
    "reference_value",
    "reference_low",
    "reference_high",
    "reference_unit",
    "reference_period",
    "reference_package",
    "reference_figure_ids",
    "comparison",
    "verdict",
    "context",
]


def interval_verdict(
    claim: tuple[float, float], reference: tuple[float, float], close_fraction: float
) -> str:
    """Return "agree" when the intervals overlap; "close" when the gap between them is within
    ``close_fraction`` of the claim's nearest end; else "disagree"."""
    (c_low, c_high), (r_low, r_high) = claim, reference
    if r_high >= c_low and r_low <= c_high:
        return "agree"
    nearest, gap = (c_low, c_low - r_high) if r_high < c_low else (c_high, r_low - c_high)
    return "close" if gap <= close_fraction * abs(nearest) else "disagree"


def rank_verdict(reference: int, claimed: int, close_rank_difference: int) -> str:
    """Return "agree" for the same rank, "close" within ``close_rank_difference`` places,
    else "disagree"."""
    if reference == claimed:
        return "agree"
    return "close" if abs(reference - claimed) <= close_rank_difference else "disagree"
