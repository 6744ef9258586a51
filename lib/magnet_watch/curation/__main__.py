"""``python -m magnet_watch.curation``: add a document or accept reviewed candidates."""

import sys

from magnet_watch.curation.add import main

sys.exit(main())
