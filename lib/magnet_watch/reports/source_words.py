"""Headline figures as readers read them: sources as publisher and date, linked where the record
has an address; no fact id, source id or parameter name.

A notebook's headline records name their sources by id ("ibns-export-halt", "computed from
msa_magnet_target, parameter nd_mass_fraction"): exact, and what the collapsed "How this was
computed" section of a page lists. ``headlines_in_words`` adds to each record the words a page
shows in its place (``figure_words`` and ``source_words``, a list of parts, each text with an
optional address), read from the data: sources.csv, facts.csv, the reference packages' origin
records and the parameter dictionary's labels.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from magnet_watch.notebook.parameters import parameter_dictionary

# Keys a headline record gains for its page; the columns a page shows stay HEADLINE_COLUMNS.
FIGURE_WORDS = "figure_words"
SOURCE_WORDS = "source_words"
COMPUTED = "computed from"


@dataclass
class Names:
    """What each code name in a headline stands for, in words: a source id or reference
    package by its publisher and date (``Part``), a fact id by its source, a parameter by its
    label."""

    sources: dict[str, dict] = field(default_factory=dict)  # id -> {"text", "url"}
    facts: dict[str, str] = field(default_factory=dict)  # fact id -> source id
    parameters: dict[str, str] = field(default_factory=dict)  # name -> label

    def pattern(self) -> re.Pattern | None:
        """Return a pattern matching any of the names as a whole word (longest first); a
        reference package's figure ("package/figure") matches with its package."""
        names = sorted([*self.sources, *self.facts, *self.parameters], key=len, reverse=True)
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in names)
        return re.compile(rf"(?<![\w-])({alternatives})(?:/[\w-]+)?(?![\w-])")

    def source_of(self, name: str) -> dict | None:
        """Return the source part a code name stands for (None for a parameter)."""
        if name in self.facts:
            return self.sources.get(self.facts[name])
        return self.sources.get(name)


def source_name(row: dict) -> str:
    """Return who a sources.csv row is from as a reader cites it: its publisher, else its
    title in quotes, saying when that title is the curators' (the document has none)."""
    if row.get("publisher"):
        return row["publisher"]
    title = row.get("title", "")
    if str(row.get("title_from_document", "")).lower() == "false":
        return f"“{title}” (the curators' title; publisher not named)"
    return f"“{title}” (publisher not named)"


def source_when(row: dict) -> str:
    """Return when a sources.csv row was published: its date, else "undated" with the date the
    record holds it public from (``available_from``, whose reason sources.csv gives)."""
    if row.get("published"):
        return row["published"]
    if row.get("available_from"):
        return f"undated, public by {row['available_from']}"
    return "undated"


def source_part(row: dict) -> dict:
    """Return a sources.csv row as a reader cites it: ``source_name`` and ``source_when``,
    with its address when it has one. The pages' templates use the same two (as filters)."""
    return {"text": f"{source_name(row)}, {source_when(row)}", "url": row.get("url") or ""}


def _package_part(package: Path) -> dict | None:
    try:
        record = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    producer = str(record.get("producer") or record.get("title") or package.name)
    return {"text": f"{producer.split(' (')[0]} (later reference)", "url": ""}


def read_names(data_dir: Path, notebooks_dir: Path | None = None) -> Names:
    """Return the names a project's headlines may use: its sources, facts, reference packages
    and parameters (labels from the notebooks' parameter dictionary, where it has one)."""
    names = Names()
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as f:
        names.sources = {r["source_id"]: source_part(r) for r in csv.DictReader(f)}
    facts = data_dir / "facts.csv"
    if facts.exists():
        with facts.open(encoding="utf-8", newline="") as f:
            names.facts = {r["fact_id"]: r["source_id"] for r in csv.DictReader(f)}
    for package in sorted((data_dir / "reference").glob("*/")):
        part = _package_part(package)
        if part is not None:
            names.sources[package.name] = part
    dictionary = parameter_dictionary(notebooks_dir) if notebooks_dir else {}
    names.parameters = {
        n: str(s.get("label") or n.replace("_", " ")) for n, s in dictionary.items()
    }
    names.parameters = {n: label for n, label in names.parameters.items() if "_" in n}
    return names


def _joined(parts: list[dict]) -> list[dict]:
    """Return parts with adjacent plain texts merged."""
    out: list[dict] = []
    for part in parts:
        if out and not part["url"] and not out[-1]["url"]:
            out[-1] = {"text": out[-1]["text"] + part["text"], "url": ""}
        elif part["text"]:
            out.append(part)
    return out


def _computed_words(text: str, names: Names, pattern: re.Pattern) -> list[dict]:
    """Return "computed from" and the distinct sources of the facts it names, then "and
    assumptions" when it names a parameter."""
    found = [m.group(1) for m in pattern.finditer(text)]
    sources: list[dict] = []
    for name in found:
        part = names.source_of(name)
        if part is not None and part not in sources:
            sources.append(part)
    parts = [{"text": f"{COMPUTED} ", "url": ""}]
    for i, part in enumerate(sources):
        parts += [{"text": "; " if i else "", "url": ""}, part]
    assumed = any(n in names.parameters for n in found) or "parameter" in text
    if assumed:
        parts.append({"text": (" and " if sources else "") + "assumptions", "url": ""})
    return _joined(parts)


def words_of(text: str, names: Names) -> list[dict]:
    """Return a headline's source text in words: each source or fact id as its source's
    publisher and date, each parameter by its label; the rest of the text as it is."""
    pattern = names.pattern()
    if pattern is None or not pattern.search(text):
        return [{"text": text, "url": ""}]
    if text.startswith(COMPUTED):
        return _computed_words(text, names, pattern)
    parts, at = [], 0
    for match in pattern.finditer(text):
        parts.append({"text": text[at : match.start()], "url": ""})
        name = match.group(1)
        part = names.source_of(name)
        parts.append(part or {"text": names.parameters.get(name, name), "url": ""})
        at = match.end()
    parts.append({"text": text[at:], "url": ""})
    return _joined(parts)


def figure_words(figure: str, names: Names) -> str:
    """Return a figure's name without the ids it ends with ("India's rank by reserves:
    jkc_india_reserves_rank" reads "India's rank by reserves"); parameters by their labels."""
    pattern = names.pattern()
    if pattern is None:
        return figure
    ids = rf"{pattern.pattern}(?:\s*[/,]\s*{pattern.pattern})*"
    figure = re.sub(rf":\s*{ids}\s*$", "", figure)
    return pattern.sub(lambda m: names.parameters.get(m.group(1), m.group(0)), figure)


def headlines_in_words(records: list[dict], names: Names) -> None:
    """Add to each headline record (in place) its figure and its sources in words."""
    for record in records:
        record[FIGURE_WORDS] = figure_words(str(record.get("figure", "")), names)
        record[SOURCE_WORDS] = words_of(str(record.get("source", "")), names)
