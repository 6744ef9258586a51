"""Headless Chromium for the browser tests: the page with the network cut off, and the scripts
that read and move a drawn chart. The ``browser`` fixture is in tests/conftest.py, the tabs
(``tab``, ``settled_tab``) in tests/browser/conftest.py.

Opening a page costs most of a browser test: a fresh context, the page, and every chart drawn
(ALL_CHARTS_SETTLED). So a page is opened once for all the tests that only read it as it opens,
a test that reads many pages visits them one after another in one tab (``OfflinePage.visit``),
and a fresh tab is opened only where a test changes the page or reads it before it has settled."""

from __future__ import annotations

import os
from pathlib import Path

from magnet_watch import paths

CHROMIUM = Path("/usr/bin/chromium")
# Screenshots and A4 PDFs of the pages, for a person to look at: no test reads them. They cost
# the browser tests about a fifth of their time, so they are kept only when asked:
# `make artefacts` runs the browser tests with MAGNET_WATCH_ARTEFACTS=1 and leaves them in
# build/test-artefacts/. A test that fails in JupyterLab keeps its screenshot whatever this says.
ARTEFACTS_DIR = paths.BUILD_DIR / "test-artefacts"
KEEP_ARTEFACTS = os.environ.get("MAGNET_WATCH_ARTEFACTS") == "1"


def keep_screenshot(page, file: Path, always: bool = False) -> None:
    """Save a full-page screenshot of ``page`` to ``file`` (under ARTEFACTS_DIR) when artefacts
    are kept (KEEP_ARTEFACTS) or ``always`` (a failure's)."""
    if KEEP_ARTEFACTS or always:
        file.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(file), full_page=True)


def keep_pdf(page, file: Path) -> None:
    """Print ``page`` to an A4 PDF at ``file`` when artefacts are kept (KEEP_ARTEFACTS)."""
    if KEEP_ARTEFACTS:
        file.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(file), format="A4", prefer_css_page_size=True)


# A chart draws as it nears the screen: polled, this brings the first chart not yet started
# into view, as a reader scrolling down would, until every chart has drawn (or failed); then
# goes back to the top of the page.
ALL_CHARTS_SETTLED = """() => {
    const waiting = Array.from(document.querySelectorAll('figure.chart'))
        .filter(f => !f.classList.contains('drawn') && !f.classList.contains('failed'));
    if (waiting.length === 0) { window.scrollTo(0, 0); return true; }
    if (!waiting[0].dataset.drawing) { waiting[0].scrollIntoView(); }
    return false;
}"""
CHART_STATE = """() => Array.from(document.querySelectorAll('figure.chart')).map(f => ({
    name: f.dataset.chart,
    drawn: f.classList.contains('drawn'),
    marks: f.querySelectorAll('.chart-view svg g[class*="mark-"] > *').length,
    staticShown: getComputedStyle(f.querySelector('.chart-static')).display !== 'none',
}))"""
IMAGES_LOADED = """() => Array.from(document.images)
    .map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}))"""


def broken_images(page) -> list[str]:
    """Load every picture of ``page`` now (those far below load as the reader nears them,
    loading="lazy") and return the addresses of those that did not load."""
    page.evaluate("() => document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
    return [i["src"] for i in page.evaluate(IMAGES_LOADED) if not i["ok"]]


class OfflinePage:
    """A page with the network cut off; records requests it refused and errors it saw."""

    def __init__(self, browser, javascript: bool = True, width: int = 1100, height: int = 900):
        self.context = browser.new_context(
            offline=True,
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
        )
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def open(self, file: Path):
        self.page.goto(file.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def visit(self, target):
        """Open ``target`` (what ``open`` takes) as this tab's next page: a new document in the
        same context, with what the pages before it refused, logged or opened forgotten.

        A test that reads many pages as they open visits them in one tab: a new context for
        each page cost the browser twice the CPU (a fresh renderer every time), and a page
        loaded in a used tab is the same document as in a new one."""
        self.refused.clear()
        self.errors.clear()
        self.dialogs.clear()
        return self.open(target)

    def close(self):
        self.context.close()


LINES = """(name) => Array.from(document.querySelectorAll(
    `figure[data-chart="${name}"] svg [aria-roledescription="text mark"]`))
    .map(e => e.getAttribute('aria-label').replace(/^order: \\d+; line: /, ''))"""
POINTS = """(name) => Array.from(document.querySelectorAll(
    `figure[data-chart="${name}"] svg [aria-roledescription="point"]`))
    .map(e => e.getAttribute('aria-label'))"""
SET_INPUT = """([name, param, value]) => {
    const input = document.querySelector(`figure[data-chart="${name}"] [name="${param}"]`);
    if (input.type === 'checkbox') { input.checked = value; } else { input.value = value; }
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input',
                                  {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def change(page, name: str, param: str, value, expected_first_line: str) -> None:
    page.evaluate(SET_INPUT, [name, param, value])
    page.wait_for_function(
        '([name, line]) => document.querySelector(`figure[data-chart="${name}"] svg`)'
        ".textContent.includes(line)",
        arg=[name, expected_first_line],
        timeout=10_000,
    )


class Reader(OfflinePage):
    """A browser tab at one viewport and medium, with the network cut off (``OfflinePage``):
    opening an address waits until every chart has settled."""

    def __init__(self, browser, width: int = 1100, height: int = 900, media: str = "screen"):
        super().__init__(browser, width=width, height=height)
        self.page.emulate_media(media=media)

    def open(self, address: str):
        self.page.goto(address)
        self.settle()
        return self.page

    def settle(self):
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(ALL_CHARTS_SETTLED, timeout=60_000)


class SharedTab:
    """One built page opened and settled once for the tests of a module: those that read it as
    it opened take ``at_defaults()``, the one that changes its controls ``to_change()``. A page
    once handed out to be changed is opened afresh for whoever asks next, so the tests pass in
    any order; in the file's order (readers first) the page is opened once."""

    def __init__(self, browser, file: Path):
        self.browser, self.file = browser, file
        self.view: Reader | None = None
        self.changed = False

    def at_defaults(self):
        """The settled page as it opened (opened afresh if a test has changed it)."""
        if self.view is None or self.changed:
            self.close()
            self.view, self.changed = Reader(self.browser), False
            self.view.open(self.file.as_uri())
        return self.view.page

    def to_change(self):
        """The settled page as it opened, for a test that changes it (no other test sees it)."""
        page = self.at_defaults()
        self.changed = True
        return page

    @property
    def refused(self) -> list[str]:
        return self.view.refused

    @property
    def errors(self) -> list[str]:
        return self.view.errors

    def close(self):
        if self.view is not None:
            self.view.close()
            self.view = None
