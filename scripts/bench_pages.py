"""Benchmark the report pages as a reader on a phone meets them (`make bench`). Timings only.

Lighthouse's mobile profile, in headless Chromium with the network cut off: the CPU slowed 4
times (the DevTools protocol's ``Emulation.setCPUThrottlingRate``, rate 4) and a viewport 390 px
wide and 844 px high. Every page of a built reports folder is opened ``--runs`` times, each in
a fresh browser context (nothing cached), and timed from the start of navigation:

- **live**: until every chart in the first viewport (a ``figure.chart`` whose box meets the
  first 844 px of the page) has drawn its live chart (the page script marks the figure
  ``drawn``; the time is taken by a MutationObserver installed before the page loads); a page
  without a chart in its first viewport counts its first contentful paint. Goal: 1 s.
- **load**: until the load event has finished (every resource the page loads eagerly: its
  style, scripts and pictures). For the index, which draws no live chart, this is its time
  until ready. Goal: 0.5 s.
- **first paint**: the first contentful paint.

Medians over the runs, per page. ``--compare LABEL=FOLDER`` measures a second build (for
instance one built from an older commit) in the same session, its runs interleaved with the
first's, and prints the ratios ``FOLDER / reports``: before and after, on the same machine
under the same load. It prints a Markdown table, for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
from pathlib import Path

from magnet_watch import paths

CHROMIUM = "/usr/bin/chromium"
# Lighthouse's mobile profile: the CPU slowed 4 times; a phone's viewport.
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 390, "height": 844}
# Gives up on a page whose first-viewport charts have not drawn by then (at 4x slowdown).
TIMEOUT_MS = 60_000
# Installed before any page script: records when each chart is marked drawn (or failed).
RECORD_DRAWN = """(() => {
    window.__drawnAt = {};
    new MutationObserver(changes => {
        for (const change of changes) {
            const f = change.target;
            if (f.matches && f.matches('figure.chart')
                    && (f.classList.contains('drawn') || f.classList.contains('failed'))
                    && !(f.id in window.__drawnAt)) {
                window.__drawnAt[f.id] = performance.now();
            }
        }
    }).observe(document, {attributes: true, attributeFilter: ['class'], subtree: true});
    window.__busyUntil = 0;
    new PerformanceObserver(list => list.getEntries().forEach(t => {
        window.__busyUntil = Math.max(window.__busyUntil, t.startTime + t.duration);
    })).observe({type: 'longtask', buffered: true});
})();"""
# The charts whose box meets the first viewport (the page is still at its top).
FIRST_VIEWPORT = """() => Array.from(document.querySelectorAll('figure.chart'))
    .filter(f => { const r = f.getBoundingClientRect();
                   return r.top < window.innerHeight && r.bottom > 0; })
    .map(f => f.id)"""
SETTLED = """(ids) => ids.every(id => id in window.__drawnAt)
    && performance.getEntriesByType('navigation')[0].loadEventEnd > 0"""
# Quiet: no long task (over 50 ms) on the main thread for QUIET_MS since the last one ended.
QUIET_MS = 1000
QUIET = """(quiet) => performance.now() - Math.max(window.__busyUntil,
    performance.getEntriesByType('navigation')[0].loadEventEnd) > quiet"""
# The reader scrolls the page's first chart to the top of the screen: resolves with the ms
# until it is live (0 when it already was).
SCROLL_TO_FIRST = """async () => {
    const figure = document.querySelector('figure.chart');
    if (!figure) return null;
    const started = performance.now();
    figure.scrollIntoView({block: 'start'});
    while (!(figure.id in window.__drawnAt)) {
        await new Promise(r => setTimeout(r, 10));
        if (performance.now() - started > 60000) return null;
    }
    return Math.max(0, window.__drawnAt[figure.id] - started);
}"""
TIMES = """(ids) => ({
    load: performance.getEntriesByType('navigation')[0].loadEventEnd,
    paint: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,
    charts: ids.map(id => window.__drawnAt[id]),
    quiet: Math.max(window.__busyUntil, performance.getEntriesByType('navigation')[0].loadEventEnd),
    failed: ids.filter(id => document.getElementById(id).classList.contains('failed')),
})"""


def pages_of(folder: Path, only: str | None = None) -> list[Path]:
    """Return the index and every report page of a built reports folder (``only``: the pages
    whose file name contains it)."""
    found = [folder / "index.html", *sorted(folder.glob("[0-9][0-9]_*.html"))]
    return [f for f in found if only is None or only in f.name]


def measure(browser, file: Path) -> dict[str, float]:
    """Open ``file`` once at 4x CPU slowdown and 390 px; return its times in ms."""
    context = browser.new_context(viewport=VIEWPORT, offline=True)
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.add_init_script(RECORD_DRAWN)
        page.goto(file.resolve().as_uri(), wait_until="load")
        ids = page.evaluate(FIRST_VIEWPORT)
        page.wait_for_function(SETTLED, arg=ids, timeout=TIMEOUT_MS, polling=50)
        page.wait_for_function(QUIET, arg=QUIET_MS, timeout=TIMEOUT_MS, polling=100)
        times = page.evaluate(TIMES, ids)
        scrolled = page.evaluate(SCROLL_TO_FIRST)
        if times["failed"] or refused:
            raise SystemExit(f"{file}: charts {times['failed']} failed; asked {refused}")
        paint = times["paint"] or times["load"]
        return {
            "live": max(times["charts"], default=paint),
            "load": times["load"],
            "paint": paint,
            "quiet": times["quiet"],
            "scrolled": scrolled,
            "charts": len(ids),
        }
    finally:
        context.close()


def bench(
    folders: dict[str, Path], runs: int, only: str | None = None
) -> dict[str, dict[str, list[dict]]]:
    """Return {label: {page: [times of each run]}}, the folders' runs interleaved."""
    from playwright.sync_api import sync_playwright

    found: dict[str, dict[str, list[dict]]] = {label: {} for label in folders}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            for _ in range(runs):
                for label, folder in folders.items():
                    for file in pages_of(folder, only):
                        found[label].setdefault(file.name, []).append(measure(browser, file))
        finally:
            browser.close()
    return found


# The columns of the table: (key, heading), seconds.
COLUMNS = (
    ("live", "visible charts live"),
    ("quiet", "main thread quiet"),
    ("load", "load"),
    ("scrolled", "first chart live after scrolling to it"),
)


def medians(runs: list[dict]) -> dict[str, float | None]:
    """Return each time's median over the runs (None: not measured, as a page without charts)."""
    found = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r[key] is not None]
        found[key] = statistics.median(values) if values else None
    return found


def seconds(ms: float | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.2f}"


def ratio(new: float | None, old: float | None) -> str:
    return "—" if new is None or not old else f"{new / old:.2f}"


def table(found: dict[str, dict[str, list[dict]]], runs: int) -> str:
    """Return the results as Markdown: one table per folder, rows by page, medians in seconds;
    then, when there are two folders, the ratios of the second's medians to the first's."""
    labels = list(found)
    out = []
    for label in labels:
        head = ["page", "charts in the first viewport", *(h for _, h in COLUMNS)]
        lines = [f"**{label}**", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for page, page_runs in found[label].items():
            m = medians(page_runs)
            cells = [page, str(int(m["charts"])), *(seconds(m[k]) for k, _ in COLUMNS)]
            lines.append("| " + " | ".join(cells) + " |")
        out.append("\n".join(lines))
    for label in labels[1:]:
        first = labels[0]
        head = ["page", *(f"{h}: {label} / {first}" for k, h in COLUMNS if k != "scrolled")]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for page in found[first]:
            old = medians(found[first][page])
            new = medians(found[label].get(page, found[first][page]))
            cells = [page, *(ratio(new[k], old[k]) for k, _ in COLUMNS if k != "scrolled")]
            lines.append("| " + " | ".join(cells) + " |")
        out.append(f"**{label} / {first}** (ratios of the medians)\n\n" + "\n".join(lines))
    out.append(
        f"Seconds from the start of navigation, medians of {runs} runs, at {CPU_SLOWDOWN}x CPU "
        f"slowdown and {VIEWPORT['width']}x{VIEWPORT['height']} px, network off "
        f"({datetime.date.today().isoformat()}); the last column from the scroll."
    )
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=paths.PROJECT_ROOT / "reports")
    parser.add_argument("--label", default="reports", help="the name of --reports in the table")
    parser.add_argument("--compare", action="append", default=[], metavar="LABEL=FOLDER")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="only the pages whose file name contains this")
    args = parser.parse_args(argv)
    folders = {args.label: args.reports.resolve()}
    for item in args.compare:
        label, _, folder = item.partition("=")
        folders[label] = Path(folder).resolve()
    for folder in folders.values():
        if not (folder / "index.html").exists():
            print(
                f"bench_pages: no built reports in {folder} (run `make reports`)", file=sys.stderr
            )
            return 2
    print(table(bench(folders, args.runs, args.only), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
