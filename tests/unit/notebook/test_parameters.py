"""Parameter specs (notebooks/<stem>.params.yaml), validation and notebook defaults."""

from __future__ import annotations

import math

import nbformat
import pytest

from magnet_watch import paths
from magnet_watch.errors import ParameterError
from magnet_watch.notebook.namespace import (
    _literal_assignments,
    check_notebook_parameters,
    set_names,
)
from magnet_watch.notebook.parameters import (
    describe_allowed,
    load_parameter_specs,
    notebook_parameters,
    validate_parameters,
)

MY_NOTEBOOKS = ["01_overview", "02_capacity", "03_imports", "04_market_share"]


# The real specs -------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", MY_NOTEBOOKS)
def test_spec_matches_the_notebooks_parameters_cell(stem):
    specs = load_parameter_specs(stem)["parameters"]
    defaults = notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")
    assert set(specs) == set(defaults), (
        "the YAML and the parameters cell must declare the same names"
    )


@pytest.mark.parametrize("stem", MY_NOTEBOOKS)
def test_the_notebooks_defaults_are_valid(stem):
    defaults = notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")
    checked = validate_parameters(stem, defaults)
    assert set(checked) == set(defaults)


def test_float_parameters_are_widened_and_ints_kept():
    checked = validate_parameters("02_capacity", {"start_output_t_per_yr": 100, "start_year": 2026})
    assert checked == {"start_output_t_per_yr": 100.0, "start_year": 2026}
    assert isinstance(checked["start_output_t_per_yr"], float)
    assert isinstance(checked["start_year"], int)


def test_nullable_parameters_accept_none():
    assert validate_parameters("03_imports", {"growth_rate_pct_per_yr": None}) == {
        "growth_rate_pct_per_yr": None
    }


# Clear errors naming the parameter, the value and what is allowed ------------------------------


@pytest.mark.parametrize(
    ("stem", "values", "expected"),
    [
        (
            "02_capacity",
            {"nd_mass_fraction": 1.5},
            "parameter 'nd_mass_fraction' = 1.5 is out of range: allowed a float above 0 and up to 1 "
            "(fraction of magnet mass)",
        ),
        (
            "02_capacity",
            {"nd_mass_fraction": 0.0},
            "parameter 'nd_mass_fraction' = 0.0 is out of range",
        ),
        (
            "02_capacity",
            {"nd_mass_fraction": "0.3"},
            "parameter 'nd_mass_fraction' = '0.3' has the wrong type str: allowed a float",
        ),
        (
            "02_capacity",
            {"nd_mass_fraction": None},
            "parameter 'nd_mass_fraction' = None is missing a value",
        ),
        (
            "02_capacity",
            {"nd_mass_fraction": math.nan},
            "parameter 'nd_mass_fraction' = nan is not a finite number",
        ),
        (
            "02_capacity",
            {"start_year": True},
            "parameter 'start_year' = True has the wrong type bool: allowed an int from 2020 to 2060",
        ),
        (
            "02_capacity",
            {"start_year": 2025.5},
            "parameter 'start_year' = 2025.5 has the wrong type",
        ),
        (
            "02_capacity",
            {"ramp_shape": "zigzag"},
            "parameter 'ramp_shape' = 'zigzag' is not an allowed choice: allowed one of 'linear', "
            "'s_curve', 'front_loaded', 'back_loaded'",
        ),
        (
            "02_capacity",
            {"start_year": 2030, "target_year": 2028},
            "parameter 'target_year' = 2028 with 'start_year' = 2030 is not allowed: the target "
            "year must come after the start year",
        ),
        (
            "03_imports",
            {"growth_rate_pct_per_yr": -3.0},
            "parameter 'growth_rate_pct_per_yr' = -3.0 is out of range: allowed a float from 0 to 100",
        ),
        (
            "03_imports",
            {"plausible_low_usd_per_kg": 300.0},
            "parameter 'plausible_high_usd_per_kg' = 200.0 with 'plausible_low_usd_per_kg' = 300.0 "
            "is not allowed",
        ),
        (
            "04_market_share",
            {"approx_tolerance_pct": 80},
            "parameter 'approx_tolerance_pct' = 80 is out of range: allowed a float from 0 to 50",
        ),
        (
            "04_market_share",
            {"approx_tolerence_pct": 5.0},
            "unknown parameter(s) ['approx_tolerence_pct'] for notebook '04_market_share': "
            "allowed ['approx_tolerance_pct', 'as_of', 'reference_year']",
        ),
        (
            "01_overview",
            {"include_future": 1},
            "parameter 'include_future' = 1 has the wrong type int: allowed a bool",
        ),
    ],
)
def test_bad_values_give_a_clear_error(stem, values, expected):
    with pytest.raises(ParameterError) as caught:
        validate_parameters(stem, values)
    assert expected in str(caught.value)


def test_a_rule_uses_the_notebooks_default_for_the_missing_side(tmp_path):
    _write_spec(tmp_path, "demo", RULE_SPEC)
    _write_notebook(tmp_path / "demo.ipynb", "start = 2030\nend = 2035\n")
    assert validate_parameters("demo", {"end": 2031}, tmp_path) == {"end": 2031}
    with pytest.raises(ParameterError, match="'end' = 2029 with 'start' = 2030"):
        validate_parameters("demo", {"end": 2029}, tmp_path)


def test_a_rule_is_skipped_when_a_side_is_none(tmp_path):
    _write_spec(tmp_path, "demo", RULE_SPEC)
    _write_notebook(tmp_path / "demo.ipynb", "start = None\nend = 2035\n")
    assert validate_parameters("demo", {"end": 2000}, tmp_path) == {"end": 2000}


def test_describe_allowed_words():
    assert describe_allowed({"type": "int", "min": 1, "unit": "t"}) == "an int of at least 1 (t)"
    assert describe_allowed({"type": "float", "max": 2, "exclusive_max": True, "unit": "x"}) == (
        "a float below 2 (x)"
    )
    assert describe_allowed({"type": "str", "choices": ["a"], "nullable": True, "unit": "u"}) == (
        "one of 'a', or None (u)"
    )


# Malformed spec files are refused, naming the file and entry ----------------------------------

RULE_SPEC = """
parameters:
  start: {type: int, nullable: true, unit: year, description: first year}
  end: {type: int, unit: year, description: last year}
rules:
  - {left: end, op: ">", right: start, message: end after start}
"""


def _write_spec(folder, stem, text):
    (folder / f"{stem}.params.yaml").write_text(text, encoding="utf-8")


def _write_notebook(path, parameters_source, tags=("parameters",)):
    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters_source)
    cell.metadata["tags"] = list(tags)
    book.cells = [nbformat.v4.new_markdown_cell("# demo"), cell]
    nbformat.write(book, path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("parameters: [1, 2]", "demo.params.yaml: [1, 2] not declared in parameters.yaml"),
        ("parameters: 3", "demo.params.yaml: 'parameters' must list names (or map new ones)"),
        (
            "parameters:\n  x: {type: complex, unit: u, description: d}",
            "demo.params.yaml: parameter 'x': type must be one of ['bool', 'date', 'float', 'int', 'str']",
        ),
        (
            "parameters:\n  x: {type: int, description: d}",
            "demo.params.yaml: parameter 'x': 'unit' is required",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d, maximum: 3}",
            "demo.params.yaml: parameter 'x': unknown keys ['maximum']",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d, min: 5, max: 1}",
            "demo.params.yaml: parameter 'x': min 5 is above max 1",
        ),
        (
            "parameters:\n  x: {type: str, unit: u, description: d, min: 1}",
            "min/max apply only to int and float parameters",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d}\n"
            "rules:\n  - {left: x, op: '>', right: y}",
            "demo.params.yaml: rule 1: right 'y' is not a declared parameter",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d}\n"
            "rules:\n  - {left: x, op: '=>', right: x}",
            "demo.params.yaml: rule 1: needs left, op",
        ),
        ("parameters: {x: [", "demo.params.yaml is not valid YAML"),
        (
            "parameters:\n  x: {type: int, unit: u, description: d}\n"
            "  x: {type: float, unit: u, description: d}",
            "found duplicate key 'x' on line 3, first written on line 2",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d, type: float}",
            "found duplicate key 'type' on line 2, first written on line 2",
        ),
        (
            "parameters:\n  x: {type: int, unit: u, description: d}\nparameters: {}",
            "found duplicate key 'parameters' on line 3, first written on line 1",
        ),
    ],
)
def test_a_malformed_spec_is_refused(tmp_path, text, expected):
    _write_spec(tmp_path, "demo", text)
    with pytest.raises(ParameterError) as caught:
        load_parameter_specs("demo", tmp_path)
    assert expected in str(caught.value)


def test_a_missing_spec_names_the_expected_file(tmp_path):
    with pytest.raises(
        ParameterError, match=r"no parameter spec for notebook 'nope': expected .*nope"
    ):
        load_parameter_specs("nope", tmp_path)


# Reading a notebook's defaults ----------------------------------------------------------------


def test_notebook_parameters_reads_literals_only_from_the_tagged_cell(tmp_path):
    path = tmp_path / "demo.ipynb"
    _write_notebook(
        path, "a = 1  # one\nb: float = 2.5\nc = None\nd = 'x'\nflag = False\nimport os\n"
    )
    assert notebook_parameters(path) == {"a": 1, "b": 2.5, "c": None, "d": "x", "flag": False}


def test_notebook_parameters_refuses_a_computed_default(tmp_path):
    path = tmp_path / "demo.ipynb"
    _write_notebook(path, "a = 1 + len('ab')\n")
    with pytest.raises(ParameterError, match="parameter 'a' must be a literal, got \"1 \\+ len"):
        notebook_parameters(path)


def test_notebook_parameters_needs_a_tagged_cell(tmp_path):
    path = tmp_path / "demo.ipynb"
    _write_notebook(path, "a = 1\n", tags=())
    with pytest.raises(ParameterError, match="demo.ipynb has no cell tagged 'parameters'"):
        notebook_parameters(path)


# Parameters written once: the notebook's validation cell reads them from its namespace -------

PARAMETERISED = [
    "01_overview",
    "02_capacity",
    "03_imports",
    "04_market_share",
    "05_claims_check",
    "06_curation_audit",
    "07_sensitivity",
]


@pytest.mark.parametrize("stem", PARAMETERISED)
def test_the_validation_cell_takes_the_names_from_the_spec(stem):
    """Each parameter is written twice (parameters cell, spec), never listed a third time."""
    book = nbformat.read(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert f'params = check_notebook_parameters("{stem}", globals())' in code[1].source
    assert not any(
        f'"{name}":' in code[1].source for name in load_parameter_specs(stem)["parameters"]
    )


@pytest.mark.parametrize("stem", PARAMETERISED)
def test_the_notebooks_defaults_pass_the_check_as_its_namespace(stem):
    defaults = notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")
    namespace = {"__name__": "__main__", "math": math, "print": print, **defaults}
    assert check_notebook_parameters(stem, namespace) == validate_parameters(stem, defaults)


def test_one_unit_per_quantity_across_notebooks():
    """approx_tolerance_pct is a percent wherever it is declared (04 and 05)."""
    specs = [load_parameter_specs(stem)["parameters"] for stem in PARAMETERISED]
    tolerances = [s["approx_tolerance_pct"] for s in specs if "approx_tolerance_pct" in s]
    assert len(tolerances) == 2
    assert {t["unit"].split()[0] for t in tolerances} == {"percent"}
    assert not any("approx_tolerance" in s for s in specs), "the fraction form is gone"


DEMO_SPEC = """
parameters:
  growth_pct: {type: float, min: 0, max: 100, unit: percent, description: growth}
  shape: {type: str, choices: [linear, s_curve], unit: name, description: ramp shape}
"""
DEMO_CELL = "growth_pct = 5.0  # percent\nshape = 'linear'  # name\n"
# What IPython puts in every notebook's namespace, beside what the cells set.
IPYTHON_NAMESPACE = {
    "__name__": "__main__",
    "__builtins__": {},
    "_ih": [],
    "_oh": {},
    "_dh": ["/x"],
    "_": "",
    "__": "",
    "_i": "",
    "_i1": "",
    "_1": 1,
    "Out": {},
    "get_ipython": lambda: None,
    "exit": lambda: None,
    "quit": lambda: None,
}


def _namespace(*cells: str, imports: dict | None = None, **values) -> dict:
    """Return a notebook-like namespace: IPython's names, ``In`` (the cells run) and the values
    those cells set (given as keyword arguments)."""
    return {**IPYTHON_NAMESPACE, "In": ["", *cells], **(imports or {}), **values}


@pytest.mark.parametrize(
    ("cells", "values", "expected"),
    [
        # papermill -p growth abc: its injected cell sets a name the spec does not declare
        (
            (DEMO_CELL, "# Parameters\ngrowth = 'abc'\n"),
            {"growth": "abc"},
            "unknown parameter(s) ['growth'] for notebook 'demo': allowed ['growth_pct', 'shape']",
        ),
        # a typo typed into a new cell in JupyterLab
        ((DEMO_CELL, "shpe = 's_curve'"), {"shpe": "s_curve"}, "unknown parameter(s) ['shpe']"),
        # two at once, listed in order
        (
            (DEMO_CELL, "# Parameters\nzeta = 1\nalpha = None\n"),
            {"zeta": 1, "alpha": None},
            "unknown parameter(s) ['alpha', 'zeta']",
        ),
        # an injected name that a later analysis cell would overwrite is still refused
        ((DEMO_CELL, "# Parameters\nfacts = 3\n"), {"facts": 3}, "unknown parameter(s) ['facts']"),
        # a declared name with a bad value: refused as before
        (
            (DEMO_CELL, "# Parameters\ngrowth_pct = -1.0\n"),
            {"growth_pct": -1.0},
            "parameter 'growth_pct' = -1.0 is out of range: allowed a float from 0 to 100",
        ),
    ],
)
def test_check_refuses_an_undeclared_or_bad_parameter(tmp_path, cells, values, expected):
    _write_spec(tmp_path, "demo", DEMO_SPEC)
    namespace = _namespace(*cells, growth_pct=5.0, shape="linear") | values
    with pytest.raises(ParameterError) as caught:
        check_notebook_parameters("demo", namespace, tmp_path)
    assert expected in str(caught.value)


def test_check_returns_the_declared_values_and_ignores_what_is_not_a_parameter(tmp_path):
    _write_spec(tmp_path, "demo", DEMO_SPEC)
    validation = "import math\nfrom x import f, CONSTANT\nparams = check(...)"
    later = "facts = load()\nshare = facts.mean()\nlabel = 'x'"  # re-run in JupyterLab
    namespace = _namespace(
        DEMO_CELL,
        "# Parameters\ngrowth_pct = 7\n",
        validation,
        later,
        imports={"math": math, "f": len, "CONSTANT": "x", "facts": [1], "share": 1.0, "label": "x"},
        growth_pct=7,
        shape="linear",
    )
    assert check_notebook_parameters("demo", namespace, tmp_path) == {
        "growth_pct": 7.0,
        "shape": "linear",
    }


def test_set_names_without_ipython_takes_every_data_name():
    namespace = {"__name__": "m", "math": math, "f": len, "growth_pct": 1.0, "Out": {}, "x": None}
    assert set_names(namespace) == ["growth_pct", "x"]


def test_check_refuses_a_declared_parameter_without_a_value(tmp_path):
    _write_spec(tmp_path, "demo", DEMO_SPEC)
    with pytest.raises(
        ParameterError, match=r"sets no value for declared parameter\(s\) \['shape'\]"
    ):
        check_notebook_parameters("demo", _namespace("growth_pct = 5.0", growth_pct=5.0), tmp_path)


def test_a_parameter_error_shows_one_line_in_a_notebook_not_a_traceback():
    error = ParameterError(
        "unknown parameter(s) ['growth'] for notebook '03_imports': allowed [...]"
    )
    assert error._render_traceback_() == [f"ParameterError: {error}"]


@pytest.mark.parametrize("stem", PARAMETERISED)
def test_only_the_parameters_cell_is_made_of_literal_assignments(stem):
    """check_notebook_parameters takes a cell of nothing but ``name = literal`` lines for a
    parameters cell; any other such cell would be refused when re-run in JupyterLab."""
    book = nbformat.read(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    others = [
        c.source
        for c in book.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ]
    assert [_literal_assignments(source) for source in others] == [set()] * len(others)
