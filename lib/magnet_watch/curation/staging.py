"""Check a change to the corpus before making it: validate the data package as it would be.

``check_staged`` copies data/ to a temporary folder, puts the changed tables and any new
seed beside the existing seeds (linked, not copied), and loads that package. Only when it
loads does the caller write the real files, each atomically: an invalid change never
touches data/ or seeds/, and no undo is needed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from magnet_watch.data.load import load_package


def check_staged(
    data_dir: Path, seeds_dir: Path, tables: dict[str, bytes], new_seeds: dict[str, bytes]
) -> None:
    """Load the package ``data_dir`` would be with ``tables`` ({file name: bytes}) replaced
    and ``new_seeds`` ({file name: bytes}) added to seeds/. Raises DataValidationError
    listing every problem; changes nothing."""
    with tempfile.TemporaryDirectory(prefix="magnet-watch-stage-") as tmp:
        root = Path(tmp)
        shutil.copytree(data_dir, root / "data")
        (root / "seeds").mkdir()
        for seed in seeds_dir.iterdir():
            if seed.is_file() and seed.name not in new_seeds:
                os.symlink(seed, root / "seeds" / seed.name)
        for name, data in new_seeds.items():
            (root / "seeds" / name).write_bytes(data)
        for name, data in tables.items():
            (root / "data" / name).write_bytes(data)
        load_package(root / "data")
