"""Work round a PySide6 6.12.0 reference-count bug on CPython 3.11.

Measured on this project's stack (PySide6/shiboken6 6.12.0 abi3 wheel, CPython 3.11.7):
every Qt method that returns nothing (``QPainter.setPen``, ``QLabel.setText``,
``QWidget.update`` ...) hands back ``None`` without taking a reference, and
``Signal.emit`` does the same with ``True``. Each call leaves the singleton one
reference short; after a few thousand calls CPython aborts the whole process with
"Fatal Python error: none_dealloc" (or "bool_dealloc"). A custom-painted screen makes
~50 such calls per frame, so the desk would die within seconds of animating.

CPython 3.12+ makes these singletons immortal (PEP 683), which is why the wheel works
there. On 3.11 we give them the same practical immortality: their reference count is
raised once by 2**40 (days of calls at any rate Qt can make). The guard first measures
the leak and does nothing when it is absent (a fixed PySide6, or Python >= 3.12).
"""
from __future__ import annotations

import ctypes
import sys
import threading

_BOOST = 1 << 40
_lock = threading.Lock()
_done: bool | None = None


def _leak_per_call() -> tuple[float, float]:
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtGui import QColor

    class _Probe(QObject):
        ping = Signal()

    colour = QColor()
    before = sys.getrefcount(None)
    for _ in range(64):
        colour.setRed(1)
    none_lost = (before - sys.getrefcount(None)) / 64
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(64):
        probe.ping.emit()
    true_lost = (before - sys.getrefcount(True)) / 64
    return none_lost, true_lost


def guard_singleton_refcounts() -> bool:
    """Make ``None``, ``True`` and ``False`` survive the leak (once per process, any
    thread). Returns True when the guard was needed and applied."""
    global _done
    with _lock:
        if _done is not None:
            return _done
        _done = False
        if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
            return False
        none_lost, true_lost = _leak_per_call()
        if none_lost < 0.5 and true_lost < 0.5:
            return False
        for obj in (None, True, False):
            # ob_refcnt is the first field of every CPython object.
            ctypes.c_ssize_t.from_address(id(obj)).value += _BOOST
        _done = True
        return True
