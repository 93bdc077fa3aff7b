"""The microphone dock: OBS-style level bars, loudness against a target, and the mic's state.

Threads: capture, analysis and supervision run in :class:`hardware.audio.MicWorker`'s own
thread. It reports state to the DeviceBoard and events to the EventLog directly (both
accept any thread and never block), and hands state changes to this widget through a
queued signal. The GUI thread only takes the worker's latest reading on ONE shared 16 ms
``Qt.PreciseTimer`` (about 60 Hz) that repaints every bar; ballistics (instant attack,
11.76 dB/s decay, 20 s peak hold) are computed from elapsed time at each redraw, as OBS
does. Text readouts refresh at 4 Hz so they stay readable.
"""
from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hardware.audio import (
    BROADCAST_TARGET_LUFS,
    STREAMING_TARGET_LUFS,
    MeterReading,
    MicWorker,
    PeakBallistics,
    SoundDeviceSource,
    TestSignalSource,
)
from studio_app.core.devices import DeviceState, DeviceStatus, Level
from studio_app.core.events import Source
from studio_app.ui.bridge import ThreadBridge, run_in_background
from studio_app.ui.event_text import detail_text
from studio_app.ui.theme import COLORS
from studio_app.ui.layout import scrolling_column

DEVICE = "mic"
FRAME_MS = 16  # one shared redraw timer for all meters (OBS: 16 ms, Qt::PreciseTimer)
TEXT_EVERY = 15  # frames between text refreshes (~4 Hz)
IDLE_S = 0.5  # no audio for this long: the bars fall (OBS VolumeMeter::detectIdle)

# OBS VolumeMeter (frontend/components/VolumeMeter.cpp)
MIN_DB, WARNING_DB, ERROR_DB, CLIP_DB = -60.0, -20.0, -9.0, 0.0
BG = {"nominal": QColor("#267f26"), "warning": QColor("#7f7f26"), "error": QColor("#7f2626")}
FG = {"nominal": QColor("#4cff4c"), "warning": QColor("#ffff4c"), "error": QColor("#ff4c4c")}
TICK_DB = 6

TEST_SIGNAL_ITEM = "__test_signal__"


class LevelBar(QWidget):
    """One channel's horizontal bar on -60..0 dBFS with OBS's colour bands, the RMS
    (magnitude) mark, the 20 s peak-hold mark and a clip latch the operator clears by
    clicking. Painted only; the panel's shared timer calls :meth:`advance`."""

    clip_cleared = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.ballistics = PeakBallistics()
        self.clipped = False
        self.painted = 0
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to clear the clip indicator"))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 20)

    def advance(self, peak_db: float, rms_db: float, now: float, clipped: bool) -> None:
        self.ballistics.update(peak_db, rms_db, now)
        if clipped:
            self.clipped = True
        self.update()

    def mousePressEvent(self, ev) -> None:  # noqa: N802
        if self.clipped:
            self.clipped = False
            self.clip_cleared.emit()
            self.update()
        super().mousePressEvent(ev)

    def _x(self, db: float, left: float, width: float) -> float:
        return left + width * (min(max(db, MIN_DB), 0.0) - MIN_DB) / -MIN_DB

    def paintEvent(self, ev) -> None:  # noqa: N802
        p = QPainter(self)
        h = self.height()
        label_w = 22.0
        latch_w = 14.0
        left, width = label_w, self.width() - label_w - latch_w - 4
        p.setPen(QColor("#c8ccd2"))
        p.drawText(QRectF(0, 0, label_w - 4, h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.label)
        bar_h = h - 6
        top = 3.0
        bands = (("nominal", MIN_DB, WARNING_DB), ("warning", WARNING_DB, ERROR_DB), ("error", ERROR_DB, CLIP_DB))
        b = self.ballistics
        for name, lo, hi in bands:
            x0, x1 = self._x(lo, left, width), self._x(hi, left, width)
            p.fillRect(QRectF(x0, top, x1 - x0, bar_h), BG[name])
            if b.peak > lo:
                xp = self._x(min(b.peak, hi), left, width)
                p.fillRect(QRectF(x0, top, xp - x0, bar_h), FG[name])
        if b.peak >= CLIP_DB:  # OBS: the whole bar flashes white-hot at full scale
            p.fillRect(QRectF(left, top, width, bar_h), QColor("#ffffff"))
        # magnitude (RMS) as a black line, peak hold as a bright tick
        xm = self._x(b.magnitude, left, width)
        p.setPen(QPen(QColor("#000000"), 2))
        if b.magnitude > MIN_DB:
            p.drawLine(int(xm), int(top), int(xm), int(top + bar_h))
        if b.hold > MIN_DB:
            xh = self._x(b.hold, left, width)
            hold_name = "error" if b.hold >= ERROR_DB else "warning" if b.hold >= WARNING_DB else "nominal"
            p.setPen(QPen(FG[hold_name], 2))
            p.drawLine(int(xh), int(top), int(xh), int(top + bar_h))
        # scale ticks every 6 dB
        p.setPen(QPen(QColor(0, 0, 0, 110), 1))
        for db in range(0, int(MIN_DB) - 1, -TICK_DB):
            x = self._x(float(db), left, width)
            p.drawLine(int(x), int(top + bar_h - 4), int(x), int(top + bar_h))
        # clip latch
        latch = QRectF(self.width() - latch_w, top, latch_w - 2, bar_h)
        p.fillRect(latch, QColor(COLORS["error"]) if self.clipped else QColor("#2a2e37"))
        p.end()
        self.painted += 1


class MeterScale(QWidget):
    """dB labels under the bars (every 6 dB; -60 .. 0)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(14)

    def paintEvent(self, ev) -> None:  # noqa: N802
        p = QPainter(self)
        f = QFont(self.font())
        f.setPointSizeF(max(6.0, f.pointSizeF() - 2))
        p.setFont(f)
        p.setPen(QColor("#9aa0a8"))
        left, width = 22.0, self.width() - 22.0 - 14.0 - 4
        for db in range(0, int(MIN_DB) - 1, -TICK_DB * 2):
            x = left + width * (db - MIN_DB) / -MIN_DB
            p.drawText(QRectF(x - 15, 0, 30, self.height()), Qt.AlignmentFlag.AlignCenter, str(db))
        p.end()


def _db(v: float | None, digits: int = 1) -> str:
    if v is None:
        return "—"
    return f"{v:.{digits}f}" if math.isfinite(v) else "-∞"


def _signed(v: float | None) -> str:
    return "—" if v is None else f"{v:+.1f}"


class MeterPanel(QWidget):
    """The mic dock. Give it the desk's context, or (tests) a source plus board/log/settings."""

    state_changed = Signal(object)  # DeviceState, in the GUI thread

    def __init__(
        self,
        ctx: Any = None,
        *,
        source: Any = None,
        board: Any = None,
        log: Any = None,
        settings: Any = None,
        autostart: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MeterPanel")
        self.ctx = ctx
        self.board = board if board is not None else getattr(ctx, "board", None)
        self.log = log if log is not None else getattr(ctx, "log", None)
        self.settings = settings if settings is not None else getattr(ctx, "settings", None)
        self.state = DeviceState.CONNECTING
        self.detail = ""
        self.reading: MeterReading | None = None
        self.frames = 0
        self._running = False
        self._true_peak_max = -math.inf
        self._last_fresh = -math.inf
        self._last_loudness_logged = -math.inf

        configured = str(self._setting("mic.device", "") or "")
        self._configured_device = configured
        if source is None:
            source = SoundDeviceSource(configured)
        target = float(self._setting("mic.loudness_target_lufs", STREAMING_TARGET_LUFS))
        self.worker = MicWorker(
            source,
            on_status=self._on_status_thread,
            on_event=self._on_event_thread,
            on_devices=self._on_devices_thread,
            dead_air_dbfs=float(self._setting("mic.dead_air_dbfs", -60.0)),
            dead_air_s=float(self._setting("mic.dead_air_seconds", 8.0)),
            target_lufs=target,
            # No microphone configured: if none is found, show the built-in test signal so a
            # new user sees live meters (clearly labelled) instead of an empty panel.
            fallback=None if configured or source.is_test_signal else TestSignalSource(),
        )
        self._status_bridge = ThreadBridge(self)
        self._status_bridge.received.connect(self._show_status)
        self._devices_bridge = ThreadBridge(self)
        self._devices_bridge.received.connect(self._fill_devices)

        self._build(target)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        if autostart:
            self.start()

    # ------------------------------------------------------------------ construction
    def _setting(self, key: str, default: Any) -> Any:
        if self.settings is None:
            return default
        return self.settings.get(key, default)

    def _build(self, target: float) -> None:
        # Scrollable: the dock stays small beside the others instead of forcing the window taller.
        root = scrolling_column(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(4)

        self.state_label = QLabel(self.tr("STARTING"))
        self.state_label.setObjectName("MicState")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        f = self.state_label.font()
        f.setPointSizeF(f.pointSizeF() + 4)
        f.setBold(True)
        self.state_label.setFont(f)
        self.state_label.setWordWrap(True)
        root.addWidget(self.state_label)

        row = QHBoxLayout()
        self.device_combo = QComboBox()
        self.device_combo.setToolTip(self.tr("Microphone (chosen by name, kept when device numbers change)"))
        self.device_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fill_devices([])
        self.device_combo.activated.connect(self._device_chosen)
        self.rescan_button = QPushButton(self.tr("Rescan"))
        self.rescan_button.setToolTip(self.tr("Look for microphones again"))
        self.rescan_button.clicked.connect(self.worker.request_rescan)
        row.addWidget(QLabel(self.tr("Input")))
        row.addWidget(self.device_combo, 1)
        row.addWidget(self.rescan_button)
        root.addLayout(row)

        self.bars_box = QVBoxLayout()
        self.bars_box.setSpacing(2)
        self.bars: list[LevelBar] = []
        root.addLayout(self.bars_box)
        root.addWidget(MeterScale())

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        names = [
            ("momentary", self.tr("Momentary (M)")),
            ("short_term", self.tr("Short-term (S)")),
            ("integrated", self.tr("Integrated (I)")),
            ("lra", self.tr("Loudness range")),
            ("true_peak", self.tr("True peak max")),
            ("noise", self.tr("Noise floor")),
        ]
        for i, (key, text) in enumerate(names):
            name = QLabel(text)
            value = QLabel("—")
            value.setObjectName(f"mic-{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, i // 2, (i % 2) * 2)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
            self.values[key] = value
        root.addLayout(grid)

        row = QHBoxLayout()
        self.target_combo = QComboBox()
        self.target_combo.addItem(self.tr("Streaming −16 LUFS"), STREAMING_TARGET_LUFS)
        self.target_combo.addItem(self.tr("Broadcast EBU R128 −23 LUFS"), BROADCAST_TARGET_LUFS)
        if not any(abs(target - self.target_combo.itemData(i)) < 1e-6 for i in range(self.target_combo.count())):
            self.target_combo.addItem(self.tr("Custom {0} LUFS").format(f"{target:g}"), target)
        for i in range(self.target_combo.count()):
            if abs(self.target_combo.itemData(i) - target) < 1e-6:
                self.target_combo.setCurrentIndex(i)
        self.target_combo.activated.connect(self._target_chosen)
        self.reset_button = QPushButton(self.tr("Reset I"))
        self.reset_button.setToolTip(self.tr("Start the integrated loudness and range again (also done when the show goes live)"))
        self.reset_button.clicked.connect(self.reset_loudness)
        row.addWidget(QLabel(self.tr("Target")))
        row.addWidget(self.target_combo, 1)
        row.addWidget(self.reset_button)
        root.addLayout(row)
        root.addStretch(1)

    def _ensure_bars(self, n: int) -> None:
        if len(self.bars) == n:
            return
        for bar in self.bars:
            self.bars_box.removeWidget(bar)
            bar.deleteLater()
        labels = ["L", "R"] if n == 2 else [str(i + 1) for i in range(n)]
        self.bars = [LevelBar(lab) for lab in labels]
        for bar in self.bars:
            bar.clip_cleared.connect(self._clip_cleared)
            self.bars_box.addWidget(bar)
        self._clips_seen = [0] * n

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self.worker.start()
        self.worker.request_rescan()
        self._timer.start()

    def stop(self) -> None:
        """Stop the redraw timer and the worker (the window calls this on close)."""
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        self.worker.stop()

    def closeEvent(self, ev) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(ev)

    # ------------------------------------------------------------------ worker → here (any thread)
    def _on_status_thread(self, status: DeviceStatus) -> None:
        if self.board is not None:
            if status.state is DeviceState.TEST_SIGNAL:
                status = replace(status, detail=self.tr("TEST SIGNAL: no microphone in use (built-in generator)"))
            self.board.report(status)
        self._status_bridge.post((status.state, status.detail))

    def _on_event_thread(self, kind: str, message: str, severity: int, payload) -> None:
        if self.log is not None:
            self.log.log(Source.MIC.value, kind, message, severity, dict(payload))

    def _on_devices_thread(self, found) -> None:
        self._devices_bridge.post(found)

    # ------------------------------------------------------------------ GUI thread
    def _show_status(self, value) -> None:
        state, detail = value
        self.state, self.detail = state, detail
        texts = {
            DeviceState.OK: self.tr("MIC OK"),
            DeviceState.TEST_SIGNAL: self.tr("TEST SIGNAL — not a microphone"),
            DeviceState.DEAD_AIR: self.tr("DEAD AIR — no sound on air"),
            DeviceState.STALLED: self.tr("MIC STALLED — audio stopped arriving"),
            DeviceState.LOST: self.tr("MIC LOST — reconnecting"),
            DeviceState.CONNECTING: self.tr("STARTING"),
            DeviceState.STOPPED: self.tr("STOPPED"),
        }
        colours = {
            Level.OK: (COLORS["ok"], "#0d2016"),
            Level.TEST: ("#0b1a22", COLORS["test"]),
            Level.ERROR: ("#ffffff", COLORS["error"]),
            Level.WARNING: ("#1d1600", COLORS["warning"]),
            Level.IDLE: (COLORS["idle"], "#23262d"),
        }
        fg, bg = colours[state.level]
        self.state_label.setText(texts.get(state, state.value))
        self.state_label.setToolTip(detail_text(detail))
        self.state_label.setStyleSheet(f"QLabel#MicState {{ color: {fg}; background: {bg}; border-radius: 4px; padding: 6px; }}")
        self._select_current_device()
        self.state_changed.emit(state)

    def _fill_devices(self, found) -> None:
        combo = self.device_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("System default"), "")
        for d in found:
            combo.addItem(f"{d.name}  ({d.hostapi}, {d.max_input_channels} ch)", d.name)
        if self._configured_device and combo.findData(self._configured_device) < 0:
            combo.addItem(self.tr("{0} (not found)").format(self._configured_device), self._configured_device)
        combo.addItem(self.tr("TEST SIGNAL (built-in)"), TEST_SIGNAL_ITEM)
        combo.blockSignals(False)
        self._select_current_device()

    def _select_current_device(self) -> None:
        src = self.worker.source
        key = TEST_SIGNAL_ITEM if src.is_test_signal else getattr(src, "name", "")
        i = self.device_combo.findData(key)
        if i >= 0 and i != self.device_combo.currentIndex():
            self.device_combo.blockSignals(True)
            self.device_combo.setCurrentIndex(i)
            self.device_combo.blockSignals(False)

    def _device_chosen(self, index: int) -> None:
        key = self.device_combo.itemData(index)
        self.choose_device(key)

    def choose_device(self, name: str) -> None:
        """Switch to the device called ``name`` ('' = system default, or the test signal)."""
        if name == TEST_SIGNAL_ITEM:
            self.worker.set_source(TestSignalSource())
            return
        self._configured_device = name
        self.worker.set_source(SoundDeviceSource(name))
        if self.settings is not None:
            self.settings.set("mic.device", name)
            self._save_settings()

    def _target_chosen(self, index: int) -> None:
        target = float(self.target_combo.itemData(index))
        self.worker.target_lufs = target
        self._refresh_text()
        if self.settings is not None:
            self.settings.set("mic.loudness_target_lufs", target)
            self._save_settings()

    def _save_settings(self) -> None:
        if hasattr(self.settings, "save"):  # the disk is touched on the thread pool, never here
            run_in_background(self.settings.save, lambda _r: None, lambda _e: None)

    def reset_loudness(self) -> None:
        self.worker.reset_loudness()
        self._true_peak_max = -math.inf

    def _clip_cleared(self) -> None:
        if self.log is not None:
            self.log.log(Source.MIC.value, "clip_cleared", "clip indicator cleared by the operator", 20, {})

    def _show_is_live(self) -> bool:
        studio = getattr(self.ctx, "studio", None)
        return studio is not None and studio.is_live()

    def tick(self) -> None:
        """The shared ~60 Hz redraw: take the worker's reading, advance every bar."""
        now = time.monotonic()
        reading = self.worker.take_reading()
        if reading is not None:
            self.reading = reading
            self._ensure_bars(len(reading.channels))
            for i, (bar, ch) in enumerate(zip(self.bars, reading.channels)):
                clipped = ch.clips > self._clips_seen[i]
                self._clips_seen[i] = ch.clips
                if reading.fresh or now - self._last_fresh <= IDLE_S:
                    # Between two drains a frame has no new audio: the peak just decays and
                    # the RMS bar holds its last value (no flicker at 60 Hz vs 50 Hz drains).
                    bar.advance(ch.peak_dbfs, ch.rms_dbfs, now, clipped)
                else:
                    bar.ballistics.idle(now)  # OBS detectIdle: no audio for 0.5 s, levels fall
                    bar.update()
            if reading.fresh:
                self._last_fresh = now
                if math.isfinite(ch.true_peak_dbfs):
                    self._true_peak_max = max(self._true_peak_max, ch.true_peak_dbfs)
        self.frames += 1
        if self.frames % TEXT_EVERY == 0:
            self._refresh_text()
            if self.ctx is not None:
                self.worker.set_live(self._show_is_live())

    LOUDNESS_EVERY_S = 10.0

    def _sample_loudness(self, r, target: float) -> None:
        """A ``loudness`` event every 10 s while audio arrives: the review report's loudness chart."""
        now = time.monotonic()
        if self.log is None or not r.fresh or now - self._last_loudness_logged < self.LOUDNESS_EVERY_S:
            return
        self._last_loudness_logged = now

        def finite(v: float) -> float | None:
            return round(v, 2) if math.isfinite(v) else None

        self.log.log(Source.MIC.value, "loudness", "", 10, {
            "short_term_lufs": finite(r.short_term_lufs), "momentary_lufs": finite(r.momentary_lufs),
            "integrated_lufs": finite(r.integrated_lufs), "target_lufs": target,
            "peak_dbfs": finite(max((c.peak_dbfs for c in r.channels), default=-math.inf)),
            "test_signal": r.is_test_signal, "device": r.device,
        })

    def _refresh_text(self) -> None:
        r = self.reading
        if r is None:
            return
        target = self.worker.target_lufs
        self._sample_loudness(r, target)
        s_dev = r.short_term_lufs - target if math.isfinite(r.short_term_lufs) else None
        i_dev = r.integrated_lufs - target if math.isfinite(r.integrated_lufs) else None
        self.values["momentary"].setText(f"{_db(r.momentary_lufs)} LUFS")
        self.values["short_term"].setText(f"{_db(r.short_term_lufs)} LUFS ({_signed(s_dev)} LU)")
        self.values["integrated"].setText(f"{_db(r.integrated_lufs)} LUFS ({_signed(i_dev)} LU)")
        self.values["lra"].setText(f"{_db(r.lra_lu)} LU")
        self.values["true_peak"].setText(f"{_db(self._true_peak_max)} dBTP")
        floor = max((c.noise_floor_dbfs for c in r.channels), default=-math.inf)
        self.values["noise"].setText(f"{_db(floor)} dBFS")
        for key, dev in (("short_term", s_dev), ("integrated", i_dev)):
            colour = "" if dev is None else COLORS["ok"] if abs(dev) <= 1.0 else COLORS["warning"] if abs(dev) <= 3.0 else COLORS["error"]
            self.values[key].setStyleSheet(f"color: {colour};" if colour else "")
