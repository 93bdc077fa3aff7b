"""The OBS panel of the desk: scene grid with program/preview tallies, ON AIR and REC with
timecodes, a stream-health strip, and the connection status with its reason and a fix hint.

:class:`ObsConnection` is the Qt face of :class:`hardware.obs.ObsLink`: the worker's
snapshots and events arrive here as queued signals, so the GUI thread only ever receives
copies of state and never calls obs-websocket itself. It also reports the device
``obs`` to the DeviceBoard and every OBS event to the event log (source ``obs``).
Commands return at once; their outcome comes back through :attr:`ObsConnection.command_failed`.
"""
from __future__ import annotations

import html
import inspect
import queue
import socket
import threading
import time
import weakref
from collections import deque
from concurrent.futures import Future
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QSize, QSocketNotifier, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from hardware.obs import ObsLink, ObsState, stream_trouble
from studio_app.core.devices import DeviceState, DeviceStatus
from studio_app.core.events import Source
from studio_app.ui.event_text import detail_text, event_text
from studio_app.ui.theme import COLORS
from studio_app.ui.layout import scrolling_column

DEVICE = "obs"
_UNSET = object()


def device_status(state: ObsState) -> DeviceStatus:
    """How the device board shows OBS, from a snapshot (as ``ObsLink.status`` reports it)."""
    st, detail = (stream_trouble(state) if state.connected else None) or (state.status, state.detail)
    return DeviceStatus(DEVICE, st, detail)


class Mailbox(QObject):
    """Worker threads -> GUI thread without a single Qt call on the worker thread.

    PySide6 6.12 corrupts Python reference counts when a signal is emitted (or an event
    posted) from a plain Python thread while the GUI thread runs: measured here, 2,000
    cross-thread emits a second abort the interpreter within seconds ("deallocating None").
    So workers put items on a Python queue and wake the GUI with one byte on a socket pair;
    a QSocketNotifier in the GUI thread drains the queue (median 0.04 ms, no polling).

    A bound method as the handler is held weakly: its object usually owns the mailbox, and a
    strong reference back would make the pair a reference cycle. Python's cyclic collector
    frees a cycle on whichever thread happens to allocate at the time: a worker's, which would
    then delete these Qt objects (and unregister the socket notifier from the GUI thread's
    event loop) off the GUI thread. A CI run hung so, building the next desk.
    """

    def __init__(self, handler: Callable[[list], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._handler: Callable[[], Callable[[list], None] | None] = (
            weakref.WeakMethod(handler) if inspect.ismethod(handler) else (lambda: handler))
        self._rx, self._tx = socket.socketpair()
        self._rx.setblocking(False)
        self._tx.setblocking(False)
        self._notifier = QSocketNotifier(self._rx.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._closed = False

    def post(self, item: Any) -> None:
        """Any thread. Never blocks."""
        if self._closed:
            return
        self._queue.put(item)
        try:
            self._tx.send(b"\0")
        except OSError:  # buffer full (a wake-up is pending anyway) or closed
            pass

    def _drain(self) -> None:
        try:
            while self._rx.recv(4096):
                pass
        except OSError:
            pass
        items = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        handler = self._handler()
        if items and not self._closed and handler is not None:
            handler(items)

    def close(self) -> None:
        self._closed = True
        self._notifier.setEnabled(False)
        self._rx.close()
        self._tx.close()


class ObsConnection(QObject):
    """Owns the ObsLink; lives in the GUI thread. Signals carry immutable snapshots and
    are emitted in the GUI thread only (see :class:`Mailbox`)."""

    state_changed = Signal(object)  # ObsState
    reported = Signal(str, str, int)  # kind, message, severity (also written to the event log)
    command_failed = Signal(str, str)  # command, one-line reason

    def __init__(self, link: ObsLink, *, board: Any = None, log: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.board = board
        self.log = log
        self.last_state: ObsState = link.state
        self.state_received_at = 0.0  # time.perf_counter() in the GUI thread, for latency checks
        self._last_stats_logged = -1e9
        self._mailbox = Mailbox(self._deliver, self)
        link.attach(on_status=lambda status: self._mailbox.post(("status", status)),
                    on_event=lambda *event: self._mailbox.post(("event", event)),
                    on_state=lambda state: self._mailbox.post(("state", state)))

    # GUI thread
    def _deliver(self, items: list) -> None:
        latest = None
        for kind, value in items:
            if kind == "state":
                latest = value  # only the newest snapshot matters
            elif kind == "status":
                if self.board is not None:
                    self.board.report(value)
            elif kind == "event":
                ev_kind, message, severity, payload = value
                # device.* kinds are the same for every device; OBS's own keep their obs. prefix
                logged = ev_kind if ev_kind.startswith("device.") else f"obs.{ev_kind}"
                if self.log is not None:
                    self.log.log(Source.OBS.value, logged, message, severity, payload or None)
                self.reported.emit(ev_kind, event_text().render(Source.OBS.value, logged, payload, message), severity)
            elif kind == "failed":
                self.command_failed.emit(*value)
        if latest is not None:
            self.last_state = latest
            self.state_received_at = time.perf_counter()
            self._sample_stats(latest)
            self.state_changed.emit(latest)

    STATS_EVERY_S = 10.0

    def _sample_stats(self, st: ObsState) -> None:
        """An ``obs.stats`` event every 10 s while connected: the review report's health charts."""
        now = time.monotonic()
        if self.log is None or not st.connected or now - self._last_stats_logged < self.STATS_EVERY_S:
            return
        self._last_stats_logged = now
        h = st.health
        self.log.log(Source.OBS.value, "obs.stats", "", 10, {
            "streaming": st.streaming, "recording": st.recording, "stream_kbps": h.stream_kbps,
            "output_dropped_percent": h.output_dropped_percent, "output_skipped": h.output_skipped,
            "render_dropped_percent": h.render_dropped_percent, "cpu_percent": h.cpu_percent,
            "active_fps": h.active_fps, "congestion": h.stream_congestion, "disk_free_mb": h.disk_free_mb,
        })

    def start(self) -> None:
        self.link.start()

    def stop(self) -> None:
        """Detach and stop the worker; never waits long (it is a daemon thread)."""
        self.link.stop(timeout=0.5)  # detaches the callbacks of a started link
        self.link.attach(None, None, None)  # and of one never started (OBS control off)
        self._mailbox.close()

    def run(self, name: str, future: Future) -> Future:
        """Report a command's failure (later, from the worker) as ``command_failed``."""

        def done(f: Future) -> None:
            exc = f.exception()
            if exc is not None:
                self._mailbox.post(("failed", (name, str(exc))))

        future.add_done_callback(done)
        return future

    def report_failure(self, name: str, reason: str) -> None:
        """Any thread: show a failure on the panel."""
        self._mailbox.post(("failed", (name, reason)))

    def configure(self, host: str, port: int) -> None:
        self.link.configure(host, port)


def fix_hint(status: DeviceState) -> str:
    # One literal per call with its context spelled out, so lupdate files each under ObsPanel.
    hints = {
        DeviceState.UNREACHABLE: QCoreApplication.translate("ObsPanel", "Start OBS and turn on Tools → WebSocket Server Settings → Enable WebSocket server; check the host and port in Settings → OBS. The console retries by itself."),  # noqa: E501
        DeviceState.AUTH_FAILED: QCoreApplication.translate("ObsPanel", "Copy the password from OBS (Tools → WebSocket Server Settings → Show Connect Info) into Settings → OBS."),  # noqa: E501
        DeviceState.UNSUPPORTED: QCoreApplication.translate("ObsPanel", "Update OBS to version 28 or later (it includes obs-websocket 5)."),
        DeviceState.FROZEN: QCoreApplication.translate("ObsPanel", "OBS is not responding: look at the OBS window (an open dialog, or overloaded). The console reconnects as soon as it answers."),  # noqa: E501
        DeviceState.STOPPED: QCoreApplication.translate("ObsPanel", "OBS control is off: enable it in Settings → OBS."),
    }
    return hints.get(status, "")


class Sparkline(QWidget):
    """Stream bitrate over the last two minutes (one value per probe)."""

    def __init__(self, capacity: int = 120, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: deque[float] = deque(maxlen=capacity)
        self.setMinimumSize(QSize(120, 28))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def add(self, value: float | None) -> None:
        self.values.append(value if value is not None else 0.0)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#15171c"))
        if len(self.values) < 2:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = max(max(self.values), 1.0) * 1.1
        w, h = self.width() - 2, self.height() - 2
        step = w / (self.values.maxlen - 1)
        x0 = w - step * (len(self.values) - 1)
        poly = QPolygonF([QPointF(1 + x0 + i * step, 1 + h - v / top * h) for i, v in enumerate(self.values)])
        p.setPen(QPen(QColor(COLORS["accent"]), 1.5))
        p.drawPolyline(poly)


class Lamp(QLabel):
    """ON AIR / REC: dark when off, filled red when on, with the timecode."""

    def __init__(self, word: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.word = word
        self.on = False
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(150)
        f = self.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.setFont(f)
        self.set(False, "")

    def set(self, on: bool, timecode: str) -> None:
        text = f"{self.word}  {timecode.split('.')[0]}" if on and timecode else self.word
        if text != self.text():
            self.setText(text)
        if on == self.on and self.styleSheet():
            return
        self.on = on
        bg = COLORS["program"] if on else "#262a33"
        fg = "#ffffff" if on else "#6b7079"
        self.setStyleSheet(f"background:{bg}; color:{fg}; border-radius:4px; padding:6px 10px;")


class ObsPanel(QWidget):
    """The OBS dock. ``confirm`` asks before stopping the stream (replaceable in tests)."""

    def __init__(self, connection: ObsConnection, parent: QWidget | None = None,
                 confirm: Callable[[str, str], bool] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ObsPanel")
        self.conn = connection
        if connection.parent() is None:
            # Qt deletes it with the panel, on the GUI thread; never Python's collector, which
            # may run on any thread (see Mailbox).
            connection.setParent(self)
        self.confirm = confirm or self._ask
        self._scenes: tuple[str, ...] = ()
        self._shown: dict[tuple[int, str], Any] = {}
        self.scene_buttons: dict[str, QPushButton] = {}

        # connection row
        self.status_dot = QLabel("●")
        self.status_text = QLabel()
        self.status_text.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#b0b4bb;")
        self.retry = QPushButton(self.tr("Retry now"))
        self.retry.clicked.connect(lambda: self.conn.link.retry_now())
        head = QHBoxLayout()
        head.addWidget(self.status_dot)
        head.addWidget(self.status_text, 1)
        head.addWidget(self.retry)

        # outputs
        self.on_air = Lamp(self.tr("ON AIR"))
        self.rec = Lamp(self.tr("REC"))
        self.stream_button = QPushButton(self.tr("Start stream"))
        self.stream_button.clicked.connect(self.toggle_stream)
        self.record_button = QPushButton(self.tr("Start recording"))
        self.record_button.clicked.connect(self.toggle_record)
        outputs = QGridLayout()
        outputs.addWidget(self.on_air, 0, 0)
        outputs.addWidget(self.rec, 0, 1)
        outputs.addWidget(self.stream_button, 1, 0)
        outputs.addWidget(self.record_button, 1, 1)

        # scenes
        self.studio_mode = QCheckBox(self.tr("Studio mode (preview first)"))
        self.studio_mode.clicked.connect(lambda on: self._run("studio mode", self.conn.link.set_studio_mode(on)))
        self.transition_button = QPushButton(self.tr("Transition ▶ program"))
        self.transition_button.clicked.connect(lambda: self._run("transition", self.conn.link.transition()))
        modes = QHBoxLayout()
        modes.addWidget(self.studio_mode, 1)
        modes.addWidget(self.transition_button)
        self.grid = QGridLayout()
        self.grid.setSpacing(6)

        # health
        self.spark = Sparkline()
        self.health = QLabel()
        self.health.setObjectName("ObsHealth")
        self.message = QLabel()  # last command failure or notable event
        self.message.setWordWrap(True)

        # Inside a scroll area: a dock can be made small without squeezing the desk.
        lay = scrolling_column(self)
        lay.addLayout(head)
        lay.addWidget(self.hint)
        lay.addLayout(outputs)
        lay.addLayout(modes)
        lay.addLayout(self.grid)
        lay.addWidget(self.spark)
        lay.addWidget(self.health)
        lay.addWidget(self.message)
        lay.addStretch(1)

        self.conn.state_changed.connect(self.show_state)
        self.conn.command_failed.connect(self._command_failed)
        self.conn.reported.connect(self._reported)
        self.show_state(self.conn.last_state)

    # ------------------------------------------------------------------ actions
    def _run(self, name: str, future: Future) -> None:
        self.conn.run(name, future)

    def click_scene(self, scene: str) -> None:
        """Studio mode: first click previews, a click on the preview takes it (Companion's smart switch)."""
        st = self.conn.last_state
        link = self.conn.link
        if st.studio_mode:
            if st.preview_scene == scene:
                self._run("transition", link.transition())
            else:
                self._run(f"preview {scene}", link.set_preview_scene(scene))
        else:
            self._run(f"scene {scene}", link.switch_scene(scene))

    def toggle_stream(self) -> None:
        st = self.conn.last_state
        if st.streaming:
            if self.confirm(self.tr("Stop the stream?"), self.tr("Viewers will see the stream end. Stop streaming now?")):
                self._run("stop stream", self.conn.link.stop_stream())
        else:
            self._run("start stream", self.conn.link.start_stream())

    def toggle_record(self) -> None:
        st = self.conn.last_state
        self._run("recording", self.conn.link.stop_record() if st.recording else self.conn.link.start_record())

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ state
    def _put(self, widget: QWidget, setter: str, value: Any) -> None:
        """Call ``widget.setter(value)`` only when the value changed: states arrive every
        second and re-styling unchanged widgets is wasted work (and every PySide6 6.12
        void call costs a reference to None on Python 3.11; see the report)."""
        key = (id(widget), setter)
        if self._shown.get(key, _UNSET) != value:
            self._shown[key] = value
            getattr(widget, setter)(value)

    def show_state(self, st: ObsState) -> None:
        put = self._put
        connected = st.connected
        level = device_status(st).level
        put(self.status_dot, "setStyleSheet", f"color:{COLORS[level.value]}; font-size:18px;")
        word = {
            DeviceState.OK: self.tr("Connected"),
            DeviceState.CONNECTING: self.tr("Connecting…"),
            DeviceState.LOST: self.tr("OBS connection lost"),
            DeviceState.UNREACHABLE: self.tr("OBS unreachable"),
            DeviceState.AUTH_FAILED: self.tr("Wrong OBS password"),
            DeviceState.UNSUPPORTED: self.tr("OBS version not supported"),
            DeviceState.FROZEN: self.tr("OBS not responding"),
            DeviceState.STOPPED: self.tr("OBS control off"),
        }[st.status]
        put(self.status_text, "setText", f"<b>{word}</b> — {html.escape(detail_text(st.detail))}" if st.detail
            else f"<b>{word}</b>")
        hint = fix_hint(st.status)
        put(self.hint, "setText", hint)
        put(self.hint, "setVisible", bool(hint))
        put(self.retry, "setVisible", not connected and st.status is not DeviceState.STOPPED)

        h = st.health
        self.on_air.set(st.streaming, h.stream_timecode)
        self.rec.set(st.recording, h.record_timecode)
        put(self.stream_button, "setText", self.tr("Stop stream…") if st.streaming else self.tr("Start stream"))
        put(self.record_button, "setText", self.tr("Stop recording") if st.recording else self.tr("Start recording"))
        for w in (self.stream_button, self.record_button, self.studio_mode):
            put(w, "setEnabled", connected)
        put(self.studio_mode, "setChecked", st.studio_mode)
        put(self.transition_button, "setVisible", st.studio_mode)
        put(self.transition_button, "setEnabled", connected and st.studio_mode)

        if st.scenes != self._scenes:
            self._build_grid(st.scenes)
        for name, button in self.scene_buttons.items():
            role = "program" if name == st.program_scene else ("preview" if st.studio_mode and name == st.preview_scene else "")
            if button.property("tally") != role:
                button.setProperty("tally", role)
            put(button, "setEnabled", connected)
            border = COLORS.get(role, "#3a3f4b")
            bg = {"program": "#5c1f1f", "preview": "#1f4a25"}.get(role, "#262a33")
            put(button, "setStyleSheet", f"QPushButton {{ font-size:16px; font-weight:600; min-height:56px; "
                                         f"border:3px solid {border}; background:{bg}; }}")

        if connected:
            if st.streaming:
                self.spark.add(h.stream_kbps)
            parts = []
            if st.streaming and h.stream_kbps is not None:
                parts.append(f"{h.stream_kbps:.0f} kbps")
            parts.append(self.tr("dropped {0:.1f}%").format(h.output_dropped_percent))
            if h.cpu_percent is not None:
                parts.append(self.tr("CPU {0:.0f}%").format(h.cpu_percent))
            if h.active_fps is not None:
                parts.append(f"{h.active_fps:.0f} fps")
            if h.disk_free_mb is not None:
                parts.append(self.tr("disk {0:.0f} GB free").format(h.disk_free_mb / 1024))
            if h.stream_reconnecting:
                parts.append(self.tr("RECONNECTING"))
            put(self.health, "setText", " · ".join(parts))
        else:
            put(self.health, "setText", "")

    def _build_grid(self, scenes: tuple[str, ...]) -> None:
        for button in self.scene_buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.scene_buttons = {}
        self._shown.clear()  # new buttons may reuse old ids
        cols = 3
        for i, name in enumerate(scenes):
            b = QPushButton(name)
            b.setObjectName(f"scene-{name}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, n=name: self.click_scene(n))
            self.grid.addWidget(b, i // cols, i % cols)
            self.scene_buttons[name] = b
        self._scenes = scenes

    def _command_failed(self, name: str, reason: str) -> None:
        self.message.setStyleSheet(f"color:{COLORS['error']};")
        self.message.setText(f"{name}: {reason}")

    def _reported(self, kind: str, message: str, severity: int) -> None:
        if severity >= 30:
            self.message.setStyleSheet(f"color:{COLORS['warning'] if severity < 40 else COLORS['error']};")
            self.message.setText(message)

    def stop(self) -> None:
        """Called by the main window at shutdown."""
        self.conn.stop()


class ObsSettingsPage(QWidget):
    """Settings → OBS: host, port (settings file) and password (secret store, never the file)."""

    def __init__(self, connection: ObsConnection | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = connection
        self.enabled = QCheckBox(self.tr("Control OBS from the console"))
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        note = QLabel(self.tr("In OBS: Tools → WebSocket Server Settings. The password is kept in the system "
                              "keyring (or a private file), never in the settings file or the log."))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Host:"), self.host)
        form.addRow(self.tr("Port:"), self.port)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(note)

    @staticmethod
    def _guarded(fn: Callable[[], None], conn: ObsConnection | None) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - shown on the panel, never a crash
                if conn is not None:
                    conn.report_failure("settings", f"cannot store the OBS password: {exc}")

        return run

    def load(self, s) -> None:  # noqa: ANN001 - Settings
        self.enabled.setChecked(bool(s.get("obs.enabled", True)))
        self.host.setText(str(s.get("obs.host", "127.0.0.1")))
        self.port.setValue(int(s.get("obs.port", 4455)))

    def apply(self, s) -> str | None:  # noqa: ANN001
        host = self.host.text().strip()
        if not host:
            return self.tr("OBS host is empty: enter an address such as 127.0.0.1")
        s.set("obs.enabled", self.enabled.isChecked())
        s.set("obs.host", host)
        s.set("obs.port", int(self.port.value()))
        password = self.password.text()
        self.password.clear()
        conn, port = self.connection, int(self.port.value())

        def store_then_reconnect() -> None:
            # keyring may talk D-Bus: off the GUI thread; reconnect only once it is stored
            if password:
                from studio_app.core.secrets import save_obs_password

                save_obs_password(password)
            if conn is not None:
                conn.configure(host, port)

        # a plain thread: Qt's pool threads would emit signals from off the GUI thread (see Mailbox)
        threading.Thread(target=self._guarded(store_then_reconnect, conn), name="obs-settings", daemon=True).start()
        return None


def create_obs_connection(ctx, start: bool = True) -> ObsConnection:  # noqa: ANN001 - AppContext
    """The desk's OBS connection: the Qt face of the studio's OBS link (``ctx.studio.obs``,
    built from the settings with the studio; the password is read on the worker thread)."""
    s = ctx.settings
    link = ctx.studio.obs
    conn = ObsConnection(link, board=ctx.board, log=ctx.log)
    if not s.get("obs.enabled", True):
        conn.state_changed.emit(link.state)
    elif start:
        conn.start()
    return conn
