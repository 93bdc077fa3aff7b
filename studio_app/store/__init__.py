"""The event log on SQLAlchemy: the only package that imports SQLAlchemy or Alembic."""
from studio_app.store.db import (DatabaseURLError, NoEventLog, normalize_url, open_engine, reading_engine,
                                upgrade_database, writing_engine)
from studio_app.store.eventlog import EventLog, LogHealth, LogStatus
from studio_app.store.queries import EventRecord, fetch_event_records, fetch_events, list_rooms, parse_since

# Sales figures and CSV export load on first use: the desk's start-up and every process
# that only logs need not import them.
_LAZY = {
    "export_events_csv": "studio_app.store.export",
    "write_events_csv": "studio_app.store.export",
    "enter_figures": "studio_app.store.metrics",
    "fetch_figures": "studio_app.store.metrics",
    "import_sales_csv": "studio_app.store.metrics",
    "save_figures": "studio_app.store.metrics",
}


def __getattr__(name: str):  # noqa: ANN202 - PEP 562 lazy attributes
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'studio_app.store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DatabaseURLError",
    "EventLog",
    "EventRecord",
    "LogHealth",
    "LogStatus",
    "NoEventLog",
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
    "reading_engine",
    "save_figures",
    "upgrade_database",
    "write_events_csv",
    "writing_engine",
]
