"""The emergency panel driven as an operator would (offscreen Qt): one key opens an
incident, ticks are timestamped, drills are marked, alarms raise a suggestion bar, a broken
runbook file keeps the runbooks, and against a real OBS the key puts BRB on program."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from studio_app.core.devices import DeviceBoard, DeviceStatus, Level
from studio_app.core.events import MemorySink
from studio_app.core.paths import sample_show_path
from studio_app.core.settings import Settings
from studio_app.show.emergency import default_runbooks_path
from studio_app.ui.context import AppContext
from studio_app.ui.emergency_panel import EmergencyPanel


class Camera:
    """The studio's camera switch, recording what it was asked."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def use_backup(self, device: str) -> str:
        self.calls.append(device or "backup")
        return "backup camera on"

    def use_main(self) -> str:
        self.calls.append("main")
        return "main camera on"


def steps_run(panel) -> list[str]:
    """The registry actions the runbooks ran, in order (one desk.action event each)."""
    return [e.payload["action"] for e in panel.ctx.log.events
            if e.kind == "desk.action" and e.payload.get("by") == "runbook"]


@pytest.fixture
def make_panel(qtbot, tmp_path):
    """An emergency panel over a studio with the sample show live and a camera that records."""
    made = []

    def make(runbooks_path=None):
        ctx = AppContext(settings=Settings(), log=MemorySink(), board=DeviceBoard(), db_url="sqlite://")
        ctx.studio.load_show(sample_show_path())
        ctx.studio.dispatch("show.go")
        ctx.studio.camera = Camera()
        panel = EmergencyPanel(ctx, runbooks_path=runbooks_path, lang="zh_CN")
        qtbot.addWidget(panel)
        panel.resize(700, 900)
        panel.show()
        qtbot.waitUntil(lambda: panel.loads >= 1, timeout=5000)
        made.append(panel)
        return panel

    yield make
    for panel in made:
        panel.stop()
        panel.close()
        panel.studio.close()


def test_a_runbook_button_opens_the_incident_runs_actions_and_the_checklist_is_timestamped(make_panel, qtbot):
    panel = make_panel()
    assert len(panel._buttons) == 7
    qtbot.mouseClick(panel._buttons["complaints"], Qt.MouseButton.LeftButton)
    assert panel.incident_box.isVisible() and not panel.idle_label.isVisible()
    assert "投诉激增" in panel.incident_title.text()
    assert steps_run(panel) == ["coupon.pause_all", "message.send"]
    assert panel.studio.state().coupons_paused and panel.studio.state().message.visible
    assert panel.actions_list.count() == 2 and all("✓" in panel.actions_list.item(i).text() for i in range(2))

    # every item shows a box to tick (an item without a check state draws none)
    assert all(panel.checklist.item(i).data(Qt.ItemDataRole.CheckStateRole) is not None
               for i in range(panel.checklist.count()))
    panel.tick_item(0)
    assert "✓ " in panel.checklist.item(0).text()  # the tick's time is shown
    inc = panel.desk.incident(panel.current_id)
    assert inc.checked()[0] and inc.tick_time(0) == pytest.approx(time.time(), abs=5)

    panel.note.setText("库存说明已口播")
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.incident_box.isVisible() and panel.idle_label.isVisible()
    kinds = [k for k in panel.ctx.log.kinds("emergency") if k.startswith("incident.")]
    assert kinds == ["incident.open", "incident.action", "incident.action", "incident.tick", "incident.close"]
    assert kinds.count("incident.open") == 1 and kinds[-1] == "incident.close"
    closed = [e for e in panel.ctx.log.events if e.kind == "incident.close"]
    assert closed[-1].payload["note"] == "库存说明已口播"


def test_drill_toggle_marks_the_desk_and_tells_other_screens(make_panel, qtbot):
    panel = make_panel()
    with qtbot.waitSignal(panel.drill_changed, timeout=1000) as sig:
        qtbot.mouseClick(panel.drill_button, Qt.MouseButton.LeftButton)
    assert sig.args == [True]
    assert panel.drill_banner.isVisible() and "演练 DRILL" in panel.drill_banner.text()
    assert panel.studio.state().drill is True
    panel.open_runbook("camera")
    assert "演练 DRILL" in panel.incident_title.text()
    assert panel.studio.state().message.text == "[演练 DRILL] 摄像头故障，已切备用画面，请口播稍等"
    assert panel.studio.camera.calls == []  # viewers would see it: skipped in a drill
    panel.set_drill(False)
    assert not panel.drill_banner.isVisible()


def test_a_lost_microphone_on_the_board_raises_the_suggestion_bar(make_panel, qtbot):
    panel = make_panel()
    board = panel.ctx.board
    board.report(DeviceStatus("mic", "ok", Level.OK))
    assert not panel.suggestion_bar.isVisible()
    board.report(DeviceStatus("mic", "lost", Level.ERROR, "device 'pulse' disappeared"))
    qtbot.waitUntil(panel.suggestion_bar.isVisible, timeout=2000)
    assert panel.suggestion_text.text().startswith("麦克风断开 — 建议执行预案: 麦克风故障")
    assert panel.desk.open_incidents == [] and steps_run(panel) == []  # proposed, never run

    qtbot.mouseClick(panel.suggestion_ignore, Qt.MouseButton.LeftButton)
    assert not panel.suggestion_bar.isVisible()
    board.report(DeviceStatus("mic", "ok", Level.OK))
    board.report(DeviceStatus("mic", "lost", Level.ERROR))
    qtbot.waitUntil(panel.suggestion_bar.isVisible, timeout=2000)
    qtbot.mouseClick(panel.suggestion_run, Qt.MouseButton.LeftButton)
    (inc,) = panel.desk.open_incidents
    assert inc.runbook.id == "mic" and inc.opened_by == "suggestion" and inc.alarm == "mic.lost"
    assert "show.hold" in steps_run(panel) and panel.studio.state().playback == "hold"


def test_a_broken_runbook_file_is_reported_and_the_buttons_stay(make_panel, qtbot, tmp_path):
    path = tmp_path / "runbooks.toml"
    path.write_text(default_runbooks_path().read_text(encoding="utf-8"), encoding="utf-8")
    panel = make_panel(runbooks_path=path)
    assert len(panel._buttons) == 7
    text = path.read_text(encoding="utf-8")
    target = '[[runbook.action]]\ntype = "cue_hold"'
    path.write_text(text.replace(target, target.replace("cue_hold", "cue_hodl"), 1), encoding="utf-8")
    line = text[: text.index(target)].count("\n") + 2
    panel.reload()
    qtbot.waitUntil(lambda: panel.loads >= 2, timeout=5000)
    assert f"runbooks.toml:{line}: runbook[2].action[4].type: unknown action type" in panel.status.text()
    assert len(panel._buttons) == 7 and len(panel.desk.runbooks) == 7
    panel.open_runbook("mic")  # the previous runbooks still work
    assert panel.desk.open_for("mic") is not None


@pytest.mark.obs
def test_ctrl_1_on_the_desk_puts_the_standby_scene_on_program(obs, qtbot, tmp_path):
    from hardware.obs import ObsLink
    from studio_app.store import EventLog
    from studio_app.ui.obs_panel import ObsConnection

    log = EventLog(f"sqlite:///{tmp_path / 'log.sqlite3'}", spool_path=tmp_path / "outbox" / "l.jsonl").start()
    board = DeviceBoard()
    conn = ObsConnection(ObsLink(obs.host, obs.port, obs.password), board=board, log=log)
    ctx = AppContext(settings=Settings(), log=log, board=board, db_url="sqlite://")
    ctx.studio.obs = conn.link
    panel = EmergencyPanel(ctx, lang="zh_CN")
    qtbot.addWidget(panel)
    try:
        panel.show()
        panel.activateWindow()
        conn.start()
        qtbot.waitUntil(lambda: panel.loads >= 1 and conn.last_state.connected, timeout=10000)
        qtbot.waitActive(panel, timeout=2000)
        qtbot.keyClick(panel, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: conn.last_state.program_scene == "BRB", timeout=3000)
        inc = panel.desk.open_incidents[0]
        qtbot.waitUntil(lambda: panel.desk.incident(inc.id).actions[0].status == "ok", timeout=3000)
        assert "✓" in panel.actions_list.item(0).text()
        cl = obs.client()
        try:
            assert cl.send("GetCurrentProgramScene", raw=True)["currentProgramSceneName"] == "BRB"
        finally:
            cl.base_client.ws.shutdown()
        # the message is the studio's own; no camera on this desk: that step fails with a reason
        runs = panel.desk.incident(inc.id).actions
        assert runs[1].status == "ok" and runs[2].status == "failed" and "no camera" in runs[2].detail
        assert log.flush(10)
        assert any(e.kind == "incident.action" and e.payload["type"] == "obs_scene" and e.payload["result"] == "ok"
                   for e in log.recent())
    finally:
        panel.stop()
        panel.close()
        conn.stop()
        ctx.studio.close()
        log.close()


def test_on_the_desk_the_keys_work_with_the_dock_closed_and_a_drill_marks_the_window(qtbot, tmp_path):
    from studio_app.store import EventLog
    from studio_app.ui.main_window import MainWindow

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url, spool_path=tmp_path / "outbox" / "l.jsonl").start()
    ctx = AppContext(settings=Settings(), log=log, board=DeviceBoard(), db_url=url)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        win.show()
        panel = win.emergency_panel
        assert ctx.studio.emergency is panel.desk
        qtbot.waitUntil(lambda: panel.loads >= 1, timeout=5000)
        win._docks["dock-emergency"].close()
        win.activateWindow()
        qtbot.waitActive(win, timeout=2000)
        qtbot.keyClick(win, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
        (inc,) = panel.desk.open_incidents
        assert inc.runbook.id == "complaints" and inc.opened_by == "key"
        panel.set_drill(True)
        assert win.windowTitle().startswith("[演练 DRILL] ")
        qtbot.waitUntil(lambda: win.cue_control.current_state().drill, timeout=3000)  # the anchor sees DRILL
        panel.set_drill(False)
        assert not win.windowTitle().startswith("[")
    finally:
        win.close()
        log.close()
