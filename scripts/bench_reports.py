"""Benchmark the report build against its floor and the naive peer (`make bench`).

In the same run, over several rounds (median reported):

- build: ``python -m magnet_watch.report_build --force`` into a scratch folder,
  whole command and per notebook (with where each notebook's time went); its kernels
  are forked from one that did the imports;
- fresh-kernel build: the same with ``--fresh-kernels`` (each kernel started and its
  imports done from scratch, as before the fork server), to show what forking saves;
- floor: per notebook, start a kernel and import pandas and Altair in it, summed
  and divided over the cores (what any one-kernel-per-notebook build must pay);
- peer: the naive way, one notebook after another: ``papermill`` then
  ``jupyter nbconvert --to html``, each a fresh command;
- no-change re-run: the build command again with nothing changed.

Prints both ratios, build/floor and peer/build. Timings only: no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from magnet_watch import paths
from magnet_watch.reports import build as report_build

BIN = Path(sys.executable).parent


def timed(command: list[str], **kwargs) -> float:
    """Return the wall time (s) of a command; raise with its output if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return time.perf_counter() - started


def kernel_floor(notebook: Path) -> float:
    """Return the time (s) to start the project's kernel and import pandas and Altair in it."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    manager, client = start_new_kernel(
        kernel_name=report_build.KERNEL_NAME, cwd=str(notebook.parent), stderr=subprocess.DEVNULL
    )
    try:
        reply = client.execute_interactive("import pandas, altair", timeout=120)
        assert reply["content"]["status"] == "ok", reply
        return time.perf_counter() - started
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def build_once(out: Path, *options: str) -> tuple[float, dict[str, float], dict[str, dict]]:
    """Return the build's wall time, each notebook's time and phases (from the manifest)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [str(BIN / "python"), "-m", "magnet_watch.report_build", "--force", "--out"]
    seconds = timed([*command, str(out), *options])
    manifest = json.loads((out / report_build.MANIFEST_NAME).read_text())
    per_notebook = {stem: e["seconds"] for stem, e in manifest["notebooks"].items()}
    phases = {stem: e["phases"] for stem, e in manifest["notebooks"].items()}
    return seconds, per_notebook, phases


def no_change_rerun(out: Path) -> float:
    """Return the time (s) of the build command when nothing changed since the last build.

    Other work on the machine may edit the inputs meanwhile; then that run rebuilds,
    which is right, and the no-change time is taken from the next one.
    """
    command = [str(BIN / "python"), "-m", "magnet_watch.report_build", "--out", str(out)]
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"the re-run failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        if "up to date" in done.stdout:
            return seconds
        print("  (inputs changed during the run: the re-run rebuilt; timing it again)", flush=True)
    raise RuntimeError("the inputs kept changing: no no-change re-run could be timed")


def peer_once(notebooks: list[Path], scratch: Path) -> tuple[float, dict[str, float]]:
    """Return the naive sequential papermill + nbconvert time, total and per notebook."""
    scratch.mkdir(parents=True, exist_ok=True)
    per_notebook = {}
    for nb in notebooks:
        executed = scratch / nb.name
        per_notebook[nb.stem] = timed(
            [
                str(BIN / "papermill"),
                str(nb),
                str(executed),
                "-k",
                report_build.KERNEL_NAME,
                "--cwd",
                str(nb.parent),
                "--no-progress-bar",
            ]
        ) + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)])
    return sum(per_notebook.values()), per_notebook


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds; the median is reported")
    args = parser.parse_args()
    notebooks = report_build.discover_notebooks(paths.NOTEBOOKS_DIR)
    cores = os.cpu_count() or 1
    print(f"{len(notebooks)} notebooks, {cores} cores, {args.runs} runs (medians)", flush=True)
    builds, floors, peers, reruns, fresh_builds = [], [], [], [], []
    nb_build, nb_floor, nb_peer, nb_phases = {}, {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        tmp = Path(tmp)
        for run in range(1, args.runs + 1):
            floor_times = {nb.stem: kernel_floor(nb) for nb in notebooks}
            floors.append(sum(floor_times.values()) / cores)
            build_s, build_nb, phases = build_once(tmp / "reports")
            builds.append(build_s)
            reruns.append(no_change_rerun(tmp / "reports"))
            fresh_builds.append(build_once(tmp / "fresh", "--fresh-kernels")[0])
            peer_s, peer_nb = peer_once(notebooks, tmp / f"peer-{run}")
            peers.append(peer_s)
            for stem in floor_times:
                nb_floor.setdefault(stem, []).append(floor_times[stem])
                nb_build.setdefault(stem, []).append(build_nb[stem])
                nb_peer.setdefault(stem, []).append(peer_nb[stem])
                for phase, value in phases[stem].items():
                    nb_phases.setdefault(stem, {}).setdefault(phase, []).append(value)
            print(
                f"run {run}: build {build_s:.1f} s, floor {floors[-1]:.1f} s, "
                f"fresh-kernel build {fresh_builds[-1]:.1f} s, peer {peer_s:.1f} s, "
                f"no-change re-run {reruns[-1]:.2f} s",
                flush=True,
            )
    med = statistics.median
    print("\nper notebook (median s): floor = kernel start + import pandas, altair")
    print(f"  {'notebook':<22}{'floor':>8}{'build':>8}{'peer':>8}   build time went to")
    for stem in nb_build:
        went = ", ".join(f"{k} {med(v):.1f}" for k, v in nb_phases[stem].items())
        print(
            f"  {stem:<22}{med(nb_floor[stem]):>8.1f}{med(nb_build[stem]):>8.1f}"
            f"{med(nb_peer[stem]):>8.1f}   {went}"
        )
    build_m, floor_m, peer_m = med(builds), med(floors), med(peers)
    print("\nwhole build (median s)")
    print(f"  build (make reports, --force)     {build_m:8.1f}")
    print(f"  floor (kernels + imports / {cores})     {floor_m:8.1f}")
    print(f"  build on fresh kernels (--fresh-kernels) {med(fresh_builds):8.1f}")
    print(f"  peer (papermill + nbconvert, seq) {peer_m:8.1f}")
    print(f"  no-change re-run                  {med(reruns):8.2f}")
    print(
        f"  build / floor = {build_m / floor_m:.2f} (goal 1.5)   "
        f"fresh kernels / build = {med(fresh_builds) / build_m:.2f}   "
        f"peer / build = {peer_m / build_m:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
