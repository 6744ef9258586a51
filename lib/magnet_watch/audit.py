"""``python -m magnet_watch.audit``: the command `make audit` runs (see magnet_watch.curation.audit)."""

import sys

from magnet_watch.curation.audit import main

if __name__ == "__main__":
    sys.exit(main())
