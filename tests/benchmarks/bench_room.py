"""The live room: ingest, offline rule evaluation, the cost of a busy room, memory over a replay.

1. Ingest through the endpoint: a client in another process posts NDJSON batches of comments
   over loopback to the RoomIngestServer of this process, which parses, gates, runs the rules
   and records to SQLite (target >= 5,000 messages/s). Also single-message POSTs.
2. Offline rule evaluation of a 4-hour show (``room alerts``' work after reading): the sample
   show's rates (~2.6 comments/s) and a busy room (50 comments/s) (target <= 2 s).
3. A busy room live: 50 comments/s and 1 stats/s posted by a bridge process once a second for
   ``--duration`` s; the CPU this process spends (endpoint, rules, recorder, event log) as a
   share of one core (target <= 5 %).
4. Memory over a 4-hour replay (busy room, as fast as possible through the ingest and the
   rules): traced Python memory at each hour (target: flat).

    python tests/benchmarks/bench_room.py [--duration 20]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.table import print_table  # noqa: E402

TOKEN = "bench-room-token-0123"

CLIENT = textwrap.dedent('''
    import http.client, json, sys, time
    host, port, mode, n, batch = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": "Bearer %TOKEN%", "Content-Type": "application/x-ndjson"}
    t0 = 1797076800000
    sent = accepted = 0
    start = time.perf_counter()
    if mode == "flood":
        i = 0
        while sent < n:
            lines = [json.dumps({"ts": t0 + (i + k) * 20, "type": "comment", "user": "u%d" % ((i + k) % 5000),
                                 "text": "围巾多少钱 %d" % ((i + k) % 997)}, ensure_ascii=False) for k in range(batch)]
            i += batch
            conn.request("POST", "/room/v1/messages", "\\n".join(lines).encode(), headers)
            accepted += json.loads(conn.getresponse().read())["accepted"]
            sent += batch
    else:  # busy: every second 50 comments and one stats, as a bridge posts them
        for s in range(n):
            due = start + s
            while time.perf_counter() < due:
                time.sleep(0.005)
            lines = [json.dumps({"ts": t0 + s * 1000 + k * 20, "type": "comment", "user": "u%d" % (s * 50 + k),
                                 "text": "第%d秒的评论%d" % (s, k)}, ensure_ascii=False) for k in range(50)]
            lines.append(json.dumps({"ts": t0 + s * 1000 + 999, "type": "stats", "online": 3000 + s % 50,
                                     "likes": s * 40, "comments": s * 50, "gmv": s * 100.0}))
            conn.request("POST", "/room/v1/messages", "\\n".join(lines).encode(), headers)
            accepted += json.loads(conn.getresponse().read())["accepted"]
            sent += len(lines)
    print(json.dumps({"sent": sent, "accepted": accepted, "seconds": time.perf_counter() - start}))
''').replace("%TOKEN%", TOKEN)


def make_pipeline(db: Path):
    from studio_app.remote.room_ingest import RoomIngestConfig, RoomIngestServer
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.live import RoomLive
    from studio_app.room.rules import load_rules
    from studio_app.store import EventLog, open_engine, upgrade_database
    from studio_app.store.room import RoomRecorder

    url = f"sqlite:///{db}"
    engine = open_engine(url)
    upgrade_database(engine)
    log = EventLog(url, spool_path=db.with_suffix(".outbox.jsonl")).start()
    recorder = RoomRecorder(engine, "bench")
    live = RoomLive(load_rules(), show_id="bench", log=log)
    ingest = RoomIngest("bench", log=log, on_accept=[recorder.record, live.accept])
    server = RoomIngestServer(ingest, RoomIngestConfig(port=0, token=TOKEN, rate_per_s=1e6, burst=10**6)).start()
    live.start_ticker()

    def close() -> int:
        server.stop()
        live.close()
        recorder.close(30)
        log.close()
        engine.dispose()
        return recorder.written

    return server, close


def run_client(script: Path, port: int, mode: str, n: int, batch: int) -> dict:
    proc = subprocess.run([sys.executable, str(script), "127.0.0.1", str(port), mode, str(n), str(batch)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def bench_ingest(tmp: Path, script: Path) -> list[list[str]]:
    rows = []
    for batch, n in ((500, 100_000), (1, 3_000)):
        server, close = make_pipeline(tmp / f"ingest-{batch}.sqlite3")
        try:
            r = run_client(script, server.port, "flood", n, batch)
        finally:
            written = close()
        rate = r["accepted"] / r["seconds"]
        rows.append([f"POST NDJSON, {batch} per request" if batch > 1 else "POST one message per request",
                     f"{r['accepted']:,}", f"{r['seconds']:.2f}", f"{rate:,.0f}", f"{written:,}",
                     ">= 5,000/s" if batch > 1 else "-"])
    return rows


def bench_offline() -> list[list[str]]:
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.messages import parse_message
    from studio_app.room.rules import evaluate, load_rules
    from studio_app.room.sample import generate

    rules = load_rules()
    rows = []
    for label, rate, unique in (("4 h, sample show's rates", None, False),
                                ("4 h, busy room (50 comments/s)", 50.0, False),
                                ("4 h, busy room, every comment a new text", 50.0, True)):
        raw = list(generate(hours=4, comments_per_s=rate))
        if unique:  # the worst case for the rules' text caches: no comment text repeats
            for i, m in enumerate(raw):
                if m["type"] == "comment":
                    m["text"] = f"{m['text']}{i}"
        t = time.perf_counter()
        messages = [parse_message(m) for m in raw]
        accepted: list = []
        RoomIngest(on_accept=[accepted.append]).submit(messages)
        t_gate = time.perf_counter() - t
        t = time.perf_counter()
        alerts = evaluate(accepted, rules)
        t_rules = time.perf_counter() - t
        rows.append([label, f"{len(accepted):,}", f"{t_gate:.2f}", f"{t_rules:.2f}", str(len(alerts)), "<= 2 s (rules)"])
    return rows


def bench_busy(tmp: Path, script: Path, duration: int) -> list[list[str]]:
    server, close = make_pipeline(tmp / "busy.sqlite3")
    try:
        before = resource.getrusage(resource.RUSAGE_SELF)
        t = time.perf_counter()
        r = run_client(script, server.port, "busy", duration, 0)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        written = close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [[f"{duration} s: 50 comments/s + 1 stats/s", f"{r['accepted']:,}", f"{written:,}", f"{cpu:.2f}",
             f"{cpu / wall:.1%}", "<= 5 % of a core"]]


def bench_dock(tmp: Path, script: Path, duration: int) -> tuple[list[list[str]], list[list[str]]]:
    """The dock on a Qt GUI thread (offscreen), fed by the endpoint: (1) one stats message posted
    over HTTP to the online number painted, (2) the busy room's CPU with the dock painting."""
    import http.client
    import threading

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from studio_app.remote.room_ingest import RoomIngestConfig, RoomIngestServer
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.live import RoomLive
    from studio_app.room.rules import load_rules
    from studio_app.ui.room_panel import RoomPanel

    app = QApplication.instance() or QApplication([])
    panel = RoomPanel(None)
    panel.resize(1600, 800)
    panel.show()
    live = RoomLive(load_rules())
    ingest = RoomIngest("bench", on_accept=[panel.board.accept, panel._data_arrived, live.accept])  # noqa: SLF001
    server = RoomIngestServer(ingest, RoomIngestConfig(port=0, token=TOKEN, rate_per_s=1e6, burst=10**6)).start()
    painted: dict[str, float] = {}

    def on_refresh() -> None:
        panel.numbers["online"].value.repaint()  # paint now, then note the time
        painted.setdefault(panel.numbers["online"].value.text(), time.perf_counter())

    panel.refreshed.connect(on_refresh)
    latencies: list[float] = []
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for i in range(40):
            value = 10_000 + i
            body = json.dumps({"ts": 1797076800000 - 3_600_000 + i * 1000, "type": "stats", "online": value})
            sent = time.perf_counter()
            done = threading.Event()

            def post() -> None:
                conn.request("POST", "/room/v1/messages", body, {"Authorization": f"Bearer {TOKEN}"})
                conn.getresponse().read()
                done.set()

            threading.Thread(target=post).start()  # the client; the GUI thread keeps running
            key = f"{value:,}"
            deadline = time.perf_counter() + 2.0
            while key not in painted and time.perf_counter() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            done.wait(5)
            if key in painted:
                latencies.append((painted[key] - sent) * 1000)
            loop_until = time.perf_counter() + 0.15
            while time.perf_counter() < loop_until:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        from tests.benchmarks.table import median, percentile

        lat_rows = [["POST one stats message → online number painted", str(len(latencies)),
                     f"{median(latencies):.1f}", f"{percentile(latencies, 95):.1f}", f"{max(latencies):.1f}",
                     "<= 100 ms"]]
        # the busy room with the dock painting: the client in another process, the GUI loop here
        before = resource.getrusage(resource.RUSAGE_SELF)
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script), "127.0.0.1", str(server.port), "busy", str(duration), "0"],
                                stdout=subprocess.PIPE, text=True)
        while proc.poll() is None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.005)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_SELF)
        r = json.loads(proc.stdout.read())
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu_rows = [[f"{duration} s: 50 comments/s + 1 stats/s, dock painting", f"{r['accepted']:,}", "-",
                     f"{cpu:.2f}", f"{cpu / wall:.1%}", "<= 5 % of a core"]]
    finally:
        conn.close()
        server.stop()
        panel.stop()
        panel.close()
        QTimer.singleShot(0, lambda: None)
    return lat_rows, cpu_rows


def bench_memory() -> list[list[str]]:
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.messages import parse_message
    from studio_app.room.rules import RoomWatch, load_rules
    from studio_app.room.sample import generate

    watch = RoomWatch(load_rules())
    ingest = RoomIngest(on_accept=[watch.feed])
    raw = list(generate(hours=4, comments_per_s=50))  # made before tracing: only the room's own memory counts
    keep = [tracemalloc.Filter(True, "*studio_app/room/*"), tracemalloc.Filter(False, "*studio_app/room/sample.py")]

    def room_mib() -> float:
        snapshot = tracemalloc.take_snapshot().filter_traces(keep)
        return sum(stat.size for stat in snapshot.statistics("filename")) / 2**20

    tracemalloc.start()
    rows = []
    first = None
    hour = 0
    for item in raw:
        msg = parse_message(item)
        if first is None:
            first = msg.ts
        ingest.submit([msg])
        if msg.ts - first >= (hour + 1) * 3600 - 60:  # the last minute of each hour
            hour += 1
            rows.append([f"after {hour} h", f"{ingest.gate.accepted:,}", f"{room_mib():.1f}"])
    tracemalloc.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20, help="seconds of the busy room (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ.setdefault("STUDIO_DATA_DIR", str(tmp / "data"))
        script = tmp / "client.py"
        script.write_text(CLIENT, encoding="utf-8")
        print_table("Room ingest endpoint (client in another process, loopback; parse, gate, rules, SQLite)",
                    ["load", "accepted", "s", "messages/s", "stored", "target"], bench_ingest(tmp, script))
        print_table("Offline rule evaluation", ["show", "messages", "parse+gate s", "rules s", "alerts", "target"],
                    bench_offline())
        busy = bench_busy(tmp, script, args.duration)
        latency, busy_dock = bench_dock(tmp, script, args.duration)
        print_table("A busy room live (this process: endpoint, rules, recorder, event log; then with the dock)",
                    ["load", "accepted", "stored", "CPU s", "of one core", "target"], busy + busy_dock)
        print_table("Room data to the painted dock (offscreen Qt, loopback HTTP)",
                    ["path", "n", "median ms", "p95 ms", "max ms", "target"], latency)
        print_table("Memory over a 4-hour replay (busy room; Python memory held by studio_app.room)",
                    ["time", "messages", "MiB"],
                    bench_memory())
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")


if __name__ == "__main__":
    main()
