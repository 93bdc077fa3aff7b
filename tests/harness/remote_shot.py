"""The desk with its Remote dock raised, remote control on (as with ``--remote``), one action
received from a client and automations loaded, for a screenshot on an X display:
    DISPLAY=:N python -m tests.harness.remote_shot --out shot.png --lang zh_CN --db sqlite:///x.db
Prints ``SHOT=<path>`` and ``URL=<api url>`` on stdout.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import urllib.request
from pathlib import Path

AUTOMATIONS = '''
[[automation]]
name = "灯光：讲解暖光"
when = "card.pushed"
osc = { target = "127.0.0.1:9", address = "/lights/cue/3", args = ["{product.name}"] }

[[automation]]
name = "提醒主播"
when = "phase.warning"
action = { name = "message.send", args = { text = "还剩 {segment.remaining}" } }
'''


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.setdefault("STUDIO_REMOTE_TOKEN", "screenshot-token-7d2c9e4b1a")

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
    autos = Path(tempfile.mkdtemp()) / "automations.toml"
    autos.write_text(AUTOMATIONS, encoding="utf-8")
    settings.set("remote.automations", str(autos))
    log = open_event_log(args.db, settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=args.db, show_path=sample_show_path(),
                     remote=("127.0.0.1", port))
    win = MainWindow(ctx)
    screen = QGuiApplication.primaryScreen()
    win.setGeometry(screen.availableGeometry())

    def shoot() -> None:
        pix = screen.grabWindow(0)
        ok = pix.save(args.out, "PNG")
        print(f"SHOT={args.out if ok else ''}", flush=True)
        win.close()

    def started(url: str) -> None:
        print(f"URL={url}", flush=True)
        token = os.environ["STUDIO_REMOTE_TOKEN"]
        for name in ("show.go", "card.push", "show.end"):
            body = b'{"slot": 1}' if name == "card.push" else b""
            req = urllib.request.Request(f"{url}/actions/{name}", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}"})
            try:
                urllib.request.urlopen(req, timeout=5).read()
            except urllib.error.HTTPError:
                pass  # show.end without confirm: a refusal the dock lists too
        # The dock to look at, floated at full height (on the desk it is a tab beside OBS).
        dock = win._docks["dock-remote"]  # noqa: SLF001
        dock.setFloating(True)
        dock.setGeometry(1320, 40, 580, 1000)
        dock.raise_()
        QTimer.singleShot(1500, shoot)

    win.remote_panel.started.connect(started)
    win.show()
    rc = app.exec()
    win.shutdown()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
