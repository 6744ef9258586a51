"""The curation audit's chart: each document's quantities by status."""

from __future__ import annotations

import altair as alt
import pandas as pd

from magnet_watch.charts.theme import ensure_theme, finding_title
from magnet_watch.curation.audit import Audit
from magnet_watch.narrative.audit import (
    SHOWN_ROWS,
    STATUS_LABELS,
    STATUS_ORDER,
    most_gaps_first,
)

STATUS_COLOURS = ["#0072B2", "#56B4E9", "#009E73", "#999999", "#D55E00"]  # in STATUS_ORDER


def coverage_chart(audit: Audit, sources: pd.DataFrame, documents: int = SHOWN_ROWS) -> alt.Chart:
    """Return an Altair stacked bar chart: per document, its quantities by status.

    ``sources`` (the sources table the audit ran on) names the documents in the caption;
    None means the project's data/.
    With more than ``documents`` documents it draws those with the most gaps (then the
    most quantities) and says so in a note; the title counts every document.
    """
    ensure_theme()
    coverage = audit.coverage
    note = None
    if len(coverage) > documents:
        coverage = most_gaps_first(coverage, documents)
        note = (
            f"The {documents} documents with the most gaps, of {len(audit.coverage):,}; "
            "the coverage table lists them all."
        )
    shown = audit.statements[audit.statements["source_id"].isin(coverage["source_id"])]
    counts = (
        shown.groupby(["source_id", "status"], observed=True).size().rename("quantities")
    ).reset_index()
    counts["status_label"] = counts["status"].map(STATUS_LABELS)
    total = int(audit.coverage["quantities"].sum())
    accounted = int((audit.coverage["recorded"] + audit.coverage["reviewed"]).sum())
    finding = f"{accounted} of {total} quantities in the seeds are curated or reviewed"
    labels = [STATUS_LABELS[s] for s in STATUS_ORDER]
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("source_id:N", title=None, sort=list(coverage["source_id"])),
            x=alt.X("quantities:Q", title="Quantities found by the extractor"),
            color=alt.Color(
                "status_label:N",
                title="Status",
                sort=labels,
                scale=alt.Scale(domain=labels, range=STATUS_COLOURS),
            ),
            order=alt.Order("status:N"),
            tooltip=["source_id:N", "status_label:N", "quantities:Q"],
        )
        .properties(
            title=finding_title(finding, coverage["source_id"], note=note, sources=sources),
            height=180,
        )
    )
