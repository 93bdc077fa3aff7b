"""Migrations on SQLite and PostgreSQL; database URLs that cannot work give one-line errors."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from studio_app.cli import main
from studio_app.store import DatabaseURLError, enter_figures, fetch_events, fetch_figures, normalize_url, open_engine, upgrade_database
from studio_app.store.db import current_revision, head_revision
from tests.harness.migrations import migrate_to


def test_fresh_database_reaches_head(db_url):
    engine = open_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(engine)
        assert current_revision(engine) == head_revision() == "0004_room_comment_columns"
        tables = set(inspect(engine).get_table_names())
        assert {"events", "show_metrics", "room_messages", "alembic_version"} <= tables
        upgrade_database(engine)  # a second run is a no-op, not an error
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _migrate_to_first_revision(engine) -> None:  # noqa: ANN001 - an Engine
    migrate_to(engine, "0001_events")


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



def test_head_is_known_without_alembic_and_a_log_at_head_is_left_alone(db_url):
    """The start-up shortcut reads the same head as Alembic, and a stamp it does not know
    (a newer console's) is still Alembic's to judge."""
    from studio_app.store.db import _at_quick_head, _quick_head

    assert _quick_head() == head_revision()
    engine = open_engine(db_url)
    try:
        assert not _at_quick_head(engine)  # no version table yet
        upgrade_database(engine)
        assert _at_quick_head(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
        assert not _at_quick_head(engine)
        with pytest.raises(Exception, match="0099_from_the_future"):
            upgrade_database(engine)
    finally:
        engine.dispose()


def test_room_messages_stored_before_the_comment_columns_read_back_the_same(db_url):
    """A show stored at 0003 (user and text only in the JSON) is filled in by the upgrade; rows
    an older console writes afterwards (no columns) are read whole: the rules see the same."""
    from studio_app.room.messages import RoomColumns, RoomMessage
    from studio_app.store.room import fetch_room_columns, fetch_room_messages, save_room_messages

    t0 = 1_797_076_800.0
    old = [RoomMessage(t0, "stats", {"online": 10}),
           RoomMessage(t0 + 1, "comment", {"user": "小雨", "text": "围巾有\"灰色\"吗😀\\n"}, "m-1"),
           RoomMessage(t0 + 1, "comment", {"text": "没有用户名的评论"}),
           RoomMessage(t0 + 2, "comment", {"user": "u\x00", "text": "加V\x00看主页"}),
           RoomMessage(t0 + 3, "comment", {"user": "u2", "text": "\\u0000 不是空字符"})]
    engine = open_engine(db_url)
    try:
        migrate_to(engine, "0003_room_messages")
        with engine.begin() as conn:  # as the 0003 console wrote them
            for m in old:
                data = json.dumps(m.data, ensure_ascii=False, separators=(",", ":"))
                conn.execute(text("INSERT INTO room_messages (show_id, ts, type, msg_id, data) "
                                  "VALUES ('S1', :ts, :type, :id, :data)"),
                             {"ts": m.ts, "type": m.type, "id": m.id, "data": data})
        upgrade_database(engine)
        assert current_revision(engine) == head_revision()
        with engine.begin() as conn:  # an older console on the shared database, after the upgrade
            conn.execute(text("INSERT INTO room_messages (show_id, ts, type, data) "
                              "VALUES ('S1', :ts, 'comment', '{\"user\":\"u3\",\"text\":\"还有吗\"}')"),
                         {"ts": t0 + 4})
        new = [RoomMessage(t0 + 5, "comment", {"user": "u4", "text": "好的"})]
        save_room_messages(engine, "S1", new)
        cols = fetch_room_columns(engine, "S1")
        whole = RoomColumns.of(fetch_room_messages(engine, "S1"))
        assert list(cols.ts) == whole.ts == [t0, t0 + 1, t0 + 1, t0 + 2, t0 + 3, t0 + 4, t0 + 5]
        assert list(cols.users) == [None, "小雨", "", None, None, None, "u4"]
        assert [t for t in cols.texts if t is not None] == ["围巾有\"灰色\"吗😀\\n", "没有用户名的评论", "好的"]
        assert [m.data for m in cols.others] == [old[0].data, old[3].data, old[4].data, {"user": "u3", "text": "还有吗"}]
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
