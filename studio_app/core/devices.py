"""Device state as the desk sees it: one :class:`DeviceStatus` per device, kept on a board.

Workers on any thread call :meth:`DeviceBoard.report`; listeners are told on that same
thread and must hand the news over to their own thread (the UI uses a queued signal).
"""
from __future__ import annotations

import enum
import threading
import time
from dataclasses import dataclass, field
from typing import Callable


class Level(str, enum.Enum):
    """How the desk should colour a device: the state word itself is free text."""

    IDLE = "idle"  # not configured / not started
    OK = "ok"
    TEST = "test"  # running on a built-in test source, not the studio's device
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class DeviceStatus:
    device: str  # "camera", "mic", "obs", "database", ...
    state: str  # short machine word: "connected", "lost", "stalled", "dead_air", ...
    level: Level
    detail: str = ""  # human sentence for the tooltip / banner (never a secret)
    since: float = field(default_factory=time.monotonic)


Listener = Callable[[DeviceStatus], None]


class DeviceBoard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[str, DeviceStatus] = {}
        self._listeners: list[Listener] = []

    def report(self, status: DeviceStatus) -> None:
        with self._lock:
            old = self._status.get(status.device)
            if old is not None and (old.state, old.level, old.detail) == (status.state, status.level, status.detail):
                return
            self._status[status.device] = status
            listeners = list(self._listeners)
        for listener in listeners:
            listener(status)

    def get(self, device: str) -> DeviceStatus | None:
        with self._lock:
            return self._status.get(device)

    def snapshot(self) -> dict[str, DeviceStatus]:
        with self._lock:
            return dict(self._status)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe
