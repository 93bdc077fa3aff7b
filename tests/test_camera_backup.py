"""The backup camera, end to end on real sources: the camera runbook (Ctrl+1) switches a desk
whose camera is dead to the configured backup (a video file, or a live ffmpeg UDP camera),
its pictures reach the preview, the switch is in the event log, the operator gets back to
the main camera, and without a backup the action says where to set one."""
from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from studio_app.core.devices import DeviceBoard, Level
from studio_app.core.events import MemorySink
from studio_app.core.settings import Settings
from studio_app.show.emergency import default_runbooks_path
from studio_app.ui.context import AppContext
from tests.harness import free_port

BACKUP_SIZE = (352, 288)  # unlike anything else here: frames of this size come from the backup


def write_backup_video(path, fps: int = 25, frames: int = 50):
    w, h = BACKUP_SIZE
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for i in range(frames):  # a mid-grey picture with a bar sweeping across: a moving, exposed picture
        f = np.full((h, w, 3), 110, np.uint8)
        x = (i * 7) % (w - 40)
        f[40:h - 40, x:x + 40] = (200, 180, 160)
        writer.write(f)
    writer.release()
    return path


def camera_action(emergency, incident_id):
    inc = emergency.desk.incident(incident_id)
    return next(run for run in inc.actions if run.action.type == "camera_backup")


@pytest.fixture
def desk(qtbot, tmp_path):
    """A camera dock and the emergency dock on one context, as the main window wires them."""
    from studio_app.ui.camera_panel import CameraPanel
    from studio_app.ui.emergency_panel import CameraDockSwitch, EmergencyPanel

    made = []

    def make(main: str, backup: str = "", runbooks_path=None, camera: bool = True):
        settings = Settings(tmp_path / "settings.toml")
        settings.set("camera.source", main)
        settings.set("camera.backup_source", backup)
        ctx = AppContext(settings=settings, log=MemorySink(), board=DeviceBoard(), db_url="sqlite://")
        cam = None
        if camera:
            cam = CameraPanel(ctx, lang="en")
            ctx.studio.camera = CameraDockSwitch(cam)  # as the main window wires it
            qtbot.addWidget(cam)
            cam.resize(900, 500)
            cam.show()
            made.append(cam)
        emergency = EmergencyPanel(ctx, runbooks_path=runbooks_path, lang="en")
        qtbot.addWidget(emergency)
        emergency.show()
        made.append(emergency)
        qtbot.waitUntil(lambda: emergency.loads >= 1, timeout=5000)
        return ctx, cam, emergency

    yield make
    for w in made:
        w.stop()
        w.close()


def test_ctrl_1_switches_a_dead_camera_to_the_backup_and_the_operator_switches_back(desk, qtbot, tmp_path):
    dead = str(tmp_path / "main-camera-unplugged.avi")
    backup = str(write_backup_video(tmp_path / "backup.avi"))
    ctx, cam, emergency = desk(dead, backup)
    # the backup camera has a stored focus reference: it must be used once the backup is on
    ctx.settings.set("camera.focus_references", {backup: 1.0})
    qtbot.waitUntil(lambda: ctx.board.get("camera") is not None and ctx.board.get("camera").state == "no_signal",
                    timeout=5000)
    assert cam.view.no_signal and not cam.main_button.isVisible()
    dead_feed = cam.feed

    emergency.activateWindow()
    qtbot.waitActive(emergency, timeout=2000)
    qtbot.keyClick(emergency, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    (inc,) = emergency.desk.open_incidents
    assert inc.runbook.id == "camera"
    qtbot.waitUntil(lambda: camera_action(emergency, inc.id).status == "ok", timeout=8000)
    assert camera_action(emergency, inc.id).detail == f"camera switched to the backup: {backup}"

    # the backup's own pictures reach the preview
    painted = cam.view.painted_frames
    qtbot.waitUntil(lambda: cam.view.painted_frames >= painted + 10 and not cam.view.no_signal, timeout=5000)
    assert cam.feed.stats().resolution == BACKUP_SIZE and cam.feed.source.label == backup
    assert cam.on_backup and "BACKUP" in cam.source_label.text() and backup in cam.source_label.text()
    assert cam.main_button.isVisible()
    status = ctx.board.get("camera")
    assert status.level in (Level.OK, Level.WARNING) and "BACKUP" in status.detail
    qtbot.waitUntil(lambda: any("of the reference" in t for t in cam.findings_text), timeout=5000)
    # the dead camera's feed was stopped (off the GUI thread)
    qtbot.waitUntil(lambda: dead_feed.state == "stopped" and not any(t.is_alive() for t in cam.retiring),
                    timeout=8000)

    (switch,) = [e for e in ctx.log.events if e.source == "camera" and e.kind == "source_switched"]
    assert switch.payload["from"] == dead and switch.payload["to"] == backup
    assert switch.payload["role"] == "backup" and switch.payload["reason"] == "emergency runbook"
    action = next(e for e in ctx.log.events if e.kind == "incident.action" and e.payload["type"] == "camera_backup")
    assert action.payload["result"] == "ok" and backup in action.payload["detail"]

    # the operator goes back to the main camera (still dead: NO SIGNAL again, and that is shown)
    qtbot.mouseClick(cam.main_button, Qt.MouseButton.LeftButton)
    assert not cam.on_backup and not cam.main_button.isVisible()
    assert cam.source_label.text() == dead
    qtbot.waitUntil(lambda: ctx.board.get("camera").state == "no_signal" and cam.view.no_signal, timeout=5000)
    assert "BACKUP" not in ctx.board.get("camera").detail
    back = [e for e in ctx.log.events if e.source == "camera" and e.kind == "source_switched"][-1]
    assert (back.payload["from"], back.payload["to"], back.payload["role"]) == (backup, dead, "main")


def test_without_a_backup_source_the_action_fails_and_says_where_to_set_it(desk, qtbot, tmp_path):
    dead = str(tmp_path / "main-camera-unplugged.avi")
    ctx, cam, emergency = desk(dead, backup="")
    feed = cam.feed
    inc = emergency.open_runbook("camera")
    run = camera_action(emergency, inc.id)
    assert run.status == "failed"
    assert run.detail == "no backup camera set: Settings › Camera › Backup source"
    assert cam.feed is feed and not cam.on_backup and cam.source_label.text() == dead
    assert "source_switched" not in ctx.log.kinds("camera")
    logged = next(e for e in ctx.log.events if e.kind == "incident.action" and e.payload["type"] == "camera_backup")
    assert logged.payload["result"] == "failed" and "Settings › Camera › Backup source" in logged.payload["detail"]


def test_a_desk_without_a_camera_dock_says_so(desk, qtbot):
    ctx, _, emergency = desk("", backup="1", camera=False)
    inc = emergency.open_runbook("camera")
    run = camera_action(emergency, inc.id)
    assert run.status == "failed" and run.detail.startswith("no camera on this desk")


def test_a_backup_without_a_picture_fails_the_action_and_keeps_trying(desk, qtbot, tmp_path):
    dead = str(tmp_path / "main-camera-unplugged.avi")
    missing_backup = tmp_path / "backup-not-there-yet.avi"
    ctx, cam, emergency = desk(dead, backup=str(missing_backup))
    inc = emergency.open_runbook("camera")
    qtbot.waitUntil(lambda: camera_action(emergency, inc.id).status == "failed", timeout=8000)
    detail = camera_action(emergency, inc.id).detail
    assert detail.startswith("no picture:") and str(missing_backup) in detail and "still trying" in detail
    assert cam.on_backup and cam.view.no_signal and ctx.board.get("camera").state == "no_signal"
    # the backup comes up: the dock picks it up by itself
    write_backup_video(tmp_path / "tmp.avi").rename(missing_backup)
    qtbot.waitUntil(lambda: not cam.view.no_signal and cam.feed.stats().resolution == BACKUP_SIZE, timeout=8000)


@pytest.mark.slow
def test_a_hanging_main_stream_never_blocks_the_switch_to_a_live_udp_backup(desk, qtbot, tmp_path, udp_camera):
    # The main camera is a UDP stream nobody sends: its capture thread sits in FFmpeg's open
    # (up to 5 s). The runbook names the backup stream itself (device = URL).
    hanging = f"udp://127.0.0.1:{free_port()}"
    runbooks = tmp_path / "runbooks.toml"
    text = default_runbooks_path().read_text(encoding="utf-8")
    assert 'device = "backup"' in text
    runbooks.write_text(text.replace('device = "backup"', f'device = "{udp_camera.url}"'), encoding="utf-8")
    ctx, cam, emergency = desk(hanging, backup="", runbooks_path=runbooks)
    hanging_feed = cam.feed
    qtbot.wait(300)
    assert hanging_feed.state == "connecting"  # still blocked opening the silent stream

    t0 = time.perf_counter()
    inc = emergency.open_runbook("camera")
    took = time.perf_counter() - t0
    # waiting on the silent stream would take seconds; the bound is not a speed target
    assert took < 1.5, f"opening the runbook took {took:.2f} s: the GUI waited on a camera"
    qtbot.waitUntil(lambda: camera_action(emergency, inc.id).status == "ok", timeout=10000)
    painted = cam.view.painted_frames
    qtbot.waitUntil(lambda: cam.view.painted_frames >= painted + 10, timeout=10000)
    assert cam.feed.stats().resolution == (640, 360) and cam.on_backup
    assert udp_camera.url in cam.source_label.text()
    (switch,) = [e for e in ctx.log.events if e.kind == "source_switched"]
    assert (switch.payload["from"], switch.payload["to"]) == (hanging, udp_camera.url)
    qtbot.waitUntil(lambda: hanging_feed.state == "stopped", timeout=8000)

    # back to the main camera through the same call the button makes; a second switch
    # to the backup while it is live is a no-op
    assert cam.switch_source(udp_camera.url).result(0) == f"camera already on {udp_camera.url}"
    t0 = time.perf_counter()
    cam.switch_to_main("test")
    assert time.perf_counter() - t0 < 1.5
    assert not cam.on_backup and cam.source_label.text() == hanging


def test_the_settings_dialog_keeps_the_backup_source(qtbot, tmp_path, monkeypatch):
    from studio_app.ui.settings_dialog import CameraPage, SettingsDialog

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    path = tmp_path / "settings.toml"
    dialog = SettingsDialog(Settings(path), "sqlite://")
    qtbot.addWidget(dialog)
    dialog.show()
    page = next(p for p in dialog.pages if isinstance(p, CameraPage))
    dialog.tabs.setCurrentWidget(page)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Camera"
    page.source.setText("0")
    page.backup_source.setText("0")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert warnings and "backup" in warnings[0].lower() and dialog.isVisible()
    page.backup_source.setText("  udp://127.0.0.1:5600 ")
    with qtbot.waitSignal(dialog.finished, timeout=3000):  # saved on a pool thread, then closed
        ok.click()
    saved = Settings(path)
    assert saved.get("camera.backup_source") == "udp://127.0.0.1:5600" and saved.get("camera.source") == "0"
    again = SettingsDialog(saved, "sqlite://")
    qtbot.addWidget(again)
    assert next(p for p in again.pages if isinstance(p, CameraPage)).backup_source.text() == "udp://127.0.0.1:5600"


def test_on_the_main_window_ctrl_1_switches_its_camera_dock(qtbot, tmp_path):
    from studio_app.store import EventLog
    from studio_app.ui.main_window import MainWindow

    backup = str(write_backup_video(tmp_path / "backup.avi"))
    settings = Settings(tmp_path / "settings.toml")
    settings.set("camera.source", str(tmp_path / "unplugged.avi"))
    settings.set("camera.backup_source", backup)
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url, spool_path=tmp_path / "outbox" / "l.jsonl").start()
    ctx = AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=url)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        win.show()
        assert ctx.studio.camera.camera is win.camera_panel
        panel, cam = win.emergency_panel, win.camera_panel
        qtbot.waitUntil(lambda: panel.loads >= 1 and cam._running, timeout=5000)
        win.activateWindow()
        qtbot.waitActive(win, timeout=2000)
        qtbot.keyClick(win, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        (inc,) = panel.desk.open_incidents
        qtbot.waitUntil(lambda: camera_action(panel, inc.id).status == "ok", timeout=8000)
        qtbot.waitUntil(lambda: cam.feed.stats().resolution == BACKUP_SIZE and not cam.view.no_signal, timeout=5000)
        assert cam.main_button.isVisible()
        assert log.flush(10)
        kinds = {(e.source, e.kind) for e in log.recent()}
        assert ("camera", "source_switched") in kinds
    finally:
        win.close()
        log.close()
