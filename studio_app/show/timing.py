"""Cue timer maths as pure functions of (state, show, now), in the style of Ontime's
``timerUtils``. ``now`` is a monotonic clock reading in seconds; the same functions work
on any clock as long as every time in the state comes from it.

Conventions: ``remaining`` goes negative in overtime; ``over_under`` is positive when
the show runs behind the plan (will end late) and negative when ahead.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from studio_app.show.model import Show


class Playback(str, enum.Enum):
    STANDBY = "standby"  # armed on a segment, show not started (or not yet resumed)
    RUNNING = "running"
    HOLD = "hold"  # segment timer paused; the show clock keeps running
    ENDED = "ended"


class Phase(str, enum.Enum):
    NONE = "none"  # no timer running (standby, ended)
    DEFAULT = "default"
    WARNING = "warning"
    DANGER = "danger"
    OVERTIME = "overtime"


MAX_ADD_S = 3600.0  # one nudge adds or removes at most an hour (Ontime's cap)


@dataclass(frozen=True, slots=True)
class CueState:
    """Where the show is. Times are clock readings (seconds) of the engine's clock."""

    playback: Playback = Playback.STANDBY
    index: int = 0  # current segment (the armed one in standby)
    elapsed_before: float = 0.0  # segment time accumulated before ``running_since``
    running_since: float | None = None  # when the segment timer last (re)started; None unless RUNNING
    added: float = 0.0  # seconds added to (or, negative, taken from) the current segment
    show_started: float | None = None  # first GO
    segment_started: float | None = None  # when the current segment was loaded
    ended_at: float | None = None
    actuals: tuple[tuple[str, float], ...] = field(default_factory=tuple)  # (segment id, seconds) as run

    # -- snapshots for the event log ----------------------------------------------------
    _TIMES = ("running_since", "show_started", "segment_started", "ended_at")

    def shifted(self, delta: float) -> "CueState":
        """The same state on a clock that reads ``delta`` seconds more."""
        changes = {k: (getattr(self, k) + delta if getattr(self, k) is not None else None) for k in self._TIMES}
        return replace(self, **changes)

    def snapshot(self, show: Show, now_mono: float, now_wall: float) -> dict[str, Any]:
        """JSON-able state with times as UTC wall seconds (monotonic clocks restart with
        the process; wall times survive it)."""
        s = self.shifted(now_wall - now_mono)
        seg_id = show.segments[self.index].id if 0 <= self.index < len(show.segments) else None
        return {
            "playback": s.playback.value,
            "index": s.index,
            "segment": seg_id,
            "elapsed_before": s.elapsed_before,
            "running_since": s.running_since,
            "added": s.added,
            "show_started": s.show_started,
            "segment_started": s.segment_started,
            "ended_at": s.ended_at,
            "actuals": [list(a) for a in s.actuals],
            "wall": now_wall,
        }

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], show: Show, now_mono: float, now_wall: float) -> "CueState":
        """Rebuild a state from :meth:`snapshot`, on the current monotonic clock. The
        segment is found by id first (the file may have been edited), then by index."""
        index = int(snap.get("index", 0))
        seg_id = snap.get("segment")
        if seg_id is not None:
            try:
                index = show.segment_index(seg_id)
            except KeyError:
                pass
        index = max(0, min(index, len(show.segments) - 1))

        def num(key: str) -> float | None:
            v = snap.get(key)
            return None if v is None else float(v)

        state = cls(
            playback=Playback(snap.get("playback", "standby")),
            index=index,
            elapsed_before=float(snap.get("elapsed_before", 0.0)),
            running_since=num("running_since"),
            added=float(snap.get("added", 0.0)),
            show_started=num("show_started"),
            segment_started=num("segment_started"),
            ended_at=num("ended_at"),
            actuals=tuple((str(a[0]), float(a[1])) for a in snap.get("actuals", [])),
        )
        return state.shifted(now_mono - now_wall)


# -- pure readouts ------------------------------------------------------------------------


def segment_elapsed(state: CueState, now: float) -> float:
    """Seconds the current segment's timer has run (holds excluded)."""
    if state.playback == Playback.RUNNING and state.running_since is not None:
        return state.elapsed_before + max(0.0, now - state.running_since)
    return state.elapsed_before


def segment_duration(state: CueState, show: Show) -> float:
    """Planned duration of the current segment plus added time (never below 0)."""
    if not show.segments:
        return 0.0
    return max(0.0, show.segments[state.index].duration + state.added)


def remaining(state: CueState, show: Show, now: float) -> float:
    """Seconds left in the current segment; negative in overtime."""
    return segment_duration(state, show) - segment_elapsed(state, now)


def phase_for(remaining_s: float, warning_s: float, danger_s: float) -> Phase:
    """Ontime's rule: <0 overtime, <=danger danger, <=warning warning, else default."""
    if remaining_s < 0:
        return Phase.OVERTIME
    if remaining_s <= danger_s:
        return Phase.DANGER
    if remaining_s <= warning_s:
        return Phase.WARNING
    return Phase.DEFAULT


def phase(state: CueState, show: Show, now: float) -> Phase:
    if state.playback in (Playback.STANDBY, Playback.ENDED) or not show.segments:
        return Phase.NONE
    seg = show.segments[state.index]
    return phase_for(remaining(state, show, now), seg.warning, seg.danger)


def planned_after(show: Show, index: int) -> float:
    """Planned seconds of the segments after ``index``."""
    return sum(s.duration for s in show.segments[index + 1:])


def projected_end(state: CueState, show: Show, now: float) -> float:
    """Clock time the show will end if every later segment runs to plan."""
    if state.playback == Playback.ENDED and state.ended_at is not None:
        return state.ended_at
    if state.playback == Playback.STANDBY and state.show_started is None:
        return now + show.planned_duration
    return now + max(0.0, remaining(state, show, now)) + planned_after(show, state.index)


def over_under(state: CueState, show: Show, now: float) -> float:
    """Seconds the show will end after (+) or before (-) its planned length from the
    first GO. 0 before the show starts."""
    if state.show_started is None:
        return 0.0
    return projected_end(state, show, now) - (state.show_started + show.planned_duration)


def show_elapsed(state: CueState, now: float) -> float:
    if state.show_started is None:
        return 0.0
    end = state.ended_at if state.playback == Playback.ENDED and state.ended_at is not None else now
    return end - state.show_started


def segment_start_time(state: CueState, show: Show, index: int, now: float) -> float | None:
    """Clock time at which segment ``index`` had or will have elapsed 0: the actual start
    for the current segment (shifted by holds, so ``start + offset`` is when its timer
    reads ``offset``), a projection for later segments, None for earlier ones and when
    the show has not started or has ended."""
    if state.playback in (Playback.STANDBY, Playback.ENDED) or not (0 <= index < len(show.segments)):
        return None
    if index < state.index:
        return None
    if index == state.index:
        return now - segment_elapsed(state, now)
    start = now + max(0.0, remaining(state, show, now))
    start += sum(s.duration for s in show.segments[state.index + 1:index])
    return start


@dataclass(frozen=True, slots=True)
class TimerView:
    """Everything a cue screen or desk shows about the timer at one instant."""

    playback: Playback
    phase: Phase
    index: int
    segment_id: str
    segment_title: str
    next_title: str
    elapsed: float
    remaining: float
    duration: float
    added: float
    over_under: float
    projected_end: float  # clock time (same clock as ``now``)
    show_elapsed: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "playback": self.playback.value,
            "phase": self.phase.value,
            "index": self.index,
            "segment": self.segment_id,
            "title": self.segment_title,
            "next": self.next_title,
            "elapsed": round(self.elapsed, 3),
            "remaining": round(self.remaining, 3),
            "duration": round(self.duration, 3),
            "added": round(self.added, 3),
            "over_under": round(self.over_under, 3),
            "show_elapsed": round(self.show_elapsed, 3),
        }


def timer_view(state: CueState, show: Show, now: float) -> TimerView:
    seg = show.segments[state.index] if show.segments else None
    nxt = show.segments[state.index + 1].title if state.index + 1 < len(show.segments) else ""
    return TimerView(
        playback=state.playback,
        phase=phase(state, show, now),
        index=state.index,
        segment_id=seg.id if seg else "",
        segment_title=seg.title if seg else "",
        next_title=nxt,
        elapsed=segment_elapsed(state, now),
        remaining=remaining(state, show, now),
        duration=segment_duration(state, show),
        added=state.added,
        over_under=over_under(state, show, now),
        projected_end=projected_end(state, show, now),
        show_elapsed=show_elapsed(state, now),
    )
