"""File → Import script spreadsheet…: the team template's mapping shown for a person to
confirm, the chosen drops scheduled, the rundown written beside the sheet (never over a
file) and loaded by the show desk through its own load path (offscreen Qt)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from studio_app.show.rundown import load_rundown
from studio_app.ui.import_dialog import SheetImportDialog
from tests.harness.team_template import EXPECTED, build_team_template


def open_dialog(qtbot, path: Path) -> SheetImportDialog:
    dialog = SheetImportDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.result is not None or dialog.error is not None, timeout=15000)
    return dialog


def test_the_mapping_is_shown_and_the_confirmed_show_loads_in_the_desk(qtbot, tmp_path, make_desk):
    sheet = build_team_template(tmp_path / "双十二脚本.xlsx")
    (tmp_path / "双十二脚本.toml").write_text("# the team's own file: never replaced\n", encoding="utf-8")
    dialog = open_dialog(qtbot, sheet)
    assert dialog.error is None
    assert dialog.fact_labels["title"].text() == EXPECTED["title"]
    assert dialog.fact_labels["anchors"].text() == "小鹿、阿杰" and dialog.fact_labels["target"].text() == "¥500,000"
    assert dialog.segments.rowCount() == len(EXPECTED["segments"])
    cells = [[dialog.segments.item(r, c).text() for c in range(dialog.segments.columnCount())] for r in range(dialog.segments.rowCount())]
    assert [(row[0], row[1], row[2]) for row in cells][:2] == [("23:00", "5 min", "开场暖场"), ("23:05", "10 min", "引流款讲解")]
    assert cells[6][0] == "00:10" and cells[1][8] == "第一部分 引流款" and cells[1][4] == "小鹿保温杯、暖手宝"
    assert dialog.warnings.count() == 2 and dialog.drops.count() == 4
    assert all(dialog.drops.item(i).checkState() == Qt.CheckState.Unchecked for i in range(4))  # the desk confirms
    assert dialog.target == tmp_path / "双十二脚本-2.toml"

    desk = make_desk()
    dialog.imported.connect(lambda p: desk.load(Path(p)))
    dialog.drops.item(0).setCheckState(Qt.CheckState.Checked)  # 满200减30 in the opening
    with qtbot.waitSignal(dialog.imported, timeout=15000) as sig:
        dialog.import_button.click()
    written = Path(sig.args[0])
    assert written == tmp_path / "双十二脚本-2.toml"
    assert (tmp_path / "双十二脚本.toml").read_text(encoding="utf-8").startswith("# the team's own file")
    show = load_rundown(written)
    assert [(d.coupon, d.at.segment) for d in show.coupon_drops] == [("coupon-1", "seg-1")] and show.flash_sales == []
    qtbot.waitUntil(lambda: desk.panel.desk is not None and desk.panel.desk.show.title == EXPECTED["title"], timeout=15000)
    assert desk.panel.path == written and len(desk.panel.desk.show.segments) == 7


def test_a_broken_sheet_says_where_and_cannot_be_imported(qtbot, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("环节,时长\n开场,abc\n", encoding="utf-8")
    dialog = open_dialog(qtbot, bad)
    assert dialog.result is None and not dialog.import_button.isEnabled()
    assert dialog.error.startswith("bad.csv:2: 时长/duration (B):") and "bad.csv:2" in dialog.status.text()


def test_file_menu_has_the_import_action(qtbot, tmp_path):
    from studio_app.core.devices import DeviceBoard
    from studio_app.core.settings import Settings
    from studio_app.store import EventLog
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    settings = Settings(path=tmp_path / "settings.toml")
    settings.set("obs.enabled", False)
    win = MainWindow(AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    try:
        action = win.findChild(QAction, "ImportSpreadsheetAction")
        assert action is not None and action in win.file_menu.actions()
    finally:
        win.close()
        log.close()


def test_screenshot_of_the_import_dialog_in_chinese(tmp_path):
    import cv2

    from tests.harness.screens import shoot_desk

    out, stdout = shoot_desk("import_shot", 1920, 1080, "zh_CN", "import_zh_CN.png", tmp_path)
    assert "SEGMENTS=7" in stdout, stdout
    img = cv2.imread(str(out))
    assert img is not None and img.shape[:2] == (1080, 1920)


def test_warnings_are_shown_in_chinese_when_the_desk_is(qtbot, tmp_path):
    from PySide6.QtCore import QLocale

    sheet = build_team_template(tmp_path / "t.xlsx")
    old = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))  # as i18n.install does for a zh_CN desk
    try:
        dialog = open_dialog(qtbot, sheet)
        texts = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    finally:
        QLocale.setDefault(old)
    assert texts == ["t.xlsx:12: 时长 10:00：按“分:秒”读作 10m（表格里存的是 10 小时 0 分）",
                     "t.xlsx:14: 商品“发热鞋垫”不在商品表里：作为仅名称的商品卡 发热鞋垫"]


def test_a_csv_script_gets_its_products_sheet(qtbot, tmp_path):
    script = tmp_path / "s.csv"
    script.write_text("时间段,环节,产品\n20:00-20:10,讲解,保温杯、暖手宝\n", encoding="utf-8")
    products = tmp_path / "p.csv"
    products.write_text("商品编码,商品名称,直播价\nBT-1,保温杯,79\nHW-2,暖手宝,39\n", encoding="utf-8")
    dialog = open_dialog(qtbot, script)
    assert [dialog.products.item(r, 4).text() for r in range(dialog.products.rowCount())] == ["bare card", "bare card"]
    dialog.read(products)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    assert [(dialog.products.item(r, 0).text(), dialog.products.item(r, 4).text()) for r in range(dialog.products.rowCount())] == [
        ("BT-1", "products sheet"), ("HW-2", "products sheet")]
    assert dialog.result.show.segments[0].products == ["BT-1", "HW-2"] and dialog.import_button.isEnabled()
