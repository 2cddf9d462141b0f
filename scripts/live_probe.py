"""Helpers shared by the live measurement scripts (live_room_flood.py,
live_slow_consumer.py): start `roomsim serve` on a free port, read /metrics,
open a raw WebSocket. Standard library only."""
import base64
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile


@contextlib.contextmanager
def serve(roomsim, extra_args):
    """Runs `roomsim serve --port 0` on a fresh data directory; yields (process, port)."""
    data = tempfile.mkdtemp(prefix="roomsim-probe-")
    server = subprocess.Popen([roomsim, "serve", "--port", "0", "--threads", "2", "--data", data] + list(extra_args),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    m = re.search(r"listening on [\d.]+:(\d+)", line)
    if not m:
        server.kill()
        raise RuntimeError(f"roomsim serve did not start: {line!r}")
    try:
        yield server, int(m.group(1))
    finally:
        server.terminate()
        server.wait(timeout=30)


def metric(port, name):
    """The value of the /metrics line `name` (0.0 when absent)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics")
    body = conn.getresponse().read().decode()
    conn.close()
    m = re.search(r"^" + re.escape(name) + r" (\S+)$", body, re.M)
    return float(m.group(1)) if m else 0.0


def upgrade(port, path):
    """A raw WebSocket upgrade of `path`; returns (socket, status line). The socket stays open."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        byte = s.recv(1)
        if not byte:
            break
        head += byte
    return s, head.split(b"\r\n", 1)[0].decode(errors="replace")


def run(roomsim, serve_args, measure):
    """Starts the server, prints measure(server_process, port) as one JSON line and stops it.
    Returns the exit code: 0, or 2 when the server does not start or refuses the setup."""
    try:
        with serve(roomsim, serve_args) as (server, port):
            print(json.dumps(measure(server, port)))
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 2
    return 0
