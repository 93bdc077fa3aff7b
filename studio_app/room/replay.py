"""Reading recordings and playing them back in real time with a speed factor.

A replay shifts the recording so that its first message is "now" (message times keep their
spacing, so the rules' 5-minute windows mean 5 minutes of the show) and delivers each message
when the wall clock reaches ``start + (ts - first) / speed``. The clock and the sleep are
injected, so tests run it on a hand-driven clock; :meth:`Replay.run` stops at once when
:meth:`Replay.stop` is called from another thread. Everything a replay produces is labelled
回放/REPLAY by whoever shows it (:attr:`Replay.label`).
"""
from __future__ import annotations

import gzip
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from studio_app.room.messages import LineError, RoomMessage, parse_text

SAMPLE_RECORDING = Path(__file__).resolve().parents[2] / "resources" / "room" / "sample_recording.ndjson.gz"
LABEL = "回放 REPLAY"


def read_recording(path: str | Path) -> tuple[list[RoomMessage], list[LineError]]:
    """An NDJSON recording (``.gz`` too); raises OSError/UnicodeDecodeError/EOFError to the caller."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return parse_text(data.decode("utf-8-sig"))


class Replay:
    label = LABEL

    def __init__(self, messages: Sequence[RoomMessage], deliver: Callable[[RoomMessage], None], *,
                 speed: float = 1.0, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] | None = None, restamp: bool = True) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be above 0, got {speed}")
        self.messages = sorted(messages, key=lambda m: m.ts)
        self.deliver = deliver
        self.speed = speed
        self.clock = clock
        self.restamp = restamp
        self._stop = threading.Event()
        self._sleep = sleep or self._stop.wait
        self.delivered = 0

    @property
    def duration_s(self) -> float:
        """Wall seconds the whole replay takes."""
        if not self.messages:
            return 0.0
        return (self.messages[-1].ts - self.messages[0].ts) / self.speed

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> int:
        """Deliver every message on time (blocks); returns how many were delivered."""
        if not self.messages:
            return 0
        first = self.messages[0].ts
        start = self.clock()
        shift = start - first if self.restamp else 0.0
        for msg in self.messages:
            due = start + (msg.ts - first) / self.speed
            while not self._stop.is_set():
                wait = due - self.clock()
                if wait <= 0:
                    break
                self._sleep(min(wait, 0.5))
            if self._stop.is_set():
                break
            self.deliver(replace(msg, ts=msg.ts + shift) if shift else msg)
            self.delivered += 1
        return self.delivered
