"""Mic analysis costs: per-block chain, the PortAudio callback and the console's reader of
the capture child's pipe, and loudness vs pyloudnorm.

    .venv/bin/python benchmarks/bench_audio.py

Prints medians. Targets (issue 3): the chain >= 200x real time on one core for stereo
48 kHz in 10 ms blocks; the callback <= 50 us per block; integrated loudness within
0.05 LU of pyloudnorm's exact-filter mode (``filter_class="DeMan"``).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hardware.audio.levels import LevelAnalyzer  # noqa: E402
from hardware.audio.loudness import LoudnessMeter, channel_major, measure_programme  # noqa: E402
from hardware.audio.ring import NO_STATUS, SampleRing  # noqa: E402
from hardware.audio.sources import TestSignalSource  # noqa: E402

FS = 48000
BLOCK = 480  # 10 ms


def median_time(fn, repeat=7, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


# "On one core": the analysis runs on the worker's thread, so its cost is that thread's
# CPU time (time.thread_time), which other processes on a busy machine do not inflate.
cpu_time = time.thread_time


def speech_like(seconds, seed=1):
    src = TestSignalSource(FS, 2, seed=seed)
    return src.generate(int(FS * seconds)).astype(np.float64)


def music_like(seconds, seed=2):
    """Pink-ish noise with a slow level ride (+-6 dB) and a kick every 0.5 s."""
    rng = np.random.default_rng(seed)
    n = int(FS * seconds)
    white = rng.standard_normal((n, 2))
    spec = np.fft.rfft(white, axis=0)
    f = np.fft.rfftfreq(n, 1 / FS)
    spec[1:] /= np.sqrt(f[1:, None])
    spec[0] = 0
    pink = np.fft.irfft(spec, n, axis=0)
    pink /= np.abs(pink).max()
    t = np.arange(n) / FS
    ride = 10 ** ((6 * np.sin(2 * np.pi * t / 17)) / 20)
    kick = np.sin(2 * np.pi * 55 * t) * np.exp(-np.mod(t, 0.5) * 12)
    return 0.3 * pink * ride[:, None] + 0.2 * kick[:, None]


def tone_1k(seconds):
    t = np.arange(int(FS * seconds)) / FS
    return np.tile(0.5 * np.sin(2 * np.pi * 1000.0 * t)[:, None], (1, 2))


def bench_chain(x=None):
    """Every 10 ms block: levels (peaks, true peak, RMS, noise floor) + loudness, and a read."""
    x = (speech_like(10.0) if x is None else x).astype(np.float32)
    blocks = [x[i : i + BLOCK] for i in range(0, len(x) - BLOCK + 1, BLOCK)]

    def run():
        levels = LevelAnalyzer(FS, 2)
        loud = LoudnessMeter(FS, 2)
        cm = None
        for b in blocks:  # as MicWorker._drain does it
            cm = channel_major(b, 2, cm)
            levels.add_channel_major(cm)
            loud.add_channel_major(cm)
            levels.take()
            loud.momentary(), loud.short_term()

    t = median_time(run, 5, cpu_time)
    per_block = t / len(blocks)
    return per_block, 0.010 / per_block


def bench_chain_batched(batch_blocks=2):
    """What the worker does: it drains every 20 ms, so a call usually sees two blocks."""
    x = speech_like(10.0).astype(np.float32)
    n = BLOCK * batch_blocks
    chunks = [x[i : i + n] for i in range(0, len(x) - n + 1, n)]

    def run():
        levels = LevelAnalyzer(FS, 2)
        loud = LoudnessMeter(FS, 2)
        cm = None
        for b in chunks:
            cm = channel_major(b, 2, cm)
            levels.add_channel_major(cm)
            loud.add_channel_major(cm)
            levels.take()
            loud.momentary(), loud.short_term()

    t = median_time(run, 5, cpu_time)
    per_block = t / (len(chunks) * batch_blocks)
    return per_block, 0.010 / per_block


def bench_k_weighting():
    """The K-weighting filter alone, per 10 ms stereo block, three ways side by side: the
    meter's numpy block form, SciPy's sosfilt of the same cascade, and lfilter of the
    cascade folded into one 4th-order polynomial (the meter's filter until 2026-12-05)."""
    from scipy.signal import lfilter, sosfilt

    from hardware.audio.loudness import BlockIIR, k_weighting_sos

    sos = k_weighting_sos(FS)
    b, a = np.convolve(sos[0, :3], sos[1, :3]), np.convolve(sos[0, 3:], sos[1, 3:])
    x = channel_major(speech_like(10.0), 2)
    blocks = [np.ascontiguousarray(x[:, i : i + BLOCK]) for i in range(0, x.shape[1] - BLOCK + 1, BLOCK)]
    ours = BlockIIR(sos)

    def run_ours():
        z = np.zeros((2, 4))
        for blk in blocks:
            _, z = ours(blk, z)

    def run_sosfilt():
        z = np.zeros((2, 2, 2))
        for blk in blocks:
            _, z = sosfilt(sos, blk, axis=1, zi=z)

    def run_lfilter():
        z = np.zeros((2, 4))
        for blk in blocks:
            _, z = lfilter(b, a, blk, axis=1, zi=z)

    rows = []
    for _ in range(3):  # interleaved rounds: all three see the same machine
        rows.append([median_time(f, 3, cpu_time) / len(blocks) for f in (run_ours, run_sosfilt, run_lfilter)])
    return [statistics.median(col) for col in zip(*rows)]


def bench_callback():
    """PortAudio's callback in the capture child: copy into the preallocated ring, count overflows."""
    ring = SampleRing(1 << 17, 2)
    indata = np.random.default_rng(0).standard_normal((BLOCK, 2)).astype(np.float32)
    cb = ring.callback
    reps = 20000
    samples = []
    for _ in range(7):
        t0 = cpu_time()
        for _ in range(reps):
            cb(indata, BLOCK, None, NO_STATUS)
        samples.append((cpu_time() - t0) / reps)
    return statistics.median(samples)


def bench_pump():
    """The console's side: the reader thread turning the child's pipe into ring callbacks."""
    import io
    import os
    import threading

    from hardware.audio.portaudio_child import HEADER
    from hardware.audio.sources import SoundDeviceSource

    block = HEADER.pack(BLOCK, 0) + np.random.default_rng(0).standard_normal((BLOCK, 2)).astype(np.float32).tobytes()
    blocks = 20000
    samples = []
    for _ in range(7):
        r, w = os.pipe()

        def feed(w=w):
            for _ in range(blocks):
                os.write(w, block)
            os.close(w)

        class Child:
            def __init__(self, fd):
                self.f = io.BufferedReader(io.FileIO(fd, "rb"), buffer_size=1 << 16)

            def read_exact(self, n):
                return self.f.read(n)

            def close_stdout(self):
                self.f.close()

        child = Child(r)
        ring = SampleRing(1 << 17, 2)
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        t0 = cpu_time()
        SoundDeviceSource._pump(child, ring, 2, threading.Event())
        samples.append((cpu_time() - t0) / blocks)
        feeder.join()
        assert ring.callbacks == blocks
    return statistics.median(samples)


def bench_vs_pyloudnorm():
    import pyloudnorm as pyln

    rows = []
    for name, sig in (("speech-like 60 s", speech_like(60.0)), ("music-like 60 s", music_like(60.0))):
        meter = pyln.Meter(FS, filter_class="DeMan")
        ref = meter.integrated_loudness(sig)
        ours = measure_programme(sig, FS).integrated_lufs
        t_ref = median_time(lambda: pyln.Meter(FS, filter_class="DeMan").integrated_loudness(sig), 5, cpu_time)
        t_ours_int = median_time(lambda: _integrated_only(sig), 5, cpu_time)
        t_ours_full = median_time(lambda: measure_programme(sig, FS), 5, cpu_time)
        rows.append((name, ref, ours, ours - ref, t_ref, t_ours_int, t_ours_full))
    return rows


def _integrated_only(sig):
    m = LoudnessMeter(FS, 2)
    m.add(sig)
    return m.integrated()


def main() -> int:
    per_block, rt = bench_chain()
    per_block2, rt2 = bench_chain_batched()
    per_block_t, rt_t = bench_chain(tone_1k(10.0))
    cb = bench_callback()
    pump = bench_pump()
    k_ours, k_sos, k_lf = bench_k_weighting()
    print("Mic analysis chain, stereo 48 kHz (median CPU time of the analysing thread)")
    print(f"{'what':<48}{'per 10 ms block':>18}{'x real time':>14}{'target':>12}")
    print(f"{'levels + true peak + loudness, 10 ms blocks':<48}{per_block * 1e6:>15.1f} us{rt:>13.0f}x{'>= 200x':>12}")
    print(f"{'same, on a 1 kHz tone instead of speech':<48}{per_block_t * 1e6:>15.1f} us{rt_t:>13.0f}x{'>= 200x':>12}")
    print(f"{'same, 20 ms drains (as the worker runs)':<48}{per_block2 * 1e6:>15.1f} us{rt2:>13.0f}x{'':>12}")
    print(f"{'PortAudio callback (child: copy into ring)':<48}{cb * 1e6:>15.2f} us{0.010 / cb:>13.0f}x{'<= 50 us':>12}")
    print(f"{'console reader: child pipe to ring, per block':<48}{pump * 1e6:>15.2f} us{0.010 / pump:>13.0f}x{'':>12}")
    print()
    print("K-weighting filter alone, stereo 10 ms blocks, side by side (median CPU time per block)")
    print(f"{'filter':<48}{'per block':>12}{'vs ours':>10}")
    for name, t in (("ours: numpy block form (no SciPy import)", k_ours), ("scipy.signal.sosfilt, same cascade", k_sos),
                    ("scipy.signal.lfilter, one 4th-order section", k_lf)):
        print(f"{name:<48}{t * 1e6:>9.1f} us{t / k_ours:>9.2f}x")
    print()
    print("Integrated loudness vs pyloudnorm Meter(48000, filter_class='DeMan') (median CPU s of 5)")
    print(f"{'signal':<20}{'pyloudnorm':>12}{'ours':>10}{'diff LU':>9}{'pyln s':>9}{'ours I s':>10}{'ours all s':>12}{'pyln/ours I':>13}")
    ok = rt >= 200 and rt_t >= 200 and cb <= 50e-6
    for name, ref, ours, diff, t_ref, t_int, t_full in bench_vs_pyloudnorm():
        print(f"{name:<20}{ref:>12.3f}{ours:>10.3f}{diff:>+9.4f}{t_ref:>9.3f}{t_int:>10.3f}{t_full:>12.3f}{t_ref / t_int:>12.1f}x")
        ok = ok and abs(diff) <= 0.05
    print("\n'ours all' = integrated + momentary/short-term max + LRA + true peak + sample peak (the CLI's work).")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
