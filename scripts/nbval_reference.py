"""Prepare the notebooks for nbval: committed notebooks carry no outputs, so the headline
figures nbval checks are kept as expected outputs in tests/expected_headlines/<stem>.json.

    python scripts/nbval_reference.py --out build/nbval   # copies with the expected outputs
    python scripts/nbval_reference.py --update [STEM ...] # re-record them (after a deliberate change)

`make test` writes the copies and runs `pytest --nbval-lax` on them: every cell runs, and
the cell tagged `headlines` (marked `# NBVAL_CHECK_OUTPUT`) must print exactly the
recorded figures, so a changed figure fails the test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ROOT / "tests" / "expected_headlines"
KERNEL = "magnet-watch"


def notebook_paths() -> list[Path]:
    """The project's notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def headline_cell(nb) -> nbformat.NotebookNode:
    """Return the one code cell tagged `headlines`; raise ValueError if there is not exactly one."""
    cells = [
        c for c in nb.cells if c.cell_type == "code" and "headlines" in c.metadata.get("tags", [])
    ]
    if len(cells) != 1:
        raise ValueError(f"expected one cell tagged 'headlines', found {len(cells)}")
    return cells[0]


def expected_path(stem: str) -> Path:
    return EXPECTED / f"{stem}.json"


def write_checked_copies(out_dir: Path) -> list[Path]:
    """Write each notebook to ``out_dir`` with its recorded headline outputs; return the paths.

    Raises SystemExit naming the notebook when its expected outputs are missing.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.ipynb"):
        old.unlink()
    written = []
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        expected = expected_path(path.stem)
        if not expected.exists():
            raise SystemExit(
                f"{path.name}: no recorded headline figures in {os.path.relpath(expected, ROOT)}. "
                f"Check the figures, then run: python scripts/nbval_reference.py --update {path.stem}"
            )
        cell = headline_cell(nb)
        cell.outputs = [
            nbformat.from_dict(o) for o in json.loads(expected.read_text(encoding="utf-8"))
        ]
        # nbval compares a stored output only when its cell has an execution count.
        cell.execution_count = 1
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = 1
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
    return written


def record(stem: str) -> Path:
    """Run one notebook with papermill and record its headline cell's outputs; return the file."""
    source = NOTEBOOKS / f"{stem}.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / source.name
        pm.execute_notebook(
            str(source), str(executed), kernel_name=KERNEL, cwd=str(NOTEBOOKS), progress_bar=False
        )
        cell = headline_cell(nbformat.read(executed, as_version=4))
    outputs = [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.outputs]
    for output in outputs:
        output.pop("metadata", None)
        output["metadata"] = {}
    EXPECTED.mkdir(parents=True, exist_ok=True)
    target = expected_path(stem)
    target.write_text(
        json.dumps(outputs, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write nbval copies of the notebooks here")
    parser.add_argument(
        "--update", nargs="*", metavar="STEM", help="re-record headline outputs (all if none named)"
    )
    args = parser.parse_args(argv)
    if args.update is not None:
        stems = args.update or [p.stem for p in notebook_paths()]
        for stem in stems:
            print(f"recorded {record(stem).relative_to(ROOT)}")
    if args.out:
        written = write_checked_copies(args.out)
        print(f"nbval copies of {len(written)} notebooks in {args.out}")
    if args.update is None and not args.out:
        parser.print_help()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
