"""The live room: accepted messages go through the rules as they arrive; alerts are logged and
offered to the desk; only a rule marked ``automatic`` runs its action, through the studio.

:class:`RoomLive` is fed by a :class:`~studio_app.room.ingest.RoomIngest` listener (any
thread) and ticked once a second (:meth:`tick`, from the desk's timer or :meth:`start_ticker`)
so silences are noticed when nothing arrives. Each alert is logged once when raised (source
``room``, kind ``room.alert``) and once when cleared (``room.alert_cleared``). Thread-safe: one
lock around the rules (arithmetic only); listeners and the studio are called outside it.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Mapping

from studio_app.room.messages import RoomMessage
from studio_app.room.rules import AlertChange, RoomWatch, Rule, ShowPlan

_log = logging.getLogger(__name__)
SOURCE = "room"
_SEVERITY = {"info": 20, "warning": 30, "error": 40}


class RoomLive:
    def __init__(self, rules: Mapping[str, Rule], plan: ShowPlan | None = None, *, show_id: str | None = None,
                 log: Any = None, studio: Any = None, clock: Callable[[], float] = time.time,
                 replay: bool = False) -> None:
        # No episode list: each is logged and handed to the listeners as it changes; kept, it
        # grew for as long as the console ran (issue 20).
        self.watch = RoomWatch(rules, plan, history=False)
        self.show_id = show_id
        self._log = log
        self.studio = studio
        self.clock = clock  # message time "now" (wall time live; show time in a replay)
        self.replay = replay  # everything shown or logged says 回放/REPLAY
        self._lock = threading.Lock()
        self._listeners: list[Callable[[AlertChange], None]] = []
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        self.last_arrival: float | None = None  # monotonic time of the last message (DATA STALE)

    def listen(self, callback: Callable[[AlertChange], None]) -> None:
        self._listeners.append(callback)

    @property
    def active(self) -> list:
        with self._lock:
            return list(self.watch.active.values())

    # -- input (any thread) -------------------------------------------------------------
    def accept(self, msg: RoomMessage) -> None:
        with self._lock:
            self.last_arrival = time.monotonic()
            changes = self.watch.feed(msg)
        self._announce(changes)

    def tick(self) -> None:
        with self._lock:
            changes = self.watch.advance(self.clock())
        self._announce(changes)

    def set_live(self, live: bool) -> None:
        with self._lock:
            changes = self.watch.set_live(live, self.clock())
        self._announce(changes)

    def start_ticker(self, interval: float = 1.0) -> None:
        def run() -> None:
            while not self._stop.wait(interval):
                self.tick()

        self._ticker = threading.Thread(target=run, name="room-rules", daemon=True)
        self._ticker.start()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(2.0)

    # -- output -------------------------------------------------------------------------
    def _announce(self, changes: list[AlertChange]) -> None:
        for change in changes:
            self._write(change)
            if change.state == "raised" and change.alert.automatic:
                self._run_action(change)
            for listener in self._listeners:
                try:
                    listener(change)
                except Exception as exc:  # noqa: BLE001 - a view's problem never stops the rules
                    _log.warning("room: alert listener failed: %s", type(exc).__name__)

    def _write(self, change: AlertChange) -> None:
        if self._log is None:
            return
        a = change.alert
        tag = "[回放 REPLAY] " if self.replay else ""
        payload = {**a.to_json(), "replay": self.replay}
        if change.state == "raised":
            self._log.log(SOURCE, "room.alert", f"{tag}{a.rule}: {a.message}", _SEVERITY.get(a.severity, 30),
                          payload, self.show_id)
        else:
            self._log.log(SOURCE, "room.alert_cleared", f"{tag}{a.rule} over: {a.message}", 20, payload,
                          self.show_id)

    def _run_action(self, change: AlertChange) -> None:
        """Only for rules marked ``automatic``; the dispatcher refuses what a drill forbids."""
        a = change.alert
        if self.studio is None or self.replay:
            return
        try:
            result = self.studio.dispatch_from("room", a.action, dict(a.args))
        except Exception as exc:  # noqa: BLE001 - dispatch never raises; this is the guard
            _log.warning("room: automatic %s failed: %s", a.action, type(exc).__name__)
            return
        if self._log is not None:
            self._log.log(SOURCE, "room.alert_action", f"{a.rule}: ran {a.action} automatically: "
                          f"{getattr(result, 'message', '')}", 20,
                          {"rule": a.rule, "action": a.action, "args": a.args, "ok": bool(getattr(result, "ok", False)),
                           "code": str(getattr(result, "code", ""))}, self.show_id)


class StockSync:
    """The platform's stock → the studio's product cards.

    A product message with ``stock`` sets the card's stock (``stock.adjust`` through the
    dispatcher, caller ``room``), except on a card whose stock is frozen (核心库存, changed only
    by the operations lead): there the card keeps its stock and the conflict is logged once per
    episode (source ``room``, kind ``room.stock_conflict``) and offered to the dock."""

    def __init__(self, studio: Any, *, log: Any = None, show_id: str | None = None,
                 on_conflict: Callable[[dict], None] | None = None) -> None:
        self.studio = studio
        self._log = log
        self.show_id = show_id
        self._on_conflict = on_conflict
        self._conflicts: dict[str, int] = {}  # sku -> platform stock of the open conflict

    def accept(self, msg: RoomMessage) -> None:
        if msg.type != "product" or "stock" not in msg.data or not msg.data.get("sku"):
            return
        sku, stock = str(msg.data["sku"]), int(msg.data["stock"])
        try:
            cards = self.studio.state_dict().get("cards") or []
        except Exception:  # noqa: BLE001 - no show loaded, studio closing: nothing to update
            return
        card = next((c for c in cards if c.get("sku") == sku), None)
        if card is None or card.get("stock") is None or int(card["stock"]) == stock:
            self._conflicts.pop(sku, None)
            return
        if card.get("frozen"):
            conflict = {"sku": sku, "name": str(card.get("name", "")), "platform_stock": stock,
                        "card_stock": int(card["stock"])}
            if sku not in self._conflicts and self._log is not None:  # logged once per episode
                self._log.log(SOURCE, "room.stock_conflict",
                              f"{sku} {conflict['name']}: the platform says {stock} left, the frozen core stock is "
                              f"{card['stock']}; kept frozen", 30, conflict, self.show_id)
            if self._conflicts.get(sku) != stock:
                self._conflicts[sku] = stock
                if self._on_conflict is not None:
                    self._on_conflict(conflict)
            return
        self._conflicts.pop(sku, None)
        self.studio.dispatch_from("room", "stock.adjust",
                                  {"sku": sku, "delta": stock - int(card["stock"]), "reason": "platform stock"})
