"""Level analysis (peaks, RMS, clips, noise floor), OBS ballistics and the sample ring."""
from __future__ import annotations

import math

import numpy as np
import pytest

from hardware.audio.levels import LevelAnalyzer, PeakBallistics
from hardware.audio.ring import NO_STATUS, SampleRing

FS = 48000


def sine(peak_dbfs, seconds, freq=1000.0, channels=2):
    t = np.arange(int(FS * seconds)) / FS
    x = 10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * t)
    return np.tile(x[:, None], (1, channels)).astype(np.float32)


def feed(analyzer, x, block=480):
    for i in range(0, len(x), block):
        analyzer.add(x[i : i + block])


def test_tone_levels():
    a = LevelAnalyzer(FS, 2)
    feed(a, sine(-20.0, 1.0))
    left, right = a.take()
    assert left.peak_dbfs == pytest.approx(-20.0, abs=0.01)
    assert left.rms_dbfs == pytest.approx(-23.01, abs=0.02)
    assert left.true_peak_dbfs == pytest.approx(-20.0, abs=0.05)
    assert right.peak_dbfs == left.peak_dbfs
    assert left.clips == 0


def test_peaks_are_since_the_last_take_and_rms_follows_300ms():
    a = LevelAnalyzer(FS, 1)
    feed(a, sine(-6.0, 0.5, channels=1))
    a.take()
    feed(a, np.zeros((int(FS * 0.35), 1), np.float32))
    (c,) = a.take()
    assert c.peak_dbfs == -math.inf  # silence since the last take
    assert c.rms_dbfs == -math.inf  # the 300 ms window has left the tone


def test_clips_are_counted_per_channel():
    a = LevelAnalyzer(FS, 2)
    x = sine(-20.0, 0.1)
    x[100:105, 1] = 1.0
    x[200, 1] = -1.0
    feed(a, x)
    left, right = a.take()
    assert (left.clips, right.clips) == (0, 6)


def test_noise_floor_is_the_quiet_part_of_the_last_30s():
    rng = np.random.default_rng(1)
    a = LevelAnalyzer(FS, 1)
    speech = sine(-10.0, 0.6, channels=1)
    noise = (10 ** (-50 / 20) * rng.standard_normal((int(FS * 0.6), 1))).astype(np.float32)
    for _ in range(20):  # 24 s: 50 % talking, 50 % room noise at -50 dBFS RMS
        feed(a, speech)
        feed(a, noise)
    (c,) = a.take()
    assert c.noise_floor_dbfs == pytest.approx(-50.0, abs=1.5)


def test_ballistics_attack_is_instant_and_decay_is_11_76_db_per_s():
    b = PeakBallistics()
    b.update(-10.0, -13.0, now=100.0)
    assert b.peak == -10.0
    b.update(-60.0, -60.0, now=101.0)
    assert b.peak == pytest.approx(-21.76)
    b.update(-5.0, -60.0, now=101.016)
    assert b.peak == -5.0


def test_ballistics_decay_depends_on_time_not_frame_rate():
    fast, slow = PeakBallistics(), PeakBallistics()
    fast.update(0.0, -10.0, 0.0)
    slow.update(0.0, -10.0, 0.0)
    for i in range(1, 61):  # 60 Hz vs 4 Hz redraws for one second
        fast.update(-60.0, -40.0, i / 60)
    for i in range(1, 5):
        slow.update(-60.0, -40.0, i / 4)
    assert fast.peak == pytest.approx(slow.peak, abs=1e-9)
    assert fast.magnitude == pytest.approx(slow.magnitude, abs=0.01)


def test_ballistics_peak_hold_lasts_20s_then_falls_to_the_current_peak():
    b = PeakBallistics()
    b.update(-3.0, -10.0, 0.0)
    for t in np.arange(0.5, 20.0, 0.5):
        b.update(-30.0, -33.0, float(t))
    assert b.hold == -3.0
    b.update(-30.0, -33.0, 20.5)
    assert b.hold == pytest.approx(-30.0)


def test_ballistics_magnitude_reaches_99_percent_in_300ms():
    b = PeakBallistics()
    b.update(-60.0, -60.0, 0.0)
    b.update(-20.0, -20.0, 0.3)
    assert b.magnitude == pytest.approx(-20.4, abs=0.01)


def test_ballistics_never_hand_minus_infinity_to_the_painter():
    b = PeakBallistics(floor_db=-60.0)
    b.update(-math.inf, -math.inf, 0.0)
    assert (b.peak, b.hold, b.magnitude) == (-60.0, -60.0, -60.0)


class _Overflow:
    input_overflow = True

    def __bool__(self):
        return True


def test_ring_wraps_and_counts_overflows():
    ring = SampleRing(2048, 2)
    x = np.arange(1000 * 2, dtype=np.float32).reshape(1000, 2)
    ring.callback(x[:700], 700, None, NO_STATUS)
    np.testing.assert_array_equal(ring.read(), x[:700])
    ring.callback(x[:500], 500, None, _Overflow())
    np.testing.assert_array_equal(ring.read(), x[:500])
    ring.callback(x[:900], 900, None, NO_STATUS)  # crosses the end of the buffer (700+500+900 > 2048)
    np.testing.assert_array_equal(ring.read(), x[:900])
    assert ring.overflows == 1 and ring.callbacks == 3 and ring.read().shape == (0, 2)


def test_ring_reader_that_falls_behind_skips_the_oldest_and_says_so():
    ring = SampleRing(1024, 1)
    for i in range(10):
        ring.callback(np.full((256, 1), i, np.float32), 256, None, NO_STATUS)
    out = ring.read()
    assert out.shape == (512, 1)
    assert out[-1, 0] == 9 and out[0, 0] == 8
    assert ring.dropped == 10 * 256 - 512


def test_callback_only_copies_no_buffers_are_allocated():
    import tracemalloc

    ring = SampleRing(1 << 16, 2)
    indata = np.ones((480, 2), np.float32)
    ring.callback(indata, 480, None, NO_STATUS)  # warm up
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        for _ in range(2000):  # wraps the ring several times
            ring.callback(indata, 480, None, NO_STATUS)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 1024, f"the callback allocated {peak} bytes at its peak (a 480x2 copy would be 3840)"
    assert ring.written == 2001 * 480


def test_rms_and_noise_floor_follow_the_signal_fed_in_any_block_sizes():
    """Running sums with exact re-adding: 300 ms RMS equals a direct computation after
    minutes of audio in ragged blocks, and the noise floor is np.percentile's value."""
    rng = np.random.default_rng(11)
    seconds = 40
    levels = 10 ** (rng.uniform(-70, -6, size=seconds * 10) / 20)  # a new level every 100 ms
    x = (np.repeat(levels, FS // 10)[:, None] * rng.standard_normal((seconds * FS, 2))).astype(np.float32)
    a, i = LevelAnalyzer(FS, 2), 0
    while i < len(x):
        n = int(rng.integers(1, 2000))
        a.add(x[i : i + n])
        i += n
    c = a.take()
    tail = x[-int(FS * 0.3) :].astype(np.float64)
    want = 10 * np.log10(np.mean(tail**2, axis=0))
    assert [ch.rms_dbfs for ch in c] == pytest.approx(want.tolist(), abs=1e-6)
    blocks = x[-30 * FS :].astype(np.float64).reshape(300, FS // 10, 2)
    floor = 10 * np.log10(np.percentile(np.mean(blocks**2, axis=1), 10, axis=0))
    assert [ch.noise_floor_dbfs for ch in c] == pytest.approx(floor.tolist(), abs=1e-6)
