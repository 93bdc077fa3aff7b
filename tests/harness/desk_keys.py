"""The keyboard as a new user meets it: real X key events (XTEST, as a keyboard makes
them) into the real desk window under Xvfb.

    DISPLAY=:N python -m tests.harness.desk_keys --db sqlite:///x.db

With the sample show loaded it plays the issue's story: GO (Space), Ctrl+M, a message,
Enter, Space presses; then Ctrl+M, text, Esc, Space; then Space with the keyboard in the
rundown table (a show key works there) and in the event log's filter box (typing: the box
keeps it). After each step it prints one JSON line ``STEP {name, segment, playback,
message, focus}``; ``DONE`` at the end.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys


class XKeys:
    """Key presses through the XTEST extension on a connection of our own."""

    def __init__(self, display: str) -> None:
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open X display {display}")

    def focus(self, window_id: int) -> None:
        self.x11.XSetInputFocus(self.dpy, window_id, 2, 0)  # RevertToParent, CurrentTime
        self.x11.XFlush(self.dpy)

    def press(self, *names: str) -> None:
        """Press the keys in order, release them in reverse: press("Control_L", "m")."""
        codes = [self.x11.XKeysymToKeycode(self.dpy, self.x11.XStringToKeysym(n.encode())) for n in names]
        for c in codes:
            self.xtst.XTestFakeKeyEvent(self.dpy, c, 1, 0)
        for c in reversed(codes):
            self.xtst.XTestFakeKeyEvent(self.dpy, c, 0, 0)
        self.x11.XFlush(self.dpy)

    def type(self, text: str) -> None:
        for ch in text:
            self.press("space" if ch == " " else ch)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio_app.core.devices import DeviceBoard
    from studio_app.core.paths import sample_show_path
    from studio_app.core.settings import Settings
    from studio_app.ui import i18n, theme
    from studio_app.ui.app import create_application, open_event_log
    from studio_app.ui.context import AppContext
    from studio_app.ui.main_window import MainWindow

    app = create_application()
    i18n.install(app, "en")
    theme.apply(app)
    settings = Settings()
    settings.set("obs.enabled", False)
    log = open_event_log(args.db, settings)
    win = MainWindow(AppContext(settings=settings, log=log, board=DeviceBoard(), db_url=args.db,
                                show_path=sample_show_path()))
    win.setGeometry(app.primaryScreen().availableGeometry())
    keys = XKeys(os.environ["DISPLAY"])
    panel = win.show_desk
    log_filter = win.log_panel.search  # the event log's filter box: typing

    def report(name: str) -> None:
        st = win.studio.state()
        focus = QApplication.focusWidget()
        print("STEP " + json.dumps({"name": name, "segment": st.segment.index if st.segment else 0,
                                    "playback": st.playback, "message": st.message.text if st.message.visible else "",
                                    "focus": focus.objectName() or type(focus).__name__ if focus else ""},
                                   ensure_ascii=False), flush=True)

    def in_table() -> None:
        panel.cue_table.setFocus()

    def in_filter() -> None:
        log_filter.setFocus()

    # (name, before, keys): each step 700 ms apart, past the 0.5 s GO guard
    steps = [
        ("go", None, [("space",)]),
        ("ctrl_m", None, [("Control_L", "m")]),
        ("typed", None, "text:hello"),
        ("enter", None, [("Return",)]),
        ("space_1", None, [("space",)]),
        ("space_2", None, [("space",)]),
        ("ctrl_m_again", None, [("Control_L", "m")]),
        ("typed_again", None, "text:bye"),
        ("esc", None, [("Escape",)]),
        ("space_3", None, [("space",)]),
        ("space_in_table", in_table, [("space",)]),
        ("hold_in_table", None, [("h",)]),
        ("space_in_filter", in_filter, [("space",)]),
    ]

    def run(i: int = 0) -> None:
        if i:
            report(steps[i - 1][0])
        if i == len(steps):
            print("DONE", flush=True)
            win.close()
            return
        _name, before, what = steps[i]
        if before is not None:
            before()
        if isinstance(what, str):
            keys.type(what.removeprefix("text:"))
        else:
            for combo in what:
                keys.press(*combo)
        QTimer.singleShot(700, lambda: run(i + 1))

    def start() -> None:
        win.activateWindow()
        keys.focus(int(win.winId()))
        QTimer.singleShot(500, run)

    panel.show_loaded.connect(lambda _desk: QTimer.singleShot(300, start))
    win.show()
    rc = app.exec()
    win.shutdown()
    log.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
