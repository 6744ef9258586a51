"""The scenario comparison page (``scenarios/index.html``): parameters, key outcomes at one
year with their chart, and each built scenario's headline figures.

The key outcomes come from the scenario files themselves (``analysis.scenarios``: every
scenario through one model, read at the magnet target's horizon), so they are there whether
or not the scenarios' reports have been built; the headline tables list the scenarios built
so far. Every file is written beside its place and renamed over it: a base build may hold
hard links to the previous ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from magnet_watch.errors import ParameterError
from magnet_watch.reports.cache import read_manifest
from magnet_watch.reports.plan import (
    Project,
    discover_notebooks,
    load_scenario,
    plan_notebooks,
    scenario_names,
    scenario_origins,
)
from magnet_watch.reports.run import log

CHART_NAME = "scenarios_nd_need"
CHART_FILES = {"svg": "svg", "png": "png", "csv": "csv", "spec": "vl.json"}


def run_values(plans) -> dict:
    """Return the parameter values a build's notebooks run with (defaults included), one value
    per name: the first notebook's that declares it."""
    values: dict = {}
    for plan in plans:
        for row in plan.parameters:
            values.setdefault(row["name"], row["value"])
    return values


def scenario_values(project: Project) -> dict[str, dict]:
    """Return each scenario's run values (its file's, then the notebooks' defaults), by name."""
    notebooks = discover_notebooks(project.notebooks_dir)
    found = {}
    for name in scenario_names(project.scenarios_dir):
        scenario = load_scenario(name, project.scenarios_dir)
        plans = plan_notebooks(notebooks, scenario.parameters, scenario_origins(scenario, {}))
        found[name] = run_values(plans)
    return found


def _replace(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    _replace(temporary, target)


def key_outcomes(project: Project, scenarios_out: Path):
    """Return (the key-outcomes table, its chart) for the project's scenarios, the chart's files
    written into ``scenarios_out/charts/``; (None, None) when the notebooks do not take the
    model's assumptions (a project of other notebooks)."""
    from magnet_watch.analysis.scenarios import runs_the_model, scenario_outcomes
    from magnet_watch.charts.scenarios import scenario_need_chart
    from magnet_watch.data.inputs import ImportsInputs
    from magnet_watch.data.record_view import view_as_of
    from magnet_watch.narrative.scenarios import outcomes_caption, outcomes_table
    from magnet_watch.narrative.sensitivity import outcome_source_ids
    from magnet_watch.notebook.display import chart_spec, export_chart, with_as_of
    from magnet_watch.reports.pages import Chart, DataTable, chart_description, chart_table

    values = scenario_values(project)
    if not values or not all(runs_the_model(v) for v in values.values()):
        return None, None
    views = {}
    for name, v in values.items():
        if v.get("as_of") not in views:
            try:
                views[v.get("as_of")] = view_as_of(v.get("as_of"), data_dir=project.data_dir)
            except ParameterError as exc:
                file = project.scenarios_dir / f"{name}.yaml"
                raise ParameterError(f"scenario {name} ({file}): {exc}") from None
    inputs = {a: ImportsInputs.from_data(view.facts, view.refs) for a, view in views.items()}
    first = next(iter(values.values())).get("as_of")
    outcomes = scenario_outcomes(values, {n: inputs[v.get("as_of")] for n, v in values.items()})
    view = views[first]
    ids = outcome_source_ids(inputs[first].capacity.facts)
    chart = scenario_need_chart(outcomes, ids, view.sources)
    spec = with_as_of(chart_spec(chart), f"{view.as_of:%Y-%m-%d}")
    with tempfile.TemporaryDirectory(dir=scenarios_out) as tmp:
        written = export_chart(spec, CHART_NAME, Path(tmp))
        files = {}
        for kind, path in written.items():
            if kind in CHART_FILES:
                _replace(path, scenarios_out / "charts" / path.name)
                files[CHART_FILES[kind]] = f"charts/{path.name}"
    title = spec["title"]["text"]
    frame = outcomes_table(outcomes)
    table = DataTable(
        outcomes_caption(outcomes.quote_year),
        list(frame.columns),
        frame.astype(str).values.tolist(),
    )
    figure = Chart(CHART_NAME, title, spec, files, chart_description(spec), chart_table(spec))
    return table, figure


def write_comparison(scenarios_out: Path, project: Project) -> Path:
    """Write ``scenarios/index.html`` comparing every scenario (their key outcomes) and the
    headline figures of those built so far; return its path."""
    from magnet_watch.reports.build import record_as_of_words
    from magnet_watch.reports.html import comparison_page
    from magnet_watch.reports.pages import read_sources
    from magnet_watch.reports.publish import VEGA_BUNDLE_CACHE, write_assets

    scenarios_out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in scenario_names(project.scenarios_dir):
        manifest = read_manifest(scenarios_out / name)
        description = load_scenario(name, project.scenarios_dir).description
        reports = [
            dict(entry, stem=stem) for stem, entry in sorted(manifest.get("notebooks", {}).items())
        ]
        rows.append(
            {
                "name": name,
                "description": description,
                "parameters": load_scenario(name, project.scenarios_dir).parameters,
                "reports": reports,
                "built": bool(manifest),
            }
        )
    table, chart = key_outcomes(project, scenarios_out)
    with tempfile.TemporaryDirectory(dir=scenarios_out) as tmp:
        write_assets(Path(tmp), None, VEGA_BUNDLE_CACHE)
        for file in sorted((Path(tmp) / "assets").iterdir()):
            _replace(file, scenarios_out / "assets" / file.name)
    as_of = record_as_of_words(project.data_dir)["words"]
    page = scenarios_out / "index.html"
    sources = read_sources(project.data_dir)
    _write_text(page, comparison_page(rows, as_of, outcomes=table, chart=chart, sources=sources))
    log(f"scenario comparison: {page}")
    return page
