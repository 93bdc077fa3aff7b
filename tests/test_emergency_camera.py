"""A real network camera that dies makes the desk propose the camera runbook: the ffmpeg UDP
sender (tests/harness/camera.py) is killed → the camera feed's typed status → the device
board → the alarm watcher. Before the unified statuses this alarm waited for a word no
worker reported."""
from __future__ import annotations

import queue
import time

import pytest

from hardware.camera import CameraFeed, OpenCvSource
from studio_app.core.devices import DeviceBoard, DeviceState
from studio_app.show.emergency import AlarmWatcher, default_runbooks_path, load_runbooks

pytestmark = pytest.mark.slow


def _drain(inbox: queue.Queue, watcher: AlarmWatcher, until, timeout: float) -> list:
    """Feed board news to the watcher (as the desk's GUI thread does) until ``until(found)``."""
    found: list = []
    deadline = time.monotonic() + timeout
    while not until(found):
        assert time.monotonic() < deadline, f"gave up; suggestions so far: {found}, alarms: {watcher.active}"
        try:
            found += watcher.observe(inbox.get(timeout=0.05))
        except queue.Empty:
            found += watcher.tick()
    return found


def test_killed_network_camera_proposes_the_camera_runbook_and_clears_when_it_is_back(udp_camera):
    books = load_runbooks(default_runbooks_path())
    hold = next(t.for_at_least_s for t in books.get("camera").triggers if t.alarm == "camera.no_signal")
    board = DeviceBoard()
    inbox: queue.Queue = queue.Queue()
    board.subscribe(inbox.put)
    watcher = AlarmWatcher(books)
    feed = CameraFeed(OpenCvSource(udp_camera.url), on_status=board.report)  # the worker reports straight onto the board
    feed.start()
    try:
        _drain(inbox, watcher, lambda _: board.get("camera") is not None and board.get("camera").state is DeviceState.OK, 10)
        assert watcher.active == {}  # a working camera raises nothing

        t_kill = time.monotonic()
        udp_camera.kill()
        (s,) = _drain(inbox, watcher, bool, 2.0 + hold + 3.0)
        waited = time.monotonic() - t_kill
        assert s.alarm == "camera.no_signal" and s.runbook.id == "camera"
        assert board.get("camera").state in (DeviceState.LOST, DeviceState.STALLED)
        assert waited >= hold  # the runbook's "for at least 2 s" is honoured
        assert "摄像头无信号" in s.message("zh") and "Camera: no signal" in s.message("en")
        assert _drain(inbox, watcher, lambda _: True, 1) == []  # once per outage, however many retries

        udp_camera.start()  # nobody touches the feed: it reconnects, and the alarm clears
        _drain(inbox, watcher, lambda _: board.get("camera").state is DeviceState.OK, 10)
        assert "camera.no_signal" not in watcher.active
    finally:
        assert feed.stop(timeout=3.0)
