"""``python -m magnet_watch.curation``: add a document, (re)write candidates, accept them."""

import sys

from magnet_watch.curation.cli import main

sys.exit(main())
