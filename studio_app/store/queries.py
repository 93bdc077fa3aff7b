"""Reading the log back (the ``log`` command, the log panel's history, reports)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import false, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from studio_app.core.events import Event
from studio_app.store.models import EventRow

_REL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """``10m``, ``2h``, ``1d``, ``90s`` ago, or an ISO date/time (local time if no zone).

    Returns UTC seconds since the epoch. Raises ValueError with a readable message.
    """
    now = time.time() if now is None else now
    m = _REL.match(text)
    if m:
        return now - float(m.group(1)) * _UNITS[m.group(2).lower()]
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"cannot read --since {text!r}: use e.g. 10m, 2h, 1d or 2026-11-24T20:00") from None
    if dt.tzinfo is None:
        dt = dt.astimezone()  # naive means the user's local time
    return dt.astimezone(timezone.utc).timestamp()


def _to_event(row) -> Event:  # noqa: ANN001 - a Row of the events table
    return Event(
        source=row.source,
        kind=row.kind,
        message=row.message,
        severity=row.severity,
        payload=row.payload,
        show_id=row.show_id,
        wall_time=row.wall_time,
        mono_time=row.mono_time,
        seq=row.id,
    )


def _select(
    *,
    since: float | None = None,
    until: float | None = None,
    sources: Iterable[str] | None = None,
    min_severity: int | None = None,
    show_id: str | None = None,
    kinds: Iterable[str] | None = None,
    rooms: Iterable[str | None] | None = None,
    limit: int | None = None,
    newest_first: bool = False,
):  # noqa: ANN202 - a Select
    # Core rows, not ORM objects: a 4-hour show is ~60,000 events and ORM loading would
    # triple the time a report waits.
    stmt = select(EventRow.__table__)
    if rooms is not None:
        rooms = list(rooms)
        named = [r for r in rooms if r is not None]
        cond = EventRow.room.in_(named) if named else None
        if None in rooms:  # None stands for events logged without a room name
            cond = EventRow.room.is_(None) if cond is None else or_(cond, EventRow.room.is_(None))
        stmt = stmt.where(cond if cond is not None else false())
    if since is not None:
        stmt = stmt.where(EventRow.wall_time >= since)
    if until is not None:
        stmt = stmt.where(EventRow.wall_time < until)
    if sources:
        stmt = stmt.where(EventRow.source.in_(list(sources)))
    if kinds:
        stmt = stmt.where(EventRow.kind.in_(list(kinds)))
    if min_severity is not None:
        stmt = stmt.where(EventRow.severity >= min_severity)
    if show_id is not None:
        stmt = stmt.where(EventRow.show_id == show_id)
    order = (EventRow.wall_time.desc(), EventRow.id.desc()) if newest_first else (EventRow.wall_time, EventRow.id)
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt


def fetch_events(
    engine: Engine,
    *,
    since: float | None = None,
    until: float | None = None,
    sources: Iterable[str] | None = None,
    min_severity: int | None = None,
    show_id: str | None = None,
    kinds: Iterable[str] | None = None,
    rooms: Iterable[str | None] | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Event]:
    """Events matching every given filter, oldest first (``seq`` is the database id).

    ``rooms``: only events of these rooms (a report across rooms of one central database);
    ``None`` inside the list matches events logged without a room. ``rooms=None``: all rooms.
    """
    stmt = _select(since=since, until=until, sources=sources, min_severity=min_severity, show_id=show_id,
                   kinds=kinds, rooms=rooms, limit=limit, newest_first=newest_first)
    with engine.connect() as conn:
        return [_to_event(r) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class EventRecord:
    """An event as stored, with where it came from (room, console run, uid)."""

    event: Event
    uid: str
    room: str | None
    session: str


def fetch_event_records(engine: Engine, **filters) -> list[EventRecord]:  # noqa: ANN003 - as fetch_events
    """Like :func:`fetch_events` (same keyword filters) but with room, session and uid."""
    stmt = _select(**filters)
    with engine.connect() as conn:
        return [EventRecord(_to_event(r), r.uid, r.room, r.session) for r in conn.execute(stmt)]


def list_rooms(engine: Engine) -> list[str | None]:
    """Rooms that have logged into this database (None: events without a room name)."""
    with Session(engine) as session:
        return sorted(session.scalars(select(EventRow.room).distinct()), key=lambda r: (r is not None, r or ""))


def show_start_times(engine: Engine, show_ids: Iterable[str]) -> dict[str, float]:
    """The first logged event of each show (UTC seconds), for ordering shows over time."""
    from sqlalchemy import func

    ids = list(show_ids)
    if not ids:
        return {}
    stmt = select(EventRow.show_id, func.min(EventRow.wall_time)).where(EventRow.show_id.in_(ids)).group_by(EventRow.show_id)
    with Session(engine) as session:
        return {sid: t for sid, t in session.execute(stmt)}
