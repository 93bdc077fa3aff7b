"""The event log: any thread logs without waiting; one writer thread commits in batches.

Promises
- :meth:`EventLog.log` never touches the disk or a socket: it stamps the event, appends it
  to an in-memory tail and puts it on a queue (a few microseconds), whatever the database
  is doing.
- The writer commits whatever has queued up, as soon as it can: an event is durable well
  within 250 ms of the call while the database is healthy.
- A database that cannot be reached, is locked, read-only or full never stops the console:
  the log turns *degraded* (listeners are told, so the desk shows a banner) and, at once,
  appends every unwritten event to the local outbox (:mod:`studio_app.store.outbox`, fsynced
  JSON lines in the user data folder), so a crash or a restart during the outage loses
  nothing. It retries every ``retry_interval`` seconds and, when the database is back,
  sends the kept events first, in the order they were logged, then empties the outbox.
- Each event carries a ``uid``; replaying rows the database already has (a crash after the
  commit, the same outbox adopted twice) skips them, so every event is stored exactly once.
- A row the database refuses for its content (an over-long field on PostgreSQL, ...) is
  cleaned (fields cut to the column sizes, payload replaced by its text) and written; only if
  that is refused too is it set aside in ``<outbox>.rejected.jsonl`` and reported, so one
  bad event can never hold back the ones behind it.
- The writer also watches the free space of the database's disk and the outbox's
  (:mod:`studio_app.store.space`, every ``space_interval`` seconds): a disk almost full or
  full turns the log *warning* (still writing) with where and how much is left, before a
  write fails; a write refused for a full disk turns it *degraded* with the same place.
"""
from __future__ import annotations

import enum
import hashlib
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
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from hardware.said import Said
from studio_app.core.events import Event, Severity
from studio_app.store.db import _sqlite_file, normalize_url, open_engine, upgrade_database
from studio_app.store.models import EventRow
from studio_app.store.outbox import Outbox
from studio_app.store.space import SpaceWatch

_log = logging.getLogger(__name__)
_STOP = object()

_COLUMNS = ("uid", "show_id", "wall_time", "mono_time", "session", "room", "source", "kind", "severity", "message", "payload")


def _dump_json(value: Any) -> str:
    """As the engine's JSON serialiser (db._json_dumps): Chinese kept, unknown objects as text."""
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


# Column sizes of ``events`` (models.py); PostgreSQL refuses longer strings, SQLite does not care.
_LIMITS = {"uid": 32, "show_id": 64, "room": 64, "source": 16, "kind": 64, "session": 32}


class LogHealth(str, enum.Enum):
    STARTING = "starting"
    OK = "ok"
    WARNING = "warning"  # writing, but a disk is (almost) full: the detail says which and how much is left
    DEGRADED = "degraded"
    CLOSED = "closed"


@dataclass(frozen=True)
class LogStatus:
    health: LogHealth
    detail: str = ""
    pending: int = 0  # events accepted but not yet in the database
    kept_locally: int = 0  # of those, how many are safe in the local outbox


def _describe_db_error(exc: BaseException) -> str:
    """One line a person can act on; no URL (it may hold a password)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    low = text.lower()
    if "readonly" in low or "read-only" in low or "permission" in low:
        hint = "the database file or its folder is not writable"
    elif "locked" in low or "busy" in low:
        hint = "the database is locked by another program"
    elif "full" in low or "no space" in low:
        hint = "the disk is full"
    elif "unable to open" in low:
        hint = "the database file cannot be opened (missing folder or no permission)"
    elif "disk i/o" in low:
        hint = "the disk refused the write (removed, read-only or failing)"
    elif (
        "connection" in low
        or "could not connect" in low
        or "refused" in low
        or "timeout" in low
        or "timed out" in low
        or "server closed" in low
        or "terminating" in low
        or "shutting down" in low
        or "starting up" in low
    ):
        hint = "the database server cannot be reached"
    else:
        hint = "the database rejected the write"
    return f"{hint}: {text}"


def _is_row_problem(exc: BaseException) -> bool:
    """True when the rows are at fault (retrying them unchanged would fail forever)."""
    if isinstance(exc, (DataError, IntegrityError)):
        return not exc.connection_invalidated
    # Not a database error at all: the row could not even be sent (e.g. serialisation).
    return isinstance(exc, StatementError) and not isinstance(exc, DBAPIError)


def default_outbox_path(url: str) -> Path:
    """``<user data>/outbox/events-<hash of the URL>.jsonl`` (the URL itself is not stored)."""
    from studio_app.core.paths import user_data_dir

    try:
        key = normalize_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a bad URL still gets a stable outbox name
        key = str(url)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return user_data_dir() / "outbox" / f"events-{digest}.jsonl"


def _clean_text(value: Any, limit: int | None = None) -> Any:
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return value[:limit] if limit else value


# The in-memory tail serves the log panel, which polls it every 200 ms: a thousand events is
# minutes of a busy show between two polls. It is what every logged event keeps alive (~600
# bytes with its payload), so it is kept small: 10,000 took 40 minutes of a soak to fill and its
# 12 MB (two logs) showed as RSS growth the whole time (issue 20).
RECENT_CAPACITY = 1_000


class EventLog:
    """Thread-safe, non-blocking event log on any SQLAlchemy URL.

    ``spool_path`` names the local outbox (default: :func:`default_outbox_path`); the files
    are ``<folder>/<stem>.<session>.jsonl``.
    """

    def __init__(
        self,
        url: str,
        *,
        room: str | None = None,
        spool_path: str | os.PathLike[str] | None = None,
        retry_interval: float = 1.0,
        recent_capacity: int = RECENT_CAPACITY,
        max_batch: int = 20_000,
        space_interval: float = 0.5,
    ) -> None:
        self.url = url
        self.room = room
        self.session = uuid.uuid4().hex
        self._uid_prefix = self.session[:20]
        self.spool_path = Path(spool_path) if spool_path else default_outbox_path(url)
        self.outbox = Outbox(self.spool_path.parent, self.spool_path.stem, self.session)
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
        self._kept_count = 0
        self._written = 0
        self._rejected = 0
        self._thread: threading.Thread | None = None
        self._engine: Engine | None = None
        self._closed = False
        try:
            self._db_file = _sqlite_file(normalize_url(url))
        except Exception:  # noqa: BLE001 - a bad URL is reported by the first open
            self._db_file = None
        watched = ([self._db_file.parent] if self._db_file is not None else []) + [self.spool_path.parent]
        self.space = SpaceWatch(watched, interval=space_interval)

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

    def uid(self, ev: Event) -> str:
        """The event's id in the database, known from the moment it is logged (so a soak or
        an audit can compare what was logged with what was written, by id): 80 random bits
        of this run + the log's sequence number, no uuid4() per event."""
        return f"{self._uid_prefix}{ev.seq:012x}"

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
            s = self._status
        return LogStatus(s.health, s.detail, self._pending_count, self._kept_count)

    @property
    def written(self) -> int:
        """Events this run has put into the database (including replayed outbox rows)."""
        return self._written

    @property
    def rejected(self) -> int:
        """Events the database refused even after cleaning (kept in the rejected file)."""
        return self._rejected

    def subscribe(self, listener: Callable[[LogStatus], None]) -> None:
        """``listener(status)`` is called on the writer thread whenever health or its detail changes."""
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
        return done.wait(timeout) and self.status.health in (LogHealth.OK, LogHealth.WARNING) and self._pending_count == 0

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (waiting at most ``timeout``), keep the rest in the outbox, stop."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None and self._thread.is_alive():
            self._queue.put((_STOP, time.monotonic() + timeout))
            self._thread.join(timeout + 10.0)
        if self._engine is not None:
            self._engine.dispose()

    def __enter__(self) -> "EventLog":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writer thread
    def _set_status(self, health: LogHealth, detail: str = "") -> None:
        new = LogStatus(health, detail, self._pending_count, self._kept_count)
        with self._status_lock:
            changed = (self._status.health, self._status.detail) != (health, detail)
            self._status = new
        if changed:
            if health in (LogHealth.DEGRADED, LogHealth.WARNING):
                _log.warning("event log %s: %s", health.value, detail)
            for listener in list(self._listeners):
                try:
                    listener(new)
                except Exception:  # a listener must never kill the writer
                    _log.exception("event-log listener failed")

    def _set_writing(self) -> None:
        """Writes work: OK, or WARNING while the space watch has something to say."""
        note = self.space.note
        self._set_status(LogHealth.WARNING if note else LogHealth.OK, note)

    def _failure(self, exc: BaseException) -> str:
        """Why a write failed; for a full disk also where and how much is left (the desk's words)."""
        detail = _describe_db_error(exc)
        if self._db_file is None or not detail.startswith(("the disk is full", "the disk refused the write")):
            return detail
        room = self.space.room_of(self._db_file.parent)
        # Opening on a full disk says "disk I/O error" (no room for the -shm/-wal files): the
        # free space says what it really is.
        if room is not None and (detail.startswith("the disk is full") or room.free_mb < room.full_mb()):
            return Said("log_disk_full", free_mb=room.free_mb, path=room.path, error=detail.partition(": ")[2])
        return detail

    def _drop_engine(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            try:
                engine.dispose()
            except Exception:  # noqa: BLE001 - closing dead connections may fail too
                pass

    def _open(self) -> bool:
        try:
            engine = open_engine(self.url)
            upgrade_database(engine)
        except Exception as exc:  # noqa: BLE001 - every failure means "degraded, retry"
            self._set_status(LogHealth.DEGRADED, self._failure(exc))
            return False
        self._engine = engine
        return True

    def _row(self, ev: Event) -> dict[str, Any]:
        payload = ev.payload
        if payload is not None and type(payload) is not dict and isinstance(payload, Mapping):
            payload = dict(payload)
        # Not validated here (that would serialise every payload twice): the serialiser turns
        # unknown objects into text, and a payload it still cannot encode sends its row down
        # the cleaning path of _write.
        return {
            "uid": self.uid(ev),
            "show_id": _clean_text(ev.show_id, _LIMITS["show_id"]),
            "wall_time": ev.wall_time,
            "mono_time": ev.mono_time,
            "session": self.session,
            "room": _clean_text(self.room, _LIMITS["room"]),
            "source": _clean_text(str(ev.source), _LIMITS["source"]),
            "kind": _clean_text(str(ev.kind), _LIMITS["kind"]),
            "severity": int(ev.severity),
            "message": _clean_text(str(ev.message if ev.message is not None else "")),
            "payload": payload,
        }

    def _safe_row(self, ev: Event) -> dict[str, Any]:
        """:meth:`_row`, or a plain-text stand-in: a strange event must never kill the writer."""
        try:
            return self._row(ev)
        except Exception as exc:  # noqa: BLE001
            _log.exception("event could not be converted; stored as text")
            return {
                "uid": self.uid(ev), "show_id": None,
                "wall_time": float(getattr(ev, "wall_time", 0.0) or time.time()),
                "mono_time": float(getattr(ev, "mono_time", 0.0) or 0.0), "session": self.session,
                "room": _clean_text(self.room, _LIMITS["room"]), "source": "system", "kind": "unreadable_event",
                "severity": int(Severity.WARNING), "message": _clean_text(repr(ev))[:10_000],
                "payload": {"error": repr(exc)[:1000]},
            }

    def _insert_new(self, rows: list[dict[str, Any]]) -> int:
        """Insert the rows whose uid the database lacks (one transaction); how many were new."""
        assert self._engine is not None
        with self._engine.begin() as conn:
            uids = [r["uid"] for r in rows]
            known: set[str] = set()
            for i in range(0, len(uids), 500):
                known.update(conn.scalars(select(EventRow.uid).where(EventRow.uid.in_(uids[i : i + 500]))))
            fresh, seen = [], set()
            for r in rows:
                if r["uid"] not in known and r["uid"] not in seen:
                    seen.add(r["uid"])
                    fresh.append(r)
            if fresh:
                self._insert(conn, fresh)
        return len(fresh)

    def _insert(self, conn, rows: list[dict[str, Any]]) -> None:  # noqa: ANN001 - a Connection
        """Plain insert. On SQLite and psycopg straight through the driver's executemany with
        the payload serialised once: per-row SQLAlchemy processing would halve the throughput."""
        style = conn.dialect.paramstyle
        if conn.dialect.name in {"sqlite", "postgresql"} and style in {"qmark", "format", "pyformat"} and (
            conn.dialect.name == "sqlite" or conn.dialect.driver == "psycopg"
        ):
            mark = "?" if style == "qmark" else "%s"
            sql = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * len(_COLUMNS))})"
            dump = _dump_json
            params = [
                (r["uid"], r["show_id"], r["wall_time"], r["mono_time"], r["session"], r["room"], r["source"],
                 r["kind"], r["severity"], r["message"], None if r["payload"] is None else dump(r["payload"]))
                for r in rows
            ]
            conn.exec_driver_sql(sql, params)
        else:
            conn.execute(insert(EventRow), rows)

    def _write(self, rows: list[dict[str, Any]]) -> None:
        """Write ``rows`` in order, each exactly once. Raises on an unavailable database."""
        assert self._engine is not None
        try:
            with self._engine.begin() as conn:
                self._insert(conn, rows)
            return
        except IntegrityError:
            pass  # replayed rows already present (or a duplicate within the batch): go by uid
        except Exception as exc:  # noqa: BLE001
            if not _is_row_problem(exc):
                raise
        try:
            self._insert_new(rows)
            return
        except Exception as exc:  # noqa: BLE001
            if not _is_row_problem(exc):
                raise
        # Some row is refused for its content: go one by one so the good ones get through.
        for r in rows:
            try:
                self._insert_new([r])
            except Exception as exc:  # noqa: BLE001
                if not _is_row_problem(exc):
                    raise
                self._insert_cleaned(r, exc)

    def _insert_cleaned(self, row: dict[str, Any], exc: BaseException) -> None:
        cleaned = dict(row)
        for key, limit in _LIMITS.items():
            cleaned[key] = _clean_text(cleaned.get(key), limit)
        cleaned["message"] = _clean_text(str(cleaned.get("message") or ""))
        if cleaned.get("payload") is not None:
            cleaned["payload"] = {"repr": _clean_text(repr(cleaned["payload"]))[:10_000]}
        try:
            self._insert_new([cleaned])
            _log.warning("event %s stored cleaned: %s", row.get("uid"), _describe_db_error(exc))
        except Exception as exc2:  # noqa: BLE001
            if not _is_row_problem(exc2):
                raise
            self._rejected += 1
            rejected = self.spool_path.with_name(self.spool_path.stem + ".rejected.jsonl")
            _log.error("event %s refused by the database (%s); kept in %s", row.get("uid"), _describe_db_error(exc2), rejected)
            try:
                rejected.parent.mkdir(parents=True, exist_ok=True)
                with rejected.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            except OSError:
                _log.error("cannot keep refused event %s: %r", row.get("uid"), row)

    def _run(self) -> None:
        try:
            pending: list[dict[str, Any]] = self.outbox.adopt()
        except Exception:  # noqa: BLE001 - a broken outbox folder must not stop the log
            _log.exception("cannot read the event outbox")
            pending = []
        kept = len(pending)  # pending[:kept] is safe in outbox files
        outbox_torn = False
        self._pending_count, self._kept_count = len(pending), kept
        self.space.check()
        opened = self._open()
        healthy = opened
        if opened:
            self._set_writing()
        next_retry = 0.0 if opened else time.monotonic() + self.retry_interval
        stop_deadline: float | None = None
        waiters: list[threading.Event] = []

        def keep_locally() -> None:
            """Put pending[kept:] into the outbox now (the database could not take them)."""
            nonlocal kept, outbox_torn
            if kept >= len(pending):
                return
            try:
                if outbox_torn:
                    self.outbox.rewrite(pending)
                    outbox_torn = False
                else:
                    self.outbox.append(pending[kept:])
                kept = len(pending)
            except OSError as exc:
                if not outbox_torn:  # once per episode, not once per event
                    _log.error("cannot keep events in the outbox %s: %s (kept in memory)", self.outbox.path, exc)
                outbox_torn = True  # a partial line may be on disk: rewrite next time
            self._kept_count = kept

        def write_pending() -> bool:
            nonlocal pending, kept
            while pending:
                chunk = pending[: self.max_batch]
                self._write(chunk)
                self._written += len(chunk)
                pending = pending[len(chunk) :]
                kept = max(0, kept - len(chunk))
                self._pending_count, self._kept_count = len(pending), kept
            self.outbox.clear()
            return True

        while True:
            # Wait for work: block while healthy and idle; otherwise wake for the next retry.
            timeout: float | None = None
            if healthy and pending:  # rows adopted from the outbox at start: send them now
                timeout = 0.0
            elif not healthy:
                timeout = max(0.01, next_retry - time.monotonic())
            # Wake for the space watch too, so a filling disk is told while nothing is logged.
            timeout = self.space.due() if timeout is None else min(timeout, self.space.due())
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
                    pending.append(self._safe_row(it))
                elif isinstance(it, threading.Event):
                    waiters.append(it)
                elif isinstance(it, tuple) and it and it[0] is _STOP:
                    stop_deadline = it[1]
            self._pending_count = len(pending)
            if self.space.due() == 0.0:
                before = self.space.note
                self.space.check()
                if healthy and opened and self.space.note != before:
                    self._set_writing()

            if healthy or time.monotonic() >= next_retry:
                if not opened:
                    opened = self._open()
                if opened:
                    try:
                        if pending:
                            write_pending()
                        elif not healthy:
                            # Nothing to write: probe, so the banner clears when the DB is back.
                            with self._engine.connect() as conn:  # type: ignore[union-attr]
                                conn.exec_driver_sql("SELECT 1")
                        healthy = True
                        self._set_writing()
                    except Exception as exc:  # noqa: BLE001 - keep the events, retry later
                        healthy = False
                        self._set_status(LogHealth.DEGRADED, self._failure(exc))
                        # Reopen (and re-run the migrations) on the next try: the server may
                        # come back restored from a backup, or as a fresh empty database.
                        opened = False
                        self._drop_engine()
                if not healthy:
                    next_retry = time.monotonic() + self.retry_interval
            if not healthy:
                keep_locally()
                self._set_status(LogHealth.DEGRADED, self._status.detail)

            if not pending:
                for w in waiters:
                    w.set()
                waiters = []

            if stop_deadline is not None and (not pending or time.monotonic() >= stop_deadline or not healthy):
                while True:  # anything that raced in
                    try:
                        it = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(it, Event):
                        pending.append(self._safe_row(it))
                    elif isinstance(it, threading.Event):
                        waiters.append(it)
                if pending and healthy:
                    try:
                        write_pending()
                    except Exception as exc:  # noqa: BLE001
                        _log.warning("event log: final write failed: %s", _describe_db_error(exc))
                keep_locally()
                self.outbox.close()
                self._pending_count = len(pending)
                for w in waiters:
                    w.set()
                self._set_status(
                    LogHealth.CLOSED, "" if not pending else f"{len(pending)} events kept locally for the next start"
                )
                return
