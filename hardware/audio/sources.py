"""Where the mic worker's samples come from: a PortAudio input, or the built-in test signal.

Both have the same small interface (:class:`CaptureSource`): ``open`` resolves the
format, asks for a ring and starts delivering into ``ring.callback``; ``finished`` tells
that the stream ended by itself (audio server killed, device unplugged); ``close`` stops.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from hardware.audio import devices
from hardware.audio.ring import NO_STATUS, SampleRing

TEST_SIGNAL_NAME = "TEST SIGNAL (built-in)"


class SourceError(Exception):
    """The source cannot be opened now; the message says why, in one line."""


@dataclass(frozen=True)
class StreamFormat:
    device: str  # the device's name as shown to the operator
    samplerate: int
    channels: int
    is_test_signal: bool = False


RingFactory = Callable[[StreamFormat], SampleRing]


class CaptureSource(Protocol):
    name: str
    is_test_signal: bool

    def open(self, make_ring: RingFactory) -> StreamFormat: ...
    def finished(self) -> bool: ...
    def close(self) -> None: ...


class SoundDeviceSource:
    """A PortAudio input stream on the device called ``name`` (empty: the default device).

    The name is resolved to an index at every open, so it survives index changes.
    Opening tries ``samplerate`` first and then the device's own default rate.
    """

    is_test_signal = False

    def __init__(self, name: str = "", samplerate: int = 48000, channels: int = 2, blocksize: int = 480) -> None:
        self.name = name
        self.samplerate = samplerate
        self.max_channels = channels
        self.blocksize = blocksize
        self._stream = None
        self._finished = threading.Event()
        self.close_timeout = 0.3

    def open(self, make_ring: RingFactory) -> StreamFormat:
        try:
            sd = devices._sd()
        except OSError as exc:
            raise SourceError(f"PortAudio is not available: {exc}") from None
        try:
            return self._open(sd, make_ring)
        except SourceError:
            # The device list is read when PortAudio initialises: a device or audio
            # server that appeared since is only seen after a re-initialisation.
            devices.scan_input_devices()
            return self._open(sd, make_ring)

    def _open(self, sd, make_ring: RingFactory) -> StreamFormat:  # noqa: ANN001
        with devices.PORTAUDIO_LOCK:
            found = devices.find_input_device(self.name, devices.list_input_devices())
            if found is None:
                what = f"input device {self.name!r}" if self.name else "any input device"
                raise SourceError(f"{what} not found")
            channels = max(1, min(self.max_channels, found.max_input_channels))
            last_error: Exception | None = None
            for rate in dict.fromkeys([self.samplerate, int(found.default_samplerate)]):
                fmt = StreamFormat(found.name, int(rate), channels)
                ring = make_ring(fmt)
                self._finished.clear()
                try:
                    stream = sd.InputStream(
                        device=found.index, samplerate=rate, channels=channels, dtype="float32",
                        blocksize=self.blocksize, latency="low", callback=ring.callback,
                        finished_callback=self._finished.set,
                    )
                    devices.stream_opened()
                except (sd.PortAudioError, ValueError) as exc:
                    last_error = exc
                    continue
                self._stream = stream
                try:
                    stream.start()
                except sd.PortAudioError as exc:
                    self.close()
                    last_error = exc
                    continue
                return fmt
            raise SourceError(f"cannot open input device {found.name!r}: {last_error}")

    def finished(self) -> bool:
        stream = self._stream
        return self._finished.is_set() or (stream is not None and not stream.active)

    def close(self) -> None:
        """Close without ever blocking the caller for more than ``close_timeout`` s.

        After an audio server dies PortAudio's ALSA thread can spin on poll errors and
        then abort() never returns; such a stream is left to a reaper thread and the
        caller goes on (the worker opens a fresh stream meanwhile)."""
        stream, self._stream = self._stream, None
        if stream is None:
            return

        def reap() -> None:
            try:
                stream.abort(ignore_errors=True)
                stream.close(ignore_errors=True)
            except Exception:  # noqa: BLE001 - a dead stream may fail to close; it is gone either way
                pass
            finally:
                devices.stream_closed()

        reaper = threading.Thread(target=reap, name="mic-stream-close", daemon=True)
        reaper.start()
        reaper.join(self.close_timeout)


class TestSignalSource:
    """A built-in, speech-like test signal delivered in real time (10 ms blocks).

    Voiced "syllables" (a 120-220 Hz buzz with decaying harmonics) about 4 per second,
    phrases of 2-3 s with short pauses, over a -70 dBFS hiss: the meters move like a voice,
    peaks sit around -12 dBFS and short-term loudness near -20 LUFS. Its state must always
    be shown as a test signal: it is not the studio's microphone.
    """

    __test__ = False  # not a pytest class, whatever its name
    is_test_signal = True
    name = TEST_SIGNAL_NAME

    def __init__(self, samplerate: int = 48000, channels: int = 2, block_s: float = 0.01,
                 clock: Callable[[], float] = time.monotonic, seed: int = 7) -> None:
        self.samplerate = samplerate
        self.channels = channels
        self.block = max(1, int(samplerate * block_s))
        self.clock = clock
        self._rng = np.random.default_rng(seed)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._t = 0  # samples generated
        self._phase = 0.0

    def open(self, make_ring: RingFactory) -> StreamFormat:
        fmt = StreamFormat(self.name, self.samplerate, self.channels, is_test_signal=True)
        ring = make_ring(fmt)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(ring,), name="mic-test-signal", daemon=True)
        self._thread.start()
        return fmt

    def generate(self, frames: int) -> np.ndarray:
        """The next ``frames`` samples, ``(frames, channels)`` float32."""
        fs = self.samplerate
        t = (self._t + np.arange(frames)) / fs
        self._t += frames
        phrase = np.mod(t, 3.2)
        voiced = phrase < 2.6  # 0.6 s pause per phrase
        syllable = np.sin(np.pi * np.mod(t * 4.3, 1.0)) ** 2
        f0 = 170.0 + 50.0 * np.sin(2 * np.pi * 0.7 * t)
        inc = 2 * np.pi * f0 / fs
        phase = self._phase + np.cumsum(inc)
        self._phase = float(phase[-1] % (2 * np.pi))
        buzz = sum(np.sin(k * phase) / k for k in range(1, 9))
        x = 0.25 * buzz * syllable * voiced
        x += 10 ** (-70 / 20) * self._rng.standard_normal(frames)
        return np.repeat(x.astype(np.float32)[:, None], self.channels, axis=1)

    def _run(self, ring: SampleRing) -> None:
        period = self.block / self.samplerate
        next_time = self.clock()
        while not self._stop.is_set():
            ring.callback(self.generate(self.block), self.block, None, NO_STATUS)
            next_time += period
            delay = next_time - self.clock()
            if delay < -0.5:  # fell far behind (machine suspended): do not burst to catch up
                next_time = self.clock()
            elif delay > 0:
                self._stop.wait(delay)

    def finished(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._thread = None

