"""The anchor's cue screen window and its desk control, with pytest-qt (offscreen)."""
from __future__ import annotations

import json
import tomllib
import urllib.error
import urllib.request
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLineEdit

from studio_app.core.cue_state import PHASE_COLORS, Countdown, CueScreenState, DeskMessage
from studio_app.core.paths import sample_show_path
from studio_app.core.settings import Settings
from studio_app.ui.cue_control import CueScreenControl
from studio_app.ui.cue_screen import CueScreen, draw_fitted, wrap_lines
from tests.harness import free_port
from tests.harness.cue_shot import LONG_NAME, base_state

LONG_SCRIPT = "\n".join(f"第{i}段：家人们看一下这个做工，双面呢手工缝制，没有一根线头，版型是今年最流行的落肩廓形。"
                        for i in range(40))


@pytest.fixture
def screen(qtbot):
    cue = CueScreen()
    qtbot.addWidget(cue)
    cue.resize(1280, 720)
    cue.set_state(base_state().with_(script=LONG_SCRIPT))
    cue.show()
    qtbot.waitExposed(cue)
    qtbot.waitUntil(lambda: cue.paint_count > 0)
    yield cue
    cue.close()


def as_array(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    return a[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def share_of_colour(a: np.ndarray, rect: list[int], hex_colour: str, tol: int = 40) -> float:
    x, y, w, h = rect
    region = a[max(0, y): y + h, max(0, x): x + w].astype(int)
    c = QColor(hex_colour)
    target = np.array([c.red(), c.green(), c.blue()])
    return float((np.abs(region - target).max(axis=2) <= tol).mean())


# ---------------------------------------------------------------- teleprompter keys
def test_keys_drive_the_prompter(qtbot, screen):
    changes = []
    screen.prompter_changed.connect(changes.append)
    start = screen.prompter
    qtbot.keyClick(screen, Qt.Key.Key_Down)
    assert screen.prompter.step == start.step + 1
    qtbot.keyClick(screen, Qt.Key.Key_Up)
    qtbot.keyClick(screen, Qt.Key.Key_Up)
    assert screen.prompter.step == start.step - 1
    qtbot.keyClick(screen, Qt.Key.Key_PageDown)
    after_pgdn = screen.prompter.position
    assert after_pgdn > 0
    qtbot.keyClick(screen, Qt.Key.Key_Right)  # clickers that send arrows
    assert screen.prompter.position > after_pgdn
    qtbot.keyClick(screen, Qt.Key.Key_PageUp)
    qtbot.keyClick(screen, Qt.Key.Key_Left)
    assert screen.prompter.position == pytest.approx(0.0, abs=1e-9)
    assert not screen.prompter.running
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert screen.prompter.running
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert not screen.prompter.running
    assert len(changes) == 9  # every key press reported to the desk
    assert screen.state().prompter == screen.prompter


def test_running_prompter_scrolls_smoothly_and_stops(qtbot, screen):
    for _ in range(7):
        screen.prompter_faster()  # step 10: fastest
    before = as_array(screen.grab().toImage())
    screen.prompter_run(True)
    qtbot.waitUntil(lambda: screen.prompter.position > 0.01, timeout=5000)
    screen.prompter_run(False)
    qtbot.wait(50)
    after = as_array(screen.grab().toImage())
    x, y, w, h = screen.block_rects()["script"]
    assert np.abs(after[y:y + h, x:x + w].astype(int) - before[y:y + h, x:x + w]).mean() > 2, "script did not move"
    tx, ty, tw, th = screen.block_rects()["timer"]
    assert np.array_equal(after[ty:ty + th, tx:tx + tw], before[ty:ty + th, tx:tx + tw])
    held = screen.prompter.position
    qtbot.wait(200)
    assert screen.prompter.position == held
    assert not screen._anim.isActive()  # nothing moves: no timer burning CPU


def test_new_script_starts_at_the_top_paused(qtbot, screen):
    screen.prompter_skip(3)
    screen.prompter_run(True)
    screen.set_state(screen.state().with_(script="下一段的台词"))
    assert screen.prompter.position == 0.0 and not screen.prompter.running


# ---------------------------------------------------------------- focus and repaint
def test_showing_the_cue_screen_does_not_take_the_desks_keyboard(qtbot):
    desk = QLineEdit()
    qtbot.addWidget(desk)
    desk.show()
    desk.activateWindow()
    desk.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk)
    cue = CueScreen()
    qtbot.addWidget(cue)
    cue.resize(800, 600)
    cue.place_on(None)
    qtbot.waitExposed(cue)
    qtbot.wait(50)
    assert QApplication.activeWindow() is desk
    assert QApplication.focusWidget() is desk
    qtbot.keyClicks(QApplication.focusWidget(), "ok")
    assert desk.text() == "ok"
    cue.activate_for_keys()  # only when asked
    qtbot.waitUntil(lambda: QApplication.activeWindow() is cue)
    cue.close()
    desk.close()


def test_set_state_is_painted_in_the_next_frame(qtbot, screen):
    before = screen.paint_count
    screen.set_state(screen.state().with_(remaining_ms=12_000, phase="danger"))
    QApplication.processEvents()  # one pass of the event loop = one frame
    assert screen.paint_count == before + 1


# ---------------------------------------------------------------- what is painted
def test_timer_is_painted_in_the_phase_colour(qtbot, screen):
    for phase, ms in (("default", 200_000), ("warning", 90_000), ("danger", 30_000), ("overtime", -5_000)):
        screen._has_state = False  # arrive in the phase without the entry flash
        screen.set_state(screen.state().with_(phase=phase, remaining_ms=ms))
        a = as_array(screen.grab().toImage())
        share = share_of_colour(a, screen.block_rects()["timer"], PHASE_COLORS[phase])
        assert share > 0.04, f"{phase}: only {share:.1%} of the timer box in {PHASE_COLORS[phase]}"
        others = [c for p, c in PHASE_COLORS.items() if p not in (phase, "none")]
        for other in others:
            assert share_of_colour(a, screen.block_rects()["timer"], other, tol=20) < share / 3


def test_entering_warning_flashes_the_timer_for_three_seconds(qtbot, screen):
    screen.set_state(screen.state().with_(phase="default", remaining_ms=130_000))
    screen.set_state(screen.state().with_(phase="warning", remaining_ms=119_000))
    assert screen.flash_active

    def box_filled() -> bool:
        a = as_array(screen.grab().toImage())
        return share_of_colour(a, screen.block_rects()["timer"], PHASE_COLORS["warning"]) > 0.5

    qtbot.waitUntil(box_filled, timeout=2500)  # the whole box lights up in warning orange
    qtbot.waitUntil(lambda: not screen.flash_active, timeout=5000)
    assert not box_filled()
    # Same phase again: no new flash.
    screen.set_state(screen.state().with_(remaining_ms=100_000))
    assert not screen.flash_active


def test_blackout_leaves_only_the_message(qtbot, screen):
    screen.set_state(screen.state().with_(message=DeskMessage("稍等，技术调整中", visible=True, blackout=True)))
    a = as_array(screen.grab().toImage())
    lit = a.max(axis=2) > 40
    assert lit.mean() < 0.08, "blackout should be almost all black"
    assert lit.mean() > 0.002, "the message itself must still show"
    screen.set_state(screen.state().with_(message=DeskMessage()))
    assert (as_array(screen.grab().toImage()).max(axis=2) > 40).mean() > 0.1


def test_mirror_paints_the_flipped_picture(qtbot, screen):
    import cv2

    def small(a: np.ndarray) -> np.ndarray:  # robust to 1-pixel glyph placement differences
        a = np.ascontiguousarray(a)
        return cv2.resize(a, (a.shape[1] // 4, a.shape[0] // 4), interpolation=cv2.INTER_AREA).astype(int)

    normal = as_array(screen.grab().toImage())
    screen.set_mirror(True)
    mirrored = as_array(screen.grab().toImage())
    unflipped = np.abs(small(mirrored) - small(normal)).mean()
    assert unflipped > 10  # it did change
    assert np.abs(small(mirrored) - small(normal[:, ::-1])).mean() < 0.15 * unflipped


def test_portrait_on_a_landscape_monitor_is_painted_rotated(qtbot, screen):
    timer = screen.block_rects()["timer"]
    assert timer[2] > timer[3]  # landscape: a wide timer box
    screen.set_orientation("portrait")
    screen.repaint()
    timer = screen.block_rects()["timer"]
    assert timer[3] > timer[2], "turned monitor: the full-width timer runs down the window"
    with pytest.raises(ValueError, match="orientation"):
        screen.set_orientation("diagonal")


def test_long_chinese_text_wraps_and_elides_inside_its_box(qtbot):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    img = QImage(400, 200, QImage.Format.Format_RGB32)
    img.fill(0)
    p = QPainter(img)
    used = draw_fitted(p, QRectF(10, 10, 300, 100), LONG_NAME * 3, 40, min_px=30, max_lines=2)
    p.end()
    assert 0 < used <= 100
    a = as_array(img)
    assert a[:, 311:].max() < 30 and a[111:].max() < 30, "text drawn outside its box"
    lines, _ = wrap_lines(LONG_NAME, 40, False, 300.0)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == LONG_NAME.replace(" ", "")


def test_countdown_now_stage_keeps_the_screen_animating(qtbot, screen):
    screen.set_state(screen.state().with_(countdowns=(Countdown("满200减30", "coupon", 0, "now"),)))
    assert screen._anim.isActive()
    screen.set_state(screen.state().with_(countdowns=()))
    qtbot.waitUntil(lambda: not screen._anim.isActive(), timeout=2000)


# ---------------------------------------------------------------- desk control
@pytest.fixture
def control(qtbot):
    from studio_app.core.events import MemorySink

    c = CueScreenControl(Settings(), log=MemorySink())
    qtbot.addWidget(c)
    yield c
    c.stop()
    c.studio.close()


def test_control_opens_the_screen_and_passes_the_desk_state_and_message(qtbot, control):
    control.set_state(base_state())
    control.open_button.setChecked(True)
    win = control.screen_window
    assert win is not None and win.isVisible()
    assert win.state().segment_title == base_state().segment_title
    control.message_text.setText("准备上链接")
    control.blink.setChecked(True)
    qtbot.mouseClick(control.send, Qt.MouseButton.LeftButton)
    assert win.state().message == DeskMessage("准备上链接", visible=True, blink=True, blackout=False)
    control.set_state(base_state().with_(remaining_ms=1000))  # the engine's next tick keeps the message
    assert win.state().message.text == "准备上链接" and win.state().remaining_ms == 1000
    qtbot.mouseClick(control.clear, Qt.MouseButton.LeftButton)
    assert not win.state().message.visible
    qtbot.mouseClick(control.faster, Qt.MouseButton.LeftButton)
    assert win.prompter.step == 4 and control.step_label.text().endswith("4")
    qtbot.keyClick(win, Qt.Key.Key_Space)  # the anchor's clicker shows on the desk
    assert control.run.isChecked()
    control.open_button.setChecked(False)
    assert control.screen_window is None and not win.isVisible()


def test_control_remembers_mirror_and_layout_in_the_settings_file(qtbot, control):
    control.mirror.setChecked(True)
    control.orientation.setCurrentIndex(control.orientation.findData("portrait"))
    path = control.settings.path

    def saved() -> bool:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return False
        cue = data.get("cue_screen", {})
        return cue.get("mirror") is True and cue.get("orientation") == "portrait"

    qtbot.waitUntil(saved, timeout=5000)
    again = CueScreenControl(Settings())
    qtbot.addWidget(again)
    assert again.mirror.isChecked() and again.orientation.currentData() == "portrait"
    again.stop()


def test_control_serves_the_lan_view_with_a_token(qtbot, control):
    port = free_port()
    control.lan_port.setValue(port)
    control.lan_host.setCurrentText("127.0.0.1")
    control.studio.load_show(sample_show_path())  # the studio serves what the anchor sees
    control.lan_enabled.setChecked(True)
    qtbot.waitUntil(lambda: control.server is not None, timeout=5000)
    qtbot.waitUntil(lambda: control.lan_url.text().startswith("http"), timeout=5000)
    assert control.lan_url.text() == f"http://127.0.0.1:{port}/cue?token={control.token}"
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{port}/ws?token={control.token}", open_timeout=5) as ws:
        first = json.loads(ws.recv(timeout=5))
        assert first["segment_title"] == "开场暖场" and first["show_title"] == "暖冬好物专场"
        control.message_text.setText("看镜头 2")
        control.send_message()
        while True:
            d = json.loads(ws.recv(timeout=5))
            if d["message"]["visible"]:
                break
        assert d["message"]["text"] == "看镜头 2"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/cue?token=wrong", timeout=5)
    assert err.value.code == 403
    control.lan_enabled.setChecked(False)
    qtbot.waitUntil(lambda: control.lan_url.text() == "off")


def test_control_reports_a_port_in_use_in_one_line(qtbot, control):
    from studio_app.core.cue_server import CueServer

    busy = CueServer("127.0.0.1", 0).start()
    try:
        control.lan_port.setValue(busy.port)
        control.lan_host.setCurrentText("127.0.0.1")
        control.lan_enabled.setChecked(True)
        qtbot.waitUntil(lambda: not control.lan_enabled.isChecked(), timeout=5000)
        assert "cannot listen on 127.0.0.1" in control.lan_url.text()
        assert "\n" not in control.lan_url.text()
        assert control.server is None
    finally:
        busy.stop()


def test_lan_token_survives_a_desk_restart_and_changes_per_show(qtbot, control):
    token = control.token
    assert len(token) >= 16
    qtbot.waitUntil(lambda: "lan_token" in control.settings.path.read_text(encoding="utf-8")
                    if control.settings.path.exists() else False, timeout=5000)
    again = CueScreenControl(Settings())
    qtbot.addWidget(again)
    assert again.token == token  # phones keep their link when the desk restarts mid-show
    assert again.new_show_token() != token
    again.stop()


def test_the_message_box_sends_and_clears_through_the_studio(qtbot, control):
    """The box is an action like any other: the message lives in the studio, and what the
    anchor sees follows it, whoever sent it."""
    control.message_text.setText("控制台消息")
    control.blink.setChecked(True)
    control.send_message()
    m = control.studio.state().message
    assert (m.text, m.visible, m.blink) == ("控制台消息", True, True)
    qtbot.waitUntil(lambda: control.current_state().message == m, timeout=3000)
    control.studio.dispatch_from("http", "message.hide")  # e.g. a remote button
    qtbot.waitUntil(lambda: not control.current_state().message.visible, timeout=3000)
    control.message_text.setText("再来一条")
    control.send_message()
    control.clear_message()
    assert not control.studio.state().message.visible and control.message_text.text() == ""
    kinds = [e.payload["action"] for e in control.studio.log.events if e.kind == "desk.action"]
    assert kinds == ["message.send", "message.hide", "message.send", "message.hide"]


# ---------------------------------------------------------------- painting only what changed
def test_the_desks_ticks_repaint_only_what_the_anchor_sees_change(qtbot, screen):
    """The desk sends the time left to a tenth of a second: a tick within the same second
    paints nothing; a new second repaints the timer, clock and countdowns, and what is on the
    window then is what a freshly painted screen shows (nothing stale left behind)."""
    state = base_state().with_(script=LONG_SCRIPT, remaining_ms=275_000, clock="20:21:45")
    screen.set_state(state)
    qtbot.waitUntil(lambda: screen.state().remaining_ms == 275_000)
    QApplication.processEvents()
    painted = screen.paint_count
    screen.set_state(state.with_(remaining_ms=274_950))  # still 04:35 on the timer
    QApplication.processEvents()
    assert screen.paint_count == painted
    assert state.countdowns, "the sample moment has a coupon countdown"
    later = state.with_(remaining_ms=273_900, clock="20:21:46",
                        countdowns=tuple(replace(c, seconds=c.seconds - 1) for c in state.countdowns))
    screen.set_state(later)
    qtbot.waitUntil(lambda: screen.paint_count > painted)
    shown = as_array(screen.screen().grabWindow(screen.winId()).toImage())
    fresh = CueScreen()
    qtbot.addWidget(fresh)
    fresh.resize(screen.size())
    fresh.set_state(later)
    expected = as_array(fresh.grab().toImage())
    assert shown.shape == expected.shape
    # a few levels of antialiasing may differ between two windows; anything stale differs by far more
    assert np.abs(shown.astype(int) - expected.astype(int)).max() <= 16
    fresh.close()


def test_the_prompter_scrolls_under_a_message_without_leaving_anything_stale(qtbot, screen):
    """Scrolling repaints only the script area, the desk's message over it included: after
    some frames the script area is a fresh paint of the same moment."""
    state = base_state().with_(script=LONG_SCRIPT, message=DeskMessage("请看镜头 2", visible=True))
    screen.set_state(state)
    screen.set_prompter_step(8)
    screen.prompter_run(True)
    start = screen.paint_count
    qtbot.waitUntil(lambda: screen.paint_count >= start + 10 and screen.prompter.position > 0)
    screen._anim.stop()  # noqa: SLF001 - hold the picture still to compare it
    QApplication.processEvents()
    shown = as_array(screen.screen().grabWindow(screen.winId()).toImage())
    fresh = CueScreen()
    qtbot.addWidget(fresh)
    fresh.resize(screen.size())
    fresh.set_state(state)
    fresh._prompter = screen.prompter  # noqa: SLF001 - the same scroll position, still running
    expected = as_array(fresh.grab().toImage())
    x, y, w, h = screen.block_rects()["script"]  # where the scrolling frames painted
    assert np.abs(shown[y:y + h, x:x + w].astype(int) - expected[y:y + h, x:x + w].astype(int)).max() <= 16
    fresh.close()
