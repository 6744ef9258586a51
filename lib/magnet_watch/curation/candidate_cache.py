"""An on-disk cache of each document's candidates, so the audit extracts a document once.

Seeds never change, and the extractor changes only when its code does, so a document's
candidates are fully determined by the document's text, its source id, its publication
date and the extractor's code. ``cached_candidates`` keys each entry by the SHA-256 of
all four and stores it as JSON under ``build/cache/candidates/``; a miss (or an entry
that does not read back) runs ``extract_candidates`` and writes the entry atomically.
The folder is safe to delete at any time: the next audit rebuilds it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from pathlib import Path

from magnet_watch import paths
from magnet_watch.curation import extract
from magnet_watch.curation.extract import Candidate, Sentence, extract_candidates
from magnet_watch.curation.files import write_text_atomic
from magnet_watch.text import numbers
from magnet_watch.text.numbers import Quantity

DEFAULT_CACHE_DIR = paths.BUILD_DIR / "cache" / "candidates"
# The code whose output is cached: a change to either file changes every key.
EXTRACTOR_FILES = (Path(extract.__file__), Path(numbers.__file__))


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    """Return the SHA-256 of the extractor's source files (hex)."""
    digest = hashlib.sha256()
    for file in EXTRACTOR_FILES:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def cache_key(text: str, source_id: str, published: str | None) -> str:
    """Return the cache key (hex SHA-256) of one document's candidates."""
    digest = hashlib.sha256(extractor_version().encode())
    for part in (source_id, published or "", text):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


# An entry stores values by field position, in the dataclasses' own field order, and
# each sentence once: reading 1,000 entries back is then a few times faster than dicts.
_SENTENCE_FIELDS = [f.name for f in dataclasses.fields(Sentence)]
_QUANTITY_FIELDS = [f.name for f in dataclasses.fields(Quantity)]
_CANDIDATE_FIELDS = [
    f.name
    for f in dataclasses.fields(Candidate)
    if f.name not in ("source_id", "sentence", "quantity")
]


def _to_json(candidates: list[Candidate]) -> str:
    sentences: dict[int, int] = {}  # sentence number -> position in the entry
    rows = []
    for c in candidates:
        at = sentences.setdefault(c.sentence.number, len(sentences))
        rows.append(
            [
                at,
                [getattr(c.quantity, f) for f in _QUANTITY_FIELDS],
                *(getattr(c, f) for f in _CANDIDATE_FIELDS),
            ]
        )
    unique = {c.sentence.number: c.sentence for c in candidates}
    entry = {
        "sentences": [[getattr(unique[n], f) for f in _SENTENCE_FIELDS] for n in sentences],
        "candidates": rows,
    }
    return json.dumps(entry, ensure_ascii=False)


def _from_json(text: str, source_id: str) -> list[Candidate]:
    entry = json.loads(text)
    sentences = [Sentence(*s) for s in entry["sentences"]]
    return [
        Candidate(
            source_id=source_id,
            sentence=sentences[at],
            quantity=Quantity(*quantity),
            **dict(zip(_CANDIDATE_FIELDS, rest, strict=True)),
        )
        for at, quantity, *rest in entry["candidates"]
    ]


def cached_candidates(
    text: str, source_id: str, published: str | None, cache_dir: Path | None
) -> list[Candidate]:
    """Return ``extract_candidates(text, source_id, published)``, read from ``cache_dir``
    when an entry exists, else computed and stored. ``cache_dir=None`` disables the cache."""
    if cache_dir is None:
        return extract_candidates(text, source_id, published)
    entry = Path(cache_dir) / f"{cache_key(text, source_id, published)}.json"
    try:
        return _from_json(entry.read_text(encoding="utf-8"), source_id)
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        pass  # a miss, or an entry from an interrupted or older writer: recompute
    candidates = extract_candidates(text, source_id, published)
    try:
        write_text_atomic(entry, _to_json(candidates), durable=False)
    except OSError:
        pass  # a read-only or full disk costs speed, not correctness
    return candidates
