"""``python -m magnet_watch.audit``: the command `make audit` runs.

Runs the curation audit (``magnet_watch.curation.audit``), writes every table in full as
CSV (``build/audit/audit_table_<table>.csv``, beside data/), prints it in words, bounded
whatever the corpus (``magnet_watch.narrative.audit_printout``: at most ``TERMINAL_ROWS``
rows of each table, then a summary; ``--all`` prints every row), and exits 0 when it
passes, 1 when it fails, 2 when the data is not valid or the command is refused.
``--source-id`` audits one document.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from magnet_watch import paths
from magnet_watch.curation.audit import run_audit, write_audit_tables
from magnet_watch.errors import DataValidationError, ParameterError
from magnet_watch.narrative.audit_printout import (
    EXIT_FAILED,
    EXIT_PASSED,
    EXIT_REFUSED,
    TERMINAL_ROWS,
    format_report,
)

# The full tables' file names: the same as the audit notebook's (notebooks/06_curation_audit).
TABLE_PREFIX = "audit_table_"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m magnet_watch.audit",
        description="Audit the curation: coverage, conflicts, checks.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=paths.DATA_DIR,
        help="folder with datapackage.json and the tables (seeds/ beside it)",
    )
    parser.add_argument("--source-id", default=None, help="audit this document only")
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"print every row of every table in full (default: at most "
        f"{TERMINAL_ROWS} rows of each, then a summary)",
    )
    parser.add_argument(
        "--tables-dir",
        type=Path,
        default=None,
        help="where every table is written in full as CSV "
        "(default: build/audit/ beside the data folder)",
    )
    return parser


def _shown(path: Path) -> Path:
    """Return ``path`` relative to the working folder when it is inside it (shorter to read)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    """Run the audit, write its tables and print it; return 0 when it passes, 1 when it
    fails, 2 on bad data, an unknown source or a tables folder that cannot be written."""
    args = _parser().parse_args(argv)
    try:
        audit = run_audit(args.data_dir, source_id=args.source_id)
    except DataValidationError as exc:
        print(f"audit: the data is not valid, nothing audited.\n{exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ParameterError as exc:
        print(f"audit: refused, nothing audited: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    tables_dir = args.tables_dir or Path(args.data_dir).resolve().parent / "build" / "audit"
    try:
        tables = write_audit_tables(audit, tables_dir, prefix=TABLE_PREFIX)
    except OSError as exc:
        print(
            f"audit: cannot write the full tables to {tables_dir} ({exc}); nothing printed. "
            "Give --tables-dir a folder you can write.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    tables = {name: _shown(path) for name, path in tables.items()}
    print(format_report(audit, rows=None if args.all else TERMINAL_ROWS, tables=tables))
    return EXIT_PASSED if audit.ok else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
