"""Hand-over from worker threads to the GUI thread.

Workers report on their own threads; these QObjects live in the GUI thread, so emitting
their signals from anywhere queues the call into the GUI event loop. The GUI never waits.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class ThreadBridge(QObject):
    """``bridge.post(value)`` from any thread → ``bridge.received(value)`` in the GUI thread."""

    received = Signal(object)

    def post(self, value: Any) -> None:
        try:
            self.received.emit(value)
        except RuntimeError:
            # The panel that owned this bridge was closed and deleted while a device thread
            # (a scan, a late status) still had something to say: nobody is left to tell.
            pass


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: "_ResultBridge") -> None:
        super().__init__()
        self._fn = fn
        self._bridge = bridge

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI as a value
            self._bridge.failed.emit(exc)
        else:
            self._bridge.done.emit(result)


class _ResultBridge(QObject):
    done = Signal(object)
    failed = Signal(object)


_live_bridges: set[_ResultBridge] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` on Qt's thread pool (disk, database, sockets); callbacks run in the GUI thread."""
    bridge = _ResultBridge()
    _live_bridges.add(bridge)

    def finish_ok(result: Any) -> None:
        _release(bridge)
        on_done(result)

    def finish_err(exc: BaseException) -> None:
        _release(bridge)
        if on_error:
            on_error(exc)

    bridge.done.connect(finish_ok)
    bridge.failed.connect(finish_err)
    QThreadPool.globalInstance().start(_Job(fn, bridge))


def _release(bridge: _ResultBridge) -> None:
    """The job is over: delete its bridge. Its connections hold the callbacks and the callbacks
    hold it, a cycle inside Qt that Python's collector never sees: every job left its bridge,
    its callbacks and whatever they captured alive (the soak: ~1,100 an hour)."""
    _live_bridges.discard(bridge)
    bridge.deleteLater()
