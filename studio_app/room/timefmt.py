"""Times of room data as text: ISO 8601 UTC with milliseconds (as the rest of the CLI)."""
from __future__ import annotations

from datetime import datetime, timezone


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
