"""The camera dock: live preview with zebra / focus peaking / false colour, scopes, and the
picture checks in plain words.

Threads: capture and checks run in the device layer's own threads
(:class:`hardware.camera.CameraFeed`, :class:`hardware.camera.CameraMonitor`). The GUI
thread only takes the latest frame on a timer at the source's rate, scales it to the
preview's device pixels and paints it; check reports and device states arrive through
queued signals. Nothing here waits on the camera.

Switching the source (:meth:`CameraPanel.switch_source`, the emergency runbook's backup
camera and "Back to main camera"): the new feed starts at once; the old feed and monitor
are stopped and joined on a plain background thread (a capture blocked opening a network
stream can take seconds to end), and whatever they still report is ignored (each feed's
callbacks carry a generation number).
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import replace
from html import escape
from logging import INFO, WARNING

import cv2
import numpy as np
from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hardware.camera import (
    CameraFeed,
    CameraMonitor,
    OpenCvSource,
    PictureChecker,
    PictureReport,
    SourceError,
    TestPatternSource,
    picture_status,
)
from hardware.camera import overlays
from hardware.camera.phrases import findings
from hardware.camera.picture import luma709
from hardware.camera.whitebalance import WhiteBalanceReference
from studio_app.core.devices import DeviceState, DeviceStatus
from studio_app.core.events import Source
from studio_app.ui.bridge import ThreadBridge, run_in_background
from studio_app.ui.event_text import detail_text
from studio_app.ui.theme import COLORS

DEVICE = "camera"
# Both languages at once: whoever glances at the desk must read it instantly.
NO_SIGNAL_TEXT = "无信号\nNO SIGNAL"
SWITCHING_TEXT = "切换摄像头…\nSWITCHING CAMERA…"
BACKUP_CAPTION = "备用摄像头 BACKUP CAMERA"  # drawn on the preview while the backup is in use


def _norm_spec(spec) -> str:
    """A source spec as text, for comparing: "0" and 0 are the same device."""
    text = str(spec).strip()
    return str(int(text)) if text.isdigit() else text


def source_spec(source) -> str:
    """The spec a source was made from ("" for the test pattern)."""
    if isinstance(source, OpenCvSource):
        return _norm_spec(source.target if source.kind == "device" else source.label)
    if getattr(source, "is_test", False):
        return ""
    return str(getattr(source, "label", ""))


def fresh_source(source):
    """A new, unopened source like ``source`` (a feed being retired may still hold the old one)."""
    if isinstance(source, OpenCvSource):
        return OpenCvSource(source_spec(source), *source.requested, open_timeout_s=source.open_timeout_s,
                            read_timeout_s=source.read_timeout_s, loop=source.loop)
    if isinstance(source, TestPatternSource):
        return TestPatternSource(*source.requested)
    return source


def _qimage(array: np.ndarray) -> QImage:
    """Wrap a C-contiguous BGR uint8 array as a QImage without copying (keep ``array`` alive)."""
    h, w = array.shape[:2]
    return QImage(array.data, w, h, array.strides[0], QImage.Format.Format_BGR888)


def fit_for_display(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale ``image`` to fit ``width`` x ``height`` device pixels, keeping its aspect ratio.

    Halves with INTER_AREA (OpenCV's fast exact path) while the picture is over twice too
    big, then one linear step: smooth, and ~10x cheaper than one arbitrary INTER_AREA.
    """
    h, w = image.shape[:2]
    if width <= 0 or height <= 0:
        return image
    scale = min(width / w, height / h)
    if scale >= 1.0:
        return image  # never upscale in numpy: the painter does it for free if needed
    while scale < 0.5 and w >= 4 and h >= 4:
        image = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        h, w = image.shape[:2]
        scale = min(width / w, height / h)
    tw, th = max(1, int(w * scale)), max(1, int(h * scale))
    if (tw, th) == (w, h):
        return image
    return cv2.resize(image, (tw, th), interpolation=cv2.INTER_LINEAR)


class FrameView(QWidget):
    """Paints the current preview image centred, aspect kept, crisp on high-DPI screens.

    When there is no signal it shows NO SIGNAL in large red letters on black, never a stale frame.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self._array: np.ndarray | None = None  # keeps the QImage's buffer alive
        self._image: QImage | None = None
        self.no_signal = True
        self.no_signal_text = "NO SIGNAL"
        self.caption = ""
        self.painted_frames = 0

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 360)

    def device_size(self) -> tuple[int, int]:
        dpr = self.devicePixelRatioF()
        return int(self.width() * dpr), int(self.height() * dpr)

    def set_image(self, array: np.ndarray) -> None:
        array = np.ascontiguousarray(array)
        self._array = array
        self._image = _qimage(array)
        self._image.setDevicePixelRatio(self.devicePixelRatioF())
        self.no_signal = False
        self.update()

    def show_no_signal(self, text: str) -> None:
        self.no_signal = True
        self.no_signal_text = text
        self._array = self._image = None
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#000000"))
        if self._image is not None and not self.no_signal:
            dpr = self._image.devicePixelRatio()
            iw, ih = self._image.width() / dpr, self._image.height() / dpr
            scale = min(self.width() / iw, self.height() / ih)
            w, h = iw * scale, ih * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            if abs(scale - 1.0) > 0.01:
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self._image)
            self.painted_frames += 1
        else:
            self._paint_no_signal(p)
        if self.caption:
            p.setPen(QColor("#ffffff"))
            f = QFont(self.font())
            f.setPointSizeF(max(8.0, f.pointSizeF()))
            p.setFont(f)
            p.drawText(QPointF(8, self.height() - 8), self.caption)
        p.end()

    def _paint_no_signal(self, p: QPainter) -> None:
        r = self.rect().adjusted(6, 6, -6, -6)
        p.setPen(QPen(QColor(COLORS["error"]), 4))
        p.drawRect(r)
        f = QFont(self.font())
        f.setBold(True)
        f.setPixelSize(max(18, min(self.height() // 6, self.width() // 10)))
        p.setFont(f)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.no_signal_text)


class ScopeView(QWidget):
    """Draws a small scope image (histogram or waveform) stretched to the widget."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(128, 64)
        self._array: np.ndarray | None = None
        self._image: QImage | None = None

    def set_image(self, array: np.ndarray | None) -> None:
        self._array = None if array is None else np.ascontiguousarray(array)
        self._image = None if self._array is None else _qimage(self._array)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#101114"))
        if self._image is not None:
            p.drawImage(QRectF(self.rect()), self._image)
        p.end()


class CameraPanel(QWidget):
    """Preview, overlays, scopes and checks for the studio camera (device "camera")."""

    def __init__(self, ctx=None, *, source=None, board=None, log=None, settings=None, lang: str | None = None,
                 autostart: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("CameraPanel")
        self.board = board if board is not None else getattr(ctx, "board", None)
        self.log = log if log is not None else getattr(ctx, "log", None)
        self.settings = settings if settings is not None else getattr(ctx, "settings", None)
        self.lang = lang or ("zh_CN" if QLocale().name().startswith("zh") else "en")
        self.source = source or self._configured_source()
        self.source_key = self.source.label
        self.main_source = self.source  # what "Back to main camera" returns to
        self.on_backup = False
        self._generation = 0  # bumped on every source switch; stale worker reports are dropped
        self._pending: Future | None = None  # a switch waiting for the new source's first picture
        self.retiring: list[threading.Thread] = []  # background stops of replaced feeds
        self._stopped = False

        self._report: PictureReport | None = None
        self._last_index = 0
        self._state = DeviceState.CONNECTING  # the current feed's, as last delivered here
        self._want_hist = False  # read by the checks thread: plain bools, not widgets
        self._want_wave = False
        self.reports_received = 0

        self._build_ui()

        self._status_bridge = ThreadBridge(self)
        self._status_bridge.received.connect(self._on_status)
        self._report_bridge = ThreadBridge(self)
        self._report_bridge.received.connect(self._on_report)
        self._switch_bridge = ThreadBridge(self)  # switch requests from other threads
        self._switch_bridge.received.connect(lambda args: self._switch(*args))

        self.feed, self.monitor = self._make_workers(self.source)
        self._frame_timer = QTimer(self)
        self._frame_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._set_frame_interval()
        self._frame_timer.timeout.connect(self._show_latest)
        self._stats_timer = QTimer(self)
        self._stats_timer.setInterval(1000)
        self._stats_timer.timeout.connect(self._show_stats)
        self._running = False
        if autostart:
            self.start()

    # ------------------------------------------------------------------ setup
    def _configured_source(self):
        s = self.settings
        return self._source_from_spec(str(s.get("camera.source", "") or "").strip() if s is not None else "")

    def _make_workers(self, source) -> tuple[CameraFeed, CameraMonitor]:
        """A feed and its checks for ``source``; their reports carry this switch's generation."""
        gen = self._generation
        feed = CameraFeed(source, on_status=lambda status: self._feed_status(gen, status), on_event=self._feed_event)
        monitor = CameraMonitor(
            feed,
            PictureChecker(focus_reference=self._stored_reference(), wb_reference=self._stored_wb_reference()),
            rate_hz=12.0,
            on_report=lambda report: self._monitor_report(gen, report),
            on_event=self._monitor_event,
            lang=self.lang,
        )
        return feed, monitor

    def _set_frame_interval(self) -> None:
        fps = self.source.nominal_fps or 30.0
        self._frame_timer.setInterval(max(10, int(1000 / min(60.0, fps))))

    def backup_spec(self) -> str:
        """The configured backup camera (``camera.backup_source``), "" when none is set."""
        if self.settings is None:
            return ""
        return str(self.settings.get("camera.backup_source", "") or "").strip()

    def _source_from_spec(self, spec):
        if not isinstance(spec, (str, int)):
            return fresh_source(spec)  # a source object: never share one with a feed being retired
        s = self.settings
        width = int(s.get("camera.width", 1280)) if s is not None else 1280
        height = int(s.get("camera.height", 720)) if s is not None else 720
        fps = float(s.get("camera.fps", 30)) if s is not None else 30.0
        text = str(spec).strip()
        return OpenCvSource(text, width, height, fps) if text else TestPatternSource(width, height, fps)

    def _stored_reference(self) -> float | None:
        if self.settings is None:
            return None
        refs = self.settings.get("camera.focus_references", {}) or {}
        value = refs.get(self.source_key) if isinstance(refs, dict) else None
        return float(value) if value else None

    def _stored_wb_reference(self) -> WhiteBalanceReference | None:
        if self.settings is None:
            return None
        refs = self.settings.get("camera.wb_references", {}) or {}
        value = refs.get(self.source_key) if isinstance(refs, dict) else None
        try:
            return WhiteBalanceReference.from_dict(value) if value else None
        except ValueError:
            return None  # a damaged stored reference: judge without one (the button stores a new one)

    def _build_ui(self) -> None:
        self.view = FrameView()
        self.view.no_signal_text = NO_SIGNAL_TEXT

        self.zebra = QCheckBox(self.tr("Zebra"))
        self.zebra_level = QComboBox()
        self.zebra_level.addItem("100%", 1.0)
        self.zebra_level.addItem("75%", 0.75)
        self.peaking = QCheckBox(self.tr("Focus peaking"))
        self.false_colour = QCheckBox(self.tr("False colour"))
        self.histogram = QCheckBox(self.tr("Histogram"))
        self.waveform = QCheckBox(self.tr("Waveform"))
        for box in (self.histogram, self.waveform):
            box.toggled.connect(self._scopes_toggled)
        self.focus_button = QPushButton(self.tr("Set focus reference"))
        self.focus_button.setToolTip(self.tr("Focus the camera well, then press: later pictures are judged against this one"))
        self.focus_button.clicked.connect(self.set_focus_reference)
        self.wb_button = QPushButton(self.tr("Set white-balance reference"))
        self.wb_button.setObjectName("CameraWbReference")
        self.wb_button.setToolTip(self.tr("Frame a gray card, or the set under the show lights, then press: "
                                          "later pictures are judged warmer/cooler and greener/more magenta than this one"))
        self.wb_button.clicked.connect(self.set_wb_reference)

        tools = QHBoxLayout()
        for w in (self.zebra, self.zebra_level, self.peaking, self.false_colour):
            tools.addWidget(w)
        tools.addStretch(1)
        scopes = QHBoxLayout()
        for w in (self.histogram, self.waveform):
            scopes.addWidget(w)
        scopes.addStretch(1)
        scopes.addWidget(self.wb_button)
        scopes.addWidget(self.focus_button)

        self.source_label = QLabel()
        self.source_label.setObjectName("CameraSource")
        self.stats_label = QLabel()
        self.stats_label.setObjectName("CameraStats")
        self.main_button = QPushButton(self.tr("Back to main camera"))
        self.main_button.setObjectName("CameraBackToMain")
        self.main_button.clicked.connect(lambda: self.switch_to_main("operator"))
        self.main_button.hide()  # shown while the backup camera is in use
        head = QHBoxLayout()
        head.addWidget(self.source_label, 1)
        head.addWidget(self.main_button)
        head.addWidget(self.stats_label)

        self.findings_label = QLabel()
        self.findings_label.setObjectName("CameraFindings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.RichText)
        self.findings_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.findings_label.setMinimumWidth(140)

        self.hist_view = ScopeView()
        self.wave_view = ScopeView()
        self.hist_view.hide()
        self.wave_view.hide()

        side = QVBoxLayout()
        side.addWidget(self.findings_label, 1)
        side.addWidget(self.hist_view)
        side.addWidget(self.wave_view)

        body = QHBoxLayout()
        body.addWidget(self.view, 3)
        body.addLayout(side, 1)

        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        root.addLayout(head)
        root.addLayout(body, 1)
        root.addLayout(tools)
        root.addLayout(scopes)
        self._show_findings(None)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._stopped = False
        self._show_source()
        self.feed.start()
        self.monitor.start()
        self._frame_timer.start()
        self._stats_timer.start()

    def stop(self) -> None:
        """Stop timers and workers; no callback arrives afterwards. Safe to call twice."""
        if not self._running:
            return
        self._running = False
        self._stopped = True
        self._fail_pending("the camera panel was stopped")
        self._frame_timer.stop()
        self._stats_timer.stop()
        self.monitor.stop(timeout=1.0)
        # A capture blocked opening a network stream ends on its own (bounded by the open
        # timeout); the desk does not wait for it.
        self.feed.stop(timeout=0.5)

    def closeEvent(self, ev) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(ev)

    # ------------------------------------------------------------------ switching the source
    def switch_to_main(self, reason: str = "operator") -> Future:
        """Back to the source the panel started with (the configured camera)."""
        return self.switch_source(self.main_source, reason)

    def switch_source(self, spec, reason: str = "", *, backup: bool | None = None) -> Future:
        """Use another camera: ``spec`` is a source spec (device index, file, URL; "" is the
        test pattern) or a source object. ``backup`` defaults to "anything but the main source".

        Any thread; never waits. Returns a Future that resolves with a one-line detail when
        the new source's first picture arrives, or fails when it reports no signal (the
        panel stays on it and keeps reconnecting), is replaced by another switch, or the
        panel stops.
        """
        fut: Future = Future()
        fut.set_running_or_notify_cancel()
        if self.thread().isCurrentThread():
            self._switch(spec, reason, backup, fut)
        else:
            self._switch_bridge.post((spec, reason, backup, fut))
        return fut

    def _is_main(self, spec) -> bool:
        if spec is self.main_source:
            return True
        if isinstance(spec, (str, int)):
            return _norm_spec(spec) == source_spec(self.main_source)
        return False

    def _switch(self, spec, reason: str, backup: bool | None, fut: Future) -> None:
        if self._stopped:
            fut.set_exception(SourceError("the camera panel is stopped"))
            return
        main = self._is_main(spec)
        on_backup = (not main) if backup is None else bool(backup)
        source = fresh_source(self.main_source) if main else self._source_from_spec(spec)
        if (on_backup == self.on_backup and source_spec(source) == source_spec(self.source)
                and type(source) is type(self.source) and self._state.working):
            fut.set_result(f"camera already on {self.source.label}")
            return
        old_feed, old_monitor = self.feed, self.monitor
        old_label, old_backup = self.source.label, self.on_backup
        self._generation += 1
        self._fail_pending(f"replaced by a switch to {source.label}")
        self.source, self.source_key, self.on_backup = source, source.label, on_backup
        self._report = None
        self._last_index = 0
        self._state = DeviceState.CONNECTING
        self.feed, self.monitor = self._make_workers(source)  # focus reference of the new source
        self._pending = fut
        self._retire(old_feed, old_monitor)
        self._set_frame_interval()
        self.view.show_no_signal(SWITCHING_TEXT)
        self._show_source()
        self._show_findings(None)
        self.stats_label.setText("")
        if self.log is not None:
            role = "backup" if on_backup else "main"
            what = "the backup camera" if on_backup else "the main camera"
            self.log.log(
                Source.CAMERA.value, "source_switched",
                f"camera switched to {what}: {old_label} → {source.label}" + (f" ({reason})" if reason else ""),
                WARNING if on_backup else INFO,
                {"from": old_label, "to": source.label, "role": role, "from_role": "backup" if old_backup else "main",
                 "reason": reason},
            )
        self._report_device(DeviceStatus(DEVICE, DeviceState.CONNECTING, f"switching to {source.label}", source=source.label))
        if self._running:
            self.feed.start()
            self.monitor.start()

    def _retire(self, feed: CameraFeed, monitor: CameraMonitor) -> None:
        """Stop a replaced feed and its checks off the GUI thread (the feed's stop joins
        its capture thread, which may be blocked opening a stream for seconds)."""

        def stop() -> None:
            monitor.stop(timeout=2.0)
            feed.stop(timeout=7.0)

        self.retiring = [t for t in self.retiring if t.is_alive()]
        t = threading.Thread(target=stop, name="camera-retire", daemon=True)
        self.retiring.append(t)
        t.start()

    def _fail_pending(self, why: str) -> None:
        fut, self._pending = self._pending, None
        if fut is not None and not fut.done():
            fut.set_exception(SourceError(why))

    def _settle_pending(self, state: DeviceState, detail: str) -> None:
        fut = self._pending
        if fut is None or not (state.working or state.fault):
            return
        self._pending = None
        if fut.done():
            return
        if state.fault:
            fut.set_exception(SourceError(f"no picture: {detail} (still trying)"))
        elif self.on_backup:
            fut.set_result(f"camera switched to the backup: {self.source.label}")
        else:
            fut.set_result(f"camera back on the main source: {self.source.label}")

    def _show_source(self) -> None:
        if self.on_backup:
            self.source_label.setText(self.tr("BACKUP camera: {0}").format(self.source.label))
            self.source_label.setStyleSheet(f"color:{COLORS['warning']}; font-weight:bold;")
            self.source_label.setToolTip(self.tr("Main camera: {0}").format(self.main_source.label))
        elif getattr(self.source, "is_test", False):
            self.source_label.setText(self.tr("TEST PATTERN (no camera configured)"))
            self.source_label.setStyleSheet("")
            self.source_label.setToolTip("")
        else:
            self.source_label.setText(self.source.label)
            self.source_label.setStyleSheet("")
            self.source_label.setToolTip("")
        self.main_button.setVisible(self.on_backup)
        self.main_button.setToolTip(self.tr("Switch back to the main camera: {0}").format(self.main_source.label))
        self.view.caption = BACKUP_CAPTION if self.on_backup else ""
        self.view.update()

    # ------------------------------------------------------------------ worker callbacks (any thread)
    def _feed_status(self, generation: int, status: DeviceStatus) -> None:
        self._status_bridge.post((generation, status))

    def _feed_event(self, kind: str, message: str, severity: int, payload: dict) -> None:
        if self.log is not None:
            self.log.log(Source.CAMERA.value, kind, message, severity, payload)

    def _monitor_event(self, kind: str, message: str, severity: int, payload: dict) -> None:
        if self.log is not None:
            self.log.log(Source.CAMERA.value, kind, message, severity, payload)

    def _monitor_report(self, generation: int, report: PictureReport) -> None:
        # Scopes are drawn here, on the checks thread, so the GUI thread only paints them.
        hist = wave = None
        m = report.measurement
        if m is not None:
            if self._want_hist:
                hist = overlays.histogram_image(m.histogram, 256, 100)
            if self._want_wave:
                wave = overlays.waveform_image(m.luma, 256, 128)
        self._report_bridge.post((generation, report, hist, wave))

    # ------------------------------------------------------------------ GUI thread
    def _on_status(self, value) -> None:
        generation, status = value
        if not self._running or generation != self._generation:
            return  # stopped, or a replaced feed still reporting
        self._state = status.state
        if status.state.fault:
            self.view.show_no_signal(NO_SIGNAL_TEXT)
            self._show_findings(None)
        self._report_device(status)
        self._settle_pending(status.state, status.detail)

    def _report_device(self, status: DeviceStatus) -> None:
        """The feed's status with the picture checks folded in, onto the board."""
        if self.board is None:
            return
        if status.state is DeviceState.TEST_SIGNAL:
            status = replace(status, detail=self.tr("TEST PATTERN: no camera configured"))
        status = picture_status(status, self._report, self.lang)
        if self.on_backup:
            status = replace(status, detail=self.tr("BACKUP camera: {0}").format(detail_text(status.detail)))
        self.board.report(status)

    def _on_report(self, value) -> None:
        generation, report, hist, wave = value
        if not self._running or generation != self._generation:
            return
        self._report = report
        self.reports_received += 1
        if hist is not None:
            self.hist_view.set_image(hist)
        if wave is not None:
            self.wave_view.set_image(wave)
        if self._state.fault or report.measurement is None:
            self._show_findings(None)
        else:
            self._show_findings(report)
        if report.changed and self._state.working:
            self._report_device(self.feed.status)

    def _show_latest(self) -> None:
        frame = self.feed.slot.take()
        if frame is None or frame.index == self._last_index or self._state.fault:
            return
        self._last_index = frame.index
        self.view.set_image(self.render_preview(frame.image, frame.index))

    def render_preview(self, image: np.ndarray, phase: int = 0) -> np.ndarray:
        """The frame as the preview shows it: display-sized, with the chosen overlays."""
        w, h = self.view.device_size()
        out = fit_for_display(image, w, h)
        overlays_on = self.zebra.isChecked() or self.false_colour.isChecked()
        y = luma709(out) if overlays_on else None
        if self.false_colour.isChecked():
            out = overlays.false_colour(out, luma=y)
        if self.peaking.isChecked():
            out = overlays.focus_peaking(out)
        if self.zebra.isChecked():
            out = overlays.zebra(out, float(self.zebra_level.currentData()), phase, luma=y)
        return out

    def _scopes_toggled(self) -> None:
        self._want_hist = self.histogram.isChecked()
        self._want_wave = self.waveform.isChecked()
        self.hist_view.setVisible(self.histogram.isChecked())
        self.wave_view.setVisible(self.waveform.isChecked())

    def _show_findings(self, report: PictureReport | None) -> None:
        colours = {"error": COLORS["error"], "warning": COLORS["warning"], "ok": COLORS["ok"]}
        if report is None:
            if self._state.fault:
                items = findings(PictureReport(measurement=None), self.lang, signal_lost=True)
            else:
                items = [("ok", self.tr("Waiting for the picture…"))]
        else:
            items = findings(report, self.lang)
        html = "<br>".join(
            f"<span style='color:{colours[level]}'>{'●' if level != 'ok' else '○'} {escape(text)}</span>"
            for level, text in items
        )
        grey = COLORS["idle"]
        if report is None and self._state.fault and self.feed.detail:
            html += f"<br><span style='color:{grey}'>{escape(detail_text(self.feed.detail))}</span>"
        elif report is not None and report.measurement is not None:
            m = report.measurement
            numbers = self.tr("luma {0:.0f}% (p1 {1}, p99 {2}) · clipped {3:.1f}% · crushed {4:.1f}% · sharpness {5:.0f}").format(
                m.mean_luma / 2.55, m.p1_luma, m.p99_luma, m.clipped_high_pct, m.clipped_low_pct, m.sharpness
            )
            html += f"<br><span style='color:{grey}'>{escape(numbers)}</span>"
        self.findings_label.setText(html)
        self.findings_text = [text for _, text in items]

    def _show_stats(self) -> None:
        st = self.feed.stats()
        if st.resolution == (0, 0):
            self.stats_label.setText("")
            return
        self.stats_label.setText(
            self.tr("{0}x{1}  {2:.1f} fps  dropped {3}").format(st.resolution[0], st.resolution[1], st.measured_fps, st.dropped)
        )

    def set_focus_reference(self) -> None:
        """Store the current picture's sharpness as this camera's in-focus reference."""
        r = self._report
        if r is None or r.measurement is None:
            return
        value = float(r.measurement.sharpness)
        self.monitor.set_focus_reference(value)
        if self.settings is not None:
            refs = dict(self.settings.get("camera.focus_references", {}) or {})
            refs[self.source_key] = round(value, 2)
            self.settings.set("camera.focus_references", refs)
            run_in_background(self.settings.save, lambda _r: None, lambda _e: None)

    def set_wb_reference(self) -> bool:
        """Store the current picture's white (a gray card, or the set under the show lights) as
        this camera's white-balance reference. False (and a warning in the findings) when the
        picture is too clipped or too dark to be one."""
        r = self._report
        if r is None or r.measurement is None:
            return False
        try:
            reference = WhiteBalanceReference.from_reading(r.measurement.white_balance)
        except ValueError:
            self.findings_label.setText(self.findings_label.text() + "<br><span style='color:{0}'>● {1}</span>".format(
                COLORS["warning"], escape(self.tr("Not set: too much of the picture is clipped or too dark to be a white-balance reference"))))
            return False
        self.monitor.set_wb_reference(reference)
        if self.settings is not None:
            refs = dict(self.settings.get("camera.wb_references", {}) or {})
            refs[self.source_key] = reference.to_dict()
            self.settings.set("camera.wb_references", refs)
            run_in_background(self.settings.save, lambda _r: None, lambda _e: None)
        return True
