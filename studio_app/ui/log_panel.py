"""The live tail of the event log, with filters by source, severity and text.

New events come from the log's in-memory tail (no disk access on the GUI thread); older
events of earlier runs are read from the database on a pool thread when the panel opens.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio_app.core.events import Event, Severity, Source
from studio_app.ui.bridge import run_in_background
from studio_app.ui.event_text import event_text
from studio_app.ui.theme import COLORS

MAX_ROWS = 50_000
GAP_KIND = "log.panel_gap"  # the panel's own row for events it could not list; never logged


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("time", "severity", "source", "kind", "message")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        # Messages are rendered in the desk's language from kind and payload as events arrive
        # (~10 µs each; the history on the pool thread) and kept: the text filter and
        # repaints ask again and again.
        self.text = event_text()
        self._messages: dict[int, str] = {}

    def message(self, ev: Event) -> str:
        key = id(ev)
        msg = self._messages.get(key)
        if msg is None:
            msg = self._messages[key] = self.text.message(ev)
        return msg

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Severity"), self.tr("Source"), self.tr("Event"), self.tr("Message")]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return len(self.COLUMNS)

    def event_at(self, row: int) -> Event:
        return self._events[row]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        ev = self._events[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return datetime.fromtimestamp(ev.wall_time).strftime("%H:%M:%S.%f")[:-3]
            if col == 1:
                return self.text.value(ev.severity_name)
            if col == 2:
                return self.text.value(ev.source)
            if col == 3:
                return self.tr("Not listed") if ev.kind == GAP_KIND else self.text.label(ev.source, ev.kind)
            return self.message(ev)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return datetime.fromtimestamp(ev.wall_time).isoformat(sep=" ", timespec="milliseconds")
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return f"{ev.source}:{ev.kind}"  # the event's name in the log, the CLI and exports
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and (ev.payload or ev.message != self.message(ev)):
            # what the engine wrote, for a reader who needs the original words
            return f"{ev.message}\n{ev.payload}" if ev.payload else ev.message
        if role == Qt.ItemDataRole.ForegroundRole:
            if ev.severity >= Severity.ERROR:
                return QColor(COLORS["error"])
            if ev.severity >= Severity.WARNING:
                return QColor(COLORS["warning"])
            if ev.severity <= Severity.DEBUG:
                return QColor(COLORS["idle"])
        return None

    def gap_row(self, missed: int, before: Event) -> Event:
        """A row that stands for ``missed`` events the panel could not list (never logged)."""
        row = Event(Source.SYSTEM.value, GAP_KIND, "", int(Severity.WARNING), {"missed": missed},
                    None, before.wall_time, before.mono_time, 0)
        self._messages[id(row)] = self.tr(
            "{0} events came too fast to list here; they are in the event log "
            "(studio-console log, the review)").format(missed)
        return row

    def rendered(self, events: list[Event]) -> list[tuple[Event, str]]:
        """Each event with its message in the desk's language (any thread)."""
        return [(ev, self.text.message(ev)) for ev in events]

    def append(self, events: list[Event]) -> None:
        if not events:
            return
        for ev, msg in self.rendered([ev for ev in events if id(ev) not in self._messages]):
            self._messages[id(ev)] = msg
        overflow = len(self._events) + len(events) - MAX_ROWS
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for ev in self._events[:overflow]:
                self._messages.pop(id(ev), None)
            del self._events[:overflow]
            self.endRemoveRows()
        first = len(self._events)
        self.beginInsertRows(QModelIndex(), first, first + len(events) - 1)
        self._events.extend(events)
        self.endInsertRows()

    def prepend(self, rendered: list[tuple[Event, str]]) -> None:
        """Older events (from :meth:`rendered`, done off the GUI thread) before the others."""
        if not rendered:
            return
        events = [ev for ev, _msg in rendered]
        self._messages.update((id(ev), msg) for ev, msg in rendered)
        self.beginInsertRows(QModelIndex(), 0, len(events) - 1)
        self._events[:0] = events
        self.endInsertRows()


class EventFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source_name: str | None = None
        self.min_severity = Severity.DEBUG
        self.text = ""

    def set_filters(self, source: str | None, min_severity: int, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self.source_name, self.min_severity, self.text = source, min_severity, text.strip().lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.source_name, self.min_severity, self.text = source, min_severity, text.strip().lower()
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        ev = model.event_at(row)
        if self.source_name and ev.source != self.source_name:
            return False
        if ev.severity < self.min_severity:
            return False
        shown = f"{ev.kind} {model.text.label(ev.source, ev.kind)} {model.message(ev)} {ev.message}"
        if self.text and self.text not in shown.lower():
            return False
        return True


class LogPanel(QWidget):
    """Dockable live tail. ``log`` needs ``recent(after_seq)``; ``history`` loads older events."""

    POLL_MS = 200

    def __init__(self, log, history=None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("LogPanel")
        self._log = log
        self._last_seq = 0
        self.model = EventTableModel(self)
        self.proxy = EventFilter(self)
        self.proxy.setSourceModel(self.model)

        self.source_box = QComboBox()
        self.source_box.addItem(self.tr("All sources"), None)
        for s in Source:
            self.source_box.addItem(self.model.text.value(s.value), s.value)
        self.severity_box = QComboBox()
        for sev in Severity:
            self.severity_box.addItem(self.tr("{0} and worse").format(self.model.text.value(sev.name.lower())), int(sev))
        self.severity_box.setCurrentIndex(1)  # info and worse
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter text"))
        self.search.setClearButtonEnabled(True)
        self.follow = QCheckBox(self.tr("Follow"))
        self.follow.setChecked(True)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Source:")))
        bar.addWidget(self.source_box)
        bar.addWidget(QLabel(self.tr("Severity:")))
        bar.addWidget(self.severity_box)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.follow)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((96, 72, 70, 190)):
            self.table.setColumnWidth(col, width)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self.source_box.currentIndexChanged.connect(self._apply_filters)
        self.severity_box.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self._apply_filters()

        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        if history is not None:
            model = self.model
            run_in_background(lambda: model.rendered(list(history() or [])), self._history_loaded)

    def _apply_filters(self) -> None:
        self.proxy.set_filters(self.source_box.currentData(), self.severity_box.currentData(), self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{0} shown").format(self.proxy.rowCount()))

    def poll(self) -> None:
        new = self._log.recent(self._last_seq)
        if not new:
            return
        missed = new[0].seq - self._last_seq - 1 if self._last_seq else 0  # before: the history
        self._last_seq = new[-1].seq
        if missed > 0:
            # More events came between two polls than the log's in-memory tail holds (a burst
            # of thousands a second). They are written all the same; the panel says so in
            # their place rather than silently showing a shorter story.
            new = [self.model.gap_row(missed, new[0]), *new]
        self.model.append(new)
        self._update_count()
        if self.follow.isChecked():
            self.table.scrollToBottom()

    def _history_loaded(self, rendered) -> None:
        if rendered:
            self.model.prepend(rendered)
            self._update_count()
            if self.follow.isChecked():
                self.table.scrollToBottom()

    def stop(self) -> None:
        self._timer.stop()
