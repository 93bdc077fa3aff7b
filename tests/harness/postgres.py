"""A real PostgreSQL server for the tests, started on loopback by the fixtures.

- ``postgres_server`` (session): ``initdb`` into a private folder, ``pg_ctl start`` on a free
  port bound to 127.0.0.1 only (plus a Unix socket in the same folder), trust auth for the
  role ``studio``; stopped and deleted at the end of the session.
- ``pg_url`` (function): a fresh, empty database on that server for each test.
- ``db_url`` (function, parametrized ``sqlite`` / ``postgresql``): run a test against both
  backends. The PostgreSQL case is marked ``postgres``.
- ``pg_outage`` (function): stop and start the server in the middle of a test (the central
  database going away); the server is always running again when the test ends.

PostgreSQL refuses to run as root, so as root every server command runs as the
``postgres`` system user (``runuser``) and the data folder is owned by it. If the binaries
or that user are missing the test is skipped locally and fails under ``CI=true``.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.harness import free_port, unavailable

PART = "PostgreSQL"
ROLE = "studio"


def find_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding initdb, or one on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for c in candidates:
        if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    return None


class PostgresServer:
    """One throw-away cluster. ``url(db)`` is a ``postgresql://`` URL on 127.0.0.1."""

    def __init__(self, bin_dir: Path, base: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.base = base
        self.data = base / "data"
        self.port = port
        self.running = False

    # Commands run as the postgres user when we are root (initdb/pg_ctl refuse root).
    def _cmd(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def _run(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        return subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)

    def init(self) -> None:
        r = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", ROLE, "-E", "UTF8",
                      "--no-locale", "--no-sync")
        if r.returncode != 0:
            raise RuntimeError(f"initdb failed: {(r.stderr or r.stdout).strip()[-500:]}")

    def start(self) -> None:
        opts = (
            f"-k {self.base} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        r = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.base / "server.log"),
                      "-w", "-t", "60", "start")
        if r.returncode != 0:
            log = (self.base / "server.log").read_text(errors="replace")[-800:] if (self.base / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {(r.stderr or r.stdout).strip()[-300:]} {log}")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``immediate`` is the closest to a pulled cable / crashed host."""
        r = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False
        if r.returncode != 0 and "is the server running" not in (r.stderr + r.stdout):
            raise RuntimeError(f"pg_ctl stop failed: {(r.stderr or r.stdout).strip()[-300:]}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _admin(self):  # noqa: ANN202 - psycopg connection
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=ROLE, dbname="postgres", autocommit=True,
                               connect_timeout=10)

    def create_database(self, name: str | None = None) -> str:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def destroy(self) -> None:
        if self.running:
            try:
                self.stop("immediate")
            except Exception:  # noqa: BLE001 - best effort at session end
                pass
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Start a cluster or raise RuntimeError saying why not (used by benchmarks too)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError("psycopg is not installed (pip install 'psycopg[binary]')") from None
    # Not under pytest's tmp folder: that is private to root and postgres could not enter it.
    base = Path(tempfile.mkdtemp(prefix="studio-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(base, "postgres", "postgres")
        except (LookupError, OSError) as exc:
            shutil.rmtree(base, ignore_errors=True)
            raise RuntimeError(f"cannot hand the data folder to the postgres user: {exc}") from None
    server = PostgresServer(bin_dir, base, free_port())
    try:
        server.init()
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.destroy()
        raise RuntimeError(str(exc)) from None
    return server


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = start_postgres()
    except RuntimeError as exc:
        unavailable(PART, str(exc))
    yield server
    server.destroy()


@pytest.fixture
def pg_url(postgres_server: PostgresServer):
    """A fresh empty database on the test server, as a ``postgresql://`` URL."""
    if not postgres_server.running:  # a previous test's outage must not leak
        postgres_server.start()
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    try:
        if not postgres_server.running:
            postgres_server.start()
        postgres_server.drop_database(name)
    except Exception:  # noqa: BLE001 - cleanup only; the cluster is deleted at session end
        pass


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.sqlite3'}"
    return request.getfixturevalue("pg_url")


class PostgresOutage:
    """Take the central database away and bring it back, mid-test."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server

    def down(self, mode: str = "immediate") -> None:
        self.server.stop(mode)

    def up(self) -> None:
        self.server.start()


@pytest.fixture
def pg_outage(postgres_server: PostgresServer):
    outage = PostgresOutage(postgres_server)
    yield outage
    if not postgres_server.running:
        postgres_server.start()
