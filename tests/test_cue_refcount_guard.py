"""The PySide6 6.12 / CPython 3.11 reference leak on None and True must not abort the desk.

Runs in subprocesses: without the guard the interpreter aborts ("none_dealloc")."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    if sys.argv[1] == "guard":
        from studio_app.ui.qt_refcount import guard_singleton_refcounts
        print("APPLIED", guard_singleton_refcounts(), flush=True)
    class Probe(QObject):
        ping = Signal()
    label, probe = QLabel(), Probe()
    for _ in range(50_000):   # a few minutes of a busy desk
        label.setText("x")    # returns None
        probe.ping.emit()     # returns True
    print("SURVIVED", flush=True)
""")


def run(mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})


def test_guarded_process_survives_many_qt_calls():
    proc = run("guard")
    assert proc.returncode == 0 and "SURVIVED" in proc.stdout, proc.stderr[-800:]


def test_guard_is_only_applied_where_the_leak_exists():
    unguarded = run("plain")
    guarded = run("guard")
    leaks = unguarded.returncode != 0
    if leaks:
        assert "dealloc" in unguarded.stderr  # the failure the guard prevents
    assert f"APPLIED {leaks}" in guarded.stdout
