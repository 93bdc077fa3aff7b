"""Anchor profiles on the desk (offscreen Qt): the "anchor must leave" runbook's
anchor_profile step, run through the real EmergencyPanel → the studio's dispatcher
(anchor.profile) → the cue control that renders the studio, changes what the anchor's screen shows and is logged; an unknown or broken profile
fails with one clear line; the cue panel saves, applies and deletes profiles without the
GUI thread writing the file."""
from __future__ import annotations

import threading
import tomllib

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from studio_app.core.devices import DeviceBoard
from studio_app.core.events import MemorySink, Severity
from studio_app.core.settings import Settings
from studio_app.show.emergency import FAILED, OK
from studio_app.ui.context import AppContext
from studio_app.ui.cue_control import CueScreenControl
from studio_app.ui.emergency_panel import EmergencyPanel
from tests.harness.cue_shot import base_state

SCRIPT = "\n".join(f"第{i}段：家人们看一下这个做工，双面呢手工缝制，没有一根线头。" for i in range(30))


@pytest.fixture
def desk(qtbot):
    """A cue control with its screen open and an emergency panel, both views of one
    studio, wired as the desk wires them."""
    made = []

    def make(runbooks_path=None, settings=None):
        ctx = AppContext(settings=settings or Settings(), log=MemorySink(), board=DeviceBoard(), db_url="sqlite://")
        cue = CueScreenControl(ctx.settings, log=ctx.log, studio=ctx.studio)
        qtbot.addWidget(cue)
        cue.set_state(base_state().with_(script=SCRIPT))
        cue.open_button.setChecked(True)
        win = cue.screen_window
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: win.paint_count > 0)
        panel = EmergencyPanel(ctx, runbooks_path=runbooks_path, lang="en")
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.loads >= 1, timeout=5000)
        made.append((cue, panel))
        return ctx, cue, panel

    yield make
    for cue, panel in made:
        panel.stop()
        panel.close()
        cue.stop()
        cue.studio.close()


def text_line_heights(win) -> list[int]:
    """Heights in pixels of the runs of rows holding bright script text in the script block."""
    img = win.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    a = a[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)
    x, y, w, h = win.block_rects()["script"]
    c = QColor("#f2f3f5")
    region = a[y: y + h, x: x + w]
    rows = (np.abs(region - np.array([c.red(), c.green(), c.blue()])).max(axis=2) <= 40).sum(axis=1) > 0
    runs, n = [], 0
    for on in rows:
        if on:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    return runs


def action_run(panel, incident, type_):
    inc = panel.desk.incident(incident.id)
    return next(r for r in inc.actions if r.action.type == type_)


def test_anchor_runbook_loads_the_substitute_profile_onto_the_cue_screen(desk, qtbot):
    ctx, cue, panel = desk()
    win = cue.screen_window
    mirrored_before = win.mirror
    before = text_line_heights(win)
    assert before, "no script text found on the cue screen"
    published = []
    cue.state_published.connect(published.append)
    painted = win.paint_count

    inc = panel.open_runbook("anchor_leave")
    run = action_run(panel, inc, "anchor_profile")
    assert run.status == OK, run.detail
    assert run.detail == "script text 140 %, speed 2"

    # the anchor's screen: larger script, slower prompter, the rig untouched
    qtbot.waitUntil(lambda: win.script_size == 140, timeout=3000)  # the studio's news, on the GUI thread
    assert win.script_size == 140 and win.prompter.step == 2 and win.mirror == mirrored_before
    qtbot.waitUntil(lambda: win.paint_count > painted)
    after = text_line_heights(win)
    assert np.median(after) >= 1.25 * np.median(before), (before[:5], after[:5])
    # the panel and the phone view follow
    assert cue.script_size.value() == 140 and cue.step_label.text().endswith("2")
    assert "substitute" in cue.profile_current.text()
    assert published and published[-1].prompter.step == 2

    # logged by the cue control, and as the incident's action
    applied = [e for e in ctx.log.events if e.source == "cue" and e.kind == "anchor_profile.apply"]
    assert len(applied) == 1 and "substitute" in applied[0].message
    assert applied[0].payload["profile"] == "substitute"
    step = [e for e in ctx.log.events if e.kind == "desk.action" and e.payload["action"] == "anchor.profile"]
    assert [e.payload["by"] for e in step] == ["runbook"]
    actions = [e for e in ctx.log.events if e.kind == "incident.action" and e.payload["type"] == "anchor_profile"]
    assert actions[-1].payload["result"] == OK

    # remembered in the settings file, written off the GUI thread
    path = ctx.settings.path

    def saved() -> bool:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))["cue_screen"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return False
        return data.get("anchor_profile") == "substitute" and data.get("script_size") == 140 \
            and data.get("prompter_step") == 2

    qtbot.waitUntil(saved, timeout=5000)
    again = CueScreenControl(Settings(path))
    qtbot.addWidget(again)
    assert again.script_size.value() == 140 and again.step_label.text().endswith("2")
    assert "substitute" in again.profile_current.text()
    again.stop()


def test_an_unknown_profile_fails_the_action_with_where_to_make_one(desk, tmp_path):
    runbooks = tmp_path / "runbooks.toml"
    runbooks.write_text('[[runbook]]\nid = "anchor_leave"\nname_zh = "主播临时离开"\nname_en = "Anchor must leave"\n\n'
                        '[[runbook.action]]\ntype = "anchor_profile"\nprofile = "nobody"\n', encoding="utf-8")
    ctx, cue, panel = desk(runbooks_path=runbooks)
    win = cue.screen_window
    inc = panel.open_runbook("anchor_leave")
    run = action_run(panel, inc, "anchor_profile")
    assert run.status == FAILED
    assert run.detail == "no anchor profile 'nobody': save one in the Cue screen panel"
    assert "no anchor profile 'nobody'" in panel.actions_list.item(0).text()
    assert win.script_size == 100 and win.prompter.step == 3  # nothing changed
    failed = [e for e in ctx.log.events if e.kind == "incident.action"]
    assert failed and failed[-1].payload["result"] == FAILED and failed[-1].severity == Severity.ERROR
    assert "anchor_profile.apply" not in ctx.log.kinds("cue")


def test_a_broken_profile_in_the_settings_file_is_named_not_a_crash(desk, tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[cue_screen.anchor_profiles.substitute]\nscript_size = "huge"\n', encoding="utf-8")
    ctx, cue, panel = desk(settings=Settings(path))
    expected = "cue_screen.anchor_profiles.substitute.script_size: expected a whole number 60..200, got 'huge'"
    assert expected in cue.profile_status.text()  # said when the desk starts
    inc = panel.open_runbook("anchor_leave")
    run = action_run(panel, inc, "anchor_profile")
    assert run.status == FAILED and run.detail == expected
    assert cue.screen_window.script_size == 100


def test_the_cue_panel_saves_applies_and_deletes_profiles_off_the_gui_thread(qtbot, monkeypatch):
    import studio_app.core.settings as settings_module

    writers: list[bool] = []
    real_replace = settings_module.os.replace

    def replace(src, dst):
        writers.append(threading.current_thread() is threading.main_thread())
        return real_replace(src, dst)

    monkeypatch.setattr(settings_module.os, "replace", replace)
    log = MemorySink()
    cue = CueScreenControl(Settings(), log=log)
    qtbot.addWidget(cue)
    cue.set_state(base_state().with_(script=SCRIPT))
    assert cue.profile_current.text() == "Current profile: none"
    # the shipped profile cannot be deleted (the runbooks rely on it)
    cue.profile_pick.setCurrentIndex(cue.profile_pick.findData("substitute"))
    assert not cue.profile_delete.isEnabled()

    cue.mirror.setChecked(True)
    cue.script_size.setValue(160)
    qtbot.mouseClick(cue.faster, Qt.MouseButton.LeftButton)  # speed 4
    cue.profile_name.setText("Lily")
    qtbot.mouseClick(cue.profile_save, Qt.MouseButton.LeftButton)
    assert cue.profile_pick.currentData() == "Lily" and cue.profile_current.text() == "Current profile: Lily"
    assert [e.payload["settings"] for e in log.events if e.kind == "anchor_profile.save"] == [
        {"script_size": 160, "prompter_step": 4, "mirror": True, "orientation": "auto"}]

    cue.profile_pick.setCurrentIndex(cue.profile_pick.findData("substitute"))
    qtbot.mouseClick(cue.profile_apply, Qt.MouseButton.LeftButton)
    assert cue.script_size.value() == 140 and cue.mirror.isChecked()  # substitute leaves the mirror alone
    assert cue.profile_current.text() == "Current profile: substitute"
    cue.mirror.setChecked(False)  # not part of the substitute profile
    assert cue.profile_current.text() == "Current profile: substitute"
    cue.script_size.setValue(150)
    assert cue.profile_current.text() == "Current profile: substitute (settings changed since)"

    win = cue.open_screen()  # opened after the profile: the screen starts with the desk's settings
    assert win.script_size == 150 and win.prompter.step == 2 and not win.mirror
    cue.profile_pick.setCurrentIndex(cue.profile_pick.findData("Lily"))
    qtbot.mouseClick(cue.profile_apply, Qt.MouseButton.LeftButton)
    assert win.script_size == 160 and win.prompter.step == 4 and win.mirror
    assert cue.profile_current.text() == "Current profile: Lily"
    applied = [e.payload["profile"] for e in log.events if e.source == "cue" and e.kind == "anchor_profile.apply"]
    assert applied == ["substitute", "Lily"]

    assert cue.profile_delete.isEnabled()
    qtbot.mouseClick(cue.profile_delete, Qt.MouseButton.LeftButton)
    assert cue.profile_pick.findData("Lily") < 0 and cue.profile_current.text() == "Current profile: none"
    assert "anchor_profile.delete" in log.kinds("cue")

    cue.profile_name.setText("   ")
    qtbot.mouseClick(cue.profile_save, Qt.MouseButton.LeftButton)
    assert cue.profile_status.text() == "profile name is empty"

    qtbot.waitUntil(lambda: cue.settings.path.exists() and "Lily" not in cue.settings.path.read_text("utf-8")
                    and "anchor_profile = \"\"" in cue.settings.path.read_text("utf-8"), timeout=5000)
    assert writers and not any(writers)  # every settings write ran on a pool thread
    cue.stop()


def test_a_settings_file_that_cannot_be_written_is_shown_and_logged(qtbot, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be", encoding="utf-8")
    log = MemorySink()
    cue = CueScreenControl(Settings(blocker / "settings.toml"), log=log)
    qtbot.addWidget(cue)
    cue.mirror.setChecked(True)  # saved off the GUI thread: the write fails there
    qtbot.waitUntil(lambda: any(e.kind == "settings.save_failed" for e in log.events), timeout=5000)
    assert "Settings not saved" in cue.profile_status.text() and "not-a-folder" in cue.profile_status.text()
