"""Engines and migrations.

Any SQLAlchemy URL works; SQLite files get WAL mode and a busy timeout so that a reader
(the ``log`` command, a report) never blocks the console's writer.
"""
from __future__ import annotations

import contextlib
import errno
import functools
import importlib.util
import json
import re
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from studio_app.core.files import FileRefused, open_regular
from studio_app.store.direct import MIGRATIONS_DIR, SQLITE_MAGIC, DatabaseURLError, NoEventLog  # noqa: F401
from studio_app.store.direct import quick_head as _quick_head

_DB_SUFFIXES = (".sqlite", ".sqlite3", ".db", ".db3", ".s3db", ".sl3")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def _masked(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages about unparsable URLs)."""
    return _URL_PASSWORD.sub(r"\1***@", url)


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def normalize_url(url: str | URL) -> URL:
    """Parse and check a database URL without connecting.

    A plain ``postgresql://`` URL is pointed at psycopg 3 when psycopg2 is not installed,
    because psycopg 3 is the driver the console ships with.
    """
    try:
        parsed = make_url(url) if isinstance(url, str) else url
        port = parsed.port  # a malformed host such as "[::1:1" only fails here
    except (ArgumentError, ValueError):
        raise DatabaseURLError(
            f"not a database URL: {_masked(str(url))!r} (expected e.g. sqlite:///path/log.sqlite3)") from None
    if port is not None and not 1 <= port <= 65535:
        raise DatabaseURLError(f"port {port} is outside 1..65535 in {parsed.render_as_string(hide_password=True)}")
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


def _check_driver(parsed: URL) -> None:
    """The DB-API module of ``parsed`` imports (``mysql://`` without MySQLdb does not)."""
    try:
        parsed.get_dialect().import_dbapi()
    except ImportError as exc:
        raise DatabaseURLError(
            f"the driver for {parsed.drivername!r} is not installed ({exc.name or exc})") from None


def _sqlite_file(parsed: URL) -> Path | None:
    """The file of a file-backed SQLite URL, else None (memory, ``file:`` URIs)."""
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _check_sqlite_file(path: Path, *, must_exist: bool) -> None:
    """Refuse what SQLite would trip over with a traceback or, worse, silently take over:
    a folder, a FIFO or device (it would hang), a file that is not a database (an empty
    ``show.toml`` would become one)."""
    try:
        with open_regular(path) as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileRefused as exc:
        if exc.errno == errno.ENOENT:
            if must_exist:
                raise NoEventLog(f"no event log at {path} (nothing has been logged there yet)") from None
            return
        raise DatabaseURLError(str(exc)) from None
    if head == SQLITE_MAGIC:
        return
    if not head and not must_exist and path.suffix.lower() in _DB_SUFFIXES:
        return  # an empty file named like a database: SQLite starts a fresh one in it
    raise DatabaseURLError(f"{path}: not an SQLite database" + (" (the file is empty)" if not head else ""))


def open_engine(url: str | URL) -> Engine:
    """Create an engine for ``url`` (checked with :func:`normalize_url`), creating a
    SQLite file's folder. Does not connect. Raises :class:`DatabaseURLError`."""
    parsed = normalize_url(url)
    _check_driver(parsed)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseURLError(f"cannot create the folder {path.parent}: {exc.strerror or exc}") from None
            _check_sqlite_file(path, must_exist=False)
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


def _read_only_engine(parsed: URL) -> Engine:
    """An engine that cannot write and never creates anything: SQLite opens the existing
    file with ``mode=ro``; PostgreSQL sessions are ``default_transaction_read_only``."""
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if path is None:
            raise NoEventLog(f"no event log in {parsed.render_as_string(hide_password=True)} (an in-memory "
                             "database is always empty; point --db at the console's log)")
        _check_sqlite_file(path, must_exist=True)
        uri = path.resolve().as_uri() + "?mode=ro"

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=5000")
            return conn

        return create_engine("sqlite://", creator=connect, json_serializer=_json_dumps)
    engine = open_engine(parsed)
    if parsed.get_backend_name() == "postgresql":

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_conn, _record):  # noqa: ANN001 - DB-API types
            cur = dbapi_conn.cursor()
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cur.close()
            dbapi_conn.commit()

    return engine


def _one_line(exc: SQLAlchemyError, parsed: URL) -> str:
    """A driver error as one line: the driver's first line, never the SQL or a password."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return f"{parsed.render_as_string(hide_password=True)}: {first}"


@contextlib.contextmanager
def _database_errors(parsed: URL) -> Iterator[None]:
    """Database and migration errors inside the block as one-line :class:`DatabaseURLError`."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise DatabaseURLError(_one_line(exc, parsed)) from None
    except Exception as exc:
        from alembic.util import CommandError as MigrationError

        if isinstance(exc, MigrationError):  # e.g. a schema revision this console does not know
            raise DatabaseURLError(f"{parsed.render_as_string(hide_password=True)}: {exc}") from None
        raise


@contextlib.contextmanager
def reading_engine(url: str | URL) -> Iterator[Engine]:
    """An engine on the existing event log at ``url``, for read-only commands (``log``,
    ``report``, ``export-events``, ``incidents``, ``sales score``).

    Creates nothing: no folder, no file, no tables. A place without a log raises
    :class:`NoEventLog`; a log written by an older console is brought up to date first
    (a migration is the one write it makes, and only to a log that is already ours).
    Any database error inside the block is re-raised as a one-line
    :class:`DatabaseURLError`. The engine is disposed of at the end.
    """
    parsed = normalize_url(url)
    _check_driver(parsed)
    engine = _read_only_engine(parsed)
    try:
        with _database_errors(parsed):
            revision = current_revision(engine)
            if revision is None:
                raise NoEventLog(f"no event log in {parsed.render_as_string(hide_password=True)} "
                                 "(the database has no console tables)")
            if revision != head_revision():
                if not _known_revision(revision):
                    raise DatabaseURLError(f"the event log in {parsed.render_as_string(hide_password=True)} was "
                                           f"written by a newer console (schema {revision}); update this one")
                with writing_engine(parsed):
                    pass
            yield engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def writing_engine(url: str | URL) -> Iterator[Engine]:
    """An engine on the event log at ``url`` with its schema up to date, for commands
    that write (``sales add``, ``sales import``): a SQLite file and its folder are created
    when missing. Database errors become one-line :class:`DatabaseURLError`; the engine
    is disposed of at the end."""
    parsed = normalize_url(url)
    engine = open_engine(parsed)
    try:
        with _database_errors(parsed):
            upgrade_database(engine)
            yield engine
    finally:
        engine.dispose()


# Alembic is imported where it is used: it costs ~0.3 s at start-up and only migrations need it.
def _alembic_config():  # noqa: ANN202 - alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


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


def _at_quick_head(engine: Engine) -> bool:
    """The database says it is at :func:`_quick_head` (one row in ``alembic_version``)."""
    head = _quick_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
    except SQLAlchemyError:  # no version table yet (a new log), or the database is down: Alembic says which
        return False
    return [tuple(r) for r in rows] == [(head,)]


def upgrade_database(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it in an empty database).

    Safe to call from several threads and, on PostgreSQL, from several consoles at once.
    """
    if _at_quick_head(engine):  # the common case, decided without importing Alembic
        return
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
