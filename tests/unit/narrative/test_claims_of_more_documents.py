"""A sixth document, added to a copy of data/ and seeds/, is drawn and worded like the five.

The vocabulary (which sources exist, their colours, how many claims there are) comes from
the data package, not from lists in the code: a new source with a third claim of China's
processing share gets its own colour in the chart and is counted in the prose.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis.market import processing_claims
from magnet_watch.charts.market import processing_share_chart
from magnet_watch.charts.theme import SOURCE_PALETTE, source_colours
from magnet_watch.data.lookups import source_label
from magnet_watch.narrative.market import processing_summary
from magnet_watch.notebook.display import chart_spec
from magnet_watch.notebook.outputs import chart_title

SOURCE_ID = "test-sixth-document"
SEED = "seeds/2025-12-01_test-sixth-document.txt"
QUOTE = "China controls 95% of the world's rare earth processing, the analysts said."
TEXT = f"Test wire, 1 December 2025.\n\n{QUOTE}\n"


def _append(path: Path, row: dict) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerow(row)


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(paths.DATA_DIR, root / "data")
    shutil.copytree(paths.SEEDS_DIR, root / "seeds")
    (root / SEED).write_text(TEXT, encoding="utf-8")
    _append(
        root / "data" / "sources.csv",
        {
            "source_id": SOURCE_ID,
            "file": SEED,
            "original_file": "test.txt",
            "title": "A sixth document for the tests",
            "title_from_document": "false",
            "publisher": "Test Wire",
            "published": "2025-12-01",
            "published_precision": "day",
            "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        },
    )
    _append(
        root / "data" / "facts.csv",
        {
            "fact_id": "tsd_china_processing_share",
            "metric": "processing_share",
            "subject": "China",
            "value": "95",
            "unit": "pct",
            "period": "2025-12",
            "period_type": "as_of",
            "qualifier": "stated",
            "source_id": SOURCE_ID,
            "quote": QUOTE,
            "note": "Share of rare earths processed.",
        },
    )
    return mw.load_package(root / "data")


def test_the_sixth_source_loads_with_a_third_processing_claim(six):
    assert list(six.sources["source_id"])[-1] == SOURCE_ID
    claims = processing_claims(six.facts)
    assert len(claims) == 3 and claims["source_id"].nunique() == 3


def test_every_source_has_its_own_colour_in_the_order_of_sources_csv(six):
    colours = source_colours(six.sources)
    assert list(colours) == list(six.sources["source_id"])
    assert len(set(colours.values())) == 6, "six sources, six colours"
    assert list(colours.values()) == SOURCE_PALETTE[:6]


def test_the_processing_chart_draws_the_sixth_source_in_its_own_colour(six):
    claims = processing_claims(six.facts)
    spec = chart_spec(processing_share_chart(claims, 5.0, six.sources))
    layer = spec["layer"][1]
    scale = layer["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    data = layer.get("data", spec.get("data"))
    drawn = {r["source_id"] for r in spec["datasets"][data["name"]]}
    assert drawn == set(claims["source_id"].astype(str))
    others = {colour[s] for s in drawn - {SOURCE_ID}}
    assert colour[SOURCE_ID] not in others and len(others) == 2
    assert "about 85% vs over 90% vs 95%" in chart_title(spec, "")
    assert chart_title(spec, "").endswith("as worded, the three do not all overlap")
    assert any("A sixth document for the tests" in line for line in spec["title"]["subtitle"])


def test_the_prose_counts_and_lists_the_three_claims(six):
    claims = processing_claims(six.facts)
    conflicts = mw.conflicting_claims("processing_share", facts=six.facts)
    text = processing_summary(claims, conflicts, 5.0, six.sources)
    label = source_label(SOURCE_ID, six.sources)  # publisher and date, not the id
    assert f"**95%** ({label}: Share of rare earths processed)" in text
    assert SOURCE_ID not in text
    assert "the three claims **cannot all hold**" in text and "All are kept." in text
    loose = processing_summary(claims, conflicts.iloc[0:0], 20.0, six.sources)
    assert "the three claims **can all hold**" in loose
