"""A long show's event log for benchmarks: one event a second from each device (camera,
mic, OBS) and from the desk, written as an outbox file and replayed into a database the
way a console sends its outbox after an outage (the fastest real write path).

Payloads follow what the console logs: mic loudness readings, OBS stream stats, camera
picture checks, and cue changes from the desk (a segment every 15 minutes).
"""
from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Iterator

from studio_app.store import EventLog


def show_rows(show_id: str, start: float, hours: float = 4.0, room: str | None = "一号间",
              session: str = "b" * 32) -> Iterator[dict]:
    """Rows of the events table for a show of ``hours``, one event a second per source."""
    seconds = int(hours * 3600)
    segment = 15 * 60
    for s in range(seconds):
        t = start + s
        base = {"wall_time": t, "mono_time": float(s), "session": session, "room": room, "severity": 20}
        yield {**base, "uid": uuid.uuid4().hex, "show_id": None, "source": "mic", "kind": "loudness", "severity": 10,
               "message": "loudness", "payload": {"momentary_lufs": -15.2, "short_term_lufs": -16.0 - (s % 7) * 0.3,
                                                  "integrated_lufs": -16.3, "target_lufs": -16.0}}
        yield {**base, "uid": uuid.uuid4().hex, "show_id": None, "source": "obs", "kind": "obs.stats", "severity": 10,
               "message": "stream stats", "payload": {"stream_kbps": 6000.0 - (s % 11) * 40, "output_dropped_percent": 0.0,
                                                      "output_skipped": s // 600, "output_total": s * 30}}
        yield {**base, "uid": uuid.uuid4().hex, "show_id": None, "source": "camera", "kind": "picture_check", "severity": 10,
               "message": "picture OK", "payload": {"mean_luma": 118.0, "sharpness": 96.0, "black_pct": 0.1}}
        if s == 0 or s % segment == 0:
            n = s // segment
            kind = "cue.start" if s == 0 else "cue.go"
            payload = {"at_wall": t, "playback": "running", "over_under": 0.0,
                       "to": {"segment": f"S{n + 1}", "title": f"环节 {n + 1}", "planned_start": float(s), "actual_start": float(s)}}
            if s:
                payload["from"] = {"segment": f"S{n}", "planned_duration": 900.0, "added": 0.0, "actual_duration": 900.0}
            yield {**base, "uid": uuid.uuid4().hex, "show_id": show_id, "source": "cue", "kind": kind,
                   "message": f"环节 {n + 1}", "payload": payload}
        else:
            yield {**base, "uid": uuid.uuid4().hex, "show_id": show_id, "source": "desk", "kind": "desk.view",
                   "severity": 10, "message": "desk ok", "payload": {"segment": f"S{s // segment + 1}"}}
    t = start + seconds
    yield {"wall_time": t, "mono_time": float(seconds), "session": session, "room": room, "severity": 20,
           "uid": uuid.uuid4().hex, "show_id": show_id, "source": "cue", "kind": "cue.end", "message": "show ended",
           "payload": {"at_wall": t, "playback": "ended", "over_under": 0.0,
                       "from": {"segment": f"S{seconds // segment}", "planned_duration": 900.0, "added": 0.0,
                                "actual_duration": 900.0}}}


def load_show(url: str, folder: Path, show_id: str, *, hours: float = 4.0, start: float | None = None,
              timeout: float = 600.0) -> int:
    """Write the show into the database at ``url`` through an EventLog's outbox replay;
    returns the number of events."""
    start = time.time() - hours * 3600 - 60 if start is None else start
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    with (folder / "ev.outage.jsonl").open("w", encoding="utf-8") as f:
        for row in show_rows(show_id, start, hours):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    log = EventLog(url, spool_path=folder / "ev.jsonl").start()
    deadline = time.monotonic() + timeout
    while (log.status.pending or log.written < n) and time.monotonic() < deadline:
        time.sleep(0.02)
    written = log.written
    log.close()
    if written < n:
        raise RuntimeError(f"only {written} of {n} events reached {url.split(':')[0]} within {timeout:.0f} s")
    return n
