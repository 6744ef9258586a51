"""Where a build writes, and what it publishes (issue 21, "Where the build writes").

Each test failed on the build before issue 21: a relative --out lost the charts and left a
stage in notebooks/; --out inside the inputs built there (data/data/... on every run); a
symlinked reports/ was replaced by a real folder; a folder of the old tree that cannot be
emptied stayed beside the new one; damaged pages were "up to date"; a curation run during
a build published a mix of two states of data/.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers.built import copy_built, quick_build
from helpers.projects import QUICK, QUICK_KERNELS, make_notebook, make_project, quick_build_args

from magnet_watch import paths
from magnet_watch.reports import build as build_module
from magnet_watch.reports import cli, environment, run
from magnet_watch.reports.build import BuildFailed, build
from magnet_watch.reports.cache import MANIFEST_NAME
from magnet_watch.reports.environment import EnvironmentProblem
from magnet_watch.reports.plan import Project

pytestmark = [pytest.mark.xdist_group("report_builds"), pytest.mark.slow]


@pytest.fixture
def built_copy(tmp_path_factory, tmp_path):
    """This test's copy of the run's quick build: (project, reports folder), in tmp_path."""
    return copy_built(quick_build(tmp_path_factory), tmp_path)


def leftovers(folder: Path) -> list[str]:
    """Return the stages and old trees of builds anywhere under ``folder``."""
    return sorted(
        str(p.relative_to(folder))
        for pattern in ("*.stage-*", "*.old-*")
        for p in folder.rglob(pattern)
    )


def test_a_relative_out_builds_the_charts_and_leaves_no_stage(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    make_notebook(notebooks, "01_alpha")
    (tmp_path / "scenarios").mkdir()
    project = Project(notebooks_dir=notebooks, scenarios_dir=tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    # One notebook that draws: fresh or forked kernels cost the same for it.
    assert cli.main(quick_build_args(project, "build/try")) == 0
    out = tmp_path / "build" / "try"
    assert sorted(p.name for p in (out / "charts").iterdir()) == [
        f"01_alpha_demand.{kind}" for kind in ("csv", "png", "svg", "vl.json")
    ]
    assert leftovers(tmp_path) == []


def copied_project(tmp_path: Path) -> Project:
    """Return a project rooted in ``tmp_path/project``, with its own data/, seeds/, notebooks/:
    copies of the project's (a build states the as-of date of the record they hold)."""
    root = tmp_path / "project"
    quick = make_project(root, stems=("01_alpha",), body=QUICK)
    shutil.copytree(paths.DATA_DIR, root / "data")
    shutil.copytree(paths.SEEDS_DIR, root / "seeds")
    return Project(
        root=root,
        notebooks_dir=quick.notebooks_dir,
        scenarios_dir=quick.scenarios_dir,
        data_dir=root / "data",
    )


@pytest.mark.parametrize(
    "where",
    [
        "project",
        "project/data",
        "project/seeds",
        "project/notebooks/out",
        "project/lib/x",
        "project/try",
        ".",
    ],
)
def test_an_out_folder_among_the_inputs_is_refused_before_anything_runs(tmp_path, where):
    project = copied_project(tmp_path)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(EnvironmentProblem, match="cannot write the reports to") as refused:
        build(tmp_path / where, project=project)
    assert "Build into reports/ or build/<name>" in str(refused.value)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # nothing written


def test_the_project_root_as_out_is_refused_through_the_command_line(tmp_path, capsys):
    project = make_project(tmp_path, body=QUICK)
    status = cli.main(quick_build_args(project, paths.PROJECT_ROOT))
    err = capsys.readouterr().err
    assert status == 2 and "Nothing was run." in err and "Traceback" not in err
    assert f"it is or holds {paths.PROJECT_ROOT}" in err
    assert not list(paths.PROJECT_ROOT.parent.glob(f".{paths.PROJECT_ROOT.name}.stage-*"))


def test_reports_and_build_folders_of_the_project_are_allowed(tmp_path):
    project = copied_project(tmp_path)
    for name in ("reports", "build/try"):
        assert environment.output_folder(project.root / name, project) == project.root / name


def test_a_symlinked_reports_folder_is_built_through_and_stays_a_symlink(tmp_path):
    project = make_project(tmp_path, body=QUICK)
    stick = tmp_path / "usb-stick" / "reports"
    stick.mkdir(parents=True)
    out = tmp_path / "reports"
    out.symlink_to(stick, target_is_directory=True)
    assert cli.main(quick_build_args(project, out)) == 0
    assert cli.main(quick_build_args(project, out, "--param", "growth_pct=7.5", "--force")) == 0
    assert out.is_symlink() and out.resolve() == stick
    manifest = json.loads((stick / MANIFEST_NAME).read_text())
    assert manifest["values"] == {"growth_pct": 7.5}
    assert leftovers(tmp_path) == []


def test_a_folder_the_build_cannot_empty_is_refused_before_anything_runs(
    tmp_path, built_copy, capsys, monkeypatch
):
    project, out = built_copy
    assert cli.main(quick_build_args(project, out)) == 0  # built: up to date
    stuck = out / "notebooks"
    before = (out / MANIFEST_NAME).read_bytes()
    access = os.access  # as a non-root user with `chmod a-w reports/notebooks`
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != stuck and access(p, mode))
    status = cli.main(quick_build_args(project, out, "--force"))
    err = capsys.readouterr().err
    assert status == 2 and "Nothing was run." in err
    assert f"{stuck}: a folder the build cannot empty" in err
    assert (out / MANIFEST_NAME).read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("damage", [b"\x00garbage", b""], ids=["overwritten", "emptied"])
@pytest.mark.parametrize("damaged", ["01_alpha.html", "index.html", "data/sources.csv"])
def test_damaged_output_is_rebuilt_not_kept_as_up_to_date(built_copy, damaged, damage):
    project, out = built_copy
    assert build(out, project=project, **QUICK_KERNELS).up_to_date  # the copy is whole
    good = (out / damaged).read_bytes()
    target = out / damaged
    target.unlink()  # the published file may be a hard link shared with the next stage
    target.write_bytes(damage)
    result = build(out, project=project, **QUICK_KERNELS)
    assert not result.up_to_date
    assert (out / damaged).read_bytes() == good


def test_a_curation_run_during_a_build_publishes_nothing_and_says_why(tmp_path):
    project = copied_project(tmp_path)
    added = project.data_dir / "added_meanwhile.csv"
    make_notebook(
        project.notebooks_dir,
        "02_meanwhile",
        body=f"open({str(added)!r}, 'w').write('id\\n1\\n')\n" + QUICK,
    )
    out = project.root / "reports"
    with pytest.raises(BuildFailed) as failed:
        build(out, project=project, **QUICK_KERNELS)
    assert "changed while the reports were built" in str(failed.value)
    assert "nothing was published" in str(failed.value)
    assert not out.exists()
    assert leftovers(tmp_path) == []


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/where/it/was/writing")


@pytest.mark.parametrize("where", ["a notebook's page", "the data tables", "the assets"])
def test_disk_full_during_a_build_names_the_disk_exits_2_and_keeps_the_reports(
    tmp_path, built_copy, capsys, monkeypatch, where
):
    project, out = built_copy
    assert cli.main(quick_build_args(project, out)) == 0  # built: up to date
    before = {str(p): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    capsys.readouterr()
    # The pool's workers are forked from this process: they inherit the full disk too.
    target = {
        "a notebook's page": (run, "_write_page"),
        "the data tables": (build_module, "copy_data"),
        "the assets": (build_module, "write_assets"),
    }[where]
    monkeypatch.setattr(*target, no_space)
    status = cli.main(quick_build_args(project, out, "--force"))
    err = capsys.readouterr().err
    assert status == 2, err
    assert "the disk is full: /where/it/was/writing could not be written" in err
    assert "the disk mounted at /" in err and f"nothing was published: {out} is as it was" in err
    assert "Traceback" not in err and err.count("the disk is full") == 1
    assert {str(p): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert leftovers(tmp_path) == []
