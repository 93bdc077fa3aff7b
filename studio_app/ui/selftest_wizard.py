"""The technician's pre-show self-test in the desk (Tools → Self-test…).

One row per check with its status colour, value, threshold and fix hint, filled in live as
the checks finish; a prompt bar when the technician must act ("请对着麦克风说话"); re-run
one check; the history of past runs (read from the event log off the GUI thread); export
as self-contained HTML or JSON; "save as profile" for a new studio.

Threads: the self-test runs on a plain worker thread (:class:`studio_app.selftest.SelfTest`);
its results reach the GUI through a :class:`ThreadBridge`. A prompt blocks only the worker,
which waits for the technician's answer; the GUI never waits on a device, the disk or the
database (files and history go through :func:`run_in_background`).
"""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio_app.selftest.checks import GROUPS, SPECS, SelfTestCheck, SelfTestRun, Status
from studio_app.ui.bridge import ThreadBridge, run_in_background
from studio_app.ui.theme import COLORS

STATUS_COLOURS = {Status.PASS: COLORS["ok"], Status.WARN: COLORS["warning"], Status.FAIL: COLORS["error"],
                  Status.SKIP: COLORS["idle"]}
PROMPT_TIMEOUT_S = 120.0  # nobody answered: the check is skipped, the run goes on
COLUMNS = 5


class SelfTestWizard(QDialog):
    """The self-test dialog. ``ctx`` is the desk's AppContext (settings, log, db_url).

    ``profile`` (a :class:`~studio_app.selftest.profile.Profile`) and ``groups`` override
    what the settings say (tests, or a profile chosen in the dialog).
    """

    finished_run = Signal(object)  # SelfTestRun, after a run or a re-run
    history_loaded = Signal(list)

    def __init__(self, ctx: Any, parent: QWidget | None = None, *, profile: Any = None,
                 groups: list[str] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("SelfTestWizard")
        self.setWindowTitle(self.tr("Pre-show self-test"))
        self.resize(1100, 640)
        self._profile = profile
        self._profile_path: str | None = None if profile is not None else (ctx.settings.get("selftest.profile") or None)
        self.groups = list(groups or GROUPS)
        self.lang = "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"
        self.run_result: SelfTestRun | None = None
        self.history: list[dict] = []
        self.busy = False
        self._closed = False
        self._test = None
        self._answer: threading.Event | None = None
        self._answer_value = False
        self._rows: dict[str, int] = {}

        self._bridge = ThreadBridge(self)
        self._bridge.received.connect(self._on_message)
        self._build()
        self.load_history()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        top = QHBoxLayout()
        self.profile_label = QLabel()
        self.profile_label.setWordWrap(True)
        self._show_profile_label()
        open_profile = QPushButton(self.tr("Profile…"))
        open_profile.clicked.connect(self._choose_profile)
        self.run_button = QPushButton(self.tr("Run self-test"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.rerun_button = QPushButton(self.tr("Re-run selected check"))
        self.rerun_button.clicked.connect(self._rerun_selected)
        self.rerun_button.setEnabled(False)
        top.addWidget(self.profile_label, 1)
        top.addWidget(open_profile)
        top.addWidget(self.run_button)
        top.addWidget(self.rerun_button)

        groups = QHBoxLayout()
        groups.addWidget(QLabel(self.tr("Check:")))
        self.group_boxes: dict[str, QCheckBox] = {}
        names = {"camera": self.tr("Camera"), "mic": self.tr("Microphone"), "obs": self.tr("OBS"),
                 "console": self.tr("Console")}
        for g in GROUPS:
            box = QCheckBox(names[g])
            box.setChecked(g in self.groups)
            self.group_boxes[g] = box
            groups.addWidget(box)
        groups.addStretch(1)

        # The prompt bar: what the technician must do now.
        self.prompt_bar = QFrame()
        self.prompt_bar.setObjectName("PromptBar")
        self.prompt_bar.setStyleSheet(f"#PromptBar {{ background: {COLORS['accent']}; border-radius: 4px; }}")
        bar = QHBoxLayout(self.prompt_bar)
        self.prompt_label = QLabel()
        self.prompt_label.setStyleSheet("color: white; font-size: 18pt; font-weight: bold;")
        self.prompt_ready = QPushButton(self.tr("I'm speaking now"))
        self.prompt_ready.clicked.connect(lambda: self.answer_prompt(True))
        self.prompt_skip = QPushButton(self.tr("Skip"))
        self.prompt_skip.clicked.connect(lambda: self.answer_prompt(False))
        bar.addWidget(self.prompt_label, 1)
        bar.addWidget(self.prompt_ready)
        bar.addWidget(self.prompt_skip)
        self.prompt_bar.hide()

        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Status"), self.tr("Check"), self.tr("Value"),
                                              self.tr("Threshold"), self.tr("Detail / how to fix")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(COLUMNS - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.history_list = QListWidget()
        self.history_list.itemClicked.connect(self._show_history_item)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel(self.tr("Past runs")))
        lv.addWidget(self.history_list)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.table)
        split.setStretchFactor(1, 4)
        split.setSizes([220, 880])

        bottom = QHBoxLayout()
        self.summary = QLabel(self.tr("Not run yet."))
        self.summary.setWordWrap(True)
        self.export_html_button = QPushButton(self.tr("Export HTML…"))
        self.export_html_button.clicked.connect(lambda: self._export_dialog("html"))
        self.export_json_button = QPushButton(self.tr("Export JSON…"))
        self.export_json_button.clicked.connect(lambda: self._export_dialog("json"))
        self.save_profile_button = QPushButton(self.tr("Save as profile…"))
        self.save_profile_button.clicked.connect(self._save_profile_dialog)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        for b in (self.export_html_button, self.export_json_button, self.save_profile_button):
            b.setEnabled(False)
        bottom.addWidget(self.summary, 1)
        for b in (self.export_html_button, self.export_json_button, self.save_profile_button, close):
            bottom.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(groups)
        layout.addWidget(self.prompt_bar)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def _show_profile_label(self) -> None:
        if self._profile is not None and getattr(self._profile, "path", None):
            text = self.tr("Profile: {0}").format(self._profile.path)
        elif self._profile is not None:
            text = self.tr("Profile: given by the caller")
        elif self._profile_path:
            text = self.tr("Profile: {0}").format(self._profile_path)
        else:
            text = self.tr("No studio profile: checking against the console's settings "
                           "(checks with nothing to compare are skipped)")
        self.profile_label.setText(text)

    # ------------------------------------------------------------------ rows
    def _fill_rows(self, groups: list[str]) -> None:
        self.table.setRowCount(0)
        self._rows.clear()
        for spec in SPECS:
            if spec.group not in groups:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            self._rows[spec.id] = row
            name = spec.name_zh if self.lang == "zh_CN" else spec.name_en
            items = [self.tr("waiting"), name, "", "", ""]
            for col, text in enumerate(items):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setData(Qt.ItemDataRole.UserRole, spec.id)
                    item.setToolTip(f"{spec.name_zh} / {spec.name_en} ({spec.id})")
                self.table.setItem(row, col, item)

    def show_check(self, check: SelfTestCheck) -> None:
        """Fill (or add) the row of ``check``."""
        row = self._rows.get(check.id)
        if row is None:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self._rows[check.id] = row
            for col in range(COLUMNS):
                self.table.setItem(row, col, QTableWidgetItem(""))
            self.table.item(row, 1).setData(Qt.ItemDataRole.UserRole, check.id)
            self.table.item(row, 1).setText(check.name_zh if self.lang == "zh_CN" else check.name)
        words = {Status.PASS: self.tr("PASS"), Status.WARN: self.tr("WARN"), Status.FAIL: self.tr("FAIL"),
                 Status.SKIP: self.tr("SKIP")}
        status = self.table.item(row, 0)
        status.setText(words[check.status])
        colour = QColor(STATUS_COLOURS[check.status])
        status.setBackground(QBrush(colour))
        status.setForeground(QBrush(QColor("#111111")))
        status.setData(Qt.ItemDataRole.UserRole, check.status.value)
        self.table.item(row, 2).setText(check.value or "")
        self.table.item(row, 3).setText(check.threshold or "")
        fix = check.fix_text(self.lang)
        text = check.detail + (("\n→ " + fix) if fix and check.status in (Status.FAIL, Status.WARN) else "")
        detail = self.table.item(row, 4)
        detail.setText(text)
        if check.fix:
            detail.setToolTip(f"{check.fix_text('zh_CN')}\n{check.fix_text('en')}")
        self.table.resizeRowToContents(row)

    def row_status(self, check_id: str) -> str | None:
        """The status word in a row ("pass", "fail"...; None while waiting). For tests and scripts."""
        row = self._rows.get(check_id)
        if row is None:
            return None
        return self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)

    def select_check(self, check_id: str) -> None:
        row = self._rows.get(check_id)
        if row is not None:
            self.table.selectRow(row)

    def _selected_check(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.table.item(rows[0].row(), 1).data(Qt.ItemDataRole.UserRole)

    def _selection_changed(self) -> None:
        self.rerun_button.setEnabled(not self.busy and self.run_result is not None and self._selected_check() is not None)

    # ------------------------------------------------------------------ running
    def selected_groups(self) -> list[str]:
        return [g for g in GROUPS if self.group_boxes[g].isChecked()]

    def start(self) -> bool:
        """Run the whole self-test on a worker thread. False when one is already running."""
        if self.busy:
            return False
        groups = self.selected_groups()
        if not groups:
            self.summary.setText(self.tr("Choose at least one group to check."))
            return False
        self._fill_rows(groups)
        self._begin(self.tr("Running…"))
        screens = len(QGuiApplication.screens())  # counted here: Qt's screens belong to the GUI thread
        self._launch(lambda test: test.run(), groups, screens)
        return True

    def rerun(self, check_id: str) -> bool:
        """Run one check again (after a run); its row is updated when it finishes."""
        if self.busy or self.run_result is None:
            return False
        group = check_id.split(".", 1)[0]
        previous = self.run_result
        row = self._rows.get(check_id)
        if row is not None:
            self.table.item(row, 0).setText(self.tr("running…"))
            self.table.item(row, 0).setBackground(QBrush())
            self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole, None)
        self._begin(self.tr("Re-running {0}…").format(check_id))
        screens = len(QGuiApplication.screens())
        self._launch(lambda test: test.rerun(check_id, previous), [group], screens)
        return True

    def _rerun_selected(self) -> None:
        check = self._selected_check()
        if check:
            self.rerun(check)

    def _begin(self, text: str) -> None:
        self.busy = True
        self.summary.setText(text)
        for b in (self.run_button, self.rerun_button, self.export_html_button, self.export_json_button,
                  self.save_profile_button):
            b.setEnabled(False)

    def _launch(self, body, groups: list[str], screens: int) -> None:  # noqa: ANN001
        given, path, settings, db_url = self._profile, self._profile_path, self.ctx.settings, self.ctx.db_url
        post = self._post
        desk_feed = getattr(getattr(self.parent(), "camera_panel", None), "feed", None)

        def shared_camera(spec: str):  # noqa: ANN202 - a CameraFeed or None
            """The desk's camera feed when it shows this very source (a USB camera opens once)."""
            from hardware.camera.capture import OpenCvSource

            label = getattr(getattr(desk_feed, "source", None), "label", None)
            return desk_feed if label is not None and label == OpenCvSource(spec).label else None

        def work() -> None:
            from studio_app.core.secrets import obs_password
            from studio_app.selftest import ProfileError, SelfTest, load_profile, profile_from_settings

            # Whatever goes wrong here must reach the dialog as an error: a silent death of this
            # thread would leave the wizard "busy" for good.
            try:
                profile = given if given is not None else load_profile(path) if path else profile_from_settings(settings)
                test = SelfTest(profile, db_url=db_url, groups=groups, password=obs_password, prompt=self._prompt,
                                screens=lambda: screens, shared_camera=shared_camera,
                                on_check=lambda c: post(("check", c)))
                self._test = test
                result = body(test)
            except ProfileError as exc:
                post(("error", str(exc)))
                return
            except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
                post(("error", f"{type(exc).__name__}: {exc}"))
                return
            post(("done", result))

        threading.Thread(target=work, name="selftest-wizard", daemon=True).start()

    def _post(self, message: tuple) -> None:
        """From worker threads: hand a message to the GUI thread (dropped once closed)."""
        if self._closed:
            return
        try:
            self._bridge.post(message)
        except RuntimeError:  # the dialog was deleted meanwhile
            pass

    def _prompt(self, key: str, zh: str, en: str) -> bool:
        """Called on the mic group's thread: show the prompt and wait for the answer."""
        if self._closed:
            return False
        answer = threading.Event()
        self._answer = answer
        self._answer_value = False
        self._post(("prompt", zh if self.lang == "zh_CN" else en, zh, en))
        answer.wait(PROMPT_TIMEOUT_S)
        self._post(("prompt_done",))
        return self._answer_value and not self._closed

    def answer_prompt(self, ready: bool) -> None:
        self._answer_value = ready
        self.prompt_bar.hide()
        if self._answer is not None:
            self._answer.set()

    def _on_message(self, message: tuple) -> None:
        kind = message[0]
        if kind == "check":
            self.show_check(message[1])
        elif kind == "prompt":
            self.prompt_label.setText(message[1])
            self.prompt_label.setToolTip(f"{message[2]}\n{message[3]}")
            self.prompt_bar.show()
        elif kind == "prompt_done":
            self.prompt_bar.hide()
        elif kind == "error":
            self.busy = False
            self.run_button.setEnabled(True)
            self.summary.setText(self.tr("The self-test could not run: {0}").format(message[1]))
        elif kind == "done":
            self._finished(message[1])

    def _finished(self, result: SelfTestRun) -> None:
        self.busy = False
        self.run_result = result
        for c in result.checks:
            self.show_check(c)
        counts = result.counts()
        verdict = self.tr("Self-test passed") if result.passed else self.tr("Self-test FAILED")
        self.summary.setText(self.tr("{0}: {1} pass, {2} warn, {3} fail, {4} skip in {5:.1f} s").format(
            verdict, counts["pass"], counts["warn"], counts["fail"], counts["skip"], result.duration_s))
        self.summary.setStyleSheet(f"color: {COLORS['ok'] if result.passed else COLORS['error']}; font-weight: bold;")
        for b in (self.run_button, self.export_html_button, self.export_json_button, self.save_profile_button):
            b.setEnabled(True)
        self._selection_changed()
        from studio_app.selftest import record_run

        record_run(self.ctx.log, result)  # the log never blocks: it queues
        self.history.insert(0, result.to_dict())
        self._add_history_item(result.to_dict(), top=True)
        self.finished_run.emit(result)

    # ------------------------------------------------------------------ history
    def load_history(self) -> None:
        """Past runs from the event log, read on Qt's thread pool."""
        db_url = self.ctx.db_url

        def load() -> list[dict]:
            from studio_app.store import fetch_events, open_engine

            engine = open_engine(db_url)
            try:
                events = fetch_events(engine, sources=["selftest"], kinds=["selftest.run"], limit=50, newest_first=True)
            finally:
                engine.dispose()
            return [dict(e.payload or {}, started_at=(e.payload or {}).get("started_at") or e.wall_time) for e in events]

        def done(runs: list[dict]) -> None:
            if self._closed:
                return
            self.history = runs + [r for r in self.history if r not in runs]
            self.history_list.clear()
            for r in self.history:
                self._add_history_item(r)
            self.history_loaded.emit(self.history)

        run_in_background(load, done, lambda exc: done([]))

    def _add_history_item(self, payload: dict, top: bool = False) -> None:
        when = datetime.fromtimestamp(float(payload.get("started_at") or 0)).strftime("%m-%d %H:%M:%S")
        counts = payload.get("counts") or {}
        mark = "✔" if payload.get("passed") else "✘"
        item = QListWidgetItem(f"{mark} {when}  {counts.get('fail', 0)} fail / {counts.get('warn', 0)} warn")
        item.setData(Qt.ItemDataRole.UserRole, payload)
        item.setForeground(QBrush(QColor(COLORS["ok"] if payload.get("passed") else COLORS["error"])))
        if top:
            self.history_list.insertItem(0, item)
        else:
            self.history_list.addItem(item)

    def _show_history_item(self, item: QListWidgetItem) -> None:
        if self.busy:
            return
        payload = item.data(Qt.ItemDataRole.UserRole) or {}
        try:
            run = SelfTestRun.from_dict(payload)
        except (KeyError, ValueError, TypeError):
            return
        self._fill_rows(sorted({c.group for c in run.checks}, key=GROUPS.index))
        for c in run.checks:
            self.show_check(c)
        self.run_result = run
        self.summary.setText(self.tr("Showing a past run."))

    # ------------------------------------------------------------------ export / profile
    def export(self, path: str, kind: str, on_done=None) -> None:  # noqa: ANN001
        """Write the current result as ``kind`` ("html" or "json") to ``path`` off the GUI thread."""
        result = self.run_result
        if result is None:
            return

        def write() -> str:
            from studio_app.selftest import render_html

            text = render_html(result) if kind == "html" else json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            from studio_app.core.files import write_atomically

            write_atomically(path, text)
            return path

        run_in_background(write, on_done or self._saved, self._save_failed)

    def save_as_profile(self, path: str, on_done=None) -> None:  # noqa: ANN001
        result, base = self.run_result, self._profile

        def write() -> str:
            from studio_app.selftest import save_profile

            return str(save_profile(result, path, base=base))

        run_in_background(write, on_done or self._saved, self._save_failed)

    def _saved(self, path: str) -> None:
        if not self._closed:
            self.summary.setText(self.tr("Saved {0}").format(path))

    def _save_failed(self, exc: BaseException) -> None:
        if not self._closed:
            self.summary.setText(self.tr("Could not save: {0}").format(exc))

    def _export_dialog(self, kind: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M")
        filt = self.tr("HTML page (*.html)") if kind == "html" else self.tr("JSON (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export self-test report"), f"selftest-{stamp}.{kind}", filt)
        if path:
            self.export(path, kind)

    def _save_profile_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save as studio profile"), "studio.toml",
                                              self.tr("Studio profile (*.toml)"))
        if path:
            self.save_as_profile(path)

    def _choose_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open studio profile"), "", self.tr("Studio profile (*.toml)"))
        if not path:
            return
        self._profile, self._profile_path = None, path
        self.ctx.settings.set("selftest.profile", path)
        run_in_background(self.ctx.settings.save, lambda _r: None, lambda _e: None)
        self._show_profile_label()

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Stop waiting for the technician and let a running test end at its next check point."""
        self._closed = True
        if self._answer is not None:
            self._answer.set()
        if self._test is not None:
            self._test.cancel.set()

    def closeEvent(self, ev) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(ev)

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)
