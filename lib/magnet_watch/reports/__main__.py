"""``python -m magnet_watch.reports``: the same as ``python -m magnet_watch.report_build``."""

import sys

from magnet_watch.reports.cli import main

sys.exit(main())
