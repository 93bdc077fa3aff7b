"""Coupon drops and flash sales: pre-announce and drop on time, countdown texts, one
batch at a time, drop now / delay / cancel / confirm, and drops missed while the
console was down reported as missed, never fired late."""
from __future__ import annotations

import pytest

from studio_app.show.clock import Instant, ManualClock
from studio_app.show.coupons import CouponScheduler, DropStatus, ScheduleError
from studio_app.show.cues import CueEngine
from studio_app.show.desk import ShowDesk
from studio_app.show.model import Coupon, CouponDrop, FlashSale, Product, Segment, Show, Timing


def make_show(drops: list[CouponDrop], flash: list[FlashSale] | None = None, coupon_s: float = 300.0) -> Show:
    return Show(
        "c", "Coupon test",
        segments=[Segment("a", "A", duration=120), Segment("b", "B", duration=600), Segment("c", "C", duration=600)],
        products=[Product("P1", "保温杯", 129, 79, stock=100)],
        coupons=[Coupon("C1", "满减", "满200减30", 1000, coupon_s), Coupon("C2", "小券", "满99减10", 1000, coupon_s)],
        coupon_drops=drops,
        flash_sales=flash or [],
    )


class Rig:
    """A cue engine plus scheduler on a hand-driven clock, ticking every ``step`` s."""

    def __init__(self, show: Show, grace: float = 15.0) -> None:
        self.clock = ManualClock(mono=50.0, wall=1_800_000_000.0)
        self.engine = CueEngine(show)
        self.sched = CouponScheduler(show, lambda: self.engine.state, miss_grace=grace)
        self.fired: list = []

    def run(self, seconds: float, step: float = 0.1) -> list:
        out = []
        for _ in range(int(round(seconds / step))):
            self.clock.advance(step)
            out += self.sched.due(self.clock.now())
        self.fired += out
        return out


def test_announce_and_drop_fire_on_time_across_segments():
    show = make_show([CouponDrop("d1", "C1", Timing("b", 30.0), lead=60.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())  # segment a (120 s); drop at a-end + 30 s = show +150 s
    start = rig.clock.mono
    fired = rig.run(89.9)
    assert fired == []
    fired = rig.run(0.2)  # the announce is due at +90 s, still inside segment a
    assert [(f.action, f.item) for f in fired] == [("announce", "d1")]
    assert fired[0].event.kind == "coupon.announce" and "后发券 满200减30" in fired[0].event.message
    rig.engine.go(rig.clock.advance(29.9))  # GO into b right on plan at +120 s
    fired = rig.run(30.1)
    drops = [f for f in fired if f.action == "drop"]
    assert len(drops) == 1 and drops[0].lateness <= 0.1 + 1e-9
    assert drops[0].at - start == pytest.approx(150.0, abs=0.11)
    assert drops[0].event.message == "现在发券! 满200减30"
    assert rig.sched.items["d1"].status == DropStatus.LIVE


def test_segment_anchored_drop_follows_an_overrunning_segment():
    show = make_show([CouponDrop("d1", "C1", Timing("b", 10.0), lead=5.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(200)  # segment a overruns by 80 s; b has not started, nothing may drop
    assert [f.action for f in rig.fired] == []
    rig.engine.go(rig.clock.now())
    fired = rig.run(10.1)
    assert [f.action for f in fired] == ["announce", "drop"]


def test_hold_pauses_a_segment_anchored_drop():
    show = make_show([CouponDrop("d1", "C1", Timing("a", 60.0), lead=0.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(30)
    rig.engine.hold(rig.clock.now())
    rig.run(100)
    assert [f.action for f in rig.fired if f.action == "drop"] == []
    rig.engine.resume(rig.clock.now())
    fired = rig.run(30.1)
    assert [f.action for f in fired if f.action == "drop"] == ["drop"]


def test_show_clock_drop_and_countdown_texts():
    show = make_show([CouponDrop("d1", "C1", Timing("", 240.0), lead=180.0)])
    rig = Rig(show)
    cd = rig.sched.countdowns(rig.clock.mono)
    assert cd[0].seconds is None and cd[0].anchor_text == ""  # show not started
    rig.engine.go(rig.clock.now())
    rig.run(60.1)
    cd = rig.sched.countdowns(rig.clock.mono)[0]
    assert cd.desk_text == "03:00 后发券 满200减30" and cd.anchor_text == cd.desk_text
    rig.run(180.0)
    cd = rig.sched.countdowns(rig.clock.mono)[0]
    assert cd.anchor_text == "现在发券! 满200减30"
    assert "confirm" in cd.desk_text


def test_missed_while_console_was_down_is_reported_never_fired():
    show = make_show([CouponDrop("d1", "C1", Timing("a", 60.0), lead=30.0)])
    clock = ManualClock(mono=10.0, wall=1_800_000_000.0)
    desk = ShowDesk(show, clock)
    log = desk.dispatch("go").events
    clock.advance(20)
    log += desk.tick()
    # the console dies at +20 s and comes back at +300 s with a fresh monotonic clock
    new_clock = ManualClock(mono=1.0, wall=clock.wall + 280)
    back = ShowDesk.resume(show, [e.as_dict() for e in log], new_clock)
    assert back.engine.view(new_clock.now()).elapsed == pytest.approx(300.0)
    events = back.tick()
    kinds = [e.kind for e in events]
    assert "coupon.drop" not in kinds and "coupon.missed" in kinds
    missed = next(e for e in events if e.kind == "coupon.missed")
    assert "overdue" in missed.payload["why"]
    assert back.scheduler.items["d1"].status == DropStatus.MISSED
    assert back.tick() == []  # reported once


def test_drop_due_just_now_after_a_short_outage_still_fires_with_its_lateness():
    show = make_show([CouponDrop("d1", "C1", Timing("a", 60.0), lead=0.0)])
    rig = Rig(show, grace=15.0)
    rig.engine.go(rig.clock.now())
    rig.clock.advance(70.0)  # no tick for 70 s: 10 s late, within grace
    fired = rig.sched.due(rig.clock.now())
    assert [f.action for f in fired] == ["drop"] and fired[0].lateness == pytest.approx(10.0)


def test_skipped_segment_and_ended_show_report_missed():
    show = make_show([CouponDrop("d1", "C1", Timing("b", 30.0)), CouponDrop("d2", "C2", Timing("c", 30.0))])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.engine.jump("c", rig.clock.advance(1))
    fired = [f for f in rig.run(0.1) if f.item == "d1"]
    assert [(f.item, f.action) for f in fired] == [("d1", "missed")]
    assert "segment b ended first" in fired[0].event.payload["why"]
    rig.engine.end(rig.clock.advance(1))
    fired = rig.run(0.1)
    assert [(f.item, f.action) for f in fired] == [("d2", "missed")]


def test_one_batch_at_a_time_waits_then_fires():
    show = make_show([CouponDrop("d1", "C1", Timing("", 10.0), lead=0.0), CouponDrop("d2", "C2", Timing("", 60.0), lead=0.0)],
                     coupon_s=120.0)
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(60.1)
    assert [(f.item, f.action) for f in rig.fired] == [("d1", "drop"), ("d2", "blocked")]
    assert rig.sched.countdowns(rig.clock.mono)[-1].status == "blocked"
    rig.run(70.2)  # d1's window ends at +130 s
    assert [(f.item, f.action) for f in rig.fired][2:] == [("d1", "end"), ("d2", "drop")]
    assert rig.sched.items["d2"].status == DropStatus.LIVE


def test_a_waiting_drop_is_due_when_the_batch_ahead_ends_not_before():
    """While d2 waits for d1's batch, the next moment is d1's end (no busy re-checking), and
    d2 then drops scheduled at that end: its lateness is the tick's, not the wait's."""
    show = make_show([CouponDrop("d1", "C1", Timing("", 10.0), lead=0.0), CouponDrop("d2", "C2", Timing("", 60.0), lead=0.0)],
                     coupon_s=120.0)
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(61.0, step=0.5)
    assert [(f.item, f.action) for f in rig.fired] == [("d1", "drop"), ("d2", "blocked")]
    d1_end = rig.sched.items["d1"].ends_at
    assert rig.sched.next_deadline(rig.clock.mono) == d1_end
    rig.run(75.0, step=0.5)  # past d1's end at +130 s, seen at the first check after it
    drop = [f for f in rig.fired if (f.item, f.action) == ("d2", "drop")]
    assert [(f.item, f.action) for f in rig.fired][2:] == [("d1", "end"), ("d2", "drop")]
    assert drop[0].scheduled == d1_end and drop[0].lateness <= 0.5 + 1e-9
    assert rig.sched.items["d2"].delay == pytest.approx(d1_end - (rig.engine.state.show_started + 60.0))


def test_drop_now_refused_while_another_batch_issues_and_end_early():
    show = make_show([CouponDrop("d1", "C1", Timing("", 10.0), lead=0.0), CouponDrop("d2", "C2", Timing("", 600.0))])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(10.1)
    with pytest.raises(ScheduleError, match="one batch at a time"):
        rig.sched.drop_now("d2", rig.clock.now())
    rig.sched.end("d1", rig.clock.now())
    fired = rig.sched.drop_now("d2", rig.clock.now())
    assert fired[0].action == "drop" and fired[0].lateness == 0.0
    assert rig.sched.items["d2"].status == DropStatus.LIVE


def test_delay_cancel_confirm():
    show = make_show([CouponDrop("d1", "C1", Timing("", 100.0), lead=10.0), CouponDrop("d2", "C2", Timing("", 700.0))])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(95.0)
    assert rig.sched.items["d1"].status == DropStatus.ANNOUNCED
    ev = rig.sched.delay("d1", 60.0, rig.clock.now())
    assert ev[0].kind == "coupon.delay" and "01:05" in ev[0].message
    assert rig.sched.items["d1"].status == DropStatus.PENDING
    fired = rig.run(65.1)
    assert [f.action for f in fired] == ["announce", "drop"]
    assert fired[-1].lateness <= 0.1 + 1e-9
    # confirm with one key: the oldest unconfirmed live drop
    rig.clock.advance(4.0)
    ev = rig.sched.confirm(None, rig.clock.now())
    p = ev[0].payload
    assert ev[0].kind == "coupon.confirm" and p["confirm_after"] == pytest.approx(4.0, abs=0.11)
    assert p["scheduled_wall"] is not None and p["confirmed_wall"] - p["scheduled_wall"] == pytest.approx(4.0, abs=0.2)
    with pytest.raises(ScheduleError):
        rig.sched.confirm("d1", rig.clock.now())
    rig.sched.cancel("d2", rig.clock.now(), reason="库存不足")
    assert rig.sched.items["d2"].status == DropStatus.CANCELLED
    rig.run(700)
    assert all(f.item != "d2" for f in rig.fired)
    with pytest.raises(ScheduleError):
        rig.sched.delay("d2", 60, rig.clock.now())


def test_a_delay_shorter_than_the_lead_announces_again_at_once_timed_from_the_delay():
    """d1 is announced (10 s lead); delayed 2 s, its new announce moment is already past: the
    next deadline is now (a precise timer fires at once, not the next tick), and the announce
    is scheduled from the delay, so its lateness is the desk's reaction, not the plan change."""
    show = make_show([CouponDrop("d1", "C1", Timing("", 100.0), lead=10.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(95.0)
    assert [f.action for f in rig.fired] == ["announce"]
    rig.sched.delay("d1", 2.0, rig.clock.now())  # new announce moment: 142 s, now is 145 s
    delayed_at = rig.clock.mono
    assert rig.sched.next_deadline(rig.clock.mono) <= rig.clock.mono
    fired = rig.run(0.1)
    assert [f.action for f in fired] == ["announce"]
    assert fired[0].scheduled == delayed_at and fired[0].lateness <= 0.1 + 1e-9
    assert rig.sched.next_deadline(rig.clock.mono) == pytest.approx(delayed_at + 7.0)  # the drop, at 152 s


def started_desk(drop: CouponDrop) -> tuple[ShowDesk, ManualClock]:
    """A show desk with one drop, on a hand-driven clock, just after the first GO."""
    clock = ManualClock(mono=50.0, wall=1_800_000_000.0)
    desk = ShowDesk(make_show([drop]), clock)
    assert desk.dispatch("go").ok
    return desk, clock


def test_an_early_go_that_moves_the_announce_into_the_past_is_timed_from_the_go():
    """d1 drops 30 s into b, announced 60 s ahead. GO into b 80 s early moves the announce 30 s
    into the past: it fires on the next tick, and its lateness is counted from the GO (the
    desk's change of plan), not from a moment before the desk asked for it."""
    desk, clock = started_desk(CouponDrop("d1", "C1", Timing("b", 30.0), lead=60.0))
    clock.advance(40.0)
    desk.tick()
    assert desk.last_firings == []  # the announce is planned for +90 s
    assert desk.dispatch("go").ok  # into b at +40 s, 80 s early: the drop is now at +70 s
    went_at = clock.mono
    assert desk.next_deadline() <= clock.mono  # due at once, not at the next routine tick
    clock.advance(0.2)
    desk.tick()
    (announce,) = desk.last_firings
    assert announce.action == "announce" and announce.scheduled == went_at
    assert announce.lateness == pytest.approx(0.2)
    assert announce.event.payload["lateness"] == pytest.approx(0.2)
    assert announce.event.payload["drop_in"] == pytest.approx(29.8)


def test_an_announce_already_due_before_a_desk_action_keeps_its_lateness():
    """A late tick is the console's lateness: an unrelated desk action in between (a stock
    change) does not restart the clock on the overdue announce."""
    desk, clock = started_desk(CouponDrop("d1", "C1", Timing("a", 60.0), lead=30.0))
    clock.advance(33.0)  # the announce was due at +30 s; no tick since
    assert desk.dispatch("stock_adjust", sku="P1", delta=-1, reason="sold").ok
    desk.tick()
    (announce,) = desk.last_firings
    assert announce.action == "announce" and announce.lateness == pytest.approx(3.0)


def test_the_first_go_does_not_count_a_long_lead_as_lateness():
    """A drop 20 s into the first segment announced 60 s ahead: its announce moment is 40 s
    before the show starts. It fires at the first tick, counted from the GO."""
    desk, clock = started_desk(CouponDrop("d1", "C1", Timing("a", 20.0), lead=60.0))
    clock.advance(0.05)
    desk.tick()
    (announce,) = desk.last_firings
    assert announce.action == "announce" and announce.lateness == pytest.approx(0.05)


def test_flash_sale_start_and_end_and_next_deadline():
    show = make_show([], [FlashSale("f1", "P1", 49.0, 200, Timing("b", 60.0), duration=240.0, lead=30.0, title="秒杀 ¥49 保温杯")])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    t0 = rig.clock.mono
    assert rig.sched.next_deadline(rig.clock.mono) == pytest.approx(t0 + 120 + 60 - 30)
    rig.run(120)
    rig.engine.go(rig.clock.now())
    rig.run(60.1)
    assert [f.action for f in rig.fired] == ["announce", "start"]
    rig.run(1.0)
    cd = rig.sched.countdowns(rig.clock.mono)[0]
    assert cd.desk_text == "秒杀进行中 秒杀 ¥49 保温杯 剩余 03:59" and cd.anchor_text == cd.desk_text
    rig.run(240)
    assert [f.action for f in rig.fired][-1] == "end"
    assert rig.sched.next_deadline(rig.clock.mono) is None


def test_resume_keeps_confirmed_batches_and_their_windows():
    show = make_show([CouponDrop("d1", "C1", Timing("", 10.0), lead=0.0)], coupon_s=300.0)
    clock = ManualClock(mono=5.0, wall=1_800_000_000.0)
    desk = ShowDesk(show, clock)
    log = desk.dispatch("go").events
    clock.advance(10.05)
    log += desk.tick()
    clock.advance(2.0)
    log += desk.dispatch("coupon_confirm").events
    new_clock = ManualClock(mono=0.5, wall=clock.wall + 60)
    back = ShowDesk.resume(show, [e.as_dict() for e in log], new_clock)
    item = back.scheduler.items["d1"]
    assert item.status == DropStatus.LIVE and item.confirmed_at is not None
    assert item.ends_at - new_clock.mono == pytest.approx(240.0, abs=0.01)
    assert [e for e in back.tick() if e.kind.startswith("coupon.")] == []
    new_clock.advance(240.0)
    assert [e.kind for e in back.tick() if e.kind.startswith("coupon.")] == ["coupon.end"]


def test_firing_lateness_is_measured_from_the_schedule():
    show = make_show([CouponDrop("d1", "C1", Timing("", 10.0), lead=0.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.clock.advance(10.25)
    f = rig.sched.due(Instant(rig.clock.mono, rig.clock.wall))[0]
    assert f.lateness == pytest.approx(0.25)
    assert f.event.payload["lateness"] == pytest.approx(0.25)


# -- properties ------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STEPS = st.lists(
    st.tuples(st.sampled_from(["tick", "tick", "tick", "gap", "go", "hold", "resume", "back", "add"]),
              st.floats(min_value=0.05, max_value=120.0)),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.tuples(st.sampled_from(["", "a", "b", "c"]), st.floats(min_value=0, max_value=119)), min_size=1, max_size=5),
    steps=STEPS,
    coupon_s=st.floats(min_value=5, max_value=300),
)
def test_scheduler_invariants(offsets, steps, coupon_s):
    drops = [CouponDrop(f"d{i}", "C1" if i % 2 else "C2", Timing(seg, off), lead=10.0) for i, (seg, off) in enumerate(offsets)]
    show = make_show(drops, coupon_s=coupon_s)
    rig = Rig(show, grace=15.0)
    rig.engine.go(rig.clock.now())
    started: dict[str, int] = {}
    missed: set[str] = set()
    for op, amount in steps:
        now = rig.clock.now()
        try:
            if op == "go":
                rig.engine.go(now)
            elif op == "hold":
                rig.engine.hold(now)
            elif op == "resume":
                rig.engine.resume(now)
            elif op == "back":
                rig.engine.back(now)
            elif op == "add":
                rig.engine.add_time(amount - 60, now)
        except ValueError:
            pass
        rig.clock.advance(amount if op == "gap" else min(amount, 1.0))
        for f in rig.sched.due(rig.clock.now()):
            if f.action == "drop":
                started[f.item] = started.get(f.item, 0) + 1
                assert f.item not in missed
                assert f.lateness <= rig.sched.miss_grace + 1e-6  # never fired late
            if f.action == "missed":
                missed.add(f.item)
        live = [i for i in rig.sched.items.values() if i.status == DropStatus.LIVE and i.ends_at > rig.clock.mono]
        assert len(live) <= 1  # one batch at a time
    assert all(n == 1 for n in started.values())


def test_pause_holds_every_pending_drop_and_resume_moves_it_later():
    show = make_show([CouponDrop("d1", "C1", Timing("", 60.0), lead=10.0)])
    rig = Rig(show)
    rig.engine.go(rig.clock.now())
    rig.run(52.0)
    assert rig.sched.items["d1"].status == DropStatus.ANNOUNCED
    rig.sched.pause(rig.clock.now(), "推流中断")
    assert rig.run(100.0) == []  # nothing fires, nothing is missed
    assert rig.sched.countdowns(rig.clock.mono)[0].status == "paused"
    assert rig.sched.next_deadline(rig.clock.mono) is None
    ev = rig.sched.resume(rig.clock.now())
    assert ev[0].payload["paused_for"] == pytest.approx(100.0)
    fired = rig.run(8.1)
    assert [f.action for f in fired] == ["announce", "drop"]
    assert fired[-1].lateness <= 0.1 + 1e-9
    with pytest.raises(ScheduleError):
        rig.sched.resume(rig.clock.now())


def test_pause_survives_a_restart():
    show = make_show([CouponDrop("d1", "C1", Timing("", 60.0), lead=0.0)])
    clock = ManualClock(mono=5.0, wall=1_800_000_000.0)
    desk = ShowDesk(show, clock)
    log = desk.dispatch("go").events
    clock.advance(30)
    log += desk.dispatch("coupons_pause", reason="incident").events
    clock.advance(100)
    back = ShowDesk.resume(show, [e.as_dict() for e in log], ManualClock(mono=1.0, wall=clock.wall))
    assert back.scheduler.paused_since is not None
    assert [e.kind for e in back.tick() if e.kind.startswith("coupon.")] == []
    r = back.dispatch("coupons_resume")
    assert r.ok and r.events[0].payload["paused_for"] == pytest.approx(100.0)
    back.clock.advance(30.05)
    assert [e.kind for e in back.tick() if e.kind.startswith("coupon.")] == ["coupon.drop"]
