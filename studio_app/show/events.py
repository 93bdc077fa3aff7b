"""What the show logic reports: plain event records the desk writes to the event log.

A :class:`ShowEvent` maps one-to-one onto ``EventLog.log(source, kind, message,
severity, payload, show_id)``; ``payload`` is JSON-able and carries ``at_wall`` (UTC
seconds) so that the log alone is enough to rebuild the live state after a crash.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from studio_app.core.events import EventSink, Severity, Source


@dataclass(frozen=True, slots=True)
class ShowEvent:
    source: str  # studio_app.core.events.Source value: "cue", "show", "desk"
    kind: str  # dotted: "cue.go", "card.explain", "coupon.drop", ...
    message: str
    severity: int = Severity.INFO
    payload: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "message": self.message,
                "severity": int(self.severity), "payload": dict(self.payload)}

    def write_to(self, sink: EventSink, show_id: str | None) -> None:
        sink.log(self.source, self.kind, self.message, self.severity, dict(self.payload), show_id)


def refusal(error: type[Exception], code: str, **fields: Any) -> Exception:
    """An engine error whose reason readers render in their own language: ``code`` names a
    template in :data:`studio_app.core.event_kinds.REASONS`, ``fields`` (JSON-able) fill it.
    Its message is the English reason."""
    from studio_app.core.event_text import EventText

    message = EventText("en").reason(code, fields)
    if message is None:
        raise KeyError(f"no refusal reason {code!r} for fields {sorted(fields)} in studio_app/core/event_kinds.py")
    exc = error(message)
    exc.reason_code, exc.reason_fields = code, fields  # type: ignore[attr-defined]
    return exc


def cue_event(kind: str, message: str, payload: Mapping[str, Any], severity: int = Severity.INFO) -> ShowEvent:
    return ShowEvent(Source.CUE.value, kind, message, severity, payload)


def show_event(kind: str, message: str, payload: Mapping[str, Any], severity: int = Severity.INFO) -> ShowEvent:
    return ShowEvent(Source.SHOW.value, kind, message, severity, payload)


def event_parts(e: Any) -> tuple[str, Mapping[str, Any], float | None]:
    """(kind, payload, wall_time) of a ShowEvent, a ``{kind, payload}`` dict or a stored
    :class:`studio_app.core.events.Event`."""
    if isinstance(e, Mapping):
        kind = e.get("kind", "")
        payload = e.get("payload") or {}
        wall = e.get("wall_time")
    else:
        kind = getattr(e, "kind", "")
        payload = getattr(e, "payload", None) or {}
        wall = getattr(e, "wall_time", None)
    # the show's own clock reading wins over the log's receipt time
    if isinstance(payload, Mapping) and isinstance(payload.get("at_wall"), (int, float)):
        wall = payload["at_wall"]
    return str(kind), payload if isinstance(payload, Mapping) else {}, wall


def iter_parts(events: Iterable[Any]):
    for e in events:
        yield event_parts(e)
