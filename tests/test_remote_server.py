"""Remote control through clients this project did not write, each in its own process: curl
for HTTP, liblo's oscsend/oscdump for OSC both ways, headless Chromium for the WebSocket, and a
raw never-reading socket. The studio behind it is the small working studio of
tests/harness/remote_studio.py (the real Studio's show-through-remote test is in
test_remote_show.py)."""
from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import time

import pytest

from studio_app.remote.api import clock, variables
from studio_app.remote.server import RemoteConfig, RemoteError, RemoteServer, parse_args, parse_listen
from tests.harness import unavailable
from tests.harness.remote_studio import RemoteStudio
from tests.harness.ws_clients import ReadingClient, end, stalled_clients

TOKEN = "t0ken-for-tests-8c1f2d"


def need(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        unavailable(binary, f"{binary} is not installed (apt-get install -y {package})")
    return path


@pytest.fixture
def studio():
    return RemoteStudio()


def start(studio: RemoteStudio, **config) -> RemoteServer:
    cfg = RemoteConfig(host="127.0.0.1", port=0, token=TOKEN, osc_port=0, **config)
    return RemoteServer(studio, cfg).start()


@pytest.fixture
def server(studio):
    s = start(studio)
    yield s
    s.stop()


def curl(*args: str, timeout: float = 30) -> tuple[int, dict | list | str]:
    """One request with curl; (HTTP status, parsed JSON body or text)."""
    proc = subprocess.run([need("curl", "curl"), "-sS", "-o", "-", "-w", "\n%{http_code}", *args],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    body, _, status = proc.stdout.rpartition("\n")
    try:
        return int(status), json.loads(body)
    except json.JSONDecodeError:
        return int(status), body


def bearer() -> list[str]:
    return ["-H", f"Authorization: Bearer {TOKEN}"]


def post(s: RemoteServer, name: str, body: str | None = None, *extra: str) -> tuple[int, dict]:
    args = [*bearer(), "-X", "POST", f"{s.url}/actions/{name}"]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "--data-binary", body]
    return curl(*args, *extra)


def wait_until(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not true within {timeout} s: {predicate}")


# ------------------------------------------------------------------------------- pure parts
def test_listen_address_parsing():
    assert parse_listen("8800") == ("127.0.0.1", 8800)
    assert parse_listen("0.0.0.0:9000") == ("0.0.0.0", 9000)
    assert parse_listen("[::1]:9000") == ("::1", 9000)
    for bad in ("", "abc", "host:", "65535", "0", "1.2.3.4:x"):
        with pytest.raises(ValueError) as err:
            parse_listen(bad)
        assert "\n" not in str(err.value)


def test_request_bodies():
    assert parse_args(b"") == ({}, "")
    assert parse_args(b' {"slot": 2} ') == ({"slot": 2}, "")
    assert "line 1, column 2" in parse_args(b"{x")[1]
    assert "not list" in parse_args(b"[1]")[1]
    assert "nested too deep" in parse_args(b"[" * 100_000)[1]
    assert "UTF-8" in parse_args(b'{"a": "\xff"}')[1]


def test_variables_are_flat_strings():
    flat = variables(RemoteStudio().state_dict())
    assert flat["segment.title"] == "开场暖场" and flat["segment.remaining"] == "01:35"
    assert flat["segment.phase"] == "warning" and flat["next.title"] == "爆款羊绒大衣讲解"
    assert flat["segment.phase_code"] == "2"
    assert flat["coupon.next"] == "满200减30" and flat["coupon.countdown"] == "03:00"
    assert flat["on_air"] == "0" and flat["alarms"] == "0" and flat["device.camera"] == "ok"
    assert all(isinstance(v, str) for v in flat.values())
    assert clock(-5.2) == "+00:06" and clock(59.1) == "01:00" and clock(None) == ""


def test_a_server_without_a_token_does_not_start(studio):
    with pytest.raises(RemoteError):
        RemoteServer(studio, RemoteConfig(port=0, token=""))


def test_port_in_use_is_one_line_without_the_token(server, studio):
    with pytest.raises(RemoteError) as err:
        RemoteServer(studio, RemoteConfig(host="127.0.0.1", port=server.port, token=TOKEN, osc=False)).start()
    assert f"127.0.0.1:{server.port}" in str(err.value) and TOKEN not in str(err.value) and "\n" not in str(err.value)


# ------------------------------------------------------------------------------- HTTP with curl
def test_registry_state_and_variables_over_http(server, studio):
    status, actions = curl(*bearer(), f"{server.url}/actions")
    assert status == 200 and actions == studio.actions()
    status, state = curl(f"{server.url}/state?token={TOKEN}")
    assert status == 200 and state["show"]["playback"] == "standby" and state["show"]["segment"]["index"] == 1
    status, flat = curl(*bearer(), f"{server.url}/variables")
    assert status == 200 and flat["segment.title"] == "开场暖场"


def test_an_action_runs_through_the_dispatcher_and_the_state_follows(server, studio):
    assert post(server, "show.go") == (200, {"ok": True, "message": "segment 1", "data": {"segment": "open"}})
    assert post(server, "show.go", "{}")[0] == 200
    status, answer = post(server, "card.push", '{"slot": 2}')
    assert status == 200 and answer["data"] == {"sku": "SKU-SCARF"}
    state = wait_until(lambda: (s := curl(*bearer(), f"{server.url}/state")[1])["card"] and s)
    assert state["show"]["segment"]["id"] == "coat" and state["card"]["name"] == "围巾"
    assert wait_until(lambda: curl(*bearer(), f"{server.url}/variables")[1]["product.name"] == "围巾")
    # Calls reach the studio on one thread, never the server's loop.
    assert studio.threads == {"remote-dispatch_0"}
    assert [r.name for r in server.last_actions] == ["show.go", "show.go", "card.push"]
    assert studio.callers == ["http"] * 3  # the event log names the caller


def test_every_refusal_is_a_clear_json_answer_and_a_log_line(server, studio, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="studio_app.remote")
    url = f"{server.url}/actions/show.go"
    assert curl("-X", "POST", url) == (401, {"ok": False, "data": {}, "message": (
        "no token or a wrong one: send Authorization: Bearer TOKEN or ?token=TOKEN")})
    assert curl("-X", "POST", f"{url}?token=wrong")[0] == 401
    assert curl("-X", "POST", "-H", "Authorization: Bearer wrong", url)[0] == 401
    status, answer = post(server, "show.fly")
    assert status == 404 and "show.fly" in answer["message"]
    status, answer = post(server, "card.push", '{"slot": "two"}')
    assert status == 400 and answer["ok"] is False and "slot" in answer["message"]
    status, answer = post(server, "card.push", '{"slot": ')
    assert status == 400 and "not JSON" in answer["message"] and "column" in answer["message"]
    assert post(server, "card.push", "[2]")[0] == 400
    status, answer = post(server, "show.end")
    assert status == 409 and "confirm" in answer["message"]
    big = tmp_path / "big.json"
    big.write_text('{"text": "' + "x" * 2_000_000 + '"}')
    status, answer = post(server, "message.send", f"@{big}")
    assert status == 413 and "65536 bytes" in answer["message"]
    status, answer = curl(*bearer(), f"{server.url}/nope")
    assert status == 404 and answer["ok"] is False
    # Nothing refused reached the studio's rules as a half-done action.
    assert [(n, c) for n, _, c in studio.dispatched] == [
        ("show.fly", "unknown"), ("card.push", "bad_args"), ("show.end", "refused")]
    assert studio.playback == "standby"
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert text.count("no token or a wrong one") == 3 and "body over 65536 bytes" in text
    assert "show.fly from 127.0.0.1: 404" in text and "not JSON" in text
    assert TOKEN not in text and "wrong" not in text.replace("a wrong one", "")


def test_confirm_runs_what_needs_it(server, studio):
    assert post(server, "show.end", '{"confirm": true}')[0] == 200
    assert studio.playback == "ended"


def test_a_flood_from_one_client_is_rate_limited(studio, caplog):
    caplog.set_level(logging.WARNING, logger="studio_app.remote")
    s = start(studio, rate_per_s=20, burst=10)
    try:
        # 150 requests from one curl process, back to back (one connection).
        urls = []
        for _ in range(150):
            urls += ["-X", "POST", f"{s.url}/actions/show.hold?token={TOKEN}", "-o", "/dev/null"]
        proc = subprocess.run([need("curl", "curl"), "-sS", "-w", "%{http_code}\n", *urls],
                              capture_output=True, text=True, timeout=60)
        codes = proc.stdout.split()
    finally:
        s.stop()
    assert len(codes) == 150 and codes.count("429") > 50 and codes[0] == "409"  # nothing to hold: standby
    # Each refused request never reached the studio; each allowed one did, whole.
    assert len(studio.dispatched) == codes.count("409")
    lines = [r.getMessage() for r in caplog.records if "rate-limited" in r.getMessage()]
    assert len(lines) == 1 and "127.0.0.1" in lines[0]


def test_each_flood_gets_its_line_not_only_the_first_ever(caplog):
    """Found by the soak: a client's second flood (minutes later) was refused but never logged."""
    from studio_app.remote.server import RateLimit

    caplog.set_level(logging.WARNING, logger="studio_app.remote")
    limit = RateLimit(1.0, 1)
    assert limit.allow("10.0.0.9", now=0.0)
    assert [limit.allow("10.0.0.9", now=t) for t in (0.1, 0.2, 0.3)] == [False, False, False]
    assert limit.allow("10.0.0.9", now=60.0)  # quiet for a minute: the bucket is full again
    assert not limit.allow("10.0.0.9", now=60.1)  # a new flood
    lines = [r.getMessage() for r in caplog.records if "rate-limited" in r.getMessage()]
    assert len(lines) == 2 and "4 refused" in lines[1], lines


# ------------------------------------------------------------------------------- OSC with liblo
def test_osc_runs_actions_with_positional_or_named_arguments(server, studio):
    oscsend = need("oscsend", "liblo-tools")
    port = str(server.osc_port)
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/show.go"], check=True, timeout=10)
    wait_until(lambda: studio.playback == "running")
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/show/go"], check=True, timeout=10)
    wait_until(lambda: studio.index == 1)
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/card.push", "si", "slot", "2"], check=True, timeout=10)
    wait_until(lambda: studio.card == 1)
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/card.push", "s", "SKU-COAT"], check=True, timeout=10)
    wait_until(lambda: studio.card == 0)
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/show.end"], check=True, timeout=10)
    wait_until(lambda: [r.code for r in server.last_actions][-1:] == ["refused"])  # needs confirm
    assert studio.playback == "running"
    subprocess.run([oscsend, "127.0.0.1", port, "/studio/show.end", "sT", "confirm"], check=True, timeout=10)
    wait_until(lambda: studio.playback == "ended")
    assert [r.via for r in server.last_actions] == ["osc"] * len(server.last_actions)
    assert set(studio.callers) == {"osc"}


def test_malformed_osc_and_strangers_are_logged_and_never_run_anything(studio, caplog):
    caplog.set_level(logging.WARNING, logger="studio_app.remote")
    oscsend = need("oscsend", "liblo-tools")
    s = start(studio)
    stranger = start(RemoteStudio(), osc_allow=("10.0.0.0/8",))
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for junk in (b"hello", b"/studio/show.go", b"#bundle\x00" + b"\xff" * 3,
                         b"/studio/show.go\x00,i\x00\x00",  # an int argument with no bytes
                         # a bundle element of negative size: python-osc reads it as an empty bundle
                         b"#bundle\x00" + b"\x00" * 8 + b"\xff\xff\xff\xf0garbage"):
                sock.sendto(junk, ("127.0.0.1", s.osc_port))
        subprocess.run([oscsend, "127.0.0.1", str(s.osc_port), "/lights/on"], check=True, timeout=10)
        subprocess.run([oscsend, "127.0.0.1", str(s.osc_port), "/studio/show.go", "iii", "1", "2", "3"],
                       check=True, timeout=10)
        subprocess.run([oscsend, "127.0.0.1", str(stranger.osc_port), "/studio/show.go"], check=True, timeout=10)
        # An order to prove the junk was handled (not still queued): a good message after it runs.
        subprocess.run([oscsend, "127.0.0.1", str(s.osc_port), "/studio/show.go"], check=True, timeout=10)
        wait_until(lambda: studio.playback == "running")
    finally:
        s.stop()
        stranger.stop()
    assert [n for n, _, _ in studio.dispatched] == ["show.go"]
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert text.count("malformed OSC") == 5
    assert "'/lights/on' is not /studio/<action>" in text
    assert "3 arguments, the action takes 0" in text
    assert "OSC from 127.0.0.1 refused: not an allowed source address" in text


def test_variables_go_back_to_osc_targets_on_change(studio, tmp_path):
    oscdump = need("oscdump", "liblo-tools")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        target_port = probe.getsockname()[1]
    dump = subprocess.Popen([oscdump, "-L", str(target_port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        time.sleep(0.3)  # oscdump binds; nothing to wait on but its socket
        s = start(studio, osc_targets=(f"127.0.0.1:{target_port}",))
        try:
            assert post(s, "show.go")[0] == 200
            assert post(s, "show.go")[0] == 200
            lines: list[str] = []
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any("爆款羊绒大衣讲解" in x and "segment/title" in x for x in lines):
                lines.append(dump.stdout.readline())
        finally:
            s.stop()
    finally:
        end(dump)
    assert any('/studio/var/show/playback s "running"' in x for x in lines), lines
    assert any('/studio/var/segment/title s "爆款羊绒大衣讲解"' in x for x in lines), lines
    assert any('/studio/var/segment/phase_code i 2' in x for x in lines), lines  # warning, as a number


# ------------------------------------------------------------------------------- WebSocket
def test_a_browser_gets_pushes_and_runs_actions_over_the_websocket(chromium, server, studio):
    chromium.navigate(f"{server.url}/variables?token={TOKEN}")
    # The URL as Companion's generic WebSocket module builds it (`ws://${host}:${port}`) from the
    # README's setup: host "127.0.0.1:PORT/api/v1/ws?token=TOKEN&_=", port PORT.
    host = f"127.0.0.1:{server.port}/api/v1/ws?token={TOKEN}&_="
    chromium.evaluate(f"""
        window.got = []; window.sock = new WebSocket(`ws://{host}:{server.port}`);
        window.sock.onmessage = (e) => window.got.push(JSON.parse(e.data));
        true""")
    chromium.wait_for("window.got.some(m => m.type === 'state') && window.got.some(m => m.type === 'variables')")
    assert chromium.evaluate("window.got.find(m => m.type === 'state').state.show.playback") == "standby"
    # Companion's module adds "\r\n" to what it sends.
    chromium.evaluate("window.sock.send(JSON.stringify({type: 'action', id: 'b1', name: 'show.go', args: {}}) + '\\r\\n'); true")
    reply = chromium.wait_for("window.got.find(m => m.id === 'b1')")
    assert reply["type"] == "result" and reply["ok"] is True and reply["status"] == 200
    chromium.wait_for("window.got.some(m => m.type === 'variables' && m.variables['show.playback'] === 'running')")
    # Bad messages get an answer with the same id; the connection stays up.
    chromium.evaluate("""window.sock.send(JSON.stringify({type: 'action', id: 7, name: 'card.push', args: {slot: 'x'}}));
        window.sock.send('not json'); window.sock.send(JSON.stringify({type: 'action', id: 8, name: 'nope'})); true""")
    bad = chromium.wait_for("window.got.find(m => m.id === 7)")
    assert bad["status"] == 400 and "slot" in bad["message"]
    assert chromium.wait_for("window.got.find(m => m.id === 8)")["status"] == 404
    assert "not JSON" in chromium.wait_for("window.got.find(m => m.type === 'result' && m.id === null).message")
    # A change made over HTTP reaches the browser as a push.
    assert post(server, "card.push", '{"slot": 1}')[0] == 200
    chromium.wait_for("window.got.some(m => m.type === 'variables' && m.variables['product.name'] === '羊绒大衣')")
    chromium.evaluate("window.sock.close(); true")


def test_a_websocket_needs_the_token(server, chromium):
    chromium.navigate(f"{server.url}/variables?token={TOKEN}")
    chromium.evaluate(f"""window.wsClosed = null;
        const w = new WebSocket('ws://127.0.0.1:{server.port}/api/v1/ws?token=nope');
        w.onclose = (e) => window.wsClosed = 'closed ' + e.code; true""")
    assert chromium.wait_for("window.wsClosed") == "closed 1006"  # refused at the handshake
    assert server.ws_clients == 0
    upgrade = ["-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
               "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
    assert curl(*upgrade, f"{server.url}/ws?token=nope")[0] == 401


def test_a_client_that_stops_reading_is_dropped_while_a_reader_keeps_up(studio, caplog):
    caplog.set_level(logging.WARNING, logger="studio_app.core.fanout")
    s = start(studio, stall_s=2)
    stalled = stalled_clients("127.0.0.1", s.port, f"/api/v1/ws?token={TOKEN}")
    reader = ReadingClient(f"ws://127.0.0.1:{s.port}/api/v1/ws?token={TOKEN}", until="000299000299")
    try:
        for i in range(300):  # 48 KB states as fast as curl can post them: the stalled client backs up at once
            assert post(s, "message.send", json.dumps({"text": f"{i:06d}" * 8000}))[0] == 200
        got = reader.messages()
        wait_until(lambda: s.drops, timeout=20)  # its last write waits, then it is dropped
    finally:
        reader.kill()
        end(stalled)
        s.stop()
    states = [json.loads(m.data)["state"]["message"]["text"][:6] for m in got if json.loads(m.data)["type"] == "state"]
    assert states[-1] == "000299" and states == sorted(states)  # newest-only: maybe fewer, never older
    assert [d.reason for d in s.drops] == ["not reading for 2 s"]
    assert any("dropped client remote ws 127.0.0.1:" in r.getMessage() for r in caplog.records)


def test_the_token_never_reaches_the_logs(server, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    post(server, "show.go")
    curl(f"{server.url}/state?token={TOKEN}")
    curl(f"{server.url}/state?token={TOKEN}x")
    # A malformed request carrying the token (bare LF line ends): aiohttp would log its bytes.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(f"GET /api/v1/state?token={TOKEN} HTTP/1.1\nHost: x\n\n".encode())
        sock.settimeout(5)
        answer = sock.recv(4096)
    assert b" 400 " in answer.split(b"\r\n", 1)[0]  # (the answer echoes the sender's own bytes only)
    wait_until(lambda: any("malformed HTTP request refused" in r.getMessage() for r in caplog.records))
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert TOKEN not in text


def test_an_http_client_that_never_reads_its_answers_is_dropped(studio, caplog):
    from tests.harness.ws_clients import pipelining_reader_that_never_reads

    caplog.set_level(logging.WARNING, logger="studio_app.remote")
    s = start(studio, stall_s=2, rate_per_s=100_000, burst=100_000)
    request = f"GET /api/v1/actions?token={TOKEN} HTTP/1.1\nHost: x\n\n"
    hog = pipelining_reader_that_never_reads("127.0.0.1", s.port, request, 20_000)
    try:
        wait_until(lambda: any("not reading its HTTP answers" in r.getMessage() for r in caplog.records), timeout=30)
        # The server is fine for everyone else.
        assert curl(*bearer(), f"{s.url}/variables")[0] == 200
    finally:
        end(hog)
        s.stop()
    line = next(r.getMessage() for r in caplog.records if "not reading its HTTP answers" in r.getMessage())
    assert line == "dropped client 127.0.0.1: not reading its HTTP answers for 2 s" and TOKEN not in line
