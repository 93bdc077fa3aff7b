"""napari-style leak detectors: a Qt test that leaves a QThread running, a QTimer active or a
top-level widget open fails, naming where the thread or timer was started.

A thread left running when its owner is deleted aborts the whole pytest process
("QThread: Destroyed while thread is still running"), so this is caught at the test that
caused it instead of as a mysterious crash later.
"""
from __future__ import annotations

import traceback
import weakref

import pytest

_started: dict[str, list] = {"thread": [], "timer": []}
_patched = False


def _site() -> str:
    frames = [f for f in traceback.extract_stack()[:-2] if "qt_hygiene" not in f.filename]
    f = frames[-1] if frames else None
    return f"{f.filename}:{f.lineno}" if f else "?"


def _patch() -> None:
    global _patched
    if _patched:
        return
    from PySide6.QtCore import QThread, QTimer

    thread_start = QThread.start
    timer_start = QTimer.start

    def start_thread(self, *args, **kwargs):
        _started["thread"].append((weakref.ref(self), _site()))
        return thread_start(self, *args, **kwargs)

    def start_timer(self, *args, **kwargs):
        _started["timer"].append((weakref.ref(self), _site()))
        return timer_start(self, *args, **kwargs)

    QThread.start = start_thread
    QTimer.start = start_timer
    _patched = True


def _alive(ref, check) -> bool:
    obj = ref()
    if obj is None:
        return False
    try:
        return bool(check(obj))
    except RuntimeError:  # C++ object already deleted
        return False


def _uses_qt(item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "qtbot" in names or "qapp" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if _uses_qt(item):
        _patch()
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        item._qt_toplevels_before = {id(w) for w in app.topLevelWidgets()} if app else set()
        _started["thread"].clear()
        _started["timer"].clear()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if not _uses_qt(item) or item.get_closest_marker("allow_leaks"):
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    problems = []
    for ref, site in _started["thread"]:
        if _alive(ref, lambda t: t.isRunning()):
            problems.append(f"QThread started at {site} is still running")
            try:
                ref().quit()
                ref().wait(2000)
            except RuntimeError:
                pass
    for ref, site in _started["timer"]:
        if _alive(ref, lambda t: t.isActive()):
            problems.append(f"QTimer started at {site} is still active")
            try:
                ref().stop()
            except RuntimeError:
                pass
    before = getattr(item, "_qt_toplevels_before", set())
    for w in app.topLevelWidgets():
        if id(w) not in before and w.isVisible():
            problems.append(f"top-level widget {type(w).__name__} {w.objectName()!r} left open")
            w.close()
            w.deleteLater()
    _started["thread"].clear()
    _started["timer"].clear()
    if problems:
        pytest.fail("Qt objects leaked by the test:\n  " + "\n  ".join(problems), pytrace=False)


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_leaks: skip the Qt leak detectors for this test")
