"""data/lookups.py and constants.py: lookups take their table, vocabulary comes from the package."""

from __future__ import annotations

import csv
import inspect
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

import magnet_watch as mw
from magnet_watch import constants, paths
from magnet_watch.data import lookups
from magnet_watch.text.periods import month_words

FACTS = mw.load_facts()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


def append_row(path: Path, row: dict) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerow(row)


def test_lookups_below_the_facade_need_their_table():
    for name in ("fact", "facts_for", "facts_of_source", "conflicting_claims"):
        param = inspect.signature(getattr(lookups, name)).parameters["facts"]
        assert param.default is inspect.Parameter.empty, name
    with pytest.raises(TypeError):
        lookups.fact("msa_magnet_target")  # no hidden load_facts()


def test_facade_still_loads_when_no_table_is_given():
    assert mw.fact("msa_magnet_target")["value"] == 6000
    assert len(mw.facts_for("processing_share", "China")) == 2
    assert not mw.conflicting_claims("processing_share").empty


def test_vocabulary_is_read_from_the_package():
    package = mw.load_package()
    vocab = lookups.Vocabulary.from_tables(package)
    assert vocab.qualifiers_with_bound("open_above") == ["over", "more than"]
    assert vocab.qualifiers_with_bound("open_below") == ["less than"]
    assert vocab.qualifiers_with_bound("approximate") == ["approximately", "estimated"]
    assert vocab.future_statuses == ["planned", "target", "projected"]
    assert vocab.unit_symbols["pct"] == ("%", False) and vocab.unit_symbols["USD"] == ("$", True)
    assert list(package.facts["qualifier"].cat.categories) == list(package.qualifiers["qualifier"])


@pytest.mark.parametrize(
    ("unit", "qualifier", "value", "text"),
    [
        ("t", "over", 1000, "over 1,000 t"),
        ("pct", "approximately", 85, "about 85%"),
        ("USD", "approximately", 221e6, "about $221 million"),
        ("rank", "stated", 3, "rank 3"),
        ("ratio", "stated", 2, "2×"),
        ("count", "stated", 4, "4"),
        ("year", "stated", 13, "13 years"),
        ("widgets", "stated", 5, "5 widgets"),
    ],
)
def test_format_quantity_writes_units_and_qualifiers_from_the_tables(unit, qualifier, value, text):
    row = {"unit": unit, "qualifier": qualifier, "value": value, "low": None, "high": None}
    assert mw.format_quantity(row) == text


def test_a_new_qualifier_in_the_data_is_written_and_bounded_by_its_row(project):
    append_row(
        project / "qualifiers.csv",
        {
            "qualifier": "at least",
            "bound": "open_above",
            "prefix": "at least",
            "is_future": "false",
            "description": "the figure or more",
        },
    )
    vocab = lookups.project_vocabulary(project)
    row = {"unit": "pct", "qualifier": "at least", "value": 40.0, "low": None, "high": None}
    assert lookups.format_quantity(row, vocab) == "at least 40%"
    bounds = lookups.claim_bounds(pd.DataFrame([row]), vocabulary=vocab).iloc[0]
    assert (bounds["bound_low"], bounds["bound_high"]) == (40.0, 100.0)
    row_t = {**row, "unit": "t"}
    assert math.isinf(
        lookups.claim_bounds(pd.DataFrame([row_t]), vocabulary=vocab)["bound_high"][0]
    )


def test_an_unknown_qualifier_or_status_is_refused_naming_its_table(project):
    path = project / "facts.csv"
    text = path.read_text(encoding="utf-8").replace(
        ",over,ibns-export-halt", ",roughly,ibns-export-halt", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(mw.DataValidationError, match="not a known qualifier in qualifiers.csv"):
        mw.load_package(project)


@pytest.mark.parametrize("tolerance", [0.0, 0.05, 0.5])
def test_bounded_claims_equal_claim_bounds_of_facts_for_each_kind(tolerance):
    kinds = [
        ("processing_share", "China"),
        ("reserves_share", "India"),
        ("mining_share", "India"),
        ("magnet_imports", "India"),
        ("processing_share", "India"),
    ]
    found = lookups.bounded_claims(kinds, FACTS, tolerance)
    assert list(found) == kinds and found[("processing_share", "India")] == []
    for metric, subject in kinds:
        rows = lookups.facts_for(metric, subject, facts=FACTS)
        expected = lookups.claim_bounds(rows, tolerance).to_dict("records")
        assert [r["fact_id"] for r in found[(metric, subject)]] == list(rows["fact_id"])
        pd.testing.assert_frame_equal(
            pd.DataFrame(found[(metric, subject)]), pd.DataFrame(expected)
        )
    assert len(found[("processing_share", "China")]) == 2
    with pytest.raises(KeyError, match="unknown metric 'nope'"):
        lookups.bounded_claims([("nope", "India")], FACTS)


def test_source_label_is_words_from_the_sources_table():
    sources = mw.load_sources()
    assert lookups.source_label("japan-korea-cooperation", sources) == "Reuters, 2025-08-14"
    with pytest.raises(KeyError, match="unknown source_id"):
        lookups.source_label("nope", sources)


def test_facts_by_id_keeps_the_order_given():
    ids = ["ibns_irel_nd_target_2030", "ibns_irel_nd_plan_2026"]
    assert list(lookups.facts_by_id(ids, FACTS)["fact_id"]) == ids


def test_constants_carry_the_iupac_abridged_weights_and_calendar_months():
    assert constants.ATOMIC_WEIGHT_G_PER_MOL["Nd"] == 144.24
    assert constants.ND_MASS_FRACTION_ND2FE14B == pytest.approx(0.2668, abs=1e-4)
    assert constants.MONTH_NAMES[0] == "January" and len(constants.MONTH_NAMES) == 12
    assert month_words("2026-03") == "March 2026" and month_words("2030") == "2030"
    assert mw.convert(2, "t", "kg") == 2 * constants.KG_PER_TONNE


def test_table_fields_read_the_schema_in_its_order():
    fields = lookups.table_fields("facts")
    assert fields[:3] == ["fact_id", "metric", "subject"]
    assert fields == [c for c in FACTS.columns if c in fields], "the loaded table's order"
    assert lookups.table_fields("qualifiers") == [
        "qualifier",
        "bound",
        "prefix",
        "is_future",
        "description",
    ]


def test_fact_finds_the_right_row_after_the_table_changes():
    """fact() reads the table as it is at the call: a table changed in place or reordered after
    an earlier lookup gives the changed row, never the row an earlier lookup found."""
    facts = mw.load_facts().reset_index(drop=True)
    first, last = facts["fact_id"].iloc[0], facts["fact_id"].iloc[-1]
    assert lookups.fact(first, facts)["fact_id"] == first  # looked up once before the change
    facts.loc[0, "fact_id"] = "renamed_in_place"  # the row `first` was found at is renamed
    with pytest.raises(KeyError, match="similar ids"):
        lookups.fact(first, facts)
    assert lookups.fact("renamed_in_place", facts)["fact_id"] == "renamed_in_place"
    reordered = facts.iloc[::-1]
    assert lookups.fact(last, reordered).equals(facts.iloc[-1])
    assert lookups.fact(last, facts).name == facts.index[-1]
