"""Reference packages published after the seed articles: one folder per source, checked on load.

Each folder under ``data/reference/`` that holds a ``datapackage.json`` (for example
``cabinet-2025-11-26/``) is one reference package: the figures one source published,
kept apart from the facts curated from ``seeds/``. A package has

- ``pages.csv``: the origin records, one row per page a figure was verified on
  (publisher, title, date published, URL, date accessed, whether the outlet is the
  primary source or reports someone else's data);
- ``figures.csv``: one number per row, as the page states it, with its unit, period
  (fiscal years stay fiscal years, a half year stays a half year) and the page;
- ``events.csv`` (optional): dated events the pages report;
- ``datapackage.json``: the Table Schemas, the package's units (``x-units``, each
  mapped to a base unit of ``data/units.csv``), its measures (``x-measures``) and
  its package checks (``x-package-checks``).

``load_reference_package(name)`` reads the tables through ``magnet_watch.data.schema``
(the same checks as the curated tables) and then checks what a schema cannot: units
and measures against the vocabularies, periods against their labels, origin records
complete, and each declared package check (a stated gap, such as the Rs 80 crore
between the scheme's outlay and its two components, is declared, never hidden). It
collects every problem and raises one DataValidationError naming file, line, column
and row id. The USGS reference at the top of ``data/reference/`` keeps its own
loader (``magnet_watch.data.reference``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.lookups import row_position
from magnet_watch.data.public_dates import (
    PUBLIC_FROM,
    happened_after_public_problems,
    inherited_public_from,
    page_public_dates,
)
from magnet_watch.data.reference_checks import figure_bounds, package_checks
from magnet_watch.data.schema import (
    LINE_COLUMN,
    check_foreign_keys,
    read_package,
    read_table,
    resource_schema,
)
from magnet_watch.errors import DataValidationError, Problem
from magnet_watch.text.periods import partial_date_bounds, period_bounds

REFERENCES_DIR = paths.DATA_DIR / "reference"
TABLES = ("pages", "figures", "events")
OPTIONAL_TABLES = ("events",)
EVENT_COLUMNS = [
    "event_id",
    "event_group",
    "date",
    "date_precision",
    "status",
    "what",
    "page_id",
    "note",
    "date_start",
    "date_end",
    PUBLIC_FROM,
]
# A folder whose datapackage.json declares this layout holds editions of one publication
# (``magnet_watch.data.editions``), not a package of pages and figures.
EDITIONS_LAYOUT = "editions"


@dataclass(frozen=True)
class ReferencePackage:
    """One checked reference package.

    ``origin``: the package's record (name, title, producer, primary_source, published,
    accessed, accessed_note, notes, units, measures). ``pages``: origin records per page.
    ``figures``: the figures with, added on load, ``base_unit``, ``value_base`` (value in
    the base unit), ``half_unit`` (the rounding a figure written as it is allows, same
    unit as value; 0 when exact) and ``low``/``high`` (value ± half_unit).
    ``events``: dated events with ``date_start``/``date_end`` (Timestamps) added on load
    (an empty frame with ``EVENT_COLUMNS`` when the package has none).
    ``checks``: one row per package check (see ``reference_checks.CHECK_COLUMNS``).
    """

    name: str
    origin: dict
    pages: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame
    checks: pd.DataFrame

    def figure(self, figure_id: str) -> pd.Series:
        """Return one figure's row; KeyError naming the package's figure ids otherwise."""
        position = row_position(self.figures, "figure_id", figure_id)
        if position is None:
            raise KeyError(
                f"no figure {figure_id!r} in reference package {self.name!r}; "
                f"it has {list(self.figures['figure_id'])}"
            )
        return self.figures.iloc[position]

    def value(self, figure_id: str) -> float:
        """Return a figure's value in its base unit (``base_unit``): crore rupees as rupees."""
        return float(self.figure(figure_id)["value_base"])

    def page(self, figure_id: str) -> pd.Series:
        """Return the origin record (row of ``pages``) of the page a figure was verified on."""
        page_id = self.figure(figure_id)["page_id"]
        return self.pages[self.pages["page_id"] == page_id].iloc[0]

    def event(self, event_id: str) -> pd.Series:
        """Return one event's row; KeyError naming the package's events otherwise."""
        match = self.events[self.events["event_id"] == event_id]
        if match.empty:
            raise KeyError(f"no event {event_id!r} in reference package {self.name!r}")
        return match.iloc[0]

    def citation(self, figure_id: str) -> str:
        """Return one line citing the page a figure was verified on, for captions and tables."""
        return page_citation(self.page(figure_id))


def page_citation(page: pd.Series) -> str:
    """Return "Publisher, "Title" (date), URL; checked against a stored copy on <date>"."""
    title = f', "{page["title"]}"' if pd.notna(page["title"]) else ""
    when = f" ({page['date_published']:%d %b %Y})" if pd.notna(page["date_published"]) else ""
    return (
        f"{page['publisher']}{title}{when}, {page['url']}; checked against a stored copy "
        f"on {page['date_accessed']:%Y-%m-%d}"
    )


def _root(root: Path | str | None) -> Path:
    return Path(root or REFERENCES_DIR).resolve()


def _layout(path: Path) -> str | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("x-layout")
    except json.JSONDecodeError:
        return None  # a broken package is reported by its loader, not hidden here


def package_names(root: Path | str | None = None) -> list[str]:
    """Return the names (folder names) of the reference packages under ``root``, sorted
    (the editions packages, ``x-layout: editions``, have their own loader)."""
    return sorted(
        p.parent.name
        for p in _root(root).glob("*/datapackage.json")
        if _layout(p) != EDITIONS_LAYOUT
    )


def _read_tables(directory: Path, package: dict) -> tuple[dict, list[Problem]]:
    tables, problems = {}, []
    names = {r["name"] for r in package.get("resources", [])}
    for name in TABLES:
        if name not in names:
            if name not in OPTIONAL_TABLES:
                problems.append(
                    Problem(
                        f"{directory.name}/datapackage.json",
                        None,
                        None,
                        f"no resource named {name!r}",
                    )
                )
            continue
        try:
            tables[name] = read_table(directory, resource_schema(package, name))
        except DataValidationError as exc:
            problems.extend(exc.problems)
    return tables, problems


def _vocabulary(data_dir: Path, resource: str, column: str) -> set[str]:
    """The values of one column of a vocabulary table of the project (``data/units.csv`` ...)."""
    table = read_table(data_dir, resource_schema(read_package(data_dir), resource))
    return set(table[column].astype(str))


def _vocabulary_problems(package: dict, data_dir: Path) -> list[Problem]:
    """Every declared unit maps to a known base unit; every measure and unit is described."""
    where = f"{package.get('name', '?')}/datapackage.json"
    known = _vocabulary(data_dir, "units", "unit")
    units = package.get("x-units", {})
    problems = [
        Problem(
            where,
            None,
            "x-units",
            f"unit {u!r} maps to {spec.get('base_unit')!r}, which data/units.csv does not define",
            u,
        )
        for u, spec in units.items()
        if spec.get("base_unit") not in known
    ]
    problems += [
        Problem(where, None, "x-units", f"unit {u!r} needs a factor above zero", u)
        for u, spec in units.items()
        if not spec.get("factor", 0) > 0
    ]
    fields = resource_schema(package, "figures")["schema"]["fields"]
    enums = {f["name"]: f.get("constraints", {}).get("enum", []) for f in fields}
    for column, declared in (("unit", units), ("measure", package.get("x-measures", {}))):
        problems += [
            Problem(
                where,
                None,
                f"x-{column}s",
                f"{column} {v!r} is allowed in figures.csv but not described here",
                v,
            )
            for v in enums.get(column, [])
            if v not in declared
        ]
    return problems


def _expected_period(period: str, period_type: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day a fiscal year or half year label means; None for other types."""
    if period_type == "fiscal_year":
        return period_bounds(period, "fiscal_year")
    if period_type == "half_year":
        label, _, half = period.partition(" ")
        start, end = period_bounds(label, "fiscal_year")
        if half.startswith("H1"):
            return start, start + pd.DateOffset(months=6) - pd.Timedelta(days=1)
        if half.startswith("H2"):
            return start + pd.DateOffset(months=6), end
        raise ValueError(f"half year {period!r} must read 'FY2025-26 H1' or 'FY2025-26 H2'")
    return None


def _period_problems(figures: pd.DataFrame) -> list[Problem]:
    problems = []
    fname = figures.attrs["file"]
    for row in figures.to_dict("records"):
        line, fid = int(row[LINE_COLUMN]), row["figure_id"]
        start, end = row["period_start"], row["period_end"]
        try:
            expected = _expected_period(row["period"], row["period_type"])
        except ValueError as exc:
            problems.append(Problem(fname, line, "period", str(exc), fid))
            continue
        if expected and (start, end) != expected:
            problems.append(
                Problem(
                    fname,
                    line,
                    "period_start",
                    f"{row['period']} runs {expected[0]:%Y-%m-%d} to "
                    f"{expected[1]:%Y-%m-%d}; the row says {start} to {end}",
                    fid,
                )
            )
        elif pd.notna(start) and pd.notna(end) and start > end:
            problems.append(Problem(fname, line, "period_end", "ends before it starts", fid))
        elif pd.isna(start) != pd.isna(end):
            problems.append(
                Problem(
                    fname,
                    line,
                    "period_end",
                    "give both period_start and period_end, or neither",
                    fid,
                )
            )
    return problems


def _page_problems(pages: pd.DataFrame) -> list[Problem]:
    """A page with no title or date must say why; nothing is accessed before it is published."""
    problems = []
    fname = pages.attrs["file"]
    for row in pages.to_dict("records"):
        line, pid = int(row[LINE_COLUMN]), row["page_id"]
        for column, note in (("title", "title_note"), ("date_published", "date_note")):
            if pd.isna(row[column]) and pd.isna(row[note]):
                problems.append(
                    Problem(fname, line, column, f"empty: fill it or say why in {note}", pid)
                )
        published = row["date_published"]
        if pd.notna(published) and row["date_accessed"] < published:
            problems.append(
                Problem(fname, line, "date_accessed", "accessed before it was published", pid)
            )
    pages[PUBLIC_FROM], date_problems = page_public_dates(pages)
    return problems + date_problems


def _reported_before_it_happened(
    events: pd.DataFrame, pages: pd.DataFrame, data_dir: Path
) -> list[Problem]:
    """An event the page reports as past cannot begin after the page was public."""
    statuses = read_table(data_dir, resource_schema(read_package(data_dir), "statuses"))
    past = set(statuses.loc[~statuses["is_future"].astype(bool), "status"].astype(str))
    dated = _dated(events)
    public_from = inherited_public_from(dated, "page_id", pages, "page_id")
    return happened_after_public_problems(
        dated, public_from, past, events.attrs["file"], "event_id"
    )


def _event_problems(events: pd.DataFrame, data_dir: Path) -> list[Problem]:
    """A status must be one of ``data/statuses.csv``; a date as precise as its precision says."""
    statuses = _vocabulary(data_dir, "statuses", "status")
    problems = [
        Problem(
            events.attrs["file"],
            int(row[LINE_COLUMN]),
            "status",
            f"{row['status']!r} is not a status of data/statuses.csv ({sorted(statuses)})",
            row["event_id"],
        )
        for row in events.to_dict("records")
        if row["status"] not in statuses
    ]
    length = {"year": 4, "month": 7, "day": 10}
    return problems + [
        Problem(
            events.attrs["file"],
            int(row[LINE_COLUMN]),
            "date",
            f"{row['date']!r} is not a {row['date_precision']}-precise date",
            row["event_id"],
        )
        for row in events.to_dict("records")
        if len(str(row["date"])) != length[str(row["date_precision"])]
    ]


def _dated(events: pd.DataFrame) -> pd.DataFrame:
    """Add date_start and date_end (Timestamps): the first and last day the date covers."""
    frame = events.copy()
    bounds = [partial_date_bounds(str(d)) for d in frame["date"]]
    frame["date_start"] = pd.to_datetime([b[0] for b in bounds])
    frame["date_end"] = pd.to_datetime([b[1] for b in bounds])
    return frame


def _with_bounds(figures: pd.DataFrame, units: dict) -> pd.DataFrame:
    frame = figures.copy()
    frame["base_unit"] = frame["unit"].map(lambda u: units[u]["base_unit"]).astype("string")
    factor = frame["unit"].map(lambda u: float(units[u]["factor"])).astype("float64")
    frame["value_base"] = frame["value"] * factor
    frame["half_unit"] = [
        figure_bounds(v, r)[1] - v for v, r in zip(frame["value"], frame["rounding"], strict=True)
    ]
    frame["low"] = frame["value"] - frame["half_unit"]
    frame["high"] = frame["value"] + frame["half_unit"]
    return frame


def _prefixed(problems: list[Problem], name: str) -> list[Problem]:
    """Name each problem's file inside its package folder (``cabinet-2025-11-26/figures.csv``)."""
    out = []
    for p in problems:
        file = p.file if "/" in str(p.file) else f"{name}/{p.file}"
        out.append(Problem(file, p.line, p.column, p.message, p.row_id))
    return out


def _origin(package: dict) -> dict:
    keys = (
        "name",
        "title",
        "description",
        "producer",
        "primary_source",
        "published",
        "published_precision",
        "published_note",
        "accessed",
        "accessed_note",
        "notes",
    )
    record = {k: package.get(k, "") for k in keys}
    record["units"] = package.get("x-units", {})
    record["measures"] = package.get("x-measures", {})
    return record


def load_reference_package(name: str, root: Path | str | None = None) -> ReferencePackage:
    """Return reference package ``name`` (a folder under ``data/reference/``), checked.

    ``root`` is the folder holding the packages (default ``data/reference/``); its
    parent holds ``units.csv``. Raises DataValidationError listing every problem
    (schema, foreign keys, vocabularies, periods, origin records, consistency).
    """
    directory = _root(root) / name
    if not (directory / "datapackage.json").exists():
        raise DataValidationError(
            [
                Problem(
                    f"{name}/datapackage.json",
                    None,
                    None,
                    f"no reference package {name!r}; there are {package_names(root)}",
                )
            ]
        )
    package = read_package(directory)
    tables, problems = _read_tables(directory, package)
    problems += _vocabulary_problems(package, directory.parent.parent)
    if "pages" in tables:
        problems += _page_problems(tables["pages"])
    if "figures" in tables:
        problems += _period_problems(tables["figures"])
    if "events" in tables:
        problems += _event_problems(tables["events"], directory.parent.parent)
    if "pages" in tables and "figures" in tables:
        problems += check_foreign_keys(package, tables)
    if "pages" in tables and "events" in tables and not problems:
        problems += _reported_before_it_happened(
            tables["events"], tables["pages"], directory.parent.parent
        )
    if problems:
        raise DataValidationError(_prefixed(problems, name))
    figures = _with_bounds(tables["figures"], package["x-units"])
    checks, check_problems = package_checks(package, figures)
    if check_problems:
        raise DataValidationError(_prefixed(check_problems, name))
    pages = tables["pages"]
    figures[PUBLIC_FROM] = inherited_public_from(figures, "page_id", pages, "page_id")
    events = _dated(tables["events"]) if "events" in tables else pd.DataFrame(columns=EVENT_COLUMNS)
    events[PUBLIC_FROM] = inherited_public_from(events, "page_id", pages, "page_id")
    return ReferencePackage(
        name=package.get("name", name),
        origin=_origin(package),
        pages=tables["pages"],
        figures=figures,
        events=events,
        checks=checks,
    )


def load_reference_packages(root: Path | str | None = None) -> dict[str, ReferencePackage]:
    """Return every reference package under ``root`` by name, each checked; problems of all at once."""
    packages, problems = {}, []
    for name in package_names(root):
        try:
            packages[name] = load_reference_package(name, root)
        except DataValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataValidationError(problems)
    return packages


def figures_table(packages: dict[str, ReferencePackage]) -> pd.DataFrame:
    """Return every package's figures in one frame with ``package`` and ``citation`` columns.

    Columns: package, figure_id, measure, subject, value, unit, qualifier, period,
    period_type, period_start, period_end, value_base, base_unit, page_id, url, citation.
    """
    frames = []
    for name, pkg in packages.items():
        frame = pkg.figures.merge(pkg.pages[["page_id", "url"]], on="page_id", how="left")
        frame.insert(0, "package", name)
        frame["citation"] = [pkg.citation(f) for f in frame["figure_id"]]
        frames.append(frame)
    columns = [
        "package",
        "figure_id",
        "measure",
        "subject",
        "value",
        "unit",
        "qualifier",
        "period",
        "period_type",
        "period_start",
        "period_end",
        "value_base",
        "base_unit",
        "page_id",
        "url",
        "citation",
    ]
    return pd.concat(frames, ignore_index=True)[columns]
