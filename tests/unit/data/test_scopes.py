"""Quantities that know what they count: the scope and kind vocabulary, checked on load.

Every metric declares its scope (what its tonnes count) and its kind (capacity, output,
target, ...) from data/scopes.csv and data/kinds.csv; a fact whose document labels it
otherwise keeps the document's label as the document's claim (scope_as_stated), never as
the project's. Bad cells are named by file, line, column and row id, with everything else
wrong, before anything loads.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from helpers.tables import set_cell

import magnet_watch as mw
from magnet_watch import DataValidationError, paths
from magnet_watch.data.scopes import fact_scope_kind


@pytest.fixture(scope="module")
def package():
    return mw.load_package()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    shutil.copytree(paths.SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "data"


def load_problems(data_dir: Path) -> list:
    with pytest.raises(DataValidationError) as info:
        mw.load_package(data_dir)
    return info.value.problems


# The vocabulary ---------------------------------------------------------------------------


def test_every_metric_declares_a_scope_and_a_kind_from_the_vocabulary(package):
    scopes, kinds = set(package.scopes["scope"]), set(package.kinds["kind"])
    for metric in package.metrics.itertuples():
        assert metric.scope in scopes, metric.metric
        assert metric.kind in kinds, metric.metric


def test_every_scope_and_kind_is_explained_in_plain_words(package):
    for table, key in ((package.scopes, "scope"), (package.kinds, "kind")):
        for row in table.itertuples():
            label, definition = row.label, row.definition
            assert label and definition and label != definition, getattr(row, key)


def test_a_broader_scope_is_never_the_scope_itself_nor_a_loop(package):
    parent = dict(zip(package.scopes["scope"], package.scopes["part_of"], strict=True))
    for scope in parent:
        seen, at = {scope}, parent[scope]
        while isinstance(at, str):
            assert at not in seen, f"{scope} is part of itself through {at}"
            seen.add(at)
            at = parent[at]


def test_the_import_tonnage_counts_permanent_magnets_of_every_kind(package):
    assert fact_scope_kind("ibns_magnet_imports_fy25", package) == (
        "permanent_magnets_all",
        "imports",
    )
    metric = package.metrics.set_index("metric").loc["magnet_imports"]
    assert "rare" not in metric["description"].lower()  # the project's label is neutral


def test_the_articles_rare_earth_magnet_label_stays_as_the_articles_claim(package):
    row = package.facts.set_index("fact_id").loc["ibns_magnet_imports_fy25"]
    assert row["scope_as_stated"] == "re_permanent_magnets"
    assert "rare earth magnets" in row["quote"]  # the document's words, kept verbatim
    assert "trade-imports-fy2021-fy2025" in row["scope_evidence"]


def test_irels_capacity_counts_ndpr_oxide_while_the_articles_say_neodymium(package):
    for fact_id in ("ipl_irel_nd_capacity", "sp_irel_nd_capacity"):
        assert fact_scope_kind(fact_id, package) == ("ndpr_oxide", "capacity")
        row = package.facts.set_index("fact_id").loc[fact_id]
        assert row["scope_as_stated"] == "neodymium_unspecified"
        assert "neodymium" in row["quote"] and "https://" in row["scope_evidence"]


def test_irels_plans_stay_neodymium_of_unstated_form_and_a_target_not_a_capacity(package):
    for fact_id in ("ibns_irel_nd_plan_2026", "ibns_irel_nd_target_2030"):
        assert fact_scope_kind(fact_id, package) == ("neodymium_unspecified", "target")


def test_the_2900_tonnes_count_usgs_national_oxide_estimate_not_irels_output(package):
    from magnet_watch.data.reference import load_usgs_world

    row = package.facts.set_index("fact_id").loc["ibns_irel_production_2024"]
    assert fact_scope_kind("ibns_irel_production_2024", package) == ("reo_equivalent", "output")
    assert (row["subject"], row["subject_counted"]) == ("IREL", "India")
    world = load_usgs_world()
    india = world[(world["country"] == "India") & (world["measure"] == "mine_production")]
    assert row["value"] in set(india["value_t_reo"])  # the same tonnes, as USGS counts them


def test_the_schemes_target_and_capacity_count_sintered_rare_earth_magnets(package):
    from magnet_watch.data.scopes import measure_scope

    assert fact_scope_kind("msa_magnet_target", package) == ("sintered_re_magnets", "target")
    capacity = measure_scope("cabinet-2025-11-26", "scheme_capacity", package=package)
    assert capacity == ("sintered_re_magnets", "capacity")


def test_the_requirement_of_about_4000_tonnes_is_a_rare_earth_magnet_requirement(package):
    from magnet_watch.data.reference_packages import load_reference_package
    from magnet_watch.data.scopes import measure_scope

    cabinet = load_reference_package("cabinet-2025-11-26")
    assert cabinet.value("repm_requirement") == 4000
    scope = measure_scope("cabinet-2025-11-26", "repm_annual_requirement", package=package)
    assert scope == ("re_permanent_magnets", "requirement")


def test_trade_imports_are_mapped_as_every_kind_of_permanent_magnet(package):
    from magnet_watch.data.scopes import measure_scope

    for name in ("trade-imports-fy2021-fy2025", "trade-imports-h1-fy2026"):
        scope = measure_scope(name, "permanent_magnet_imports", package=package)
        assert scope == ("permanent_magnets_all", "imports")


# Bad input -------------------------------------------------------------------------------

BAD_CELLS = [
    # (case, file, row id, column, bad value, what the error must say)
    (
        "metric of an unknown scope",
        "metrics.csv",
        "magnet_imports",
        "scope",
        "ferrite_magnets",
        "'ferrite_magnets' is not a known scope in scopes.csv",
    ),
    (
        "metric of an unknown kind",
        "metrics.csv",
        "magnet_imports",
        "kind",
        "demand",
        "'demand' is not a known kind in kinds.csv",
    ),
    (
        "metric without a scope",
        "metrics.csv",
        "magnet_imports",
        "scope",
        "",
        "required value is empty",
    ),
    (
        "metric without a kind",
        "metrics.csv",
        "nd_production_capacity",
        "kind",
        "",
        "required value is empty",
    ),
    (
        "fact of an unknown scope",
        "facts.csv",
        "ibns_irel_production_2024",
        "scope",
        "reo",
        "'reo' is not a known scope in scopes.csv",
    ),
    (
        "stated scope unknown",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "scope_as_stated",
        "rare_earth_magnets",
        "'rare_earth_magnets' is not a known scope in scopes.csv",
    ),
    (
        "fact scope repeating its metric's",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "scope",
        "permanent_magnets_all",
        "'permanent_magnets_all' is already the scope of metric 'magnet_imports'",
    ),
    (
        "stated scope the same as counted",
        "facts.csv",
        "ipl_irel_nd_capacity",
        "scope_as_stated",
        "ndpr_oxide",
        "'ndpr_oxide' is what the figure counts",
    ),
    (
        "stated scope without evidence",
        "facts.csv",
        "ibns_magnet_imports_fy25",
        "scope_evidence",
        "",
        "scope_as_stated given without scope_evidence",
    ),
    (
        "evidence with nothing to support",
        "facts.csv",
        "jkc_china_magnet_share",
        "scope_evidence",
        "the trade data",
        "no scope, scope_as_stated or subject_counted for it to support",
    ),
    (
        "subject counted the same as the subject",
        "facts.csv",
        "ibns_irel_production_2024",
        "subject_counted",
        "IREL",
        "'IREL' is the subject already",
    ),
    (
        "broader scope unknown",
        "scopes.csv",
        "re_permanent_magnets",
        "part_of",
        "magnets",
        "'magnets' is not a known scope in scopes.csv",
    ),
    (
        "scope id of the wrong form",
        "scopes.csv",
        "ndpr_oxide",
        "scope",
        "NdPr oxide",
        "does not match the pattern",
    ),
    (
        "conversion from an unknown scope",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "from_scope",
        "nd2o3",
        "'nd2o3' is not a known scope in scopes.csv",
    ),
    (
        "conversion to itself",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "to_scope",
        "nd_oxide",
        "converts 'nd_oxide' to itself",
    ),
    (
        "conversion over an unknown element",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "factor",
        "2 * Nd / (2 * Nd + 3 * Ox)",
        "'Ox' is not an element symbol with a standard atomic weight",
    ),
    (
        "conversion not arithmetic",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "factor",
        "2 * Nd /",
        "is not valid arithmetic",
    ),
    (
        "conversion factor of zero",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "factor",
        "Nd - Nd",
        "a factor must be above 0",
    ),
    (
        "conversion with a factor and a parameter",
        "conversions.csv",
        "ndfeb_magnets_to_nd_metal",
        "factor",
        "0.27",
        "give exactly one of factor, low and high, or parameter; found factor and parameter",
    ),
    (
        "conversion with half a range",
        "conversions.csv",
        "ndpr_oxide_to_nd_metal",
        "high",
        "",
        "a range needs both low and high",
    ),
    (
        "conversion range upside down",
        "conversions.csv",
        "ndpr_oxide_to_nd_metal",
        "low",
        "0.9",
        "low 0.9 is above high",
    ),
    (
        "conversion with no factor at all",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "factor",
        "",
        "found none",
    ),
    (
        "parameter basis without a parameter",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "basis",
        "parameter",
        "basis 'parameter' goes with a parameter",
    ),
    (
        "conversion of an unknown basis",
        "conversions.csv",
        "nd_oxide_to_nd_metal",
        "basis",
        "physics",
        "'physics' is not one of",
    ),
    (
        "conversion without its source",
        "conversions.csv",
        "ndpr_oxide_to_nd_metal",
        "source",
        "",
        "required value is empty",
    ),
]


@pytest.mark.parametrize(
    ("file", "row_id", "column", "bad", "says"),
    [case[1:] for case in BAD_CELLS],
    ids=[case[0] for case in BAD_CELLS],
)
def test_a_bad_scope_cell_is_named_by_file_line_column_and_row(
    project, file, row_id, column, bad, says
):
    line = set_cell(project / file, row_id, column, bad)
    problems = load_problems(project)
    matching = [p for p in problems if p.file == file and p.column == column and says in p.message]
    assert matching, f"no problem for {file}/{column} saying {says!r} in {problems}"
    assert any(p.line == line for p in matching), (line, matching)
    assert any(
        p.row_id == (bad if column == "scope" and file == "scopes.csv" else row_id)
        for p in matching
    )


def _edit_measure_scopes(data_dir: Path, change) -> None:
    path = data_dir / "measure_scopes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])


def test_a_reference_measure_mapped_twice_is_named_with_both_lines(project):
    lines = {}

    def repeat_first_row(header, rows):
        rows.append(list(rows[0]))
        lines["repeat"] = len(rows) + 1  # the header is line 1

    _edit_measure_scopes(project, repeat_first_row)
    (problem,) = [p for p in load_problems(project) if p.file == "measure_scopes.csv"]
    assert (problem.line, problem.column) == (lines["repeat"], "measure")
    assert "'cabinet-2025-11-26' measure 'scheme_outlay' is already mapped on line 2" in str(
        problem
    )


def test_a_reference_measure_of_an_unknown_kind_is_named(project):
    def change(header, rows):
        rows[0][header.index("kind")] = "money"

    _edit_measure_scopes(project, change)
    problems = load_problems(project)
    assert any(
        p.file == "measure_scopes.csv"
        and p.line == 2
        and p.column == "kind"
        and "'money' is not a known kind in kinds.csv" in p.message
        for p in problems
    )


def test_every_scope_problem_is_reported_with_the_others_at_once(project):
    set_cell(project / "metrics.csv", "magnet_imports", "scope", "ferrite_magnets")
    set_cell(project / "facts.csv", "ibns_magnet_imports_fy25", "scope_evidence", "")
    set_cell(project / "conversions.csv", "nd_oxide_to_nd_metal", "factor", "Nd / Xx")
    set_cell(project / "facts.csv", "ipl_irel_nd_capacity", "low", "600")
    problems = load_problems(project)
    columns = {(p.file, p.column) for p in problems}
    assert {
        ("metrics.csv", "scope"),
        ("facts.csv", "scope_evidence"),
        ("conversions.csv", "factor"),
        ("facts.csv", "low"),
    } <= columns


def test_no_metric_describes_its_figures_by_a_label_the_project_reads_as_the_documents_claim(
    package,
):
    scopes = package.scopes.set_index("scope")
    description = dict(zip(package.metrics["metric"], package.metrics["description"], strict=True))
    stated = package.facts.dropna(subset=["scope_as_stated"])
    assert len(stated) >= 4  # the import tonnage, IREL's capacity twice, the 2,900 t
    for row in stated.itertuples():
        scope = scopes.loc[row.scope_as_stated]
        also = scope["also_written"].split("; ") if isinstance(scope["also_written"], str) else []
        for words in (scope["label"], *also):
            assert words.lower() not in description[row.metric].lower(), (row.fact_id, words)


def test_the_trade_figure_the_import_evidence_cites_counts_what_the_fact_counts(package):
    from magnet_watch.data.reference_packages import load_reference_package
    from magnet_watch.data.scopes import measure_scope

    trade = load_reference_package("trade-imports-fy2021-fy2025")
    figure = trade.figure("imports_fy2025")
    fact = package.facts.set_index("fact_id").loc["ibns_magnet_imports_fy25"]
    assert figure["period"] == fact["period"]  # the same fiscal year
    assert measure_scope(trade.name, figure["measure"], package=package) == fact_scope_kind(
        "ibns_magnet_imports_fy25", package
    )
