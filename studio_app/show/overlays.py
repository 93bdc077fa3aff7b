"""On-stream overlay texts (商品条/优惠券条): templates such as ``{name} 直播价 ¥{price}``
filled from a product or a coupon and written to named OBS text sources.

Formatting is safe: only plain names (``{price}``, ``{price:.2f}``) are allowed, never
attribute or index access (``{name.__class__}``), and a missing value is a clear
:class:`OverlayError` naming the template and the missing key, never a crash or a
half-filled overlay on air. Pure: no Qt, no OBS; :func:`apply` takes anything with a
``set_text(source, text)`` method (``hardware.obs.ObsLink``).
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Mapping, Protocol


class OverlayError(ValueError):
    """A template that cannot be filled; ``str()`` is one line naming the template."""


@dataclass(frozen=True, slots=True)
class OverlayTemplate:
    name: str  # "product", "coupon", ...
    source: str  # OBS text source to write to
    template: str

    def keys(self) -> list[str]:
        return template_keys(self.template, self.name)

    def render(self, values: Mapping[str, Any]) -> str:
        return render(self.template, values, self.name)


PRODUCT_TEMPLATE = OverlayTemplate("product", "Product Bar", "{name} 直播价 ¥{price}")
COUPON_TEMPLATE = OverlayTemplate("coupon", "Coupon Bar", "{name} {rule} 限量{quantity}张")

_formatter = string.Formatter()


def template_keys(template: str, name: str = "template") -> list[str]:
    """The value names a template uses, in order; OverlayError if it is malformed."""
    keys: list[str] = []
    try:
        parts = list(_formatter.parse(template))
    except ValueError as exc:
        raise OverlayError(f"overlay {name!r}: malformed template {template!r} ({exc}; write {{{{ and }}}} for literal braces)") from None
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field == "" or not field.isidentifier():
            raise OverlayError(f"overlay {name!r}: {{{field}}} is not allowed in {template!r}: use plain names such as {{price}}")
        if spec and "{" in spec:
            raise OverlayError(f"overlay {name!r}: nested fields are not allowed in {template!r}")
        if conversion not in (None, "s"):
            raise OverlayError(f"overlay {name!r}: !{conversion} is not allowed in {template!r}")
        if field not in keys:
            keys.append(field)
    return keys


def render(template: str, values: Mapping[str, Any], name: str = "template") -> str:
    """Fill ``template`` from ``values``; OverlayError on a missing key or a bad format spec."""
    keys = template_keys(template, name)
    missing = [k for k in keys if values.get(k) is None]
    if missing:
        have = ", ".join(sorted(k for k, v in values.items() if v is not None)) or "nothing"
        raise OverlayError(f"overlay {name!r} needs {', '.join('{' + k + '}' for k in missing)} but has only: {have}")
    out: list[str] = []
    for literal, field, spec, conversion in _formatter.parse(template):
        out.append(literal)
        if field is None:
            continue
        value = values[field]
        try:
            out.append(format(value if conversion is None else str(value), spec or ""))
        except (ValueError, TypeError) as exc:
            raise OverlayError(f"overlay {name!r}: cannot format {{{field}:{spec}}} with {value!r} ({exc})") from None
    return "".join(out)


def _price(v: Any) -> Any:
    """Prices without a pointless ".0": 99.0 -> "99", 99.5 -> "99.5"."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def product_values(product: Any) -> dict[str, Any]:
    """Template values of a product (``studio_app.show.model.Product`` or a mapping)."""
    get = product.get if isinstance(product, Mapping) else (lambda k, d=None: getattr(product, k, d))
    live, listed = get("live_price"), get("list_price")
    price = live if live is not None else get("price", listed)
    return {
        "name": get("name"),
        "sku": get("sku"),
        "price": _price(price),
        "live_price": _price(live),
        "list_price": _price(listed),
        "stock": get("stock"),
        "saving": _price(round(listed - live, 2)) if live is not None and listed is not None else None,
    }


def coupon_values(coupon: Any) -> dict[str, Any]:
    """Template values of a coupon (``studio_app.show.model.Coupon`` or a mapping)."""
    get = coupon.get if isinstance(coupon, Mapping) else (lambda k, d=None: getattr(coupon, k, d))
    return {"name": get("name"), "id": get("id"), "rule": get("rule"), "quantity": get("quantity")}


class TextTarget(Protocol):
    def set_text(self, source: str, text: str) -> Any: ...


def apply(target: TextTarget, template: OverlayTemplate, values: Mapping[str, Any]) -> Any:
    """Render and send to ``template.source``. Raises OverlayError *before* touching OBS,
    so a bad template never puts half a text on air. Returns what ``set_text`` returns
    (an ObsLink future)."""
    return target.set_text(template.source, template.render(values))
