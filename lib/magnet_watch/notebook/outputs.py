"""What a notebook's outputs carry, shared by ``display`` (which writes them) and the report
pages (which read them): MIME types, the chart-name metadata key, and a spec's title.

Kept apart from ``display`` so the report build can read executed notebooks without
importing Altair (its import costs the build a second or two on this machine).
"""

from __future__ import annotations

from magnet_watch.data.record import AS_OF_ENV  # noqa: F401 (display and the build read it here)

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
SVG_MIME = "image/svg+xml"
HEADLINES_MIME = "application/vnd.magnet-watch.headlines+json"
# Cells with this tag are for JupyterLab users (how to change and re-run): no page shows them.
NOTEBOOK_ONLY_TAG = "notebook-only"
# Output metadata key under which show_chart records the chart's name (the report reads it).
CHART_METADATA_KEY = "magnet_watch_chart"
# Output metadata key under which show_summary records the page's title and summary sentences.
SUMMARY_METADATA_KEY = "magnet_watch_summary"
# AS_OF_ENV: the record's as-of date (ISO) a report build hands its kernels (declared in
# ``data.record``); show_chart puts it in every chart it saves (``display.AS_OF_KEY``).
# Without it, a chart states the latest date in the record.


def chart_title(spec: dict, default: str) -> str:
    """Return the chart's title text (the first line when the title has several)."""
    title = spec.get("title", default)
    if isinstance(title, dict):
        title = title.get("text", default)
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title)
