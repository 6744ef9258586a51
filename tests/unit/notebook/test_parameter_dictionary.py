"""The parameter dictionary: each parameter declared once, the notebooks' specs listing names,
and the Python constants that mirror it held equal to it."""

from __future__ import annotations

import pytest
import yaml

from magnet_watch import paths
from magnet_watch.analysis.capacity import RAMP_SHAPES
from magnet_watch.analysis.official_terms import GROWTH_BASES
from magnet_watch.data.lookups import APPROX_TOLERANCE
from magnet_watch.errors import ParameterError
from magnet_watch.narrative.capacity import RAMP_SHAPE_WORDS
from magnet_watch.notebook.outputs import chart_title
from magnet_watch.notebook.parameters import (
    load_parameter_specs,
    notebook_parameters,
    parameter_dictionary,
)

STEMS = sorted(
    p.name.removesuffix(".params.yaml") for p in paths.NOTEBOOKS_DIR.glob("*.params.yaml")
)


def test_every_notebook_spec_lists_names_and_declares_none_itself():
    for stem in STEMS:
        raw = yaml.safe_load((paths.NOTEBOOKS_DIR / f"{stem}.params.yaml").read_text())
        assert isinstance(raw["parameters"], list), stem
        for name, changed in (raw.get("overrides") or {}).items():
            assert set(changed) == {"description"}, (stem, name)


def test_every_declared_parameter_is_taken_by_a_notebook():
    taken = {n for stem in STEMS for n in load_parameter_specs(stem)["parameters"]}
    assert taken == set(parameter_dictionary())


def test_the_python_constants_mirror_the_dictionary():
    params = parameter_dictionary()
    assert RAMP_SHAPES == tuple(params["ramp_shape"]["choices"])
    assert set(RAMP_SHAPE_WORDS) == set(params["ramp_shape"]["choices"])
    assert GROWTH_BASES == tuple(params["growth_basis"]["choices"])
    for stem in ("04_market_share", "05_claims_check"):
        default = notebook_parameters(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")["approx_tolerance_pct"]
        assert APPROX_TOLERANCE * 100 == default


@pytest.mark.parametrize(
    "spec_text,complaint",
    [
        ("parameters: [no_such_name]\n", r"\['no_such_name'\] not declared in parameters.yaml"),
        ("parameters:\n  seed: {type: int, unit: n, description: d}\n", "already declared"),
        (
            "parameters: [seed]\noverrides:\n  seed: {max: 3}\n",
            r"may only change \['description'\]",
        ),
        ("parameters: [seed]\noverrides:\n  draws: {description: x}\n", "may only change"),
        ("parameters: [seed]\nextra: 1\n", "expected 'parameters'"),
    ],
    ids=[
        "unknown name",
        "declared twice",
        "override of a bound",
        "override of an untaken name",
        "unknown key",
    ],
)
def test_a_notebook_spec_that_breaks_the_dictionary_is_refused_naming_the_file(
    tmp_path, spec_text, complaint
):
    (tmp_path / "parameters.yaml").write_text((paths.NOTEBOOKS_DIR / "parameters.yaml").read_text())
    (tmp_path / "99_probe.params.yaml").write_text(spec_text)
    with pytest.raises(ParameterError, match=complaint) as caught:
        load_parameter_specs("99_probe", tmp_path)
    assert "99_probe.params.yaml" in str(caught.value)


def test_every_model_assumption_has_a_label_in_words_and_the_tornado_speaks_it(imports_inputs):
    from magnet_watch.analysis import sensitivity
    from magnet_watch.charts.sensitivity import tornado_chart
    from magnet_watch.notebook.assumptions import plausible_assumptions
    from magnet_watch.notebook.display import chart_spec

    assumptions, base = plausible_assumptions(imports_inputs)
    names = [a.name for a in assumptions]
    assert assumptions and all(a.label and "_" not in a.label for a in assumptions), names
    tornado = sensitivity.tornado(assumptions, base, 2032, imports_inputs)
    from magnet_watch.data.load import load_sources

    spec = chart_spec(tornado_chart(tornado, 2032, ["magnet-scheme-approval"], load_sources()))
    title = chart_title(spec, "")
    assert "depends most on the year the target is reached" in title
    assert not any(name in title for name in names)


def test_every_parameter_has_a_label_in_words_for_the_pages():
    """The pages write parameters in words ("the year the target is reached: 2032"), never by
    their code names: so every parameter the dictionary declares carries a label."""
    dictionary = parameter_dictionary()
    unlabelled = [name for name, spec in dictionary.items() if not spec.get("label")]
    coded = [name for name, spec in dictionary.items() if "_" in spec.get("label", "")]
    assert dictionary and not unlabelled and not coded, (unlabelled, coded)


def _probe(labels: str, choices: str = "choices: [a, b], ") -> str:
    return (
        "parameters:\n"
        f"  probe: {{type: str, {choices}choice_labels: {labels}, unit: n, description: d}}\n"
    )


@pytest.mark.parametrize(
    "spec_text,complaint",
    [
        (_probe("{a: 'the a'}"), r"must label each choice \['a', 'b'\] once; got \['a'\]"),
        (_probe("{a: A, b: B, c: C}"), r"got \['a', 'b', 'c'\]"),
        (_probe("{a: A, b: '  '}"), r"choice_labels for \['b'\] must be words"),
        (_probe("{a: A}", choices=""), "choice_labels needs choices"),
        (_probe("[A, B]"), "must label each choice"),
    ],
    ids=["a choice unlabelled", "a label for no choice", "empty words", "no choices", "a list"],
)
def test_choice_labels_that_do_not_word_each_choice_once_are_refused_naming_the_file(
    tmp_path, spec_text, complaint
):
    (tmp_path / "parameters.yaml").write_text((paths.NOTEBOOKS_DIR / "parameters.yaml").read_text())
    (tmp_path / "99_probe.params.yaml").write_text(spec_text)
    with pytest.raises(ParameterError, match=complaint) as caught:
        load_parameter_specs("99_probe", tmp_path)
    assert "99_probe.params.yaml" in str(caught.value) and "'probe'" in str(caught.value)


def test_every_choice_a_reader_can_pick_has_words_in_the_dictionary():
    params = parameter_dictionary()
    worded = [n for n, spec in params.items() if spec.get("type") == "str" and spec.get("choices")]
    assert worded, "no parameter with choices in words"
    for name in worded:
        labels = params[name]["choice_labels"]
        assert set(labels) == set(params[name]["choices"]), name
        assert not any("_" in text for text in labels.values()), labels
