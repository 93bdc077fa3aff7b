"""Room data format: parsing, located errors, and the gate (duplicates, order, resets)."""
from __future__ import annotations

import json

import pytest

from studio_app.room import RoomGate, RoomMessageError, parse_message, parse_text
from studio_app.room.gate import RESET_CONFIRM, Refusal
from studio_app.room.ingest import RoomIngest

T0 = 1_797_077_100_000  # 2026-12-12T12:05:00Z in epoch ms


def stats(ms: int, **fields) -> dict:
    return {"ts": ms, "type": "stats", **fields}


def test_timestamps_iso_with_offset_and_epoch_ms_agree() -> None:
    a = parse_message({"ts": "2026-12-12T20:05:00+08:00", "type": "stats", "online": 5})
    b = parse_message({"ts": T0, "type": "stats", "online": 5})
    c = parse_message({"ts": "2026-12-12T12:05:00Z", "type": "stats", "online": 5})
    assert a.ts == b.ts == c.ts == T0 / 1000


@pytest.mark.parametrize(("obj", "fragment"), [
    ({"ts": "2026-12-12T20:05:00", "type": "stats"}, "has no offset"),
    ({"ts": 1797077100, "type": "stats"}, "looks like seconds"),
    ({"ts": True, "type": "stats"}, "ts: expected"),
    ({"type": "stats"}, "stats.ts: missing"),
    ({"ts": T0, "type": "stats", "online": "12"}, 'stats.online: expected a whole number >= 0, got "12"'),
    ({"ts": T0, "type": "stats", "online": -1}, "stats.online: -1 is negative"),
    ({"ts": T0, "type": "stats", "orders": 1.5}, "stats.orders: expected a whole number, got 1.5"),
    ({"ts": T0, "type": "stats", "likes": True}, "stats.likes: expected a whole number"),
    ({"ts": T0, "type": "comment", "user": "a"}, "comment.text: missing"),
    ({"ts": T0, "type": "comment", "text": 5}, "comment.text: expected text, got 5"),
    ({"ts": T0, "type": "product", "sold": 3}, "product: needs sku or name"),
    ({"ts": T0, "type": "danmaku"}, 'unknown type "danmaku"'),
    ({"ts": T0}, "type: missing"),
    ([1, 2], "expected a JSON object"),
])
def test_bad_messages_are_refused_with_a_located_one_line_reason(obj, fragment: str) -> None:
    with pytest.raises(RoomMessageError) as err:
        parse_message(obj)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_gmv_takes_amounts_counts_take_whole_numbers_and_unknown_fields_are_set_aside() -> None:
    m = parse_message({"ts": T0, "type": "stats", "gmv": 12.5, "orders": 3.0, "mood": "good", "online": None})
    assert m.data == {"gmv": 12.5, "orders": 3}
    assert m.ignored == ("mood",)


def test_ndjson_keeps_good_lines_around_a_malformed_one() -> None:
    text = "\n".join([json.dumps(stats(T0, online=1)), "{not json", "", json.dumps(stats(T0 + 1000, online=2)),
                      json.dumps({"ts": T0, "type": "gift", "count": "x"})])
    good, bad = parse_text(text)
    assert [m.data["online"] for m in good] == [1, 2]
    assert [(e.where, e.reason) for e in bad] == [("line 2", "malformed"), ("line 5", "wrong_type")]
    assert "malformed JSON at column 2" in bad[0].message


def test_an_array_and_a_single_object_are_bodies_too() -> None:
    good, bad = parse_text(json.dumps([stats(T0, online=1), {"ts": T0, "type": "nope"}]))
    assert len(good) == 1 and bad[0].where == "item 2" and bad[0].reason == "unknown_type"
    good, bad = parse_text(json.dumps(stats(T0, online=3)))
    assert good[0].data == {"online": 3} and not bad
    assert parse_text("   ")[1][0].reason == "malformed"


def test_duplicates_by_id_and_by_content() -> None:
    gate = RoomGate()
    c1 = parse_message({"ts": T0, "type": "comment", "user": "a", "text": "hi", "id": "m1"})
    c1_again = parse_message({"ts": T0 + 500, "type": "comment", "user": "a", "text": "hi again", "id": "m1"})
    c2 = parse_message({"ts": T0, "type": "comment", "user": "b", "text": "hi"})
    assert not isinstance(gate.admit(c1), Refusal)
    assert gate.admit(c1_again).reason == "duplicate"
    assert not isinstance(gate.admit(c2), Refusal)
    assert gate.admit(parse_message({"ts": T0, "type": "comment", "user": "b", "text": "hi"})).reason == "duplicate"
    assert gate.counts() == {"accepted": 2, "duplicate": 2}


def test_stats_must_move_forward_comments_may_be_a_little_late() -> None:
    gate = RoomGate()
    assert not isinstance(gate.admit(parse_message(stats(T0 + 10_000, online=5))), Refusal)
    late = gate.admit(parse_message(stats(T0 + 9_000, online=6)))
    assert late.reason == "out_of_order" and "1.000 s before the previous stats" in late.message
    assert not isinstance(gate.admit(parse_message({"ts": T0 + 7_000, "type": "comment", "text": "a"})), Refusal)
    too_late = gate.admit(parse_message({"ts": T0, "type": "comment", "text": "b"}))
    assert too_late.reason == "out_of_order" and "10.0 s behind the room" in too_late.message


def test_a_counter_going_back_is_refused_until_confirmed_then_totals_carry_on() -> None:
    gate = RoomGate()
    gate.admit(parse_message(stats(T0, likes=5000, gmv=1000.0)))
    answers = [gate.admit(parse_message(stats(T0 + 1000 * (i + 1), likes=10 + i, gmv=5.0 + i)))
               for i in range(RESET_CONFIRM)]
    assert all(isinstance(a, Refusal) and a.reason == "counter_reset" for a in answers[:-1])
    assert "stats.likes went down from 5000 to 10" in answers[0].message
    confirmed = answers[-1]
    assert confirmed.data == {"likes": 5000 + 10 + RESET_CONFIRM - 1, "gmv": 1000.0 + 5.0 + RESET_CONFIRM - 1}
    after = gate.admit(parse_message(stats(T0 + 9000, likes=100, gmv=50.0)))
    assert after.data == {"likes": 5100, "gmv": 1050.0}
    assert gate.resets == 1


def test_a_single_glitch_going_back_does_not_reset() -> None:
    gate = RoomGate()
    gate.admit(parse_message(stats(T0, likes=5000)))
    assert gate.admit(parse_message(stats(T0 + 1000, likes=10))).reason == "counter_reset"
    ok = gate.admit(parse_message(stats(T0 + 2000, likes=5010)))
    assert ok.data == {"likes": 5010} and gate.resets == 0


def test_products_are_checked_per_product() -> None:
    gate = RoomGate()
    p = lambda ms, sku, sold: parse_message({"ts": ms, "type": "product", "sku": sku, "sold": sold})  # noqa: E731
    assert not isinstance(gate.admit(p(T0 + 2000, "A", 10)), Refusal)
    assert not isinstance(gate.admit(p(T0 + 1000, "B", 3)), Refusal)  # another product's own clock
    assert gate.admit(p(T0 + 3000, "A", 9)).reason == "counter_reset"


class _Log:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def log(self, source, kind, message, severity, payload, show_id=None) -> None:  # noqa: ANN001
        self.events.append((source, kind, message, payload, show_id))


def test_ingest_counts_and_logs_refusals_without_flooding_and_hands_on_the_accepted() -> None:
    log = _Log()
    got = []
    ingest = RoomIngest("show-1", log=log, on_accept=[got.append])
    body = "\n".join(["{bad"] * 1500 + [json.dumps(stats(T0, online=4))])
    result = ingest.submit_text(body, via="http 127.0.0.1")
    assert result.accepted == 1 and len(result.refused) == 1500
    assert [m.data for m in got] == [{"online": 4}]
    assert ingest.counts() == {"accepted": 1, "malformed": 1500}
    assert [e[1] for e in log.events] == ["room.rejected", "room.rejected"]  # the first, then the 1000th
    assert log.events[0][0] == "room" and log.events[0][4] == "show-1"
    assert "from http 127.0.0.1 (malformed, 1 so far): line 1: malformed JSON" in log.events[0][2]


def test_a_second_flood_after_a_quiet_spell_is_logged_again(monkeypatch) -> None:
    """Found by the soak: only the first refusal ever (and every 1000th) was logged, so a flood
    an hour into the show was counted but never said. Now each episode's first one is."""
    import types

    import studio_app.room.ingest as ingest_mod

    now = [100.0]
    monkeypatch.setattr(ingest_mod, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    log = _Log()
    ingest = RoomIngest("show-1", log=log)
    ingest.submit_text("\n".join(["{bad"] * 5), via="http 127.0.0.1")  # one flood: one line
    now[0] += ingest_mod.QUIET_S - 1
    ingest.submit_text("{bad", via="http 127.0.0.1")  # still the same episode
    assert len(log.events) == 1
    now[0] += ingest_mod.QUIET_S
    ingest.submit_text("{bad\n{bad", via="http 127.0.0.1")  # a new flood after a quiet spell
    assert [e[3]["count"] for e in log.events] == [1, 7]
    assert ingest.counts() == {"accepted": 0, "malformed": 8}
