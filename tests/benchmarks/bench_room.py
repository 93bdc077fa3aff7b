"""The live room: ingest, offline rule evaluation, the cost of a busy room, memory over a replay.

1. Ingest through the endpoint: a client in another process posts NDJSON batches of comments
   over loopback to the RoomIngestServer of this process, which parses, gates, runs the rules
   and records to SQLite (target >= 5,000 messages/s). Also single-message POSTs.
2. ``room alerts SHOW_ID`` on a stored 4-hour show (target <= 2 s): the sample show's rates
   (~2.6 comments/s), a busy room (50 comments/s), and a busy room where no comment text
   repeats; read from the store, comment texts, rules, and the whole command's wall time, each
   the median of fresh processes, this tree and the code before the fast path side by side.
3. A busy room live: 50 comments/s and 1 stats/s posted by a bridge process once a second for
   ``--duration`` s; the CPU this process spends (endpoint, rules, recorder, event log) as a
   share of one core (target <= 5 %).
4. Memory over a 4-hour replay (busy room, as fast as possible through the ingest and the
   rules): traced Python memory at each hour (target: flat).

    python tests/benchmarks/bench_room.py [--duration 20] [--runs 3] [--before REV] [--offline-only | --live-only]
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


# One offline evaluation in a fresh process, as `room alerts` runs it: read from the store, read
# the comment texts, run the rules. Works on this tree and on the one before the offline fast
# path (``--before``), which read a RoomMessage per row and fed the rules one message at a time.
OFFLINE = textwrap.dedent('''
    import json, sys, time
    from studio_app.room.rules import RoomWatch, evaluate, load_rules
    from studio_app.store import open_engine
    from studio_app.store import room as store
    url, show = sys.argv[1], sys.argv[2]
    engine = open_engine(url)
    rules = load_rules()
    t0 = time.perf_counter()
    if hasattr(store, "fetch_room_columns"):
        cols = store.fetch_room_columns(engine, show)
        t1 = time.perf_counter()
        watch = RoomWatch(rules)
        read = watch.read_comments(cols)
        t2 = time.perf_counter()
        watch.feed_columns(cols, read)
        alerts = watch.alerts
    else:
        messages = store.fetch_room_messages(engine, show)
        t1 = t2 = time.perf_counter()
        alerts = evaluate(messages, rules)
    t3 = time.perf_counter()
    alerts = sorted([a.ts, a.rule, a.key, a.cleared_at, a.value, a.baseline] for a in alerts)
    print(json.dumps({"read": t1 - t0, "texts": t2 - t1, "rules": t3 - t2, "alerts": alerts}))
''')
BEFORE = "edf8d79"  # the last commit before comment columns, lazy camera imports and start without Alembic


def _old_tree(tmp: Path, rev: str) -> Path | None:
    """``rev``'s studio_app and resources, unpacked with git archive (no worktree is touched)."""
    root = Path(__file__).resolve().parents[2]
    out = tmp / f"before-{rev}"
    archive = subprocess.run(["git", "-C", str(root), "archive", rev, "studio_app", "resources"],
                             capture_output=True, timeout=120)
    if archive.returncode != 0:
        print(f"--before {rev}: {archive.stderr.decode(errors='replace').strip()} (no before rows)")
        return None
    out.mkdir()
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True, timeout=120)
    return out


def _url_for(tree: Path, url: str) -> str:
    """The database ``tree`` can open: a tree whose migrations end before the comment columns
    (0004) refuses a log written by a newer console, so it reads a copy taken back to 0003 with
    Alembic (the columns dropped, the rows as that console stored them)."""
    if not (tree / "studio_app/store/migrations/versions").is_dir() or \
            (tree / "studio_app/store/migrations/versions/0004_room_comment_columns.py").exists():
        return url
    import shutil

    from studio_app.store import open_engine
    from tests.harness.migrations import migrate_to

    path = Path(url.removeprefix("sqlite:///"))
    copy = path.with_name(f"{path.stem}-{tree.name}{path.suffix}")  # made again for each show added
    shutil.copyfile(path, copy)
    engine = open_engine(f"sqlite:///{copy}")
    migrate_to(engine, "0003_room_messages", down=True)
    engine.dispose()
    return f"sqlite:///{copy}"


def _timed(tree: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str, int]:
    """(wall s, CPU s of the child, its stdout, its exit code) of ``python ARGS`` with ``tree``
    first on the path."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=900,
                          env={**env, "PYTHONPATH": str(tree)}, cwd=tree)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{tree}: {' '.join(args)}: {proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.stdout, proc.returncode


def bench_offline(tmp: Path, runs: int, before: str) -> list[list[str]]:
    """`room alerts SHOW_ID` on a stored 4-hour show: the in-process parts (median of ``runs``
    fresh processes) and the whole command's wall time, this tree against ``before``."""
    from tests.benchmarks.table import median

    from studio_app.room.ingest import RoomIngest
    from studio_app.room.messages import parse_message
    from studio_app.room.sample import generate
    from studio_app.store import open_engine, upgrade_database
    from studio_app.store.room import save_room_messages

    here = Path(__file__).resolve().parents[2]
    trees = [("after", here)]
    old = _old_tree(tmp, before) if before else None
    if old is not None:
        trees.insert(0, (f"before ({before})", old))
    script = tmp / "offline.py"
    script.write_text(OFFLINE, encoding="utf-8")
    url = f"sqlite:///{tmp / 'offline.sqlite3'}"
    engine = open_engine(url)
    upgrade_database(engine)
    env = dict(os.environ)
    rows = []
    for label, show, rate, unique in (("4 h, sample show's rates", "sample", None, False),
                                      ("4 h, busy room (50 comments/s)", "busy", 50.0, False),
                                      ("4 h, busy room, every comment a new text", "unique", 50.0, True)):
        raw = list(generate(hours=4, comments_per_s=rate))
        if unique:  # the worst case for text caches: no comment text repeats
            for i, m in enumerate(raw):
                if m["type"] == "comment":
                    m["text"] = f"{m['text']}{i}"
        accepted: list = []
        RoomIngest(on_accept=[accepted.append]).submit([parse_message(m) for m in raw])
        save_room_messages(engine, show, accepted)
        del raw
        parts: dict[str, list[dict]] = {name: [] for name, _ in trees}
        walls: dict[str, list[float]] = {name: [] for name, _ in trees}
        cpus: dict[str, list[float]] = {name: [] for name, _ in trees}
        printed: dict[str, set[tuple[int, str]]] = {name: set() for name, _ in trees}  # (exit code, JSON)
        urls = {name: _url_for(tree, url) for name, tree in trees}
        for _ in range(runs):  # before and after in turn, so both see the same load
            for name, tree in trees:
                parts[name].append(json.loads(_timed(tree, [str(script), urls[name], show], env)[2]))
                wall, cpu, out, code = _timed(tree, ["-m", "studio_app", "--db", urls[name], "room", "alerts", show,
                                                     "--json"], env)
                printed[name].add((code, out))
                walls[name].append(wall)
                cpus[name].append(cpu)
        # The contract: every run of every tree prints the same JSON and exits the same way.
        same = len({json.dumps(p[0]["alerts"]) for p in parts.values()}) == 1 and \
            len(set().union(*printed.values())) == 1
        for name, _ in trees:
            m = {k: median(p[k] for p in parts[name]) for k in ("read", "texts", "rules")}
            texts = f"{m['texts']:.2f}" if m["texts"] > 0.0005 else "(in rules)"
            rows.append([label if name == trees[0][0] else "", name, f"{len(accepted):,}", f"{m['read']:.2f}", texts,
                         f"{m['rules']:.2f}", f"{m['read'] + m['texts'] + m['rules']:.2f}", f"{median(walls[name]):.2f}",
                         f"{median(cpus[name]):.2f}",
                         str(len(parts[name][0]["alerts"])) + ("" if same else " (differ!)"), "<= 2 s"])
    engine.dispose()
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

    from studio_app.remote.room_ingest import RoomIngestConfig, RoomIngestServer
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.live import RoomLive
    from studio_app.room.rules import load_rules
    from studio_app.ui.app import create_application
    from studio_app.ui.room_panel import RoomPanel

    app = create_application()  # as the desk makes it (accessibility bridge before any worker)
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
    parser.add_argument("--runs", type=int, default=3, help="offline: fresh processes per figure (default 3)")
    parser.add_argument("--before", default=BEFORE, metavar="REV",
                        help=f"offline: the code to compare with (default {BEFORE}, before the fast path; '' for none)")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--offline-only", action="store_true", help="only the offline evaluation table")
    only.add_argument("--live-only", action="store_true", help="all but the offline evaluation table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ.setdefault("STUDIO_DATA_DIR", str(tmp / "data"))
        script = tmp / "client.py"
        script.write_text(CLIENT, encoding="utf-8")
        if not args.offline_only:
            print_table("Room ingest endpoint (client in another process, loopback; parse, gate, rules, SQLite)",
                        ["load", "accepted", "s", "messages/s", "stored", "target"], bench_ingest(tmp, script))
        if not args.live_only:
            print_table(f"`room alerts SHOW_ID` on a stored 4-hour show (SQLite; median of {args.runs} fresh processes each; "
                        "read = rows from the store, texts = comment texts read, rules = the eight rules; "
                        "command = the whole `studio-console room alerts --json`, interpreter start included, "
                        "wall and CPU time)",
                        ["show", "code", "messages", "read s", "texts s", "rules s", "in-process s", "command s",
                         "command CPU s", "alerts", "target"], bench_offline(tmp, args.runs, args.before))
            print("alerts: '(differ!)' when the trees' alerts, or the JSON `room alerts --json` prints and its exit "
                  "code, are not the same byte for byte in every run")
        if not args.offline_only:
            bench_live(tmp, script, args.duration)
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")


def bench_live(tmp: Path, script: Path, duration: int) -> None:
    busy = bench_busy(tmp, script, duration)
    latency, busy_dock = bench_dock(tmp, script, duration)
    print_table("A busy room live (this process: endpoint, rules, recorder, event log; then with the dock)",
                ["load", "accepted", "stored", "CPU s", "of one core", "target"], busy + busy_dock)
    print_table("Room data to the painted dock (offscreen Qt, loopback HTTP)",
                ["path", "n", "median ms", "p95 ms", "max ms", "target"], latency)
    print_table("Memory over a 4-hour replay (busy room; Python memory held by studio_app.room)",
                ["time", "messages", "MiB"], bench_memory())


if __name__ == "__main__":
    main()
