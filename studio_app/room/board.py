"""What the 数据大屏 dock shows, computed without Qt: big numbers with their 5-minute trends, the
segments compared, the products with sell rate and sold-out ETA, the comment ticker, and
whether the data is stale.

:class:`RoomBoard` is an ingest listener (:meth:`accept`, any thread) and is read with
:meth:`snapshot` (any thread; the dock's timer calls it). Numbers are never shown as current
when old: while the show is live and nothing has arrived for :data:`STALE_S` seconds,
``stale`` is set and the dock says DATA STALE. Memory is bounded (10 minutes of stats, the last
:data:`TICKER` comments).
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from studio_app.room.messages import RoomMessage
from studio_app.room.rules import TECH_RUNBOOKS, Rule, WordMatcher

STALE_S = 10.0
TREND_S = 300.0
TICKER = 40


@dataclass
class _Level:
    """The online count over a stretch, as a running count, sum and peak: a segment hears a
    stats message every second or so for as long as it runs, and kept as a list those
    readings grew the whole segment (issue 20)."""

    n: int = 0
    total: float = 0.0
    peak: float | None = None

    def add(self, value: float) -> None:
        self.n += 1
        self.total += value
        self.peak = value if self.peak is None else max(self.peak, value)

    @classmethod
    def of(cls, values: Iterable[float]) -> "_Level":
        level = cls()
        for v in values:
            level.add(v)
        return level


@dataclass
class _Segment:
    id: str
    title: str
    start_ts: float | None  # None until the first message after the segment began
    start: dict[str, float]
    end: dict[str, float] | None = None
    end_ts: float | None = None
    online: _Level = field(default_factory=_Level)


def _rates(a: Mapping[str, float], b: Mapping[str, float], online: _Level, seconds: float) -> dict[str, Any]:
    """The figures of a stretch between counter readings ``a`` and ``b`` (as room.summary)."""
    d = {k: b.get(k, 0.0) - a.get(k, 0.0) for k in ("gmv", "orders", "buyers", "viewers", "entries", "comments",
                                                      "likes")}
    viewers = d["viewers"] or d["entries"]
    buying = d["buyers"] or d["orders"]
    avg = online.total / online.n if online.n else None
    minutes = max(seconds, 1.0) / 60.0
    return {"gmv": d["gmv"], "orders": int(d["orders"]),
            "conversion": buying / viewers if viewers else None,
            "gpm": d["gmv"] / viewers * 1000 if viewers else None,
            "online_avg": avg, "online_peak": online.peak,
            "interaction_rate": (d["comments"] + d["likes"]) / avg / minutes if avg else None}


class RoomBoard:
    def __init__(self, rules: Mapping[str, Rule], *, names: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic, replay: bool = False) -> None:
        t = rules["tech_complaints"]
        c = rules["complaint_surge"]
        self._tech = WordMatcher(t["words"], t["ignore"])
        self._complaint = WordMatcher({"complaints": c["words"]}, c["ignore"])
        self._names = dict(names or {})
        self.clock = clock
        self.replay = replay
        self._lock = threading.Lock()
        self._stats: deque[tuple[float, dict[str, float]]] = deque()  # (ts, counters + online), 10 min
        self._totals: dict[str, float] = {}
        self._products: dict[str, dict[str, Any]] = {}
        self._product_hist: dict[str, deque[tuple[float, int]]] = {}
        self._ticker: deque[dict[str, Any]] = deque(maxlen=TICKER)
        self._segments: list[_Segment] = []
        self._last_arrival: float | None = None
        self._last_ts: float | None = None
        self.live = False
        self._conflicts: dict[str, dict] = {}  # sku -> the newest stock conflict (frozen card)

    # -- input --------------------------------------------------------------------------
    def accept(self, msg: RoomMessage) -> None:
        with self._lock:
            self._last_arrival = self.clock()
            self._last_ts = msg.ts if self._last_ts is None else max(self._last_ts, msg.ts)
            d = msg.data
            if self._segments and self._segments[-1].start_ts is None:
                self._segments[-1].start_ts = msg.ts
            if msg.type == "stats":
                self._totals.update(d)
                self._stats.append((msg.ts, dict(self._totals)))
                while self._stats and self._stats[0][0] < msg.ts - 2 * TREND_S:
                    self._stats.popleft()
                if self._segments and "online" in d:
                    self._segments[-1].online.add(d["online"])
            elif msg.type == "comment":
                text = d["text"]
                tech = self._tech.match(text)
                complaint = self._complaint.match(text)
                kind = "tech" if tech else ("complaint" if complaint else "")
                words = sorted({w for ws in (tech or complaint).values() for w in ws}, key=len, reverse=True)
                self._ticker.append({"ts": msg.ts, "user": d.get("user", ""), "text": text, "kind": kind,
                                     "words": words[:3], "runbook": next((g for g in TECH_RUNBOOKS if g in tech), "")})
            elif msg.type == "product":
                sku = str(d.get("sku") or d.get("name"))
                p = self._products.setdefault(sku, {"sku": sku, "name": self._names.get(sku) or d.get("name") or sku})
                p.update({k: v for k, v in d.items() if k in ("sold", "stock", "clicks", "gmv")})
                if "sold" in d:
                    hist = self._product_hist.setdefault(sku, deque())
                    hist.append((msg.ts, d["sold"]))
                    while len(hist) > 2 and hist[1][0] <= msg.ts - TREND_S:
                        hist.popleft()

    def stock_conflict(self, conflict: dict) -> None:
        """The platform's stock disagrees with a frozen card (from StockSync)."""
        with self._lock:
            self._conflicts[str(conflict.get("sku"))] = dict(conflict)

    def segment_started(self, segment_id: str, title: str) -> None:
        """The desk went to a segment (the studio's state): its figures start from now."""
        with self._lock:
            if self._segments and self._segments[-1].id == segment_id:
                return
            now = self._last_ts
            if self._segments:
                self._segments[-1].end = dict(self._totals)
                self._segments[-1].end_ts = now
            self._segments.append(_Segment(segment_id, title, now, dict(self._totals)))
            del self._segments[:-30]

    # -- output -------------------------------------------------------------------------
    def _at(self, ts: float) -> dict[str, float] | None:
        for t, values in self._stats:
            if t >= ts:
                return values
        return None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            now_mono = self.clock()
            age = None if self._last_arrival is None else now_mono - self._last_arrival
            stale = self.live and (age is None or age > STALE_S)
            last = self._stats[-1] if self._stats else None
            numbers: dict[str, Any] = {}
            if last is not None:
                ts, cur = last
                then = self._at(ts - TREND_S)
                start = self._stats[0]
                window = _Level.of(v["online"] for t, v in self._stats if t >= ts - TREND_S and v.get("online") is not None)
                base_ts, base = (ts - TREND_S, then) if then is not None else start
                figures = _rates(base, cur, window, ts - base_ts)  # the last 5 minutes
                older = _Level.of(v["online"] for t, v in self._stats if t < ts - TREND_S and v.get("online") is not None)
                # the 5 minutes before, when the board has them
                before = _rates(start[1], then, older, ts - TREND_S - start[0]) if (
                    then is not None and start[0] <= ts - 2 * TREND_S + 30) else None
                for key in ("online", "gmv", "orders"):
                    numbers[key] = {"value": cur.get(key), "trend": self._trend(key, ts)}
                for key in ("conversion", "gpm", "interaction_rate"):
                    prev = before.get(key) if before else None
                    val = figures.get(key)
                    numbers[key] = {"value": val, "trend": (val - prev) / prev if val is not None and prev else None}
                numbers["spark"] = {"online": [v.get("online") for t, v in self._stats if t >= ts - TREND_S][-60:]}
            products = []
            for sku, p in self._products.items():
                hist = self._product_hist.get(sku)
                rate = None
                if hist and len(hist) >= 2 and hist[-1][0] - hist[0][0] >= 30:
                    rate = (hist[-1][1] - hist[0][1]) / (hist[-1][0] - hist[0][0]) * 60.0
                stock = p.get("stock")
                eta = stock / rate * 60.0 if rate and stock else (0.0 if stock == 0 else None)
                products.append({**p, "rate_per_min": rate, "eta_s": eta})
            segments = []
            for i, seg in enumerate(self._segments):
                end = seg.end if seg.end is not None else dict(self._totals)
                start_ts = seg.start_ts if seg.start_ts is not None else (self._last_ts or 0.0)
                end_ts = seg.end_ts if seg.end_ts is not None else (self._last_ts or start_ts)
                segments.append({"id": seg.id, "title": seg.title, "current": seg.end is None,
                                 **_rates(seg.start, end, seg.online, (end_ts or start_ts) - start_ts)})
            return {"numbers": numbers, "products": products, "segments": segments, "ticker": list(self._ticker),
                    "stale": stale, "age_s": age, "replay": self.replay, "live": self.live,
                    "conflicts": list(self._conflicts.values())}

    def _trend(self, key: str, ts: float) -> float | None:
        """Change of ``key`` over the last 5 minutes: online as a level, the counters as rates."""
        now = self._stats[-1][1].get(key)
        then = self._at(ts - TREND_S)
        start_ts, start = self._stats[0]
        if now is None or then is None or start_ts > ts - TREND_S - 1:
            return None
        if key == "online":
            return (now - then.get(key, 0)) / then[key] if then.get(key) else None
        recent = now - then.get(key, 0.0)
        earlier = then.get(key, 0.0) - start.get(key, 0.0)
        span_earlier = max(1.0, (ts - TREND_S) - start_ts)
        earlier_rate = earlier / span_earlier * TREND_S
        return (recent - earlier_rate) / earlier_rate if earlier_rate else None
