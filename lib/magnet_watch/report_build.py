"""``python -m magnet_watch.report_build``: the command `make reports` runs (see magnet_watch.reports)."""

import sys

from magnet_watch.reports.cli import main

if __name__ == "__main__":
    sys.exit(main())
