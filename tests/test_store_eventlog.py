"""The event log on SQLite and on a real PostgreSQL: round trip, filters, rooms, order,
the 250 ms durability promise, and log() never waiting on the database."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from studio_app.core.events import Severity, Source
from studio_app.store import EventLog, LogHealth, fetch_event_records, fetch_events, list_rooms, open_engine


def wait_for(predicate, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


@pytest.fixture
def reader(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def _log(db_url: str, tmp_path: Path, **kw) -> EventLog:
    return EventLog(db_url, spool_path=tmp_path / "outbox" / "events.jsonl", **kw).start()


def test_round_trip_with_chinese_payload_and_filters(db_url, tmp_path, reader):
    log = _log(db_url, tmp_path, room="一号直播间")
    try:
        log.log(Source.CAMERA, "signal_lost", "摄像头 1 无信号", Severity.ERROR, {"设备": "罗技 C920", "fps": 0}, "S-1")
        log.log("mic", "dead_air", "静音 8 秒", Severity.WARNING, {"dbfs": -72.5}, "S-1")
        log.log("obs", "connected", "OBS 已连接", Severity.INFO, None, "S-2")
        assert log.flush()
        assert log.written == 3
    finally:
        log.close()

    events = fetch_events(reader)
    assert [e.kind for e in events] == ["signal_lost", "dead_air", "connected"]
    cam = events[0]
    assert cam.source == "camera" and cam.severity == Severity.ERROR and cam.show_id == "S-1"
    assert cam.message == "摄像头 1 无信号"
    assert cam.payload == {"设备": "罗技 C920", "fps": 0}
    assert events[2].payload is None

    assert [e.kind for e in fetch_events(reader, sources=["mic", "obs"])] == ["dead_air", "connected"]
    assert [e.kind for e in fetch_events(reader, min_severity=Severity.WARNING)] == ["signal_lost", "dead_air"]
    assert [e.kind for e in fetch_events(reader, show_id="S-2")] == ["connected"]
    assert [e.kind for e in fetch_events(reader, since=events[1].wall_time)] == ["dead_air", "connected"]
    assert fetch_events(reader, since=time.time() + 60) == []
    assert [e.kind for e in fetch_events(reader, limit=1, newest_first=True)] == ["connected"]
    records = fetch_event_records(reader, show_id="S-1")
    assert {r.room for r in records} == {"一号直播间"}
    assert len({r.uid for r in records}) == 2


def test_reports_span_rooms_of_one_database(db_url, tmp_path, reader):
    a = EventLog(db_url, room="A", spool_path=tmp_path / "a" / "ev.jsonl").start()
    b = EventLog(db_url, room="B", spool_path=tmp_path / "b" / "ev.jsonl").start()
    try:
        a.log("camera", "lost", "A cam", show_id="S")
        b.log("camera", "lost", "B cam", show_id="S")
        b.log("mic", "dead_air", "B mic", show_id="S")
        assert a.flush() and b.flush()
    finally:
        a.close()
        b.close()
    assert list_rooms(reader) == ["A", "B"]
    assert [e.message for e in fetch_events(reader, rooms=["B"])] == ["B cam", "B mic"]
    assert len(fetch_events(reader, rooms=["A", "B"], show_id="S")) == 3
    assert fetch_events(reader, rooms=[]) == []
    assert fetch_events(reader, rooms=[None]) == []


def test_event_is_durable_within_250_ms(db_url, tmp_path, reader):
    log = _log(db_url, tmp_path)
    try:
        assert log.flush()  # the database is open and migrated
        delays = []
        for i in range(5):
            t0 = time.monotonic()
            log.log("desk", "cue", f"cue {i}")
            assert wait_for(lambda: len(fetch_events(reader, kinds=["cue"])) == i + 1, timeout=5.0, interval=0.005)
            delays.append(time.monotonic() - t0)
        # The promise is 250 ms; the slack absorbs a loaded 2-core CI machine and polling.
        assert sorted(delays)[2] < 0.25 + 0.5, delays
    finally:
        log.close()


def test_burst_from_many_threads_is_stored_once_in_order(db_url, tmp_path, reader):
    log = _log(db_url, tmp_path)
    per_thread = 1500

    def worker(n: int) -> None:
        for i in range(per_thread):
            log.log("camera", "frame", f"t{n}", payload={"i": i})

    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert log.flush(timeout=30)
        assert log.written == 4 * per_thread
    finally:
        log.close()
    events = fetch_events(reader)
    assert len(events) == 4 * per_thread
    for n in range(4):
        mine = [e for e in events if e.message == f"t{n}"]
        # Each thread's events come back in the order it logged them (by time and by id).
        assert [e.payload["i"] for e in mine] == list(range(per_thread))
        assert [e.seq for e in mine] == sorted(e.seq for e in mine)


def test_log_does_not_wait_while_the_writer_is_stuck_on_a_locked_database(tmp_path):
    db = tmp_path / "log.sqlite3"
    url = f"sqlite:///{db}"
    log = _log(url, tmp_path, retry_interval=0.2)
    try:
        assert log.flush()
        locker = sqlite3.connect(db, timeout=0.1)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            log.log("desk", "first", "the writer now waits on the lock")
            time.sleep(0.2)  # let the writer enter its busy wait
            t0 = time.perf_counter()
            slowest = 0.0
            for i in range(2000):
                c0 = time.perf_counter()
                log.log("camera", "frame", str(i))
                slowest = max(slowest, time.perf_counter() - c0)
            total = time.perf_counter() - t0
            # The writer is blocked for 5 s at a time (busy timeout); the callers are not. Bounds
            # far from 5 s, not speed targets (see tests/benchmarks), so a loaded machine passes.
            assert total < 3.0, total
            assert slowest < 1.0, slowest
            assert wait_for(lambda: log.status.health == LogHealth.DEGRADED, timeout=20)
            assert "locked" in log.status.detail
        finally:
            locker.rollback()
            locker.close()
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, timeout=20)
    finally:
        log.close()
    engine = open_engine(url)
    try:
        events = fetch_events(engine)
    finally:
        engine.dispose()
    assert [e.kind for e in events][:2] == ["first", "frame"]
    assert [e.message for e in events[1:]] == [str(i) for i in range(2000)]


def test_recent_tail_and_status_listener(db_url, tmp_path):
    seen = []
    log = EventLog(db_url, spool_path=tmp_path / "ob" / "ev.jsonl")
    log.subscribe(seen.append)
    log.start()
    try:
        a = log.log("desk", "a")
        log.log("desk", "b")
        assert [e.kind for e in log.recent()] == ["a", "b"]
        assert [e.kind for e in log.recent(after_seq=a.seq)] == ["b"]
        assert log.flush()
    finally:
        log.close()
    assert [s.health for s in seen] == [LogHealth.OK, LogHealth.CLOSED]


def test_oversized_fields_and_nul_characters_do_not_block_the_log(db_url, tmp_path, reader):
    log = _log(db_url, tmp_path)
    try:
        log.log("a-source-name-longer-than-sixteen", "k" * 100, "NUL\x00inside", show_id="S" * 100)
        log.log("desk", "after", "the event behind it")
        assert log.flush(timeout=10)
    finally:
        log.close()
    events = fetch_events(reader)
    assert [e.kind for e in events][1:] == ["after"]
    assert events[0].message == "NULinside"
    assert len(events[0].kind) == 64 and len(events[0].show_id) == 64


def test_unserialisable_payload_is_kept_as_text(db_url, tmp_path, reader):
    log = _log(db_url, tmp_path)
    try:
        log.log("desk", "odd", payload={"when": object()})
        log.log("desk", "odd2", payload={1, 2})  # not a mapping at all
        assert log.flush(timeout=10)
    finally:
        log.close()
    events = fetch_events(reader)
    assert [e.kind for e in events] == ["odd", "odd2"]
    assert "object" in str(events[0].payload)


def test_an_event_with_unprintable_fields_does_not_stop_the_log(db_url, tmp_path, reader):
    class Hostile:
        def __str__(self):
            raise RuntimeError("no text for you")

        __repr__ = object.__repr__

    log = _log(db_url, tmp_path)
    try:
        log.log("desk", Hostile(), "odd kind")  # type: ignore[arg-type]
        log.log("desk", "after", "still logging")
        assert log.flush(timeout=10)
    finally:
        log.close()
    events = fetch_events(reader)
    assert [e.kind for e in events] == ["unreadable_event", "after"]
