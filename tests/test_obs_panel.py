"""The OBS panel on the desk, driven as an operator would, against a real OBS (offscreen Qt)."""
from __future__ import annotations

import gc
import os
import time

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from hardware.obs import ObsLink
from hardware.supervisor import DeviceState
from studio_app.core.devices import DeviceBoard, Level
from studio_app.core.events import MemorySink
from studio_app.core.secrets import obs_password
from studio_app.core.settings import Settings
from studio_app.ui.obs_panel import ObsConnection, ObsPanel, ObsSettingsPage

pytestmark = pytest.mark.obs


@pytest.fixture
def make_panel(qtbot):
    made = []

    def make(obs, password=None, confirm=None):
        board, sink = DeviceBoard(), MemorySink()
        link = ObsLink(obs.host, obs.port, obs.password if password is None else password)
        conn = ObsConnection(link, board=board, log=sink)
        panel = ObsPanel(conn, confirm=confirm)
        qtbot.addWidget(panel)
        panel.show()
        conn.start()
        made.append(panel)
        panel.board, panel.sink = board, sink
        return panel

    yield make
    for panel in made:
        panel.stop()
        panel.close()


def tallies(panel) -> dict[str, str]:
    return {name: b.property("tally") or "" for name, b in panel.scene_buttons.items()}


def test_scene_grid_with_program_and_preview_tallies(obs, make_panel, qtbot):
    panel = make_panel(obs)
    qtbot.waitUntil(lambda: list(panel.scene_buttons) == ["Opening", "Product", "BRB"], timeout=10000)
    qtbot.waitUntil(lambda: tallies(panel)["Opening"] == "program", timeout=3000)
    assert "Connected" in panel.status_text.text() and not panel.retry.isVisible()

    qtbot.mouseClick(panel.scene_buttons["Product"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tallies(panel) == {"Opening": "", "Product": "program", "BRB": ""}, timeout=3000)

    panel.studio_mode.click()  # studio mode: a click previews, a second click takes it
    qtbot.waitUntil(lambda: panel.conn.last_state.studio_mode, timeout=3000)
    qtbot.mouseClick(panel.scene_buttons["BRB"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tallies(panel)["BRB"] == "preview", timeout=3000)
    assert tallies(panel)["Product"] == "program"
    qtbot.mouseClick(panel.scene_buttons["BRB"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tallies(panel)["BRB"] == "program", timeout=3000)

    kinds = panel.sink.kinds("obs")
    assert "device.ok" in kinds and "obs.scene_changed" in kinds
    assert panel.board.get("obs").level is Level.OK


def test_record_lamp_and_stop_stream_needs_confirmation(obs, make_panel, qtbot):
    asked = []
    answer = {"value": False}

    def confirm(title, text):
        asked.append(title)
        return answer["value"]

    panel = make_panel(obs, confirm=confirm)
    qtbot.waitUntil(lambda: panel.conn.last_state.connected, timeout=10000)
    sink = obs.start_rtmp_sink()
    try:
        qtbot.mouseClick(panel.stream_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.on_air.on, timeout=10000)
        qtbot.waitUntil(lambda: "kbps" in panel.health.text(), timeout=10000)
        qtbot.mouseClick(panel.stream_button, Qt.MouseButton.LeftButton)  # "No": keeps streaming
        assert asked == ["Stop the stream?"]
        qtbot.wait(300)
        assert panel.conn.last_state.streaming
        answer["value"] = True
        qtbot.mouseClick(panel.stream_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.on_air.on, timeout=10000)
    finally:
        obs.stop_sink(sink)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)  # recording needs no confirmation
    qtbot.waitUntil(lambda: panel.rec.on, timeout=10000)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.rec.on, timeout=10000)


def test_wrong_password_shows_reason_and_fix_hint(obs, make_panel, qtbot):
    panel = make_panel(obs, password="nope-nope")
    qtbot.waitUntil(lambda: panel.conn.last_state.status is DeviceState.AUTH_FAILED, timeout=10000)
    assert "Wrong OBS password" in panel.status_text.text()
    assert "Settings → OBS" in panel.hint.text() and panel.retry.isVisible()
    assert panel.board.get("obs").level is Level.ERROR
    assert not panel.scene_buttons  # never connected: no stale grid
    assert "nope-nope" not in panel.status_text.text() + panel.hint.text()


def test_gui_never_stalls_while_obs_is_frozen(disposable_obs, make_panel, qtbot):
    obs = disposable_obs
    panel = make_panel(obs)
    qtbot.waitUntil(lambda: panel.conn.last_state.connected and len(panel.scene_buttons) == 3, timeout=10000)

    # The desk freezes its start-up heap (gc.freeze) so that full collections stay short; do
    # the same here, or a gen-2 collection of the whole pytest session (50-170 ms measured)
    # would be blamed on OBS.
    gc.collect()
    gc.freeze()
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    try:
        obs.freeze()
        try:
            t0 = time.monotonic()
            # the operator keeps pressing buttons while OBS hangs
            while panel.conn.last_state.status is not DeviceState.FROZEN and time.monotonic() - t0 < 5:
                qtbot.mouseClick(panel.scene_buttons["Product"], Qt.MouseButton.LeftButton)
                qtbot.wait(100)
            assert panel.conn.last_state.status is DeviceState.FROZEN
            assert "not responding" in panel.status_text.text()
            qtbot.mouseClick(panel.scene_buttons["BRB"], Qt.MouseButton.LeftButton)
            panel.stream_button.click()
            qtbot.wait(2500)  # reconnect attempts time out in the background meanwhile
            assert panel.board.get("obs").state == "frozen"
        finally:
            obs.thaw()
        qtbot.waitUntil(lambda: panel.conn.last_state.connected, timeout=10000)
    finally:
        timer.stop()
        gc.unfreeze()
    assert len(gaps) > 100
    assert max(gaps) < 50.0, f"GUI event loop stalled {max(gaps):.0f} ms"
    # the link publishes the new state, then its event: they may reach the GUI in two batches
    qtbot.waitUntil(lambda: panel.sink.kinds().count("device.ok") >= 2, timeout=5000)
    assert "device.frozen" in panel.sink.kinds()


def test_settings_page_keeps_the_password_out_of_the_settings_file(obs, qtbot, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    link = ObsLink(obs.host, 1, obs_password)  # wrong port and no password yet
    conn = ObsConnection(link)
    conn.start()
    try:
        qtbot.waitUntil(lambda: conn.last_state.status is DeviceState.UNREACHABLE, timeout=5000)
        settings = Settings()
        page = ObsSettingsPage(conn)
        qtbot.addWidget(page)
        page.load(settings)
        page.host.setText(obs.host)
        page.port.setValue(obs.port)
        page.password.setText(obs.password)
        assert page.apply(settings) is None
        settings.save()
        qtbot.waitUntil(lambda: conn.last_state.connected, timeout=10000)  # reconnected with the new settings
        text = open(settings.path, encoding="utf-8").read()
        assert f"port = {obs.port}" in text and obs.password not in text
        assert obs_password() == obs.password
        assert page.password.text() == ""
        page.host.setText("")
        assert "host is empty" in page.apply(settings)
    finally:
        conn.stop()
        keyring.set_keyring(previous)
    assert os.environ.get("STUDIO_OBS_PASSWORD") is None


def test_connected_panel_samples_health_for_the_review_report(obs, make_panel, qtbot, monkeypatch):
    monkeypatch.setattr(ObsConnection, "STATS_EVERY_S", 0.5)
    panel = make_panel(obs)

    def samples():
        return [e for e in panel.sink.events if e.kind == "obs.stats"]

    qtbot.waitUntil(lambda: len(samples()) >= 2, timeout=8000)
    first = samples()[0].payload
    assert {"stream_kbps", "output_dropped_percent", "output_skipped", "cpu_percent", "streaming"} <= set(first)
    assert first["streaming"] is False and first["cpu_percent"] is not None
    gaps = [b.mono_time - a.mono_time for a, b in zip(samples(), samples()[1:])]
    assert all(g >= 0.45 for g in gaps), gaps  # throttled, not one per state snapshot


def test_a_mailbox_does_not_keep_its_owner_alive(qtbot):
    """The owner of a mailbox (handler: its own method) goes when its last reference does, on
    the thread that drops it; never left to Python's cyclic collector, which may free it (and
    delete its Qt objects) on any thread."""
    import weakref

    from PySide6.QtCore import QObject

    from studio_app.ui.obs_panel import Mailbox

    class Owner(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got: list = []
            self.box = Mailbox(self.take, self)

        def take(self, items: list) -> None:
            self.got.extend(items)

    owner = Owner()
    owner.box.post("cue")
    qtbot.waitUntil(lambda: owner.got == ["cue"], timeout=2000)  # the handler still works
    box, gone = owner.box, weakref.ref(owner)
    box.close()
    del box
    gc.disable()  # freed by its reference count alone, or not at all
    try:
        del owner
        assert gone() is None
    finally:
        gc.enable()
