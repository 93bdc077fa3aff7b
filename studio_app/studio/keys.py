"""The desk's keys: one table, every key a registry action (or a desk-only command such as
"write a message"). The desk's menu and its shortcuts are built from it; the README lists it.

``needs`` says what the desk adds from its selection: "card" (the selected card's SKU),
"item" (the selected coupon drop or flash sale), "segment" (the selected segment).
``show_key``: a key of the show (GO, back, hold, coupon, product keys): it works whatever
has the keyboard, except while a person types text (then the text field keeps it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class KeyBinding:
    id: str
    keys: tuple[str, ...]
    action: str = ""  # a registry action; "" for a desk command (the desk handles ``id``)
    args: Mapping[str, Any] = field(default_factory=dict)
    needs: str = ""
    show_key: bool = False


def _k(id: str, keys: str | tuple[str, ...], action: str = "", needs: str = "", show_key: bool = False,  # noqa: A002
       **args: Any) -> KeyBinding:
    return KeyBinding(id, (keys,) if isinstance(keys, str) else tuple(keys), action, args, needs, show_key)


DESK_KEYS: tuple[KeyBinding, ...] = (
    _k("go", "Space", "show.go", show_key=True),
    _k("back", "Backspace", "show.back", show_key=True),
    _k("jump", "Ctrl+J", "show.jump", needs="segment"),
    _k("toggle_hold", "H", "show.hold", show_key=True),
    _k("add_30", ("+", "="), "show.adjust", show_key=True, seconds=30),
    _k("sub_30", "-", "show.adjust", show_key=True, seconds=-30),
    _k("add_60", ("Ctrl++", "Ctrl+="), "show.adjust", seconds=60),
    _k("sub_60", "Ctrl+-", "show.adjust", seconds=-60),
    _k("end_show", "Ctrl+Shift+E", "show.end"),
    *(_k(f"push_{n}", str(n), "card.push", show_key=True, slot=n) for n in range(1, 10)),
    _k("push", "P", "card.push", needs="card", show_key=True),
    _k("card_stop", "X", "card.stop", show_key=True),
    _k("shelve", "Ctrl+U", "card.shelve", needs="card"),
    _k("unshelve", "Ctrl+Shift+U", "card.unshelve", needs="card"),
    _k("sold_out", "S", "card.sold_out", needs="card", show_key=True),
    _k("stock_plus1", "]", "stock.adjust", needs="card", show_key=True, delta=1, reason="desk"),
    _k("stock_minus1", "[", "stock.adjust", needs="card", show_key=True, delta=-1, reason="desk"),
    _k("stock_plus10", "}", "stock.adjust", needs="card", show_key=True, delta=10, reason="desk"),
    _k("stock_minus10", "{", "stock.adjust", needs="card", show_key=True, delta=-10, reason="desk"),
    _k("freeze", "Ctrl+F", "stock.freeze", needs="card"),
    _k("coupon_drop_now", "Ctrl+D", "coupon.drop_now", needs="item"),
    _k("coupon_delay", "Ctrl+L", "coupon.delay", needs="item", seconds=60),
    _k("coupon_cancel", "Ctrl+Shift+C", "coupon.cancel", needs="item", reason="desk"),
    _k("coupon_confirm", "C", "coupon.confirm", show_key=True),
    _k("coupons_pause", "Ctrl+P", "coupon.pause_all"),
    _k("message", "Ctrl+M"),
    _k("message_blink", "Ctrl+B", "message.blink"),
    _k("message_blackout", "Ctrl+Shift+B", "message.blackout"),
    _k("message_hide", "Esc", "message.hide"),
    _k("override", "Ctrl+Shift+O"),
    _k("editor", "Ctrl+E"),
    _k("open", "Ctrl+O"),
)
KEYS_BY_ID: Mapping[str, KeyBinding] = {k.id: k for k in DESK_KEYS}
