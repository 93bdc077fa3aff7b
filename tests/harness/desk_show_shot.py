"""Render the real control desk mid-show (the sample show) on an X display and save a
screenshot.

Run as a separate process (the test process stays offscreen):
    DISPLAY=:N python -m tests.harness.desk_show_shot --out shot.png --lang zh_CN --db sqlite:///x.db
The show clock is driven by hand to a moment 30 minutes in: segment 5 (保温杯讲解) in its
warning phase, its card pushed, the first coupon dropped and confirmed, the flash sale
announced, a blinking message on the anchor's screen. Prints ``CJK_FONTS=<n>``,
``MIDSHOW=<segment>`` and ``SHOT=<path>`` on stdout.
"""
from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--db", required=True)
    ap.add_argument("--settle-ms", type=int, default=1200)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from studio_app.core.devices import DeviceBoard, DeviceStatus, Level
    from studio_app.core.paths import sample_show_path
    from studio_app.core.settings import Settings
    from studio_app.show.clock import ManualClock
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    app = create_application()
    i18n.install(app, args.lang)
    theme.apply(app)
    settings = Settings()
    settings.set("obs.enabled", False)  # no OBS on this display: the panel says so calmly
    log = open_event_log(args.db, settings)
    board = DeviceBoard()
    board.report(DeviceStatus("camera", "test_pattern", Level.TEST, "未找到摄像头，正在显示内置测试图"))
    board.report(DeviceStatus("mic", "ok", Level.OK, "-18 LUFS"))
    ctx = AppContext(settings=settings, log=log, board=board, db_url=args.db)  # no show yet: loaded below
    win = MainWindow(ctx)
    screen = QGuiApplication.primaryScreen()
    win.setGeometry(screen.availableGeometry())
    cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    print(f"CJK_FONTS={len(cjk)}", flush=True)

    panel = win.show_desk
    clock = ManualClock(mono=time.monotonic(), wall=time.time() - 30 * 60)  # the show started 30 min ago
    win.studio.clock = clock  # the show runs on it once loaded

    def midshow(_desk) -> None:
        step = panel.dispatch
        step("go")  # 开场暖场
        clock.advance(5 * 60 + 12)
        step("go")  # 羊绒围巾讲解
        step("card_push_slot", slot=1)
        clock.advance(9 * 60 + 40)
        step("go")  # 互动
        clock.advance(4 * 60 + 30)
        step("go")  # 发券
        for _ in range(4):  # the pre-announce, then the drop 30 s in
            clock.advance(10)
            panel.tick()
        step("coupon_confirm")
        clock.advance(2 * 60)
        step("go")  # 保温杯讲解
        step("card_push_slot", slot=1)
        step("stock_adjust", sku=panel.desk.cards.explaining.sku, delta=-1360, reason="sales")
        seg = panel.desk.engine.segment
        clock.advance(seg.duration - seg.warning + 20)  # into the warning phase
        panel.tick()
        step("message", text="请看 2 号机位，准备讲秒杀", blink=True)
        panel.cue_table.selectRow(panel.desk.engine.state.index)
        panel.refresh()
        print(f"MIDSHOW={seg.id}", flush=True)

    panel.show_loaded.connect(midshow)

    def in_view(w) -> bool:
        """Shown whole: not hidden, not clipped by a scroll area or a squeezed dock."""
        return w.isVisible() and w.visibleRegion().boundingRect().size() == w.size()

    def shoot() -> None:
        keys = list(win.emergency_panel._buttons.values())
        print(f"RUNBOOK_KEYS={sum(in_view(b) for b in keys)}/{len(keys)}", flush=True)
        print("IN_VIEW=" + ",".join(name for name, w in (("go", panel.go_button), ("clock", panel.remaining_label),
                                                         ("timeline", panel.timeline)) if in_view(w)), flush=True)
        pix = screen.grabWindow(0)
        ok = pix.save(args.out, "PNG")
        print(f"SHOT={args.out if ok else ''}", flush=True)
        win.close()

    def start() -> None:
        panel.load(sample_show_path())
        QTimer.singleShot(args.settle_ms, shoot)

    win.first_painted.connect(lambda: QTimer.singleShot(200, start))
    win.show()
    rc = app.exec()
    win.shutdown()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
