"""The incident flow (open → actions → ticks → close), drill mode and alarm suggestions,
with an injected clock and a step runner that records what the desk asked for (the real
runner is the studio's dispatcher: see test_studio_core.py)."""
from __future__ import annotations

from concurrent.futures import Future

import pytest

from studio_app.core.events import MemorySink
from studio_app.core.settings import Settings
from studio_app.show.emergency import (
    AlarmWatcher,
    EmergencyDesk,
    StepOutcome,
    default_runbooks_path,
    incident_report,
    load_runbooks,
    loads_runbooks,
)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class FakeLink:
    """ObsLink's command surface: futures the test resolves by hand."""

    class state:  # noqa: N801 - mimics ObsLink.state
        studio_mode = False
        connected = True
        status = "ok"
        program_scene = "Opening"
        preview_scene = ""
        streaming = recording = False

        class health:  # noqa: N801
            stream_timecode = record_timecode = ""
            stream_reconnecting = False

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.futures: list[Future] = []

    def _fut(self, *call) -> Future:
        self.calls.append(call)
        f: Future = Future()
        self.futures.append(f)
        return f

    def switch_scene(self, scene):
        return self._fut("switch_scene", scene)

    def set_preview_scene(self, scene):
        return self._fut("set_preview_scene", scene)

    def set_mute(self, name, muted):
        return self._fut("set_mute", name, muted)


@pytest.fixture
def books():
    return load_runbooks(default_runbooks_path())


def make_desk(books, link=None, **funcs):
    """An emergency desk whose steps are recorded: ``calls`` gets (short type, arg) for the
    steps that finish on the spot; OBS steps go to ``link`` (futures). A step given as
    None is "not connected on this desk"."""
    clock = Clock()
    sink = MemorySink()
    calls: list[tuple] = []
    steps = {
        "message.send": lambda a: calls.append(("cue_message", a["text"])),
        "show.hold": lambda a: calls.append(("cue_hold",)),
        "coupon.pause_all": lambda a: calls.append(("coupons_pause",)),
        "camera.use_backup": lambda a: calls.append(("camera_backup", a.get("device", ""))),
        "anchor.profile": lambda a: calls.append(("anchor_profile", a["name"])),
    }
    if link is not None:
        steps.update({"obs.scene": lambda a: link.switch_scene(a["scene"]),
                      "mic.mute": lambda a: link.set_mute(a["input"], True),
                      "mic.unmute": lambda a: link.set_mute(a["input"], False)})
    names = {"cue_message": "message.send", "cue_hold": "show.hold", "coupons_pause": "coupon.pause_all",
             "camera_backup": "camera.use_backup", "anchor_profile": "anchor.profile"}
    steps.update({names[k]: fn for k, fn in funcs.items()})

    def runner(name, args, by):
        fn = steps.get(name)
        if fn is None:
            return StepOutcome("failed", f"{name} is not connected on this desk")
        out = fn(args)
        return StepOutcome("ok", future=out) if isinstance(out, Future) else StepOutcome("ok")

    desk = EmergencyDesk(books, runner, sink, clock=clock, wall=lambda: 1.7e9 + clock.t)
    return desk, clock, sink, calls


def test_an_incident_runs_its_actions_records_ticks_and_closes_with_a_timeline(books):
    link = FakeLink()
    desk, clock, sink, calls = make_desk(books, link)
    inc = desk.open("camera")
    assert link.calls == [("switch_scene", "BRB")]
    assert ("cue_message", "摄像头故障，已切备用画面，请口播稍等") in calls and ("camera_backup", "backup") in calls
    assert [a.status for a in desk.incident(inc.id).actions] == ["running", "ok", "ok"]
    clock.t += 0.05
    link.futures[0].set_result({})  # OBS confirmed (on OBS's thread in real life)
    run = desk.incident(inc.id).actions[0]
    assert run.status == "ok" and run.elapsed_ms == pytest.approx(50.0)

    clock.t += 10
    desk.tick(inc.id, 0)
    clock.t += 5
    desk.tick(inc.id, 1)
    desk.tick(inc.id, 1, done=False)
    assert desk.incident(inc.id).checked()[:2] == (True, False)
    assert desk.incident(inc.id).tick_time(0) == pytest.approx(1.7e9 + 1010.05)
    assert desk.open("camera").id == inc.id  # a second key press does not fire again
    assert len(link.calls) == 1
    clock.t += 60
    closed = desk.close(inc.id, "camera cable replaced")
    assert not closed.is_open and desk.open_incidents == []

    kinds = [e.kind for e in sink.events]
    assert kinds[0] == "incident.open" and kinds[-1] == "incident.close"
    assert kinds.count("incident.action") == 3 and kinds.count("incident.tick") == 3
    assert all(e.source == "emergency" and e.payload["incident"] == inc.id and e.payload["drill"] is False
               for e in sink.events)
    report = incident_report(sink.events)
    assert report["drills"] == []
    (entry,) = report["incidents"]
    assert entry["runbook"] == "camera" and entry["note"] == "camera cable replaced"
    assert entry["duration_s"] == pytest.approx(75.05)
    assert [a["result"] for a in entry["actions"]] == ["ok", "ok", "ok"]
    assert [t["done"] for t in entry["ticks"]] == [True, True, False]


def test_failed_actions_are_results_not_crashes_and_can_be_retried(books):
    link = FakeLink()
    desk, clock, sink, calls = make_desk(books, link, cue_hold=None)
    inc = desk.open("mic")
    link.futures[0].set_exception(RuntimeError("OBS has no input named 'Mic/Aux'\nsecond line"))
    link.futures[1].set_result({})
    runs = desk.incident(inc.id).actions
    assert [r.status for r in runs] == ["failed", "ok", "ok", "failed"]
    assert runs[0].detail == "OBS has no input named 'Mic/Aux'"
    assert "not connected" in runs[3].detail
    failed = [e for e in sink.events if e.kind == "incident.action" and e.payload["result"] == "failed"]
    assert len(failed) == 2 and all(e.severity == 40 for e in failed)
    desk.run_action(inc.id, 0)
    link.futures[2].set_result({})
    assert desk.incident(inc.id).actions[0].status == "ok"


def test_drill_sends_scene_switches_to_preview_or_skips_them_and_marks_everything(books):
    """Through the studio, whose dispatcher is the runner: what a drill does is the registry's."""
    from studio_app.studio import Studio

    class Camera:
        def __init__(self):
            self.calls = []

        def use_backup(self, device):
            self.calls.append(device)

        def use_main(self):
            self.calls.append("main")

    link, camera, sink = FakeLink(), Camera(), MemorySink()
    studio = Studio(Settings(), sink, obs=link, camera=camera, runbooks=books)
    desk = studio.emergency
    seen = []
    desk.on_drill(seen.append)
    assert studio.dispatch("drill.start").ok
    assert seen == [True]
    inc = desk.open("camera")
    assert inc.drill and inc.id.startswith("drill-")
    assert link.calls == []  # studio mode off: the program scene is left alone
    runs = desk.incident(inc.id).actions
    assert [r.status for r in runs] == ["skipped", "ok", "skipped"]
    assert studio.state().cue.message.text == "[演练 DRILL] 摄像头故障，已切备用画面，请口播稍等"
    assert camera.calls == []
    desk.close(inc.id)

    link.state.studio_mode = True
    try:
        inc2 = desk.open("camera")
        assert link.calls == [("set_preview_scene", "BRB")]
        assert desk.incident(inc2.id).actions[0].sent_as == "obs.preview"
        mic = desk.open("mic")
        assert not any(c[0] == "set_mute" for c in link.calls)
        assert [r.status for r in desk.incident(mic.id).actions][:2] == ["skipped", "skipped"]
    finally:
        link.state.studio_mode = False
    incident_events = [e for e in sink.events if e.kind.startswith("incident.")]
    assert incident_events and all(e.payload["drill"] is True for e in incident_events)
    assert all("DRILL" in e.message for e in incident_events)
    report = incident_report(sink.events)
    assert report["incidents"] == [] and len(report["drills"]) == 3
    studio.close()


def test_alarm_durations_edges_and_dismissal(books):
    clock = Clock()
    w = AlarmWatcher(books, clock)
    # camera no_signal must hold 2 s
    assert w.observe_device("camera", "no_signal") == []
    assert w.next_deadline() == pytest.approx(1002.0)
    clock.t += 1.9
    assert w.tick() == []
    clock.t += 0.2
    (s,) = w.tick()
    assert s.runbook.id == "camera" and s.alarm == "camera.no_signal"
    assert s.message("zh") == "摄像头无信号 — 建议执行预案: 摄像头故障"
    assert s.message("en") == "Camera: no signal — suggested runbook: Camera failure"
    clock.t += 10
    assert w.tick() == []  # edge-triggered: once per activation
    # a short glitch does not suggest anything
    w.observe_device("camera", "live")
    w.observe_device("camera", "no_signal")
    clock.t += 1
    w.observe_device("camera", "live")
    clock.t += 5
    assert w.tick() == []
    # mic lost: at once; dismissed, it stays quiet until the mic comes back and goes again
    (m,) = w.observe_device("mic", "lost")
    assert m.runbook.id == "mic" and m.automatic == ()
    w.dismiss("mic.lost")
    assert w.observe_device("mic", "lost") == []
    w.observe_device("mic", "ok")
    assert [x.runbook.id for x in w.observe_device("mic", "lost")] == ["mic"]


def test_stream_stopped_only_after_it_was_live_and_automatic_actions_run_alone(books):
    clock = Clock()
    w = AlarmWatcher(books, clock)
    assert w.observe_device("obs.stream", "stopped") == []  # before the show: nothing
    w.observe_device("obs.stream", "live")
    (s,) = w.observe_device("obs.stream", "stopped")
    assert s.runbook.id == "stream" and s.automatic == (0,)

    desk, _, sink, calls = make_desk(books)
    for_people = desk.take([s])
    assert for_people == [s]  # still shown: the rest of the runbook needs a person
    (inc,) = desk.open_incidents
    assert inc.opened_by == "alarm" and inc.alarm == "obs.stream_stopped"
    assert calls == [("coupons_pause",)]  # only the action marked automatic
    assert [r.status for r in inc.actions] == ["ok", "pending", "pending"]
    # the same suggestion again (e.g. from another alarm) does not open a second incident
    assert desk.take([s]) == []
    assert len(desk.open_incidents) == 1
    assert any(e.kind == "emergency.suggest" for e in sink.events)


def test_non_automatic_runbooks_are_never_run_by_a_suggestion():
    books = loads_runbooks("""
[[runbook]]
id = "mic"
name_en = "Mic"
[[runbook.action]]
type = "cue_hold"
[[runbook.trigger]]
alarm = "mic.lost"
""", "r.toml")
    w = AlarmWatcher(books)
    desk, _, sink, calls = make_desk(books)
    suggestions = w.observe_event("mic", "lost")
    assert desk.take(suggestions) == suggestions
    assert desk.open_incidents == [] and calls == []


def test_unknown_runbook_and_closed_incident_are_clear_errors(books):
    desk, *_ = make_desk(books)
    with pytest.raises(KeyError, match="no runbook 'fire'"):
        desk.open("fire")
    inc = desk.open("complaints")
    desk.close(inc.id)
    with pytest.raises(ValueError, match="closed"):
        desk.tick(inc.id, 0)


def test_obs_never_reached_is_not_a_disconnect_so_nothing_runs_before_the_show(books):
    """Desk started before OBS: 'unreachable' must not pause coupons or propose the runbook."""
    clock = Clock()
    w = AlarmWatcher(books, clock)
    assert w.observe_device("obs", "unreachable") == []
    clock.t += 30
    assert w.tick() == []
    # Once OBS has been connected, losing it is a disconnect (held for 5 s), with the
    # runbook's automatic coupon pause offered to run.
    w.observe_device("obs", "connected")
    w.observe_device("obs", "unreachable")
    clock.t += 5.1
    (s,) = w.tick()
    assert s.runbook.id == "stream" and s.alarm == "obs.disconnected"
    assert s.automatic == (0,) and s.runbook.actions[0].type == "coupons_pause"
