"""Every curated number is in its document, in so many words (or its derivation is recomputed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.data.provenance import (
    derivation_matches,
    evaluate_derivation,
    normalise_text,
    quote_in_document,
    value_in_quote,
)
from magnet_watch.text.numbers import parse_quantities

PACKAGE = mw.load_package()
FACTS = PACKAGE.facts
SHARED_SEEDS = paths.PROJECT_ROOT.parent / "shared" / "seeds"


def _document(source_id: str) -> str:
    row = PACKAGE.sources.set_index("source_id").loc[source_id]
    return (paths.PROJECT_ROOT / row["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("source", PACKAGE.sources.to_dict("records"), ids=lambda s: s["source_id"])
def test_seed_checksum_matches_sources_table(source):
    data = (paths.PROJECT_ROOT / source["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the project")
@pytest.mark.parametrize("source", PACKAGE.sources.to_dict("records"), ids=lambda s: s["source_id"])
def test_seed_is_a_byte_for_byte_copy_of_the_original(source):
    original = SHARED_SEEDS / source["original_file"]
    assert (paths.PROJECT_ROOT / source["file"]).read_bytes() == original.read_bytes()


@pytest.mark.parametrize("row", FACTS.to_dict("records"), ids=lambda r: r["fact_id"])
def test_fact_quote_is_in_its_document(row):
    assert quote_in_document(row["quote"], _document(row["source_id"]))


@pytest.mark.parametrize("row", FACTS.to_dict("records"), ids=lambda r: r["fact_id"])
def test_fact_value_is_written_in_its_quote_or_derived(row):
    if isinstance(row["derivation"], str):
        values = {
            r["fact_id"]: r["value"] for r in FACTS.to_dict("records") if r["value"] == r["value"]
        }
        computed = evaluate_derivation(row["derivation"], values)
        assert derivation_matches(computed, row["value"])
        assert normalise_text(row["derivation_words"]) in normalise_text(row["quote"])
        # A derivation is for values the quote states only in words, not a way around the check.
        assert not value_in_quote(row["quote"], row["value"], None, None)
    else:
        assert value_in_quote(row["quote"], row["value"], row["low"], row["high"])


@pytest.mark.parametrize("row", PACKAGE.events.to_dict("records"), ids=lambda r: r["event_id"])
def test_event_quote_is_in_its_document(row):
    assert quote_in_document(row["quote"], _document(row["source_id"]))


@pytest.mark.parametrize(
    ("quote", "written"),
    [
        ("India imported 53,748 metric tons", 53748),
        ("a 73-billion-rupee ($800 million) plan", 73e9),
        ("a 73-billion-rupee ($800 million) plan", 800e6),
        ("the capacity to produce 400–500 metric tons", (400, 500)),
        ("estimated at eight to nine percent", (8, 9)),
        ("between 80% and 90% of its magnets", (80, 90)),
        ("approximately 8% of the global total", 8),
        ("the third largest in the world", 3),
        ("world's third-largest rare earth reserves", 3),
        ("over 1,000 metric tons", 1000),
        ("a 13-year-old rare earth export deal", 13),
        ("clearances at four mine sites", 4),
    ],
)
def test_values_are_recognised_in_their_written_forms(quote, written):
    if isinstance(written, tuple):
        assert value_in_quote(quote, None, *written)
    else:
        assert value_in_quote(quote, written, None, None)


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("India imported 53,748 metric tons", 53749),
        ("the capacity to produce 400–500 metric tons", 450),
        ("approximately 8% of the global total", 80),
        ("India imported 53,748 metric tons", 748),
    ],
)
def test_values_not_in_the_quote_are_rejected(quote, value):
    assert not value_in_quote(quote, value, None, None)


def test_normalisation_only_touches_whitespace_quotes_and_dashes():
    doc = "India\u2019s  imports \u2013 about \u201cten\u201d\nper year"
    assert quote_in_document('India\'s imports - about "ten" per year', doc)
    assert not quote_in_document('India\'s imports - about "eleven" per year', doc)
    assert not quote_in_document("indias imports", doc)  # no case or punctuation folding


def test_derivations_allow_only_arithmetic():
    assert evaluate_derivation("(2 ** (1 / 5) - 1) * 100", {}) == pytest.approx(14.8698, abs=1e-4)
    assert evaluate_derivation("2 * x", {"x": 450}) == 900
    with pytest.raises(ValueError, match="not a single-valued fact"):
        evaluate_derivation("2 * y", {})
    with pytest.raises(ValueError, match="only numbers"):
        evaluate_derivation("__import__('os')", {})


def test_parser_reads_the_seed_sentences():
    found = parse_quantities(
        "In 2024, over 1,000 metric tons were exported to Japan—more than a third of IREL's 2,900-ton production."
    )
    assert [(q.kind, q.numbers, q.qualifier) for q in found] == [
        ("year", (2024.0,), None),
        ("number", (1000.0,), "over"),
        ("fraction", (1 / 3,), "more than"),
        ("number", (2900.0,), None),
    ]


def test_every_seed_file_is_listed_in_sources():
    listed = {Path(f).name for f in PACKAGE.sources["file"]}
    assert {p.name for p in paths.SEEDS_DIR.iterdir()} == listed
