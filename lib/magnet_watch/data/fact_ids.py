"""The facts the computations and headlines read, by id: one place for every ``*_FACT``.

Each id names one row of data/facts.csv; the comment says what it states today.
``NamedFacts`` holds those rows, looked up once, under the same names.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from magnet_watch.data.lookups import fact

MAGNET_TARGET_FACT = "msa_magnet_target"  # 6,000 t/yr of magnets within seven years of Nov 2025
SCHEME_OUTLAY_INR_FACT = "msa_scheme_outlay_inr"  # the magnet scheme's outlay in rupees
SCHEME_OUTLAY_USD_FACT = "msa_scheme_outlay_usd"  # the same outlay, the article's dollars
IREL_ND_CAPACITY_FACT = "ipl_irel_nd_capacity"  # 400-500 t/yr of neodymium, Aug 2025
IREL_ND_PLAN_FACT = "ibns_irel_nd_plan_2026"  # 450 t of neodymium by March 2026
IREL_ND_TARGET_FACT = "ibns_irel_nd_target_2030"  # double that by 2030
IREL_PRODUCTION_FACT = "ibns_irel_production_2024"  # 2,900 t in 2024
EXPORTS_JAPAN_FACT = "ibns_exports_japan_2024"  # over 1,000 t to Japan in 2024
EXPORT_SHARE_FACT = "ibns_export_share_2024"  # more than a third of production
IMPORTS_TONNES_FACT = "ibns_magnet_imports_fy25"  # 53,748 t of magnets in FY2024-25
IMPORTS_VALUE_FACT = "msa_imports_value_2025"  # about $221 million in 2025
CHINA_IMPORT_SHARE_FACT = "msa_china_import_share"  # 80-90% of magnets and related materials
DEMAND_DOUBLING_FACT = "msa_demand_doubling"  # demand to double within five years
DEMAND_GROWTH_FACT = "msa_demand_growth_rate"  # the curator's rate for it, with derivation words
CHINA_MAGNET_SHARE_FACT = "jkc_china_magnet_share"  # 90% of world magnet production
JAPAN_MAGNET_SHARE_FACT = "jkc_japan_magnet_share"  # 8-9%
INDIA_RESERVES_SHARE_FACT = "msa_india_reserves_share"  # about 8% of world reserves
INDIA_RESERVES_RANK_FACT = "msa_india_reserves_rank"  # third-largest reserves
INDIA_MINING_SHARE_FACT = "msa_india_mining_share"  # less than 1% of world mining


@dataclass(frozen=True, eq=False)
class NamedFacts:
    """The curated facts the library reads by name, each the row of data/facts.csv whose id the
    constant above of the same name (upper case, ``_FACT``) gives. Built once from the facts
    table (``from_facts``); no module outside ``data/`` looks a fact up by its id."""

    magnet_target: pd.Series
    scheme_outlay_inr: pd.Series
    scheme_outlay_usd: pd.Series
    irel_nd_capacity: pd.Series
    irel_nd_plan: pd.Series
    irel_nd_target: pd.Series
    irel_production: pd.Series
    exports_japan: pd.Series
    export_share: pd.Series
    imports_tonnes: pd.Series
    imports_value: pd.Series
    china_import_share: pd.Series
    demand_doubling: pd.Series
    demand_growth: pd.Series
    china_magnet_share: pd.Series
    japan_magnet_share: pd.Series
    india_reserves_share: pd.Series
    india_reserves_rank: pd.Series
    india_mining_share: pd.Series

    @classmethod
    def from_facts(cls, facts: pd.DataFrame) -> NamedFacts:
        """Look each named fact up once. KeyError naming close ids for a missing one."""
        return cls(**{f.name: fact(FACT_IDS[f.name], facts) for f in fields(cls)})


# {attribute of NamedFacts: fact id}, from the constants above.
FACT_IDS = {
    name.removesuffix("_FACT").lower(): value
    for name, value in dict(globals()).items()
    if name.endswith("_FACT") and isinstance(value, str)
}
