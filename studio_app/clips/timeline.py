"""Show time to recording time: which OBS recording holds a moment of the show, and where.

Built from what the OBS link logged (source ``obs``): ``obs.record_started`` (with the
file's path), ``obs.record_paused``/``obs.record_resumed``, ``obs.record_stopped`` (path)
and ``obs.record_sync`` samples of the recording's own clock (wall time, recording time;
see :mod:`hardware.obs.recording`). Pure functions, no I/O.

How a wall time ``t`` becomes a place in the recording: the recording is a series of
*runs* (start or resume to pause or stop). Within a run the recording clock advances with
the wall clock, so ``t`` maps to ``duration + (t - sampled_wall)`` of the run's sample
nearest to ``t``. Two samples of one run whose clocks drifted apart by more than
:data:`GAP_S` (a pause the console did not see, e.g. while it was restarting) split the
run. A moment in a pause maps to where the recording resumed. A run with no sample at all
(shorter than the 1 s probe) falls back to its STARTED/RESUMED event, flagged approximate.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

GAP_S = 0.25  # wall and recording clocks drifting apart by more than this: a hidden pause


@dataclass
class Run:
    """A stretch of the recording without a pause: wall interval and clock samples in it."""

    start_wall: float
    end_wall: float | None = None
    samples: list[tuple[float, float]] = field(default_factory=list)  # (wall, recording seconds)
    base: float | None = None  # recording seconds at start_wall when no sample says better

    def at(self, wall: float) -> float | None:
        if self.samples:
            walls = [w for w, _ in self.samples]
            i = bisect.bisect_left(walls, wall)
            best = min((j for j in (i - 1, i) if 0 <= j < len(walls)), key=lambda j: abs(walls[j] - wall))
            sw, sd = self.samples[best]
            return max(0.0, sd + (wall - sw))
        if self.base is not None:
            return max(0.0, self.base + (wall - self.start_wall))
        return None

    @property
    def exact(self) -> bool:
        return bool(self.samples)


@dataclass
class Recording:
    """One OBS recording (one ``StartRecord`` to ``StopRecord``)."""

    path: str = ""
    started_wall: float | None = None
    stopped_wall: float | None = None
    runs: list[Run] = field(default_factory=list)
    folder: str = ""

    @property
    def first_wall(self) -> float:
        return self.runs[0].start_wall if self.runs else (self.started_wall or 0.0)

    @property
    def last_wall(self) -> float | None:
        if self.stopped_wall is not None:
            return self.stopped_wall
        return self.runs[-1].end_wall if self.runs else None

    def covers(self, wall: float) -> bool:
        end = self.last_wall
        return self.first_wall <= wall and (end is None or wall <= end)

    def locate(self, wall: float, delay_s: float = 0.0) -> "Place | None":
        """Where the picture on air at ``wall`` is in this recording, or None when it is
        outside it. ``delay_s``: how long OBS takes to write a picture after showing it."""
        place = self._locate(wall)
        if place is None or not delay_s:
            return place
        return Place(self, place.seconds + delay_s, place.exact, place.in_pause)

    def _locate(self, wall: float) -> "Place | None":
        if not self.runs or wall < self.first_wall - 1e-6:
            return None
        end = self.last_wall
        if end is not None and wall > end + 1e-6:
            return None
        for i, run in enumerate(self.runs):
            run_end = run.end_wall if run.end_wall is not None else (end if i == len(self.runs) - 1 else None)
            if run_end is None or wall <= run_end:
                if wall < run.start_wall:  # in the pause before this run: where it resumed
                    t = run.at(run.start_wall)
                    return None if t is None else Place(self, t, run.exact, in_pause=True)
                t = run.at(wall)
                return None if t is None else Place(self, t, run.exact, in_pause=False)
        return None


@dataclass(frozen=True)
class Place:
    recording: Recording
    seconds: float  # from the start of the recording's file(s)
    exact: bool  # from the recording clock (within about a frame); False: from an event time
    in_pause: bool  # the moment fell in a pause: this is where the recording resumed


def _payload(ev: Any) -> Mapping[str, Any]:
    p = getattr(ev, "payload", None)
    return p if isinstance(p, Mapping) else {}


def recordings(events: Iterable[Any]) -> list[Recording]:
    """The recordings told by ``events`` (any order; anything but OBS record events ignored)."""
    evs = sorted((e for e in events if str(getattr(e, "kind", "")).startswith("obs.record")),
                 key=lambda e: (_payload(e).get("sampled_wall", e.wall_time), getattr(e, "seq", 0)))
    out: list[Recording] = []
    cur: Recording | None = None
    last: tuple[float, float] | None = None  # the current run's newest sample

    def new(wall: float, path: str = "") -> Recording:
        nonlocal cur, last
        cur = Recording(path=path, started_wall=wall)
        cur.runs.append(Run(start_wall=wall))
        out.append(cur)
        last = None
        return cur

    for ev in evs:
        kind, p, wall = ev.kind, _payload(ev), float(ev.wall_time)
        path = str(p.get("path") or "")
        if kind == "obs.record_started":
            rec = new(wall, path)
            rec.runs[0].base = 0.0  # until a sample says better
        elif kind == "obs.record_sync":
            try:
                sw, sd = float(p["sampled_wall"]), float(p["duration_ms"]) / 1000.0
            except (KeyError, TypeError, ValueError):
                continue
            paused = bool(p.get("paused"))
            if cur is None or cur.stopped_wall is not None or (last is not None and sd < last[1] - GAP_S):
                # A recording that was running when the console connected (or a new one it
                # did not see start): it began ``sd`` seconds of recording before this sample.
                rec = new(sw - sd, path)
                rec.started_wall = None  # not seen
            assert cur is not None
            if path and not cur.path:
                cur.path = path
            run = cur.runs[-1]
            if paused:
                # The clock stopped at ``sd``: the run ended when it got there.
                end = run.samples[-1][0] + (sd - run.samples[-1][1]) if run.samples else sw
                run.end_wall = min(run.end_wall if run.end_wall is not None else sw, end, sw)
                last = (sw, sd)
                continue
            if run.end_wall is not None:  # resumed without us seeing the event
                cur.runs.append(Run(start_wall=sw))
                run = cur.runs[-1]
            elif last is not None and (sw - last[0]) - (sd - last[1]) > GAP_S:
                # The clocks drifted apart: a pause between the two samples we did not see.
                run.end_wall = last[0]
                cur.runs.append(Run(start_wall=sw))
                run = cur.runs[-1]
            run.samples.append((sw, sd))
            last = (sw, sd)
        elif cur is None:
            continue
        elif kind == "obs.record_paused":
            if cur.runs and cur.runs[-1].end_wall is None:
                cur.runs[-1].end_wall = wall
        elif kind == "obs.record_resumed":
            prev = cur.runs[-1] if cur.runs else None
            run = Run(start_wall=wall)
            if prev is not None and prev.end_wall is not None:
                run.base = prev.at(prev.end_wall)
            cur.runs.append(run)
            last = None
        elif kind == "obs.record_stopped":
            cur.stopped_wall = wall
            if cur.runs and cur.runs[-1].end_wall is None:
                cur.runs[-1].end_wall = wall
            if path:
                cur.path = path
            cur = None
            last = None
    for rec in out:  # a run that can say nothing about its clock is no use
        rec.runs = [r for r in rec.runs if r.samples or r.base is not None]
    return out


def locate(recs: Iterable[Recording], wall: float, delay_s: float = 0.0) -> Place | None:
    """The place of ``wall`` in the newest recording that covers it."""
    for rec in sorted(recs, key=lambda r: r.first_wall, reverse=True):
        place = rec.locate(wall, delay_s)
        if place is not None:
            return place
    return None
