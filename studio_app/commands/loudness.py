"""``studio-console loudness FILE``: measure a WAV or FLAC file to ITU-R BS.1770-4 / EBU R 128.

Prints integrated loudness, maximum momentary and short-term loudness, loudness range,
true peak and sample peak. With ``--json`` the keys are exactly ``integrated_lufs``,
``momentary_max_lufs``, ``short_term_max_lufs``, ``lra_lu``, ``true_peak_dbtp``,
``sample_peak_dbfs`` (plus ``file``, ``duration_s``, ``samplerate``, ``channels``).
A value that cannot be measured (digital silence, a range from a file shorter than
two 3 s blocks above the gates) is ``null`` in JSON and ``-inf`` / ``n/a`` in text.
A missing, broken or unsupported file is a one-line error with exit code 2, and so is a
float file holding a NaN or infinite sample (the message names the first: frame, channel,
time), since no loudness can be given for it.

A file that ends before its header says (a WAV's ``data`` chunk size, a FLAC's
STREAMINFO sample count), or that cannot be decoded past some point, is measured on the
frames that are there; stderr says how many frames were expected and read, the JSON key
``truncated`` holds ``{"frames_expected", "frames_read", "missing_s"}`` (``null`` for a
whole file), and the exit code is 1: the figures are real but are not the whole file's.
"""
from __future__ import annotations

import argparse
import math
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError, print_json

READ_BLOCK_FRAMES = 4096  # a damaged FLAC keeps what decoded before the damage, to within this


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "loudness",
        help="measure a WAV/FLAC file's loudness (EBU R 128) and true peak",
        description="Measure a WAV or FLAC file to ITU-R BS.1770-4 / EBU R 128: integrated, maximum "
        "momentary and short-term loudness (LUFS), loudness range (LU), true peak (dBTP) and sample peak (dBFS). "
        "Channels 1-2 are weighted 1.0; 5 channels are read as 5.0 and 6 as 5.1 (LFE excluded). "
        "Exit 0: measured; 1: measured, but the file is truncated (the figures cover the part that is there); "
        "2: missing, unreadable, or holding NaN/infinite samples.",
    )
    p.add_argument("file", metavar="FILE", help="a .wav or .flac file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


@dataclass
class AudioFile:
    data: object  # numpy (frames, channels) float64
    rate: int
    frames_expected: int | None  # what the header promises; None when it does not say

    @property
    def frames_missing(self) -> int:
        return max(0, self.frames_expected - self.data.shape[0]) if self.frames_expected else 0


def wav_declared_frames(path: Path) -> int | None:
    """Frames a RIFF/RF64 WAV's header promises (``data`` size / block align); None when
    it is not a WAV or does not say (streaming writers leave the size 0 or 0xFFFFFFFF)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[8:12] != b"WAVE" or head[:4] not in (b"RIFF", b"RF64"):
                return None
            block_align = 0
            ds64_data = None
            while True:
                chunk = fh.read(8)
                if len(chunk) < 8:
                    return None
                kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if kind == b"ds64":  # RF64: the real sizes are 64-bit, here
                    body = fh.read(size)
                    if len(body) >= 16:
                        ds64_data = struct.unpack("<Q", body[8:16])[0]
                elif kind == b"fmt ":
                    body = fh.read(size)
                    if len(body) >= 14:
                        block_align = struct.unpack("<H", body[12:14])[0]
                elif kind == b"data":
                    if size == 0xFFFFFFFF and ds64_data is not None:
                        size = ds64_data
                    if not block_align or size in (0, 0xFFFFFFFF):
                        return None
                    return size // block_align
                else:
                    fh.seek(size, 1)
                if size % 2:
                    fh.seek(1, 1)  # chunks are padded to an even size
    except (OSError, struct.error):
        return None


def _read_blocks(path: Path, soundfile):  # noqa: ANN001
    """Read block by block into one array (no second copy), refusing NaN/inf as it goes;
    a file damaged half way keeps the frames before the damage."""
    import numpy as np

    with soundfile.SoundFile(str(path)) as f:
        rate, channels, promised = f.samplerate, f.channels, f.frames
        # a header may promise more than the file holds (or than memory): start with at most
        # 10 minutes and grow by doubling
        data = np.empty((min(max(promised, 0), rate * 600), channels))
        pos = 0
        try:
            while True:
                if pos < data.shape[0]:
                    block = f.read(out=data[pos : pos + READ_BLOCK_FRAMES], always_2d=True)
                else:  # all that was promised is in: more only if the file really has more
                    block = f.read(READ_BLOCK_FRAMES, dtype="float64", always_2d=True)
                    if len(block):
                        data = np.concatenate([data, np.empty((max(READ_BLOCK_FRAMES, pos), channels))])
                        data[pos : pos + len(block)] = block
                if not len(block):
                    break
                _refuse_non_finite(path, block, rate, pos)
                pos += len(block)
        except (RuntimeError, soundfile.LibsndfileError):
            if not pos:
                raise
    return data[:pos], rate, (promised if promised > 0 else None)


def read_audio(path: Path) -> AudioFile:
    """The samples ``(frames, channels)`` float64, the rate and what the header promises;
    raises CommandError with a one-line reason."""
    import numpy as np

    from studio_app.core.files import open_regular

    open_regular(path).close()  # missing, a folder, a FIFO (would hang), a device: one line
    try:
        import soundfile
    except ImportError:  # WAV still works through scipy
        soundfile = None
    promised = None
    if soundfile is not None:
        try:
            data, rate, promised = _read_blocks(path, soundfile)
        except (RuntimeError, soundfile.LibsndfileError, ValueError) as exc:  # LibsndfileError subclasses RuntimeError
            reason = str(exc).split(":", 1)[-1].strip() or type(exc).__name__
            raise CommandError(f"{path}: not a readable WAV or FLAC file ({reason})") from None
        except MemoryError:
            raise CommandError(f"{path}: too long to measure in this computer's memory") from None
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
        _refuse_non_finite(path, data, int(rate))
    if data.shape[0] == 0:
        raise CommandError(f"{path}: contains no audio samples")
    if rate < 8000:
        raise CommandError(f"{path}: sample rate {rate} Hz is too low to measure (need at least 8000 Hz)")
    # libsndfile quietly shortens a WAV whose data chunk runs past the end of the file
    declared = wav_declared_frames(path)
    expected = max(v for v in (declared, promised, 0) if v is not None) or None
    return AudioFile(data, int(rate), expected)


def _refuse_non_finite(path: Path, data, rate: int, first_frame: int = 0) -> None:  # noqa: ANN001
    """A NaN or infinite sample has no loudness (all-NaN once read as silence): refuse the
    file, naming the first such sample (``data`` starts at frame ``first_frame``)."""
    import numpy as np

    finite = np.isfinite(data)
    if finite.all():
        return
    frame, channel = (int(i) for i in np.argwhere(~finite)[0])
    value = data[frame, channel]
    frame += first_frame
    raise CommandError(
        f"{path}: sample {frame} (channel {channel + 1}, at {frame / rate:.3f} s) is {value}: "
        f"a file with NaN or infinite samples has no loudness to measure"
    )


def _json_number(v: float | None) -> float | None:
    return round(v, 2) if v is not None and math.isfinite(v) else None


def _text(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    return f"{v:6.1f} {unit}" if math.isfinite(v) else f"  -inf {unit}"


def run(args: argparse.Namespace, db_url: str) -> int:
    from hardware.audio.loudness import measure_programme

    path = Path(args.file)
    audio = read_audio(path)
    r = measure_programme(audio.data, audio.rate)
    truncated = None
    if audio.frames_missing:
        truncated = {
            "frames_expected": audio.frames_expected,
            "frames_read": int(audio.data.shape[0]),
            "missing_s": round(audio.frames_missing / audio.rate, 3),
        }
        print(
            f"{path}: truncated: {truncated['frames_read']} of {truncated['frames_expected']} frames read "
            f"({truncated['missing_s']} s missing); the figures cover only what is there",
            file=sys.stderr,
        )
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
                "truncated": truncated,
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
    return EXIT_FINDINGS if truncated else EXIT_OK
