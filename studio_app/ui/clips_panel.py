"""The Clips dock (讲解切片): cut a show's product explanations from OBS's recording, see
them as first-frame thumbnails, play one, open their folder.

Reading the log, running ffmpeg and reading thumbnails all happen on Qt's thread pool; the
GUI thread only fills the widgets from finished results.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio_app.ui.bridge import run_in_background
from studio_app.ui.theme import COLORS

THUMB = QSize(192, 108)


def _read_clips(folder: Path) -> list[tuple[dict, QImage | None]]:
    """clips.json of ``folder`` with each thumbnail decoded (pool thread: QImage is safe there)."""
    from studio_app.clips import load_index

    out = []
    for entry in load_index(folder):
        image = None
        thumb = folder / str(entry.get("thumbnail") or "")
        if entry.get("thumbnail") and thumb.is_file():
            img = QImage(str(thumb))
            image = None if img.isNull() else img.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                         Qt.TransformationMode.SmoothTransformation)
        out.append((dict(entry), image))
    return out


def _cut(db_url: str, show_id: str, folder: Path, pad_s: float, vertical: bool) -> tuple[int, int, list[str]]:
    """Cut the show's card clips (pool thread): (cut, planned, problems)."""
    from studio_app.clips import cut_clips, plan_clips
    from studio_app.clips.source import load_clip_job
    from studio_app.store import open_engine, upgrade_database

    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        job = load_clip_job(engine, show_id)
    finally:
        engine.dispose()
    if not job.recordings:
        raise RuntimeError("OBS was not recording while this show ran: nothing to cut")
    specs = plan_clips(job.review, kinds=("card",), pad_s=pad_s, rundown=job.rundown)
    if not specs:
        raise RuntimeError("no product was explained in this show")
    results = cut_clips(specs, job.recordings, folder, show_title=job.title, show_started_wall=job.review.started_wall,
                        vertical=vertical)
    problems = [f"{r.spec.title}: {r.error or '; '.join(r.warnings)}" for r in results if r.error or r.warnings]
    return sum(1 for r in results if r.file), len(results), problems


class ClipsPanel(QWidget):
    """Signals (GUI thread): ``clips_loaded(int)`` with the number listed, ``failed(str)``."""

    clips_loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_url: str = ctx.db_url
        self._running = True
        self._busy = False
        self._keep_status = False  # the cut's outcome stays on screen when the list refills
        self.show_box = QComboBox()
        self.show_box.setMinimumContentsLength(20)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.cut_button = QPushButton(self.tr("Cut clips"))
        self.cut_button.setToolTip(self.tr("Cut every product explanation of the show from OBS's recording"))
        self.pad = QDoubleSpinBox()
        self.pad.setRange(0.0, 30.0)
        self.pad.setValue(3.0)
        self.pad.setSuffix(" s")
        self.pad.setToolTip(self.tr("Time kept before and after each explanation"))
        self.vertical = QCheckBox(self.tr("9:16 vertical"))
        self.play_button = QPushButton(self.tr("Play"))
        self.folder_button = QPushButton(self.tr("Open folder"))
        self.status = QLabel(self.tr("Pick a show, then cut its clips."))
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setSpacing(6)
        self.list.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 56))  # room for two lines of label

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.show_box, 1)
        top.addWidget(self.refresh_button)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Padding:")))
        options.addWidget(self.pad)
        options.addWidget(self.vertical)
        options.addStretch(1)
        options.addWidget(self.cut_button)
        actions = QHBoxLayout()
        actions.addWidget(self.play_button)
        actions.addWidget(self.folder_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)

        self.refresh_button.clicked.connect(self.refresh)
        self.cut_button.clicked.connect(self.cut)
        self.play_button.clicked.connect(self.play)
        self.folder_button.clicked.connect(self.open_folder)
        self.list.itemDoubleClicked.connect(lambda _item: self.play())
        self.show_box.currentIndexChanged.connect(lambda _i: self.load_clips())
        self._listed = False

    # ------------------------------------------------------------------ helpers
    def current_show(self) -> str:
        return str(self.show_box.currentData() or "")

    def folder(self) -> Path:
        from studio_app.core.paths import clips_dir

        return clips_dir(self.current_show())

    def _run(self, fn, on_done) -> None:  # noqa: ANN001
        def done(result: Any) -> None:
            if self._running:
                on_done(result)

        def error(exc: BaseException) -> None:
            if self._running:
                self._busy = False
                self._say(self.tr("Failed: {0}").format(str(exc).splitlines()[0] if str(exc) else type(exc).__name__),
                          COLORS["error"])
                self._enable()
                self.failed.emit(str(exc))

        run_in_background(fn, done, error)

    def _say(self, text: str, colour: str = "") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour}" if colour else "")

    def _enable(self) -> None:
        has_show = bool(self.current_show())
        self.cut_button.setEnabled(has_show and not self._busy)
        self.refresh_button.setEnabled(not self._busy)
        self.play_button.setEnabled(self.list.currentItem() is not None)
        self.folder_button.setEnabled(has_show)

    # ------------------------------------------------------------------ actions
    def showEvent(self, ev) -> None:  # noqa: N802
        super().showEvent(ev)
        if not self._listed:
            self._listed = True
            self.refresh()

    def refresh(self) -> None:
        from studio_app.report import list_shows
        from studio_app.store import open_engine

        def read() -> list:
            engine = open_engine(self.db_url)
            try:
                return list_shows(engine)
            finally:
                engine.dispose()

        def fill(shows: list) -> None:
            keep = self.current_show()
            self.show_box.blockSignals(True)
            self.show_box.clear()
            for s in shows:
                self.show_box.addItem(s.show_id, s.show_id)
            i = self.show_box.findData(keep)
            self.show_box.setCurrentIndex(i if i >= 0 else 0)
            self.show_box.blockSignals(False)
            self._enable()
            self.load_clips()

        self._run(read, fill)

    def load_clips(self) -> None:
        self._enable()
        if not self.current_show():
            self.list.clear()
            return
        folder = self.folder()
        self._run(lambda: _read_clips(folder), self._fill)

    def _fill(self, clips: list) -> None:
        self.list.clear()
        for entry, image in clips:
            label = f"{entry.get('title', '')}\n{float(entry.get('duration_s') or 0):.1f} s"
            item = QListWidgetItem(label)
            if image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
            item.setData(Qt.ItemDataRole.UserRole, entry.get("file"))
            item.setToolTip(str(entry.get("file")))
            self.list.addItem(item)
        if clips and not self._busy and not self._keep_status:
            self._say(self.tr("{0} clips in {1}").format(len(clips), self.folder()))
        self._keep_status = False
        self._enable()
        self.clips_loaded.emit(len(clips))

    def cut(self) -> None:
        show = self.current_show()
        if not show or self._busy:
            return
        self._busy = True
        self._enable()
        self._say(self.tr("Cutting the clips of {0}…").format(show))
        folder, pad, vertical = self.folder(), self.pad.value(), self.vertical.isChecked()

        def done(result: tuple[int, int, list[str]]) -> None:
            self._busy = False
            cut, planned, problems = result
            text = self.tr("Cut {0} of {1} clips.").format(cut, planned)
            if problems:
                text += " " + " · ".join(problems[:3])
            self._say(text, COLORS["warning"] if problems else "")
            self._keep_status = True
            self.load_clips()

        self._run(lambda: _cut(self.db_url, show, folder, pad, vertical), done)

    def play(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder() / str(item.data(Qt.ItemDataRole.UserRole)))))

    def open_folder(self) -> None:
        if self.current_show():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder())))

    def closeEvent(self, ev) -> None:  # noqa: N802
        self._running = False
        super().closeEvent(ev)
