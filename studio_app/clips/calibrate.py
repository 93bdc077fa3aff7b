"""How long after the desk's moment OBS writes the picture: measured from the show itself.

Every program-scene switch is logged (``obs.scene_changed``) and visible in the recording as
a cut. :func:`scene_switch_delays` finds each cut in the recording near where the
recording clock puts the event, and returns how much later it really is: the machine's own
render-to-file delay, which ``clips --obs-delay`` then uses. Blocking (ffmpeg).
"""
from __future__ import annotations

import statistics
import subprocess
from typing import Any, Iterable, Sequence

import numpy as np

from studio_app.clips import media
from studio_app.clips.timeline import Recording, locate

WINDOW_BEFORE_S = 0.5
WINDOW_AFTER_S = 1.5
MIN_CUT_DIFF = 12.0  # mean absolute luma change (0-255) that counts as a picture cut
SIZE = (64, 36)


def _luma_frames(path: str, start: float, seconds: float) -> np.ndarray:
    cmd = [media.tool("ffmpeg"), "-nostdin", "-v", "error", "-ss", f"{max(0.0, start):.6f}", "-i", path,
           "-t", f"{seconds:.6f}", "-vf", f"scale={SIZE[0]}:{SIZE[1]}", "-f", "rawvideo", "-pix_fmt", "gray", "-"]
    raw = subprocess.run(cmd, capture_output=True, timeout=120, stdin=subprocess.DEVNULL).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE[1], SIZE[0]).astype(np.int16)


def scene_switch_delays(recs: Sequence[Recording], events: Iterable[Any]) -> list[float]:
    """Seconds from each logged scene switch to its cut in the recording (where one is seen)."""
    delays: list[float] = []
    infos: dict[str, media.MediaInfo] = {}
    for ev in events:
        if getattr(ev, "kind", "") != "obs.scene_changed":
            continue
        place = locate(recs, float(ev.wall_time))
        if place is None or not place.exact or not place.recording.path:
            continue
        path = place.recording.path
        if path not in infos:
            try:
                infos[path] = media.probe(path)
            except media.ClipError:
                continue
        info = infos[path]
        start = max(0.0, place.seconds - WINDOW_BEFORE_S)
        frames = _luma_frames(path, start, WINDOW_BEFORE_S + WINDOW_AFTER_S)
        if len(frames) < 3:
            continue
        diffs = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2))
        i = int(np.argmax(diffs))
        if diffs[i] < MIN_CUT_DIFF:
            continue
        delays.append(start + (i + 1) * info.frame_s - place.seconds)
    return delays


def summary(delays: Sequence[float]) -> dict[str, Any]:
    if not delays:
        return {"switches": 0, "delay_s": None}
    return {"switches": len(delays), "delay_s": round(statistics.median(delays), 3),
            "min_s": round(min(delays), 3), "max_s": round(max(delays), 3)}
