"""Conversions between scopes as data, and a fact refused in a scope it does not count.

The factors are checked against hand calculations from IUPAC's abridged standard atomic
weights (Nd 144.24, Pr 140.91, O 15.999), written out as numbers here, not recomputed
with the code under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch.constants import ATOMIC_WEIGHT_G_PER_MOL
from magnet_watch.data.scope_rules import factor_value
from magnet_watch.data.scopes import (
    ScopeError,
    in_scope,
    reference_measures,
    unmapped_measures,
)
from magnet_watch.notebook.parameters import load_parameter_specs, notebook_parameters


@pytest.fixture(scope="module")
def package():
    return mw.load_package()


def conversion(package, conversion_id: str) -> pd.Series:
    table = package.conversions
    return table[table["conversion_id"] == conversion_id].iloc[0]


# Atomic weights and factors, by hand ------------------------------------------------------


def test_the_atomic_weights_are_iupacs_abridged_values():
    assert ATOMIC_WEIGHT_G_PER_MOL["Nd"] == 144.24
    assert ATOMIC_WEIGHT_G_PER_MOL["Pr"] == 140.91
    assert ATOMIC_WEIGHT_G_PER_MOL["O"] == 15.999


def test_neodymium_oxide_to_metal_is_0_8574_by_hand(package):
    # 2 * 144.24 / (2 * 144.24 + 3 * 15.999) = 288.48 / 336.477
    factor = factor_value(conversion(package, "nd_oxide_to_nd_metal")["factor"])
    assert factor == pytest.approx(288.48 / 336.477, abs=1e-12)
    assert round(factor, 4) == 0.8574


def test_praseodymium_oxide_to_metal_is_0_8277_by_hand(package):
    # 6 * 140.91 / (6 * 140.91 + 11 * 15.999) = 845.46 / 1021.449
    factor = factor_value(conversion(package, "pr_oxide_to_pr_metal")["factor"])
    assert factor == pytest.approx(845.46 / 1021.449, abs=1e-12)
    assert round(factor, 4) == 0.8277


def test_ndpr_oxide_to_neodymium_is_a_range_from_3_to_4_nd_atoms_per_pr_atom(package):
    row = conversion(package, "ndpr_oxide_to_nd_metal")
    assert row["basis"] == "assumption" and pd.isna(row["factor"])
    # Nd2O3 per Nd atom: 144.24 + 1.5 * 15.999 = 168.2385; Pr6O11 per Pr: 140.91 + 11/6 * 15.999
    # = 170.2415. Three Nd per Pr: 432.72 / (504.7155 + 170.2415); four: 576.96 / (672.954 + 170.2415).
    assert factor_value(row["low"]) == pytest.approx(432.72 / 674.957, abs=1e-9)
    assert factor_value(row["high"]) == pytest.approx(576.96 / 843.1955, abs=1e-9)
    assert "http" in row["source"] and "assumption" in row["source"]


# A fact in the scope required ---------------------------------------------------------------


def test_a_fact_in_the_scope_and_kind_required_comes_back_unchanged(package):
    got = in_scope("ibns_magnet_imports_fy25", "permanent_magnets_all", "imports", package=package)
    assert (got.value, got.low, got.high, got.unit) == (53748, None, None, "t")
    assert got.conversion_id is None and got.words == ""


def test_irels_capacity_converted_from_ndpr_oxide_to_neodymium_metal_by_hand(package):
    got = in_scope("ipl_irel_nd_capacity", "neodymium_metal", "capacity", package=package)
    assert got.value is None
    assert got.low == pytest.approx(400 * 432.72 / 674.957)  # about 256 t
    assert got.high == pytest.approx(500 * 576.96 / 843.1955)  # about 342 t
    assert got.words == (
        "converted from NdPr oxide at 0.6411\u20130.6843 t of neodymium metal per t "
        "(3 to 4 Nd atoms per Pr atom, an assumption)"
    )
    assert got.counted == "ndpr_oxide" and got.conversion_id == "ndpr_oxide_to_nd_metal"


def test_the_schemes_magnets_converted_to_neodymium_with_the_parameter_given(package):
    got = in_scope(
        "msa_magnet_target",
        "neodymium_metal",
        "target",
        parameters={"nd_mass_fraction": 0.27},
        package=package,
    )
    assert got.value == pytest.approx(6000 * 0.27)
    assert got.words.startswith(
        "converted from sintered rare-earth permanent magnets at 0.27 t of neodymium metal per t"
    )
    assert "nd_mass_fraction" in got.words


def test_a_fact_row_works_as_well_as_a_fact_id(package):
    row = package.facts[package.facts["fact_id"] == "sp_irel_nd_capacity"].iloc[0]
    by_row = in_scope(row, "neodymium_metal", "capacity", package=package)
    by_id = in_scope("sp_irel_nd_capacity", "neodymium_metal", "capacity", package=package)
    assert (by_row.low, by_row.high) == (by_id.low, by_id.high)


def test_every_parameter_a_conversion_names_is_a_declared_model_parameter(package):
    specs = load_parameter_specs("02_capacity")["parameters"]
    defaults = notebook_parameters(mw.paths.NOTEBOOKS_DIR / "02_capacity.ipynb")
    for name in package.conversions["parameter"].dropna():
        plausible = specs[name]["plausible"]
        assert 0 < plausible["low"] <= defaults[name] <= plausible["high"] <= 1, name


# Refusals -----------------------------------------------------------------------------------


def refusal(*args, **kwargs) -> str:
    with pytest.raises(ScopeError) as info:
        in_scope(*args, **kwargs)
    return str(info.value)


def test_the_import_tonnage_is_refused_as_the_rare_earth_magnet_demand_base(package):
    message = refusal(
        "ibns_magnet_imports_fy25", "re_permanent_magnets", "requirement", package=package
    )
    assert message.startswith(
        "fact 'ibns_magnet_imports_fy25' counts permanent magnets of every kind "
        "(permanent_magnets_all), kind imports, of India; required: rare-earth permanent magnets "
        "(re_permanent_magnets), kind requirement. Refused: "
    )
    assert "its kind is imports, not requirement (no conversion crosses kinds)" in message
    assert (
        "data/conversions.csv declares no conversion from 'permanent_magnets_all' to "
        "'re_permanent_magnets'"
    ) in message
    assert (
        "The document states it as rare-earth permanent magnets: that is the document's claim"
        in (message)
    )


def test_the_import_tonnage_is_refused_as_rare_earth_magnet_imports(package):
    message = refusal(
        "ibns_magnet_imports_fy25", "re_permanent_magnets", "imports", package=package
    )
    assert "kind" not in message.split("Refused: ")[1]  # the kind is right; the scope is not
    assert "declares no conversion from 'permanent_magnets_all'" in message


def test_a_capacity_is_refused_as_an_output(package):
    message = refusal("ipl_irel_nd_capacity", "ndpr_oxide", "output", package=package)
    assert "its kind is capacity, not output (no conversion crosses kinds)" in message
    assert "declares no conversion" not in message


def test_the_national_usgs_estimate_is_refused_as_irels_output(package):
    message = refusal(
        "ibns_irel_production_2024", "reo_equivalent", "output", subject="IREL", package=package
    )
    assert "the figure counts India, which the document gives as IREL's, not IREL" in message
    got = in_scope(
        "ibns_irel_production_2024", "reo_equivalent", "output", subject="India", package=package
    )
    assert got.value == 2900 and got.subject == "India"


def test_neodymium_of_unstated_form_becomes_a_range_of_neodymium_metal(package):
    got = in_scope("ibns_irel_nd_plan_2026", "neodymium_metal", "target", package=package)
    # 450 t as Nd2O3 (288.48 / 336.477 = 0.857354 of it neodymium) up to 450 t as metal.
    assert (got.low, got.high) == (pytest.approx(450 * 0.857354, abs=0.01), 450)
    assert got.words.startswith("converted from neodymium, form not stated at 0.8574–1 t")
    message = refusal("ibns_irel_nd_plan_2026", "nd_oxide", "target", package=package)
    assert "counts neodymium, form not stated (neodymium_unspecified)" in message


def test_a_conversion_by_parameter_is_refused_without_the_parameters_value(package):
    message = refusal("msa_magnet_target", "neodymium_metal", "target", package=package)
    assert message == (
        "conversion 'sintered_re_magnets_to_nd_metal' (sintered_re_magnets to neodymium_metal) "
        "needs the value of parameter 'nd_mass_fraction': pass parameters={'nd_mass_fraction': ...}"
    )


@pytest.mark.parametrize(
    ("scope", "kind", "says"),
    [
        ("rare_earth_magnets", "imports", "'rare_earth_magnets' is not a scope of data/scopes.csv"),
        ("permanent_magnets_all", "demand", "'demand' is not a kind of data/kinds.csv"),
    ],
)
def test_an_unknown_scope_or_kind_required_is_named(package, scope, kind, says):
    assert says in refusal("ibns_magnet_imports_fy25", scope, kind, package=package)


def test_a_refusal_shows_in_a_notebook_as_one_line_not_a_traceback(package):
    with pytest.raises(ScopeError) as info:
        in_scope("ipl_irel_nd_capacity", "ndpr_oxide", "output", package=package)
    assert info.value._render_traceback_() == [f"ScopeError: {info.value}"]


# Reference measures -------------------------------------------------------------------------


def test_every_reference_measure_is_mapped_and_no_mapping_is_stale(package):
    missing, stale = unmapped_measures(reference_measures(), package)
    assert (missing, stale) == ([], [])


def test_a_measure_without_a_mapping_and_a_mapping_without_a_measure_are_both_named(package):
    measures = [m for m in reference_measures() if m[1] != "reserves"]
    measures.append(("cabinet-2025-11-26", "scheme_new_measure", None))
    missing, stale = unmapped_measures(measures, package)
    assert missing == [("cabinet-2025-11-26", "scheme_new_measure", None)]
    assert stale == [("usgs-mcs2025-rare-earths", "reserves", None)]


def test_each_usgs_oxide_price_is_mapped_to_its_oxide(package):
    from magnet_watch.data.scopes import USGS_PRICE_MEASURE, measure_scope

    got = measure_scope(
        "usgs-mcs2025-rare-earths", USGS_PRICE_MEASURE, "Neodymium oxide", package=package
    )
    assert got == ("nd_oxide", "price")
    with pytest.raises(
        KeyError,
        match="'usgs-mcs2025-rare-earths' measure 'price', item 'Cerium oxide' is not mapped",
    ):
        measure_scope(
            "usgs-mcs2025-rare-earths", USGS_PRICE_MEASURE, "Cerium oxide", package=package
        )


def test_a_conversion_never_multiplies_a_figure_that_is_not_a_mass(package):
    # A made-up row: a share in percent that says it counts NdPr oxide. A share of oxide is
    # not a share of metal times 0.64; the refusal says so rather than converting it.
    row = package.facts[package.facts["fact_id"] == "ipl_irel_nd_capacity"].iloc[0].copy()
    row["unit"] = "pct"
    message = refusal(row, "neodymium_metal", "capacity", package=package)
    assert (
        "a conversion turns a mass of one scope into a mass of another, and 'pct' is not a mass"
        in (message)
    )
