"""The way users work: JupyterLab, a notebook, Run All, charts drawn, no network.

Starts JupyterLab on a free loopback port with a token (``--allow-root`` when
run as root), opens a notebook that shows its chart through
``magnet_watch.notebook.display.show_chart`` in headless Chromium with every request
outside the server refused, runs all cells and asserts the chart drew.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers.projects import ARTEFACTS_DIR, make_notebook

from magnet_watch import paths
from magnet_watch.notebook.parameters import choice_label, parameter_dictionary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ARTEFACTS_DIR / "jupyterlab"
# Vega draws on a canvas in JupyterLab: a drawn chart has pixels that are not background.
CANVAS_INKED = """(canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked++;
    }
    return inked;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def jupyterlab(tmp_path):
    """Yield (base URL, token, notebook folder) of a JupyterLab server started for this test."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make browser` (make test runs it)"
        )
    port, token = free_port(), secrets.token_hex(16)
    folder = tmp_path / "work"
    folder.mkdir()
    # Every cell stays in the page (JupyterLab 4 otherwise drops cells scrolled out of view),
    # so a check can read the outputs of a long notebook.
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
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


def run_all_in_lab(base: str, token: str, notebook: str, check) -> list[str]:
    """Open ``notebook`` in JupyterLab in headless Chromium with every request outside the
    server refused, run all cells, wait for a chart, then call ``check(page)``.

    Keeps a screenshot in build/test-artefacts/jupyterlab/ (also on failure), fails
    if the page asked the network for anything, and returns the browser console's
    warnings and errors.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    stem = Path(notebook).stem
    refused, console = [], []

    def only_the_server(route):
        if route.request.url.startswith(base) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            context = browser.new_context(viewport={"width": 1300, "height": 1000})
            context.route("**/*", only_the_server)
            page = context.new_page()
            page.on(
                "console",
                lambda m: (
                    console.append(f"{m.type}: {m.text}")
                    if m.type in ("warning", "error")
                    else None
                ),
            )
            page.goto(f"{base}/lab/tree/{notebook}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            # A fresh JupyterLab may ask which kernel to start: accept the notebook's own.
            select = page.locator(".jp-Dialog button:has-text('Select')")
            try:
                select.wait_for(timeout=10_000)
                select.click()
            except PlaywrightTimeout:
                pass
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
            )
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            try:
                page.wait_for_selector(CHART_SELECTOR, timeout=60_000)
                page.wait_for_selector(
                    ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
                )
                page.wait_for_timeout(1000)  # let Vega finish its first paint
                check(page)
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / f"{stem}-at-failure.png"), full_page=True)
                raise
            page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"), full_page=True)
            assert refused == [], f"JupyterLab asked the network for {refused}"
        finally:
            browser.close()
    return console


CHART_SELECTOR = ".jp-OutputArea-output .vega-embed canvas, .jp-OutputArea-output .vega-embed svg"


def drawn_charts(page) -> int:
    """Return how many charts on the page have drawn marks."""
    count = 0
    for chart in page.query_selector_all(CHART_SELECTOR):
        if chart.evaluate("e => e.tagName.toLowerCase()") == "canvas":
            count += chart.evaluate(CANVAS_INKED) > 500
        else:
            count += chart.evaluate("e => e.querySelectorAll('g[class*=mark-] > *').length") > 0
    return count


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


def test_notebook_runs_in_jupyterlab_and_its_chart_draws_offline(jupyterlab):
    base, token, folder = jupyterlab
    make_notebook(folder, "01_lab", raw_quote=False)  # quotes go through markdown_text

    def check(page):
        assert drawn_charts(page) == 1, "the chart is blank"
        assert "demand growth" in page.inner_text(".jp-Notebook")  # the headlines cell ran too
        assert page.evaluate("() => window.hacked") is None  # quotes did not run as code

    run_all_in_lab(base, token, "01_lab.ipynb", check)


def test_charts_in_jupyterlab_draw_without_console_warnings(jupyterlab):
    base, token, folder = jupyterlab
    make_notebook(folder, "01_console", raw_quote=False)

    def check(page):
        assert drawn_charts(page) == 1, "the chart is blank"

    console = run_all_in_lab(base, token, "01_console.ipynb", check)
    assert console == [], "\n".join(console)


def test_a_project_notebook_draws_every_chart_in_jupyterlab(jupyterlab):
    import shutil

    base, token, folder = jupyterlab
    notebook = paths.NOTEBOOKS_DIR / "02_capacity.ipynb"
    shutil.copy(notebook, folder / notebook.name)
    expected = charts_shown(notebook)

    def check(page):
        assert expected >= 3
        assert drawn_charts(page) == expected, "a chart did not draw"
        text = page.inner_text(".jp-Notebook")
        assert "Neodymium gap: need minus IREL output" in text  # the headline table ran
        assert "Error" not in text and "Traceback" not in text

    run_all_in_lab(base, token, notebook.name, check)


def test_the_control_panel_recomputes_the_headlines_and_the_chart(jupyterlab):
    """02's panel: a dropdown and a slider, generated from the spec; moving them recomputes
    the headline figures and redraws the chart through the library."""
    import shutil

    import magnet_watch as mw
    from magnet_watch.analysis import capacity
    from magnet_watch.data.inputs import CapacityInputs
    from magnet_watch.data.later_references import load_references
    from magnet_watch.narrative import capacity as capacity_words

    base, token, folder = jupyterlab
    notebook = paths.NOTEBOOKS_DIR / "02_capacity.ipynb"
    shutil.copy(notebook, folder / notebook.name)
    before = charts_shown(notebook)
    facts = mw.load_facts()
    inputs = CapacityInputs.from_data(facts, load_references())
    gap = capacity.nd_gap(2025, 2032, "s_curve", 0.3, inputs=inputs)
    first = capacity_words.capacity_headlines(gap, 0.3, inputs).set_index("figure")
    first_year = first.loc["First year the need exceeds IREL's output", "value"]
    need = first.loc["Neodymium the magnet target needs", "value"]

    def check(page):
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
        page.wait_for_timeout(1000)  # let Vega paint
        table = output.inner_text()
        assert first_year in table and need == "1,800 t/yr (at 30% Nd)"
        assert drawn_charts(page) == before + 1, "the panel's chart did not draw"

    run_all_in_lab(base, token, notebook.name, check)
