"""Endpoint settings apply while the desk runs, no restart: the room ingest endpoint and the
remote-control server move to a new port, take a new token, turn off, and refuse a port in use
or an interface this PC does not have while the old listener keeps serving. Checked from outside
with curl in its own process; every change is logged (in both languages), never the token."""
from __future__ import annotations

import json
import socket
import subprocess

import keyring
import pytest
from keyring.backends import fail

from studio_app.core.event_text import EventText
from studio_app.core.events import MemorySink
from studio_app.core.secrets import ROOM_TOKEN, SecretStore
from studio_app.core.settings import Settings
from tests.harness.remote_show import real_studio

OLD_TOKEN = "room-old-token-7c1d2e"
NEW_TOKEN = "room-new-token-93ab41"
T0_MS = 1_797_076_800_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port if port < 65534 else free_port()


def post(port: int, token: str, online: int, ts: int) -> str:
    """curl POSTs one stats message; its HTTP status, or "refused" when nothing listens."""
    body = json.dumps({"ts": ts, "type": "stats", "online": online})
    proc = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Authorization: Bearer {token}",
                           "--data-binary", body, f"http://127.0.0.1:{port}/room/v1/messages"],
                          capture_output=True, text=True, timeout=30)
    if proc.returncode == 7:  # curl: failed to connect
        return "refused"
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def desk(qtbot, monkeypatch, tmp_path):
    """The Live room dock on a real studio, the endpoint on at a free port, the token stored."""
    from studio_app.ui.room_panel import RoomPanel, RoomSettingsPage

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the private secrets file of this test's config folder
    monkeypatch.delenv("STUDIO_ROOM_TOKEN", raising=False)
    SecretStore().set(ROOM_TOKEN, OLD_TOKEN)
    settings = Settings(tmp_path / "settings.toml")
    settings.set("room.ingest_enabled", True)
    settings.set("room.ingest_port", free_port())
    log = MemorySink()
    studio = real_studio(ticker=False)
    panel = RoomPanel(studio, log=log, settings=settings)
    qtbot.addWidget(panel)
    page = RoomSettingsPage(panel)
    qtbot.addWidget(page)
    try:
        with qtbot.waitSignal(panel.endpoint_changed, timeout=20_000) as first:
            pass
        assert first.args[0].change == "started", first.args[0]
        yield panel, page, settings, log
    finally:
        panel.stop()
        studio.close()
        keyring.set_keyring(previous)


def change(qtbot, panel, page, settings, **fields):
    page.load(settings)
    for name, value in fields.items():
        setter = {"port": "setValue", "enabled": "setChecked", "token": "setText", "host": "setCurrentText",
                  "rate": "setValue"}[name]
        getattr(getattr(page, name), setter)(value)
    with qtbot.waitSignal(panel.endpoint_changed, timeout=20_000) as done:
        assert page.apply(settings) is None
    return done.args[0]


def test_a_new_port_and_token_apply_at_once_and_the_old_ones_are_gone(qtbot, desk):
    panel, page, settings, log = desk
    old_port, new_port = settings.get("room.ingest_port"), free_port()
    assert post(old_port, OLD_TOKEN, 1111, T0_MS) == "200"

    outcome = change(qtbot, panel, page, settings, port=new_port, token=NEW_TOKEN)
    assert outcome.change == "moved" and f":{new_port}/" in outcome.url
    assert post(old_port, OLD_TOKEN, 1, T0_MS + 1000) == "refused"
    assert post(new_port, OLD_TOKEN, 1, T0_MS + 1000) == "401"
    assert post(new_port, NEW_TOKEN, 2222, T0_MS + 2000) == "200"
    assert panel.source_label.text() == f"Live: receiving on http://127.0.0.1:{new_port}/room/v1/messages"
    # the same board and rules carry on: the number posted after the move is shown
    qtbot.waitUntil(lambda: panel.numbers["online"].value.text() == "2,222", timeout=5000)
    assert SecretStore().get(ROOM_TOKEN) == NEW_TOKEN and page.token.text() == ""

    # only the token (same port): the listener is restarted in place with it
    outcome = change(qtbot, panel, page, settings, token=OLD_TOKEN)
    assert outcome.change == "restarted"
    assert post(new_port, NEW_TOKEN, 1, T0_MS + 3000) == "401"
    assert post(new_port, OLD_TOKEN, 3333, T0_MS + 3000) == "200"

    outcome = change(qtbot, panel, page, settings, enabled=False)
    assert outcome.change == "stopped" and post(new_port, OLD_TOKEN, 1, T0_MS + 4000) == "refused"
    assert panel.source_label.text().startswith("Live ingest off")

    events = [e for e in log.events if e.kind.startswith("room.endpoint")]
    assert [e.kind for e in events] == ["room.endpoint_on", "room.endpoint_moved", "room.endpoint_moved",
                                        "room.endpoint_off"]
    assert events[1].message == (f"room data endpoint moved from http://127.0.0.1:{old_port}/room/v1/messages "
                                 f"to http://127.0.0.1:{new_port}/room/v1/messages")
    zh = EventText("zh_CN").message(events[1])
    assert zh != events[1].message and "数据" in zh and f":{new_port}/" in zh
    for e in log.events:  # never the token, in any event
        assert OLD_TOKEN not in e.message + json.dumps(e.payload) and NEW_TOKEN not in e.message + json.dumps(e.payload)


def test_a_port_in_use_or_a_foreign_interface_keeps_the_old_endpoint_running(qtbot, desk):
    panel, page, settings, log = desk
    port = settings.get("room.ingest_port")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        taken = busy.getsockname()[1]
        outcome = change(qtbot, panel, page, settings, port=taken, token=NEW_TOKEN)
    assert outcome.change == "refused" and outcome.kept_old
    assert outcome.error.startswith(f"room ingest cannot listen on 127.0.0.1:{taken}: ")
    assert "already listens there" in outcome.error
    text = panel.source_label.text()
    assert text.startswith(f"New endpoint settings not applied: cannot listen on 127.0.0.1:{taken}: another program")
    assert text.endswith(f"Still receiving on http://127.0.0.1:{port}/room/v1/messages")
    assert post(port, OLD_TOKEN, 4444, T0_MS) == "200"  # the bridge never noticed

    # an interface no network card of this PC has (TEST-NET-1): the old one stays as well
    outcome = change(qtbot, panel, page, settings, host="192.0.2.1")
    assert outcome.change == "refused" and outcome.kept_old
    assert "192.0.2.1" in outcome.error and "no network card of this PC has that address" in outcome.error
    assert post(port, OLD_TOKEN, 5555, T0_MS + 1000) == "200"
    refused = [e for e in log.events if e.kind == "room.endpoint_refused"]
    assert len(refused) == 2 and all(e.payload["kept_old"] for e in refused)
    zh = [EventText("zh_CN").message(e) for e in refused]
    assert zh[0] == (f"直播间数据接口：新设置未生效（无法在 127.0.0.1:{taken} 监听：另一个程序（或另一台中控台）已在该端口监听）；"
                     f"仍在 http://127.0.0.1:{port}/room/v1/messages 接收")
    assert "本机没有地址为 192.0.2.1 的网卡" in zh[1]


def test_the_remote_server_moves_to_a_new_port_without_a_restart(qtbot, tmp_path, monkeypatch):
    from studio_app.ui.remote_panel import RemotePanel, RemoteSettingsPage
    from tests.harness.remote_studio import RemoteStudio

    monkeypatch.setenv("STUDIO_REMOTE_TOKEN", "remote-move-token-41")
    log = MemorySink()
    panel = RemotePanel(Settings(tmp_path / "settings.toml"), RemoteStudio(), log=log)
    qtbot.addWidget(panel)
    page = RemoteSettingsPage(panel)
    qtbot.addWidget(page)

    def status(port: int, token: str = "remote-move-token-41") -> str:
        proc = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                               f"http://127.0.0.1:{port}/api/v1/state?token={token}"],
                              capture_output=True, text=True, timeout=30)
        return "refused" if proc.returncode == 7 else proc.stdout

    try:
        old_port, new_port = free_port(), free_port()
        panel.port.setValue(old_port)
        with qtbot.waitSignal(panel.started, timeout=20_000):
            panel.enabled.setChecked(True)
        assert status(old_port) == "200"
        page.load(panel.settings)
        page.port.setValue(new_port)
        with qtbot.waitSignal(panel.started, timeout=20_000) as moved:
            assert page.apply(panel.settings) is None
        assert f":{new_port}/api/v1" in moved.args[0]
        assert status(old_port) == "refused" and status(new_port) == "200" and status(new_port, "wrong") == "401"
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            page.port.setValue(busy.getsockname()[1])
            assert page.apply(panel.settings) is None
            qtbot.waitUntil(lambda: "not applied" in panel.status.text(), timeout=20_000)
        assert panel.enabled.isChecked() and panel.port.value() == new_port and status(new_port) == "200"
        assert panel.status.text().endswith(f"Still running on http://127.0.0.1:{new_port}/api/v1")
        kinds = [e.kind for e in log.events if e.kind.startswith("remote.")]
        assert kinds == ["remote.on", "remote.moved", "remote.refused"]
        assert all("remote-move-token-41" not in e.message + json.dumps(e.payload) for e in log.events)
    finally:
        panel.stop()


def test_when_the_same_port_cannot_be_bound_again_the_old_endpoint_comes_back(qtbot, desk):
    """A move onto the old listener's own port (here: every interface) must close the old one
    first; when the new bind then fails, the old settings are started again."""
    panel, page, settings, log = desk
    port = settings.get("room.ingest_port")
    with socket.socket() as busy:  # another program on a second loopback address, same port
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.2", port))
        busy.listen(1)
        outcome = change(qtbot, panel, page, settings, host="0.0.0.0")
        assert outcome.change == "refused" and outcome.kept_old and outcome.reason_code == "port_in_use"
        assert outcome.url == f"http://127.0.0.1:{port}/room/v1"
        assert post(port, OLD_TOKEN, 6666, T0_MS) == "200"  # back on the old address, same token
    assert panel.server is not None and panel.server.config.host == "127.0.0.1"
