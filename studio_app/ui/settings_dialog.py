"""The settings dialog: pages that read from and write to :class:`Settings`.

Panels of later features add their own pages with :meth:`SettingsDialog.add_page`; a page
is a QWidget with ``load(settings)`` and ``apply(settings) -> str | None`` (an error text
keeps the dialog open on that page).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio_app.core.settings import Settings
from studio_app.store.db import DatabaseURLError, normalize_url
from studio_app.ui.bridge import run_in_background


class GeneralPage(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.language = QComboBox()
        self.language.addItem(self.tr("Follow the system"), "system")
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.room = QLineEdit()
        self.room.setPlaceholderText(self.tr("e.g. Room A"))
        note = QLabel(self.tr("A language change takes effect when the console is restarted."))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Studio room:"), self.room)
        form.addRow(note)

    def load(self, s: Settings) -> None:
        i = self.language.findData(s.get("general.language", "system"))
        self.language.setCurrentIndex(max(i, 0))
        self.room.setText(s.get("general.room", ""))

    def apply(self, s: Settings) -> str | None:
        s.set("general.language", self.language.currentData())
        s.set("general.room", self.room.text().strip())
        return None


class DatabasePage(QWidget):
    def __init__(self, default_url: str, parent=None) -> None:
        super().__init__(parent)
        self.url = QLineEdit()
        self.url.setPlaceholderText(default_url)
        note = QLabel(
            self.tr(
                "Leave empty for the local SQLite file. Several rooms can share one PostgreSQL "
                "database: postgresql://user@host/studio. Takes effect after a restart."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Database URL:"), self.url)
        form.addRow(note)

    def load(self, s: Settings) -> None:
        self.url.setText(s.get("database.url", ""))

    def apply(self, s: Settings) -> str | None:
        text = self.url.text().strip()
        if text:
            try:
                normalize_url(text)
            except DatabaseURLError as exc:
                return str(exc)
        s.set("database.url", text)
        return None


class CameraPage(QWidget):
    """The studio camera and its backup (``camera.source``, ``camera.backup_source``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("empty: TEST PATTERN"))
        self.backup_source = QLineEdit()
        self.backup_source.setPlaceholderText(self.tr("e.g. 1 or udp://127.0.0.1:5000"))
        note = QLabel(
            self.tr(
                "A device index (0, 1…), a video file or a stream URL (udp://, rtsp://, http://). The camera "
                "runbook (Ctrl+1) switches the camera dock to the backup source. A new camera source takes "
                "effect after a restart."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Camera source:"), self.source)
        form.addRow(self.tr("Backup source:"), self.backup_source)
        form.addRow(note)

    def load(self, s: Settings) -> None:
        self.source.setText(str(s.get("camera.source", "") or ""))
        self.backup_source.setText(str(s.get("camera.backup_source", "") or ""))

    def apply(self, s: Settings) -> str | None:
        main, backup = self.source.text().strip(), self.backup_source.text().strip()
        if backup and backup == main:
            return self.tr("The backup source must be another camera than the camera source.")
        s.set("camera.source", main)
        s.set("camera.backup_source", backup)
        return None


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, default_db_url: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.tabs = QTabWidget()
        self.pages: list[QWidget] = []
        self.add_page(GeneralPage(), self.tr("General"))
        self.add_page(DatabasePage(default_db_url), self.tr("Event log"))
        self.add_page(CameraPage(), self.tr("Camera"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(buttons)
        self.resize(560, 380)

    def add_page(self, page: QWidget, title: str) -> None:
        page.load(self.settings)
        self.pages.append(page)
        self.tabs.addTab(page, title)

    def accept(self) -> None:
        for page in self.pages:
            error = page.apply(self.settings)
            if error:
                self.tabs.setCurrentWidget(page)
                QMessageBox.warning(self, self.tr("Settings"), error)
                return
        # Written on a pool thread: the desk never waits on the disk, even for a slow network home.
        ok = self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)

        def saved(_result) -> None:
            ok.setEnabled(True)
            QDialog.accept(self)

        def failed(exc: BaseException) -> None:
            ok.setEnabled(True)
            QMessageBox.warning(self, self.tr("Settings"), self.tr("Cannot save the settings: {0}").format(exc))

        run_in_background(self.settings.save, saved, failed)
