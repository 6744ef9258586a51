"""Start the build's kernels by forking one process that has already imported the libraries.

A fresh kernel costs a Python start and ``import pandas, altair, magnet_watch...`` every
time: about 2 s of CPU per notebook, as much as the cells of a short notebook. The fork
server pays for the imports once; each kernel is a fork of it, so every notebook still runs
in a process and a namespace of its own, and only the kernel's own start-up is paid again.

- ``serve(socket_path)`` (``python kernel_fork.py FD FD N``, started by
  ``running_server``) imports ``PRELOAD``, forks N chart renderers (vl-convert's engine
  then starts once per renderer, not once per kernel: see ``notebook/chart_render``), and
  forks a kernel for each request on the Unix socket.
- ``forked_kernel_manager(socket)`` is the kernel manager class papermill is given: Jupyter
  starts ``kernel_fork_client.py`` as the kernel's process, which asks the server for it.

A kernel forked from the server must behave as a fresh one. The libraries are imported as
they would be in a kernel (pandas, for one, sets ``display.max_columns`` at import from
whether it runs in a kernel), ipywidgets is never preloaded (it registers with the running
shell at import), and the random generators are seeded again in each kernel.
``tests/integration/test_kernel_fork.py`` runs every notebook both ways and compares the outputs.
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib
import importlib.util
import json
import os
import pkgutil
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SOCKET_NAME = "kernels.sock"
CHARTS_SOCKET_NAME = "charts.sock"
BACKLOG = 64  # kernels that may wait for the server at once
REAP_EVERY_S = 1.0  # how often the server waits for exited kernels while idle
FINAL_REAP_S = 5.0  # at the end, how long it waits for its renderers and kernels to exit
# Both run as scripts, not ``-m``: importing this package first would import pandas
# outside a kernel's conditions (the ``magnet_watch`` facade does).
SERVER_SCRIPT = Path(__file__)
CLIENT_SCRIPT = Path(__file__).with_name("kernel_fork_client.py")
# What every notebook imports: the libraries, then the project's stages below reports/.
PRELOAD = ("numpy", "pandas", "altair", "IPython.display", "ipykernel.kernelapp")
PRELOAD_PACKAGES = ("magnet_watch",)
NOT_PRELOADED = (
    "magnet_watch.reports",  # the build itself, never used in a kernel
    "magnet_watch.report_build",
    "magnet_watch.audit",  # a command shim
    "magnet_watch.notebook.controls",  # imports ipywidgets
)
NEVER_PRELOADED = ("ipywidgets",)  # registers itself with the shell that imports it
# Hidden while preloading: when anywidget is installed, ``import altair`` imports it, and
# with it ipywidgets, for ``alt.JupyterChart``. So the server imports altair as if anywidget
# were absent, and each kernel, once it runs, imports it and gives altair its JupyterChart
# back (``_unhide``): as in a fresh kernel, ipywidgets registers with that kernel's shell.
HIDDEN_WHILE_PRELOADING = ("anywidget",)


class _KernelLikeShell:
    """What ``get_ipython()`` returns while the server imports: a shell that has a kernel."""

    kernel = None


def _skipped(name: str) -> bool:
    return name.endswith(".__main__") or any(
        name == s or name.startswith(s + ".") for s in NOT_PRELOADED
    )


def preload() -> None:
    """Import ``PRELOAD`` and the project's modules as a kernel would."""
    early = [m for m in (*PRELOAD, *PRELOAD_PACKAGES) if m in sys.modules]
    if early:  # imported outside a kernel's conditions: they may have set themselves up wrong
        raise RuntimeError(f"{early} were imported before preload(): run this file as a script")
    builtins.get_ipython = _KernelLikeShell  # as IPython's shell provides while code runs
    builtins.__IPYTHON__ = True
    hidden = [m for m in HIDDEN_WHILE_PRELOADING if importlib.util.find_spec(m) is not None]
    sys.modules.update(dict.fromkeys(hidden))  # None: importlib finds no such module
    try:
        for name in PRELOAD:
            importlib.import_module(name)
        for package_name in PRELOAD_PACKAGES:
            package = importlib.import_module(package_name)
            for info in pkgutil.walk_packages(package.__path__, package_name + "."):
                if not _skipped(info.name):
                    importlib.import_module(info.name)
    finally:
        del builtins.get_ipython, builtins.__IPYTHON__
        for name in hidden:
            del sys.modules[name]
    pulled_in = [m for m in NEVER_PRELOADED if m in sys.modules]
    if pulled_in:
        raise RuntimeError(f"preloading imported {pulled_in}; add its importer to NOT_PRELOADED")


def _receive_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """Return the client's request (connection file, cwd, env) and its three stdio fds."""
    from magnet_watch.notebook.chart_render import receive_exactly  # preloaded by now

    header, fds, _flags, _addr = socket.recv_fds(conn, 8, 3)
    return json.loads(receive_exactly(conn, int.from_bytes(header, "big"))), fds


def _watch_client(conn: socket.socket) -> None:
    """Exit this kernel when its client process is gone (killed, or shut down)."""
    try:
        while conn.recv(64):
            pass
    finally:
        os._exit(1)


def _become_kernel(listener: socket.socket, conn: socket.socket, request: dict, fds: list[int]):
    """In the forked child: take the client's streams, cwd and env, and run the kernel."""
    listener.close()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    _seed_again()
    sys.argv = [str(Path(kernelapp_launcher())), "-f", request["connection_file"]]
    threading.Thread(target=_watch_client, args=(conn,), daemon=True).start()
    from ipykernel import kernelapp

    # The app read JPY_PARENT_PID when the server imported it; give it this kernel's.
    parent = request["env"].get("JPY_PARENT_PID") or "0"
    try:  # as kernelapp.launch_new_instance, with the hidden modules back once the kernel is
        app = kernelapp.IPKernelApp.instance()
        app.initialize(["-f", request["connection_file"], f"--IPKernelApp.parent_handle={parent}"])
        _unhide()
        app.start()
    except BaseException:  # e.g. a port taken: say why, and exit (so the client does) at once
        traceback.print_exc()
        sys.stderr.flush()
        # Not through the server's code, nor the app's exit handlers: ZeroMQ's clean-up
        # there can wait forever for the sockets a failed start left open.
        os._exit(1)
    os._exit(0)


def _unhide() -> None:
    """In a started kernel: import what ``preload`` hid, and give altair its JupyterChart."""
    if importlib.util.find_spec("anywidget") is None:
        return
    import altair
    from altair.jupyter import jupyter_chart

    altair.JupyterChart = altair.jupyter.JupyterChart = jupyter_chart.JupyterChart


def kernelapp_launcher() -> str:
    """Return the path of ``ipykernel_launcher``: what a fresh kernel has as ``sys.argv[0]``."""
    import ipykernel_launcher

    return ipykernel_launcher.__file__


def _seed_again() -> None:
    """Give this kernel random generators of its own, as a fresh process would have."""
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # the legacy global generator; `random` reseeds itself


def serve(kernels_fd: int, charts_fd: int, renderers: int) -> None:
    """Preload; fork ``renderers`` chart renderers on the listening socket ``charts_fd``;
    then fork a kernel for each client of the listening socket ``kernels_fd``.

    Returns when standard input closes: the build that started the server has ended
    (or died), so neither the server nor its renderers outlive it.
    """
    listener = socket.socket(fileno=kernels_fd)
    preload()
    # What preload() built lives as long as every kernel: frozen, the collector never walks
    # it again, so a full collection in a kernel neither costs 0.1 s nor writes to (and so
    # copies) the pages it inherited. As Python's gc docs advise before fork().
    gc.freeze()
    charts = socket.socket(fileno=charts_fd)
    charts.setblocking(False)  # the renderers share it: the one that loses an accept() waits on
    for _ in range(renderers):
        if os.fork() == 0:
            listener.close()
            _run_renderer(charts)
    charts.close()
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [], REAP_EVERY_S)
        _reap()
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1024):
            _reap(wait_s=FINAL_REAP_S)
            return
        if listener in readable:
            _fork_kernel(listener)


def _reap(wait_s: float = 0.0) -> None:
    """Wait for the kernels and renderers that have exited (for up to ``wait_s`` for all).

    Waiting for them, rather than ignoring SIGCHLD, adds their CPU time to this process's
    children, and so to the build's: ``getrusage(RUSAGE_CHILDREN)`` then counts them.
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:  # some still running
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)


def _run_renderer(charts: socket.socket) -> None:
    """In a forked child: draw charts until the build ends (see ``notebook.chart_render``)."""
    from magnet_watch.notebook import chart_render

    try:
        chart_render.serve(charts, sys.stdin.fileno())
    finally:
        os._exit(0)


def _fork_kernel(listener: socket.socket) -> None:
    """Accept one client, fork its kernel and send the client the kernel's pid."""
    conn, _ = listener.accept()
    try:
        request, fds = _receive_request(conn)
    except (ConnectionError, ValueError, OSError) as exc:
        print(f"kernel fork server: bad request: {exc}", file=sys.stderr, flush=True)
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        _become_kernel(listener, conn, request, fds)
    for fd in fds:
        os.close(fd)
    conn.sendall(f"{pid}\n".encode())
    conn.close()


@dataclass(frozen=True)
class RunningServer:
    """A fork server: the sockets kernels and charts are asked for on, and the server's pid."""

    socket_path: str
    charts_path: str
    pid: int


@contextlib.contextmanager
def running_server(python: str, log_path: Path, renderers: int = 1) -> Iterator[RunningServer]:
    """Run a fork server with the kernel's ``python`` and ``renderers`` chart renderers; stop
    them (and remove their sockets) after. Their own output (errors) goes to ``log_path``.

    Only the process that started the server stops it. A process forked meanwhile (a build's
    pool worker) holds a copy of this context; where the child lets go of it (Python 3.13's
    forked workers drop what ``atexit`` held, and a server kept only by an atexit callback is
    then collected), its copy must not remove the sockets the parent's kernels still need.
    """
    owner = os.getpid()
    folder = tempfile.mkdtemp(prefix="magnet-watch-kernels-")
    paths = [os.path.join(folder, name) for name in (SOCKET_NAME, CHARTS_SOCKET_NAME)]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Listening before the server starts: whoever asks meanwhile waits in the backlog.
    with contextlib.ExitStack() as stack:
        listeners = [stack.enter_context(socket.socket(socket.AF_UNIX)) for _ in paths]
        for listener, path in zip(listeners, paths, strict=True):
            listener.bind(path)
            listener.listen(BACKLOG)
        fds = [listener.fileno() for listener in listeners]
        log = stack.enter_context(log_path.open("w"))
        server = subprocess.Popen(
            [python, str(SERVER_SCRIPT), *map(str, fds), str(renderers)],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            pass_fds=fds,
        )
    try:
        yield RunningServer(paths[0], paths[1], server.pid)
    finally:
        if os.getpid() == owner:
            _stop(server, folder)


def _stop(server: subprocess.Popen, folder: str) -> None:
    """Stop the fork ``server`` and its renderers; remove their sockets' ``folder``."""
    server.stdin.close()  # the server and its renderers return on end of input
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    shutil.rmtree(folder, ignore_errors=True)


def forked_kernel_manager(socket_path: str) -> type:
    """Return a kernel manager class (for papermill) whose kernels the server at ``socket_path``
    forks: Jupyter starts ``kernel_fork_client.py`` as the kernel, which asks for the fork.

    The class is asynchronous, as papermill's default manager is: nbclient awaits its methods
    in its own event loop. A synchronous manager's methods run there through jupyter_core's
    task runner, a thread kept per process; a process forked afterwards (the build's pool,
    forked from a process that had run a notebook) inherits the runner without its thread,
    and its first kernel start waits forever."""
    from jupyter_client.manager import AsyncKernelManager

    class ForkedKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return [
                sys.executable,
                "-I",
                "-S",
                str(CLIENT_SCRIPT),
                socket_path,
                os.path.realpath(self.connection_file),
            ]

    return ForkedKernelManager


if __name__ == "__main__":
    del sys.path[0]  # this script's folder; as ipykernel_launcher does, the shell puts '' back
    serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
