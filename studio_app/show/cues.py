"""The cue engine: GO / back / jump / hold / add time / end over a rundown.

Transitions are pure functions ``(state, show, now) -> state`` (``now`` monotonic
seconds). :class:`CueEngine` applies them to its current state and returns the
:class:`ShowEvent` records of each change (planned vs actual times, a snapshot of the
new state with UTC wall times). :func:`resume_from_events` rebuilds the state from those
records after a crash: same segment, right elapsed time.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from studio_app.core.events import Severity
from studio_app.show.clock import Instant
from studio_app.show.events import ShowEvent, cue_event, iter_parts, refusal
from studio_app.show.model import Show, format_clock, format_duration
from studio_app.show.timing import (
    MAX_ADD_S,
    CueState,
    Phase,
    Playback,
    TimerView,
    over_under,
    phase,
    segment_elapsed,
    timer_view,
)


class CueError(ValueError):
    """An action that cannot apply now (e.g. GO after the show ended); one-line message."""


# -- pure transitions -----------------------------------------------------------------


def _load(state: CueState, show: Show, index: int, now: float, playback: Playback) -> CueState:
    finished = state.actuals
    if state.playback in (Playback.RUNNING, Playback.HOLD):
        finished = finished + ((show.segments[state.index].id, segment_elapsed(state, now)),)
    return replace(
        state,
        playback=playback,
        index=index,
        elapsed_before=0.0,
        running_since=now if playback == Playback.RUNNING else None,
        added=0.0,
        show_started=state.show_started if state.show_started is not None else now,
        segment_started=now,
        ended_at=None,
        actuals=finished,
    )


def go(state: CueState, show: Show, now: float) -> CueState:
    """Standby: start the armed segment. Running/hold: next segment (ends the show after
    the last one). Ended: error."""
    if state.playback == Playback.ENDED:
        raise refusal(CueError, "show_ended_go")
    if state.playback == Playback.STANDBY:
        return _load(state, show, state.index, now, Playback.RUNNING)
    if state.index + 1 >= len(show.segments):
        return end(state, show, now)
    return _load(state, show, state.index + 1, now, Playback.RUNNING)


def back(state: CueState, show: Show, now: float) -> CueState:
    """Reload the previous segment from 0:00 (the first one restarts itself); from ended,
    return to the last segment."""
    if state.playback == Playback.STANDBY:
        return replace(state, index=max(0, state.index - 1))
    if state.playback == Playback.ENDED:
        return _load(state, show, len(show.segments) - 1, now, Playback.RUNNING)
    playback = state.playback
    return _load(state, show, max(0, state.index - 1), now, playback)


def jump(state: CueState, show: Show, index: int, now: float) -> CueState:
    """Load segment ``index`` (0-based) from 0:00; keeps hold, starts the show if needed."""
    if not 0 <= index < len(show.segments):
        raise refusal(CueError, "no_segment_number", number=index + 1, count=len(show.segments))
    if state.playback == Playback.STANDBY and state.show_started is None:
        return replace(state, index=index)  # arm it; GO starts it
    playback = Playback.HOLD if state.playback == Playback.HOLD else Playback.RUNNING
    return _load(state, show, index, now, playback)


def hold(state: CueState, show: Show, now: float) -> CueState:
    if state.playback != Playback.RUNNING:
        raise refusal(CueError, "nothing_to_hold", playback=state.playback.value)
    return replace(state, playback=Playback.HOLD, elapsed_before=segment_elapsed(state, now), running_since=None)


def resume(state: CueState, show: Show, now: float) -> CueState:
    if state.playback != Playback.HOLD:
        raise refusal(CueError, "nothing_on_hold", playback=state.playback.value)
    return replace(state, playback=Playback.RUNNING, running_since=now)


def add_time(state: CueState, show: Show, seconds: float, now: float) -> CueState:
    """Add (or with a negative value, take) time to the current segment; at most an hour
    per nudge, and the segment never gets a negative length."""
    if state.playback not in (Playback.RUNNING, Playback.HOLD):
        raise refusal(CueError, "no_segment_running", playback=state.playback.value)
    if not -MAX_ADD_S <= seconds <= MAX_ADD_S:
        raise refusal(CueError, "add_time_range", max_s=MAX_ADD_S, seconds=seconds)
    planned = show.segments[state.index].duration
    added = max(-planned, state.added + seconds)
    return replace(state, added=added)


def end(state: CueState, show: Show, now: float) -> CueState:
    if state.playback == Playback.ENDED:
        raise refusal(CueError, "show_already_ended")
    finished = state.actuals
    if state.playback in (Playback.RUNNING, Playback.HOLD):
        finished = finished + ((show.segments[state.index].id, segment_elapsed(state, now)),)
    return replace(
        state,
        playback=Playback.ENDED,
        elapsed_before=segment_elapsed(state, now),
        running_since=None,
        show_started=state.show_started if state.show_started is not None else now,
        ended_at=now,
        actuals=finished,
    )


# -- the engine -------------------------------------------------------------------------


class CueEngine:
    """The live cue state of one show. Not thread-safe: drive it from one thread (the
    desk's GUI thread), which is cheap since every call is pure arithmetic."""

    def __init__(self, show: Show, state: CueState | None = None) -> None:
        if not show.segments:
            raise ValueError("a show needs at least one segment")
        self.show = show
        self.state = state or CueState()
        self._last_phase: Phase | None = None

    # readouts
    def view(self, now: Instant) -> TimerView:
        return timer_view(self.state, self.show, now.mono)

    @property
    def segment(self):
        return self.show.segments[self.state.index]

    # actions: each returns the events of the change (empty when nothing changed)
    def go(self, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(go(was, self.show, now.mono))
        if self.state.playback == Playback.ENDED:
            return [self._change("cue.end", was, now, "show ended")]
        kind = "cue.start" if was.playback == Playback.STANDBY else "cue.go"
        return [self._change(kind, was, now)]

    def back(self, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(back(was, self.show, now.mono))
        return [self._change("cue.back", was, now)]

    def jump(self, target: str | int, now: Instant) -> list[ShowEvent]:
        index = self._index_of(target)
        was = self.state
        self._apply(jump(was, self.show, index, now.mono))
        return [self._change("cue.jump", was, now)]

    def hold(self, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(hold(was, self.show, now.mono))
        return [self._change("cue.hold", was, now, f"hold at {format_clock(segment_elapsed(self.state, now.mono))}",
                             extra={"elapsed": round(segment_elapsed(self.state, now.mono), 3)})]

    def resume(self, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(resume(was, self.show, now.mono))
        return [self._change("cue.resume", was, now, "timer running again")]

    def add_time(self, seconds: float, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(add_time(was, self.show, float(seconds), now.mono))
        sign = "+" if seconds >= 0 else "-"
        return [self._change("cue.add_time", was, now, f"{sign}{format_duration(abs(seconds))} on {self.segment.title}", extra={"seconds": float(seconds)})]

    def end(self, now: Instant) -> list[ShowEvent]:
        was = self.state
        self._apply(end(was, self.show, now.mono))
        return [self._change("cue.end", was, now, "show ended")]

    def tick(self, now: Instant) -> list[ShowEvent]:
        """Phase changes (entering warning, danger, overtime) since the last tick."""
        p = phase(self.state, self.show, now.mono)
        if p == self._last_phase:
            return []
        previous, self._last_phase = self._last_phase, p
        if p in (Phase.NONE, Phase.DEFAULT):
            return []
        sev = Severity.WARNING if p == Phase.OVERTIME else Severity.INFO
        return [cue_event("cue.phase", f"{self.segment.title}: {p.value}", {
            "phase": p.value, "segment": self.segment.id, "title": self.segment.title, "at_wall": now.wall,
            "remaining": round(self.view(now).remaining, 3)}, sev)]

    # helpers
    def _apply(self, state: CueState) -> None:
        if state.segment_started != self.state.segment_started:
            self._last_phase = None  # a newly loaded segment reports its phase afresh
        self.state = state

    def _index_of(self, target: str | int) -> int:
        if isinstance(target, int) and not isinstance(target, bool):
            return target
        try:
            return self.show.segment_index(str(target))
        except KeyError:
            raise refusal(CueError, "unknown_segment", id=str(target)) from None

    def _change(self, kind: str, was: CueState, now: Instant, message: str = "", extra: dict | None = None) -> ShowEvent:
        show, st = self.show, self.state
        payload: dict[str, Any] = {"at_wall": now.wall, "playback": st.playback.value}
        if was.playback in (Playback.RUNNING, Playback.HOLD) and (was.index != st.index or st.segment_started != was.segment_started):
            left = show.segments[was.index]
            payload["from"] = {
                "segment": left.id,
                "title": left.title,
                "planned_duration": left.duration,
                "added": was.added,
                "actual_duration": round(segment_elapsed(was, now.mono), 3),
            }
            payload["from"]["diff"] = round(payload["from"]["actual_duration"] - left.duration, 3)
        seg = show.segments[st.index]
        if st.playback != Playback.ENDED:
            payload["to"] = {
                "segment": seg.id,
                "title": seg.title,
                "planned_start": show.planned_offset(st.index),
                "actual_start": round(now.mono - st.show_started, 3) if st.show_started is not None else None,
            }
        payload["over_under"] = round(over_under(st, show, now.mono), 3)
        if extra:
            payload.update(extra)
        payload["state"] = st.snapshot(show, now.mono, now.wall)
        if not message:
            message = f"{seg.title}" if st.playback != Playback.ENDED else "show ended"
            if "from" in payload:
                f = payload["from"]
                diff = f["actual_duration"] - f["planned_duration"]
                message = f"{show.segments[was.index].title} → {seg.title} ({'+' if diff >= 0 else '-'}{format_clock(abs(diff))} vs plan)"
        return cue_event(kind, message, payload)


def resume_from_events(show: Show, events: Iterable[Any], now_wall: float, now_mono: float) -> CueState:
    """The cue state after the last recorded change, on the current monotonic clock.

    ``events`` are the show's events oldest first: :class:`ShowEvent`, ``{kind,
    payload}`` dicts or stored log events. The segment timer continues from where it
    would be now had the console never stopped (wall time elapsed since the snapshot
    counts as running time unless the show was on hold).
    """
    snap = None
    for kind, payload, _wall in iter_parts(events):
        if kind.startswith("cue.") and isinstance(payload.get("state"), dict):
            snap = payload["state"]
    if snap is None:
        return CueState()
    try:
        return CueState.from_snapshot(snap, show, now_mono, now_wall)
    except (TypeError, ValueError, KeyError, IndexError):
        return CueState()
