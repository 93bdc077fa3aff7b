"""A small working studio for the remote server's protocol tests, with the shape of
``studio_app.studio.Studio`` (dispatch, actions, state_dict, subscribe) while the real one is
built on another branch. It keeps real state (segments, cards, a coupon, drill, message) and
validates typed arguments, so the server's answers come from a studio's own decisions.
The show-through-remote test runs against the real Studio once it is merged.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SEGMENTS = [("open", "开场暖场", "Cam"), ("coat", "爆款羊绒大衣讲解", "Product"), ("close", "结束语", "Cam")]
CARDS = [("SKU-COAT", "羊绒大衣", 599.0, 300), ("SKU-SCARF", "围巾", 99.0, 50)]

_ARGS: dict[str, list[tuple[str, str, bool]]] = {
    "show.go": [], "show.back": [], "show.hold": [("on", "bool", False)], "show.end": [],
    "card.push": [("sku", "str", False), ("slot", "int", False)],
    "coupon.drop_now": [("id", "str", False)],
    "message.send": [("text", "str", True), ("blink", "bool", False)],
    "message.blink": [("on", "bool", False)],
    "drill.start": [], "drill.stop": [], "obs.stream.start": [], "obs.stream.stop": [],
}
_CONFIRM = {"show.end", "obs.stream.stop"}
_SKIP_IN_DRILL = {"obs.stream.start", "obs.stream.stop"}


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    code: str = "ok"


def _convert(action: str, name: str, kind: str, value: Any) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif kind == "str" and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{action}: {name}: expected {kind}, got {value!r}")


class RemoteStudio:
    def __init__(self) -> None:
        self.playback = "standby"
        self.index = 0
        self.card: int | None = None
        self.stock = {sku: stock for sku, _, _, stock in CARDS}
        self.coupon_status = "pending"
        self.drill = False
        self.streaming = False
        self.message = ""
        self.blink = False
        self.dispatched: list[tuple[str, dict[str, Any], str]] = []
        self._subscribers: list[Callable[..., None]] = []
        self._lock = threading.Lock()
        self.threads: set[str] = set()
        self.callers: list[str] = []  # dispatch_from's "by", as the event log records it

    # -- the Studio surface ----------------------------------------------------------------
    def actions(self) -> list[dict[str, Any]]:
        return [{"name": n, "args": [{"name": a, "type": t, "required": r, "description": ""} for a, t, r in args],
                 "description": n, "drill": "skip" if n in _SKIP_IN_DRILL else "run", "confirm": n in _CONFIRM}
                for n, args in _ARGS.items()]

    def subscribe(self, callback: Callable[..., None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def dispatch_from(self, by: str, name: str, args: dict[str, Any] | None = None) -> Result:
        self.callers.append(by)
        return self.dispatch(name, **(args or {}))

    def dispatch(self, name: str, /, **args: Any) -> Result:
        self.threads.add(threading.current_thread().name)
        result = self._dispatch(name, args)
        self.dispatched.append((name, args, result.code))
        if result.ok:
            for cb in list(self._subscribers):
                cb()
        return result

    def state_dict(self) -> dict[str, Any]:
        seg = SEGMENTS[self.index]
        nxt = SEGMENTS[self.index + 1] if self.index + 1 < len(SEGMENTS) else None
        card = None
        if self.card is not None:
            sku, name, price, _ = CARDS[self.card]
            card = {"sku": sku, "name": name, "state": "explaining", "stock": self.stock[sku], "live_price": price}
        return {
            "show": {"playback": self.playback, "segment": {"index": self.index + 1, "id": seg[0], "title": seg[1],
                                                           "remaining_s": 95.0, "phase": "warning"}},
            "next_segment": {"index": self.index + 2, "id": nxt[0], "title": nxt[1]} if nxt else None,
            "card": card,
            "coupons": [{"id": "c1", "kind": "coupon", "label": "满200减30", "status": self.coupon_status,
                         "seconds": 180.0 if self.coupon_status == "pending" else None}],
            "devices": {"camera": {"state": "ok", "level": "ok"}, "mic": {"state": "ok", "level": "ok"}},
            "obs": {"program_scene": seg[2], "streaming": self.streaming, "recording": False},
            "alarms": [],
            "drill": self.drill,
            "message": {"text": self.message, "blink": self.blink},
        }

    # -- the rules -------------------------------------------------------------------------
    def _dispatch(self, name: str, raw: dict[str, Any]) -> Result:
        if name not in _ARGS:
            return Result(False, f"unknown action {name!r}", code="unknown")
        declared = {a: (t, r) for a, t, r in _ARGS[name]}
        args: dict[str, Any] = {}
        try:
            for key, value in raw.items():
                if key == "confirm":
                    args[key] = _convert(name, key, "bool", value)
                elif key not in declared:
                    raise ValueError(f"{name}: unknown argument {key!r}")
                else:
                    args[key] = _convert(name, key, declared[key][0], value)
            for key, (_, required) in declared.items():
                if required and key not in args:
                    raise ValueError(f"{name}: missing argument {key!r}")
        except ValueError as exc:
            return Result(False, str(exc), code="bad_args")
        if name in _CONFIRM and not args.get("confirm"):
            return Result(False, f"{name} needs confirm: true", code="refused")
        if self.drill and name in _SKIP_IN_DRILL:
            return Result(False, f"{name} is not sent in a drill", code="refused")
        with self._lock:
            return getattr(self, "_" + name.replace(".", "_"))(**{k: v for k, v in args.items() if k != "confirm"})

    def _show_go(self) -> Result:
        if self.playback == "ended":
            return Result(False, "the show has ended", code="refused")
        if self.playback == "standby":
            self.playback = "running"
        elif self.index + 1 < len(SEGMENTS):
            self.index += 1
            self.card = None
        else:
            return Result(False, "last segment: end the show with show.end", code="refused")
        return Result(True, f"segment {self.index + 1}", {"segment": SEGMENTS[self.index][0]})

    def _show_back(self) -> Result:
        if self.index == 0:
            return Result(False, "already at the first segment", code="refused")
        self.index -= 1
        return Result(True, f"segment {self.index + 1}")

    def _show_hold(self, on: bool | None = None) -> Result:
        if self.playback not in ("running", "hold"):
            return Result(False, "nothing to hold", code="refused")
        hold = (self.playback == "running") if on is None else on
        self.playback = "hold" if hold else "running"
        return Result(True, self.playback)

    def _show_end(self) -> Result:
        self.playback = "ended"
        return Result(True, "show ended")

    def _card_push(self, sku: str | None = None, slot: int | None = None) -> Result:
        skus = [c[0] for c in CARDS]
        if slot is not None:
            if not 1 <= slot <= len(CARDS):
                return Result(False, f"card.push: no product {slot} in this segment", code="bad_args")
            self.card = slot - 1
        elif sku in skus:
            self.card = skus.index(sku)
        else:
            return Result(False, f"card.push: no product {sku!r}", code="bad_args")
        return Result(True, f"pushed {CARDS[self.card][1]}", {"sku": CARDS[self.card][0]})

    def _coupon_drop_now(self, id: str | None = None) -> Result:  # noqa: A002 - the action's argument
        if self.coupon_status != "pending":
            return Result(False, "no pending coupon drop", code="refused")
        self.coupon_status = "live"
        return Result(True, "coupon dropped", {"id": "c1"})

    def _message_send(self, text: str, blink: bool | None = None) -> Result:
        self.message, self.blink = text, bool(blink)
        return Result(True, "sent")

    def _message_blink(self, on: bool | None = None) -> Result:
        if not self.message:
            return Result(False, "no message to blink", code="refused")
        self.blink = (not self.blink) if on is None else on
        return Result(True, "blink on" if self.blink else "blink off")

    def _drill_start(self) -> Result:
        self.drill = True
        return Result(True, "drill")

    def _drill_stop(self) -> Result:
        self.drill = False
        return Result(True, "live")

    def _obs_stream_start(self) -> Result:
        self.streaming = True
        return Result(True, "streaming")

    def _obs_stream_stop(self) -> Result:
        self.streaming = False
        return Result(True, "stopped")
