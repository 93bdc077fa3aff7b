"""Cue timer maths and the cue engine: phases, overtime, add time, hold, back/jump,
over/under, projected end, and resuming after a crash from the logged events."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio_app.show.clock import Instant, ManualClock
from studio_app.show.cues import CueEngine, CueError, resume_from_events
from studio_app.show.model import Segment, Show
from studio_app.show.timing import (
    CueState,
    Phase,
    Playback,
    over_under,
    phase,
    phase_for,
    projected_end,
    remaining,
    segment_elapsed,
    segment_start_time,
)


def make_show(*durations: float, warning: float = 120.0, danger: float = 60.0) -> Show:
    segs = [Segment(f"s{i}", f"Segment {i}", duration=d, warning=warning, danger=danger) for i, d in enumerate(durations)]
    return Show("t", "Test show", segments=segs)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(mono=500.0, wall=1_800_000_000.0)


# -- phase rule (Ontime's getTimerPhase) ------------------------------------------------


@pytest.mark.parametrize(
    "remaining_s, expected",
    [
        (300.0, Phase.DEFAULT),
        (120.01, Phase.DEFAULT),
        (120.0, Phase.WARNING),
        (60.01, Phase.WARNING),
        (60.0, Phase.DANGER),
        (0.0, Phase.DANGER),
        (-0.001, Phase.OVERTIME),
        (-600.0, Phase.OVERTIME),
    ],
)
def test_phase_thresholds_default_to_two_and_one_minutes(remaining_s, expected):
    assert phase_for(remaining_s, 120.0, 60.0) == expected


def test_standby_and_ended_have_no_phase(clock):
    show = make_show(300)
    eng = CueEngine(show)
    assert eng.view(clock.now()).phase == Phase.NONE
    eng.go(clock.now())
    eng.end(clock.advance(10))
    assert eng.view(clock.advance(500)).phase == Phase.NONE


def test_segment_runs_through_phases_into_overtime(clock):
    show = make_show(300, 300)
    eng = CueEngine(show)
    eng.go(clock.now())
    seen = []
    for _ in range(400):
        seen += [e.payload["phase"] for e in eng.tick(clock.advance(1))]
    assert seen == ["warning", "danger", "overtime"]
    v = eng.view(clock.now())
    assert v.remaining == pytest.approx(-100.0)
    assert v.over_under == pytest.approx(100.0)  # 100 s behind plan


def test_custom_thresholds(clock):
    show = make_show(600, warning=300, danger=30)
    eng = CueEngine(show)
    eng.go(clock.now())
    assert eng.view(clock.advance(299)).phase == Phase.DEFAULT
    assert eng.view(clock.advance(1)).phase == Phase.WARNING
    assert eng.view(clock.advance(270)).phase == Phase.DANGER


# -- GO, back, jump, end ----------------------------------------------------------------------


def test_go_starts_then_advances_and_ends_after_last(clock):
    show = make_show(60, 60)
    eng = CueEngine(show)
    assert eng.state.playback == Playback.STANDBY
    ev = eng.go(clock.now())
    assert ev[0].kind == "cue.start" and eng.state.playback == Playback.RUNNING and eng.state.index == 0
    ev = eng.go(clock.advance(70))
    assert ev[0].kind == "cue.go" and eng.state.index == 1
    assert ev[0].payload["from"] == {"segment": "s0", "title": "Segment 0", "planned_duration": 60, "added": 0.0,
                                     "actual_duration": 70.0, "diff": 10.0}
    assert ev[0].payload["to"]["planned_start"] == 60 and ev[0].payload["to"]["actual_start"] == 70.0
    ev = eng.go(clock.advance(50))
    assert ev[0].kind == "cue.end" and eng.state.playback == Playback.ENDED
    assert eng.state.actuals == (("s0", 70.0), ("s1", 50.0))
    with pytest.raises(CueError):
        eng.go(clock.advance(1))


def test_back_restarts_previous_segment_and_jump_by_id(clock):
    show = make_show(100, 100, 100)
    eng = CueEngine(show)
    eng.go(clock.now())
    eng.go(clock.advance(100))
    eng.back(clock.advance(30))
    assert eng.state.index == 0 and eng.view(clock.now()).elapsed == 0.0
    eng.back(clock.advance(5))  # at the first segment: restarts it
    assert eng.state.index == 0
    eng.jump("s2", clock.advance(5))
    assert eng.state.index == 2 and eng.state.playback == Playback.RUNNING
    with pytest.raises(CueError):
        eng.jump("nope", clock.now())
    with pytest.raises(CueError):
        eng.jump(7, clock.now())


def test_jump_in_standby_only_arms(clock):
    show = make_show(100, 100)
    eng = CueEngine(show)
    eng.jump("s1", clock.now())
    assert eng.state.playback == Playback.STANDBY and eng.state.index == 1
    eng.go(clock.advance(3))
    assert eng.state.index == 1 and eng.state.playback == Playback.RUNNING


def test_back_from_ended_returns_to_last_segment(clock):
    show = make_show(10, 10)
    eng = CueEngine(show)
    eng.go(clock.now())
    eng.end(clock.advance(5))
    eng.back(clock.advance(1))
    assert eng.state.playback == Playback.RUNNING and eng.state.index == 1


# -- hold and add time ------------------------------------------------------------------------


def test_hold_freezes_segment_timer_but_show_falls_behind(clock):
    show = make_show(300, 300)
    eng = CueEngine(show)
    eng.go(clock.now())
    clock.advance(100)
    eng.hold(clock.now())
    clock.advance(50)
    v = eng.view(clock.now())
    assert v.playback == Playback.HOLD
    assert v.elapsed == pytest.approx(100.0)
    assert v.over_under == pytest.approx(50.0)
    eng.resume(clock.now())
    assert eng.view(clock.advance(10)).elapsed == pytest.approx(110.0)
    with pytest.raises(CueError):
        eng.resume(clock.now())


def test_add_time_moves_remaining_projected_end_and_over_under(clock):
    show = make_show(300, 200)
    eng = CueEngine(show)
    eng.go(clock.now())
    clock.advance(100)
    before = eng.view(clock.now())
    ev = eng.add_time(60, clock.now())
    after = eng.view(clock.now())
    assert ev[0].payload["seconds"] == 60
    assert after.remaining == pytest.approx(before.remaining + 60)
    assert after.projected_end == pytest.approx(before.projected_end + 60)
    assert after.over_under == pytest.approx(60)
    eng.add_time(-1000, clock.now())  # never a negative length
    assert eng.view(clock.now()).duration == 0.0
    with pytest.raises(CueError):
        eng.add_time(3601, clock.now())


def test_add_time_needs_a_running_segment(clock):
    eng = CueEngine(make_show(10))
    with pytest.raises(CueError):
        eng.add_time(30, clock.now())


def test_projected_end_and_over_under_when_ahead(clock):
    show = make_show(300, 300, 300)
    eng = CueEngine(show)
    eng.go(clock.now())
    start = clock.mono
    eng.go(clock.advance(200))  # 100 s early
    v = eng.view(clock.now())
    assert v.projected_end == pytest.approx(clock.mono + 300 + 300)
    assert v.over_under == pytest.approx(-100.0)
    assert projected_end(eng.state, show, clock.mono) - start == pytest.approx(800.0)


def test_over_under_is_zero_before_start_and_projected_end_is_plan():
    show = make_show(100, 200)
    s = CueState()
    assert over_under(s, show, 10.0) == 0.0
    assert projected_end(s, show, 10.0) == 310.0


def test_segment_start_time_projection():
    show = make_show(100, 200, 300)
    s = CueState(playback=Playback.RUNNING, index=0, running_since=0.0, show_started=0.0, segment_started=0.0)
    assert segment_start_time(s, show, 0, 40.0) == 0.0
    assert segment_start_time(s, show, 1, 40.0) == 100.0
    assert segment_start_time(s, show, 2, 40.0) == 300.0
    # overrunning pushes later segments
    assert segment_start_time(s, show, 2, 150.0) == 350.0
    assert segment_start_time(CueState(), show, 1, 0.0) is None


# -- properties ------------------------------------------------------------------------------

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["go", "back", "jump", "hold", "resume", "add", "end", "wait"]),
        st.floats(min_value=0, max_value=900, allow_nan=False),
        st.integers(min_value=0, max_value=4),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(durations=st.lists(st.floats(min_value=1, max_value=3600), min_size=1, max_size=5), actions=ACTIONS)
def test_engine_invariants_under_any_action_sequence(durations, actions):
    show = make_show(*durations)
    clock = ManualClock()
    eng = CueEngine(show)
    for name, amount, idx in actions:
        clock.advance(amount if name == "wait" else 0.5)
        now = clock.now()
        try:
            if name == "go":
                eng.go(now)
            elif name == "back":
                eng.back(now)
            elif name == "jump":
                eng.jump(idx % len(show.segments), now)
            elif name == "hold":
                eng.hold(now)
            elif name == "resume":
                eng.resume(now)
            elif name == "add":
                eng.add_time(amount - 450, now)
            elif name == "end":
                eng.end(now)
        except CueError:
            pass
        v = eng.view(clock.now())
        s = eng.state
        assert 0 <= s.index < len(show.segments)
        assert v.elapsed >= 0.0
        assert v.duration >= 0.0
        assert v.remaining == pytest.approx(v.duration - v.elapsed)
        if s.playback in (Playback.RUNNING, Playback.HOLD):
            assert v.projected_end >= clock.mono - 1e-6
            assert phase(s, show, clock.mono) != Phase.NONE
        if s.playback == Playback.HOLD:
            assert s.running_since is None
        # snapshots round-trip through JSON onto another monotonic clock
        snap = json.loads(json.dumps(s.snapshot(show, clock.mono, clock.wall)))
        back = CueState.from_snapshot(snap, show, clock.mono + 7777.0, clock.wall)
        assert segment_elapsed(back, clock.mono + 7777.0) == pytest.approx(segment_elapsed(s, clock.mono), abs=1e-6)
        assert back.playback == s.playback and back.index == s.index


@settings(max_examples=200, deadline=None)
@given(d=st.floats(min_value=1, max_value=7200), t=st.floats(min_value=0, max_value=10000), hold_at=st.floats(min_value=0, max_value=1))
def test_elapsed_counts_only_running_time(d, t, hold_at):
    show = make_show(d)
    clock = ManualClock()
    eng = CueEngine(show)
    eng.go(clock.now())
    clock.advance(t * hold_at)
    eng.hold(clock.now())
    clock.advance(t * (1 - hold_at))
    assert eng.view(clock.now()).elapsed == pytest.approx(t * hold_at)
    assert remaining(eng.state, show, clock.mono) == pytest.approx(d - t * hold_at)


# -- crash recovery --------------------------------------------------------------------------


def _log(events):
    """What the event log gives back: JSON round-trip of kind + payload."""
    return [json.loads(json.dumps({"kind": e.kind, "payload": dict(e.payload)})) for e in events]


def test_resume_after_crash_restores_segment_and_elapsed():
    show = make_show(300, 600, 300)
    clock = ManualClock(mono=100.0, wall=1_800_000_000.0)
    eng = CueEngine(show)
    log = []
    log += eng.go(clock.now())
    log += eng.go(clock.advance(320))  # segment 2 starts at wall +320
    log += eng.add_time(60, clock.advance(100))
    # crash at wall +500; the new process's monotonic clock starts near 0
    new_now = Instant(mono=3.0, wall=1_800_000_000.0 + 560)
    state = resume_from_events(show, _log(log), new_now.wall, new_now.mono)
    assert state.playback == Playback.RUNNING and state.index == 1
    assert segment_elapsed(state, new_now.mono) == pytest.approx(240.0)
    assert state.added == 60.0
    resumed = CueEngine(show, state)
    v = resumed.view(new_now)
    assert v.remaining == pytest.approx(600 + 60 - 240)
    assert v.over_under == pytest.approx(20 + 60)
    assert state.actuals == (("s0", 320.0),)


def test_resume_while_on_hold_keeps_the_held_time():
    show = make_show(300, 300)
    clock = ManualClock(mono=10.0, wall=1_800_000_000.0)
    eng = CueEngine(show)
    log = eng.go(clock.now()) + eng.hold(clock.advance(42))
    state = resume_from_events(show, _log(log), 1_800_000_000.0 + 900, 1.0)
    assert state.playback == Playback.HOLD
    assert segment_elapsed(state, 5.0) == pytest.approx(42.0)


def test_resume_finds_segment_by_id_after_rundown_edit():
    show = make_show(100, 100, 100)
    clock = ManualClock()
    eng = CueEngine(show)
    log = eng.go(clock.now()) + eng.jump("s2", clock.advance(10))
    edited = Show("t", "x", segments=[show.segments[2], show.segments[0]])  # s2 is now first
    state = resume_from_events(edited, _log(log), clock.wall + 5, 0.0)
    assert state.index == 0 and edited.segments[state.index].id == "s2"


def test_resume_without_events_is_standby_and_ignores_garbage():
    show = make_show(100)
    assert resume_from_events(show, [], 0.0, 0.0) == CueState()
    garbage = [{"kind": "cue.go", "payload": {"state": {"playback": "flying"}}}, {"kind": "x"}, {}]
    assert resume_from_events(show, garbage, 0.0, 0.0) == CueState()
