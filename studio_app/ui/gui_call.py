"""Run a function on the GUI thread from any thread and get a ``concurrent.futures.Future``.

The remote-control server's loop thread hands every studio call (dispatch, the registry, the
state snapshot) to the thread that owns the studio, so a remote action runs exactly like a key
press: one at a time, between two GUI events. The caller waits on the future in its own
thread or loop; the GUI thread never waits on it.
"""
from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


class GuiCall(QObject):
    """Create on the GUI thread; call from any thread: ``future = gui_call(fn)``."""

    _queued = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queued.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def __call__(self, fn: Callable[[], Any]) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queued.emit((fn, future))
        return future

    def _run(self, item: tuple[Callable[[], Any], concurrent.futures.Future]) -> None:
        fn, future = item
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            future.set_exception(exc)
