"""The event log on SQLAlchemy: the only package that imports SQLAlchemy or Alembic."""
from studio_app.store.db import DatabaseURLError, normalize_url, open_engine, upgrade_database
from studio_app.store.eventlog import EventLog, LogHealth
from studio_app.store.queries import fetch_events, parse_since

__all__ = [
    "DatabaseURLError",
    "EventLog",
    "LogHealth",
    "fetch_events",
    "normalize_url",
    "open_engine",
    "parse_since",
    "upgrade_database",
]
