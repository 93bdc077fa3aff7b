"""The desk starts Qt's accessibility bridge (AT-SPI, for screen readers) when it creates the
application, before any worker thread exists.

Qt starts the bridge lazily, the first time a widget is parented, and the bridge connects to the
session D-Bus with a blocking call into Qt's D-Bus thread. PySide6 makes that call holding
Python's interpreter lock, so a first widget built while workers run (the soak builds its views
after its devices are up) can deadlock the GUI thread: a 5-minute soak hung exactly there in CI.
Witness: the session bus itself (``dbus-send``), on a private ``dbus-daemon``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.harness import need_binary, unavailable
from tests.harness.xvfb import xvfb_display  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import sys
    from studio_app.ui.app import create_application

    app = create_application()
    print("app", flush=True)
    sys.stdin.readline()
    from PySide6.QtWidgets import QScrollArea, QWidget

    window = QWidget()
    QScrollArea(window)
    print("widget", flush=True)
    sys.stdin.readline()
""")


@pytest.fixture
def session_bus():
    need_binary("D-Bus", "dbus-daemon", "dbus-send")
    proc = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                          capture_output=True, text=True, timeout=10)
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) < 2:
        unavailable("D-Bus", f"dbus-daemon would not start: {proc.stderr.strip()[-300:]}")
    address, pid = lines[0], int(lines[1])
    yield address
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        pass


def bus_pids(address: str) -> set[int]:
    """Process ids of every connection on the bus, as the bus daemon reports them."""
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}

    def call(method: str, *args: str) -> str:
        out = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                              "/org/freedesktop/DBus", f"org.freedesktop.DBus.{method}", *args],
                             capture_output=True, text=True, env=env, timeout=10)
        return out.stdout

    names = [w.strip('"') for w in call("ListNames").split() if w.startswith('":')]
    pids = set()
    for name in names:
        reply = call("GetConnectionUnixProcessID", f"string:{name}").split()
        if "uint32" in reply:
            pids.add(int(reply[reply.index("uint32") + 1]))
    return pids


def test_the_accessibility_bridge_is_up_before_the_first_widget(session_bus, xvfb_display):  # noqa: F811
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "DBUS_SESSION_BUS_ADDRESS": session_bus, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "app"
        # the console is on the bus once its application exists, before any widget or worker
        assert child.pid in bus_pids(session_bus)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "widget"
        assert child.pid in bus_pids(session_bus)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(20) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
