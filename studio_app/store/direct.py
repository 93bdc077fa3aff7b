"""A SQLite event log read without SQLAlchemy: what a short command needs to start fast.

Importing SQLAlchemy and the table models costs ~0.3 s, a good part of ``room alerts`` on a
stored show. :func:`open_log_at_head` opens a plain SQLite file URL directly when the log is
already at the newest schema; anything else (PostgreSQL, a URL with options, a missing file,
a log that needs a migration) gets None, and the caller takes the SQLAlchemy path, which
creates, migrates and reports problems as always. :func:`read_room_columns` is the one SQLite
reader of a show's room messages for both paths.
"""
from __future__ import annotations

import functools
import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from studio_app.core.files import FileRefused, open_regular
from studio_app.core.heap import bulk_allocation
from studio_app.room.messages import RoomColumns, RoomMessage

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*=\s*(\"[^\"]*\"|'[^']*'|None)\s*$", re.M)


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message is one line, fit for the user."""


class NoEventLog(DatabaseURLError):
    """A read-only command was pointed at a place that holds no event log."""


@functools.lru_cache(maxsize=1)
def quick_head() -> str | None:
    """The newest revision read from the migration files' ``revision``/``down_revision``
    lines, without importing Alembic (~0.4 s); None when the files are not one plain chain
    (then Alembic itself decides)."""
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        down = found["down_revision"]
        revisions[found["revision"].strip("\"'")] = None if down == "None" else down.strip("\"'")
    heads = set(revisions) - set(revisions.values())
    roots = [r for r, down in revisions.items() if down is None]
    if len(heads) != 1 or len(roots) != 1 or not set(revisions.values()) - {None} <= set(revisions):
        return None
    return heads.pop()


def plain_sqlite_file(url: str) -> Path | None:
    """The file of ``sqlite:///PATH`` written plainly (no options, escapes or in-memory
    database), else None: SQLAlchemy reads every other URL."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    database = url[len(prefix):]
    if not database or database == ":memory:" or database.startswith("file:") or any(c in database for c in "?#%"):
        return None
    return Path(database).expanduser()


def open_log_at_head(url: str) -> sqlite3.Connection | None:
    """A connection to the SQLite log at ``url`` when it is a plain file already at the
    newest schema; None otherwise (the caller then opens it through SQLAlchemy)."""
    path = plain_sqlite_file(url)
    head = quick_head() if path is not None else None
    if path is None or head is None:
        return None
    try:
        with open_regular(path) as f:
            if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
    except FileRefused:
        return None
    try:  # mode=rw: never creates a file (a log that is not there is the SQLAlchemy path's to start)
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                               timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        if conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]:
            return conn
    except sqlite3.Error:  # no version table (a new log), locked past the timeout, not a database
        pass
    conn.close()
    return None


_COMMENTS = "SELECT ts, comment_user, comment_text FROM room_messages WHERE show_id = ? ORDER BY ts, id"
_WHOLE = ("SELECT ts, type, msg_id, data FROM room_messages WHERE show_id = ? AND comment_text IS NULL "
          "ORDER BY ts, id")


def read_room_columns(conn: Any, show_id: str) -> RoomColumns:
    """A show's room messages from a SQLite DB-API connection, as the rules read them
    (:class:`RoomColumns`): see :func:`studio_app.store.room.fetch_room_columns`."""
    with bulk_allocation():
        cursor = conn.cursor()
        try:
            cursor.execute(_COMMENTS, (show_id,))
            cols = room_columns(iter(functools.partial(cursor.fetchmany, CHUNK_ROWS), []),
                                lambda: cursor.execute(_WHOLE, (show_id,)).fetchall())
        finally:
            cursor.close()
        return cols


CHUNK_ROWS = 20_000  # rows taken apart into columns while they are fresh in the cache, then freed


def room_columns(chunks: Iterable[Sequence[tuple]], whole: Callable[[], Sequence[tuple]]) -> RoomColumns:
    """:class:`RoomColumns` of rows (ts, comment user, comment text) of every message, in time
    order and in chunks; ``whole()``: rows (ts, type, msg id, JSON data) of those without a
    comment text (asked only when there are messages)."""
    ts: list[float] = []
    users: list[str | None] = []
    texts: list[str | None] = []
    for rows in chunks:
        if rows:
            t, u, x = zip(*rows)
            ts += t
            users += u
            texts += x
    if not ts:
        return RoomColumns()
    return RoomColumns(ts, users, texts, [RoomMessage(t, mtype, json.loads(data), mid) for t, mtype, mid, data in whole()])
