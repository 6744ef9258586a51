"""Kernels forked from the fork server behave as fresh kernels, and never outlive their build.

The report build forks each notebook's kernel from a server that has done the imports
(``reports/kernel_fork.py``). These tests hold it to what a fresh kernel gives: the same
outputs for every real notebook, the same interpreter state a notebook can see, random
generators of its own, interrupts that work, and no process left behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import nbformat
import papermill
import pytest
from helpers.projects import make_project
from helpers.shared import once_per_run

from magnet_watch.notebook import chart_render
from magnet_watch.reports import build as report_build
from magnet_watch.reports import kernel_fork, run
from magnet_watch.reports.plan import Project

# Outputs that differ between any two kernels, fresh or forked: object addresses in a repr,
# and the random id of a widget's model.
VOLATILE = (
    (re.compile(r" at 0x[0-9a-f]+"), " at 0x…"),
    (re.compile(r'"model_id": "[0-9a-f]{32}"'), '"model_id": "…"'),
)
# What a notebook can see of its interpreter; printed as JSON by the probe notebook.
PROBE = """
import json, os, random, signal, sys
import numpy as np
import pandas as pd
import altair as alt
print(json.dumps({
    "argv0": os.path.basename(sys.argv[0]),
    "argv_rest": [a for a in sys.argv[1:] if not a.endswith('.json')],
    "path_head": sys.path[:2],
    "cwd": os.getcwd(),
    "executable": sys.executable,
    "main_name": __name__,
    "max_columns": pd.get_option("display.max_columns"),
    "width": pd.get_option("display.width"),
    "renderer": alt.renderers.active,
    "widgets_loaded": "ipywidgets" in sys.modules,
    "jupyter_chart": alt.JupyterChart.__module__,
    "in_kernel": get_ipython().kernel is not None,
    "polls_its_manager": get_ipython().kernel.parent.parent_handle
                         == int(os.environ["JPY_PARENT_PID"]),
    "env_probe": os.environ.get("MAGNET_WATCH_PROBE"),
    "sigint": getattr(signal.getsignal(signal.SIGINT), "__qualname__", "not a function"),
}, sort_keys=True))
print(json.dumps({"random": random.random(), "numpy": float(np.random.random())}))
"""


def _outputs(executed: Path) -> str:
    """Return a notebook's execution counts and outputs as text, volatile parts masked."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    cells = [
        {"count": c.get("execution_count"), "outputs": c.get("outputs")}
        for c in notebook["cells"]
        if c["cell_type"] == "code"
    ]
    text = json.dumps(cells, indent=1, sort_keys=True)
    for pattern, mask in VOLATILE:
        text = pattern.sub(mask, text)
    return text


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory, project_build) -> tuple[Path, Path]:
    """The real project built twice: on fresh kernels (here, once per test run) and on
    forked kernels (the session's ``project_build``, which forks its kernels as every
    build does unless told otherwise)."""

    def build_on_fresh_kernels(folder):
        report_build.build(folder / "reports", project=Project(), fresh_kernels=True)

    fresh, _ = once_per_run(tmp_path_factory, "project-build-fresh-kernels", build_on_fresh_kernels)
    forked, _ = project_build
    return fresh / "reports", forked


@pytest.mark.slow
@pytest.mark.xdist_group("report_builds")
def test_every_notebook_gives_the_same_outputs_on_a_forked_kernel(both_builds):
    fresh, forked = both_builds
    executed = sorted(p.name for p in (fresh / "notebooks").glob("*.ipynb"))
    assert executed == sorted(p.name for p in (forked / "notebooks").glob("*.ipynb"))
    assert len(executed) >= 7
    for name in executed:
        assert _outputs(forked / "notebooks" / name) == _outputs(fresh / "notebooks" / name), name


@pytest.mark.xdist_group("report_builds")
def test_pages_and_chart_files_are_byte_identical_on_forked_kernels(both_builds):
    fresh, forked = both_builds
    published = sorted(
        p.relative_to(fresh).as_posix()
        for p in fresh.rglob("*")
        if p.is_file()
        and p.suffix in {".html", ".csv", ".svg", ".png", ".json"}
        and not p.name.startswith(".")
        and "notebooks" not in p.relative_to(fresh).parts
    )
    assert any(name.endswith(".png") for name in published)
    for name in published:
        assert (forked / name).read_bytes() == (fresh / name).read_bytes(), name


def in_fresh_process(function, *args):
    """Return ``function(*args)`` run in a new interpreter (spawned, not forked).

    Kernel clients leave ZeroMQ's threads and event loops behind, and a later build in this
    test process forks its workers from it: kept in an interpreter of their own, they reach
    no build. (The one such inheritance known to hang a build, jupyter_core's task runner, is
    gone: ``test_a_process_forked_after_running_a_notebook_starts_its_own_kernels``.)
    """
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result(timeout=300)


@pytest.mark.xdist_group("report_builds")
def test_explorers_export_no_png_and_every_other_chart_does(both_builds):
    _, forked = both_builds
    charts = {p.name.removesuffix(".vl.json") for p in (forked / "charts").glob("*.vl.json")}
    explorers = {c for c in charts if c.startswith("explore_")}
    assert len(explorers) == 6  # 02, 03, 04, 05 and 07, and the overview's replay
    assert {c for c in charts if (forked / "charts" / f"{c}.png").exists()} == charts - explorers
    assert all((forked / "charts" / f"{c}.svg").exists() for c in charts)


def _probe(tmp_path: Path, socket_path: str | None, out_name: str) -> list[dict]:
    """Run the probe notebook (on a forked kernel when ``socket_path``); return what it printed."""
    manager = {}
    if socket_path:
        manager = {"kernel_manager_class": kernel_fork.forked_kernel_manager(socket_path)}
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": run.KERNEL_NAME,
        "language": "python",
        "display_name": "Python (magnet-watch)",
    }
    notebook.cells = [nbformat.v4.new_code_cell(PROBE)]
    source = tmp_path / "probe.ipynb"
    nbformat.write(notebook, source)
    executed = tmp_path / out_name
    papermill.execute_notebook(
        str(source),
        str(executed),
        kernel_name=run.KERNEL_NAME,
        cwd=str(tmp_path),
        progress_bar=False,
        **manager,
    )
    text = nbformat.read(executed, as_version=4).cells[0].outputs[0]["text"]
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def fork_server(tmp_path_factory):
    """A running fork server for the project's kernel, shared by the module's tests: they
    fork kernels from it and draw charts with its renderer, and none stops or changes it."""
    python = run.kernel_python(run.KERNEL_NAME)
    log = tmp_path_factory.mktemp("fork-server") / "server.log"
    with kernel_fork.running_server(python, log) as server:
        yield server


def _probes(tmp_path: Path, runs: list[tuple[str | None, str]]) -> list[list[dict]]:
    """Run the probe notebook once per (socket path or None, output name) of ``runs``, in
    order; return what each printed (one interpreter, and one papermill import, for all)."""
    return [_probe(tmp_path, socket_path, out_name) for socket_path, out_name in runs]


@pytest.mark.slow
def test_a_forked_kernel_sees_what_a_fresh_kernel_sees(tmp_path, fork_server, monkeypatch):
    monkeypatch.setenv("MAGNET_WATCH_PROBE", "handed over")
    forked = fork_server.socket_path
    runs = [(None, "fresh.ipynb"), (forked, "forked-1.ipynb"), (forked, "forked-2.ipynb")]
    fresh, first, second = in_fresh_process(_probes, tmp_path, runs)
    (fresh_state, _), (forked_state, forked_random), (_, again_random) = fresh, first, second
    assert forked_state == fresh_state
    assert fresh_state["env_probe"] == "handed over"
    assert fresh_state["max_columns"] == 20  # pandas' value inside a kernel (0 in a terminal)
    # Each forked kernel draws its own random numbers, as separate fresh kernels do.
    assert forked_random["random"] != again_random["random"]
    assert forked_random["numpy"] != again_random["numpy"]


def _run_then_fork(tmp_path: Path, socket_path: str) -> str:
    """Run the probe notebook on a forked kernel in this process, then fork a process that
    runs it again (as a build's pool forks its workers); return how the second run ended."""
    _probe(tmp_path, socket_path, "parent.ipynb")
    child = os.fork()
    if child == 0:  # the forked process: its run's outcome is its exit status
        status = 1
        try:
            _probe(tmp_path, socket_path, "child.ipynb")
            status = 0
        finally:
            os._exit(status)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            return f"exit status {os.waitstatus_to_exitcode(status)}"
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    return "still starting its kernel after 60 s"


def test_a_process_forked_after_running_a_notebook_starts_its_own_kernels(tmp_path, fork_server):
    """A build forks its pool's workers from its own process. Where that process had run a
    notebook on a forked kernel before (a test's papermill run), each worker's first kernel
    start waited forever: the kernel manager was synchronous, so jupyter_core ran it on a
    task-runner thread, which a forked process inherits in name but not in fact. The stall
    seen now and then in the test suite's time was this."""
    outcome = in_fresh_process(_run_then_fork, tmp_path, fork_server.socket_path)
    assert outcome == "exit status 0"


async def _kernel_pid(client) -> int:
    """Return the pid of the process that runs the kernel's code."""
    printed = []
    reply = await client.execute_interactive(
        "import os; print(os.getpid())", timeout=60, output_hook=printed.append
    )
    assert reply["content"]["status"] == "ok"
    return int(next(m["content"]["text"] for m in printed if m["msg_type"] == "stream"))


async def _start_forked_kernel(socket_path: str):
    """Return (manager, client) of a kernel forked by the server at ``socket_path``, ready;
    the caller stops the client's channels and ends the kernel. The manager is asynchronous,
    as papermill uses it."""
    manager = kernel_fork.forked_kernel_manager(socket_path)(kernel_name=run.KERNEL_NAME)
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
    except BaseException:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        raise
    return manager, client


def _interrupt_then_kill_client(socket_path: str) -> dict:
    """Start a forked kernel, interrupt a long cell, SIGKILL the client; return what happened."""

    async def interrupt_then_kill() -> dict:
        manager, client = await _start_forked_kernel(socket_path)
        try:
            kernel_pid = await _kernel_pid(client)
            message_id = client.execute("import time; time.sleep(60)")
            await asyncio.sleep(1)
            await manager.interrupt_kernel()
            reply = await client.get_shell_msg(timeout=20)
            client_pid = manager.provisioner.pid
            os.kill(client_pid, signal.SIGKILL)  # the client dies: the kernel must follow
            return {
                "kernel_pid": kernel_pid,
                "client_pid": client_pid,
                "replied_to_the_cell": reply["parent_header"]["msg_id"] == message_id,
                "status": reply["content"]["status"],
                "ename": reply["content"].get("ename"),
                "kernel_gone": _wait_gone(kernel_pid),
            }
        finally:
            client.stop_channels()
            await manager.cleanup_resources()

    return asyncio.run(interrupt_then_kill())


def test_interrupt_reaches_a_forked_kernel_and_killing_its_client_ends_it(fork_server):
    seen = in_fresh_process(_interrupt_then_kill_client, fork_server.socket_path)
    assert seen["kernel_pid"] != seen["client_pid"]  # the client stands in for the kernel
    assert seen["replied_to_the_cell"]
    assert (seen["status"], seen["ename"]) == ("error", "KeyboardInterrupt")
    assert seen["kernel_gone"], "the kernel outlived its client"


def test_a_kernel_that_cannot_start_ends_its_client_at_once(tmp_path, fork_server):
    """A forked kernel that fails to start (here: a port of its connection file is taken)
    must exit, and so end its client, which Jupyter sees as the kernel dying: the build
    then starts a fresh kernel at once. It hung in ZeroMQ's clean-up until Jupyter's
    start timeout (180 s) ran out."""
    from jupyter_client.connect import write_connection_file

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        connection_file = tmp_path / "kernel.json"
        write_connection_file(str(connection_file), iopub_port=taken.getsockname()[1], key=b"test")
        command = kernel_fork.forked_kernel_manager(fork_server.socket_path)().format_kernel_cmd()
        command[-1] = str(connection_file)
        client = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            client.wait(timeout=60)
        except subprocess.TimeoutExpired:
            client.kill()
            pytest.fail("the client still waits for a kernel that failed to start")
        finally:
            stderr = client.stderr.read()
            client.stderr.close()
    assert "Address already in use" in stderr


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_gone(pid: int, seconds: float = 20) -> bool:
    """Return True once ``pid`` has stopped running, False if it still runs after ``seconds``."""
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


def _wait_ready(log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while "ready" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, f"the fork server did not start: {log.read_text()}"
        time.sleep(0.05)


def test_the_server_and_its_renderers_end_with_the_build_and_leave_no_socket(tmp_path):
    python, log = run.kernel_python(run.KERNEL_NAME), tmp_path / "server.log"
    with kernel_fork.running_server(python, log, renderers=2) as server:
        _wait_ready(log)
        renderers = _children(server.pid)
        assert len(renderers) == 2 and all(_alive(pid) for pid in renderers)
        assert Path(server.socket_path).exists() and Path(server.charts_path).exists()
    assert not _alive(server.pid)
    assert all(_wait_gone(pid) for pid in renderers), "a renderer outlived the build"
    assert not Path(server.socket_path).parent.exists()


def _let_go_in_a_forked_child(log: Path) -> bool:
    """Start a fork server here, fork a child that lets go of its copy of the server's
    context (as a copy collected in the child does), and return whether the server's socket
    is still there for this process once the child has ended."""
    context = kernel_fork.running_server(run.kernel_python(run.KERNEL_NAME), log, renderers=0)
    server = context.__enter__()
    try:
        child = os.fork()
        if child == 0:
            try:
                context.__exit__(None, None, None)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        return Path(server.socket_path).exists()
    finally:
        context.__exit__(None, None, None)


def test_a_forked_child_that_lets_go_of_the_server_leaves_it_to_its_parent(tmp_path):
    """On Python 3.13 a forked pool worker clears what ``atexit`` held; the tests' fork server,
    kept by an atexit callback, was then collected in each worker, and its clean-up removed
    the parent's sockets: six notebook tests failed there, their kernels finding no server."""
    assert in_fresh_process(_let_go_in_a_forked_child, tmp_path / "server.log")


def test_the_build_renderers_draw_the_same_bytes_and_pass_on_errors(fork_server, monkeypatch):
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "mark": "bar",
        "data": {"values": [{"x": "a", "y": 1}, {"x": "b", "y": 3}]},
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }
    here = chart_render.render_here(spec)
    monkeypatch.setenv(chart_render.RENDERER_ENV, fork_server.charts_path)
    assert chart_render.render(spec) == here
    with pytest.raises(ValueError, match="vl-convert could not draw the chart"):
        chart_render.render({"mark": {"type": "no-such-mark"}, "data": {"values": []}})
    assert chart_render.render(spec) == here  # the renderer lives on after an error
    assert chart_render.render(spec, png=False) == (here[0], None)


def test_a_server_that_cannot_start_falls_back_to_fresh_kernels(tmp_path, monkeypatch, capfd):
    project = make_project(tmp_path, stems=("01_alpha",), body="print('ran')\n")
    monkeypatch.setattr(run, "kernel_python", lambda name: "/bin/false")  # the server exits at once
    report_build.build(tmp_path / "reports", project=project)
    said = capfd.readouterr().out
    assert "retrying 01_alpha: the kernel did not start" in said
    assert (tmp_path / "reports" / "01_alpha.html").exists()


def _burn_on_a_forked_kernel(socket_path: str, seconds: float) -> int:
    """Start a forked kernel, burn ``seconds`` of CPU in a cell, shut the kernel down; return
    its pid."""

    async def burn_on_a_forked_kernel() -> int:
        manager, client = await _start_forked_kernel(socket_path)
        try:
            kernel_pid = await _kernel_pid(client)
            burn = (
                "import time\nstarted = time.process_time()\n"
                f"while time.process_time() - started < {seconds}:\n    pass\n"
            )
            reply = await client.execute_interactive(burn, timeout=60)
            assert reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()
        return kernel_pid

    return asyncio.run(burn_on_a_forked_kernel())


def _cpu_s(pid: int) -> tuple[float, float]:
    """Return (the CPU seconds of ``pid`` itself, those of the children it has waited for),
    as /proc/<pid>/stat counts them (utime + stime, cutime + cstime)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def _children_cpu_s() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@pytest.mark.slow
def test_the_kernels_cpu_time_counts_in_the_builds(tmp_path):
    """A kernel's CPU reaches the build's, as ``getrusage(RUSAGE_CHILDREN)`` sees it (how
    ``make bench`` reads a build's CPU): the fork server waits for each kernel, so its CPU
    counts in the server's children (it would not if the server let its kernels be reaped
    unseen, with SIGCHLD ignored: then about 0), and the build waits for the server, so the
    server's CPU, its kernels' included, counts in the build's children. Read from /proc,
    exactly: no second build to subtract, whose own CPU varies with the machine's load."""
    burn_s = 1.0
    python, log = run.kernel_python(run.KERNEL_NAME), tmp_path / "server.log"
    with kernel_fork.running_server(python, log, renderers=0) as server:
        _wait_ready(log)
        _, waited_before = _cpu_s(server.pid)
        kernel_pid = in_fresh_process(_burn_on_a_forked_kernel, server.socket_path, burn_s)
        assert _wait_gone(kernel_pid)
        deadline = time.monotonic() + 10 * kernel_fork.REAP_EVERY_S
        while _cpu_s(server.pid)[1] - waited_before < burn_s and time.monotonic() < deadline:
            time.sleep(0.05)
        own, waited = _cpu_s(server.pid)
        build_before = _children_cpu_s()
    assert waited - waited_before >= burn_s, "the server's children do not count its kernel"
    assert _children_cpu_s() - build_before >= own + waited, "the build does not count the server"
