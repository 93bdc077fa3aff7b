"""Where the mic worker's samples come from: a PortAudio input, or the built-in test signal.

Both have the same small interface (:class:`CaptureSource`): ``open`` resolves the
format, asks for a ring and starts delivering into ``ring.callback``; ``finished`` tells
that the stream ended by itself (audio server killed, device unplugged); ``close`` stops.
"""
from __future__ import annotations

import collections
import io
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from hardware.audio import devices, portaudio_child
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


class PortAudioChild:
    """One :mod:`hardware.audio.portaudio_child` process: its first answer, its stderr
    (last lines kept, never more), and its end. ``kill`` always works, whatever PortAudio
    is doing inside."""

    @classmethod
    def start(cls, args: tuple[str, ...], timeout: float) -> tuple[PortAudioChild, dict]:
        """A child that has answered yes (its answer with it); SourceError with the child's
        reason (or its silence) otherwise, and then no child is left."""
        try:
            child = cls(*args)
        except OSError as exc:
            raise SourceError(f"cannot start the PortAudio helper: {exc}") from None
        answer = child.answer(timeout)
        if not answer.get("ok"):
            child.stop()
            raise SourceError(str(answer.get("error") or "PortAudio refused") + child.why())
        return child, answer

    def __init__(self, *args: str) -> None:
        argv, cwd = devices.child_command("hardware.audio.portaudio_child", *args)
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0)
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self.stderr_lines = 0
        self._stdout = io.BufferedReader(self.proc.stdout, buffer_size=1 << 16)  # type: ignore[arg-type]
        threading.Thread(target=self._drain_stderr, name="portaudio-child-stderr", daemon=True).start()

    def _drain_stderr(self) -> None:
        # PortAudio/ALSA/JACK write diagnostics here, in a broken stream's loop thousands
        # a second: keep reading in large chunks (the child must never block on a full
        # pipe, and this thread must not hog the GIL line by line) but keep only a few lines.
        fd = self.proc.stderr.fileno()  # type: ignore[union-attr]
        partial = b""
        try:
            while chunk := os.read(fd, 1 << 16):
                self.stderr_lines += chunk.count(b"\n")
                cut = len(chunk) > 8192
                lines = (chunk[-8192:] if cut else partial + chunk).split(b"\n")
                partial = lines.pop()[-1024:]
                if cut:
                    lines = lines[1:]  # the first piece starts mid-line
                for raw in lines[-self.stderr_tail.maxlen:]:  # type: ignore[operator]
                    line = raw.decode("utf-8", "replace").strip()
                    if line:
                        self.stderr_tail.append(line)
        except (OSError, ValueError):
            pass
        finally:
            self.proc.stderr.close()  # type: ignore[union-attr] - here, once nothing reads it any more

    def answer(self, timeout: float) -> dict:
        """The child's first line (its JSON answer); raises SourceError after ``timeout``."""
        box: list[bytes] = []
        got = threading.Event()

        def read() -> None:
            try:
                box.append(self._stdout.readline())
            except (OSError, ValueError):
                box.append(b"")
            got.set()

        threading.Thread(target=read, name="portaudio-child-answer", daemon=True).start()
        if not got.wait(timeout):
            self.kill()
            raise SourceError(f"PortAudio did not answer within {timeout:g} s (audio server not responding?){self.why()}")
        line = box[0] if box else b""
        if not line:
            self.kill()
            try:
                code: object = self.proc.wait(2.0)
            except subprocess.TimeoutExpired:
                code = "unknown"
            raise SourceError(f"PortAudio helper ended without an answer (exit code {code}){self.why()}")
        try:
            return json.loads(line)
        except ValueError:
            self.kill()
            raise SourceError(f"PortAudio helper said something unexpected: {line[:200]!r}") from None

    def why(self) -> str:
        """The most telling of the child's last stderr lines, as ``": ..."`` (or nothing)."""
        for line in reversed(self.stderr_tail):
            if not line.startswith(("Expression ", "Cannot connect to server", "JackShm", "jack_client", "the input stream ended")):
                return f": {line}"
        return ""

    def read_exact(self, n: int) -> bytes:
        return self._stdout.read(n)

    def close_stdout(self) -> None:
        """By the one thread that reads it, when it is done (pipes are never closed under a reader)."""
        try:
            self._stdout.close()
        except (OSError, ValueError):
            pass

    def stop(self, grace: float = 0.3) -> None:
        """Close its stdin (it leaves at once), then SIGKILL if it has not; never waits
        on the caller's thread: reaping happens in the background."""
        proc = self.proc
        try:
            proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass

        def reap() -> None:
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

        threading.Thread(target=reap, name="portaudio-child-reap", daemon=True).start()

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        self.stop(grace=0.0)


class SoundDeviceSource:
    """A PortAudio input stream on the device called ``name`` (empty: the default device).

    The stream runs in a child process (:mod:`hardware.audio.portaudio_child`); a reader
    thread here copies each block into the worker's ring as PortAudio's callback would.
    The name is resolved at every open by a fresh PortAudio, so it survives index changes
    and new devices. Opening tries ``samplerate`` first and then the device's own rate.
    """

    is_test_signal = False

    def __init__(self, name: str = "", samplerate: int = 48000, channels: int = 2, blocksize: int = 480) -> None:
        self.name = name
        self.samplerate = samplerate
        self.max_channels = channels
        self.blocksize = blocksize
        self.open_timeout = 4.0  # PortAudio start-up + device open; longer only on a hung audio server
        self.close_timeout = 0.3
        self._child: PortAudioChild | None = None
        self._ended = threading.Event()

    def open(self, make_ring: RingFactory) -> StreamFormat:
        self.close()
        child, answer = PortAudioChild.start(
            ("capture", "--device", self.name, "--rate", str(self.samplerate),
             "--channels", str(self.max_channels), "--blocksize", str(self.blocksize)), self.open_timeout)
        try:
            fmt = StreamFormat(str(answer["device"]), int(answer["samplerate"]), int(answer["channels"]))
            ring = make_ring(fmt)
        except (KeyError, TypeError, ValueError) as exc:
            child.kill()
            raise SourceError(f"PortAudio helper's answer is incomplete: {exc!r}") from None
        except BaseException:
            child.kill()
            raise
        ended = threading.Event()
        self._child, self._ended = child, ended
        threading.Thread(target=self._pump, args=(child, ring, fmt.channels, ended),
                         name="mic-portaudio-reader", daemon=True).start()
        return fmt

    @staticmethod
    def _pump(child: PortAudioChild, ring: SampleRing, channels: int, ended: threading.Event) -> None:
        """Child's blocks into the ring, like PortAudio's callback, until end of file."""
        head = portaudio_child.HEADER
        frame_bytes = 4 * channels
        try:
            while True:
                h = child.read_exact(head.size)
                if len(h) < head.size:
                    break
                frames, lost = head.unpack(h)
                data = child.read_exact(frames * frame_bytes)
                if len(data) < frames * frame_bytes:
                    break
                if frames:
                    ring.callback(np.frombuffer(data, dtype=np.float32).reshape(frames, channels), frames, None, NO_STATUS)
                ring.overflows += lost  # this thread is the ring's one producer
        except (OSError, ValueError):
            pass
        finally:
            ended.set()
            child.close_stdout()

    def finished(self) -> bool:
        return self._ended.is_set()

    def last_error(self) -> str:
        """What PortAudio last said on stderr (for a lost stream's message), or ''."""
        child = self._child
        return child.why().removeprefix(": ") if child is not None else ""

    def close(self) -> None:
        """Stop the child (at once; a stuck one is killed). Never blocks the caller."""
        child, self._child = self._child, None
        if child is not None:
            child.stop(self.close_timeout)


class TonePlayer:
    """A sine on PortAudio's default output, played by a child process (the self-test's
    ``--tone``): start, then stop. Raises SourceError when no tone can be played."""

    def __init__(self, hz: float, peak_dbfs: float, samplerate: int = 48000, timeout: float = 4.0) -> None:
        self.args = ("tone", "--hz", f"{hz:g}", "--peak-dbfs", f"{peak_dbfs:g}", "--rate", str(samplerate))
        self.timeout = timeout
        self._child: PortAudioChild | None = None

    def start(self) -> None:
        self._child, _answer = PortAudioChild.start(self.args, self.timeout)

    def stop(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.stop()


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

