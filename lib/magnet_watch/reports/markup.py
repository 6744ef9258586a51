"""Decide whether a notebook's ``text/html`` output may be shown as HTML in a report.

An allowlist, not a blocklist: the markup our own outputs use (pandas tables from
``show_table``, and the pandas Styler table of the claims check with its ``<style>``
block) passes through unchanged; anything else (a script, an iframe, a form, an
event handler, a link, an image, CSS that loads a URL or styles the page outside
its own table) is refused, and the report shows the output's plain text instead.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements a table output uses (pandas ``to_html`` and ``Styler.to_html``).
ALLOWED_TAGS = frozenset(
    "table thead tbody tfoot tr th td caption colgroup col "
    "code em strong b i span br p div style".split()
)
# Attributes, for every allowed element; ``style`` values pass the CSS check below.
ALLOWED_ATTRIBUTES = frozenset("class id colspan rowspan style type".split())
# CSS that could fetch something or run something: refused anywhere in style.
_UNSAFE_CSS = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:|behavior\s*:|\\|<", re.I)
# A Styler rule: its selectors are ids of its own table ("#T_<uuid>..."), then declarations.
_CSS_RULE = re.compile(r"\s*([^{}]+)\{([^{}]*)\}\s*")
_STYLER_SELECTOR = re.compile(r"#T_[A-Za-z0-9_-]+(\s*(:hover|::?before|::?after))?")


def safe_css_rules(css: str) -> bool:
    """Return True when ``css`` is only rules whose selectors are Styler ids (``#T_...``)."""
    if _UNSAFE_CSS.search(css):
        return False
    position = 0
    for match in _CSS_RULE.finditer(css):
        if match.start() != position:
            return False
        selectors = [s.strip() for s in match.group(1).split(",")]
        if not all(_STYLER_SELECTOR.fullmatch(s) for s in selectors):
            return False
        position = match.end()
    return position == len(css) or not css[position:].strip()


class _AllowlistChecker(HTMLParser):
    """Walk the markup once; ``ok`` turns False at the first thing not on the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ok = True
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS or self.in_style:
            self.ok = False
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES:
                self.ok = False
            elif name == "style" and _UNSAFE_CSS.search(value or ""):
                self.ok = False
            elif name == "type" and (tag != "style" or value != "text/css"):
                self.ok = False
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.ok = False
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and not safe_css_rules(data):
            self.ok = False

    def handle_comment(self, data):
        self.ok = False

    def handle_decl(self, decl):
        self.ok = False

    def handle_pi(self, data):
        self.ok = False

    def unknown_decl(self, data):
        self.ok = False


def allowed_html(markup: str) -> bool:
    """Return True when every element, attribute and style in ``markup`` is on the allowlist."""
    checker = _AllowlistChecker()
    checker.feed(markup)
    # An unfinished tag ("<script" at the end) stays in the parser's buffer: refused too.
    unfinished = "<" in checker.rawdata
    checker.close()
    return checker.ok and not unfinished
