"""``python -m magnet_watch.curation``: add a document, (re)write its candidates, accept them.

``add FILE``, ``candidates SOURCE_ID`` and ``accept CANDIDATES.csv``; see ``curation.add``
and ``curation.accept``. Exit code 0 when done, 2 when refused (the message says why),
also when another curation run holds the lock (``curation.lock``) or the disk is full
(the previous state is then whole, and the message names the file and the disk).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from magnet_watch.curation.accept import accept_candidates
from magnet_watch.curation.add import (
    MAX_DOCUMENT_BYTES,
    USAGE,
    CurationError,
    add_document,
    write_candidates,
)
from magnet_watch.errors import DataValidationError, DiskFull, ParameterError
from magnet_watch.locks import LockBusy

NEXT_STEP = (
    "next: fill fact_id and subject, correct the suggestions, write 'yes' in accept, then\n"
    "  .venv/bin/python -m magnet_watch.curation accept {path}"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m magnet_watch.curation",
        description="Add a document; accept reviewed candidates.",
    )
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
    add.add_argument(
        "--max-bytes",
        type=int,
        default=MAX_DOCUMENT_BYTES,
        help=f"largest document accepted, in bytes (default {MAX_DOCUMENT_BYTES:,})",
    )
    again = sub.add_parser(
        "candidates", help="(re)write the candidates file of a source in the corpus"
    )
    again.add_argument("source_id")
    again.add_argument(
        "--candidates-dir", type=Path, default=None, help="default: build/candidates/"
    )
    accept = sub.add_parser("accept", help="append accepted candidates to data/facts.csv")
    accept.add_argument("candidates", type=Path)
    return parser


def _run(args: argparse.Namespace) -> None:
    if args.command == "add":
        if not args.file.strip():
            raise CurationError(f"no file given. {USAGE}")
        added = add_document(
            args.file,
            data_dir=args.data_dir,
            candidates_dir=args.candidates_dir,
            title=args.title,
            publisher=args.publisher,
            published=args.published,
            source_id=args.source_id,
            cites=args.cites,
            url=args.url,
            max_bytes=args.max_bytes,
        )
        print(f"added {added.seed_path.name} as source {added.source_id!r}")
        print(f"{added.candidates} candidates to review in {added.candidates_path}")
        print(NEXT_STEP.format(path=added.candidates_path))
    elif args.command == "candidates":
        if not args.source_id.strip():
            raise CurationError("no source given. Usage: make candidates SOURCE=source-id")
        path, count, backup = write_candidates(
            args.source_id, data_dir=args.data_dir, candidates_dir=args.candidates_dir
        )
        if backup is not None:
            print(f"the candidates file already there, with any marks in it, is kept as {backup}")
        print(f"{count} candidates of source {args.source_id!r} to review in {path}")
        print(NEXT_STEP.format(path=path))
    else:
        ids = accept_candidates(args.candidates, data_dir=args.data_dir)
        print(f"accepted {len(ids)} facts into data/facts.csv: {', '.join(ids)}")
        print("next: make audit")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``add FILE``, ``candidates SOURCE_ID`` or ``accept CANDIDATES.csv``."""
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except (CurationError, ParameterError, DataValidationError, LockBusy, DiskFull) as exc:
        print(f"{args.command}: refused: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
