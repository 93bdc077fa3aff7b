"""``studio-console loudness FILE``: real WAV/FLAC files written here, run as a subprocess."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy.io import wavfile

KEYS = {"integrated_lufs", "momentary_max_lufs", "short_term_max_lufs", "lra_lu", "true_peak_dbtp", "sample_peak_dbfs"}
FS = 48000


def run(*args):
    return subprocess.run([sys.executable, "-m", "studio_app", "loudness", *args], capture_output=True, text=True, timeout=60)


def programme(seconds=12.0):
    """-20 dBFS then -30 dBFS 1 kHz stereo (int16, as most files are)."""
    t = np.arange(int(FS * seconds)) / FS
    amp = np.where(t < seconds / 2, 10 ** (-20 / 20), 10 ** (-30 / 20))
    x = amp * np.sin(2 * np.pi * 1000 * t)
    return (np.stack([x, x], axis=1) * 32767).astype(np.int16)


def test_json_of_a_good_wav(tmp_path):
    path = tmp_path / "show.wav"
    wavfile.write(path, FS, programme())
    p = run(str(path), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert KEYS <= set(out)
    assert out["sample_peak_dbfs"] == pytest.approx(-20.0, abs=0.05)
    assert out["true_peak_dbtp"] == pytest.approx(-20.0, abs=0.1)
    assert out["momentary_max_lufs"] == pytest.approx(-20.0, abs=0.1)
    assert out["short_term_max_lufs"] == pytest.approx(-20.0, abs=0.1)
    assert out["integrated_lufs"] == pytest.approx(-22.4, abs=0.3)  # -30 half is within the relative gate
    assert out["lra_lu"] == pytest.approx(10.0, abs=1.0)


def test_text_output_and_flac(tmp_path):
    import soundfile as sf
    path = tmp_path / "show.flac"
    sf.write(path, programme(6.0)[: FS * 5], FS)
    p = run(str(path))
    assert p.returncode == 0, p.stderr
    assert "integrated loudness" in p.stdout and "-20.0 LUFS" in p.stdout and "true peak" in p.stdout


def test_silence_is_null_in_json(tmp_path):
    path = tmp_path / "silence.wav"
    wavfile.write(path, FS, np.zeros((FS * 4, 2), np.int16))
    out = json.loads(run(str(path), "--json").stdout)
    assert all(out[k] is None for k in KEYS)


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"this is not audio at all\n" * 50])
def test_broken_file_is_one_line_and_exit_2(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    p = run(str(path), "--json")
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.wav" in lines[0] and "Traceback" not in p.stderr


def test_missing_file_exit_2(tmp_path):
    p = run(str(tmp_path / "nope.wav"))
    assert p.returncode == 2 and "no such file" in p.stderr and len(p.stderr.strip().splitlines()) == 1
