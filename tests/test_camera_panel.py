"""The camera dock with real sources: frames arrive, overlays and scopes draw, NO SIGNAL shows
and is reported to the device board and the event log, the picture returns by itself."""
from __future__ import annotations

import numpy as np
import pytest

from hardware.camera import OpenCvSource, TestPatternSource
from studio_app.core.devices import DeviceBoard, DeviceState, Level
from studio_app.core.events import MemorySink
from studio_app.core.settings import Settings
from tests.harness import artifact_path


@pytest.fixture
def make_panel(qtbot, tmp_path):
    from studio_app.ui.camera_panel import CameraPanel

    panels = []

    def make(source, **kw):
        board, log = DeviceBoard(), MemorySink()
        settings = Settings(tmp_path / "settings.toml")
        panel = CameraPanel(source=source, board=board, log=log, settings=settings, lang=kw.pop("lang", "zh_CN"), **kw)
        qtbot.addWidget(panel)
        panel.resize(900, 500)
        panel.show()
        panels.append(panel)
        return panel, board, log

    yield make
    for p in panels:
        p.stop()
        p.close()


def test_test_pattern_frames_are_painted_and_checks_arrive(make_panel, qtbot):
    panel, board, log = make_panel(TestPatternSource(1280, 720, 30))
    qtbot.waitUntil(lambda: panel.view.painted_frames >= 10, timeout=5000)
    qtbot.waitUntil(lambda: panel.reports_received >= 5, timeout=5000)
    assert not panel.view.no_signal
    # The preview is sized to the widget, not the 1280x720 source.
    w, h = panel.view.device_size()
    shown = panel.view._array
    assert shown.shape[1] <= w and shown.shape[0] <= h
    status = board.get("camera")
    assert status is not None and status.level == Level.TEST
    assert "device.test_signal" in log.kinds("camera")
    assert "TEST PATTERN" in panel.source_label.text()


def test_overlays_and_scopes_draw(make_panel, qtbot):
    panel, _, _ = make_panel(TestPatternSource(640, 360, 30))
    qtbot.waitUntil(lambda: panel.view.painted_frames >= 3, timeout=5000)
    frame = panel.feed.latest().image
    plain = panel.render_preview(frame)
    panel.zebra.setChecked(True)
    panel.zebra_level.setCurrentIndex(1)  # 75 %: the test pattern's white bar (191) is at 75 %
    assert not np.array_equal(panel.render_preview(frame), plain)
    panel.zebra.setChecked(False)
    panel.false_colour.setChecked(True)
    assert not np.array_equal(panel.render_preview(frame), plain)
    panel.false_colour.setChecked(False)
    panel.peaking.setChecked(True)
    assert not np.array_equal(panel.render_preview(frame), plain)
    panel.histogram.setChecked(True)
    panel.waveform.setChecked(True)
    qtbot.waitUntil(lambda: panel.hist_view._image is not None and panel.wave_view._image is not None, timeout=5000)
    assert panel.hist_view.isVisible() and panel.wave_view.isVisible()
    qtbot.wait(200)
    panel.grab().save(str(artifact_path("camera", "panel_overlays.png")))


def test_no_camera_device_shows_no_signal_everywhere(make_panel, qtbot):
    panel, board, log = make_panel(OpenCvSource(7))
    qtbot.waitUntil(lambda: board.get("camera") is not None and board.get("camera").level == Level.ERROR, timeout=5000)
    assert panel.view.no_signal
    assert "无信号" in panel.view.no_signal_text and "NO SIGNAL" in panel.view.no_signal_text
    assert any("无信号" in t for t in panel.findings_text)
    assert "device.lost" in log.kinds("camera") and board.get("camera").state is DeviceState.LOST
    panel.grab().save(str(artifact_path("camera", "panel_no_signal.png")))  # a person can look


@pytest.mark.slow
def test_live_camera_lost_then_back_without_any_action(make_panel, qtbot, udp_camera):
    from studio_app.show.emergency import AlarmWatcher, default_runbooks_path, load_runbooks

    panel, board, log = make_panel(OpenCvSource(udp_camera.url))
    reported = []
    board.subscribe(reported.append)
    qtbot.waitUntil(lambda: panel.view.painted_frames >= 5, timeout=10000)
    assert board.get("camera").level in (Level.OK, Level.WARNING)
    udp_camera.kill()
    qtbot.waitUntil(lambda: panel.view.no_signal, timeout=3000)
    assert board.get("camera").state in (DeviceState.LOST, DeviceState.STALLED)
    # what the panel put on the board is what the emergency desk's alarm matches
    watcher = AlarmWatcher(load_runbooks(default_runbooks_path()), clock=lambda: 0.0)
    for status in list(reported):
        watcher.observe(status, now=0.0)
    assert [(s.alarm, s.runbook.id) for s in watcher.tick(now=10.0)] == [("camera.no_signal", "camera")]
    qtbot.waitUntil(lambda: bool({"device.lost", "device.stalled"} & set(log.kinds("camera"))), timeout=1000)
    painted = panel.view.painted_frames
    udp_camera.start()
    qtbot.waitUntil(lambda: not panel.view.no_signal and panel.view.painted_frames > painted + 5, timeout=10000)
    qtbot.waitUntil(lambda: log.kinds("camera").count("device.ok") >= 2, timeout=1000)  # first picture, then back
    assert board.get("camera").level in (Level.OK, Level.WARNING)


def test_focus_reference_is_set_from_the_picture_and_kept_per_camera(make_panel, qtbot):
    panel, _, log = make_panel(TestPatternSource(640, 360, 30), lang="en")
    qtbot.waitUntil(lambda: panel.reports_received >= 3, timeout=5000)
    assert any("no reference" in t for t in panel.findings_text)
    panel.set_focus_reference()
    qtbot.waitUntil(lambda: any("Focus OK" in t for t in panel.findings_text), timeout=5000)
    refs = panel.settings.get("camera.focus_references")
    assert refs["TEST PATTERN"] > 0
    assert "focus_reference" in log.kinds("camera")


def test_white_balance_reference_is_kept_per_camera_and_judges_the_drift(make_panel, qtbot, tmp_path):
    from hardware.camera.whitebalance import WhiteBalanceReference, read_white_balance
    from tests.harness import wb_casts as W

    # The set under the show lights was stored as this camera's reference; tonight the
    # camera runs on a wrong (too warm) preset.
    base = W.photo("astronaut")
    video = W.write_video(tmp_path / "warm.avi", W.apply_cast(base, W.cast_gains("warm", 1.4)))
    settings = Settings(tmp_path / "settings.toml")
    settings.set("camera.wb_references", {str(video): WhiteBalanceReference.from_reading(read_white_balance(base)).to_dict()})
    settings.save()
    panel, board, log = make_panel(OpenCvSource(str(video), 512, 512, 25))
    qtbot.waitUntil(lambda: any(t.startswith("偏暖") for t in panel.findings_text), timeout=10000)
    warm = next(t for t in panel.findings_text if t.startswith("偏暖"))
    assert "mired" in warm and "建议调低色温" in warm
    qtbot.waitUntil(lambda: board.get("camera") is not None and board.get("camera").level == Level.WARNING, timeout=5000)
    assert panel.wb_button.text() == "Set white-balance reference"  # no catalogue loaded in tests
    # The technician re-balances by taking tonight's picture as the new reference.
    assert panel.set_wb_reference()
    qtbot.waitUntil(lambda: any(t.startswith("白平衡正常") for t in panel.findings_text), timeout=5000)
    stored = panel.settings.get("camera.wb_references")[str(video)]
    # The warm picture's own white, against the old reference: the cast (R/G up, B/G down).
    old = WhiteBalanceReference.from_reading(read_white_balance(base))
    assert all(stored[k][0] > old.colours[k][0] and stored[k][1] < old.colours[k][1] for k in old.colours)
    assert "wb_reference" in log.kinds("camera")
    qtbot.waitUntil(lambda: Settings(tmp_path / "settings.toml").get("camera.wb_references") == {str(video): stored},
                    timeout=5000)  # saved to disk, in the background
