"""Clocks for the show logic. Everything reads time through an :class:`Instant` passed
in by the caller, so tests and benchmarks drive time by hand."""
from __future__ import annotations

import time
from typing import NamedTuple, Protocol


class Instant(NamedTuple):
    """One reading of both clocks: ``mono`` (monotonic seconds, for all timing) and
    ``wall`` (UTC seconds since the epoch, written to the log for crash recovery)."""

    mono: float
    wall: float


class ShowClock(Protocol):
    def now(self) -> Instant: ...


class SystemClock:
    """The real clocks (any thread)."""

    def now(self) -> Instant:
        return Instant(time.monotonic(), time.time())


class ManualClock:
    """A clock that moves only when told to (tests, benchmarks, replays)."""

    def __init__(self, mono: float = 1000.0, wall: float = 1_790_000_000.0) -> None:
        self.mono = mono
        self.wall = wall

    def now(self) -> Instant:
        return Instant(self.mono, self.wall)

    def advance(self, seconds: float) -> Instant:
        self.mono += seconds
        self.wall += seconds
        return self.now()
