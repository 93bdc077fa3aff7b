"""The Review panel (复盘): pick a show from the log, build its report, read the summary,
open the full HTML report in the browser, save it, or export the show's events as CSV.

All database, chart and disk work runs on Qt's thread pool; the GUI thread only fills the
combo box and the summary table from the finished results. Qt's text widgets cannot show
the report's SVG charts and CSS, so the full report opens in the system browser.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio_app.ui.event_text import event_text
from studio_app.ui.bridge import run_in_background
from studio_app.ui.theme import COLORS


def _duration(seconds: float | None, signed: bool = False) -> str:
    from studio_app.report.html import fmt_duration

    return fmt_duration(seconds, signed)


class ReviewPanel(QWidget):
    """Signals (GUI thread): ``shows_loaded(list)`` of ShowEntry, ``report_ready(str)``
    with the HTML file written, ``saved(str)`` after Save/Export, ``failed(str)`` with a
    one-line reason."""

    shows_loaded = Signal(list)
    report_ready = Signal(str)
    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_url: str = ctx.db_url
        self._running = True
        self.review = None  # the ShowReview shown, when one is
        self.html: str | None = None
        self.report_path: Path | None = None

        self.show_box = QComboBox()
        self.show_box.setMinimumContentsLength(24)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the list of shows from the event log again"))
        self.build_button = QPushButton(self.tr("Build report"))
        self.build_button.setEnabled(False)
        self.open_button = QPushButton(self.tr("Open in browser"))
        self.save_button = QPushButton(self.tr("Save HTML…"))
        self.csv_button = QPushButton(self.tr("Export events CSV…"))
        for b in (self.open_button, self.save_button, self.csv_button):
            b.setEnabled(False)
        self.status = QLabel(self.tr("Reading the shows in the log…"))
        self.status.setWordWrap(True)
        self.summary = QTableWidget(0, 2)
        self.summary.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Value")])
        self.summary.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.summary.horizontalHeader().setStretchLastSection(True)
        self.summary.verticalHeader().hide()
        self.summary.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.show_box, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.build_button)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.csv_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.summary, 1)
        layout.addLayout(actions)

        self.refresh_button.clicked.connect(self.refresh)
        self.build_button.clicked.connect(lambda: self.build(self.current_show()))
        self.show_box.currentIndexChanged.connect(lambda _i: self.build_button.setEnabled(bool(self.current_show())))
        self.open_button.clicked.connect(self.open_in_browser)
        self.save_button.clicked.connect(self._ask_save_html)
        self.csv_button.clicked.connect(self._ask_export_csv)
        self._listed = False  # the show list is read when the panel is first shown

    # ------------------------------------------------------------------ background work
    def _run(self, fn, on_done) -> None:  # noqa: ANN001
        """``fn`` on the pool; ``on_done(result)`` on the GUI thread unless the panel stopped."""
        def done(result: Any) -> None:
            if self._running:
                on_done(result)

        def error(exc: BaseException) -> None:
            if self._running:
                self._fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

        run_in_background(fn, done, error)

    def _fail(self, why: str) -> None:
        self.status.setText(self.tr("Failed: {0}").format(why))
        self.status.setStyleSheet(f"color: {COLORS['error']}")
        self.refresh_button.setEnabled(True)
        self.build_button.setEnabled(bool(self.current_show()))
        self.failed.emit(why)

    def _say(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def current_show(self) -> str | None:
        return self.show_box.currentData()

    def refresh(self) -> None:
        """Read the shows in the log (newest first) into the picker."""
        db_url = self.db_url

        def work() -> list:
            from studio_app.report import list_shows
            from studio_app.store import open_engine, upgrade_database

            engine = open_engine(db_url)
            try:
                upgrade_database(engine)
                return list_shows(engine)
            finally:
                engine.dispose()

        self.refresh_button.setEnabled(False)
        self._run(work, self._shows)

    def _shows(self, shows: list) -> None:
        keep = self.current_show()
        self.show_box.blockSignals(True)
        self.show_box.clear()
        for s in shows:
            rooms = "、".join(r or "-" for r in s.rooms)
            when = datetime.fromtimestamp(s.started_wall).strftime("%Y-%m-%d %H:%M")
            self.show_box.addItem(f"{s.show_id}  ({when}, {rooms})", s.show_id)
        self.show_box.blockSignals(False)
        if keep is not None and self.show_box.findData(keep) >= 0:
            self.show_box.setCurrentIndex(self.show_box.findData(keep))
        self.refresh_button.setEnabled(True)
        self.build_button.setEnabled(bool(shows))
        self._say(self.tr("{0} shows in the log. Pick one and build its report.").format(len(shows)) if shows
                  else self.tr("No show in the log yet: run a show on the desk first."))
        self.shows_loaded.emit(shows)

    def build(self, show_id: str | None) -> None:
        """Read the show's events and figures, draw the report and write it to the user's
        reports folder (all on the pool), then fill the summary."""
        if not show_id:
            return
        db_url = self.db_url
        rundown = getattr(self.ctx, "show_path", None)
        text = event_text()  # the desk's language; QCoreApplication.translate is thread-safe

        def work() -> tuple[Any, str, Path]:
            from studio_app.core.paths import user_data_dir
            from studio_app.report import load_review, render_report, write_report
            from studio_app.store import open_engine

            engine = open_engine(db_url)
            try:
                try:
                    review = load_review(engine, show_id, rundown=rundown)
                except Exception:  # noqa: BLE001 - a broken or other show's rundown: report without it
                    if rundown is None:
                        raise
                    review = load_review(engine, show_id)
            finally:
                engine.dispose()
            html = render_report(review, text=text)
            folder = user_data_dir() / "reports"
            folder.mkdir(parents=True, exist_ok=True)
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in show_id)
            return review, html, write_report(html, folder / f"report-{safe}.html")

        self.build_button.setEnabled(False)
        self._say(self.tr("Building the report of {0}…").format(show_id))
        self._run(work, self._built)

    def _built(self, result: tuple[Any, str, Path]) -> None:
        self.review, self.html, self.report_path = result
        self._fill_summary(self.review)
        for b in (self.open_button, self.save_button, self.csv_button):
            b.setEnabled(True)
        self.build_button.setEnabled(True)
        self._say(self.tr("Report of {0} ready: {1}").format(self.review.show_id, self.report_path))
        self.report_ready.emit(str(self.report_path))

    def _fill_summary(self, r: Any) -> None:
        worst_late = max((d.lateness for d in r.drops if d.lateness is not None), default=None)
        missed = [d for d in r.drops if d.outcome in ("missed", "cancelled")]
        rows: list[tuple[str, str, str | None]] = [
            (self.tr("Show"), r.show_id + (f" · {r.title}" if r.title else ""), None),
            (self.tr("Rooms"), "、".join(x or "-" for x in r.rooms), None),
            (self.tr("Started"), datetime.fromtimestamp(r.started_wall).strftime("%Y-%m-%d %H:%M:%S") if r.started_wall else "-", None),
            (self.tr("Duration"), _duration(r.duration_s), None),
            (self.tr("Against plan"), _duration(r.over_under, signed=True),
             "warning" if r.over_under is not None and abs(r.over_under) > 60 else None),
            (self.tr("Segments run"), str(len(r.segments)), None),
            (self.tr("Segments over by more than 30 s"), str(sum(1 for s in r.segments if (s.over_under or 0) > 30)), None),
            (self.tr("Products explained"), str(sum(1 for c in r.cards if c.explained)), None),
            (self.tr("Coupons and flash sales"), str(len(r.drops)), None),
            (self.tr("Worst drop lateness (s)"), "-" if worst_late is None else f"{worst_late:.1f}",
             "warning" if worst_late is not None and worst_late > 1 else None),
            (self.tr("Dropped or missed"), str(len(missed)), "warning" if missed else None),
            (self.tr("Alerts"), str(len(r.alerts)), "warning" if r.alerts else None),
            (self.tr("Camera incidents"), str(len(r.camera)), "error" if r.camera else None),
            (self.tr("Dead air"), str(len(r.audio.dead_air)), "error" if r.audio.dead_air else None),
            (self.tr("Clipping"), str(len(r.audio.clipping)), "warning" if r.audio.clipping else None),
            (self.tr("Integrated loudness"), "-" if r.audio.integrated_lufs is None else f"{r.audio.integrated_lufs:.1f} LUFS", None),
            (self.tr("OBS disconnects"), str(len(r.obs.disconnects)), "error" if r.obs.disconnects else None),
            (self.tr("Incidents"), str(len(r.incidents)), "error" if r.incidents else None),
            (self.tr("Drills"), str(len(r.drills)), None),
            (self.tr("Self-test"), {True: self.tr("passed"), False: self.tr("failures"), None: self.tr("not run")}[r.selftest_passed],
             None if r.selftest_passed else "warning"),
            (self.tr("Sales score"), "-" if r.sales is None else f"{r.sales.score.score:.1f} / 100", None),
        ]
        self.summary.setRowCount(len(rows))
        for i, (k, v, level) in enumerate(rows):
            key, value = QTableWidgetItem(k), QTableWidgetItem(v)
            if level:
                value.setForeground(QColor(COLORS[level]))
            value.setData(Qt.ItemDataRole.UserRole, level)
            self.summary.setItem(i, 0, key)
            self.summary.setItem(i, 1, value)

    # ------------------------------------------------------------------ actions
    def open_in_browser(self) -> bool:
        if self.report_path is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report_path)))

    def save_html(self, path: str | Path) -> None:
        """Write the built report to ``path`` (on the pool)."""
        html = self.html
        if html is None:
            return
        target = Path(path)

        def work() -> str:
            from studio_app.report import write_report

            return str(write_report(html, target))

        self._run(work, self._saved)

    def export_csv(self, path: str | Path) -> None:
        """Write the shown show's events as CSV (UTF-8 with BOM) to ``path`` (on the pool)."""
        if self.review is None:
            return
        db_url, show_id, rooms, target = self.db_url, self.review.show_id, list(self.review.rooms), Path(path)
        message = event_text().message  # the message column in the desk's language

        def work() -> str:
            from studio_app.store import export_events_csv, open_engine

            engine = open_engine(db_url)
            try:
                export_events_csv(engine, target, show_id=show_id, rooms=rooms, message=message)
            finally:
                engine.dispose()
            return str(target)

        self._run(work, self._saved)

    def _saved(self, path: str) -> None:
        self._say(self.tr("Saved {0}").format(path))
        self.saved.emit(path)

    def _ask_save_html(self) -> None:
        if self.review is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Save the report"), f"report-{self.review.show_id}.html",
                                               self.tr("HTML files (*.html)"))
        if path:
            self.save_html(path)

    def _ask_export_csv(self) -> None:
        if self.review is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Export the show's events"), f"events-{self.review.show_id}.csv",
                                               self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path)

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """No result is applied after this (pool jobs finish on their own)."""
        self._running = False

    def showEvent(self, ev) -> None:  # noqa: N802
        super().showEvent(ev)
        if not self._listed:
            self._listed = True
            self.refresh()

    def closeEvent(self, ev) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(ev)
