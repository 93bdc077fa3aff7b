"""The review's numbers from the room's messages: the show, each segment, each product, and
the minute curves.

Definitions (the same in the dock, ``room summary`` and the report):
- viewers of a stretch = the rise of cumulative ``viewers`` (else ``entries``) over it;
- conversion = buyers (else orders) / viewers; GPM = GMV per 1,000 viewers;
- interaction rate = (new comments + new likes) per online viewer per minute (as the
  ``interaction_drop`` rule);
- a counter at a moment = the last ``stats`` value at or before it (cumulative counters).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from studio_app.room.messages import STATS_COUNTERS, RoomMessage
from studio_app.room.timefmt import iso


@dataclass(frozen=True)
class Span:
    id: str
    title: str
    start: float
    end: float


class StatsSeries:
    """The ``stats`` messages as per-field time series (carried forward where a field is missing)."""

    def __init__(self, messages: Iterable[RoomMessage]) -> None:
        self.ts: list[float] = []
        self.fields: dict[str, list[float | None]] = {k: [] for k in ("online", *STATS_COUNTERS)}
        last: dict[str, float | None] = dict.fromkeys(self.fields)
        for m in messages:
            if m.type != "stats":
                continue
            self.ts.append(m.ts)
            for k, series in self.fields.items():
                if k in m.data:
                    last[k] = m.data[k]
                series.append(last[k])

    def at(self, name: str, t: float) -> float | None:
        """The counter at ``t`` (the last value at or before; before the first: 0 for counters)."""
        i = bisect.bisect_right(self.ts, t) - 1
        if i < 0:
            return 0.0 if name != "online" else None
        return self.fields[name][i]

    def online_in(self, start: float, end: float) -> tuple[float | None, float | None]:
        """(average, peak) of ``online`` for samples in [start, end)."""
        i, j = bisect.bisect_left(self.ts, start), bisect.bisect_left(self.ts, end)
        values = [v for v in self.fields["online"][i:j] if v is not None]
        if not values:
            return None, None
        return sum(values) / len(values), max(values)

    def known(self, name: str) -> bool:
        return any(v is not None for v in self.fields[name])


def _delta(s: StatsSeries, name: str, start: float, end: float) -> float | None:
    if not s.known(name):
        return None
    a, b = s.at(name, start), s.at(name, end)
    return None if b is None else b - (a or 0.0)


def stretch(s: StatsSeries, start: float, end: float) -> dict[str, Any]:
    """The figures of [start, end)."""
    gmv = _delta(s, "gmv", start, end)
    orders = _delta(s, "orders", start, end)
    buyers = _delta(s, "buyers", start, end)
    viewers = _delta(s, "viewers", start, end)
    if viewers is None:
        viewers = _delta(s, "entries", start, end)
    comments = _delta(s, "comments", start, end)
    likes = _delta(s, "likes", start, end)
    avg, peak = s.online_in(start, end)
    buying = buyers if buyers is not None else orders
    minutes = max(end - start, 1e-9) / 60.0
    inter = None
    if avg and (comments is not None or likes is not None):
        inter = ((comments or 0.0) + (likes or 0.0)) / avg / minutes
    return {
        "gmv": _r(gmv, 2), "orders": _i(orders), "buyers": _i(buyers), "viewers": _i(viewers),
        "conversion": _r(buying / viewers, 4) if buying is not None and viewers else None,
        "gpm": _r(gmv / viewers * 1000.0, 2) if gmv is not None and viewers else None,
        "online_avg": _r(avg, 1), "online_peak": _i(peak), "interaction_rate": _r(inter, 4),
        "comments": _i(comments), "likes": _i(likes),
    }


def _r(v: float | None, digits: int) -> float | None:
    return None if v is None else round(float(v), digits)


def _i(v: float | None) -> int | None:
    return None if v is None else int(round(v))


def products(messages: Iterable[RoomMessage], names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for m in messages:
        if m.type != "product":
            continue
        sku = str(m.data.get("sku") or m.data.get("name"))
        p = out.setdefault(sku, {"sku": sku, "name": (names or {}).get(sku) or m.data.get("name") or sku,
                                 "sold": None, "gmv": None, "clicks": None, "stock": None, "sold_out_at": None})
        for k in ("sold", "gmv", "clicks", "stock"):
            if k in m.data:
                p[k] = m.data[k]
        if m.data.get("stock") == 0 and p["sold_out_at"] is None:
            p["sold_out_at"] = iso(m.ts)
        elif m.data.get("stock", 0) > 0:
            p["sold_out_at"] = None  # restocked: sold out again later, if at all
    for p in out.values():
        if p["gmv"] is not None:
            p["gmv"] = round(float(p["gmv"]), 2)
    return list(out.values())


def minute_curves(s: StatsSeries, start: float, end: float) -> dict[str, list]:
    """Per minute from ``start``: online (average), and per-minute rises of entries, comments,
    likes, orders and GMV. ``minutes`` holds each minute's start (UTC s)."""
    n = max(1, int((end - start) // 60) + (1 if (end - start) % 60 else 0))
    minutes = [start + 60 * i for i in range(n)]
    curves: dict[str, list] = {"minutes": minutes, "online": []}
    for t in minutes:
        avg, _ = s.online_in(t, t + 60)
        curves["online"].append(_r(avg, 1))
    for name in ("entries", "comments", "likes", "orders", "gmv"):
        if not s.known(name):
            curves[name] = [None] * n
            continue
        values = [s.at(name, t) or 0.0 for t in [*minutes, minutes[-1] + 60]]
        curves[name] = [round(b - a, 2) for a, b in zip(values, values[1:])]
    return curves


def summarise(messages: Sequence[RoomMessage], spans: Sequence[Span], names: dict[str, str] | None = None
              ) -> dict[str, Any]:
    """``{"show": {...}, "segments": [...], "products": [...]}`` as ``room summary --json``."""
    s = StatsSeries(messages)
    if messages:
        start, end = messages[0].ts, messages[-1].ts + 1e-6
    else:
        start = end = 0.0
    show = {"start": iso(start) if messages else None, "end": iso(end) if messages else None,
            "messages": len(messages), **stretch(s, start - 1e-6, end)}
    for name in ("viewers", "entries", "likes", "comments", "shares", "follows", "orders", "buyers"):
        if s.known(name):
            show[name] = _i(s.at(name, end))
        else:
            show.setdefault(name, None)  # viewers falls back on entries (stretch)
    show["gmv"] = _r(s.at("gmv", end), 2) if s.known("gmv") else None
    show["comment_messages"] = sum(1 for m in messages if m.type == "comment")
    segments = []
    for sp in spans:
        segments.append({"id": sp.id, "title": sp.title, "start": iso(sp.start), "end": iso(sp.end),
                         **stretch(s, sp.start, sp.end)})
    return {"show": show, "segments": segments, "products": products(messages, names)}
