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
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.built import copy_built, quick_build
from helpers.projects import QUICK, make_notebook, make_project, quick_build_args

from magnet_watch import paths
from magnet_watch.reports import cli, run
from magnet_watch.reports.cache import MANIFEST_NAME
from magnet_watch.reports.publish import recover

pytestmark = [pytest.mark.xdist_group("report_builds"), pytest.mark.slow]

# Builds in a process of their own, one at a time, each forked from this script once it has
# imported the build, loaded the record and computed the index's What changed (a second and a
# half of CPU that 18 builds would otherwise pay each). Each build names every file-system
# step of its main process (renames, links, copies, removals, the atomic exchange) by its
# function and the names of the paths it is given ("rename(.reports.stage-PID,
# .reports.old-PID)": its own pid read as PID, another build's as OTHER), and kills itself
# with SIGKILL at the ``nth`` step whose name matches the regular expression ``kill_at``: a
# kill at a chosen moment of staging and publishing, before that step runs. A request is one
# JSON line on standard input; the reply, the build's exit status, one line on standard
# output; its output goes to the request's ``log``.
KILLER = r"""
import json, os, re, shutil, signal, sys, traceback
from magnet_watch.report_build import main
from magnet_watch.reports import publish, html
import papermill
from magnet_watch.reports.build import record_as_of_words
from magnet_watch.reports.what_changed import what_changed_block
what_changed_block([], record_as_of_words(None)["date"])  # loads the record too
STEPS = [(os, name, name) for name in ("rename", "replace", "link", "unlink", "rmdir", "mkdir")]
STEPS += [(shutil, "copy2", "copy2"), (shutil, "rmtree", "rmtree")]
STEPS += [(publish, "_renameat2_exchange", "exchange")]

def build(request):
    os.setsid()  # a process group of its own, with its pool's workers: killed together
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(log, 1)
    os.dup2(log, 2)
    kill_at, nth, main_pid = re.compile(request["kill_at"]), request["nth"], os.getpid()
    steps, matched = [], [0]
    def label(name, args):
        paths = [os.path.basename(str(a)) for a in args[:2]
                 if isinstance(a, (str, bytes, os.PathLike))]
        paths = [re.sub(r"-[0-9]+$", lambda m: "-PID" if m[0] == f"-{main_pid}" else "-OTHER", p)
                 for p in paths]
        return f"{name}({', '.join(paths)})"
    def counted(name, function):
        def wrapper(*args, **kwargs):
            if os.getpid() == main_pid:
                steps.append(label(name, args))
                if kill_at.fullmatch(steps[-1]):
                    matched[0] += 1
                    if matched[0] == nth:
                        os.kill(main_pid, signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapper
    for module, name, step in STEPS:
        setattr(module, name, counted(step, getattr(module, name)))
    publish.USE_EXCHANGE = request["exchange"]
    try:
        status = main(request["args"])
    except SystemExit as exit:  # argparse's refusal (2), or --help (None)
        status = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    except BaseException:
        traceback.print_exc()
        status = 1
    print("STEPS " + " ".join(steps), flush=True)
    sys.stderr.flush()
    os._exit(status)

for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            build(request)
        finally:  # never back into this loop: the child is a build, not a second server
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    try:  # the pool's workers of a killed build (kernels exit with their parent)
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    print(os.waitstatus_to_exitcode(status), flush=True)
"""
# The named moments a build is killed at: (moment, the step's name (a regular expression),
# which match, the swap: "exchange" (renameat2) or "portable" (two renames and a marker),
# the reports the kill leaves: "old" or "new"). A kill is before the step it names.
STAGE, OLD = r"\.reports\.stage-PID", r"\.reports\.old-PID"
KILL_MOMENTS = [
    ("the first step, the probe of the folder", r".*", 1, "exchange", "old"),
    ("the stale stage removed", rf"rmtree\({STAGE}\)", 1, "portable", "old"),
    ("the stage made", rf"mkdir\({STAGE}\)", 1, "exchange", "old"),
    ("the assets, while the notebooks run", r"mkdir\(assets\)", 1, "portable", "old"),
    ("the first data table copied", r"copy2\(\w+\.csv, \w+\.csv\)", 1, "exchange", "old"),
    (
        "the scenarios linked into the stage",
        r"link\(index\.html, index\.html\)",
        1,
        "portable",
        "old",
    ),
    ("the atomic exchange", r"exchange\(.*\)", 1, "exchange", "old"),
    (
        "the old tree moved from the stage's path",
        rf"rename\({STAGE}, {OLD}\)",
        1,
        "exchange",
        "new",
    ),
    ("the old tree removed", rf"rmtree\({OLD}\)", 1, "exchange", "new"),
    ("the stage's path cleared", rf"rmtree\({STAGE}\)", 2, "exchange", "new"),
    ("no exchange on this system", r"exchange\(.*\)", 1, "portable", "old"),
    ("the reports renamed away", rf"rename\(reports, {OLD}\)", 1, "portable", "old"),
    ("the stage renamed in", rf"rename\({STAGE}, reports\)", 1, "portable", "new"),
    ("the swap marker removed", r"unlink\(\.reports\.swap\)", 1, "portable", "new"),
    ("never: the build ends", r"never", 1, "exchange", "new"),
    ("never: the build ends, portable", r"never", 1, "portable", "new"),
]


class Killer:
    """KILLER, started once (``with Killer(script) as killer``): ``killer.build(...)`` forks
    one build from it."""

    def __init__(self, script: Path):
        script.write_text(KILLER, encoding="utf-8")
        # The builds' output: a file, not a pipe, which a killed build's orphans may hold open.
        self.log = script.with_suffix(".log")
        self.process = subprocess.Popen(
            [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def build(self, args: list[str], kill_at: str, nth: int, exchange: bool) -> tuple[int, str]:
        """Run the build with ``args``, killed at the ``nth`` step whose name matches
        ``kill_at``; return (exit status, output)."""
        request = {"args": args, "kill_at": kill_at, "nth": nth, "exchange": exchange}
        self.process.stdin.write(json.dumps(request | {"log": str(self.log)}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 300)
        reply = self.process.stdout.readline() if ready else ""
        assert reply, f"no reply from the build in 300 s: {self.log.read_text()}"
        return int(reply), self.log.read_text()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=60)


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
    status = cli.main(quick_build_args(project, tmp_path / "reports", "--jobs", "1"))
    err = capsys.readouterr().err
    assert status == 1
    assert "FAILED 00_broken at cell 2" in err
    assert "RuntimeError: deliberate failure in the test notebook" in err
    assert "CancelledError" not in err
    assert not (tmp_path / "reports" / "index.html").exists()


def test_a_build_killed_at_any_moment_leaves_old_or_new_reports(tmp_path):
    project = make_project(tmp_path, body=QUICK)
    out, killer = tmp_path / "reports", Killer(tmp_path / "killer.py")
    sentinel = b"<p>built by make scenarios, not by this build</p>"
    (out / "scenarios" / "low").mkdir(parents=True)
    (out / "scenarios" / "low" / "index.html").write_bytes(sentinel)
    with killer:
        check_every_moment(killer, project, out, sentinel)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".reports.")]
    assert leftovers == [".reports.lock"], leftovers  # no stage, no old tree, no swap marker
    assert not [p for p in out.iterdir() if p.name.startswith((".building-", ".previous-"))]


def check_every_moment(killer: Killer, project, out: Path, sentinel: bytes) -> None:
    """Build, then build again killed at each of KILL_MOMENTS, checking the reports each
    leaves; then build once more to the end."""
    status, output = killer.build(quick_build_args(project, out), "never", 1, exchange=True)
    assert status == 0, output
    outcomes = []
    for moment, kill_at, nth, swap, leaves in KILL_MOMENTS:
        before = assert_whole(out, sentinel)
        target = 10.0 if before == 5.0 else 5.0
        args = quick_build_args(project, out, "--param", f"growth_pct={target}")
        status, output = killer.build(args, kill_at, nth, exchange=swap == "exchange")
        killed = kill_at != "never"
        assert status == (-signal.SIGKILL if killed else 0), (moment, output)
        if not out.exists():
            # Only the portable swap has a moment without reports/: between its two renames,
            # with the marker written first. The next build's recover() finishes the swap.
            assert swap == "portable" and (out.parent / ".reports.swap").exists(), moment
            recover(out)
        after = assert_whole(out, sentinel)  # whole, old or new, whatever the moment
        assert after == (target if status == 0 else after) and after in (before, target)
        assert after == (target if leaves == "new" else before), moment
        outcomes.append(after == target)
    assert not all(outcomes) and any(outcomes), "the kills never hit before or after the swap"
    status, output = killer.build(quick_build_args(project, out, "--force"), "never", 1, True)
    assert status == 0, output
    assert_whole(out, sentinel)


def test_a_second_build_waits_for_the_first(tmp_path):
    project = make_project(tmp_path, body="import time\ntime.sleep(3)\n" + QUICK)
    out, log = tmp_path / "reports", tmp_path / "first.log"
    command = [sys.executable, "-m", "magnet_watch.report_build", *quick_build_args(project, out)]
    with log.open("w") as sink:
        first = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while "running 2 notebook(s)" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # until the first build is staging: its notebooks sleep 3 s
        # The same build: once the first has published, the second finds it up to date.
        second = subprocess.run(command, capture_output=True, text=True, timeout=300)
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


def test_base_and_scenario_builds_keep_each_others_output(tmp_path_factory, tmp_path):
    project, out = copy_built(quick_build(tmp_path_factory), tmp_path)  # the base reports
    base = {k: v for k, v in tree_digest(out).items() if not k.startswith("scenarios/")}
    assert cli.main(quick_build_args(project, out, "--scenario", "low")) == 0
    after = {k: v for k, v in tree_digest(out).items() if not k.startswith("scenarios/")}
    assert after == base  # the scenario build kept the base reports
    scenarios = tree_digest(out / "scenarios")
    assert cli.main(quick_build_args(project, out, "--force")) == 0
    assert tree_digest(out / "scenarios") == scenarios  # and the base build kept them


def test_a_missing_kernel_fails_once_with_the_fix(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(run, "KERNEL_NAME", "magnet-watch-not-installed")
    project = make_project(tmp_path, body=QUICK)
    status = cli.main(quick_build_args(project, tmp_path / "reports"))
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
        [
            sys.executable,
            "-m",
            "magnet_watch.report_build",
            *quick_build_args(project, tmp_path / "r"),
        ],
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
    status = cli.main(quick_build_args(project, out))
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
    args = quick_build_args(project, tmp_path / "out")
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
