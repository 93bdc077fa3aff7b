"""The event vocabulary shared by every part of the console.

An :class:`Event` is what the log stores: who reported it (``source``), what happened
(``kind``), how serious it is, a human message and a JSON-able payload. Events are
created on any thread; they are immutable and cheap (a slotted dataclass).
"""
from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol


class Source(str, enum.Enum):
    DESK = "desk"
    CAMERA = "camera"
    MIC = "mic"
    OBS = "obs"
    SELFTEST = "selftest"
    SYSTEM = "system"
    SHOW = "show"
    CUE = "cue"
    EMERGENCY = "emergency"
    ROOM = "room"  # the live room's data and alerts


class Severity(enum.IntEnum):
    """Ordered so that filters can say "warning and worse"."""

    DEBUG = 10
    INFO = 20
    WARNING = 30
    ERROR = 40
    CRITICAL = 50

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (one of: {names})") from None


@dataclass(frozen=True, slots=True)
class Event:
    source: str
    kind: str
    message: str = ""
    severity: int = Severity.INFO
    payload: Mapping[str, Any] | None = None
    show_id: str | None = None
    wall_time: float = field(default_factory=time.time)  # UTC seconds since the epoch
    mono_time: float = field(default_factory=time.monotonic)
    seq: int = 0  # assigned by the log when accepted; 0 until then

    @property
    def severity_name(self) -> str:
        try:
            return Severity(self.severity).name.lower()
        except ValueError:
            return str(self.severity)


class EventSink(Protocol):
    """Anything events can be reported to. Implementations must never block the caller."""

    def log(
        self,
        source: str,
        kind: str,
        message: str = "",
        severity: int = Severity.INFO,
        payload: Mapping[str, Any] | None = None,
        show_id: str | None = None,
    ) -> None: ...


class NullSink:
    """An EventSink that drops everything (for command-line tools that need no log)."""

    def log(self, source, kind, message="", severity=Severity.INFO, payload=None, show_id=None) -> None:
        return None


class MemorySink:
    """An EventSink that keeps events in a list (tests and command-line tools)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def log(self, source, kind, message="", severity=Severity.INFO, payload=None, show_id=None) -> None:
        source = source.value if isinstance(source, enum.Enum) else str(source)
        self.events.append(Event(source, kind, message, int(severity), payload, show_id))

    def kinds(self, source: str | None = None) -> list[str]:
        return [e.kind for e in self.events if source is None or e.source == source]
