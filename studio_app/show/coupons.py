"""Coupon drops (发券) and flash sales (秒杀) on time.

The :class:`CouponScheduler` is pure: it holds the plan and what has happened, and
``due(now)`` says what fires at ``now`` (pre-announce, drop, flash start/end, batch end,
missed). Drop times anchored to a segment follow the live cue state (an overrunning
segment moves them; a hold pauses them), so the scheduler reads the cue state through
a callable. The desk calls ``due`` from a timer armed at :meth:`next_deadline` and
writes each :class:`Firing`'s event to the log; lateness (``at - scheduled``) is on every
firing, which is what the desk benchmark measures.

Rules: one coupon batch at a time (a drop that comes due while another batch is still
issuing waits, and says so); a drop more than ``miss_grace`` seconds overdue (console
down, segment skipped, show ended) is reported as missed and never fired late.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from studio_app.core.events import Severity
from studio_app.show.clock import Instant
from studio_app.show.events import ShowEvent, refusal, show_event
from studio_app.show.model import Show, Timing, format_clock, format_duration
from studio_app.show.timing import CueState, Playback, segment_start_time

DEFAULT_MISS_GRACE_S = 15.0


class DropStatus(str, enum.Enum):
    PENDING = "pending"
    ANNOUNCED = "announced"  # pre-announce given, drop still ahead
    LIVE = "live"  # coupon: dropped, platform confirmation awaited or given; flash: running
    DONE = "done"  # coupon batch finished issuing / flash sale ended
    CANCELLED = "cancelled"
    MISSED = "missed"

    @property
    def open(self) -> bool:
        return self in (DropStatus.PENDING, DropStatus.ANNOUNCED)


class ScheduleError(ValueError):
    """An operation that is not allowed now; one-line message for the desk."""


@dataclass
class TimedItem:
    """One coupon drop or flash sale with its live status. Times are monotonic seconds."""

    id: str
    kind: str  # "coupon" | "flash"
    label: str  # 满200减30 / 秒杀 ¥99 保温杯
    at: Timing
    lead: float
    duration: float  # issuing window (coupon) or sale length (flash)
    status: DropStatus = DropStatus.PENDING
    delay: float = 0.0
    forced_at: float | None = None  # "drop now"
    fired_at: float | None = None
    repended_at: float | None = None  # a delay, a resume or an early GO asked for a new announce then
    scheduled_at: float | None = None  # the target when it fired
    confirmed_at: float | None = None  # desk confirmed it happened on the platform
    ends_at: float | None = None
    blocked_by: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Firing:
    item: str
    kind: str  # "coupon" | "flash"
    action: str  # announce, drop, start, end, blocked, missed
    scheduled: float | None  # monotonic target
    at: float  # monotonic time it fired
    event: ShowEvent

    @property
    def lateness(self) -> float:
        return 0.0 if self.scheduled is None else max(0.0, self.at - self.scheduled)


@dataclass(frozen=True)
class Countdown:
    item: str
    kind: str
    status: str
    seconds: float | None  # to the next moment (drop/start, or end while live); None unknown
    desk_text: str
    anchor_text: str  # "" when the anchor should not see it yet


class CouponScheduler:
    def __init__(self, show: Show, cue: Callable[[], CueState], miss_grace: float = DEFAULT_MISS_GRACE_S) -> None:
        self.show = show
        self.cue = cue
        self.miss_grace = miss_grace
        self.items: dict[str, TimedItem] = {}
        # the plan does not change during a show: index and prefix sums make ticks O(items)
        self._seg_index = {seg.id: i for i, seg in enumerate(show.segments)}
        self._prefix = [0.0]
        self._memo_key: tuple | None = None
        self.paused_since: float | None = None  # all drops paused (an incident): nothing new fires
        self._memo: tuple[float, float] = (0.0, 0.0)
        for seg in show.segments:
            self._prefix.append(self._prefix[-1] + seg.duration)
        for d in show.coupon_drops:
            c = show.coupon(d.coupon)
            label = c.rule or c.name
            self.items[d.id] = TimedItem(d.id, "coupon", label, d.at, d.lead, c.duration,
                                         detail={"coupon": c.id, "name": c.name, "rule": c.rule, "quantity": c.quantity})
        for f in show.flash_sales:
            p = show.product(f.product)
            price = f"{f.price:g}"
            label = f.title or f"秒杀 ¥{price} {p.name}"
            self.items[f.id] = TimedItem(f.id, "flash", label, f.at, f.lead, f.duration,
                                         detail={"sku": p.sku, "name": p.name, "price": f.price, "quantity": f.quantity})

    # -- when ---------------------------------------------------------------------------
    def item(self, item_id: str) -> TimedItem:
        try:
            return self.items[item_id]
        except KeyError:
            raise refusal(ScheduleError, "unknown_drop", id=str(item_id)) from None

    def target(self, item: TimedItem, now: float, state: CueState | None = None) -> float | None:
        """Monotonic time the item drops/starts, as things stand now; None when unknown
        (show not started) or passed (its segment is over)."""
        if item.forced_at is not None:
            return item.forced_at
        st = state or self.cue()
        if item.at.segment:
            start = self._segment_start(st, self._seg_index[item.at.segment], now)
            return None if start is None else start + item.at.offset + item.delay
        if st.show_started is None or st.playback == Playback.ENDED:
            return None
        return st.show_started + item.at.offset + item.delay

    def _segment_start(self, st: CueState, index: int, now: float) -> float | None:
        """:func:`segment_start_time` with the plan's prefix sums (O(1) per item)."""
        if st.playback in (Playback.STANDBY, Playback.ENDED) or index < st.index:
            return None
        key = (st, now)
        if self._memo_key != key:  # once per (state, instant), not once per item
            current = segment_start_time(st, self.show, st.index, now)
            seg = self.show.segments[st.index]
            left = max(0.0, max(0.0, seg.duration + st.added) - (now - current))
            self._memo_key, self._memo = key, (current, now + left)
        current, next_start = self._memo
        if index == st.index:
            return current
        return next_start + (self._prefix[index] - self._prefix[st.index + 1])

    def _passed(self, item: TimedItem, state: CueState) -> str | None:
        """Why an open item can no longer fire, or None."""
        if item.forced_at is not None:
            return None
        if state.playback == Playback.ENDED:
            return "the show ended first"
        if item.at.segment and state.playback != Playback.STANDBY:
            if self._seg_index[item.at.segment] < state.index:
                return f"segment {item.at.segment} ended first"
        return None

    def active_coupon(self, now: float) -> TimedItem | None:
        for it in self.items.values():
            if it.kind == "coupon" and it.status == DropStatus.LIVE and (it.ends_at is None or now < it.ends_at):
                return it
        return None

    # -- firing -------------------------------------------------------------------------
    def due(self, now: Instant) -> list[Firing]:
        """Everything that fires at ``now`` (in order), with its log event."""
        st = self.cue()
        out: list[Firing] = []
        t = now.mono
        for it in self.items.values():  # end windows first, so a waiting drop can follow at once
            if it.status == DropStatus.LIVE and it.ends_at is not None and t >= it.ends_at:
                it.status = DropStatus.DONE
                action = "end"
                msg = f"{'券' if it.kind == 'coupon' else '秒杀'}结束 {it.label}"
                out.append(self._fire(it, action, it.ends_at, now, msg))
        if self.paused_since is not None:
            return out  # paused: live windows still end, nothing new is announced or dropped
        targets = {it.id: self.target(it, t, st) for it in self.items.values() if it.status.open}
        for it in sorted((self.items[i] for i in targets), key=lambda i: (targets[i.id] is None, targets[i.id] or 0.0)):
            why = self._passed(it, st)
            if why:
                ended = "show_ended" if st.playback == Playback.ENDED else "segment_ended"
                seg = self.show.segments[self._seg_index[it.at.segment]] if it.at.segment in self._seg_index else None
                out.append(self._miss(it, now, why, {"why_code": ended, "segment": it.at.segment,
                                                     "segment_title": seg.title if seg else it.at.segment}))
                continue
            target = targets[it.id]
            if target is None:
                continue
            if t >= target and it.kind == "coupon":
                active = self.active_coupon(t)
                if active is not None and active is not it:
                    if it.blocked_by != active.id:
                        it.blocked_by = active.id
                        out.append(self._fire(it, "blocked", target, now,
                                              f"发券等待: {it.label} waits for {active.label} (one batch at a time)",
                                              Severity.WARNING, extra={"waits_for": active.label}))
                    continue  # waiting is not overdue; next_deadline wakes us when that batch ends
                ahead = self.items.get(it.blocked_by) if it.blocked_by is not None else None
                if ahead is not None and ahead.ends_at is not None and ahead.ends_at > target:
                    # Due the moment the batch ahead ended: the wait is its delay, not the console's lateness.
                    it.delay += ahead.ends_at - target
                    target = ahead.ends_at
            if t > target + self.miss_grace:
                out.append(self._miss(it, now, f"{format_duration(t - target)} overdue (console down or timer stopped)",
                                      {"why_code": "overdue", "overdue_s": round(t - target, 3)}))
                continue
            if t >= target:
                out.append(self._start(it, target, now))
            elif it.status == DropStatus.PENDING and t >= target - it.lead:
                it.status = DropStatus.ANNOUNCED
                what = "后发券" if it.kind == "coupon" else "后开抢"
                # Moved by the desk (delay, resume, early GO) so that the announce is already due: it is
                # due from that moment, not from before the desk asked for it.
                due_at = max(target - it.lead, it.repended_at if it.repended_at is not None else -math.inf)
                out.append(self._fire(it, "announce", due_at, now, f"{format_clock(target - t)} {what} {it.label}",
                                      extra={"drop_in": round(target - t, 3)}))
        return out

    def announce_moments(self, now: float) -> dict[str, float | None]:
        """Each pending item's announce moment as things stand now (None: not known yet).
        Taken before a desk action, for :meth:`replanned` after it."""
        st = self.cue()
        out: dict[str, float | None] = {}
        for it in self.items.values():
            if it.status == DropStatus.PENDING:
                target = self.target(it, now, st)
                out[it.id] = None if target is None else target - it.lead
        return out

    def replanned(self, before: dict[str, float | None], now: Instant) -> None:
        """After a desk action: an announce the action moved into the past (an early GO, time
        taken from the segment, the first GO of a drop with a long lead) is due from the action,
        not from a moment before the desk asked for it. An announce already due before the
        action keeps its moment: its lateness is the console's."""
        st = self.cue()
        for item_id, was in before.items():
            it = self.items[item_id]
            if it.status != DropStatus.PENDING or (was is not None and was <= now.mono):
                continue
            target = self.target(it, now.mono, st)
            if target is not None and target - it.lead <= now.mono:
                it.repended_at = now.mono

    def _start(self, it: TimedItem, target: float, now: Instant) -> Firing:
        it.status = DropStatus.LIVE
        it.fired_at = now.mono
        it.scheduled_at = target
        it.ends_at = now.mono + it.duration
        it.blocked_by = None
        action = "drop" if it.kind == "coupon" else "start"
        msg = f"现在发券! {it.label}" if it.kind == "coupon" else f"秒杀开始! {it.label}"
        return self._fire(it, action, target, now, msg)

    def _miss(self, it: TimedItem, now: Instant, why: str, reason: dict[str, Any]) -> Firing:
        """``reason``: ``why_code`` (show_ended, segment_ended, overdue) and its figure, so
        readers can say why in their own language."""
        it.status = DropStatus.MISSED
        return self._fire(it, "missed", None, now, f"missed: {it.label}: {why}", Severity.WARNING,
                          extra={"why": why, **reason})

    def _fire(self, it: TimedItem, action: str, scheduled: float | None, now: Instant, message: str,
              severity: int = Severity.INFO, extra: dict[str, Any] | None = None) -> Firing:
        return Firing(it.id, it.kind, action, scheduled, now.mono,
                      self._event(it, action, now, message, severity, scheduled, extra))

    def _event(self, it: TimedItem, action: str, now: Instant, message: str, severity: int = Severity.INFO,
               scheduled: float | None = None, extra: dict[str, Any] | None = None) -> ShowEvent:
        to_wall = now.wall - now.mono

        def wall(v: float | None) -> float | None:
            return None if v is None else round(v + to_wall, 3)

        payload: dict[str, Any] = {
            "at_wall": now.wall, "id": it.id, "item_kind": it.kind, "label": it.label, "status": it.status.value,
            "delay": it.delay, "scheduled_wall": wall(scheduled), "fired_wall": wall(it.fired_at),
            "confirmed_wall": wall(it.confirmed_at), "ends_wall": wall(it.ends_at), "forced_wall": wall(it.forced_at),
            "lateness": None if scheduled is None else round(max(0.0, now.mono - scheduled), 3), **it.detail,
        }
        if extra:
            payload.update(extra)
        return show_event(f"{it.kind}.{action}", message, payload, severity)

    # -- desk actions ---------------------------------------------------------------------
    def pause(self, now: Instant, reason: str = "") -> list[ShowEvent]:
        """Hold every pending drop and flash sale (e.g. during an incident); live batches
        run on. :meth:`resume` moves them later by the length of the pause."""
        if self.paused_since is not None:
            raise refusal(ScheduleError, "drops_already_paused")
        self.paused_since = now.mono
        return [show_event("coupon.pause", "coupon drops paused" + (f": {reason}" if reason else ""),
                           {"at_wall": now.wall, "paused_wall": now.wall, "reason": reason}, Severity.WARNING)]

    def resume(self, now: Instant) -> list[ShowEvent]:
        if self.paused_since is None:
            raise refusal(ScheduleError, "drops_not_paused")
        gap = max(0.0, now.mono - self.paused_since)
        self.paused_since = None
        for it in self.items.values():
            if not it.status.open:
                continue
            if it.forced_at is not None:
                it.forced_at += gap
            else:
                it.delay += gap
            it.status = DropStatus.PENDING  # announce again with the new time
            it.repended_at = now.mono
            it.blocked_by = None
        delays = {i.id: i.delay for i in self.items.values() if i.status.open}
        return [show_event("coupon.resume", f"coupon drops resumed (all pending moved {format_duration(gap)} later)",
                           {"at_wall": now.wall, "paused_for": round(gap, 3), "delays": delays})]

    def drop_now(self, item_id: str, now: Instant) -> list[Firing]:
        it = self.item(item_id)
        if not (it.status.open or it.status == DropStatus.MISSED):
            raise refusal(ScheduleError, "drop_already", label=it.label, status=it.status.value)
        if it.kind == "coupon":
            active = self.active_coupon(now.mono)
            if active is not None:
                raise refusal(ScheduleError, "coupon_still_issuing", label=active.label, left=round(active.ends_at - now.mono, 3))
        it.status = DropStatus.PENDING
        it.forced_at = now.mono
        return [self._start(it, now.mono, now)]

    def delay(self, item_id: str, seconds: float, now: Instant) -> list[ShowEvent]:
        it = self.item(item_id)
        if not it.status.open:
            raise refusal(ScheduleError, "delay_not_pending", label=it.label, status=it.status.value)
        if not 0 < seconds <= 3600:
            raise refusal(ScheduleError, "delay_range", seconds=seconds)
        if it.forced_at is not None:
            it.forced_at += seconds
        else:
            it.delay += seconds
        it.status = DropStatus.PENDING  # it will be announced again before the new time
        it.repended_at = now.mono
        target = self.target(it, now.mono)
        when = f" (in {format_clock(target - now.mono)})" if target is not None else ""
        return [self._event(it, "delay", now, f"{it.label} delayed {format_duration(seconds)}{when}",
                            extra={"seconds": seconds})]

    def cancel(self, item_id: str, now: Instant, reason: str = "") -> list[ShowEvent]:
        it = self.item(item_id)
        if it.status in (DropStatus.DONE, DropStatus.CANCELLED, DropStatus.MISSED):
            raise refusal(ScheduleError, "drop_already", label=it.label, status=it.status.value)
        it.status = DropStatus.CANCELLED
        return [self._event(it, "cancel", now, f"cancelled: {it.label}", extra={"reason": reason})]

    def confirm(self, item_id: str | None, now: Instant) -> list[ShowEvent]:
        """The desk confirms the drop/start happened on the platform (one key): the
        oldest unconfirmed live item when ``item_id`` is None."""
        if item_id is None:
            live = [i for i in self.items.values() if i.status == DropStatus.LIVE and i.confirmed_at is None]
            if not live:
                raise refusal(ScheduleError, "nothing_to_confirm")
            it = min(live, key=lambda i: i.fired_at or 0.0)
        else:
            it = self.item(item_id)
            if it.status != DropStatus.LIVE:
                raise refusal(ScheduleError, "not_live", label=it.label, status=it.status.value)
            if it.confirmed_at is not None:
                raise refusal(ScheduleError, "already_confirmed", label=it.label)
        it.confirmed_at = now.mono
        it.ends_at = now.mono + it.duration  # the platform's window runs from the real drop
        after = round(now.mono - (it.fired_at or now.mono), 3)
        return [self._event(it, "confirm", now, f"confirmed on the platform: {it.label} (+{after:.1f} s after the cue)",
                            scheduled=it.scheduled_at, extra={"confirm_after": after})]

    def end(self, item_id: str, now: Instant) -> list[ShowEvent]:
        it = self.item(item_id)
        if it.status != DropStatus.LIVE:
            raise refusal(ScheduleError, "not_live", label=it.label, status=it.status.value)
        it.status = DropStatus.DONE
        it.ends_at = now.mono
        return [self._event(it, "end", now, f"ended early: {it.label}")]

    # -- what screens show ----------------------------------------------------------------
    def next_deadline(self, now: float) -> float | None:
        """Earliest monotonic time at which :meth:`due` may fire something (for a
        single-shot timer); None when nothing is scheduled."""
        st = self.cue()
        best: float | None = None
        for it in self.items.values():
            cand: float | None = None
            if it.status == DropStatus.LIVE:
                cand = it.ends_at
            elif it.status.open and self.paused_since is None:
                target = self.target(it, now, st)
                if target is not None:
                    ahead = self.items.get(it.blocked_by) if it.blocked_by is not None else None
                    if it.status == DropStatus.PENDING and now < target:
                        cand = target - it.lead  # the announce; already past after a short delay: due now
                    elif ahead is not None and ahead.status == DropStatus.LIVE and ahead.ends_at is not None:
                        cand = max(target, ahead.ends_at)  # waits for the batch ahead: due when it ends, not sooner
                    else:
                        cand = target
            if cand is not None and (best is None or cand < best):
                best = cand
        return best

    def countdowns(self, now: float) -> list[Countdown]:
        st = self.cue()
        out = []
        for it in self.items.values():
            coupon = it.kind == "coupon"
            if it.status.open and self.paused_since is not None:
                out.append(Countdown(it.id, it.kind, "paused", None, f"暂停 paused: {it.label}", ""))
                continue
            if it.status.open:
                target = self.target(it, now, st)
                if target is None:
                    out.append(Countdown(it.id, it.kind, it.status.value, None, f"{it.label} @ {it.at.describe()}", ""))
                    continue
                left = target - now
                if it.blocked_by:
                    desk = f"等待中 {it.label} (after {self.items[it.blocked_by].label})"
                    out.append(Countdown(it.id, it.kind, "blocked", None, desk, ""))
                    continue
                text = f"{format_clock(max(0.0, left))} 后{'发券' if coupon else '开抢'} {it.label}"
                anchor = text if it.status == DropStatus.ANNOUNCED or left <= it.lead else ""
                out.append(Countdown(it.id, it.kind, it.status.value, left, text, anchor))
            elif it.status == DropStatus.LIVE:
                left = (it.ends_at or now) - now
                if coupon and it.confirmed_at is None:
                    desk = f"现在发券! {it.label} — confirm when dropped on the platform"
                    anchor = f"现在发券! {it.label}"
                elif coupon:
                    desk = f"券发放中 {it.label} 剩余 {format_clock(max(0.0, left))}"
                    anchor = desk
                else:
                    desk = f"秒杀进行中 {it.label} 剩余 {format_clock(max(0.0, left))}"
                    anchor = desk
                out.append(Countdown(it.id, it.kind, it.status.value, left, desk, anchor))
        out.sort(key=lambda c: (c.seconds is None, c.seconds if c.seconds is not None else 0.0))
        return out

    # -- crash recovery -------------------------------------------------------------------
    def replay(self, kind: str, payload: dict[str, Any], now: Instant) -> None:
        """Apply one logged coupon/flash event, converting its wall times to the current
        monotonic clock (no events produced)."""
        to_mono = now.mono - now.wall
        if kind == "coupon.pause" and isinstance(payload.get("paused_wall"), (int, float)):
            self.paused_since = float(payload["paused_wall"]) + to_mono
            return
        if kind == "coupon.resume":
            self.paused_since = None
            delays = payload.get("delays")
            if isinstance(delays, dict):
                for item_id, delay in delays.items():
                    if item_id in self.items and isinstance(delay, (int, float)):
                        self.items[item_id].delay = float(delay)
                        self.items[item_id].status = DropStatus.PENDING
            return
        it = self.items.get(payload.get("id")) if isinstance(payload.get("id"), str) else None
        if it is None or not (kind.startswith("coupon.") or kind.startswith("flash.")):
            return

        def mono(key: str) -> float | None:
            v = payload.get(key)
            return None if v is None else float(v) + to_mono

        try:
            it.status = DropStatus(payload["status"])
            it.delay = float(payload.get("delay", 0.0))
            it.fired_at = mono("fired_wall")
            it.confirmed_at = mono("confirmed_wall")
            it.ends_at = mono("ends_wall")
            it.forced_at = mono("forced_wall")
            it.blocked_by = None
        except (KeyError, ValueError, TypeError):
            return
