"""CSV export of the events of a show (for Excel / WPS on the studio PCs).

UTF-8 with a byte-order mark, so Excel on Chinese Windows opens Chinese text correctly
(without the BOM it guesses GBK and shows mojibake). One row per event, oldest first:

``id, time_utc, time_local, room, session, show_id, source, kind, severity, message, payload``

``time_utc`` is ISO 8601 with milliseconds and ``Z``; ``time_local`` is the exporting PC's
local time; ``payload`` is compact JSON (Chinese kept as is). A text cell that would start a
formula in a spreadsheet (``=``, ``+``, ``@``, or ``-`` not followed by a digit) gets a
leading ``'`` so opening the file never runs anything.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterable

from sqlalchemy.engine import Engine

from studio_app.core.events import Event
from studio_app.store.queries import fetch_event_records

COLUMNS = ["id", "time_utc", "time_local", "room", "session", "show_id", "source", "kind", "severity", "message", "payload"]


def _safe_cell(text: str) -> str:
    if text and (text[0] in "=+@\t\r" or (text[0] == "-" and not text[1:2].isdigit())):
        return "'" + text
    return text


def _iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _local(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def write_events_csv(engine: Engine, out: IO[str], *, show_id: str | None = None,
                     rooms: Iterable[str | None] | None = None, since: float | None = None,
                     sources: Iterable[str] | None = None, message: Callable[[Event], str] | None = None) -> int:
    """Write the header and the matching events to ``out`` (a text stream opened with
    ``newline=""``; the caller writes the BOM). Returns the number of events. ``message``
    renders the message column (e.g. in Chinese); default: the English the engine stored."""
    records = fetch_event_records(engine, show_id=show_id, rooms=rooms, since=since, sources=sources)
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for rec in records:
        e = rec.event
        payload = "" if e.payload is None else json.dumps(e.payload, ensure_ascii=False, separators=(",", ":"), default=str)
        w.writerow([
            e.seq, _iso_utc(e.wall_time), _local(e.wall_time), _safe_cell(rec.room or ""), rec.session,
            _safe_cell(e.show_id or ""), _safe_cell(e.source), _safe_cell(e.kind), e.severity_name,
            _safe_cell(message(e) if message is not None else e.message), _safe_cell(payload),
        ])
    return len(records)


def export_events_csv(engine: Engine, path: str | Path, *, show_id: str | None = None,
                      rooms: Iterable[str | None] | None = None, since: float | None = None,
                      sources: Iterable[str] | None = None, message: Callable[[Event], str] | None = None) -> int:
    """Write the CSV file (UTF-8 with BOM) atomically; returns the number of events."""
    from studio_app.core.files import atomic_output

    with atomic_output(path, encoding="utf-8-sig", newline="") as f:
        return write_events_csv(engine, f, show_id=show_id, rooms=rooms, since=since, sources=sources, message=message)
