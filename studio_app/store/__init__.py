"""The event log on SQLAlchemy: the only package that imports SQLAlchemy or Alembic.

Every name loads on first use: a command that reads a SQLite log directly
(:mod:`studio_app.store.direct`, ``room alerts``) never imports SQLAlchemy (~0.3 s)."""
_LAZY = {
    **dict.fromkeys(("DatabaseURLError", "NoEventLog", "normalize_url", "open_engine", "reading_engine",
                     "upgrade_database", "writing_engine"), "studio_app.store.db"),
    **dict.fromkeys(("EventLog", "LogHealth", "LogStatus"), "studio_app.store.eventlog"),
    **dict.fromkeys(("EventRecord", "fetch_event_records", "fetch_events", "list_rooms", "parse_since"),
                    "studio_app.store.queries"),
    **dict.fromkeys(("export_events_csv", "write_events_csv"), "studio_app.store.export"),
    **dict.fromkeys(("enter_figures", "fetch_figures", "import_sales_csv", "save_figures"), "studio_app.store.metrics"),
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
