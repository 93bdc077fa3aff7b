"""The live show's state machine: the cue engine, the product cards, the coupon/flash-sale
scheduler and the compliance gate, behind one command surface. (The anchor's message is
the studio's: studio_app.studio.)

People, keys, runbooks and remote clients never call it directly: they send actions to the
studio's dispatcher (:meth:`studio_app.studio.Studio.dispatch`), whose show actions land in
:meth:`ShowDesk.dispatch` here. It returns an :class:`ActionResult` with the events it
caused; the same events go to the ``sink`` (the event log), so the log alone can rebuild
the show. :meth:`ShowDesk.tick` is called from a timer (at least every 250 ms, or armed at
:meth:`ShowDesk.next_deadline`) and returns phase changes and coupon firings.
:meth:`ShowDesk.resume` rebuilds a desk from the event log after a crash.

Not thread-safe by itself: the studio serialises every call (it is all arithmetic).
"""
from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from studio_app.core.files import read_regular_bytes
from studio_app.core.events import EventSink, Severity, Source
from studio_app.show.cards import CardBoard, CardError, CardState, overlay_context, render_template
from studio_app.show.clock import Instant, ShowClock, SystemClock
from studio_app.show.compliance import ComplianceChecker, Finding, check_show, count_findings
from studio_app.show.coupons import CouponScheduler, Firing, ScheduleError
from studio_app.show.cues import CueEngine, CueError, resume_from_events
from studio_app.show.events import ShowEvent, iter_parts, refusal, show_event
from studio_app.show.model import Show
from studio_app.show.timing import Playback


@dataclass
class ActionResult:
    action: str
    ok: bool
    message: str = ""  # one line for the status bar (the reason when refused)
    events: list[ShowEvent] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # e.g. the card push, the scene to switch to


class ActionRefused(Exception):
    pass


@dataclass(frozen=True)
class ActionSpec:
    name: str
    help: str
    method: str


# name -> (method, help). Aliases map onto the same method.
ACTIONS: dict[str, ActionSpec] = {}


def _action(name: str, help: str, *aliases: str) -> Callable:
    def deco(fn: Callable) -> Callable:
        for n in (name, *aliases):
            ACTIONS[n] = ActionSpec(n, help, fn.__name__)
        return fn
    return deco


class ShowDesk:
    def __init__(
        self,
        show: Show,
        clock: ShowClock | None = None,
        sink: EventSink | None = None,
        *,
        checker: ComplianceChecker | None = None,
        findings: list[Finding] | None = None,
        miss_grace: float = 15.0,
    ) -> None:
        self.show = show
        self.clock = clock or SystemClock()
        self.sink = sink
        self.engine = CueEngine(show)
        self.cards = CardBoard(show)
        self.scheduler = CouponScheduler(show, lambda: self.engine.state, miss_grace)
        self.log_refusals = True  # the studio's dispatcher logs each action once itself
        self.findings = findings if findings is not None else check_show(show, checker)
        self.override_reason: str | None = None
        self.plan_warnings: list = []
        self.run_id = uuid.uuid4().hex[:12]  # one run of the show (a rehearsal is another run)
        self.last_firings: list[Firing] = []

    # -- the one path -----------------------------------------------------------------------
    def dispatch(self, action: str, **params: Any) -> ActionResult:
        """Apply ``action`` (see :data:`ACTIONS`) with keyword ``params``. Never raises for a
        refused or malformed action: the result says why, and the refusal is logged."""
        now = self.clock.now()
        spec = ACTIONS.get(action)
        if spec is None:
            return self._refuse(action, f"unknown action {action!r}", now, params)
        fn = getattr(self, spec.method)
        try:
            inspect.signature(fn).bind(now, **params)
        except TypeError as exc:
            return self._refuse(action, f"{action}: {exc}", now, params)
        before = self.scheduler.announce_moments(now.mono)
        try:
            result: ActionResult = fn(now, **params)
        except (CueError, CardError, ScheduleError, ActionRefused, ValueError, TypeError, KeyError, ArithmeticError) as exc:
            return self._refuse(action, str(exc) or type(exc).__name__, now, params, coded=exc)
        except Exception as exc:  # noqa: BLE001 - a live show must never stop on a bug: refuse and log it
            return self._refuse(action, f"internal error {type(exc).__name__}: {exc}", now, params, Severity.ERROR)
        self.scheduler.replanned(before, now)
        result.action = action
        result.events = self._stamp(result.events)
        self._emit(result.events)
        return result

    def tick(self) -> list[ShowEvent]:
        """Phase changes and coupon/flash firings due now (also written to the sink)."""
        now = self.clock.now()
        events = self.engine.tick(now)
        firings = self.scheduler.due(now)
        events += [f.event for f in firings]
        self.last_firings = firings
        events = self._stamp(events)
        self._emit(events)
        return events

    def next_deadline(self) -> float | None:
        """Monotonic time of the next moment :meth:`tick` has something to do: a coupon or
        flash-sale firing, or the running segment's next phase boundary (warning, danger,
        0:00), just after it so it is never early. Arm a single-shot timer at it."""
        now = self.clock.now()
        deadline = self.scheduler.next_deadline(now.mono)
        if self.engine.state.playback == Playback.RUNNING:
            seg = self.engine.segment
            left = self.engine.view(now).remaining
            ahead = [left - b for b in (seg.warning, seg.danger, 0.0) if left - b > 0]
            if ahead:
                boundary = now.mono + min(ahead) + 0.0005
                deadline = boundary if deadline is None else min(deadline, boundary)
        return deadline

    def _stamp(self, events: Iterable[ShowEvent]) -> list[ShowEvent]:
        """Tag events with this run of the show, so a resume never mixes in a rehearsal."""
        return [ShowEvent(e.source, e.kind, e.message, e.severity, {**e.payload, "run": self.run_id}) for e in events]

    def _emit(self, events: Iterable[ShowEvent]) -> None:
        if self.sink is None:
            return
        for e in events:
            e.write_to(self.sink, self.show.id)

    def _refuse(self, action: str, why: str, now: Instant, params: dict[str, Any],
                severity: int = Severity.WARNING, coded: Exception | None = None) -> ActionResult:
        why = " ".join(str(why).split())[:300]  # one line for the status bar
        safe = {k: v for k, v in params.items() if isinstance(v, (str, int, float, bool, type(None)))}
        payload: dict[str, Any] = {"at_wall": now.wall, "action": str(action)[:100], "params": safe, "reason": why}
        if getattr(coded, "reason_code", None):  # see studio_app.show.events.refusal
            payload.update(reason_code=coded.reason_code, reason_fields=dict(coded.reason_fields))
        ev = ShowEvent(Source.DESK.value, "desk.refused", f"{action}: {why}", severity, payload)
        events = self._stamp([ev])
        if self.log_refusals:
            self._emit(events)
        return ActionResult(str(action), False, why, events)

    def _ok(self, events: list[ShowEvent], message: str = "", **data: Any) -> ActionResult:
        msg = message or (events[-1].message if events else "")
        return ActionResult("", True, msg, events, data)

    @classmethod
    def from_file(cls, path: str | Path, clock: ShowClock | None = None, sink: EventSink | None = None,
                  terms: str | Path | None = None, **kwargs: Any) -> "ShowDesk":
        """Open a rundown (.toml/.csv/.xlsx) with its compliance findings located in the
        file and its plan warnings (``desk.plan_warnings``). Raises RundownError."""
        from studio_app.show.compliance import TermList
        from studio_app.show.rundown import load_rundown, loads_rundown, plan_warnings
        from studio_app.show.spreadsheet import load_spreadsheet_with_origins

        p = Path(path)
        checker = ComplianceChecker(TermList.load(terms))
        if p.suffix.lower() in (".csv", ".xlsx"):
            show, origins = load_spreadsheet_with_origins(p)
            findings = check_show(show, checker, origins=origins)
        else:
            show = load_rundown(p)  # suffix, read and UTF-8 errors, located
            text = read_regular_bytes(p).decode("utf-8-sig")
            show = loads_rundown(text, p.name)
            findings = check_show(show, checker, source_text=text)
        desk = cls(show, clock, sink, findings=findings, **kwargs)
        desk.plan_warnings = plan_warnings(show)
        return desk

    # -- readouts for the UI ----------------------------------------------------------------
    def view(self) -> dict[str, Any]:
        """Everything the desk and the cue screen draw, as plain JSON-able data (copy it
        to other threads freely). Times ending in ``_wall`` are UTC epoch seconds."""
        now = self.clock.now()
        timer = self.engine.view(now)
        seg = self.engine.segment
        st = self.engine.state
        planned_start = self.show.planned_start.timestamp() if self.show.planned_start else None
        started_wall = None if st.show_started is None else st.show_started - now.mono + now.wall
        projected_end_wall = timer.projected_end - now.mono + now.wall
        return {
            "timer": timer.as_dict(),
            "projected_end_wall": projected_end_wall,
            "planned_start_wall": planned_start,
            "started_wall": started_wall,
            # against the clock on the wall: positive = late start / late end
            "start_delay": None if planned_start is None or started_wall is None else round(started_wall - planned_start, 3),
            "end_vs_plan": None if planned_start is None else round(projected_end_wall - (planned_start + self.show.planned_duration), 3),
            "segment": {"id": seg.id, "title": seg.title, "kind": seg.kind.value, "script": seg.script,
                        "talking_points": list(seg.talking_points), "notes": seg.notes, "products": list(seg.products),
                        "scene": seg.scene},
            "cards": [c.as_dict() for c in self.cards.cards.values()],
            "countdowns": [c.__dict__ for c in self.scheduler.countdowns(now.mono)],
            "findings": count_findings(self.findings),
            "override": self.override_reason,
        }

    def segment_outputs(self) -> dict[str, Any]:
        """What a newly loaded segment asks of OBS: the scene and overlay texts."""
        seg = self.engine.segment
        card = self.cards.explaining
        ctx = overlay_context(self.show, seg, card)
        return {"scene": seg.scene, "overlays": {o.source: render_template(o.template, ctx) for o in seg.overlays}}

    # -- cue actions --------------------------------------------------------------------------
    @_action("go", "start the show / next segment (GO)", "next")
    def _go(self, now: Instant) -> ActionResult:
        if self.engine.state.playback == Playback.STANDBY and self.findings and self.override_reason is None:
            terms = "、".join(sorted({f.term for f in self.findings})[:5])
            raise refusal(ActionRefused, "compliance_open", count=count_findings(self.findings), terms=terms)
        events = self.engine.go(now)
        return self._ok(events, **self.segment_outputs())

    @_action("back", "previous segment (restarts it)", "previous")
    def _back(self, now: Instant) -> ActionResult:
        return self._ok(self.engine.back(now), **self.segment_outputs())

    @_action("jump", "load a segment by id or 0-based index")
    def _jump(self, now: Instant, segment: str | int) -> ActionResult:
        return self._ok(self.engine.jump(segment, now), **self.segment_outputs())

    @_action("hold", "pause the segment timer (the show clock keeps running)")
    def _hold(self, now: Instant) -> ActionResult:
        return self._ok(self.engine.hold(now))

    @_action("resume", "resume the segment timer after a hold")
    def _resume(self, now: Instant) -> ActionResult:
        return self._ok(self.engine.resume(now))

    @_action("toggle_hold", "hold or resume")
    def _toggle_hold(self, now: Instant) -> ActionResult:
        if self.engine.state.playback == Playback.HOLD:
            return self._ok(self.engine.resume(now))
        return self._ok(self.engine.hold(now))

    @_action("add_time", "add (or with negative seconds, remove) time on the segment")
    def _add_time(self, now: Instant, seconds: float) -> ActionResult:
        return self._ok(self.engine.add_time(float(seconds), now))

    @_action("end_show", "end the show")
    def _end_show(self, now: Instant) -> ActionResult:
        return self._ok(self.engine.end(now))

    # -- product cards --------------------------------------------------------------------------
    @_action("card_push", "讲解/弹品: push a product card to explaining", "push_card", "explain")
    def _card_push(self, now: Instant, sku: str) -> ActionResult:
        push, events = self.cards.push(sku, now, self.engine.segment)
        return self._ok(events, f"push {push.card['name']}", push=push.as_dict())

    @_action("card_push_slot", "push the Nth product of the current segment (1-based; hotkeys 1-9)")
    def _card_push_slot(self, now: Instant, slot: int) -> ActionResult:
        skus = self.engine.segment.products
        n = _whole(slot, "slot")
        if not 1 <= n <= len(skus):
            raise refusal(CardError, "no_slot", title=self.engine.segment.title, count=len(skus), number=n)
        return self._card_push(now, skus[n - 1])

    @_action("card_state", "move a card to a state (queued/on_shelf/explaining/sold_out/off_shelf)")
    def _card_state(self, now: Instant, sku: str, state: str, reason: str = "") -> ActionResult:
        try:
            target = CardState(state)
        except ValueError:
            raise refusal(CardError, "unknown_card_state", state=str(state)) from None
        if target == CardState.EXPLAINING:
            return self._card_push(now, sku)
        return self._ok(self.cards.set_state(sku, target, now, reason))

    @_action("card_shelve", "上架: put a card on the shelf")
    def _card_shelve(self, now: Instant, sku: str) -> ActionResult:
        return self._ok(self.cards.set_state(sku, CardState.ON_SHELF, now, "shelve"))

    @_action("card_unshelve", "下架: take a card off the shelf")
    def _card_unshelve(self, now: Instant, sku: str) -> ActionResult:
        return self._ok(self.cards.set_state(sku, CardState.OFF_SHELF, now, "unshelve"))

    @_action("card_sold_out", "已抢光: mark a card sold out")
    def _card_sold_out(self, now: Instant, sku: str) -> ActionResult:
        return self._ok(self.cards.set_state(sku, CardState.SOLD_OUT, now, "sold out"))

    @_action("card_stop", "取消讲解: stop explaining (the card stays on the shelf)")
    def _card_stop(self, now: Instant, sku: str | None = None) -> ActionResult:
        card = self.cards.card(sku) if sku else self.cards.explaining
        if card is None or card.state != CardState.EXPLAINING:
            raise refusal(CardError, "no_card_explained")
        return self._ok(self.cards.set_state(card.sku, CardState.ON_SHELF, now, "stop explaining"))

    @_action("stock_adjust", "change stock by delta (+/-), with a reason")
    def _stock_adjust(self, now: Instant, sku: str, delta: int, reason: str = "", force: bool = False) -> ActionResult:
        return self._ok(self.cards.adjust_stock(sku, _whole(delta, "delta"), now, str(reason), force=bool(force)))

    @_action("stock_set", "set stock to a value, with a reason")
    def _stock_set(self, now: Instant, sku: str, value: int, reason: str = "", force: bool = False) -> ActionResult:
        return self._ok(self.cards.set_stock(sku, _whole(value, "value"), now, str(reason), force=bool(force)))

    @_action("stock_freeze", "freeze (or unfreeze) core stock against adjustments")
    def _stock_freeze(self, now: Instant, sku: str, frozen: bool = True, reason: str = "") -> ActionResult:
        return self._ok(self.cards.freeze(sku, bool(frozen), now, reason))

    # -- coupons and flash sales ----------------------------------------------------------------
    @_action("coupon_drop_now", "drop a coupon batch now", "flash_start_now")
    def _drop_now(self, now: Instant, id: str) -> ActionResult:
        firings = self.scheduler.drop_now(id, now)
        return self._ok([f.event for f in firings], firings=[_firing_dict(f) for f in firings])

    @_action("coupon_delay", "delay a drop (default 1 min)", "flash_delay")
    def _delay(self, now: Instant, id: str, seconds: float = 60.0) -> ActionResult:
        return self._ok(self.scheduler.delay(id, float(seconds), now))

    @_action("coupon_cancel", "cancel a drop", "flash_cancel")
    def _cancel(self, now: Instant, id: str, reason: str = "") -> ActionResult:
        return self._ok(self.scheduler.cancel(id, now, reason))

    @_action("coupon_confirm", "confirm the drop happened on the platform (oldest waiting when no id)", "flash_confirm")
    def _confirm(self, now: Instant, id: str | None = None) -> ActionResult:
        return self._ok(self.scheduler.confirm(id, now))

    @_action("coupon_end", "end a live coupon batch or flash sale early", "flash_end")
    def _end_item(self, now: Instant, id: str) -> ActionResult:
        return self._ok(self.scheduler.end(id, now))

    @_action("coupons_pause", "pause every pending coupon drop and flash sale (incident)", "coupon_pause")
    def _coupons_pause(self, now: Instant, reason: str = "") -> ActionResult:
        return self._ok(self.scheduler.pause(now, str(reason)))

    @_action("coupons_resume", "resume paused drops (each moves later by the pause)", "coupon_resume")
    def _coupons_resume(self, now: Instant) -> ActionResult:
        return self._ok(self.scheduler.resume(now))

    # -- compliance ------------------------------------------------------------
    @_action("override_compliance", "go live despite open compliance findings (reason required)")
    def _override(self, now: Instant, reason: str) -> ActionResult:
        if not str(reason).strip():
            raise refusal(ActionRefused, "override_needs_reason")
        self.override_reason = str(reason).strip()
        ev = show_event("compliance.override", f"compliance override: {self.override_reason}", {
            "at_wall": now.wall, "reason": self.override_reason, "count": count_findings(self.findings),
            "findings": [{"term": f.term, "category": f.category, "segment": f.segment, "field": f.field,
                          "line": f.line} for f in self.findings[:50]]}, Severity.WARNING)
        return self._ok([ev])

    # -- crash recovery ---------------------------------------------------------------------------
    @classmethod
    def resume(cls, show: Show, events: Iterable[Any], clock: ShowClock | None = None,
               sink: EventSink | None = None, **kwargs: Any) -> "ShowDesk":
        """A desk rebuilt from this show's logged events (oldest first): same segment with
        the right elapsed time, card states and stock, coupon statuses, message and
        override. Drops whose time passed while the console was down are reported as
        missed by the next :meth:`tick`, never fired late."""
        desk = cls(show, clock, sink, **kwargs)
        now = desk.clock.now()
        events = list(events)
        runs = [p.get("run") for _k, p, _w in iter_parts(events) if isinstance(p.get("run"), str)]
        if runs:  # continue the latest run only
            desk.run_id = runs[-1]
            events = [e for e, (_k, p, _w) in zip(events, iter_parts(events)) if p.get("run") == desk.run_id]
        desk.engine.state = resume_from_events(show, events, now.wall, now.mono)
        last_wall = None
        for kind, payload, wall in iter_parts(events):
            last_wall = wall if wall is not None else last_wall
            if kind.startswith("card.") or kind.startswith("stock."):
                desk.cards.replay(kind, dict(payload))
            elif kind.startswith("coupon.") or kind.startswith("flash."):
                desk.scheduler.replay(kind, dict(payload), now)
            elif kind == "compliance.override":
                desk.override_reason = str(payload.get("reason", "")) or None
        down = None if last_wall is None else round(now.wall - float(last_wall), 3)
        view = desk.engine.view(now)
        ev = ShowEvent(Source.CUE.value, "cue.resumed",
                       f"resumed after restart: {view.segment_title} at {view.elapsed:.0f} s ({down or 0:.0f} s down)",
                       Severity.WARNING, {"at_wall": now.wall, "downtime": down, "segment": view.segment_id,
                                          "title": view.segment_title,
                                          "elapsed": round(view.elapsed, 3), "playback": view.playback.value,
                                          "state": desk.engine.state.snapshot(show, now.mono, now.wall)})
        [ev] = desk._stamp([ev])
        desk._emit([ev])
        desk.resume_event = ev
        return desk


MAX_STOCK = 100_000_000


def _whole(value: Any, name: str) -> int:
    """A whole number from a key press, a spin box or a remote call."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a whole number, got {value!r}") from None
    if isinstance(value, bool) or number != number or abs(number) > MAX_STOCK or not number.is_integer():
        raise ValueError(f"{name}: expected a whole number up to {MAX_STOCK:,}, got {value!r}")
    return int(number)


def _firing_dict(f: Firing) -> dict[str, Any]:
    return {"item": f.item, "kind": f.kind, "action": f.action, "lateness": round(f.lateness, 3)}


def action_names() -> list[str]:
    return sorted(ACTIONS)
