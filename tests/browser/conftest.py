"""The browser tests' tabs. The ``browser`` itself (one Chromium per module) is in
tests/conftest.py; the classes behind these fixtures in ``helpers.browser``."""

from __future__ import annotations

import pytest
from helpers.browser import Reader, SharedTab


@pytest.fixture
def tab(browser):
    """A function: (width=1100, height=900, media="screen") -> a fresh ``Reader`` tab, with the
    network cut off; every tab it opened is closed after the test."""
    opened: list[Reader] = []

    def open_tab(**viewport) -> Reader:
        opened.append(Reader(browser, **viewport))
        return opened[-1]

    yield open_tab
    for reader in opened:
        reader.close()


@pytest.fixture(scope="module")
def settled_tab(browser, project_build):
    """A function: report stem -> the module's one ``SharedTab`` of that page of the session's
    build (1100 x 900 px, every chart settled): the tests of a module that read a page as it
    opens share one visit of it."""
    tabs: dict[str, SharedTab] = {}

    def shared(stem: str) -> SharedTab:
        if stem not in tabs:
            tabs[stem] = SharedTab(browser, project_build[0] / f"{stem}.html")
        return tabs[stem]

    yield shared
    for shared_tab in tabs.values():
        shared_tab.close()
