"""Add a document to the corpus, and (re)write the candidates file of a document in it.

``python -m magnet_watch.curation add FILE`` (``make add-document FILE=...``):

1. refuses a file that is missing, empty, binary, not UTF-8, larger than
   ``MAX_DOCUMENT_BYTES`` (``--max-bytes`` overrides) or already in the corpus (same
   SHA-256), saying why;
2. checks that the data package, with the new seed and its sources.csv row, loads;
3. copies the file byte for byte into seeds/ as ``<date or "undated">_<title-slug>.txt``;
4. writes data/sources.csv with its row (and checksum) appended;
5. writes the candidates file, build/candidates/<source_id>.csv: one row per quantity
   the extractor finds, in the facts table's columns with suggestions.

Both commands hold the curation lock (``curation.lock``) throughout: a second curation
run at the same time refuses. Each write is atomic (``files.write_atomic``), and the
order makes any interruption harmless: stopped before step 4, the seed (if written) is
in no table and running the same command again adopts it; stopped before step 5, the
document is in the corpus and ``python -m magnet_watch.curation candidates SOURCE_ID``
(``make candidates SOURCE=...``) writes its candidates. A refused or invalid document
changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.curation.extract import candidates_frame, extract_candidates, fact_columns
from magnet_watch.curation.files import remove_temporaries, write_atomic
from magnet_watch.curation.lock import curation_lock
from magnet_watch.curation.staging import check_staged
from magnet_watch.data.load import load_package
from magnet_watch.data.provenance import normalise_text
from magnet_watch.data.schema import BOM
from magnet_watch.errors import DataValidationError, DiskFull, ParameterError
from magnet_watch.text.numbers import parse_quantities
from magnet_watch.text.spreadsheet import csv_for_people

_DATE_ARG = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
HEADER_LINES = 15  # where a byline date is looked for
# The largest document `add` accepts without --max-bytes: 1 MB, about 150,000 words. The
# longest seed is 22.7 kB; a 50 MB file once made a 239 MB reports/ folder.
MAX_DOCUMENT_BYTES = 1_000_000
USAGE = "Usage: make add-document FILE=path/to/article.txt"


class CurationError(ValueError):
    """A document or a candidates file was refused; the message says why and what to do."""


@dataclass(frozen=True)
class AddedDocument:
    """What ``add_document`` did: the new source's id, its seed file and its candidates file."""

    source_id: str
    seed_path: Path
    candidates_path: Path
    candidates: int


def _slug(text: str, words: int) -> str:
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(tokens[:words]) or "document"


def _read_text(path: Path, max_bytes: int) -> tuple[bytes, str]:
    """Return the file's bytes and text, or raise CurationError saying why it is refused."""
    if not path.exists():
        raise CurationError(f"{path}: no such file. {USAGE}")
    if not path.is_file():
        raise CurationError(f"{path}: not a regular file; give a plain-text article (.txt)")
    size = path.stat().st_size
    if size > max_bytes:
        raise CurationError(
            f"{path}: {size:,} bytes, over the limit of {max_bytes:,} bytes for one "
            "document (a long article is under 100 kB). Split it, or raise the "
            "limit with --max-bytes N if it really is one document"
        )
    data = path.read_bytes()
    if not data.strip():
        raise CurationError(f"{path}: the file is empty; a document needs its text")
    if b"\x00" in data:
        raise CurationError(
            f"{path}: the file is binary (it contains NUL bytes); save the article as "
            "plain UTF-8 text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the article as UTF-8"
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(5, len(text) // 100):
        raise CurationError(
            f"{path}: the file looks binary ({controls} control characters); save the "
            "article as plain UTF-8 text"
        )
    return data, text


def _byline_date(text: str) -> tuple[str | None, str | None, str | None]:
    """Return (published, precision, note) from a date in the document's first lines."""
    head = "\n".join(text.splitlines()[:HEADER_LINES])
    for q in parse_quantities(head):
        if q.kind == "date":
            date = q.extra["date"]
            precision = "day" if len(date) == 10 else "month"
            return date, precision, f"Read from the document's opening lines: '{q.text}'."
    return None, None, None


def _publication(published: str | None, text: str) -> tuple[str | None, str, str]:
    """Return (published, precision, date_note): the curator's date, else the byline's."""
    if published is not None and not _DATE_ARG.match(published):
        raise ParameterError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD, got {published!r}")
    if published:
        precision = {4: "year", 7: "month", 10: "day"}[len(published)]
        return published, precision, "Date given by the curator when the document was added."
    published, precision, note = _byline_date(text)
    if published is None:
        return None, "unknown", "Not dated: no date found in the document's opening lines."
    return published, precision, note


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def with_rows(before: bytes, rows: list[dict]) -> bytes:
    """Return a CSV file's bytes with ``rows`` (dicts keyed by its header) appended."""
    header = next(csv.reader(io.StringIO(before.decode("utf-8"))))
    text = "" if before.endswith(b"\n") else "\n"
    text += "".join(_csv_line([str(row.get(col, "") or "") for col in header]) for row in rows)
    return before + text.encode("utf-8")


def dirs(data_dir, seeds_dir) -> tuple[Path, Path]:
    """Return (data_dir, seeds_dir) resolved; seeds/ must be beside data/."""
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    beside = data_dir.parent / "seeds"
    if beside.is_symlink():
        raise ParameterError(
            f"{beside} is a symlink (to {beside.resolve()}): curation writes "
            "the documents into a real seeds/ folder beside data/, as "
            "sources.csv records them (seeds/<name>); move the folder there "
            "in place of the symlink"
        )
    seeds_dir = Path(seeds_dir or beside).resolve()
    if seeds_dir != beside:
        raise ParameterError(
            f"seeds_dir must be the seeds/ folder beside data/ ({data_dir.parent / 'seeds'}), "
            f"because sources.csv records files as seeds/<name>; got {seeds_dir}"
        )
    return data_dir, seeds_dir


def _orphan_or_refuse(
    path: Path, digest: str, sources: pd.DataFrame, seeds_dir: Path
) -> Path | None:
    """Refuse a document already in the corpus; return a seed with the same bytes that no
    source lists (left by an interrupted add, to be adopted), else None."""
    same = sources[sources["sha256"] == digest]
    if not same.empty:
        row = same.iloc[0]
        raise CurationError(
            f"{path}: already in the corpus as source {row['source_id']!r} ({row['file']}), "
            "same SHA-256; nothing added. To (re)write its candidates: "
            f"make candidates SOURCE={row['source_id']}"
        )
    listed = set(sources["file"].astype(str))
    for existing in sorted(seeds_dir.glob("*")):
        if existing.name.startswith("."):
            continue  # a temporary file of a write that was killed, never a seed
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            if f"seeds/{existing.name}" in listed:
                raise CurationError(
                    f"{path}: identical to {existing.name} already in seeds/; nothing added"
                )
            return existing
    return None


def _refuse_near_duplicate(
    path: Path, text: str, documents: dict[str, str], sources: pd.DataFrame
) -> None:
    """Refuse a document whose text is a source's but for line endings, spaces and
    typographic quotes or dashes, or a byte-order mark (the same article saved again): it
    names the source."""
    mine = normalise_text(text.removeprefix(BOM))
    for source_id, document in documents.items():
        if normalise_text(document.removeprefix(BOM)) == mine:
            file = sources.set_index("source_id").loc[source_id, "file"]
            raise CurationError(
                f"{path}: the same text as source {source_id!r} ({file}) but for line endings, "
                "spaces or typographic quotes; nothing added. To (re)write its candidates: "
                f"make candidates SOURCE={source_id}"
            )


def _new_names(
    title: str, source_id: str | None, published: str | None, taken: set[str], seeds_dir: Path
) -> tuple[str, Path]:
    """Return (a free source id, a free seed path) for the document."""
    source_id = source_id or _slug(title, 5)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source_id):
        raise ParameterError(
            f"source_id must be lowercase letters, digits and '-', got {source_id!r}"
        )
    base, n = source_id, 2
    while source_id in taken:
        source_id, n = f"{base}-{n}", n + 1
    stem = f"{published or 'undated'}_{_slug(title, 8)}"
    seed_path, n = seeds_dir / f"{stem}.txt", 2
    while seed_path.exists():
        seed_path, n = seeds_dir / f"{stem}-{n}.txt", n + 1
    return source_id, seed_path


def add_document(
    path: Path | str,
    *,
    data_dir: Path | str | None = None,
    seeds_dir: Path | str | None = None,
    candidates_dir: Path | str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    source_id: str | None = None,
    cites: str | None = None,
    url: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> AddedDocument:
    """Add one article to seeds/ and sources.csv and write its candidates file (see module docstring).

    ``title`` defaults to the document's first line; ``published`` (YYYY, YYYY-MM or
    YYYY-MM-DD) to a date in its first lines, else the source is undated.
    Raises CurationError (refused file, or the data would not load) or ParameterError
    (a bad option); nothing is changed then.
    """
    data_dir, seeds_dir = dirs(data_dir, seeds_dir)
    path = Path(path)
    data, text = _read_text(path, max_bytes)
    with curation_lock(data_dir, f"add {path}"):  # one curation run at a time
        for folder in (seeds_dir, data_dir):
            remove_temporaries(folder)  # left by an add or accept that was killed mid-write
        digest = hashlib.sha256(data).hexdigest()
        package = load_package(data_dir)  # the corpus must be valid before we add to it
        sources = package.sources
        orphan = _orphan_or_refuse(path, digest, sources, seeds_dir)
        _refuse_near_duplicate(path, text, package.documents, sources)
        published, precision, date_note = _publication(published, text)
        first_line = next(line.strip() for line in text.splitlines() if line.strip())
        row_title = (title or first_line)[:200]
        source_id, seed_path = _new_names(
            row_title, source_id, published, set(sources["source_id"].astype(str)), seeds_dir
        )
        seed_path = orphan or seed_path  # resume an interrupted add: its seed is already there
        row = {
            "source_id": source_id,
            "file": f"seeds/{seed_path.name}",
            "original_file": path.name,
            "title": row_title,
            "title_from_document": str(title is None).lower(),
            "publisher": publisher,
            "author": None,
            "published": published,
            "published_precision": precision,
            "date_note": date_note,
            "cites": cites,
            "url": url,
            # An undated document is public, for this project, from the day it entered it.
            **(
                {}
                if published
                else {
                    "available_from": f"{pd.Timestamp.now():%Y-%m-%d}",
                    "available_from_reason": "The date it entered the project: it prints no date.",
                }
            ),
            "sha256": digest,
        }
        sources_csv = data_dir / "sources.csv"
        new_sources = with_rows(sources_csv.read_bytes(), [row])
        try:
            check_staged(data_dir, seeds_dir, {"sources.csv": new_sources}, {seed_path.name: data})
        except DataValidationError as exc:
            raise CurationError(f"{path}: not added, the data would not load:\n{exc}") from None
        _write_seed_and_source(seed_path, data, orphan is None, sources_csv, new_sources)
        folder = _candidates_dir(candidates_dir, data_dir)
        candidates_path, count = _added_candidates(text, source_id, published, data_dir, folder)
        return AddedDocument(source_id, seed_path, candidates_path, count)


def _added_candidates(
    text: str, source_id: str, published: str | None, data_dir: Path, folder: Path
) -> tuple[Path, int]:
    """Write the candidates file of a document just added; return (its path, its rows).
    On a full disk, raise DiskFull saying the document is in and how to write them later."""
    try:
        path, count, _ = write_candidates_file(
            text, source_id, published, fact_columns(data_dir), folder
        )
    except DiskFull as exc:
        raise DiskFull(
            exc.path,
            f"the document was added as source {source_id!r}, but "
            "not its candidates file: once there is space, write it with "
            f"make candidates SOURCE={source_id}",
        ) from None
    return path, count


def _write_seed_and_source(
    seed_path: Path, data: bytes, new_seed: bool, sources_csv: Path, new_sources: bytes
) -> None:
    """Write the seed (unless adopted) and then sources.csv; on a full disk, remove the seed
    just written, so that seeds/ and sources.csv are both as they were, and raise DiskFull."""
    try:
        if new_seed:
            write_atomic(seed_path, data)
        write_atomic(sources_csv, new_sources)
    except DiskFull as exc:
        if new_seed:
            seed_path.unlink(missing_ok=True)
        raise DiskFull(
            exc.path, "nothing was added: seeds/ and sources.csv are as they were"
        ) from None


def _candidates_dir(candidates_dir: Path | str | None, data_dir: Path) -> Path:
    return Path(candidates_dir or data_dir.parent / "build" / "candidates")


def write_candidates_file(
    text: str, source_id: str, published: str | None, columns: list[str], folder: Path
) -> tuple[Path, int, Path | None]:
    """Write ``folder/<source_id>.csv`` (atomically) with the document's candidates in the
    facts ``columns``; return (its path, its number of rows, the backup or None).

    A candidates file already there that differs from the one written now (a curator's
    marks, corrections) is first kept as ``<source_id>.marked-<UTC time>.csv``: a curator's
    work is never lost.
    """
    frame = candidates_frame(extract_candidates(text, source_id, published), columns)
    target = folder / f"{source_id}.csv"
    fresh = csv_for_people(frame).encode("utf-8")
    if folder.is_dir():
        remove_temporaries(folder)
    backup = None
    if target.is_file() and target.read_bytes() != fresh:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        backup, n = folder / f"{source_id}.marked-{stamp}.csv", 2
        while backup.exists():
            backup, n = folder / f"{source_id}.marked-{stamp}-{n}.csv", n + 1
        write_atomic(backup, target.read_bytes())
    write_atomic(target, fresh)
    return target, len(frame), backup


def write_candidates(
    source_id: str,
    *,
    data_dir: Path | str | None = None,
    candidates_dir: Path | str | None = None,
) -> tuple[Path, int, Path | None]:
    """(Re)write the candidates file of a document already in the corpus; return (path, rows,
    backup): a file already there with other content is kept as the backup (else None).

    Raises CurationError for a source id that is not in sources.csv.
    """
    data_dir, _ = dirs(data_dir, None)
    with curation_lock(data_dir, f"candidates {source_id}"):
        package = load_package(data_dir)
        if source_id not in package.documents:
            known = ", ".join(sorted(package.documents))
            raise CurationError(f"{source_id!r} is not a source in sources.csv; known: {known}")
        published = package.sources.set_index("source_id").loc[source_id, "published"]
        published = published if isinstance(published, str) else None
        return write_candidates_file(
            package.documents[source_id],
            source_id,
            published,
            fact_columns(data_dir),
            _candidates_dir(candidates_dir, data_dir),
        )
