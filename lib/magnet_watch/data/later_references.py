"""The later references as one bundle: the reference packages the models and checks read.

``load_references()`` loads and checks the three packages published after the seed
articles and returns them as ``References``: the scheme's terms as the Union Cabinet
approved them (26 November 2025), India's import series of permanent magnets FY2020-21 to
FY2024-25, and the April-September 2025 half year. The package names, figure ids and
event ids the library reads are named here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from magnet_watch.data.reference_packages import ReferencePackage, load_reference_packages

CABINET_PACKAGE = "cabinet-2025-11-26"
SERIES_PACKAGE = "trade-imports-fy2021-fy2025"
HALF_YEAR_PACKAGE = "trade-imports-h1-fy2026"
APPROVAL_EVENT = "scheme_approved"
RESTRICTIONS_EVENT = "china_export_restrictions"

# The reference figures the library reads, by figure id (the package is the attribute of
# ``References`` that holds it: cabinet, series or half_year).
OUTLAY = "outlay"
CAPACITY, DURATION, GESTATION = "capacity", "duration", "gestation"
BENEFICIARIES, CAPACITY_PER_BENEFICIARY = "beneficiaries", "capacity_per_beneficiary"
DOUBLING = "consumption_doubling"
REPM_REQUIREMENT = "repm_requirement"
IMPORTS_FY2025 = "imports_fy2025"
IMPORTS_VALUE_FY2025 = "imports_value_fy2025"
CHINA_SHARE_FY2025 = "china_share_fy2025"
IMPORTS_MEASURE = "permanent_magnet_imports"


@dataclass(frozen=True)
class References:
    """The three reference packages the library reads, each already loaded and checked."""

    cabinet: ReferencePackage
    series: ReferencePackage
    half_year: ReferencePackage

    @classmethod
    def from_packages(cls, packages: dict[str, ReferencePackage]) -> References:
        """Pick the packages by name from ``load_reference_packages()``'s result."""
        return cls(packages[CABINET_PACKAGE], packages[SERIES_PACKAGE], packages[HALF_YEAR_PACKAGE])

    @property
    def packages(self) -> tuple[ReferencePackage, ...]:
        """The packages in the order pages and timelines list them."""
        return (self.cabinet, self.series, self.half_year)

    def approval_year(self) -> int:
        """Return the calendar year the Cabinet approved the scheme (from its event date)."""
        return int(self.cabinet.event(APPROVAL_EVENT)["date_start"].year)


def load_references(references_dir=None) -> References:
    """Return the later references, loaded and checked (``references_dir`` default:
    ``data/reference/``)."""
    return References.from_packages(load_reference_packages(references_dir))
