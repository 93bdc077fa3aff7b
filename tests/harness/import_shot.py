"""Render File → Import script spreadsheet… on the shipped team template over the real
desk, on an X display, and save a screenshot.

    DISPLAY=:N python -m tests.harness.import_shot --out shot.png --lang zh_CN --db sqlite:///x.db
Prints ``SEGMENTS=<n>`` and ``SHOT=<path>`` on stdout.
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
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from studio_app.core.devices import DeviceBoard
    from studio_app.core.paths import resources_dir
    from studio_app.core.settings import Settings
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.context import AppContext
    from studio_app.ui.import_dialog import open_import
    from studio_app.ui.main_window import MainWindow

    app = create_application()
    i18n.install(app, args.lang)
    theme.apply(app)
    settings = Settings()
    settings.set("obs.enabled", False)
    log = open_event_log(args.db, settings)
    win = MainWindow(AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=args.db))
    win.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    win.show()
    dialog = open_import(win, resources_dir() / "shows" / "team_template.xlsx", win.show_desk.load)
    code = {"rc": 1}

    def shoot() -> None:
        if dialog.result is None and dialog.error is None:
            QTimer.singleShot(100, shoot)
            return
        dialog.tabs.setCurrentIndex(0)
        app.processEvents()
        QGuiApplication.primaryScreen().grabWindow(0).save(args.out)
        print(f"SEGMENTS={dialog.segments.rowCount()}", flush=True)
        print(f"SHOT={args.out}", flush=True)
        code["rc"] = 0 if dialog.result is not None else 1
        dialog.reject()
        win.close()
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()
    log.close()
    return code["rc"]


if __name__ == "__main__":
    sys.exit(main())
