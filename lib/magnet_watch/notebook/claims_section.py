"""Show the whole claims check in a notebook: prose, the India chart, the verdict chart, the table."""

from __future__ import annotations

import pandas as pd
from IPython.display import display

from magnet_watch.analysis.checks.claims_check import DEFAULT_REFERENCE_YEAR, Thresholds
from magnet_watch.analysis.edition_check import edition_verdicts
from magnet_watch.charts.reference import (
    claims_styled_table,
    claims_verdict_chart,
    india_shares_chart,
)
from magnet_watch.data.later_references import References
from magnet_watch.data.reference import world_total_checks, world_total_table
from magnet_watch.data.usgs import UsgsReference
from magnet_watch.narrative import reference_check as later_words
from magnet_watch.narrative.claims import verdict_summary
from magnet_watch.narrative.edition_check import edition_sentences
from magnet_watch.notebook.display import show_chart, show_findings, show_table


def claims_check_section(
    table: pd.DataFrame,
    usgs: UsgsReference,
    sources: pd.DataFrame,
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    *,
    name_prefix: str = "reference",
) -> pd.DataFrame:
    """Show the claims check ``table`` (``analysis.claims_check.claims_check`` output) in a
    notebook: the verdicts in words, the India chart, the verdict chart, the styled table.

    ``usgs`` is the USGS reference the claims were checked against, ``sources`` the curated
    sources. Charts are named
    ``<name_prefix>_india_shares`` and ``<name_prefix>_claims_verdicts``: give each notebook
    its own prefix so chart names stay unique across the project. Returns ``table``.
    """
    show_findings(verdict_summary(table, reference_year))
    show_chart(
        india_shares_chart(table, usgs, reference_year, sources=sources),
        name=f"{name_prefix}_india_shares",
    )
    show_chart(claims_verdict_chart(table, usgs, sources), name=f"{name_prefix}_claims_verdicts")
    display(claims_styled_table(table, usgs))
    return table


def usgs_origin_section(usgs: UsgsReference) -> None:
    """Show where the USGS reference comes from (its origin record and notes) and how its
    world totals agree with the country rows (``data.reference.world_total_checks``)."""
    record = usgs.origin
    checks = world_total_checks(usgs.world)
    show_findings(
        f"**{record['title']}**. Producer: {record['producer']}; {record['publication']}, "
        f"published {record['published']}; {record['licence']}. "
        + " ".join(f"[{url}]({url})" for url in record["urls"])
        + "\n\n"
        + "\n".join(f"- {note}" for note in record["notes"])
        + f"\n\nThe world totals agree with the country rows in {int(checks['passed'].sum())} "
        f"of {len(checks)} checks, within the rounding each total shows:"
    )
    show_table(world_total_table(checks), caption="World totals against the sum of the rows")


def editions_section(checked, editions, sources, reference_year: int, thresholds: Thresholds):
    """Show each claim about India's USGS figures against the edition current when its article
    was written and the latest (``editions``: the record's USGS editions), both verdicts."""
    verdicts = edition_verdicts(checked, editions, sources, reference_year, thresholds)
    show_table(
        edition_sentences(verdicts, sources),
        caption="Each claim against the USGS edition current when its article was written, "
        "and the latest",
    )


def later_references_section(
    later: pd.DataFrame, refs: References, facts: pd.DataFrame, sources: pd.DataFrame
) -> None:
    """Show the articles' claims against the references published after them: the verdicts in
    words, then the reader's table."""
    show_findings(later_words.check_summary(later, refs, facts))
    show_table(
        later_words.check_table(later, refs, facts, sources),
        caption="The articles' claims against the later references",
    )
