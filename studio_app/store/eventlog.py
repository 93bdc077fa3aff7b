"""The event log: any thread logs without waiting; one writer thread commits in batches.

Promises
- :meth:`EventLog.log` never touches the disk or a socket: it stamps the event, appends it
  to an in-memory tail and puts it on a queue (a few microseconds).
- The writer commits whatever has queued up, as soon as it can: an event is durable well
  within 250 ms of the call while the database is healthy.
- A database that cannot be opened, is locked, read-only or full never stops the console:
  the log turns *degraded* (listeners are told, so the desk shows a banner), keeps every
  event in memory, retries, and writes them in order when it can. Events still unwritten
  at shutdown go to a spool file that the next start imports first.
"""
from __future__ import annotations

import enum
import itertools
import json
import logging
import os
import queue
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from studio_app.core.events import Event, Severity
from studio_app.store.db import open_engine, upgrade_database
from studio_app.store.models import EventRow

_log = logging.getLogger(__name__)
_STOP = object()


class LogHealth(str, enum.Enum):
    STARTING = "starting"
    OK = "ok"
    DEGRADED = "degraded"
    CLOSED = "closed"


@dataclass(frozen=True)
class LogStatus:
    health: LogHealth
    detail: str = ""
    pending: int = 0  # events accepted but not yet in the database


def _describe_db_error(exc: BaseException) -> str:
    """One line a person can act on; no URL (it may hold a password)."""
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = text.lower()
    if "readonly" in low or "read-only" in low or "permission" in low:
        hint = "the database file or its folder is not writable"
    elif "locked" in low or "busy" in low:
        hint = "the database is locked by another program"
    elif "full" in low or "no space" in low:
        hint = "the disk is full"
    elif "unable to open" in low:
        hint = "the database file cannot be opened (missing folder or no permission)"
    elif "connection" in low or "could not connect" in low or "refused" in low:
        hint = "the database server cannot be reached"
    else:
        hint = "the database rejected the write"
    return f"{hint}: {text}"


class EventLog:
    """Thread-safe, non-blocking event log on any SQLAlchemy URL."""

    def __init__(
        self,
        url: str,
        *,
        room: str | None = None,
        spool_path: str | os.PathLike[str] | None = None,
        retry_interval: float = 1.0,
        recent_capacity: int = 10_000,
        max_batch: int = 20_000,
    ) -> None:
        self.url = url
        self.room = room
        self.session = uuid.uuid4().hex
        self.spool_path = Path(spool_path) if spool_path else None
        self.retry_interval = retry_interval
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._seq = itertools.count(1)
        self._recent: deque[Event] = deque(maxlen=recent_capacity)
        self._recent_lock = threading.Lock()
        self._listeners: list[Callable[[LogStatus], None]] = []
        self._status = LogStatus(LogHealth.STARTING)
        self._status_lock = threading.Lock()
        self._pending_count = 0
        self._written = 0
        self._thread: threading.Thread | None = None
        self._engine: Engine | None = None
        self._flush_requests: list[threading.Event] = []
        self._closed = False

    # ------------------------------------------------------------------ any thread
    def log(
        self,
        source: str,
        kind: str,
        message: str = "",
        severity: int = Severity.INFO,
        payload: Mapping[str, Any] | None = None,
        show_id: str | None = None,
    ) -> Event:
        if isinstance(source, enum.Enum):
            source = source.value
        ev = Event(source, kind, message, int(severity), payload, show_id, time.time(), time.monotonic(), next(self._seq))
        with self._recent_lock:
            self._recent.append(ev)
        self._queue.put(ev)
        return ev

    def recent(self, after_seq: int = 0, limit: int | None = None) -> list[Event]:
        """Events of this run with ``seq > after_seq``, oldest first (the live tail)."""
        with self._recent_lock:
            if not self._recent or self._recent[-1].seq <= after_seq:
                return []
            out = []
            for ev in reversed(self._recent):
                if ev.seq <= after_seq:
                    break
                out.append(ev)
        out.reverse()
        return out[-limit:] if limit else out

    @property
    def status(self) -> LogStatus:
        with self._status_lock:
            return self._status

    @property
    def written(self) -> int:
        return self._written

    def subscribe(self, listener: Callable[[LogStatus], None]) -> None:
        """``listener(status)`` is called on the writer thread whenever health changes."""
        self._listeners.append(listener)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "EventLog":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="event-log-writer", daemon=True)
            self._thread.start()
        return self

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything logged before the call is written. False on timeout/degraded."""
        if self._thread is None or not self._thread.is_alive():
            return False
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout) and self.status.health == LogHealth.OK and self._pending_count == 0

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (waiting at most ``timeout``), spool the rest, stop the writer."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None and self._thread.is_alive():
            self._queue.put((_STOP, time.monotonic() + timeout))
            self._thread.join(timeout + 2.0)
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> "EventLog":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writer thread
    def _set_status(self, health: LogHealth, detail: str = "") -> None:
        new = LogStatus(health, detail, self._pending_count)
        with self._status_lock:
            changed = (self._status.health, self._status.detail) != (health, detail)
            self._status = new
        if changed:
            for listener in list(self._listeners):
                try:
                    listener(new)
                except Exception:  # a listener must never kill the writer
                    _log.exception("event-log listener failed")

    def _open(self) -> bool:
        try:
            engine = open_engine(self.url)
            upgrade_database(engine)
        except Exception as exc:  # noqa: BLE001 - every failure means "degraded, retry"
            self._set_status(LogHealth.DEGRADED, _describe_db_error(exc))
            return False
        self._engine = engine
        return True

    def _row(self, ev: Event) -> dict[str, Any]:
        payload = ev.payload
        if payload is not None:
            try:
                json.dumps(payload, default=str)
            except (TypeError, ValueError):
                payload = {"repr": repr(payload)}
            payload = dict(payload) if isinstance(payload, Mapping) else payload
        return {
            "uid": uuid.uuid4().hex,
            "show_id": ev.show_id,
            "wall_time": ev.wall_time,
            "mono_time": ev.mono_time,
            "session": self.session,
            "room": self.room,
            "source": ev.source,
            "kind": ev.kind,
            "severity": ev.severity,
            "message": ev.message,
            "payload": payload,
        }

    def _write(self, rows: list[dict[str, Any]]) -> None:
        assert self._engine is not None
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(EventRow), rows)
        except IntegrityError:
            # A replayed spool may hold rows already written: insert one by one, skip known uids.
            with self._engine.begin() as conn:
                known = set(conn.scalars(select(EventRow.uid).where(EventRow.uid.in_([r["uid"] for r in rows]))))
                fresh = [r for r in rows if r["uid"] not in known]
                if fresh:
                    conn.execute(insert(EventRow), fresh)

    def _load_spool(self) -> list[dict[str, Any]]:
        if not self.spool_path or not self.spool_path.exists():
            return []
        rows = []
        try:
            with self.spool_path.open(encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line:
                        rows.append(json.loads(line))
        except (OSError, ValueError) as exc:
            _log.error("cannot read event spool %s: %s", self.spool_path, exc)
            return []
        return rows

    def _spool(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.spool_path is None:
            _log.error("event log closed with %d unwritten events and no spool file", len(rows))
            return
        try:
            self.spool_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.spool_path.with_suffix(".tmp")
            with tmp.open("w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.spool_path)
        except OSError as exc:
            _log.error("cannot write event spool %s: %s (%d events lost)", self.spool_path, exc, len(rows))

    def _run(self) -> None:
        pending: list[dict[str, Any]] = self._load_spool()
        spool_loaded = bool(pending)
        self._pending_count = len(pending)
        opened = self._open()
        if opened:
            self._set_status(LogHealth.OK)
        next_retry = 0.0
        stop_deadline: float | None = None
        waiters: list[threading.Event] = []
        while True:
            # Wait for work: block while healthy and idle; poll while retrying.
            timeout = None
            if pending or not opened:
                timeout = max(0.01, next_retry - time.monotonic()) if next_retry else 0.0
            if stop_deadline is not None:
                timeout = 0.0
            try:
                item = self._queue.get(timeout=timeout) if timeout != 0.0 else self._queue.get_nowait()
            except queue.Empty:
                item = None
            items = [] if item is None else [item]
            while len(items) < self.max_batch:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for it in items:
                if isinstance(it, Event):
                    pending.append(self._row(it))
                elif isinstance(it, threading.Event):
                    waiters.append(it)
                elif isinstance(it, tuple) and it and it[0] is _STOP:
                    stop_deadline = it[1]
            self._pending_count = len(pending)

            if pending and time.monotonic() >= next_retry:
                if not opened:
                    opened = self._open()
                if opened:
                    try:
                        for i in range(0, len(pending), self.max_batch):
                            self._write(pending[i : i + self.max_batch])
                            self._written += min(self.max_batch, len(pending) - i)
                        pending = []
                        self._pending_count = 0
                        next_retry = 0.0
                        if spool_loaded and self.spool_path:
                            self.spool_path.unlink(missing_ok=True)
                            spool_loaded = False
                        self._set_status(LogHealth.OK)
                    except Exception as exc:  # noqa: BLE001 - keep the events, retry later
                        self._set_status(LogHealth.DEGRADED, _describe_db_error(exc))
                        next_retry = time.monotonic() + self.retry_interval
                else:
                    next_retry = time.monotonic() + self.retry_interval
            elif not pending and not opened and time.monotonic() >= next_retry:
                opened = self._open()
                if opened:
                    self._set_status(LogHealth.OK)
                else:
                    next_retry = time.monotonic() + self.retry_interval

            if not pending:
                for w in waiters:
                    w.set()
                waiters = []

            if stop_deadline is not None and (not pending or time.monotonic() >= stop_deadline):
                # Take anything that raced in, then spool what could not be written.
                while True:
                    try:
                        it = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(it, Event):
                        pending.append(self._row(it))
                if pending and opened:
                    try:
                        self._write(pending)
                        pending = []
                    except Exception:  # noqa: BLE001
                        pass
                self._spool(pending)
                for w in waiters:
                    w.set()
                self._set_status(LogHealth.CLOSED, "" if not pending else f"{len(pending)} events spooled")
                return
            if pending and stop_deadline is not None:
                time.sleep(min(0.05, max(0.0, stop_deadline - time.monotonic())))
