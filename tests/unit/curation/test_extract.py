"""The extractor finds the curated quantities in the seeds and parses them exactly."""

from __future__ import annotations

import pytest

import magnet_watch as mw
from magnet_watch.curation.extract import (
    candidates_frame,
    extract_candidates,
    fact_columns,
    split_sentences,
)
from magnet_watch.curation.matching import fact_covers

PACKAGE = mw.load_package()
FACTS = PACKAGE.facts.astype(object).where(PACKAGE.facts.notna(), None).to_dict("records")
CANDIDATES = {
    source_id: extract_candidates(document, source_id)
    for source_id, document in PACKAGE.documents.items()
}
RECALL_FLOOR = 0.95


def found(fact: dict) -> bool:
    return any(fact_covers(fact, c) for c in CANDIDATES[fact["source_id"]] if not c.is_date)


def test_recall_against_the_curated_facts_is_at_least_95_percent():
    missed = [f["fact_id"] for f in FACTS if not found(f)]
    recall = 1 - len(missed) / len(FACTS)
    assert recall >= RECALL_FLOOR, f"recall {recall:.1%}; missed {missed}"


def candidate(source_id: str, text: str):
    matches = [c for c in CANDIDATES[source_id] if c.quantity.text == text]
    assert matches, (
        f"{text!r} not found in {source_id}: {[c.quantity.text for c in CANDIDATES[source_id]]}"
    )
    return matches[0]


@pytest.mark.parametrize(
    ("source_id", "text", "expected"),
    [
        (
            "ibns-export-halt",
            "53,748 metric tons",
            dict(
                value=53748,
                unit="t",
                metric="magnet_imports",
                period="FY2024-25",
                period_type="fiscal_year",
            ),
        ),
        (
            "magnet-scheme-approval",
            "73-billion-rupee",
            dict(value=73e9, unit="INR", metric="scheme_outlay"),
        ),
        (
            "magnet-scheme-approval",
            "$800 million",
            dict(value=800e6, unit="USD", metric="scheme_outlay"),
        ),
        (
            "indiapost-irel-partners",
            "400–500 metric tons",
            dict(low=400, high=500, unit="t/yr", metric="nd_production_capacity"),
        ),
        (
            "japan-korea-cooperation",
            "eight to nine percent",
            dict(low=8, high=9, unit="pct", qualifier="estimated"),
        ),
        (
            "ibns-export-halt",
            "over 1,000 metric tons",
            dict(
                value=1000,
                unit="t",
                qualifier="over",
                metric="exports",
                period="2024",
                period_type="calendar_year",
            ),
        ),
        (
            "ibns-export-halt",
            "a third",
            dict(
                value=33.33,
                unit="pct",
                metric="export_share_of_production",
                derivation="100 * 1 / 3",
            ),
        ),
        ("ibns-export-halt", "2,900-ton", dict(value=2900, unit="t", metric="re_production")),
        (
            "magnet-scheme-approval",
            "between 80% and 90%",
            dict(low=80, high=90, unit="pct", metric="import_share"),
        ),
        ("magnet-scheme-approval", "third", dict(value=3, unit="rank", metric="reserves_rank")),
        (
            "strategic-pursuit",
            "exceeding 10%",
            dict(value=10, unit="pct/yr", qualifier="more than", metric="demand_growth_rate"),
        ),
    ],
)
def test_named_quantities_parse_exactly(source_id, text, expected):
    c = candidate(source_id, text)
    for field, value in expected.items():
        assert getattr(c, field) == value, field


def test_sentences_are_verbatim_slices_of_the_document():
    document = PACKAGE.documents["strategic-pursuit"]
    sentences = split_sentences(document)
    assert all(document[s.start : s.end] == s.text for s in sentences)
    assert len(sentences) > 100


def test_abbreviations_and_day_numbers_do_not_end_a_sentence():
    text = "India Rare Earths Ltd. (IREL) said so. The U.S. Geological Survey agrees.\nby | 14. Aug 2025 | x"
    assert [s.text for s in split_sentences(text)] == [
        "India Rare Earths Ltd. (IREL) said so.",
        "The U.S. Geological Survey agrees.",
        "by | 14. Aug 2025 | x",
    ]


def test_pronoun_one_and_compounds_are_not_candidates():
    texts = [
        c.quantity.text
        for c in extract_candidates(
            "Neodymium is one of the most valuable elements. IREL has a two-pronged approach. "
            "It awaits clearances at four mine sites.",
            "x",
        )
    ]
    assert texts == ["four"]


def test_candidates_frame_has_the_facts_columns_and_leaves_dates_out():
    frame = candidates_frame(CANDIDATES["ibns-export-halt"], fact_columns())
    assert set(fact_columns()) <= set(frame.columns)
    assert not frame["quantity_kind"].isin(["year", "fiscal_year", "date"]).any()
    assert frame["accept"].eq("").all()


def test_a_fact_covers_only_its_own_source_and_number():
    fact = next(f for f in FACTS if f["fact_id"] == "ibns_magnet_imports_fy25")
    c = candidate("ibns-export-halt", "53,748 metric tons")
    assert fact_covers(fact, c)
    assert not fact_covers({**fact, "value": 53749.0}, c)
    assert not fact_covers({**fact, "source_id": "magnet-scheme-approval"}, c)
    assert not fact_covers(fact, candidate("ibns-export-halt", "2,900-ton"))


def test_the_candidates_columns_come_from_the_data_package(tmp_path):
    import json
    import shutil

    from magnet_watch import paths

    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert fact_columns() == [f["name"] for f in facts["schema"]["fields"]]
    # A column added to the schema is a column of the candidates file, with no code change.
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    facts["schema"]["fields"].append({"name": "reviewer", "type": "string"})
    (tmp_path / "data" / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    columns = fact_columns(tmp_path / "data")
    assert columns[-1] == "reviewer"
    frame = candidates_frame(CANDIDATES["ibns-export-halt"], columns)
    assert list(frame.columns) == [
        "candidate_id",
        "accept",
        *columns,
        "quantity_text",
        "quantity_kind",
        "sentence_no",
    ]
    assert frame["reviewer"].eq("").all()
