"""The Remote dock: on/off with the address, token (hidden, copyable) and QR code; the last
actions received from a real client (curl); automations with their last result, and a
located one-line error for a broken file. The studio is tests/harness/remote_studio.py."""
from __future__ import annotations

import socket

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from studio_app.core.settings import Settings
from tests.harness.remote_studio import RemoteStudio
from tests.test_remote_server import curl

TOKEN = "panel-token-5f0c1e2d9a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return port if port < 65534 else free_port()


@pytest.fixture
def panel(qtbot, tmp_path, monkeypatch):
    from studio_app.ui.remote_panel import RemotePanel

    monkeypatch.setenv("STUDIO_REMOTE_TOKEN", TOKEN)
    studio = RemoteStudio()
    p = RemotePanel(Settings(tmp_path / "settings.toml"), studio, override=None)
    qtbot.addWidget(p)
    p.studio_double = studio
    yield p
    p.stop()


def test_turning_it_on_shows_the_address_and_token_and_actions_arrive(qtbot, panel):
    panel.port.setValue(free_port())
    with qtbot.waitSignal(panel.started, timeout=20_000) as started:
        panel.enabled.setChecked(True)
    url = started.args[0]
    assert url in panel.address.text() and "OSC udp 127.0.0.1:" in panel.address.text()
    assert panel.token_field.text() == TOKEN and panel.token_field.echoMode() == QLineEdit.EchoMode.Password
    assert not panel.qr.pixmap().isNull()
    panel.copy_token.click()
    assert QGuiApplication.clipboard().text() == TOKEN
    assert curl("-X", "POST", f"{url}/actions/show.go?token={TOKEN}")[0] == 200
    assert curl("-X", "POST", f"{url}/actions/show.end?token={TOKEN}")[0] == 409
    qtbot.waitUntil(lambda: panel.last_actions.count() == 2, timeout=10_000)
    assert "✓ http show.go" in panel.last_actions.item(1).text()
    assert "✗ http show.end — show.end needs confirm: true" in panel.last_actions.item(0).text()
    assert panel.settings.get("remote.enabled") is True
    with qtbot.waitSignal(panel.stopped, timeout=5_000):
        panel.enabled.setChecked(False)
    assert panel.address.text() == "off" and panel.settings.get("remote.enabled") is False


def test_a_port_in_use_is_one_line_and_the_switch_goes_back_off(qtbot, panel):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        panel.port.setValue(port)
        panel.enabled.setChecked(True)
        qtbot.waitUntil(lambda: not panel.enabled.isChecked(), timeout=20_000)
    assert panel.status.text() == (f"cannot listen on 127.0.0.1:{port}: another program (or another console) "
                                   "already listens there")
    assert TOKEN not in panel.status.text()


def test_automations_show_their_last_result_and_a_broken_file_says_where(qtbot, panel, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[automation]]\nwhen = "segment.begin"\naction = { name = "show.go" }\n')
    panel.load_automations(str(bad))
    qtbot.waitUntil(lambda: "not a trigger" in panel.auto_status.text(), timeout=10_000)
    assert panel.auto_status.text().startswith(f"{bad}:1: automation 1: when = 'segment.begin'")
    good = tmp_path / "autos.toml"
    good.write_text('[[automation]]\nname = "tell the anchor"\nwhen = "card.pushed"\n'
                    'action = { name = "message.send", args = { text = "讲 {product.name}" } }\n')
    panel.load_automations(str(good))
    qtbot.waitUntil(lambda: panel.automations.count() == 1, timeout=10_000)
    assert "tell the anchor · card.pushed → action" in panel.automations.item(0).text()
    studio = panel.studio_double
    panel.runner._call(lambda: studio.dispatch("card.push", slot=2)).result(5)  # noqa: SLF001 - the studio's thread
    qtbot.waitUntil(lambda: "ok: action message.send: 200 sent" in panel.automations.item(0).text(), timeout=10_000)
    assert studio.message == "讲 围巾" and panel.settings.get("remote.automations") == str(good)


def test_the_remote_dock_on_the_desk_screenshot(tmp_path):
    from tests.harness.screens import shoot_desk

    out, stdout = shoot_desk("remote_shot", 1920, 1080, "zh_CN", "remote-dock-1920x1080-zh_CN.png", tmp_path)
    assert "URL=http://127.0.0.1:" in stdout and f"SHOT={out}" in stdout and out.stat().st_size > 50_000


def test_the_settings_page_checks_what_it_keeps_and_the_dock_follows(qtbot, panel):
    from studio_app.ui.remote_panel import RemoteSettingsPage

    page = RemoteSettingsPage(panel)
    qtbot.addWidget(page)
    page.load(panel.settings)
    page.osc_allow.setText("127.0.0.1, 192.168.1.0/33")
    assert page.apply(panel.settings) == "OSC allowed senders: '192.168.1.0/33' is not an address or network"
    page.osc_allow.setText("127.0.0.1, 192.168.1.0/24")
    page.osc_targets.setText("192.168.1.50")
    assert page.apply(panel.settings).startswith("OSC feedback to: '192.168.1.50': expected [HOST:]PORT")
    page.osc_targets.setText("192.168.1.50:12321")
    page.host.setText("studio-pc")
    assert page.apply(panel.settings) == "Interface: 'studio-pc' is not an IP address"
    page.host.setText("127.0.0.1")
    page.port.setValue(free_port())
    page.enabled.setChecked(True)
    with qtbot.waitSignal(panel.started, timeout=20_000) as started:
        assert page.apply(panel.settings) is None
    assert f":{page.port.value()}/api/v1" in started.args[0]
    assert panel.osc_allow.text() == "127.0.0.1, 192.168.1.0/24" and panel.server.config.osc_targets == (
        "192.168.1.50:12321",)
    assert panel.settings.get("remote.enabled") is True
