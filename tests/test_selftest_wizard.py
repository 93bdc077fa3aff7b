"""The self-test wizard: live progress per check, prompts, re-run one, history from the
event log, exports and save-as-profile, never blocking the GUI thread."""
from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from studio_app.core.devices import DeviceBoard
from studio_app.core.settings import Settings
from studio_app.selftest.profile import CameraProfile, MicProfile, ObsProfile, Profile
from studio_app.store import EventLog, fetch_events, open_engine
from tests.harness import artifact_path, free_port

NOTHING = Profile(camera=CameraProfile(source=""), mic=MicProfile(device=None), obs=ObsProfile(host=None))


@pytest.fixture
def desk(tmp_path):
    from tests.harness.desk import desk_context

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    ctx = desk_context(settings=Settings(tmp_path / "settings.toml"), log=log, board=DeviceBoard(), db_url=url)
    yield ctx
    log.close()


@pytest.fixture
def open_wizard(qtbot, desk):
    from studio_app.ui.selftest_wizard import SelfTestWizard

    made = []

    def make(**kw):
        w = SelfTestWizard(desk, **kw)
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
        qtbot.waitUntil(lambda w=w: not w.busy, timeout=20000)


def test_progress_rows_and_rerun_one(open_wizard, qtbot, desk):
    w = open_wizard(profile=replace(NOTHING, obs=ObsProfile(host="127.0.0.1", port=free_port())), groups=["obs", "console"])
    seen = []
    w.table.itemChanged.connect(lambda item: seen.append(item.row()))
    with qtbot.waitSignal(w.finished_run, timeout=30000) as blocker:
        assert w.start()
        assert not w.start()  # one run at a time
        # Rows for every check of the chosen groups, waiting until their results come.
        assert w.table.rowCount() == 8 + 3 and w.row_status("console.clock") is None
    result = blocker.args[0]
    assert seen  # rows were filled as the checks finished
    assert w.row_status("obs.reachable") == "fail" and w.row_status("console.db") == "pass"
    assert w.row_status("camera.opens") is None  # not a chosen group: no row
    assert "FAIL" in w.summary.text() or "失败" in w.summary.text() or "FAILED" in w.summary.text()
    fix_cell = w.table.item(w._rows["obs.reachable"], 4).text()
    assert "→" in fix_cell
    first_clock = result.get("console.clock").finished_at

    w.select_check("console.clock")
    assert w.rerun_button.isEnabled()
    with qtbot.waitSignal(w.finished_run, timeout=20000) as again:
        w.rerun_button.click()
    rerun = again.args[0]
    assert rerun.get("console.clock").finished_at > first_clock
    assert rerun.get("obs.reachable") == result.get("obs.reachable")  # only the one check ran again
    assert w.row_status("console.clock") == "pass"
    w.grab().save(str(artifact_path("selftest", "wizard.png")))

    # Both runs are in the event log, as selftest.run with the whole report.
    assert desk.log.flush(5.0)
    engine = open_engine(desk.db_url)
    try:
        runs = fetch_events(engine, sources=["selftest"], kinds=["selftest.run"])
    finally:
        engine.dispose()
    assert len(runs) == 2 and {c["id"] for c in runs[0].payload["checks"]} >= {"obs.reachable", "console.db"}


def test_history_is_read_from_the_event_log(open_wizard, qtbot, desk):
    from studio_app.selftest import SelfTest, record_run

    old = SelfTest(NOTHING, groups=["console"], db_url=desk.db_url).run()
    record_run(desk.log, old)
    assert desk.log.flush(5.0)
    w = open_wizard(profile=NOTHING, groups=["console"])
    qtbot.waitUntil(lambda: w.history_list.count() >= 1, timeout=10000)
    assert w.history[0]["checks"][0]["id"] == "console.db"
    w._show_history_item(w.history_list.item(0))
    assert w.row_status("console.db") == "pass"


@pytest.mark.mic
def test_prompt_bar_asks_and_skip_skips_the_level(open_wizard, qtbot, virtual_mic):
    w = open_wizard(profile=replace(NOTHING, mic=MicProfile(device="pulse")), groups=["mic"])
    w.start()
    qtbot.waitUntil(lambda: w.prompt_bar.isVisible(), timeout=15000)
    assert w.prompt_label.text() in ("请对着麦克风说话", "Please speak into the microphone")
    t = time.monotonic()
    with qtbot.waitSignal(w.finished_run, timeout=20000) as blocker:
        w.prompt_skip.click()
    assert time.monotonic() - t < 15
    assert not w.prompt_bar.isVisible()
    assert blocker.args[0].get("mic.level").status.value == "skip"
    assert w.row_status("mic.noise_floor") == "pass"


def test_exports_and_save_as_profile(open_wizard, qtbot, tmp_path):
    w = open_wizard(profile=NOTHING, groups=["console"])
    with qtbot.waitSignal(w.finished_run, timeout=20000):
        w.start()
    saved = []
    w.export(str(tmp_path / "r.html"), "html", saved.append)
    w.export(str(tmp_path / "r.json"), "json", saved.append)
    w.save_as_profile(str(tmp_path / "studio.toml"), saved.append)
    qtbot.waitUntil(lambda: len(saved) == 3, timeout=10000)
    assert "<table>" in (tmp_path / "r.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["passed"] is True and {"id", "status", "value", "threshold", "detail", "fix"} <= data["checks"][0].keys()
    assert "[console]" in (tmp_path / "studio.toml").read_text(encoding="utf-8")


def test_tools_menu_opens_the_wizard(qtbot, desk):
    from studio_app.ui.main_window import MainWindow

    win = MainWindow(desk)
    qtbot.addWidget(win)
    try:
        dialog = win.open_selftest()
        assert dialog.isVisible() and dialog.windowTitle()
        actions = [a.text() for m in win.menuBar().findChildren(type(win.view_menu)) for a in m.actions()]
        assert any("test" in a.lower() or "自检" in a for a in actions)
        dialog.close()
    finally:
        win.shutdown()
        win.close()
