"""Loudness and true peak against EBU Tech 3341 / Tech 3342 (signals synthesised here),
and the K-weighting against BS.1770's table and pyloudnorm's exact-prototype filter."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.audio.loudness import BlockIIR, LoudnessMeter, TruePeakMeter, k_weighting_sos, measure_programme

FS = 48000


def tone(segments, fs=FS, freq=1000.0, channels=2):
    """Concatenated 1 kHz sine segments [(dBFS or None for silence, seconds), ...], continuous phase."""
    amps = [np.full(int(round(s * fs)), 0.0 if db is None else 10 ** (db / 20)) for db, s in segments]
    env = np.concatenate(amps)
    x = env * np.sin(2 * np.pi * freq * np.arange(env.size) / fs)
    return np.tile(x[:, None], (1, channels))


def stream(x, fs=FS, block_s=0.01, channels=None):
    """Feed in 10 ms blocks; return (meter, momentary per block, short-term per block)."""
    meter = LoudnessMeter(fs, channels or x.shape[1])
    n = int(fs * block_s)
    m, s = [], []
    for i in range(0, x.shape[0], n):
        meter.add(x[i : i + n])
        m.append(meter.momentary())
        s.append(meter.short_term())
    return meter, np.array(m), np.array(s)


# --- K-weighting ----------------------------------------------------------------------

def test_k_weighting_at_48k_is_the_bs1770_table():
    sos = k_weighting_sos(48000)
    np.testing.assert_allclose(sos[0, :3], [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-12)
    np.testing.assert_allclose(sos[0, 3:], [1.0, -1.69065929318241, 0.73248077421585], atol=1e-12)
    np.testing.assert_allclose(sos[1, :3], [1.0, -2.0, 1.0])
    np.testing.assert_allclose(sos[1, 3:], [1.0, -1.99004745483398, 0.99007225036621], atol=1e-10)


def test_k_weighting_magnitude_response_at_48k():
    from scipy.signal import sosfreqz

    w, h = sosfreqz(k_weighting_sos(48000), worN=[25, 100, 1000, 10000], fs=48000)
    got = 20 * np.log10(np.abs(h))
    np.testing.assert_allclose(got, [-10.39, -1.13, 0.698, 4.04], atol=0.01)


@pytest.mark.parametrize("fs", [44100, 32000, 96000])
def test_k_weighting_at_other_rates_matches_pyloudnorm_deman_filter(fs):
    import pyloudnorm as pyln
    meter = pyln.Meter(fs, filter_class="DeMan")
    shelf, hp = meter._filters["high_shelf_DeMan"], meter._filters["high_pass_DeMan"]
    sos = k_weighting_sos(fs)
    np.testing.assert_allclose(sos[0, :3], shelf.b, rtol=1e-9)
    np.testing.assert_allclose(sos[0, 3:], shelf.a, rtol=1e-9)
    np.testing.assert_allclose(sos[1, 3:], hp.a, rtol=1e-9)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((fs * 10, 2)) * 0.05
    assert measure_programme(x, fs).integrated_lufs == pytest.approx(meter.integrated_loudness(x), abs=0.01)


def test_k_weighting_response_is_rate_independent():
    from scipy.signal import sosfreqz

    f = [50, 200, 1000, 5000, 15000]
    r = {fs: 20 * np.log10(np.abs(sosfreqz(k_weighting_sos(fs), worN=f, fs=fs)[1])) for fs in (44100, 48000, 96000)}
    np.testing.assert_allclose(r[44100], r[48000], atol=0.15)
    np.testing.assert_allclose(r[96000], r[48000], atol=0.15)


# --- EBU Tech 3341 --------------------------------------------------------------------

@pytest.mark.parametrize("db", [-23.0, -33.0])
def test_3341_cases_1_2_steady_tone(db):
    meter, m, s = stream(tone([(db, 20.0)]))
    assert meter.momentary() == pytest.approx(db, abs=0.1)
    assert meter.short_term() == pytest.approx(db, abs=0.1)
    assert meter.integrated() == pytest.approx(db, abs=0.1)


@pytest.mark.parametrize(
    "segments",
    [
        [(-36, 10), (-23, 60), (-36, 10)],  # case 3: relative gate
        [(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)],  # case 4: absolute + relative gate
        [(-26, 20), (-20, 20.1), (-26, 20)],  # case 5
    ],
    ids=["case3", "case4", "case5"],
)
def test_3341_cases_3_4_5_gated_integrated(segments):
    assert measure_programme(tone(segments), FS).integrated_lufs == pytest.approx(-23.0, abs=0.1)


def test_3341_case_6_five_channels():
    t = np.arange(20 * FS) / FS
    s = np.sin(2 * np.pi * 1000 * t)
    x = np.stack([s * 10 ** (db / 20) for db in (-28, -28, -24, -30, -30)], axis=1)  # L R C Ls Rs
    assert measure_programme(x, FS).integrated_lufs == pytest.approx(-23.0, abs=0.1)


def test_3341_case_9_short_term_constant_after_3s():
    x = tone([(-20, 1.34), (-30, 1.66)] * 5)
    _, _, s = stream(x)
    steady = s[310:]  # after 3 s (plus one block)
    assert np.all(np.abs(steady + 23.0) <= 0.1), (steady.min(), steady.max())


def _bursts(levels, burst_s, rng):
    segs, spans = [], []
    t = 0.0
    for db in levels:
        gap = round(float(rng.uniform(0.8, 1.6)), 4)  # odd lengths: bursts fall anywhere in a 10 ms step
        segs.append((None, gap))
        t += gap
        segs.append((db, burst_s))
        spans.append((t, t + burst_s + 0.2))
        t += burst_s
    segs.append((None, 1.0))
    return segs, spans


def _max_per_span(values, spans, block_s=0.01):
    return [float(values[int(a / block_s) : int(b / block_s) + 1].max()) for a, b in spans]


def test_3341_case_10_short_term_max_of_3s_bursts():
    segs, spans = _bursts([-23.0] * 20, 3.0, np.random.default_rng(10))
    _, _, s = stream(tone(segs))
    np.testing.assert_allclose(_max_per_span(s, spans), -23.0, atol=0.1)


def test_3341_case_11_short_term_max_of_stepped_bursts():
    levels = [float(v) for v in range(-38, -18)]
    segs, spans = _bursts(levels, 3.0, np.random.default_rng(11))
    _, _, s = stream(tone(segs))
    np.testing.assert_allclose(_max_per_span(s, spans), levels, atol=0.1)


def test_3341_case_12_momentary_constant_after_1s():
    x = tone([(-20, 0.18), (-30, 0.22)] * 25)
    _, m, _ = stream(x)
    steady = m[100:]
    assert np.all(np.abs(steady + 23.0) <= 0.1), (steady.min(), steady.max())


def test_3341_case_13_momentary_max_of_400ms_bursts():
    segs, spans = _bursts([-23.0] * 20, 0.4, np.random.default_rng(13))
    _, m, _ = stream(tone(segs))
    np.testing.assert_allclose(_max_per_span(m, spans), -23.0, atol=0.1)


def test_3341_case_14_momentary_max_of_stepped_bursts():
    levels = [float(v) for v in range(-38, -18)]
    segs, spans = _bursts(levels, 0.4, np.random.default_rng(14))
    _, m, _ = stream(tone(segs))
    np.testing.assert_allclose(_max_per_span(m, spans), levels, atol=0.1)


@pytest.mark.parametrize(
    "divisor, phase_deg, amplitude, expected",
    [(4, 0.0, 0.5, -6.0), (4, 45.0, 0.5, -6.0), (6, 60.0, 0.5, -6.0), (8, 67.5, 0.5, -6.0), (4, 45.0, 1.41, 3.0)],
    ids=["case15", "case16", "case17", "case18", "case19"],
)
def test_3341_cases_15_to_19_true_peak(divisor, phase_deg, amplitude, expected):
    n = np.arange(FS * 2)
    x = amplitude * np.sin(2 * np.pi * n / divisor + np.deg2rad(phase_deg))
    # A sine switched on mid-cycle is a step, and a band-limited reconstruction of a step
    # really does overshoot: the test files' steady sines are faded in, so ours are too.
    fade = int(0.02 * FS)
    x[:fade] *= np.sin(np.linspace(0, np.pi / 2, fade)) ** 2
    got = measure_programme(np.stack([x, x], axis=1), FS).true_peak_dbtp
    assert expected - 0.4 <= got <= expected + 0.2, got


def test_true_peak_sees_the_intersample_peak_the_sample_peak_misses():
    n = np.arange(FS)
    x = np.sin(np.pi / 2 * n + np.pi / 4)  # fs/4 at 45 deg: samples at 0.707, waveform at 1.0
    r = measure_programme(x, FS)
    assert r.sample_peak_dbfs == pytest.approx(-3.01, abs=0.01)
    assert r.true_peak_dbtp == pytest.approx(0.0, abs=0.3)


# --- EBU Tech 3342 (loudness range) ------------------------------------------------------

@pytest.mark.parametrize(
    "levels, expected",
    [((-20, -30), 10.0), ((-20, -15), 5.0), ((-40, -20), 20.0), ((-50, -35, -20, -35, -50), 15.0)],
    ids=["case1", "case2", "case3", "case4"],
)
def test_3342_loudness_range(levels, expected):
    r = measure_programme(tone([(db, 20.0) for db in levels]), FS)
    assert r.lra_lu == pytest.approx(expected, abs=1.0)


# --- streaming behaviour --------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=7000), min_size=5, max_size=60))
def test_block_sizes_do_not_change_the_result(sizes):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((sum(sizes), 2)) * 0.1
    one = LoudnessMeter(FS, 2)
    one.add(x)
    many = LoudnessMeter(FS, 2)
    tp_one, tp_many = TruePeakMeter(2), TruePeakMeter(2)
    peak_one = tp_one.add(x).max()
    peak_many, i = 0.0, 0
    for n in sizes:
        many.add(x[i : i + n])
        peak_many = max(peak_many, tp_many.add(x[i : i + n]).max())
        i += n
    for name in ("momentary", "short_term", "momentary_max", "short_term_max", "integrated"):
        a, b = getattr(one, name)(), getattr(many, name)()
        assert (a == b == -math.inf) or a == pytest.approx(b, abs=1e-9), name
    assert peak_one == pytest.approx(peak_many, rel=1e-12)


def test_silence_reads_minus_infinity_and_no_range():
    r = measure_programme(np.zeros((FS * 5, 2)), FS)
    assert r.integrated_lufs == r.momentary_max_lufs == r.short_term_max_lufs == -math.inf
    assert r.true_peak_dbtp == r.sample_peak_dbfs == -math.inf
    assert r.lra_lu is None


def test_reset_forgets_the_programme():
    meter = LoudnessMeter(FS, 2)
    meter.add(tone([(-20, 5.0)]))
    meter.reset()
    meter.add(tone([(-30, 5.0)]))
    assert meter.integrated() == pytest.approx(-30.0, abs=0.1)
    assert meter.momentary_max() == pytest.approx(-30.0, abs=0.1)


# --- the fast paths give the textbook answers ---------------------------------------------

def _direct_interpolation(x):
    """BS.1770-4 Annex 2 written out: each phase of the 48-tap filter by np.convolve.
    Returns |interpolated| shaped (frames, channels): the largest phase at each sample."""
    from hardware.audio.loudness import TRUE_PEAK_PHASES

    padded = np.concatenate((np.zeros((11, x.shape[1])), x))
    return np.stack(
        [
            np.max([np.abs(np.convolve(padded[:, c], TRUE_PEAK_PHASES[p], "valid")) for p in range(4)], axis=0)
            for c in range(x.shape[1])
        ],
        axis=1,
    )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=5),
    st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12),
)
def test_true_peak_block_products_equal_the_direct_filter(channels, sizes):
    rng = np.random.default_rng(sum(sizes) + channels)
    x = rng.standard_normal((sum(sizes), channels)) * 0.3
    interp = _direct_interpolation(x)
    meter, i = TruePeakMeter(channels), 0
    for n in sizes:  # rows of 12 through the products, the rest through the window path
        want = np.maximum(interp[i : i + n].max(axis=0), np.abs(x[i : i + n]).max(axis=0))
        np.testing.assert_allclose(meter.add(x[i : i + n]), want, rtol=1e-12)
        i += n


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=5),
    st.sampled_from([44100, 48000, 96000]),
    st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=8),
)
def test_block_filter_equals_sosfilt_across_any_block_lengths(channels, fs, sizes):
    """The meter's numpy block filter against SciPy's own cascade, state carried across
    blocks of any length: one sub-block, whole sub-blocks, padded ones, several spans."""
    from scipy.signal import sosfilt

    sos = k_weighting_sos(fs)
    rng = np.random.default_rng(sum(sizes) + channels + fs)
    x = rng.standard_normal((channels, sum(sizes))) * 0.3
    want = sosfilt(sos, x, axis=1)
    filt, z, i = BlockIIR(sos), np.zeros((channels, 4)), 0
    for n in sizes:
        y, z = filt(x[:, i : i + n], z)
        np.testing.assert_allclose(y, want[:, i : i + n], rtol=0, atol=1e-10)
        i += n
    _, zf = sosfilt(sos, x, axis=1, zi=np.zeros((2, channels, 2)))
    np.testing.assert_allclose(z, zf.transpose(1, 0, 2).reshape(channels, 4), rtol=0, atol=1e-10)


def test_block_filter_runs_any_stable_cascade_from_a_given_state():
    from scipy.signal import butter, sosfilt

    sos = butter(6, [300, 3000], btype="bandpass", fs=FS, output="sos")  # 6 sections
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, 2000))
    zi = rng.standard_normal((sos.shape[0], 3, 2))
    want, want_z = sosfilt(sos, x, axis=1, zi=zi)
    y, z = BlockIIR(sos)(x, zi.transpose(1, 0, 2).reshape(3, -1))
    np.testing.assert_allclose(y, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(z, want_z.transpose(1, 0, 2).reshape(3, -1), rtol=0, atol=1e-9)


def test_the_mic_path_never_imports_scipy():
    """SciPy takes ~0.6 s of interpreter time to import: the mic worker's meters must not
    load it (it stalled the desk's GUI thread just after its first paint)."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "import hardware.audio.worker\n"
        "from hardware.audio.loudness import LoudnessMeter, TruePeakMeter\n"
        "m, t = LoudnessMeter(48000, 2), TruePeakMeter(2)\n"
        "for _ in range(400):\n"
        "    x = np.random.default_rng(1).standard_normal((480, 2)) * 0.1\n"
        "    m.add(x); t.add(x)\n"
        "assert m.momentary() > -30, m.momentary()\n"
        "print(sorted(k for k in sys.modules if k == 'scipy' or k.startswith('scipy.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout
