"""The studio's room bridge in its own process, as a studio runs one (resources/room/FORMAT.md):
it plays the sample show's room recording at the soak's speed and POSTs what is due, every
0.2 s, as one JSON array to the console's real ingest endpoint (token, loopback, keep-alive).
Each message gets a bridge id (``b<n>``, as a platform's message id) and the time it is sent.

    python tests/soak/room_bridge.py URL TOKEN SPEED

Commands on stdin, one a line:
- ``flood``: beyond the limit - 4 connections sending requests as fast as they go (3 comments
  each, ids ``f<n>``) until the endpoint has refused 50 of them for the rate (at most 3 s and
  4 x 1000 requests), and one body over the size limit; then silent.
- ``silent`` / ``resume``: stop sending (the feed goes quiet; what the platform said meanwhile
  is never sent) and start again.
- ``report``: one JSON line of counts. ``quit``: report and leave.

A refused batch (429) is sent again after a short back-off, as a careful bridge does; a
dropped connection is reopened and the batch resent (the gate refuses what was already in).
It runs as a program of its own would: in its own session (:func:`step_aside`;
what it got is in its ``ready`` and ``report`` lines, so in the soak's JSON). Standard library only.
"""
from __future__ import annotations

import gzip
import http.client
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

RECORDING = Path(__file__).resolve().parents[2] / "resources" / "room" / "sample_recording.ndjson.gz"
STEP_S = 0.2
FLOOD_S = 3.0  # a flood lasts until 50 requests were refused for the rate, or this long


def out(obj: dict) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


class Bridge:
    def __init__(self, url: str, token: str, speed: float) -> None:
        u = urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.speed = speed
        lines = gzip.decompress(RECORDING.read_bytes()).decode("utf-8").splitlines()
        msgs = [json.loads(line) for line in lines if line.strip()]
        t0 = msgs[0]["ts"]
        self.script = [((m["ts"] - t0) / 1000.0, {k: v for k, v in m.items() if k != "ts"}) for m in msgs]
        self.length = self.script[-1][0] + 2.0
        self.lock = threading.Lock()
        self.counts: Counter = Counter()  # sent, accepted, refused, status_<code>, resent, reconnects
        self.flood: Counter = Counter()
        self.mode = "feed"
        self.conn: http.client.HTTPConnection | None = None
        self.seq = 0
        self.last_ms = 0
        self.placement: dict = {}  # its session and priority (step_aside)

    # -- one request ---------------------------------------------------------------------
    def _post(self, conn: http.client.HTTPConnection, body: bytes) -> tuple[int, dict]:
        conn.request("POST", self.path, body=body, headers=self.headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, {}

    def send_batch(self, batch: list[dict]) -> None:
        body = json.dumps(batch, ensure_ascii=False).encode("utf-8")
        backoff = 0.1
        while True:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                status, answer = self._post(self.conn, body)
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                with self.lock:
                    self.counts["reconnects"] += 1
                time.sleep(backoff)
                backoff = min(2.0, backoff * 2)
                continue
            with self.lock:
                self.counts[f"status_{status}"] += 1
                if status == 429:
                    self.counts["resent"] += 1
                else:
                    self.counts["sent"] += len(batch)
                    self.counts["accepted"] += int(answer.get("accepted", 0))
                    self.counts["refused"] += int(answer.get("refused", 0))
            if status != 429:
                return
            time.sleep(backoff)
            backoff = min(2.0, backoff * 2)

    def stamp(self, msg: dict, kind: str) -> dict:
        now = int(time.time() * 1000)
        self.last_ms = max(now, self.last_ms + 1)  # strictly later: stats counters need it
        self.seq += 1
        return {"ts": self.last_ms, "id": f"{kind}{self.seq}", **msg}

    # -- the flood -----------------------------------------------------------------------
    def do_flood(self) -> None:
        texts = ["上链接", "多少钱", "扣1", "已拍", "好看", "想要", "还有吗", "主播好美"]
        refused_before = self.flood["status_429"]  # the counts add up over the run; each flood ends on its own 50
        # A flood is a burst: on a busy machine the four connections may not outrun the limit, and
        # a flood that went on for the whole fault left no silence to notice.
        ends = time.monotonic() + FLOOD_S

        def hammer(n: int) -> None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            for i in range(1000):
                if self.flood["status_429"] - refused_before >= 50 or time.monotonic() > ends or self.mode == "quit":
                    break
                with self.lock:
                    batch = [self.stamp({"type": "comment", "user": f"刷屏{n}{i % 37}", "text": texts[(i + k) % 8]},
                                        "f") for k in range(3)]
                try:
                    status, answer = self._post(conn, json.dumps(batch, ensure_ascii=False).encode())
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                    with self.lock:
                        self.flood["reset"] += 1
                    continue
                with self.lock:
                    self.flood[f"status_{status}"] += 1
                    self.flood["accepted"] += int(answer.get("accepted", 0))
            conn.close()

        workers = [threading.Thread(target=hammer, args=(n,)) for n in range(4)]
        for w in workers:
            w.start()
        # One body over the endpoint's 1 MiB limit (a bridge that batched an hour at once).
        huge = json.dumps([{"ts": int(time.time() * 1000), "type": "comment", "user": "x", "text": "长" * 200}] * 6000,
                          ensure_ascii=False).encode()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            status, _ = self._post(conn, huge)
            with self.lock:
                self.flood[f"status_{status}"] += 1
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.flood["huge_reset"] += 1  # the server answered 413 and closed before reading it all
        conn.close()
        for w in workers:
            w.join()
        out({"event": "flooded", **self.flood})

    # -- the feed ------------------------------------------------------------------------
    def run(self) -> None:
        show_t, i, lap = 0.0, 0, 0
        next_at = time.monotonic()
        while True:
            next_at += STEP_S
            time.sleep(max(0.0, next_at - time.monotonic()))
            mode = self.mode
            if mode == "quit":
                break
            if mode == "flood":
                self.do_flood()
                if self.mode == "flood":  # not resumed meanwhile
                    self.mode = "silent"
                mode = self.mode
                next_at = time.monotonic()
            show_t += STEP_S * self.speed
            if show_t >= self.length:  # the show loops, as the soak's desk does
                show_t, i, lap = show_t - self.length, 0, lap + 1
            batch = []
            while i < len(self.script) and self.script[i][0] <= show_t:
                if mode == "feed":
                    batch.append(self.stamp(self.script[i][1], "b"))
                i += 1
            if batch:
                self.send_batch(batch)
        self.report()

    def report(self) -> None:
        with self.lock:
            out({"event": "report", "mode": self.mode, **self.counts, "flood": dict(self.flood),
                 "placement": self.placement})


def step_aside() -> dict:
    """A studio's bridge is a program of its own (often on another machine), not a part of the
    console: a session of its own, so Linux's autogroup scheduling does not count its flood
    against the console's share of the CPU (in the console's session its four flooding
    threads competed with the GUI thread). Returns what it got."""
    got = {"own_session": False, "nice": os.nice(0)}
    try:
        os.setsid()
        got["own_session"] = True
    except OSError:  # already the leader of one (started with start_new_session)
        got["own_session"] = os.getsid(0) == os.getpid()
    # Not niced: at a lower priority on a busy 2-core machine it could not send faster than the
    # endpoint's 200 requests/s, so its flood was never refused for the rate (tried, 2026-12-05).
    return got


def main() -> None:
    url, token, speed = sys.argv[1], sys.argv[2], float(sys.argv[3])
    placement = step_aside()
    bridge = Bridge(url, token, speed)
    bridge.placement = placement

    def commands() -> None:
        for line in sys.stdin:
            cmd = line.strip()
            if cmd in ("flood", "silent", "quit"):
                bridge.mode = cmd
            elif cmd == "resume":
                bridge.mode = "feed"
            elif cmd == "report":
                bridge.report()
        bridge.mode = "quit"

    threading.Thread(target=commands, daemon=True).start()
    out({"event": "ready", "messages": len(bridge.script), "show_s": round(bridge.length), **placement})
    bridge.run()


if __name__ == "__main__":
    main()
