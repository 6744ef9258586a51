"""The record in time on the pages: the model's parameter values the headline figures are
computed with, "What changed" for the index, and the overview's Replay control.

``model_values()`` reads the model's parameters from the notebooks that declare them (02's
ramp and neodymium content, 03's demand, 05's reference year: their parameter cells, never a
second copy). ``what_changed_table(since, now)`` is the index's block (``narrative.what_changed``
over two runs of ``analysis.record_in_time.headline_figures``). ``replay_explorer`` is the
overview's control: a dropdown over ``record_change_dates()``, each labelled with its date in
words, picking the headline figures ``headline_figures`` computed as of that date, at build time.
"""

from __future__ import annotations

import json

import pandas as pd

from magnet_watch import paths
from magnet_watch.analysis.record_in_time import (
    headline_figures,
    record_change_dates,
    record_entries,
)
from magnet_watch.charts.replay import replay_chart
from magnet_watch.data.record import check_as_of, latest_record, record_signature
from magnet_watch.data.usgs import load_usgs_reference
from magnet_watch.narrative.what_changed import (
    CHANGE_COLUMNS,
    changes,
    changes_sentence,
    headline_words,
)
from magnet_watch.notebook.parameters import notebook_parameters
from magnet_watch.text.periods import day_words

# The notebooks whose parameter cells give the model's values, later ones over earlier ones.
MODEL_NOTEBOOKS = ("02_capacity", "03_imports", "05_claims_check")
# Not a model value: each run of headline_figures is given its own date.
PER_RUN = ("as_of",)


def model_values(overrides: dict | None = None, notebooks_dir=None) -> dict:
    """Return the model's parameter values: the defaults of ``MODEL_NOTEBOOKS``' parameter
    cells, with ``overrides`` (a build's ``--param`` values) over those they name."""
    folder = paths.NOTEBOOKS_DIR if notebooks_dir is None else notebooks_dir
    values: dict = {}
    for stem in MODEL_NOTEBOOKS:
        values.update(notebook_parameters(folder / f"{stem}.ipynb"))
    for name in PER_RUN:
        values.pop(name, None)
    values.update({k: v for k, v in (overrides or {}).items() if k in values})
    return values


# What changed, computed once per process for the same record and arguments: a build of
# several scenarios, or a process that builds again, asks for it every time, and each run of
# the headline figures at two dates costs about 0.6 s of CPU. {record fingerprint: {arguments:
# (table, sentence)}}, for the latest fingerprint only.
_CHANGED: dict[tuple, dict[tuple, tuple[pd.DataFrame, str]]] = {}


def what_changed_table(since, now=None, values: dict | None = None) -> tuple[pd.DataFrame, str]:
    """Return (each headline figure or verdict that differs between ``since`` and ``now``, old
    and new and the records that changed it; the sentence over it). ``now`` None: the latest
    date in the record; not after ``since``: no rows, and a sentence saying so. ParameterError
    when ``since`` is not a day within the record or too early for the pages.

    Computed once per process for the same arguments while the record's files stay the same
    (``data.record.record_signature``); each caller gets its own copy of the table."""
    values = model_values() if values is None else values
    signature = record_signature()
    if signature not in _CHANGED:  # another record: what was kept for the last one goes
        _CHANGED.clear()
        _CHANGED[signature] = {}
    known = _CHANGED[signature]
    key = (str(since), str(now), json.dumps(values, sort_keys=True, default=str))
    if key not in known:
        known[key] = _what_changed(since, now, values)
    table, sentence = known[key]
    return table.copy(), sentence


def _what_changed(since, now, values: dict) -> tuple[pd.DataFrame, str]:
    record = latest_record()
    old_day, new_day = check_as_of(since, record), check_as_of(now, record)
    if old_day >= new_day:  # a page as of the earlier date itself (or before): no comparison
        return changes_empty(), (
            f"What changed compares the as-of date with {day_words(old_day)}: this page is as "
            f"of {day_words(new_day)}, not after it, so there is nothing to compare."
        )
    usgs = load_usgs_reference()
    table = changes(
        headline_figures(old_day, values, usgs),
        headline_figures(new_day, values, usgs),
        record_entries(record),
        old_day,
        new_day,
    )
    return table, changes_sentence(table, old_day, new_day)


def changes_empty() -> pd.DataFrame:
    """What changed with no rows."""
    return pd.DataFrame(columns=CHANGE_COLUMNS)


def replay_cases(values: dict, until=None) -> tuple[list[pd.Timestamp], pd.DataFrame]:
    """Return (the record-change dates up to ``until``, None: all; the headline figures in
    words as of each, one block per date with ``case`` its position and ``as_of`` its day)."""
    dates = record_change_dates()
    if until is not None:
        dates = [d for d in dates if d <= pd.Timestamp(until)]
    usgs = load_usgs_reference()  # once for every date
    frames = []
    for case, day in enumerate(dates):
        heads = headline_words(headline_figures(day, values, usgs))
        frames.append(heads.assign(case=case, as_of=f"{day:%Y-%m-%d}"))
    return dates, pd.concat(frames, ignore_index=True)


def replay_explorer(values: dict, as_of=None):
    """Return (the Replay chart, its dates in words): the headline figures as they stood at
    each record-change date up to ``as_of`` (None: the latest), computed at build time."""
    dates, heads = replay_cases(values, as_of)
    chart = replay_chart(heads, [f"{d:%Y-%m-%d}" for d in dates], [day_words(d) for d in dates])
    words = (
        f"{len(dates)} dates on which the record changed, from {day_words(dates[0])} "
        f"to {day_words(dates[-1])}; each shows the figures as the library computed them then."
    )
    return chart, words
