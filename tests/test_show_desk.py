"""The one action dispatcher: cues, product cards, stock, coupons, anchor messages and the
compliance gate all go through ShowDesk.dispatch and leave log events; a crashed desk
is rebuilt from the event log (here the real EventLog on SQLite)."""
from __future__ import annotations

import pytest

from studio_app.core.events import MemorySink
from studio_app.core.paths import sample_show_path
from studio_app.show.cards import TRANSITIONS, CardBoard, CardError, CardState
from studio_app.show.clock import ManualClock
from studio_app.show.desk import ACTIONS, ShowDesk
from studio_app.show.rundown import load_rundown, loads_rundown

SAMPLE_TEXT = sample_show_path().read_text(encoding="utf-8")


@pytest.fixture
def show():
    return load_rundown(sample_show_path())


@pytest.fixture
def clock():
    return ManualClock(mono=100.0, wall=1_800_000_000.0)


@pytest.fixture
def desk(show, clock):
    return ShowDesk(show, clock, MemorySink())


def test_go_returns_scene_and_overlay_texts_and_logs_planned_vs_actual(desk, clock):
    r = desk.dispatch("go")
    assert r.ok and r.data["scene"] == "Opening"
    assert r.data["overlays"] == {"Title": "暖冬好物专场 · 开场暖场"}
    clock.advance(320)
    r = desk.dispatch("next")
    assert r.ok and desk.engine.segment.id == "scarf"
    p = r.events[0].payload
    assert p["from"]["planned_duration"] == 300 and p["from"]["actual_duration"] == 320
    assert p["to"]["planned_start"] == 300 and p["to"]["actual_start"] == 320
    assert desk.sink.kinds("cue") == ["cue.start", "cue.go"]


def test_refused_actions_never_raise_and_are_logged(desk):
    for action, params in [("bogus", {}), ("add_time", {}), ("add_time", {"seconds": "abc"}), ("hold", {}),
                           ("jump", {"segment": "nope"}), ("card_push", {"sku": "nope"}), ("coupon_confirm", {}),
                           ("stock_adjust", {"sku": "SK-2001", "delta": 1, "colour": "red"}),
                           ("override_compliance", {"reason": "  "})]:
        r = desk.dispatch(action, **params)
        assert not r.ok and r.message, action
        assert "\n" not in r.message
    assert desk.sink.kinds("desk") == ["desk.refused"] * 9


def test_every_action_has_help():
    assert {"go", "back", "jump", "hold", "add_time", "card_push", "stock_adjust", "coupon_drop_now", "coupon_delay",
            "coupon_cancel", "coupon_confirm", "override_compliance"} <= set(ACTIONS)
    assert all(spec.help for spec in ACTIONS.values())


def test_card_state_machine_legal_and_illegal_transitions(show, clock):
    board = CardBoard(show)
    now = clock.now()
    with pytest.raises(CardError):
        board.set_state("SK-2001", CardState.SOLD_OUT, now)  # queued cannot sell out
    board.set_state("SK-2001", CardState.ON_SHELF, now)
    board.set_state("SK-2001", CardState.SOLD_OUT, now)
    with pytest.raises(CardError):
        board.set_state("SK-2001", CardState.EXPLAINING, now)
    for src, targets in TRANSITIONS.items():
        assert src not in targets


def test_push_card_gives_cue_screen_and_overlay_values_and_one_card_explains(desk, clock):
    desk.dispatch("go")
    desk.dispatch("next")  # scarf segment with a product overlay template
    r = desk.dispatch("card_push", sku="SK-2001")
    assert r.ok
    push = r.data["push"]
    assert push["card"]["state"] == "explaining" and push["card"]["live_price"] == 259
    assert push["overlay_texts"] == {"Title": "云朵羊绒围巾 直播价 ¥259"}
    assert push["selling_points"][0].startswith("100%羊绒")
    r = desk.dispatch("push_card", sku="SK-2002")
    assert [e.kind for e in r.events] == ["card.on_shelf", "card.explaining", "card.push"]
    assert desk.cards.card("SK-2001").state == CardState.ON_SHELF
    assert desk.cards.explaining.sku == "SK-2002"
    assert desk.dispatch("card_stop").ok and desk.cards.explaining is None


def test_stock_adjust_safety_warning_sold_out_and_freeze(desk):
    desk.dispatch("card_shelve", sku="SK-2001")
    r = desk.dispatch("stock_adjust", sku="SK-2001", delta=-730, reason="直播间已售")
    assert [e.kind for e in r.events] == ["stock.adjust", "stock.low"]
    assert r.events[0].payload == {**r.events[0].payload, "from": 800, "to": 70, "delta": -730, "reason": "直播间已售"}
    r = desk.dispatch("stock_adjust", sku="SK-2001", delta=-5)
    assert [e.kind for e in r.events] == ["stock.adjust"]  # warned once
    r = desk.dispatch("stock_set", sku="SK-2001", value=0)
    assert [e.kind for e in r.events] == ["stock.adjust", "card.sold_out"]
    assert not desk.dispatch("stock_adjust", sku="SK-2001", delta=-1).ok  # never below 0
    # SK-2003 is frozen core stock in the sample
    r = desk.dispatch("stock_adjust", sku="SK-2003", delta=-10)
    assert not r.ok and "frozen" in r.message
    assert desk.dispatch("stock_adjust", sku="SK-2003", delta=-10, force=True).ok
    assert desk.dispatch("stock_freeze", sku="SK-2003", frozen=False, reason="主管确认").ok
    assert desk.dispatch("stock_adjust", sku="SK-2003", delta=5).ok
    assert desk.cards.card("SK-2003").stock == 295


def test_going_live_with_open_findings_needs_an_override(clock):
    text = SAMPLE_TEXT.replace("不起球、不掉毛", "全网最低价")
    desk = ShowDesk(loads_rundown(text, "s.toml"), clock, MemorySink())
    r = desk.dispatch("go")
    assert not r.ok and "1 compliance findings open (全网最低价)" in r.message
    r = desk.dispatch("override_compliance", reason="法务已审：价格有比价截图")
    assert r.ok and r.events[0].kind == "compliance.override"
    assert r.events[0].payload["findings"][0]["term"] == "全网最低价"
    assert desk.dispatch("go").ok


def test_add_time_hold_and_view_for_the_ui(desk, clock):
    desk.dispatch("go")
    clock.advance(100)
    assert desk.dispatch("add_time", seconds=60).ok
    assert desk.dispatch("toggle_hold").ok
    clock.advance(30)
    v = desk.view()
    assert v["timer"]["playback"] == "hold" and v["timer"]["elapsed"] == 100 and v["timer"]["remaining"] == 260
    assert v["timer"]["over_under"] == 90
    assert v["segment"]["notes"]
    assert {c["sku"] for c in v["cards"]} == {p.sku for p in desk.show.products}
    assert any("后发券" in c["desk_text"] for c in v["countdowns"])


def test_resume_from_the_real_event_log(show, tmp_path):
    from studio_app.store import EventLog, fetch_events, open_engine, upgrade_database

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    engine = open_engine(url)
    upgrade_database(engine)
    engine.dispose()
    log = EventLog(url)
    log.start()
    clock = ManualClock(mono=100.0, wall=1_800_000_000.0)
    desk = ShowDesk(show, clock, log)
    desk.dispatch("go")
    clock.advance(310)
    desk.dispatch("go")
    desk.dispatch("card_push", sku="SK-2001")
    desk.dispatch("stock_adjust", sku="SK-2001", delta=-100, reason="售出")
    clock.advance(200)
    log.close()
    engine = open_engine(url)
    stored = fetch_events(engine, show_id=show.id)
    engine.dispose()
    assert [e.kind for e in stored][:2] == ["cue.start", "cue.go"]
    # the console comes back 45 s after the last event, on a new monotonic clock
    new_clock = ManualClock(mono=2.0, wall=clock.wall + 45)
    back = ShowDesk.resume(show, stored, new_clock, MemorySink())
    v = back.view()
    assert v["timer"]["segment"] == "scarf" and v["timer"]["elapsed"] == pytest.approx(245.0, abs=0.01)
    assert back.cards.card("SK-2001").state == CardState.EXPLAINING and back.cards.card("SK-2001").stock == 700
    assert back.resume_event.payload["downtime"] == pytest.approx(245.0, abs=0.01)  # since the last event
    assert back.sink.kinds("cue") == ["cue.resumed"]


def test_from_file_locates_findings_and_view_is_json(tmp_path, clock):
    import json

    bad = tmp_path / "bad.toml"
    bad.write_text(SAMPLE_TEXT.replace("不起球、不掉毛", "全网最低价"), encoding="utf-8")
    desk = ShowDesk.from_file(bad, clock)
    assert [(f.term, f.file) for f in desk.findings] == [("全网最低价", "bad.toml")]
    assert bad.read_text(encoding="utf-8").splitlines()[desk.findings[0].line - 1].find("全网最低价") == desk.findings[0].column - 1
    assert desk.plan_warnings == []
    # the sample starts 2026-12-12 20:00 +08:00; GO 90 s late
    clock.wall = desk.show.planned_start.timestamp() + 90
    desk.dispatch("override_compliance", reason="test")
    desk.dispatch("go")
    v = json.loads(json.dumps(desk.view()))
    assert v["start_delay"] == 90 and v["end_vs_plan"] == 90


def test_from_file_spreadsheet_and_errors(tmp_path, clock, show):
    from studio_app.show.errors import RundownError
    from studio_app.show.spreadsheet import save_spreadsheet

    path = tmp_path / "s.xlsx"
    save_spreadsheet(show, path)
    assert ShowDesk.from_file(path, clock).findings == []
    with pytest.raises(RundownError):
        ShowDesk.from_file(tmp_path / "s.pdf", clock)


def test_resume_continues_the_latest_run_not_a_rehearsal(show):
    clock = ManualClock(mono=10.0, wall=1_800_000_000.0)
    rehearsal = ShowDesk(show, clock)
    log = rehearsal.dispatch("card_push", sku="SK-2002").events + rehearsal.dispatch("go").events
    log += rehearsal.dispatch("end_show").events
    live = ShowDesk(show, clock)
    clock.advance(3600)
    log += live.dispatch("go").events
    clock.advance(60)
    back = ShowDesk.resume(show, [e.as_dict() for e in log], ManualClock(mono=1.0, wall=clock.wall + 5))
    assert back.run_id == live.run_id
    assert back.engine.state.playback.value == "running"
    assert back.cards.card("SK-2002").state == CardState.QUEUED  # the rehearsal's push is not replayed
    assert back.resume_event.payload["run"] == live.run_id


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([float("inf"), float("nan"), 10**40]), st.text(max_size=6),
                   st.sampled_from(["SK-2001", "SK-2003", "drop-1", "flash-cup", "scarf", "on_shelf", "sold_out"]),
                   st.lists(st.integers(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(calls=st.lists(st.tuples(st.sampled_from(sorted(ACTIONS) + ["nope", ""]),
                                st.dictionaries(st.sampled_from(["sku", "id", "seconds", "delta", "value", "segment", "text",
                                                                 "reason", "state", "frozen", "force", "blink", "x"]),
                                                VALUES, max_size=3),
                                st.floats(min_value=0, max_value=200)), max_size=25))
def test_dispatch_never_raises_whatever_the_input(calls):
    show = load_rundown(sample_show_path())
    clock = ManualClock()
    desk = ShowDesk(show, clock, MemorySink(), findings=[])
    for action, params, wait in calls:
        r = desk.dispatch(action, **params)
        assert isinstance(r.ok, bool) and "\n" not in r.message
        assert all(e.severity < 40 for e in r.events), r.message  # no internal errors
        clock.advance(wait)
        desk.tick()
        desk.view()


def test_slot_push_takes_the_nth_product_of_the_segment(desk):
    assert desk.dispatch("go").ok
    desk.dispatch("jump", segment="home")  # 加湿器 + 暖手宝
    r = desk.dispatch("card_push_slot", slot=2)
    assert r.ok and r.data["push"]["sku"] == "SK-2005"
    r = desk.dispatch("card_push_slot", slot=3)
    assert not r.ok and "2 products" in r.message
