"""Which clips a show gives, and cutting them: one per product explanation (card push to
stop), optionally one per segment and per flash sale.

:func:`plan_clips` is pure (a show's review and the recordings in, clip specs out);
:func:`cut_clips` runs ffmpeg for each (blocking; a command or a worker thread).
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from studio_app.clips import media
from studio_app.clips.media import ClipError, MediaInfo
from studio_app.clips.timeline import Recording, locate

KINDS = ("card", "segment", "flash_sale")
DEFAULT_PAD_S = 3.0
# OBS writes a picture some frames after it was on screen (GPU read-back, then the encoder's
# queue), so the recording clock runs that far ahead of the picture in the file. Measured
# here (OBS 29, software OpenGL, x264, 30 fps): 0.20 s from the desk's event to its picture.
# Studios calibrate their own machine with ``studio-console clips SHOW --calibrate``.
DEFAULT_OBS_DELAY_S = 0.2
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


@dataclass
class ClipSpec:
    """A clip to cut: what it shows and its wall-time span (padding included)."""

    kind: str  # card | segment | flash_sale
    title: str
    start_wall: float  # UTC seconds, padding included
    end_wall: float
    on_air: tuple[float, float]  # the card/segment/sale itself, without padding
    sku: str = ""
    segment: str = ""
    text: list[str] = field(default_factory=list)  # talking points for the SRT
    price: str = ""

    @property
    def duration_s(self) -> float:
        return self.end_wall - self.start_wall


@dataclass
class ClipResult:
    spec: ClipSpec
    file: str = ""
    recording: str = ""
    recording_start_s: float | None = None
    duration_s: float | None = None
    show_start_s: float | None = None
    srt: str = ""
    thumbnail: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "kind": self.spec.kind, "sku": self.spec.sku, "title": self.spec.title,
            "show_start": None if self.show_start_s is None else round(self.show_start_s, 3),
            "duration_s": None if self.duration_s is None else round(self.duration_s, 3),
            "recording": self.recording,
            "recording_start_s": None if self.recording_start_s is None else round(self.recording_start_s, 3),
            "segment": self.spec.segment, "start_utc": _iso(self.spec.start_wall),
            "srt": self.srt, "thumbnail": self.thumbnail, "warnings": list(self.warnings), "error": self.error,
        }


def _iso(wall: float) -> str:
    return _dt.datetime.fromtimestamp(wall, _dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def safe_name(text: str, limit: int = 40) -> str:
    """``text`` as part of a file name: Chinese kept, separators and blanks made ``_``."""
    cleaned = _UNSAFE.sub("_", text).strip("._") or "clip"
    return cleaned[:limit]


def plan_clips(review: Any, *, kinds: Sequence[str] = ("card",), pad_s: float = DEFAULT_PAD_S,
               rundown: Any = None) -> list[ClipSpec]:
    """Clip specs in time order from a :class:`studio_app.report.review.ShowReview`.
    ``rundown``: the show (for product prices and the segments' talking points), optional."""
    end_of_show = review.ended_wall
    points: dict[str, list[str]] = {}
    seg_of_sku: dict[str, str] = {}
    prices: dict[str, str] = {}
    if rundown is not None:
        for seg in rundown.segments:
            points[seg.id] = [str(t) for t in (seg.talking_points or ())]
            for sku in getattr(seg, "products", ()) or ():
                seg_of_sku.setdefault(str(sku), seg.id)
        for prod in rundown.products:
            live = getattr(prod, "live_price", None)
            if live is not None:
                prices[prod.sku] = f"¥{live:g}" if isinstance(live, (int, float)) else f"¥{live}"
    specs: list[ClipSpec] = []

    def span(start: float, end: float | None) -> tuple[float, float] | None:
        stop = end if end is not None else end_of_show
        if stop is None or stop <= start:
            return None
        return start, stop

    segment_at: list[tuple[float, str, str]] = [(s.started_wall, s.segment, s.title) for s in review.segments
                                                if s.started_wall is not None]
    segment_at.sort()

    def segment_of(wall: float) -> tuple[str, str]:
        found = ("", "")
        for started, sid, title in segment_at:
            if started <= wall + 1e-6:
                found = (sid, title)
        return found

    if "card" in kinds:
        for card in review.cards:
            for start, end in card.explained:
                s = span(start, end)
                if s is None:
                    continue
                sid, _ = segment_of(start)
                sid = sid or seg_of_sku.get(card.sku, "")
                specs.append(ClipSpec("card", card.name or card.sku, s[0] - pad_s, s[1] + pad_s, s, sku=card.sku,
                                      segment=sid, text=points.get(sid, []), price=prices.get(card.sku, "")))
    if "segment" in kinds:
        for seg in review.segments:
            if seg.started_wall is None:
                continue
            s = span(seg.started_wall, None if seg.actual_s is None else seg.started_wall + seg.actual_s)
            if s is not None:
                specs.append(ClipSpec("segment", seg.title or seg.segment, s[0] - pad_s, s[1] + pad_s, s,
                                      segment=seg.segment, text=points.get(seg.segment, [])))
    if "flash_sale" in kinds:
        for drop in review.drops:
            if drop.kind != "flash" or drop.fired_wall is None:
                continue
            s = span(drop.fired_wall, drop.ended_wall)
            if s is not None:
                sid, _ = segment_of(drop.fired_wall)
                specs.append(ClipSpec("flash_sale", drop.label or drop.id, s[0] - pad_s, s[1] + pad_s, s,
                                      segment=sid, text=points.get(sid, [])))
    specs.sort(key=lambda c: (c.start_wall, KINDS.index(c.kind)))
    return specs


def _srt_time(t: float) -> str:
    ms = max(0, int(round(t * 1000)))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def srt_text(spec: ClipSpec, duration_s: float) -> str:
    """Subtitles for a clip: its title (and live price) first, then the talking points in turn."""
    lines = [spec.title + (f"  {spec.price}" if spec.price else "")] + [p for p in spec.text if p.strip()]
    share = duration_s / len(lines)
    cues = []
    for i, text in enumerate(lines):
        cues.append(f"{i + 1}\n{_srt_time(i * share)} --> {_srt_time((i + 1) * share)}\n{text}\n")
    return "\n".join(cues)


def _write_text(path: Path, text: str) -> None:
    from studio_app.core.files import write_atomically

    write_atomically(path, text)  # never over a FIFO or a device someone named as the folder's file


def cut_clips(specs: Iterable[ClipSpec], recs: Sequence[Recording], out_dir: Path, *, show_title: str,
              show_started_wall: float | None, vertical: bool = False, text: str = "srt",
              recording_override: str | None = None, progress: Any = None,
              obs_delay_s: float = DEFAULT_OBS_DELAY_S) -> list[ClipResult]:
    """Cut every spec from the recording that holds it; write ``clips.json`` in ``out_dir``.
    A clip that cannot be cut gets ``error`` (and no file); one cut short gets a warning.
    ``recording_override``: a file (or a folder to look in by name) for recordings that were
    moved. ``text``: srt, burn, both or none. ``obs_delay_s``: how long after the desk's
    moment OBS writes its picture (see :data:`DEFAULT_OBS_DELAY_S`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[ClipResult] = []
    probed: dict[str, MediaInfo | ClipError] = {}
    day = _dt.datetime.fromtimestamp(show_started_wall).strftime("%Y-%m-%d") if show_started_wall else "show"
    specs = list(specs)
    for number, spec in enumerate(specs, start=1):
        res = ClipResult(spec)
        results.append(res)
        if show_started_wall is not None:
            res.show_start_s = spec.start_wall - show_started_wall
        if progress is not None:
            progress(number, len(specs), spec)
        try:
            _cut_one(res, number, recs, out_dir, day, show_title, probed, vertical, text, recording_override,
                     obs_delay_s)
        except ClipError as exc:
            res.error = str(exc)
    index = [r.as_json() for r in results if r.file]
    _write_text(out_dir / "clips.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    return results


def _resolve(path: str, override: str | None) -> str:
    if override:
        o = Path(override)
        if o.is_dir():
            return str(o / Path(path).name) if path else ""
        return str(o)
    return path


def _cut_one(res: ClipResult, number: int, recs: Sequence[Recording], out_dir: Path, day: str, show_title: str,
             probed: dict, vertical: bool, text: str, override: str | None, delay: float) -> None:
    spec = res.spec
    start = locate(recs, spec.start_wall, delay)
    end = locate(recs, spec.end_wall, delay)
    anchor = start or end or locate(recs, spec.on_air[0], delay)
    if anchor is None:
        raise ClipError(f"no recording covers {spec.kind} '{spec.title}' at {_iso(spec.on_air[0])}: "
                        "was OBS recording then?")
    rec = anchor.recording
    path = _resolve(rec.path, override)
    if not path:
        raise ClipError(f"the recording of {_iso(rec.first_wall)} has no known file (the console never saw it "
                        "start or stop): give it with --recording FILE")
    key = path
    if key not in probed:
        try:
            probed[key] = media.probe(path)
        except ClipError as exc:
            probed[key] = exc
    info = probed[key]
    if isinstance(info, ClipError):
        moved = "" if Path(path).exists() else " (moved or deleted? give its new place with --recording)"
        raise ClipError(f"{info}{moved}")
    res.recording = path
    t0 = start.seconds if start is not None and start.recording is rec else 0.0
    if start is None or start.recording is not rec:
        res.warnings.append(f"starts before the recording: cut from its first frame")
    if start is not None and start.in_pause:
        res.warnings.append("starts while the recording was paused: cut from where it resumed")
    if end is not None and end.recording is rec:
        t1 = end.seconds
    else:
        last = rec.locate(rec.last_wall, delay) if rec.last_wall is not None else None
        t1 = last.seconds if last is not None else info.duration_s
    if t1 > info.duration_s:
        res.warnings.append(f"runs {t1 - info.duration_s:.1f} s past the end of {Path(path).name}: cut at its end")
        t1 = info.duration_s
    elif end is None or end.recording is not rec:
        res.warnings.append(f"runs past the end of {Path(path).name}: cut at its end")
    if t0 >= info.duration_s - info.frame_s:
        raise ClipError(f"{spec.kind} '{spec.title}' starts at {t0:.1f} s, after the end of {path} "
                        f"({info.duration_s:.1f} s)")
    if not (start and start.exact and (end is None or end.exact)):
        res.warnings.append("placed from OBS's event times (no recording-clock sample): may be off by a few frames")
    duration = round((t1 - t0) / info.frame_s) * info.frame_s  # whole frames
    if duration < info.frame_s:
        raise ClipError(f"{spec.kind} '{spec.title}' is shorter than one frame in the recording")
    name = f"{day}_{safe_name(show_title)}_{number:02d}_{safe_name(spec.title)}"
    if vertical:
        name += "_竖屏"
    out = out_dir / f"{name}.mp4"
    title = spec.title + (f"  {spec.price}" if spec.price else "") if text in ("burn", "both") else None
    clip = media.cut(info, t0, duration, out, vertical=vertical, title=title, workdir=out_dir)
    res.file, res.recording_start_s, res.duration_s = out.name, t0, clip.video_s or clip.duration_s
    if text in ("srt", "both"):
        srt = out.with_suffix(".srt")
        _write_text(srt, srt_text(spec, res.duration_s))
        res.srt = srt.name
    thumb = media.thumbnail(out, out.with_suffix(".jpg"))
    res.thumbnail = thumb.name if thumb else ""


def load_index(folder: Path) -> list[Mapping[str, Any]]:
    """The ``clips.json`` of a folder ([] when there is none or it is unreadable)."""
    try:
        data = json.loads((folder / "clips.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [d for d in data if isinstance(d, Mapping)] if isinstance(data, list) else []
