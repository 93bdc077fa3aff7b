"""The show desk (场控台): the main window's central area, a view of the studio's show.

It draws the studio's snapshot (:meth:`studio_app.studio.Studio.state`): segment clock,
cue list, product cards, coupon and flash-sale countdowns, the anchor's message. Every
button and key is an action of the studio's dispatcher (the key table is
:data:`studio_app.studio.keys.DESK_KEYS`); the view only adds what is selected on screen
(a card, a coupon, a segment) and asks before ending the show.

Threads: the GUI thread ticks the studio (a 50 ms timer, and a single shot armed at the
studio's next deadline); the show file and its history are read on Qt's thread pool.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from studio_app.core.cue_state import PHASE_COLORS
from studio_app.core.events import Severity, Source
from studio_app.show.desk import ShowDesk
from studio_app.show.model import format_clock
from studio_app.studio.actions import ActionResult
from studio_app.studio.state import StudioState
from studio_app.ui.show_loading import ShowDeskLoading
from studio_app.ui.show_tables import fill_cards, fill_timeline, hhmmss
from studio_app.ui.theme import COLORS

TICK_MS = 50  # regular tick: phase changes, countdowns (coupon moments get their own precise timer)
REFRESH_EVERY = 4  # redraw every 4th tick (200 ms) unless something happened
REDRAW_DEFER_MS = 20.0  # a firing this close after a tick goes before the repaint


class ShowDeskPanel(ShowDeskLoading):
    """The live show desk over ``studio``. ``dispatch(action, **args)`` sends an action
    and shows its result; ``desk`` is the studio's show (None until one loads)."""

    show_loaded = Signal(object)  # ShowDesk
    load_failed = Signal(str)  # one located line
    resume_offered = Signal(object)  # {segment, elapsed, ...}
    acted = Signal(object)  # ActionResult

    def __init__(self, studio: Any, db_url: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShowDesk")
        self.studio = studio
        self.db_url = db_url
        self.path: Path | None = None
        self.load_error: str | None = None
        self.resume_offer: dict | None = None
        self.resume_box: QMessageBox | None = None
        self.loads = 0  # finished load attempts (tests wait on it)
        self.last_result: ActionResult | None = None
        self._pending: tuple[ShowDesk, list] | None = None
        self._redraw_due = False
        self._ticks = 0
        self._stopped = False
        self._history_seen = -1
        self.actions: dict[str, QAction] = {}
        self.menu = QMenu(self.tr("&Show"), self)
        self._build()
        self._make_actions()
        for w in self.findChildren(QPushButton) + self.findChildren(QCheckBox):
            # Keys belong to the desk: Space is GO, never "press the focused button".
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the keyboard comes back here
        self.message_edit.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        # Coupon/flash moments and phase boundaries: a single shot armed at the studio's deadline.
        self._deadline = QTimer(self)
        self._deadline.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self.tick)

    @property
    def desk(self) -> ShowDesk | None:
        return self.studio.show

    @property
    def obs_sent(self) -> list[tuple[str, str, str]]:
        return self.studio.obs_sent

    def ask_end(self) -> None:
        """Ending the show needs a yes (show.end needs confirm=true)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("End the show"), self.tr("End the show now?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("EndShowBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.dispatch("show.end", confirm=True))
        self.end_box = box
        box.open()

    # ------------------------------------------------------------------ the one path
    def dispatch(self, action: str, **args: Any) -> ActionResult:
        """Send an action to the studio (as "desk"); show the outcome; redraw."""
        return self._shown(self.studio.dispatch_from("desk", action, args))

    def _shown(self, result: ActionResult) -> ActionResult:
        self.last_result = result
        if result.ok:
            if result.message:
                self._status(result.message)
            if "not_connected" in result.data.get("outputs", ()):
                self._status(result.message, error=True)
        else:
            self._status(self.tr("Refused: {0}").format(result.message), error=True)
        self.acted.emit(result)
        self.refresh()
        self._arm()
        return result

    def _refuse_local(self, action: str, why: str) -> ActionResult:
        """Nothing selected: said on the desk and logged like the studio's own refusals."""
        result = ActionResult(False, why, {}, "refused")
        self.studio.log.log(Source.DESK.value, "desk.action", f"{action}: {why}", Severity.WARNING,
                            {"action": action, "args": {}, "by": "desk", "ok": False, "code": "refused"},
                            self.desk.show.id if self.desk is not None else None)
        self.last_result = result
        self._status(self.tr("Refused: {0}").format(why), error=True)
        return result

    def _status(self, text: str, error: bool = False) -> None:
        self.toast.setText(text)
        self.toast.setStyleSheet(f"color: {COLORS['error'] if error else '#c8ccd2'};")
        win = self.window()
        if isinstance(win, QMainWindow):
            win.statusBar().showMessage(text, 6000)

    # selections --------------------------------------------------------------------------------
    def selected_sku(self) -> str | None:
        rows = self.cards_table.selectionModel().selectedRows() if self.cards_table.selectionModel() else []
        if rows:
            item = self.cards_table.item(rows[0].row(), 0)
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        card = self.studio.state().card
        return card.sku if card is not None else None

    def selected_item(self) -> str | None:
        """The selected coupon drop or flash sale; None lets the studio take the next one."""
        rows = self.timeline.selectionModel().selectedRows() if self.timeline.selectionModel() else []
        if rows:
            item = self.timeline.item(rows[0].row(), 0)
            return item.data(Qt.ItemDataRole.UserRole) if item else None
        return None

    # message: Enter sends, Esc hides, and either gives the keyboard back to the show -------------
    def _focus_message(self) -> None:
        self.message_edit.setFocus()
        self.message_edit.selectAll()

    def take_keyboard(self) -> None:
        """Give the keyboard back to the show (Space is GO again)."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def send_message(self) -> ActionResult:
        text = self.message_edit.text().strip()
        if not text and not self.blackout_box.isChecked():
            return self.hide_message()
        result = self.dispatch("message.send", text=text, blink=self.blink_box.isChecked(),
                               blackout=self.blackout_box.isChecked())
        self.take_keyboard()
        return result

    def hide_message(self) -> ActionResult:
        result = self.dispatch("message.hide")
        self.take_keyboard()
        return result

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 - Qt API
        if obj is self.message_edit and ev.type() == ev.Type.KeyPress and ev.key() == Qt.Key.Key_Escape:
            self.hide_message()  # Esc in the message box: hide, and the show has the keys again
            return True
        return super().eventFilter(obj, ev)

    # compliance and the rundown ------------------------------------------------------------------
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
        return self.dispatch("show.override", reason=reason)

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
        state = self.studio.state()
        if not state.loaded or state.playback == "standby" and state.started_wall is None:
            self.load(Path(path), offer_resume=False)
            self._status(self.tr("Rundown saved and reloaded"))
        else:
            self._status(self.tr("Rundown saved; the running show keeps its script until the next open"))

    def _start(self, desk: ShowDesk, history: list, fresh: bool) -> None:
        self.studio.set_show(desk, history, fresh=fresh, path=self.path)
        self.cue_model.set_show(desk.show, desk.findings, self.studio.segment_history())
        self.title_label.setText(f"{desk.show.title}  ·  {desk.show.platform.value}  ·  {'、'.join(desk.show.anchors)}")
        state = self.studio.state()
        fill_cards(self.cards_table, state, self._words(), rebuild=True)
        fill_timeline(self.timeline, state, self._words(), rebuild=True)
        self.refresh()
        self._timer.start()
        self._arm()
        if not fresh:
            ev = getattr(desk, "resume_event", None)
            self._status(ev.message if ev is not None else self.tr("Resumed"))
        else:
            self._status(self.tr("Show loaded: {0}").format(desk.show.title))
        self.show_loaded.emit(desk)

    # ------------------------------------------------------------------ timer
    def tick(self) -> list:
        """The studio's moments due now (it logs them); redraw."""
        if self.desk is None or self._stopped:
            return []
        events = self.studio.tick()
        self._ticks += 1
        for e in events:
            if e.kind.endswith((".drop", ".start", ".announce", ".missed", ".blocked")):
                self._status(e.message, error=e.kind.endswith((".missed", ".blocked")))
        soon = self._arm()
        if events or self._ticks % REFRESH_EVERY == 0 or self._redraw_due:
            # Another moment fires within a few ms (e.g. a coupon ends as a flash sale is
            # announced): fire it first, redraw right after; a repaint takes ~2-15 ms.
            self._redraw_due = soon is not None and soon < REDRAW_DEFER_MS
            if not self._redraw_due:
                self.refresh()
        return events

    def _arm(self) -> float | None:
        """A single shot at the studio's next deadline when it comes before the next tick;
        returns the milliseconds until it when armed."""
        if self.desk is None or self._stopped:
            return None
        secs = self.studio.seconds_to_deadline()
        if secs is None:
            self._deadline.stop()
            return None
        ms = secs * 1000.0
        if ms < TICK_MS:
            self._deadline.start(max(0, int(ms + 0.999)))  # round up: never early
            return ms
        return None

    # ------------------------------------------------------------------ drawing (from the snapshot)
    def _words(self) -> dict[str, str]:
        return {"frozen": self.tr("frozen"), "safety": self.tr("At or below safety stock {0}"), "pending": self.tr("pending"),
                "announced": self.tr("announced"), "live": self.tr("live"), "blocked": self.tr("waiting"), "paused": self.tr("paused"),
                "done": self.tr("done"), "cancelled": self.tr("cancelled"), "missed": self.tr("missed"),
                "drop_now": self.tr("DROP NOW — confirm (C)"), "live_confirmed": self.tr("live, confirmed"),
                "coupon": self.tr("Coupon"), "flash": self.tr("Flash sale")}

    def refresh(self) -> None:
        if self.desk is None:
            return
        st: StudioState = self.studio.state()
        seg = st.segment
        live = st.playback in ("running", "hold")
        self.remaining_label.setText(format_clock(seg.remaining_s if live else seg.duration_s))
        style = (f"font-size: 64px; font-weight: 800; font-family: monospace; "
                 f"color: {PHASE_COLORS.get(seg.phase, '#ffffff')};")
        if st.playback == "hold":
            style += " background: #3a3320; border-radius: 6px;"
        if style != self._remaining_style:
            self.remaining_label.setStyleSheet(style)
            self._remaining_style = style
        self.segment_label.setText(f"{seg.index}. {seg.title}")
        self.next_label.setText(self.tr("Next: {0}").format(st.next_segment.title) if st.next_segment else "")
        notes = self.desk.show.segments[seg.index - 1].notes
        self.notes_label.setText(self.tr("Desk notes: {0}").format(notes) if notes else "")
        self.clock_label.setText(hhmmss(self.desk.clock.now().wall))
        self.elapsed_label.setText(format_clock(st.show_elapsed_s))
        ou = st.over_under_s
        self.over_label.setText(format_clock(ou, sign=True) if abs(ou) >= 0.5 else "±00:00")
        self.over_label.setStyleSheet("font-size: 20px; font-weight: 600; font-family: monospace; color: %s;"
                                      % (COLORS["error"] if ou >= 0.5 else COLORS["ok"] if ou <= -0.5 else "#e6e8eb"))
        self.end_label.setText(hhmmss(st.projected_end_wall))
        words = {"standby": self.tr("STANDBY — press GO (Space) to start"), "running": self.tr("RUNNING"),
                 "hold": self.tr("HOLD — segment timer paused (H resumes)"), "ended": self.tr("SHOW ENDED")}
        extra = []
        if st.start_delay_s is not None and abs(st.start_delay_s) < 12 * 3600:  # a plan for another day says nothing
            extra.append(self.tr("start {0} vs plan").format(format_clock(st.start_delay_s, sign=True)))
        if st.end_vs_plan_s is not None and st.playback != "standby" and abs(st.end_vs_plan_s) < 12 * 3600:
            extra.append(self.tr("end {0} vs planned end").format(format_clock(st.end_vs_plan_s, sign=True)))
        if st.added_s:
            extra.append(self.tr("{0} added").format(format_clock(st.added_s, sign=True)))
        self.playback_label.setText("   ".join([words.get(st.playback, st.playback), *extra]))
        self.hold_button.setText(self.tr("Resume") if st.playback == "hold" else self.tr("Hold"))
        self.go_button.setText(self.tr("GO") if st.playback != "standby" else self.tr("GO — start"))
        self._show_findings(st)
        m = st.message
        self.message_shown.setText(self.tr("On the cue screen: {0}{1}{2}").format(
            m.text, self.tr(" [blink]") if m.blink else "", self.tr(" [blackout]") if m.blackout else "")
            if m.visible or m.blackout else "")
        if self.studio.history_version != self._history_seen:  # a cue moved: actual times changed
            self._history_seen = self.studio.history_version
            self.cue_model.set_history(self.studio.segment_history())
        if self.cue_model.update(st):
            self.cue_table.resizeColumnsToContents()
        fill_cards(self.cards_table, st, self._words())
        fill_timeline(self.timeline, st, self._words())
        self.drop_buttons["pause"].setText(self.tr("Resume drops") if st.coupons_paused else self.tr("Pause all"))

    def _show_findings(self, st: StudioState) -> None:
        desk = self.desk
        if not desk.findings:
            self.findings_bar.hide()
            return
        terms = "、".join(sorted({f.term for f in desk.findings})[:6])
        if st.override:
            self.findings_label.setText(self.tr("{0} compliance findings ({1}) overridden: {2}").format(
                st.findings, terms, st.override))
            self.findings_bar.setStyleSheet("#FindingsBar { background: #5c4a12; border-radius: 4px; }")
            self.override_button.hide()
        else:
            self.findings_label.setText(self.tr("{0} compliance findings open ({1}): GO is refused until the script is fixed "
                                                "or you override with a reason (Ctrl+Shift+O).").format(st.findings, terms))
            self.findings_bar.setStyleSheet("#FindingsBar { background: #5c1f1f; border-radius: 4px; }")
            self.override_button.show()
        self.findings_bar.show()

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Stop the timers (desk shutdown, tests). The show state stays in the log."""
        self._stopped = True
        self._timer.stop()
        self._deadline.stop()
