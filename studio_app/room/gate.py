"""The gate every room message passes before it counts: duplicates, order, counters going back.

A bridge may resend (a retry after a time-out), deliver late, or the platform may reset its
counters (the room was reopened). :class:`RoomGate` decides, for each parsed message, whether
it is accepted, and says why not in one line with a short reason code, counted per code:

- ``duplicate``: the same message twice (same ``id``, or same ts, type and fields). Remembered:
  the accepted messages of the last :data:`DEDUP_SPAN_S` of message time (a resend comes
  seconds after the original), and never more than :data:`DEDUP_WINDOW`, so memory stays flat.
  A file import, which learns a whole stored show first, remembers by count only.
- ``out_of_order``: ``stats`` and a product's ``product`` messages must come in time order
  (their counters are differences between consecutive messages); comments, gifts, follows and
  entries may be up to :data:`REORDER_TOLERANCE_S` late (several bridges, several sockets).
- ``counter_reset``: a cumulative counter went down. The message is refused; if the next
  :data:`RESET_CONFIRM` messages agree (the platform really started again from zero), the
  gate accepts the reset and carries the totals on, so the show's totals never go backwards
  and nothing accepted before is lost. Values the gate hands on are always *show* totals.

Pure and single-threaded (the ingest holds a lock around it); no clock: times are the
messages' own.
"""
from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, replace

from studio_app.room.messages import PRODUCT_COUNTERS, STATS_COUNTERS, RoomMessage

DEDUP_WINDOW = 200_000  # about an hour of a very busy room
# Message time, not the clock: a bridge cut off for an hour resends the batch it had in flight,
# whose times are next to the newest accepted. Older duplicates are refused all the same, as
# out of order. Ten minutes of a very busy room (50 a second) is 30,000 hashes, ~2.5 MB; the
# count alone let the set grow to 200,000 (~16 MB) over a show.
DEDUP_SPAN_S = 600.0
REORDER_TOLERANCE_S = 5.0
RESET_CONFIRM = 3  # backwards messages in a row that make a reset real


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str  # duplicate | out_of_order | counter_reset
    message: str


class _Counters:
    """One stream of cumulative counters (the room's stats, or one product)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.last_ts: float | None = None
        self.raw: dict[str, float] = {}  # the platform's last accepted values
        self.offset: dict[str, float] = {}  # added after a confirmed reset
        self.backwards = 0  # refused backwards messages in a row
        self.reset = False  # the last accepted message confirmed a reset

    def check(self, msg: RoomMessage, what: str) -> Refusal | None | dict:
        if self.last_ts is not None and msg.ts <= self.last_ts:
            return Refusal("out_of_order", f"{what}: ts is {self.last_ts - msg.ts:.3f} s before the previous "
                                           f"{what} (must be later)")
        went_down = [n for n in self.names if n in msg.data and n in self.raw and msg.data[n] < self.raw[n]]
        if went_down and self.backwards + 1 < RESET_CONFIRM:
            self.backwards += 1
            n = went_down[0]
            return Refusal("counter_reset", f"{what}.{n} went down from {self.raw[n]:g} to {msg.data[n]:g} "
                                            "(a platform reset?); refused until it is confirmed")
        data = dict(msg.data)
        self.reset = bool(went_down)
        for n in self.names:
            if n not in data:
                continue
            if n in self.raw and data[n] < self.raw[n]:  # confirmed reset: carry the show's total on
                self.offset[n] = self.offset.get(n, 0.0) + self.raw[n]
            self.raw[n] = data[n]
            if self.offset.get(n):
                total = data[n] + self.offset[n]
                data[n] = int(total) if isinstance(msg.data[n], int) else total
        self.backwards = 0
        self.last_ts = msg.ts
        return data


class RoomGate:
    def __init__(self, span_s: float | None = DEDUP_SPAN_S) -> None:
        """``span_s``: how much message time of accepted messages is remembered for ``duplicate``
        (None: the last :data:`DEDUP_WINDOW` messages, however old)."""
        self._seen: set[int] = set()
        self._order: deque[int] = deque()
        self._span_s = span_s
        self._order_ts: deque[float] = deque()  # the times of ``_order`` (with a span)
        self._stats = _Counters(STATS_COUNTERS)
        self._products: dict[str, _Counters] = {}
        self._latest_ts: float | None = None
        self.accepted = 0
        self.refused: Counter[str] = Counter()
        self.resets = 0

    def admit(self, msg: RoomMessage) -> RoomMessage | Refusal:
        """The message as the show should count it (totals carried over resets), or a Refusal."""
        key = hash(msg.key())  # 64-bit hashes, not the messages: 200,000 cost ~12 MB
        if key in self._seen:
            return self._refuse(Refusal("duplicate", f"{msg.type}: the same message was already received"))
        if msg.type == "stats":
            result = self._stats.check(msg, "stats")
        elif msg.type == "product":
            sku = str(msg.data.get("sku") or msg.data.get("name"))
            stream = self._products.get(sku)
            if stream is None:
                stream = self._products[sku] = _Counters(PRODUCT_COUNTERS)
            result = stream.check(msg, f"product {sku}")
        else:
            if self._latest_ts is not None and msg.ts < self._latest_ts - REORDER_TOLERANCE_S:
                return self._refuse(Refusal("out_of_order", f"{msg.type}: ts is {self._latest_ts - msg.ts:.1f} s "
                                                            f"behind the room (at most {REORDER_TOLERANCE_S:g} s late)"))
            result = dict(msg.data)
        if isinstance(result, Refusal):
            return self._refuse(result)
        if msg.type in ("stats", "product") and (self._stats if msg.type == "stats" else stream).reset:
            self.resets += 1
        self.accepted += 1
        if self._latest_ts is None or msg.ts > self._latest_ts:
            self._latest_ts = msg.ts
        self._remember(key, msg.ts)
        return msg if result == msg.data else replace(msg, data=result)

    def _remember(self, key: int, ts: float) -> None:
        self._seen.add(key)
        self._order.append(key)
        if self._span_s is None:
            if len(self._order) > DEDUP_WINDOW:
                self._seen.discard(self._order.popleft())
            return
        self._order_ts.append(ts)
        edge = self._latest_ts - self._span_s  # comments may come a little late: roughly in order
        while self._order_ts and (self._order_ts[0] < edge or len(self._order) > DEDUP_WINDOW):
            self._order_ts.popleft()
            self._seen.discard(self._order.popleft())

    def _refuse(self, refusal: Refusal) -> Refusal:
        self.refused[refusal.reason] += 1
        return refusal

    def counts(self) -> dict[str, int]:
        return {"accepted": self.accepted, **{k: int(v) for k, v in sorted(self.refused.items())}}
