"""The notebooks with the later references' parameters (papermill, one forked kernel each): the
official clock (02), the Cabinet's doubling (03) and the explicit rupee rate (05)."""

from __future__ import annotations

import pytest
from helpers import notebooks  # the notebooks' papermill helpers

# The notebooks with the new parameters (papermill, one forked kernel each) ---------------------


def _run(tmp_path, stem: str, **parameters):
    nb = notebooks.run(tmp_path, stem, **parameters)
    return notebooks.headlines(nb), notebooks.prose(nb), nb


@pytest.mark.xdist_group("notebook_later_references")
def test_capacity_on_the_official_clock(tmp_path):
    rows, text, _ = _run(tmp_path, "02_capacity", ramp_shape="official_terms", award_year=2027)
    assert rows["Official clock: first year of magnet output"]["value"] == "2029"
    official, articles = rows[
        "First year of neodymium shortfall, official clock vs articles' reading"
    ]["value"].split(" vs ")
    assert (official, articles) == ("2029", "2028")
    # On the official clock the whole notebook runs from the award to the scheme's end.
    assert rows["Neodymium gap: need minus IREL output"]["period"] == "2034"
    assert "no magnets come before **2029**" in text and "scheme ends in 2034" in text


@pytest.mark.xdist_group("notebook_later_references")
def test_imports_growth_from_the_cabinets_doubling(tmp_path):
    rows, text, nb = _run(tmp_path, "03_imports", growth_basis="cabinet")
    growth = rows["Demand growth used"]
    assert growth["value"] == "14.9%/yr"
    assert growth["period"] == "2025 to 2030"
    assert growth["source"] == "computed from cabinet-2025-11-26/consumption_doubling"
    assert "the official import series grew 44.3%/yr" in text.replace(
        "The official", "the official"
    )
    assert any(
        t.startswith("Permanent magnet imports rose from 12,400 t")
        for t in notebooks.chart_titles(nb)
    )


@pytest.mark.xdist_group("notebook_later_references")
def test_claims_check_rate_is_a_parameter(tmp_path):
    rows, text, _ = _run(tmp_path, "05_claims_check", inr_per_usd=80.0)
    value = rows["Value of magnet imports: msa_imports_value_2025"]
    assert value["value"].endswith("not comparable")
    assert "At 80.00 rupees per dollar, Rs 1,744 crore is about $218 million" in text
