"""Where the show's time falls in OBS's recording: samples of the recording's own clock.

OBS says when a recording starts, pauses, resumes and stops (``RecordStateChanged``), but
the file's first frame is written a few frames after the STARTED event (about 0.17 s with
x264 here), and obs-websocket 5.1 says nothing when a recording is split into files or when
the console reconnects to a recording already running. What it does give is
``GetRecordStatus.outputDuration``: the frames written so far times the frame time, i.e.
the recording's own clock. :class:`RecordClock` decides which of those answers are worth
keeping as ``record_sync`` samples (wall time, recording time): the first one after a
start, pause, resume or (re)connect, a jump backwards (a new recording the console did not
see start), and then one every ``every_s`` seconds. From the samples,
:mod:`studio_app.clips.timeline` maps any wall time of the show to a place in the file to
within about one frame.

Pure and thread-free: the OBS link calls :meth:`RecordClock.observe` from its worker with
each ``GetRecordStatus`` answer and the wall time it was taken at.
"""
from __future__ import annotations

from typing import Any, Mapping

SYNC_EVERY_S = 30.0


class RecordClock:
    """Picks the ``GetRecordStatus`` answers to log as recording-clock samples."""

    def __init__(self, every_s: float = SYNC_EVERY_S) -> None:
        self.every_s = every_s
        self._last_wall: float | None = None
        self._last_duration_ms: int | None = None
        self._last_paused: bool | None = None
        self.path = ""  # the file OBS said it records to (from RecordStateChanged)

    def reset(self) -> None:
        """Forget the current recording (stopped, or the connection was lost): the next
        answer while recording is logged at once."""
        self._last_wall = self._last_duration_ms = self._last_paused = None

    def observe(self, wall: float, status: Mapping[str, Any]) -> dict[str, Any] | None:
        """``status``: a ``GetRecordStatus`` answer taken at ``wall`` (UTC seconds, the middle
        of the request). Returns the payload of a ``record_sync`` event to log, or None."""
        if not status.get("outputActive"):
            self.reset()
            return None
        try:
            duration_ms = int(status.get("outputDuration") or 0)
        except (TypeError, ValueError):
            return None
        paused = bool(status.get("outputPaused"))
        due = (
            self._last_wall is None
            or paused != self._last_paused
            or duration_ms < (self._last_duration_ms or 0)  # a new recording we did not see start
            or wall - self._last_wall >= self.every_s
        )
        if not due:
            return None
        self._last_wall, self._last_duration_ms, self._last_paused = wall, duration_ms, paused
        return {"sampled_wall": wall, "duration_ms": duration_ms, "paused": paused, "path": self.path,
                "timecode": str(status.get("outputTimecode") or "")}
