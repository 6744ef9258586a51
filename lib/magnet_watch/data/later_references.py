"""The later references as one bundle: the reference packages the models and checks read.

``load_references()`` loads and checks the three packages published after the seed
articles and returns them as ``References``: the scheme's terms as the Union Cabinet
approved them (26 November 2025), India's import series of permanent magnets FY2020-21 to
FY2024-25, and the April-September 2025 half year. The package names, figure ids and
event ids the library reads are named here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from magnet_watch.data.lookups import project_vocabulary
from magnet_watch.data.reference_packages import ReferencePackage, load_reference_packages

CABINET_PACKAGE = "cabinet-2025-11-26"
SERIES_PACKAGE = "trade-imports-fy2021-fy2025"
HALF_YEAR_PACKAGE = "trade-imports-h1-fy2026"
NOTIFICATION_PACKAGE = "scheme-notification-2025-12-15"
TENDER_PACKAGE = "scheme-tender-2026"
# The packages whose events are the scheme's milestones, in the order of its steps.
SCHEME_PACKAGES = (CABINET_PACKAGE, NOTIFICATION_PACKAGE, TENDER_PACKAGE)
APPROVAL_EVENT = "scheme_approved"
# The event group an award of the scheme's capacity is recorded in, in any reference package
# (none is recorded yet: no stored page reports an award).
AWARD_GROUP = "scheme_award"
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
    """The three reference packages the library reads, each already loaded and checked, as
    of ``as_of`` (None: no date, the award's floor is the approval), with the date of the
    scheme's award when one is recorded by then (``award_date``, else None)."""

    cabinet: ReferencePackage
    series: ReferencePackage
    half_year: ReferencePackage
    as_of: pd.Timestamp | None = None
    award_date: pd.Timestamp | None = None

    @classmethod
    def from_packages(cls, packages: dict[str, ReferencePackage], as_of=None) -> References:
        """Pick the packages by name from ``load_reference_packages()``'s result (or a record's
        ``references``, as of ``as_of``); the award is looked for in every package."""
        return cls(
            packages[CABINET_PACKAGE],
            packages[SERIES_PACKAGE],
            packages[HALF_YEAR_PACKAGE],
            None if as_of is None else pd.Timestamp(as_of),
            recorded_award(packages),
        )

    def earliest_award_year(self) -> int:
        """Return the earliest award year the record allows at ``as_of``: the year of the award
        when one is recorded; else not before the as-of date's year, nor the approval's."""
        if self.award_date is not None:
            return int(self.award_date.year)
        floor = self.approval_year()
        return floor if self.as_of is None else max(floor, int(self.as_of.year))

    @property
    def packages(self) -> tuple[ReferencePackage, ...]:
        """The packages in the order pages and timelines list them."""
        return (self.cabinet, self.series, self.half_year)

    def approval_year(self) -> int:
        """Return the calendar year the Cabinet approved the scheme (from its event date)."""
        return int(self.cabinet.event(APPROVAL_EVENT)["date_start"].year)


def recorded_award(packages: dict[str, ReferencePackage]) -> pd.Timestamp | None:
    """Return the date of the scheme's award (an event of ``AWARD_GROUP`` whose status is not a
    plan) in ``packages``, the earliest if several; None when none is recorded."""
    future = set(project_vocabulary().future_statuses)
    dates = [
        pkg.events.loc[
            (pkg.events["event_group"] == AWARD_GROUP)
            & ~pkg.events["status"].astype(str).isin(future),
            "date_start",
        ]
        for pkg in packages.values()
    ]
    dates = [d for frame in dates for d in frame if pd.notna(d)]
    return min(dates) if dates else None


def load_references(references_dir=None) -> References:
    """Return the later references, loaded and checked (``references_dir`` default:
    ``data/reference/``), as of the latest date in the record (``data.record.latest_record``)."""
    from magnet_watch.data.record import latest_record

    data_dir = None if references_dir is None else Path(references_dir).parent
    packages = load_reference_packages(references_dir)
    return References.from_packages(packages, latest_record(data_dir).as_of)
