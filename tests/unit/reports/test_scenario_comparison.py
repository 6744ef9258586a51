"""The scenario comparison: rows keyed by what identifies a figure, never by its name alone;
no row puts figures quoted at different years side by side; the key outcomes read every
scenario at one year, through the library's model."""

from __future__ import annotations

import math

import pytest

from magnet_watch.analysis.scenarios import scenario_outcomes
from magnet_watch.analysis.sensitivity import outcomes, resolve_base
from magnet_watch.narrative.scenarios import outcomes_caption, outcomes_table
from magnet_watch.reports import html

AS_OF = "As of 27 May 2026: the record holds documents from 2025."


def scenario(name, headlines):
    return {
        "name": name,
        "description": f"{name} case",
        "parameters": {},
        "reports": [{"stem": "04_m", "title": "Market", "headlines": headlines}],
    }


def rows_of(tables):
    return [(r["figure"], r["cells"]) for t in tables for r in t["rows"]]


def test_two_sources_giving_the_same_figure_are_two_rows_and_neither_is_lost():
    claims = [
        {
            "figure": "China's processing share",
            "value": "about 85%",
            "period": "Aug 2025",
            "source": "strategic-pursuit",
        },
        {
            "figure": "China's processing share",
            "value": "over 90%",
            "period": "Aug 2025",
            "source": "magnet-scheme-approval",
        },
    ]
    tables = html.scenario_tables([scenario("low", claims), scenario("high", claims)])
    cells = [cells for _, cells in rows_of(tables)]
    assert cells == [["about 85%", "about 85%"], ["over 90%", "over 90%"]]


def test_a_figure_quoted_at_another_year_never_shares_a_row():
    def need(period, value):
        return [{"figure": "Neodymium need", "value": value, "period": period, "source": "model"}]

    tables = html.scenario_tables(
        [scenario("low", need("2034", "1,350 t/yr")), scenario("base", need("2032", "1,620 t/yr"))]
    )
    rows = rows_of(tables)
    assert len(rows) == 2
    for figure, cells in rows:
        year = "2034" if "2034" in figure else "2032"
        assert year in figure  # the one year of the row, stated in its header
        assert cells.count("—") == 1  # one scenario's figure only: the other is at another year


SCENARIOS = {
    "low": {
        "growth_rate_pct_per_yr": 10.0,
        "ramp_shape": "back_loaded",
        "target_year": 2034,
        "nd_mass_fraction": 0.25,
    },
    "base": {
        "growth_rate_pct_per_yr": None,
        "ramp_shape": "linear",
        "target_year": None,
        "nd_mass_fraction": 0.27,
    },
    "high": {
        "growth_rate_pct_per_yr": 20.0,
        "ramp_shape": "front_loaded",
        "target_year": None,
        "nd_mass_fraction": 0.30,
    },
}


def test_key_outcomes_read_every_scenario_at_the_targets_own_horizon(imports_inputs):
    found = scenario_outcomes(SCENARIOS, imports_inputs)
    year = imports_inputs.capacity.target.target_year
    assert found.quote_year == year
    assert list(found.figures["scenario"]) == ["low", "base", "high"]
    for name, values in SCENARIOS.items():
        expected = outcomes(resolve_base(values, imports_inputs), year, imports_inputs)
        row = found.figures.set_index("scenario").loc[name]
        for outcome, value in expected.items():
            assert row[outcome] == pytest.approx(value, nan_ok=True), (name, outcome)
    # the slipped scenario is read at the horizon too, not at its own 2034
    low = found.figures.set_index("scenario").loc["low"]
    assert low["target_year"] == 2034 and not math.isnan(low["nd_need_t_per_yr"])


def test_the_key_outcomes_table_states_its_one_year_in_the_caption_and_each_row(imports_inputs):
    found = scenario_outcomes(SCENARIOS, imports_inputs)
    table = outcomes_table(found)
    year = str(found.quote_year)
    assert year in outcomes_caption(found.quote_year)
    assert list(table.columns) == ["figure", "low", "base", "high"]
    assert all(year in f for f in table["figure"] if not f.startswith("First year"))
    base_need = table.set_index("figure").iloc[0]["base"]
    assert base_need == "1,620 t/yr"


def test_a_scenario_may_set_as_of_and_is_then_read_from_the_record_as_it_stood(tmp_path):
    from magnet_watch.data.inputs import ImportsInputs
    from magnet_watch.data.record_view import view_as_of
    from magnet_watch.reports.comparison import key_outcomes
    from magnet_watch.reports.plan import Project

    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "base.yaml").write_text("description: defaults\nparameters: {}\n")
    (scenarios / "then.yaml").write_text(
        "description: as of the end of the articles\nparameters:\n  as_of: '2025-11-30'\n"
    )
    out = tmp_path / "out"
    out.mkdir()
    table, chart = key_outcomes(Project(scenarios_dir=scenarios), out)
    assert table.columns == ["figure", "base", "then"]
    then = view_as_of("2025-11-30")
    found = scenario_outcomes(
        {"then": {"nd_mass_fraction": 0.27}}, ImportsInputs.from_data(then.facts, then.refs)
    )
    expected = outcomes_table(found).set_index("figure")["then"].tolist()
    assert [row[2] for row in table.rows] == expected
    assert (out / chart.files["svg"]).is_file()


def test_a_scenarios_as_of_reaches_the_record_a_date_too_early_is_refused(tmp_path):
    from magnet_watch.errors import ParameterError
    from magnet_watch.reports.comparison import key_outcomes
    from magnet_watch.reports.plan import Project

    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "early.yaml").write_text(
        "description: before the scheme's article\nparameters:\n  as_of: '2025-11-29'\n"
    )
    with pytest.raises(ParameterError, match=r"early\.yaml.*too early"):
        key_outcomes(Project(scenarios_dir=scenarios), tmp_path)


def test_scenarios_whose_finding_titles_differ_share_one_table_per_report_topic():
    figure = [{"figure": "Neodymium need", "value": "1", "period": "2032", "source": "model"}]
    low, high = scenario("low", figure), scenario("high", figure)
    low["reports"][0].update(title="IREL falls 700 t short", kicker="Capacity")
    high["reports"][0].update(title="IREL falls 900 t short", kicker="Capacity")
    tables = html.scenario_tables([low, high])
    assert [t["title"] for t in tables] == ["Capacity"]
    assert rows_of(tables) == [("Neodymium need, 2032", ["1", "1"])]


def test_the_parameters_each_scenario_sets_read_in_words_not_code_names():
    from magnet_watch.reports.html import scenario_parameters

    rows = scenario_parameters(
        [
            {"parameters": {"ramp_shape": "back_loaded", "target_year": 2034}},
            {"parameters": {"ramp_shape": None}},
        ]
    )
    assert [r["label"] for r in rows] == ["the shape of the ramp", "the year the target is reached"]
    assert rows[0]["cells"] == ["back-loaded (fast late)", "the notebooks' default"]
    assert rows[1]["cells"] == ["2034 (calendar year)", "the notebooks' default"]
    assert not any("_" in cell for r in rows for cell in [r["label"], *r["cells"]])
