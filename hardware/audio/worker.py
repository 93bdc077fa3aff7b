"""The mic worker: opens the capture source, analyses what arrives, and supervises it.

Runs in its own ``threading`` thread (never the GUI's). Every ``poll_s`` (20 ms) it drains
the sample ring, runs the level and loudness analysis, and checks:

- **lost**: the stream finished or errored (audio server killed, device unplugged);
- **stalled**: no callback for more than ``stall_s`` (0.5 s; a frozen audio server raises
  no error, only this watchdog sees it). A new stream gets ``first_callback_s`` for its
  first callback;
- **dead air**: while the show is live, the loudest channel's 300 ms RMS stays below
  ``dead_air_dbfs`` (-60) for ``dead_air_s`` (8 s).

Lost and stalled are reported within ``stall_s`` + ``poll_s``; the worker then reopens
the device by itself with the shared :class:`~hardware.supervisor.RetryPolicy` until it
works. Status, events and ``stop()`` follow :mod:`hardware.supervisor` (device ``mic``;
callbacks on the worker thread, they must not block):

- ``on_status(status: DeviceStatus)``: ``connecting``, ``ok``, ``test_signal``,
  ``dead_air``, ``stalled``, ``lost``, ``stopped``;
- ``on_event(kind, message, severity, payload)``: the ``device.*`` link events (a
  ``device.test_signal`` whose payload has ``fallback_from`` when the first open failed
  and the ``fallback`` source took over; ``device.ok`` with ``outage_s`` once audio
  flows again after a loss), and the mic's own ``device_changed``, ``dead_air_start``,
  ``dead_air_end``, ``clipping`` (at most one per ``clip_event_s``), ``overflow``
  (rate-limited too). Payloads name the capture device under ``source``.

The UI reads with :meth:`MicWorker.take_reading` (cheap, never waits on the device).
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

import numpy as np

from hardware.audio import devices as audio_devices
from hardware.audio.devices import InputDevice
from hardware.audio.levels import ChannelLevels, LevelAnalyzer
from hardware.audio.loudness import LoudnessMeter, channel_major
from hardware.audio.ring import SampleRing
from hardware.audio.sources import CaptureSource, SourceError, StreamFormat
from hardware.said import Said
from hardware.supervisor import DeviceState, EventCallback, RetryPolicy, StatusCallback, Supervised, Supervisor

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR

BROADCAST_TARGET_LUFS = -23.0  # EBU R 128
STREAMING_TARGET_LUFS = -16.0  # common streaming-platform target


@dataclass(frozen=True)
class MeterReading:
    """A copy of everything the meter panel shows. Levels dBFS, loudness LUFS/LU.

    ``channels`` peaks are the highest since the previous :meth:`MicWorker.take_reading`;
    ``fresh`` is False when no audio arrived since then.
    """

    state: DeviceState
    detail: str
    device: str
    is_test_signal: bool
    samplerate: int
    channels: tuple[ChannelLevels, ...]
    momentary_lufs: float = -math.inf
    short_term_lufs: float = -math.inf
    integrated_lufs: float = -math.inf
    momentary_max_lufs: float = -math.inf
    short_term_max_lufs: float = -math.inf
    lra_lu: float | None = None
    target_lufs: float = STREAMING_TARGET_LUFS
    overflows: int = 0
    dropped_frames: int = 0
    fresh: bool = False
    time: float = field(default=0.0)

    @property
    def short_term_deviation_lu(self) -> float | None:
        return self.short_term_lufs - self.target_lufs if math.isfinite(self.short_term_lufs) else None

    @property
    def integrated_deviation_lu(self) -> float | None:
        return self.integrated_lufs - self.target_lufs if math.isfinite(self.integrated_lufs) else None

    @property
    def level_dbfs(self) -> float:
        """The loudest channel's 300 ms RMS (what dead air is judged on)."""
        return max((c.rms_dbfs for c in self.channels), default=-math.inf)


def _merge(old: ChannelLevels, new: ChannelLevels) -> ChannelLevels:
    return new._replace(peak_dbfs=max(old.peak_dbfs, new.peak_dbfs), true_peak_dbfs=max(old.true_peak_dbfs, new.true_peak_dbfs))


def _fmt_db(v: float) -> str:
    return f"{v:.1f}" if math.isfinite(v) else "-inf"


class MicWorker(Supervised):
    """Captures from one source (a named device, or the test signal) and watches it."""

    def __init__(
        self,
        source: CaptureSource,
        on_status: StatusCallback | None = None,
        on_event: EventCallback | None = None,
        *,
        dead_air_dbfs: float = -60.0,
        dead_air_s: float = 8.0,
        target_lufs: float = STREAMING_TARGET_LUFS,
        stall_s: float = 0.5,
        first_callback_s: float = 1.5,
        retry: RetryPolicy | None = None,
        poll_s: float = 0.02,
        clip_event_s: float = 5.0,
        rescan_s: float = 30.0,
        on_devices: Callable[[list[InputDevice]], None] | None = None,
        fallback: CaptureSource | None = None,
        ring_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source = source
        self._sup = Supervisor("mic", on_status=on_status, on_event=on_event, retry=retry, clock=clock,
                               source=source.name)
        self.dead_air_dbfs = dead_air_dbfs
        self.dead_air_s = dead_air_s
        self.target_lufs = target_lufs
        self.stall_s = stall_s
        self.first_callback_s = first_callback_s
        self.poll_s = poll_s
        self.clip_event_s = clip_event_s
        self.ring_s = ring_s
        self.rescan_s = rescan_s
        # Used once, if the very first open fails (no microphone configured and none found):
        # a new desk then shows live, clearly labelled test-signal meters instead of an alarm.
        self._fallback = fallback
        self._ever_opened = False
        self._fallback_from: dict[str, str] | None = None  # why the fallback took over, for its event
        self._on_devices = on_devices or (lambda found: None)
        self.clock = clock

        self._lock = threading.Lock()  # guards the hand-over fields below
        self._pending: MeterReading | None = None
        self._last: MeterReading | None = None
        self._pending_source: CaptureSource | None = None
        self._reset_loudness = False
        self._live = False
        self._devices: list[InputDevice] = []
        self._rescan_requested = False  # the UI asks for the first list when it wants one
        self._scanning = False
        self._next_scan = 0.0

        self._wake = threading.Event()

        # worker-thread state
        self._fmt: StreamFormat | None = None
        self._ring: SampleRing | None = None
        self._levels: LevelAnalyzer | None = None
        self._loudness: LoudnessMeter | None = None
        self._cm: np.ndarray | None = None
        self._open = False
        self._opened_at = 0.0
        self._progress_at = 0.0
        self._last_written = 0
        self._trouble = False  # lost or stalled, until audio flows again
        self._silent_since: float | None = None
        self._live_since = 0.0
        self._dead_air_since: float | None = None
        self._clips_reported = 0
        self._last_clip_event = -math.inf
        self._overflows_reported = 0
        self._last_overflow_event = -math.inf
        self._integrated_at = -math.inf
        self._integrated = -math.inf
        self._lra: float | None = None

    # --- control (any thread) ---------------------------------------------------------
    @property
    def source(self) -> CaptureSource:
        return self._pending_source or self._source

    @property
    def state(self) -> DeviceState:
        return self._sup.state

    def start(self) -> None:
        if self._sup.running:
            return
        self._next_scan = self.clock() + self.rescan_s
        self._sup.report(DeviceState.CONNECTING, Said("mic_opening", name=self._source.name) if self._source.name
                         else Said("mic_opening_default"))
        self._sup.start([("mic-worker", self._run)])

    def stop(self, timeout: float = 2.0) -> bool:
        """The stop contract of :mod:`hardware.supervisor`. A frozen audio server can hold
        the close; the daemon thread then finishes on its own and this returns False."""
        return self._sup.stop(timeout, self._wake.set)

    def set_source(self, source: CaptureSource) -> None:
        """Switch to another device (or the test signal); takes effect within one poll."""
        with self._lock:
            self._pending_source = source
        self._wake.set()

    def set_live(self, live: bool) -> None:
        """The show is on air: dead air is only an alarm while live. Going live resets
        the integrated loudness (it measures the show)."""
        with self._lock:
            if live and not self._live:
                self._reset_loudness = True
            self._live = live

    @property
    def live(self) -> bool:
        return self._live

    def reset_loudness(self) -> None:
        with self._lock:
            self._reset_loudness = True

    @property
    def devices(self) -> list[InputDevice]:
        """Input devices from the last scan (never touches PortAudio on the caller's thread)."""
        with self._lock:
            return list(self._devices)

    def request_rescan(self) -> None:
        """Ask for a fresh device list (done off the caller's thread; ``on_devices`` tells)."""
        with self._lock:
            self._rescan_requested = True
        self._wake.set()

    def take_reading(self) -> MeterReading | None:
        """The newest reading, with peaks since the previous call; ``None`` before the first."""
        with self._lock:
            reading, self._pending = self._pending, None
            if reading is None and self._last is not None:
                status = self._sup.status
                reading = replace(
                    self._last,
                    state=status.state,
                    detail=status.detail,
                    fresh=False,
                    channels=tuple(c._replace(peak_dbfs=-math.inf, true_peak_dbfs=-math.inf) for c in self._last.channels),
                )
            return reading

    # --- worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._sup.stopping.is_set():
                self._step(self.clock())
                self._wake.wait(self.poll_s)
                self._wake.clear()
        finally:
            self._close()
            self._sup.final()

    def _step(self, now: float) -> None:
        with self._lock:
            switch, self._pending_source = self._pending_source, None
            rescan = self._rescan_requested or now >= self._next_scan
            self._rescan_requested = False
        if rescan and not self._scanning:
            self._next_scan = now + self.rescan_s
            self._scan()
        if switch is not None:
            old = self._source.name
            self._close()
            self._source = switch
            self._trouble = False
            self._event("device_changed", f"microphone changed from {old!r} to {switch.name!r}", INFO,
                        {"from": old, "to": switch.name, "test_signal": switch.is_test_signal})
            self._sup.report(DeviceState.CONNECTING, Said("mic_opening", name=switch.name), source=switch.name)
        if not self._open:
            if self._sup.retry_due(now):
                self._try_open(now)
            return
        if self._source.finished():
            said = getattr(self._source, "last_error", lambda: "")()
            self._lose(now, DeviceState.LOST, f"{self._source.name}: the audio stream ended (device or audio server gone)"
                       + (f"; PortAudio: {said}" if said else ""))
            self._sup.retry_soon()  # a glitch may already be over; then with the backoff
            return
        self._drain(now)
        written = self._ring.written if self._ring else 0
        if written != self._last_written:
            self._last_written = written
            self._progress_at = now
            if self._trouble:
                self._recover(now)
        else:
            limit = self.stall_s if written else self.first_callback_s
            since = self._progress_at if written else self._opened_at
            stalled = self._sup.state is DeviceState.STALLED
            if now - since > limit and not stalled:
                self._lose(now, DeviceState.STALLED, f"{self._source.name}: no audio for {now - since:.1f} s (audio server not responding)", close=False)
                # A killed server sometimes leaves PortAudio's stream "active" with no
                # callbacks: only a reopen tells dead (fails at once: lost) from frozen.
                self._reopen(now)
                return
            if stalled and self._sup.retry_due(now):
                self._sup.report(DeviceState.STALLED, self._sup.status.detail)  # one more attempt, next one later
                self._reopen(now)
                return
        self._evaluate_state(now)

    def _scan(self) -> None:
        """Refresh the device list in a short-lived thread so supervision never waits."""
        self._scanning = True

        def scan() -> None:
            try:
                found = audio_devices.scan_input_devices()
                with self._lock:
                    self._devices = found
                self._safe(self._on_devices, list(found))
            except Exception:  # noqa: BLE001 - a failed scan keeps the old list
                logging.getLogger(__name__).exception("device scan failed")
            finally:
                self._scanning = False

        threading.Thread(target=scan, name="mic-device-scan", daemon=True).start()

    def _reopen(self, now: float) -> None:
        """Close and open again. On a frozen audio server the close can wait until it
        resumes; the state (stalled) has already been reported by then."""
        self._close()
        self._try_open(self.clock())

    def _make_ring(self, fmt: StreamFormat) -> SampleRing:
        capacity = 1 << max(12, math.ceil(math.log2(fmt.samplerate * self.ring_s)))
        self._ring = SampleRing(capacity, fmt.channels)
        return self._ring

    def _try_open(self, now: float) -> None:
        try:
            fmt = self._source.open(self._make_ring)
        except Exception as exc:  # noqa: BLE001 - an unexpected driver error must not kill the worker either
            self._ring = None
            said = str(exc) if isinstance(exc, SourceError) else f"{self._source.name}: {type(exc).__name__}: {exc}"
            if self._fallback is not None and not self._ever_opened:
                fallback, self._fallback = self._fallback, None
                self._fallback_from = {"fallback_from": self._source.name, "error": said}
                self._source = fallback
                self._try_open(now)
                return
            self._trouble = True
            self._sup.report(DeviceState.LOST, said, source=self._source.name, message=f"microphone unavailable: {said}",
                             payload={"error": said})
            return
        self._open = True
        self._ever_opened = True
        self._opened_at = self._progress_at = now
        self._last_written = 0
        new_format = fmt != self._fmt
        self._fmt = fmt
        if new_format or self._levels is None:
            self._levels = LevelAnalyzer(fmt.samplerate, fmt.channels)
            self._loudness = LoudnessMeter(fmt.samplerate, fmt.channels)
            self._clips_reported = 0
            self._integrated_at = -math.inf
        self._overflows_reported = 0
        # After trouble, the mic is only "ok" again once audio actually flows (see _step).
        self._evaluate_state(now)

    def _lose(self, now: float, state: DeviceState, detail: str, close: bool = True) -> None:
        if close:
            self._close()
        self._trouble = True
        self._end_dead_air(now, "microphone " + state.value)
        self._silent_since = None  # silence is timed afresh once audio flows again
        self._sup.report(state, detail)

    def _recover(self, now: float) -> None:
        self._trouble = False
        self._evaluate_state(now)

    def _close(self) -> None:
        if self._open:
            self._open = False
            self._source.close()

    def _drain(self, now: float) -> None:
        ring, levels, loud = self._ring, self._levels, self._loudness
        if ring is None or levels is None or loud is None:
            return
        with self._lock:
            reset, self._reset_loudness = self._reset_loudness, False
            live = self._live
        if reset:
            loud.reset()
            self._integrated_at = -math.inf
        if live and self._live_since == 0.0:
            self._live_since = now
        elif not live:
            self._live_since = 0.0
        block = ring.read()
        fresh = block.shape[0] > 0
        if fresh:
            # One channel-major float64 copy for both analysers (see loudness.channel_major).
            self._cm = channel_major(block, levels.channels, self._cm)
            levels.add_channel_major(self._cm)
            loud.add_channel_major(self._cm)
        if now - self._integrated_at >= 0.5:  # integrated/LRA cost grows with the show: 2 Hz is plenty
            self._integrated = loud.integrated()
            self._lra = loud.loudness_range()
            self._integrated_at = now
        channels = tuple(levels.take())
        if not self._trouble:  # a lost or stalled stream is its own alarm, not dead air
            self._check_silence(now, max(c.rms_dbfs for c in channels), live)
        self._check_clipping(now, channels)
        self._check_overflows(now, ring)
        fmt = self._fmt
        status = self._sup.status
        reading = MeterReading(
            state=status.state, detail=status.detail, device=fmt.device if fmt else self._source.name,
            is_test_signal=bool(fmt and fmt.is_test_signal), samplerate=fmt.samplerate if fmt else 0,
            channels=channels, momentary_lufs=loud.momentary(), short_term_lufs=loud.short_term(),
            integrated_lufs=self._integrated, momentary_max_lufs=loud.momentary_max(),
            short_term_max_lufs=loud.short_term_max(), lra_lu=self._lra, target_lufs=self.target_lufs,
            overflows=ring.overflows, dropped_frames=ring.dropped, fresh=fresh, time=now,
        )
        with self._lock:
            old = self._pending
            if old is not None and len(old.channels) == len(channels):
                reading = replace(reading, channels=tuple(_merge(o, n) for o, n in zip(old.channels, channels)),
                                  fresh=reading.fresh or old.fresh)
            self._pending = reading
            self._last = reading

    def _check_silence(self, now: float, level: float, live: bool) -> None:
        if level >= self.dead_air_dbfs:
            self._silent_since = None
            self._end_dead_air(now, "sound is back", level)
            return
        if self._silent_since is None:
            self._silent_since = now
        if not live:
            self._end_dead_air(now, "show no longer live", level)
            return
        since = max(self._silent_since, self._live_since or now)
        if self._dead_air_since is None and now - since >= self.dead_air_s:
            self._dead_air_since = since
            self._event(
                "dead_air_start",
                f"dead air: {self._source.name!r} below {self.dead_air_dbfs:g} dBFS for {now - since:.1f} s",
                ERROR,
                {"source": self._source.name, "level_dbfs": level if math.isfinite(level) else None,
                 "threshold_dbfs": self.dead_air_dbfs, "seconds": round(now - since, 2)},
            )

    def _end_dead_air(self, now: float, why: str, level: float = -math.inf) -> None:
        if self._dead_air_since is None:
            return
        duration = now - self._dead_air_since
        self._dead_air_since = None
        self._event("dead_air_end", f"dead air over after {duration:.1f} s ({why})", INFO,
                    {"source": self._source.name, "duration_s": round(duration, 2),
                     "level_dbfs": level if math.isfinite(level) else None})

    def _check_clipping(self, now: float, channels: tuple[ChannelLevels, ...]) -> None:
        total = sum(c.clips for c in channels)
        if total > self._clips_reported and now - self._last_clip_event >= self.clip_event_s:
            new = total - self._clips_reported
            self._clips_reported = total
            self._last_clip_event = now
            peak = max(c.peak_dbfs for c in channels)
            self._event("clipping", f"clipping on {self._source.name!r}: {new} samples at full scale (peak {_fmt_db(peak)} dBFS)",
                        WARNING, {"source": self._source.name, "clipped_samples": new, "total_clipped_samples": total,
                                  "peak_dbfs": peak if math.isfinite(peak) else None,
                                  "per_channel": [c.clips for c in channels]})

    def _check_overflows(self, now: float, ring: SampleRing) -> None:
        if ring.overflows > self._overflows_reported and now - self._last_overflow_event >= self.clip_event_s:
            new = ring.overflows - self._overflows_reported
            self._overflows_reported = ring.overflows
            self._last_overflow_event = now
            self._event("overflow", f"{new} input overflow(s) on {self._source.name!r}: samples were lost (machine too busy)",
                        WARNING, {"source": self._source.name, "overflows": new})

    def _evaluate_state(self, now: float) -> None:
        if self._trouble:
            return
        fmt = self._fmt
        if self._dead_air_since is not None:
            if self._sup.state is not DeviceState.DEAD_AIR:  # the running seconds are not a new status each second
                self._sup.report(DeviceState.DEAD_AIR, Said("mic_dead_air", name=self._source.name,
                                                            seconds=now - self._dead_air_since, dbfs=self.dead_air_dbfs))
            return
        state = DeviceState.TEST_SIGNAL if fmt is not None and fmt.is_test_signal else DeviceState.OK
        detail = Said("mic_test_signal") if state is DeviceState.TEST_SIGNAL else (fmt.device if fmt else "")
        if (self._sup.state, self._sup.status.detail) == (state, detail):
            return
        payload: dict[str, Any] = {}
        message = None
        if fmt is not None:
            payload = {"samplerate": fmt.samplerate, "channels": fmt.channels, "test_signal": fmt.is_test_signal}
            kind = "test signal" if fmt.is_test_signal else "microphone"
            message = f"{kind} {fmt.device!r} working at {fmt.samplerate} Hz, {fmt.channels} ch"
        if self._fallback_from is not None:
            payload.update(self._fallback_from)
            message = f"no microphone found ({self._fallback_from['error']}); showing the built-in TEST SIGNAL"
            self._fallback_from = None
        self._sup.report(state, detail, source=fmt.device if fmt else self._source.name, payload=payload, message=message)

    def _event(self, kind: str, message: str, severity: int, payload: Mapping[str, Any]) -> None:
        self._sup.emit(kind, message, severity, payload)

    @staticmethod
    def _safe(fn: Callable, *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - a listener's bug must not stop the supervision
            logging.getLogger(__name__).exception("mic listener failed")
