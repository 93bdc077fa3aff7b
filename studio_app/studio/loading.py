"""Opening a show: the rundown, its logged history and the offer to resume a run the
console left mid-show. Pure functions (file and database reads), run off the GUI thread."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterable

from studio_app.show.desk import ShowDesk
from studio_app.show.events import iter_parts
from studio_app.show.timing import Playback


def unfinished_run(events: Iterable[Any]) -> bool:
    """Whether the latest run of the show in ``events`` (oldest first) stopped while a
    segment was running or on hold, i.e. the console went down mid-show."""
    run, playback = None, None
    for kind, payload, _wall in iter_parts(events):
        r = payload.get("run")
        if isinstance(r, str) and r != run:
            run, playback = r, None
        if kind.startswith("cue.") and isinstance(payload.get("state"), dict):
            playback = payload["state"].get("playback")
    return playback in (Playback.RUNNING.value, Playback.HOLD.value)


def segment_history(events: Iterable[Any]) -> dict[str, dict[str, float]]:
    """Per segment id: actual start (seconds from the show start) and actual duration,
    from cue events (``to.actual_start``, ``from.actual_duration``); latest wins."""
    out: dict[str, dict[str, float]] = {}
    for kind, payload, _wall in iter_parts(events):
        if not kind.startswith("cue."):
            continue
        to, frm = payload.get("to"), payload.get("from")
        if isinstance(frm, dict) and isinstance(frm.get("segment"), str) and frm.get("actual_duration") is not None:
            out.setdefault(frm["segment"], {})["duration"] = float(frm["actual_duration"])
        if isinstance(to, dict) and isinstance(to.get("segment"), str) and to.get("actual_start") is not None:
            entry = out.setdefault(to["segment"], {})
            entry["start"] = float(to["actual_start"])
            entry.pop("duration", None)  # running again (back/jump): the old length is history
    return out


def load_show_job(path: Path, db_url: str | None, clock: Any = None) -> tuple[ShowDesk, list, dict | None]:
    """The show from its file (RundownError when broken, located), its logged events, and
    a resume offer when the latest run stopped mid-show. Blocking: call it off the GUI thread."""
    desk = ShowDesk.from_file(path, clock=clock)
    events: list = []
    if db_url:
        from studio_app.store import fetch_events, open_engine

        engine = open_engine(db_url)
        try:
            # Two days back is plenty to resume a show; older runs are history, not a crash.
            events = fetch_events(engine, show_id=desk.show.id, since=time.time() - 2 * 86400)
        except Exception:  # noqa: BLE001 - no history readable: a fresh start is still possible
            events = []
        finally:
            engine.dispose()
    offer = None
    if unfinished_run(events):
        preview = ShowDesk.resume(desk.show, events, clock, None, findings=desk.findings)
        v = preview.engine.view(preview.clock.now())
        offer = {"segment": v.segment_title, "segment_id": v.segment_id, "index": v.index,
                 "elapsed": v.elapsed, "playback": v.playback.value}
    return desk, events, offer


def resume_desk(desk: ShowDesk, events: list, sink: Any = None) -> tuple[ShowDesk, list]:
    """The run ``events`` left unfinished, rebuilt (its ``cue.resumed`` event goes to
    ``sink``), and this run's events (for the message and the cue list's actual times)."""
    resumed = ShowDesk.resume(desk.show, events, desk.clock, sink, findings=desk.findings)
    resumed.plan_warnings = desk.plan_warnings
    run = [e for e, (_k, p, _w) in zip(events, iter_parts(events)) if p.get("run") == resumed.run_id]
    return resumed, run
