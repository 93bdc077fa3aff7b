"""One supervisor shape for every device worker (OBS link, mic worker, camera feed).

Each worker owns a :class:`Supervisor` and reports through it, so every device speaks the
same way:

- **Status**: one typed vocabulary, :class:`DeviceState`, carried in a frozen
  :class:`DeviceStatus` (device, state, detail, since, attempt, next retry). The worker's
  ``on_status(status)`` callback gets a new value whenever the state, the detail or the
  attempt count changes; ``worker.status`` reads the latest from any thread.
- **Events**: ``on_event(kind, message, severity, payload)`` (severity: :mod:`logging`
  levels). Whenever a device's *link* state changes the supervisor emits exactly one event
  of kind ``device.<state>`` (``device.connecting``, ``device.ok``, ``device.test_signal``,
  ``device.lost``, ``device.stalled``, ``device.frozen``, ``device.unreachable``,
  ``device.auth_failed``, ``device.unsupported``, ``device.stopped``); the event log's
  ``source`` column says which device, and the payload always has ``device``, ``state``,
  ``previous``, ``attempt`` and, on the way back to a working state, ``outage_s``. The
  *signal* states (``dead_air``, ``black``, ``picture_frozen``, ``degraded``) describe what
  a working device carries, not its link: they change the status but emit no
  ``device.*`` event; their detectors log their own, richer events (``dead_air_start``,
  ``picture_black``, stream health...). Device-specific events (``scene_changed``,
  ``clipping``, ``device_changed``...) keep plain names without the ``device.`` prefix.
- **Retry**: one :class:`RetryPolicy` (initial delay, factor, cap, optional jitter). Every
  failed attempt (a fault state reported) counts one attempt and schedules the next one
  at ``status.next_retry``; any working state resets the backoff.
- **Stop**: ``worker.stop(timeout) -> bool``, bounded: it reports ``stopped`` (one last
  status and ``device.stopped`` event, on the caller's thread), detaches the callbacks so
  none runs after ``stop()`` returns, asks the worker threads to end and joins them for at
  most ``timeout`` seconds in total. True when they all ended.

Callbacks run on the worker's threads (``stop``'s last report on the caller's) and must not
block; a listener that raises is logged and ignored. No Qt, nothing of the application.
"""
from __future__ import annotations

import enum
import logging
import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

log = logging.getLogger(__name__)

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR


class Level(str, enum.Enum):
    """How a desk should colour a state."""

    IDLE = "idle"  # not started / starting
    OK = "ok"
    TEST = "test"  # running on a built-in test source, not the studio's device
    WARNING = "warning"
    ERROR = "error"


class DeviceState(str, enum.Enum):
    """What a device is doing, the same words for OBS, the microphone and the camera."""

    # lifecycle
    STOPPED = "stopped"  # the worker is not running
    CONNECTING = "connecting"  # opening / connecting (first time, after new settings, right after a loss)
    # link working
    OK = "ok"  # the studio's device works and delivers
    TEST_SIGNAL = "test_signal"  # a built-in test source stands in (mic TEST SIGNAL, camera TEST PATTERN)
    # link working, but what it carries is wrong (signal states: status only, no device.* event)
    DEGRADED = "degraded"  # works with a warning the detail names (stream dropping frames, picture exposure...)
    DEAD_AIR = "dead_air"  # mic: silence while the show is live
    BLACK = "black"  # camera: the picture is black
    PICTURE_FROZEN = "picture_frozen"  # camera: every frame identical (a hung encoder or capture card)
    # link faults, retried by the supervisor with backoff
    LOST = "lost"  # the device went away or cannot be opened (camera NO SIGNAL, mic gone)
    STALLED = "stalled"  # open, but no data arrives (audio server frozen, camera reads hang)
    FROZEN = "frozen"  # OBS accepts connections but does not answer
    UNREACHABLE = "unreachable"  # nothing answers at the address (OBS not running, wrong port)
    # link faults that need a person: not retried until the settings change
    AUTH_FAILED = "auth_failed"  # wrong or missing password
    UNSUPPORTED = "unsupported"  # the other side is too old (OBS < 28 / obs-websocket < 5)

    @property
    def working(self) -> bool:
        """The link works (whatever it carries)."""
        return self in _WORKING

    @property
    def signal(self) -> bool:
        """A state about what a working link carries, not about the link."""
        return self in _SIGNAL

    @property
    def fault(self) -> bool:
        """The link is broken (retried or not)."""
        return self in _RETRIED or self in _BLOCKED

    @property
    def retried(self) -> bool:
        """The supervisor tries again by itself."""
        return self in _RETRIED

    @property
    def level(self) -> Level:
        return _LEVEL[self]

    def __str__(self) -> str:  # f"{state}" gives the word, as the event log and the desk show it
        return self.value


_SIGNAL = frozenset({DeviceState.DEGRADED, DeviceState.DEAD_AIR, DeviceState.BLACK, DeviceState.PICTURE_FROZEN})
_WORKING = frozenset({DeviceState.OK, DeviceState.TEST_SIGNAL}) | _SIGNAL
_RETRIED = frozenset({DeviceState.LOST, DeviceState.STALLED, DeviceState.FROZEN, DeviceState.UNREACHABLE})
_BLOCKED = frozenset({DeviceState.AUTH_FAILED, DeviceState.UNSUPPORTED})
_LEVEL = {
    DeviceState.STOPPED: Level.IDLE, DeviceState.CONNECTING: Level.IDLE,
    DeviceState.OK: Level.OK, DeviceState.TEST_SIGNAL: Level.TEST, DeviceState.DEGRADED: Level.WARNING,
    **{s: Level.ERROR for s in _SIGNAL - {DeviceState.DEGRADED} | _RETRIED | _BLOCKED},
}


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """One device's status at one moment. Safe to keep and pass between threads."""

    device: str  # "obs", "mic", "camera" (or another watched part: "database")
    state: DeviceState
    detail: str = ""  # one human sentence (never a secret)
    since: float = 0.0  # supervisor clock (monotonic s) when ``state`` began
    attempt: int = 0  # failed attempts in the current outage (0 while working)
    next_retry: float | None = None  # supervisor clock of the next attempt; None: none scheduled
    source: str = ""  # what is watched: "127.0.0.1:4455", "pulse", "udp://10.0.0.5:5000"...

    def __post_init__(self) -> None:
        if not isinstance(self.state, DeviceState):  # a plain word is checked once, here
            object.__setattr__(self, "state", DeviceState(self.state))

    @property
    def level(self) -> Level:
        return self.state.level

    def same(self, other: "DeviceStatus | None") -> bool:
        """Nothing a reader shows changed (state, detail, attempt, source)."""
        return other is not None and (self.device, self.state, self.detail, self.attempt, self.source) == (
            other.device, other.state, other.detail, other.attempt, other.source)


StatusCallback = Callable[[DeviceStatus], None]
EventCallback = Callable[[str, str, int, Mapping[str, Any]], None]  # (kind, message, severity, payload)


def event_kind(state: DeviceState) -> str:
    """The event kind a link-state change is logged under: ``device.<state>``."""
    return f"device.{state.value}"


@dataclass(frozen=True)
class RetryPolicy:
    """Delay before attempt n (1-based) = ``min(maximum, initial * factor**(n-1))``, then
    spread by +- ``jitter`` (a fraction; 0 = exact, so tests and desks agree)."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 2.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if not (self.initial >= 0 and self.factor >= 1 and self.maximum >= self.initial and 0 <= self.jitter < 1):
            raise ValueError(f"retry policy needs 0 <= initial <= maximum, factor >= 1, 0 <= jitter < 1: {self}")

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait after the ``attempt``-th failure in a row (1, 2, ...)."""
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt - 1))
        if self.jitter:
            base *= 1 + self.jitter * (2 * rand() - 1)
        return max(0.0, base)


class Supervisor:
    """Status, events, retry schedule, threads and the stop contract of one device worker.

    Thread-safe. ``report`` may be called from any of the worker's threads.
    """

    def __init__(
        self,
        device: str,
        *,
        on_status: StatusCallback | None = None,
        on_event: EventCallback | None = None,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        source: str = "",
    ) -> None:
        self.device = device
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self._rand = rand
        self._lock = threading.Lock()  # guards the status fields
        self._calls = threading.RLock()  # held while a callback runs; stop() takes it, so none runs after
        self._on_status = on_status
        self._on_event = on_event
        self._attached = True
        self._status = DeviceStatus(device, DeviceState.STOPPED, since=clock(), source=source)
        self._link = DeviceState.STOPPED  # the last link state, for device.* events
        self._outage_since: float | None = None
        self.stopping = threading.Event()  # set by stop(); worker loops end when they see it
        self._threads: list[threading.Thread] = []

    # ------------------------------------------------------------------ reading
    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def state(self) -> DeviceState:
        return self._status.state

    @property
    def in_outage(self) -> bool:
        """A link fault was reported and no working state since."""
        return self._outage_since is not None

    def retry_due(self, now: float | None = None) -> bool:
        nxt = self._status.next_retry
        return nxt is not None and (self.clock() if now is None else now) >= nxt

    def retry_wait(self, now: float | None = None) -> float | None:
        """Seconds until the next scheduled attempt (0 when due), None when none is scheduled."""
        nxt = self._status.next_retry
        return None if nxt is None else max(0.0, nxt - (self.clock() if now is None else now))

    # ------------------------------------------------------------------ callbacks
    @property
    def listeners(self) -> tuple[StatusCallback | None, EventCallback | None]:
        return self._on_status, self._on_event

    def attach(self, on_status: StatusCallback | None = None, on_event: EventCallback | None = None) -> None:
        """Replace the listeners (``None`` removes one)."""
        with self._calls:
            self._on_status, self._on_event = on_status, on_event

    def detach(self, timeout: float = 1.0) -> bool:
        """No callback runs after this returns (waits at most ``timeout`` for one in flight)."""
        got = self._calls.acquire(timeout=max(0.0, timeout))
        try:
            self._attached = False
            self._on_status = self._on_event = None
        finally:
            if got:
                self._calls.release()
        return got

    def _call(self, which: str, *args: Any) -> None:
        with self._calls:
            fn = self._on_status if which == "status" else self._on_event
            if fn is None or not self._attached:
                return
            try:
                fn(*args)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop the supervision
                log.exception("%s %s listener failed", self.device, which)

    def emit(self, kind: str, message: str, severity: int = INFO, payload: Mapping[str, Any] | None = None) -> None:
        """A device event; ``device`` is added to the payload."""
        self._call("event", kind, message, severity, {"device": self.device, **(payload or {})})

    # ------------------------------------------------------------------ reporting
    def report(self, state: DeviceState, detail: str = "", *, source: str | None = None,
               severity: int | None = None, payload: Mapping[str, Any] | None = None,
               message: str | None = None) -> DeviceStatus:
        """The device is in ``state`` now. A retried fault counts one failed attempt and
        schedules the next (``status.next_retry``); a fault that needs a person schedules
        none; a working state ends the outage and resets the backoff. Publishes the status
        when anything a reader shows changed, and a ``device.<state>`` event when the link
        state changed (``severity``/``message``/``payload`` refine that event)."""
        with self._calls:  # one report at a time, so listeners never see an older status last
            return self._report(state, detail, source, severity, payload, message)

    def _report(self, state: DeviceState, detail: str, source: str | None, severity: int | None,
                payload: Mapping[str, Any] | None, message: str | None) -> DeviceStatus:
        now = self.clock()
        with self._lock:
            old = self._status
            if self.stopping.is_set() and state is not DeviceState.STOPPED:
                return old  # a worker thread still winding down: the device reads "stopped"
            attempt, next_retry, outage_s = old.attempt, old.next_retry, None
            if state.retried:
                attempt += 1
                next_retry = now + self.retry.delay(attempt, self._rand)
                if self._outage_since is None:
                    self._outage_since = now
            elif state.fault:
                attempt, next_retry = attempt + 1, None
                if self._outage_since is None:
                    self._outage_since = now
            elif state.working:
                attempt, next_retry = 0, None
                if self._outage_since is not None:
                    outage_s, self._outage_since = now - self._outage_since, None
            else:  # connecting / stopped: keeps the outage open; the caller decides when to try
                next_retry = now if state is DeviceState.CONNECTING else None
            new = DeviceStatus(self.device, state, detail, old.since if state is old.state else now, attempt,
                               next_retry, old.source if source is None else source)
            self._status = new
            link = DeviceState.OK if state.signal else state
            link_changed, previous = link is not self._link, self._link
            self._link = link
        if not new.same(old):
            self._call("status", new)
        if link_changed:
            data: dict[str, Any] = {"state": link.value, "previous": previous.value, "attempt": attempt}
            if outage_s is not None:
                data["outage_s"] = round(outage_s, 3)
            if new.source:
                data["source"] = new.source
            data.update(payload or {})
            self.emit(event_kind(link), message or _message(self.device, link, detail, outage_s),
                      _severity(link) if severity is None else severity, data)
        return new

    def retry_soon(self) -> None:
        """Make the next attempt due now (a "Retry" button, new settings)."""
        with self._lock:
            self._status = replace(self._status, next_retry=self.clock())

    # ------------------------------------------------------------------ threads and stop
    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def start(self, threads: Iterable[tuple[str, Callable[[], None]]]) -> bool:
        """Start the worker's threads (name, target); False when they already run."""
        if self._threads and self.running:
            return False
        self.stopping.clear()
        self._attached = True
        self._threads = [threading.Thread(target=target, name=name, daemon=True) for name, target in threads]
        for t in self._threads:
            t.start()
        return True

    def stop(self, timeout: float, wake: Callable[[], None] | None = None) -> bool:
        """The stop contract (see the module docstring). ``wake`` unblocks the worker's
        threads (close a socket, post to an inbox); it runs before the join."""
        deadline = time.monotonic() + max(0.0, timeout)
        self.stopping.set()
        if wake is not None:
            try:
                wake()
            except Exception:  # noqa: BLE001 - stopping must not fail on a device that is already gone
                log.debug("%s wake-up on stop failed", self.device, exc_info=True)
        # The last report and the detach wait at most the timeout for a callback in flight.
        got = self._calls.acquire(timeout=max(0.0, deadline - time.monotonic()))
        try:
            if got and self._status.state is not DeviceState.STOPPED:
                self._report(DeviceState.STOPPED, "stopped", None, None, None, None)
            elif not got:  # a listener is stuck: nobody is told, but the status reads stopped
                with self._lock:
                    self._status = replace(self._status, state=DeviceState.STOPPED, detail="stopped",
                                           since=self.clock(), next_retry=None)
            self._attached = False
            self._on_status = self._on_event = None
        finally:
            if got:
                self._calls.release()
        ended = True
        for t in self._threads:
            if t is threading.current_thread():
                continue  # stop() called from a callback on the worker's own thread
            t.join(max(0.0, deadline - time.monotonic()))
            ended = ended and not t.is_alive()
        return ended

    def final(self) -> None:
        """Call at the very end of a worker thread: the status reads ``stopped`` afterwards."""
        if self._status.state is not DeviceState.STOPPED:
            self.report(DeviceState.STOPPED, "stopped")


class Supervised:
    """What every device worker offers its listeners; the worker sets ``self._sup``."""

    _sup: Supervisor

    @property
    def status(self) -> DeviceStatus:
        """The latest status (safe from any thread)."""
        return self._sup.status

    def attach(self, on_status: StatusCallback | None = None, on_event: EventCallback | None = None) -> None:
        """Replace the listeners (``None`` removes one)."""
        self._sup.attach(on_status, on_event)


def _severity(state: DeviceState) -> int:
    if state.fault:
        return ERROR if state in (DeviceState.AUTH_FAILED, DeviceState.UNSUPPORTED, DeviceState.FROZEN,
                                  DeviceState.LOST, DeviceState.STALLED) else WARNING
    if state is DeviceState.CONNECTING:
        return logging.DEBUG
    if state is DeviceState.TEST_SIGNAL:
        return WARNING  # the studio's own device is not in use
    return INFO


_NAMES = {"obs": "OBS", "mic": "microphone", "camera": "camera"}


def _message(device: str, state: DeviceState, detail: str, outage_s: float | None) -> str:
    name = _NAMES.get(device, device)
    words = {
        DeviceState.STOPPED: "stopped", DeviceState.CONNECTING: "connecting", DeviceState.OK: "working",
        DeviceState.TEST_SIGNAL: "on the built-in test source", DeviceState.LOST: "lost",
        DeviceState.STALLED: "stalled (no data)", DeviceState.FROZEN: "not responding",
        DeviceState.UNREACHABLE: "unreachable", DeviceState.AUTH_FAILED: "refused the password",
        DeviceState.UNSUPPORTED: "not supported",
    }[state]
    text = f"{name} {words}"
    if outage_s is not None:
        text += f" again after {outage_s:.1f} s"
    return f"{text}: {detail}" if detail else text
