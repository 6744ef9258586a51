"""Benchmark: does curation stay fast as the corpus grows? (a benchmark, not a test)

Builds synthetic corpora of 100, 300 and 1,000 documents with 20 facts each (20,000
facts at 1,000 documents), every fact with a verbatim quote from its document, in a
temporary copy of the data package. For each size it times, median of ``--repeats``:

- load: ``load_package`` from cold (schema, keys, foreign keys, checksums, provenance);
- provenance: ``provenance.check_fact_provenance`` alone;
- audit: coverage, conflicts, same claims and checks on the loaded package, twice:
  "cold" with an empty candidates cache (the extractor runs over every document and
  fills the cache) and "cached" with the cache filled (what every audit after the
  first costs: seeds never change, so their candidates are read back);

and prints the growth from the smallest to the largest corpus (10x the documents;
linear growth is a ratio near 10), and the cached audit at the largest size against
the goal, ``GOAL_AUDIT_S`` CPU seconds at 1,000 documents. Times are CPU seconds of this
process (the machines are shared, so wall time mostly measures the neighbours).

Usage: .venv/bin/python scripts/bench_curation.py [--sizes 100 300 1000] [--repeats 3]
       [--profile]   (cProfile of the largest load and audit, top 12 functions each)
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import hashlib
import io
import json
import pstats
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from magnet_watch import paths
from magnet_watch.curation.audit import (
    CHECKS_TABLE,
    REVIEWED_TABLE,
    conflicts_audit,
    run_checks,
    same_claims_audit,
)
from magnet_watch.curation.coverage import coverage_audit
from magnet_watch.data import load as datasets
from magnet_watch.data.lookups import Vocabulary
from magnet_watch.data.provenance import check_fact_provenance
from magnet_watch.data.schema import read_resource

FACTS_PER_DOCUMENT = 20
EVENT_SENTENCE = "Since 2012, IREL has been supplying Toyotsu Rare Earths India."
GOAL_AUDIT_S = 2.0  # CPU seconds for the audit of 1,000 documents (issue 10)
SUBJECTS = ["India", "IREL", "China", "Japan", "world"]
# (metric, unit, sentence template, value(s) from a random generator)
TEMPLATES = [
    ("exports", "t", "In {year}, over {a:,} metric tons were exported by {who} (item {i})."),
    ("magnet_imports", "t", "In FY{fy}, {who} imported {a:,} metric tons of magnets (item {i})."),
    (
        "processing_share",
        "pct",
        "{who} controls approximately {p}% of processing capacity (item {i}).",
    ),
    (
        "scheme_outlay",
        "INR",
        "The government approved a {b}-billion-rupee plan for {who} (item {i}).",
    ),
    (
        "nd_production_capacity",
        "t/yr",
        "{who} can produce {lo}–{hi} metric tons of neodymium annually (item {i}).",
    ),
]


def _row(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def build_corpus(root: Path, documents: int, seed: int = 7) -> Path:
    """Write data/ and seeds/ under ``root`` with ``documents`` synthetic articles; return data/."""
    rng = random.Random(seed)
    data, seeds = root / "data", root / "seeds"
    shutil.copytree(paths.DATA_DIR, data)
    seeds.mkdir()
    # Keep the schema, units and metrics; replace everything curated from documents.
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    headers = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    sources = [_row(headers["sources"])]
    facts = [_row(headers["facts"])]
    for d in range(documents):
        source_id = f"synthetic-{d:05d}"
        sentences, rows = [f"Synthetic article {d}"], []
        for i in range(FACTS_PER_DOCUMENT):
            metric, unit, template = TEMPLATES[i % len(TEMPLATES)]
            who = rng.choice(SUBJECTS)
            year = rng.randint(2015, 2025)
            # Like real news, documents mostly repeat a few figures per claim; some disagree.
            key = random.Random(f"{metric}{who}{year}")
            a, p, b = key.randint(1_000, 90_000), key.randint(5, 95), key.randint(2, 99)
            lo = key.randint(100, 900)
            hi = lo + key.randint(10, 500)
            if rng.random() < 0.1:
                a, p, b, lo = a + rng.randint(1, 9) * 1000, min(p + 3, 99), b + 1, lo + 1
            sentence = template.format(
                year=year, fy=year % 100, a=a, p=p, b=b, lo=lo, hi=hi, who=who, i=i
            )
            sentences.append(sentence)
            value, low, high = {
                "t": (a, "", ""),
                "pct": (p, "", ""),
                "INR": (b * 10**9, "", ""),
                "t/yr": ("", lo, hi),
            }[unit]
            period, period_type = {
                "exports": (str(year), "calendar_year"),
                "magnet_imports": (f"FY{year - 1}-{year % 100:02d}", "fiscal_year"),
            }.get(metric, (f"{year}-08", "as_of"))
            qualifier = {"exports": "over", "processing_share": "approximately"}.get(
                metric, "stated"
            )
            rows.append(
                [
                    f"syn_{d}_{i}",
                    metric,
                    who,
                    "",
                    value,
                    low,
                    high,
                    unit,
                    period,
                    period_type,
                    qualifier,
                    source_id,
                    sentence,
                    "",
                    "",
                    "",
                ]
            )
        if d == 0:  # the package needs at least one event (x-min-rows): one, in the first article
            sentences.append(EVENT_SENTENCE)
        text = "\n".join(sentences) + "\n"
        name = f"seeds/synthetic_{d:05d}.txt"
        (root / name).write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        sources.append(
            _row(
                [
                    source_id
                    if h == "source_id"
                    else name
                    if h == "file"
                    else f"Synthetic article {d}"
                    if h == "title"
                    else "true"
                    if h == "title_from_document"
                    else "unknown"
                    if h == "published_precision"
                    else digest
                    if h == "sha256"
                    # Undated, so public from a fixed day after every period it states.
                    else "2025-12-31"
                    if h == "available_from"
                    else "Synthetic article: a fixed day after every period it states."
                    if h == "available_from_reason"
                    else ""
                    for h in headers["sources"]
                ]
            )
        )
        facts.extend(_row(r + [""] * (len(headers["facts"]) - len(r))) for r in rows)
    (data / "sources.csv").write_text("".join(sources), encoding="utf-8")
    (data / "facts.csv").write_text("".join(facts), encoding="utf-8")
    event = {
        "event_id": "syn_irel_supply_2012",
        "event_group": "syn_supply_2012",
        "date": "2012",
        "date_precision": "year",
        "status": "happened",
        "actor": "IREL",
        "event": "IREL began supplying Toyotsu Rare Earths India",
        "source_id": "synthetic-00000",
        "quote": EVENT_SENTENCE,
    }
    events = _row(headers["events"]) + _row([event.get(h, "") for h in headers["events"]])
    (data / "events.csv").write_text(events, encoding="utf-8")
    for table in (REVIEWED_TABLE, CHECKS_TABLE):
        (data / f"{table}.csv").write_text(_row(headers[table]), encoding="utf-8")
    return data


def _time(fn) -> tuple[float, object]:
    """Return (seconds, result). Seconds are this process's CPU time: the machines are
    shared and noisy, and wall time would measure the neighbours."""
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def audit_only(data: Path, package: datasets.Package, cache_dir: Path | None) -> None:
    """The audit's work on an already loaded package (what run_audit adds to loading)."""
    reviewed = read_resource(data, REVIEWED_TABLE)
    checks = read_resource(data, CHECKS_TABLE)
    coverage_audit(package, reviewed, cache_dir)
    vocabulary = Vocabulary.from_tables(package)
    conflicts_audit(package.facts, vocabulary)
    same_claims_audit(package.facts, vocabulary)
    run_checks(checks, package.facts)


def measure(documents: int, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = build_corpus(Path(tmp), documents)
        loads, provenance, audits, cached = [], [], [], []
        package = None
        for repeat in range(repeats):
            cache_dir = Path(tmp) / f"cache-{repeat}"  # empty: the first audit is cold
            datasets._CACHE.clear()  # time a cold load, as a fresh process would
            seconds, package = _time(lambda: datasets.load_package(data))
            loads.append(seconds)
            facts, texts = package.facts, package.documents
            provenance.append(_time(lambda f=facts, d=texts: check_fact_provenance(f, d))[0])
            audits.append(_time(lambda p=package, c=cache_dir: audit_only(data, p, c))[0])
            cached.append(_time(lambda p=package, c=cache_dir: audit_only(data, p, c))[0])
        return {
            "documents": documents,
            "facts": len(package.facts),
            "load_s": statistics.median(loads),
            "provenance_s": statistics.median(provenance),
            "audit_s": statistics.median(audits),
            "cached_s": statistics.median(cached),
        }


def profile(documents: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = build_corpus(Path(tmp), documents)
        datasets._CACHE.clear()
        for label, fn in (
            ("load_package", lambda: datasets.load_package(data)),
            ("audit", lambda: audit_only(data, datasets.load_package(data), None)),
        ):
            profiler = cProfile.Profile()
            profiler.runcall(fn)
            print(f"\nprofile of {label} at {documents} documents (cumulative, top 12):")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(12)


def report(results: list[dict], repeats: int) -> None:
    """Print the table, the growth and the cached audit against the goal."""
    print(
        f"{'documents':>9} {'facts':>7} {'load s':>8} {'provenance s':>13} {'audit cold s':>13} "
        f"{'audit cached s':>15}   (CPU seconds, median of {repeats})"
    )
    for r in results:
        print(
            f"{r['documents']:>9,} {r['facts']:>7,} {r['load_s']:>8.2f} {r['provenance_s']:>13.2f} "
            f"{r['audit_s']:>13.2f} {r['cached_s']:>15.2f}"
        )
    first, last = results[0], results[-1]
    factor = last["documents"] / first["documents"]
    if factor > 1:
        print(
            f"growth from {first['documents']:,} to {last['documents']:,} documents "
            f"({factor:g}x; linear = {factor:g}):"
        )
        for key in ("load_s", "provenance_s", "audit_s", "cached_s"):
            print(f"  {key[:-2]:<11} x{last[key] / first[key]:.1f}")
    # The goal is per 1,000 documents; scale it to the largest size measured.
    goal = GOAL_AUDIT_S * last["documents"] / 1000
    verdict = "met" if last["cached_s"] < goal else "NOT MET"
    print(
        f"goal: audit (cached) under {goal:.2f} s at {last['documents']:,} documents "
        f"({GOAL_AUDIT_S:g} s per 1,000): {last['cached_s']:.2f} s, {verdict}; "
        f"cold (first audit after a change to the extractor): {last['audit_s']:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    report([measure(n, args.repeats) for n in args.sizes], args.repeats)
    if args.profile:
        profile(args.sizes[-1])


if __name__ == "__main__":
    main()
