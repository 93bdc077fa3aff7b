"""ffmpeg and ffprobe, run as child processes: probe a recording, cut a clip exactly.

Blocking: call from a command or a worker thread, never the GUI thread. Every failure is
a :class:`ClipError` whose message names the file and what went wrong; a clip that could
not be cut exactly is deleted, never left half-written or silently wrong.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

VERTICAL_SIZE = (1080, 1920)  # 9:16, what short-video platforms take
THUMB_WIDTH = 320
# ffmpeg takes a few seconds per minute of 720p here; a stuck ffmpeg must not hold the run.
CUT_TIMEOUT_PER_S = 6.0
CUT_TIMEOUT_MIN_S = 60.0


class ClipError(Exception):
    """A clip or a recording that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class MediaInfo:
    path: str
    duration_s: float
    fps: float
    width: int
    height: int
    video_codec: str
    has_audio: bool
    video_s: float | None = None  # the video stream's own duration, where the container says it

    @property
    def frame_s(self) -> float:
        return 1.0 / self.fps if self.fps > 0 else 1.0 / 30


def tool(name: str) -> str:
    """The path of ffmpeg or ffprobe, or a ClipError saying how to get it."""
    found = shutil.which(name)
    if not found:
        raise ClipError(f"{name} not found: install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) to cut clips")
    return found


def _rate(text: str) -> float:
    try:
        num, _, den = str(text).partition("/")
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0


def probe(path: str | Path) -> MediaInfo:
    """Duration, frame rate, size and codecs of a media file (ffprobe)."""
    p = Path(path)
    if not p.exists():
        raise ClipError(f"{p}: no such file (moved or deleted?)")
    if not p.is_file():
        raise ClipError(f"{p}: not a regular file")
    try:
        out = subprocess.run(
            [tool("ffprobe"), "-v", "error", "-show_entries",
             "format=duration:stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,duration",
             "-of", "json", str(p)],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ClipError(f"{p}: ffprobe did not answer within 60 s") from None
    if out.returncode != 0:
        why = (out.stderr.strip().splitlines() or ["unreadable"])[-1]
        raise ClipError(f"{p}: ffmpeg cannot read it ({why})")
    data = json.loads(out.stdout or "{}")
    streams = data.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise ClipError(f"{p}: has no video stream")
    try:
        duration = float((data.get("format") or {}).get("duration") or video.get("duration") or 0.0)
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise ClipError(f"{p}: its duration is unknown (a recording still being written, or cut off?); "
                        "ffmpeg cannot cut it exactly")
    fps = _rate(video.get("avg_frame_rate", "")) or _rate(video.get("r_frame_rate", ""))
    try:
        video_s = float(video["duration"]) if video.get("duration") not in (None, "N/A") else None
    except ValueError:
        video_s = None
    return MediaInfo(str(p), duration, fps, int(video.get("width") or 0), int(video.get("height") or 0),
                     str(video.get("codec_name") or ""), any(s.get("codec_type") == "audio" for s in streams), video_s)


def cjk_font() -> str | None:
    """A font file that has Chinese glyphs (for burned-in titles), or None."""
    fc = shutil.which("fc-match")
    for family in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"):
        if fc is None:
            break
        try:
            out = subprocess.run([fc, "-f", "%{file}", f"{family}:lang=zh-cn"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            break
        if out.returncode == 0 and out.stdout and Path(out.stdout).is_file():
            return out.stdout
    return None


def _filter_path(path: str) -> str:
    """A path as an ffmpeg filter option value (':' and quotes are special there)."""
    return path.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def cut(src: MediaInfo, start_s: float, duration_s: float, out: Path, *, vertical: bool = False,
        title: str | None = None, workdir: Path | None = None) -> MediaInfo:
    """Cut ``duration_s`` seconds from ``start_s`` of ``src`` into ``out`` (MP4, H.264/AAC),
    re-encoded so the first frame is the one at ``start_s`` (not the keyframe before it).
    ``vertical``: a centred 9:16 crop scaled to 1080x1920. ``title``: burned in at the top.
    Returns the probed clip; raises :class:`ClipError` (and leaves no file) when the clip is
    not within one frame of the length asked for."""
    ffmpeg = tool("ffmpeg")
    filters: list[str] = []
    if vertical:
        w, h = VERTICAL_SIZE
        filters += ["crop=trunc(ih*9/32)*2:ih", f"scale={w}:{h}:flags=lanczos", "setsar=1"]
    title_file = None
    if title:
        font = cjk_font()
        if font is None:
            raise ClipError("no Chinese font found for the burned-in title: install fonts-wqy-microhei, or use --text srt")
        fd, name = tempfile.mkstemp(suffix=".txt", dir=workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(title)
        title_file = Path(name)
        filters.append(f"drawtext=fontfile='{_filter_path(font)}':textfile='{_filter_path(name)}':fontcolor=white:"
                       "fontsize=h/16:box=1:boxcolor=black@0.55:boxborderw=14:x=(w-text_w)/2:y=h*0.05")
    part = out.with_name(out.name + ".part")
    cmd = [ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
           "-ss", f"{max(0.0, start_s):.6f}", "-i", src.path, "-t", f"{duration_s:.6f}",
           "-map", "0:v:0", "-map", "0:a:0?"]
    if filters:
        cmd += ["-vf", ",".join(filters)]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", "-f", "mp4", str(part)]
    timeout = max(CUT_TIMEOUT_MIN_S, duration_s * CUT_TIMEOUT_PER_S)
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        part.unlink(missing_ok=True)
        raise ClipError(f"{out.name}: ffmpeg did not finish within {timeout:.0f} s") from None
    finally:
        if title_file is not None:
            title_file.unlink(missing_ok=True)
    if run.returncode != 0 or not part.exists():
        part.unlink(missing_ok=True)
        why = (run.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClipError(f"{out.name}: ffmpeg could not cut {src.path} at {start_s:.3f} s ({why})")
    try:
        got = probe(part)
    except ClipError as exc:
        part.unlink(missing_ok=True)
        raise ClipError(f"{out.name}: the cut clip is unreadable ({exc})") from None
    length = got.video_s if got.video_s is not None else got.duration_s
    if abs(length - duration_s) > src.frame_s + 1e-3:
        part.unlink(missing_ok=True)
        raise ClipError(f"{out.name}: ffmpeg gave {length:.3f} s instead of {duration_s:.3f} s from "
                        f"{src.path}; the recording cannot be cut exactly (try remuxing it to MKV or MP4)")
    try:
        from studio_app.core.files import check_output_target

        check_output_target(out)  # a FIFO or device in its place is refused, not replaced
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ClipError(str(exc)) from None
    os.replace(part, out)
    return MediaInfo(str(out), got.duration_s, got.fps, got.width, got.height, got.video_codec, got.has_audio, got.video_s)


def thumbnail(clip: Path, out: Path) -> Path | None:
    """The clip's first frame as a small JPEG (for the Clips dock and the report), or None."""
    try:
        run = subprocess.run([tool("ffmpeg"), "-nostdin", "-v", "error", "-y", "-i", str(clip), "-frames:v", "1",
                              "-vf", f"scale={THUMB_WIDTH}:-2", "-q:v", "4", str(out)],
                             capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired, ClipError):
        return None
    return out if run.returncode == 0 and out.exists() else None
