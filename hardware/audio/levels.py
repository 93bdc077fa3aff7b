"""Per-channel level analysis for the mic meters, and OBS-style display ballistics.

:class:`LevelAnalyzer` runs on the mic worker's thread; :class:`PeakBallistics` is pure
(no clock of its own) and is called by the UI with a timestamp at each redraw, so the
decay depends on wall time and not on how often audio arrives (as in OBS's VolumeMeter).
All levels are dBFS (``-inf`` for digital silence) unless named ``*_lin``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hardware.audio.loudness import BinAccumulator, TruePeakMeter

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


@dataclass(frozen=True)
class ChannelLevels:
    """What one channel did since the previous :meth:`LevelAnalyzer.take` (dBFS)."""

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
        self._rms_hist = np.zeros((self._rms_bins, channels))
        self._rms_sum = np.zeros(channels)
        self._noise_group = round(NOISE_WINDOW_S / _BIN_S)
        self._noise_acc = np.zeros(channels)
        self._noise_acc_n = 0
        self._noise_len = round(NOISE_HISTORY_S / NOISE_WINDOW_S)
        self._noise = np.full((self._noise_len, channels), np.nan)
        self._noise_pos = 0
        self._noise_filled = 0
        self._noise_floor: np.ndarray | None = None
        self._peak = np.zeros(channels)
        self._tpeak = np.zeros(channels)
        self.clips = np.zeros(channels, dtype=np.int64)
        self.frames = 0

    def add(self, block: np.ndarray) -> None:
        n = block.shape[0]
        if n == 0:
            return
        self.frames += n
        mag = np.abs(block)
        peak = mag.max(axis=0)
        np.maximum(self._peak, peak, out=self._peak)
        if peak.max() >= self.clip_lin:  # the count is only paid for when something clipped
            self.clips += np.count_nonzero(mag >= self.clip_lin, axis=0)
        np.maximum(self._tpeak, self._true_peak.add(block, peak), out=self._tpeak)
        sq = np.square(block, dtype=np.float64)
        done = self._bins.add(sq)
        if done.shape[0]:
            self._push_bins(done)

    def _push_bins(self, done: np.ndarray) -> None:
        k = done.shape[0]
        r = self._rms_bins
        if k >= r:
            self._rms_hist = done[-r:].copy()
        else:
            self._rms_hist = np.concatenate((self._rms_hist[k:], done))
        for row in done:  # noise floor: one entry per 100 ms (a few per call at most)
            self._noise_acc += row
            self._noise_acc_n += 1
            if self._noise_acc_n == self._noise_group:
                self._noise[self._noise_pos] = self._noise_acc / (self._noise_group * self._bin_len)
                self._noise_pos = (self._noise_pos + 1) % self._noise_len
                self._noise_filled = min(self._noise_filled + 1, self._noise_len)
                self._noise_acc[:] = 0.0
                self._noise_acc_n = 0
                self._noise_floor = None

    def rms_dbfs(self) -> np.ndarray:
        return power_to_db(self._rms_hist.sum(axis=0) / (self._rms_bins * self._bin_len))

    def noise_floor_dbfs(self) -> np.ndarray:
        if self._noise_filled < 10:
            return np.full(self.channels, -np.inf)
        if self._noise_floor is None:
            filled = self._noise[: self._noise_filled] if self._noise_filled < self._noise_len else self._noise
            self._noise_floor = power_to_db(np.percentile(filled, NOISE_PERCENTILE, axis=0))
        return self._noise_floor

    def take(self) -> list[ChannelLevels]:
        # Plain floats from here: a handful of math.log10 calls beat array calls on 2 values.
        rms = (self._rms_hist.sum(axis=0) * (1.0 / (self._rms_bins * self._bin_len))).tolist()
        floor = self.noise_floor_dbfs().tolist()
        out = [
            ChannelLevels(_lin_db(p), _lin_db(t), _pow_db(r), f, c)
            for p, t, r, f, c in zip(self._peak.tolist(), self._tpeak.tolist(), rms, floor, self.clips.tolist())
        ]
        self._peak[:] = 0.0
        self._tpeak[:] = 0.0
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
