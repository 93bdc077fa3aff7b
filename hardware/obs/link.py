"""The console's connection to OBS Studio (obs-websocket 5, through obsws-python).

:class:`ObsLink` runs one supervised worker thread that owns the request client, the
event client, a once-a-second liveness probe and the command queue:

- It connects, classifies failures (see :func:`classify`), retries unreachable or frozen
  OBS with the shared :class:`~hardware.supervisor.RetryPolicy`, and does not retry a
  wrong password or an unsupported OBS until :meth:`ObsLink.configure` or
  :meth:`ObsLink.retry_now` is called.
- The probe (``GetStats`` plus stream and record status, short timeout) catches a frozen
  OBS within two seconds; the event thread of obsws-python dies silently when OBS goes
  away, so its ``is_alive()`` is watched five times a second. After any timeout or loss the
  clients are thrown away and new ones are made (obsws-python cannot recover a client).
- After every (re)connect the whole state is rebuilt and published as an immutable
  :class:`~hardware.obs.state.ObsState` through ``on_state``.
- Commands never block the caller: each returns a :class:`concurrent.futures.Future`
  (``result(timeout)`` or ``add_done_callback``). When OBS is not connected they fail at
  once with :class:`ObsUnavailable` instead of waiting (a "start stream" must never fire
  minutes later when OBS comes back).

Status, events and stop follow :mod:`hardware.supervisor` (device ``obs``): ``on_status``
gets a :class:`~hardware.supervisor.DeviceStatus` (``degraded`` while connected with stream
trouble), ``on_event`` the ``device.*`` link events plus OBS's own (``scene_changed``,
``stream_started``...). ``on_state(state)`` additionally gets every full
:class:`ObsState` snapshot. All run on the worker thread; the password is never logged,
put in a state, an event or an exception message.
"""
from __future__ import annotations

import base64
import logging
import queue
import socket
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Callable, Mapping

import obsws_python as obsws
from obsws_python.error import OBSSDKError, OBSSDKRequestError, OBSSDKTimeoutError
from websocket import WebSocketBadStatusException, WebSocketException, WebSocketProtocolException, WebSocketTimeoutException

from hardware.obs.health import HealthLimits, HealthWatch
from hardware.obs.recording import RecordClock
from hardware.obs.state import InputInfo, ObsState, SceneItem
from hardware.said import Said
from hardware.supervisor import DeviceState, EventCallback, RetryPolicy, StatusCallback, Supervised, Supervisor

# obsws-python logs full tracebacks at ERROR for expected failures, and its connect
# message includes the password at INFO: silence it entirely.
logging.getLogger("obsws_python").setLevel(logging.CRITICAL)
log = logging.getLogger(__name__)

TEXT_KINDS = frozenset({"text_ft2_source", "text_gdiplus"})
HIGH_VOLUME_METERS = 1 << 16  # obs-websocket InputVolumeMeters subscription bit
StateCallback = Callable[[ObsState], None]
MetersCallback = Callable[[Mapping[str, float]], None]


class ObsCommandError(Exception):
    """A command OBS refused or that makes no sense (one line, safe to show)."""


class ObsUnavailable(ObsCommandError):
    """OBS is not connected (or stopped answering while the command ran)."""


@dataclass(frozen=True)
class ObsTiming:
    """Seconds. The probe interval plus its timeout bounds how fast a frozen OBS is noticed.
    Reconnect delays are the link's :class:`~hardware.supervisor.RetryPolicy`."""

    connect_timeout: float = 2.0
    probe_interval: float = 1.0
    probe_timeout: float = 0.8
    request_timeout: float = 1.5  # ordinary commands: OBS answers in milliseconds, so longer = frozen
    slow_timeout: float = 4.0  # screenshots and the full state rebuild after a connect
    watch_interval: float = 0.2  # how often the event thread's liveness is checked


@dataclass(frozen=True)
class _Failure:
    status: DeviceState
    detail: str


class _ConnectionLost(Exception):
    def __init__(self, status: DeviceState, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def classify(exc: BaseException, where: str) -> _Failure:
    """Turn an obsws-python / socket failure into a status and a one-line reason.

    ``where`` is "host:port". Never includes the password (obsws-python messages don't).
    """
    text = str(exc)
    if isinstance(exc, OBSSDKTimeoutError | WebSocketTimeoutException | TimeoutError | socket.timeout):
        return _Failure(DeviceState.FROZEN, Said("obs_frozen", where=where))
    if isinstance(exc, OBSSDKError):
        if "no password provided" in text:
            return _Failure(DeviceState.AUTH_FAILED, Said("obs_no_password", where=where))
        if "failed to identify" in text:
            return _Failure(DeviceState.AUTH_FAILED, Said("obs_bad_password", where=where))
        return _Failure(DeviceState.UNREACHABLE, Said("obs_error", where=where, error=text))
    if isinstance(exc, WebSocketBadStatusException | WebSocketProtocolException):
        return _Failure(DeviceState.UNSUPPORTED, Said("obs_not_websocket5", where=where))
    if isinstance(exc, ValueError | KeyError):  # Hello that is not obs-websocket 5 JSON
        return _Failure(DeviceState.UNSUPPORTED, Said("obs_not_protocol5", where=where))
    if isinstance(exc, ConnectionRefusedError):
        return _Failure(DeviceState.UNREACHABLE, Said("obs_refused", where=where))
    if isinstance(exc, socket.gaierror):
        return _Failure(DeviceState.UNREACHABLE, Said("obs_unknown_host", where=where))
    if isinstance(exc, WebSocketException | OSError):
        return _Failure(DeviceState.UNREACHABLE, Said("obs_link_lost", where=where, error=type(exc).__name__))
    return _Failure(DeviceState.UNREACHABLE, Said("obs_error", where=where, error=f"{type(exc).__name__}: {text}"))


def _close_ws(client: Any) -> None:
    """Drop a client's socket at once, without a close handshake (OBS may be frozen)."""
    ws = getattr(getattr(client, "base_client", None), "ws", None)
    if ws is None:
        return
    try:
        ws.abort()  # wakes a thread blocked in recv
    except Exception:  # noqa: BLE001 - best effort
        pass
    try:
        ws.shutdown()
    except Exception:  # noqa: BLE001
        pass


class _Relay:
    """Stands in for obsws-python's Callback: forwards raw events to the worker's inbox."""

    def __init__(self, inbox: queue.Queue, session: int, meters: MetersCallback | None) -> None:
        self.inbox = inbox
        self.session = session
        self.meters = meters

    def trigger(self, event: str, data: dict) -> None:
        if event == "InputVolumeMeters":
            if self.meters is not None:
                try:
                    self.meters(_peaks_db(data))
                except Exception:  # noqa: BLE001 - a broken listener must not kill the event thread
                    log.exception("meters callback failed")
            return
        self.inbox.put(("event", self.session, event, data, time.monotonic()))


def _peaks_db(data: Mapping) -> dict[str, float]:
    import math

    out: dict[str, float] = {}
    for inp in data.get("inputs", ()):
        peaks = [ch[1] for ch in inp.get("inputLevelsMul", ()) if len(ch) > 1]
        p = max(peaks) if peaks else 0.0
        out[inp.get("inputName", "")] = 20 * math.log10(p) if p > 0 else -math.inf
    return out


class _Session:
    """One connected pair of clients. Used only on the worker thread."""

    def __init__(self, host: str, port: int, password: str, timing: ObsTiming, number: int,
                 inbox: queue.Queue, meters: MetersCallback | None) -> None:
        self.number = number
        self.req = None
        self.events = None
        self.req = obsws.ReqClient(host=host, port=port, password=password, timeout=timing.connect_timeout)
        hello = self.req.base_client.server_hello
        if int(hello["d"].get("rpcVersion", 0)) < 1:
            raise ValueError("rpcVersion < 1")
        subs = obsws.Subs.LOW_VOLUME | (HIGH_VOLUME_METERS if meters else 0)
        try:
            self.events = obsws.EventClient(host=host, port=port, password=password, subs=subs,
                                            timeout=timing.connect_timeout)
        except BaseException:
            _close_ws(self.req)  # don't leave the request socket to the garbage collector
            raise
        # Events that arrived before this line are lost, which is fine: the state is read
        # in full right after, so it includes their effect.
        self.events.callback = _Relay(inbox, number, meters)

    def call(self, request: str, data: Mapping | None = None, timeout: float = 3.0) -> dict:
        assert self.req is not None
        self.req.base_client.ws.settimeout(timeout)
        return self.req.send(request, dict(data) if data else None, raw=True) or {}

    def events_alive(self) -> bool:
        return self.events is not None and self.events.worker.is_alive()

    def close(self) -> None:
        _close_ws(self.req)
        _close_ws(self.events)


@dataclass
class _Command:
    name: str
    run: Callable[["_Session"], Any]
    future: Future
    timeout: float


class ObsLink(Supervised):
    """A supervised connection to one OBS. Thread-safe; see the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 4455,
        password: str | Callable[[], str] = "",
        *,
        on_status: StatusCallback | None = None,
        on_event: EventCallback | None = None,
        on_state: StateCallback | None = None,
        on_meters: MetersCallback | None = None,
        timing: ObsTiming | None = None,
        retry: RetryPolicy | None = None,
        limits: HealthLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._host = host
        self._port = int(port)
        self._password = password if callable(password) else (lambda p=password: p)
        self.on_state = on_state
        self._meters = on_meters
        self.timing = timing or ObsTiming()
        self._clock = clock
        self._sup = Supervisor("obs", on_status=on_status, on_event=on_event, retry=retry, clock=clock,
                               source=f"{host}:{self._port}")
        self._health = HealthWatch(limits)
        self._record_clock = RecordClock()  # recording-clock samples for cutting clips
        self._inbox: queue.Queue = queue.Queue()
        self._state = ObsState(host=host, port=self._port)
        self._session: _Session | None = None
        self._started = False
        self._lock = threading.Lock()  # guards settings and the wake-up flags
        self._retry_now = False
        self._next_probe = 0.0
        self.event_lag = 0.0  # seconds from an OBS event's arrival to its state being published

    # ------------------------------------------------------------------ lifecycle
    @property
    def state(self) -> ObsState:
        """The latest snapshot (safe from any thread)."""
        return self._state

    @property
    def on_event(self) -> EventCallback | None:
        """Kept settable (``link.on_event = f``) because callers assigned it before attach() existed."""
        return self._sup.listeners[1]

    @on_event.setter
    def on_event(self, fn: EventCallback | None) -> None:
        self._sup.attach(self._sup.listeners[0], fn)

    def attach(self, on_status: StatusCallback | None = None, on_event: EventCallback | None = None,
               on_state: StateCallback | None = None) -> None:
        """Replace the listeners (``None`` removes one); ``on_state`` gets every ObsState snapshot."""
        self.on_state = on_state
        super().attach(on_status, on_event)

    @property
    def where(self) -> str:
        return f"{self._host}:{self._port}"

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._sup.start([(f"obs-link-{self._port}", self._run)])

    def stop(self, timeout: float = 2.0) -> bool:
        """The stop contract of :mod:`hardware.supervisor`; pending commands fail with
        ObsUnavailable. True when the worker thread ended within ``timeout``."""
        if not self._started:
            return True
        self._started = False

        def wake() -> None:
            self._inbox.put(("wake",))
            session = self._session
            if session is not None:
                session.close()  # unblocks a request in flight

        ended = self._sup.stop(timeout, wake)
        self.on_state = None
        self._state = replace(self._state, status=DeviceState.STOPPED, detail="")
        return ended

    def configure(self, host: str, port: int, password: str | Callable[[], str] | None = None) -> None:
        """New connection settings: drop the connection and connect afresh (also clears auth_failed)."""
        with self._lock:
            self._host, self._port = host, int(port)
            if password is not None:
                self._password = password if callable(password) else (lambda p=password: p)
            self._retry_now = True
        self._inbox.put(("reconfigure",))

    def retry_now(self) -> None:
        """Try to connect at once (a "Retry" button), whatever the status."""
        with self._lock:
            self._retry_now = True
        self._inbox.put(("wake",))

    # ------------------------------------------------------------------ commands (any thread)
    def switch_scene(self, scene: str) -> Future:
        """Put ``scene`` on program (with the current transition)."""
        if (err := self._check_scene(scene)) is not None:
            return err
        return self._submit("switch_scene", lambda s: s.call("SetCurrentProgramScene", {"sceneName": scene}, self.timing.request_timeout))

    def set_preview_scene(self, scene: str) -> Future:
        """Studio mode only: put ``scene`` on preview."""
        if (err := self._check_scene(scene)) is not None:
            return err
        if not self._state.studio_mode:
            return _failed(ObsCommandError("preview needs studio mode: turn studio mode on first"))
        return self._submit("set_preview_scene", lambda s: s.call("SetCurrentPreviewScene", {"sceneName": scene}, self.timing.request_timeout))

    def set_studio_mode(self, enabled: bool) -> Future:
        return self._submit("set_studio_mode", lambda s: s.call("SetStudioModeEnabled", {"studioModeEnabled": bool(enabled)}, self.timing.request_timeout))

    def transition(self) -> Future:
        """Studio mode: send preview to program."""
        if not self._state.studio_mode:
            return _failed(ObsCommandError("transition needs studio mode"))
        return self._submit("transition", lambda s: s.call("TriggerStudioModeTransition", None, self.timing.request_timeout))

    def start_stream(self) -> Future:
        return self._submit("start_stream", lambda s: s.call("StartStream", None, self.timing.request_timeout))

    def stop_stream(self) -> Future:
        return self._submit("stop_stream", lambda s: s.call("StopStream", None, self.timing.request_timeout))

    def start_record(self) -> Future:
        return self._submit("start_record", lambda s: s.call("StartRecord", None, self.timing.request_timeout))

    def stop_record(self) -> Future:
        """Resolves to the recording's file path."""
        return self._submit("stop_record", lambda s: s.call("StopRecord", None, self.timing.request_timeout).get("outputPath", ""))

    def set_mute(self, input_name: str, muted: bool) -> Future:
        known = self._state.input(input_name)
        if self._state.connected and known is None:
            return _failed(ObsCommandError(f"OBS has no input named {input_name!r}"))
        if known is not None and known.muted is None:
            return _failed(ObsCommandError(f"input {input_name!r} has no audio to mute"))
        return self._submit("set_mute", lambda s: s.call("SetInputMute", {"inputName": input_name, "inputMuted": bool(muted)}, self.timing.request_timeout))

    def set_text(self, source: str, text: str) -> Future:
        """Set the text of a text source (FreeType2 or GDI+). The new state includes it."""
        if self._state.connected and source not in self._state.texts:
            names = ", ".join(self._state.texts) or "none"
            return _failed(ObsCommandError(f"OBS has no text source named {source!r} (text sources: {names})"))

        def run(s: _Session) -> None:
            s.call("SetInputSettings", {"inputName": source, "inputSettings": {"text": str(text)}, "overlay": True}, self.timing.request_timeout)
            texts = dict(self._state.texts)
            texts[source] = str(text)
            self._publish(replace(self._state, texts=MappingProxyType(texts)))

        return self._submit("set_text", run)

    def set_item_visible(self, scene: str, source: str, visible: bool) -> Future:
        """Show or hide ``source`` in ``scene``."""
        if (err := self._check_scene(scene)) is not None:
            return err

        def run(s: _Session) -> None:
            item = s.call("GetSceneItemId", {"sceneName": scene, "sourceName": source}, self.timing.request_timeout)
            s.call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item["sceneItemId"], "sceneItemEnabled": bool(visible)},
                   self.timing.request_timeout)

        return self._submit("set_item_visible", run)

    def screenshot(self, source: str | None = None, width: int | None = None, height: int | None = None,
                   fmt: str = "png") -> Future:
        """A frame of ``source`` (default: the program scene) as a numpy BGR uint8 array (H, W, 3)."""

        def run(s: _Session):
            import cv2
            import numpy as np

            data: dict[str, Any] = {"sourceName": source or self._state.program_scene, "imageFormat": fmt}
            if width:
                data["imageWidth"] = int(width)
            if height:
                data["imageHeight"] = int(height)
            b64 = s.call("GetSourceScreenshot", data, self.timing.slow_timeout)["imageData"]
            raw = base64.b64decode(b64.split(",", 1)[1])
            frame = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
            if frame is None:
                raise ObsCommandError(f"OBS sent a screenshot of {data['sourceName']!r} that could not be decoded")
            return frame

        return self._submit("screenshot", run)

    def request(self, request_type: str, data: Mapping | None = None) -> Future:
        """Any obs-websocket request (Companion's "custom command"); resolves to the response dict."""
        return self._submit(request_type, lambda s: s.call(request_type, data, self.timing.request_timeout))

    def refresh(self) -> Future:
        """Re-read the whole state from OBS; resolves to the new snapshot."""
        return self._submit("refresh", lambda s: self._rebuild(s))

    # ------------------------------------------------------------------ internals: caller side
    def _check_scene(self, scene: str) -> Future | None:
        st = self._state
        if st.connected and scene not in st.scenes:
            return _failed(ObsCommandError(f"OBS has no scene named {scene!r} (scenes: {', '.join(st.scenes)})"))
        return None

    def _submit(self, name: str, run: Callable[[_Session], Any]) -> Future:
        fut: Future = Future()
        if not self._started:
            fut.set_exception(ObsUnavailable("the OBS connection is not started"))
        elif not self._state.connected:
            st = self._state
            fut.set_exception(ObsUnavailable(f"OBS is not connected ({st.status.value}): {st.detail}".rstrip(": ")))
        else:
            self._inbox.put(("cmd", _Command(name, run, fut, self.timing.request_timeout)))
        return fut

    # ------------------------------------------------------------------ internals: worker thread
    def _emit(self, kind: str, message: str, severity: int = logging.INFO, payload: Mapping | None = None) -> None:
        self._sup.emit(kind, message, severity, payload)

    def _publish(self, state: ObsState) -> None:
        state = replace(state, updated=self._clock())
        self._state = state
        on_state = self.on_state
        if on_state is not None and not self._sup.stopping.is_set():
            try:
                on_state(state)
            except Exception:  # noqa: BLE001
                log.exception("OBS on_state listener failed")
        if state.status is DeviceState.OK:
            # While connected the status says whether the stream is in trouble (degraded).
            status, detail = stream_trouble(state) or (DeviceState.OK, state.detail)
            cur = self._sup.status
            if (cur.state, cur.detail) != (status, detail) and cur.state.working:
                self._sup.report(status, detail)

    def _set_status(self, status: DeviceState, detail: str, **changes: Any) -> None:
        """A link state change, or one more failed attempt in a fault state."""
        old = self._state
        self._publish(replace(old, status=status, detail=detail, host=self._host, port=self._port, **changes))
        where = {"host": self._host, "port": self._port}
        if status is DeviceState.OK:
            st = self._state
            status, detail = stream_trouble(st) or (status, detail)
            self._sup.report(status, detail, source=self.where, message=f"OBS {st.obs_version} connected at {self.where}",
                             payload={**where, "obs_version": st.obs_version, "websocket_version": st.websocket_version,
                                      "connects": st.connects})
        else:
            self._sup.report(status, detail, source=self.where, payload=where)

    def _run(self) -> None:
        self._set_status(DeviceState.CONNECTING, Said("obs_connecting", where=self.where))
        try:
            while not self._sup.stopping.is_set():
                try:
                    if self._session is None:
                        self._idle_step()
                    else:
                        self._connected_step()
                except Exception as exc:  # noqa: BLE001 - the supervisor itself must never die
                    log.exception("OBS worker step failed")
                    self._drop(DeviceState.LOST, f"internal error talking to OBS ({type(exc).__name__})")
        finally:
            if self._session is not None:
                self._session.close()
                self._session = None
            self._fail_pending()
            self._state = replace(self._state, status=DeviceState.STOPPED, detail="")
            self._sup.final()

    def _idle_step(self) -> None:
        with self._lock:
            retry_now, self._retry_now = self._retry_now, False
        wait = self._sup.retry_wait()  # None: a fault that needs a person (password, version)
        if retry_now or wait == 0.0:
            self._connect()
            return
        self._handle(self._get(wait))

    def _connected_step(self) -> None:
        session = self._session
        assert session is not None
        with self._lock:
            retry_now, self._retry_now = self._retry_now, False
        if retry_now:  # new settings: start over
            self._drop(DeviceState.CONNECTING, f"connecting to {self.where}")
            return
        now = self._clock()
        try:
            if not session.events_alive():
                raise _ConnectionLost(DeviceState.LOST, f"OBS at {self.where} closed the connection")
            if now >= self._next_probe:
                self._next_probe = now + self.timing.probe_interval
                self._probe(session)
                return
            self._handle(self._get(min(self._next_probe - now, self.timing.watch_interval)))
        except _ConnectionLost as lost:
            self._drop(lost.status, lost.detail)

    def _get(self, timeout: float | None):
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def _handle(self, item) -> None:
        if item is None:
            return
        kind = item[0]
        if kind == "cmd":
            self._execute(item[1])
        elif kind == "event":
            _, number, name, data, _t = item
            if self._session is not None and number == self._session.number:
                self._on_obs_event(self._session, name, data)
                self.event_lag = self._clock() - _t
        # "wake" / "reconfigure": the loop re-reads its flags

    def _fail_pending(self) -> None:
        while True:
            try:
                item = self._inbox.get_nowait()
            except queue.Empty:
                return
            if item[0] == "cmd":
                item[1].future.set_exception(ObsUnavailable("OBS connection closed before the command ran"))

    def _guard(self, session: _Session, fn: Callable[[], Any]) -> Any:
        """Run requests; turn lost connections and timeouts into _ConnectionLost."""
        try:
            return fn()
        except OBSSDKRequestError:
            raise
        except (OBSSDKTimeoutError, WebSocketTimeoutException, TimeoutError) as exc:
            raise _ConnectionLost(DeviceState.FROZEN, classify(exc, self.where).detail) from exc
        except (OBSSDKError, WebSocketException, OSError, ValueError) as exc:
            raise _ConnectionLost(DeviceState.LOST, f"connection to OBS at {self.where} lost ({type(exc).__name__})") from exc

    def _execute(self, cmd: _Command) -> None:
        session = self._session
        if not cmd.future.set_running_or_notify_cancel():
            return
        if session is None:
            cmd.future.set_exception(ObsUnavailable(f"OBS is not connected ({self._state.status.value})"))
            return
        try:
            result = self._guard(session, lambda: cmd.run(session))
        except OBSSDKRequestError as exc:
            cmd.future.set_exception(ObsCommandError(_request_message(cmd.name, exc)))
        except ObsCommandError as exc:
            cmd.future.set_exception(exc)
        except _ConnectionLost as lost:
            cmd.future.set_exception(ObsUnavailable(f"{cmd.name}: {lost.detail}"))
            raise
        except Exception as exc:  # noqa: BLE001 - report, keep the worker alive
            log.exception("OBS command %s failed", cmd.name)
            cmd.future.set_exception(ObsCommandError(f"{cmd.name} failed: {type(exc).__name__}: {exc}"))
        else:
            cmd.future.set_result(result)

    def _drop(self, status: DeviceState, detail: str) -> None:
        """Throw the session away and schedule a reconnect."""
        session, self._session = self._session, None
        if session is not None:
            session.close()
        self._fail_pending()
        self._health.reset()
        # After a reconnect the recording may be another one: sample it at once, path unknown.
        self._record_clock.reset()
        self._record_clock.path = ""
        if status is DeviceState.LOST:
            detail = f"{detail}; reconnecting"
        self._set_status(status, detail)
        if status is DeviceState.LOST:
            # Reconnect at once after a loss (OBS may already be back); then with the backoff.
            self._sup.retry_soon()

    def _connect(self) -> None:
        with self._lock:
            host, port, password_source = self._host, self._port, self._password
        where = f"{host}:{port}"
        attempts = self._state.attempts + 1
        if not self._state.status.retried:
            self._set_status(DeviceState.CONNECTING, Said("obs_connecting", where=where), attempts=attempts)
        else:
            self._state = replace(self._state, attempts=attempts)
        failure: _Failure | None = None
        try:
            # Plain TCP first: tells "nothing there" (unreachable) from "there but silent" (frozen).
            with socket.create_connection((host, port), timeout=self.timing.connect_timeout):
                pass
        except (socket.timeout, TimeoutError):
            failure = _Failure(DeviceState.UNREACHABLE, Said("obs_no_answer", where=where))
        except OSError as exc:
            failure = classify(exc, where)
        if failure is None:
            session = None
            try:
                password = password_source()
                session = _Session(host, port, password, self.timing, self._state.connects + 1, self._inbox, self._meters)
                del password
                self._session = session
                self._rebuild(session, first=True)
            except _ConnectionLost as exc:
                failure = _Failure(exc.status, exc.detail)
            except Exception as exc:  # noqa: BLE001 - every failure is classified, then retried or reported
                failure = classify(exc, where)
            if failure is not None and session is not None:
                session.close()
        if failure is None:
            self._next_probe = self._clock() + self.timing.probe_interval
            return
        self._session = None
        self._set_status(failure.status, failure.detail)  # counts the attempt, schedules the next

    # ---- state building
    def _rebuild(self, s: _Session, first: bool = False) -> ObsState:
        t = self.timing.slow_timeout

        def read() -> ObsState:
            version = s.call("GetVersion", None, t)
            if int(str(version.get("obsWebSocketVersion", "0")).split(".")[0] or 0) < 5:
                raise _ConnectionLost(DeviceState.UNSUPPORTED, f"obs-websocket {version.get('obsWebSocketVersion')} is too old (need 5.x, OBS 28 or later)")
            scenes = s.call("GetSceneList", None, t)
            names = tuple(sc["sceneName"] for sc in reversed(scenes.get("scenes", [])))  # OBS lists bottom to top
            studio = bool(s.call("GetStudioModeEnabled", None, t).get("studioModeEnabled"))
            stream = s.call("GetStreamStatus", None, t)
            record = self._record_status(s, t)
            stats = s.call("GetStats", None, t)
            inputs, texts = self._read_inputs(s)
            items = {name: self._read_items(s, name) for name in names}
            self._health.reset()
            health, _ = self._health.update(self._clock(), stats, stream, record)
            return replace(
                self._state,
                obs_version=str(version.get("obsVersion", "")),
                websocket_version=str(version.get("obsWebSocketVersion", "")),
                scenes=names,
                program_scene=str(scenes.get("currentProgramSceneName") or ""),
                preview_scene=str(scenes.get("currentPreviewSceneName") or "") if studio else "",
                studio_mode=studio,
                streaming=bool(stream.get("outputActive")),
                recording=bool(record.get("outputActive")),
                record_paused=bool(record.get("outputPaused")),
                inputs=inputs,
                texts=MappingProxyType(texts),
                scene_items=MappingProxyType(items),
                health=health,
            )

        new = self._guard(s, read)
        if first:
            new = replace(new, connects=new.connects + 1)
            self._state = new
            self._set_status(DeviceState.OK, Said("obs_connected", version=new.obs_version, where=self.where))
        else:
            self._publish(new)
        return self._state

    def _read_inputs(self, s: _Session) -> tuple[tuple[InputInfo, ...], dict[str, str]]:
        t = self.timing.slow_timeout
        inputs: list[InputInfo] = []
        texts: dict[str, str] = {}
        for inp in s.call("GetInputList", None, t).get("inputs", []):
            name, kind = inp["inputName"], inp.get("unversionedInputKind") or inp.get("inputKind", "")
            muted: bool | None
            if kind in TEXT_KINDS:
                muted = None
                texts[name] = str(s.call("GetInputSettings", {"inputName": name}, t).get("inputSettings", {}).get("text", ""))
            else:
                try:
                    muted = bool(s.call("GetInputMute", {"inputName": name}, t).get("inputMuted"))
                except OBSSDKRequestError:
                    muted = None  # no audio
            inputs.append(InputInfo(name, kind, muted))
        return tuple(inputs), texts

    def _read_items(self, s: _Session, scene: str) -> tuple[SceneItem, ...]:
        try:
            items = s.call("GetSceneItemList", {"sceneName": scene}, self.timing.slow_timeout).get("sceneItems", [])
        except OBSSDKRequestError:
            return ()
        # OBS lists items bottom to top; show them top to bottom like its Sources dock.
        return tuple(SceneItem(int(i["sceneItemId"]), str(i["sourceName"]), bool(i["sceneItemEnabled"])) for i in reversed(items))

    def _record_status(self, s: _Session, timeout: float) -> dict:
        """``GetRecordStatus``, and a ``record_sync`` event when the recording clock's sample
        is worth keeping (see :mod:`hardware.obs.recording`): clips are cut by it."""
        before = time.time()
        record = s.call("GetRecordStatus", None, timeout)
        sample = self._record_clock.observe((before + time.time()) / 2, record)
        if sample is not None:
            self._emit("record_sync", f"recording at {sample['timecode'] or sample['duration_ms']}", logging.DEBUG, sample)
        return record

    def _probe(self, s: _Session) -> None:
        t = self.timing.probe_timeout

        def read():
            return s.call("GetStats", None, t), s.call("GetStreamStatus", None, t), self._record_status(s, t)

        stats, stream, record = self._guard(s, read)
        health, events = self._health.update(self._clock(), stats, stream, record)
        st = self._state
        changes: dict[str, Any] = {"health": health}
        # Reconcile in case an event was missed (they are not acknowledged).
        if bool(stream.get("outputActive")) != st.streaming:
            changes["streaming"] = bool(stream.get("outputActive"))
        if bool(record.get("outputActive")) != st.recording:
            changes["recording"] = bool(record.get("outputActive"))
        changes["record_paused"] = bool(record.get("outputPaused"))
        self._publish(replace(st, **changes))
        for ev in events:
            self._emit(ev.kind, ev.message, ev.severity, ev.payload)

    def _on_obs_event(self, s: _Session, name: str, d: Mapping) -> None:
        st = self._state
        try:
            if name == "CurrentProgramSceneChanged":
                scene = str(d.get("sceneName", ""))
                if scene != st.program_scene:
                    self._publish(replace(st, program_scene=scene))
                    self._emit("scene_changed", f"program scene: {scene}", logging.INFO, {"scene": scene, "previous": st.program_scene})
            elif name == "CurrentPreviewSceneChanged":
                self._publish(replace(st, preview_scene=str(d.get("sceneName", ""))))
            elif name == "StudioModeStateChanged":
                on = bool(d.get("studioModeEnabled"))
                preview = ""
                if on:
                    preview = str(self._guard(s, lambda: s.call("GetSceneList", None, self.timing.request_timeout)).get("currentPreviewSceneName") or "")
                self._publish(replace(self._state, studio_mode=on, preview_scene=preview))
                self._emit("studio_mode", f"studio mode {'on' if on else 'off'}", logging.INFO, {"enabled": on})
            elif name in ("StreamStateChanged", "RecordStateChanged"):
                self._on_output(name, d)
            elif name == "InputMuteStateChanged":
                inp, muted = str(d.get("inputName", "")), bool(d.get("inputMuted"))
                inputs = tuple(replace(i, muted=muted) if i.name == inp else i for i in st.inputs)
                self._publish(replace(st, inputs=inputs))
                self._emit("input_muted" if muted else "input_unmuted", f"{inp} {'muted' if muted else 'unmuted'}", logging.INFO, {"input": inp})
            elif name == "SceneItemEnableStateChanged":
                scene, iid, on = str(d.get("sceneName", "")), int(d.get("sceneItemId", -1)), bool(d.get("sceneItemEnabled"))
                items = dict(st.scene_items)
                items[scene] = tuple(replace(i, visible=on) if i.item_id == iid else i for i in items.get(scene, ()))
                self._publish(replace(st, scene_items=MappingProxyType(items)))
            elif name in ("SceneItemCreated", "SceneItemRemoved", "SceneItemListReindexed"):
                scene = str(d.get("sceneName", ""))
                items = dict(st.scene_items)
                items[scene] = self._guard(s, lambda: self._read_items(s, scene))
                self._publish(replace(st, scene_items=MappingProxyType(items)))
            elif name in ("SceneListChanged", "SceneCreated", "SceneRemoved", "SceneNameChanged",
                          "InputCreated", "InputRemoved", "InputNameChanged", "CurrentSceneCollectionChanged"):
                self._rebuild(s)
            elif name == "ExitStarted":
                raise _ConnectionLost(DeviceState.LOST, f"OBS at {self.where} is shutting down")
        except OBSSDKRequestError as exc:  # the thing changed again meanwhile; the next event fixes it
            log.debug("OBS event %s: %s", name, exc)

    def _on_output(self, name: str, d: Mapping) -> None:
        st = self._state
        state = str(d.get("outputState", ""))
        what = "stream" if name.startswith("Stream") else "record"
        # STARTING / STOPPING keep the old flag: ON AIR / REC light only when OBS confirms.
        active = {"STARTED": True, "RESUMED": True, "PAUSED": True, "RECONNECTING": True, "RECONNECTED": True,
                  "STOPPED": False}.get(state.rsplit("_", 1)[-1], st.streaming if what == "stream" else st.recording)
        if what == "record" and state.endswith(("_STARTED", "_STOPPED")):
            self._record_clock.reset()
            self._record_clock.path = str(d.get("outputPath") or "") if state.endswith("_STARTED") else ""
        if state.endswith("_STARTED"):
            msg = "ON AIR: streaming started" if what == "stream" else "recording started"
            payload = {"path": str(d["outputPath"])} if what == "record" and d.get("outputPath") else {}
            self._emit(f"{what}_started", msg, logging.WARNING if what == "stream" else logging.INFO, payload)
        elif what == "record" and state.endswith(("_PAUSED", "_RESUMED")):
            paused = state.endswith("_PAUSED")
            self._emit("record_paused" if paused else "record_resumed", "recording paused" if paused else "recording resumed",
                       logging.INFO, {"path": self._record_clock.path} if self._record_clock.path else {})
        elif state.endswith("_STOPPED"):
            payload = {"path": str(d["outputPath"])} if what == "record" and d.get("outputPath") else {}
            msg = "OFF AIR: streaming stopped" if what == "stream" else "recording stopped"
            self._emit(f"{what}_stopped", msg, logging.WARNING if what == "stream" else logging.INFO, payload)
        if what == "stream":
            self._publish(replace(st, streaming=active))
        else:
            changes: dict[str, Any] = {"recording": active, "record_paused": state.endswith("_PAUSED")}
            if d.get("outputPath"):
                changes["last_record_path"] = str(d["outputPath"])
            self._publish(replace(st, **changes))


def stream_trouble(state: ObsState) -> tuple[DeviceState, str] | None:
    """``(degraded, why)`` while a connected OBS's stream is in trouble, else None."""
    h = state.health
    if not state.streaming:
        return None
    if h.stream_reconnecting:
        return DeviceState.DEGRADED, Said("obs_reconnecting")
    if h.output_dropped_percent > 1.0:
        return DeviceState.DEGRADED, Said("obs_dropping", percent=h.output_dropped_percent)
    if h.stream_congestion > 0.8:
        return DeviceState.DEGRADED, Said("obs_congestion", congestion=h.stream_congestion)
    return None


def _request_message(command: str, exc: OBSSDKRequestError) -> str:
    text = str(exc).split("With message: ", 1)[-1] if "With message: " in str(exc) else str(exc)
    return f"OBS refused {command} (code {exc.code}): {text}"


def _failed(exc: Exception) -> Future:
    fut: Future = Future()
    fut.set_exception(exc)
    return fut
