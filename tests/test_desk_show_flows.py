"""The show desk driven as the control-desk operator drives it (offscreen Qt, pytest-qt):
a real rundown file, a real SQLite event log, the real cue screen control, and a
hand-driven show clock so timings are exact."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio_app.core.paths import sample_show_path
from studio_app.show.clock import ManualClock
from studio_app.studio.loading import segment_history, unfinished_run
from studio_app.ui.show_desk import ShowDeskPanel
from tests.harness.desk import Desk


def show_with_finding(tmp_path: Path) -> Path:
    """The sample show with one price claim the compliance check must stop."""
    text = sample_show_path().read_text(encoding="utf-8")
    text = text.replace("日常价 399，今天直播间 259", "日常价 399，今天直播间 259，全网最低价", 1)
    assert "全网最低价" in text
    p = tmp_path / "show_with_finding.toml"
    p.write_text(text, encoding="utf-8")
    return p


def cue_row(panel: ShowDeskPanel, row: int) -> list[str]:
    m = panel.cue_model
    return [m.data(m.index(row, c)) or "" for c in range(m.columnCount())]


def test_go_is_refused_until_an_override_with_a_reason_is_logged(make_desk, tmp_path):
    d = make_desk()
    desk = d.load(show_with_finding(tmp_path))
    assert desk.findings and d.panel.findings_bar.isVisible()
    assert "全网最低价" in d.panel.findings_label.text()
    row = next(i for i, s in enumerate(desk.show.segments) if s.id == "scarf")
    assert cue_row(d.panel, row)[8].startswith("⚠")  # the finding is marked on its segment

    d.panel.go_button.click()
    assert not d.panel.last_result.ok and "compliance" in d.panel.last_result.message
    assert "Refused" in d.panel.toast.text()
    assert desk.engine.state.playback.value == "standby"

    assert not d.panel.override("   ").ok  # a reason is required
    assert d.panel.override("品牌方法务已审核: 价格有比价截图").ok
    d.panel.go_button.click()
    assert d.panel.last_result.ok and desk.engine.state.playback.value == "running"
    assert not d.panel.override_button.isVisible() and "overridden" in d.panel.findings_label.text()

    refused = d.refusals()
    assert any("compliance findings open" in e.message for e in refused)
    [override] = d.events("compliance.override")
    assert override.payload["reason"].startswith("品牌方法务已审核")
    assert any(f["term"] == "全网最低价" for f in override.payload["findings"])
    assert d.events("cue.start")


def test_go_next_back_hold_and_add_time_update_the_cue_list_and_remaining(make_desk, qtbot):
    d = make_desk()
    desk = d.load(sample_show_path())
    p, clock = d.panel, d.clock
    assert p.remaining_label.text() == "05:00" and "STANDBY" in p.playback_label.text()

    p.dispatch("go")
    clock.advance(90)
    p.refresh()
    assert p.remaining_label.text() == "03:30"
    assert cue_row(p, 0)[6] == "01:30"  # actual so far, live
    assert cue_row(p, 0)[0].startswith("▶")

    p.dispatch("go")  # next: 开场 ran 1:30 of its 5:00
    assert cue_row(p, 0)[6] == "01:30" and cue_row(p, 0)[7] == "-03:30"
    assert cue_row(p, 1)[0].startswith("▶")
    m = p.cue_model
    assert "+01:30" in m.data(m.index(1, 5), Qt.ItemDataRole.ToolTipRole)  # actual start vs the show start
    assert p.remaining_label.text() == "10:00"
    assert p.over_label.text() == "-03:30"  # ahead of plan

    clock.advance(60)
    p.dispatch("toggle_hold")
    clock.advance(120)  # on hold: the segment timer stands still
    p.refresh()
    assert p.remaining_label.text() == "09:00" and "HOLD" in p.playback_label.text()
    assert p.hold_button.text() == "Resume"
    p.dispatch("toggle_hold")
    p.plus_button.click()  # +1 min
    p.refresh()
    assert p.remaining_label.text() == "10:00"
    p.minus_button.click()
    p.refresh()
    assert p.remaining_label.text() == "09:00"

    p.back_button.click()  # back: the previous segment from 0:00
    assert desk.engine.state.index == 0 and p.remaining_label.text() == "05:00"

    clock.advance(5 * 60 + 10)  # into overtime: the phase colour reaches the big timer
    p.tick()
    assert p.remaining_label.text() == "-00:10" and "#ff2d2d" in p.remaining_label.styleSheet()
    assert d.events("cue.phase")


def test_card_push_updates_the_cue_screen_and_stock_is_logged(make_desk):
    d = make_desk()
    desk = d.load(sample_show_path())
    p = d.panel
    p.dispatch("go")
    p.dispatch("go")  # 羊绒围巾讲解
    result = p.dispatch("card_push_slot", slot=1)
    assert result.ok
    assert result.data["push"]["overlay_texts"] == {"Title": "云朵羊绒围巾 直播价 ¥259"}
    state = d.cue_state()
    assert state.product.name == "云朵羊绒围巾" and state.segment_title == "羊绒围巾讲解"
    assert p.cards_table.item(0, 1).text() == "讲解中"

    p.cards_table.selectRow(0)
    p.card_buttons["minus10"].click()
    assert desk.cards.cards["SK-2001"].stock == 790
    d.qtbot.waitUntil(lambda: d.cue.current_state().product.stock_left == 790, timeout=3000)
    p.card_buttons["freeze"].click()
    p.card_buttons["plus1"].click()  # frozen: refused, and said so
    assert not p.last_result.ok and "frozen" in p.last_result.message
    kinds = [e.kind for e in d.events()]
    for k in ("card.push", "card.explaining", "stock.adjust", "stock.freeze", "desk.action"):
        assert k in kinds
    assert [e.payload["action"] for e in d.refusals()] == ["stock.adjust"]


def test_coupon_countdown_then_drop_then_confirm(make_desk):
    d = make_desk()
    desk = d.load(sample_show_path())
    p, clock = d.panel, d.clock
    p.dispatch("go")
    first = desk.scheduler.items["drop-1"] if "drop-1" in desk.scheduler.items else next(
        it for it in desk.scheduler.items.values() if it.kind == "coupon")
    if first.at.segment:  # drops anchored to a segment come with it: go there
        p.dispatch("jump", segment=first.at.segment)
    target = desk.scheduler.target(first, clock.now().mono)
    row_text = lambda: [p.timeline.item(r, 0).text() for r in range(p.timeline.rowCount())]  # noqa: E731
    p.refresh()
    assert p.timeline.item(0, 0).data(Qt.ItemDataRole.UserRole) == first.id
    from studio_app.show.model import format_clock

    assert row_text()[0] == format_clock(target - clock.now().mono)

    clock.advance(target - clock.now().mono - first.lead + 0.01)  # the pre-announce moment
    events = [e for e in p.tick() if not e.kind.startswith("cue.")]
    assert [e.kind for e in events] == [f"{first.kind}.announce"]
    d.qtbot.waitUntil(lambda: any(c.label == first.label for c in d.cue.current_state().countdowns), timeout=3000)

    clock.advance(first.lead)  # the drop moment
    events = [e for e in p.tick() if not e.kind.startswith("cue.")]
    assert [e.kind for e in events] == [f"{first.kind}.drop"]
    assert "confirm" in p.timeline.item(0, 2).text().lower()
    d.qtbot.waitUntil(lambda: d.cue.current_state().countdowns[0].stage == "now", timeout=3000)

    qt_confirm = p.actions["coupon_confirm"]
    qt_confirm.trigger()  # the one key C
    assert p.last_result.ok and first.confirmed_at is not None
    kinds = [e.kind for e in d.events("coupon.")]
    assert kinds[:3] == ["coupon.announce", "coupon.drop", "coupon.confirm"]


def test_drop_now_delay_and_cancel_act_on_the_selected_item(make_desk):
    d = make_desk()
    desk = d.load(sample_show_path())
    p = d.panel
    p.dispatch("go")
    p.refresh()
    first = p.timeline.item(0, 0).data(Qt.ItemDataRole.UserRole)
    before = desk.scheduler.target(desk.scheduler.items[first], d.clock.now().mono)
    p.drop_buttons["delay"].click()  # nothing selected: the next pending item
    assert desk.scheduler.target(desk.scheduler.items[first], d.clock.now().mono) == pytest.approx(before + 60)
    p.timeline.selectRow(0)
    p.drop_buttons["drop"].click()
    chosen = p.last_result
    assert chosen.ok and chosen.data["firings"][0]["action"] in ("drop", "start")
    p.timeline.clearSelection()
    p.drop_buttons["cancel"].click()
    assert p.last_result.ok and "cancelled" in p.last_result.message


def test_shortcuts_trigger_the_same_actions_as_the_buttons(make_desk, qtbot):
    d = make_desk()
    desk = d.load(sample_show_path())
    p = d.panel
    p.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is p, timeout=3000)
    p.cue_table.setFocus()
    qtbot.keyClick(p.cue_table, Qt.Key.Key_Space)
    assert desk.engine.state.playback.value == "running"
    qtbot.keyClick(p.cue_table, Qt.Key.Key_Space)  # a double tap: ignored, no segment skipped
    assert desk.engine.state.index == 0 and "ignored" in p.toast.text()
    d.clock.advance(1.0)
    qtbot.keyClick(p.cue_table, Qt.Key.Key_Space)
    assert desk.engine.state.index == 1
    qtbot.keyClick(p.cue_table, Qt.Key.Key_1)
    assert desk.cards.explaining is not None and desk.cards.explaining.sku == "SK-2001"
    qtbot.keyClick(p.cue_table, Qt.Key.Key_H)
    assert desk.engine.state.playback.value == "hold"
    qtbot.keyClick(p.cue_table, Qt.Key.Key_H)
    assert desk.engine.state.playback.value == "running"
    qtbot.keyClick(p.cue_table, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert desk.engine.state.added == 60
    qtbot.keyClick(p.cue_table, Qt.Key.Key_Backspace)
    assert desk.engine.state.index == 0
    qtbot.keyClick(p.cue_table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert p.message_edit.hasFocus()
    qtbot.keyClicks(p.message_edit, "cam 2 now")  # typing in the box never fires desk keys
    assert desk.engine.state.index == 0 and desk.cards.explaining.sku == "SK-2001"
    qtbot.keyClick(p.message_edit, Qt.Key.Key_Return)
    assert d.studio.state().message.text == "cam 2 now" and d.cue_state().message.visible
    assert p.hasFocus() and not p.message_edit.hasFocus()  # sent: the keyboard is the show's again
    d.clock.advance(1.0)
    qtbot.keyClick(p, Qt.Key.Key_Space)
    assert desk.engine.state.index == 1  # Space is GO again, not a space in the message box
    qtbot.keyClick(p, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(p.message_edit, Qt.Key.Key_Escape)
    assert not d.studio.state().message.visible and p.hasFocus()
    # every operation is in the Show menu with its key
    assert all(not a.shortcut().isEmpty() for a in p.actions.values())
    assert len({a.shortcut().toString() for a in p.actions.values()}) == len(p.actions)


def test_cue_screen_message_box_goes_through_the_dispatcher(make_desk):
    d = make_desk()
    desk = d.load(sample_show_path())
    d.cue.message_text.setText("准备上链接")
    d.cue.blink.setChecked(True)
    d.cue.send.click()
    m = d.studio.state().message
    assert desk is not None and m.text == "准备上链接" and m.blink
    assert [e.kind for e in d.events("message.")] == ["message.show"]
    d.panel.actions["message_hide"].trigger()  # Esc on the desk hides what the cue panel sent
    assert not d.cue_state().message.visible


def test_broken_show_file_shows_a_located_error_and_the_desk_stays_usable(make_desk, tmp_path):
    d = make_desk()
    bad = tmp_path / "broken.toml"
    bad.write_text(sample_show_path().read_text(encoding="utf-8").replace('duration = "10m"', 'duration = "ten"', 1),
                   encoding="utf-8")
    d.load(bad)
    assert d.panel.desk is None and d.panel.load_error
    assert "broken.toml" in d.panel.load_error and ":" in d.panel.load_error
    assert d.panel.error_banner.isVisible() and "Open show" in d.panel.error_banner.text()
    assert d.panel.error_box.text() == d.panel.load_error
    assert not d.panel.dispatch("go").ok  # nothing loaded: refused, never a crash
    d.panel.error_box.close()
    d.load(sample_show_path())  # another file loads fine
    assert d.panel.desk is not None and not d.panel.error_banner.isVisible()


def test_resume_after_a_crash_offers_the_same_segment_with_the_right_elapsed_time(qtbot, tmp_path):
    db = tmp_path / "shared.sqlite3"
    clock = ManualClock()
    first = Desk(qtbot, tmp_path, db=db, clock=clock)
    first.load(sample_show_path())
    first.panel.dispatch("go")
    clock.advance(60)
    first.panel.dispatch("go")  # 羊绒围巾讲解 from 1:00
    first.panel.dispatch("card_push_slot", slot=1)
    clock.advance(125)
    first.close()  # the console dies; the log has everything up to here

    clock.advance(20)  # 20 s down: the segment timer kept running
    second = Desk(qtbot, tmp_path, db=db, clock=clock)
    try:
        second.load(sample_show_path(), expect_offer=True)
        offer = second.panel.resume_offer
        assert offer["segment"] == "羊绒围巾讲解" and offer["elapsed"] == pytest.approx(145, abs=0.01)
        assert "02:25" in second.panel.resume_button.text()
        second.panel.resume_button.click()
        desk = second.panel.desk
        assert desk.engine.state.index == 1 and desk.cards.explaining.sku == "SK-2001"
        second.panel.refresh()
        assert second.panel.remaining_label.text() == "07:35"
        assert cue_row(second.panel, 0)[6] == "01:00"  # the finished segment's actual length survived
        assert second.events("cue.resumed")
    finally:
        second.close()

    third = Desk(qtbot, tmp_path, db=db, clock=clock)  # start fresh this time
    try:
        third.load(sample_show_path(), expect_offer=True)
        third.panel.fresh_button.click()
        assert third.panel.desk.engine.state.playback.value == "standby"
    finally:
        third.close()
    fourth = Desk(qtbot, tmp_path, db=db, clock=clock)  # the fresh run is the latest: nothing to resume
    try:
        fourth.load(sample_show_path())
        assert fourth.panel.resume_box is None and fourth.panel.desk is not None
    finally:
        fourth.close()


def test_history_helpers_read_logged_cue_events():
    events = [
        {"kind": "cue.start", "payload": {"run": "a", "state": {"playback": "running"}, "to": {"segment": "open", "actual_start": 0}}},
        {"kind": "cue.go", "payload": {"run": "a", "state": {"playback": "running"},
                                       "from": {"segment": "open", "actual_duration": 61.5},
                                       "to": {"segment": "scarf", "actual_start": 61.5}}},
    ]
    assert unfinished_run(events)
    assert segment_history(events) == {"open": {"start": 0.0, "duration": 61.5}, "scarf": {"start": 61.5}}
    assert not unfinished_run(events + [{"kind": "cue.end", "payload": {"run": "a", "state": {"playback": "ended"}}}])
    assert not unfinished_run(events + [{"kind": "show.open", "payload": {"run": "b"}}])


def test_emergency_runbook_hold_and_coupon_pause_go_through_the_desk(make_desk):
    from studio_app.show.emergency import default_runbooks_path
    from studio_app.studio.runbooks import load_checked

    d = make_desk()
    desk = d.load(sample_show_path())
    d.panel.dispatch("show.go")
    d.studio.set_runbooks(load_checked(default_runbooks_path()))
    assert d.studio.dispatch("runbook.open", id="stream").ok  # pause coupons, hold, tell the anchor
    assert desk.engine.state.playback.value == "hold" and desk.scheduler.paused_since is not None
    d.panel.refresh()
    assert d.panel.drop_buttons["pause"].text() == "Resume drops"


def test_main_window_hosts_the_desk_and_emergency_runbooks_drive_it(qtbot, tmp_path):
    from studio_app.core.devices import DeviceBoard
    from studio_app.core.settings import Settings
    from studio_app.store import EventLog
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    settings = Settings(path=tmp_path / "settings.toml")
    settings.set("obs.enabled", False)
    ctx = AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=url, show_path=sample_show_path())
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    try:
        panel = win.show_desk
        qtbot.waitUntil(lambda: panel.desk is not None, timeout=10000)
        assert win.centralWidget().isAncestorOf(panel) and "dock-devices" in win._docks
        assert panel.menu.menuAction() in win.menuBar().actions()  # menu "Show" lists every key
        panel.dispatch("go")
        qtbot.waitUntil(lambda: win.emergency_panel.loads > 0, timeout=10000)
        win.emergency_panel.open_runbook("stream")  # its steps go through the same dispatcher
        assert panel.desk.engine.state.playback.value == "hold"
        assert panel.desk.scheduler.paused_since is not None
        win.emergency_panel.set_drill(True)  # the drill band rides on the studio's snapshot
        qtbot.waitUntil(lambda: win.cue_control.current_state().drill, timeout=3000)
    finally:
        win.close()
        log.close()
