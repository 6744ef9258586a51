"""The way users work: JupyterLab, a notebook, Run All, charts drawn, no network.

Starts JupyterLab on a free loopback port with a token (``--allow-root`` when
run as root), opens a notebook that shows its chart through
``magnet_watch.display.show_chart`` in headless Chromium with every request
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

from magnet_watch import paths

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report_builds")]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = paths.REPORTS_DIR / "test-artefacts" / "jupyterlab"
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
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    command = [
        str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
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


def test_notebook_runs_in_jupyterlab_and_its_chart_draws_offline(jupyterlab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright
    from test_report_build import make_notebook

    base, token, folder = jupyterlab
    make_notebook(folder, "01_lab", raw_quote=False)  # quotes go through markdown_text
    refused = []

    def only_the_server(route):
        if route.request.url.startswith(base) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            context = browser.new_context(viewport={"width": 1300, "height": 1000})
            context.route("**/*", only_the_server)
            page = context.new_page()
            page.goto(f"{base}/lab/tree/01_lab.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            # A fresh JupyterLab may ask which kernel to start: accept the notebook's own.
            select = page.locator(".jp-Dialog button:has-text('Select')")
            try:
                select.wait_for(timeout=10_000)
                select.click()
            except PlaywrightTimeout:
                pass
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
            )
            failure_shot = SCREENSHOTS / "01_lab-at-failure.png"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            try:
                chart = page.wait_for_selector(".jp-OutputArea-output .vega-embed canvas, "
                                           ".jp-OutputArea-output .vega-embed svg",
                                           timeout=60_000)  # fmt: skip
            except Exception:
                page.screenshot(path=str(failure_shot), full_page=True)
                raise
            page.wait_for_timeout(500)  # let Vega finish its first paint
            if chart.evaluate("e => e.tagName.toLowerCase()") == "canvas":
                assert chart.evaluate(CANVAS_INKED) > 500, "the chart's canvas is blank"
            else:
                assert chart.evaluate("e => e.querySelectorAll('g[class*=mark-] > *').length") > 0
            text = page.inner_text(".jp-Notebook")
            assert "demand growth" in text  # the headlines cell ran too
            assert page.evaluate("() => window.hacked") is None  # quotes did not run as code
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "01_lab.png"), full_page=True)
            assert refused == [], f"JupyterLab asked the network for {refused}"
        finally:
            browser.close()
