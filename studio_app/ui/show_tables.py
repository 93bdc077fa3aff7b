"""The show desk's tables, drawn from the studio's snapshot: the cue list (a model over
the rundown's plan and the snapshot's live segment), the product cards and the coupon
and flash-sale timeline. They compute nothing about the show: the studio did."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from studio_app.core.cue_state import PHASE_COLORS
from studio_app.show.cards import CardState
from studio_app.show.model import format_clock
from studio_app.studio.state import StudioState
from studio_app.ui.theme import COLORS

LIVE = ("running", "hold")


def hhmmss(wall: float | None) -> str:
    if wall is None:
        return "—"
    return dt.datetime.fromtimestamp(wall).astimezone().strftime("%H:%M:%S")


def price(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0")


class CueListModel(QAbstractTableModel):
    """Rows = segments. Planned start/duration (the rundown), actual start/duration (this
    run's cue events), over/under, compliance findings; the live row from the snapshot."""

    COLUMNS = ("#", "Segment", "Kind", "Planned start", "Planned", "Actual start", "Actual", "Over/under", "Compliance")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show: Any = None  # studio_app.show.model.Show
        self.history: dict[str, dict[str, float]] = {}
        self.state = StudioState()
        self._findings: dict[str, list] = {}
        self._key: tuple | None = None
        self._titles = [self.tr("#"), self.tr("Segment"), self.tr("Kind"), self.tr("Planned start"), self.tr("Planned"),
                        self.tr("Actual start"), self.tr("Actual"), self.tr("Over/under"), self.tr("Findings")]

    def set_show(self, show: Any, findings: list, history: dict | None = None) -> None:
        self.beginResetModel()
        self.show = show
        self.history = dict(history or {})
        self._findings = {}
        self._key = None
        for f in findings:
            if f.segment:
                self._findings.setdefault(f.segment, []).append(f)
        self.endResetModel()

    def set_history(self, history: dict) -> None:
        self.history = dict(history)
        self._key = None  # repaint every row

    def update(self, state: StudioState) -> bool:
        """Repaint from ``state``: every row when the segment, playback or history changed,
        else only the live row (cheap at 5 Hz). True when every row was repainted."""
        self.state = state
        if self.show is None or not self.rowCount() or state.segment is None:
            return False
        row = state.segment.index - 1
        key = (row, state.playback, state.started_wall, len(self.history))
        if key != self._key:
            self._key = key
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            return True
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return False

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.show is None else len(self.show.segments)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        show, st = self.show, self.state
        if show is None or not index.isValid() or st.segment is None:
            return None
        row, col = index.row(), index.column()
        seg = show.segments[row]
        current, playback, live_seg = st.segment.index - 1, st.playback, st.segment
        live = row == current and playback in LIVE
        hist = self.history.get(seg.id, {})
        findings = self._findings.get(seg.id, [])
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col, seg, live, live_seg, hist, findings)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 8 and findings:
                return QBrush(QColor(COLORS["error"]))
            if live and col in (1, 6, 7):
                phase = live_seg.phase
                return QBrush(QColor(PHASE_COLORS.get(phase, "#ffffff") if phase != "default" else "#ffffff"))
            if col == 7 and hist.get("duration") is not None:
                return QBrush(QColor(COLORS["error"] if hist["duration"] - seg.duration > 0 else COLORS["ok"]))
            if row < current and not live or (playback == "ended" and "duration" in hist):
                return QBrush(QColor(COLORS["idle"]))
        elif role == Qt.ItemDataRole.BackgroundRole and row == current and playback != "ended":
            if live_seg.phase in ("warning", "danger", "overtime"):
                c = QColor(PHASE_COLORS[live_seg.phase])
                c.setAlpha(70)
                return QBrush(c)
            return QBrush(QColor("#2f4f86" if live else "#26324a"))
        elif role == Qt.ItemDataRole.FontRole and row == current and playback != "ended":
            f = QFont()
            f.setBold(True)
            return f
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == 8 and findings:
                return "\n".join(f"{f.term} [{f.category}] {f.field} line {f.line}: {f.note}" for f in findings)
            if col == 1 and seg.notes:
                return seg.notes
            if col == 3:
                return self.tr("+{0} from the show start").format(format_clock(show.planned_offset(row)))
            if col == 5 and hist.get("start") is not None:
                return self.tr("+{0} from the show start").format(format_clock(hist["start"]))
        return None

    def _text(self, row: int, col: int, seg: Any, live: bool, live_seg: Any, hist: dict, findings: list) -> str:
        show, st = self.show, self.state
        if col == 0:
            return ("▶ " if row == live_seg.index - 1 and st.playback != "ended" else "") + str(row + 1)
        if col == 1:
            return seg.title
        if col == 2:
            return seg.kind.label_zh
        if col == 3:
            offset = show.planned_offset(row)
            if show.planned_start is not None:
                return hhmmss(show.planned_start.timestamp() + offset)[:5]
            return f"+{format_clock(offset)}"
        if col == 4:
            return format_clock(seg.duration)
        if col == 5:
            start = hist.get("start")
            if start is None:
                return ""
            return hhmmss(st.started_wall + start) if st.started_wall is not None else f"+{format_clock(start)}"
        d = hist.get("duration")
        if col == 6:
            if live:
                return format_clock(live_seg.elapsed_s)
            return "" if d is None else format_clock(d)
        if col == 7:
            if live:
                return format_clock(-live_seg.remaining_s, sign=True) if live_seg.remaining_s < 0 else ""
            return "" if d is None else format_clock(d - seg.duration, sign=True)
        if col == 8:
            return f"⚠ {len(findings)}" if findings else ""
        return ""


def _cell(t: QTableWidget, r: int, col: int, text: str, fg: str | None, bg: str | None = None) -> QTableWidgetItem:
    """Set one cell only where it changed (a repaint at 5 Hz must stay cheap)."""
    item = t.item(r, col)
    if item is None:
        item = QTableWidgetItem()
        t.setItem(r, col, item)
    if item.text() != text:
        item.setText(text)
    brush = QBrush(QColor(fg)) if fg else QBrush()
    if item.foreground() != brush:
        item.setForeground(brush)
    back = QBrush(QColor(bg)) if bg else QBrush()
    if item.background() != back:
        item.setBackground(back)
    return item


def fill_cards(t: QTableWidget, state: StudioState, words: dict[str, str], rebuild: bool = False) -> None:
    """The product cards: name (with its key number in this segment), state, prices,
    stock against safety stock, frozen."""
    cards = state.cards
    resize = rebuild or t.rowCount() != len(cards)
    if resize:
        t.setRowCount(len(cards))
    for r, c in enumerate(cards):
        name = (f"[{c.slot}] " if c.slot else "") + c.name
        cells = [name, CardState(c.state).label_zh, f"¥{price(c.live_price)} / ¥{price(c.list_price)}", str(c.stock),
                 str(c.safety_stock), words["frozen"] if c.frozen else ""]
        fg = COLORS["ok"] if c.state == "explaining" else COLORS["idle"] if c.state in ("sold_out", "off_shelf") else None
        bg = "#1f3a2a" if c.state == "explaining" else None
        for col, text in enumerate(cells):
            colour = (COLORS["error"] if c.stock <= 0 else COLORS["warning"]) if col == 3 and c.low else fg
            item = _cell(t, r, col, text, colour, bg)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, c.sku)
        if c.low:
            t.item(r, 3).setToolTip(words["safety"].format(c.safety_stock))
    if resize:
        t.resizeColumnsToContents()


STATUS_COLORS = {"announced": "warning", "live": "ok", "blocked": "warning", "missed": "error", "done": "idle",
                 "cancelled": "idle", "paused": "warning"}


def fill_timeline(t: QTableWidget, state: StudioState, words: dict[str, str], rebuild: bool = False) -> bool:
    """Coupon drops and flash sales with their countdowns, soonest first, then the past
    ones. True when a status changed (the columns were re-measured)."""
    rows = state.coupons
    resize = rebuild or t.rowCount() != len(rows)
    if resize:
        t.setRowCount(len(rows))
    sig = tuple((c.id, c.status) for c in rows)
    changed = sig != t.property("statuses")
    if changed:
        t.setProperty("statuses", sig)
    for r, c in enumerate(rows):
        waiting = c.status == "live" and c.kind == "coupon" and not c.confirmed
        if waiting:
            status_text = words["drop_now"]
        elif c.status == "live" and c.confirmed:
            status_text = words["live_confirmed"]
        else:
            status_text = words.get(c.status, c.status)
        kind = words["coupon"] if c.kind == "coupon" else words["flash"]
        secs = "" if c.seconds is None else format_clock(c.seconds)
        fg = COLORS["error"] if waiting else COLORS.get(STATUS_COLORS.get(c.status, ""), None)
        for col, text in enumerate((secs, f"{kind} · {c.label}", status_text, c.when)):
            item = _cell(t, r, col, text, fg)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                f = item.font()
                if not f.bold():
                    f.setBold(True)
                    f.setFamily("monospace")
                    item.setFont(f)
    if resize or changed:
        t.resizeColumnsToContents()
    return changed
