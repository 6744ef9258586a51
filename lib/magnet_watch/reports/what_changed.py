"""The index's "What changed" block: the build's as-of date against an earlier one.

The earlier date is the overview's ``changed_since`` parameter (notebooks/parameters.yaml; its
default the overview's parameter cell, a build's ``--param changed_since=...`` over it, checked
with the other parameters before anything runs). The table is ``notebook.replay.what_changed_table``,
computed with the model's values the build gives its notebooks.
"""

from __future__ import annotations

from magnet_watch import paths
from magnet_watch.narrative.what_changed import changes_for_readers
from magnet_watch.notebook.parameters import notebook_parameters
from magnet_watch.notebook.replay import model_values, what_changed_table

# The notebook that declares changed_since and shows the same table.
OVERVIEW = "01_overview"


def what_changed_block(plans, as_of: str) -> dict:
    """Return the block the index template draws (sentence, columns, rows) for a build whose
    notebooks are ``plans`` (their ``overrides``), as of ``as_of`` (ISO)."""
    overrides: dict = {}
    for plan in plans:
        overrides.update(plan.overrides)
    since = (
        overrides.get("changed_since")
        or notebook_parameters(paths.NOTEBOOKS_DIR / f"{OVERVIEW}.ipynb")["changed_since"]
    )
    table, sentence = what_changed_table(since, as_of, model_values(overrides))
    readers = changes_for_readers(table)
    return {
        "sentence": sentence,
        "columns": list(readers.columns),
        "rows": readers.to_dict("records"),
    }
