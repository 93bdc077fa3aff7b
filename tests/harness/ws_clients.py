"""WebSocket clients in separate processes, for testing the console's servers as phones and
control surfaces on shaky Wi-Fi see them.

- :func:`stalled_clients`: raw sockets that complete the WebSocket handshake and then never read
  (a phone asleep on Wi-Fi). Their receive buffers are made small so the server's writes back
  up quickly instead of filling megabytes of kernel memory first.
- :class:`ReadingClient`: the ``websockets`` client reading every message and writing one JSON
  line per message: ``{"t": arrival time.time(), "data": <the message text>}``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass

_STALLED = textwrap.dedent(r'''
    import base64, os, socket, sys
    host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    extra = sys.argv[5] if len(sys.argv) > 5 else ""
    socks = []
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((host, port))
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   f"{extra}\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:  # the handshake answer only; never a frame after it
            byte = s.recv(1)
            if not byte:
                sys.exit("closed during handshake")
            head += byte
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            sys.exit("handshake refused: " + head.split(b"\r\n", 1)[0].decode())
        socks.append(s)
    print("ready", flush=True)
    sys.stdin.read()  # hold the sockets open, unread, until the test closes stdin
''')

_READER = textwrap.dedent(r'''
    import json, sys, time
    from websockets.sync.client import connect
    url, until, out = sys.argv[1], sys.argv[2], open(sys.argv[3], "w")
    with connect(url, open_timeout=10, max_size=None) as ws:
        print("open", flush=True)
        while True:
            try:
                text = ws.recv(timeout=30)
            except TimeoutError:
                break
            # To a file: a pipe nobody drains until the end would stall this reader.
            out.write(json.dumps({"t": time.time(), "data": text}) + "\n")
            if until and until in text:
                break
    out.close()
''')


def stalled_clients(host: str, port: int, path: str, count: int = 1, headers: str = "") -> subprocess.Popen:
    """``count`` handshaken, never-reading sockets in one child process; returns once they are up.
    Close the child's stdin (or kill it) to end them."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED, host, str(port), path, str(count), headers],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        raise RuntimeError(f"stalled client did not connect: {line!r} {proc.stderr.read()!r}")
    return proc


@dataclass
class Received:
    t: float
    data: str


class ReadingClient:
    """A reading ``websockets`` client in a child process; :meth:`messages` waits for its end."""

    def __init__(self, url: str, until: str = "") -> None:
        fd, self._out = tempfile.mkstemp(prefix="ws-reader-", suffix=".jsonl")
        os.close(fd)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _READER, url, until, self._out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ},
        )
        first = self.proc.stdout.readline()
        if not first:
            raise RuntimeError(f"reading client did not connect: {self.proc.stderr.read()!r}")

    def messages(self, timeout: float = 60) -> list[Received]:
        self.proc.communicate(timeout=timeout)
        with open(self._out, encoding="utf-8") as f:
            lines = f.read().splitlines()
        os.unlink(self._out)
        return [Received(**json.loads(line)) for line in lines if line.strip()]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def end(proc: subprocess.Popen) -> None:
    """Stop a helper child started here (by its own handle)."""
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


_PIPELINER = textwrap.dedent(r'''
    import socket, sys
    host, port, request, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, port))
    data = request.replace("\n", "\r\n").encode() * count
    s.setblocking(False)
    sent = 0
    while sent < len(data):  # as much as the server takes; it stops reading once its answers back up
        try:
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            break
    print("sent", sent // len(request.encode()), flush=True)
    sys.stdin.read()  # never read an answer; hold the socket until the test closes stdin
''')


def pipelining_reader_that_never_reads(host: str, port: int, request: str, count: int) -> subprocess.Popen:
    """An HTTP client that pipelines ``count`` copies of ``request`` (``\\n`` line ends) and
    never reads an answer; returns once it has sent what the server would take."""
    proc = subprocess.Popen([sys.executable, "-c", _PIPELINER, host, str(port), request, str(count)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("sent"):
        proc.kill()
        raise RuntimeError(f"pipelining client failed: {proc.stderr.read()!r}")
    return proc
