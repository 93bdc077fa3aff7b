"""Render the event-log panel, filled by the sample show run through the real engine, on an
X display and save a screenshot.

    DISPLAY=:N python -m tests.harness.log_panel_shot --out shot.png --lang zh_CN --db sqlite:///x.db

Prints ``CJK_FONTS=<n>``, one ``ROW=<severity>\t<source>\t<kind>\t<message>`` line per event
shown (what the panel's model gives the view) and ``SHOT=<path>``.
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
    ap.add_argument("--settle-ms", type=int, default=600)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from studio_app.core.settings import Settings
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.log_panel import LogPanel
    from tests.harness.sample_events import drive_sample_show

    app = create_application()
    i18n.install(app, args.lang)
    theme.apply(app)
    log = open_event_log(args.db, Settings())
    drive_sample_show(log)
    panel = LogPanel(log)
    panel.setWindowTitle("event log")
    screen = QGuiApplication.primaryScreen()
    panel.setGeometry(screen.availableGeometry())
    print(f"CJK_FONTS={len(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))}", flush=True)

    def shoot() -> None:
        panel.poll()
        m = panel.model
        for r in range(m.rowCount()):
            cells = [str(m.data(m.index(r, c)) or "") for c in (1, 2, 3, 4)]  # severity, source, event, message
            print("ROW=" + "\t".join(cells), flush=True)
        # the newest rows at the bottom, as during a show; then the picture
        panel.table.scrollToBottom()
        QTimer.singleShot(args.settle_ms, grab)

    def grab() -> None:
        ok = screen.grabWindow(0).save(args.out, "PNG")
        print(f"SHOT={args.out if ok else ''}", flush=True)
        panel.stop()
        panel.close()
        app.quit()

    panel.show()
    QTimer.singleShot(args.settle_ms, shoot)
    rc = app.exec()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
