"""What the remote server needs from the studio, and the flat variables for control surfaces.

:class:`StudioLike` is the part of ``studio_app.studio.Studio`` the server uses (the dispatcher,
the registry, the state snapshot, change notification); ``Studio`` satisfies it as is.
:func:`variables` turns a ``GET /api/v1/state`` snapshot into the flat ``{name: string}`` map of
``GET /api/v1/variables`` (Companion variables, OSC feedback, automation templates).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

# ActionResult.code -> HTTP status (the contract of issue 16).
HTTP_STATUS = {"ok": 200, "bad_args": 400, "unknown": 404, "refused": 409, "error": 500}


class ActionOutcome(Protocol):
    ok: bool
    message: str
    data: Mapping[str, Any]
    code: str  # ok | bad_args | unknown | refused | error


class StudioLike(Protocol):
    def dispatch(self, name: str, /, **args: Any) -> ActionOutcome: ...

    def actions(self) -> list[dict[str, Any]]: ...

    def state_dict(self) -> dict[str, Any]: ...

    def subscribe(self, callback: Callable[..., None]) -> Any: ...


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
