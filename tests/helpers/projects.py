"""Small generated report projects: notebooks with prose, a parameter spec, a chart, headline
figures and a table, whose quotes carry "<script>", built by the report tests, the browser
tests and the JupyterLab test."""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

from magnet_watch import paths

# The code cell of a quick notebook: no chart, no table, a kernel that starts and prints.
QUICK = "print(f'growth {growth_pct}')"
# How a quick project is built: on fresh kernels (``build(..., **QUICK_KERNELS)``, or
# QUICK_KERNELS_ARG on the command line). A quick notebook imports nothing, so the fork server,
# which preloads pandas, Altair and the project for its kernels, would cost a build 1.2 s of
# CPU and save none. Forked kernels are tested where they matter: test_kernel_fork and every
# build of the project's own notebooks or of the generated notebooks that draw charts.
QUICK_KERNELS = {"fresh_kernels": True}
QUICK_KERNELS_ARG = "--fresh-kernels"
HOSTILE_QUOTE = 'IREL said "<script>window.hacked = 1</script>" & more'
SOURCE_ID = "japan-korea-cooperation"
KERNELSPEC = {"name": "magnet-watch", "display_name": "Python (magnet-watch)", "language": "python"}
PARAMETER_SPEC = {
    "parameters": {
        "growth_pct": {
            "type": "float",
            "min": 0,
            "max": 100,
            "unit": "percent per year",
            "description": "Demand growth.",
        },
        "shape": {
            "type": "str",
            "choices": ["linear", "s_curve"],
            "unit": "shape name",
            "description": "Ramp shape.",
        },
    }
}


def _report_body(chart_name: str, raw_quote: bool, fail: bool) -> str:
    body = (
        "import altair as alt\nimport pandas as pd\nfrom IPython.display import Markdown\n"
        "from magnet_watch.notebook.display import markdown_text, show_chart, show_headlines, show_table\n"
        "frame = pd.DataFrame({'year': [2025, 2026], 'value_t': [100.0, 100.0 * (1 + growth_pct / 100)],\n"
        f"    'source_id': [{SOURCE_ID!r}] * 2, 'quote': [{HOSTILE_QUOTE!r}, 'plain']}})\n"
        "chart = alt.Chart(frame, title='Demand grows').mark_line(point=True).encode(\n"
        "    x='year:O', y=alt.Y('value_t:Q', title='demand (t)'), tooltip=['value_t', 'quote'])\n"
        f"show_chart(chart, name='{chart_name}')\n"
        "show_headlines(pd.DataFrame({'figure': ['demand growth'], 'value': [f'{growth_pct:g} %/yr'],\n"
        f"    'period': ['2025-26'], 'source': [{HOSTILE_QUOTE!r}]}}))\n"
        f"show_table(frame, caption={HOSTILE_QUOTE!r})\n"
        "display(Markdown(f'Demand grows **{growth_pct:g}%** a year, shape {shape}.'))\n"
        f"display(Markdown('IREL said ' + markdown_text({HOSTILE_QUOTE!r})))\n"
    )
    if raw_quote:
        body += f"display(Markdown({HOSTILE_QUOTE!r}))\n"
    if fail:
        body += "raise RuntimeError('deliberate failure in the test notebook')\n"
    return body


def make_notebook(
    folder: Path,
    stem: str,
    *,
    fail: bool = False,
    extra_markdown: str = "",
    raw_quote: bool = True,
    chart_name: str | None = None,
    body: str | None = None,
) -> Path:
    """Write a small report notebook (parameters, prose, chart, headlines, table) and its spec.

    ``raw_quote`` also displays the hostile quote as unescaped Markdown, which the report
    must still show as text (JupyterLab would run it: the JupyterLab test turns it off).
    ``body`` replaces the code cell (a quick notebook without charts); ``fail`` makes the
    code cell raise.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    params = nbformat.v4.new_code_cell(
        "growth_pct = 5.0  # percent per year\nshape = 'linear'  # ramp shape"
    )
    params.metadata["tags"] = ["parameters"]
    if body is None:
        body = _report_body(chart_name or f"{stem}_demand", raw_quote, fail)
    elif fail:
        body += "\nraise RuntimeError('deliberate failure in the test notebook')\n"
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            f"# Test report {stem}\n\nIntro {HOSTILE_QUOTE}.{extra_markdown}"
        ),
        params,
        nbformat.v4.new_code_cell(body),
    ]
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    (folder / f"{stem}.params.yaml").write_text(yaml.safe_dump(PARAMETER_SPEC), encoding="utf-8")
    return path


def build_args(project, out, *argv: str) -> list[str]:
    """The build command's arguments for a generated ``project``: its notebooks and scenarios
    folders, the reports folder ``out``, then ``argv``."""
    return [
        "--notebooks",
        str(project.notebooks_dir),
        "--scenarios-dir",
        str(project.scenarios_dir),
        "--out",
        str(out),
        *argv,
    ]


def quick_build_args(project, out, *argv: str) -> list[str]:
    """``build_args`` for a quick project: on fresh kernels (QUICK_KERNELS_ARG)."""
    return [QUICK_KERNELS_ARG, *build_args(project, out, *argv)]


def project_in(folder: Path):
    """The reports Project of a generated project's ``folder``: its notebooks/ and scenarios/,
    reading the real data/."""
    from magnet_watch.reports.plan import Project

    return Project(notebooks_dir=folder / "notebooks", scenarios_dir=folder / "scenarios")


def make_project(tmp: Path, stems=("01_alpha", "02_beta"), body: str | None = None):
    """Return a reports Project with generated notebooks and scenarios, reading the real data/."""
    notebooks, scenarios = tmp / "notebooks", tmp / "scenarios"
    notebooks.mkdir(parents=True)
    scenarios.mkdir()
    for stem in stems:
        make_notebook(notebooks, stem, body=body)
    (notebooks / "helper_not_a_report.ipynb").write_text("not json", encoding="utf-8")
    for name, growth in (("low", 2.0), ("high", 12.5)):
        (scenarios / f"{name}.yaml").write_text(
            yaml.safe_dump({"description": f"{name} growth", "parameters": {"growth_pct": growth}}),
            encoding="utf-8",
        )
    return project_in(tmp)


def build_project_notebooks(tmp: Path, stems) -> Path:
    """Build the reports of the project's own notebooks ``stems`` (copied with their
    parameter specs and the parameter dictionary into ``tmp/notebooks``) into ``tmp/reports``;
    return that folder."""
    import shutil

    from magnet_watch.notebook.parameters import DICTIONARY_FILE
    from magnet_watch.reports import build as report_build

    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    shutil.copy(paths.NOTEBOOKS_DIR / DICTIONARY_FILE, notebooks / DICTIONARY_FILE)
    for stem in stems:
        for suffix in (".ipynb", ".params.yaml"):
            shutil.copy(paths.NOTEBOOKS_DIR / f"{stem}{suffix}", notebooks / f"{stem}{suffix}")
    out = tmp / "reports"
    report_build.build(out, project=report_build.Project(notebooks_dir=notebooks))
    return out
