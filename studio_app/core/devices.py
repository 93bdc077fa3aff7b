"""Device state as the desk sees it: the latest :class:`DeviceStatus` per device, on a board.

The status vocabulary is the device layer's (:mod:`hardware.supervisor`): one typed
:class:`DeviceState` for OBS, the microphone, the camera and any other watched part (the
event log reports ``database``). Workers on any thread call :meth:`DeviceBoard.report`
(a worker's ``on_status`` can be ``board.report`` itself); listeners are told on that
same thread, only when the state or the detail changed, and must hand the news over to
their own thread (the UI uses a queued signal).
"""
from __future__ import annotations

import threading
from typing import Callable

from hardware.supervisor import DeviceState, DeviceStatus, Level

__all__ = ["DeviceBoard", "DeviceState", "DeviceStatus", "Level", "Listener"]

Listener = Callable[[DeviceStatus], None]


class DeviceBoard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: dict[str, DeviceStatus] = {}
        self._listeners: list[Listener] = []

    def report(self, status: DeviceStatus) -> None:
        with self._lock:
            old = self._status.get(status.device)
            self._status[status.device] = status  # always the newest (attempt, next retry)
            if old is not None and (old.state, old.detail) == (status.state, status.detail):
                return
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
