"""USGS Mineral Commodity Summaries, every edition the project holds, side by side.

``data/reference/usgs-mcs-rare-earths/`` holds each edition's "Rare Earths" table in tidy
form (one row per figure: country, measure, year, value, status, the versions of the
edition that carry it) and ``versions.csv``, which dates every version. A figure an edition
or a version revises keeps both rows; nothing is overwritten. ``load_editions()`` reads the
package through the project's schema machinery and checks what a schema cannot: recorded
checksums, versions that exist, no two rows of one figure in the same version, every
figure present in every version of its edition, values where the status says there is one,
and each edition's world totals against its rows (per version). It collects every problem
and raises one DataValidationError naming file, line, column and row.

``Editions.current(date)`` is the edition and version current at a date (the latest
version public by then); ``Editions.figure(edition, country, measure, year, version)`` the
figure a given edition (and version) states; ``Editions.as_of(date)`` the editions as they
stood on a date (later editions and versions left out; each edition as its latest version
then). ``magnet_watch.data.usgs.load_usgs_reference(as_of)`` builds the charts' and checks'
reference from the edition current at a date; the MCS 2025 wide files of issue 1 (still read
by the scope checks) are kept equal, figure by figure, to this package's MCS 2025 rows by a test.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.public_dates import PUBLIC_FROM, source_public_dates
from magnet_watch.data.reference import rounding_half_unit
from magnet_watch.data.schema import LINE_COLUMN, read_package, read_table
from magnet_watch.errors import DataValidationError, Problem

EDITIONS_DIR = paths.DATA_DIR / "reference" / "usgs-mcs-rare-earths"
VERSIONS = "versions"
WORLD_TOTAL = "World total"
OTHER_COUNTRIES = "Other countries"  # the row for the countries an edition does not list
KEY = ["country", "measure", "year"]
# Statuses with no value (the source prints NA or a dash) and the one that is a lower bound.
NO_VALUE = ("not_available", "dash")
LOWER_BOUND = "lower_bound"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _expand(spec: str, known: list[str]) -> list[str] | None:
    """Return the versions a spec ('1.0-1.2' or '1.3') names among ``known``; None if one is unknown."""
    first, _, last = spec.partition("-")
    last = last or first
    if first not in known or last not in known:
        return None
    ordered = sorted(known, key=_version_key)
    return ordered[ordered.index(first) : ordered.index(last) + 1]


@dataclass(frozen=True)
class Editions:
    """The editions, checked. ``versions``: one row per version (version_id, edition, version,
    released, public_from, note, ...), oldest first. ``world``: one row per figure and version
    that carries it (edition, version, country, measure, year, value_t_reo, status, versions,
    note, public_from: the date of the first version carrying the row, csv_line: its line in
    the edition's file). ``prices``: edition,
    product, year, price_usd_per_kg, status, note, public_from (the edition's first version).
    ``titles``: edition id -> title ("Mineral Commodity Summaries 2026")."""

    versions: pd.DataFrame
    world: pd.DataFrame
    prices: pd.DataFrame
    titles: dict

    def current(self, date) -> pd.Series | None:
        """Return the version row (edition, version, public_from, ...) current at ``date``:
        the latest version of the latest edition public on or before it; None before any."""
        public = self.versions[self.versions[PUBLIC_FROM] <= pd.Timestamp(date)]
        return None if public.empty else public.iloc[-1]

    def latest_version(self, edition: str, date=None) -> str:
        """Return the latest version of ``edition`` (public by ``date`` when given); KeyError
        naming the editions when unknown, ValueError when none was public by then."""
        rows = self.versions[self.versions["edition"] == edition]
        if rows.empty:
            raise KeyError(f"no edition {edition!r}; there are {list(self.titles)}")
        if date is not None:
            rows = rows[rows[PUBLIC_FROM] <= pd.Timestamp(date)]
            if rows.empty:
                raise ValueError(f"{edition} was not public on {pd.Timestamp(date):%Y-%m-%d}")
        return str(rows.iloc[-1]["version"])

    def figure(
        self, edition: str, country: str, measure: str, year: int, version: str | None = None
    ) -> dict:
        """Return the figure ``edition`` states (in ``version``; default its latest) as a dict:
        value_t_reo (NaN when not available), status, versions, note, public_from. KeyError
        naming what the edition has when the figure is not in it."""
        version = version or self.latest_version(edition)
        rows = self.world[(self.world["edition"] == edition) & (self.world["version"] == version)]
        if rows.empty:
            raise KeyError(f"no version {version!r} of {edition!r}")
        match = rows[
            (rows["country"] == country) & (rows["measure"] == measure) & (rows["year"] == year)
        ]
        if match.empty:
            known = sorted(set(zip(rows["measure"], rows["year"], strict=True)))
            raise KeyError(
                f"{edition} v{version} has no {measure} {year} for {country!r}; "
                f"it has {sorted(set(rows['country']))} for {known}"
            )
        return match.iloc[0].to_dict()

    def as_of(self, date) -> Editions:
        """Return the editions as they stood on ``date``: the versions public by then, and each
        edition's figures as its latest public version states them."""
        day = pd.Timestamp(date)
        versions = self.versions[self.versions[PUBLIC_FROM] <= day]
        latest = versions.groupby("edition", sort=False)["version"].last()
        world = self.world[
            [
                latest.get(e) == v
                for e, v in zip(self.world["edition"], self.world["version"], strict=True)
            ]
        ]
        prices = self.prices[self.prices["edition"].isin(latest.index)]
        titles = {e: t for e, t in self.titles.items() if e in latest.index}
        return Editions(
            versions.reset_index(drop=True),
            world.reset_index(drop=True),
            prices.reset_index(drop=True),
            titles,
        )


def _hash_problems(directory: Path, resource: dict) -> list[Problem]:
    recorded = resource.get("hash")
    if not recorded:
        return []
    actual = hashlib.sha256((directory / resource["path"]).read_bytes()).hexdigest()
    if actual == recorded.removeprefix("sha256:"):
        return []
    return [
        Problem(
            resource["path"],
            None,
            None,
            f"sha256 is {actual}, but datapackage.json "
            f"records {recorded}: the copy of the transcription has changed",
        )
    ]


def _read(directory: Path, resource: dict) -> pd.DataFrame:
    """Read a resource by its schema; a composite key is checked here, not field by field."""
    key = resource["schema"].get("primaryKey", [])
    if len(key) <= 1:
        return read_table(directory, resource)
    schema = {k: v for k, v in resource["schema"].items() if k != "primaryKey"}
    frame = read_table(directory, {**resource, "schema": schema})
    frame.attrs["key"] = key
    return frame


def _key_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    key = frame.attrs.get("key")
    if not key:
        return []
    duplicated = frame[frame.duplicated(key, keep="first")]
    return [
        Problem(
            file,
            int(row[LINE_COLUMN]),
            key[-1],
            f"the same {'/'.join(key)} twice",
            " / ".join(str(row[k]) for k in key),
        )
        for row in duplicated.to_dict("records")
    ]


def _world_rows(
    frame: pd.DataFrame, edition: str, known: list[str], file: str, released: dict
) -> tuple[list[dict], list[Problem]]:
    """One row per figure and version that carries it, and the problems of the rows."""
    rows, problems = [], []
    for row in frame.astype(object).to_dict("records"):
        line, rid = int(row[LINE_COLUMN]), f"{row['country']} {row['measure']} {row['year']}"
        versions = _expand(str(row["versions"]), known)
        if versions is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "versions",
                    f"{row['versions']!r} names a version {edition} does not have ({known})",
                    rid,
                )
            )
            continue
        has_value = row["value_t_reo"] is not None and pd.notna(row["value_t_reo"])
        if row["status"] in NO_VALUE and has_value:
            problems.append(
                Problem(file, line, "value_t_reo", f"status {row['status']} means no value", rid)
            )
        elif row["status"] not in NO_VALUE and not has_value:
            problems.append(
                Problem(file, line, "value_t_reo", f"status {row['status']} needs a value", rid)
            )
        value = float(row["value_t_reo"]) if has_value else float("nan")
        for version in versions:
            rows.append(
                {
                    "edition": edition,
                    "version": version,
                    "country": row["country"],
                    "measure": row["measure"],
                    "year": int(row["year"]),
                    "value_t_reo": value,
                    "status": row["status"],
                    "versions": row["versions"],
                    "note": row["note"] if isinstance(row["note"], str) else "",
                    PUBLIC_FROM: released[(edition, versions[0])],
                    LINE_COLUMN: line,
                    "file": file,
                }
            )
    return rows, problems


def _coverage_problems(world: pd.DataFrame, known: dict[str, list[str]]) -> list[Problem]:
    """Each figure is in every version of its edition, once."""
    problems = []
    for (edition, country, measure, year), part in world.groupby(["edition", *KEY], sort=False):
        counts = part["version"].value_counts()
        twice = sorted(v for v, n in counts.items() if n > 1)
        missing = [v for v in known[edition] if v not in counts.index]
        row = part.iloc[-1]
        rid = f"{country} {measure} {year}"
        if twice:
            problems.append(
                Problem(
                    row["file"],
                    int(row[LINE_COLUMN]),
                    "versions",
                    f"two rows for version(s) {twice}",
                    rid,
                )
            )
        if missing:
            problems.append(
                Problem(
                    row["file"],
                    int(row[LINE_COLUMN]),
                    "versions",
                    f"no row for version(s) {missing} of {edition}",
                    rid,
                )
            )
    return problems


def total_checks(world: pd.DataFrame) -> pd.DataFrame:
    """Return one row per edition, version, measure and year: the world total against the sum
    of the rows (countries and 'Other countries'; rows without a value count as nothing).

    A rounded total passes within half a unit of its last non-zero digit
    (``reference.rounding_half_unit``); a lower bound must also be no more than the sum.
    Columns: edition, version, measure, year, stated, status, sum_of_rows, tolerance, passed,
    csv_line, file.
    """
    rows = []
    for (edition, version, measure, year), part in world.groupby(
        ["edition", "version", "measure", "year"], sort=False
    ):
        total = part[part["country"] == WORLD_TOTAL]
        if total.empty:
            continue
        total = total.iloc[0]
        summed = float(part.loc[part["country"] != WORLD_TOTAL, "value_t_reo"].sum(skipna=True))
        stated = float(total["value_t_reo"])
        tolerance = rounding_half_unit(stated)
        passed = abs(summed - stated) <= tolerance
        if total["status"] == LOWER_BOUND:
            passed = passed and summed >= stated
        rows.append(
            {
                "edition": edition,
                "version": version,
                "measure": measure,
                "year": year,
                "stated": stated,
                "status": total["status"],
                "sum_of_rows": summed,
                "tolerance": tolerance,
                "passed": bool(passed),
                LINE_COLUMN: int(total[LINE_COLUMN]),
                "file": total["file"],
            }
        )
    return pd.DataFrame(rows)


def _total_problems(world: pd.DataFrame) -> list[Problem]:
    checks = total_checks(world)
    if checks.empty:
        return []
    failed = checks[~checks["passed"]].drop_duplicates(["file", LINE_COLUMN])
    return [
        Problem(
            row["file"],
            int(row[LINE_COLUMN]),
            "value_t_reo",
            f"world total inconsistent with the rows in {row['edition']} v{row['version']}: "
            f"the rows sum to {row['sum_of_rows']:,.0f} t, the total is "
            f"{'more than ' if row['status'] == LOWER_BOUND else ''}{row['stated']:,.0f} t "
            f"(±{row['tolerance']:,.0f} t of rounding)",
            f"{WORLD_TOTAL} {row['measure']} {row['year']}",
        )
        for row in failed.to_dict("records")
    ]


def _versions(directory: Path, package: dict) -> tuple[pd.DataFrame, list[Problem]]:
    resource = next(r for r in package["resources"] if r["name"] == VERSIONS)
    versions = read_table(directory, resource)
    versions[PUBLIC_FROM], problems = source_public_dates(
        versions, resource["path"], printed_column="released", key="version_id"
    )
    for row in versions.astype(object).to_dict("records"):
        if row["version_id"] != f"{row['edition']}-{row['version']}":
            problems.append(
                Problem(
                    resource["path"],
                    int(row[LINE_COLUMN]),
                    "version_id",
                    f"must read {row['edition']}-{row['version']}",
                    row["version_id"],
                )
            )
    versions = versions.sort_values(PUBLIC_FROM, kind="stable").reset_index(drop=True)
    return versions, problems


def load_editions(directory: Path | str | None = None) -> Editions:
    """Return the editions package in ``directory`` (default data/reference/usgs-mcs-rare-earths),
    checked (see the module docstring). Raises DataValidationError listing every problem."""
    directory = Path(directory or EDITIONS_DIR).resolve()
    package = read_package(directory)
    problems: list[Problem] = []
    try:
        versions, version_problems = _versions(directory, package)
    except DataValidationError as exc:
        raise DataValidationError(exc.problems) from None
    problems += version_problems
    known = {
        e: list(part["version"].astype(str)) for e, part in versions.groupby("edition", sort=False)
    }
    released = dict(
        zip(
            zip(versions["edition"], versions["version"], strict=True),
            versions[PUBLIC_FROM],
            strict=True,
        )
    )
    world_rows, price_frames = [], []
    for resource in package["resources"]:
        edition = resource.get("x-edition")
        if edition is None:
            continue
        problems += _hash_problems(directory, resource)
        if edition not in known:
            problems.append(
                Problem(
                    "datapackage.json",
                    None,
                    "x-edition",
                    f"{edition!r} has no version in versions.csv",
                    resource["name"],
                )
            )
            continue
        try:
            frame = _read(directory, resource)
        except DataValidationError as exc:
            problems += exc.problems
            continue
        problems += _key_problems(frame, resource["path"])
        if "country" in frame.columns:
            rows, row_problems = _world_rows(
                frame, edition, known[edition], resource["path"], released
            )
            world_rows += rows
            problems += row_problems
        else:
            prices = frame.drop(columns=[LINE_COLUMN]).astype(object)
            prices.insert(0, "edition", edition)
            prices[PUBLIC_FROM] = released[(edition, known[edition][0])]
            price_frames.append(prices)
    world = pd.DataFrame(world_rows)
    if not world.empty:
        problems += _coverage_problems(world, known)
        problems += _total_problems(world)
    if problems:
        raise DataValidationError(problems)
    world = world.drop(columns=["file"])
    prices = pd.concat(price_frames, ignore_index=True)
    prices["price_usd_per_kg"] = prices["price_usd_per_kg"].astype(float)
    prices["year"] = prices["year"].astype(int)
    return Editions(versions, world, prices, dict(package.get("x-editions", {})))
