"""A live room's memory stays flat over a long show (issue 20): the gate remembers a window of
recent messages, not the show, and the live rules keep no list of past alert episodes."""
from __future__ import annotations

import gc
import tracemalloc
import weakref

import pytest

from studio_app.room.gate import Refusal, RoomGate
from studio_app.room.ingest import RoomIngest
from studio_app.room.live import RoomLive
from studio_app.room.messages import RoomMessage
from studio_app.room.rules import load_rules

T0 = 1_797_076_800.0  # 2026-12-12T20:00:00+08:00


def _busy_room(seconds: int, per_second: int = 25):
    """Comments from many users, ``per_second`` a second, each with the platform's id."""
    n = 0
    for s in range(seconds):
        for k in range(per_second):
            n += 1
            yield RoomMessage(T0 + s + k / per_second, "comment", {"user": f"u{n % 997}", "text": "上链接"}, id=f"m{n}")


def _held_by(make, feed) -> tuple[object, float]:
    """(the object ``make`` built, MB of memory it still holds after ``feed(it)``)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        thing = make()
        feed(thing)
        gc.collect()
        return thing, (tracemalloc.get_traced_memory()[0] - before) / 2**20
    finally:
        tracemalloc.stop()


def test_the_live_gate_remembers_recent_minutes_not_the_show():
    # 80 minutes of a room at 25 messages a second: 120,000 messages, all accepted
    def feed(gate: RoomGate) -> None:
        for msg in _busy_room(80 * 60):
            assert not isinstance(gate.admit(msg), Refusal)

    gate, mb = _held_by(RoomGate, feed)
    assert gate.accepted == 120_000
    assert mb < 3.0, f"the gate holds {mb:.1f} MB after 120,000 messages"  # ten minutes: 15,000
    # A bridge's resend (the batch it had in flight) is still a duplicate ...
    last = RoomMessage(T0 + 80 * 60 - 1, "comment", {"user": "x", "text": "again"}, id="m119990")
    assert gate.admit(last).reason == "duplicate"
    # ... and one of an hour ago is refused all the same, as out of order.
    old = RoomMessage(T0 + 60, "comment", {"user": "x", "text": "old"}, id="m1500")
    assert gate.admit(old).reason == "out_of_order"


def test_a_file_import_still_knows_the_whole_stored_show():
    stored = list(_busy_room(30 * 60, per_second=5))  # 9,000 messages over 30 minutes
    ingest = RoomIngest("show-1", dedup_span_s=None)
    assert ingest.prime(stored) == 9_000
    again = ingest.submit(stored)
    assert again.accepted == 0 and {e.reason for e in again.refused} == {"duplicate"}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_a_live_room_lets_go_of_alert_episodes_once_they_are_over(rules):
    now = [T0]
    live = RoomLive(rules, clock=lambda: now[0])
    changes: list[tuple[str, weakref.ref]] = []
    live.listen(lambda c: changes.append((c.state, weakref.ref(c.alert))))
    for i in range(200):  # the comments stop for 75 s, then come back: one comments_silent episode each
        t = T0 + i * 100.0
        live.accept(RoomMessage(t, "comment", {"user": "a", "text": "来了"}))
        now[0] = t + 75.0
        live.tick()
    live.accept(RoomMessage(T0 + 200 * 100.0, "comment", {"user": "a", "text": "来了"}))
    assert [s for s, _ in changes].count("raised") == 200 and [s for s, _ in changes].count("cleared") == 200
    assert live.active == []
    gc.collect()
    assert sum(ref() is not None for _, ref in changes) == 0, "past episodes are still held"
