"""The rundown (直播脚本) as plain data: a show, its segments, products, coupons, coupon
drops and flash sales. All durations and offsets are in seconds (float).

These classes hold the *plan*; what happens live is kept by the cue engine, the card
board and the scheduler, which refer to plan items by id.
"""
from __future__ import annotations

import datetime as dt
import enum
import math
import re
from dataclasses import dataclass, field

DEFAULT_WARNING_S = 120.0  # Ontime's defaults: warning at 2 min left, danger at 1 min left
DEFAULT_DANGER_S = 60.0
DEFAULT_COUPON_LEAD_S = 60.0
MAX_COUPON_ISSUE_S = 20 * 60.0  # platforms issue one batch for at most 20 minutes


class Platform(str, enum.Enum):
    DOUYIN = "抖音"
    TAOBAO = "淘宝"
    KUAISHOU = "快手"
    OTHER = "other"

    @classmethod
    def parse(cls, text: str) -> "Platform":
        t = str(text).strip()
        aliases = {"douyin": cls.DOUYIN, "taobao": cls.TAOBAO, "kuaishou": cls.KUAISHOU, "其他": cls.OTHER}
        for p in cls:
            if t == p.value or t.lower() == p.name.lower():
                return p
        if t.lower() in aliases:
            return aliases[t.lower()]
        raise ValueError(f"expected one of 抖音, 淘宝, 快手, other, got {text!r}")


class SegmentKind(str, enum.Enum):
    OPENING = "opening"
    PRODUCT = "product"  # product explanation (讲解)
    INTERACTION = "interaction"
    FLASH_SALE = "flash_sale"
    COUPON = "coupon"
    LUCKY_DRAW = "lucky_draw"
    CLOSING = "closing"
    BREAK = "break"
    CUSTOM = "custom"

    @property
    def label_zh(self) -> str:
        return _KIND_ZH[self]

    @classmethod
    def parse(cls, text: str) -> "SegmentKind":
        t = str(text).strip()
        low = t.lower().replace("-", "_").replace(" ", "_")
        for k in cls:
            if low == k.value or t == _KIND_ZH[k]:
                return k
        if t in _KIND_ALIASES:
            return _KIND_ALIASES[t]
        if low in _KIND_ALIASES:
            return _KIND_ALIASES[low]
        choices = ", ".join(f"{k.value}/{_KIND_ZH[k]}" for k in cls)
        raise ValueError(f"expected a segment kind ({choices}), got {text!r}")


_KIND_ZH = {
    SegmentKind.OPENING: "开场",
    SegmentKind.PRODUCT: "讲解",
    SegmentKind.INTERACTION: "互动",
    SegmentKind.FLASH_SALE: "秒杀",
    SegmentKind.COUPON: "发券",
    SegmentKind.LUCKY_DRAW: "福袋",
    SegmentKind.CLOSING: "收尾",
    SegmentKind.BREAK: "休息",
    SegmentKind.CUSTOM: "自定义",
}
_KIND_ALIASES = {
    "product_explanation": SegmentKind.PRODUCT,
    "explain": SegmentKind.PRODUCT,
    "商品讲解": SegmentKind.PRODUCT,
    "抽奖": SegmentKind.LUCKY_DRAW,
    "lucky_bag": SegmentKind.LUCKY_DRAW,
    "优惠券": SegmentKind.COUPON,
    "结束": SegmentKind.CLOSING,
    "下播": SegmentKind.CLOSING,
    "flash": SegmentKind.FLASH_SALE,
    "限时秒杀": SegmentKind.FLASH_SALE,
    "暖场": SegmentKind.OPENING,
    "其他": SegmentKind.CUSTOM,
}

_UNIT_S = {
    "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0, "小时": 3600.0, "时": 3600.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0, "分钟": 60.0, "分": 60.0,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0, "秒": 1.0, "秒钟": 1.0,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(小时|分钟|秒钟|hours|hour|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s|时|分|秒)", re.I)
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\s*$")


def parse_duration(value: object, *, bare_number_unit: float | None = None) -> float:
    """Seconds from "5m", "90s", "1m30s", "1h", "1.5m", "05:00" (mm:ss), "1:05:00",
    "5分钟", "1分30秒". A bare number is accepted only when ``bare_number_unit`` says what
    it means (spreadsheets: minutes). Raises ValueError with a short reason.
    """
    if isinstance(value, bool):
        raise ValueError(f'expected a duration like "5m" or "90s", got {_quoted(value)}')
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dt.time):  # spreadsheets store 00:05:00 as a time of day
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    if isinstance(value, (int, float)):
        if bare_number_unit is None or not math.isfinite(value) or value < 0:
            raise ValueError(f'expected a duration like "5m" or "90s", got {_quoted(value)}')
        return float(value) * bare_number_unit
    if not isinstance(value, str):
        raise ValueError(f'expected a duration like "5m" or "90s", got {_quoted(value)}')
    text = value.strip()
    if not text:
        raise ValueError('expected a duration like "5m" or "90s", got an empty value')
    m = _CLOCK.match(text)
    if m:
        h, mm, ss = m.groups()
        if float(ss) >= 60:
            raise ValueError(f"seconds must be below 60 in {value!r}")
        return int(h or 0) * 3600.0 + int(mm) * 60.0 + float(ss)
    total = 0.0
    pos = 0
    n = 0
    for part in _PART.finditer(text):
        if part.start() != pos:
            break
        total += float(part.group(1)) * _UNIT_S[part.group(2).lower()]
        pos = part.end()
        n += 1
    if n and text[pos:].strip() == "":
        return total
    if bare_number_unit is not None:
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(number) and number >= 0:
                return number * bare_number_unit
    raise ValueError(f'expected a duration like "5m" or "90s", got {_quoted(value)}')


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def format_duration(seconds: float) -> str:
    """The file form of a duration: "5m", "90s" -> "1m30s", "1h5m"."""
    s = int(round(seconds))
    if s == 0:
        return "0s"
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    out = ""
    if h:
        out += f"{h}h"
    if m:
        out += f"{m}m"
    if sec:
        out += f"{sec}s"
    return out


def format_clock(seconds: float, *, sign: bool = False) -> str:
    """Countdown form for screens: "03:00", "1:05:00", "-00:12" (whole seconds, rounded up
    while counting down so "00:01" shows until the very end)."""
    neg = seconds < 0
    s = int(math.ceil(abs(seconds) - 1e-9)) if not neg else int(math.floor(abs(seconds) + 1e-9))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    body = f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"
    if neg:
        return "-" + body
    return ("+" + body) if sign else body


@dataclass(slots=True)
class OverlayAction:
    """Set OBS text source ``source`` to ``template`` when the segment goes live.

    Templates use ``{show.title}``, ``{segment.title}``, ``{product.name}``,
    ``{product.live_price}`` ...; see :func:`studio_app.show.cards.overlay_context`.
    """

    source: str
    template: str


@dataclass(slots=True)
class Product:
    sku: str
    name: str
    list_price: float | None = None
    live_price: float | None = None
    stock: int = 0
    safety_stock: int = 0
    selling_points: list[str] = field(default_factory=list)
    image: str = ""
    frozen: bool = False  # core stock locked: manual adjustments are refused until unfrozen


@dataclass(slots=True)
class Segment:
    id: str
    title: str
    kind: SegmentKind = SegmentKind.CUSTOM
    duration: float = 300.0
    script: str = ""
    talking_points: list[str] = field(default_factory=list)
    notes: str = ""  # desk-only, never on the anchor's screen
    products: list[str] = field(default_factory=list)  # SKUs
    scene: str = ""  # OBS scene to switch to
    overlays: list[OverlayAction] = field(default_factory=list)
    warning: float = DEFAULT_WARNING_S
    danger: float = DEFAULT_DANGER_S


@dataclass(slots=True)
class Coupon:
    id: str
    name: str
    rule: str = ""  # e.g. 满200减30
    quantity: int = 0
    duration: float = 600.0  # how long the platform issues the batch


@dataclass(slots=True)
class Timing:
    """When something fires: ``offset`` seconds into segment ``segment``, or, when
    ``segment`` is empty, ``offset`` seconds on the show clock (since the first GO)."""

    segment: str = ""
    offset: float = 0.0

    def describe(self) -> str:
        if self.segment:
            return f"{self.segment} +{format_duration(self.offset)}"
        return f"show +{format_duration(self.offset)}"


@dataclass(slots=True)
class CouponDrop:
    id: str
    coupon: str  # Coupon.id
    at: Timing = field(default_factory=Timing)
    lead: float = DEFAULT_COUPON_LEAD_S  # pre-announce this long before the drop


@dataclass(slots=True)
class FlashSale:
    id: str
    product: str  # SKU
    price: float
    quantity: int
    at: Timing = field(default_factory=Timing)
    duration: float = 300.0
    lead: float = DEFAULT_COUPON_LEAD_S
    title: str = ""


@dataclass(slots=True)
class Show:
    id: str
    title: str
    platform: Platform = Platform.OTHER
    planned_start: dt.datetime | None = None
    anchors: list[str] = field(default_factory=list)
    target_gmv: float | None = None  # 目标成交额 (yuan): the room's gmv_pace alert measures against it
    segments: list[Segment] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    coupons: list[Coupon] = field(default_factory=list)
    coupon_drops: list[CouponDrop] = field(default_factory=list)
    flash_sales: list[FlashSale] = field(default_factory=list)
    compliance_allow: list[str] = field(default_factory=list)  # product names, trademarks: never flagged
    source: str = ""  # the file it came from, for messages

    # -- look-ups ---------------------------------------------------------------------
    def segment_index(self, segment_id: str) -> int:
        for i, s in enumerate(self.segments):
            if s.id == segment_id:
                return i
        raise KeyError(segment_id)

    def product(self, sku: str) -> Product:
        for p in self.products:
            if p.sku == sku:
                return p
        raise KeyError(sku)

    def coupon(self, coupon_id: str) -> Coupon:
        for c in self.coupons:
            if c.id == coupon_id:
                return c
        raise KeyError(coupon_id)

    @property
    def planned_duration(self) -> float:
        return sum(s.duration for s in self.segments)

    def planned_offset(self, index: int) -> float:
        """Seconds from the show start to the planned start of segment ``index``."""
        return sum(s.duration for s in self.segments[:index])

    def timing_offset(self, t: Timing) -> float:
        """The planned show-clock time of a :class:`Timing`."""
        if t.segment:
            return self.planned_offset(self.segment_index(t.segment)) + t.offset
        return t.offset
