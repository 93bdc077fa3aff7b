"""The desk's foundation behaviour, driven as an operator would (offscreen, pytest-qt)."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from studio_app.core.devices import DeviceBoard, DeviceState, DeviceStatus
from studio_app.core.settings import Settings
from studio_app.store import EventLog
from tests.harness.desk import desk_context
from studio_app.ui.main_window import MainWindow


class _PaintSpy(QObject):
    def __init__(self, seen) -> None:
        super().__init__()
        self.seen = seen

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 - Qt API
        self.seen(ev)
        return False


@pytest.fixture
def desk(qtbot, tmp_path):
    log = EventLog(f"sqlite:///{tmp_path / 'log.sqlite3'}").start()
    ctx = desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=f"sqlite:///{tmp_path / 'log.sqlite3'}")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    log.close()


def test_log_panel_shows_new_events_live(desk, qtbot):
    desk.ctx.log.log("desk", "cue.go", "开场")
    desk.ctx.log.log("mic", "mic.lost", "麦克风断开", severity=40)
    model = desk.log_panel.model

    def ours():  # other panels (OBS, camera) log their own events meanwhile
        return [model.event_at(r).kind for r in range(model.rowCount()) if model.event_at(r).kind in ("cue.go", "mic.lost")]

    qtbot.waitUntil(lambda: len(ours()) == 2, timeout=2000)
    assert ours() == ["cue.go", "mic.lost"]


def test_log_panel_filters_by_source_and_severity(desk, qtbot):
    for i in range(3):
        desk.ctx.log.log("selftest", "selftest.step", f"s{i}")
    desk.ctx.log.log("show", "show.clip", "clip", severity=30)
    panel = desk.log_panel
    kinds = lambda: [panel.model.event_at(r).kind for r in range(panel.model.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: "show.clip" in kinds(), timeout=2000)
    panel.source_box.setCurrentIndex(panel.source_box.findData("show"))
    assert panel.proxy.rowCount() == 1
    panel.source_box.setCurrentIndex(0)
    panel.severity_box.setCurrentIndex(panel.severity_box.findData(30))
    assert all(panel.model.event_at(panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()).severity >= 30
               for r in range(panel.proxy.rowCount()))
    panel.severity_box.setCurrentIndex(0)
    qtbot.keyClicks(panel.search, "s1")
    assert panel.proxy.rowCount() == 1


def test_device_status_from_a_worker_thread_reaches_the_status_bar(desk, qtbot):
    t = threading.Thread(target=lambda: desk.ctx.board.report(
        DeviceStatus("spare", DeviceState.LOST, "device 'spare' disappeared")))
    t.start()
    t.join()
    # A device no panel reports: the status bar grows an indicator for it.
    qtbot.waitUntil(lambda: "spare" in desk.indicators and "lost" in desk.indicators["spare"].label.text(), timeout=2000)
    assert desk.indicators["spare"].toolTip() == "device 'spare' disappeared"


def test_banner_appears_when_the_log_cannot_write(qtbot, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("x")
    url = f"sqlite:///{blocker / 'log.sqlite3'}"
    log = EventLog(url, retry_interval=0.2).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=3000)
    assert "nothing is lost" in win.banner.text()
    blocker.unlink()
    log.log("desk", "retry", "x")
    qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=5000)
    win.close()
    log.close()


def test_layout_is_saved_and_restored(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    ctx = desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win._docks["dock-log"].hide()
    win.resize(win.minimumSizeHint().expandedTo(win.minimumSize()) + QSize(40, 30))
    size = (win.width(), win.height())
    win.close()
    win2 = MainWindow(ctx)
    qtbot.addWidget(win2)
    win2.show()
    assert not win2._docks["dock-log"].isVisible()
    assert (win2.width(), win2.height()) == size
    win2._docks["dock-mic"].setFloating(True)
    win2.reset_layout()
    assert win2._docks["dock-log"].isVisible()
    # back to the layout a new machine opens with, not every dock piled on the right
    bottom, right = Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    areas = {name: win2.dockWidgetArea(d) for name, d in win2._docks.items()}
    assert areas["dock-mic"] == areas["dock-room"] == areas["dock-log"] == bottom
    assert areas["dock-obs"] == areas["dock-emergency"] == right
    assert not win2._docks["dock-mic"].isFloating() and not win2._docks["dock-room"].isVisible()
    win2.close()
    log.close()


def test_settings_dialog_rejects_a_bad_database_url(desk, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = desk.open_settings()
    page = dialog.pages[1]
    page.url.setText("nope://bad")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert warnings and "nope" in warnings[0]
    assert dialog.isVisible()
    page.url.setText("")
    dialog.pages[0].language.setCurrentIndex(dialog.pages[0].language.findData("zh_CN"))
    with qtbot.waitSignal(dialog.finished, timeout=3000):  # saved on a pool thread, then closed
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert Settings().get("general.language") == "zh_CN"


def test_broken_settings_file_falls_back_to_defaults_and_keeps_the_original(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[obs\nport = ", encoding="utf-8")
    s = Settings(path)
    assert s.problem and "unreadable" in s.problem
    assert s.get("obs.port") == 4455
    assert list(tmp_path.glob("settings.toml.broken-*"))


def test_device_workers_start_only_after_the_window_is_painted(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    try:
        # Built but not shown: no device thread is competing with the GUI for its first paint.
        assert not win.camera_panel._running and not win.meter_panel._running
        win.show()
        qtbot.waitUntil(lambda: win.camera_panel._running and win.meter_panel._running, timeout=3000)
        assert win._painted
    finally:
        win.close()
        log.close()


def _dock_geometry(win: MainWindow) -> dict[str, tuple[int, int, int, int]]:
    return {name: dock.geometry().getRect() for name, dock in win._docks.items() if dock.isVisible()}


def test_the_desk_appears_in_its_fitted_layout_and_does_not_jump_after(qtbot, tmp_path):
    """On a new PC (no saved layout) the docks are fitted (the mic dock's width, the emergency
    dock's height) before the first frame: what appears is the layout the desk keeps."""
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    try:
        assert not getattr(win, "_layout_restored", False)  # a new PC: nothing saved
        at_first_frame = {}
        win.first_painted.connect(lambda: at_first_frame.update(_dock_geometry(win)))
        win.resize(1920, 1080)
        win.show()
        qtbot.waitUntil(lambda: bool(at_first_frame), timeout=3000)
        qtbot.wait(300)  # the layout requests a fit would post, and their repaint
        assert _dock_geometry(win) == at_first_frame
        # ... and that first layout is the fitted one: the mic dock has the width of its
        # readings (unfitted, Qt gives it about 300 of 1920 px; fitted, about 500).
        assert win._docks["dock-mic"].width() >= int(win.width() * 0.25)
    finally:
        win.close()
        log.close()


def _slow_show_loads(monkeypatch, gate: threading.Event) -> list[str]:
    """Every show load waits for ``gate`` (a slow disk or database); returns the event order."""
    from studio_app.ui import show_loading

    order: list[str] = []
    real = show_loading.load_show_job

    def slow(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(show_loading, "load_show_job", slow)
    return order


def _desk_opening_the_sample_show(qtbot, tmp_path, order: list[str]):
    from studio_app.core.paths import sample_show_path

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url,
                                  show_path=sample_show_path()))
    qtbot.addWidget(win)
    start = win._start_devices

    def starting() -> None:
        if not win._devices_started:
            order.append("devices")
        start()

    win._start_devices = starting
    table = win.show_desk.cue_table
    viewport = table.viewport()

    def drawn(ev) -> None:
        if ev.type() == QEvent.Type.Paint and table.model().rowCount() and "show drawn" not in order:
            order.append("show drawn")

    spy = _PaintSpy(drawn)
    viewport.installEventFilter(spy)
    win._test_spy = spy  # kept alive with the window
    win.show_desk.show_loaded.connect(lambda _d: order.append("show loaded"))
    win.first_painted.connect(lambda: order.append("window painted"))
    return win, log


def test_devices_start_after_the_show_being_opened_is_drawn(qtbot, tmp_path, monkeypatch):
    """The show's first draw and the devices' start-up never come together (on two cores they
    stalled the desk): a show that loads after the window's first paint is drawn first."""
    from studio_app.ui import main_window

    monkeypatch.setattr(main_window, "DEVICES_WAIT_FOR_SHOW_S", 60.0)  # only the show's draw starts them here
    gate = threading.Event()
    order = _slow_show_loads(monkeypatch, gate)
    win, log = _desk_opening_the_sample_show(qtbot, tmp_path, order)
    try:
        win.show()
        qtbot.waitUntil(lambda: "window painted" in order, timeout=3000)
        qtbot.wait(200)
        assert "devices" not in order  # the show is still loading: the devices wait for it
        gate.set()
        qtbot.waitUntil(lambda: "devices" in order, timeout=3000)
        assert order == ["window painted", "show loaded", "show drawn", "devices"]
        qtbot.waitUntil(lambda: win.camera_panel._running and win.meter_panel._running, timeout=3000)
    finally:
        gate.set()
        win.close()
        log.close()


def test_a_show_that_takes_long_to_open_never_keeps_the_devices_off(qtbot, tmp_path, monkeypatch):
    from studio_app.ui import main_window

    monkeypatch.setattr(main_window, "DEVICES_WAIT_FOR_SHOW_S", 0.3)
    gate = threading.Event()
    order = _slow_show_loads(monkeypatch, gate)
    win, log = _desk_opening_the_sample_show(qtbot, tmp_path, order)
    try:
        win.show()
        # DEVICES_WAIT_FOR_SHOW_S after the first paint, with the show still loading.
        qtbot.waitUntil(lambda: win.camera_panel._running and win.meter_panel._running, timeout=5000)
        assert order == ["window painted", "devices"]
        gate.set()
        qtbot.waitUntil(lambda: "show drawn" in order, timeout=5000)
        assert order.count("devices") == 1
    finally:
        gate.set()
        win.close()
        log.close()


def test_a_window_closed_before_its_first_paint_starts_no_device(qtbot, tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    win.shutdown()
    win._start_devices()
    assert not win.camera_panel._running and not win.meter_panel._running
    win.close()
    log.close()


def test_settings_saved_from_many_threads_stay_whole(tmp_path):
    """Panels save on pool threads while values change: the file is always complete and parseable."""
    import tomllib
    from concurrent.futures import ThreadPoolExecutor

    s = Settings(tmp_path / "settings.toml")

    def work(i):
        s.set(f"camera.focus_references.cam{i % 7}", float(i))
        s.save()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(400)))
    data = tomllib.loads((tmp_path / "settings.toml").read_text(encoding="utf-8"))
    # Every set is followed by a save, so the last save on disk holds the final state.
    assert data == s.as_dict()
    assert sorted(data["camera"]["focus_references"]) == [f"cam{k}" for k in range(7)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]  # no temporary file left


def test_a_slow_disk_never_holds_up_set_and_get(tmp_path, monkeypatch):
    """A save stuck on the disk must not block the GUI thread's set()/get() of other values."""
    import threading

    import studio_app.core.settings as settings_module

    entered, release = threading.Event(), threading.Event()
    real_dump = settings_module.tomli_w.dump

    def slow_dump(data, f):
        entered.set()
        release.wait(10)
        real_dump(data, f)

    monkeypatch.setattr(settings_module.tomli_w, "dump", slow_dump)
    s = Settings(tmp_path / "settings.toml")
    saver = threading.Thread(target=s.save)
    saver.start()
    assert entered.wait(5)
    done = threading.Event()

    def gui():
        s.set("obs.port", 4456)
        if s.get("obs.port") == 4456:
            done.set()

    g = threading.Thread(target=gui)
    g.start()
    got_through = done.wait(5)
    release.set()
    saver.join(10)
    g.join(10)
    assert got_through, "set()/get() waited for a save that was writing to disk"


def test_a_device_thread_reporting_to_a_closed_panel_is_not_an_error(qtbot):
    """A mic scan or a late status can arrive after its panel was closed and deleted."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QWidget

    from studio_app.ui.bridge import ThreadBridge

    panel = QWidget()
    bridge = ThreadBridge(panel)
    shiboken6.delete(panel)  # the bridge goes with it
    errors = []

    def device_thread():
        try:
            bridge.post(["USB mic"])
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    t = threading.Thread(target=device_thread)
    t.start()
    t.join(5)
    assert errors == []


def _qt_objects_left_for_the_collector() -> list[str]:
    """Qt objects still alive in C++ that only Python's cyclic collector would free."""
    import gc

    import shiboken6
    from PySide6.QtCore import QObject

    saved = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what it would free, to look at
    try:
        gc.collect()
        left = []
        for obj in gc.garbage:
            try:
                if isinstance(obj, QObject) and shiboken6.isValid(obj):
                    left.append(f"{type(obj).__module__}.{type(obj).__qualname__}")
            except ReferenceError:  # a weak proxy whose object is gone
                pass
        return sorted(left)
    finally:
        gc.set_debug(saved)
        gc.garbage.clear()


def test_a_closed_desk_leaves_no_qt_object_for_the_collector(qtbot, tmp_path):
    """Python's cyclic collector runs on whichever thread allocates when it falls due, and a Qt
    object it frees is deleted on that thread. A CI run hung so: the event log's thread, busy
    with the next desk's database, freed the last desk's OBS connection (with its socket
    notifier, registered with the GUI thread's event loop) while the GUI thread built widgets.
    So whatever the desk makes goes with its window, deleted by Qt on the GUI thread."""
    import gc

    gc.collect()  # earlier tests' garbage, here on the GUI thread
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(300)  # its first paint, and the devices started after it
    win.close()
    with qtbot.waitSignal(win.destroyed, timeout=5000):
        win.deleteLater()
    log.close()
    del win
    assert _qt_objects_left_for_the_collector() == []
