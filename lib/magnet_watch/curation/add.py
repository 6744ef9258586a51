"""Add a document to the corpus, and move the facts a curator accepts into the facts table.

``python -m magnet_watch.curation add FILE`` (``make add-document FILE=...``):

1. refuses a file that is missing, empty, binary, not UTF-8, or already in the
   corpus (same SHA-256), saying why;
2. copies it byte for byte into seeds/ as ``<date or "undated">_<title-slug>.txt``;
3. appends its row to data/sources.csv (with its checksum) and checks the whole
   data package still loads, undoing both steps if it does not;
4. writes the candidates file, build/candidates/<source_id>.csv: one row per
   quantity the extractor finds, in the facts table's columns with suggestions.

``python -m magnet_watch.curation accept CANDIDATES.csv`` appends the rows the curator
marked ``accept = yes`` (after filling ``fact_id`` and ``subject`` and correcting the
suggestions) to data/facts.csv, and keeps them only if the package, provenance
included, still loads.

Every step is all-or-nothing: on any error the data and seeds are as they were.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.curation.extract import FACT_COLUMNS, candidates_frame, extract_candidates
from magnet_watch.data.load import load_package
from magnet_watch.errors import DataValidationError, ParameterError
from magnet_watch.text.numbers import parse_quantities

ACCEPT_WORDS = {"yes", "y", "true", "1", "x"}
REQUIRED_ON_ACCEPT = ["fact_id", "metric", "subject", "unit", "period", "period_type", "qualifier",
                      "source_id", "quote"]  # fmt: skip
_DATE_ARG = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
HEADER_LINES = 15  # where a byline date is looked for


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


def _read_text(path: Path) -> tuple[bytes, str]:
    """Return the file's bytes and text, or raise CurationError saying why it is refused."""
    if not path.exists():
        raise CurationError(
            f"{path}: no such file. Usage: make add-document FILE=path/to/article.txt"
        )
    if not path.is_file():
        raise CurationError(f"{path}: not a regular file; give a plain-text article (.txt)")
    data = path.read_bytes()
    if not data.strip():
        raise CurationError(f"{path}: the file is empty; a document needs its text")
    if b"\x00" in data:
        raise CurationError(f"{path}: the file is binary (it contains NUL bytes); save the article as "
                            "plain UTF-8 text")  # fmt: skip
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                            "re-save the article as UTF-8") from None  # fmt: skip
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(5, len(text) // 100):
        raise CurationError(f"{path}: the file looks binary ({controls} control characters); save the "
                            "article as plain UTF-8 text")  # fmt: skip
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


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _append_rows(path: Path, rows: list[dict]) -> bytes:
    """Append rows (dicts keyed by the file's header) to a CSV; return its bytes before."""
    before = path.read_bytes()
    header = next(csv.reader(io.StringIO(before.decode("utf-8"))))
    text = "" if before.endswith(b"\n") else "\n"
    text += "".join(_csv_line([str(row.get(col, "") or "") for col in header]) for row in rows)
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return before


def _dirs(data_dir, seeds_dir) -> tuple[Path, Path]:
    data_dir = Path(data_dir or paths.DATA_DIR).resolve()
    seeds_dir = Path(seeds_dir or data_dir.parent / "seeds").resolve()
    if seeds_dir != data_dir.parent / "seeds":
        raise ParameterError(f"seeds_dir must be the seeds/ folder beside data/ ({data_dir.parent / 'seeds'}), "
                             f"because sources.csv records files as seeds/<name>; got {seeds_dir}")  # fmt: skip
    return data_dir, seeds_dir


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
) -> AddedDocument:
    """Add one article to seeds/ and sources.csv and write its candidates file (see module docstring).

    ``title`` defaults to the document's first line; ``published`` (YYYY, YYYY-MM or
    YYYY-MM-DD) to a date in its first lines, else the source is undated.
    Raises CurationError (refused file, or the data would not load) or ParameterError
    (a bad option); nothing is changed then.
    """
    data_dir, seeds_dir = _dirs(data_dir, seeds_dir)
    candidates_dir = Path(candidates_dir or data_dir.parent / "build" / "candidates")
    path = Path(path)
    data, text = _read_text(path)
    digest = hashlib.sha256(data).hexdigest()

    package = load_package(data_dir)  # the corpus must be valid before we add to it
    sources = package.sources
    same = sources[sources["sha256"] == digest]
    if not same.empty:
        row = same.iloc[0]
        raise CurationError(f"{path}: already in the corpus as source {row['source_id']!r} ({row['file']}), "
                            "same SHA-256; nothing added")  # fmt: skip
    for existing in sorted(seeds_dir.glob("*")):
        if existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() == digest:
            raise CurationError(
                f"{path}: identical to {existing.name} already in seeds/; nothing added"
            )

    if published is not None and not _DATE_ARG.match(published):
        raise ParameterError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD, got {published!r}")
    if published:
        precision = {4: "year", 7: "month", 10: "day"}[len(published)]
        date_note = "Date given by the curator when the document was added."
    else:
        published, precision, date_note = _byline_date(text)
        if published is None:
            precision, date_note = (
                "unknown",
                "Not dated: no date found in the document's opening lines.",
            )
    first_line = next(line.strip() for line in text.splitlines() if line.strip())
    title_from_document = title is None
    title = (title or first_line)[:200]
    source_id = source_id or _slug(title, 5)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source_id):
        raise ParameterError(
            f"source_id must be lowercase letters, digits and '-', got {source_id!r}"
        )
    taken_ids = set(sources["source_id"].astype(str))
    base, n = source_id, 2
    while source_id in taken_ids:
        source_id, n = f"{base}-{n}", n + 1
    stem = f"{published or 'undated'}_{_slug(title, 8)}"
    seed_path, n = seeds_dir / f"{stem}.txt", 2
    while seed_path.exists():
        seed_path, n = seeds_dir / f"{stem}-{n}.txt", n + 1

    row = {
        "source_id": source_id, "file": f"seeds/{seed_path.name}", "original_file": path.name,
        "title": title, "title_from_document": str(title_from_document).lower(),
        "publisher": publisher, "author": None, "published": published,
        "published_precision": precision, "date_note": date_note, "cites": cites, "url": url,
        "sha256": digest,
    }  # fmt: skip
    sources_csv = data_dir / "sources.csv"
    seed_path.write_bytes(data)
    before = None
    try:
        before = _append_rows(sources_csv, [row])
        load_package(data_dir)
    except (DataValidationError, OSError) as exc:
        seed_path.unlink(missing_ok=True)
        if before is not None:
            sources_csv.write_bytes(before)
        raise CurationError(f"{path}: not added, the data would not load:\n{exc}") from None

    frame = candidates_frame(extract_candidates(text, source_id, published))
    candidates_dir.mkdir(parents=True, exist_ok=True)
    candidates_path = candidates_dir / f"{source_id}.csv"
    frame.to_csv(candidates_path, index=False)
    return AddedDocument(source_id, seed_path, candidates_path, len(frame))


def _cell(value: str) -> str:
    """Write a number as the facts table does: 73000000000, not 7.3e10 or 73000000000.0."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number != number or value.strip() == "":
        return value
    return str(int(number)) if number.is_integer() else repr(number)


def accept_candidates(
    candidates_path: Path | str, *, data_dir: Path | str | None = None
) -> list[str]:
    """Append the candidates marked accept = yes to facts.csv; return their fact ids.

    Raises CurationError naming the candidates file's line and column when an accepted
    row lacks a required field, or listing the problems when the facts would not load
    (quote not in the document, value not in the quote, duplicate id, ...); the facts
    table is unchanged then.
    """
    data_dir, _ = _dirs(data_dir, None)
    candidates_path = Path(candidates_path)
    if not candidates_path.is_file():
        raise CurationError(f"{candidates_path}: no such candidates file")
    frame = pd.read_csv(candidates_path, dtype=str, keep_default_na=False)
    missing_cols = [c for c in ["accept", *FACT_COLUMNS] if c not in frame.columns]
    if missing_cols:
        raise CurationError(
            f"{candidates_path}: missing columns {missing_cols}; is this a candidates file?"
        )
    accepted = frame[frame["accept"].str.strip().str.lower().isin(ACCEPT_WORDS)]
    if accepted.empty:
        raise CurationError(f"{candidates_path}: no row has accept = yes; mark the rows to accept")
    problems = []
    for index, row in accepted.iterrows():
        line = int(index) + 2  # header is line 1
        for column in REQUIRED_ON_ACCEPT:
            if not row[column].strip():
                problems.append(f"  - {candidates_path.name}, line {line}, column '{column}': "
                                "required for an accepted row, but empty")  # fmt: skip
    if problems:
        raise CurationError(f"{candidates_path}: cannot accept:\n" + "\n".join(problems))
    rows = [{c: _cell(r[c].strip()) for c in FACT_COLUMNS} for _, r in accepted.iterrows()]
    facts_csv = data_dir / "facts.csv"
    before = _append_rows(facts_csv, rows)
    try:
        load_package(data_dir)
    except DataValidationError as exc:
        facts_csv.write_bytes(before)
        raise CurationError(
            f"{candidates_path}: nothing accepted, the facts would not load:\n{exc}"
        ) from None
    return [r["fact_id"] for r in rows]


def main(argv: list[str] | None = None) -> int:
    """Command line: ``add FILE [options]`` or ``accept CANDIDATES.csv``. Returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m magnet_watch.curation",
                                     description="Add a document; accept reviewed candidates.")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default: data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a plain-text article to seeds/ and sources.csv")
    add.add_argument("file", help="the article, saved as plain UTF-8 text")
    add.add_argument("--title", help="title, when the first line is not the headline")
    add.add_argument("--publisher")
    add.add_argument(
        "--published", help="publication date as the document states it: YYYY[-MM[-DD]]"
    )
    add.add_argument(
        "--source-id", help="short id (lowercase, digits, '-'); default from the title"
    )
    add.add_argument("--cites", help="outlet or report the document itself cites")
    add.add_argument("--url", help="only a URL the document itself states")
    add.add_argument("--candidates-dir", type=Path, default=None, help="default: build/candidates/")
    accept = sub.add_parser("accept", help="append accepted candidates to data/facts.csv")
    accept.add_argument("candidates", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "add" and not args.file.strip():
            raise CurationError("no file given. Usage: make add-document FILE=path/to/article.txt")
        if args.command == "add":
            added = add_document(
                args.file, data_dir=args.data_dir, candidates_dir=args.candidates_dir,
                title=args.title, publisher=args.publisher, published=args.published,
                source_id=args.source_id, cites=args.cites, url=args.url,
            )  # fmt: skip
            print(f"added {added.seed_path.name} as source {added.source_id!r}")
            print(f"{added.candidates} candidates to review in {added.candidates_path}")
            print("next: fill fact_id and subject, correct the suggestions, write 'yes' in accept, then\n"
                  f"  .venv/bin/python -m magnet_watch.curation accept {added.candidates_path}")  # fmt: skip
        else:
            ids = accept_candidates(args.candidates, data_dir=args.data_dir)
            print(f"accepted {len(ids)} facts into data/facts.csv: {', '.join(ids)}")
            print("next: make audit")
    except (CurationError, ParameterError, DataValidationError) as exc:
        print(f"{args.command}: refused: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
