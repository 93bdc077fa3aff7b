"""Render the real control desk on an X display and save a screenshot.

Run as a separate process (so the test process can stay offscreen):
    DISPLAY=:N python -m tests.harness.desk_shot --out shot.png --lang zh_CN --db sqlite:///x.db
Prints ``CJK_FONTS=<n>`` and ``SHOT=<path>`` on stdout.
"""
from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--db", required=True)
    ap.add_argument("--settle-ms", type=int, default=800)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from studio_app.core.devices import DeviceBoard, DeviceState, DeviceStatus
    from studio_app.core.events import Severity
    from studio_app.core.settings import Settings
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    app = create_application()
    i18n.install(app, args.lang)
    theme.apply(app)
    settings = Settings()
    log = open_event_log(args.db, settings)
    board = DeviceBoard()
    log.log("system", "app.start", "截图测试启动 (screenshot run)")
    log.log("obs", "obs.unreachable", "OBS 无法连接: 127.0.0.1:4455 拒绝连接", Severity.WARNING)
    log.log("mic", "dead_air_start", "dead air: 'default' below -60 dBFS for 8.0 s", Severity.ERROR,
            {"source": "default", "level_dbfs": None, "threshold_dbfs": -60.0, "seconds": 8.0})
    board.report(DeviceStatus("camera", DeviceState.TEST_SIGNAL, "未找到摄像头，正在显示内置测试图"))
    board.report(DeviceStatus("mic", DeviceState.DEAD_AIR, "静音 8.0 秒 (< -60 dBFS)"))
    board.report(DeviceStatus("obs", DeviceState.UNREACHABLE, "127.0.0.1:4455 拒绝连接，3 秒后重试"))
    ctx = AppContext(settings=settings, log=log, board=board, db_url=args.db)
    win = MainWindow(ctx)
    screen = QGuiApplication.primaryScreen()
    win.setGeometry(screen.availableGeometry())
    cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    print(f"CJK_FONTS={len(cjk)}", flush=True)

    def shoot() -> None:
        pix = screen.grabWindow(0)
        ok = pix.save(args.out, "PNG")
        print(f"SHOT={args.out if ok else ''}", flush=True)
        win.close()

    win.first_painted.connect(lambda: QTimer.singleShot(args.settle_ms, shoot))
    win.show()
    rc = app.exec()
    win.shutdown()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
