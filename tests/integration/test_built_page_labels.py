"""The built pages say what the import tonnage counts (issue 18): no page, chart CSV or chart
spec labels it as rare-earth magnet imports; the article's label is shown as its claim."""

from __future__ import annotations

import html
import re

import pytest

# The built pages are the project's own build, shared with the other modules that read it.
pytestmark = pytest.mark.xdist_group("report_builds")

# The project's own label for the import tonnage, anywhere: "rare-earth magnet imports" (or
# "imports of rare-earth magnets"). The article's label appears only as the article's claim,
# "(the article says rare-earth magnets)", which this does not match.
PROJECT_LABEL = re.compile(
    r"rare[- ]earth (?:permanent )?magnet imports|imports of rare[- ]earth magnets", re.I
)


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_built_page_or_chart_file_labels_the_import_tonnage_as_rare_earth_magnets(project_build):
    out, _ = project_build
    files = (
        sorted(out.glob("*.html")) + sorted(out.glob("**/*.csv")) + sorted(out.glob("**/*.vl.json"))
    )
    assert len(files) > 20
    found = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        text = _visible_text(text) if path.suffix == ".html" else text
        hits = PROJECT_LABEL.findall(text)
        if hits:
            found[str(path.relative_to(out))] = hits
    assert not found, found
    # ... while the article's claim is still shown, as the article's.
    overview = _visible_text((out / "01_overview.html").read_text(encoding="utf-8"))
    assert "the article says rare-earth magnets" in overview


def test_the_label_pattern_finds_the_old_labels():
    for old in (
        "Rare-earth magnet imports",
        "rare earth magnet imports",
        "imports of rare-earth magnets",
    ):
        assert PROJECT_LABEL.search(old)
    assert not PROJECT_LABEL.search(
        "Permanent magnet imports, all kinds (the article says rare-earth magnets)"
    )
