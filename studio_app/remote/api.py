"""What the remote server needs from the studio, and the flat variables for control surfaces.

:class:`StudioLike` is the part of ``studio_app.studio.Studio`` the server uses (the dispatcher,
the registry, the state snapshot, change notification); ``Studio`` satisfies it as is.
:func:`variables` turns a ``GET /api/v1/state`` snapshot into the flat ``{name: string}`` map of
``GET /api/v1/variables`` (Companion variables, OSC feedback, automation templates).
"""
from __future__ import annotations

import concurrent.futures
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

log = logging.getLogger(__name__)

# ActionResult.code -> HTTP status (the contract of issue 16).
HTTP_STATUS = {"ok": 200, "bad_args": 400, "unknown": 404, "refused": 409, "error": 500}


class ActionOutcome(Protocol):
    ok: bool
    message: str
    data: Mapping[str, Any]
    code: str  # ok | bad_args | unknown | refused | error


class StudioLike(Protocol):
    def dispatch(self, name: str, /, **args: Any) -> ActionOutcome: ...

    # Optional: ``dispatch_from(by, name, args)`` names the caller ("http", "osc", ...) in the
    # event log; :func:`dispatch_as` uses it when the studio has it.

    def actions(self) -> list[dict[str, Any]]: ...

    def state_dict(self) -> dict[str, Any]: ...

    def subscribe(self, callback: Callable[..., None]) -> Any: ...


PHASE_CODES = {"none": 0, "default": 1, "warning": 2, "danger": 3, "overtime": 4}


def dispatch_as(studio: Any, by: str, name: str, args: dict[str, Any]) -> ActionOutcome:
    """Run an action for a remote caller; ``args`` may hold any names (even ``name``)."""
    dispatch_from = getattr(studio, "dispatch_from", None)
    if dispatch_from is not None:
        return dispatch_from(by, name, dict(args))
    return studio.dispatch(name, **args)


def clock(seconds: Any) -> str:
    """``mm:ss`` (``+mm:ss`` past zero, as the anchor's screen shows overtime); "" when unknown."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not math.isfinite(seconds):
        return ""
    whole = math.ceil(seconds) if seconds >= 0 else math.floor(seconds)
    sign = "+" if whole < 0 else ""
    m, s = divmod(abs(int(whole)), 60)
    return f"{sign}{m:02d}:{s:02d}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _next_coupon(coupons: Any) -> dict[str, Any] | None:
    """The pending coupon drop or flash sale with the nearest countdown."""
    waiting = [c for c in coupons or () if isinstance(c, Mapping) and isinstance(c.get("seconds"), (int, float))
               and c.get("status") in ("pending", "announced", "live", "paused", "blocked")]
    return min(waiting, key=lambda c: c["seconds"]) if waiting else None


def variables(state: Mapping[str, Any]) -> dict[str, str]:
    """The flat map for control surfaces; every value a string ("" when there is none).

    Booleans are "1"/"0" so a Companion feedback can compare them; times are ``mm:ss``.
    """
    show = state.get("show") or {}
    seg = show.get("segment") or {}
    nxt = state.get("next_segment") or {}
    card = state.get("card") or {}
    obs = state.get("obs") or {}
    coupon = _next_coupon(state.get("coupons"))
    alarms = state.get("alarms") or ()
    out = {
        "show.playback": _text(show.get("playback")),
        "show.title": _text(show.get("title")),
        "segment.index": _text(seg.get("index")),
        "segment.id": _text(seg.get("id")),
        "segment.title": _text(seg.get("title")),
        "segment.remaining": clock(seg.get("remaining_s")) if seg else "",
        "segment.phase": _text(seg.get("phase")) if seg else "",
        # The phase as a number for surfaces that only compare numbers (Companion's OSC
        # feedback): 0 none, 1 default, 2 warning, 3 danger, 4 overtime.
        "segment.phase_code": str(PHASE_CODES.get(str(seg.get("phase")), 0)) if seg else "0",
        "next.title": _text(nxt.get("title")),
        "product.sku": _text(card.get("sku")),
        "product.name": _text(card.get("name")),
        "product.stock": _text(card.get("stock")),
        "product.live_price": _text(card.get("live_price")),
        "product.sold_out": _text(card.get("state") == "sold_out") if card else "",
        "coupon.next": _text(coupon.get("label")) if coupon else "",
        "coupon.countdown": clock(coupon.get("seconds")) if coupon else "",
        "coupon.status": _text(coupon.get("status")) if coupon else "",
        "on_air": _text(bool(obs.get("streaming"))),
        "rec": _text(bool(obs.get("recording"))),
        "obs.scene": _text(obs.get("program_scene")),
        "alarms": str(len(alarms)),
        "drill": _text(bool(state.get("drill"))),
    }
    devices = state.get("devices") or {}
    if isinstance(devices, Mapping):
        for name, info in sorted(devices.items()):
            out[f"device.{name}"] = _text(info.get("state") if isinstance(info, Mapping) else info)
    return out


class StudioLink:
    """How a loop thread (the server, the automations) reaches the studio without touching it:

    - :meth:`call` runs a function on the studio's thread and returns a future (``call``
      given by the desk runs it on the GUI thread; default: one worker thread of its own);
    - :meth:`watch` subscribes to changes: each one is snapshotted on the studio's thread
      (``state_dict``) and handed to ``on_state`` on ``loop``'s thread.
    """

    def __init__(self, studio: StudioLike, loop: Any, on_state: Callable[[dict[str, Any]], None], name: str,
                 call: Callable[[Callable[[], Any]], concurrent.futures.Future] | None = None) -> None:
        self.studio = studio
        self._loop = loop  # a studio_app.core.loop_thread.ServerLoop
        self._on_state = on_state
        self._name = name
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        if call is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"{name}-dispatch")
            call = self._executor.submit
        self.call = call
        self._unsubscribe: Any = None

    def watch(self) -> None:
        """Every change, and the first snapshot now (not waited for: the caller may be on the
        studio's thread itself)."""
        self._unsubscribe = self.studio.subscribe(self._changed)
        self.call(self._changed)

    def close(self) -> None:
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if callable(unsubscribe):
            try:
                unsubscribe()
            except Exception as exc:  # noqa: BLE001 - the studio may already be closing
                log.debug("%s: unsubscribe failed: %s", self._name, exc)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _changed(self, *_: Any) -> None:
        """Studio.subscribe callback (the studio's thread): snapshot now, work on the loop."""
        try:
            state = self.studio.state_dict()
        except Exception as exc:  # noqa: BLE001 - never break the studio's notification
            log.warning("%s: state snapshot failed: %s", self._name, exc)
            return
        loop = self._loop.loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._on_state, state)
            except RuntimeError:  # the loop is closing
                pass
