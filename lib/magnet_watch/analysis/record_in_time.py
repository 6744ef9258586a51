"""The headline figures as they stood on a date, and the dates on which the record changed.

``headline_figures(as_of, params)`` runs, as of ``as_of``, the same model runs the notebooks
call (the inputs of ``data.inputs`` from the record as the pages read it, ``data.record_view``;
the runs of ``analysis.outlook``; the claims check against the edition current then,
``analysis.edition_check``; the milestones and plans of ``analysis.scheme_progress`` and
``analysis.plans``) and returns one row per headline figure or verdict, with the records it
rests on. ``params`` are the model's parameter values: the notebooks' own, which the caller
reads from the notebooks (this module never states a default of its own).

``record_change_dates()`` lists the dates on which something in the record became public,
from the first date the pages can be built at (every article and reference package they read
public, as ``view_as_of`` rules) to the record's latest. ``record_entries()`` names each record
a figure rests on: its kind, publisher, title and the date it became public.

Numbers only: the words are in ``magnet_watch.narrative.what_changed``.
"""

from __future__ import annotations

import json

import pandas as pd

from magnet_watch.analysis.checks.claims_check import Thresholds, claims_check
from magnet_watch.analysis.edition_check import edition_verdicts
from magnet_watch.analysis.outlook import demand_outlook, neodymium_outlook, official_clock_outlook
from magnet_watch.analysis.plans import plans_of
from magnet_watch.analysis.scheme_progress import scheme_milestones
from magnet_watch.data.editions import EDITIONS_DIR
from magnet_watch.data.inputs import ImportsInputs
from magnet_watch.data.later_references import AWARD_GROUP, GESTATION, REPM_REQUIREMENT
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.record import Record, latest_record, record_dates
from magnet_watch.data.record_view import RecordView, view_as_of
from magnet_watch.data.usgs import UsgsReference, load_usgs_reference
from magnet_watch.errors import ParameterError

# One row per headline figure: its key (what narrative.what_changed words), its value (a
# number, a (low, high) pair, a year, a name or None), its context (the year, period or
# award year the value is for), and the ids of the records it rests on (``record_entries``).
HEADLINE_COLUMNS = ["key", "value", "context", "rests_on"]
# The claim whose verdict against the latest edition is the reserves verdict.
RESERVES_METRIC = "reserves_rank"
LATEST_ROLES = ("latest", "article and latest")
ENTRY_COLUMNS = ["record_id", "kind", "publisher", "title", PUBLIC_FROM]


def source_record(source_id: str) -> str:
    """The record id of a seed document."""
    return f"source/{source_id}"


def page_record(package: str, page_id: str) -> str:
    """The record id of a reference package's page."""
    return f"page/{package}/{page_id}"


def edition_record(version_id: str) -> str:
    """The record id of a USGS edition's version."""
    return f"edition/{version_id}"


def _row(key: str, value, context, rests_on) -> dict:
    return {"key": key, "value": value, "context": context, "rests_on": tuple(rests_on)}


def _figure_page(view: RecordView, package: str, figure_id: str) -> str:
    pkg = {p.name: p for p in view.refs.packages}[package]
    return page_record(package, str(pkg.figure(figure_id)["page_id"]))


def _ends(value) -> float | tuple[float, float]:
    """A fact's value, or its (low, high) range when it states one."""
    if pd.notna(value["value"]):
        return float(value["value"])
    return float(value["low"]), float(value["high"])


def _model_rows(view: RecordView, inputs: ImportsInputs, params: dict, awards) -> list[dict]:
    """The model runs' headline figures (notebooks 02 and 03)."""
    capacity = inputs.capacity
    target, irel, named = capacity.target, capacity.irel, capacity.facts
    nd = neodymium_outlook(params, capacity)
    at_target = nd.gap[nd.gap["year"] == nd.ramp.target_year].iloc[0]
    clock = official_clock_outlook(params, capacity)
    demand = demand_outlook(params, inputs)
    target_src = source_record(target.source_id)
    cabinet = view.refs.cabinet.name
    terms = [_figure_page(view, cabinet, GESTATION), *awards]
    award = clock.clock.award_year
    return [
        _row("national_target", target.output_t_per_yr, target.target_year, [target_src]),
        _row(
            "irel_nd_plan",
            (irel.plan_low_t_per_yr, irel.plan_high_t_per_yr),
            irel.plan_year,
            [source_record(str(named.irel_nd_plan["source_id"]))],
        ),
        _row(
            "nd_gap_at_target",
            (float(at_target["nd_gap_low_t_per_yr"]), float(at_target["nd_gap_high_t_per_yr"])),
            nd.ramp.target_year,
            [target_src, source_record(irel.target_source_id)],
        ),
        _row(
            "demand_covered_at_target",
            demand.covered_at_target_pct,
            demand.ramp.target_year,
            [target_src, _figure_page(view, cabinet, REPM_REQUIREMENT)],
        ),
        _row("official_first_magnets", clock.clock.first_output_year, award, terms),
        _row("official_first_shortfall", clock.first_short_official, award, terms),
    ]


def _imports_rows(view: RecordView, inputs: ImportsInputs) -> list[dict]:
    """The latest official import tonnage in the record, and China's share of the imports."""
    latest = inputs.series.iloc[-1]
    share = inputs.china_share
    return [
        _row(
            "latest_imports",
            float(latest["imports_t"]),
            str(latest["period"]),
            [_figure_page(view, str(latest["package"]), str(latest["figure_id"]))],
        ),
        _row(
            "china_import_share",
            _ends(share),
            str(share["period"]),
            [source_record(str(share["source_id"]))],
        ),
    ]


def _edition_rows(view: RecordView, params: dict, usgs: UsgsReference) -> list[dict]:
    """The USGS edition current at the as-of date, and the reserves claim's verdict against it."""
    editions = view.record.editions
    current = editions.current(view.as_of)
    # The edition rests on each of its versions public by then (the first brought its figures).
    own = editions.versions[editions.versions["edition"] == current["edition"]]
    versions = [edition_record(str(v)) for v in own["version_id"]]
    thresholds = Thresholds()
    year = params["reference_year"]
    checked = claims_check(year, thresholds, facts=view.facts, usgs=usgs)
    # Only the reserves claim is read: the others are left out before the editions are read.
    reserves = [
        isinstance(c, dict) and c.get("metric") == RESERVES_METRIC for c in checked["context"]
    ]
    verdicts = edition_verdicts(checked[reserves], editions, view.sources, year, thresholds)
    latest = verdicts[verdicts["role"].isin(LATEST_ROLES)].iloc[0]
    return [
        _row(
            "usgs_edition", editions.titles[current["edition"]], str(current["version"]), versions
        ),
        _row(
            "reserves_verdict",
            str(latest["verdict"]),
            str(latest["title"]),
            [*versions, source_record(str(latest["claim_source_id"]))],
        ),
    ]


def _scheme_rows(view: RecordView, milestones: pd.DataFrame) -> list[dict]:
    """The scheme's latest milestone that happened, and the plans due with no outcome."""
    happened = milestones[milestones["state"] == "happened"].iloc[-1]
    due = plans_of(view.record).due
    return [
        _row(
            "scheme_latest_milestone",
            str(happened["what"]),
            pd.Timestamp(happened["date_start"]),
            [page_record(str(happened["package"]), str(happened["page_id"]))],
        ),
        _row("plans_due_no_outcome", len(due), tuple(due["event_id"]), []),
    ]


def headline_figures(as_of, params: dict, usgs: UsgsReference | None = None) -> pd.DataFrame:
    """Return the headline figures and verdicts as they stood on ``as_of`` (ISO day, date or
    None for the latest), one row each (``HEADLINE_COLUMNS``), computed by the notebooks' runs
    with the model's parameter values ``params`` (nd_mass_fraction, reference_year, and any of
    the runs' others; award_year None: the earliest the record allows then). ``usgs``, the
    USGS reference the claims check reads (default: loaded here), is loaded once by a caller
    that computes many dates, as the notebooks do. Raises
    ParameterError for a date the pages cannot be built at (``view_as_of``)."""
    view = view_as_of(as_of)
    inputs = ImportsInputs.from_data(view.facts, view.refs)
    milestones = scheme_milestones(view.record)
    award = milestones[(milestones["event_group"] == AWARD_GROUP)]
    awards = [page_record(p, g) for p, g in zip(award["package"], award["page_id"], strict=True)]
    rows = [
        *_model_rows(view, inputs, params, awards),
        *_imports_rows(view, inputs),
        *_edition_rows(view, params, usgs or load_usgs_reference()),
        *_scheme_rows(view, milestones),
    ]
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def record_change_dates(record: Record | None = None) -> list[pd.Timestamp]:
    """Return the dates on which the record changed, oldest first, from the first date the
    pages can be built at (``view_as_of`` accepts it) to the record's latest date."""
    record = record or latest_record()
    dates = record_dates(record)
    # Once the pages can be built they can be at every later date: search for the first.
    low, high = 0, len(dates)
    while low < high:
        middle = (low + high) // 2
        try:
            view_as_of(dates[middle])
        except ParameterError:
            low = middle + 1
        else:
            high = middle
    return dates[low:]


def record_entries(record: Record | None = None) -> pd.DataFrame:
    """Return every record a headline figure can rest on, one row each (``ENTRY_COLUMNS``):
    the seed documents, the reference packages' pages and the USGS editions' versions."""
    record = record or latest_record()
    rows = [
        (source_record(s.source_id), "document", s.publisher, s.title, getattr(s, PUBLIC_FROM))
        for s in record.sources.itertuples()
    ]
    for name, pkg in record.references.items():
        for page in pkg.pages.itertuples():
            rows.append(
                (
                    page_record(name, page.page_id),
                    "reference page",
                    page.publisher,
                    page.title,
                    getattr(page, PUBLIC_FROM),
                )
            )
    producer = json.loads((EDITIONS_DIR / "datapackage.json").read_text())["producer"]
    for version in record.editions.versions.itertuples():
        title = f"{record.editions.titles[version.edition]}, version {version.version}"
        rows.append(
            (
                edition_record(version.version_id),
                "edition",
                producer,
                title,
                getattr(version, PUBLIC_FROM),
            )
        )
    return pd.DataFrame(rows, columns=ENTRY_COLUMNS)
