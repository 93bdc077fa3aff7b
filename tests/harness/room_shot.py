"""The desk with the 数据大屏 dock mid-show: the sample show live, the sample recording replayed
at 300x, the desk following the rundown's segments, shot about 52 minutes into the show (after
the stream stutter, the slow start and the complaints, during the down-jacket sell-out):
    DISPLAY=:N python -m tests.harness.room_shot --out shot.png --lang zh_CN --db sqlite:///x.db
Prints ``SHOT=<path>`` and ``STATE=<json of what the dock showed>`` on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

SPEED = 300.0
SHOOT_AT_MIN = 51.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--db", required=True)
    ap.add_argument("--stale", action="store_true", help="shoot after 11 s without data (DATA STALE)")
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from studio_app.core.devices import DeviceBoard
    from studio_app.core.paths import sample_show_path
    from studio_app.core.settings import Settings
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    app = create_application()
    i18n.install(app, args.lang)
    theme.apply(app)
    settings = Settings()
    settings.set("obs.enabled", False)
    log = open_event_log(args.db, settings)
    ctx = AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=args.db, show_path=sample_show_path())
    win = MainWindow(ctx)
    screen = QGuiApplication.primaryScreen()
    win.setGeometry(screen.availableGeometry())
    panel = win.room_panel
    studio = win.studio
    plan: list[float] = []
    first: list[float] = []

    def follow() -> None:
        """GO whenever the replayed show time passes the rundown's next segment start."""
        snap_ts = panel.board._last_ts  # noqa: SLF001 - the harness reads the newest message time
        if snap_ts is None:
            return
        if not first:
            first.append(snap_ts)
        minutes = (snap_ts - first[0]) / 60
        state = studio.state()
        index = state.segment.index if state.segment else 0
        while index < len(plan) and minutes >= plan[index]:
            studio.dispatch("show.go")
            index += 1
        if minutes >= SHOOT_AT_MIN:
            ticker.stop()
            panel.stop_replay()  # the data stops here; the dock paints it twice before the shot
            QTimer.singleShot(11_500 if args.stale else 1200, shoot)

    def shoot() -> None:
        panel.refresh()
        pix = screen.grabWindow(0)
        ok = pix.save(args.out, "PNG")
        snap = panel.board.snapshot()
        shown = {"source": panel.source_label.text(), "stale": panel.stale_label.isVisible(),
                 "replay_badge": panel.replay_badge.text() if panel.replay_badge.isVisible() else "",
                 "stacked": panel._split.orientation().name == "Vertical",  # noqa: SLF001 - the portrait layout
                 "titles": [w.title.text() for w in panel.numbers.values()],
                 "numbers": {k: w.value.text() for k, w in panel.numbers.items()},
                 "segments": [panel.segments.item(r, 0).text() for r in range(panel.segments.rowCount())],
                 "products": [[panel.products.item(r, c).text() for c in range(7)]
                              for r in range(panel.products.rowCount())],
                 "alerts": [panel.alert_list.item(r).text() for r in range(panel.alert_list.count())],
                 "highlighted": sum(1 for c in snap["ticker"] if c["kind"]), "conflicts": snap["conflicts"]}
        print(f"SHOT={args.out if ok else ''}", flush=True)
        print("STATE=" + json.dumps(shown, ensure_ascii=False), flush=True)
        win.close()

    def start() -> None:
        show = studio.show.show
        t = 0.0
        for seg in show.segments:
            plan.append(t / 60)
            t += float(seg.duration)
        if studio.show.findings:
            studio.dispatch("show.override", reason="screenshot")
        studio.dispatch("show.go")
        dock = win._docks["dock-room"]  # noqa: SLF001
        dock.setFloating(True)
        area = screen.availableGeometry()
        dock.setGeometry(area.x(), area.y() + 30, area.width(), area.height() - 40)
        dock.raise_()
        panel.start_replay(speed=SPEED)
        ticker.start(100)

    ticker = QTimer()
    ticker.timeout.connect(follow)
    win.show()
    QTimer.singleShot(800, start)
    rc = app.exec()
    win.shutdown()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
