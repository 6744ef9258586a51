"""Benchmark the overview's Replay grid (`make bench`). Timings only, no assertions.

- build cost: `make reports` (``--force``) with the notebooks as they are, against the same
  build with the overview's Replay cell (and its heading) left out; CPU seconds of the build
  and every process it waited for, medians of ``--repeat`` rounds (goal: the grid costs at
  most +20% build CPU);
- in-process: the grid itself (``notebook.replay.replay_cases``: ``headline_figures`` as of
  every record-change date), one core;
- page sizes: every report page of the full build with its data inlined (goal under 1 MB).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from bench_explore import build

from magnet_watch import paths
from magnet_watch.data.record import latest_record
from magnet_watch.notebook.parameters import DICTIONARY_FILE
from magnet_watch.notebook.replay import model_values, replay_cases

REPLAY_CELL = "replay.replay_explorer"
WITHOUT, FULL = "without the Replay cell", "full"


def notebooks_without_replay(folder: Path) -> Path:
    """Copy the notebooks into ``folder``, the overview without its Replay cell and heading."""
    folder.mkdir(parents=True)
    for spec in [paths.NOTEBOOKS_DIR / DICTIONARY_FILE, *paths.NOTEBOOKS_DIR.glob("*.params.yaml")]:
        (folder / spec.name).write_bytes(spec.read_bytes())
    for path in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        found = [i for i, c in enumerate(nb.cells) if REPLAY_CELL in c.source]
        drop = {j for i in found for j in (i - 1, i)}
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
        nbformat.write(nb, folder / path.name)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="forced builds of each kind")
    args = parser.parse_args(argv)
    latest_record()
    started = time.process_time()
    dates, _ = replay_cases(model_values())
    grid_s = time.process_time() - started
    print(f"Replay grid, in-process, one core: {grid_s:.2f} s CPU for {len(dates)} dates")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        kinds = {WITHOUT: notebooks_without_replay(tmp / "nb-without"), FULL: None}
        runs: dict[str, list] = {kind: [] for kind in kinds}
        for _round in range(args.repeat):
            for j, (kind, notebooks) in enumerate(kinds.items()):
                runs[kind].append(build(tmp / f"reports-{j}", notebooks))
        print(f"make reports --force, medians of {args.repeat}:")
        cpu = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
        wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
        for kind in kinds:
            each = ", ".join(f"{r[1]:.1f}" for r in runs[kind])
            print(f"  {kind}: CPU {cpu[kind]:.1f} s (runs: {each}), wall {wall[kind]:.1f} s")
        extra = cpu[FULL] - cpu[WITHOUT]
        print(
            f"  the Replay grid: {extra:+.1f} s CPU = {extra / cpu[WITHOUT] * 100:+.0f}% "
            "(goal: at most +20%)"
        )
        print("Report pages with their inlined data (goal < 1 MB each; Vega bundle aside):")
        for page in sorted((tmp / f"reports-{len(kinds) - 1}").glob("*.html")):
            print(f"  {page.name}: {page.stat().st_size / 1e6:.3f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
