"""Benchmark the explorers and the sensitivity analysis (`make bench`). Timings only, no assertions.

- redraw: on the built 02, 03, 04, 05 and 07 report pages in headless Chromium (network cut
  off), the time from a control's change to the headline text and chart showing the new case
  (goal under 100 ms), median and worst over every position of each slider and dropdown;
- page sizes: every report page with the data inlined in it (goal under 1 MB; the shared
  Vega bundle, loaded once from assets/, aside);
- build cost: `make reports` (``--force``) against the same build without what issue 11
  added: the notebooks copied without 07_sensitivity and without the explorer and JupyterLab
  panel cells of the others (goal: at most 20% slower); and against the build with all of it
  but the explorers (their grids), to show what the grids cost and what the rest does.
  ``--repeat`` rounds, every kind once per round, medians reported; and, in-process, what each
  explorer's grid and 07's draws take.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import magnet_watch as mw
from magnet_watch import paths
from magnet_watch.analysis import capacity, market, sensitivity
from magnet_watch.analysis.units import implied_inr_per_usd
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.data.later_references import load_references
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.notebook import explorers
from magnet_watch.notebook.assumptions import plausible_assumptions
from magnet_watch.notebook.parameters import (
    DICTIONARY_FILE,
    notebook_parameters,
    validate_parameters,
)

CHROMIUM = "/usr/bin/chromium"
EXPLORERS = (
    ("02_capacity", "explore_capacity"),
    ("03_imports", "explore_imports"),
    ("04_market_share", "explore_market"),
    ("05_claims_check", "explore_claims"),
    ("07_sensitivity", "explore_sensitivity"),
)
# Changes the input, then resolves with the ms until the chart's text differs from before.
REDRAW = """async ([name, param, value]) => {
    const figure = document.querySelector(`figure[data-chart="${name}"]`);
    const svg = () => figure.querySelector('.chart-view svg').textContent;
    const before = svg();
    const input = figure.querySelector(`[name="${param}"]`);
    const started = performance.now();
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input',
                                  {bubbles: true}));
    while (svg() === before) {
        await new Promise(r => requestAnimationFrame(r));
        if (performance.now() - started > 5000) return null;
    }
    return performance.now() - started;
}"""
CONTROLS = """(name) => Array.from(document.querySelectorAll(
    `figure[data-chart="${name}"] input[type=range], figure[data-chart="${name}"] select`))
    .map(i => ({name: i.name, values: i.tagName === 'SELECT'
        ? Array.from(i.options).map(o => o.value)
        : Array.from({length: Math.round((i.max - i.min) / i.step) + 1},
                     (_, k) => String(+(+i.min + k * i.step).toFixed(6)))}))"""


def build(out: Path, notebooks: Path | None = None) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds of the build and every process it waited for) of a
    forced report build into ``out``. CPU time is what the build costs on a machine shared
    with other work, where wall time varies with the load."""
    command = [sys.executable, "-m", "magnet_watch.report_build", "--out", str(out), "--force"]
    if notebooks is not None:
        command += ["--notebooks", str(notebooks)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# What issue 11 added, found by what the cells import (07 is also a notebook of its own).
EXPLORER_CELLS = "notebook import explorers"  # every explorer (02, 03, 04, 05, 07)
PANEL_CELLS = "notebook import controls"


def notebooks_with(folder: Path, notebook_07: bool, markers: tuple[str, ...]) -> Path:
    """Copy the notebooks into ``folder``: 07 only if ``notebook_07``, and every notebook
    without its cells importing one of ``markers`` (each with the heading before it)."""
    folder.mkdir(parents=True)
    for spec in [paths.NOTEBOOKS_DIR / DICTIONARY_FILE, *paths.NOTEBOOKS_DIR.glob("*.params.yaml")]:
        (folder / spec.name).write_bytes(spec.read_bytes())
    for path in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"):
        if path.stem == "07_sensitivity" and not notebook_07:
            continue
        nb = nbformat.read(path, as_version=4)
        added = [i for i, c in enumerate(nb.cells) if any(m in c.source for m in markers)]
        drop = {j for i in added for j in (i - 1, i)}
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
        nbformat.write(nb, folder / path.name)
    return folder


def redraw_times(out: Path) -> dict[str, list[float]]:
    """Return {chart: [ms per control change]} over every position of every control."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        for stem, name in EXPLORERS:
            context = browser.new_context(offline=True)
            page = context.new_page()
            page.goto((out / f"{stem}.html").as_uri())
            page.wait_for_selector(f'figure[data-chart="{name}"].drawn', timeout=60_000)
            for control in page.evaluate(CONTROLS, name):
                for value in control["values"][1:] + control["values"][:1]:
                    ms = page.evaluate(REDRAW, [name, control["name"], value])
                    if ms is not None:  # None: that value shows the same text (e.g. 2032 and 2030)
                        times.setdefault(name, []).append(ms)
            context.close()
        browser.close()
    return times


def _timed(timings: dict, what: str, run) -> None:
    started = time.perf_counter()
    run()
    timings[what] = time.perf_counter() - started


def grid_and_draws_s(facts, sources) -> dict[str, float]:
    """Return the in-process seconds of each piece the explorers and 07 add to a build."""
    run = {
        stem: validate_parameters(stem, notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb"))
        for stem in (
            "02_capacity",
            "03_imports",
            "04_market_share",
            "05_claims_check",
            "07_sensitivity",
        )
    }
    refs = load_references()
    inputs = ImportsInputs.from_data(facts, refs)  # resolved once, as the notebooks do
    usgs = load_usgs_reference()
    rate = implied_inr_per_usd(facts)["inr_per_usd"]
    assumptions, base = plausible_assumptions(inputs)
    gap = capacity.nd_gap(
        base["start_year"],
        base["target_year"],
        base["ramp_shape"],
        base["nd_mass_fraction"],
        end_year=2036,
        inputs=inputs.capacity,
    )
    timings: dict[str, float] = {}
    _timed(
        timings,
        "02 grid",
        lambda: explorers.capacity_explorer(run["02_capacity"], inputs.capacity, sources),
    )
    _timed(
        timings, "03 grid", lambda: explorers.imports_explorer(run["03_imports"], inputs, sources)
    )
    _timed(
        timings,
        "04 grid",
        lambda: explorers.market_explorer(
            run["04_market_share"], market.processing_claims(facts), facts, sources, usgs
        ),
    )
    _timed(
        timings,
        "05 grid",
        lambda: explorers.claims_explorer(run["05_claims_check"], facts, sources, refs, usgs, rate),
    )

    def notebook_07() -> None:
        sensitivity.tornado(assumptions, base, 2032, inputs)
        result = sensitivity.monte_carlo(assumptions, base, 2032, 10_000, 2025, inputs)
        sensitivity.band(result, 90)

    _timed(timings, "07 tornado + 10,000 draws", notebook_07)
    _timed(
        timings,
        "07 grid",
        lambda: explorers.sensitivity_explorer(
            run["07_sensitivity"],
            assumptions,
            base,
            gap,
            inputs,
            ["magnet-scheme-approval"],
            sources,
        ),
    )
    return timings


WITHOUT = "without 07, the explorers and the panels"
NO_GRIDS = "07 and the panels, no explorer (02-05 and 07's)"
FULL = "full"


def build_costs(tmp: Path, repeat: int) -> tuple[dict[str, list], Path]:
    """Return ({kind: [(wall, cpu) of each of its builds]}, the last full build's folder):
    forced builds of every kind once per round, ``repeat`` rounds. Kinds: WITHOUT (none of
    issue 11's additions), NO_GRIDS (all of them but the explorers' grids) and FULL. Each
    kind builds into its own folder every round, as ``make reports`` does into reports/: a
    build starts the notebooks the last one took longest over first."""
    kinds = {
        WITHOUT: notebooks_with(tmp / "nb-without", False, (EXPLORER_CELLS, PANEL_CELLS)),
        NO_GRIDS: notebooks_with(tmp / "nb-no-grids", True, (EXPLORER_CELLS,)),
        FULL: None,
    }
    runs: dict[str, list] = {kind: [] for kind in kinds}
    for _round in range(repeat):
        for j, (kind, notebooks) in enumerate(kinds.items()):
            runs[kind].append(build(tmp / f"reports-{j}", notebooks))
    return runs, tmp / f"reports-{len(kinds) - 1}"


def cost_lines(runs: dict[str, list], index: int, draws_s: float) -> list[str]:
    """Return the comparisons of one measure (``index`` 0: wall, 1: CPU), in seconds: each
    kind's median and runs, then what the additions cost against the builds without them.

    The goal is for "the new grids and draws": the explorers' grids (FULL against NO_GRIDS)
    and 07's draws, ``draws_s`` (its tornado and Monte Carlo, timed in-process: 07 cannot
    run without them). Everything issue 11 added is shown beside it."""
    median = {
        kind: statistics.median(r[index] for r in kind_runs) for kind, kind_runs in runs.items()
    }
    lines = [
        f"  {kind}: {s:.1f} s (runs: {', '.join(f'{r[index]:.1f}' for r in runs[kind])})"
        for kind, s in median.items()
    ]
    grids = median[FULL] - median[NO_GRIDS]
    base = median[FULL] - grids - draws_s
    for what, extra, less in (
        ("the explorers' grids and 07's draws (goal: at most +20%)", grids + draws_s, base),
        ("  of which the grids", grids, base),
        (
            "everything issue 11 added (also 07's own charts, tables and kernel, and the "
            "JupyterLab panels)",
            median[FULL] - median[WITHOUT],
            median[WITHOUT],
        ),
    ):
        lines.append(f"  {what}: {extra:+.1f} s = {extra / less * 100:+.0f}%")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, help="use these built reports (default: build)")
    parser.add_argument("--repeat", type=int, default=1, help="forced builds of each kind (median)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out, runs = args.reports, {}
        if out is None:
            runs, out = build_costs(Path(tmp), args.repeat)
        print("Explorer redraw after a control changes (headless Chromium, offline):")
        for name, ms in redraw_times(out).items():
            print(
                f"  {name}: median {statistics.median(ms):.0f} ms, worst {max(ms):.0f} ms "
                f"over {len(ms)} changes (goal < 100 ms)"
            )
        print("Report pages with their inlined data (goal < 1 MB each; Vega bundle aside):")
        for page in sorted(out.glob("[0-9][0-9]_*.html")):
            print(f"  {page.name}: {page.stat().st_size / 1e6:.2f} MB")
    timings = grid_and_draws_s(mw.load_facts(), mw.load_sources())
    print("Build cost of the grids and draws (in-process, one core):")
    for what, s in timings.items():
        print(f"  {what}: {s:.2f} s")
    if runs:
        print(
            f"make reports --force, medians of {args.repeat} (CPU time: the build and every "
            "process it waited for; wall time varies more with the load of a shared machine):"
        )
        draws_s = timings["07 tornado + 10,000 draws"]
        print(
            "\n".join(
                ["CPU:", *cost_lines(runs, 1, draws_s), "wall:", *cost_lines(runs, 0, draws_s)]
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
