"""Both claims checks over a grid of reference years and thresholds equal a recorded expectation.

``tests/unit/analysis/checks/expected_claims_grid.json`` was recorded from the code before the checks took the USGS
reference as an argument and selected their claims in one pass (the USGS tables loaded and
the shares recomputed in every call, each kind of claim bounded on its own): for each case,
every row's verdict and figures, and a sha256 of the whole table (every column, the reasons'
words included), so a change anywhere in a row fails here, naming the case.

Re-record only after a deliberate change of results: ``python tests/unit/analysis/checks/test_claims_check_recorded.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.analysis.checks.claims_check import Thresholds, claims_check
from magnet_watch.analysis.checks.reference_check import reference_check
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.data.later_references import load_references
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.narrative.claims import claims_words

EXPECTED = Path(__file__).with_name("expected_claims_grid.json")
YEARS = (2023, 2024)
TOLERANCES = (0.0, 0.04, 0.10)  # 0.04: "about 8%" no longer holds 7.67%
# (close_fraction, nd_mass_fraction): the defaults, and no "close" with a floor that flips
LIMITS = ((0.2, 0.267), (0.0, 0.05))
CASES = [(y, t, c, n) for y in YEARS for t in TOLERANCES for c, n in LIMITS]
# The columns recorded row by row (the rest is pinned by the table's digest).
CLAIMS_COLUMNS = ["fact_id", "verdict", "claim_low", "claim_high", "reference_value", "reference"]
LATER_COLUMNS = ["check_id", "fact_id", "verdict", "claim_low", "claim_high", "reference_value"]


def _plain(value):
    """A cell as JSON can hold it exactly: floats by repr (json does), the rest as text."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def _records(table: pd.DataFrame, columns=None) -> list:
    rows = table[columns] if columns else table
    return [[_plain(v) for v in row] for row in rows.astype(object).itertuples(index=False)]


def _digest(table: pd.DataFrame) -> str:
    text = json.dumps([list(table.columns), _records(table)], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _key(case) -> str:
    year, tolerance, close, nd = case
    return f"year={year} approx_tolerance={tolerance} close_fraction={close} nd_mass_fraction={nd}"


def summary(claims: pd.DataFrame, later: pd.DataFrame) -> dict:
    """What is recorded of one case: both tables' rows (some columns) and digests."""
    return {
        "claims_check": _records(claims, CLAIMS_COLUMNS),
        "claims_check_sha256": _digest(claims),
        "reference_check": _records(later, LATER_COLUMNS),
        "reference_check_sha256": _digest(later),
    }


def computed() -> dict:
    """{case: summary} of every case, from the library as it is."""
    facts, sources = mw.load_facts(), mw.load_sources()
    usgs = load_usgs_reference("2025-11-30")  # recorded against MCS 2025, current then
    refs = load_references()
    rate = implied_inr_per_usd(facts)["inr_per_usd"]
    out = {}
    for case in CASES:
        year, tolerance, close, nd = case
        limits = Thresholds(approx_tolerance=tolerance, close_fraction=close, nd_mass_fraction=nd)
        # The check's numbers with their words (``narrative.claims``): the recorded table.
        claims = claims_words(claims_check(year, limits, facts=facts, usgs=usgs), sources)
        later = reference_check(
            facts, refs, usgs.prices, inr_per_usd=rate, reference_year=year, thresholds=limits
        )
        out[_key(case)] = summary(claims, later)
    return out


@pytest.fixture(scope="module")
def tables() -> dict:
    return computed()


def test_the_grid_moves_verdicts():
    # Not a grid of equal cases: the recorded verdicts differ between them.
    recorded = json.loads(EXPECTED.read_text(encoding="utf-8"))
    verdicts = {json.dumps([row[1] for row in case["claims_check"]]) for case in recorded.values()}
    assert len(recorded) == len(CASES) and len(verdicts) >= 3


@pytest.mark.parametrize("case", CASES, ids=_key)
def test_each_case_equals_the_recorded_tables(tables, case):
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))[_key(case)]
    assert tables[_key(case)] == expected


def dump(recorded: dict) -> str:
    """``recorded`` as JSON text, one table row a line."""
    text = json.dumps(recorded, indent=1)
    return (
        re.sub(
            r"\[\n\s+([^\[\]]*?)\n\s+\]", lambda m: "[" + re.sub(r",\n\s+", ", ", m[1]) + "]", text
        )
        + "\n"
    )


if __name__ == "__main__":  # re-record (see the module's docstring)
    EXPECTED.write_text(dump(computed()), encoding="utf-8")
    sys.exit(0)
