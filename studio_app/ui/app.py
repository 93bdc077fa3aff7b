"""Start the control desk: QApplication, theme, language, the event log, the main window."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAccessible, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from studio_app import __version__
from studio_app.core.devices import DeviceBoard
from studio_app.core.events import Severity, Source
from studio_app.core.heap import HeapTrimmer, freeze_startup_heap, keep_big_blocks_out_of_the_heap
from studio_app.core.paths import resource, sample_show_path
from studio_app.core.priority import favour_the_gui
from studio_app.core.settings import Settings
from studio_app.ui import i18n, theme
from studio_app.ui.context import AppContext


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is not None:
        return app
    # Fractional scaling (125%, 150%) as the OS asks, not rounded: crisp on studio monitors.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("Studio Console")
    app.setOrganizationName("StudioConsole")
    app.setApplicationVersion(__version__)
    icon = resource("icons", "studio-console.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Qt starts its accessibility bridge (AT-SPI: screen readers) the first time a widget is
    # parented, and the bridge connects to the session D-Bus with a blocking call into Qt's D-Bus
    # thread. PySide6 makes that call holding Python's interpreter lock: when workers are running
    # by then, one of them waiting for the lock can deadlock the GUI thread (a 5-minute soak hung
    # so in CI). Start the bridge here, before any worker thread exists.
    QAccessible.isActive()
    return app


def open_event_log(db_url: str, settings: Settings):
    from studio_app.store import EventLog

    # The outbox for events the database could not take yet is kept per database URL
    # (EventLog's default), so switching --db never sends one database's events to another.
    return EventLog(db_url, room=settings.get("general.room") or None).start()


def run_desk(
    db_url: str,
    settings: Settings,
    show_path: str | None = None,
    lang: str | None = None,
    quit_after: float | None = None,
    remote: tuple[str, int] | None = None,
    room_replay: bool = False,
) -> int:
    keep_big_blocks_out_of_the_heap()  # before any worker allocates a camera frame (see core.heap)
    app = create_application()
    language = i18n.install(app, lang or settings.get("general.language"))
    theme.apply(app)
    log = open_event_log(db_url, settings)
    # Before any worker starts; threads it starts later do not inherit it (see core.priority).
    priority, workers_ahead = favour_the_gui(str(settings.get("general.gui_priority", "normal")))
    board = DeviceBoard()
    path = Path(show_path) if show_path else sample_show_path()
    ctx = AppContext(settings=settings, log=log, board=board, db_url=db_url, show_path=path, remote=remote)
    log.log(Source.SYSTEM, "app.start", f"Studio Console {__version__} started", payload={
        "version": __version__, "language": language, "pid": os.getpid(), "show": str(path),
        "gui_priority": priority})
    if settings.problem:
        log.log(Source.SYSTEM, "settings.unreadable", settings.problem, Severity.WARNING, {"problem": settings.problem})

    from studio_app.ui.main_window import MainWindow

    window = MainWindow(ctx)
    probe = os.environ.get("STUDIO_STARTUP_PROBE")
    screenshot = os.environ.get("STUDIO_SCREENSHOT")  # headless runs: a picture of the desk

    def shoot() -> None:
        if window.screen().grabWindow(0).save(screenshot, "PNG"):
            print(f"studio-console: screenshot saved to {screenshot}", file=sys.stderr, flush=True)

    def painted() -> None:
        if probe:
            print(f"FIRST_PAINT_WALL={time.time():.6f}", file=sys.stderr, flush=True)
        QTimer.singleShot(1000, freeze_startup_heap)  # after the first paint: the desk appears first
        trimmer.start()  # freed C memory back to the system once a minute, off the GUI thread
        if screenshot:
            QTimer.singleShot(5000, shoot)
        if quit_after is not None:
            QTimer.singleShot(int(quit_after * 1000), window.close)
        if room_replay and not settings.get("room.ingest_enabled", False):
            # The demo: with no room feed, the sample recording plays, labelled REPLAY.
            QTimer.singleShot(1500, window.room_panel.start_replay)

    trimmer = HeapTrimmer()
    window.first_painted.connect(painted)
    # Ctrl-C in the terminal or a SIGTERM from the session: close like the Quit menu does
    # (layout saved, workers stopped, the log flushed), not with a traceback. Qt's event loop
    # runs no Python code by itself, so a light timer lets the handler run.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: window.close())
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    if window.geometry_restored:
        window.show()
    else:  # first run on this PC: use the whole screen; later runs reopen as the user left it
        window.setGeometry(window.screen().availableGeometry())  # also without a window manager
        window.showMaximized()
    try:
        rc = app.exec()
    finally:
        trimmer.stop()
        window.shutdown()
        if workers_ahead is not None:
            workers_ahead.stop()
        log.log(Source.SYSTEM, "app.stop", "Studio Console closed")
        log.close()
        QCoreApplication.processEvents()
    return rc
