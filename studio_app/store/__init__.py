"""The event log on SQLAlchemy: the only package that imports SQLAlchemy or Alembic."""
from studio_app.store.db import DatabaseURLError, normalize_url, open_engine, upgrade_database
from studio_app.store.eventlog import EventLog, LogHealth, LogStatus
from studio_app.store.export import export_events_csv, write_events_csv
from studio_app.store.metrics import enter_figures, fetch_figures, import_sales_csv, save_figures
from studio_app.store.queries import EventRecord, fetch_event_records, fetch_events, list_rooms, parse_since

__all__ = [
    "DatabaseURLError",
    "EventLog",
    "EventRecord",
    "LogHealth",
    "LogStatus",
    "enter_figures",
    "export_events_csv",
    "fetch_event_records",
    "fetch_events",
    "fetch_figures",
    "import_sales_csv",
    "list_rooms",
    "normalize_url",
    "open_engine",
    "parse_since",
    "save_figures",
    "upgrade_database",
    "write_events_csv",
]
