"""The mic dock, fed by the built-in test signal and by a scripted source."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from studio_app.core.devices import DeviceBoard, Level
from studio_app.core.events import MemorySink
from studio_app.core.settings import Settings
from tests.harness import artifact_path
from tests.test_audio_worker import ScriptedSource


@pytest.fixture
def make_panel(qtbot, tmp_path):
    from studio_app.ui.meter_panel import MeterPanel

    panels = []

    def make(source):
        board, log = DeviceBoard(), MemorySink()
        panel = MeterPanel(source=source, board=board, log=log, settings=Settings(tmp_path / "settings.toml"))
        qtbot.addWidget(panel)
        panel.resize(420, 320)
        panel.show()
        panels.append(panel)
        return panel, board, log

    yield make
    for p in panels:
        p.stop()
        p.close()


def test_test_signal_moves_the_bars_and_is_labelled_everywhere(make_panel, qtbot):
    from hardware.audio import TestSignalSource
    from hardware.supervisor import DeviceState

    panel, board, log = make_panel(TestSignalSource())
    qtbot.waitUntil(lambda: panel.state is DeviceState.TEST_SIGNAL, timeout=5000)
    assert "TEST SIGNAL" in panel.state_label.text()
    status = board.get("mic")
    assert status.level is Level.TEST and status.state == "test_signal" and "TEST SIGNAL" in status.detail
    qtbot.waitUntil(lambda: len(panel.bars) == 2 and all(b.painted >= 10 for b in panel.bars), timeout=5000)
    qtbot.waitUntil(lambda: panel.bars[0].ballistics.peak > -40, timeout=5000)
    qtbot.waitUntil(lambda: "LUFS" in panel.values["short_term"].text() and "-∞" not in panel.values["short_term"].text(), timeout=5000)
    assert "device.test_signal" in log.kinds("mic")
    assert panel.device_combo.currentData() == "__test_signal__"
    panel.grab().save(str(artifact_path("audio", "meter_panel_test_signal.png")))


def test_clip_latch_stays_until_the_operator_clicks(make_panel, qtbot):
    from hardware.supervisor import DeviceState

    src = ScriptedSource()
    src.level = 1.0
    panel, board, log = make_panel(src)
    qtbot.waitUntil(lambda: panel.state is DeviceState.OK, timeout=5000)
    qtbot.waitUntil(lambda: bool(panel.bars) and panel.bars[0].clipped, timeout=5000)
    qtbot.waitUntil(lambda: "clipping" in log.kinds("mic"), timeout=5000)
    src.level = 0.05
    qtbot.wait(300)
    assert panel.bars[0].clipped  # a latch: still lit after the clipping stopped
    qtbot.mouseClick(panel.bars[0], Qt.MouseButton.LeftButton)
    assert not panel.bars[0].clipped
    assert "clip_cleared" in log.kinds("mic")
    assert board.get("mic").level is Level.OK


def test_lost_device_is_impossible_to_miss(make_panel, qtbot):
    from hardware.supervisor import DeviceState

    src = ScriptedSource("Desk mic")
    panel, board, log = make_panel(src)
    qtbot.waitUntil(lambda: panel.state is DeviceState.OK, timeout=5000)
    src.end()
    qtbot.waitUntil(lambda: panel.state is DeviceState.LOST, timeout=3000)
    assert "LOST" in panel.state_label.text()
    assert board.get("mic").level is Level.ERROR
    qtbot.waitUntil(lambda: panel.bars[0].ballistics.magnitude <= -59.0, timeout=3000)  # no audio: the bar falls
    assert "device.lost" in log.kinds("mic")
    src.available = True
    qtbot.waitUntil(lambda: panel.state is DeviceState.OK, timeout=6000)
    qtbot.waitUntil(lambda: log.kinds("mic").count("device.ok") == 2, timeout=2000)  # working, then back


def test_no_microphone_anywhere_shows_the_test_signal(qtbot, tmp_path, monkeypatch):
    from hardware.supervisor import DeviceState
    from studio_app.ui.meter_panel import MeterPanel

    src = ScriptedSource("")
    src.available = False  # like a studio PC with no input device at all
    board, log = DeviceBoard(), MemorySink()
    panel = MeterPanel(source=src, board=board, log=log, settings=Settings(tmp_path / "s.toml"))
    qtbot.addWidget(panel)
    try:
        qtbot.waitUntil(lambda: panel.state is DeviceState.TEST_SIGNAL, timeout=5000)
        assert board.get("mic").level is Level.TEST
        assert "device.test_signal" in log.kinds("mic") and "device.lost" not in log.kinds("mic")
    finally:
        panel.stop()
        panel.close()


def test_target_preset_changes_the_deviation_and_is_saved(make_panel, qtbot, tmp_path):
    from hardware.audio import TestSignalSource
    from hardware.supervisor import DeviceState

    panel, board, log = make_panel(TestSignalSource())
    qtbot.waitUntil(lambda: panel.state is DeviceState.TEST_SIGNAL, timeout=5000)
    qtbot.waitUntil(lambda: "LU)" in panel.values["short_term"].text() and "—" not in panel.values["short_term"].text(), timeout=5000)
    i = panel.target_combo.findData(-23.0)
    panel.target_combo.setCurrentIndex(i)
    panel.target_combo.activated.emit(i)
    r = panel.reading
    assert panel.worker.target_lufs == -23.0
    assert f"{r.short_term_lufs + 23.0:+.1f} LU" in panel.values["short_term"].text()
    qtbot.waitUntil(lambda: (tmp_path / "settings.toml").exists(), timeout=3000)
    assert "-23.0" in (tmp_path / "settings.toml").read_text()


def test_loudness_is_sampled_into_the_log_for_the_review(make_panel, qtbot, monkeypatch):
    from hardware.audio import TestSignalSource
    from studio_app.ui.meter_panel import MeterPanel

    monkeypatch.setattr(MeterPanel, "LOUDNESS_EVERY_S", 0.5)
    panel, board, log = make_panel(TestSignalSource())

    def samples():
        return [e for e in log.events if e.source == "mic" and e.kind == "loudness"]

    qtbot.waitUntil(lambda: len(samples()) >= 3, timeout=8000)
    later = samples()[-1].payload
    assert later["target_lufs"] == panel.worker.target_lufs
    assert later["short_term_lufs"] is not None and -60 < later["short_term_lufs"] < 0
    assert later["test_signal"] is True
    gaps = [b.mono_time - a.mono_time for a, b in zip(samples(), samples()[1:])]
    assert all(g >= 0.45 for g in gaps), gaps
