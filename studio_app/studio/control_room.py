"""The control room: :class:`Studio`, built once at start-up and handed to every view.

It owns the show (:class:`~studio_app.show.desk.ShowDesk`, once loaded), the emergency
desk and the alarm watcher, the device workers it is given (the OBS link, the microphone
worker, the camera switch), the outputs (OBS scene and overlay texts per segment and card,
the anchor's cue screen, including the message, which lives only here), the drill flag,
the settings and the event log.

Every operation goes through :meth:`Studio.dispatch` (buttons, keys, runbook steps,
remote clients): the registry (:mod:`studio_app.studio.actions`) validates it, the
handler runs it, one ``desk.action`` event is logged and an :class:`ActionResult` comes
back; it never raises. :meth:`Studio.state` is the immutable snapshot every view draws;
:meth:`Studio.subscribe` calls back on the studio's notifier thread when it changes.

Threads: dispatch and tick may be called from any thread (GUI, HTTP server, runbook
futures); a re-entrant lock serialises the show logic, which is all arithmetic. Device
commands are futures, never waited on. A device adapter (``camera``) must accept calls
from any thread. No Qt.
"""
from __future__ import annotations

import datetime as dt
import queue
import re
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from studio_app.core import anchor_profiles as profiles
from studio_app.core.cue_state import (
    PROMPTER_DEFAULT_STEP,
    CueScreenState,
    DeskMessage,
    PrompterState,
    Tallies,
    clamp_step,
)
from studio_app.core.devices import DeviceBoard
from studio_app.core.events import NullSink, Severity, Source
from studio_app.show.cards import CardError
from studio_app.show.coupons import ScheduleError
from studio_app.show.cues import CueError
from studio_app.show.desk import ActionRefused, ShowDesk
from studio_app.show.emergency import (
    DRILL_LABEL,
    FAILED,
    OK as STEP_OK,
    SKIPPED,
    AlarmWatcher,
    EmergencyDesk,
    RunbookSet,
    StepOutcome,
    Suggestion,
)
from studio_app.show.events import iter_parts, show_event
from studio_app.show.screen import cue_screen_state
from studio_app.show.timing import Playback
from studio_app.studio import actions as reg
from studio_app.studio.actions import ActionResult
from studio_app.studio.state import (
    CardInfo,
    CouponInfo,
    DeviceInfo,
    IncidentInfo,
    ObsInfo,
    SegmentInfo,
    StudioState,
    SuggestionInfo,
)

UNFILLED = re.compile(r"\{[a-z_]+\.[a-z_]+\}")  # a template field with no value (no card pushed yet)
CUE_ACTIONS = frozenset({"show.go", "show.back", "show.jump"})
DEFAULT_MIC_INPUT = "Mic/Aux"
MAX_TICK_S = 0.05  # the ticker's longest sleep: phase changes and countdowns stay within 50 ms


class Refused(Exception):
    """The action cannot run now (no show, nothing to do, device missing): one line."""


class CameraSwitch(Protocol):
    """What the studio asks of the camera (the camera dock implements it). Both return at
    once, from any thread: a Future that resolves when the new source's first picture
    arrives, or a one-line text when done on the spot. Raise Refused-like ValueError when
    there is nothing to switch to."""

    def use_backup(self, device: str) -> Any: ...
    def use_main(self) -> Any: ...


def _word(value: Any) -> str:
    """A state or level as its word (plain strings and str enums alike)."""
    return str(getattr(value, "value", value))


def _timecode_ms(text: str) -> int | None:
    """OBS "HH:MM:SS.mmm" → milliseconds."""
    try:
        h, m, s = text.split(":")
        return int((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)
    except (ValueError, AttributeError):
        return None


class Studio:
    """The control room. See the module docstring."""

    def __init__(
        self,
        settings: Any,
        log: Any = None,
        *,
        board: DeviceBoard | None = None,
        obs: Any = None,
        camera: CameraSwitch | None = None,
        mic: Any = None,
        clock: Any = None,
        runbooks: RunbookSet | None = None,
        db_url: str | None = None,
    ) -> None:
        self.settings = settings
        self.log = log if log is not None else NullSink()
        self.board = board if board is not None else DeviceBoard()
        self.obs = obs  # hardware.obs.ObsLink (or anything with its command API and .state)
        self.camera = camera
        self.mic = mic  # hardware.audio.MicWorker: the mic dock's worker (its meters, dead air)
        self.clock = clock  # the show's clock (None: the system clock)
        self.db_url = db_url
        self.show: ShowDesk | None = None
        self.show_path: Path | None = None
        self.obs_sent: list[tuple[str, str, str]] = []  # (command, target, value) sent to OBS, newest last
        self._lock = threading.RLock()
        self._message = DeskMessage()
        self._prompter = PrompterState(step=self._reading().get("prompter_step", PROMPTER_DEFAULT_STEP))
        self.emergency = EmergencyDesk(runbooks or RunbookSet(), self._run_step, self.log)
        self.alarms = AlarmWatcher(self.emergency.runbooks)
        self._suggestions: list[Suggestion] = []
        # Every status the board gets, in order, for the alarm watcher at the next tick (a
        # quick lost → ok → lost between two ticks is two edges, not none).
        self._board_inbox: queue.SimpleQueue = queue.SimpleQueue()
        for status in self.board.snapshot().values():
            self._board_inbox.put(status)
        self._unsubscribe_board = self.board.subscribe(self._board_inbox.put)
        self._by = "desk"  # who asked for the action running now (under the lock)
        self._stream_seen: tuple[bool, bool] | None = None  # (streaming, reconnecting) last told the alarms
        self._listeners: list[Callable[[StudioState], None]] = []
        self._state: StudioState | None = None
        self._changed = threading.Condition()
        self._pending: StudioState | None = None
        self._notifier: threading.Thread | None = None
        self._ticker: threading.Thread | None = None
        self._closing = threading.Event()
        self._last_go: float | None = None
        self.lan: Any = None  # studio_app.core.cue_server.CueServer: the anchor's screen on phones
        self._lan_unsubscribe: Callable[[], None] | None = None
        self._cue_events: list[Any] = []  # this run's cue events: actual starts and lengths
        self.history_version = 0  # grows whenever they do
        self._history_cache: tuple[int, dict] = (-1, {})

    @classmethod
    def for_desk(cls, settings: Any, log: Any, board: DeviceBoard, db_url: str | None = None) -> "Studio":
        """The desk's studio: its OBS link from the settings (not started: the desk starts
        the devices once its window is painted; the password is read on the link's thread)."""
        from hardware.obs import ObsLink
        from studio_app.core.secrets import obs_password

        link = ObsLink(str(settings.get("obs.host", "127.0.0.1")), int(settings.get("obs.port", 4455)), obs_password)
        return cls(settings, log, board=board, obs=link, db_url=db_url)

    # ------------------------------------------------------------------ the one path
    def dispatch(self, name: str, /, **args: Any) -> ActionResult:
        """Run the action ``name`` (a registry name or an old alias) with ``args``; never
        raises. Logs one ``desk.action`` event. Device commands are sent, not awaited."""
        return self.dispatch_from("desk", name, args)

    def dispatch_from(self, by: str, name: Any, args: Any = None) -> ActionResult:
        """:meth:`dispatch` naming who asked ("desk", "key", "runbook", "http", "osc", ...).
        ``name`` and ``args`` may come straight from a client (parsed JSON): anything but
        a text name and an object of arguments is answered, never raised."""
        if not isinstance(name, str):
            result = ActionResult(False, f"an action name is text, got {type(name).__name__}", {}, reg.UNKNOWN)
            self._log_action(str(by), str(name)[:80], {}, result)
            return result
        if args is not None and not (isinstance(args, dict) and all(isinstance(k, str) for k in args)):
            result = ActionResult(False, f"{name[:80]!r}: the arguments must be an object of named values, "
                                  f"got {type(args).__name__}", {}, reg.BAD_ARGS)
            self._log_action(str(by), name[:80], {}, result)
            return result
        return self._execute(str(by), name, dict(args or {}))[0]

    def actions(self) -> list[dict[str, Any]]:
        """The registry as ``[{name, args: [{name, type, required, description}], description, drill, confirm}]``."""
        return reg.action_list()

    def _execute(self, by: str, name: str, raw: dict[str, Any]) -> tuple[ActionResult, Future | None]:
        spec, implied = reg.resolve(str(name))
        future: Future | None = None
        if spec is None:
            result = ActionResult(False, f"unknown action {str(name)[:80]!r} (studio-console actions lists them)",
                                  _coded("unknown_action", action=str(name)[:80]), reg.UNKNOWN)
            self._log_action(by, str(name)[:80], raw, result)
            return result, None
        try:
            args = reg.validate(spec, {**implied, **raw})
        except reg.BadArgs as exc:
            result = ActionResult(False, str(exc), _coded(exc.reason_code, **exc.reason_fields) if exc.reason_code else {},
                                  reg.BAD_ARGS)
            self._log_action(by, spec.name, raw, result)
            return result, None
        confirmed = args.pop("confirm", False)
        with self._lock:
            drill = self.emergency.drill
            outer_by, self._by = self._by, by
            if spec.confirm and not confirmed:
                result = ActionResult(False, f"{spec.name} needs confirmation: send confirm=true",
                                      _coded("needs_confirm", action=spec.name), reg.REFUSED)
            elif drill and spec.drill == reg.SKIP:
                result = ActionResult(False, f"{DRILL_LABEL}: {spec.name} not sent (it would change what viewers "
                                      "see or hear)", {"drill": "skipped", **_coded("drill_skipped", action=spec.name)},
                                      reg.REFUSED)
            else:
                handler = getattr(self, "_do_" + spec.name.replace(".", "_"))
                try:
                    outcome = handler(**args)
                    result, future = outcome if isinstance(outcome, tuple) else (outcome, None)
                except (Refused, ActionRefused, CueError, CardError, ScheduleError, profiles.AnchorProfileError,
                        KeyError, ValueError) as exc:
                    why = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
                    coded = {"reason_code": exc.reason_code, "reason_fields": dict(getattr(exc, "reason_fields", {}))} \
                        if getattr(exc, "reason_code", None) else {}
                    result = ActionResult(False, _one_line(why), coded, reg.REFUSED, tuple(getattr(exc, "events", ())))
                except Exception as exc:  # noqa: BLE001 - a live show never stops on a bug: say it, log it
                    result = ActionResult(False, f"internal error {type(exc).__name__}: {_one_line(exc)}", {}, reg.ERROR)
            self._by = outer_by
            self._log_action(by, spec.name, args, result)
        self._changed_now()
        return result, future

    def _log_action(self, by: str, name: str, args: dict[str, Any], result: ActionResult) -> None:
        # Plain values only, and short: a client's argument never bloats the log.
        safe = {str(k)[:40]: v[:200] if isinstance(v, str) else v for k, v in list(args.items())[:20]
                if isinstance(v, (str, int, float, bool, type(None)))}
        severity = Severity.INFO if result.ok else Severity.ERROR if result.code == reg.ERROR else Severity.WARNING
        drill = self.emergency.drill
        payload = {"action": name, "args": safe, "by": by, "ok": result.ok, "code": result.code, "drill": drill,
                   "at_wall": time.time()}
        if self.show is not None:
            payload["run"] = self.show.run_id
        text = f"{DRILL_LABEL + ': ' if drill else ''}{name}: {result.message}" if result.message else name
        self.log.log(Source.DESK.value, "desk.action", text[:500], severity, payload, self._show_id())

    # ------------------------------------------------------------------ runbook steps
    def _run_step(self, name: str, args: Any, by: str) -> StepOutcome:
        """The emergency desk's runner: every runbook step is a registry action."""
        result, future = self._execute(by, name, dict(args))
        if result.ok:
            return StepOutcome(STEP_OK, "" if future is not None else result.message, future,
                               str(result.data.get("sent_as", name)))
        if result.data.get("drill") == "skipped":
            return StepOutcome(SKIPPED, result.message)
        return StepOutcome(FAILED, result.message)

    # ------------------------------------------------------------------ the show
    def set_show(self, desk: ShowDesk, history: Iterable[Any] = (), *, fresh: bool = True,
                 path: str | Path | None = None) -> None:
        """Use ``desk`` as the show (loaded, or resumed from ``history``: this run's
        logged events, from which the anchor's message is restored too)."""
        with self._lock:
            desk.sink = self.log
            desk.log_refusals = False  # the dispatcher logs every action once
            self.show = desk
            self.show_path = Path(path) if path is not None else self.show_path
            self._last_go = None
            message = DeskMessage()
            for kind, payload, _wall in iter_parts(history):
                if kind in ("message.show", "message.hide"):
                    message = DeskMessage(str(payload.get("text", "")), bool(payload.get("visible")),
                                          bool(payload.get("blink")), bool(payload.get("blackout")))
            self._message = message
            self._cue_events = [e for e in history if str(getattr(e, "kind", "")).startswith("cue.")]
            self.history_version += 1
            if fresh:
                # A new run: a later restart offers this run, not an older unfinished one.
                self.log.log(Source.SHOW.value, "show.open", f"show opened: {desk.show.title}", Severity.INFO,
                             {"run": desk.run_id, "at_wall": time.time(), "path": str(self.show_path),
                              "title": desk.show.title, "findings": len(desk.findings)}, desk.show.id)
        self._changed_now()

    def load_show(self, path: str | Path) -> ShowDesk:
        """Open a rundown on this thread (blocking: for scripts, tests and the CLI; the desk
        reads files off its GUI thread and calls :meth:`set_show`). Raises RundownError."""
        desk = ShowDesk.from_file(path, clock=self.clock)
        self.set_show(desk, path=path)
        return desk

    def _need_show(self) -> ShowDesk:
        if self.show is None:
            raise Refused("no show is loaded")
        return self.show

    def _show_id(self) -> str | None:
        return self.show.show.id if self.show is not None else None

    def _run_show(self, action: str, **params: Any) -> ActionResult:
        desk = self._need_show()
        r = desk.dispatch(action, **params)
        if not r.ok:
            refused = Refused(r.message)
            refused.events = tuple(r.events)  # type: ignore[attr-defined] - the coded reason, for the desk's language
            raise refused
        data = {k: v for k, v in (r.data or {}).items()}
        data["events"] = [e.kind for e in r.events]
        cues = [e for e in r.events if e.kind.startswith("cue.")]
        if cues:
            self._cue_events.extend(cues)
            self.history_version += 1
        message = r.message
        sent = self._show_outputs(r.data or {}, cue=action in ("go", "back", "jump"))
        if sent:
            data["outputs"] = sent
        if sent and sent[0] == "not_connected":
            message += " — OBS is not connected: scene and overlay not sent"
        return ActionResult(True, message, data, events=tuple(r.events))

    def segment_history(self) -> dict[str, dict[str, float]]:
        """Per segment id of this run: actual start (seconds from the show start) and length."""
        from studio_app.studio.loading import segment_history

        with self._lock:
            version, cached = self._history_cache
            if version != self.history_version:
                cached = segment_history(self._cue_events)
                self._history_cache = (self.history_version, cached)
            return dict(cached)

    def tick(self) -> list[Any]:
        """Phase changes and coupon firings due now, alarms from the devices; call it at
        least every 250 ms (the desk's timer, or :meth:`start_ticker`). Returns the show's events."""
        with self._lock:
            events = self.show.tick() if self.show is not None else []
            self._watch_devices()
        self._changed_now()
        return events

    def seconds_to_deadline(self) -> float | None:
        """Seconds until the next moment the show logic must run: a coupon or flash-sale
        moment, a phase boundary (warning, danger, 0:00) or a held alarm trigger."""
        with self._lock:
            best = None
            desk = self.show
            if desk is not None:
                deadline = desk.next_deadline()  # the show logic's: coupons, flash sales, phases
                if deadline is not None:
                    best = deadline - desk.clock.now().mono
            alarm = self.alarms.next_deadline()
            if alarm is not None:
                left = alarm - time.monotonic()
                best = left if best is None else min(best, left)
            return None if best is None else max(0.0, best)

    def is_live(self) -> bool:
        """A segment is running or on hold (dead air counts only then). Cheap: no snapshot."""
        desk = self.show
        return desk is not None and desk.engine.state.playback in (Playback.RUNNING, Playback.HOLD)

    def guarded_go(self, guard_s: float = 0.5) -> ActionResult:
        """GO from a key or the GO button: a second press within ``guard_s`` of a GO that
        went through is ignored (a bounced key must not skip a segment)."""
        now = self.show.clock.now().mono if self.show is not None else time.monotonic()
        if self._last_go is not None and 0 <= now - self._last_go < guard_s:
            return ActionResult(False, f"GO ignored: pressed twice within {guard_s} s", {"ignored": True}, reg.REFUSED)
        result = self.dispatch_from("key", "show.go")
        if result.ok:
            self._last_go = now
        return result

    # ------------------------------------------------------------------ OBS outputs
    def _show_outputs(self, data: dict[str, Any], cue: bool) -> list[str]:
        """The segment's scene and overlay texts after a cue, the product overlay after a
        card push. In a drill the program scene goes to preview (or is left alone) and no
        overlay text changes. Returns what was sent ("not_connected" first when OBS is off)."""
        texts: dict[str, str] = dict(data.get("overlays") or {})
        push = data.get("push")
        if isinstance(push, dict):
            texts.update(push.get("overlay_texts") or {})
        scene = data.get("scene") if cue else None
        if not scene and not texts:
            return []
        link = self.obs
        if link is None:
            return []
        state = link.state
        if not state.connected:
            return [] if _word(state.status) == "stopped" else ["not_connected"]  # switched off: nothing to say
        sent = []
        drill = self.emergency.drill
        if scene and scene != state.program_scene:
            if not drill:
                self._obs_send("switch_scene", scene, "", link.switch_scene(scene))
                sent.append(f"scene:{scene}")
            elif state.studio_mode:
                self._obs_send("set_preview_scene", scene, "", link.set_preview_scene(scene))
                sent.append(f"preview:{scene}")
        if not drill:
            for source, text in texts.items():
                if UNFILLED.search(text):
                    continue  # never put a half-filled overlay on air (e.g. {product.name} before a push)
                self._obs_send("set_text", source, text, link.set_text(source, text))
                sent.append(f"text:{source}")
        return sent

    def _obs_send(self, name: str, target: str, value: str, future: Future) -> Future:
        self.obs_sent.append((name, target, value))
        del self.obs_sent[:-200]

        def done(f: Future) -> None:
            exc = f.exception()
            if exc is not None:
                self.log.log(Source.OBS.value, "obs.command_failed", f"{name} {target}: {_one_line(exc)}",
                             Severity.WARNING, {"command": name, "target": target, "error": _one_line(exc)},
                             self._show_id())

        future.add_done_callback(done)
        return future

    def _link(self) -> Any:
        link = self.obs
        if link is None:
            raise Refused("OBS is not set up on this desk (Settings › OBS)")
        if not link.state.connected:
            raise Refused(f"OBS is not connected ({_word(link.state.status)})")
        return link

    def _obs_action(self, name: str, target: str, future: Future, message: str,
                    sent_as: str = "") -> tuple[ActionResult, Future]:
        self._obs_send(name, target, "", future)
        return ActionResult(True, message, {"sent_as": sent_as} if sent_as else {}), future

    # ------------------------------------------------------------------ snapshot
    def state(self) -> StudioState:
        """The studio now, as one immutable snapshot."""
        with self._lock:
            return self._build_state()

    def state_dict(self) -> dict[str, Any]:
        return self.state().to_dict()

    def subscribe(self, callback: Callable[[StudioState], None]) -> Callable[[], None]:
        """``callback(state)`` whenever the snapshot changes, on the studio's notifier
        thread (never on the caller's: a slow view cannot hold up the show). Returns the
        function that unsubscribes."""
        with self._changed:
            self._listeners.append(callback)
            if self._notifier is None and not self._closing.is_set():
                self._notifier = threading.Thread(target=self._notify_loop, name="studio-notify", daemon=True)
                self._notifier.start()

        def unsubscribe() -> None:
            with self._changed:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def _changed_now(self) -> None:
        """A new snapshot when something changed; listeners get the newest only."""
        if not self._listeners:
            return
        state = self.state()
        with self._changed:
            if state == self._state:
                return
            self._state = state
            self._pending = state
            self._changed.notify()

    def _notify_loop(self) -> None:
        while True:
            with self._changed:
                while self._pending is None and not self._closing.is_set():
                    self._changed.wait()
                if self._closing.is_set():
                    return
                state, self._pending = self._pending, None
                listeners = list(self._listeners)
            for fn in listeners:
                try:
                    fn(state)
                except Exception as exc:  # noqa: BLE001 - one broken view must not silence the others
                    self.log.log(Source.SYSTEM.value, "studio.listener_failed", _one_line(exc), Severity.ERROR,
                                 {"error": _one_line(exc)})

    def _reading(self) -> dict[str, Any]:
        return profiles.current_values(self.settings)

    def _build_state(self) -> StudioState:
        desk = self.show
        drill = self.emergency.drill
        obs = self._obs_info()
        devices = tuple(DeviceInfo(s.device, _word(s.state), _word(s.level), s.detail)
                        for s in sorted(self.board.snapshot().values(), key=lambda s: s.device))
        common = dict(
            devices=devices, obs=obs, drill=drill, message=self._message, prompter=self._prompter,
            alarms=tuple(sorted(self.alarms.active)),
            suggestions=tuple(SuggestionInfo(s.alarm, s.runbook.id, s.message("zh"), s.message("en"), bool(s.automatic))
                              for s in self._suggestions),
            incidents=tuple(IncidentInfo(i.id, i.runbook.id, i.drill, i.opened_wall) for i in self.emergency.open_incidents),
            reading=tuple(sorted(self._reading().items())), anchor_profile=profiles.current_name(self.settings),
        )
        tallies = self._tallies()
        if desk is None:
            cue = CueScreenState(message=self._message, prompter=self._prompter, drill=drill, tallies=tallies,
                                 clock=dt.datetime.now().strftime("%H:%M:%S"))
            return StudioState(cue=cue, **common)
        now = desk.clock.now()
        view = desk.engine.view(now)
        st = desk.engine.state
        show = desk.show
        seg = desk.engine.segment
        segment = SegmentInfo(st.index + 1, seg.id, seg.title, seg.kind.value, round(view.remaining, 1),
                              round(view.elapsed, 1), round(view.duration, 1), view.phase.value, seg.scene or "")
        nxt = None
        if st.index + 1 < len(show.segments):
            n = show.segments[st.index + 1]
            nxt = SegmentInfo(st.index + 2, n.id, n.title, n.kind.value, n.duration, 0.0, n.duration, "none", n.scene or "")
        products = seg.products
        cards = tuple(CardInfo(c.sku, c.product.name, c.state.value, c.stock, c.product.safety_stock, c.frozen, c.low,
                               c.product.live_price, c.product.list_price,
                               products.index(c.sku) + 1 if c.sku in products else None)
                      for c in desk.cards.cards.values())
        explaining = next((c for c in cards if c.state == "explaining"), None)
        coupons = []
        shown = set()
        for c in desk.scheduler.countdowns(now.mono):
            it = desk.scheduler.items[c.item]
            shown.add(c.item)
            coupons.append(CouponInfo(it.id, it.kind, it.label, c.status,
                                      None if c.seconds is None else round(max(0.0, c.seconds), 1),
                                      it.confirmed_at is not None, c.desk_text))
        for it in desk.scheduler.items.values():
            if it.id not in shown:
                coupons.append(CouponInfo(it.id, it.kind, it.label, it.status.value, None, it.confirmed_at is not None,
                                          it.at.describe()))
        cue = cue_screen_state(desk, self._message).with_(drill=drill, tallies=tallies, prompter=self._prompter)
        planned = show.planned_start.timestamp() if show.planned_start else None
        started = None if st.show_started is None else st.show_started - now.mono + now.wall
        end_wall = view.projected_end - now.mono + now.wall
        return StudioState(
            started_wall=started, added_s=round(view.added, 1),
            # against the clock on the wall: positive = a late start / a late end
            start_delay_s=None if planned is None or started is None else round(started - planned, 1),
            end_vs_plan_s=None if planned is None else round(end_wall - (planned + show.planned_duration), 1),
            segment_notes=seg.notes, finding_terms=tuple(sorted({f.term for f in desk.findings})),
            clock_wall=now.wall,
            loaded=True, show_id=show.id, show_title=show.title, playback=st.playback.value, segment=segment,
            next_segment=nxt, show_elapsed_s=round(view.show_elapsed, 1), over_under_s=round(view.over_under, 1),
            projected_end_wall=round(end_wall, 1), card=explaining, cards=cards,
            coupons=tuple(coupons), coupons_paused=desk.scheduler.paused_since is not None,
            findings=len(desk.findings), override=desk.override_reason or "", cue=cue, **common)

    def _obs_info(self) -> ObsInfo:
        if self.obs is None:
            return ObsInfo()
        s = self.obs.state
        return ObsInfo(bool(s.connected), _word(s.status), s.program_scene, s.preview_scene, bool(s.studio_mode),
                       bool(s.streaming), bool(s.recording))

    def _tallies(self) -> Tallies:
        st = getattr(self.obs, "state", None)
        if st is None or not st.connected:
            return Tallies()
        h = st.health
        return Tallies(on_air=bool(st.streaming), on_air_ms=_timecode_ms(h.stream_timecode) if st.streaming else None,
                       rec=bool(st.recording), rec_ms=_timecode_ms(h.record_timecode) if st.recording else None)

    # ------------------------------------------------------------------ alarms
    def _watch_devices(self) -> None:
        """Device states (the board) and OBS's stream flag into the alarm watcher; its
        suggestions are kept for a person, automatic steps run at once. Runs on the
        thread that ticks, so runbook steps never run on a device worker's thread."""
        found: list[Suggestion] = []
        w = self.alarms
        while True:
            try:
                status = self._board_inbox.get_nowait()
            except queue.Empty:
                break
            if hasattr(w, "observe"):  # typed statuses (the device supervisor)
                found += w.observe(status)
            else:
                found += w.observe_device(status.device, _word(status.state))
        st = getattr(self.obs, "state", None)
        seen = (bool(st.streaming), bool(st.health.stream_reconnecting)) if st is not None else None
        if st is not None and st.connected and seen != self._stream_seen:
            # the streaming flag, and also OBS reconnecting to the platform while still "streaming"
            self._stream_seen = seen
            found += w.observe_stream(*seen)
        found += w.tick()
        if found:
            self._suggestions += self.emergency.take(found)

    def accept_suggestion(self, by: str = "suggestion") -> str | None:
        """A person runs the first suggestion's runbook (the rest of it, when automatic
        steps already ran). Returns the incident id."""
        with self._lock:
            if not self._suggestions:
                return None
            s = self._suggestions.pop(0)
            existing = self.emergency.open_for(s.runbook.id)
            if existing is not None:
                for run in existing.actions:
                    if run.status == "pending":
                        self.emergency.run_action(existing.id, run.index)
                incident = existing.id
            else:  # a person's action like any other: through the dispatcher, logged once
                result = self.dispatch_from(by, "runbook.open", {"id": s.runbook.id, "alarm": s.alarm})
                incident = result.data.get("incident")
        self._changed_now()
        return incident

    def ignore_suggestion(self, by: str = "") -> None:
        with self._lock:
            if not self._suggestions:
                return
            s = self._suggestions.pop(0)
            self.alarms.dismiss(s.alarm)
            self.emergency.dismissed(s, by)
        self._changed_now()

    def set_runbooks(self, books: RunbookSet, *, quiet: bool = False) -> None:
        """New runbooks (checked against the registry by studio_app.studio.runbooks first)."""
        with self._lock:
            self.emergency.set_runbooks(books, quiet=quiet)
            self.alarms.set_runbooks(books)
        self._changed_now()

    # ------------------------------------------------------------------ the LAN view
    def open_lan(self, host: str, port: int, token: str) -> str:
        """Serve the anchor's screen (the snapshot's ``cue``) read-only to phones and tablets
        at ``http://HOST:PORT/cue?token=…``; returns that address. Blocking (binds and starts
        the server's thread, bounded): call it off the GUI thread. Raises CueServerError
        (one line: address in use, no such interface...)."""
        from studio_app.core.cue_server import CueServer

        server = CueServer(host, int(port), token).start()
        self.close_lan()
        with self._lock:
            self.lan = server
        server.publish(self.state().cue)
        self._lan_unsubscribe = self.subscribe(lambda state: server.publish(state.cue))
        return server.url

    def close_lan(self) -> None:
        """Stop the LAN view (bounded wait for its thread)."""
        with self._lock:
            server, self.lan = self.lan, None
            unsubscribe, self._lan_unsubscribe = self._lan_unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()
        if server is not None:
            server.stop()

    # ------------------------------------------------------------------ lifecycle
    def start_ticker(self) -> None:
        """Tick on a studio thread (headless use: scripts, tests, a console without a
        GUI timer): at the next deadline, and at least every 50 ms."""
        if self._ticker is not None:
            return

        def run() -> None:
            while not self._closing.is_set():
                self.tick()
                wait = self.seconds_to_deadline()
                self._closing.wait(MAX_TICK_S if wait is None else min(MAX_TICK_S, wait))

        self._ticker = threading.Thread(target=run, name="studio-ticker", daemon=True)
        self._ticker.start()

    def close(self, timeout: float = 1.0) -> None:
        """Stop the ticker and the notifier (listeners are not called after this returns,
        unless one is running now). The devices are stopped by whoever started them."""
        self.close_lan()
        self._closing.set()
        self._unsubscribe_board()
        with self._changed:
            self._changed.notify_all()
        for t in (self._ticker, self._notifier):
            if t is not None and t is not threading.current_thread():
                t.join(timeout)

    # ================================================================== handlers
    # Each returns an ActionResult (or one with the device's Future) or raises Refused.

    # -- the show
    def _do_show_go(self) -> ActionResult:
        return self._run_show("go")

    def _do_show_back(self) -> ActionResult:
        return self._run_show("back")

    def _do_show_hold(self, on: bool | None) -> ActionResult:
        desk = self._need_show()
        if on is None:
            on = desk.engine.state.playback != Playback.HOLD
        return self._run_show("hold" if on else "resume")

    def _do_show_jump(self, segment: str) -> ActionResult:
        target: str | int = segment.strip()
        if isinstance(target, str) and target.isdigit():
            target = int(target) - 1  # people and remote clients count from 1
            if target < 0:
                raise Refused("segment numbers start at 1")
        return self._run_show("jump", segment=target)

    def _do_show_adjust(self, seconds: float) -> ActionResult:
        return self._run_show("add_time", seconds=seconds)

    def _do_show_end(self) -> ActionResult:
        return self._run_show("end_show")

    def _do_show_override(self, reason: str) -> ActionResult:
        return self._run_show("override_compliance", reason=reason)

    # -- cards and stock
    def _do_card_push(self, sku: str | None, slot: int | None) -> ActionResult:
        if sku:
            return self._run_show("card_push", sku=sku)
        if slot is not None:
            return self._run_show("card_push_slot", slot=slot)
        raise Refused("name the card: sku, or slot (its number in the segment)")

    def _do_card_stop(self, sku: str | None) -> ActionResult:
        return self._run_show("card_stop", sku=sku)

    def _do_card_shelve(self, sku: str) -> ActionResult:
        return self._run_show("card_shelve", sku=sku)

    def _do_card_unshelve(self, sku: str) -> ActionResult:
        return self._run_show("card_unshelve", sku=sku)

    def _do_card_sold_out(self, sku: str) -> ActionResult:
        return self._run_show("card_sold_out", sku=sku)

    def _do_stock_adjust(self, sku: str, delta: int, reason: str | None, force: bool | None) -> ActionResult:
        return self._run_show("stock_adjust", sku=sku, delta=delta, reason=reason or "", force=bool(force))

    def _do_stock_freeze(self, sku: str, frozen: bool, reason: str | None) -> ActionResult:
        return self._run_show("stock_freeze", sku=sku, frozen=frozen, reason=reason or "")

    # -- coupons
    def next_item(self) -> str | None:
        """The next coupon drop or flash sale still to come (what the keys act on)."""
        desk = self.show
        if desk is None:
            return None
        for c in desk.scheduler.countdowns(desk.clock.now().mono):
            if c.status in ("pending", "announced", "blocked", "paused"):
                return c.item
        return None

    def _item(self, item: str | None) -> str:
        self._need_show()
        item = item or self.next_item()
        if item is None:
            raise Refused("no coupon drop or flash sale is pending")
        return item

    def _do_coupon_drop_now(self, id: str | None) -> ActionResult:  # noqa: A002 - the contract's name
        return self._run_show("coupon_drop_now", id=self._item(id))

    def _do_coupon_delay(self, id: str | None, seconds: float) -> ActionResult:  # noqa: A002
        return self._run_show("coupon_delay", id=self._item(id), seconds=seconds)

    def _do_coupon_cancel(self, id: str | None, reason: str | None) -> ActionResult:  # noqa: A002
        return self._run_show("coupon_cancel", id=self._item(id), reason=reason or "")

    def _do_coupon_confirm(self, id: str | None) -> ActionResult:  # noqa: A002
        return self._run_show("coupon_confirm", id=id)

    def _do_coupon_pause_all(self, on: bool, reason: str | None) -> ActionResult:
        if on:
            return self._run_show("coupons_pause", reason=reason or "")
        return self._run_show("coupons_resume")

    # -- the anchor's screen: the message lives here and only here
    def _set_message(self, message: DeskMessage) -> ActionResult:
        self._message = message
        shown = message.visible or message.blackout
        kind = "message.show" if shown else "message.hide"
        text = f"to anchor: {message.text}" if shown else "message hidden"
        payload = {"at_wall": time.time(), "text": message.text, "visible": message.visible, "blink": message.blink,
                   "blackout": message.blackout}
        if self.show is not None:
            payload["run"] = self.show.run_id
        event = show_event(kind, text, payload)
        event.write_to(self.log, self._show_id())
        return ActionResult(True, text, {"message": {k: payload[k] for k in ("text", "visible", "blink", "blackout")}},
                            events=(event,))

    def _do_message_send(self, text: str, blink: bool, blackout: bool) -> ActionResult:
        text = " ".join(text.split())[:500]
        if not text and not blackout:
            raise Refused("the message is empty (message.hide hides it)")
        if self.emergency.drill and text and not text.startswith(f"[{DRILL_LABEL}]"):
            text = f"[{DRILL_LABEL}] {text}"
        return self._set_message(DeskMessage(text, bool(text), bool(blink), bool(blackout)))

    def _do_message_blink(self, on: bool | None) -> ActionResult:
        m = self._message
        if not m.visible:
            raise Refused("no message is shown")
        return self._set_message(replace(m, blink=not m.blink if on is None else on))

    def _do_message_blackout(self, on: bool | None) -> ActionResult:
        m = self._message
        return self._set_message(replace(m, blackout=not m.blackout if on is None else on))

    def _do_message_hide(self) -> ActionResult:
        m = self._message
        return self._set_message(DeskMessage(m.text, False, False, False))

    def set_prompter(self, prompter: PrompterState) -> None:
        """The cue screen's teleprompter moved (the anchor's clicker, scrolling): not an
        action of the desk, so not logged; the snapshot follows it."""
        with self._lock:
            self._prompter = replace(prompter, step=clamp_step(prompter.step))
        self._changed_now()

    def _do_prompter_speed(self, step: int | None, delta: int | None) -> ActionResult:
        if step is None and delta is None:
            raise Refused("give step (-10..10) or delta")
        new = clamp_step(step if step is not None else self._prompter.step + int(delta or 0))
        self._prompter = replace(self._prompter, step=new)
        return ActionResult(True, f"teleprompter speed {new}", {"step": new})

    def _do_prompter_pause(self, on: bool | None) -> ActionResult:
        pause = self._prompter.running if on is None else on
        self._prompter = replace(self._prompter, running=not pause)
        return ActionResult(True, "teleprompter paused" if pause else "teleprompter running", {"running": not pause})

    def _do_anchor_profile(self, name: str) -> ActionResult:
        try:
            profile, changed = profiles.apply_profile(self.settings, name)
        except profiles.UnknownAnchorProfile as exc:
            raise Refused(str(exc)) from None
        values = self._reading()
        if values["prompter_step"] != self._prompter.step:
            self._prompter = replace(self._prompter, step=values["prompter_step"])
        summary = profile.describe()
        self.log.log(Source.CUE.value, "anchor_profile.apply", f"anchor profile {profile.name} applied: {summary}",
                     Severity.INFO, {"profile": profile.name, "settings": profile.to_dict(), "changed": changed},
                     self._show_id())
        self._save_settings()
        return ActionResult(True, summary, {"profile": profile.name, "changed": changed})

    def _save_settings(self) -> None:
        """Write the settings file on a short-lived thread (the caller may be the GUI)."""

        def save() -> None:
            try:
                self.settings.save()
            except Exception as exc:  # noqa: BLE001 - said in the log, the live settings stay
                self.log.log(Source.SYSTEM.value, "settings.save_failed",
                             f"settings not saved to {getattr(self.settings, 'path', '?')}: {_one_line(exc)}",
                             Severity.ERROR)

        if getattr(self.settings, "path", None) is not None:
            threading.Thread(target=save, name="studio-settings", daemon=True).start()

    # -- OBS
    def _do_obs_scene(self, scene: str) -> tuple[ActionResult, Future] | ActionResult:
        link = self._link()
        if self.emergency.drill:
            if not link.state.studio_mode:
                return ActionResult(False, f"{DRILL_LABEL}: OBS studio mode is off, so the program scene is left alone",
                                    {"drill": "skipped"}, reg.REFUSED)
            return self._obs_action("set_preview_scene", scene, link.set_preview_scene(scene),
                                    f"{DRILL_LABEL}: preview → {scene}", sent_as="obs.preview")
        return self._obs_action("switch_scene", scene, link.switch_scene(scene), f"program → {scene}")

    def _do_obs_preview(self, scene: str):
        link = self._link()
        return self._obs_action("set_preview_scene", scene, link.set_preview_scene(scene), f"preview → {scene}")

    def _do_obs_stream_start(self):
        return self._obs_action("start_stream", "", self._link().start_stream(), "stream starting")

    def _do_obs_stream_stop(self):
        return self._obs_action("stop_stream", "", self._link().stop_stream(), "stream stopping")

    def _do_obs_record_start(self):
        return self._obs_action("start_record", "", self._link().start_record(), "recording starting")

    def _do_obs_record_stop(self):
        return self._obs_action("stop_record", "", self._link().stop_record(), "recording stopping")

    def _do_obs_text(self, source: str, text: str):
        return self._obs_action("set_text", source, self._link().set_text(source, text), f"{source} ← {text}")

    # -- devices
    def _mic_input(self, name: str | None) -> str:
        return name or str(self.settings.get("obs.mic_input", "") or DEFAULT_MIC_INPUT)

    def _do_mic_mute(self, input: str | None):  # noqa: A002 - the contract's name
        name = self._mic_input(input)
        return self._obs_action("set_mute", name, self._link().set_mute(name, True), f"{name} muted")

    def _do_mic_unmute(self, input: str | None):  # noqa: A002
        name = self._mic_input(input)
        return self._obs_action("set_mute", name, self._link().set_mute(name, False), f"{name} unmuted")

    def _camera(self) -> CameraSwitch:
        if self.camera is None:
            raise Refused("no camera on this desk: the backup camera switches the Camera dock's source")
        return self.camera

    def _device_result(self, outcome: Any, message: str):
        if isinstance(outcome, Future):
            return ActionResult(True, message, {}), outcome
        return ActionResult(True, str(outcome) if outcome else message, {})

    def _do_camera_use_backup(self, device: str | None):
        return self._device_result(self._camera().use_backup(device or ""), "camera switching to the backup")

    def _do_camera_use_main(self):
        return self._device_result(self._camera().use_main(), "camera switching to the main source")

    # -- runbooks and drills
    def _incident(self, incident: str | None) -> str:
        if incident:
            self.emergency.incident(incident)  # KeyError names it
            return incident
        opened = self.emergency.open_incidents
        if not opened:
            raise Refused("no incident is open")
        return opened[-1].id

    def _do_runbook_open(self, id: str, alarm: str | None) -> ActionResult:  # noqa: A002
        if self.emergency.runbooks.get(id) is None:
            known = ", ".join(r.id for r in self.emergency.runbooks) or "none loaded"
            raise Refused(f"no runbook {id!r} (known: {known})")
        inc = self.emergency.open(id, by=self._by, alarm=alarm or "")
        return ActionResult(True, f"incident {inc.id}: {inc.runbook.name.both()}", {"incident": inc.id})

    def _do_runbook_tick(self, item: int, done: bool, incident: str | None) -> ActionResult:
        iid = self._incident(incident)
        try:
            self.emergency.tick(iid, item - 1, done)
        except IndexError as exc:
            raise Refused(str(exc).replace(f"item {item - 1}", f"item {item}")) from None
        return ActionResult(True, f"{'ticked' if done else 'unticked'} item {item}", {"incident": iid})

    def _do_runbook_close(self, incident: str | None, note: str) -> ActionResult:
        inc = self.emergency.close(self._incident(incident), note or "")
        return ActionResult(True, f"incident closed: {inc.runbook.name.both()}", {"incident": inc.id})

    def _do_drill_start(self) -> ActionResult:
        if self.emergency.drill:
            raise Refused("a drill is already running")
        self.emergency.set_drill(True)
        return ActionResult(True, f"{DRILL_LABEL} mode on", {"drill": True})

    def _do_drill_stop(self) -> ActionResult:
        if not self.emergency.drill:
            raise Refused("no drill is running")
        self.emergency.set_drill(False)
        return ActionResult(True, f"{DRILL_LABEL} mode off", {"drill": False})


def _coded(code: str, **fields: Any) -> dict[str, Any]:
    """A refusal's reason as a code and fields (``studio_app.core.event_kinds.REASONS``), so a
    reader renders it in its own language (the Remote dock's last actions)."""
    return {"reason_code": code, "reason_fields": fields}


def _one_line(exc: Any) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
