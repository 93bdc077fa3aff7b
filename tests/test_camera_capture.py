"""The capture worker on real sources: the test pattern, a video file, a missing file that
appears later, and a live ffmpeg UDP camera that is killed and restarted."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware.camera import CameraFeed, CameraMonitor, OpenCvSource, TestPatternSource
from hardware.camera.capture import FrameSlot
from hardware.supervisor import DeviceState

LIVE, TEST = DeviceState.OK, DeviceState.TEST_SIGNAL
NO_SIGNAL = (DeviceState.LOST, DeviceState.STALLED)  # the desk's NO SIGNAL


class Recorder:
    """Collects a feed's status changes and events with their arrival time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.states: list[tuple[float, DeviceState, str]] = []
        self.events: list[tuple[float, str, str, int, dict]] = []

    def status(self, status) -> None:
        with self.lock:
            self.states.append((time.monotonic(), status.state, status.detail))

    def event(self, kind: str, message: str, severity: int, payload: dict) -> None:
        with self.lock:
            self.events.append((time.monotonic(), kind, message, severity, payload))

    def kinds(self) -> list[str]:
        with self.lock:
            return [e[1] for e in self.events]

    def first_state_after(self, states: tuple[DeviceState, ...], t0: float) -> float | None:
        with self.lock:
            return next((t for t, s, _ in self.states if s in states and t >= t0), None)

    def first_event_after(self, kinds: tuple[str, ...], t0: float):
        with self.lock:
            return next((e for e in self.events if e[1] in kinds and e[0] >= t0), None)


def wait_for(predicate, timeout: float, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def feeds():
    made: list = []
    yield made
    for f in made:
        f.stop()


def test_latest_frame_wins_and_unseen_frames_are_counted():
    slot = FrameSlot()
    for i in range(5):
        slot.put(np.full((2, 2, 3), i, np.uint8), float(i))
    frame = slot.take()
    assert frame.index == 5 and int(frame.image[0, 0, 0]) == 4
    assert slot.unseen == 4  # four frames were replaced before anyone looked: never queued


def test_test_pattern_runs_at_its_rate_and_is_labelled(feeds):
    rec = Recorder()
    feed = CameraFeed(TestPatternSource(640, 360, 30), on_status=rec.status, on_event=rec.event)
    feeds.append(feed)
    feed.start()
    assert wait_for(lambda: feed.state == TEST, 2.0)
    time.sleep(1.5)
    stats = feed.stats()
    assert stats.resolution == (640, 360)
    assert 20 <= stats.measured_fps <= 36
    assert stats.source == "TEST PATTERN"
    frame = feed.latest()
    # Frames differ (the moving box and counter), so the pattern never reads as frozen.
    time.sleep(0.1)
    assert not np.array_equal(frame.image, feed.latest().image)
    opened = rec.first_event_after(("device.test_signal",), 0)
    assert opened[4]["width"] == 640 and opened[4]["device"] == "camera" and opened[4]["source"] == "TEST PATTERN"


def test_video_file_loops_and_paces_at_its_frame_rate(tmp_path, feeds):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20, (320, 240))
    for i in range(10):  # half a second of video
        f = np.zeros((240, 320, 3), np.uint8)
        f[:, : 32 * (i + 1)] = 200
        writer.write(f)
    writer.release()
    feed = CameraFeed(OpenCvSource(str(path)))
    feeds.append(feed)
    feed.start()
    time.sleep(1.6)
    stats = feed.stats()
    assert stats.state == LIVE
    assert 22 <= stats.frames <= 40  # ~1.5 s at 20 fps: looped (more than 10), not raced
    assert stats.nominal_fps == pytest.approx(20, abs=0.5)


def test_missing_file_reports_no_signal_then_recovers_when_it_appears(tmp_path, feeds):
    path = tmp_path / "later.avi"
    rec = Recorder()
    feed = CameraFeed(OpenCvSource(str(path)), on_status=rec.status, on_event=rec.event)
    feeds.append(feed)
    feed.start()
    assert wait_for(lambda: feed.state in NO_SIGNAL, 2.0)
    time.sleep(1.0)  # it keeps trying, quietly: one event for the outage
    assert rec.kinds().count("device.lost") == 1
    assert feed.status.attempt >= 2 and feed.status.next_retry is not None  # counted, and scheduled
    writer = cv2.VideoWriter(str(tmp_path / "tmp.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 25, (160, 120))
    for _ in range(25):
        writer.write(np.full((120, 160, 3), 90, np.uint8))
    writer.release()
    Path(tmp_path / "tmp.avi").rename(path)
    assert wait_for(lambda: feed.state == LIVE, 4.0)  # backoff is capped at 2 s
    back = rec.first_event_after(("device.ok",), 0)
    assert back[4]["previous"] == "lost" and back[4]["outage_s"] > 1.0


def test_unopenable_device_index_is_no_signal_not_a_crash(feeds):
    feed = CameraFeed(OpenCvSource(7))
    feeds.append(feed)
    feed.start()
    assert wait_for(lambda: feed.state in NO_SIGNAL, 2.0)
    assert "camera 7" in feed.detail


@pytest.mark.slow
def test_live_udp_camera_lost_within_two_seconds_and_back_by_itself(udp_camera, feeds):
    rec = Recorder()
    feed = CameraFeed(OpenCvSource(udp_camera.url), on_status=rec.status, on_event=rec.event)
    feeds.append(feed)
    feed.start()
    assert wait_for(lambda: feed.state == LIVE, 8.0), rec.states
    assert wait_for(lambda: feed.stats().measured_fps > 20, 3.0)
    assert feed.stats().resolution == (640, 360)

    killed = time.monotonic()
    udp_camera.kill()
    assert wait_for(lambda: feed.state in NO_SIGNAL, 3.0)
    lost_after = rec.first_state_after(NO_SIGNAL, killed) - killed
    assert lost_after <= 2.0, f"NO SIGNAL after {lost_after:.2f} s"
    assert rec.first_event_after(("device.lost", "device.stalled"), killed) is not None

    time.sleep(1.0)  # stays down a while; the feed keeps retrying on its own
    frames_before = feed.stats().frames
    udp_camera.start()
    assert wait_for(lambda: feed.state == LIVE, 8.0), rec.states[-3:]
    assert wait_for(lambda: feed.stats().frames > frames_before + 10, 3.0)
    assert rec.first_event_after(("device.ok",), killed)[4]["outage_s"] > 1.0
    assert feed.stats().reconnects >= 1


@pytest.mark.slow
def test_live_frozen_stream_is_frozen_and_noisy_still_scene_is_not(udp_camera, feeds):
    reports = []
    feed = CameraFeed(OpenCvSource(udp_camera.url))
    monitor = CameraMonitor(feed, on_report=lambda r: reports.append((time.monotonic(), r.signal)))
    feeds.append(feed)
    udp_camera.restart("noisy_still")
    feed.start()
    monitor.start()
    try:
        assert wait_for(lambda: feed.state == LIVE, 8.0)
        t0 = time.monotonic()
        time.sleep(3.5)  # well past the 2 s freeze duration
        noisy = [s for t, s in reports if t >= t0]
        assert noisy and "frozen" not in noisy and noisy[-1] == "ok"
        assert monitor.checks_done >= 30  # >= 10 Hz

        udp_camera.restart("still")  # every decoded frame identical from now on
        assert wait_for(lambda: feed.state == LIVE and reports and reports[-1][1] == "ok", 8.0)
        t_still = time.monotonic()
        assert wait_for(lambda: reports[-1][1] == "frozen", 6.0)
        took = next(t for t, s in reports if s == "frozen" and t >= t_still) - t_still
        assert 1.8 <= took <= 4.5, took  # 2 s of identical frames (plus the reconnect)
    finally:
        monitor.stop()


def test_picture_checks_fold_into_the_cameras_typed_status():
    """A working feed whose picture is black reads ``black``; a dark one ``degraded`` with the
    reason; a lost feed stays lost whatever the last report said."""
    from hardware.camera import PictureChecker, picture_status
    from hardware.supervisor import DeviceStatus, Level

    live = DeviceStatus("camera", DeviceState.OK, "udp://cam 640x360")
    black, dark = PictureChecker(), PictureChecker()
    for i in range(80):  # four seconds at 20 fps: long enough for the held verdicts to settle
        black.feed(np.zeros((180, 320, 3), np.uint8), i * 0.05, i + 1)
        frame = np.random.default_rng(i).integers(10, 40, (180, 320, 3), dtype=np.uint8)
        dark.feed(frame, i * 0.05, i + 1)
    st = picture_status(live, black.report)
    assert st.state is DeviceState.BLACK and st.level is Level.ERROR and st.detail
    st = picture_status(live, dark.report)
    assert st.state is DeviceState.DEGRADED and st.level is Level.WARNING and "dark" in st.detail.lower()
    lost = DeviceStatus("camera", DeviceState.LOST, "read failed")
    assert picture_status(lost, black.report) is lost
    assert picture_status(live, None) is live
