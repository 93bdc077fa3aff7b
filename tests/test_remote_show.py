"""A whole show from GO to the end driven only through remote calls, against the real Studio
and the real (headless) OBS: curl for HTTP, liblo's oscsend for OSC, headless Chromium for the
WebSocket. OBS's program scene follows the segments; products, a coupon drop and a message
blink arrive; the event log holds one desk.action per call, naming the remote caller."""
from __future__ import annotations

import json
import subprocess

import pytest

from hardware.obs import ObsLink
from studio_app.remote.server import RemoteConfig, RemoteServer
from studio_app.store import EventLog, fetch_events, open_engine
from tests.harness.remote_show import real_studio
from tests.test_desk_show_obs import program_scene
from tests.test_remote_server import TOKEN, bearer, curl, need, post, wait_until

pytestmark = pytest.mark.obs


def test_a_whole_show_runs_from_go_to_the_end_through_remote_calls_only(obs, chromium, tmp_path):
    oscsend = need("oscsend", "liblo-tools")
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    link = ObsLink(obs.host, obs.port, obs.password)
    link.start()
    studio = real_studio(tmp_path, log=log, obs=link)
    server = RemoteServer(studio, RemoteConfig(host="127.0.0.1", port=0, osc_port=0, token=TOKEN)).start()
    try:
        wait_until(lambda: link.state.connected, timeout=15)
        assert curl(*bearer(), f"{server.url}/actions")[1] == studio.actions()
        # The browser follows the show over the WebSocket and sends the coupon drop itself.
        chromium.navigate(f"{server.url}/variables?token={TOKEN}")
        chromium.evaluate(f"""window.got = []; window.sock = new WebSocket(
            'ws://127.0.0.1:{server.port}/api/v1/ws?token={TOKEN}');
            window.sock.onmessage = (e) => window.got.push(JSON.parse(e.data)); true""")
        chromium.wait_for("window.got.some(m => m.type === 'variables')")

        status, answer = post(server, "show.go")
        assert status == 200, answer
        scenes_seen, segments_seen, calls = [], [], 1
        while True:
            state = curl(*bearer(), f"{server.url}/state")[1]
            seg = state["show"]["segment"]
            segments_seen.append(seg["id"])
            if seg.get("scene"):
                # OBS's own word (its SceneChanged event through the link), then asked directly.
                wait_until(lambda: link.state.program_scene == seg["scene"], timeout=10)
                assert program_scene(obs) == seg["scene"]
                scenes_seen.append(seg["scene"])
            if segments_seen == [segments_seen[0]]:
                # First segment: a product over OSC (slot 1 of the segment, if it has one),
                # a message and its blink over HTTP, a coupon over the WebSocket.
                assert post(server, "message.send", json.dumps({"text": "准备上链接"}))[0] == 200
                assert post(server, "message.blink", '{"on": true}')[0] == 200
                calls += 2
                wait_until(lambda: studio.state().message.blink)
            if any(c["slot"] for c in state["cards"] if c.get("slot")) and "pushed" not in segments_seen:
                subprocess.run([oscsend, "127.0.0.1", str(server.osc_port), "/studio/card.push", "si", "slot", "1"],
                               check=True, timeout=10)
                calls += 1
                wait_until(lambda: studio.state().card is not None)
                assert curl(*bearer(), f"{server.url}/variables")[1]["product.name"] == studio.state().card.name
                segments_seen.append("pushed")
            pending = [c for c in state["coupons"] if c["status"] in ("pending", "announced")]
            if pending and "dropped" not in segments_seen:
                chromium.evaluate("window.sock.send(JSON.stringify({type: 'action', id: 'drop', "
                                  "name: 'coupon.drop_now', args: {}})); true")
                reply = chromium.wait_for("window.got.find(m => m.id === 'drop')")
                assert reply["ok"] and reply["status"] == 200, reply
                calls += 1
                segments_seen.append("dropped")
            if state["next_segment"] is None:
                break
            assert post(server, "show.go")[0] == 200
            calls += 1
        assert post(server, "show.end")[0] == 409  # needs confirm
        assert post(server, "show.end", '{"confirm": true}')[0] == 200
        calls += 2
        wait_until(lambda: curl(*bearer(), f"{server.url}/variables")[1]["show.playback"] == "ended")
        chromium.wait_for("window.got.some(m => m.type === 'variables' && m.variables['show.playback'] === 'ended')")
        chromium.evaluate("window.sock.close(); true")
    finally:
        server.stop()
        studio.close()
        link.stop()
        assert log.flush(5.0)
        log.close()
    segment_ids = [s for s in segments_seen if s not in ("pushed", "dropped")]
    assert len(segment_ids) >= 5 and "pushed" in segments_seen and "dropped" in segments_seen
    assert {"Opening", "Product"} <= set(scenes_seen)
    engine = open_engine(url)
    try:
        actions = [e.payload for e in fetch_events(engine) if e.kind == "desk.action"]
    finally:
        engine.dispose()
    assert len(actions) == calls  # one event per remote call, none from anywhere else
    assert {a["by"] for a in actions} == {"http", "osc", "ws"}
    assert [a["action"] for a in actions if a["by"] == "osc"] == ["card.push"]


def test_drill_mode_applies_to_remote_actions_as_to_keys(obs, tmp_path):
    """In a drill, OBS's program stays untouched whoever asks: a remote GO still runs the show
    (and the anchor's screen) but its scene goes nowhere near program; streaming is refused."""
    link = ObsLink(obs.host, obs.port, obs.password)
    link.start()
    studio = real_studio(tmp_path, obs=link)
    server = RemoteServer(studio, RemoteConfig(host="127.0.0.1", port=0, osc_port=0, token=TOKEN)).start()
    try:
        wait_until(lambda: link.state.connected and link.state.program_scene == "Opening", timeout=15)
        assert post(server, "drill.start")[0] == 200
        assert post(server, "show.go")[0] == 200
        status, answer = post(server, "show.go")  # to 羊绒围巾讲解, scene Product
        assert status == 200, answer
        status, answer = post(server, "obs.stream.start")
        assert status == 409 and answer["data"].get("drill") == "skipped", answer
        status, answer = post(server, "obs.scene", '{"scene": "BRB"}')
        assert status == 409 and answer["data"].get("drill") == "skipped", answer  # no studio mode: not sent
        flat = curl(*bearer(), f"{server.url}/variables")[1]
        assert flat["drill"] == "1" and flat["segment.id"] == "scarf"
        assert program_scene(obs) == "Opening" and not link.state.streaming
    finally:
        server.stop()
        studio.close()
        link.stop()
