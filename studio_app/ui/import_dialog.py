"""File → Import script spreadsheet…: a team's own 直播脚本 (XLSX/CSV) shown as the console
read it, for a person to confirm before the show desk loads it.

The dialog shows the same mapping as ``studio-console rundown show``: what each column
means, the show (title, planned start, anchors, 场控, target), every segment, the products
(matched or bare cards), the coupon rules spotted (unticked: the desk confirms each one) and
every warning. "Import" writes the TOML rundown beside the spreadsheet (never over an
existing file) and hands it to the desk's own load path. Reading and writing run on the
thread pool; the GUI thread never waits on the disk.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio_app.ui.bridge import run_in_background


def free_rundown_path(sheet: Path) -> Path:
    """``NAME.toml`` beside the spreadsheet, or ``NAME-2.toml``… when that exists."""
    target = sheet.with_suffix(".toml")
    n = 2
    while target.exists():
        target = sheet.with_name(f"{sheet.stem}-{n}.toml")
        n += 1
    return target


def read_job(path: Path, products: Path | None = None):
    from studio_app.show.spreadsheet import read_spreadsheet

    return read_spreadsheet(path, products_file=products)


def write_job(result: Any, chosen: list[int], target: Path) -> Path:
    """Pool thread: the rundown TOML, checked by the loader, written to a new file."""
    import os

    from studio_app.show.rundown import loads_rundown
    from studio_app.show.sheet_import import dumps_import

    text = dumps_import(result, chosen)
    loads_rundown(text, target.name)  # never hand the desk a rundown it cannot open
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    with open(tmp, "x", encoding="utf-8") as fh:
        fh.write(text)
    try:
        try:
            os.link(tmp, target)  # fails if the target appeared meanwhile: nothing is replaced
        except (AttributeError, NotImplementedError, PermissionError):  # no hard links here
            if target.exists():
                raise FileExistsError(f"{target.name} already exists") from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


class SheetImportDialog(QDialog):
    """The mapping of one spreadsheet, to confirm. Emits ``imported(path)`` with the TOML
    rundown written; ``failed(message)`` when the sheet cannot be read or written."""

    imported = Signal(str)
    failed = Signal(str)

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SheetImportDialog")
        self.path = Path(path)
        self.result: Any = None
        self.error: str | None = None
        self.target = free_rundown_path(self.path)
        self.products_file: Path | None = None  # a CSV holds one sheet: its products can be picked
        self.setWindowTitle(self.tr("Import script spreadsheet — {0}").format(self.path.name))
        self.resize(1200, 760)
        self._build()
        self.read()

    def read(self, products: Path | None = None) -> None:
        """(Re)read the spreadsheet on the pool, with ``products`` as its products sheet."""
        self.products_file = products
        self.result, self.error = None, None
        self.import_button.setEnabled(False)
        path = self.path
        run_in_background(lambda: read_job(path, products), self._read_done, self._read_failed)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.status = QLabel(self.tr("Reading {0}…").format(self.path.name))
        self.status.setObjectName("ImportStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        for key, text in (("title", self.tr("Title")), ("start", self.tr("Planned start")), ("anchors", self.tr("Anchors")),
                          ("desk", self.tr("Desk (场控)")), ("target", self.tr("Target GMV")), ("where", self.tr("Read from"))):
            label = QLabel("—")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fact_labels[key] = label
            self.facts.addRow(text, label)
        lay.addLayout(self.facts)
        self.tabs = QTabWidget()
        self.segments = self._table([self.tr("Start"), self.tr("Length"), self.tr("Title"), self.tr("Kind"),
                                     self.tr("Products"), self.tr("Script"), self.tr("Talking points"), self.tr("Desk notes"),
                                     self.tr("Section"), self.tr("Row")])
        self.columns = self._table([self.tr("Column"), self.tr("Header"), self.tr("Read as")])
        self.products = self._table([self.tr("SKU"), self.tr("Name"), self.tr("Live price"), self.tr("Stock"), self.tr("Source")])
        self.drops = QListWidget()
        self.drops.setObjectName("SuggestedDrops")
        self.warnings = QListWidget()
        self.warnings.setObjectName("ImportWarnings")
        self.warnings.setWordWrap(True)
        self.tabs.addTab(self.segments, self.tr("Segments"))
        self.tabs.addTab(self.columns, self.tr("Columns"))
        self.tabs.addTab(self.products, self.tr("Products"))
        self.tabs.addTab(self.drops, self.tr("Suggested drops"))
        self.tabs.addTab(self.warnings, self.tr("Warnings"))
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.target_label = QLabel()
        self.target_label.setObjectName("ImportTarget")
        row.addWidget(self.target_label, 1)
        self.products_button = QPushButton(self.tr("Products sheet…"))
        self.products_button.setToolTip(self.tr("A CSV holds one sheet: pick the file with the products (SKU, name, prices)"))
        self.products_button.clicked.connect(self._choose_products)
        row.addWidget(self.products_button)
        change = QPushButton(self.tr("Save as…"))
        change.clicked.connect(self._choose_target)
        row.addWidget(change)
        lay.addLayout(row)
        self._show_target()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("Import and load"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def _table(self, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(True)
        return t

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), 260))

    def _show_target(self) -> None:
        self.target_label.setText(self.tr("The rundown will be saved as {0}").format(str(self.target)))

    def _choose_products(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Products sheet"), str(self.path.parent),
                                              self.tr("Spreadsheets (*.xlsx *.csv);;All files (*)"))
        if path:
            self.read(Path(path))

    def _choose_target(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the rundown as"), str(self.target), self.tr("Rundowns (*.toml)"))
        if path:
            self.target = Path(path if path.lower().endswith(".toml") else path + ".toml")
            self._show_target()

    # ------------------------------------------------------------------ reading
    def _read_done(self, result: Any) -> None:
        self.result = result
        r = result.report()
        s = r["show"]
        self.fact_labels["title"].setText(s["title"])
        self.fact_labels["start"].setText((s["planned_start"] or "—").replace("T", " ")[:16])
        self.fact_labels["anchors"].setText("、".join(s["anchors"]) or "—")
        self.fact_labels["desk"].setText("、".join(s["desk"]) or "—")
        self.fact_labels["target"].setText(f"¥{s['target_gmv']:,.0f}" if s["target_gmv"] is not None else (s["target"] or "—"))
        where = r["file"] + (f" · {r['sheet']}" if r["sheet"] else "")
        self.fact_labels["where"].setText(self.tr("{0}, header in row {1}").format(where, r["header_row"]))
        names = {p["sku"]: p["name"] for p in r["products"]}
        segs = []
        for g in r["segments"]:
            start = (g["planned_start"] or "")
            start = start[11:16] if len(start) > 10 else start
            kind = self.kind_name(g["kind"]) + (self.tr(" (guessed)") if g["kind_guessed"] else "")
            segs.append([start, self.length(g["duration_s"]), g["title"], kind, "、".join(names.get(k, k) for k in g["products"]), g["script"],
                         "；".join(g["talking_points"]), g["notes"], g["section"], str(g["row"])])
        self._fill(self.segments, segs)
        self._fill(self.columns, [[c["column"], c["header"], field_label(c["field"]) or self.tr("(not used)")] for c in r["columns"]])
        self._fill(self.products, [[p["sku"], p["name"], "" if p["live_price"] is None else f"{p['live_price']:g}", str(p["stock"]),
                                    self.tr("products sheet") if p["source"] == "sheet" else self.tr("bare card")] for p in r["products"]])
        self.drops.clear()
        for d in r["suggested_drops"]:
            what = self.tr("coupon") if d["kind"] == "coupon" else self.tr("flash sale")
            text = self.tr("{0} (row {1}): {2} {3}").format(d["segment"], d["row"], what, d["rule"])
            item = QListWidgetItem(text)
            usable = d["kind"] == "coupon" or bool(d["product"])
            if not usable:
                item.setText(text + self.tr(" — no product in the segment, cannot be scheduled"))
            item.setFlags((Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled) if usable else Qt.ItemFlag.NoItemFlags)
            item.setCheckState(Qt.CheckState.Unchecked)  # the desk confirms each one
            self.drops.addItem(item)
        self.warnings.clear()
        chinese = QLocale().language() == QLocale.Language.Chinese  # the UI's language (i18n.install sets it)
        for w in (r["warnings_zh"] if chinese else r["warnings"]):
            self.warnings.addItem(w)
        self.tabs.setTabText(4, self.tr("Warnings ({0})").format(len(r["warnings"])))
        self.tabs.setTabText(3, self.tr("Suggested drops ({0})").format(len(r["suggested_drops"])))
        n = len(r["segments"])
        self.status.setText(self.tr("{0} segments, {1} products, {2} warnings. Check the mapping, tick the drops to schedule, "
                                    "then import.").format(n, len(r["products"]), len(r["warnings"])))
        self.import_button.setEnabled(True)

    def length(self, seconds: float) -> str:
        if seconds % 60 == 0:
            return self.tr("{0} min").format(int(seconds // 60))
        return _length(seconds)

    def kind_name(self, kind: str) -> str:
        names = {"opening": self.tr("opening"), "product": self.tr("product"), "interaction": self.tr("interaction"),
                 "flash_sale": self.tr("flash sale"), "coupon": self.tr("coupon"), "lucky_draw": self.tr("lucky draw"),
                 "closing": self.tr("closing"), "break": self.tr("break"), "custom": self.tr("custom")}
        return names.get(kind, kind)

    def _read_failed(self, exc: BaseException) -> None:
        self.error = " ".join(str(exc).split()) or type(exc).__name__
        self.status.setText(self.tr("Cannot import: {0}").format(self.error))
        self.status.setProperty("error", True)
        self.failed.emit(self.error)

    # ------------------------------------------------------------------ confirming
    def chosen_drops(self) -> list[int]:
        return [i for i in range(self.drops.count()) if self.drops.item(i).checkState() == Qt.CheckState.Checked]

    def confirm(self) -> None:
        if self.result is None:
            return
        self.import_button.setEnabled(False)
        result, chosen, target = self.result, self.chosen_drops(), self.target
        self.status.setText(self.tr("Writing {0}…").format(target.name))
        run_in_background(lambda: write_job(result, chosen, target), self._written, self._write_failed)

    def _written(self, path: Path) -> None:
        self.imported.emit(str(path))
        self.accept()

    def _write_failed(self, exc: BaseException) -> None:
        msg = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split())
        if isinstance(exc, FileExistsError):
            msg = self.tr("{0} already exists: choose another name with Save as…").format(self.target.name)
        self.error = msg
        self.status.setText(self.tr("Cannot save the rundown: {0}").format(msg))
        self.import_button.setEnabled(True)
        self.failed.emit(msg)


def field_label(name: str) -> str:
    """The column a field is read as, named as the spreadsheet names it ("时间段/time slot")."""
    from studio_app.show.sheet_import import SEGMENT_COLUMNS, label

    return label(SEGMENT_COLUMNS, name) if name in SEGMENT_COLUMNS else ""


def _length(seconds: float) -> str:
    from studio_app.show.model import format_duration

    return format_duration(seconds)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SheetImportDialog", text)


def import_action(parent: QWidget, load: Callable[[Path], None]) -> QAction:
    """File → Import script spreadsheet…: pick a file, confirm the mapping, then ``load``
    the rundown written (the desk's own load path)."""
    action = QAction(_tr("&Import script spreadsheet…"), parent)
    action.setObjectName("ImportSpreadsheetAction")

    def ask() -> None:
        path, _ = QFileDialog.getOpenFileName(parent, _tr("Import script spreadsheet"), "",
                                              _tr("Spreadsheets (*.xlsx *.csv);;All files (*)"))
        if path:
            open_import(parent, Path(path), load)

    action.triggered.connect(ask)
    return action


def open_import(parent: QWidget, path: Path, load: Callable[[Path], None]) -> SheetImportDialog:
    dialog = SheetImportDialog(path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.imported.connect(lambda p: load(Path(p)))
    dialog.open()
    return dialog
