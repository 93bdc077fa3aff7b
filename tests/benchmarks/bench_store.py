"""Event-log figures, independent of the console's start-up: prints a table of medians.

- sustained events/s into SQLite and PostgreSQL (one thread logging flat out, until all
  are committed; target >= 20,000/s on SQLite);
- cost of one ``log()`` call on the calling thread while the writer is busy (median and
  p99 in microseconds; target median <= 20 us);
- log -> committed latency (the 250 ms durability promise), median of single events;
- a 4-hour show (camera, mic, OBS, desk: one event a second each = 57,600 events):
  replaying it from the outbox (what a console sends after a 4-hour outage), then a full
  fetch for a report and a CSV export.

PostgreSQL runs on a throw-away server started here (tests/harness/postgres.py); without
PostgreSQL binaries those rows are skipped. Run: ``.venv/bin/python benchmarks/bench_store.py``.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.store import EventLog, export_events_csv, fetch_events, open_engine, upgrade_database  # noqa: E402

REPEATS = 3
N_SUSTAINED = 60_000
N_CALLS = 20_000


def sustained(url: str, tmp: Path) -> float:
    """Events/s from the first log() until the last one is committed."""
    log = EventLog(url, spool_path=tmp / f"ob-{uuid.uuid4().hex[:6]}" / "ev.jsonl").start()
    assert log.flush(30)
    t0 = time.perf_counter()
    for i in range(N_SUSTAINED):
        log.log("camera", "frame", "picture ok", 20, {"i": i, "luma": 0.45})
    assert log.flush(120), log.status
    elapsed = time.perf_counter() - t0
    log.close()
    return N_SUSTAINED / elapsed


def call_cost(url: str, tmp: Path) -> tuple[float, float]:
    """Median and p99 of one log() call (us), with the writer committing meanwhile."""
    log = EventLog(url, spool_path=tmp / f"ob-{uuid.uuid4().hex[:6]}" / "ev.jsonl").start()
    assert log.flush(30)
    costs = []
    clock = time.perf_counter_ns
    payload = {"dbfs": -18.5}
    for i in range(N_CALLS):
        c0 = clock()
        log.log("mic", "level", "level", 20, payload)
        costs.append(clock() - c0)
    assert log.flush(120)
    log.close()
    costs.sort()
    return costs[len(costs) // 2] / 1000, costs[int(len(costs) * 0.99)] / 1000


def latency(url: str, tmp: Path) -> float:
    """Median ms from log() until a separate connection sees the event."""
    log = EventLog(url, spool_path=tmp / f"ob-{uuid.uuid4().hex[:6]}" / "ev.jsonl").start()
    assert log.flush(30)
    reader = open_engine(url)
    samples = []
    for i in range(15):
        t0 = time.perf_counter()
        log.log("desk", "cue", f"lat {i}", show_id="LAT")
        while len(fetch_events(reader, show_id="LAT")) < i + 1:
            time.sleep(0.001)
        samples.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.02)
    reader.dispose()
    log.close()
    return statistics.median(samples)


def four_hour_show(url: str, tmp: Path) -> dict[str, float]:
    """Replay 57,600 events of a 4-hour show from the outbox, then fetch and export them."""
    show = f"SHOW-{uuid.uuid4().hex[:6]}"
    start = time.time() - 4 * 3600
    devices = {
        "camera": ("picture", {"fps": 30, "luma": 0.45, "focus": 123.4}),
        "mic": ("level", {"lufs": -16.2, "peak": -3.1}),
        "obs": ("stats", {"scene": "主画面", "streaming": True, "dropped": 0}),
        "desk": ("cue", {"segment": "S3", "说明": "福利款上链接"}),
    }
    folder = tmp / f"ob-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    t0 = time.perf_counter()
    with (folder / "ev.outage.jsonl").open("w", encoding="utf-8") as f:
        for s in range(4 * 3600):
            for source, (kind, payload) in devices.items():
                row = {"uid": uuid.uuid4().hex, "show_id": show, "wall_time": start + s, "mono_time": float(s),
                       "session": "b" * 32, "room": "一号间", "source": source, "kind": kind, "severity": 20,
                       "message": f"{source} ok", "payload": payload}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    generate = time.perf_counter() - t0
    t0 = time.perf_counter()
    log = EventLog(url, spool_path=folder / "ev.jsonl").start()
    deadline = time.monotonic() + 300
    while (log.status.pending or log.written < 4 * 14_400) and time.monotonic() < deadline:
        time.sleep(0.01)
    replay = time.perf_counter() - t0
    log.close()
    engine = open_engine(url)
    t0 = time.perf_counter()
    events = fetch_events(engine, show_id=show)
    fetch = time.perf_counter() - t0
    assert len(events) == 4 * 14_400, len(events)
    t0 = time.perf_counter()
    export_events_csv(engine, tmp / f"{show}.csv", show_id=show)
    export = time.perf_counter() - t0
    engine.dispose()
    return {"generate": generate, "replay": replay, "fetch": fetch, "export": export}


def measure(name: str, url: str, tmp: Path) -> dict[str, float]:
    engine = open_engine(url)
    upgrade_database(engine)
    engine.dispose()
    rates = [sustained(url, tmp) for _ in range(REPEATS)]
    costs = [call_cost(url, tmp) for _ in range(REPEATS)]
    lat = latency(url, tmp)
    show = [four_hour_show(url, tmp) for _ in range(REPEATS)]
    return {
        "rate": statistics.median(rates),
        "call_med": statistics.median(c[0] for c in costs),
        "call_p99": statistics.median(c[1] for c in costs),
        "latency_ms": lat,
        **{k: statistics.median(s[k] for s in show) for k in show[0]},
    }


def main() -> int:
    import logging

    logging.getLogger("studio_app").setLevel(logging.ERROR)  # "outbox: N events to send" is expected here
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    results: dict[str, dict[str, float]] = {}
    results["SQLite"] = measure("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
    server = None
    try:
        from tests.harness.postgres import start_postgres

        server = start_postgres()
        results["PostgreSQL"] = measure("PostgreSQL", server.url(server.create_database("bench")), tmp)
    except RuntimeError as exc:
        print(f"PostgreSQL skipped: {exc}")
    finally:
        if server is not None:
            server.destroy()

    names = list(results)
    rows = [
        ("sustained events/s (target >= 20,000 on SQLite)", "rate", "{:,.0f}"),
        ("log() call, median us (target <= 20)", "call_med", "{:.1f}"),
        ("log() call, p99 us", "call_p99", "{:.1f}"),
        ("log -> committed, median ms (promise 250)", "latency_ms", "{:.1f}"),
        ("4-h show: write outbox file of 57,600 events, s", "generate", "{:.2f}"),
        ("4-h show: replay 57,600 events into the DB, s", "replay", "{:.2f}"),
        ("4-h show: fetch all events for a report, s", "fetch", "{:.2f}"),
        ("4-h show: CSV export, s", "export", "{:.2f}"),
    ]
    width = max(len(r[0]) for r in rows)
    header = f"{'store benchmark (median of ' + str(REPEATS) + ')':<{width}}" + "".join(f"{n:>14}" for n in names)
    if len(names) == 2:
        header += f"{'PG/SQLite':>12}"
    print(header)
    print("-" * len(header))
    for label, key, fmt in rows:
        line = f"{label:<{width}}" + "".join(f"{fmt.format(results[n][key]):>14}" for n in names)
        if len(names) == 2 and results[names[0]][key]:
            line += f"{results[names[1]][key] / results[names[0]][key]:>11.2f}x"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
