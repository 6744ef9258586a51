"""Quantities that know what they count: a fact in the scope and kind a model input requires.

Every metric declares its scope (what its tonnes count: permanent magnets of every kind,
sintered rare-earth permanent magnets, NdPr oxide, neodymium metal, ...) and its kind
(capacity, output, target, requirement, imports, ...) in data/metrics.csv; a fact may
count another scope, or another subject, than its metric or its document says (its
``scope``, ``scope_as_stated``, ``subject_counted`` and ``scope_evidence`` columns). The
vocabulary is data: data/scopes.csv, data/kinds.csv, and the declared conversions between
scopes in data/conversions.csv.

``in_scope(fact, scope, kind)`` is what a model input calls: it returns the fact's figure
in the scope required, converted when a conversion is declared (with the words a page
prints: "converted from NdPr oxide at ..."), and otherwise raises ``ScopeError`` naming the
fact, the scope it has and the scope required. A kind is never converted: a capacity is
not an output. ``measure_scope`` does the same lookup for a reference package's measure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from magnet_watch.data.load import Package, load_package
from magnet_watch.data.lookups import fact as fact_row
from magnet_watch.data.scope_rules import factor_value

CONVERSIONS_FILE = "data/conversions.csv"


class ScopeError(ValueError):
    """A fact (or reference measure) used in a scope, kind or subject it does not count,
    with no declared conversion. The message names the fact, what it counts and what is
    required."""

    def _render_traceback_(self) -> list[str]:
        """Return the lines IPython shows instead of a traceback: the message alone."""
        return [f"ScopeError: {self}"]


@dataclass(frozen=True)
class InScope:
    """A fact's figure in the scope and kind required.

    ``value`` (a single figure) or ``low`` and ``high`` (a range; a range factor turns a
    single figure into one) are in the fact's unit, per the required scope. ``counted`` is
    the scope the fact counts; ``conversion_id`` and ``words`` ("converted from NdPr oxide
    at 0.6411-0.6843 t of neodymium metal per t (3 to 4 Nd atoms per Pr atom, an
    assumption)") are None and "" when no
    conversion was needed; ``derivation`` and ``source`` are the conversion's, for a note.
    """

    fact_id: str
    scope: str
    kind: str
    subject: str
    unit: str
    value: float | None
    low: float | None
    high: float | None
    counted: str
    conversion_id: str | None = None
    words: str = ""
    derivation: str = ""
    source: str = ""


def _vocabulary(package: Package, table: str, column: str) -> dict[str, str]:
    """Each scope (or kind) with its plain-words label."""
    frame = getattr(package, table)
    return dict(zip(frame[column].astype(str), frame["label"].astype(str), strict=True))


def _named(labels: dict[str, str], key: str) -> str:
    """A scope or kind in words with its id: "NdPr oxide (ndpr_oxide)"; "capacity" once."""
    return key if labels[key] == key else f"{labels[key]} ({key})"


def _check_known(package: Package, scope: str, kind: str) -> None:
    for table, column, key in (("scopes", "scope", scope), ("kinds", "kind", kind)):
        known = _vocabulary(package, table, column)
        if key not in known:
            raise ScopeError(
                f"{key!r} is not a {column} of data/{table}.csv; it has {sorted(known)}"
            )


def fact_scope_kind(fact: str | pd.Series, package: Package | None = None) -> tuple[str, str]:
    """Return (scope, kind) a fact's figure counts: its own scope or its metric's, and its
    metric's kind. ``fact`` is a fact id or a row of the facts table."""
    package = package or load_package()
    row = _row(fact, package)
    metric = package.metrics[package.metrics["metric"] == row["metric"]].iloc[0]
    scope = row["scope"] if pd.notna(row["scope"]) else metric["scope"]
    return str(scope), str(metric["kind"])


def _row(fact: str | pd.Series, package: Package) -> pd.Series:
    return fact_row(fact, package.facts) if isinstance(fact, str) else fact


def _is_mass(package: Package, unit: str) -> bool:
    """True for a unit of mass, mass per year or mass per item (data/units.csv's dimension):
    the quantities a conversion's tonnes per tonne apply to."""
    units = package.units
    dimension = units.loc[units["unit"] == unit, "dimension"]
    return not dimension.empty and str(dimension.iloc[0]).startswith("mass")


def _number(x) -> float | None:
    return None if pd.isna(x) else float(x)


def _factor_text(x: float) -> str:
    return f"{x:.4g}"


def _refusal(row: pd.Series, have: tuple, need: tuple, reasons: list[str], package) -> str:
    """The message for a fact refused: the fact, what it counts, what is required and why."""
    scopes, kinds = _vocabulary(package, "scopes", "scope"), _vocabulary(package, "kinds", "kind")
    message = (
        f"fact {row['fact_id']!r} counts {_named(scopes, have[0])}, kind "
        f"{_named(kinds, have[1])}, of {have[2]}; required: {_named(scopes, need[0])}, kind "
        f"{_named(kinds, need[1])}{'' if need[2] is None else f', of {need[2]}'}. "
        f"Refused: {'; '.join(reasons)}"
    )
    stated = row.get("scope_as_stated")
    if have[0] != need[0] and pd.notna(stated):
        message += (
            f". The document states it as {scopes[stated]}: that is the document's "
            f"claim, not what the figure counts (see the fact's scope_evidence)"
        )
    return message


def _factors(conversion: pd.Series, parameters: dict | None) -> tuple[float, float, str]:
    """The conversion's factor as (low, high) and in figures ("0.8574", "0.6411-0.6843";
    a parameter's value as given)."""
    if pd.notna(conversion["parameter"]):
        name = str(conversion["parameter"])
        if not parameters or name not in parameters:
            raise ScopeError(
                f"conversion {conversion['conversion_id']!r} "
                f"({conversion['from_scope']} to {conversion['to_scope']}) needs the "
                f"value of parameter {name!r}: pass parameters={{{name!r}: ...}}"
            )
        f = float(parameters[name])
        return f, f, _factor_text(f)
    if pd.notna(conversion["factor"]):
        f = factor_value(conversion["factor"])
        return f, f, _factor_text(f)
    low, high = factor_value(conversion["low"]), factor_value(conversion["high"])
    return low, high, f"{_factor_text(low)}\u2013{_factor_text(high)}"


def _mismatches(row, has: tuple, wanted: tuple, match: pd.DataFrame, package: Package) -> list[str]:
    """Why a fact that counts ``has`` (scope, kind, subject) cannot serve as ``wanted``: no
    reasons when it can (as it is, or through the one declared conversion ``match``)."""
    counted, has_kind, counts = has
    scope, kind, subject = wanted
    reasons = []
    if has_kind != kind:
        reasons.append(f"its kind is {has_kind}, not {kind} (no conversion crosses kinds)")
    if counted != scope and match.empty:
        reasons.append(f"{CONVERSIONS_FILE} declares no conversion from {counted!r} to {scope!r}")
    elif counted != scope and not _is_mass(package, row["unit"]):
        reasons.append(
            f"a conversion turns a mass of one scope into a mass of another, and "
            f"{row['unit']!r} is not a mass"
        )
    if subject is not None and counts != subject:
        named = (
            "" if counts == row["subject"] else f", which the document gives as {row['subject']}'s"
        )
        reasons.append(f"the figure counts {counts}{named}, not {subject}")
    return reasons


def in_scope(
    fact: str | pd.Series,
    scope: str,
    kind: str,
    *,
    subject: str | None = None,
    parameters: dict | None = None,
    package: Package | None = None,
) -> InScope:
    """Return a fact's figure in ``scope`` and ``kind``, converted when needed.

    ``fact`` is a fact id or a row of the facts table. ``subject``, when given, must be who
    the figure counts (its ``subject_counted``, else its subject). ``parameters`` gives the
    values of model parameters a conversion may be (``nd_mass_fraction``). Raises
    ScopeError naming the fact, what it counts and what is required when the kind or the
    subject differs, or when the scope differs and no conversion is declared.
    """
    package = package or load_package()
    _check_known(package, scope, kind)
    row = _row(fact, package)
    counted, has_kind = fact_scope_kind(row, package)
    counts = str(row["subject_counted"] if pd.notna(row["subject_counted"]) else row["subject"])
    conversions = package.conversions
    match = conversions[(conversions["from_scope"] == counted) & (conversions["to_scope"] == scope)]
    reasons = _mismatches(row, (counted, has_kind, counts), (scope, kind, subject), match, package)
    if reasons:
        raise ScopeError(
            _refusal(row, (counted, has_kind, counts), (scope, kind, subject), reasons, package)
        )
    scopes = _vocabulary(package, "scopes", "scope")
    base = dict(
        fact_id=str(row["fact_id"]),
        scope=scope,
        kind=kind,
        subject=counts,
        unit=str(row["unit"]),
        counted=counted,
    )
    value, low, high = _number(row["value"]), _number(row["low"]), _number(row["high"])
    if counted == scope:
        return InScope(**base, value=value, low=low, high=high)
    conversion = match.iloc[0]
    f_low, f_high, factor_words = _factors(conversion, parameters)
    if value is not None and f_low == f_high:
        value, low, high = value * f_low, None, None
    else:
        low = (value if value is not None else low) * f_low
        high = (value if value is not None else high) * f_high
        value = None
    words = (
        f"converted from {scopes[counted]} at {factor_words} t of {scopes[scope]} per t "
        f"({conversion['in_words']})"
    )
    return InScope(
        **base,
        value=value,
        low=low,
        high=high,
        conversion_id=str(conversion["conversion_id"]),
        words=words,
        derivation=str(conversion["derivation"]),
        source=str(conversion["source"]),
    )


def measure_scope(
    package_name: str, measure: str, item: str | None = None, *, package: Package | None = None
) -> tuple[str, str]:
    """Return (scope, kind) of a reference package's measure (``item`` for a measure with one
    row per product, such as the USGS prices). Raises KeyError when it is not mapped in
    data/measure_scopes.csv."""
    package = package or load_package()
    table = package.measure_scopes
    same_item = table["item"].isna() if item is None else table["item"] == item
    match = table[(table["package"] == package_name) & (table["measure"] == measure) & same_item]
    if match.empty:
        what = f"{package_name!r} measure {measure!r}" + (f", item {item!r}" if item else "")
        raise KeyError(f"{what} is not mapped to a scope and kind in data/measure_scopes.csv")
    return str(match["scope"].iloc[0]), str(match["kind"].iloc[0])


def require_figure_scope(
    package_name: str, figure: pd.Series, scope: str, kind: str, *, package: Package | None = None
) -> None:
    """Refuse a reference figure that does not count ``scope`` and ``kind``.

    ``figure`` is a row of a reference package's figures (its ``figure_id`` and ``measure``);
    what it counts is its measure's mapping in data/measure_scopes.csv. No conversion applies
    to a reference figure. Raises ScopeError naming the figure, what it counts and what is
    required.
    """
    package = package or load_package()
    _check_known(package, scope, kind)
    have = measure_scope(package_name, str(figure["measure"]), package=package)
    if have == (scope, kind):
        return
    scopes, kinds = _vocabulary(package, "scopes", "scope"), _vocabulary(package, "kinds", "kind")
    raise ScopeError(
        f"reference figure '{package_name}/{figure['figure_id']}' counts "
        f"{_named(scopes, have[0])}, kind {_named(kinds, have[1])}; required: "
        f"{_named(scopes, scope)}, kind {_named(kinds, kind)}. Refused: a reference "
        "figure is used only in the scope and kind its measure counts "
        "(data/measure_scopes.csv)"
    )


def unmapped_measures(
    reference_measures: list[tuple[str, str, str | None]], package: Package | None = None
) -> tuple[list[tuple], list[tuple]]:
    """Compare the reference packages' measures with data/measure_scopes.csv.

    ``reference_measures`` lists (package, measure, item or None) as the reference packages
    have them (see ``reference_measures``). Returns (measures with no mapping, mappings of
    no measure), each sorted: both empty when the mapping is whole and current.
    """
    package = package or load_package()
    table = package.measure_scopes
    mapped = {
        (p, m, None if pd.isna(i) else i)
        for p, m, i in zip(table["package"], table["measure"], table["item"], strict=True)
    }
    have = set(reference_measures)
    key = lambda t: tuple("" if x is None else str(x) for x in t)  # noqa: E731
    return sorted(have - mapped, key=key), sorted(mapped - have, key=key)


# The USGS prices have one row per oxide and year and no measure column: their measure is
# named here, and each oxide is its item in data/measure_scopes.csv.
USGS_PRICE_MEASURE = "price"


def reference_measures(root=None) -> list[tuple[str, str, str | None]]:
    """Return (package, measure, item or None) for every measure of the reference packages
    under ``root`` (default data/reference): each package's declared measures (x-measures),
    the USGS world table's measures and the USGS prices by oxide."""
    from magnet_watch.data.reference import MEASURES, load_usgs_prices, reference_package
    from magnet_watch.data.reference_packages import load_reference_packages

    out = []
    for pkg in load_reference_packages(root).values():
        out += [(pkg.name, str(m), None) for m in pkg.origin["measures"]]
    usgs = reference_package(root)["name"]
    out += [(usgs, str(m), None) for m in MEASURES]
    oxides = sorted(set(load_usgs_prices(root)["oxide"].astype(str)))
    return out + [(usgs, USGS_PRICE_MEASURE, oxide) for oxide in oxides]
