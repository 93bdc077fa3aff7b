"""Room messages in the database (table ``room_messages``): save, read back, record live.

Saving 720,000 messages (a four-hour show at 50 comments/s) is one ``executemany`` per batch;
reading them back returns :class:`~studio_app.room.messages.RoomMessage` in time order.
:class:`RoomRecorder` is the live path: ``record()`` only queues (any thread, never waits on
the disk); one writer thread commits what has queued, at most every ``interval`` seconds.
"""
from __future__ import annotations

import json
import logging
import queue
import threading
from typing import Any, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from studio_app.core.heap import bulk_allocation
from studio_app.room.messages import RoomColumns, RoomMessage
from studio_app.store.direct import read_room_columns, room_columns
from studio_app.store.models import RoomMessageRow

_log = logging.getLogger(__name__)
BATCH = 5000
MAX_PENDING = 1_000_000  # about 6 h of a very busy room kept in memory while the database is down


def _row(show_id: str, room: str | None, m: RoomMessage) -> dict:
    data = json.dumps(m.data, ensure_ascii=False, separators=(",", ":"))
    user = text = None
    if m.type == "comment" and "\\u0000" not in data:  # PostgreSQL text holds no U+0000: read whole
        user, text = str(m.data.get("user", "")), m.data["text"]
    return {"show_id": show_id, "room": room, "ts": m.ts, "type": m.type, "msg_id": m.id, "data": data,
            "comment_user": user, "comment_text": text}


def save_room_messages(engine: Engine, show_id: str, messages: Sequence[RoomMessage], *, room: str | None = None) -> int:
    if not show_id.strip() or len(show_id) > 64:
        raise ValueError(f"show id must be 1 to 64 characters, not {show_id!r}")
    with engine.begin() as conn:
        for start in range(0, len(messages), BATCH):
            conn.execute(insert(RoomMessageRow), [_row(show_id, room, m) for m in messages[start:start + BATCH]])
    return len(messages)


def fetch_room_messages(engine: Engine, show_id: str) -> list[RoomMessage]:
    stmt = (select(RoomMessageRow.ts, RoomMessageRow.type, RoomMessageRow.msg_id, RoomMessageRow.data)
            .where(RoomMessageRow.show_id == show_id).order_by(RoomMessageRow.ts, RoomMessageRow.id))
    with engine.connect() as conn:
        return [RoomMessage(ts, mtype, json.loads(data), msg_id) for ts, mtype, msg_id, data in conn.execute(stmt)]


def fetch_room_columns(engine: Engine, show_id: str) -> RoomColumns:
    """The show's messages as the rules read them (:class:`RoomColumns`): a comment's user and
    text come from their own columns, no JSON taken apart and no object per comment; other
    types come back whole, and so does a comment without those columns (holding U+0000, or
    written by an older console). Rows come through the driver's cursor: 700,000 of them, no
    SQLAlchemy row each."""
    row = RoomMessageRow
    mine = row.show_id == show_id
    order = (row.ts, row.id)
    with bulk_allocation(), engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # the SQL room alerts also runs without SQLAlchemy
            return read_room_columns(conn.connection.dbapi_connection, show_id)
        rows = _driver_rows(conn, select(row.ts, row.comment_user, row.comment_text).where(mine).order_by(*order))
        return room_columns([rows], lambda: _driver_rows(conn, select(row.ts, row.type, row.msg_id, row.data)
                                                         .where(mine, row.comment_text.is_(None)).order_by(*order)))


def _driver_rows(conn: Any, stmt: Any) -> list[tuple]:
    compiled = stmt.compile(dialect=conn.dialect)
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[k] for k in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def count_room_messages(engine: Engine, show_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(RoomMessageRow.show_id == show_id)).scalar_one())


def delete_room_messages(engine: Engine, show_id: str) -> int:
    with engine.begin() as conn:
        return int(conn.execute(delete(RoomMessageRow).where(RoomMessageRow.show_id == show_id)).rowcount or 0)


class RoomRecorder:
    """Writes accepted live messages of one show in batches on its own thread."""

    def __init__(self, engine: Engine, show_id: str, *, room: str | None = None, interval: float = 0.5) -> None:
        self.engine, self.show_id, self.room, self.interval = engine, show_id, room, interval
        self._queue: queue.SimpleQueue[RoomMessage | None] = queue.SimpleQueue()
        self.written = 0
        self.failed = 0  # dropped after the database refused them MAX_PENDING times over
        self._pending: list[RoomMessage] = []
        self._thread = threading.Thread(target=self._run, name="room-recorder", daemon=True)
        self._thread.start()

    def record(self, msg: RoomMessage) -> None:
        self._queue.put(msg)

    def _run(self) -> None:
        stop = False
        while not stop:
            batch: list[RoomMessage] = []
            item = self._queue.get()
            while True:
                if item is None:
                    stop = True
                    break
                batch.append(item)
                if len(batch) >= BATCH:
                    break
                try:
                    item = self._queue.get(timeout=self.interval if len(batch) == 1 else 0.0)
                except queue.Empty:
                    break
            self._write(batch)

    def _write(self, batch: list[RoomMessage]) -> None:
        batch = self._pending + batch
        self._pending = []
        if not batch:
            return
        try:
            save_room_messages(self.engine, self.show_id, batch, room=self.room)
            self.written += len(batch)
        except Exception as exc:  # noqa: BLE001 - a database problem must not stop the room feed
            # Kept for the next batch (the database may be back by then), up to a bound.
            keep = batch[-MAX_PENDING:]
            self.failed += len(batch) - len(keep)
            self._pending = keep
            _log.warning("room: %d messages not stored yet: %s", len(batch), type(exc).__name__)

    def close(self, timeout: float = 5.0) -> bool:
        self._queue.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

