"""Product cards (商品卡): the state of each product in the live room, its stock, and what
a push (讲解/弹品) sends to the cue screen and the OBS overlay.

States follow the platforms' consoles: queued → on shelf (上架) → explaining (讲解中) →
sold out (已抢光) / off shelf (下架). At most one card is being explained at a time.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from studio_app.core.events import Severity
from studio_app.show.clock import Instant
from studio_app.show.events import ShowEvent, refusal, show_event
from studio_app.show.model import Product, Segment, Show


class CardState(str, enum.Enum):
    QUEUED = "queued"
    ON_SHELF = "on_shelf"
    EXPLAINING = "explaining"
    SOLD_OUT = "sold_out"
    OFF_SHELF = "off_shelf"

    @property
    def label_zh(self) -> str:
        return {"queued": "待上架", "on_shelf": "已上架", "explaining": "讲解中", "sold_out": "已抢光", "off_shelf": "已下架"}[self.value]


# Legal transitions. Explaining implies on shelf, so a queued or off-shelf card can be
# pushed straight to explaining (the desk does 上架 + 讲解 in one key).
TRANSITIONS: dict[CardState, frozenset[CardState]] = {
    CardState.QUEUED: frozenset({CardState.ON_SHELF, CardState.EXPLAINING, CardState.OFF_SHELF}),
    CardState.ON_SHELF: frozenset({CardState.EXPLAINING, CardState.SOLD_OUT, CardState.OFF_SHELF}),
    CardState.EXPLAINING: frozenset({CardState.ON_SHELF, CardState.SOLD_OUT, CardState.OFF_SHELF}),
    CardState.SOLD_OUT: frozenset({CardState.ON_SHELF, CardState.OFF_SHELF}),
    CardState.OFF_SHELF: frozenset({CardState.ON_SHELF, CardState.EXPLAINING}),
}


class CardError(ValueError):
    """An illegal card or stock operation; one-line message for the desk."""


@dataclass
class ProductCard:
    product: Product
    state: CardState = CardState.QUEUED
    stock: int = 0
    frozen: bool = False
    low_warned: bool = False  # safety-stock warning given (cleared when stock recovers)
    explain_count: int = 0

    @property
    def sku(self) -> str:
        return self.product.sku

    @property
    def low(self) -> bool:
        return self.stock <= self.product.safety_stock

    def as_dict(self) -> dict[str, Any]:
        p = self.product
        return {
            "sku": p.sku, "name": p.name, "state": self.state.value, "state_zh": self.state.label_zh,
            "stock": self.stock, "safety_stock": p.safety_stock, "low": self.low, "frozen": self.frozen,
            "list_price": p.list_price, "live_price": p.live_price, "explain_count": self.explain_count,
        }


_FIELD = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")


def overlay_context(show: Show, segment: Segment | None, card: "ProductCard | None") -> dict[str, str]:
    """Template values for OBS text sources: ``show.title``, ``segment.title``,
    ``product.name``, ``product.live_price`` ... (prices as "199" or "199.5")."""
    def price(v: float | None) -> str:
        return "" if v is None else (f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0"))

    ctx = {"show.title": show.title, "show.platform": show.platform.value, "show.anchors": "、".join(show.anchors)}
    if segment is not None:
        ctx.update({"segment.title": segment.title, "segment.id": segment.id, "segment.kind": segment.kind.label_zh})
    if card is not None:
        p = card.product
        ctx.update({
            "product.sku": p.sku, "product.name": p.name, "product.list_price": price(p.list_price),
            "product.live_price": price(p.live_price), "product.stock": str(card.stock),
            "product.selling_point": p.selling_points[0] if p.selling_points else "",
            "product.selling_points": " · ".join(p.selling_points),
        })
    return ctx


def render_template(template: str, context: dict[str, str]) -> str:
    """Fill ``{group.field}`` placeholders; unknown ones are left as written."""
    return _FIELD.sub(lambda m: context.get(f"{m.group(1)}.{m.group(2)}", m.group(0)), template)


@dataclass(frozen=True)
class CardPush:
    """What pushing a card sends out: the cue screen card and OBS text values."""

    sku: str
    card: dict[str, Any]
    selling_points: list[str]
    image: str
    overlay_texts: dict[str, str] = field(default_factory=dict)  # OBS source name -> text

    def as_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "card": self.card, "selling_points": self.selling_points, "image": self.image,
                "overlay_texts": self.overlay_texts}


class CardBoard:
    """All product cards of a show. Every operation returns the events it caused and
    raises :class:`CardError` (nothing changed) when it is not allowed."""

    def __init__(self, show: Show) -> None:
        self.show = show
        self.cards: dict[str, ProductCard] = {
            p.sku: ProductCard(p, stock=p.stock, frozen=p.frozen, low_warned=False) for p in show.products
        }

    def card(self, sku: str) -> ProductCard:
        try:
            return self.cards[sku]
        except KeyError:
            raise refusal(CardError, "unknown_sku", sku=str(sku)) from None

    @property
    def explaining(self) -> ProductCard | None:
        return next((c for c in self.cards.values() if c.state == CardState.EXPLAINING), None)

    # -- state ------------------------------------------------------------------------
    def set_state(self, sku: str, target: CardState, now: Instant, reason: str = "") -> list[ShowEvent]:
        card = self.card(sku)
        if target == card.state:
            return []
        if target not in TRANSITIONS[card.state]:
            raise refusal(CardError, "card_transition", product=card.product.name, **{"from": card.state.value, "to": target.value})
        if target in (CardState.ON_SHELF, CardState.EXPLAINING) and card.stock <= 0:
            raise refusal(CardError, "no_stock", product=card.product.name)
        events: list[ShowEvent] = []
        if target == CardState.EXPLAINING:
            other = self.explaining
            if other is not None and other is not card:
                events += self._move(other, CardState.ON_SHELF, now, "another card pushed")
            card.explain_count += 1
        events += self._move(card, target, now, reason)
        return events

    def push(self, sku: str, now: Instant, segment: Segment | None = None) -> tuple[CardPush, list[ShowEvent]]:
        """讲解/弹品: the card goes to explaining; returns what the screens show."""
        events = self.set_state(sku, CardState.EXPLAINING, now, "push")
        card = self.card(sku)
        ctx = overlay_context(self.show, segment, card)
        texts = {o.source: render_template(o.template, ctx) for o in (segment.overlays if segment else [])}
        push = CardPush(sku, card.as_dict(), list(card.product.selling_points), card.product.image, texts)
        events.append(show_event("card.push", f"push {card.product.name}", {
            "at_wall": now.wall, "segment": segment.id if segment else None, **push.as_dict()}))
        return push, events

    def _move(self, card: ProductCard, target: CardState, now: Instant, reason: str) -> list[ShowEvent]:
        before = card.state
        card.state = target
        return [show_event(f"card.{target.value}", f"{card.product.name}: {before.label_zh} → {target.label_zh}", {
            "at_wall": now.wall, "sku": card.sku, "product": card.product.name, "from": before.value,
            "to": target.value, "reason": reason, "stock": card.stock})]

    # -- stock ------------------------------------------------------------------------
    def adjust_stock(self, sku: str, delta: int, now: Instant, reason: str = "", *, force: bool = False) -> list[ShowEvent]:
        card = self.card(sku)
        return self.set_stock(sku, card.stock + int(delta), now, reason, force=force)

    def set_stock(self, sku: str, value: int, now: Instant, reason: str = "", *, force: bool = False) -> list[ShowEvent]:
        card = self.card(sku)
        if card.frozen and not force:
            raise refusal(CardError, "stock_frozen", product=card.product.name)
        value = int(value)
        if value > 100_000_000:
            raise refusal(CardError, "stock_implausible", product=card.product.name, value=value)
        if value < 0:
            raise refusal(CardError, "stock_negative", product=card.product.name, stock=card.stock)
        before = card.stock
        card.stock = value
        events = [show_event("stock.adjust", f"{card.product.name}: stock {before} → {value}", {
            "at_wall": now.wall, "sku": sku, "product": card.product.name, "from": before, "to": value, "delta": value - before, "reason": reason,
            "forced": bool(force and card.frozen)})]
        if card.low and not card.low_warned and value > 0:
            card.low_warned = True
            events.append(show_event("stock.low", f"{card.product.name}: stock {value} at or below safety stock {card.product.safety_stock}", {
                "at_wall": now.wall, "sku": sku, "product": card.product.name, "stock": value, "safety_stock": card.product.safety_stock}, Severity.WARNING))
        elif not card.low:
            card.low_warned = False
        if value == 0 and card.state in (CardState.ON_SHELF, CardState.EXPLAINING):
            events += self._move(card, CardState.SOLD_OUT, now, "stock reached 0")
        return events

    def freeze(self, sku: str, frozen: bool, now: Instant, reason: str = "") -> list[ShowEvent]:
        card = self.card(sku)
        if card.frozen == bool(frozen):
            return []
        card.frozen = bool(frozen)
        word = "frozen" if frozen else "unfrozen"
        return [show_event("stock.freeze", f"{card.product.name}: core stock {word}", {
            "at_wall": now.wall, "sku": sku, "product": card.product.name, "frozen": card.frozen, "stock": card.stock, "reason": reason})]

    # -- crash recovery -----------------------------------------------------------------
    def replay(self, kind: str, payload: dict[str, Any]) -> None:
        """Apply one logged card/stock event (no events produced)."""
        sku = payload.get("sku")
        card = self.cards.get(sku) if isinstance(sku, str) else None
        if card is None:
            return
        try:
            if kind.startswith("card.") and kind != "card.push" and "to" in payload:
                card.state = CardState(payload["to"])
                if card.state == CardState.EXPLAINING:
                    card.explain_count += 1
            elif kind == "stock.adjust":
                card.stock = int(payload["to"])
                card.low_warned = card.low
            elif kind == "stock.freeze":
                card.frozen = bool(payload["frozen"])
        except (KeyError, ValueError, TypeError):
            return
