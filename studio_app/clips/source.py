"""A show's clips job read from the event log (through :mod:`studio_app.store` only).

Blocking database and file work: call it from a command or a worker thread."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_app.clips.timeline import Recording, recordings

# Events of the recording can lie well before the first GO (OBS started recording early).
RECORDING_LOOKBACK_S = 12 * 3600.0
RECORD_KINDS = ["obs.record_started", "obs.record_stopped", "obs.record_paused", "obs.record_resumed",
                "obs.record_sync", "obs.scene_changed"]


@dataclass
class ClipJob:
    show_id: str
    review: Any  # studio_app.report.review.ShowReview
    rundown: Any  # studio_app.show.model.Show or None
    recordings: list[Recording]
    obs_events: list[Any]  # the record and scene events, for calibration
    notes: list[str]

    @property
    def title(self) -> str:
        return (self.rundown.title if self.rundown is not None else "") or self.review.title or self.show_id


def load_clip_job(engine: Any, show_id: str, rundown: str | Path | None = None) -> ClipJob:
    """Raises :class:`studio_app.report.UnknownShow`; a ``rundown`` given but broken raises
    :class:`studio_app.show.errors.RundownError`. The rundown the desk opened is used when
    none is given and it is still readable (otherwise a note says why it was not)."""
    from studio_app.report import load_review
    from studio_app.show.errors import RundownError
    from studio_app.show.rundown import load_rundown
    from studio_app.store import fetch_events

    notes: list[str] = []
    show = None
    if rundown is not None:
        show = load_rundown(rundown)
    else:
        opened = fetch_events(engine, show_id=show_id, kinds=["show.open"], newest_first=True, limit=1)
        path = str((opened[0].payload or {}).get("path") or "") if opened else ""
        if path and Path(path).is_file():
            try:
                show = load_rundown(path)
            except RundownError as exc:
                notes.append(f"{exc}; clips get no prices or talking points")
    review = load_review(engine, show_id)
    start = review.started_wall or 0.0
    end = (review.ended_wall or start) + 3600.0
    obs_events = fetch_events(engine, sources=["obs"], kinds=RECORD_KINDS, since=start - RECORDING_LOOKBACK_S, until=end)
    return ClipJob(show_id, review, show, recordings(obs_events), [e for e in obs_events if e.wall_time >= start], notes)
