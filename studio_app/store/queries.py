"""Reading the log back (the ``log`` command, the log panel's history, reports)."""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import select
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


def _to_event(row: EventRow) -> Event:
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


def fetch_events(
    engine: Engine,
    *,
    since: float | None = None,
    until: float | None = None,
    sources: Iterable[str] | None = None,
    min_severity: int | None = None,
    show_id: str | None = None,
    kinds: Iterable[str] | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Event]:
    stmt = select(EventRow)
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
    with Session(engine) as session:
        return [_to_event(r) for r in session.scalars(stmt)]
