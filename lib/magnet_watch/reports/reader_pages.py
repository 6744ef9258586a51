"""The two pages every report links to for readers: the glossary (from data/glossary.csv) and
the methodology (how the figures are curated, checked and modelled, from the data package's
own descriptions, the reference packages' origin records and the parameter dictionary).

Both are written from the data, so a term or a reference package added there appears here
with no change to the code; both are plain pages (no script), offline like every other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from magnet_watch.data.schema import read_package, read_resource
from magnet_watch.notebook.parameters import choice_label, parameter_dictionary
from magnet_watch.reports import html

GLOSSARY_FILE = "glossary.html"
METHODOLOGY_FILE = "methodology.html"
# The data package's tables the methodology describes, in the order a reader meets them.
DESCRIBED_TABLES = ("sources", "facts", "qualifiers", "scopes", "conversions", "events")


def term_anchor(term: str) -> str:
    """Return the id of a term on the glossary page: "central 90% of draws" -> "central-90-of-draws"."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def glossary_terms(data_dir: Path) -> list[dict]:
    """Return the glossary's terms (term, meaning, source, anchor), sorted as a reader looks
    them up (alphabetically, ignoring case)."""
    table = read_resource(data_dir, "glossary")
    terms = [
        {
            "term": str(row["term"]),
            "meaning": str(row["meaning"]),
            "source": "" if row.isna()["source"] else str(row["source"]),
            "anchor": term_anchor(str(row["term"])),
        }
        for _, row in table.iterrows()
    ]
    return sorted(terms, key=lambda t: t["term"].lower())


def glossary_page(data_dir: Path, label: str, as_of: str) -> str:
    """Return glossary.html."""
    return html.render_page(
        "glossary.html",
        html.page_context("Glossary: the words these pages use", label, as_of, GLOSSARY_FILE),
        terms=glossary_terms(data_dir),
    )


def reference_packages(data_dir: Path, as_of: str | None = None) -> list[dict]:
    """Return the later references in the record as of ``as_of`` (ISO day; None: its latest
    date): each package's title, producer and publication date from its origin record, in name
    order, then each USGS edition by its title."""
    from magnet_watch.data.record import latest_record, record_as_of

    record = latest_record(data_dir)
    then = record_as_of(as_of, record) if as_of else record
    found = []
    for name in sorted(then.references):
        origin = json.loads(
            (data_dir / "reference" / name / "datapackage.json").read_text(encoding="utf-8")
        )
        found.append(
            {
                "title": str(origin.get("title", name)),
                "producer": str(origin.get("producer", "")),
                "published": str(origin.get("published", "")),
            }
        )
    for title in then.editions.titles.values():
        found.append({"title": f"Rare Earths, {title}", "producer": "U.S. Geological Survey"})
    return found


def for_readers(text: str, labels: dict[str, str]) -> str:
    """Return ``text`` as a reader's page writes it: each parameter name by its label, and
    without the sentences that point developers to a module ("... in magnet_watch.data...")."""
    sentences = re.split(r"(?<=[.;])\s+", " ".join(text.split()))
    kept = " ".join(s for s in sentences if "magnet_watch." not in s)
    for name, label in labels.items():
        kept = re.sub(rf"(?<![\w-]){re.escape(name)}(?:'s)?(?![\w-])", label, kept)
    return kept


def methodology_page(
    data_dir: Path, notebooks_dir: Path, label: str, as_of: str, as_of_date: str | None = None
) -> str:
    """Return methodology.html: the tables and what each holds, the reference packages, and
    the model's assumptions with their plausible ranges and reasons."""
    resources = {r["name"]: r for r in read_package(data_dir)["resources"]}
    dictionary = parameter_dictionary(notebooks_dir)
    labels = {n: str(s["label"]) for n, s in dictionary.items() if s.get("label") and "_" in n}
    tables = [
        {"name": name, "description": for_readers(resources[name].get("description", ""), labels)}
        for name in DESCRIBED_TABLES
        if name in resources
    ]
    assumptions = [
        {
            **spec["plausible"],
            "label": spec.get("label", name),
            "unit": spec.get("unit", ""),
            "reason": for_readers(spec["plausible"].get("reason", ""), labels),
            # Choices in words (the dictionary's choice_labels), as the dropdowns show them.
            "choices": [choice_label(spec, c) for c in spec["plausible"].get("choices", [])],
        }
        for name, spec in dictionary.items()
        if "plausible" in spec
    ]
    return html.render_page(
        "methodology.html",
        html.page_context(
            "Methodology: how these figures are made", label, as_of, METHODOLOGY_FILE
        ),
        tables=tables,
        packages=reference_packages(data_dir, as_of_date),
        assumptions=assumptions,
    )


def write_reader_pages(
    out: Path, data_dir: Path, notebooks_dir: Path, label: str, as_of: dict[str, str]
) -> None:
    """Write glossary.html and methodology.html into ``out`` (a build's stage); ``as_of`` is
    the build's as-of date ("date", ISO, and "words", the sentence every page states)."""
    words = as_of["words"]
    (out / GLOSSARY_FILE).write_text(glossary_page(data_dir, label, words), encoding="utf-8")
    page = methodology_page(data_dir, notebooks_dir, label, words, as_of["date"])
    (out / METHODOLOGY_FILE).write_text(page, encoding="utf-8")
