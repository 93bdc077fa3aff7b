"""Cutting product clips: clip-seconds per wall-clock second, our exact cut (re-encoded,
checked to a frame, thumbnail) against a bare ``ffmpeg -c copy`` of the same span (fast but
starts on the keyframe before it) and a bare ffmpeg re-encode with the same settings.

The recording is made here by ffmpeg like OBS's (x264, 720p30 and 1080p30, keyframe every
2 s, AAC). Five 10 s spans; medians of 3 runs, all three ways in one run, side by side.
Run: ``.venv/bin/python tests/benchmarks/bench_clips.py``.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.clips import media  # noqa: E402
from tests.benchmarks.table import median, print_table  # noqa: E402

REPEATS = 3
SPANS = [(3.3, 10.0), (17.1, 10.0), (31.7, 10.0), (44.2, 10.0), (58.9, 10.0)]
SIZES = {"720p30": "1280x720", "1080p30": "1920x1080"}


def make_recording(path: Path, size: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:d=75",
                    "-f", "lavfi", "-i", "sine=frequency=440:d=75", "-c:v", "libx264", "-preset", "veryfast", "-g", "60",
                    "-c:a", "aac", "-shortest", str(path)], check=True)


def bare(src: Path, out: Path, start: float, length: float, copy: bool) -> None:
    codec = ["-c", "copy"] if copy else ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                                         "-c:a", "aac", "-b:a", "160k"]
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", f"{start}", "-i", str(src), "-t", f"{length}",
                    *codec, str(out)], check=True)


def timed(fn) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-clips-") as d:
        tmp = Path(d)
        for label, size in SIZES.items():
            src = tmp / f"rec-{label}.mkv"
            make_recording(src, size)
            info = media.probe(src)
            clip_s = sum(length for _s, length in SPANS)
            ways = {"ours (exact cut + check + thumbnail)": [], "ffmpeg re-encode": [], "ffmpeg -c copy": []}
            for _ in range(REPEATS):
                def ours() -> None:
                    for i, (start, length) in enumerate(SPANS):
                        out = tmp / f"ours{i}.mp4"
                        media.cut(info, start, length, out)
                        media.thumbnail(out, out.with_suffix(".jpg"))

                ways["ours (exact cut + check + thumbnail)"].append(timed(ours))
                ways["ffmpeg re-encode"].append(timed(lambda: [bare(src, tmp / f"re{i}.mp4", s, n, False)
                                                               for i, (s, n) in enumerate(SPANS)]))
                ways["ffmpeg -c copy"].append(timed(lambda: [bare(src, tmp / f"cp{i}.mp4", s, n, True)
                                                             for i, (s, n) in enumerate(SPANS)]))
            copy_rate = clip_s / median(ways["ffmpeg -c copy"])
            re_rate = clip_s / median(ways["ffmpeg re-encode"])
            for way, times in ways.items():
                rate = clip_s / median(times)
                rows.append([label, way, f"{median(times):.2f}", f"{rate:.1f}", f"{rate / re_rate:.2f}x",
                             f"{rate / copy_rate:.3f}x"])
    print_table(f"Cutting five 10 s clips from a 75 s recording (median of {REPEATS})",
                ["recording", "how", "wall s", "clip-s per s", "vs re-encode", "vs -c copy"], rows)


if __name__ == "__main__":
    main()
