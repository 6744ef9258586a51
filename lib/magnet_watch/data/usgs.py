"""The USGS reference at a date: the edition current then, its tables, its origin record and
the shares computed from them.

``load_usgs_reference(as_of)`` reads the editions package once (``data.editions``, the one
reader of ``data/reference/usgs-mcs-rare-earths/``) and keeps the edition and version current
at ``as_of`` (None: the latest): as of 2025-11-30 that is Mineral Commodity Summaries 2025,
at the latest date MCS 2026 version 1.3. ``UsgsReference`` holds that edition's figures in the
long layout the checks and charts read (``data.reference.world_shares``), figures the edition
prints as not available kept as such (NaN, with their status and footnote), never as 0.

The claims checks run many times per build (every case of the explorers' grids), so the
callers load the reference once and pass it in. The shares of the world total do not depend
on the check's parameters: ``UsgsReference`` computes them once, for every measure and year,
when it is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from magnet_watch.data.editions import (
    EDITIONS_DIR,
    LOWER_BOUND,
    OTHER_COUNTRIES,
    WORLD_TOTAL,
    Editions,
    load_editions,
)
from magnet_watch.data.public_dates import PUBLIC_FROM
from magnet_watch.data.reference import (
    MEASURES,
    ROW_KINDS,
    WORLD_RESERVES_QUALIFIER,
    production_years,
    world_shares,
)
from magnet_watch.data.schema import LINE_COLUMN, read_package

# A product as the editions write it: "Neodymium oxide, 99.5% minimum".
_PRODUCT = re.compile(r"^(?P<oxide>.+ oxide),? (?P<purity>[0-9.]+)% minimum$")
# The chapter both editions' figures come from (the package's "publication").
CHAPTER = 'chapter "Rare Earths"'


@dataclass(frozen=True, eq=False)
class UsgsReference:
    """The USGS reference, checked: ``world`` (``load_usgs_world``), ``prices``
    (``load_usgs_prices``) and ``origin`` (``data.reference.origin``: producer, publication,
    published, urls, citation).

    Made from those three; ``years`` (the years with both mine production and prices,
    ascending) and the shares of every measure and year are derived once, on creation.
    """

    world: pd.DataFrame
    prices: pd.DataFrame
    origin: dict
    years: list[int] = field(init=False)
    _shares: dict = field(init=False, repr=False)
    _countries: dict = field(init=False, repr=False)

    def __post_init__(self):
        # A frozen dataclass sets its derived fields through object.__setattr__.
        price_years = set(self.prices["year"].astype(int))
        production = production_years(self.world)
        keys = [("reserves", None)] + [("mine_production", y) for y in production]
        shares = {key: world_shares(self.world, *key) for key in keys}
        countries = {key: _by_country(frame) for key, frame in shares.items()}
        object.__setattr__(self, "years", sorted(set(production) & price_years))
        object.__setattr__(self, "_shares", shares)
        object.__setattr__(self, "_countries", countries)

    def world_shares(self, measure: str, year: int | None = None) -> pd.DataFrame:
        """Return ``data.reference.world_shares(world, measure, year)`` (a copy of the frame
        computed on creation). Raises ValueError for an unknown measure or year."""
        shares = self._shares.get((measure, year))
        return world_shares(self.world, measure, year) if shares is None else shares.copy()

    def figures(self, measure: str, year: int | None = None) -> list[dict]:
        """Return ``world_shares(world, measure, year)`` as one dict per row, in its order
        (largest first). Raises ValueError for an unknown measure or year."""
        return [dict(row) for row in self._by_country(measure, year).values()]

    def country_figure(self, country: str, measure: str, year: int | None = None) -> dict:
        """Return one country's row of ``world_shares`` as a dict (value_t_reo, share_pct, rank,
        world_total_t_reo, world_qualifier, ...). Raises ValueError for an unknown measure or
        year, KeyError naming the countries the reference has for an unknown country."""
        countries = self._by_country(measure, year)
        if country not in countries:
            raise KeyError(f"no country {country!r} in the reference; it has {list(countries)}")
        return dict(countries[country])

    def _by_country(self, measure: str, year: int | None) -> dict[str, dict]:
        countries = self._countries.get((measure, year))
        if countries is None:  # not computed on creation: world_shares names what exists
            countries = _by_country(world_shares(self.world, measure, year))
        return countries

    def oxide_price_usd_per_kg(self, oxide: str, year: int) -> float | None:
        """Return the average price of ``oxide`` ("Neodymium oxide") in ``year``, US dollars per
        kg of oxide; None when the reference has none."""
        return oxide_price_usd_per_kg(self.prices, oxide, year)


def _by_country(shares: pd.DataFrame) -> dict[str, dict]:
    return {record["country"]: record for record in shares.to_dict("records")}


def oxide_price_usd_per_kg(prices: pd.DataFrame, oxide: str, year: int) -> float | None:
    """Return the price of ``oxide`` in ``year`` from ``prices`` (``load_usgs_prices``), US
    dollars per kg of oxide; None when the table has none."""
    match = prices[(prices["oxide"] == oxide) & (prices["year"] == year)]
    return None if match.empty else float(match["price_usd_per_kg"].iloc[0])


def _row_kind(country: str) -> str:
    return {WORLD_TOTAL: "world_total", OTHER_COUNTRIES: "other"}.get(country, "country")


def _qualifier(kind: str, status: str) -> str:
    """The qualifier a figure carries in the shares: a world total is "rounded" or, printed with
    '>', "more than"; a country's figure "estimated" as the source marks it, else "stated"."""
    if kind == "world_total":
        return WORLD_RESERVES_QUALIFIER if status == LOWER_BOUND else "rounded"
    return "estimated" if status == "estimated" else "stated"


def edition_world(rows: pd.DataFrame) -> pd.DataFrame:
    """Return one edition version's rows of ``Editions.world`` in the long layout of
    ``data.reference.load_usgs_world``: country, row_kind, measure, year (<NA> for reserves,
    stated once per edition), value_t_reo (NaN where the edition prints NA or a dash), status
    (as the edition marks it), qualifier, note, csv_line, column."""
    kinds = [_row_kind(c) for c in rows["country"]]
    frame = pd.DataFrame(
        {
            "country": rows["country"].astype("string").values,
            "row_kind": pd.Categorical(kinds, categories=list(ROW_KINDS)),
            "measure": pd.Categorical(rows["measure"].values, categories=list(MEASURES)),
            "year": pd.array(
                [
                    None if m == "reserves" else int(y)
                    for m, y in zip(rows["measure"], rows["year"], strict=True)
                ],
                dtype="Int64",
            ),
            "value_t_reo": rows["value_t_reo"].astype(float).values,
            "status": rows["status"].astype("string").values,
            "qualifier": pd.array(
                [_qualifier(k, s) for k, s in zip(kinds, rows["status"], strict=True)],
                dtype="string",
            ),
            "note": rows["note"].fillna("").astype("string").values,
            LINE_COLUMN: rows[LINE_COLUMN].astype(int).values,
            "column": "value_t_reo",
        }
    )
    return frame.reset_index(drop=True)


def edition_prices(prices: pd.DataFrame) -> pd.DataFrame:
    """Return one edition's rows of ``Editions.prices`` in the layout of
    ``data.reference.load_usgs_prices``: product, oxide ("Neodymium oxide"), min_purity_pct,
    year (Int64), price_usd_per_kg, note."""
    parts = [_PRODUCT.match(p) for p in prices["product"]]
    frame = pd.DataFrame(
        {
            "product": prices["product"].astype("string").values,
            "oxide": pd.array([m.group("oxide") for m in parts], dtype="string"),
            "min_purity_pct": [float(m.group("purity")) for m in parts],
            "year": pd.array(prices["year"].astype(int).values, dtype="Int64"),
            "price_usd_per_kg": prices["price_usd_per_kg"].astype(float).values,
            "note": prices["note"].fillna("").astype("string").values,
        }
    )
    return frame.reset_index(drop=True)


def _month(released: str) -> str:
    """'2026-05-27' or '2026-05' -> 'May 2026'; a year alone stays as it is."""
    if len(released) < 7:
        return released
    return pd.Timestamp(released[:7] + "-01").strftime("%B %Y")


def edition_origin(editions: Editions, version: pd.Series, package: dict) -> dict:
    """Return the origin record of one edition version (as ``data.reference.origin`` gives one):
    title, producer, publication, published, urls, licence, units, notes, citation, and
    ``name`` ("USGS Mineral Commodity Summaries 2026, version 1.3, May 2026"), ``short``
    ("USGS MCS 2026 v1.3", for titles; the subtitle names it whole), ``edition``,
    ``version``, ``reserves_period`` ("reserves, 2026 edition"). The version is named when the
    edition has more than one (MCS 2025's single "1.0" is the project's label, not USGS's)."""
    edition, title = str(version["edition"]), editions.titles[str(version["edition"])]
    producer = package["producer"]
    abbreviation = producer[producer.index("(") + 1 : producer.index(")")]
    several = (editions.versions["edition"] == edition).sum() > 1
    numbered = f", version {version['version']}" if several else ""
    name = f"{abbreviation} {title}{numbered}, {_month(str(version['released']))}"
    initials = "".join(w[0] for w in title.split() if w[0].isupper())
    short = f"{abbreviation} {initials} {title.split()[-1]}" + (
        f" v{version['version']}" if several else ""
    )
    record = {
        "title": f"Rare Earths: world mine production, reserves and oxide prices, {name}",
        "producer": producer,
        "publication": f"{title}, {CHAPTER}",
        "published": str(version["released"]),
        "urls": [s["path"] for s in package.get("sources", []) if s.get("x-edition") == edition],
        "licence": package["licenses"][0]["title"],
        "units": package.get("units", {}),
        "notes": [str(version["note"])],
        "name": name,
        "short": short,
        "edition": edition,
        "version": str(version["version"]),
        "reserves_period": f"reserves, {title.split()[-1]} edition",
    }
    record["citation"] = f"{name}, {CHAPTER}; {producer}"
    return record


def usgs_reference_at(editions: Editions, as_of=None, package: dict | None = None) -> UsgsReference:
    """Return the reference the edition and version current at ``as_of`` states (None: the
    latest version in ``editions``). ``package`` is the editions' datapackage.json (read from
    the default folder when not given). ValueError when no edition was public by ``as_of``."""
    day = editions.versions[PUBLIC_FROM].max() if as_of is None else pd.Timestamp(as_of)
    current = editions.current(day)
    if current is None:
        first = editions.versions[PUBLIC_FROM].min()
        raise ValueError(
            f"no USGS edition was public on {day:%Y-%m-%d}; the first is {first:%Y-%m-%d}"
        )
    edition, version = str(current["edition"]), str(current["version"])
    world = editions.world
    rows = world[(world["edition"] == edition) & (world["version"] == version)]
    prices = editions.prices[editions.prices["edition"] == edition]
    package = read_package(EDITIONS_DIR) if package is None else package
    return UsgsReference(
        edition_world(rows), edition_prices(prices), edition_origin(editions, current, package)
    )


def load_usgs_reference(as_of=None, directory: Path | str | None = None) -> UsgsReference:
    """Return the USGS reference current at ``as_of`` (an ISO day or date; None: the latest),
    read from the editions package in ``directory`` (default data/reference/
    usgs-mcs-rare-earths) and checked once. Raises DataValidationError naming file, line and
    column on any problem of the package."""
    directory = Path(directory or EDITIONS_DIR)
    return usgs_reference_at(load_editions(directory), as_of, read_package(directory.resolve()))


def reserves_by_edition(editions: Editions, country: str) -> list[dict]:
    """Return, for each edition in ``editions`` (oldest first, each as its latest version in
    them: pass ``Editions.as_of(date)`` for the editions as they stood on a date), what it states
    for ``country``: name and short (``edition_origin``), value_t_reo (NaN when not available),
    share_pct, rank (None without a figure), note (the edition's footnote), current (True for
    the edition current at the latest date in ``editions``)."""
    package = read_package(EDITIONS_DIR)
    latest = editions.versions.groupby("edition", sort=False)[PUBLIC_FROM].max()
    out = []
    for edition, day in latest.items():
        usgs = usgs_reference_at(editions, day, package)
        figure = usgs.country_figure(country, "reserves")
        out.append(
            {
                "edition": edition,
                "name": usgs.origin["name"],
                "short": f"MCS {editions.titles[edition].split()[-1]}",
                "value_t_reo": float(figure["value_t_reo"]),
                "share_pct": float(figure["share_pct"]),
                "rank": None if pd.isna(figure["rank"]) else int(figure["rank"]),
                "note": str(figure["note"]),
                "current": day == latest.max(),
            }
        )
    return out
