"""Unit conversions are explicit: money needs a rate, and the implied rate comes from a document."""

import pytest

import magnet_watch as mw
from magnet_watch import ParameterError


def test_mass_conversions():
    assert mw.convert(2.9, "t", "kg") == 2900
    assert mw.convert(450, "t/yr", "kg/yr") == 450_000


def test_currency_needs_an_explicit_rate():
    with pytest.raises(ParameterError, match="needs a rate"):
        mw.convert(73e9, "INR", "USD")
    assert mw.convert(73e9, "INR", "USD", inr_per_usd=91.25) == pytest.approx(800e6)
    assert mw.convert(1, "USD", "INR", inr_per_usd=85) == 85


def test_bad_rate_and_incompatible_units_are_refused():
    with pytest.raises(ParameterError, match="positive"):
        mw.convert(1, "USD", "INR", inr_per_usd=0)
    with pytest.raises(ParameterError, match="cannot convert 't' to 'USD'"):
        mw.convert(1, "t", "USD")


def test_rate_implied_by_the_document_that_states_both_amounts():
    rate = mw.implied_inr_per_usd(mw.load_facts())
    assert rate["inr_per_usd"] == pytest.approx(73e9 / 800e6)
    assert rate["source_id"] == "magnet-scheme-approval"
    assert {rate["inr_fact_id"], rate["usd_fact_id"]} == {
        "msa_scheme_outlay_inr",
        "msa_scheme_outlay_usd",
    }


def test_no_implied_rate_without_both_amounts():
    facts = mw.load_facts()
    with pytest.raises(LookupError, match="no document states"):
        mw.implied_inr_per_usd(facts[facts["unit"] != "USD"])
