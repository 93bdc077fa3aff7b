"""Camera capture: sources (OpenCV device / file / network URL, built-in test pattern) and the
supervised :class:`CameraFeed` worker that keeps only the latest frame.

Threads: a feed runs two plain ``threading`` threads, *capture* (open, read, reconnect)
and *watchdog* (notices a read that hangs). Status, events and ``stop()`` follow
:mod:`hardware.supervisor` (device ``camera``): callbacks are called on those threads and
must return quickly; after :meth:`CameraFeed.stop` no callback is called any more.

Loss and recovery: a failed read, the end of a network stream or a device that
disappears is reported as ``lost`` (the desk's NO SIGNAL) at once; a read that blocks is
caught by the watchdog after ``lost_after_s`` (1.5 s by default) and reported as
``stalled``, so loss is always reported within 2 s. The capture object is then released
and reopened with the shared retry policy (0.5 s doubling up to 2 s by default), forever,
until the source is back (OpenCV's FFmpeg capture never recovers by itself). Working
states are ``ok`` and ``test_signal`` (the built-in TEST PATTERN).

Video files loop (``loop=True``, the default): at the end the file is rewound, so a file
can stand in for a camera. They are paced at their own frame rate, like the test pattern.
"""
from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Protocol

from hardware.opencv_log import silence_opencv_logging  # noqa: F401 - its home before
from hardware.said import Said
from hardware.supervisor import DeviceState, EventCallback, RetryPolicy, StatusCallback, Supervised, Supervisor

# FFmpeg inside OpenCV prints decoder chatter ("Invalid frame dimensions 0x0" before the
# first key frame of a stream) on stderr; losses are reported through our own states instead.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "8")  # AV_LOG_FATAL; read at the first capture

import cv2  # noqa: E402
import numpy as np  # noqa: E402

# "can't open camera by index" warnings on stderr say nothing our NO SIGNAL state doesn't.
# A level already chosen in the environment wins: the command line silences OpenCV entirely
# (hardware.opencv_log) before a command first imports this module.
if "OPENCV_LOG_LEVEL" not in os.environ:
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

# OpenCV reads an index of 100 or more as backend*100 + camera (205 is V4L2 camera 5), and
# a C int cannot hold 99999999999999999999: only 0-99 name a camera.
MAX_DEVICE_INDEX = 99


INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR  # event severities (logging levels)


class SourceError(Exception):
    """A source cannot be opened (message says which source and why, in one line)."""


@dataclass(frozen=True)
class Frame:
    """One captured picture. ``image`` is BGR uint8 and must be treated as read-only."""

    image: np.ndarray
    index: int  # 1, 2, 3... per feed, across reconnects
    captured_at: float  # the feed's clock when the read returned (seconds)


class FrameSlot:
    """A single-slot holder: the newest frame replaces the previous one (latest frame wins).

    Thread-safe. A slow consumer never makes frames queue up; ``unseen`` counts frames
    replaced before anyone called :meth:`take`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._taken = True
        self.count = 0
        self.unseen = 0

    def put(self, image: np.ndarray, t: float) -> Frame:
        with self._lock:
            self.count += 1
            if not self._taken:
                self.unseen += 1
            self._frame = Frame(image, self.count, t)
            self._taken = False
            return self._frame

    def latest(self) -> Frame | None:
        with self._lock:
            return self._frame

    def take(self) -> Frame | None:
        """The latest frame, marking it seen (for the display)."""
        with self._lock:
            self._taken = True
            return self._frame

    def clear(self) -> None:
        with self._lock:
            self._frame = None
            self._taken = True


class FrameSource(Protocol):
    """What :class:`CameraFeed` reads from. ``open``/``read`` may block (bounded by the source)."""

    label: str  # for people: "udp://127.0.0.1:5000", "camera 0", "TEST PATTERN"
    is_test: bool
    paced: bool  # True: read() returns at once, the feed paces it at nominal_fps

    def open(self) -> None: ...  # raises SourceError

    def read(self) -> np.ndarray | None: ...  # None: read failed / stream ended

    def release(self) -> None: ...

    @property
    def nominal_fps(self) -> float: ...

    @property
    def resolution(self) -> tuple[int, int]: ...


def parse_source_spec(spec: str | int) -> tuple[str, str | int]:
    """("device", index) | ("url", url) | ("file", path) for a user's source string."""
    if isinstance(spec, int):
        return "device", spec
    text = str(spec).strip()
    if text.isdigit():
        return "device", int(text)
    if "://" in text:
        return "url", text
    return "file", text


class OpenCvSource:
    """A camera device index, a video file or a network stream (RTSP/UDP/HTTP) via OpenCV.

    ``width``/``height``/``fps`` are requests (devices may ignore them); the actual values
    are in :attr:`resolution` and :attr:`nominal_fps` once open.
    """

    is_test = False

    def __init__(
        self,
        spec: str | int,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        open_timeout_s: float = 5.0,
        read_timeout_s: float = 1.0,
        loop: bool = True,
    ) -> None:
        self.kind, self.target = parse_source_spec(spec)
        if self.kind == "url" and str(self.target).startswith("udp://") and "overrun_nonfatal" not in str(self.target):
            # Without it FFmpeg aborts the stream when its UDP buffer overruns under load.
            sep = "&" if "?" in str(self.target) else "?"
            self.target = f"{self.target}{sep}overrun_nonfatal=1"
        self.label = f"camera {self.target}" if self.kind == "device" else str(spec)
        self.requested = (width, height, fps)
        self.open_timeout_s = open_timeout_s
        self.read_timeout_s = read_timeout_s
        self.paced = self.kind == "file"
        self.loop = loop
        self._cap: cv2.VideoCapture | None = None
        self._fps = 0.0
        self._size = (0, 0)

    @property
    def nominal_fps(self) -> float:
        return self._fps

    @property
    def resolution(self) -> tuple[int, int]:
        return self._size

    def open(self) -> None:
        self.release()
        if self.kind == "file" and not os.path.isfile(str(self.target)):
            raise SourceError(f"{self.target}: no such file")
        if self.kind == "device" and not 0 <= int(self.target) <= MAX_DEVICE_INDEX:
            raise SourceError(f"{self.label}: no such camera index (use 0-{MAX_DEVICE_INDEX})")
        params = [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(self.open_timeout_s * 1000),
            cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(self.read_timeout_s * 1000),
        ]
        try:
            if self.kind == "device":
                cap = cv2.VideoCapture(int(self.target), cv2.CAP_ANY, params)
            else:
                cap = cv2.VideoCapture(str(self.target), cv2.CAP_FFMPEG, params)
        except cv2.error as exc:  # OpenCV refuses the argument itself (e.g. a NUL in the name)
            raise SourceError(f"{self.label}: cannot open ({str(exc).strip().splitlines()[-1]})") from None
        if not cap.isOpened():
            cap.release()
            what = "device" if self.kind == "device" else "stream" if self.kind == "url" else "video file"
            raise SourceError(f"{self.label}: cannot open {what}")
        w, h, fps = self.requested
        if self.kind == "device":
            if w and h:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, w)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, h)
            if fps:
                cap.set(cv2.CAP_PROP_FPS, fps)
        self._cap = cap
        reported = cap.get(cv2.CAP_PROP_FPS)
        self._fps = float(reported) if reported and math.isfinite(reported) and 0 < reported < 1000 else 0.0
        self._size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))

    def read(self) -> np.ndarray | None:
        cap = self._cap
        if cap is None:
            return None
        ok, image = cap.read()
        if not ok and self.kind == "file" and self.loop:
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)  # loop the file
            ok, image = cap.read()
        if not ok or image is None:
            return None
        if image.shape[1::-1] != self._size:
            self._size = (image.shape[1], image.shape[0])
        return image

    def release(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@dataclass(frozen=True)
class FeedStats:
    state: DeviceState
    source: str
    requested: tuple[int | None, int | None, float | None]  # width, height, fps asked for
    resolution: tuple[int, int]  # actual width, height of the latest frame (0, 0 before any)
    nominal_fps: float  # what the source says (0 if unknown)
    measured_fps: float  # frames per second over the last ~2 s
    frames: int  # frames captured since start
    dropped: int  # frames the source skipped (gaps longer than 1.5 frame periods)
    unseen: int  # frames replaced before the display took them (a slow consumer)
    reconnects: int
    last_frame_age_s: float | None


class CameraFeed(Supervised):
    """Supervised capture of one source into a :class:`FrameSlot` (see module docstring)."""

    def __init__(
        self,
        source: FrameSource,
        *,
        on_status: StatusCallback | None = None,
        on_event: EventCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        lost_after_s: float = 1.5,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.source = source
        self.slot = FrameSlot()
        self._clock = clock
        self._sup = Supervisor("camera", on_status=on_status, on_event=on_event, retry=retry, clock=clock,
                               source=source.label)
        self.lost_after_s = lost_after_s
        self._lock = threading.Lock()
        self._times: deque[float] = deque(maxlen=64)
        self._last_frame_at: float | None = None
        self._dropped = 0
        self._reconnects = 0
        self._ever_opened = False
        self._generation = 0  # bumped on each (re)open, so the watchdog can tell a new session

    # -- public ---------------------------------------------------------------------------
    @property
    def state(self) -> DeviceState:
        return self._sup.state

    @property
    def detail(self) -> str:
        return self._sup.status.detail

    def latest(self) -> Frame | None:
        return self.slot.latest()

    def start(self) -> None:
        if self._sup.running:
            return
        self._sup.report(DeviceState.CONNECTING, Said("camera_opening", source=self.source.label))
        self._sup.start([("camera-capture", self._capture_loop), ("camera-watchdog", self._watchdog_loop)])

    def stop(self, timeout: float = 2.0) -> bool:
        """The stop contract of :mod:`hardware.supervisor`. ``timeout=0`` returns at once
        (the capture thread ends after its current blocking call, at most the source's open
        timeout); True when both threads ended within ``timeout``."""
        return self._sup.stop(timeout)

    def stats(self) -> FeedStats:
        with self._lock:
            times = list(self._times)
            last = self._last_frame_at
        now = self._clock()
        recent = [t for t in times if now - t <= 2.0]
        fps = (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) >= 2 and recent[-1] > recent[0] else 0.0
        frame = self.slot.latest()
        res = (frame.image.shape[1], frame.image.shape[0]) if frame is not None else (0, 0)
        return FeedStats(
            state=self._sup.state,
            source=self.source.label,
            requested=getattr(self.source, "requested", (None, None, None)),
            resolution=res,
            nominal_fps=float(self.source.nominal_fps or 0.0),
            measured_fps=fps,
            frames=self.slot.count,
            dropped=self._dropped,
            unseen=self.slot.unseen,
            reconnects=self._reconnects,
            last_frame_age_s=None if last is None else now - last,
        )

    # -- internals ------------------------------------------------------------------------
    def _wait_retry(self) -> None:
        self._sup.stopping.wait(self._sup.retry_wait() or 0.0)

    def _capture_loop(self) -> None:
        src = self.source
        stopping = self._sup.stopping
        period = 0.0
        next_due = 0.0
        opened = False
        try:
            while not stopping.is_set():
                if not opened:
                    try:
                        try:
                            src.open()
                        except SourceError:
                            raise
                        except Exception as exc:  # noqa: BLE001 - e.g. cv2.error on a malformed URL
                            raise SourceError(f"{src.label}: {exc}") from exc
                    except SourceError as exc:
                        if stopping.is_set():
                            break
                        self._sup.report(DeviceState.LOST, str(exc), message=f"camera source cannot be opened: {exc}")
                        self._wait_retry()
                        continue
                    opened = True
                    with self._lock:
                        self._generation += 1
                        self._last_frame_at = None
                    if self._ever_opened:
                        self._reconnects += 1
                    self._ever_opened = True
                    fps = src.nominal_fps
                    period = 1.0 / fps if fps > 0 else 0.0
                    next_due = self._clock()

                try:
                    image = src.read()
                except Exception:  # noqa: BLE001 - a driver error is a lost picture, not a dead worker
                    logging.getLogger(__name__).debug("camera read raised", exc_info=True)
                    image = None
                now = self._clock()
                if stopping.is_set():
                    break
                if image is None:
                    why = "read failed or stream ended"
                    self._sup.report(DeviceState.LOST, Said("camera_read_failed", source=src.label),
                                     message=f"camera picture lost: {src.label} ({why})", payload={"why": why})
                    src.release()
                    opened = False
                    self._wait_retry()
                    continue
                with self._lock:
                    last = self._last_frame_at
                    if last is not None and period > 0 and not src.paced:
                        gap = now - last
                        if gap > 1.5 * period:
                            self._dropped += int(round(gap / period)) - 1
                    self._last_frame_at = now
                    self._times.append(now)
                self.slot.put(image, now)
                working = DeviceState.TEST_SIGNAL if src.is_test else DeviceState.OK
                if self._sup.state is not working:
                    w, h = image.shape[1], image.shape[0]
                    self._sup.report(working, f"{src.label} {w}x{h}", message=f"camera picture: {src.label} {w}x{h} @ {fps:g} fps",
                                     payload={"width": w, "height": h, "fps": round(fps, 3), "reconnects": self._reconnects})
                if src.paced and period > 0:
                    next_due += period
                    delay = next_due - self._clock()
                    if delay > 0:
                        stopping.wait(delay)
                    elif delay < -period:
                        next_due = self._clock()  # fell behind: do not burst to catch up
        finally:
            src.release()

    def _watchdog_loop(self) -> None:
        """A read that blocks (a network camera gone silent) is a stalled feed."""
        while not self._sup.stopping.wait(0.1):
            with self._lock:
                last, generation = self._last_frame_at, self._generation
            if not self._sup.state.working or last is None or self._clock() - last <= self.lost_after_s:
                continue
            why = f"no frame for {self._clock() - last:.1f} s"
            with self._lock:
                if generation != self._generation:
                    continue  # the capture thread has reopened meanwhile
            self._sup.report(DeviceState.STALLED, Said("camera_no_frame", source=self.source.label,
                                                       seconds=self._clock() - last),
                             message=f"camera picture lost: {self.source.label} ({why})", payload={"why": why, "no_frame_s": round(self._clock() - last, 1)})


class TestPatternSource:
    """Generated colour bars with a moving box, a running frame count and "TEST PATTERN" text.

    Unmistakable on a monitor, so nobody mistakes it for the studio camera.
    """

    __test__ = False  # not a pytest test class
    is_test = True
    paced = True
    label = "TEST PATTERN"

    def __init__(self, width: int = 1280, height: int = 720, fps: float = 30.0) -> None:
        self.requested = (width, height, fps)
        self._size = (width, height)
        self._fps = fps
        self._base = self._bars(width, height)
        self._n = 0

    @property
    def nominal_fps(self) -> float:
        return self._fps

    @property
    def resolution(self) -> tuple[int, int]:
        return self._size

    @staticmethod
    def _bars(w: int, h: int) -> np.ndarray:
        # 75 % SMPTE-style bars (BGR): white, yellow, cyan, green, magenta, red, blue.
        colours = [(191, 191, 191), (0, 191, 191), (191, 191, 0), (0, 191, 0), (191, 0, 191), (0, 0, 191), (191, 0, 0)]
        img = np.zeros((h, w, 3), dtype=np.uint8)
        top = int(h * 0.67)
        for i, c in enumerate(colours):
            img[:top, i * w // 7:(i + 1) * w // 7] = c
        ramp = np.linspace(0, 255, w, dtype=np.float32).astype(np.uint8)
        img[top:int(h * 0.8)] = ramp[None, :, None]
        img[int(h * 0.8):] = 16
        scale = h / 360
        text = "TEST PATTERN"
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_DUPLEX, 1.6 * scale, max(1, int(3 * scale)))
        org = ((w - tw) // 2, int(h * 0.9) + th // 2)
        cv2.rectangle(img, (org[0] - 10, org[1] - th - 10), (org[0] + tw + 10, org[1] + 10), (0, 0, 0), -1)
        # Text and box at 92 % / 75 %, not 100 %: the pattern itself must pass the exposure check.
        cv2.putText(img, text, org, cv2.FONT_HERSHEY_DUPLEX, 1.6 * scale, (235, 235, 235), max(1, int(3 * scale)), cv2.LINE_AA)
        return img

    def open(self) -> None:
        self._n = 0

    def read(self) -> np.ndarray | None:
        w, h = self._size
        img = self._base.copy()
        self._n += 1
        # A bar a quarter of the picture tall sweeping 8 px a frame: between two checks (~3 frames)
        # it changes ~0.7 % of full scale, well above the frozen-picture floor (0.1 %), so the
        # pattern can never read as frozen (a small slow box sat right at the floor).
        bw, bh = max(8, w // 16), max(8, h // 4)
        x = int((self._n * 8 * w / 1280) % max(1, w - bw))
        y = int(h * 0.67) - bh - 4
        cv2.rectangle(img, (x, y), (x + bw, y + bh), (191, 191, 191), -1)
        cv2.putText(img, f"{self._n:06d}", (10, 10 + int(20 * h / 360)), cv2.FONT_HERSHEY_SIMPLEX, 0.6 * h / 360,
                    (235, 235, 235), max(1, int(h / 360)), cv2.LINE_AA)
        return img

    def release(self) -> None:
        return None
