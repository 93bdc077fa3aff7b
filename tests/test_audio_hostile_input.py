"""`loudness` on files that lie (issue 21): NaN or infinite float samples are refused with
the sample named; a truncated WAV or FLAC is measured on what is there, says what is
missing (stderr and the JSON key ``truncated``) and exits 1. Files are written here."""
from __future__ import annotations

import json
import struct
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

FS = 48000


def run(*args):
    return subprocess.run([sys.executable, "-m", "studio_app", "loudness", *args], capture_output=True, text=True, timeout=120)


def tone(seconds=5.0, dbfs=-20.0):
    t = np.arange(int(FS * seconds)) / FS
    x = 10 ** (dbfs / 20) * np.sin(2 * np.pi * 1000 * t)
    return np.stack([x, x], axis=1).astype(np.float32)


@pytest.mark.parametrize("value, frame, channel", [(np.nan, 48000, 1), (np.inf, 1000, 0), (-np.inf, 200_000, 1)])
def test_a_float_wav_with_a_non_finite_sample_is_refused_naming_it(tmp_path, value, frame, channel):
    x = tone()
    x[frame, channel] = value
    path = tmp_path / "float.wav"
    sf.write(path, x, FS, subtype="FLOAT")
    p = run(str(path), "--json")
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "float.wav" in lines[0]
    assert f"sample {frame} (channel {channel + 1}, at {frame / FS:.3f} s) is {value}" in lines[0]


def test_an_all_nan_file_is_not_read_as_silence(tmp_path):
    path = tmp_path / "nan.wav"
    sf.write(path, np.full((FS * 3, 2), np.nan, np.float32), FS, subtype="FLOAT")
    p = run(str(path), "--json")
    assert p.returncode == 2 and "sample 0 (channel 1, at 0.000 s) is nan" in p.stderr


def _cut(path, keep_fraction):
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * keep_fraction)])


@pytest.mark.parametrize("subtype", ["PCM_16", "FLOAT"])
def test_a_truncated_wav_is_measured_on_what_is_there_and_says_what_is_missing(tmp_path, subtype):
    path = tmp_path / "cut.wav"
    sf.write(path, tone(), FS, subtype=subtype)
    _cut(path, 0.5)
    read = sf.info(str(path)).frames  # what is physically there
    p = run(str(path), "--json")
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert out["truncated"] == {"frames_expected": 5 * FS, "frames_read": read,
                                "missing_s": round((5 * FS - read) / FS, 3)}
    assert out["sample_peak_dbfs"] == pytest.approx(-20.0, abs=0.05)  # still measured
    assert out["duration_s"] == pytest.approx(read / FS, abs=1e-3)
    assert f"truncated: {read} of {5 * FS} frames read" in p.stderr
    text = run(str(path))
    assert text.returncode == 1 and "truncated" in text.stderr and "integrated loudness" in text.stdout


def test_a_truncated_flac_keeps_the_frames_before_the_cut(tmp_path):
    path = tmp_path / "cut.flac"
    sf.write(path, tone(10.0), FS, subtype="PCM_24")
    _cut(path, 0.5)
    p = run(str(path), "--json")
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert out["truncated"]["frames_expected"] == 10 * FS
    assert 2 * FS < out["truncated"]["frames_read"] < 10 * FS
    assert out["momentary_max_lufs"] == pytest.approx(-20.0, abs=0.2)


def test_a_whole_file_is_not_truncated_even_when_its_header_leaves_the_size_open(tmp_path):
    path = tmp_path / "whole.wav"
    sf.write(path, tone(), FS, subtype="PCM_16")
    p = run(str(path), "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["truncated"] is None and p.stderr == ""
    raw = bytearray(path.read_bytes())  # a streaming recorder leaves the data size at 0xFFFFFFFF
    at = raw.index(b"data")
    raw[at + 4: at + 8] = struct.pack("<I", 0xFFFFFFFF)
    path.write_bytes(bytes(raw))
    p = run(str(path), "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["truncated"] is None
