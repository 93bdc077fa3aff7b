"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``None`` on every wrapped call that
returns nothing, and to ``True`` on every ``Signal.emit``: a desk aborts with
"Fatal Python error: none_dealloc" after a few thousand calls. pyproject.toml excludes that
release; this test fails if such a binding is ever installed again.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

CODE = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    class Emitter(QObject):
        fired = Signal(object)
    e = Emitter()
    e.fired.connect(lambda v: None)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(20000):
        label.setText("x")
        e.fired.emit(i)
    print(sys.getrefcount(None) - before[0], sys.getrefcount(True) - before[1])
    """
)


def test_qt_calls_do_not_leak_or_steal_singleton_references():
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"Qt binding crashed the interpreter: {proc.stderr[-500:]}"
    d_none, d_true = (int(x) for x in proc.stdout.split())
    assert abs(d_none) < 100 and abs(d_true) < 100, (d_none, d_true)
