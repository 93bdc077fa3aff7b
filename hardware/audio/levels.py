"""Per-channel level analysis for the mic meters, and OBS-style display ballistics.

:class:`LevelAnalyzer` runs on the mic worker's thread; :class:`PeakBallistics` is pure
(no clock of its own) and is called by the UI with a timestamp at each redraw, so the
decay depends on wall time and not on how often audio arrives (as in OBS's VolumeMeter).
All levels are dBFS (``-inf`` for digital silence) unless named ``*_lin``.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from hardware.audio.loudness import BinAccumulator, TruePeakMeter, channel_major

RMS_WINDOW_S = 0.3  # VU-like integration (friture, OBS "magnitude")
NOISE_WINDOW_S = 0.1  # short-term RMS blocks the noise floor is taken from
NOISE_HISTORY_S = 30.0
NOISE_PERCENTILE = 10.0
_BIN_S = 0.01


def to_db(lin: np.ndarray | float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return 20.0 * np.log10(np.asarray(lin, dtype=np.float64))


def power_to_db(power: np.ndarray | float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(power, dtype=np.float64))


def _lin_db(v: float) -> float:
    return 20.0 * math.log10(v) if v > 0.0 else -math.inf


def _pow_db(v: float) -> float:
    return 10.0 * math.log10(v) if v > 0.0 else -math.inf


def _percentile_rows(a: np.ndarray, q: float) -> np.ndarray:
    """``np.percentile(a, q, axis=1)`` (linear interpolation) by partitioning for the two
    order statistics it needs: ~15x cheaper than np.percentile on a few hundred values."""
    n = a.shape[1]
    pos = q / 100.0 * (n - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, n - 1)
    part = np.partition(a, [lo, hi] if hi != lo else lo, axis=1)
    frac = pos - lo
    return part[:, lo] + (part[:, hi] - part[:, lo]) * frac


class ChannelLevels(NamedTuple):
    """What one channel did since the previous :meth:`LevelAnalyzer.take` (dBFS).

    Immutable; a NamedTuple because one is made per channel for every block (a frozen
    dataclass costs three times as much to build)."""

    peak_dbfs: float  # sample peak since the last take
    true_peak_dbfs: float  # 4x oversampled peak since the last take (dBTP)
    rms_dbfs: float  # RMS over the last 300 ms
    noise_floor_dbfs: float  # 10th percentile of 100 ms RMS over the last 30 s (-inf until 1 s seen)
    clips: int  # samples at or above the clip level since the analyser started


class LevelAnalyzer:
    """Sample peak, true peak, 300 ms RMS, clip count and noise floor, per channel.

    Feed consecutive ``(frames, channels)`` float blocks with :meth:`add`; read with
    :meth:`take`, which also resets the "since last take" peaks. One thread only.
    """

    def __init__(self, samplerate: int, channels: int, clip_dbfs: float = -0.01) -> None:
        self.samplerate = int(samplerate)
        self.channels = int(channels)
        self.clip_lin = 10.0 ** (clip_dbfs / 20.0)
        self._true_peak = TruePeakMeter(channels)
        bin_len = max(1, round(samplerate * _BIN_S))
        self._bin_len = bin_len
        self._bins = BinAccumulator(bin_len, channels)
        self._rms_bins = round(RMS_WINDOW_S / _BIN_S)
        # The last 300 ms of 10 ms bin energies as a ring of plain floats with running sums:
        # one bin per block is the usual case, and a few float operations beat array calls.
        self._rms_ring = [[0.0] * channels for _ in range(self._rms_bins)]
        self._rms_pos = 0
        self._rms_sum = [0.0] * channels
        self._rms_nonzero = [0] * channels  # bins in the window with any energy: silence reads exactly -inf
        self._rms_pushed = 0
        self._noise_group = round(NOISE_WINDOW_S / _BIN_S)
        self._noise_acc = [0.0] * channels
        self._noise_acc_n = 0
        self._noise_len = round(NOISE_HISTORY_S / NOISE_WINDOW_S)
        self._noise = np.full((channels, self._noise_len), np.nan)  # channel-major: rows partition fast
        self._noise_pos = 0
        self._noise_filled = 0
        self._noise_floor: list[float] | None = None
        self._peak = [0.0] * channels  # plain floats: cheaper than array calls on 2 values
        self._tpeak = [0.0] * channels
        self.clips = np.zeros(channels, dtype=np.int64)
        self.frames = 0
        self._cm = np.zeros((channels, 0))
        self._mag = np.zeros((channels, 0))

    def add(self, block: np.ndarray) -> None:
        """Add ``(frames, channels)`` samples that follow the previous block."""
        if block.shape[0]:
            self._cm = channel_major(block, self.channels, self._cm)
            self.add_channel_major(self._cm)

    def add_channel_major(self, x: np.ndarray) -> None:
        """The same for a C-contiguous float64 ``(channels, frames)`` array (see
        :func:`~hardware.audio.loudness.channel_major`); ``x`` is not changed."""
        n = x.shape[1]
        if n == 0:
            return
        self.frames += n
        if self._mag.shape != x.shape:
            self._mag = np.empty(x.shape)
        mag = np.abs(x, out=self._mag)
        peak = mag.max(axis=1).tolist()
        if max(peak) >= self.clip_lin:  # the count is only paid for when something clipped
            self.clips += np.count_nonzero(mag >= self.clip_lin, axis=1)
        tpeak = self._true_peak.add_channel_major(x, peak)
        self._peak = [max(a, b) for a, b in zip(self._peak, peak)]
        self._tpeak = [max(a, b) for a, b in zip(self._tpeak, tpeak)]
        np.multiply(x, x, out=mag)
        done = self._bins.add(mag.T)
        if done.shape[0]:
            self._push_bins(done)

    def _push_bins(self, done: np.ndarray) -> None:
        ring, sums, nonzero, r = self._rms_ring, self._rms_sum, self._rms_nonzero, self._rms_bins
        acc, channels = self._noise_acc, range(self.channels)
        for row in done.tolist():
            pos = self._rms_pos
            old = ring[pos]
            for c in channels:
                v = row[c]
                sums[c] += v - old[c]
                nonzero[c] += (v != 0.0) - (old[c] != 0.0)
                acc[c] += v
            ring[pos] = row
            self._rms_pos = (pos + 1) % r
            self._rms_pushed += 1
            if self._rms_pushed % 1000 == 0:  # re-add exactly now and then: running sums drift
                self._rms_sum = sums = [math.fsum(b[c] for b in ring) for c in channels]
            self._noise_acc_n += 1
            if self._noise_acc_n == self._noise_group:  # noise floor: one entry per 100 ms
                scale = 1.0 / (self._noise_group * self._bin_len)
                self._noise[:, self._noise_pos] = [a * scale for a in acc]
                self._noise_pos = (self._noise_pos + 1) % self._noise_len
                self._noise_filled = min(self._noise_filled + 1, self._noise_len)
                for c in channels:
                    acc[c] = 0.0
                self._noise_acc_n = 0
                self._noise_floor = None

    def _rms_powers(self) -> list[float]:
        scale = 1.0 / (self._rms_bins * self._bin_len)
        return [max(v, 0.0) * scale if n else 0.0 for v, n in zip(self._rms_sum, self._rms_nonzero)]

    def rms_dbfs(self) -> np.ndarray:
        return power_to_db(np.array(self._rms_powers()))

    def _noise_floor_list(self) -> list[float]:
        if self._noise_filled < 10:
            return [-math.inf] * self.channels
        if self._noise_floor is None:  # recomputed once per 100 ms entry, not per read
            filled = self._noise[:, : self._noise_filled]
            self._noise_floor = [_pow_db(v) for v in _percentile_rows(filled, NOISE_PERCENTILE).tolist()]
        return self._noise_floor

    def noise_floor_dbfs(self) -> np.ndarray:
        return np.array(self._noise_floor_list())

    def take(self) -> list[ChannelLevels]:
        # Plain floats from here: a handful of math.log10 calls beat array calls on 2 values.
        rms = self._rms_powers()
        floor = self._noise_floor_list()
        out = [
            ChannelLevels(_lin_db(p), _lin_db(t), _pow_db(r), f, c)
            for p, t, r, f, c in zip(self._peak, self._tpeak, rms, floor, self.clips.tolist())
        ]
        self._peak = [0.0] * self.channels
        self._tpeak = [0.0] * self.channels
        return out


class PeakBallistics:
    """OBS VolumeMeter ballistics for one channel, computed from elapsed time at draw.

    - peak: instant attack, then falls at ``decay_db_per_s`` (11.76 dB/s, "20 dB in
      1.7 s", Type I PPM);
    - peak hold: keeps the highest peak for ``hold_s`` (20 s), then drops to the current peak;
    - magnitude (RMS bar): reaches 99 % of a new value in ``integration_s`` (0.3 s).

    Call :meth:`update` with the newest levels (dBFS) and a monotonic timestamp (s).
    Values are clamped to ``floor_db`` so ``-inf`` never reaches a painter.
    """

    def __init__(
        self,
        decay_db_per_s: float = 11.76,
        hold_s: float = 20.0,
        integration_s: float = 0.3,
        floor_db: float = -60.0,
        idle_reset_s: float = 0.5,
    ) -> None:
        self.decay_db_per_s = decay_db_per_s
        self.hold_s = hold_s
        self.integration_s = integration_s
        self.floor_db = floor_db
        self.idle_reset_s = idle_reset_s
        self.peak = floor_db
        self.hold = floor_db
        self.magnitude = floor_db
        self._hold_since = -math.inf
        self._last: float | None = None

    def update(self, peak_db: float, magnitude_db: float, now: float) -> None:
        first = self._last is None
        dt = 0.0 if self._last is None else max(0.0, now - self._last)
        self._last = now
        peak_db = max(self.floor_db, peak_db)
        magnitude_db = max(self.floor_db, magnitude_db)
        if peak_db >= self.peak:
            self.peak = peak_db
        else:
            self.peak = max(peak_db, self.peak - self.decay_db_per_s * dt)
        if peak_db >= self.hold:
            self.hold = peak_db
            self._hold_since = now
        elif now - self._hold_since > self.hold_s:
            self.hold = self.peak
            self._hold_since = now
        if first:
            self.magnitude = magnitude_db
        elif dt > 0.0:
            # 1 - 0.01 ** (dt / T): 99 % of a step after T seconds, whatever the frame rate
            alpha = 1.0 - 0.01 ** min(1.0, dt / self.integration_s)
            self.magnitude += (magnitude_db - self.magnitude) * alpha

    def idle(self, now: float) -> None:
        """No data (device gone): let everything fall as OBS's detectIdle does."""
        self.update(self.floor_db, self.floor_db, now)

    def reset(self) -> None:
        self.peak = self.hold = self.magnitude = self.floor_db
        self._hold_since = -math.inf
        self._last = None
