"""The studio core without Qt: one dispatcher over a registry, one snapshot, the anchor's
message in one place, runbook steps as registry actions, drill rules, one log event per
action. (The same studio drives the real OBS in test_studio_obs.py.)"""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from studio_app.core.devices import DeviceBoard, DeviceStatus, Level
from studio_app.core.events import MemorySink
from studio_app.core.paths import sample_show_path
from studio_app.core.settings import Settings
from studio_app.show.clock import ManualClock
from studio_app.show.emergency import RunbookError, default_runbooks_path
from studio_app.studio import REGISTRY, ActionResult, Studio, action_list
from studio_app.studio.keys import DESK_KEYS
from studio_app.studio.runbooks import load_checked, loads_checked
from tests.harness.fake_obs import FakeObsLink

CONTRACT = """show.go show.back show.hold show.jump show.adjust show.end card.push card.stop card.shelve
card.unshelve card.sold_out stock.adjust stock.freeze coupon.drop_now coupon.delay coupon.cancel coupon.confirm
coupon.pause_all message.send message.blink message.blackout message.hide prompter.speed prompter.pause obs.scene
obs.preview obs.stream.start obs.stream.stop obs.record.start obs.record.stop obs.text mic.mute mic.unmute
camera.use_backup camera.use_main runbook.open runbook.tick runbook.close drill.start drill.stop""".split()


def FakeLink() -> FakeObsLink:  # noqa: N802 - reads like the class it stands for
    return FakeObsLink(resolve=True)


@pytest.fixture
def studio(tmp_path):
    log = MemorySink()
    s = Studio(Settings(tmp_path / "settings.toml"), log, board=DeviceBoard(), obs=FakeLink(), clock=ManualClock(),
               runbooks=load_checked(default_runbooks_path()))
    s.load_show(sample_show_path())
    yield s
    s.close()


def actions_logged(studio: Studio) -> list[str]:
    return [e.payload["action"] for e in studio.log.events if e.kind == "desk.action"]


def test_esc_on_the_desk_hides_what_the_anchor_sees_whoever_sent_it(studio):
    """The message has one home: sent by the cue panel, a runbook step or a remote button,
    message.hide (Esc on the desk) takes it off the anchor's screen."""
    for send in (lambda: studio.dispatch_from("cue_panel", "message.send", {"text": "看镜头 2"}),
                 lambda: studio.dispatch("runbook.open", id="mic"),  # its cue_message step
                 lambda: studio.dispatch_from("http", "message.send", {"text": "准备上链接", "blink": True})):
        assert send().ok
        assert studio.state().cue.message.visible and studio.state().message.visible
        assert studio.dispatch_from("key", "message.hide").ok
        st = studio.state()
        assert not st.cue.message.visible and not st.cue.message.blink and not st.message.visible
        studio.dispatch("runbook.close")


def test_the_registry_holds_the_contract_names_and_lists_like_the_cli(studio):
    assert set(CONTRACT) <= set(REGISTRY)
    listed = studio.actions()
    assert listed == action_list()
    for a in listed:
        assert set(a) >= {"name", "args", "description", "drill", "confirm"}
        assert a["drill"] in ("run", "preview", "skip") and a["description"] and a["description_zh"]
        assert all(set(x) == {"name", "type", "required", "description"} for x in a["args"])
    confirm = {a["name"] for a in listed if a["confirm"]}
    assert confirm == {"obs.stream.stop", "show.end"}
    out = subprocess.run([sys.executable, "-m", "studio_app", "actions", "--json"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert [a["name"] for a in json.loads(out.stdout)] == [a["name"] for a in listed]
    text = subprocess.run([sys.executable, "-m", "studio_app", "actions"], capture_output=True, text=True, timeout=60)
    assert text.returncode == 0 and "obs.stream.stop" in text.stdout and "confirm=true" in text.stdout


def test_every_desk_key_is_a_registry_action_with_valid_arguments():
    from studio_app.studio.actions import resolve, validate

    for k in DESK_KEYS:
        if k.action:
            spec, _ = resolve(k.action)
            assert spec is not None, k.id
            needs = {"card": {"sku": "SK-2001"}, "segment": {"segment": "2"}}.get(k.needs, {})
            validate(spec, {**k.args, **needs})


def test_the_dispatcher_validates_refuses_and_never_raises(studio):
    r = studio.dispatch("no.such.action")
    assert (r.ok, r.code) == (False, "unknown")
    r = studio.dispatch("show.adjust", seconds="ten")
    assert r.code == "bad_args" and "seconds" in r.message
    r = studio.dispatch("show.adjust")
    assert r.code == "bad_args" and "missing" in r.message
    r = studio.dispatch("show.jump", segment="2", colour="red")
    assert r.code == "bad_args" and "'colour'" in r.message
    r = studio.dispatch("show.end")
    assert r.code == "refused" and "confirm" in r.message
    assert studio.state().playback == "standby"
    r = studio.dispatch("card.shelve", sku="NOPE")
    assert r.code == "refused" and "\n" not in r.message
    assert studio.dispatch("show.end", confirm="true").ok and studio.state().playback == "ended"
    assert isinstance(studio.dispatch("show.go"), ActionResult)
    assert {e.payload["code"] for e in studio.log.events if e.kind == "desk.action"} == {
        "unknown", "bad_args", "refused", "ok"}


def test_old_names_are_aliases_and_numbers_count_from_one(studio):
    assert studio.dispatch("go").ok
    assert studio.state().segment.index == 1
    assert studio.dispatch("show.jump", segment="3").ok
    st = studio.state()
    assert (st.segment.index, st.segment.id) == (3, "chat-1")
    assert studio.dispatch("show.jump", segment="scarf").ok and studio.state().segment.id == "scarf"
    assert studio.dispatch("hold").ok and studio.state().playback == "hold"
    assert studio.dispatch("resume").ok and studio.state().playback == "running"
    assert studio.dispatch("show.hold").ok and studio.state().playback == "hold"  # no "on": toggle
    assert studio.dispatch("card_push_slot", slot=1).ok
    assert studio.state().card.sku == "SK-2001" and studio.state().card.slot == 1


def test_state_dict_has_the_remote_contract_keys_and_is_json(studio):
    studio.dispatch("show.go")
    studio.dispatch("show.go")
    studio.dispatch("card.push", slot=1)
    d = studio.state_dict()
    json.dumps(d)
    assert d["show"]["playback"] == "running"
    assert {"index", "id", "title", "remaining_s", "phase"} <= set(d["show"]["segment"])
    assert d["show"]["segment"]["index"] == 2 and d["next_segment"]["index"] == 3
    assert d["card"]["sku"] == "SK-2001" and d["card"]["stock"] == 800
    assert any(c["id"] == "drop-1" and c["seconds"] is not None for c in d["coupons"])
    assert {"program_scene", "streaming", "recording"} <= set(d["obs"])
    assert {"devices", "alarms", "drill"} <= set(d)


def test_drill_leaves_program_alone_and_skips_what_viewers_would_see(studio):
    link = studio.obs
    assert studio.dispatch("drill.start").ok
    r = studio.dispatch("obs.scene", scene="BRB")
    assert r.code == "refused" and r.data == {"drill": "skipped"}  # studio mode off: nothing to preview
    link.state.studio_mode = True
    assert studio.dispatch("obs.scene", scene="BRB").ok
    r = studio.dispatch("mic.mute")
    assert r.code == "refused" and r.data == {"drill": "skipped", "reason_code": "drill_skipped",
                                              "reason_fields": {"action": "mic.mute"}}
    assert studio.dispatch("show.go").ok  # the show logic runs; its scene goes to preview
    assert all(c[0] != "switch_scene" and c[0] != "set_text" and c[0] != "set_mute" for c in link.calls)
    assert ("set_preview_scene", "BRB") in link.calls
    assert studio.dispatch("message.send", text="测试").ok
    assert studio.state().cue.message.text.startswith("[演练 DRILL]") and studio.state().cue.drill
    inc = studio.dispatch("runbook.open", id="camera").data["incident"]
    runs = studio.emergency.incident(inc).actions
    assert runs[0].sent_as == "obs.preview" and runs[0].status == "ok"
    assert [r.status for r in runs][2] == "skipped"  # the backup camera: viewers would see it
    assert studio.dispatch("drill.stop").ok
    assert studio.dispatch("mic.mute").ok and link.calls[-1] == ("set_mute", "Mic/Aux", True)


def test_runbook_steps_are_registry_actions_and_each_is_logged_once(studio):
    before = len(actions_logged(studio))
    assert studio.dispatch("show.go").ok
    r = studio.dispatch("runbook.open", id="mic")
    assert r.ok
    inc = studio.emergency.incident(r.data["incident"])
    assert [a.action.step_name for a in inc.actions] == ["mic.mute", "mic.unmute", "message.send", "show.hold"]
    assert [a.status for a in inc.actions] == ["ok", "ok", "ok", "ok"]
    assert studio.state().playback == "hold"
    assert studio.dispatch("runbook.tick", item=1).ok
    assert studio.dispatch("runbook.tick", item=99).code == "refused"
    assert studio.dispatch("runbook.close", note="spare mic").ok
    logged = actions_logged(studio)[before:]
    assert logged == ["show.go", "mic.mute", "mic.unmute", "message.send", "show.hold", "runbook.open",
                      "runbook.tick", "runbook.tick", "runbook.close"]
    by = [e.payload["by"] for e in studio.log.events if e.kind == "desk.action"][before:]
    assert by[1:5] == ["runbook"] * 4


def test_a_runbook_naming_an_action_the_registry_lacks_is_refused_with_its_line():
    text = """format = 1
[[runbook]]
id = "x"
name_zh = "测试"
[[runbook.action]]
type = "obs.scene"
scene = "BRB"
[[runbook.action]]
type = "obs.teleport"
"""
    with pytest.raises(RunbookError) as err:
        loads_checked(text, "rb.toml")
    assert str(err.value).startswith("rb.toml:8:") and "obs.teleport" in str(err.value)
    with pytest.raises(RunbookError) as err:
        loads_checked(text.replace('type = "obs.teleport"', 'type = "show.adjust"\nseconds = "lots"'), "rb.toml")
    assert "seconds" in str(err.value)
    books = loads_checked(text.replace('[[runbook.action]]\ntype = "obs.teleport"\n', ""), "rb.toml")
    assert books.runbooks[0].actions[0].step_args == {"scene": "BRB"}


def test_subscribers_get_new_snapshots_on_the_notifier_thread(studio):
    got: list = []
    seen = threading.Event()
    caller = threading.current_thread()

    def listener(state):
        got.append((state, threading.current_thread()))
        if state.playback == "running":
            seen.set()

    unsubscribe = studio.subscribe(listener)
    studio.dispatch("show.go")
    assert seen.wait(5)
    assert all(t is not caller for _s, t in got)
    unsubscribe()


def mic_lost() -> DeviceStatus:
    """The board's status for a lost mic, in the typed vocabulary when the device supervisor
    (branch devices, hardware/supervisor.py) is there, else the words it replaces."""
    try:
        from hardware.supervisor import DeviceState
    except ImportError:
        return DeviceStatus("mic", "lost", Level.ERROR, "gone")
    return DeviceStatus("mic", DeviceState.LOST, "gone")


def test_alarms_from_the_board_suggest_a_runbook_at_the_next_tick(studio):
    studio.board.report(mic_lost())
    studio.tick()
    st = studio.state()
    assert "mic.lost" in st.alarms and st.suggestions and st.suggestions[0].runbook == "mic"
    incident = studio.accept_suggestion()
    assert incident and studio.state().incidents[0].runbook == "mic" and not studio.state().suggestions


def test_prompter_and_anchor_profile_actions_change_the_anchors_screen(studio):
    assert studio.dispatch("prompter.speed", delta=2).ok
    assert studio.state().cue.prompter.step == 5
    assert studio.dispatch("prompter.pause", on=False).ok and studio.state().prompter.running
    assert studio.dispatch("anchor.profile", name="substitute").ok
    st = studio.state()
    assert st.anchor_profile == "substitute" and st.prompter.step == 2 and dict(st.reading)["script_size"] == 140
    r = studio.dispatch("anchor.profile", name="nobody")
    assert r.code == "refused" and "no anchor profile 'nobody'" in r.message


def test_coupon_drops_fire_on_ticks_and_are_confirmed_through_actions(studio):
    clock = studio.clock
    studio.dispatch("show.go")
    studio.dispatch("show.jump", segment="coupon-1")
    clock.advance(31)
    studio.tick()
    drop = next(c for c in studio.state().coupons if c.id == "drop-1")
    assert drop.status == "live" and not drop.confirmed
    assert studio.dispatch("coupon.confirm").ok
    assert next(c for c in studio.state().coupons if c.id == "drop-1").confirmed
    assert studio.dispatch("coupon.pause_all").ok and studio.state().coupons_paused
    assert studio.dispatch("coupon.pause_all", on=False).ok and not studio.state().coupons_paused


def test_a_resumed_show_gets_its_message_back_from_the_log(studio, tmp_path):
    from studio_app.show.desk import ShowDesk

    studio.dispatch("show.go")
    studio.dispatch("message.send", text="讲快一点", blink=True)
    run = [e for e in studio.log.events if e.payload and e.payload.get("run") == studio.show.run_id]
    back = Studio(Settings(tmp_path / "s2.toml"), MemorySink(), clock=ManualClock())
    back.set_show(ShowDesk.resume(studio.show.show, run, back.clock), run, fresh=False)
    m = back.state().cue.message
    assert (m.text, m.visible, m.blink) == ("讲快一点", True, True) and back.state().playback == "running"
    back.close()


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

ANY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                      st.text(max_size=20), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3),
                                                                                               st.integers(), max_size=2))


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.sampled_from(sorted(REGISTRY) + ["go", "hold", "nope", ""]), ANY_VALUE),
                          st.one_of(st.dictionaries(st.sampled_from(["sku", "slot", "seconds", "segment", "id", "on",
                                                                     "text", "confirm", "delta", "item", "x"]),
                                                    ANY_VALUE, max_size=3), ANY_VALUE)), max_size=12))
def test_whatever_a_client_sends_the_dispatcher_answers_and_never_raises(calls):
    log = MemorySink()
    studio = Studio(Settings(), log, obs=FakeLink(), clock=ManualClock())
    studio.load_show(sample_show_path())
    for name, args in calls:
        r = studio.dispatch_from("http", name, args)
        assert isinstance(r, ActionResult) and r.code in ("ok", "bad_args", "unknown", "refused")
        assert r.ok == (r.code == "ok") and "\n" not in r.message
        json.dumps(r.to_dict())
        studio.clock.advance(1.0)
        studio.tick()
    json.dumps(studio.state_dict())
    assert len([e for e in log.events if e.kind == "desk.action" and e.payload["by"] == "http"]) == len(calls)
    studio.close()


def test_phones_get_the_anchors_screen_from_the_studio_itself(studio):
    """The LAN view is the studio's: a remote message reaches a phone with no desk window."""
    from websockets.sync.client import connect

    from tests.harness import free_port

    port = free_port()
    url = studio.open_lan("127.0.0.1", port, "t0ken")
    assert url == f"http://127.0.0.1:{port}/cue?token=t0ken"
    with connect(f"ws://127.0.0.1:{port}/ws?token=t0ken", open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["segment_title"] == "开场暖场"
        studio.dispatch_from("http", "message.send", {"text": "看镜头 2"})
        while not (d := json.loads(ws.recv(timeout=5)))["message"]["visible"]:
            pass
        assert d["message"]["text"] == "看镜头 2"
    studio.close_lan()
    assert studio.lan is None
