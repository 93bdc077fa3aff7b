"""The show desk (场控台): the main window's central area that runs the live show.

Cue list with planned and actual times (current segment highlighted, phases coloured,
compliance findings marked), a big GO, show clock / segment remaining / over-under /
projected end, the product cards with stock, the coupon and flash-sale timeline with
countdowns, and the message to the anchor.

Every operation is a :class:`QAction` with a keyboard shortcut (menu "Show") and goes
through :meth:`ShowDeskPanel.dispatch`, the one path shared by buttons, keys, the
emergency runbooks (``ctx.extras["show_desk"]``) and any later remote control. The
underlying :class:`~studio_app.show.desk.ShowDesk` writes every event to the event log.

Threads: everything here runs on the GUI thread; the show file and the event history
are read on Qt's thread pool (:func:`run_in_background`), OBS commands go to the OBS
worker as futures (never waited on).
"""
from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio_app.core.cue_state import PHASE_COLORS, DeskMessage, Tallies
from studio_app.core.events import Severity, Source
from studio_app.show.desk import ActionResult, ShowDesk
from studio_app.show.events import iter_parts
from studio_app.show.model import format_clock
from studio_app.show.timing import Playback
from studio_app.ui.bridge import run_in_background
from studio_app.ui.event_text import event_message, refusal_reason, result_message
from studio_app.ui.theme import COLORS
from studio_app.ui.layout import scrolling_column

TICK_MS = 50  # regular tick: phase changes, countdown refresh (coupon times get their own precise timer)
REFRESH_EVERY = 4  # redraw labels and tables every 4th tick (200 ms) unless something happened
UNFILLED = re.compile(r"\{[a-z_]+\.[a-z_]+\}")  # a template field with no value (e.g. no card pushed yet)
CUE_ACTIONS = ("go", "next", "back", "previous", "jump")
REDRAW_DEFER_MS = 20.0  # a firing this close after a tick goes before the repaint
GO_GUARD_S = 0.5  # double-press protection on the GO key/button


# ----------------------------------------------------------------------------- pure helpers
def unfinished_run(events: Iterable[Any]) -> bool:
    """Whether the latest run of the show in ``events`` (oldest first) stopped while a
    segment was running or on hold, i.e. the console went down mid-show."""
    run, playback = None, None
    for kind, payload, _wall in iter_parts(events):
        r = payload.get("run")
        if isinstance(r, str) and r != run:
            run, playback = r, None
        if kind.startswith("cue.") and isinstance(payload.get("state"), dict):
            playback = payload["state"].get("playback")
    return playback in (Playback.RUNNING.value, Playback.HOLD.value)


def segment_history(events: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Per segment id: actual start (seconds from the show start) and actual duration,
    from cue events (``to.actual_start``, ``from.actual_duration``); latest wins."""
    out: dict[str, dict[str, float]] = {}
    for kind, payload, _wall in iter_parts(events):
        if not kind.startswith("cue."):
            continue
        to, frm = payload.get("to"), payload.get("from")
        if isinstance(frm, dict) and isinstance(frm.get("segment"), str) and frm.get("actual_duration") is not None:
            out.setdefault(frm["segment"], {})["duration"] = float(frm["actual_duration"])
        if isinstance(to, dict) and isinstance(to.get("segment"), str) and to.get("actual_start") is not None:
            entry = out.setdefault(to["segment"], {})
            entry["start"] = float(to["actual_start"])
            entry.pop("duration", None)  # running again (back/jump): the old length is history
    return out


def _hhmmss(wall: float | None) -> str:
    if wall is None:
        return "—"
    return dt.datetime.fromtimestamp(wall).astimezone().strftime("%H:%M:%S")


def _timecode_ms(text: str) -> int | None:
    """OBS "HH:MM:SS.mmm" → milliseconds."""
    try:
        h, m, s = text.split(":")
        return int((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)
    except (ValueError, AttributeError):
        return None


def _price(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0")


def load_show_job(path: Path, db_url: str | None, clock: Any = None) -> tuple[ShowDesk, list, dict | None]:
    """Pool thread: the show from its file (RundownError when broken, located), its
    logged events, and a resume offer when the latest run stopped mid-show."""
    desk = ShowDesk.from_file(path, clock=clock)
    events: list = []
    if db_url:
        from studio_app.store import fetch_events, open_engine

        engine = open_engine(db_url)
        try:
            # Two days back is plenty to resume a show; older runs are history, not a crash.
            events = fetch_events(engine, show_id=desk.show.id, since=time.time() - 2 * 86400)
        except Exception:  # noqa: BLE001 - no history readable: a fresh start is still possible
            events = []
        finally:
            engine.dispose()
    offer = None
    if unfinished_run(events):
        preview = ShowDesk.resume(desk.show, events, clock, None, findings=desk.findings)
        v = preview.engine.view(preview.clock.now())
        offer = {"segment": v.segment_title, "segment_id": v.segment_id, "index": v.index,
                 "elapsed": v.elapsed, "playback": v.playback.value}
    return desk, events, offer


# ----------------------------------------------------------------------------- cue list
class CueListModel(QAbstractTableModel):
    """Rows = segments. Planned start/duration, actual start/duration, over/under, findings."""

    COLUMNS = ("#", "Segment", "Kind", "Planned start", "Planned", "Actual start", "Actual", "Over/under", "Compliance")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk: ShowDesk | None = None
        self.history: dict[str, dict[str, float]] = {}
        self._findings: dict[str, list] = {}
        self._snap: tuple | None = None  # (index, playback, TimerView, started wall) of the last refresh
        self._key: tuple | None = None
        self._titles = [self.tr("#"), self.tr("Segment"), self.tr("Kind"), self.tr("Planned start"), self.tr("Planned"),
                        self.tr("Actual start"), self.tr("Actual"), self.tr("Over/under"), self.tr("Findings")]

    def set_desk(self, desk: ShowDesk | None, history: dict | None = None) -> None:
        self.beginResetModel()
        self.desk = desk
        self.history = dict(history or {})
        self._findings = {}
        self._snap = self._key = None
        if desk is not None:
            for f in desk.findings:
                if f.segment:
                    self._findings.setdefault(f.segment, []).append(f)
        self.endResetModel()

    def refresh(self) -> None:
        """Take one reading of the show and repaint: the whole table when the segment,
        playback or history changed, else only the live row (cheap at 5 Hz)."""
        desk = self.desk
        if desk is None or not self.rowCount():
            return
        st = desk.engine.state
        now = desk.clock.now()
        started = None if st.show_started is None else st.show_started - now.mono + now.wall
        previous = self._snap
        self._snap = (st.index, st.playback.value, desk.engine.view(now), started)
        key = (st.index, st.playback.value, started, len(self.history))
        if previous is None or key != self._key:
            self._key = key
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        else:
            self.dataChanged.emit(self.index(st.index, 0), self.index(st.index, self.columnCount() - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.desk is None else len(self.desk.show.segments)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def _state(self) -> tuple[int, str, Any, float | None]:
        if self._snap is None:
            self.refresh()
        return self._snap

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        desk = self.desk
        if desk is None or not index.isValid():
            return None
        row, col = index.row(), index.column()
        seg = desk.show.segments[row]
        current, playback, view, started = self._state()
        live = row == current and playback in ("running", "hold")
        hist = self.history.get(seg.id, {})
        findings = self._findings.get(seg.id, [])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return ("▶ " if row == current and playback != "ended" else "") + str(row + 1)
            if col == 1:
                return seg.title
            if col == 2:
                return seg.kind.label_zh
            if col == 3:
                offset = desk.show.planned_offset(row)
                if desk.show.planned_start is not None:
                    return _hhmmss(desk.show.planned_start.timestamp() + offset)[:5]
                return f"+{format_clock(offset)}"
            if col == 4:
                return format_clock(seg.duration)
            if col == 5:
                start = hist.get("start")
                if start is None:
                    return ""
                return _hhmmss(started + start) if started is not None else f"+{format_clock(start)}"
            if col == 6:
                if live:
                    return format_clock(view.elapsed)
                d = hist.get("duration")
                return "" if d is None else format_clock(d)
            if col == 7:
                if live:
                    return format_clock(-view.remaining, sign=True) if view.remaining < 0 else ""
                d = hist.get("duration")
                return "" if d is None else format_clock(d - seg.duration, sign=True)
            if col == 8:
                return f"⚠ {len(findings)}" if findings else ""
        elif role == Qt.ItemDataRole.ForegroundRole:
            if col == 8 and findings:
                return QBrush(QColor(COLORS["error"]))
            if live and col in (1, 6, 7):
                colour = PHASE_COLORS.get(view.phase.value, "#ffffff")
                return QBrush(QColor(colour if view.phase.value != "default" else "#ffffff"))
            if col == 7:
                d = hist.get("duration")
                if d is not None:
                    return QBrush(QColor(COLORS["error"] if d - seg.duration > 0 else COLORS["ok"]))
            if row < current and not live or (playback == "ended" and "duration" in hist):
                return QBrush(QColor(COLORS["idle"]))
        elif role == Qt.ItemDataRole.BackgroundRole:
            if row == current and playback != "ended":
                phase = view.phase.value
                if phase in ("warning", "danger", "overtime"):
                    c = QColor(PHASE_COLORS[phase])
                    c.setAlpha(70)
                    return QBrush(c)
                return QBrush(QColor("#2f4f86" if live else "#26324a"))
        elif role == Qt.ItemDataRole.FontRole:
            if row == current and playback != "ended":
                f = QFont()
                f.setBold(True)
                return f
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == 8 and findings:
                return "\n".join(f"{f.term} [{f.category}] {f.field} line {f.line}: {f.note}" for f in findings)
            if col == 1 and seg.notes:
                return seg.notes
            if col == 3:
                return self.tr("+{0} from the show start").format(format_clock(desk.show.planned_offset(row)))
            if col == 5 and hist.get("start") is not None:
                return self.tr("+{0} from the show start").format(format_clock(hist["start"]))
        return None


# ----------------------------------------------------------------------------- the desk
class ShowDeskPanel(QWidget):
    """The live show desk. ``dispatch(action, **params)`` is the one path for every
    operation; ``desk`` is the loaded :class:`ShowDesk` (None until a show loads)."""

    show_loaded = Signal(object)  # ShowDesk
    load_failed = Signal(str)  # one located line
    resume_offered = Signal(object)  # {segment, elapsed, ...}
    acted = Signal(object)  # ActionResult (buttons, keys, remote, runbooks alike)

    def __init__(self, ctx: Any, cue: Any = None, clock: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShowDesk")
        self.ctx = ctx
        self.cue = cue  # studio_app.ui.cue_control.CueScreenControl
        self.clock = clock
        self.desk: ShowDesk | None = None
        self.path: Path | None = None
        self.load_error: str | None = None
        self.resume_offer: dict | None = None
        self.resume_box: QMessageBox | None = None
        self.loads = 0  # finished load attempts (tests wait on it)
        self.last_result: ActionResult | None = None
        self.obs_sent: list[tuple[str, str, str]] = []  # (command, target, value) sent to OBS, newest last
        self._pending: tuple[ShowDesk, list] | None = None
        self._history_events: list = []  # this run's cue events (actual starts and lengths)
        self._last_go: float | None = None
        self._redraw_due = False
        self._ticks = 0
        self._last_cue_state = None
        self._stopped = False
        self.actions: dict[str, QAction] = {}
        self.menu = QMenu(self.tr("&Show"), self)
        self._build()
        self._make_actions()
        for w in self.findChildren(QPushButton) + self.findChildren(QCheckBox):
            # Keys belong to the desk: Space is GO, never "press the focused button".
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if self.cue is not None and hasattr(self.cue, "message_requested"):
            self.cue.message_requested.connect(self._cue_message)
        ctx.extras["show_desk"] = self  # the emergency runbooks hold and pause through dispatch

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        # Coupon/flash moments: a single shot armed at the desk's next deadline (ms accuracy).
        self._deadline = QTimer(self)
        self._deadline.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self.tick)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        # Scrollable: a small screen gets scroll bars instead of a window wider than the screen.
        root = scrolling_column(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(6)

        self.error_banner = QLabel()
        self.error_banner.setObjectName("Banner")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        root.addWidget(self.error_banner)

        self.findings_bar = QFrame()
        self.findings_bar.setObjectName("FindingsBar")
        fb = QHBoxLayout(self.findings_bar)
        fb.setContentsMargins(8, 4, 8, 4)
        self.findings_label = QLabel()
        self.findings_label.setWordWrap(True)
        self.override_button = QPushButton(self.tr("Override…"))
        self.override_button.clicked.connect(self.ask_override)
        self.editor_button = QPushButton(self.tr("Edit rundown…"))
        self.editor_button.clicked.connect(self.open_editor)
        fb.addWidget(self.findings_label, 1)
        fb.addWidget(self.editor_button)
        fb.addWidget(self.override_button)
        self.findings_bar.hide()
        root.addWidget(self.findings_bar)

        # -- header: clocks
        header = QFrame()
        header.setObjectName("DeskHeader")
        header.setStyleSheet("#DeskHeader { background: #181b21; border: 1px solid #2b2f38; border-radius: 6px; }")
        hl = self._header_layout = QGridLayout(header)
        hl.setContentsMargins(12, 6, 12, 6)
        left = QVBoxLayout()
        self.title_label = QLabel(self.tr("No show loaded"))
        self.title_label.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.segment_label = QLabel("")
        self.segment_label.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.next_label = QLabel("")
        self.next_label.setStyleSheet("color: #9aa0a6;")
        left.addWidget(self.title_label)
        left.addWidget(self.segment_label)
        left.addWidget(self.next_label)
        hl.addLayout(left, 0, 0)
        self.remaining_label = QLabel("--:--")
        self.remaining_label.setObjectName("SegmentRemaining")
        self.remaining_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.remaining_label.setToolTip(self.tr("Segment remaining"))
        self._remaining_style = ""
        hl.addWidget(self.remaining_label, 0, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.clock_label = QLabel("--:--:--")
        self.elapsed_label = QLabel("00:00")
        self.over_label = QLabel("±00:00")
        self.end_label = QLabel("—")
        self.playback_label = QLabel("")
        for n, (caption, w) in enumerate(((self.tr("Clock"), self.clock_label), (self.tr("Show elapsed"), self.elapsed_label),
                                          (self.tr("Over/under"), self.over_label), (self.tr("Projected end"), self.end_label))):
            cap = QLabel(caption)
            cap.setStyleSheet("color: #9aa0a6; font-size: 11px;")
            w.setStyleSheet("font-size: 20px; font-weight: 600; font-family: monospace;")
            grid.addWidget(cap, 0, n)
            grid.addWidget(w, 1, n)
        grid.addWidget(self.playback_label, 2, 0, 1, 4)
        self._clock_grid = grid
        hl.addLayout(grid, 0, 2)
        hl.setColumnStretch(0, 3)
        hl.setColumnStretch(1, 2)
        hl.setColumnStretch(2, 3)
        self._narrow: bool | None = None
        root.addWidget(header)

        # -- transport
        transport = QHBoxLayout()
        self.go_button = QPushButton(self.tr("GO"))
        self.go_button.setObjectName("GoButton")
        self.go_button.setMinimumHeight(64)
        self.go_button.setMinimumWidth(140)
        self.go_button.setStyleSheet("#GoButton { background: #1f7a3a; color: white; font-size: 28px; font-weight: 800;"
                                     " border: 2px solid #3ddc84; border-radius: 8px; }"
                                     "#GoButton:pressed { background: #16602d; }")
        self.back_button = QPushButton(self.tr("Back"))
        self.hold_button = QPushButton(self.tr("Hold"))
        self.minus_button = QPushButton(self.tr("−1 min"))
        self.plus_button = QPushButton(self.tr("+1 min"))
        self.end_button = QPushButton(self.tr("End show"))
        transport.addWidget(self.go_button, 3)
        for b in (self.back_button, self.hold_button, self.minus_button, self.plus_button, self.end_button):
            b.setMinimumHeight(44)
            transport.addWidget(b, 1)
        root.addLayout(transport)

        # -- body: cue list | cards + timeline + message
        split = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = split
        self.cue_model = CueListModel(self)
        self.cue_table = QTableView()
        self.cue_table.setObjectName("CueList")
        self.cue_table.setModel(self.cue_model)
        self.cue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cue_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cue_table.verticalHeader().hide()
        self.cue_table.setWordWrap(False)
        # Interactive, sized on full repaints only: ResizeToContents re-measures every cell at 5 Hz.
        self.cue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.cue_table.horizontalHeader().setStretchLastSection(True)
        self.cue_table.doubleClicked.connect(lambda idx: self.dispatch("jump", segment=idx.row()))
        cue_box = QGroupBox(self.tr("Rundown"))
        cl = QVBoxLayout(cue_box)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addWidget(self.cue_table)
        self.notes_label = QLabel("")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #c9b458;")
        cl.addWidget(self.notes_label)
        left = QWidget()
        self._left_layout = QVBoxLayout(left)
        self._left_layout.setContentsMargins(0, 0, 0, 0)
        self._left_layout.addWidget(cue_box, 1)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        # cards
        cards_box = QGroupBox(self.tr("Product cards"))
        cv = QVBoxLayout(cards_box)
        cv.setContentsMargins(4, 4, 4, 4)
        self.cards_table = QTableWidget(0, 6)
        self.cards_table.setObjectName("Cards")
        self.cards_table.setHorizontalHeaderLabels([self.tr("Product"), self.tr("State"), self.tr("Live / list"),
                                                    self.tr("Stock"), self.tr("Safety"), self.tr("Frozen")])
        self._table_defaults(self.cards_table)
        self.cards_table.horizontalHeader().setStretchLastSection(False)
        self.cards_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        cv.addWidget(self.cards_table)
        crow = QGridLayout()
        crow.setSpacing(4)
        self.card_buttons: dict[str, QPushButton] = {}
        for n, (key, label) in enumerate( (("push", self.tr("Push (讲解)")), ("stop", self.tr("Stop")), ("shelve", self.tr("Shelve")),
                           ("unshelve", self.tr("Unshelve")), ("sold_out", self.tr("Sold out")), ("minus10", "−10"),
                           ("minus1", "−1"), ("plus1", "+1"), ("plus10", "+10"), ("freeze", self.tr("Freeze")))):
            b = QPushButton(label)
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.card_buttons[key] = b
            crow.addWidget(b, n // 5, n % 5)
        cv.addLayout(crow)
        right_layout.addWidget(cards_box, 3)
        # timeline
        tl_box = QGroupBox(self.tr("Coupons and flash sales"))
        tv = QVBoxLayout(tl_box)
        tv.setContentsMargins(4, 4, 4, 4)
        self.timeline = QTableWidget(0, 4)
        self.timeline.setObjectName("Timeline")
        self.timeline.setHorizontalHeaderLabels([self.tr("Countdown"), self.tr("Item"), self.tr("Status"), self.tr("When")])
        self._table_defaults(self.timeline)
        self.timeline.horizontalHeader().setStretchLastSection(False)
        self.timeline.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        tv.addWidget(self.timeline)
        trow = QHBoxLayout()
        self.drop_buttons: dict[str, QPushButton] = {}
        for key, label in (("drop", self.tr("Drop now")), ("delay", self.tr("Delay 1 min")), ("cancel", self.tr("Cancel")),
                           ("confirm", self.tr("Confirm dropped (C)")), ("pause", self.tr("Pause all"))):
            b = QPushButton(label)
            self.drop_buttons[key] = b
            trow.addWidget(b)
        tv.addLayout(trow)
        right_layout.addWidget(tl_box, 2)
        # message
        msg_box = QGroupBox(self.tr("Message to the anchor"))
        mv = QHBoxLayout(msg_box)
        mv.setContentsMargins(4, 4, 4, 4)
        self.message_edit = QLineEdit()
        self.message_edit.setPlaceholderText(self.tr("Message (Ctrl+M, Enter sends)"))
        self.message_edit.returnPressed.connect(self.send_message)
        self.blink_box = QCheckBox(self.tr("Blink"))
        self.blackout_box = QCheckBox(self.tr("Blackout"))
        self.send_button = QPushButton(self.tr("Send"))
        self.hide_button = QPushButton(self.tr("Hide"))
        self.send_button.clicked.connect(self.send_message)
        self.hide_button.clicked.connect(lambda: self.dispatch("message_hide"))
        for w in (self.message_edit, self.blink_box, self.blackout_box, self.send_button, self.hide_button):
            mv.addWidget(w, 1 if w is not self.message_edit else 4)
        self.message_shown = QLabel("")
        self.message_shown.setStyleSheet("color: #ffd400;")
        # Under the rundown: the right column needs its height for the cards and the timeline.
        self._left_layout.addWidget(msg_box, 0)
        self._left_layout.addWidget(self.message_shown, 0)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([640, 460])
        root.addWidget(split, 1)

        self.toast = QLabel("")
        self.toast.setObjectName("DeskToast")
        self.toast.setWordWrap(True)
        root.addWidget(self.toast)

    def resizeEvent(self, ev) -> None:  # noqa: N802
        """Narrow (a portrait monitor): the clocks go under the timer and the cards under
        the rundown, so nothing needs a horizontal scroll bar."""
        super().resizeEvent(ev)
        narrow = self.width() < 1000
        if narrow == self._narrow:
            return
        self._narrow = narrow
        hl = self._header_layout
        hl.removeItem(self._clock_grid)
        if narrow:
            hl.addLayout(self._clock_grid, 1, 0, 1, 2)
            hl.setColumnStretch(2, 0)
        else:
            hl.addLayout(self._clock_grid, 0, 2)
            hl.setColumnStretch(2, 3)
        self.splitter.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)

    @staticmethod
    def _table_defaults(t: QTableWidget) -> None:
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().hide()
        t.setWordWrap(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(True)

    # ------------------------------------------------------------------ actions and keys
    def _make_actions(self) -> None:
        """Every operation: a QAction in menu "Show" with its key; all go through dispatch."""
        tr = self.tr

        def add(name: str, text: str, keys: str | list[str], fn: Callable[[], Any], button: QPushButton | None = None,
                section: bool = False) -> QAction:
            if section:
                self.menu.addSeparator()
            act = QAction(text, self)
            seqs = [QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys) if k]
            act.setShortcuts(seqs)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False: fn())
            self.addAction(act)
            self.menu.addAction(act)
            self.actions[name] = act
            if button is not None:
                button.clicked.connect(act.trigger)
                if seqs:
                    button.setToolTip(f"{text}  [{seqs[0].toString(QKeySequence.SequenceFormat.NativeText)}]")
            return act

        add("go", tr("GO (start / next segment)"), "Space", self.press_go, self.go_button)
        add("back", tr("Back (previous segment)"), "Backspace", lambda: self.dispatch("back"), self.back_button)
        add("jump", tr("Jump to the selected segment"), "Ctrl+J", self.jump_selected)
        add("toggle_hold", tr("Hold / resume"), "H", lambda: self.dispatch("toggle_hold"), self.hold_button)
        add("add_30", tr("+30 s on the segment"), ["+", "="], lambda: self.dispatch("add_time", seconds=30))
        add("sub_30", tr("−30 s on the segment"), "-", lambda: self.dispatch("add_time", seconds=-30))
        add("add_60", tr("+1 min on the segment"), ["Ctrl++", "Ctrl+="], lambda: self.dispatch("add_time", seconds=60), self.plus_button)
        add("sub_60", tr("−1 min on the segment"), "Ctrl+-", lambda: self.dispatch("add_time", seconds=-60), self.minus_button)
        add("end_show", tr("End the show"), "Ctrl+Shift+E", lambda: self.dispatch("end_show"), self.end_button)
        for n in range(1, 10):
            add(f"push_{n}", tr("Push product {0} of the segment").format(n), str(n),
                lambda n=n: self.dispatch("card_push_slot", slot=n), section=(n == 1))
        add("push", tr("Push the selected card (讲解)"), "P", lambda: self._card("card_push"), self.card_buttons["push"])
        add("card_stop", tr("Stop explaining"), "X", lambda: self.dispatch("card_stop"), self.card_buttons["stop"])
        add("shelve", tr("Shelve the selected card (上架)"), "Ctrl+U", lambda: self._card("card_shelve"), self.card_buttons["shelve"])
        add("unshelve", tr("Unshelve the selected card (下架)"), "Ctrl+Shift+U", lambda: self._card("card_unshelve"),
            self.card_buttons["unshelve"])
        add("sold_out", tr("Mark the selected card sold out"), "S", lambda: self._card("card_sold_out"), self.card_buttons["sold_out"])
        add("stock_plus1", tr("Stock +1"), "]", lambda: self._stock(1), self.card_buttons["plus1"])
        add("stock_minus1", tr("Stock −1"), "[", lambda: self._stock(-1), self.card_buttons["minus1"])
        add("stock_plus10", tr("Stock +10"), "}", lambda: self._stock(10), self.card_buttons["plus10"])
        add("stock_minus10", tr("Stock −10"), "{", lambda: self._stock(-10), self.card_buttons["minus10"])
        add("freeze", tr("Freeze / unfreeze core stock"), "Ctrl+F", self._freeze, self.card_buttons["freeze"])
        add("coupon_drop_now", tr("Drop the selected (or next) coupon / flash sale now"), "Ctrl+D",
            lambda: self._item("coupon_drop_now"), self.drop_buttons["drop"], section=True)
        add("coupon_delay", tr("Delay the selected (or next) drop by 1 min"), "Ctrl+L",
            lambda: self._item("coupon_delay", seconds=60), self.drop_buttons["delay"])
        add("coupon_cancel", tr("Cancel the selected (or next) drop"), "Ctrl+Shift+C",
            lambda: self._item("coupon_cancel", reason="desk"), self.drop_buttons["cancel"])
        add("coupon_confirm", tr("Confirm dropped on the platform"), "C", lambda: self.dispatch("coupon_confirm"),
            self.drop_buttons["confirm"])
        add("coupons_pause", tr("Pause / resume all drops"), "Ctrl+P", self._toggle_pause, self.drop_buttons["pause"])
        add("message", tr("Write a message to the anchor"), "Ctrl+M", self._focus_message, section=True)
        add("message_blink", tr("Message blink on/off"), "Ctrl+B", lambda: self.blink_box.toggle())
        add("message_blackout", tr("Message blackout on/off"), "Ctrl+Shift+B", lambda: self.blackout_box.toggle())
        add("message_hide", tr("Hide the message"), "Esc", lambda: self.dispatch("message_hide"))
        add("override", tr("Override compliance findings…"), "Ctrl+Shift+O", self.ask_override, section=True)
        add("editor", tr("Edit rundown…"), "Ctrl+E", self.open_editor)
        add("open", tr("Open show…"), "Ctrl+O", self.ask_open)

    def press_go(self) -> ActionResult | None:
        """GO from a key or the button. A second press within GO_GUARD_S of a GO that
        went through is ignored (a bounced key or a nervous double tap must not skip a
        segment); remote control and runbooks call dispatch("go") directly."""
        if self.desk is not None and self._last_go is not None:
            since = self.desk.clock.now().mono - self._last_go
            if 0 <= since < GO_GUARD_S:
                self._status(self.tr("GO ignored: pressed twice within {0} s").format(GO_GUARD_S))
                return None
        result = self.dispatch("go")
        if result.ok and self.desk is not None:
            self._last_go = self.desk.clock.now().mono
        return result

    def _status(self, text: str, error: bool = False) -> None:
        self.toast.setText(text)
        self.toast.setStyleSheet(f"color: {COLORS['error'] if error else '#c8ccd2'};")
        win = self.window()
        if isinstance(win, QMainWindow):
            win.statusBar().showMessage(text, 6000)

    # ------------------------------------------------------------------ the one path
    def dispatch(self, action: str, **params: Any) -> ActionResult:
        """Apply a show action (see studio_app.show.desk.ACTIONS); never raises. OBS
        outputs (scene, overlay texts) are sent, the screens refreshed, refusals shown."""
        if self.desk is None:
            result = ActionResult(action, False, self.tr("No show is loaded"))
        else:
            result = self.desk.dispatch(action, **params)
        self.last_result = result
        if result.ok:
            self._apply_outputs(result)
            if result.message:
                self._status(result_message(result))
        else:
            self._status(self.tr("Refused: {0}").format(refusal_reason(result)), error=True)
        if self.desk is not None and action in CUE_ACTIONS and result.ok:
            self.cue_model.history = segment_history([*self._history_events, *result.events])
            self.cue_model._key = None  # repaint every row
            self._history_events.extend(e for e in result.events if e.kind.startswith("cue."))
        self.acted.emit(result)
        self.refresh()
        self._arm()
        return result

    # OBS -----------------------------------------------------------------------------------
    def _apply_outputs(self, result: ActionResult) -> None:
        data = result.data or {}
        texts: dict[str, str] = dict(data.get("overlays") or {})
        push = data.get("push")
        if isinstance(push, dict):
            texts.update(push.get("overlay_texts") or {})
        scene = data.get("scene") if result.action in CUE_ACTIONS else None
        if not scene and not texts:
            return
        conn = self.ctx.extras.get("obs")
        link = getattr(conn, "link", None)
        if link is None:
            return
        if not link.state.connected:
            if getattr(link.state.status, "value", "") == "stopped":
                return  # OBS control is switched off in the settings: nothing to say
            self._status(self.tr("{0} — OBS is not connected: scene and overlay not sent").format(result.message), error=True)
            return
        if scene and scene != link.state.program_scene:
            self._obs(conn, "switch_scene", scene, "", link.switch_scene(scene))
        for source, text in texts.items():
            if UNFILLED.search(text):
                continue  # never put a half-filled overlay on air (e.g. {product.name} before a push)
            self._obs(conn, "set_text", source, text, link.set_text(source, text))

    def _obs(self, conn: Any, name: str, target: str, value: str, future: Any) -> None:
        self.obs_sent.append((name, target, value))
        del self.obs_sent[:-200]
        run = getattr(conn, "run", None)
        if callable(run):
            run(name, future)  # failures show on the OBS panel (and are logged there)

    # selections ------------------------------------------------------------------------------
    def selected_sku(self) -> str | None:
        rows = self.cards_table.selectionModel().selectedRows() if self.cards_table.selectionModel() else []
        if rows:
            item = self.cards_table.item(rows[0].row(), 0)
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        if self.desk is not None and self.desk.cards.explaining is not None:
            return self.desk.cards.explaining.sku
        return None

    def selected_item(self) -> str | None:
        rows = self.timeline.selectionModel().selectedRows() if self.timeline.selectionModel() else []
        if rows:
            item = self.timeline.item(rows[0].row(), 0)
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        if self.desk is None:
            return None
        now = self.desk.clock.now().mono
        for c in self.desk.scheduler.countdowns(now):
            if c.status in ("pending", "announced", "blocked", "paused"):
                return c.item
        return None

    def _card(self, action: str) -> ActionResult:
        sku = self.selected_sku()
        if sku is None:
            return self._refuse_local(action, self.tr("select a product card first"))
        return self.dispatch(action, sku=sku)

    def _stock(self, delta: int) -> ActionResult:
        sku = self.selected_sku()
        if sku is None:
            return self._refuse_local("stock_adjust", self.tr("select a product card first"))
        return self.dispatch("stock_adjust", sku=sku, delta=delta, reason="desk")

    def _freeze(self) -> ActionResult:
        sku = self.selected_sku()
        if sku is None or self.desk is None:
            return self._refuse_local("stock_freeze", self.tr("select a product card first"))
        card = self.desk.cards.cards.get(sku)
        return self.dispatch("stock_freeze", sku=sku, frozen=not (card and card.frozen), reason="desk")

    def _item(self, action: str, **params: Any) -> ActionResult:
        item = self.selected_item()
        if item is None:
            return self._refuse_local(action, self.tr("no coupon drop or flash sale is pending"))
        return self.dispatch(action, id=item, **params)

    def _toggle_pause(self) -> ActionResult:
        paused = self.desk is not None and self.desk.scheduler.paused_since is not None
        return self.dispatch("coupons_resume" if paused else "coupons_pause", **({} if paused else {"reason": "desk"}))

    def _refuse_local(self, action: str, why: str) -> ActionResult:
        if self.desk is not None:  # logged like the desk's own refusals
            return self._log_refusal(action, why)
        result = ActionResult(action, False, why)
        self._status(self.tr("Refused: {0}").format(why), error=True)
        return result

    def _log_refusal(self, action: str, why: str) -> ActionResult:
        result = ActionResult(action, False, why)
        self.ctx.log.log(Source.DESK.value, "desk.refused", f"{action}: {why}", Severity.WARNING,
                         {"action": action, "reason": why, "run": self.desk.run_id, "at_wall": time.time()},
                         self.desk.show.id)
        self.last_result = result
        self._status(self.tr("Refused: {0}").format(why), error=True)
        return result

    def jump_selected(self) -> ActionResult:
        rows = self.cue_table.selectionModel().selectedRows()
        if not rows:
            return self._refuse_local("jump", self.tr("select a segment in the rundown first"))
        return self.dispatch("jump", segment=rows[0].row())

    # message ---------------------------------------------------------------------------------
    def _focus_message(self) -> None:
        self.message_edit.setFocus()
        self.message_edit.selectAll()

    def send_message(self) -> ActionResult:
        text = self.message_edit.text().strip()
        if not text and not self.blackout_box.isChecked():
            return self.dispatch("message_hide")
        return self.dispatch("message", text=text, blink=self.blink_box.isChecked(), blackout=self.blackout_box.isChecked())

    def _cue_message(self, m: DeskMessage) -> None:
        """The cue screen control's own message box, routed through the dispatcher."""
        if m.visible or m.blackout:
            self.dispatch("message", text=m.text, blink=m.blink, blackout=m.blackout)
        else:
            self.dispatch("message_hide")

    # compliance ------------------------------------------------------------------------------
    def ask_override(self) -> None:
        if self.desk is None or not self.desk.findings:
            self._status(self.tr("No compliance findings are open"))
            return
        dlg = QInputDialog(self)
        dlg.setObjectName("OverrideDialog")
        dlg.setWindowTitle(self.tr("Go live despite compliance findings"))
        dlg.setLabelText(self.tr("{0} findings are open. Reason for going live anyway (logged):").format(len(self.desk.findings)))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.textValueSelected.connect(lambda text: self.override(text))
        self.override_dialog = dlg
        dlg.open()

    def override(self, reason: str) -> ActionResult:
        return self.dispatch("override_compliance", reason=reason)

    def open_editor(self) -> None:
        if self.path is None:
            self._status(self.tr("No show is loaded"), error=True)
            return
        from studio_app.ui.rundown_editor import RundownEditor

        editor = RundownEditor(self.path, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._rundown_saved)
        self.editor = editor
        editor.show()

    def _rundown_saved(self, path: str) -> None:
        if self.desk is None or self.desk.engine.state.playback == Playback.STANDBY and self.desk.engine.state.show_started is None:
            self.load(Path(path), offer_resume=False)
            self._status(self.tr("Rundown saved and reloaded"))
        else:
            self._status(self.tr("Rundown saved; the running show keeps its script until the next open"))

    # ------------------------------------------------------------------ loading
    def ask_open(self) -> None:
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open show"), start,
                                              self.tr("Rundowns (*.toml *.csv *.xlsx);;All files (*)"))
        if path:
            self.load(Path(path))

    def load(self, path: str | Path, offer_resume: bool = True) -> None:
        """Read the show (and its logged events) off the GUI thread; offer to resume an
        unfinished run, else start fresh. A broken file keeps the desk usable and says
        where the problem is."""
        path = Path(path)
        self._status(self.tr("Opening {0}…").format(path.name))
        db_url = getattr(self.ctx, "db_url", None) if offer_resume else None
        clock = self.clock

        def done(result) -> None:
            if self._stopped:
                return
            desk, events, offer = result
            self.loads += 1
            self.load_error = None
            self.error_banner.hide()
            self.path = path
            if offer:
                self._offer_resume(desk, events, offer)
            else:
                self._start(desk, [], fresh=True)

        def failed(exc: BaseException) -> None:
            if self._stopped:
                return
            self.loads += 1
            msg = " ".join(str(exc).split()) or type(exc).__name__
            if not isinstance(exc, (OSError, ValueError)):
                msg = f"{type(exc).__name__}: {msg}"
            self.load_error = msg
            self.error_banner.setText(self.tr("Cannot open the show: {0} — File → Open show… (Ctrl+O) to pick another.").format(msg))
            self.error_banner.show()
            self._status(msg, error=True)
            self.ctx.log.log(Source.SHOW.value, "show.load_failed", msg, Severity.ERROR, {"path": str(path), "error": msg})
            self.load_failed.emit(msg)
            box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Cannot open the show"), msg, QMessageBox.StandardButton.Ok, self)
            box.setObjectName("LoadErrorBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.error_box = box
            box.open()

        run_in_background(lambda: load_show_job(path, db_url, clock), done, failed)

    def _offer_resume(self, desk: ShowDesk, events: list, offer: dict) -> None:
        self.resume_offer = offer
        self._pending = (desk, events)
        text = self.tr("Resume at segment {0} (elapsed {1})").format(offer["segment"], format_clock(offer["elapsed"]))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unfinished show"),
                          self.tr("The console stopped while “{0}” was live. Continue where it was?").format(desk.show.title),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("ResumeBox")
        self.resume_button = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
        self.fresh_button = box.addButton(self.tr("Start fresh"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.resume_button)
        box.setEscapeButton(self.fresh_button)  # closing the box is an answer too, never a desk without a show
        box.buttonClicked.connect(lambda b: self.accept_resume(b is self.resume_button))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resume_box = box
        self.resume_offered.emit(offer)
        box.open()

    def accept_resume(self, resume: bool) -> None:
        """The operator's answer to the resume offer."""
        if self._pending is None:
            return
        desk, events = self._pending
        self._pending = None
        if self.resume_box is not None:
            box, self.resume_box = self.resume_box, None
            try:
                box.buttonClicked.disconnect()
            except (RuntimeError, TypeError):
                pass
            if box.isVisible():
                box.close()
        if resume:
            resumed = ShowDesk.resume(desk.show, events, self.clock, self.ctx.log, findings=desk.findings)
            resumed.plan_warnings = desk.plan_warnings
            run = [e for e, (_k, p, _w) in zip(events, iter_parts(events)) if p.get("run") == resumed.run_id]
            self._start(resumed, run, fresh=False)
        else:
            self._start(desk, [], fresh=True)

    def _start(self, desk: ShowDesk, history: list, fresh: bool) -> None:
        desk.sink = self.ctx.log
        self.desk = desk
        self._history_events = [e for e in history if str(getattr(e, "kind", "")).startswith("cue.")]
        self.cue_model.set_desk(desk, segment_history(self._history_events))
        if fresh:
            # A new run: a later restart offers this run, not an older unfinished one.
            self.ctx.log.log(Source.SHOW.value, "show.open", f"show opened: {desk.show.title}", Severity.INFO,
                             {"run": desk.run_id, "at_wall": time.time(), "path": str(self.path), "title": desk.show.title,
                              "findings": len(desk.findings)}, desk.show.id)
        self.title_label.setText(f"{desk.show.title}  ·  {desk.show.platform.value}  ·  {'、'.join(desk.show.anchors)}")
        self._fill_cards(rebuild=True)
        self._fill_timeline(rebuild=True)
        self._last_cue_state = None
        self.refresh()
        self._timer.start()
        self._arm()
        if not fresh:
            ev = getattr(desk, "resume_event", None)
            self._status(event_message(ev) if ev is not None else self.tr("Resumed"))
        else:
            self._status(self.tr("Show loaded: {0}").format(desk.show.title))
        self.show_loaded.emit(desk)

    # ------------------------------------------------------------------ timer
    def tick(self) -> list:
        """Phase changes and coupon firings due now (the desk logs them); redraw."""
        if self.desk is None or self._stopped:
            return []
        events = self.desk.tick()
        self._ticks += 1
        for e in events:
            if e.kind.endswith((".drop", ".start", ".announce", ".missed", ".blocked")):
                self._status(event_message(e), error=e.kind.endswith((".missed", ".blocked")))
        soon = self._arm()
        if events or self._ticks % REFRESH_EVERY == 0 or self._redraw_due:
            # Another moment fires within a few ms (e.g. a coupon ends as a flash sale is
            # announced): fire it first, redraw right after; a repaint takes ~2-15 ms.
            self._redraw_due = soon is not None and soon < REDRAW_DEFER_MS
            if not self._redraw_due:
                self.refresh()
        return events

    def _arm(self) -> float | None:
        """Single-shot at the next coupon/flash moment or phase boundary (sooner than the
        regular tick); returns the milliseconds until it when armed."""
        if self.desk is None or self._stopped:
            return None
        desk = self.desk
        now = desk.clock.now()
        deadline = desk.next_deadline()
        if desk.engine.state.playback == Playback.RUNNING:  # the next phase boundary (warning, danger, 0:00)
            seg = desk.engine.segment
            left = desk.engine.view(now).remaining
            ahead = [left - b for b in (seg.warning, seg.danger, 0.0) if left - b > 0]
            if ahead:
                boundary = now.mono + min(ahead) + 0.0005
                deadline = boundary if deadline is None else min(deadline, boundary)
        if deadline is None:
            self._deadline.stop()
            return None
        ms = (deadline - now.mono) * 1000.0
        if ms < TICK_MS:
            self._deadline.start(max(0, int(ms + 0.999)))  # round up: never early
            return ms
        return None

    # ------------------------------------------------------------------ drawing
    def refresh(self) -> None:
        desk = self.desk
        if desk is None:
            return
        v = desk.view()
        t = v["timer"]
        phase = t["phase"]
        colour = PHASE_COLORS.get(phase, "#ffffff")
        remaining = t["remaining"]
        self.remaining_label.setText(format_clock(remaining) if t["playback"] in ("running", "hold") else format_clock(t["duration"]))
        style = f"font-size: 64px; font-weight: 800; font-family: monospace; color: {colour};"
        if t["playback"] == "hold":
            style += " background: #3a3320; border-radius: 6px;"
        if style != self._remaining_style:
            self.remaining_label.setStyleSheet(style)
            self._remaining_style = style
        seg = v["segment"]
        self.segment_label.setText(f"{t['index'] + 1}. {seg['title']}")
        self.next_label.setText(self.tr("Next: {0}").format(t["next"]) if t["next"] else "")
        self.notes_label.setText(self.tr("Desk notes: {0}").format(seg["notes"]) if seg.get("notes") else "")
        now = desk.clock.now()
        self.clock_label.setText(_hhmmss(now.wall))
        self.elapsed_label.setText(format_clock(t["show_elapsed"]))
        ou = t["over_under"]
        self.over_label.setText(format_clock(ou, sign=True) if abs(ou) >= 0.5 else "±00:00")
        self.over_label.setStyleSheet("font-size: 20px; font-weight: 600; font-family: monospace; color: %s;"
                                      % (COLORS["error"] if ou >= 0.5 else COLORS["ok"] if ou <= -0.5 else "#e6e8eb"))
        self.end_label.setText(_hhmmss(v["projected_end_wall"]))
        words = {"standby": self.tr("STANDBY — press GO (Space) to start"), "running": self.tr("RUNNING"),
                 "hold": self.tr("HOLD — segment timer paused (H resumes)"), "ended": self.tr("SHOW ENDED")}
        extra = []
        if v.get("start_delay") is not None and abs(v["start_delay"]) < 12 * 3600:  # a plan for another day says nothing
            extra.append(self.tr("start {0} vs plan").format(format_clock(v["start_delay"], sign=True)))
        if v.get("end_vs_plan") is not None and t["playback"] != "standby" and abs(v["end_vs_plan"]) < 12 * 3600:
            extra.append(self.tr("end {0} vs planned end").format(format_clock(v["end_vs_plan"], sign=True)))
        if t["added"]:
            extra.append(self.tr("{0} added").format(format_clock(t["added"], sign=True)))
        self.playback_label.setText("   ".join([words.get(t["playback"], t["playback"]), *extra]))
        self.hold_button.setText(self.tr("Resume") if t["playback"] == "hold" else self.tr("Hold"))
        self.go_button.setText(self.tr("GO") if t["playback"] != "standby" else self.tr("GO — start"))
        self._show_findings(v)
        m = v["message"]
        self.message_shown.setText(self.tr("On the cue screen: {0}{1}{2}").format(
            m["text"], self.tr(" [blink]") if m["blink"] else "", self.tr(" [blackout]") if m["blackout"] else "")
            if m["visible"] or m["blackout"] else "")
        full = self.cue_model._key is None
        self.cue_model.refresh()
        if full:
            self.cue_table.resizeColumnsToContents()
        self._fill_cards()
        self._fill_timeline()
        paused = desk.scheduler.paused_since is not None
        self.drop_buttons["pause"].setText(self.tr("Resume drops") if paused else self.tr("Pause all"))
        self._feed_cue()

    def _show_findings(self, v: dict) -> None:
        desk = self.desk
        if not desk.findings:
            self.findings_bar.hide()
            return
        terms = "、".join(sorted({f.term for f in desk.findings})[:6])
        if desk.override_reason:
            self.findings_label.setText(self.tr("{0} compliance findings ({1}) overridden: {2}").format(
                len(desk.findings), terms, desk.override_reason))
            self.findings_bar.setStyleSheet("#FindingsBar { background: #5c4a12; border-radius: 4px; }")
            self.override_button.hide()
        else:
            self.findings_label.setText(self.tr("{0} compliance findings open ({1}): GO is refused until the script is fixed "
                                                "or you override with a reason (Ctrl+Shift+O).").format(len(desk.findings), terms))
            self.findings_bar.setStyleSheet("#FindingsBar { background: #5c1f1f; border-radius: 4px; }")
            self.override_button.show()
        self.findings_bar.show()

    def _fill_cards(self, rebuild: bool = False) -> None:
        desk = self.desk
        t = self.cards_table
        cards = list(desk.cards.cards.values())
        resize = rebuild or t.rowCount() != len(cards)
        if resize:
            t.setRowCount(len(cards))
        seg_products = desk.engine.segment.products
        for r, c in enumerate(cards):
            p = c.product
            slot = seg_products.index(c.sku) + 1 if c.sku in seg_products else None
            name = (f"[{slot}] " if slot else "") + p.name
            cells = [name, c.state.label_zh, f"¥{_price(p.live_price)} / ¥{_price(p.list_price)}", str(c.stock),
                     str(p.safety_stock), self.tr("frozen") if c.frozen else ""]
            for col, text in enumerate(cells):
                item = t.item(r, col)
                if item is None:
                    item = QTableWidgetItem()
                    t.setItem(r, col, item)
                if item.text() != text:
                    item.setText(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, c.sku)
                    item.setToolTip(f"{c.sku} · " + " · ".join(p.selling_points))
                fg = None
                if c.state.value == "explaining":
                    fg = COLORS["ok"]
                elif c.state.value in ("sold_out", "off_shelf"):
                    fg = COLORS["idle"]
                if col == 3 and c.low:
                    fg = COLORS["error"] if c.stock <= 0 else COLORS["warning"]
                brush = QBrush(QColor(fg)) if fg else QBrush()
                if item.foreground() != brush:
                    item.setForeground(brush)
                bg = QBrush(QColor("#1f3a2a")) if c.state.value == "explaining" else QBrush()
                if item.background() != bg:
                    item.setBackground(bg)
            if c.low:
                t.item(r, 3).setToolTip(self.tr("At or below safety stock {0}").format(p.safety_stock))
        if resize:
            t.resizeColumnsToContents()

    def _fill_timeline(self, rebuild: bool = False) -> None:
        desk = self.desk
        t = self.timeline
        now = desk.clock.now().mono
        cds = desk.scheduler.countdowns(now)
        shown = {c.item for c in cds}
        items = [*cds]
        done = [it for it in desk.scheduler.items.values() if it.id not in shown]
        resize = rebuild or t.rowCount() != len(items) + len(done)
        if resize:
            t.setRowCount(len(items) + len(done))
        status_words = {"pending": self.tr("pending"), "announced": self.tr("announced"), "live": self.tr("live"),
                        "blocked": self.tr("waiting"), "paused": self.tr("paused"), "done": self.tr("done"),
                        "cancelled": self.tr("cancelled"), "missed": self.tr("missed")}
        rows = []
        for c in items:
            it = desk.scheduler.items[c.item]
            secs = "" if c.seconds is None else format_clock(max(0.0, c.seconds))
            status = c.status
            if status == "live" and it.kind == "coupon" and it.confirmed_at is None:
                status_text = self.tr("DROP NOW — confirm (C)")
            elif status == "live" and it.confirmed_at is not None:
                status_text = self.tr("live, confirmed")
            else:
                status_text = status_words.get(status, status)
            rows.append((it, secs, status, status_text, c.desk_text))
        for it in done:
            rows.append((it, "", it.status.value, status_words.get(it.status.value, it.status.value), it.at.describe()))
        sig = tuple((it.id, status) for it, _s, status, _t, _w in rows)
        if sig != getattr(self, "_timeline_sig", None):  # a status changed: re-measure the columns
            self._timeline_sig = sig
            resize = True
        for r, (it, secs, status, status_text, when) in enumerate(rows):
            kind = self.tr("Coupon") if it.kind == "coupon" else self.tr("Flash sale")
            cells = [secs, f"{kind} · {it.label}", status_text, when]
            fg = {"announced": COLORS["warning"], "live": COLORS["ok"], "blocked": COLORS["warning"],
                  "missed": COLORS["error"], "done": COLORS["idle"], "cancelled": COLORS["idle"],
                  "paused": COLORS["warning"]}.get(status)
            if status == "live" and it.kind == "coupon" and it.confirmed_at is None:
                fg = COLORS["error"]
            for col, text in enumerate(cells):
                item = t.item(r, col)
                if item is None:
                    item = QTableWidgetItem()
                    t.setItem(r, col, item)
                if item.text() != text:
                    item.setText(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, it.id)
                    f = item.font()
                    if not f.bold():
                        f.setBold(True)
                        f.setFamily("monospace")
                        item.setFont(f)
                brush = QBrush(QColor(fg)) if fg else QBrush()
                if item.foreground() != brush:
                    item.setForeground(brush)
        if resize:
            t.resizeColumnsToContents()

    def _tallies(self) -> Tallies:
        conn = self.ctx.extras.get("obs")
        st = getattr(conn, "last_state", None)
        if st is None or not getattr(st, "connected", False):
            return Tallies()
        h = st.health
        return Tallies(on_air=bool(st.streaming), on_air_ms=_timecode_ms(h.stream_timecode) if st.streaming else None,
                       rec=bool(st.recording), rec_ms=_timecode_ms(h.record_timecode) if st.recording else None)

    def _feed_cue(self) -> None:
        if self.cue is None or self.desk is None:
            return
        from studio_app.show.screen import cue_screen_state

        state = cue_screen_state(self.desk)
        emergency = self.ctx.extras.get("emergency")
        state = state.with_(drill=bool(getattr(emergency, "drill", False)), tallies=self._tallies())
        if state != self._last_cue_state:
            self._last_cue_state = state
            self.cue.set_state(state)

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Stop the timers (desk shutdown, tests). The show state stays in the log."""
        self._stopped = True
        self._timer.stop()
        self._deadline.stop()
        if self.ctx.extras.get("show_desk") is self:
            self.ctx.extras.pop("show_desk", None)
