"""The rundown editor (脚本编辑): each segment's title, length, script, talking points and
desk notes, with the advertising-law compliance check run as you type.

Findings are underlined in the text (red: error, orange: warning; hover for the category
and the note) and listed under the editor; the list is re-checked 400 ms after the last
keystroke. Saving writes the rundown back atomically (temporary file + rename) off the
GUI thread. Loading the file and the term list also happens off the GUI thread.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from studio_app.ui.bridge import run_in_background
from studio_app.ui.theme import COLORS

RECHECK_MS = 400
FIELDS = ("script", "talking_points", "notes")


class ComplianceHighlighter(QSyntaxHighlighter):
    """Underlines compliance terms line by line (terms never span lines)."""

    def __init__(self, document, checker: Any = None) -> None:
        super().__init__(document)
        self.checker = checker

    def set_checker(self, checker: Any) -> None:
        self.checker = checker
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        if self.checker is None or not text:
            return
        for start, end, term in self.checker.hits(text):
            fmt = QTextCharFormat()
            colour = QColor(COLORS["error"] if term.severity == "error" else COLORS["warning"])
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(colour)
            fmt.setForeground(colour)
            fmt.setToolTip(f"{term.term} [{term.category}] {term.note}")
            self.setFormat(start, end - start, fmt)


class CheckedEdit(QPlainTextEdit):
    """A text box whose compliance hits show their category and note on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.highlighter = ComplianceHighlighter(self.document())

    def finding_at(self, position: int) -> str:
        """Tooltip text of the hit at character ``position`` of the document, or ""."""
        checker = self.highlighter.checker
        block = self.document().findBlock(position)
        if checker is None or not block.isValid():
            return ""
        offset = position - block.position()
        for start, end, term in checker.hits(block.text()):
            if start <= offset < end:
                return f"{term.term} — {term.category} ({term.severity}): {term.note}"
        return ""

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ToolTip:
            cursor = self.cursorForPosition(self.viewport().mapFromGlobal(ev.globalPos()))
            text = self.finding_at(cursor.position())
            if text:
                QToolTip.showText(ev.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)


def _load(path: Path) -> tuple[Any, Any]:
    """Pool thread: the show and a checker with the show's own allow list."""
    from studio_app.show.compliance import ComplianceChecker, TermList
    from studio_app.show.rundown import load_rundown
    from studio_app.show.spreadsheet import load_spreadsheet

    show = load_spreadsheet(path) if path.suffix.lower() in (".csv", ".xlsx") else load_rundown(path)
    checker = ComplianceChecker(TermList.load()).with_allow(show.compliance_allow)
    return show, checker


class RundownEditor(QDialog):
    """Non-modal editor of one rundown file. ``saved(path)`` after a successful save."""

    saved = Signal(str)
    loaded = Signal()
    checked = Signal(int)  # number of findings after a re-check

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RundownEditor")
        self.path = Path(path)
        self.show_model: Any = None
        self.checker: Any = None
        self.findings: list = []
        self.dirty = False
        self.error: str | None = None
        self._current = -1
        self._loading = False
        self.setWindowTitle(self.tr("Rundown — {0}").format(self.path.name))
        self.resize(1100, 720)
        self._build()
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.recheck)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        run_in_background(lambda: _load(self.path), self._loaded, self._failed)

    # ------------------------------------------------------------------ widgets
    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.status = QLabel(self.tr("Loading…"))
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.segments = QListWidget()
        self.segments.currentRowChanged.connect(self._select)
        split.addWidget(self.segments)
        form_host = QWidget()
        form = QFormLayout(form_host)
        self.title_edit = QLineEdit()
        self.duration_edit = QLineEdit()
        self.duration_edit.setPlaceholderText(self.tr("e.g. 5m, 90s, 1h5m"))
        self.script_edit = CheckedEdit()
        self.points_edit = CheckedEdit()
        self.points_edit.setPlaceholderText(self.tr("One talking point per line"))
        self.notes_edit = CheckedEdit()
        self.notes_edit.setPlaceholderText(self.tr("Desk only: never shown to the anchor"))
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Length"), self.duration_edit)
        form.addRow(self.tr("Script"), self.script_edit)
        form.addRow(self.tr("Talking points"), self.points_edit)
        form.addRow(self.tr("Desk notes"), self.notes_edit)
        split.addWidget(form_host)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        root.addWidget(split, 1)
        root.addWidget(QLabel(self.tr("Compliance findings (double-click to go there)")))
        self.findings_list = QListWidget()
        self.findings_list.setMaximumHeight(140)
        self.findings_list.itemDoubleClicked.connect(self._goto_finding)
        root.addWidget(self.findings_list)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("Close"))
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)
        for w in (self.title_edit, self.duration_edit):
            w.textEdited.connect(self._edited)
        for w in (self.script_edit, self.points_edit, self.notes_edit):
            w.textChanged.connect(self._edited)

    # ------------------------------------------------------------------ load
    def _loaded(self, result) -> None:
        self.show_model, self.checker = result
        for w in (self.script_edit, self.points_edit, self.notes_edit):
            w.highlighter.set_checker(self.checker)
        self.segments.clear()
        for seg in self.show_model.segments:
            self.segments.addItem(QListWidgetItem(seg.title))
        self.status.setText(self.tr("{0}: {1} segments").format(self.show_model.title, len(self.show_model.segments)))
        if self.show_model.segments:
            self.segments.setCurrentRow(0)
        self.recheck()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.error = " ".join(str(exc).split()) or type(exc).__name__
        self.status.setText(self.tr("Cannot open the rundown: {0}").format(self.error))
        self.status.setStyleSheet(f"color: {COLORS['error']};")
        self.save_button.setEnabled(False)
        self.loaded.emit()

    # ------------------------------------------------------------------ editing
    def _select(self, row: int) -> None:
        if self.show_model is None or row < 0:
            return
        self._store()
        self._current = row
        seg = self.show_model.segments[row]
        from studio_app.show.model import format_duration

        self._loading = True
        self.title_edit.setText(seg.title)
        self.duration_edit.setText(format_duration(seg.duration))
        self.script_edit.setPlainText(seg.script)
        self.points_edit.setPlainText("\n".join(seg.talking_points))
        self.notes_edit.setPlainText(seg.notes)
        self._loading = False

    def _store(self) -> str | None:
        """Copy the editors into the current segment; a one-line problem or None."""
        if self.show_model is None or self._current < 0:
            return None
        from studio_app.show.model import parse_duration

        seg = self.show_model.segments[self._current]
        seg.title = self.title_edit.text().strip() or seg.title
        seg.script = self.script_edit.toPlainText()
        seg.talking_points = [line.strip() for line in self.points_edit.toPlainText().splitlines() if line.strip()]
        seg.notes = self.notes_edit.toPlainText()
        try:
            seg.duration = parse_duration(self.duration_edit.text().strip())
        except (ValueError, TypeError) as exc:
            return self.tr("{0}: length “{1}”: {2}").format(seg.id, self.duration_edit.text(), " ".join(str(exc).split()))
        item = self.segments.item(self._current)
        if item is not None:
            item.setText(seg.title)
        return None

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self.dirty = True
        self._recheck.start()

    def recheck(self) -> list:
        """Store the current segment and re-run the compliance check over the show."""
        if self.show_model is None:
            return []
        problem = self._store()
        from studio_app.show.compliance import check_show

        self.findings = check_show(self.show_model, self.checker)
        self.findings_list.clear()
        by_segment: dict[str, int] = {}
        for f in self.findings:
            item = QListWidgetItem(f"{f.segment or '—'} · {f.field}: {f.term} [{f.category}] {f.context}")
            item.setToolTip(f.note)
            item.setForeground(QColor(COLORS["error"] if f.severity == "error" else COLORS["warning"]))
            item.setData(Qt.ItemDataRole.UserRole, f.segment)
            self.findings_list.addItem(item)
            if f.segment:
                by_segment[f.segment] = by_segment.get(f.segment, 0) + 1
        for row, seg in enumerate(self.show_model.segments):
            n = by_segment.get(seg.id, 0)
            item = self.segments.item(row)
            if item is not None:
                item.setText(f"⚠{n} {seg.title}" if n else seg.title)
                item.setForeground(QColor(COLORS["error"]) if n else QColor("#e6e8eb"))
        if problem:
            self.status.setText(problem)
            self.status.setStyleSheet(f"color: {COLORS['error']};")
        else:
            self.status.setText(self.tr("{0} compliance findings").format(len(self.findings)))
            self.status.setStyleSheet("")
        self.checked.emit(len(self.findings))
        return self.findings

    def _goto_finding(self, item: QListWidgetItem) -> None:
        seg_id = item.data(Qt.ItemDataRole.UserRole)
        if self.show_model is None or not seg_id:
            return
        try:
            self.segments.setCurrentRow(self.show_model.segment_index(seg_id))
        except KeyError:
            pass

    # ------------------------------------------------------------------ save
    def save(self) -> None:
        """Write the rundown back (atomically, off the GUI thread)."""
        if self.show_model is None:
            return
        problem = self._store()
        if problem:
            self.status.setText(self.tr("Not saved: {0}").format(problem))
            self.status.setStyleSheet(f"color: {COLORS['error']};")
            return
        from studio_app.show.rundown import save_segment_edits

        show, path = self.show_model, self.path
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))

        def done(how) -> None:
            self.save_button.setEnabled(True)
            self.dirty = False
            if how == "kept" or not str(path).lower().endswith(".toml"):
                self.status.setText(self.tr("Saved to {0}").format(path))
                self.status.setStyleSheet("")
            else:  # the file was not the one loaded: written whole, the old one kept
                self.status.setText(self.tr("Saved to {0}; the file had changed since it was opened, "
                                            "so it was written anew and the previous one kept as {1}")
                                    .format(path, f"{Path(path).name}.bak"))
                self.status.setStyleSheet(f"color: {COLORS['warning']};")
            self.saved.emit(str(path))

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.status.setText(self.tr("Not saved: {0}").format(" ".join(str(exc).split())))
            self.status.setStyleSheet(f"color: {COLORS['error']};")

        run_in_background(lambda: save_segment_edits(show, path), done, failed)

    def closeEvent(self, ev) -> None:  # noqa: N802
        self._recheck.stop()
        super().closeEvent(ev)
