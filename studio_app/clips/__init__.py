"""Product clips (讲解切片): every product explanation cut from OBS's recording.

- :mod:`studio_app.clips.timeline`: show time to recording time, from OBS's logged record
  events and recording-clock samples (pure).
- :mod:`studio_app.clips.plan`: which clips a show gives (pure) and cutting them.
- :mod:`studio_app.clips.media`: ffmpeg/ffprobe as child processes.

Qt-free and database-free: the command (:mod:`studio_app.commands.clips`) and the desk's
Clips dock read the log through :mod:`studio_app.store` and hand the events in.
"""
from __future__ import annotations

from studio_app.clips.media import ClipError, MediaInfo, probe
from studio_app.clips.plan import DEFAULT_PAD_S, KINDS, ClipResult, ClipSpec, cut_clips, load_index, plan_clips
from studio_app.clips.timeline import Place, Recording, locate, recordings

__all__ = ["DEFAULT_PAD_S", "KINDS", "ClipError", "ClipResult", "ClipSpec", "MediaInfo", "Place", "Recording",
           "cut_clips", "load_index", "locate", "plan_clips", "probe", "recordings"]
