"""The emergency panel (应急预案) of the desk: one big button per runbook, the open
incident's actions and checklist, suggestions from the alarms, and drill mode.

The logic is :class:`studio_app.show.emergency.EmergencyDesk`, owned by the studio; this
panel only shows its snapshots and forwards clicks. Action results arrive on the executor's
threads (OBS) and are handed to the GUI thread through a :class:`ThreadBridge`; the runbook
file is read on Qt's thread pool. The studio watches the device board (and OBS's streaming
flag) for alarms; a suggestion is only a bar with [Run] [Ignore] unless the runbook marks
an action ``automatic``.

The incidents, the alarms and the drill flag are the studio's (``ctx.studio``): one-key
actions, ticks and the drill button go through its dispatcher, suggestions come from its
snapshot. Other screens follow drill mode through :attr:`EmergencyPanel.drill_changed`.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio_app.show.emergency import (
    DRILL_LABEL,
    FAILED,
    OK,
    PENDING,
    RUNNING,
    SKIPPED,
    Incident,
    RunbookError,
    RunbookSet,
    default_runbooks_path,
)
from studio_app.studio.runbooks import load_checked as load_runbooks
from studio_app.ui.bridge import ThreadBridge, run_in_background
from studio_app.ui.theme import COLORS
from studio_app.ui.layout import scrolling_column

DRILL_YELLOW = "#ffd400"  # the same yellow as the cue screen's drill band
TICK_MS = 250  # held alarm triggers and the incident clock
RUNBOOK_COLUMNS = 3  # seven runbooks in three rows: all keys in view on a 1080-line desk
RUNBOOK_BUTTON_H = 50


def _fmt_wall(wall: float | None) -> str:
    return time.strftime("%H:%M:%S", time.localtime(wall)) if wall else ""


def _fmt_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


NO_BACKUP_CAMERA = "no backup camera set: Settings › Camera › Backup source"


class CameraDockSwitch:
    """The studio's camera (``camera.use_backup`` / ``camera.use_main``) through the camera
    dock, which owns the capture. Any thread (the dock's switch_source posts to the GUI
    thread); returns the dock's Future, resolved when the new source's first picture
    arrives. Device "backup" (or empty) is the configured ``camera.backup_source``; any
    other value is a source spec itself."""

    def __init__(self, camera: Any) -> None:
        self.camera = camera

    def use_backup(self, device: str):
        device = (device or "").strip()
        if device.lower() in ("", "backup"):
            spec = self.camera.backup_spec()
            if not spec:
                raise ValueError(NO_BACKUP_CAMERA)
        else:
            spec = device
        return self.camera.switch_source(spec, "emergency runbook")

    def use_main(self):
        return self.camera.switch_to_main("desk")


class EmergencyPanel(QWidget):
    """The desk's emergency dock. ``stop()`` detaches it from the board, the desk and OBS."""

    drill_changed = Signal(bool)
    incident_changed = Signal(object)  # Incident snapshot (GUI thread)
    suggestion_raised = Signal(object)  # studio_app.studio.state.SuggestionInfo

    def __init__(
        self,
        ctx: Any,
        *,
        runbooks_path: str | Path | None = None,
        lang: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("EmergencyPanel")
        self.ctx = ctx
        self.studio = ctx.studio
        self.lang = lang or ("zh_CN" if QLocale().name().startswith("zh") else "en")
        self.runbooks_path = Path(runbooks_path) if runbooks_path else default_runbooks_path()
        self.desk = self.studio.emergency
        self.suggestions: list = []  # the studio's suggestions waiting for a person (SuggestionInfo)
        self.current_id: str | None = None
        self.load_error: RunbookError | None = None
        self.loads = 0  # completed loads (tests wait on it)
        self._unsubscribers: list = []
        self._shortcuts: list[QShortcut] = []
        self._buttons: dict[str, QPushButton] = {}
        self._refreshing = False
        self._stopped = False
        self._shown_id: str | None = None

        self._bridge = ThreadBridge(self)
        self._bridge.received.connect(self._on_incident)
        self._unsubscribers.append(self.desk.subscribe(self._bridge.post))
        self._drill_bridge = ThreadBridge(self)
        self._drill_bridge.received.connect(self._show_drill)
        self._unsubscribers.append(self.desk.on_drill(self._drill_bridge.post))
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        if len(self.desk.runbooks):
            self._show_runbooks(self.desk.runbooks)
        else:
            self.reload()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        # Everything scrolls: the dock may be made narrow or short without squeezing the desk.
        root = scrolling_column(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(6)

        self.drill_banner = QLabel(self.tr("{0} — rehearsal: OBS actions go to preview or are skipped").format(DRILL_LABEL))
        self.drill_banner.setObjectName("DrillBanner")
        self.drill_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drill_banner.setStyleSheet(f"background:{DRILL_YELLOW}; color:#000; font-weight:bold; font-size:16px; padding:4px;")
        self.drill_banner.hide()
        root.addWidget(self.drill_banner)

        top = QHBoxLayout()
        self.drill_button = QPushButton(self.tr("Drill mode (演练)"))
        self.drill_button.setCheckable(True)
        self.drill_button.setToolTip(self.tr("Rehearse the runbooks: OBS program is never touched, everything is logged as DRILL"))
        self.drill_button.toggled.connect(self._drill_clicked)
        self.reload_button = QPushButton(self.tr("Reload runbooks"))
        self.reload_button.setToolTip(str(self.runbooks_path))
        self.reload_button.clicked.connect(self.reload)
        self.status = QLabel()
        self.status.setWordWrap(True)
        top.addWidget(self.drill_button)
        top.addWidget(self.reload_button)
        top.addWidget(self.status, 1)
        root.addLayout(top)

        # Suggestion bar: "麦克风断开 — 建议执行预案: 麦克风故障 [执行] [忽略]"
        self.suggestion_bar = QFrame()
        self.suggestion_bar.setObjectName("SuggestionBar")
        self.suggestion_bar.setStyleSheet(f"#SuggestionBar {{ border: 2px solid {COLORS['warning']}; border-radius: 4px; }}")
        bar = QHBoxLayout(self.suggestion_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        self.suggestion_text = QLabel()
        self.suggestion_text.setWordWrap(True)
        self.suggestion_text.setStyleSheet(f"color:{COLORS['warning']}; font-weight:bold;")
        self.suggestion_run = QPushButton(self.tr("Run"))
        self.suggestion_run.clicked.connect(self.accept_suggestion)
        self.suggestion_ignore = QPushButton(self.tr("Ignore"))
        self.suggestion_ignore.clicked.connect(self.ignore_suggestion)
        bar.addWidget(self.suggestion_text, 1)
        bar.addWidget(self.suggestion_run)
        bar.addWidget(self.suggestion_ignore)
        self.suggestion_bar.hide()
        root.addWidget(self.suggestion_bar)

        self.grid = QGridLayout()
        self.grid.setSpacing(6)
        root.addLayout(self.grid)

        # The open incident
        self.incident_box = QFrame()
        self.incident_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.incident_box)
        head = QHBoxLayout()
        self.incident_title = QLabel()
        self.incident_title.setStyleSheet("font-size:15px; font-weight:bold;")
        self.incident_clock = QLabel()
        self.incident_picker = QComboBox()
        self.incident_picker.currentIndexChanged.connect(self._pick)
        head.addWidget(self.incident_title, 1)
        head.addWidget(self.incident_clock)
        head.addWidget(self.incident_picker)
        box.addLayout(head)
        self.roles = QLabel()
        self.roles.setWordWrap(True)
        box.addWidget(self.roles)
        box.addWidget(QLabel(self.tr("Actions (double-click to run again):")))
        self.actions_list = QListWidget()
        self.actions_list.itemDoubleClicked.connect(self._retry)
        box.addWidget(self.actions_list, 1)
        box.addWidget(QLabel(self.tr("Checklist:")))
        self.checklist = QListWidget()
        self.checklist.itemChanged.connect(self._ticked)
        # Big, visible boxes on the dark theme (the default unchecked box is dark on dark).
        self.checklist.setStyleSheet(
            "QListWidget { font-size: 14px; } QListWidget::item { padding: 4px; }"
            "QListWidget::indicator { width: 18px; height: 18px; border-radius: 3px; }"
            f"QListWidget::indicator:unchecked {{ border: 2px solid {COLORS['idle']}; background: #3a3f4b; }}"
            f"QListWidget::indicator:checked {{ border: 2px solid {COLORS['ok']}; background: {COLORS['ok']}; }}")
        self.actions_list.setStyleSheet("QListWidget { font-size: 13px; } QListWidget::item { padding: 2px; }")
        box.addWidget(self.checklist, 2)
        close_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note for the log (what happened, what fixed it)"))
        self.close_button = QPushButton(self.tr("Close incident"))
        self.close_button.clicked.connect(self.close_current)
        close_row.addWidget(self.note, 1)
        close_row.addWidget(self.close_button)
        box.addLayout(close_row)
        self.incident_box.hide()
        root.addWidget(self.incident_box, 1)
        self.idle_label = QLabel(self.tr("No open incident. Press a runbook's key to open one."))
        self.idle_label.setStyleSheet(f"color:{COLORS['idle']};")
        root.addWidget(self.idle_label)
        root.addStretch(0)

    # ------------------------------------------------------------------ runbooks
    def reload(self) -> None:
        """Read the runbook file off the GUI thread; on an error keep the runbooks we have."""
        path = self.runbooks_path
        self.reload_button.setEnabled(False)

        def done(books: RunbookSet) -> None:
            if self._stopped:
                return
            self.reload_button.setEnabled(True)
            self.load_error = None
            self.studio.set_runbooks(books, quiet=self.loads == 0)
            self._show_runbooks(books)
            self.loads += 1

        def failed(exc: BaseException) -> None:
            if self._stopped:
                return
            self.reload_button.setEnabled(True)
            err = exc if isinstance(exc, RunbookError) else RunbookError(path.name, 0, "", str(exc))
            self.load_error = err
            self.desk.report_load_error(err)
            kept = len(self.desk.runbooks)
            self.status.setText(self.tr("Runbooks not loaded: {0}. Keeping the {1} runbooks loaded before.").format(str(err), kept))
            self.status.setStyleSheet(f"color:{COLORS['error']};")
            self.loads += 1

        run_in_background(lambda: load_runbooks(path), done, failed)

    def _show_runbooks(self, books: RunbookSet) -> None:
        for b in self._buttons.values():
            self.grid.removeWidget(b)
            b.deleteLater()
        self._buttons.clear()
        columns = RUNBOOK_COLUMNS
        for n, book in enumerate(books):
            key = book.key or (f"Ctrl+{n + 1}" if n < 9 else "")
            name = book.name.pick(self.lang)
            other = book.name.pick("en" if self.lang.startswith("zh") else "zh")
            # The key beside the name in the desk's language, the other language under it: a
            # narrow column still shows both (three columns fit the 1080-line desk's dock).
            text = f"{name}  [{key}]" if key else name
            if other != name:
                text += f"\n{other}"
            b = QPushButton(text)
            b.setObjectName(f"runbook-{book.id}")
            b.setMinimumHeight(RUNBOOK_BUTTON_H)
            b.setMinimumWidth(60)
            # Ignored: a narrow dock clips a long name rather than scrolling the keys away.
            b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            b.setStyleSheet(f"QPushButton {{ font-size:13px; font-weight:bold; border:2px solid {COLORS['error']}; "
                            "border-radius:6px; padding:4px; }")
            tip = book.summary.pick(self.lang)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, rid=book.id: self.open_runbook(rid))
            self.grid.addWidget(b, n // columns, n % columns)
            self._buttons[book.id] = b
        self._columns = columns
        self._place_buttons()
        self._install_shortcuts()
        self.status.setText(self.tr("{0} runbooks from {1}").format(len(books), books.file))
        self.status.setStyleSheet("")

    def _install_shortcuts(self) -> None:
        """One shortcut per runbook on the desk's window, so the keys work even when this
        dock is tabbed away or closed."""
        for sc in self._shortcuts:
            sc.setEnabled(False)
            sc.deleteLater()
        self._shortcuts.clear()
        host = self.window()
        for n, book in enumerate(self.desk.runbooks):
            key = book.key or (f"Ctrl+{n + 1}" if n < 9 else "")
            if not key:
                continue
            sc = QShortcut(QKeySequence(key), host)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda rid=book.id: self.open_runbook(rid))
            self._shortcuts.append(sc)
        self._shortcut_host = host

    def _place_buttons(self) -> None:
        """Three columns of runbook keys, two in a narrow dock (a portrait monitor)."""
        columns = RUNBOOK_COLUMNS if self.width() >= 640 else 2
        if columns == getattr(self, "_columns", None) and self.grid.count() == len(self._buttons):
            return
        self._columns = columns
        for n, b in enumerate(self._buttons.values()):
            self.grid.removeWidget(b)
            self.grid.addWidget(b, n // columns, n % columns)

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(ev)
        self._place_buttons()

    def wanted_height(self, columns: int | None = None) -> int:
        """Pixels that show the drill/reload row and every runbook key without scrolling."""
        columns = columns or getattr(self, "_columns", RUNBOOK_COLUMNS)
        rows = max(1, -(-max(len(self.desk.runbooks), 7) // columns))
        top = max(self.drill_button.sizeHint().height(), self.reload_button.sizeHint().height())
        return 12 + top + 6 + rows * (RUNBOOK_BUTTON_H + 6) + self.idle_label.sizeHint().height() + 12

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().showEvent(ev)
        if self._shortcuts and getattr(self, "_shortcut_host", None) is not self.window():
            self._install_shortcuts()  # docked (or floated) since the runbooks were loaded

    # ------------------------------------------------------------------ actions from people
    def open_runbook(self, runbook_id: str, *, by: str = "key", alarm: str = "") -> Incident | None:
        """The one key: open the runbook's incident and start all its steps (returns at once)."""
        result = self.studio.dispatch_from(by, "runbook.open", {"id": runbook_id})
        if not result.ok:
            self.status.setText(result.message)
            return None
        inc = self.desk.incident(result.data["incident"])
        self.current_id = inc.id
        self._on_incident(inc)
        return inc

    def _drill_clicked(self, on: bool) -> None:
        if on != self.desk.drill:
            result = self.studio.dispatch("drill.start" if on else "drill.stop")
            if not result.ok:
                self.status.setText(result.message)

    def set_drill(self, on: bool) -> None:
        self.drill_button.setChecked(on)  # → drill.start / drill.stop → drill_changed

    def close_current(self) -> None:
        if self.current_id is None:
            return
        self.studio.dispatch("runbook.close", incident=self.current_id, note=self.note.text())
        self.note.clear()
        opened = self.desk.open_incidents
        self.current_id = opened[-1].id if opened else None
        self._refresh()

    def accept_suggestion(self) -> None:
        incident = self.studio.accept_suggestion()
        if incident is not None:
            self.current_id = incident
            self._refresh()
        self._show_suggestion()

    def ignore_suggestion(self) -> None:
        self.studio.ignore_suggestion()
        self._show_suggestion()

    def _retry(self, item: QListWidgetItem) -> None:
        if self.current_id is None:
            return
        index = item.data(Qt.ItemDataRole.UserRole)
        inc = self.desk.incident(self.current_id)
        if inc.is_open and inc.actions[index].status in (FAILED, PENDING, SKIPPED):
            self.desk.run_action(inc.id, index)

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._refreshing or self.current_id is None:
            return
        index = item.data(Qt.ItemDataRole.UserRole)
        self.studio.dispatch("runbook.tick", item=index + 1, done=item.checkState() == Qt.CheckState.Checked,
                             incident=self.current_id)

    def tick_item(self, index: int, done: bool = True) -> None:
        """Tick a checklist item of the shown incident as a click would."""
        self.checklist.item(index).setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)

    def _pick(self, row: int) -> None:
        if self._refreshing or row < 0:
            return
        self.current_id = self.incident_picker.itemData(row)
        self._refresh()

    # ------------------------------------------------------------------ alarms
    def _show_suggestion(self) -> None:
        """The studio's first waiting suggestion, as a bar with [Run] [Ignore]."""
        before = {(s.alarm, s.runbook) for s in self.suggestions}
        self.suggestions = list(self.studio.state().suggestions)
        for s in self.suggestions:
            if (s.alarm, s.runbook) not in before:
                self.suggestion_raised.emit(s)
        if not self.suggestions:
            self.suggestion_bar.hide()
            return
        s = self.suggestions[0]
        text = s.message_zh if self.lang.startswith("zh") else s.message_en
        if s.automatic:
            text += "  " + self.tr("(automatic actions already run)")
        if len(self.suggestions) > 1:
            text += "  " + self.tr("(+{0} more)").format(len(self.suggestions) - 1)
        self.suggestion_text.setText(text)
        self.suggestion_bar.show()

    def _tick(self) -> None:
        self.studio.tick()  # alarms from the devices, even before a show is loaded
        self._show_suggestion()
        if self.current_id is not None:
            inc = self.desk.incident(self.current_id)
            if inc.is_open:
                self.incident_clock.setText(_fmt_elapsed(time.monotonic() - inc.opened_at))

    # ------------------------------------------------------------------ showing state
    def _show_drill(self, on: bool) -> None:
        self.drill_banner.setVisible(on)
        # The whole desk says so too: the window title is on every screenshot and taskbar.
        win = self.window()
        if win is not self:
            title = win.windowTitle().removeprefix(f"[{DRILL_LABEL}] ")
            win.setWindowTitle(f"[{DRILL_LABEL}] {title}" if on else title)
        if self.drill_button.isChecked() != on:
            self.drill_button.setChecked(on)
        self.drill_changed.emit(on)

    def _on_incident(self, inc: Incident) -> None:
        if self.current_id is None or (inc.is_open and inc.id != self.current_id and not self._is_open(self.current_id)):
            self.current_id = inc.id
        if inc.id == self.current_id:
            self._refresh()
        else:
            self._refresh_picker()
        self.incident_changed.emit(inc)

    def _is_open(self, incident_id: str) -> bool:
        try:
            return self.desk.incident(incident_id).is_open
        except KeyError:
            return False

    def _refresh_picker(self) -> None:
        self._refreshing = True
        try:
            self.incident_picker.clear()
            opened = self.desk.open_incidents
            for inc in opened:
                self.incident_picker.addItem(inc.runbook.name.pick(self.lang) + (" (DRILL)" if inc.drill else ""), inc.id)
            if self.current_id is not None:
                row = self.incident_picker.findData(self.current_id)
                if row >= 0:
                    self.incident_picker.setCurrentIndex(row)
            self.incident_picker.setVisible(len(opened) > 1)
        finally:
            self._refreshing = False

    def _refresh(self) -> None:
        self._refresh_picker()
        inc = self.desk.incident(self.current_id) if self.current_id is not None else None
        if inc is None or not inc.is_open:
            self.incident_box.hide()
            self.idle_label.show()
            return
        self.idle_label.hide()
        self.incident_box.show()
        drill = f"[{DRILL_LABEL}] " if inc.drill else ""
        self.incident_title.setText(f"{drill}{inc.runbook.name.both()}  ·  {self.tr('opened')} {_fmt_wall(inc.opened_wall)}")
        color = DRILL_YELLOW if inc.drill else COLORS["error"]
        self.incident_title.setStyleSheet(f"font-size:15px; font-weight:bold; color:{color};")
        self.incident_clock.setText(_fmt_elapsed(time.monotonic() - inc.opened_at))
        roles = [f"<b>{r.name.pick(self.lang)}</b>: {r.does.pick(self.lang)}" for r in inc.runbook.roles]
        self.roles.setText("<br>".join(roles))
        self.roles.setVisible(bool(roles))
        self._refreshing = True
        try:
            # Items are updated in place for the same incident: a tick arrives from the
            # checklist's own itemChanged signal, and deleting that item there is unsafe.
            same = self._shown_id == inc.id
            self._shown_id = inc.id
            symbols = {PENDING: "○", RUNNING: "…", OK: "✓", FAILED: "✗", SKIPPED: "–"}
            words = {PENDING: self.tr("waiting for a person"), RUNNING: self.tr("running"), OK: self.tr("done"),
                     FAILED: self.tr("FAILED"), SKIPPED: self.tr("skipped")}
            colors = {OK: COLORS["ok"], FAILED: COLORS["error"], SKIPPED: COLORS["idle"], RUNNING: COLORS["warning"],
                      PENDING: COLORS["warning"]}
            if not same or self.actions_list.count() != len(inc.actions):
                self.actions_list.clear()
                for run in inc.actions:
                    item = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, run.index)
                    self.actions_list.addItem(item)
            for run in inc.actions:
                what = run.action.describe(self.lang)
                if run.sent_as == "obs.preview":
                    what += " " + self.tr("(preview)")
                text = f"{symbols[run.status]} {what} — {words[run.status]}"
                if run.elapsed_ms is not None and run.status == OK:
                    text += f" ({run.elapsed_ms:.0f} ms)"
                if run.detail:
                    text += f": {run.detail}"
                item = self.actions_list.item(run.index)
                item.setText(text)
                item.setForeground(self._qcolor(colors[run.status]))
            if not same or self.checklist.count() != len(inc.runbook.checklist):
                self.checklist.clear()
                for i in range(len(inc.runbook.checklist)):
                    item = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, i)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)  # without it no box is drawn
                    self.checklist.addItem(item)
            checked = inc.checked()
            for i, entry in enumerate(inc.runbook.checklist):
                when = inc.tick_time(i)
                item = self.checklist.item(i)
                item.setText(entry.pick(self.lang) + (f"   ✓ {_fmt_wall(when)}" if when else ""))
                state = Qt.CheckState.Checked if checked[i] else Qt.CheckState.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
        finally:
            self._refreshing = False

    @staticmethod
    def _qcolor(name: str):
        from PySide6.QtGui import QColor

        return QColor(name)

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Stop the timer and detach from the board, OBS and the desk (idempotent)."""
        self._stopped = True
        self._timer.stop()
        for sc in self._shortcuts:
            sc.setEnabled(False)
            sc.deleteLater()
        self._shortcuts.clear()
        for unsubscribe in self._unsubscribers:
            try:
                unsubscribe()
            except (RuntimeError, TypeError):  # already gone
                pass
        self._unsubscribers.clear()
