"""Stand in for one kernel: ask the fork server for a kernel, then live exactly as long as it.

Run as a script (``python -I -S kernel_fork_client.py SOCKET CONNECTION_FILE``), never
imported: it uses the standard library only, so it starts in a few milliseconds. Jupyter's
kernel manager sees this process as the kernel. It hands the server its working directory,
environment and standard streams; the server forks a kernel that already has the
libraries imported, and sends back its pid. Signals for the kernel (interrupt, terminate)
are passed on to it. The two stay joined by the socket: when the kernel exits this
process exits, and when this process is killed the kernel sees the socket close and exits.
"""

import json
import os
import signal
import socket
import sys

FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main(socket_path: str, connection_file: str) -> int:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(socket_path)
    request = json.dumps(
        {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    ).encode()
    # The length and our stdin, stdout and stderr first, then the request itself.
    socket.send_fds(conn, [len(request).to_bytes(8, "big")], [0, 1, 2])
    conn.sendall(request)
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = conn.recv(64)
        if not chunk:
            print(
                "kernel fork server closed the connection before starting a kernel", file=sys.stderr
            )
            return 1
        reply += chunk
    kernel_pid = int(reply)

    def forward(signum, _frame):
        try:
            os.kill(kernel_pid, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)
    while True:  # until the kernel's end of the socket closes, i.e. the kernel has exited
        try:
            if not conn.recv(64):
                return 0
        except InterruptedError:
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
