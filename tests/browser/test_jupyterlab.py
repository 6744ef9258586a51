"""The way users work: JupyterLab, a notebook, Run All, charts drawn, no network.

Starts JupyterLab on a free loopback port with a token (``--allow-root`` when
run as root), opens a notebook that shows its chart through
``magnet_watch.notebook.display.show_chart`` in headless Chromium with every request
outside the server refused, runs all cells and asserts the chart drew.

One server and one Chromium serve the module, and each notebook runs once: the small
generated notebook for the first two tests, 02_capacity for the other two (the last moves
its control panel, on the page the run left open).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.browser import ARTEFACTS_DIR, CHROMIUM, keep_screenshot
from helpers.projects import make_notebook

from magnet_watch import paths
from magnet_watch.notebook.parameters import choice_label, parameter_dictionary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

SCREENSHOTS = ARTEFACTS_DIR / "jupyterlab"
CHART_SELECTOR = ".jp-OutputArea-output .vega-embed canvas, .jp-OutputArea-output .vega-embed svg"
# How many charts have drawn: Vega draws on a canvas in JupyterLab, and a drawn chart has more
# than 500 pixels that are not background; a chart drawn as SVG has marks.
DRAWN_CHARTS = """(selector) => Array.from(document.querySelectorAll(selector)).filter(chart => {
    if (chart.tagName.toLowerCase() !== 'canvas') {
        return chart.querySelectorAll('g[class*=mark-] > *').length > 0;
    }
    const data = chart.getContext('2d').getImageData(0, 0, chart.width, chart.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked++;
    }
    return inked > 500;
}).length"""
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
# JupyterLab's own warning when a plugin starts slowly (its application's activatePlugin): the
# machine's load, not the notebook or its charts; every other warning and error is counted.
SLOW_START = re.compile(r"Plugin \S+ is taking too long to activate\.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """Yield (base URL, token, notebook folder) of the JupyterLab server the module's tests share."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make browser` (make test runs it)"
        )
    tmp_path = tmp_path_factory.mktemp("jupyterlab")
    port, token = free_port(), secrets.token_hex(16)
    folder = tmp_path / "work"
    folder.mkdir()
    # Every cell stays in the page (JupyterLab 4 otherwise drops cells scrolled out of view),
    # so a check can read the outputs of a long notebook; and a notebook starts its own kernel
    # without asking (asked, a click on Select could go before the kernels were listed, and
    # start none).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none", "autoStartDefaultKernel": true}'
    )
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses to start as root without it
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"JupyterLab did not start:\n{(tmp_path / 'jupyterlab.log').read_text()}"
                    )
                time.sleep(0.3)
        yield base, token, folder
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@dataclass
class LabRun:
    """A notebook run in JupyterLab: its page (still open), what the run showed once its charts
    had drawn, the console's warnings and errors, and the requests refused (both still filled
    while the page is used)."""

    page: object
    charts_drawn: int
    text: str
    console: list[str]
    refused: list[str]


def drawn_charts(page) -> int:
    """Return how many charts on the page have drawn marks."""
    return page.evaluate(DRAWN_CHARTS, CHART_SELECTOR)


def wait_for_charts(page, count: int, timeout_ms: float = 60_000) -> None:
    """Wait until ``count`` charts have drawn (a check after counts them exactly)."""
    page.wait_for_function(
        f"(selector) => ({DRAWN_CHARTS})(selector) >= {count}",
        arg=CHART_SELECTOR,
        timeout=timeout_ms,
    )


def screenshot(page, name: str, always: bool = False) -> None:
    """Keep a screenshot of JupyterLab (``keep_screenshot``): a failure's always."""
    keep_screenshot(page, SCREENSHOTS / f"{name}.png", always=always)


def kernel_idle(jupyterlab, notebook: str) -> bool:
    """True once the server runs a kernel for ``notebook`` and that kernel is idle."""
    base, token, _ = jupyterlab
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as reply:
        sessions = json.load(reply)
    return any(
        s["path"] == notebook and (s.get("kernel") or {}).get("execution_state") == "idle"
        for s in sessions
    )


def start_the_notebooks_kernel(page, jupyterlab, notebook: str) -> None:
    """Return once the notebook's kernel runs and is idle. A fresh JupyterLab may ask which
    kernel to start: then accept the notebook's own. (Its idle indicator is no sign: it shows
    idle while the question is asked.)"""
    select = page.locator(".jp-Dialog button:has-text('Select')")
    deadline = time.monotonic() + 90
    while not kernel_idle(jupyterlab, notebook):
        assert time.monotonic() < deadline, "the notebook's kernel did not start"
        if select.is_visible():
            select.click()
        page.wait_for_timeout(100)


@contextmanager
def run_all_in_lab(browser, jupyterlab, notebook: str, charts: int) -> Iterator[LabRun]:
    """Open ``notebook`` in JupyterLab in a new page of ``browser`` with every request outside
    the server refused, run all cells, wait until they have run and ``charts`` charts have
    drawn; yield the run, and close the page after.

    Keeps a screenshot in build/test-artefacts/jupyterlab/ (also on failure of the run).
    """
    base, token, _ = jupyterlab
    stem = Path(notebook).stem
    refused, console = [], []

    def only_the_server(route):
        if route.request.url.startswith(base) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        context.route("**/*", only_the_server)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                console.append(f"{m.type}: {m.text}")
                if m.type in ("warning", "error") and not SLOW_START.fullmatch(m.text)
                else None
            ),
        )
        # A workspace of its own: the server's default one would open the notebooks earlier
        # tests opened.
        page.goto(f"{base}/lab/workspaces/{stem}/tree/{notebook}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        try:
            start_the_notebooks_kernel(page, jupyterlab, notebook)
            page.wait_for_selector(IDLE, timeout=90_000)
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            page.wait_for_selector(CHART_SELECTOR, timeout=60_000)
            page.wait_for_selector(IDLE, timeout=90_000)
            wait_for_charts(page, charts)
        except Exception:
            screenshot(page, f"{stem}-at-failure", always=True)
            raise
        screenshot(page, stem)
        yield LabRun(page, drawn_charts(page), page.inner_text(".jp-Notebook"), console, refused)
    finally:
        context.close()


def charts_shown(notebook: Path) -> int:
    """Return how many charts ``notebook`` shows: its own ``show_chart`` calls and those of the
    section functions (``notebook.sections``) it calls."""
    import inspect

    from magnet_watch.notebook import sections

    source = notebook.read_text(encoding="utf-8")
    called = [
        f
        for name, f in inspect.getmembers(sections, inspect.isfunction)
        if f.__module__ == sections.__name__ and f"sections.{name}(" in source
    ]
    return source.count("show_chart(") + sum(
        inspect.getsource(f).count("show_chart(") for f in called
    )


@pytest.fixture(scope="module")
def small_notebook_run(browser, jupyterlab) -> Iterator[LabRun]:
    """The small generated notebook (one chart, its headlines, quotes through markdown_text)
    run once in JupyterLab."""
    make_notebook(jupyterlab[2], "01_lab", raw_quote=False)  # quotes go through markdown_text
    with run_all_in_lab(browser, jupyterlab, "01_lab.ipynb", charts=1) as run:
        yield run


@pytest.fixture(scope="module")
def capacity_run(browser, jupyterlab) -> Iterator[tuple[LabRun, int]]:
    """02_capacity run once in JupyterLab, and how many charts it shows."""
    import shutil

    notebook = paths.NOTEBOOKS_DIR / "02_capacity.ipynb"
    shutil.copy(notebook, jupyterlab[2] / notebook.name)
    expected = charts_shown(notebook)
    with run_all_in_lab(browser, jupyterlab, notebook.name, charts=expected) as run:
        yield run, expected


def test_notebook_runs_in_jupyterlab_and_its_chart_draws_offline(small_notebook_run):
    run = small_notebook_run
    assert run.charts_drawn == 1, "the chart is blank"
    assert "demand growth" in run.text  # the headlines cell ran too
    assert run.page.evaluate("() => window.hacked") is None  # quotes did not run as code
    assert run.refused == [], f"JupyterLab asked the network for {run.refused}"


def test_charts_in_jupyterlab_draw_without_console_warnings(small_notebook_run):
    run = small_notebook_run
    assert run.charts_drawn == 1, "the chart is blank"
    assert run.console == [], "\n".join(run.console)


def test_a_project_notebook_draws_every_chart_in_jupyterlab(capacity_run):
    run, expected = capacity_run
    assert expected >= 3
    assert run.charts_drawn == expected, "a chart did not draw"
    assert "Neodymium gap: need minus IREL output" in run.text  # the headline table ran
    assert "Error" not in run.text and "Traceback" not in run.text
    assert run.refused == [], f"JupyterLab asked the network for {run.refused}"


def test_the_control_panel_recomputes_the_headlines_and_the_chart(capacity_run):
    """02's panel: a dropdown and a slider, generated from the spec; moving them recomputes
    the headline figures and redraws the chart through the library."""
    import magnet_watch as mw
    from magnet_watch.analysis import capacity
    from magnet_watch.data.inputs import CapacityInputs
    from magnet_watch.data.later_references import load_references
    from magnet_watch.narrative import capacity as capacity_words

    run, before = capacity_run
    facts = mw.load_facts()
    inputs = CapacityInputs.from_data(facts, load_references())
    gap = capacity.nd_gap(2025, 2032, "s_curve", 0.3, inputs=inputs)
    first = capacity_words.capacity_headlines(gap, 0.3, inputs).set_index("figure")
    first_year = first.loc["First year the need exceeds IREL's output", "value"]
    need = first.loc["Neodymium the magnet target needs", "value"]

    page = run.page
    try:
        panel = (
            page.locator(".jp-OutputArea-output .widget-vbox")
            .filter(has=page.locator(".widget-dropdown"))
            .first
        )
        assert "Share of an NdFeB magnet's mass that is neodymium" in panel.inner_text()
        # The dropdown shows each choice in words (the dictionary's choice_labels).
        s_curve = choice_label(parameter_dictionary()["ramp_shape"], "s_curve")
        assert s_curve != "s_curve"
        panel.locator(".widget-dropdown select").select_option(label=s_curve)
        output = panel.locator(".widget-output")
        output.locator("text=First year the need exceeds").wait_for(timeout=30_000)
        row = panel.locator(".widget-vbox:has(> .widget-html:has-text('nd_mass_fraction:'))")
        readout = row.locator(".widget-readout")
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("0.3")
        page.keyboard.press("Enter")
        output.locator(f"text={need}").wait_for(timeout=30_000)
        wait_for_charts(page, before + 1, timeout_ms=30_000)  # the panel's chart has drawn
        table = output.inner_text()
        assert first_year in table and need == "1,800 t/yr (at 30% Nd)"
        assert drawn_charts(page) == before + 1, "the panel's chart did not draw"
    except Exception:
        screenshot(page, "02_capacity-panel-at-failure", always=True)
        raise
    screenshot(page, "02_capacity-panel")
    assert run.refused == [], f"JupyterLab asked the network for {run.refused}"
