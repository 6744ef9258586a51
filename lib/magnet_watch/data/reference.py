"""The independent reference: USGS Mineral Commodity Summaries 2025, "Rare Earths".

The figures live in ``data/reference/`` (two CSVs copied byte for byte from the
USGS transcription, and their own ``datapackage.json`` with the origin record and
Table Schemas). They are kept apart from the facts curated from the news documents
and validated by the same machinery (``magnet_watch.data.schema``).

``load_usgs_world()`` returns world mine production and reserves as a long table
(country, measure, year, value_t_reo); ``load_usgs_prices()`` the oxide prices
(product, year, price_usd_per_kg). Both fail as a whole with a DataValidationError
naming file, line and column when the schema, the recorded checksum or the
consistency of the world total with the country rows fails.
``world_shares()`` gives each country's share of the rounded world total and its rank.

Units: t_reo is metric tons of rare-earth-oxide equivalent (mine output, not
magnets, metal or concentrate); usd_per_kg is US dollars per kilogram of oxide.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import pandas as pd

from magnet_watch import paths
from magnet_watch.data.schema import LINE_COLUMN, read_package, read_table
from magnet_watch.errors import DataValidationError, Problem

REFERENCE_DIR = paths.DATA_DIR / "reference"
WORLD_RESOURCE = "usgs_world"
PRICES_RESOURCE = "usgs_prices"
WORLD_ROW = "World total (rounded)"
OTHER_ROW = "Other"
# Column names carry the measure, the year and the unit; these patterns read them.
_PRODUCTION_COLUMN = re.compile(r"^mine_production_(\d{4})_t_reo$")
_RESERVES_COLUMN = "reserves_t_reo"
_PRICE_COLUMN = re.compile(r"^price_(\d{4})_usd_per_kg$")
_PRODUCT = re.compile(r"^(?P<oxide>[A-Z][a-z]+ oxide) (?P<purity>[0-9.]+)% minimum$")
# The source states world reserves as "more than 90,000,000 t": a lower bound.
WORLD_RESERVES_QUALIFIER = "more than"

MEASURES = ("mine_production", "reserves")
ROW_KINDS = ("country", "other", "world_total")


def _reference_dir(reference_dir: Path | str | None) -> Path:
    return Path(reference_dir or REFERENCE_DIR).resolve()


def reference_package(reference_dir: Path | str | None = None) -> dict:
    """Return the parsed ``data/reference/datapackage.json``: origin record and schemas."""
    return read_package(_reference_dir(reference_dir))


def _resource(package: dict, name: str) -> dict:
    for resource in package.get("resources", []):
        if resource.get("name") == name:
            return resource
    raise DataValidationError(
        [Problem("reference/datapackage.json", None, None, f"no resource named {name!r}")]
    )


def _hash_problem(directory: Path, resource: dict) -> list[Problem]:
    """A Problem when the file's sha256 differs from the ``hash`` its resource records."""
    recorded = resource.get("hash", "")
    if not recorded.startswith("sha256:"):
        return [Problem(resource["path"], None, None, "the resource records no sha256 'hash'")]
    actual = hashlib.sha256((directory / resource["path"]).read_bytes()).hexdigest()
    if actual != recorded.removeprefix("sha256:"):
        return [
            Problem(
                resource["path"],
                None,
                None,
                f"sha256 is {actual}, but datapackage.json records {recorded}: the copy "
                "of the USGS file has changed",
            )
        ]
    return []


def rounding_half_unit(total: float) -> float:
    """Return half a unit of the last non-zero digit of ``total`` (same unit as ``total``).

    The source marks its world total "rounded" without stating the precision, so the
    precision is read from the total itself: 390,000 is rounded to the ten thousand
    (half unit 5,000), 376,000 to the thousand (half unit 500).
    """
    if total == 0 or not math.isfinite(total):
        return 0.0
    digits = str(int(round(abs(total))))
    trailing_zeros = len(digits) - len(digits.rstrip("0"))
    return 0.5 * 10**trailing_zeros


def _world_wide(directory: Path) -> tuple[pd.DataFrame, list[Problem]]:
    package = read_package(directory)
    resource = _resource(package, WORLD_RESOURCE)
    wide = read_table(directory, resource)
    problems = _hash_problem(directory, resource)
    fname = resource["path"]
    for label in (OTHER_ROW, WORLD_ROW):
        if (wide["country"] == label).sum() != 1:
            problems.append(Problem(fname, None, "country", f"expected exactly one row {label!r}"))
    return wide, problems


def _kind(country: str) -> str:
    return {WORLD_ROW: "world_total", OTHER_ROW: "other"}.get(country, "country")


def _column_qualifiers(directory: Path) -> dict[str, str]:
    """Return the ``x-qualifier`` the schema declares per column (e.g. 2024: "estimated")."""
    fields = _resource(read_package(directory), WORLD_RESOURCE)["schema"]["fields"]
    return {f["name"]: f["x-qualifier"] for f in fields if "x-qualifier" in f}


def _long_world(wide: pd.DataFrame, column_qualifiers: dict[str, str]) -> pd.DataFrame:
    rows = []
    for record in wide.to_dict("records"):
        for column, raw in record.items():
            match = _PRODUCTION_COLUMN.match(column)
            if match:
                measure, year = "mine_production", int(match.group(1))
            elif column == _RESERVES_COLUMN:
                measure, year = "reserves", None
            else:
                continue
            kind = _kind(record["country"])
            if kind == "world_total" and measure == "reserves":
                qualifier = WORLD_RESERVES_QUALIFIER
            elif kind == "world_total":
                qualifier = "rounded"
            else:
                qualifier = column_qualifiers.get(column, "stated")
            value = float(raw) if raw is not None and pd.notna(raw) else math.nan
            rows.append(
                {
                    "country": record["country"],
                    "row_kind": kind,
                    "measure": measure,
                    "year": year,
                    "value_t_reo": value,
                    "qualifier": qualifier,
                    "note": record["note"] if pd.notna(record["note"]) else "",
                    LINE_COLUMN: record[LINE_COLUMN],
                    "column": column,
                }
            )
    frame = pd.DataFrame(rows)
    frame["row_kind"] = pd.Categorical(frame["row_kind"], categories=list(ROW_KINDS))
    frame["measure"] = pd.Categorical(frame["measure"], categories=list(MEASURES))
    frame["year"] = frame["year"].astype("Int64")
    for col in ("country", "qualifier", "note", "column"):
        frame[col] = frame[col].astype("string")
    return frame


def world_total_checks(world: pd.DataFrame) -> pd.DataFrame:
    """Return one row per world-total check: stated total against the sum of the rows.

    ``world`` is the long table of ``load_usgs_world``. The sum
    covers every country row and the "Other" row; rows the source gives as not
    available count as nothing. A rounded total passes when it is within half a unit
    of its last non-zero digit of the sum (``rounding_half_unit``); a "more than"
    total must also be no more than the sum of the rows listed. Columns: measure,
    year, stated_total_t_reo, qualifier, sum_of_rows_t_reo, difference_t_reo,
    tolerance_t_reo, passed (bool), explanation, csv_line, column.
    """
    rows = []
    keys = world[["measure", "year"]].drop_duplicates().itertuples(index=False)
    for measure, year in keys:
        part = world[(world["measure"] == measure) & (world["year"].astype("object") == year)]
        if pd.isna(year):
            part = world[(world["measure"] == measure) & world["year"].isna()]
        total = part[part["row_kind"] == "world_total"].iloc[0]
        listed = part[part["row_kind"] != "world_total"]
        summed = float(listed["value_t_reo"].sum(skipna=True))
        tolerance = rounding_half_unit(total["value_t_reo"])
        difference = summed - float(total["value_t_reo"])
        passed = abs(difference) <= tolerance
        what = f"{measure.replace('_', ' ')}" + (f" {year}" if pd.notna(year) else "")
        explanation = (
            f"the rows sum to {summed:,.0f} t; the stated total {total['value_t_reo']:,.0f} t "
            f"allows ±{tolerance:,.0f} t of rounding"
        )
        if total["qualifier"] == "more than":
            within_bound = summed >= total["value_t_reo"]
            passed = passed and within_bound
            explanation += (
                f"; the rows listed {'reach' if within_bound else 'fall short of'} the "
                f"stated lower bound (more than {total['value_t_reo']:,.0f} t)"
            )
        rows.append(
            {
                "measure": str(measure),
                "year": year,
                "what": what,
                "stated_total_t_reo": float(total["value_t_reo"]),
                "qualifier": total["qualifier"],
                "sum_of_rows_t_reo": summed,
                "difference_t_reo": difference,
                "tolerance_t_reo": tolerance,
                "passed": bool(passed),
                "explanation": explanation,
                LINE_COLUMN: int(total[LINE_COLUMN]),
                "column": total["column"],
            }
        )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def world_total_table(checks: pd.DataFrame) -> pd.DataFrame:
    """Return ``world_total_checks`` as a reader's table: tonnes written out, yes/no verdict."""
    return pd.DataFrame(
        {
            "world total": checks["what"],
            "stated (t REO)": [
                f"{q} {v:,.0f}" if q == "more than" else f"{v:,.0f}"
                for q, v in zip(checks["qualifier"], checks["stated_total_t_reo"], strict=True)
            ],
            "sum of the rows (t REO)": checks["sum_of_rows_t_reo"].map("{:,.0f}".format),
            "rounding allowed (± t)": checks["tolerance_t_reo"].map("{:,.0f}".format),
            "consistent": checks["passed"].map({True: "yes", False: "no"}),
        }
    )


def load_usgs_world(reference_dir: Path | str | None = None) -> pd.DataFrame:
    """Return USGS world mine production and reserves as a long table, checked.

    One row per country (and "Other", and the world total), measure and year.
    Columns: country, row_kind (country | other | world_total), measure
    (mine_production | reserves), year (Int64; <NA> for reserves, which are stated
    once), value_t_reo (float, t REO; NaN where the source gives "not available"),
    qualifier (stated | estimated | rounded | more than), note, csv_line, column.
    Raises DataValidationError naming file, line and column on any schema, checksum
    or consistency problem (see ``world_total_checks``).
    """
    directory = _reference_dir(reference_dir)
    wide, problems = _world_wide(directory)
    if any(p.column == "country" for p in problems):  # no total or no "Other": nothing to sum
        raise DataValidationError(problems)
    world = _long_world(wide, _column_qualifiers(directory))
    checks = world_total_checks(world)
    for check in checks[~checks["passed"]].itertuples():
        problems.append(
            Problem(
                wide.attrs["file"],
                int(getattr(check, LINE_COLUMN)),
                check.column,
                f"world total inconsistent with the rows: {check.explanation}",
                WORLD_ROW,
            )
        )
    if problems:
        raise DataValidationError(problems)
    return world


def load_usgs_prices(reference_dir: Path | str | None = None) -> pd.DataFrame:
    """Return the USGS average oxide prices as a long table, checked.

    Columns: product (as USGS writes it), oxide ("Neodymium oxide"), min_purity_pct,
    year (Int64), price_usd_per_kg (float, US dollars per kg of oxide), note.
    Raises DataValidationError naming file, line and column on any problem.
    """
    directory = _reference_dir(reference_dir)
    resource = _resource(read_package(directory), PRICES_RESOURCE)
    wide = read_table(directory, resource)
    problems = _hash_problem(directory, resource)
    if problems:
        raise DataValidationError(problems)
    rows = []
    for record in wide.to_dict("records"):
        product = _PRODUCT.match(record["product"])  # the schema's pattern guarantees a match
        for column, price in record.items():
            match = _PRICE_COLUMN.match(column)
            if match:
                rows.append(
                    {
                        "product": record["product"],
                        "oxide": product.group("oxide"),
                        "min_purity_pct": float(product.group("purity")),
                        "year": int(match.group(1)),
                        "price_usd_per_kg": float(price),
                        "note": record["note"] if pd.notna(record["note"]) else "",
                    }
                )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    for col in ("product", "oxide", "note"):
        frame[col] = frame[col].astype("string")
    return frame


def production_years(world: pd.DataFrame) -> list[int]:
    """Return the years for which the reference gives mine production, ascending."""
    production = world[world["measure"] == "mine_production"]
    return sorted(int(y) for y in production["year"].dropna().unique())


def world_shares(world: pd.DataFrame, measure: str, year: int | None = None) -> pd.DataFrame:
    """Return each country's (and "Other"'s) share of the rounded world total, and its rank.

    ``measure`` is "mine_production" (give ``year``) or "reserves" (no year).
    Columns: country, row_kind, measure, year, value_t_reo, world_total_t_reo,
    world_qualifier ("rounded" or "more than"), share_pct (percent of the stated
    world total; an upper bound when the total is "more than"), rank (Int64: 1 is
    the largest, among countries with a figure; ties share the best rank; <NA> for
    "Other" and for countries without a figure), qualifier, note.
    Sorted by value, largest first. Raises ValueError for an unknown measure or year.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    part = world[world["measure"] == measure]
    if measure == "reserves":
        if year is not None:
            raise ValueError("reserves are stated once, not per year: pass year=None")
    else:
        years = production_years(world)
        if year not in years:
            raise ValueError(f"no mine production for year {year!r}; the reference has {years}")
        part = part[part["year"] == year]
    total = part[part["row_kind"] == "world_total"].iloc[0]
    rows = part[part["row_kind"] != "world_total"].copy()
    rows["world_total_t_reo"] = float(total["value_t_reo"])
    rows["world_qualifier"] = total["qualifier"]
    rows["share_pct"] = rows["value_t_reo"] / float(total["value_t_reo"]) * 100
    is_country = (rows["row_kind"] == "country") & rows["value_t_reo"].notna()
    rows["rank"] = (
        rows["value_t_reo"].where(is_country).rank(ascending=False, method="min").astype("Int64")
    )
    columns = [
        "country",
        "row_kind",
        "measure",
        "year",
        "value_t_reo",
        "world_total_t_reo",
        "world_qualifier",
        "share_pct",
        "rank",
        "qualifier",
        "note",
    ]
    rows = rows.sort_values("value_t_reo", ascending=False, na_position="last", kind="stable")
    return rows[columns].reset_index(drop=True)


def country_figure(
    world: pd.DataFrame, country: str, measure: str, year: int | None = None
) -> pd.Series:
    """Return one country's row of ``world_shares`` (value, share_pct, rank, world total).

    Raises KeyError naming the countries the reference has when ``country`` is not one.
    """
    shares = world_shares(world, measure, year)
    match = shares[shares["country"] == country]
    if match.empty:
        raise KeyError(f"no country {country!r} in the reference; it has {list(shares['country'])}")
    return match.iloc[0]


def origin(reference_dir: Path | str | None = None) -> dict:
    """Return the reference's origin record: title, producer, publication, published, urls, licence.

    ``citation`` is one line naming the producer, publication and date, for captions.
    """
    package = reference_package(reference_dir)
    record = {
        "title": package["title"],
        "producer": package["producer"],
        "publication": package["publication"],
        "published": package["published"],
        "urls": [s["path"] for s in package.get("sources", [])],
        "licence": package["licenses"][0]["title"],
        "units": package.get("units", {}),
        "notes": package.get("notes", []),
    }
    record["citation"] = f"{record['producer']}, {record['publication']} ({record['published']})"
    return record
