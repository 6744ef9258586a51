"""The top of the index: the five findings that matter most, and the scenarios.

The findings are ``narrative.lead``'s, computed with the values the build's notebooks ran
with (their defaults and any override) from the record as of the build's date; each links
to its report's chart (``<stem>.html#chart-<name>``) when the build holds that chart, else to
the report. A project whose notebooks do not take the model's assumptions (a generated test
project) has no findings; a finding whose report is not built is left out.
"""

from __future__ import annotations

from magnet_watch.reports.comparison import run_values
from magnet_watch.reports.plan import Project, load_scenario, scenario_names


def lead_findings_for(project: Project, plans, results: dict, as_of_date: str) -> list[dict]:
    """Return the index's findings: text, href and the title of the page it links (page), in
    order (empty: none to state)."""
    from magnet_watch.analysis.scenarios import runs_the_model
    from magnet_watch.data.inputs import ImportsInputs
    from magnet_watch.data.record_view import view_as_of
    from magnet_watch.narrative.lead import lead_findings

    values = run_values(plans)
    if not runs_the_model(values):
        return []
    view = view_as_of(as_of_date, data_dir=project.data_dir)
    inputs = ImportsInputs.from_data(view.facts, view.refs)
    charts = {
        stem: {c.get("name") for c in result.get("charts", [])} for stem, result in results.items()
    }
    found = []
    for finding in lead_findings(values, inputs, view.facts):
        if finding.stem not in charts:
            continue
        anchor = f"#chart-{finding.chart}" if finding.chart in charts[finding.stem] else ""
        href = f"{finding.stem}.html{anchor}"
        found.append({"text": finding.text, "href": href, "page": results[finding.stem]["title"]})
    return found


def scenario_list(project: Project) -> list[dict]:
    """Return the project's scenarios (name, description), which the index lists beside its
    link to their comparison page (``scenarios/index.html``, which every build writes)."""
    if not project.scenarios_dir.is_dir():
        return []
    return [
        {
            "name": name,
            "description": load_scenario(name, project.scenarios_dir).description,
        }
        for name in scenario_names(project.scenarios_dir)
    ]
