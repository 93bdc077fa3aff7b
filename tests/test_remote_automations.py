"""Automations: a located error for every mistake in the file; firings reach a real OSC
receiver (liblo's oscdump), the dispatcher and HTTP targets; a target that never answers is
logged as failed and holds nothing up."""
from __future__ import annotations

import logging
import socket
import subprocess
import time

import pytest

from studio_app.remote.automations import AutomationError, AutomationRunner, events, parse, render
from tests.harness.remote_studio import RemoteStudio
from tests.harness.ws_clients import end
from tests.test_remote_server import need, wait_until


def test_a_good_file_loads():
    autos = parse(b'''
[[automation]]
name = "lights"
when = "segment.start"
segment = "coat"
osc = { target = "127.0.0.1:9000", address = "/lights/{segment.id}", args = ["{segment.title}", 1, true] }

[[automation]]
when = "coupon.t_minus"
seconds = 30
http = { url = "http://127.0.0.1:9/say", body = '{"text": "{coupon.rule} {{x}}"}' }
''')
    assert [(a.index, a.line, a.when, a.output) for a in autos] == [
        (1, 2, "segment.start", "osc"), (2, 8, "coupon.t_minus", "http")]
    assert autos[1].seconds == 30 and autos[0].segment == "coat"


@pytest.mark.parametrize("text, message", [
    (b"[[automation]]\nwhen = \n", "automations.toml: Invalid value (at line 2, column 8)"),
    (b"[[automation]]\nwhen = \"segment.begin\"\nosc = {target=\"h:1\", address=\"/a\"}\n",
     "automations.toml:1: automation 1: when = 'segment.begin' is not a trigger"),
    (b"[[automation]]\nwhen = \"card.pushed\"\naction = { name = \"show.go\" }\n[[automation]]\nname = \"price\"\nwhen = \"card.pushed\"\n"
     b"action = { name = \"obs.text\", args = { text = \"{product.prize}\" } }\n",
     "automations.toml:4: automation 2 (price): action.args.text: unknown template field {product.prize}"),
    (b"[[automation]]\nwhen = \"card.pushed\"\n", "give exactly one output: osc, http or action (got 0)"),
    (b"[[automation]]\nwhen = \"coupon.t_minus\"\naction = {name = \"show.go\"}\n", "coupon.t_minus needs seconds"),
    (b"[[automation]]\nwhen = \"show.start\"\nosc = {target = \"nowhere\", address = \"/a\"}\n",
     "osc.target: 'nowhere': expected [HOST:]PORT"),
    (b"[[automation]]\nwhen = \"show.start\"\nhttp = {url = \"ftp://x\"}\n", "http.url: must start with http://"),
    (b"[[automation]]\nwhen = \"show.start\"\nhttp = {url = \"http://x\"}\ncolour = 1\n", "unknown key 'colour'"),
    (b"[lights]\n", "unknown table 'lights'"),
    (b"\xff\xfe", "automations.toml:1: not UTF-8 text"),
    (b"a = " + b"[" * 2000 + b"]" * 2000, "automations.toml: "),
])
def test_every_mistake_is_one_located_line(text, message):
    with pytest.raises(AutomationError) as err:
        parse(text)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_templates():
    assert render("{segment.title} {{x}} {nope}", {"segment.title": "开场"}) == "开场 {x} "


def test_triggers_between_two_snapshots():
    s = RemoteStudio()
    before = s.state_dict()
    s.dispatch("show.go")
    assert [e for e, _ in events(before, s.state_dict())] == ["show.start", "segment.start"]
    before = s.state_dict()
    s.dispatch("show.go")
    s.dispatch("card.push", slot=1)
    got = events(before, s.state_dict())
    assert [e for e, _ in got] == ["segment.end", "segment.start", "card.pushed"]
    assert got[0][1]["segment.title"] == "开场暖场"
    before = s.state_dict()
    s.dispatch("coupon.drop_now")
    assert [e for e, _ in events(before, s.state_dict())] == ["coupon.start"]
    before = s.state_dict()
    s.dispatch("show.end", confirm=True)
    assert [e for e, _ in events(before, s.state_dict())] == ["segment.end", "show.end"]


def test_firings_reach_osc_the_dispatcher_and_http_and_a_dead_target_blocks_nothing(caplog):
    caplog.set_level(logging.INFO, logger="studio_app.remote.automations")
    oscdump = need("oscdump", "liblo-tools")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        osc_port = probe.getsockname()[1]
    # A target that accepts the connection and never answers (a hung lighting PC).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    hung_port = silent.getsockname()[1]
    dump = subprocess.Popen([oscdump, "-L", str(osc_port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    studio = RemoteStudio()
    autos = parse(f'''
[[automation]]
name = "hung lights"
when = "segment.start"
http = {{ url = "http://127.0.0.1:{silent.getsockname()[1]}/cue?key=secret", timeout = 1 }}

[[automation]]
name = "lights"
when = "segment.start"
osc = {{ target = "127.0.0.1:{osc_port}", address = "/lights/{{segment.id}}", args = ["{{segment.title}}", 1] }}

[[automation]]
name = "tell the anchor"
when = "card.pushed"
action = {{ name = "message.send", args = {{ text = "讲解 {{product.name}} ¥{{product.live_price}}" }} }}

[[automation]]
name = "impossible"
when = "show.start"
action = {{ name = "show.back" }}
'''.encode())
    runner = AutomationRunner(studio, autos).start()
    try:
        time.sleep(0.3)  # oscdump binds
        runner._call(lambda: studio.dispatch("show.go")).result(5)  # noqa: SLF001 - on the studio's thread
        wait_until(lambda: autos[1].firings == 1)
        runner._call(lambda: studio.dispatch("card.push", slot=1)).result(5)  # noqa: SLF001
        # The action ran while the hung HTTP target was still being waited on.
        wait_until(lambda: studio.message == "讲解 羊绒大衣 ¥599")
        assert autos[0].last_result == ""  # still waiting
        wait_until(lambda: autos[0].last_result, timeout=10)
        line = dump.stdout.readline()
    finally:
        runner.stop()
        end(dump)
        silent.close()
    assert line.split(" ", 1)[1].strip() == '/lights/open si "开场暖场" 1', line
    assert autos[0].last_result == f"failed: HTTP http://127.0.0.1:{hung_port}/cue: no answer within 1 s"
    assert autos[2].last_result == "ok: action message.send: 200 sent"
    assert autos[3].last_result.startswith("failed: action show.back: 409")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "automation hung lights (segment.start): HTTP" in text and "secret" not in text
    assert "automation lights: segment.start fired (osc)" in text


def test_triggers_fire_once_each_on_the_real_studios_show(tmp_path):
    """The sample show on the real Studio with a hand-driven clock: the segment's phases and a
    coupon's T-minus fire their automations once each, in order."""
    from studio_app.show.clock import ManualClock
    from tests.harness.remote_show import real_studio

    clock = ManualClock()
    studio = real_studio(tmp_path, ticker=False, clock=clock)
    names = ["segment.start", "phase.warning", "phase.danger", "phase.overtime", "coupon.t_minus", "coupon.start",
             "segment.end"]
    text = "".join(
        f'[[automation]]\nname = "{n}"\nwhen = "{n}"\n'
        + ('seconds = 10\n' if n.endswith("t_minus") else "")
        + f'action = {{ name = "prompter.speed", args = {{ delta = 1 }} }}\n' for n in names)
    autos = parse(text.encode())
    order: list[str] = []
    runner = AutomationRunner(studio, autos, on_result=lambda a: order.append(a.label)).start()

    def step(do) -> None:
        do()
        studio.tick()
        want = studio.state_dict()["show"]
        wait_until(lambda: runner.last_state is not None and runner.last_state["show"] == want)

    try:
        step(lambda: studio.dispatch("show.go"))
        for _ in range(33):  # the first segment (5 min) into overtime, 10 s at a time
            step(lambda: clock.advance(10))
        step(lambda: studio.dispatch("show.jump", segment="coupon-1"))  # its drop fires 30 s in
        for _ in range(8):
            step(lambda: clock.advance(5))
        wait_until(lambda: len(order) >= 8)
    finally:
        runner.stop()
        studio.close()
    assert order == ["segment.start", "phase.warning", "phase.danger", "phase.overtime", "segment.end",
                     "segment.start", "coupon.t_minus", "coupon.start"]
    assert all(a.last_result.startswith("ok: action prompter.speed: 200") for a in autos)
