"""Engines and migrations.

Any SQLAlchemy URL works; SQLite files get WAL mode and a busy timeout so that a reader
(the ``log`` command, a report) never blocks the console's writer.
"""
from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message is one line, fit for the user."""


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def normalize_url(url: str | URL) -> URL:
    """Parse and check a database URL without connecting.

    A plain ``postgresql://`` URL is pointed at psycopg 3 when psycopg2 is not installed,
    because psycopg 3 is the driver the console ships with.
    """
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        raise DatabaseURLError(f"not a database URL: {str(url)!r} (expected e.g. sqlite:///path/log.sqlite3)") from None
    if parsed.drivername == "postgresql" and importlib.util.find_spec("psycopg2") is None:
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise DatabaseURLError(
            f"unsupported database type {parsed.drivername!r} in URL {parsed.render_as_string(hide_password=True)}"
        ) from None
    except ImportError as exc:
        raise DatabaseURLError(
            f"the driver for {parsed.drivername!r} is not installed ({exc.name or exc})"
        ) from None
    return parsed


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def open_engine(url: str | URL) -> Engine:
    """Create an engine for ``url`` (checked with :func:`normalize_url`). Does not connect."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            json_serializer=_json_dumps,
            connect_args={"timeout": 5.0, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DB-API types
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    connect_args: dict = {}
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        # A central server that vanishes (cable, VPN, host down) must make the writer fail in
        # seconds, not after the TCP stack gives up minutes later: the log then keeps events
        # locally and retries. A value in the URL's query wins over these.
        defaults = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                    "keepalives_count": 3, "tcp_user_timeout": 10_000}
        try:
            import psycopg

            if psycopg.pq.version() < 120000:  # libpq < 12 rejects the option outright
                defaults.pop("tcp_user_timeout")
        except Exception:  # noqa: BLE001 - no psycopg: create_engine reports it
            defaults.pop("tcp_user_timeout")
        connect_args = {k: v for k, v in defaults.items() if k not in parsed.query}
    return create_engine(parsed, json_serializer=_json_dumps, pool_pre_ping=True, connect_args=connect_args)


# Alembic is imported where it is used: it costs ~0.3 s at start-up and only migrations need it.
def _alembic_config():  # noqa: ANN202 - alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# Alembic's ``context``/``op`` are module-level proxies: two threads migrating at once
# (two logs starting together) corrupt each other. One migration at a time per process.
_MIGRATION_LOCK = threading.Lock()
# Any constant: every console of the company takes this PostgreSQL advisory lock while it
# migrates, so consoles starting together on a fresh central database do not race.
_PG_MIGRATION_LOCK_KEY = 0x5354_5544_494F


def upgrade_database(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database).

    Safe to call from several threads and, on PostgreSQL, from several consoles at once.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    cfg = _alembic_config()
    head = head_revision()
    with _MIGRATION_LOCK, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK_KEY})
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
