"""The show: rundown model and files, cue timing, product cards, coupon and flash-sale
timing, and the advertising-law compliance check.

Everything here is pure Python: no Qt, no database, and every function that depends on
time takes the clock as an argument (``now``), so the desk, the tests and a resumed
process all compute the same thing. The desk (``studio_app.ui``) drives a
:class:`~studio_app.show.desk.ShowDesk` and writes the events it returns to the log.
"""
from __future__ import annotations

from studio_app.show.errors import RundownError
from studio_app.show.model import (
    Coupon,
    CouponDrop,
    FlashSale,
    OverlayAction,
    Platform,
    Product,
    Segment,
    SegmentKind,
    Show,
    format_duration,
    parse_duration,
)

__all__ = [
    "Coupon",
    "CouponDrop",
    "FlashSale",
    "OverlayAction",
    "Platform",
    "Product",
    "RundownError",
    "Segment",
    "SegmentKind",
    "Show",
    "format_duration",
    "parse_duration",
]
