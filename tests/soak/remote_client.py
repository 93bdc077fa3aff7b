"""Control surfaces in their own process, against the console's real remote server:

- a Stream Deck (Companion) pressing a button every 2-4 s: by curl over HTTP, by liblo's
  ``oscsend`` over OSC (when installed), or over its WebSocket;
- a WebSocket subscriber that reads every state and variables push (the buttons' colours).

    python tests/soak/remote_client.py HTTP_BASE TOKEN OSC_PORT SEED

Commands on stdin: ``misbehave`` - from another address (127.0.0.2, as another machine on the
LAN): a wrong token, a malformed JSON body, malformed OSC, a WebSocket that never reads, and a
flood beyond the rate limit; prints what it got, then holds the unread WebSocket until the
server drops it (or 60 s). ``probe`` - the deck's variables poll (GET, its token, from 127.0.0.1)
at once, answered as ``{"event": "probe", "status": …}``: whether the deck is served right now,
not at its next press. ``report`` - counts as one JSON line; ``quit``.
"""
from __future__ import annotations

import base64
import json
import os
import random
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

BAD_HOST = "127.0.0.2"
PRESSES = [  # (action, args): what a studio's Stream Deck page has on it
    ("message.blink", {}), ("card.push", {"slot": 1}), ("prompter.speed", {"delta": 1}),
    ("prompter.speed", {"delta": -1}), ("coupon.confirm", {}), ("message.send", {"text": "看镜头 2"}),
    ("message.hide", {}),
]
lock = threading.Lock()
counts: Counter = Counter()


def out(obj: dict) -> None:
    with lock:
        print(json.dumps(obj, ensure_ascii=False), flush=True)


def bump(key: str, n: int = 1) -> None:
    with lock:
        counts[key] += n


class Subscriber:
    """The WebSocket: reads every push; also sends the deck's WS presses and matches answers."""

    def __init__(self, ws_url: str) -> None:
        from websockets.sync.client import connect

        self.ws = connect(ws_url, open_timeout=10, max_size=None)
        self.waiting: dict[int, threading.Event] = {}
        self.answers: dict[int, dict] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for text in self.ws:
                msg = json.loads(text)
                kind = msg.get("type")
                bump(f"ws_{kind}")
                if kind == "result" and msg.get("id") in self.waiting:
                    self.answers[msg["id"]] = msg
                    self.waiting.pop(msg["id"]).set()
        except Exception as exc:  # noqa: BLE001 - the console went away: say so and stop
            out({"event": "ws_closed", "why": type(exc).__name__})

    def action(self, n: int, name: str, args: dict) -> int:
        done = threading.Event()
        self.waiting[n] = done
        self.ws.send(json.dumps({"type": "action", "id": n, "name": name, "args": args}, ensure_ascii=False))
        if not done.wait(10):
            self.waiting.pop(n, None)
            return 0
        return int(self.answers.pop(n).get("status", 0))


def curl(base: str, token: str, name: str, body: str, interface: str | None = None) -> int:
    cmd = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "-X", "POST",
           "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json", "--data-binary", body,
           f"{base}/actions/{name}"]
    if interface:
        cmd[1:1] = ["--interface", interface]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    return int(r.stdout or 0)


def probe(base: str, token: str) -> None:
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                        "-H", f"Authorization: Bearer {token}", f"{base}/variables"],
                       capture_output=True, text=True, timeout=20)
    out({"event": "probe", "status": int(r.stdout or 0), "t": time.time()})


def deck(base: str, token: str, osc_port: int, seed: int, sub: Subscriber, stop: threading.Event) -> None:
    rng = random.Random(seed)
    oscsend = shutil.which("oscsend")
    host = urlsplit(base).hostname
    n = 0
    while not stop.wait(rng.uniform(2.0, 4.0)):
        name, args = rng.choice(PRESSES)
        n += 1
        via = rng.choice(("http", "ws", "osc") if oscsend else ("http", "ws"))
        t0 = time.monotonic()
        if via == "http":
            status = curl(base, token, name, json.dumps(args, ensure_ascii=False))
        elif via == "ws":
            status = sub.action(n, name, args)
        else:  # OSC answers nothing; the console's record says what happened
            argv = [oscsend, host, str(osc_port), f"/studio/{name}"]
            if args:
                argv.append("".join("s" + ("s" if isinstance(v, str) else "i") for v in args.values()))
                for k, v in args.items():
                    argv += [k, str(v)]
            status = 200 if subprocess.run(argv, capture_output=True, timeout=10).returncode == 0 else 0
        bump(f"{via}_pressed")
        bump(f"{via}_{status}")
        ms = round((time.monotonic() - t0) * 1000, 1)  # press to answer (curl, WebSocket) or sent (OSC)
        out({"event": "pressed", "via": via, "name": name, "status": status, "t": time.time(), "ms": ms})


def never_reading_ws(host: str, port: int, path: str) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind((BAD_HOST, 0))
    s.connect((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:  # the handshake answer only; never a frame after it
        byte = s.recv(1)
        if not byte:
            raise ConnectionError("closed during the handshake")
        head += byte
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode())
    return s


def misbehave(base: str, token: str, osc_port: int) -> None:
    u = urlsplit(base)
    got: Counter = Counter()
    got[f"wrong_token_{curl(base, 'not-the-token', 'message.blink', '{}', BAD_HOST)}"] += 1
    truncated = '{"text": '
    got[f"malformed_json_{curl(base, token, 'message.send', truncated, BAD_HOST)}"] += 1
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((BAD_HOST, 0))
    udp.sendto(b"/studio/message.send\x00\x00\x00\x00,s\x00", (u.hostname, osc_port))  # truncated: no argument
    udp.sendto(b"#bundle\x00" + b"\x00" * 8 + b"\xff\xff\xff\xf0garbage", (u.hostname, osc_port))  # negative size
    udp.close()
    got["malformed_osc_sent"] += 2
    try:
        silent = never_reading_ws(u.hostname, u.port, f"{u.path}/ws?token={token}")
    except (OSError, ConnectionError) as exc:
        silent = None
        got[f"ws_open_failed_{type(exc).__name__}"] += 1

    def flood() -> None:
        """1,000 requests pipelined on one connection (written at once, answers read as they
        come): the server, not this client's round trips, sets the pace, so the flood is over
        the rate (250/s after a burst of 100) even on a loaded machine. Sequential requests
        from two threads reached it only on a quiet one."""
        n = 1000
        request = (f"GET {u.path}/variables HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                   f"Authorization: Bearer {token}\r\n\r\n").encode()
        s = socket.create_connection((u.hostname, u.port), timeout=20, source_address=(BAD_HOST, 0))
        answers = bytearray()

        def read() -> None:
            try:
                while answers.count(b"HTTP/1.1 ") < n:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answers.extend(chunk)
            except OSError:
                pass

        reader = threading.Thread(target=read)
        reader.start()
        try:
            s.sendall(request * n)
        except OSError:
            pass
        reader.join(30)
        s.close()
        with lock:
            for status in (200, 429):
                got[f"flood_{status}"] += answers.count(f"HTTP/1.1 {status} ".encode())
            got["flood_unanswered"] += n - answers.count(b"HTTP/1.1 ")

    floods = [threading.Thread(target=flood) for _ in range(2)]
    for f in floods:
        f.start()
    for f in floods:
        f.join()
    out({"event": "misbehaved", **got})
    if silent is None:
        return
    t0 = time.monotonic()
    poller = select.poll()
    poller.register(silent, select.POLLERR | select.POLLHUP | select.POLLRDHUP)
    dropped = None
    while time.monotonic() - t0 < 60:
        if poller.poll(200):  # the server aborted it (an RST): never read a byte to see it
            dropped = round(time.monotonic() - t0, 2)
            break
    silent.close()
    out({"event": "unread_ws_end", "dropped_after_s": dropped})


def main() -> None:
    base, token, osc_port, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ws_url = base.replace("http://", "ws://") + f"/ws?token={token}"
    sub = Subscriber(ws_url)
    stop = threading.Event()
    presser = threading.Thread(target=deck, args=(base, token, osc_port, seed, sub, stop), daemon=True)
    presser.start()
    out({"event": "ready"})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "misbehave":
            threading.Thread(target=misbehave, args=(base, token, osc_port), daemon=True).start()
        elif cmd == "probe":
            threading.Thread(target=probe, args=(base, token), daemon=True).start()
        elif cmd == "report":
            with lock:
                snapshot = dict(counts)
            out({"event": "report", **snapshot})
        elif cmd == "quit":
            break
    stop.set()
    presser.join(25)  # a press in flight is answered before the console is told we are done
    with lock:
        snapshot = dict(counts)
    out({"event": "report", **snapshot})
    try:
        sub.ws.close()
    except Exception:  # noqa: BLE001 - the console closed it first: nothing left to close
        pass


if __name__ == "__main__":
    main()
