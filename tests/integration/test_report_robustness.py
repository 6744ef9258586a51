"""A report build never half-publishes, never hides its error, and fails early with the fix.

Each test here failed on the build as it was before the reports stage was split
(issue 10): a bare CancelledError instead of the failing notebook; a publish that
moved entries into reports/ one by one (a kill left index.html linking to missing
pages and `.previous-*` folders behind); no lock (a second build deleted the first
one's stage); NoSuchKernel and PermissionError tracebacks instead of one message.
The builds here use quick notebooks (no charts) so that they can run many times.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.projects import make_notebook, make_project

from magnet_watch import paths
from magnet_watch.reports import cli, run
from magnet_watch.reports.cache import MANIFEST_NAME
from magnet_watch.reports.publish import recover

pytestmark = [pytest.mark.xdist_group("report_builds"), pytest.mark.slow]

QUICK = "print(f'growth {growth_pct}')"
KILL_RUNS = 20  # kills; every other one with the portable (no RENAME_EXCHANGE) swap

# Runs the build command, counting the file-system steps of the main process (renames,
# links, copies, removals, the atomic exchange) and killing itself with SIGKILL at step
# KILL_AT: a kill "at a random moment" of staging and publishing, where it matters.
KILLER = r"""
import atexit, os, shutil, signal, sys
KILL_AT, MAIN, steps = int(os.environ["KILL_AT"]), os.getpid(), [0]
def counted(function):
    def wrapper(*args, **kwargs):
        if os.getpid() == MAIN:
            steps[0] += 1
            if steps[0] == KILL_AT:
                os.kill(MAIN, signal.SIGKILL)
        return function(*args, **kwargs)
    return wrapper
for module, name in [(os, "rename"), (os, "replace"), (os, "link"), (os, "unlink"),
                     (os, "rmdir"), (os, "mkdir"), (shutil, "copy2"), (shutil, "rmtree")]:
    setattr(module, name, counted(getattr(module, name)))
try:
    from magnet_watch.reports import publish
    publish._renameat2_exchange = counted(publish._renameat2_exchange)
    publish.USE_EXCHANGE = os.environ.get("EXCHANGE", "1") == "1"
except ImportError:
    pass  # the build as it was: no publish module
atexit.register(lambda: print(f"STEPS {steps[0]}", flush=True))
from magnet_watch.report_build import main
sys.exit(main(sys.argv[1:]))
"""


def cli_args(project, out: Path, *argv: str) -> list[str]:
    return [
        "--notebooks",
        str(project.notebooks_dir),
        "--scenarios-dir",
        str(project.scenarios_dir),
        "--out",
        str(out),
        *argv,
    ]


def run_killer(script: Path, args: list[str], kill_at: int, exchange: bool):
    """Run the build through KILLER in its own process group; return (exit status, output)."""
    env = dict(os.environ, KILL_AT=str(kill_at), EXCHANGE="1" if exchange else "0")
    log = script.with_suffix(".log")
    with log.open("w") as sink:  # a file, not a pipe: orphaned workers may keep a pipe open
        process = subprocess.Popen(
            [sys.executable, str(script), *args],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        status = process.wait(timeout=300)
    try:  # the pool's workers of a killed build: end them (kernels exit with their parent)
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return status, log.read_text()


def assert_whole(out: Path, sentinel: bytes) -> float:
    """Assert ``out`` is one complete build; return the growth_pct it was built with."""
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    growth = {e["parameters"]["growth_pct"] for e in manifest["notebooks"].values()}.pop()
    names = {p.name for p in out.iterdir()} - {"scenarios", run.FAILURES_NAME}
    assert names == set(manifest["entries"]), (sorted(names), manifest["entries"])
    for stem, entry in manifest["notebooks"].items():
        for rel in entry["files"]:
            assert (out / rel).is_file(), rel
        assert f"<td>{growth}</td>" in (out / f"{stem}.html").read_text(), stem
    index = (out / "index.html").read_text()
    for target in re.findall(r'(?:href|src)="([^"#]+)', index):
        assert (out / target).exists(), f"index.html links to missing {target}"
    assert (out / "scenarios" / "low" / "index.html").read_bytes() == sentinel
    return growth


def test_a_failing_notebook_that_sorts_first_is_named_not_cancelled(tmp_path, capsys):
    # One at a time: the pool queues two, the other three wait and are cancelled.
    stems = ("01_alpha", "02_beta", "03_gamma", "04_delta", "05_epsilon")
    project = make_project(tmp_path, stems=stems, body=QUICK)
    make_notebook(project.notebooks_dir, "00_broken", body=QUICK, fail=True)
    status = cli.main(cli_args(project, tmp_path / "reports", "--jobs", "1"))
    err = capsys.readouterr().err
    assert status == 1
    assert "FAILED 00_broken at cell 2" in err
    assert "RuntimeError: deliberate failure in the test notebook" in err
    assert "CancelledError" not in err
    assert not (tmp_path / "reports" / "index.html").exists()


def test_a_build_killed_at_random_moments_leaves_old_or_new_reports(tmp_path):
    project = make_project(tmp_path, body=QUICK)
    out, script = tmp_path / "reports", tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    sentinel = b"<p>built by make scenarios, not by this build</p>"
    (out / "scenarios" / "low").mkdir(parents=True)
    (out / "scenarios" / "low" / "index.html").write_bytes(sentinel)
    status, output = run_killer(script, cli_args(project, out), 0, exchange=True)
    assert status == 0, output
    steps = int(re.search(r"STEPS (\d+)", output).group(1))
    rng = random.Random(20260607)
    # A kill at the first step (before anything is staged) and a run never killed, then random
    # moments: both outcomes happen whatever the timing of the build's threads.
    kills = [1, steps + 1000] + [rng.randint(1, steps + 5) for _ in range(KILL_RUNS - 2)]
    outcomes = []
    for attempt, kill_at in enumerate(kills):
        before = assert_whole(out, sentinel)
        target = 10.0 if before == 5.0 else 5.0
        args = cli_args(project, out, "--param", f"growth_pct={target}")
        status, output = run_killer(script, args, kill_at, exchange=attempt % 2 == 0)
        assert status in (0, -signal.SIGKILL), output
        if not out.exists():
            # Only the portable swap has a moment without reports/: between its two renames,
            # with the marker written first. The next build's recover() finishes the swap.
            assert attempt % 2 == 1 and (tmp_path / ".reports.swap").exists(), output
            recover(out)
        after = assert_whole(out, sentinel)  # whole, old or new, whatever the moment
        assert after == (target if status == 0 else after) and after in (before, target)
        outcomes.append(after == target)
    assert not all(outcomes) and any(outcomes), "the kills never hit before or after the swap"
    status, output = run_killer(script, cli_args(project, out, "--force"), 0, exchange=True)
    assert status == 0, output
    assert_whole(out, sentinel)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".reports.")]
    assert leftovers == [".reports.lock"], leftovers  # no stage, no old tree, no swap marker
    assert not [p for p in out.iterdir() if p.name.startswith((".building-", ".previous-"))]


def test_a_second_build_waits_for_the_first(tmp_path):
    project = make_project(tmp_path, body="import time\ntime.sleep(3)\n" + QUICK)
    out, log = tmp_path / "reports", tmp_path / "first.log"
    command = [sys.executable, "-m", "magnet_watch.report_build", *cli_args(project, out)]
    with log.open("w") as sink:
        first = subprocess.Popen(command + ["--force"], stdout=sink, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while "running 2 notebook(s)" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # until the first build is staging: its notebooks sleep 3 s
        second = subprocess.run(command + ["--force"], capture_output=True, text=True, timeout=300)
        first.wait(timeout=300)
    assert first.returncode == 0, log.read_text()
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"another build (pid {first.pid}) is writing" in second.stdout
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert sorted(manifest["notebooks"]) == ["01_alpha", "02_beta"]
    assert not list(out.parent.glob(".reports.stage-*"))


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_base_and_scenario_builds_keep_each_others_output(tmp_path):
    project = make_project(tmp_path, body=QUICK)
    out = tmp_path / "reports"
    assert cli.main(cli_args(project, out, "--scenario", "low")) == 0
    scenarios = tree_digest(out / "scenarios")
    assert cli.main(cli_args(project, out)) == 0
    assert tree_digest(out / "scenarios") == scenarios  # the base build kept them
    base = {k: v for k, v in tree_digest(out).items() if not k.startswith("scenarios/")}
    assert cli.main(cli_args(project, out, "--scenario", "low", "--force")) == 0
    after = {k: v for k, v in tree_digest(out).items() if not k.startswith("scenarios/")}
    assert after == base  # and the scenario build kept the base reports


def test_a_missing_kernel_fails_once_with_the_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(run, "KERNEL_NAME", "magnet-watch-not-installed")
    project = make_project(tmp_path, body=QUICK)
    status = cli.main(cli_args(project, tmp_path / "reports"))
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("run `make env` to register the kernel") == 1
    assert "'magnet-watch-not-installed' is not installed" in err
    assert "Traceback" not in err and "NoSuchKernel" not in err
    assert not (tmp_path / "reports").exists()


def test_a_broken_kernel_spec_fails_once_with_the_fix(tmp_path):
    kernels = tmp_path / "jupyter" / "kernels" / run.KERNEL_NAME
    kernels.mkdir(parents=True)
    spec = {
        "argv": ["/nonexistent/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "broken",
        "language": "python",
    }
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    project = make_project(tmp_path, body=QUICK)
    env = dict(os.environ, JUPYTER_PATH=str(tmp_path / "jupyter"))  # found before .venv's
    done = subprocess.run(
        [sys.executable, "-m", "magnet_watch.report_build", *cli_args(project, tmp_path / "r")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("run `make env` to register the kernel") == 1
    assert "/nonexistent/python3" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("where", ["parent is a file", "out is a file", "read-only parent"])
def test_an_unwritable_output_folder_fails_once_with_the_fix(tmp_path, capsys, where):
    project = make_project(tmp_path, body=QUICK)
    out = tmp_path / "target" / "reports"
    if where == "parent is a file":
        (tmp_path / "target").write_text("a file, not a folder")
    elif where == "out is a file":
        out.parent.mkdir()
        out.write_text("a file, not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root can write a read-only folder; the two cases above cover root")
        out.parent.mkdir()
        out.parent.chmod(0o555)
    status = cli.main(cli_args(project, out))
    err = capsys.readouterr().err
    assert status == 2
    assert err.count(f"cannot write the reports to {out}") == 1
    assert "Traceback" not in err and "Nothing was run." in err


def test_make_env_registers_a_missing_kernel():
    missing = paths.BUILD_DIR / "no-such-dir" / "kernel.json"
    done = subprocess.run(
        ["make", "-n", "env", f"KERNEL_SPEC={missing}"],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "ipykernel install --sys-prefix --name magnet-watch" in done.stdout


def documented_codes(command: str) -> tuple[int, int, int]:
    """Return the documented exit codes of ``command`` (docs/reports-and-build.md, "Exit
    status"): built, a notebook failed, nothing ran."""
    page = paths.PROJECT_ROOT / "docs" / "reports-and-build.md"
    row = re.search(rf"^\| `{re.escape(command)}`[^|]*\|([^\n]+)\|$", page.read_text(), re.M)
    assert row, f"docs/reports-and-build.md has no exit-code row for {command}"
    return tuple(int(cell) for cell in row.group(1).split("|"))


def test_documented_exit_codes_hold_directly_and_through_make(tmp_path):
    project = make_project(tmp_path, stems=("01_alpha",), body=QUICK)
    make_notebook(project.notebooks_dir, "02_broken", body=QUICK, fail=True)
    args = cli_args(project, tmp_path / "out")
    commands = {
        "python -m magnet_watch.report_build": lambda extra: [
            sys.executable,
            "-m",
            "magnet_watch.report_build",
            *args,
            *extra,
        ],
        "make reports": lambda extra: [
            "make",
            "-s",
            "--no-print-directory",
            "reports",
            "ARGS=" + " ".join([*args, *extra]),
        ],
    }
    for command, argv in commands.items():
        observed = [
            subprocess.run(argv(extra), cwd=paths.PROJECT_ROOT, capture_output=True, timeout=300)
            for extra in ([], ["--param", "no_such_parameter=1"])
        ]
        failed, nothing_ran = (done.returncode for done in observed)
        assert documented_codes(command)[1:] == (failed, nothing_ran), (command, observed)
    assert documented_codes("python -m magnet_watch.report_build") == (0, 1, 2)
