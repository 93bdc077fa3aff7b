"""``studio-console loudness FILE``: measure a WAV or FLAC file to ITU-R BS.1770-4 / EBU R 128.

Prints integrated loudness, maximum momentary and short-term loudness, loudness range,
true peak and sample peak. With ``--json`` the keys are exactly ``integrated_lufs``,
``momentary_max_lufs``, ``short_term_max_lufs``, ``lra_lu``, ``true_peak_dbtp``,
``sample_peak_dbfs`` (plus ``file``, ``duration_s``, ``samplerate``, ``channels``).
A value that cannot be measured (digital silence, a range from a file shorter than
two 3 s blocks above the gates) is ``null`` in JSON and ``-inf`` / ``n/a`` in text.
A missing, broken or unsupported file is a one-line error with exit code 2.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

from studio_app.commands.common import EXIT_OK, CommandError, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "loudness",
        help="measure a WAV/FLAC file's loudness (EBU R 128) and true peak",
        description="Measure a WAV or FLAC file to ITU-R BS.1770-4 / EBU R 128: integrated, maximum "
        "momentary and short-term loudness (LUFS), loudness range (LU), true peak (dBTP) and sample peak (dBFS). "
        "Channels 1-2 are weighted 1.0; 5 channels are read as 5.0 and 6 as 5.1 (LFE excluded).",
    )
    p.add_argument("file", metavar="FILE", help="a .wav or .flac file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def read_audio(path: Path):
    """``(samples (frames, channels) float64, samplerate)``; raises CommandError with a one-line reason."""
    import numpy as np

    from studio_app.core.files import open_regular

    open_regular(path).close()  # missing, a folder, a FIFO (would hang), a device: one line
    try:
        import soundfile
    except ImportError:  # WAV still works through scipy
        soundfile = None
    if soundfile is not None:
        try:
            data, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
        except (RuntimeError, soundfile.LibsndfileError, ValueError) as exc:  # LibsndfileError subclasses RuntimeError
            reason = str(exc).split(":", 1)[-1].strip() or type(exc).__name__
            raise CommandError(f"{path}: not a readable WAV or FLAC file ({reason})") from None
    else:
        from scipy.io import wavfile

        try:
            rate, raw = wavfile.read(str(path))
        except (ValueError, OSError, EOFError) as exc:
            raise CommandError(f"{path}: not a readable WAV file ({exc})") from None
        if raw.dtype.kind == "i":
            data = raw.astype(np.float64) / float(np.iinfo(raw.dtype).max + 1)
        elif raw.dtype.kind == "u":
            data = (raw.astype(np.float64) - 128.0) / 128.0
        else:
            data = raw.astype(np.float64)
        data = data.reshape(data.shape[0], -1)
    if data.shape[0] == 0:
        raise CommandError(f"{path}: contains no audio samples")
    if rate < 8000:
        raise CommandError(f"{path}: sample rate {rate} Hz is too low to measure (need at least 8000 Hz)")
    return data, int(rate)


def _json_number(v: float | None) -> float | None:
    return round(v, 2) if v is not None and math.isfinite(v) else None


def _text(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    return f"{v:6.1f} {unit}" if math.isfinite(v) else f"  -inf {unit}"


def run(args: argparse.Namespace, db_url: str) -> int:
    from hardware.audio.loudness import measure_programme

    path = Path(args.file)
    data, rate = read_audio(path)
    r = measure_programme(data, rate)
    if args.json:
        print_json(
            {
                "file": str(path),
                "duration_s": round(r.duration_s, 3),
                "samplerate": r.samplerate,
                "channels": r.channels,
                "integrated_lufs": _json_number(r.integrated_lufs),
                "momentary_max_lufs": _json_number(r.momentary_max_lufs),
                "short_term_max_lufs": _json_number(r.short_term_max_lufs),
                "lra_lu": _json_number(r.lra_lu),
                "true_peak_dbtp": _json_number(r.true_peak_dbtp),
                "sample_peak_dbfs": _json_number(r.sample_peak_dbfs),
            }
        )
    else:
        print(f"{path}  ({r.duration_s:.1f} s, {r.samplerate} Hz, {r.channels} ch)")
        print(f"  integrated loudness   {_text(r.integrated_lufs, 'LUFS')}")
        print(f"  momentary max         {_text(r.momentary_max_lufs, 'LUFS')}")
        print(f"  short-term max        {_text(r.short_term_max_lufs, 'LUFS')}")
        print(f"  loudness range        {_text(r.lra_lu, 'LU')}")
        print(f"  true peak             {_text(r.true_peak_dbtp, 'dBTP')}")
        print(f"  sample peak           {_text(r.sample_peak_dbfs, 'dBFS')}")
    return EXIT_OK
