"""The environment is built from one dependency list, pinned once, and registered as a kernel."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from magnet_watch import paths

ROOT = paths.PROJECT_ROOT


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            pins[_normalise(m.group(1))] = m.group(2)
    return pins


def test_every_declared_dependency_is_pinned_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [
        d for extra in project["optional-dependencies"].values() for d in extra
    ]
    names = {_normalise(re.split(r"[<>=\[; ]", d)[0]) for d in declared}
    missing = names - set(_locked())
    assert not missing, (
        f"declared in pyproject.toml but not in requirements.lock: {missing} (run make lock)"
    )


def test_installed_versions_match_the_lock():
    from importlib.metadata import version

    pins = _locked()
    for name in ("pandas", "altair", "papermill", "nbval", "vl-convert-python", "jupyterlab"):
        assert version(name) == pins[name], name


def test_the_packages_the_lock_leaves_out_are_not_installed():
    # rfc3987-syntax costs 2 s of CPU in every process that imports altair (the Makefile's
    # LOCK_LEAVES_OUT says why); `make env` syncs the lock, which removes it.
    from importlib.metadata import PackageNotFoundError, distribution

    text = (ROOT / "requirements.lock").read_text()
    left_out = re.findall(r"^# (\S+)$", text.split("were excluded from the output:")[1], re.M)
    assert "rfc3987-syntax" in left_out, left_out
    for name in left_out:
        with pytest.raises(PackageNotFoundError):
            distribution(name)
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, altair; print('rfc3987_syntax' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "False"


def _supported() -> tuple[str, list[str]]:
    """pyproject.toml's requires-python, and the minor versions its classifiers list."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    versions = [
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    return project["requires-python"], versions


def test_declared_python_versions_agree_with_the_range_and_the_conda_environment():
    requires, versions = _supported()
    assert versions, "pyproject.toml lists no Python version among its classifiers"
    low, high = re.fullmatch(r">=(3\.\d+),<(3\.\d+)", requires).groups()
    minors = [int(v.split(".")[1]) for v in versions]
    assert minors == list(range(int(low.split(".")[1]), int(high.split(".")[1]))), requires
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{requires}" in env["dependencies"]


def test_conda_environment_uses_the_same_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements.lock" in pip_section


def test_python_is_a_supported_version():
    _, versions = _supported()
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in versions, versions


def test_the_lock_is_one_for_every_supported_python():
    header = (ROOT / "requirements.lock").read_text().splitlines()[1]
    assert "--universal" in header, header
    assert "--python-version" not in header, header


def test_project_kernel_is_registered_in_the_venv():
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    spec = json.loads(out.stdout)["kernelspecs"]["magnet-watch"]
    assert spec["spec"]["argv"][0].startswith(sys.prefix), spec["spec"]["argv"]


def test_environment_is_up_to_date_so_make_does_not_reinstall():
    # `make -q env` exits 0 only when the .venv stamp is newer than the lock and pyproject.
    result = subprocess.run(["make", "-q", "env"], cwd=ROOT, capture_output=True)
    assert result.returncode == 0


def test_gitignore_keeps_lib_and_data_but_ignores_generated_output():
    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT).returncode == 0

    assert not ignored("lib/magnet_watch/datasets.py")
    assert not ignored("data/facts.csv")
    assert ignored(".venv/bin/python")
    assert ignored("reports/index.html")
    assert ignored("build/anything")


def test_make_env_installs_the_git_filter_when_its_stamp_is_missing():
    missing = paths.BUILD_DIR / "no-such-dir" / "git-filter-installed"
    done = subprocess.run(
        ["make", "-n", "env", f"GIT_FILTER={missing}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "git config filter.nbstripout.clean '.venv/bin/python -m nbstripout'" in done.stdout


def test_notebook_outputs_are_stripped_on_commit_by_the_git_filter(tmp_path):
    """In a fresh repository with the project's .gitattributes and Makefile, `make git-filter`
    makes git commit a notebook without its outputs and widget state, and leaves the notebook
    on disk as it was, so `git status` stays clean after a read in JupyterLab."""
    import nbformat

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    git("init", "-q")
    for name in ("Makefile", ".gitattributes"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / ".venv").symlink_to(sys.prefix)
    subprocess.run(["make", "-s", "git-filter"], cwd=tmp_path, check=True, timeout=60)
    notebook = nbformat.read(ROOT / "notebooks" / "02_capacity.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    code[0].outputs = [nbformat.v4.new_output("stream", text="an output\n")]
    code[0].execution_count = 1
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(notebook, tmp_path / "read.ipynb")

    git("add", "read.ipynb")
    git("commit", "-q", "-m", "a notebook read in JupyterLab")

    committed = nbformat.reads(git("show", "HEAD:read.ipynb"), as_version=4)
    assert all(
        not c.outputs and c.execution_count is None
        for c in committed.cells
        if c.cell_type == "code"
    )
    assert "widgets" not in committed.metadata
    assert "an output" in (tmp_path / "read.ipynb").read_text(encoding="utf-8")
    assert git("status", "--porcelain", "read.ipynb") == "", "the notebook on disk shows as changed"
