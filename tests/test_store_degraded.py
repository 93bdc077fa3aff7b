"""A SQLite log that cannot write (read-only, full disk, locked) degrades, keeps every event
on this PC, tells the desk why in one readable line, and catches up in order when it can.

Real conditions, not mocks: the immutable flag (root ignores file modes), a small tmpfs
filled up, a second connection holding an exclusive transaction.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from studio_app.store import EventLog, LogHealth, fetch_events, open_engine, upgrade_database
from tests.harness import unavailable


def wait_for(predicate, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def messages(url: str) -> list[str]:
    engine = open_engine(url)
    try:
        return [e.message for e in fetch_events(engine)]
    finally:
        engine.dispose()


def outbox_rows(folder: Path) -> list[str]:
    import json

    out = []
    for f in sorted(folder.glob("*.jsonl")):
        out += [json.loads(line)["message"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


@pytest.fixture
def immutable(tmp_path):
    """Mark paths immutable (chattr +i), undone at teardown."""
    marked: list[Path] = []

    def mark(*paths: Path) -> None:
        r = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
        if r.returncode != 0:
            unavailable("immutable files", f"chattr +i failed: {r.stderr.strip()}")
        marked.extend(paths)

    def unmark() -> None:
        if marked:
            subprocess.run(["chattr", "-i", *map(str, marked)], capture_output=True)
            marked.clear()

    mark.undo = unmark  # type: ignore[attr-defined]
    yield mark
    unmark()


@pytest.fixture
def small_disk():
    """A 1 MiB tmpfs: a real disk that fills up."""
    if os.geteuid() != 0:
        unavailable("small tmpfs disk", "mounting needs root")
    mnt = Path(f"/tmp/studio-small-disk-{uuid.uuid4().hex[:8]}")
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        mnt.rmdir()
        unavailable("small tmpfs disk", f"mount failed: {r.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
    mnt.rmdir()


def test_read_only_database_degrades_then_recovers_in_order(tmp_path, immutable):
    folder = tmp_path / "db"
    db = folder / "log.sqlite3"
    url = f"sqlite:///{db}"
    engine = open_engine(url)
    upgrade_database(engine)
    engine.dispose()
    immutable(db, folder)
    statuses = []
    log = EventLog(url, spool_path=tmp_path / "outbox" / "ev.jsonl", retry_interval=0.2)
    log.subscribe(statuses.append)
    log.start()
    try:
        for i in range(5):
            log.log("desk", "cue", f"ro {i}")
        assert wait_for(lambda: log.status.health == LogHealth.DEGRADED and log.status.kept_locally == 5, 10)
        detail = log.status.detail
        assert "\n" not in detail and ("cannot be opened" in detail or "not writable" in detail), detail
        # Kept on disk at once, not only in memory.
        assert outbox_rows(tmp_path / "outbox") == [f"ro {i}" for i in range(5)]
        immutable.undo()
        log.log("desk", "cue", "after")
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, 10)
    finally:
        log.close()
    assert messages(url) == [f"ro {i}" for i in range(5)] + ["after"]
    assert statuses[0].health == LogHealth.DEGRADED
    assert LogHealth.OK in [s.health for s in statuses]
    assert outbox_rows(tmp_path / "outbox") == []


def test_full_disk_degrades_then_recovers_without_loss(tmp_path, small_disk):
    url = f"sqlite:///{small_disk / 'log.sqlite3'}"
    log = EventLog(url, spool_path=tmp_path / "outbox" / "ev.jsonl", retry_interval=0.2).start()
    filler = small_disk / "filler"
    try:
        log.log("desk", "cue", "before")
        assert log.flush()
        with filler.open("wb") as f:
            try:
                f.write(b"\0" * 4_000_000)
            except OSError:
                pass  # ENOSPC: the disk is now full
        for i in range(20):
            log.log("camera", "frame", f"full {i}", payload={"blob": "x" * 20_000})
        assert wait_for(lambda: log.status.health == LogHealth.DEGRADED, 10)
        assert log.status.detail.startswith("the disk is full"), log.status.detail
        assert wait_for(lambda: log.status.kept_locally == 20, 10)
        filler.unlink()
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, 10)
    finally:
        log.close()
    assert messages(url) == ["before"] + [f"full {i}" for i in range(20)]


def test_locked_database_reports_it_and_catches_up(tmp_path):
    db = tmp_path / "log.sqlite3"
    url = f"sqlite:///{db}"
    log = EventLog(url, spool_path=tmp_path / "outbox" / "ev.jsonl", retry_interval=0.2).start()
    try:
        assert log.flush()
        locker = sqlite3.connect(db, timeout=0.1)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            for i in range(3):
                log.log("desk", "cue", f"locked {i}")
            assert wait_for(lambda: log.status.health == LogHealth.DEGRADED, 20)
            assert log.status.detail.startswith("the database is locked by another program")
        finally:
            locker.rollback()
            locker.close()
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, 20)
    finally:
        log.close()
    assert messages(url) == [f"locked {i}" for i in range(3)]


def test_restart_while_degraded_replays_once_in_order(tmp_path, immutable):
    folder = tmp_path / "db"
    db = folder / "log.sqlite3"
    url = f"sqlite:///{db}"
    engine = open_engine(url)
    upgrade_database(engine)
    engine.dispose()
    spool = tmp_path / "outbox" / "ev.jsonl"
    immutable(db, folder)
    first = EventLog(url, spool_path=spool, retry_interval=0.2).start()
    for i in range(3):
        first.log("desk", "cue", f"run1 {i}")
    first.close(timeout=1)
    assert first.status.health == LogHealth.CLOSED and "kept locally" in first.status.detail
    second = EventLog(url, spool_path=spool, retry_interval=0.2).start()
    try:
        second.log("desk", "cue", "run2 0")
        assert wait_for(lambda: second.status.kept_locally == 4, 10)
        immutable.undo()
        assert wait_for(lambda: second.status.health == LogHealth.OK and second.status.pending == 0, 10)
    finally:
        second.close()
    assert messages(url) == ["run1 0", "run1 1", "run1 2", "run2 0"]
    assert outbox_rows(spool.parent) == []


def test_full_disk_holding_the_outbox_too_keeps_events_in_memory(tmp_path, small_disk, caplog):
    """Database and outbox on the same full disk: nothing can be kept on disk, memory holds on."""
    url = f"sqlite:///{small_disk / 'log.sqlite3'}"
    log = EventLog(url, spool_path=small_disk / "outbox" / "ev.jsonl", retry_interval=0.2).start()
    filler = small_disk / "filler"
    try:
        assert log.flush()
        with filler.open("wb") as f:
            try:
                f.write(b"\0" * 4_000_000)
            except OSError:
                pass
        for i in range(30):
            log.log("camera", "frame", f"m {i}", payload={"blob": "x" * 20_000})
        assert wait_for(lambda: log.status.health == LogHealth.DEGRADED and log.status.pending == 30, 10)
        assert log.status.kept_locally < 30  # the outbox could not take them all
        time.sleep(0.5)  # several failed retries
        filler.unlink()
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, 15)
    finally:
        log.close()
    assert messages(url) == [f"m {i}" for i in range(30)]
    # Reported once, not once per event or retry.
    assert sum("cannot keep events in the outbox" in r.getMessage() for r in caplog.records) == 1


def fill(disk: Path, leave_bytes: int = 0) -> Path:
    """Write zeros on ``disk`` until only ``leave_bytes`` are free (0: until ENOSPC)."""
    filler = disk / f"filler-{uuid.uuid4().hex[:6]}"
    st = os.statvfs(disk)
    size = max(0, st.f_bavail * st.f_frsize - leave_bytes) if leave_bytes else 1 << 30
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for block in (65536, 4096, 512):
            try:
                while size >= block:
                    size -= os.write(fd, b"\0" * block)
            except OSError:
                pass  # ENOSPC at this block size: a smaller one fills what is left
    finally:
        os.close(fd)
    return filler


def test_space_watch_tells_the_desk_before_and_when_writes_fail(tmp_path, small_disk):
    """The desk hears where and how much is left before a write fails (almost full, full),
    then why writes fail; with room back every event is written, once, in order."""
    url = f"sqlite:///{small_disk / 'log.sqlite3'}"
    statuses = []
    log = EventLog(url, spool_path=tmp_path / "outbox" / "ev.jsonl", retry_interval=0.2, space_interval=0.05)
    log.subscribe(statuses.append)
    log.start()
    fillers = []
    try:
        log.log("desk", "cue", "before")
        assert log.flush() and log.status.health == LogHealth.OK
        fillers.append(fill(small_disk, leave_bytes=60_000))  # under 10 % of 1 MiB free, over 1 %
        assert wait_for(lambda: log.status.health == LogHealth.WARNING, 10)
        detail = log.status.detail
        assert detail.startswith("disk almost full (") and f"MB free on {small_disk})" in detail, detail
        log.log("desk", "cue", "low")
        assert log.flush(), log.status  # still writing: a warning, not an outage
        fillers.append(fill(small_disk))  # not a page left
        assert wait_for(lambda: "the next writes will fail" in log.status.detail or
                        log.status.health == LogHealth.DEGRADED, 10), log.status
        assert str(small_disk) in log.status.detail
        for i in range(20):
            log.log("camera", "frame", f"full {i}", payload={"blob": "x" * 20_000})
        assert wait_for(lambda: log.status.health == LogHealth.DEGRADED and log.status.kept_locally == 20, 10)
        detail = log.status.detail
        assert detail.startswith("the disk is full (") and f"MB free on {small_disk}): " in detail, detail
        for f in fillers:
            f.unlink()
        assert wait_for(lambda: log.status.health == LogHealth.OK and log.status.pending == 0, 10), log.status
    finally:
        log.close()
    assert messages(url) == ["before", "low"] + [f"full {i}" for i in range(20)]
    healths = [s.health for s in statuses]
    # Told before the first failed write, and all clear at the end.
    assert LogHealth.WARNING in healths and healths.index(LogHealth.WARNING) < healths.index(LogHealth.DEGRADED)
    assert healths[-2:] == [LogHealth.OK, LogHealth.CLOSED]
    assert outbox_rows(tmp_path / "outbox") == []


def test_space_watch_names_the_outbox_disk_when_that_one_fills(tmp_path, small_disk):
    """The database has room; the outbox's disk (where events go in an outage) is full: the
    desk is told which disk, and events keep being written."""
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url, spool_path=small_disk / "outbox" / "ev.jsonl", space_interval=0.05).start()
    try:
        log.log("desk", "cue", "one")
        assert log.flush() and log.status.health == LogHealth.OK
        filler = fill(small_disk)
        assert wait_for(lambda: log.status.health == LogHealth.WARNING, 10)
        assert f"MB free on {small_disk})" in log.status.detail and "next writes will fail" in log.status.detail
        log.log("desk", "cue", "two")
        assert log.flush()
        filler.unlink()
        assert wait_for(lambda: log.status.health == LogHealth.OK, 10), log.status
    finally:
        log.close()
    assert messages(url) == ["one", "two"]
