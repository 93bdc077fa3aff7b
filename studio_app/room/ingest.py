"""One door for room data: parse, pass the gate, count, log refusals, hand on what was accepted.

The live endpoint, a file import and a replay all go through :class:`RoomIngest`, so a message
refused by one is refused by all for the same reason. Thread-safe (one lock around the gate:
it is arithmetic only); ``on_accept`` listeners run on the caller's thread and must not block
(the recorder and the dock queue what they get).

Refusals are counted per reason (``malformed``, ``wrong_type``, ``unknown_type``,
``duplicate``, ``out_of_order``, ``counter_reset``) and logged as source ``room``, kind
``room.rejected``: the first of each reason and of each later episode (after :data:`QUIET_S`
without one: a second flood an hour on is logged too), then one line per :data:`LOG_EVERY`
with the count, so a flood of bad input cannot flood the log.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from studio_app.room.gate import DEDUP_SPAN_S, Refusal, RoomGate
from studio_app.room.messages import LineError, RoomMessage, parse_text

LOG_EVERY = 1000
QUIET_S = 10.0  # a refusal after this long without one of its reason starts a new episode
SOURCE = "room"


@dataclass
class IngestResult:
    accepted: int = 0
    refused: list[LineError] = field(default_factory=list)
    ignored_fields: Counter = field(default_factory=Counter)  # unknown field name -> messages

    def to_json(self, limit: int = 20) -> dict[str, Any]:
        return {"accepted": self.accepted, "refused": len(self.refused),
                "errors": [{"where": e.where, "reason": e.reason, "message": e.message} for e in self.refused[:limit]],
                "ignored_fields": dict(self.ignored_fields)}


class RoomIngest:
    def __init__(self, show_id: str | None = None, *, log: Any = None,
                 on_accept: Iterable[Callable[[RoomMessage], None]] = (),
                 dedup_span_s: float | None = DEDUP_SPAN_S) -> None:
        self.show_id = show_id
        self.gate = RoomGate(dedup_span_s)  # None: a file import that primes a whole show first
        self._log = log
        self._listeners = list(on_accept)
        self._lock = threading.RLock()
        self.refused: Counter[str] = Counter()
        self._last_refused: dict[str, float] = {}  # reason -> monotonic time of its last refusal
        self.last_accepted_ts: float | None = None  # the newest message time (UTC s)

    def listen(self, callback: Callable[[RoomMessage], None]) -> None:
        self._listeners.append(callback)

    def prime(self, messages: Iterable[RoomMessage]) -> int:
        """Messages already stored for the show: the gate learns them (so a re-import is all
        duplicates) without handing them on. Returns how many."""
        n = 0
        with self._lock:
            for msg in messages:
                if not isinstance(self.gate.admit(msg), Refusal):
                    n += 1
        return n

    def submit_text(self, text: str, via: str = "") -> IngestResult:
        good, bad = parse_text(text)
        result = self.submit(good, via)
        for err in bad:
            self.refuse(err, via)
        result.refused[:0] = bad
        return result

    def submit(self, messages: Iterable[RoomMessage], via: str = "", where: Callable[[int], str] | None = None
               ) -> IngestResult:
        result = IngestResult()
        accepted: list[RoomMessage] = []
        with self._lock:
            for i, msg in enumerate(messages, start=1):
                out = self.gate.admit(msg)
                if isinstance(out, Refusal):
                    err = LineError(where(i) if where else f"message {i}", out.message, out.reason)
                    result.refused.append(err)
                    self.refuse(err, via)
                    continue
                accepted.append(out)
                for name in msg.ignored:
                    result.ignored_fields[name] += 1
                if self.last_accepted_ts is None or out.ts > self.last_accepted_ts:
                    self.last_accepted_ts = out.ts
        result.accepted = len(accepted)
        for msg in accepted:  # outside the lock: a listener may take its own
            for listener in self._listeners:
                listener(msg)
        return result

    def refuse(self, err: LineError, via: str) -> None:
        """Count and (the first of an episode, then every LOG_EVERY-th of its reason) log a refusal."""
        now = time.monotonic()
        with self._lock:
            self.refused[err.reason] += 1
            n = self.refused[err.reason]
            last = self._last_refused.get(err.reason)
            self._last_refused[err.reason] = now
        new_episode = last is None or now - last >= QUIET_S
        if self._log is None or not (new_episode or n % LOG_EVERY == 0):
            return
        from studio_app.core.events import Severity

        source = f" from {via}" if via else ""
        self._log.log(SOURCE, "room.rejected", f"room data refused{source} ({err.reason}, {n} so far): {err}",
                      Severity.WARNING, {"reason": err.reason, "count": n, "where": err.where, "via": via,
                                         "detail": err.message[:300]}, self.show_id)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {"accepted": self.gate.accepted, **{k: int(v) for k, v in sorted(self.refused.items())}}
