"""A real network camera for the tests: an ffmpeg test-pattern sender over UDP on loopback.

The sender can be killed and restarted on the same port (a camera that drops off the
network and comes back). Pictures: ``moving`` (testsrc2, always changing), ``noisy_still``
(static bars plus temporal noise, like a presenter standing still in front of a real
sensor) and ``still`` (static bars, every decoded frame identical: a frozen picture).
"""
from __future__ import annotations

import subprocess
import time

import pytest

from tests.harness import free_port, need_binary

PICTURES = {
    "moving": "testsrc2=size={size}:rate={rate}",
    "noisy_still": "smptebars=size={size}:rate={rate},noise=alls=12:allf=t",
    "still": "smptebars=size={size}:rate={rate}",
}


class UdpCameraSender:
    """``ffmpeg -re -f lavfi -i PICTURE -c:v mpeg2video -f mpegts udp://127.0.0.1:PORT``."""

    def __init__(self, port: int | None = None, picture: str = "moving", size: str = "640x360", rate: int = 30) -> None:
        self.port = port or free_port()
        self.picture = picture
        self.size = size
        self.rate = rate
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """What a receiver opens (the capture adds overrun_nonfatal itself)."""
        return f"udp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, picture: str | None = None) -> "UdpCameraSender":
        if self.running:
            return self
        if picture:
            self.picture = picture
        graph = PICTURES[self.picture].format(size=self.size, rate=self.rate)
        cmd = [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", graph,
            "-c:v", "mpeg2video", "-q:v", "5", "-g", "15",
            "-f", "mpegts", f"udp://127.0.0.1:{self.port}?pkt_size=1316",
        ]
        # A session of its own, as a camera is a device of its own: with the kernel's autogroup
        # its encoder would otherwise take its CPU from the share of whoever started it.
        self._proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(0.2)
        if self._proc.poll() is not None:
            err = self._proc.stderr.read().decode(errors="replace").strip() if self._proc.stderr else ""
            raise RuntimeError(f"ffmpeg sender exited at once: {err[-300:]}")
        return self

    def kill(self) -> None:
        """The camera vanishes (SIGKILL: no goodbye packet)."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait(5)
            if self._proc.stderr:
                self._proc.stderr.close()
            self._proc = None

    def restart(self, picture: str | None = None) -> "UdpCameraSender":
        self.kill()
        return self.start(picture)


@pytest.fixture
def udp_camera():
    """A started moving-picture UDP camera on a free loopback port; killed after the test."""
    need_binary("ffmpeg camera sender", "ffmpeg")
    sender = UdpCameraSender()
    try:
        sender.start()
    except (OSError, RuntimeError) as exc:
        from tests.harness import unavailable

        unavailable("ffmpeg camera sender", str(exc))
    yield sender
    sender.kill()
