"""Draw a Vega-Lite spec as SVG and PNG: here, or by the report build's chart renderers.

vl-convert starts a JavaScript engine the first time a process draws a chart (about half
a second of CPU), which a report build would pay in every kernel. So while a build runs,
a renderer process per core, each started once, draws the kernels' charts; the build tells
the kernels where, in ``$MAGNET_WATCH_CHART_RENDERER`` (a Unix socket). The pictures are
the same bytes either way: the same vl-convert draws them.

On the wire, a message is a list of byte strings: their count, then each one's length and
bytes (8-byte big-endian numbers).
"""

from __future__ import annotations

import json
import os
import socket

RENDERER_ENV = "MAGNET_WATCH_CHART_RENDERER"
PNG_SCALE = 2  # PNG pixels per SVG pixel: sharp on slides and high-density screens


def render_here(spec: dict, png: bool = True) -> tuple[str, bytes | None]:
    """Return the chart's SVG (text) and, if ``png``, its PNG (bytes at ``PNG_SCALE``; else
    None), drawn in this process."""
    import vl_convert as vlc  # imported here: only report builds pay for it

    svg = vlc.vegalite_to_svg(spec)
    # The PNG is rasterised from the SVG just drawn: the same bytes as vegalite_to_png gives,
    # at about a third of its cost (that would lay the chart out again).
    return svg, vlc.svg_to_png(svg, scale=PNG_SCALE) if png else None


def render(spec: dict, png: bool = True) -> tuple[str, bytes | None]:
    """Return the chart's SVG and PNG (None unless ``png``): from the build's renderers when
    they run, else drawn here."""
    address = os.environ.get(RENDERER_ENV)
    if not address:
        return render_here(spec, png)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(address)
        send_frames(conn, [json.dumps(spec).encode(), b"png" if png else b"svg"])
        status, *body = receive_frames(conn)
    if status != b"ok":
        raise ValueError(f"vl-convert could not draw the chart: {body[0].decode()}")
    return body[0].decode(), body[1] if png else None


def send_frames(conn: socket.socket, frames: list[bytes]) -> None:
    """Send ``frames``: their count, then each one's length and bytes."""
    conn.sendall(len(frames).to_bytes(8, "big"))
    for frame in frames:
        conn.sendall(len(frame).to_bytes(8, "big") + frame)


def receive_frames(conn: socket.socket) -> list[bytes]:
    """Return the frames ``send_frames`` sent; ConnectionError if the other side went away."""
    count = int.from_bytes(receive_exactly(conn, 8), "big")
    return [
        receive_exactly(conn, int.from_bytes(receive_exactly(conn, 8), "big")) for _ in range(count)
    ]


def receive_exactly(conn: socket.socket, size: int) -> bytes:
    """Return the next ``size`` bytes from ``conn``; ConnectionError if it closes before."""
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError(f"the connection closed {left} bytes short")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(listener: socket.socket, stop_fd: int) -> None:
    """Draw the chart of each connection to ``listener``, one at a time, until ``stop_fd``
    reaches end of file (the build that started this renderer is over).

    Several renderer processes may share one listener: each connection goes to one of them.
    """
    import select

    render_here({"mark": "point", "data": {"values": [{}]}})  # start the engine before asked
    while True:
        readable, _, _ = select.select([listener, stop_fd], [], [])
        if stop_fd in readable and not os.read(stop_fd, 1024):
            return
        if listener in readable:
            try:
                conn, _ = listener.accept()
            except BlockingIOError:  # another renderer took this one
                continue
            with conn:
                _answer(conn)


def _answer(conn: socket.socket) -> None:
    """Draw one requested chart and send it back (or vl-convert's error)."""
    try:
        spec, kinds = receive_frames(conn)
        svg, png = render_here(json.loads(spec), png=kinds == b"png")
        send_frames(conn, [b"ok", svg.encode(), *([png] if png is not None else [])])
    except ConnectionError:
        pass  # the kernel went away (interrupted): nobody to answer
    except Exception as exc:  # a spec vl-convert refuses: the kernel raises it
        try:
            send_frames(conn, [b"error", f"{type(exc).__name__}: {exc}".encode()])
        except OSError:
            pass
