"""Loudness to ITU-R BS.1770-4 / EBU R 128, streaming, and true peak (BS.1770-4 Annex 2).

Units: loudness in LUFS (= LKFS), loudness range in LU, peaks in dBFS / dBTP. Silence
reads ``-inf``; a range that cannot be measured yet (less than two gated 3 s blocks)
reads ``None``. Input samples are float in [-1, 1], shaped ``(frames, channels)``.

Not thread-safe: one meter belongs to one thread (the mic worker, or a command).
"""
from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import Sequence

import numpy as np

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0  # integrated loudness (R 128 since v2.0)
LRA_RELATIVE_GATE_LU = -20.0  # loudness range (Tech 3342)
MOMENTARY_S = 0.4
SHORT_TERM_S = 3.0
_BIN_S = 0.01  # meter resolution: momentary/short-term are re-evaluated every 10 ms
_HOP_BINS = 10  # gating blocks every 100 ms (75 % overlap of 400 ms blocks)

# Rec. ITU-R BS.1770-4 Annex 2: the 48-tap, 4-phase interpolating filter for 4x
# oversampling (phase p interpolates p/4 of a sample period).
TRUE_PEAK_PHASES = np.array(
    [
        [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
         0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500],
        [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
         0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375],
        [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125, 0.7797851562500,
         0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875],
        [-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750, 0.9721679687500,
         0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750],
    ]
)


def k_weighting_sos(samplerate: float) -> np.ndarray:
    """The two K-weighting biquads as a ``(2, 6)`` SOS array, exact at any sample rate.

    Derived from the analog prototype as libebur128 does (``ebur128_init_filter``): at
    48 kHz this reproduces the BS.1770 table. The RLB high-pass keeps its un-normalised
    ``[1, -2, 1]`` numerator on purpose (its +0.043 dB pass-band gain is part of the spec).
    """
    fs = float(samplerate)
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / fs)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf_b = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    shelf_a = [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / fs)
    a0 = 1.0 + k / q + k * k
    hp_b = [1.0, -2.0, 1.0]
    hp_a = [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf_b + shelf_a, hp_b + hp_a])


def default_channel_weights(channels: int) -> np.ndarray:
    """BS.1770 channel weights: 1.0 for L, R, C; 1.41 for the surrounds; LFE excluded.

    5 channels are taken as 5.0 (L R C Ls Rs), 6 as 5.1 (L R C LFE Ls Rs).
    """
    if channels == 5:
        return np.array([1.0, 1.0, 1.0, 1.41, 1.41])
    if channels == 6:
        return np.array([1.0, 1.0, 1.0, 0.0, 1.41, 1.41])
    return np.ones(channels)


def power_to_lufs(power: float) -> float:
    return -0.691 + 10.0 * math.log10(power) if power > 0.0 else -math.inf


def lufs_to_power(lufs: float) -> float:
    return 10.0 ** ((lufs + 0.691) / 10.0)


def linear_to_db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 0.0 else -math.inf


class BlockIIR:
    """``scipy.signal.sosfilt(sos, x, axis=1, zi=zi)`` for float64 ``(channels, frames)``
    blocks, as a few matrix products on numpy alone (no SciPy).

    Why not SciPy: importing scipy.signal takes ~0.6 s of interpreter time. The mic worker's
    first meter did it just after the desk's first paint, and the GUI thread waited for the
    interpreter lock for 70-420 ms (``bench_desk_timing.py``). Paying it before the first
    paint would break the <= 1 s start-up target.

    The cascade is linear, so a block of ``L`` samples is exactly ``y = T u + O z`` and
    ``z' = Z z + B u``: ``T`` the impulse response as a lower-triangular Toeplitz matrix,
    ``O`` the response to each state, ``Z`` and ``B`` the state transition. The state is
    each biquad's transposed-direct-form-II pair (sosfilt's ``zi``, laid out
    ``(channels, 2 * sections)``). A cascade of biquads, not one 4th-order polynomial: the
    single high-order form's state is ill-conditioned (values ~4000 for a unit signal) and
    its matrix powers lose ~5 digits. The matrices come from running the recursion once per
    block length, and are cached.

    A frame count is cut into sub-blocks of at most ``_CHUNK`` samples, so the products cost
    ``channels * frames * _CHUNK`` multiply-adds instead of ``frames ** 2``; the state entering
    every sub-block is one more product (``P``, ``Q``: powers of ``Z``), not a Python loop.
    Long inputs go through spans of ``_SPAN_CHUNKS`` sub-blocks. The last sub-block is
    zero-padded when the count does not divide; the final state then comes from that
    sub-block's own ``Z_r``, ``B_r``.

    Not thread-safe: one per meter.
    """

    _CHUNK = 96
    _SPAN_CHUNKS = 16
    _MAX_PLANS = 8

    def __init__(self, sos: np.ndarray) -> None:
        sos = np.atleast_2d(np.asarray(sos, dtype=np.float64))
        if sos.ndim != 2 or sos.shape[1] != 6:
            raise ValueError(f"sos must be (sections, 6), got {sos.shape}")
        if np.any(sos[:, 3] == 0.0):
            raise ValueError("a section's a[0] must not be zero")
        self._sos = sos / sos[:, 3:4]
        self.order = 2 * sos.shape[0]
        self._plans: dict[int, _BlockPlan] = {}

    def __call__(self, x: np.ndarray, zi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``x``: float64 ``(channels, frames)``; ``zi``: ``(channels, 2 * sections)``.
        Returns ``(y, zf)``."""
        channels, frames = x.shape
        span = self._CHUNK * self._SPAN_CHUNKS
        if frames <= span:
            return self._plan(frames).run(x, zi)
        y = np.empty((channels, frames))
        z = zi
        for start in range(0, frames, span):
            n = min(span, frames - start)
            y[:, start : start + n], z = self._plan(n).run(x[:, start : start + n], z)
        return y, z

    def _plan(self, frames: int) -> "_BlockPlan":
        plan = self._plans.get(frames)
        if plan is None:
            if len(self._plans) >= self._MAX_PLANS:  # odd lengths: keep memory bounded
                self._plans.clear()
            plan = self._plans[frames] = _BlockPlan(self._sos, frames, self._CHUNK)
        return plan


def _cascade_responses(sos: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Run the biquad cascade ``length`` steps for ``1 + order`` cases at once: a unit
    impulse from zero state, and zero input from each unit state. Returns the outputs
    ``(length, 1 + order)`` and the states after each step ``(length + 1, order, 1 + order)``
    (index 0: the start)."""
    order = 2 * sos.shape[0]
    cases = 1 + order
    z = np.zeros((order, cases))
    z[:, 1:] = np.eye(order)
    ys = np.empty((length, cases))
    states = np.empty((length + 1, order, cases))
    states[0] = z
    for n in range(length):
        v = np.zeros(cases)
        if n == 0:
            v[0] = 1.0
        for i, (b0, b1, b2, _, a1, a2) in enumerate(sos):
            z0, z1 = z[2 * i], z[2 * i + 1]
            out = b0 * v + z0
            z[2 * i] = b1 * v + z1 - a1 * out
            z[2 * i + 1] = b2 * v - a2 * out
            v = out
        ys[n] = v
        states[n + 1] = z
    return ys, states


class _BlockPlan:
    """The cached matrices for one frame count (see :class:`BlockIIR`).

    With ``x`` the ``(channels, frames)`` block zero-padded to ``chunks * length`` and ``u``
    the same seen as ``(channels * chunks, length)`` rows:

    - ``E = zi @ P + x @ R``: the state entering each sub-block, and after them the final
      state, as ``(channels, (chunks + 1) * order)``. ``R`` holds ``B`` (and, for the last
      sub-block, ``B_r``) chained through the powers of ``Z``;
    - ``y = u @ T.T + E[:, :chunks * order] (as rows of order) @ O.T``.
    """

    def __init__(self, sos: np.ndarray, frames: int, chunk: int) -> None:
        order = 2 * sos.shape[0]
        length = min(frames, chunk)
        chunks = -(-frames // length)
        last = frames - (chunks - 1) * length  # 1..length samples in the last sub-block
        ys, states = _cascade_responses(sos, length)
        h = ys[:, 0]
        toeplitz = np.zeros((length, length))
        for k in range(length):
            toeplitz[k:, k] = h[: length - k]
        impulse_states = states[:, :, 0]  # (length + 1, order): state m samples after an impulse
        b_full = impulse_states[length - np.arange(length)].T  # (order, length): unit sample at n -> end state
        b_last = np.zeros((order, length))
        b_last[:, :last] = impulse_states[last - np.arange(last)].T
        z_full = states[length, :, 1:]  # (order, order)
        z_last = states[last, :, 1:]
        # entering[k] = Z^k zi + sum_{j<k} Z^(k-1-j) B u_j  (k < chunks); final = Z_r entering[-1] + B_r u_last
        powers = [np.eye(order)]
        for _ in range(chunks):
            powers.append(z_full @ powers[-1])
        width = (chunks + 1) * order
        p = np.zeros((order, width))
        r = np.zeros((chunks * length, width))
        for k in range(chunks):
            p[:, k * order : (k + 1) * order] = powers[k].T
            for j in range(k):
                r[j * length : (j + 1) * length, k * order : (k + 1) * order] = (powers[k - 1 - j] @ b_full).T
        p[:, chunks * order :] = (z_last @ powers[chunks - 1]).T
        for j in range(chunks):
            into_last = b_last if j == chunks - 1 else z_last @ powers[chunks - 2 - j] @ b_full
            r[j * length : (j + 1) * length, chunks * order :] = into_last.T
        self.frames, self.length, self.chunks, self.order = frames, length, chunks, order
        self._tt = np.ascontiguousarray(toeplitz.T)
        self._ot = np.ascontiguousarray(ys[:, 1:].T)  # (order, length)
        self._p, self._r = p, r
        self._padded = np.zeros((0, 0))

    def run(self, x: np.ndarray, zi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        channels = x.shape[0]
        length, chunks, order = self.length, self.chunks, self.order
        whole = self.frames == chunks * length
        if not (whole and x.flags.c_contiguous):
            if self._padded.shape != (channels, chunks * length):
                self._padded = np.zeros((channels, chunks * length))
            self._padded[:, : self.frames] = x
            x = self._padded
        e = x @ self._r
        e += zi @ self._p
        y = x.reshape(channels * chunks, length) @ self._tt
        y += e[:, : chunks * order].reshape(channels * chunks, order) @ self._ot
        y = y.reshape(channels, chunks * length)
        return (y if whole else y[:, : self.frames]), e[:, chunks * order :]


def channel_major(block: np.ndarray, channels: int, out: np.ndarray | None = None) -> np.ndarray:
    """``(frames, channels)`` samples (or mono ``(frames,)``) as a C-contiguous float64
    ``(channels, frames)`` array, written into ``out`` when it has that shape.

    The analysers work channel-major: numpy reduces and filters along contiguous rows
    several times faster than down the columns of an interleaved ``(frames, 2)`` array.
    """
    b = np.asarray(block)
    frames = b.shape[0]
    if out is None or out.shape != (channels, frames):
        out = np.empty((channels, frames))
    out[:] = b.reshape(frames, channels).T
    return out


class BinAccumulator:
    """Sums per-column values into fixed-length bins across blocks of any size.

    ``add(values)`` with ``values`` shaped ``(frames, k)`` returns the sums of the bins
    completed by this block, shaped ``(bins, k)`` (possibly zero bins). Whole bins are
    summed as one reshaped reduction over each column's contiguous run when ``values`` is
    a transposed channel-major array (what the analysers pass), so a block that is a
    whole number of bins costs one array call.
    """

    def __init__(self, bin_len: int, columns: int) -> None:
        if bin_len < 1:
            raise ValueError("bin_len must be >= 1")
        self.bin_len = bin_len
        self._acc = np.zeros(columns)
        self._count = 0

    def add(self, values: np.ndarray) -> np.ndarray:
        n = values.shape[0]
        bin_len = self.bin_len
        if self._count == 0 and n % bin_len == 0:  # the usual case: blocks of whole bins
            return values.T.reshape(values.shape[1], n // bin_len, bin_len).sum(axis=2).T
        need = bin_len - self._count if self._count else 0
        if n < bin_len - self._count:
            self._acc += values.sum(axis=0)
            self._count += n
            return values[:0]
        whole = (n - need) // bin_len
        cols = values.shape[1]
        sums = np.empty((whole + (1 if need else 0), cols))
        if need:
            sums[0] = self._acc + values[:need].sum(axis=0)
        if whole:
            body = values[need : need + whole * bin_len]
            sums[1 if need else 0 :] = body.T.reshape(cols, whole, bin_len).sum(axis=2).T
        rest = values[need + whole * bin_len :]
        self._count = rest.shape[0]
        self._acc = rest.sum(axis=0) if self._count else np.zeros(cols)
        return sums


class LoudnessMeter:
    """Streaming BS.1770-4 meter: momentary, short-term, gated integrated and LRA.

    Feed consecutive blocks of any length with :meth:`add`. Momentary (400 ms) and
    short-term (3 s) windows slide in 10 ms steps and start zero-filled, as in
    libebur128; their maxima are kept. Integrated loudness gates 400 ms blocks taken
    every 100 ms (absolute -70 LUFS, relative -10 LU); the loudness range (EBU Tech 3342)
    uses 3 s blocks every 100 ms (absolute -70 LUFS, relative -20 LU, P95 - P10).
    """

    def __init__(self, samplerate: int, channels: int, channel_weights: Sequence[float] | None = None) -> None:
        self.samplerate = int(samplerate)
        self.channels = int(channels)
        weights = default_channel_weights(channels) if channel_weights is None else np.asarray(channel_weights, float)
        if weights.shape != (channels,):
            raise ValueError(f"need {channels} channel weights, got {weights.shape}")
        self._weights = weights
        self._weights_row = weights.reshape(1, channels)
        # Both biquads in one set of block matrices: one filter call per block.
        self._filter = BlockIIR(k_weighting_sos(self.samplerate))
        self._zi = np.zeros((channels, self._filter.order))  # carried filter state
        # 10 ms bins; rates that are not a multiple of 100 Hz get the nearest whole length.
        self.bin_len = max(1, round(self.samplerate * _BIN_S))
        self._bins = BinAccumulator(self.bin_len, 1)
        self._m_bins = round(MOMENTARY_S / _BIN_S)
        self._s_bins = round(SHORT_TERM_S / _BIN_S)
        # The last 3 s of weighted bin energies as a plain ring with running window sums:
        # usually one bin completes per block, and a few float operations beat any array call.
        self._ring = [0.0] * self._s_bins
        self._pos = 0
        self._m_sum = 0.0
        self._s_sum = 0.0
        self._total_bins = 0
        # The whole show's blocks (integrated loudness and LRA need them all): 8 bytes each in
        # an array, not a 32-byte float object each in a list (a 4-hour show: 2.3 MB, not 9 MB).
        self._block_powers = array("d")  # 400 ms gating blocks, every 100 ms
        self._short_powers = array("d")  # 3 s blocks for LRA, every 100 ms
        self.momentary_power = 0.0
        self.short_term_power = 0.0
        self.momentary_max_power = 0.0
        self.short_term_max_power = 0.0

    def reset(self) -> None:
        self.__init__(self.samplerate, self.channels, self._weights)  # type: ignore[misc]

    def add(self, block: np.ndarray) -> None:
        """Add ``(frames, channels)`` samples that follow the previous block."""
        if block.shape[0] == 0:
            return
        self.add_channel_major(channel_major(block, self.channels))

    def add_channel_major(self, x: np.ndarray) -> None:
        """The same for a float64 ``(channels, frames)`` array (see :func:`channel_major`)."""
        if x.shape[1] == 0:
            return
        if x.dtype != np.float64:
            x = x.astype(np.float64)
        y, self._zi = self._filter(x, self._zi)
        np.multiply(y, y, out=y)
        energy = self._weights_row @ y  # (1, frames): channel-weighted squares
        done = self._bins.add(energy.T)
        if done.shape[0] == 0:
            return
        ring, n_s, n_m = self._ring, self._s_bins, self._m_bins
        m_norm = 1.0 / (n_m * self.bin_len)
        s_norm = 1.0 / (n_s * self.bin_len)
        m_max, s_max = self.momentary_max_power, self.short_term_max_power
        m = s = 0.0
        for value in done[:, 0].tolist():
            pos = self._pos
            self._m_sum += value - ring[(pos - n_m) % n_s]
            self._s_sum += value - ring[pos]
            ring[pos] = value
            self._pos = (pos + 1) % n_s
            self._total_bins += 1
            count = self._total_bins
            if count % 1000 == 0:  # re-add exactly now and then: running sums drift
                self._s_sum = math.fsum(ring)
                self._m_sum = math.fsum(ring[(self._pos - n_m + i) % n_s] for i in range(n_m))
            m = max(self._m_sum, 0.0) * m_norm
            s = max(self._s_sum, 0.0) * s_norm
            if m > m_max:
                m_max = m
            if s > s_max:
                s_max = s
            if count % _HOP_BINS == 0:
                if count >= n_m:
                    self._block_powers.append(m)
                if count >= n_s:
                    self._short_powers.append(s)
        self.momentary_power, self.short_term_power = m, s
        self.momentary_max_power, self.short_term_max_power = m_max, s_max

    # --- readings (LUFS / LU) -----------------------------------------------------
    @property
    def duration_s(self) -> float:
        return self._total_bins * self.bin_len / self.samplerate

    def momentary(self) -> float:
        return power_to_lufs(self.momentary_power)

    def short_term(self) -> float:
        return power_to_lufs(self.short_term_power)

    def momentary_max(self) -> float:
        return power_to_lufs(self.momentary_max_power)

    def short_term_max(self) -> float:
        return power_to_lufs(self.short_term_max_power)

    def integrated(self) -> float:
        """Gated integrated loudness so far; ``-inf`` if no block passes the gates."""
        z = np.asarray(self._block_powers)
        z = z[z > lufs_to_power(ABSOLUTE_GATE_LUFS)]
        if z.size == 0:
            return -math.inf
        gate = lufs_to_power(power_to_lufs(float(z.mean())) + RELATIVE_GATE_LU)
        z = z[z > gate]
        return power_to_lufs(float(z.mean())) if z.size else -math.inf

    def loudness_range(self) -> float | None:
        """Loudness range in LU (Tech 3342); ``None`` until two 3 s blocks pass the gates."""
        z = np.asarray(self._short_powers)
        z = z[z > lufs_to_power(ABSOLUTE_GATE_LUFS)]
        if z.size == 0:
            return None
        gate = lufs_to_power(power_to_lufs(float(z.mean())) + LRA_RELATIVE_GATE_LU)
        z = z[z > gate]
        if z.size < 2:
            return None
        levels = -0.691 + 10.0 * np.log10(z)
        lo, hi = np.percentile(levels, [10.0, 95.0])
        return float(hi - lo)


def _polyphase_block_matrices(phases: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The FIR ``y_p[n] = sum_k h_p[k] x[n-k]`` regrouped for rows of ``taps`` samples.

    With the signal cut into rows of ``taps`` samples, the outputs of one row (``taps``
    positions times the phases, position-major) are ``prev_row @ past + row @ now``: two
    ordinary dense matrix products on contiguous memory, which BLAS runs at full speed
    (a strided window view would fall back to numpy's slow generic loop).
    """
    n_phases, taps = phases.shape
    past = np.zeros((taps, taps * n_phases))
    now = np.zeros((taps, taps * n_phases))
    for r in range(taps):
        for p in range(n_phases):
            for k in range(taps):
                if r - k >= 0:
                    now[r - k, r * n_phases + p] += phases[p, k]
                else:
                    past[taps + r - k, r * n_phases + p] += phases[p, k]
    return past, now


class TruePeakMeter:
    """4x oversampled peak per channel (BS.1770-4 Annex 2 polyphase FIR), with carried state.

    :meth:`add` returns the block's true peak per channel as linear amplitude (never
    below the sample peak: interpolation cannot make a sample disappear). Every
    interpolated sample is computed (no skipping): whole rows of 12 samples go through
    two BLAS products, the few left over through a small window product.
    """

    _TAPS = TRUE_PEAK_PHASES.shape[1]
    _PAST, _NOW = _polyphase_block_matrices(TRUE_PEAK_PHASES)
    # windows hold oldest..newest, so each phase is applied reversed: y_p[n] = sum_k h_p[k] x[n-k]
    _WINDOW = np.ascontiguousarray(TRUE_PEAK_PHASES[:, ::-1].T)  # (12 taps, 4 phases)

    def __init__(self, channels: int) -> None:
        self.channels = int(channels)
        self._history = np.zeros((channels, self._TAPS))  # the last 12 samples, channel-major
        self._rows = np.zeros((channels, 0))
        self._y = self._y2 = np.zeros((0, 0))
        self._cm = np.zeros((channels, 0))

    def add(self, block: np.ndarray, sample_peak: np.ndarray | None = None) -> np.ndarray:
        """``block`` is ``(frames, channels)``; ``sample_peak``: its per-channel sample peak
        if the caller has it already."""
        self._cm = channel_major(block, self.channels, self._cm)
        if sample_peak is None:
            sample_peak = np.abs(self._cm).max(axis=1) if self._cm.shape[1] else np.zeros(self.channels)
        return np.array(self.add_channel_major(self._cm, np.asarray(sample_peak, dtype=np.float64).tolist()))

    def add_channel_major(self, x: np.ndarray, sample_peak: list[float]) -> list[float]:
        """The same for a C-contiguous float64 ``(channels, frames)`` array, with its
        per-channel sample peak as floats; returns floats."""
        channels, frames = x.shape
        taps = self._TAPS
        rows = frames // taps
        whole = rows * taps
        peak = list(sample_peak)
        if rows:
            # [history | whole rows] per channel, seen as (channels * (rows + 1), 12): the
            # product pairs each row with the one before it; the pair that straddles two
            # channels (last row of one, history of the next) is computed and ignored.
            if self._rows.shape[1] != taps + whole:
                self._rows = np.empty((channels, taps + whole))
                self._y = np.empty((channels * (rows + 1) - 1, self._PAST.shape[1]))
                self._y2 = np.empty_like(self._y)
            buf, y = self._rows, self._y
            buf[:, :taps] = self._history
            buf[:, taps:] = x[:, :whole]
            flat = buf.reshape(channels * (rows + 1), taps)
            np.matmul(flat[:-1], self._PAST, out=y)
            y += np.matmul(flat[1:], self._NOW, out=self._y2)
            np.abs(y, out=y)
            # Whole-slice reductions per channel: numpy reduces short rows (axis=1) slowly.
            for c in range(channels):
                top = float(y[c * (rows + 1) : c * (rows + 1) + rows].max())
                if top > peak[c]:
                    peak[c] = top
            self._history[:] = buf[:, -taps:]
        left = frames - whole
        if left:
            tail = np.concatenate((self._history, x[:, whole:]), axis=1)  # (channels, 12 + left)
            windows = np.lib.stride_tricks.sliding_window_view(tail[:, 1:], taps, axis=1)  # (channels, left, 12)
            y = np.abs(windows @ self._WINDOW).max(axis=(1, 2)).tolist()
            peak = [max(p, v) for p, v in zip(peak, y)]
            self._history[:] = tail[:, -taps:]
        return peak


@dataclass(frozen=True)
class ProgrammeLoudness:
    """One file's or programme's measurement; ``-inf`` for silence, ``None`` LRA if unmeasurable."""

    integrated_lufs: float
    momentary_max_lufs: float
    short_term_max_lufs: float
    lra_lu: float | None
    true_peak_dbtp: float
    sample_peak_dbfs: float
    duration_s: float
    samplerate: int
    channels: int


def measure_programme(
    samples: np.ndarray,
    samplerate: int,
    channel_weights: Sequence[float] | None = None,
    chunk_s: float = 1.0,
) -> ProgrammeLoudness:
    """Measure a whole programme ``(frames, channels)`` with the same streaming meters."""
    x = np.asarray(samples)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    channels = x.shape[1]
    meter = LoudnessMeter(samplerate, channels, channel_weights)
    tp = TruePeakMeter(channels)
    true_peak = 0.0
    sample_peak = 0.0
    step = max(1, int(samplerate * chunk_s))
    for start in range(0, x.shape[0], step):
        block = x[start : start + step]
        meter.add(block)
        true_peak = max(true_peak, float(tp.add(block).max()))
        sample_peak = max(sample_peak, float(np.abs(block).max()))
    return ProgrammeLoudness(
        integrated_lufs=meter.integrated(),
        momentary_max_lufs=meter.momentary_max(),
        short_term_max_lufs=meter.short_term_max(),
        lra_lu=meter.loudness_range(),
        true_peak_dbtp=linear_to_db(true_peak),
        sample_peak_dbfs=linear_to_db(sample_peak),
        duration_s=x.shape[0] / samplerate,
        samplerate=int(samplerate),
        channels=channels,
    )
