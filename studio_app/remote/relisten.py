"""Apply a network listener's new settings while the desk runs (the room ingest endpoint, the
remote-control server): stop the old listener, start the new one, and say what happened.

:class:`ListenerSwitch` runs every change on its own worker thread, one after another in the
order asked (so "off, then on" never races a bind against a close), and hands back a
:class:`SwitchOutcome` the desk shows and logs.

What a 场控 gets when the new settings cannot be applied (a port in use, an interface this PC
does not have): **the old listener keeps running** and the outcome says why the new one did
not start and where data still arrives. Mid-show the bridge keeps delivering numbers and the
Companion buttons keep working, while the person fixes the setting; an endpoint that went
dark because of a typo would lose the show's data. Concretely:

- a new address that shares no socket with the old one: the new listener starts first and the
  old one stops only once it listens (no gap; a failure leaves the old one untouched);
- the same address (only the token or the limits changed, or the port moves onto itself): the
  old one stops first (bounded), the new one starts; if it cannot, the old settings are started
  again; only if that fails too is the listener off, and the outcome says so.
"""
from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

Claim = tuple[str, str, int]  # ("tcp"|"udp", host, port): a socket a listener binds
WILDCARDS = {"", "0.0.0.0", "::"}


class Listener(Protocol):
    config: Any
    url: str

    def start(self) -> Any: ...

    def stop(self, timeout: float = ...) -> None: ...

    def claims(self) -> set[Claim]: ...


def overlaps(a: Iterable[Claim], b: Iterable[Claim]) -> bool:
    """Whether two sets of sockets would collide: same protocol and port (0 = any free port
    never collides) on the same host, or either on every interface."""
    for proto, host, port in a:
        for proto2, host2, port2 in b:
            if proto == proto2 and port and port == port2 and (host == host2 or host in WILDCARDS
                                                               or host2 in WILDCARDS):
                return True
    return False


@dataclass(frozen=True)
class SwitchOutcome:
    """What a change did. ``change``: started | moved | restarted | stopped | unchanged |
    refused. ``url``: where the listener listens now ("" when off). ``error``: one line when the
    new settings were not applied (never a secret). ``kept_old``: refused, and the old listener
    still runs."""

    change: str
    url: str = ""
    old_url: str = ""
    error: str = ""
    kept_old: bool = False
    listener: Any = field(default=None, compare=False, repr=False)
    reason_code: str = ""  # the error as a code and fields (event_kinds.REASONS) when its cause is known
    reason_fields: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def on(self) -> bool:
        return bool(self.url)

    @property
    def event_kind(self) -> str | None:
        """The suffix of the kind logged for it (``on``, ``moved``, ``off``, ``refused``), or None."""
        return {"started": "on", "moved": "moved", "restarted": "moved", "stopped": "off",
                "refused": "refused"}.get(self.change)

    def payload(self) -> dict[str, Any]:
        """For the log: ``reason`` is the error in English, rendered in the reader's language
        from ``reason_code`` when there is one (studio_app.core.event_text)."""
        out = {"change": self.change, "url": self.url, "old_url": self.old_url, "error": self.error,
               "reason": self.error, "kept_old": self.kept_old}
        if self.reason_code:
            out.update(reason_code=self.reason_code, reason_fields=dict(self.reason_fields))
        return out

    def event(self, what: str, still: str) -> tuple[str, str, bool] | None:
        """(kind suffix, English message, is a warning) for the log, or None when nothing
        changed; ``what`` names the listener ("remote control"), ``still`` says what the old one
        keeps doing ("still on"). The templates of ``<prefix>.on|moved|off|refused`` in
        :mod:`studio_app.core.event_kinds` render the same payload in the reader's language."""
        suffix = self.event_kind
        if suffix is None:
            return None
        text = {"on": f"{what} on at {self.url}", "moved": f"{what} moved from {self.old_url} to {self.url}",
                "off": f"{what} off",
                "refused": f"{what}: new settings not applied ({self.error}); {still} {self.url}" if self.kept_old
                else f"{what} not running: {self.error}"}[suffix]
        return suffix, text, suffix == "refused"


class ListenerSwitch:
    """``build(config) -> Listener`` (not started); ``wanted(config) -> set[Claim]``: the
    sockets a config would bind (before it binds: for a port-0 config, port 0)."""

    def __init__(self, name: str, build: Callable[[Any], Listener], wanted: Callable[[Any], set[Claim]],
                 *, stop_timeout: float = 5.0) -> None:
        self.name = name
        self._build = build
        self._wanted = wanted
        self.stop_timeout = stop_timeout
        self.current: Listener | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"{name}-switch")

    def submit(self, make_config: Callable[[], Any], on_done: Callable[[SwitchOutcome], None]) -> concurrent.futures.Future:
        """On the switch's thread, in order: ``make_config()`` (may read the keyring; None = off,
        an exception = refused with its line), :meth:`apply`, then ``on_done(outcome)`` there too."""
        def run() -> SwitchOutcome:
            try:
                config = make_config()
            except Exception as exc:  # noqa: BLE001 - a token store or a setting that broke: one line
                old = self.current
                outcome = SwitchOutcome("refused", old.url if old else "", error=_line(exc), kept_old=old is not None,
                                        listener=old)
            else:
                outcome = self.apply(config)
            on_done(outcome)
            return outcome

        return self._worker.submit(run)

    def apply(self, config: Any) -> SwitchOutcome:
        """Make the listener match ``config`` (None: off). Blocks (bounded): call off the GUI thread."""
        from studio_app.remote.server import RemoteError

        with self._lock:
            old = self.current
            if self._closed:  # the desk is closing: nothing new may start after close()
                return SwitchOutcome("unchanged")
            if config is None:
                if old is None:
                    return SwitchOutcome("unchanged")
                old.stop(self.stop_timeout)
                self.current = None
                return SwitchOutcome("stopped", old_url=old.url)
            if old is not None and old.config == config:
                return SwitchOutcome("unchanged", old.url, old.url, listener=old)
            clash = old is not None and overlaps(old.claims(), self._wanted(config))
            if clash:
                old.stop(self.stop_timeout)  # the address must be free before it is bound again
            try:
                new = self._build(config)
                new.start()
            except (RemoteError, OSError, ValueError) as exc:
                return self._refused(old, clash, exc)
            if old is not None and not clash:
                old.stop(self.stop_timeout)
            self.current = new
            if old is None:
                return SwitchOutcome("started", new.url, listener=new)
            return SwitchOutcome("moved" if new.url != old.url else "restarted", new.url, old.url, listener=new)

    def _refused(self, old: Listener | None, stopped: bool, exc: BaseException) -> SwitchOutcome:
        from studio_app.remote.server import RemoteError

        error = _line(exc)
        why = {"reason_code": getattr(exc, "reason_code", "") or "", "reason_fields": getattr(exc, "reason_fields", {}) or {}}
        if old is None:
            return SwitchOutcome("refused", error=error, **why)
        if not stopped:
            return SwitchOutcome("refused", old.url, old.url, error, kept_old=True, listener=old, **why)
        try:  # the old one was stopped to free its address: bring it back as it was
            again = self._build(old.config)
            again.start()
        except (RemoteError, OSError, ValueError) as again_exc:
            self.current = None
            log.warning("%s: the old settings could not be started again either: %s", self.name, _line(again_exc))
            return SwitchOutcome("refused", "", old.url, error, **why)
        self.current = again
        return SwitchOutcome("refused", again.url, old.url, error, kept_old=True, listener=again, **why)

    def close(self, timeout: float | None = None) -> None:
        """Stop the listener (bounded) and the switch's thread. For the desk's shutdown."""
        self._worker.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._closed = True
            old, self.current = self.current, None
        if old is not None:
            old.stop(self.stop_timeout if timeout is None else timeout)


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
