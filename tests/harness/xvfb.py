"""A private X display for tests: Xvfb on a free display number.

    xvfb = Xvfb()
    display = xvfb.start(1920, 1080)   # ":101"
    ...                                 # run X clients with DISPLAY=display
    xvfb.stop()

The session fixture ``xvfb_display`` gives tests one shared display (a string such as
":101"); parts that need their own (each headless OBS) start their own :class:`Xvfb`.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.harness import unavailable

X11_DIR = Path("/tmp/.X11-unix")


class XvfbError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """Child side of Popen: end this Xvfb when the test process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: best effort only
        pass


def _display_taken(n: int) -> bool:
    return (X11_DIR / f"X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists()


class Xvfb:
    """One Xvfb server. ``start`` returns the display string; ``stop`` is idempotent."""

    def __init__(self, first_display: int = 100) -> None:
        self.first_display = first_display
        self.display: str | None = None
        self.number: int | None = None
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, width: int = 1920, height: int = 1080, depth: int = 24, timeout: float = 10.0) -> str:
        if self.proc is not None:
            raise XvfbError("Xvfb already started")
        binary = shutil.which("Xvfb")
        if binary is None:
            raise XvfbError("Xvfb is not installed (apt-get install xvfb)")
        # Several test processes may race for a number: Xvfb refuses a taken one, so retry.
        n = self.first_display
        last_error = ""
        for _ in range(50):
            while _display_taken(n):
                n += 1
            self._log = tempfile.TemporaryFile()
            proc = subprocess.Popen(
                [binary, f":{n}", "-screen", "0", f"{width}x{height}x{depth}", "-nolisten", "tcp", "-noreset"],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if (X11_DIR / f"X{n}").exists():
                    self.proc, self.number, self.display = proc, n, f":{n}"
                    return self.display
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
            if proc.poll() is None:  # never made its socket: give up on this number
                proc.kill()
                proc.wait()
            self._log.seek(0)
            last_error = self._log.read().decode(errors="replace")[-500:]
            self._log.close()
            n += 1
        raise XvfbError(f"Xvfb would not start: {last_error.strip()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        self.display = None

    def env(self) -> dict[str, str]:
        """A copy of the environment with DISPLAY pointing at this server."""
        if self.display is None:
            raise XvfbError("Xvfb not started")
        return {**os.environ, "DISPLAY": self.display}


@pytest.fixture(scope="session")
def xvfb_display():
    """A shared 1920x1080x24 X display for the whole test session; yields ":N"."""
    xvfb = Xvfb()
    try:
        display = xvfb.start(1920, 1080)
    except XvfbError as exc:
        unavailable("Xvfb", str(exc))
    yield display
    xvfb.stop()
