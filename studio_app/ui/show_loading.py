"""Opening a show on the desk: the file and its logged history read off the GUI thread,
a located error when it is broken, the offer to resume a run the console left mid-show."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studio_app.core.events import Severity, Source
from studio_app.show.desk import ShowDesk
from studio_app.show.model import format_clock
from studio_app.studio.loading import load_show_job, resume_desk
from studio_app.ui.bridge import run_in_background
from studio_app.ui.show_keys import ShowDeskKeys


class ShowDeskLoading(ShowDeskKeys):
    """Loading of a ShowDeskPanel (which provides _start, _status and the banners)."""

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
        db_url = self.db_url if offer_resume else None
        clock = self.studio.clock

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
            self.studio.log.log(Source.SHOW.value, "show.load_failed", msg, Severity.ERROR, {"path": str(path)})
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
            resumed, run = resume_desk(desk, events, self.studio.log)
            self._start(resumed, run, fresh=False)
        else:
            self._start(desk, [], fresh=True)

