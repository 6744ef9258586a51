"""End-to-end tests of the report build (`python -m magnet_watch.report_build`).

Most tests build small notebooks generated here into tmp_path (they exercise the
build, not the analysis); one test builds the project's own notebooks and checks
the chart CSVs against the curated tables. Builds start kernels, so the tests
share the "reports" xdist group and never run two builds at once.
"""

from __future__ import annotations

import csv
import filecmp
import hashlib
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers.built import chart_build, copy_built, quick_build, scenario_build
from helpers.projects import (
    HOSTILE_QUOTE,
    QUICK_KERNELS,
    SOURCE_ID,
    build_args,
    make_notebook,
    make_project,
)

from magnet_watch import paths
from magnet_watch.data.record import latest_record
from magnet_watch.errors import ParameterError
from magnet_watch.narrative.as_of import as_of_sentence
from magnet_watch.notebook.chart_render import PNG_SCALE
from magnet_watch.notebook.display import export_chart, markdown_text, table_html
from magnet_watch.notebook.parameters import notebook_parameters, validate_parameters
from magnet_watch.reports import build as report_build
from magnet_watch.reports import cli, plan
from magnet_watch.reports.cache import MANIFEST_NAME, longest_first
from magnet_watch.reports.html import VEGA_BUNDLE
from magnet_watch.reports.run import _kernel_failed_to_start

pytestmark = pytest.mark.xdist_group("report_builds")


def run_cli(project: plan.Project, out: Path, *argv: str) -> int:
    """Run ``python -m magnet_watch.report_build`` on a test project; return its exit status."""
    return cli.main(build_args(project, out, *argv))


def tree_digest(root: Path) -> dict[str, str]:
    """Return {relative path: sha256} for every file under root."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The run's one build of two generated notebooks (``chart_build``: the project and
    reports/ in one folder, for ``copy_built``): (project, reports, result); tests read it,
    none modify it."""
    return chart_build(tmp_path_factory)


@pytest.fixture
def built_copy(built, tmp_path):
    """This test's copy of ``built`` (project and reports), to change: (project, reports)."""
    _, out, _ = built
    return copy_built(out.parent, tmp_path)


def test_build_writes_every_expected_file(built):
    _, out, result = built
    assert sorted(result.ran) == ["01_alpha", "02_beta"]
    for stem in ("01_alpha", "02_beta"):
        assert (out / f"{stem}.html").is_file()
        executed = nbformat.read(out / "notebooks" / f"{stem}.ipynb", as_version=4)
        assert any(c.get("outputs") for c in executed.cells)
        for suffix in (".svg", ".png", ".csv", ".vl.json"):
            assert (out / "charts" / f"{stem}_demand{suffix}").stat().st_size > 0
    assert (out / "charts" / "01_alpha_demand.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (out / "charts" / "01_alpha_demand.svg").read_text()
    assert (out / "assets" / "vega-bundle.js").stat().st_size > 500_000
    assert (out / "data" / "facts.csv").read_bytes() == (paths.DATA_DIR / "facts.csv").read_bytes()
    index = (out / "index.html").read_text()
    for stem in ("01_alpha", "02_beta"):
        assert f'href="{stem}.html"' in index
        assert f"charts/{stem}_demand.svg" in index
    assert "demand growth" in index and "5 %/yr" in index  # headline figures listed
    assert 'href="data/facts.csv"' in index
    assert "helper_not_a_report" not in index  # only NN_name notebooks are reports


def test_reports_name_parameters_and_sources(built):
    _, out, _ = built
    page = (out / "01_alpha.html").read_text()
    assert "<code>growth_pct</code></td><td>5.0</td><td>notebook default</td>" in page
    assert "Demand growth.; percent per year" in page  # meaning from the params spec
    sources = {r["source_id"]: r for r in csv.DictReader((paths.DATA_DIR / "sources.csv").open())}
    assert f'id="source-{SOURCE_ID}"' in page
    assert sources[SOURCE_ID]["title"] in page
    other = next(s for s in sources if s != SOURCE_ID)
    assert f'id="source-{other}"' not in page  # only the documents the report cites
    assert "def " not in page and "import altair" not in page  # no code cells


def test_pages_load_nothing_from_the_network(built):
    _, out, _ = built
    for page in out.glob("*.html"):
        text = page.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), page.name
        assert "require.js" not in text and "MathJax" not in text
        if '<figure class="chart"' in text:
            assert '<script src="assets/report.js" data-vega="assets/vega-bundle.js">' in text


def test_text_from_documents_is_escaped_in_every_page(built):
    _, out, _ = built
    for page in out.glob("*.html"):
        text = page.read_text()
        assert "<script>window.hacked" not in text, page.name
        # The only script elements are the page script (it loads the local bundle) and the specs.
        scripts = re.findall(r"<script[^>]*>", text)
        allowed = {'<script src="assets/report.js" data-vega="assets/vega-bundle.js">'}
        assert all(s in allowed or s.startswith('<script type="application/json"') for s in scripts)
    report = (out / "01_alpha.html").read_text()
    assert "&lt;script&gt;window.hacked = 1&lt;/script&gt;" in report  # shown as text
    assert "&amp;lt;script" not in report  # once: escaped Markdown is not escaped again
    spec = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', report, re.S)
    assert json.loads(spec.group(1))["title"]["text"] == "Demand grows"  # JSON still parses


def test_markdown_text_escapes_html_for_prose():
    assert markdown_text(HOSTILE_QUOTE) == (
        'IREL said "&lt;script&gt;window.hacked = 1&lt;/script&gt;" &amp; more'
    )
    assert markdown_text(400.5) == "400.5"


def test_show_table_escapes_cells_and_caption_deterministically():
    frame = pd.DataFrame({"quote": [HOSTILE_QUOTE], "value_t": [1000.0]})
    first, second = table_html(frame, HOSTILE_QUOTE), table_html(frame, HOSTILE_QUOTE)
    assert first == second
    assert "<script>" not in first
    assert first.count("&lt;script&gt;window.hacked") == 2  # the cell and the caption
    assert "<caption>" in first and "id=" not in first


def test_chart_csv_holds_the_chart_data(built):
    _, out, _ = built
    rows = list(csv.DictReader((out / "charts" / "01_alpha_demand.csv").open(encoding="utf-8")))
    assert [r["year"] for r in rows] == ["2025", "2026"]
    assert [float(r["value_t"]) for r in rows] == [100.0, 105.0]
    assert rows[0]["quote"] == HOSTILE_QUOTE


def test_chart_exports_are_byte_for_byte_deterministic(built, tmp_path):
    _, out, _ = built
    spec = json.loads((out / "charts" / "01_alpha_demand.vl.json").read_text())
    first = export_chart(spec, "again", tmp_path / "a")
    second = export_chart(spec, "again", tmp_path / "b")
    for kind in ("svg", "png", "csv", "spec"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    # and the same as the build's own files (written in the kernel)
    assert first["svg"].read_bytes() == (out / "charts" / "01_alpha_demand.svg").read_bytes()
    assert first["png"].read_bytes() == (out / "charts" / "01_alpha_demand.png").read_bytes()


def test_png_rasterised_from_the_svg_equals_the_png_drawn_from_the_spec(built, tmp_path):
    """export_chart rasterises its SVG (cheaper); the picture must be the one the spec draws."""
    import vl_convert as vlc

    _, out, _ = built
    spec = json.loads((out / "charts" / "01_alpha_demand.vl.json").read_text())
    exported = export_chart(spec, "png", tmp_path)
    assert exported["png"].read_bytes() == vlc.vegalite_to_png(spec, scale=PNG_SCALE)


@pytest.mark.slow
def test_rerun_reuses_and_a_change_rebuilds_only_what_depends_on_it(tmp_path, built_copy):
    project, out = built_copy  # built with the defaults
    charts_before = tree_digest(out / "charts")

    again = report_build.build(out, project=project)
    assert again.up_to_date and again.ran == []

    forced = report_build.build(tmp_path / "forced", project=project, force=True)
    assert sorted(forced.ran) == ["01_alpha", "02_beta"]
    assert tree_digest(tmp_path / "forced" / "charts") == charts_before  # same bytes

    make_notebook(project.notebooks_dir, "02_beta", extra_markdown="\n\nA new paragraph.")
    changed = report_build.build(out, project=project)
    assert changed.ran == ["02_beta"] and changed.reused == ["01_alpha"]
    assert "A new paragraph." in (out / "02_beta.html").read_text()

    with_param = report_build.build(out, project=project, values={"growth_pct": 10.0})
    assert sorted(with_param.ran) == ["01_alpha", "02_beta"]
    assert "10 %/yr" in (out / "index.html").read_text()
    assert "110.0" in (out / "charts" / "01_alpha_demand.csv").read_text()


def test_failing_notebook_leaves_previous_reports_and_exits_non_zero(tmp_path, built_copy, capsys):
    project, out = built_copy  # the previous reports
    kept = (".last-failure", ".logs")  # the failure's notebook and kernel logs, for the reader
    before = {k: v for k, v in tree_digest(out).items() if not k.startswith(kept)}
    make_notebook(project.notebooks_dir, "02_broken", fail=True)
    args = ["--notebooks", str(project.notebooks_dir), "--scenarios-dir", str(tmp_path / "none")]
    status = cli.main([*args, "--out", str(out)])
    assert status == 1
    err = capsys.readouterr().err
    assert "FAILED 02_broken at cell 2" in err
    assert "RuntimeError: deliberate failure in the test notebook" in err
    after = {k: v for k, v in tree_digest(out).items() if not k.startswith(kept)}
    assert after == before
    assert (out / ".last-failure" / "02_broken.ipynb").is_file()
    assert (out / ".last-failure" / "02_broken.log").is_file()
    assert not list(tmp_path.glob(".reports.stage-*"))


def test_two_notebooks_writing_the_same_chart_name_fail_the_build(tmp_path):
    project = make_project(tmp_path, stems=())
    for stem in ("01_one", "02_two"):
        make_notebook(project.notebooks_dir, stem, chart_name="shared_name")
    with pytest.raises(
        report_build.BuildFailed, match=r"'shared_name\.\w+' is written by both 01_one and 02_two"
    ):
        report_build.build(tmp_path / "reports", project=project)
    assert not (tmp_path / "reports" / "index.html").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--param", "growth_pc=3"], "unknown parameter 'growth_pc' (from --param)"),
        (["--param", "growth_pct=fast"], "'growth_pct' = 'fast' has the wrong type str"),
        (["--param", "growth_pct=250"], "'growth_pct' = 250 is out of range"),
        (["--param", "shape=zigzag"], "'shape' = 'zigzag' is not an allowed choice"),
        (["--scenario", "typo"], "no scenario 'typo'"),
        (["--param", "no_equals_sign"], "write it as name=value"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(tmp_path, capsys, argv, message):
    project = make_project(tmp_path)
    make_notebook(project.notebooks_dir, "03_broken", fail=True)  # would fail if it ran
    out = tmp_path / "reports"
    status = run_cli(project, out, *argv)
    err = capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Nothing was run." in err
    assert not out.exists()


def test_unknown_name_lists_the_valid_ones_and_where_it_came_from(tmp_path):
    project = make_project(tmp_path)
    (project.scenarios_dir / "typo.yaml").write_text(
        "description: misspelt\nparameters:\n  growth_pcnt: 3\n", encoding="utf-8"
    )
    with pytest.raises(ParameterError) as error:
        report_build.build_scenarios(["low", "typo"], tmp_path / "out", project=project)
    text = str(error.value)
    assert "'growth_pcnt'" in text and "typo.yaml" in text
    assert "Did you mean 'growth_pct'?" in text
    assert "Valid parameters: growth_pct, shape" in text
    assert not (tmp_path / "out").exists()  # "low" did not run either


def test_scenarios_build_into_subfolders_with_a_comparison_page(tmp_path_factory):
    out, status = scenario_build(tmp_path_factory)  # --scenario all, on one notebook
    assert status == 0
    for name, growth in (("low", "2"), ("high", "12.5")):
        page = (out / "scenarios" / name / "01_alpha.html").read_text()
        assert f"<td>{float(growth)}</td>" in page and f"{name}.yaml" in page
        assert (out / "scenarios" / name / "assets" / "vega-bundle.js").is_file()
    comparison = (out / "scenarios" / "index.html").read_text()
    assert comparison.index(">low<") < comparison.index(">high<")  # one column per scenario
    assert "<td>demand growth, 2025-26</td><td>2 %/yr</td><td>12.5 %/yr</td>" in comparison
    as_of = f'<p class="as-of">{as_of_sentence(latest_record())}</p>'
    assert (
        as_of in comparison and as_of in (out / "scenarios" / "low" / "01_alpha.html").read_text()
    )
    assert not (out / "index.html").exists()  # the base reports are not touched


# ------------------------------------------------------------------ the project's own files


def project_notebooks() -> list[Path]:
    return plan.discover_notebooks(paths.NOTEBOOKS_DIR)


def notebook_defaults(notebook: Path) -> dict:
    """Return a notebook's parameter defaults ({} for a notebook that takes none)."""
    try:
        return notebook_parameters(notebook)
    except ParameterError:
        return {}


def test_scenario_files_are_valid_and_base_is_the_notebooks_defaults():
    names = plan.scenario_names(paths.PROJECT_ROOT / "scenarios")
    assert {"low", "base", "high"} <= set(names)
    notebooks = project_notebooks()
    assert notebooks, "the project has no notebooks to build"
    for name in names:
        scenario = plan.load_scenario(name, paths.PROJECT_ROOT / "scenarios")
        # raises ParameterError for an unknown name, a wrong type or a value out of range
        plan.plan_notebooks(notebooks, scenario.parameters, {})
    base = plan.load_scenario("base", paths.PROJECT_ROOT / "scenarios").parameters
    defaults = {}
    for nb in notebooks:
        for key, value in notebook_defaults(nb).items():
            defaults.setdefault(key, []).append(value)
    for key, value in base.items():
        assert key in defaults, f"base.yaml sets {key!r}, which no notebook declares"
        assert all(d == value for d in defaults[key]), (key, value, defaults[key])
    scenario_keys = {
        k for n in names for k in plan.load_scenario(n, paths.PROJECT_ROOT / "scenarios").parameters
    }
    for needed in ("growth_rate_pct_per_yr", "ramp_shape", "nd_mass_fraction"):
        assert needed in scenario_keys
        for nb in notebooks:
            if needed in notebook_defaults(nb):
                validate_parameters(nb.stem, {needed: base.get(needed)})


def test_project_reports_build_with_charts_for_every_notebook(project_build):
    out, result = project_build
    stems = [nb.stem for nb in project_notebooks()]
    assert sorted(result.ran) == sorted(stems)
    manifest = json.loads((out / report_build.MANIFEST_NAME).read_text())
    for stem in stems:
        page = (out / f"{stem}.html").read_text()
        assert "<h2>Sources</h2>" in page and '<li id="source-' in page, stem
        assert "Parameters this report ran with" in page or "takes no parameters" in page
        for chart in manifest["notebooks"][stem]["charts"]:
            # An explorer's static picture is its default case: SVG only (show_chart png=False).
            kinds = (
                ("svg", "csv") if chart["name"].startswith("explore_") else ("svg", "png", "csv")
            )
            for kind in kinds:
                assert (out / chart["files"][kind]).stat().st_size > 0, (stem, chart["name"], kind)


def test_project_chart_csvs_hold_the_curated_figures(project_build):
    """Rows that stand for one curated fact carry its value, range and quote unchanged."""
    out, _ = project_build
    facts = {r["fact_id"]: r for r in csv.DictReader((paths.DATA_DIR / "facts.csv").open())}
    events = list(csv.DictReader((paths.DATA_DIR / "events.csv").open()))
    quotes = {r["quote"] for r in facts.values()} | {r["quote"] for r in events}
    checked_values = checked_quotes = 0
    for file in sorted((out / "charts").glob("*.csv")):
        for row in csv.DictReader(file.open(encoding="utf-8")):
            if "/" in row.get("source_id", ""):
                # a reference package's page ("<package>/<page>"): cited, never quoted
                assert not row.get("quote"), (file.name, row["quote"])
            elif row.get("quote"):
                # Only the documents' own sentences: a row summing up several facts joins
                # their quotes with " / ".
                for quote in row["quote"].split(" / "):
                    assert quote in quotes, (file.name, quote)
                checked_quotes += 1
            fact = facts.get(row.get("fact_id") or row.get("fact_ids") or "")
            if fact is None:
                continue
            assert row.get("quote", fact["quote"]) == fact["quote"], file.name
            pairs = [("value", "value"), ("low", "low"), ("high", "high")]
            pairs += [("low_pct", "low"), ("high_pct", "high")]
            for column, fact_column in pairs:
                if row.get(column) and fact[fact_column]:
                    assert float(row[column]) == pytest.approx(float(fact[fact_column])), (
                        file.name,
                        column,
                    )
                    checked_values += 1
    assert checked_quotes > 0, "no chart CSV carries the documents' quotes"
    assert checked_values > 0, "no chart CSV carries curated fact values by fact_id"


def test_project_build_ships_the_data_and_every_reference_package(project_build):
    """A shared report carries the tables its figures come from, and each reference package's
    origin record, byte for byte, linked from the index."""
    out, _ = project_build
    shipped = sorted(
        p.relative_to(paths.DATA_DIR).as_posix()
        for p in paths.DATA_DIR.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json")
    )
    assert any(name.startswith("reference/") and name.endswith("/pages.csv") for name in shipped)
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in shipped:
        assert filecmp.cmp(out / "data" / name, paths.DATA_DIR / name, shallow=False), name
        assert f'href="data/{name}"' in index, name


def test_project_build_removes_its_staging_folder(project_build):
    out, _ = project_build
    assert not list(out.parent.glob(".reports.stage-*"))
    assert not list(out.parent.glob(".reports.old-*"))
    assert filecmp.cmp(out / "data" / "sources.csv", paths.DATA_DIR / "sources.csv", shallow=False)


def test_cli_values_are_read_as_yaml_and_none_means_none():
    values = plan.parse_cli_params(
        ["growth=0.3", "year=2030", "shape=s_curve", "flag=true", "auto=None", "also=null"]
    )
    assert values == {
        "growth": 0.3,
        "year": 2030,
        "shape": "s_curve",
        "flag": True,
        "auto": None,
        "also": None,
    }
    assert type(values["year"]) is int


def test_only_a_kernel_that_did_not_start_is_retried():
    from nbclient.exceptions import DeadKernelError

    assert _kernel_failed_to_start(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert _kernel_failed_to_start(RuntimeError("Kernel died before replying to kernel_info"))
    assert _kernel_failed_to_start(DeadKernelError("Kernel died"))
    assert not _kernel_failed_to_start(RuntimeError("some other failure"))
    assert not _kernel_failed_to_start(FileNotFoundError("no such notebook"))


def test_the_vega_bundle_is_written_once_per_vl_convert_version(tmp_path, monkeypatch):
    """A build into a new folder links the bundle from the cache instead of drawing it again."""
    import vl_convert as vlc

    from magnet_watch.reports.publish import write_assets

    cache, nowhere = tmp_path / "cache", tmp_path / "no-previous-build"
    write_assets(tmp_path / "first", nowhere, cache_dir=cache)
    (cached,) = cache.iterdir()
    first = tmp_path / "first" / "assets" / VEGA_BUNDLE
    assert first.read_text(encoding="utf-8") == vlc.javascript_bundle()

    def refuse():
        raise AssertionError("the bundle was built again although the cache holds it")

    monkeypatch.setattr(vlc, "javascript_bundle", refuse)
    write_assets(tmp_path / "second", nowhere, cache_dir=cache)
    second = tmp_path / "second" / "assets" / VEGA_BUNDLE
    assert second.stat().st_ino == cached.stat().st_ino
    assert second.read_bytes() == first.read_bytes()


def test_notebooks_start_longest_first_by_the_last_builds_times():
    from types import SimpleNamespace

    plans = [SimpleNamespace(stem=s) for s in ("01_a", "02_b", "03_c", "04_d")]
    manifest = {
        "notebooks": {"01_a": {"seconds": 1.0}, "02_b": {"seconds": 3.0}, "04_d": {"seconds": 2.0}}
    }
    # 03_c has no time (new, or failed last time): it starts first, as it may be long.
    assert [p.stem for p in longest_first(plans, manifest)] == ["03_c", "02_b", "04_d", "01_a"]
    assert [p.stem for p in longest_first(plans, {})] == ["01_a", "02_b", "03_c", "04_d"]


def test_a_build_starts_what_took_longest_last_time_first(tmp_path_factory, tmp_path, capfd):
    project, out = copy_built(quick_build(tmp_path_factory), tmp_path)  # the last build
    manifest_path = out / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["notebooks"]["02_beta"]["seconds"] = 60.0  # as if 02_beta had been the slow one
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    capfd.readouterr()
    report_build.build(out, project=project, jobs=1, force=True, **QUICK_KERNELS)
    started = re.findall(r"started\s+(\S+)", capfd.readouterr().out)
    assert started == ["02_beta", "01_alpha"]
