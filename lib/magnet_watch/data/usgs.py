"""The USGS reference loaded once: its tables, its origin record and the shares computed from them.

The claims checks run many times per build (every case of the explorers' grids), so the
callers load the reference once (``load_usgs_reference``) and pass it in. The shares of the
world total do not depend on the check's parameters: ``UsgsReference`` computes them
(``data.reference.world_shares``) once, for every measure and year, when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from magnet_watch.data.reference import (
    load_usgs_prices,
    load_usgs_world,
    origin,
    production_years,
    world_shares,
)


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


def load_usgs_reference(reference_dir: Path | str | None = None) -> UsgsReference:
    """Return the USGS reference in ``reference_dir`` (default: data/reference), loaded and
    checked once. Raises DataValidationError naming file, line and column on any problem."""
    return UsgsReference(
        load_usgs_world(reference_dir), load_usgs_prices(reference_dir), origin(reference_dir)
    )
