"""Migrations on SQLite and PostgreSQL; database URLs that cannot work give one-line errors."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from studio_app.cli import main
from studio_app.store import DatabaseURLError, enter_figures, fetch_events, fetch_figures, normalize_url, open_engine, upgrade_database
from studio_app.store.db import _alembic_config, current_revision, head_revision


def test_fresh_database_reaches_head(db_url):
    engine = open_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(engine)
        assert current_revision(engine) == head_revision() == "0003_room_messages"
        tables = set(inspect(engine).get_table_names())
        assert {"events", "show_metrics", "room_messages", "alembic_version"} <= tables
        upgrade_database(engine)  # a second run is a no-op, not an error
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _migrate_to_first_revision(engine) -> None:  # noqa: ANN001 - an Engine
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_events")


def test_database_at_older_revision_upgrades_and_keeps_its_events(db_url):
    engine = open_engine(db_url)
    try:
        _migrate_to_first_revision(engine)
        assert current_revision(engine) == "0001_events"
        assert "show_metrics" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (uid, show_id, wall_time, mono_time, session, room, source, kind, severity, message)"
                    " VALUES ('u1', 'S1', 1000.0, 1.0, 'sess', 'A', 'camera', 'lost', 40, '摄像头断开')"
                )
            )
        upgrade_database(engine)
        assert current_revision(engine) == head_revision()
        [ev] = fetch_events(engine)
        assert (ev.kind, ev.message, ev.show_id) == ("lost", "摄像头断开", "S1")
        enter_figures(engine, "S1", gmv=100.0)  # the new table works
        assert [f.gmv for f in fetch_figures(engine)] == [100.0]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "not a database URL"),
        ("nosuchdb://user@host/db", "unsupported database type 'nosuchdb'"),
        ("postgresql+nosuchdriver://user@host/db", "unsupported database type"),
    ],
)
def test_unusable_urls_give_one_line_errors(url, expected):
    with pytest.raises(DatabaseURLError) as err:
        normalize_url(url)
    message = str(err.value)
    assert expected in message
    assert "\n" not in message


def test_url_error_never_shows_the_password():
    with pytest.raises(DatabaseURLError) as err:
        normalize_url("nosuchdb://studio:s3cret-pw@db.example/studio")
    assert "s3cret-pw" not in str(err.value)


def test_cli_rejects_a_bad_db_url_with_one_line(capsys):
    code = main(["--db", "nosuchdb://studio:s3cret-pw@h/db", "log"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.strip().count("\n") == 0 and "unsupported database type" in err
    assert "s3cret-pw" not in err + out


def test_a_read_only_command_reads_a_log_of_an_older_console(db_url, capsys):
    """``reading_engine`` brings an existing log of ours up to date (its one write), then reads."""
    engine = open_engine(db_url)
    try:
        _migrate_to_first_revision(engine)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO events (uid, show_id, wall_time, mono_time, session, room, source, kind,"
                              " severity, message) VALUES ('u1', 'S1', 1000.0, 1.0, 's', 'A', 'camera', 'lost', 40, 'x')"))
    finally:
        engine.dispose()
    assert main(["--db", db_url, "log", "--show", "S1"]) == 0
    assert "lost" in capsys.readouterr().out
    engine = open_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_log_of_a_newer_console_is_one_line(db_url, capsys):
    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    finally:
        engine.dispose()
    for argv in (["log"], ["sales", "add", "S1", "--gmv", "1"]):
        assert main(["--db", db_url, *argv]) == 2
        err = capsys.readouterr().err
        assert "0099_future" in err and err.count("\n") == 1 and "Traceback" not in err, err
