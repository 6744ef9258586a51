"""``python -m magnet_watch.audit``: the command `make audit` runs.

Runs the curation audit (``magnet_watch.curation.audit``), prints it in words
(``magnet_watch.narrative.audit_report``) and exits 0 when it passes, 1 when it fails,
2 when the data is not valid. ``--source-id`` audits one document.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from magnet_watch import paths
from magnet_watch.curation.audit import run_audit
from magnet_watch.errors import DataValidationError, ParameterError
from magnet_watch.narrative.audit_report import format_report


def main(argv: list[str] | None = None) -> int:
    """Run the audit and print it; return 0 when it passes, 1 when it fails, 2 on bad data."""
    parser = argparse.ArgumentParser(prog="python -m magnet_watch.audit",
                                     description="Audit the curation: coverage, conflicts, checks.")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR,
                        help="folder with datapackage.json and the tables (seeds/ beside it)")  # fmt: skip
    parser.add_argument("--source-id", default=None, help="audit this document only")
    args = parser.parse_args(argv)
    try:
        audit = run_audit(args.data_dir, source_id=args.source_id)
    except DataValidationError as exc:
        print(f"audit: the data is not valid, nothing audited.\n{exc}", file=sys.stderr)
        return 2
    except ParameterError as exc:
        print(f"audit: refused, nothing audited: {exc}", file=sys.stderr)
        return 2
    print(format_report(audit))
    return 0 if audit.ok else 1


if __name__ == "__main__":
    sys.exit(main())
