"""Room messages in the database (SQLite and PostgreSQL): saved and read back in time order,
the live recorder writes in batches and keeps what a database outage could not take."""
from __future__ import annotations

import time

from studio_app.room.messages import RoomMessage
from studio_app.store import open_engine, upgrade_database
from studio_app.store.room import RoomRecorder, count_room_messages, delete_room_messages, fetch_room_messages, \
    save_room_messages

T0 = 1_797_076_800.0


def test_saved_messages_come_back_in_time_order_with_their_fields(db_url) -> None:
    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        msgs = [RoomMessage(T0 + 2, "comment", {"user": "小雨", "text": "围巾有灰色吗😀"}, "m-1"),
                RoomMessage(T0, "stats", {"online": 10, "gmv": 12.5}),
                RoomMessage(T0 + 1, "product", {"sku": "SK-1", "sold": 3, "stock": 7})]
        assert save_room_messages(engine, "S1", msgs, room="一号间") == 3
        save_room_messages(engine, "S2", [RoomMessage(T0, "stats", {"online": 1})])
        back = fetch_room_messages(engine, "S1")
        assert [(m.ts, m.type, m.data, m.id) for m in back] == [
            (T0, "stats", {"online": 10, "gmv": 12.5}, None), (T0 + 1, "product", {"sku": "SK-1", "sold": 3, "stock": 7}, None),
            (T0 + 2, "comment", {"user": "小雨", "text": "围巾有灰色吗😀"}, "m-1")]
        assert count_room_messages(engine, "S1") == 3 and delete_room_messages(engine, "S2") == 1
    finally:
        engine.dispose()


def test_the_recorder_batches_and_keeps_messages_while_the_database_is_down(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    engine = open_engine(url)
    upgrade_database(engine)
    broken = open_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite3'}")  # no table there
    recorder = RoomRecorder(broken, "S1", interval=0.05)
    try:
        for i in range(20):
            recorder.record(RoomMessage(T0 + i, "stats", {"online": i}))
        deadline = time.monotonic() + 5
        while not recorder._pending and time.monotonic() < deadline:  # noqa: SLF001 - the kept batch
            time.sleep(0.02)
        assert len(recorder._pending) == 20 and recorder.written == 0  # noqa: SLF001
        recorder.engine = engine  # the database is back
        recorder.record(RoomMessage(T0 + 20, "stats", {"online": 20}))
        assert recorder.close(10)
        assert [m.data["online"] for m in fetch_room_messages(engine, "S1")] == list(range(21))
        assert recorder.written == 21 and recorder.failed == 0
    finally:
        engine.dispose()
        broken.dispose()
