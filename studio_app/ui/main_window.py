"""The control desk's main window: dockable panels, saved layout, device status, menus."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from studio_app import __version__
from studio_app.core.devices import DeviceState, DeviceStatus
from studio_app.core.paths import user_config_dir
from studio_app.ui.bridge import ThreadBridge
from studio_app.ui.context import AppContext
from studio_app.ui.emergency_panel import CameraDockSwitch
from studio_app.ui.event_text import detail_text
from studio_app.ui.layout import wanted_width
from studio_app.ui.log_panel import LogPanel
from studio_app.ui.settings_dialog import SettingsDialog
from studio_app.ui.status import DeviceIndicator, DevicesOverview

LAYOUT_VERSION = 2  # 2: the emergency dock gets its height (layouts saved before squeezed it)
DEVICES = ["camera", "mic", "obs", "database"]
# The device workers wait at most this long after the window's first paint for the show's
# first draw (a slow file or database never keeps the camera and the mic off for long).
DEVICES_WAIT_FOR_SHOW_S = 1.0
# Posted at low priority, so it is handled after the repaint the show's first draw asked for
# (Qt posts a widget's update request at low priority too, and keeps equal priorities in order).
_DEVICES_AFTER_DRAW = QEvent.Type(QEvent.registerEventType())


def layout_settings() -> QSettings:
    """Window geometry and dock layout, Qt-style, in the console's own config folder."""
    return QSettings(str(user_config_dir() / "layout.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    first_painted = Signal()

    def __init__(self, ctx: AppContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.studio = ctx.studio  # the control room every panel is a view of
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Studio Console — Control Desk"))
        self.setDockNestingEnabled(True)
        self._painted = False
        self._fitted = False
        self._devices_started = False
        self._show_settled = ctx.show_path is None  # no show to open: nothing to wait for
        self._docks: dict[str, QDockWidget] = {}

        # Banner for faults that need a person (e.g. the log cannot write), above the desk.
        self.banner = QLabel()
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.overview = DevicesOverview(DEVICES)
        self._central = QWidget()
        self._central_layout = QVBoxLayout(self._central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.banner)
        self._central_layout.addWidget(self.overview, 1)
        self.setCentralWidget(self._central)

        self.indicators = {d: DeviceIndicator(d) for d in DEVICES}
        for ind in self.indicators.values():
            self.statusBar().addPermanentWidget(ind)

        self._menus()
        self._build_panels()

        # Worker threads → GUI thread.
        self._device_bridge = ThreadBridge(self)
        self._device_bridge.received.connect(self.show_device_status)
        self._unsubscribe_board = ctx.board.subscribe(self._device_bridge.post)
        for status in ctx.board.snapshot().values():
            self.show_device_status(status)
        self._log_bridge = ThreadBridge(self)
        self._log_bridge.received.connect(self._show_log_status)
        if hasattr(ctx.log, "subscribe"):
            ctx.log.subscribe(self._log_bridge.post)
            self._show_log_status(ctx.log.status)

        self.resize(1600, 900)
        self._default_state = self.saveState(LAYOUT_VERSION)  # what View → Reset layout goes back to
        self.restore_layout()

    # ------------------------------------------------------------------ panels
    def _build_panels(self) -> None:
        history = None
        if hasattr(self.ctx.log, "session"):
            history = self._history_loader()
        self.log_panel = LogPanel(self.ctx.log, history=history)
        self.add_dock(self.log_panel, self.tr("Event log"), "dock-log", Qt.DockWidgetArea.BottomDockWidgetArea)
        from studio_app.ui.obs_panel import ObsPanel, create_obs_connection

        # Device workers start once the window has been painted and the show it opens drawn
        # (_start_devices): the desk appears first, and their threads' start-up (imports,
        # device opens, helper processes) cannot stall it.
        self.obs_panel = ObsPanel(create_obs_connection(self.ctx, start=False))
        self.add_dock(self.obs_panel, self.tr("OBS"), "dock-obs", Qt.DockWidgetArea.RightDockWidgetArea)
        from studio_app.ui.camera_panel import CameraPanel

        self.camera_panel = CameraPanel(self.ctx, autostart=False)
        self.studio.camera = CameraDockSwitch(self.camera_panel)  # the runbooks' backup camera
        self.add_dock(self.camera_panel, self.tr("Camera"), "dock-camera", Qt.DockWidgetArea.RightDockWidgetArea)
        from studio_app.ui.meter_panel import MeterPanel

        # Mic meters along the bottom beside the log, as OBS's mixer sits (no extra height in the
        # right column); dead air is judged against the studio's live state (studio.is_live()).
        self.meter_panel = MeterPanel(self.ctx, autostart=False)
        self.studio.mic = self.meter_panel.worker
        mic_dock = self.add_dock(self.meter_panel, self.tr("Microphone"), "dock-mic", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitDockWidget(self._docks["dock-log"], mic_dock, Qt.Orientation.Horizontal)
        from studio_app.ui.cue_control import CueScreenControl

        # The anchor's cue screen: it renders the studio's snapshot (its cue part).
        self.cue_control = CueScreenControl(self.ctx.settings, log=self.ctx.log, studio=self.studio)
        cue_dock = self.add_dock(self.cue_control, self.tr("Cue screen"), "dock-cue", Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self._docks["dock-obs"], cue_dock)  # a tab beside OBS: no extra height
        self._docks["dock-obs"].raise_()
        from studio_app.ui.show_desk import ShowDeskPanel

        # The show desk is the central area: a view of the studio's show.
        self.show_desk = ShowDeskPanel(self.studio, db_url=self.ctx.db_url)
        self.set_desk(self.show_desk)
        self.menuBar().insertMenu(self.view_menu.menuAction(), self.show_desk.menu)
        self.file_menu.insertAction(self._quit_action, self.show_desk.actions["open"])
        from studio_app.ui.import_dialog import import_action

        # a team's own script spreadsheet: the mapping is confirmed, then loaded like a rundown
        self.file_menu.insertAction(self._quit_action, import_action(self, self.show_desk.load))
        if self.ctx.show_path is not None:
            self.show_desk.load(self.ctx.show_path)
        from studio_app.ui.emergency_panel import EmergencyPanel

        self.emergency_panel = EmergencyPanel(self.ctx)
        self.add_dock(self.emergency_panel, self.tr("Emergency"), "dock-emergency", Qt.DockWidgetArea.RightDockWidgetArea)
        # The devices overview shares a tab with the camera (the status bar shows every device
        # anyway): the emergency dock below them keeps the height for all its runbook keys.
        self.tabifyDockWidget(self._docks["dock-camera"], self._docks["dock-devices"])
        self._docks["dock-camera"].raise_()
        self.show_desk.take_keyboard()
        self.cue_control.message_text.returnPressed.connect(self.show_desk.take_keyboard)
        # The show being opened is drawn first, then the devices start: their start-up (a
        # PortAudio helper process, the camera's first frames) and the show's first draw
        # (20 ms of the GUI thread's own work, then 25 ms of painting) compete for the CPU
        # and the interpreter lock when they come together.
        for settled in (self.show_desk.show_loaded, self.show_desk.load_failed, self.show_desk.resume_offered):
            settled.connect(self._show_settled_now)
        from studio_app.ui.review_panel import ReviewPanel

        # The review (复盘) of a show, after it: closed until opened from the View menu; it
        # reads the log only when first shown.
        self.review_panel = ReviewPanel(self.ctx)
        self.add_dock(self.review_panel, self.tr("Review"), "dock-review", Qt.DockWidgetArea.BottomDockWidgetArea).hide()
        from studio_app.ui.remote_panel import RemotePanel

        # Remote control (Companion, OSC, HTTP) drives the same studio; off unless turned on
        # in its dock or with --remote. A tab beside OBS: no extra height.
        self.remote_panel = RemotePanel(self.ctx.settings, self.studio, log=self.ctx.log, override=self.ctx.remote)
        remote_dock = self.add_dock(self.remote_panel, self.tr("Remote"), "dock-remote",
                                    Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self._docks["dock-obs"], remote_dock)
        self._docks["dock-obs"].raise_()
        from studio_app.ui.room_panel import RoomPanel

        # The live room's numbers (数据大屏): a tab beside the event log along the bottom, closed
        # until opened from the View menu or until room data starts (a replay, the endpoint).
        self.room_panel = RoomPanel(self.studio, log=self.ctx.log, settings=self.ctx.settings)
        room_dock = self.add_dock(self.room_panel, self.tr("Live room"), "dock-room",
                                  Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self._docks["dock-log"], room_dock)
        self._docks["dock-log"].raise_()
        room_dock.hide()
        from studio_app.ui.clips_panel import ClipsPanel

        # Product clips (讲解切片) cut from OBS's recording after the show: closed until opened.
        self.clips_panel = ClipsPanel(self.ctx)
        self.add_dock(self.clips_panel, self.tr("Clips"), "dock-clips", Qt.DockWidgetArea.BottomDockWidgetArea).hide()

    def _show_settled_now(self, *_: object) -> None:
        """The show opened (or failed to, or asks whether to resume): the devices follow its draw."""
        if self._show_settled:
            return
        self._show_settled = True
        if self._painted:
            QCoreApplication.postEvent(self, QEvent(_DEVICES_AFTER_DRAW), Qt.EventPriority.LowEventPriority.value)

    def _start_devices(self) -> None:
        if self._devices_started:
            return
        self._devices_started = True
        self.camera_panel.start()
        self.meter_panel.start()
        if self.ctx.settings.get("obs.enabled", True):
            self.obs_panel.conn.start()

    def _history_loader(self):
        import time

        db_url, started = self.ctx.db_url, time.time()

        def load():
            from studio_app.store import fetch_events, open_engine

            engine = open_engine(db_url)
            try:
                events = fetch_events(engine, until=started, limit=500, newest_first=True)
            except Exception:  # noqa: BLE001 - no history is fine; the banner reports DB faults
                return []
            finally:
                engine.dispose()
            events.reverse()
            return events

        return load

    def add_dock(
        self,
        widget: QWidget,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)  # the key under which the layout is saved
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self._docks[object_name] = dock
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def set_desk(self, widget: QWidget) -> None:
        """Replace the central area (the devices overview) with the show desk."""
        self._central_layout.replaceWidget(self.overview, widget)
        self.overview.hide()
        self.add_dock(self.overview, self.tr("Devices"), "dock-devices", Qt.DockWidgetArea.RightDockWidgetArea)
        self.overview.show()

    def _fit_docks(self) -> None:
        """Without a saved layout: on a portrait monitor the desk keeps most of the width;
        on any monitor the right column gives the emergency dock the height for every
        runbook key (three columns of them, two in a narrow portrait column), and the
        microphone dock along the bottom the width of its meters and readings."""
        if getattr(self, "_layout_restored", False):
            return
        mic = self._docks.get("dock-mic")
        if mic is not None and mic.isVisible() and not mic.isFloating():
            # Its readings sit in two columns of label and value (wrapping labels under-report
            # their width): at least 30% of a landscape window, never past 40%.
            want = min(int(self.width() * 0.4), max(wanted_width(self.meter_panel) + 12, int(self.width() * 0.3)))
            if mic.width() < want:
                self.resizeDocks([mic], [want], Qt.Orientation.Horizontal)
        portrait = self.height() > self.width()
        right = [d for d in self._docks.values()
                 if self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea and d.isVisible()]
        if portrait and right:
            self.resizeDocks(right, [int(self.width() * 0.36)] * len(right), Qt.Orientation.Horizontal)
        column = [self._docks[n] for n in ("dock-obs", "dock-camera", "dock-emergency") if n in self._docks]
        if len(column) == 3 and self.height() > 700:
            need = self.emergency_panel.wanted_height(2 if portrait else None) + 30  # + the dock's title bar
            rest = max(300, self.height() - 260 - need)
            self.resizeDocks(column, [int(rest * 0.42), int(rest * 0.58), need], Qt.Orientation.Vertical)

    # ------------------------------------------------------------------ menus
    def _menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = self._quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        full = QAction(self.tr("&Full screen"), self)
        full.setShortcut(QKeySequence(Qt.Key.Key_F11))
        full.setCheckable(True)
        full.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        self.view_menu.addAction(full)
        reset = QAction(self.tr("&Reset layout"), self)
        reset.triggered.connect(self.reset_layout)
        self.view_menu.addAction(reset)
        self.view_menu.addSeparator()

        tools = self.menuBar().addMenu(self.tr("&Tools"))
        settings_action = QAction(self.tr("&Settings…"), self)
        settings_action.setShortcut(QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.open_settings)
        tools.addAction(settings_action)
        selftest_action = QAction(self.tr("Self-&test…"), self)
        selftest_action.triggered.connect(self.open_selftest)
        tools.addAction(selftest_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Studio Console"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def open_settings(self) -> SettingsDialog:
        from studio_app.core.settings import resolve_db_url

        dialog = SettingsDialog(self.ctx.settings, resolve_db_url(None, None), self)
        from studio_app.ui.obs_panel import ObsSettingsPage

        dialog.add_page(ObsSettingsPage(self.obs_panel.conn), self.tr("OBS"))
        from studio_app.ui.remote_panel import RemoteSettingsPage

        dialog.add_page(RemoteSettingsPage(self.remote_panel), self.tr("Remote control"))
        from studio_app.ui.room_panel import RoomSettingsPage

        dialog.add_page(RoomSettingsPage(self.room_panel), self.tr("Live room"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_selftest(self):
        """The pre-show hardware self-test wizard (non-modal; runs on its own worker thread)."""
        from studio_app.ui.selftest_wizard import SelfTestWizard

        dialog = SelfTestWizard(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Studio Console"),
            self.tr("<h3>Studio Console {0}</h3><p>直播中控台: control desk, cue screen, device monitoring "
                    "and event log for live-commerce studios.</p>").format(__version__),
        )

    # ------------------------------------------------------------------ state from workers
    def show_device_status(self, status: DeviceStatus) -> None:
        ind = self.indicators.get(status.device)
        if ind is None:
            ind = self.indicators[status.device] = DeviceIndicator(status.device)
            self.statusBar().addPermanentWidget(ind)
        ind.show_status(status)
        self.overview.show_status(status)

    def _show_log_status(self, st) -> None:
        health = getattr(st.health, "value", str(st.health))
        detail = detail_text(st.detail)  # a disk's sentence (where, how much is left) in the desk's language
        if health == "degraded":
            self.banner.setText(
                self.tr("The event log cannot write to its database: {0}. Events are kept in memory and "
                        "written as soon as it works again; nothing is lost.").format(detail)
            )
            self.banner.show()
            status = DeviceStatus("database", DeviceState.LOST, detail)
        elif health == "warning":  # still writing: told before a write fails, so someone can make room
            self.banner.setText(
                self.tr("The event log's disk is running out of space: {0}. Make room there; events are "
                        "still being written.").format(detail)
            )
            self.banner.show()
            status = DeviceStatus("database", DeviceState.DEGRADED, detail)
        else:
            self.banner.hide()
            status = DeviceStatus("database", {"ok": DeviceState.OK, "closed": DeviceState.STOPPED}.get(health, DeviceState.CONNECTING))
        self.show_device_status(status)

    # ------------------------------------------------------------------ layout persistence
    def restore_layout(self) -> None:
        s = layout_settings()
        geom = s.value("main/geometry")
        state = s.value("main/state")
        self.geometry_restored = isinstance(geom, QByteArray) and self.restoreGeometry(geom)
        if isinstance(state, QByteArray):
            self._layout_restored = self.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        s = layout_settings()
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState(LAYOUT_VERSION))
        s.sync()

    def reset_layout(self) -> None:
        """Back to the layout the desk opens with on a new machine (View → Reset layout)."""
        for dock in self._docks.values():
            dock.setFloating(False)
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self._layout_restored = False
        self._fit_docks()

    # ------------------------------------------------------------------ lifecycle
    def event(self, ev: QEvent) -> bool:
        if ev.type() == _DEVICES_AFTER_DRAW:
            self._start_devices()
            return True
        handled = super().event(ev)
        if ev.type() == QEvent.Type.Show and not getattr(self, "_fitted", True):
            # Fit the docks as the window is shown, its layout already sized: the first frame
            # has the final layout. Fitted on the first paint, as before, the whole desk was laid
            # out and drawn a second time about 20 ms after it appeared (a visible jump).
            self._fitted = True
            self._fit_docks()
        if ev.type() == QEvent.Type.Paint and not getattr(self, "_painted", True):
            self._painted = True
            self.first_painted.emit()
            if self._show_settled:
                QCoreApplication.postEvent(self, QEvent(_DEVICES_AFTER_DRAW), Qt.EventPriority.LowEventPriority.value)
            else:  # the window's own timer: it goes with the window
                wait = QTimer(self, singleShot=True, interval=int(DEVICES_WAIT_FOR_SHOW_S * 1000))
                wait.timeout.connect(self._start_devices)
                wait.start()
        return handled

    def shutdown(self) -> None:
        """Stop every panel's timers and workers (also called by tests)."""
        self._devices_started = True  # a start still queued must not run after this
        self._unsubscribe_board()
        desk = getattr(self, "show_desk", None)
        if desk is not None:
            desk.stop()
        for dock in self._docks.values():
            stop = getattr(dock.widget(), "stop", None)
            if callable(stop):
                stop()
        self.studio.close()

    def closeEvent(self, ev) -> None:  # noqa: N802
        self.save_layout()
        self.shutdown()
        super().closeEvent(ev)
