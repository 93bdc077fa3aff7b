"""Emergency plans (应急预案): runbooks, incidents, drills and alarm suggestions.

A studio writes its runbooks in ``resources/runbooks/runbooks.toml`` (see that file for
the format). :func:`load_runbooks` reads and validates it; every problem raises
:class:`RunbookError` naming file, line and field, and callers keep their previous
runbooks (:meth:`EmergencyDesk.reload` does exactly that).

:class:`EmergencyDesk` is what the desk's emergency panel drives: one call opens an
:class:`Incident` and runs its steps through a :data:`StepRunner` (the studio's one
action dispatcher: every step is a registry action such as ``obs.scene``) without waiting
for them (OBS answers on its own thread); results, checklist
ticks and the closing note are timestamped and written to the event log as
``incident.open`` / ``incident.action`` / ``incident.tick`` / ``incident.close``, every
payload carrying the incident id, the runbook id and the ``drill`` flag.

Drill mode (演练) runs the same flow; the dispatcher sends an OBS program-scene switch to
the preview scene (studio mode) or skips it, and skips what viewers would see or hear
(mute, backup camera); the anchor's cue message is prefixed "演练 DRILL".

:class:`AlarmWatcher` turns device state words (mic ``lost``, camera ``no_signal``, OBS
stream stopped...) into :class:`Suggestion` s of the matching runbooks, honouring each
trigger's "for at least N s" (Advanced Scene Switcher's duration modifier) and firing once
per rising edge. A suggestion never runs anything by itself; the desk runs only actions the
runbook marks ``automatic = true``.

No Qt, no database: clocks are injected (``clock`` monotonic seconds, ``wall`` epoch
seconds). :class:`EmergencyDesk` is thread-safe: action results arrive on the executor's
threads, and listeners are called on whichever thread caused the change.
"""
from __future__ import annotations

import itertools
import math
import re
import threading
import time
import tomllib
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Protocol

from studio_app.core.events import EventSink, Severity, Source
from studio_app.show.errors import RundownError
from studio_app.show.rundown import SourceMap, toml_error

SOURCE = Source.EMERGENCY.value  # event-log source of everything this module reports

DRILL_LABEL = "演练 DRILL"


class RunbookError(RundownError):
    """A runbook file cannot be used: ``str(err)`` is ``file:line: field: problem``."""


@dataclass(frozen=True)
class Text:
    """A bilingual text; :meth:`pick` falls back to the other language when one is empty."""

    zh: str = ""
    en: str = ""

    def pick(self, lang: str = "zh") -> str:
        first, second = (self.zh, self.en) if lang.lower().startswith("zh") else (self.en, self.zh)
        return first or second

    def both(self) -> str:
        if self.zh and self.en and self.zh != self.en:
            return f"{self.zh} / {self.en}"
        return self.zh or self.en


# The alarms runbooks may be triggered by, with the words the desk shows.
ALARMS: Mapping[str, Text] = MappingProxyType({
    "mic.lost": Text("麦克风断开", "Microphone lost"),
    "mic.stalled": Text("麦克风无数据", "Microphone stalled"),
    "mic.dead_air": Text("直播无声", "Dead air"),
    "camera.no_signal": Text("摄像头无信号", "Camera: no signal"),
    "camera.black": Text("摄像头黑屏", "Camera picture black"),
    "camera.frozen": Text("摄像头画面冻结", "Camera picture frozen"),
    "obs.disconnected": Text("OBS 连接断开", "OBS disconnected"),
    "obs.stream_stopped": Text("OBS 推流停止", "OBS stream stopped"),
    "obs.stream_reconnecting": Text("推流重连中 (网络)", "Stream reconnecting (network)"),
})

# (device, state word reported by its worker) -> alarm. Any other state of that device
# clears the device's alarms. "obs.stream" is fed with "live" / "stopped" (OBS's streaming
# flag while connected); "stopped" only counts after "live".
STATE_ALARMS: Mapping[tuple[str, str], str] = MappingProxyType({
    ("mic", "lost"): "mic.lost",
    ("mic", "stalled"): "mic.stalled",
    ("mic", "dead_air"): "mic.dead_air",
    ("camera", "no_signal"): "camera.no_signal",
    ("camera", "none"): "camera.no_signal",  # the picture check's word for "no picture"
    ("camera", "black"): "camera.black",
    ("camera", "frozen"): "camera.frozen",
    ("obs", "unreachable"): "obs.disconnected",
    ("obs", "frozen"): "obs.disconnected",
    ("obs", "stream_reconnecting"): "obs.stream_reconnecting",
    ("obs.stream", "stopped"): "obs.stream_stopped",
})

# Worker events (source, kind) that raise (True) or clear (False) an alarm.
EVENT_ALARMS: Mapping[tuple[str, str], tuple[str, bool]] = MappingProxyType({
    ("obs", "stream_stopped"): ("obs.stream_stopped", True),
    ("obs", "stream_started"): ("obs.stream_stopped", False),
    ("mic", "lost"): ("mic.lost", True),
    ("mic", "stalled"): ("mic.stalled", True),
    ("mic", "recovered"): ("mic.lost", False),
})


# ---------------------------------------------------------------------------------------
# The runbook model

# The runbook file's short step types (format 1) -> (required params, optional params).
# Params are text. Each one is an action of the studio's registry (LEGACY_STEPS); a step
# may also name a registry action itself: type = "obs.scene", scene = "BRB".
ACTION_PARAMS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = MappingProxyType({
    "obs_scene": (frozenset({"scene"}), frozenset()),
    "obs_mute": (frozenset({"input"}), frozenset()),
    "obs_unmute": (frozenset({"input"}), frozenset()),
    "camera_backup": (frozenset(), frozenset({"device"})),
    "cue_message": (frozenset(), frozenset({"text_zh", "text_en"})),
    "cue_hold": (frozenset(), frozenset()),
    "coupons_pause": (frozenset(), frozenset()),
    "anchor_profile": (frozenset({"profile"}), frozenset()),
})
ACTION_TYPES = frozenset(ACTION_PARAMS)
# short type -> (registry action, fixed args, {file param: action arg})
LEGACY_STEPS: Mapping[str, tuple[str, Mapping[str, Any], Mapping[str, str]]] = MappingProxyType({
    "obs_scene": ("obs.scene", {}, {"scene": "scene"}),
    "obs_mute": ("mic.mute", {}, {"input": "input"}),
    "obs_unmute": ("mic.unmute", {}, {"input": "input"}),
    "camera_backup": ("camera.use_backup", {}, {"device": "device"}),
    "cue_message": ("message.send", {"blink": True}, {}),
    "cue_hold": ("show.hold", {"on": True}, {}),
    "coupons_pause": ("coupon.pause_all", {"on": True}, {}),
    "anchor_profile": ("anchor.profile", {}, {"profile": "name"}),
})
_STEP_NAME = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")  # a registry action name, checked by the studio


@dataclass(frozen=True)
class Role:
    name: Text
    does: Text


@dataclass(frozen=True)
class Trigger:
    alarm: str
    for_at_least_s: float = 0.0


@dataclass(frozen=True)
class RunbookAction:
    type: str  # a short step type (ACTION_PARAMS) or a registry action name ("obs.scene")
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    automatic: bool = False
    line: int = 0

    def param(self, key: str, default: str = "") -> str:
        return self.params.get(key, default)

    def message(self) -> Text:
        return Text(self.param("text_zh"), self.param("text_en"))

    @property
    def step_name(self) -> str:
        """The registry action this step runs."""
        legacy = LEGACY_STEPS.get(self.type)
        return legacy[0] if legacy else self.type

    @property
    def step_args(self) -> dict[str, Any]:
        """The action's arguments (the anchor's message in Chinese, else English)."""
        legacy = LEGACY_STEPS.get(self.type)
        if legacy is None:
            return dict(self.params)
        name, fixed, renames = legacy
        args = {**fixed, **{renames[k]: v for k, v in self.params.items() if k in renames}}
        if self.type == "cue_message":
            args["text"] = self.message().pick("zh")
        return args

    def describe(self, lang: str = "en") -> str:
        """One line for a button or the log, e.g. "Switch OBS to scene BRB"."""
        zh = lang.lower().startswith("zh")
        p = self.params
        match self.type:
            case "obs_scene":
                return f"OBS 切换到场景 {p['scene']}" if zh else f"Switch OBS to scene {p['scene']}"
            case "obs_mute":
                return f"OBS 静音 {p['input']}" if zh else f"Mute OBS input {p['input']}"
            case "obs_unmute":
                return f"OBS 取消静音 {p['input']}" if zh else f"Unmute OBS input {p['input']}"
            case "camera_backup":
                dev = p.get("device", "")
                if zh:
                    return "切换到备用摄像头" + (f" {dev}" if dev else "")
                return "Switch to the backup camera" + (f" {dev}" if dev else "")
            case "cue_message":
                text = self.message().pick(lang)
                return f"提词屏消息: {text}" if zh else f"Cue screen message: {text}"
            case "cue_hold":
                return "暂停流程计时" if zh else "Hold the cue timer"
            case "coupons_pause":
                return "暂停优惠券发放计划" if zh else "Pause the coupon schedule"
            case "anchor_profile":
                return f"载入替班主播设置 {p['profile']}" if zh else f"Load substitute anchor settings {p['profile']}"
        args = " ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.type} {args}".strip()


@dataclass(frozen=True)
class Runbook:
    id: str
    name: Text
    summary: Text = Text()
    key: str = ""  # keyboard shortcut text, e.g. "F5" (empty: the panel assigns Ctrl+<n>)
    roles: tuple[Role, ...] = ()
    checklist: tuple[Text, ...] = ()
    actions: tuple[RunbookAction, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    line: int = 0

    @property
    def automatic_actions(self) -> tuple[int, ...]:
        return tuple(i for i, a in enumerate(self.actions) if a.automatic)


@dataclass(frozen=True)
class RunbookSet:
    runbooks: tuple[Runbook, ...] = ()
    file: str = ""

    def __iter__(self):
        return iter(self.runbooks)

    def __len__(self) -> int:
        return len(self.runbooks)

    def get(self, runbook_id: str) -> Runbook | None:
        return next((r for r in self.runbooks if r.id == runbook_id), None)

    def for_alarm(self, alarm: str) -> list[tuple[Runbook, Trigger]]:
        return [(r, t) for r in self.runbooks for t in r.triggers if t.alarm == alarm]


# ---------------------------------------------------------------------------------------
# Reading runbook files

_ID = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]{1,64}$")
_KEY = re.compile(r"^((Ctrl|Alt|Shift|Meta)\+)*(F([1-9]|1[0-9]|2[0-4])|[A-Za-z0-9])$")
_TOP_KEYS = {"format", "runbook"}
_RUNBOOK_KEYS = {"id", "name_zh", "name_en", "summary_zh", "summary_en", "key", "role", "checklist", "action", "trigger"}
_ROLE_KEYS = {"name_zh", "name_en", "does_zh", "does_en"}
_CHECK_KEYS = {"zh", "en"}
_TRIGGER_KEYS = {"alarm", "for_at_least_s"}
MAX_TRIGGER_S = 3600.0


def _shown(v: Any) -> str:
    text = f'"{v}"' if isinstance(v, str) else repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.smap = SourceMap(text)

    def fail(self, path: str, message: str) -> RunbookError:
        return RunbookError(self.file, self.smap.line_of(path), path, message)

    def table(self, data: Any, path: str, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.fail(path, f"expected a table, got {_shown(data)}")
        for key in data:
            if key not in allowed:
                raise self.fail(f"{path}.{key}" if path else key, f"unknown key (allowed: {', '.join(sorted(allowed))})")
        return data

    def text(self, data: dict, path: str, key: str) -> str:
        v = data.get(key, "")
        if not isinstance(v, str):
            raise self.fail(f"{path}.{key}", f"expected text in quotes, got {_shown(v)}")
        return v.strip()

    def bilingual(self, data: dict, path: str, stem: str, *, required: bool, zh: str = "_zh", en: str = "_en") -> Text:
        t = Text(self.text(data, path, stem + zh), self.text(data, path, stem + en))
        if required and not (t.zh or t.en):
            raise self.fail(f"{path}.{stem}{zh}", f"missing (required): {stem}{zh} and/or {stem}{en}")
        return t

    def tables(self, data: dict, path: str, key: str) -> list:
        v = data.get(key, [])
        if not isinstance(v, list):
            raise self.fail(f"{path}.{key}", f"expected [[{path.split('[')[0]}.{key}]] tables, got {_shown(v)}")
        return v


def loads_runbooks(text: str, file: str = "<runbooks>") -> RunbookSet:
    """Parse and validate runbook TOML text; raises :class:`RunbookError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        e = toml_error(exc, file)
        raise RunbookError(e.file, e.line, e.field, e.message, e.column) from None
    r = _Reader(text, file)
    r.table(data, "", _TOP_KEYS)
    fmt = data.get("format", 1)
    if fmt != 1 or isinstance(fmt, bool):
        raise r.fail("format", f"unsupported format {_shown(fmt)} (this console reads format = 1)")
    raw = r.tables(data, "", "runbook")
    if not raw:
        raise RunbookError(file, 1, "runbook", "no [[runbook]] tables: the file needs at least one runbook")
    books: list[Runbook] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[str, str] = {}
    for n, item in enumerate(raw, start=1):
        path = f"runbook[{n}]"
        d = r.table(item, path, _RUNBOOK_KEYS)
        rid = d.get("id")
        if not isinstance(rid, str) or not _ID.match(rid.strip()):
            raise r.fail(f"{path}.id" if "id" in d else path,
                         "missing (required)" if rid is None else
                         f"expected an id of letters, digits, Chinese characters, '-', '_' or '.', got {_shown(rid)}")
        rid = rid.strip()
        if rid in seen_ids:
            raise r.fail(f"{path}.id", f"duplicate id {_shown(rid)} (also runbook {seen_ids[rid]})")
        seen_ids[rid] = n
        name = r.bilingual(d, path, "name", required=True)
        summary = r.bilingual(d, path, "summary", required=False)
        key = r.text(d, path, "key")
        if key:
            if not _KEY.match(key):
                raise r.fail(f"{path}.key", f'expected a key like "F5" or "Ctrl+1", got {_shown(key)}')
            if key.lower() in seen_keys:
                raise r.fail(f"{path}.key", f"key {key} is already used by runbook {_shown(seen_keys[key.lower()])}")
            seen_keys[key.lower()] = rid
        roles = []
        for i, rd in enumerate(r.tables(d, path, "role"), start=1):
            rp = f"{path}.role[{i}]"
            rd = r.table(rd, rp, _ROLE_KEYS)
            roles.append(Role(r.bilingual(rd, rp, "name", required=True), r.bilingual(rd, rp, "does", required=True)))
        checklist = []
        for i, cd in enumerate(r.tables(d, path, "checklist"), start=1):
            cp = f"{path}.checklist[{i}]"
            cd = r.table(cd, cp, _CHECK_KEYS)
            checklist.append(r.bilingual(cd, cp, "", required=True, zh="zh", en="en"))
        actions = [_action(r, ad, f"{path}.action[{i}]") for i, ad in enumerate(r.tables(d, path, "action"), start=1)]
        triggers = []
        for i, td in enumerate(r.tables(d, path, "trigger"), start=1):
            tp = f"{path}.trigger[{i}]"
            td = r.table(td, tp, _TRIGGER_KEYS)
            alarm = td.get("alarm")
            if not isinstance(alarm, str) or alarm not in ALARMS:
                raise r.fail(f"{tp}.alarm" if "alarm" in td else tp,
                             ("missing (required)" if alarm is None else f"unknown alarm {_shown(alarm)}")
                             + f" (one of: {', '.join(ALARMS)})")
            hold = td.get("for_at_least_s", 0)
            if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not math.isfinite(hold) \
                    or not 0 <= hold <= MAX_TRIGGER_S:
                raise r.fail(f"{tp}.for_at_least_s", f"expected seconds from 0 to {MAX_TRIGGER_S:g} (no quotes), got {_shown(hold)}")
            triggers.append(Trigger(alarm, float(hold)))
        if not actions and not checklist:
            raise r.fail(path, f"runbook {_shown(rid)} has neither [[runbook.action]] nor [[runbook.checklist]]: nothing to do")
        books.append(Runbook(rid, name, summary, key, tuple(roles), tuple(checklist), tuple(actions), tuple(triggers),
                             r.smap.line_of(path)))
    return RunbookSet(tuple(books), file)


def _action(r: _Reader, data: Any, path: str) -> RunbookAction:
    if not isinstance(data, dict):
        raise r.fail(path, f"expected a table, got {_shown(data)}")
    kind = data.get("type")
    if isinstance(kind, str) and _STEP_NAME.match(kind):
        return _named_step(r, data, path, kind)
    if not isinstance(kind, str) or kind not in ACTION_PARAMS:
        raise r.fail(f"{path}.type" if "type" in data else path,
                     ("missing (required)" if kind is None else f"unknown action type {_shown(kind)}")
                     + f" (one of: {', '.join(ACTION_PARAMS)}, or an action name such as \"obs.scene\")")
    required, optional = ACTION_PARAMS[kind]
    allowed = {"type", "automatic"} | required | optional
    r.table(data, path, allowed)
    params: dict[str, str] = {}
    for key in sorted(required | optional):
        if key not in data:
            if key in required:
                raise r.fail(f"{path}.{key}", f"missing (required for {kind})")
            continue
        value = r.text(data, path, key)
        if not value:
            raise r.fail(f"{path}.{key}", "must not be empty")
        params[key] = value
    if kind == "cue_message" and not params:
        raise r.fail(f"{path}.text_zh", "missing (required for cue_message): text_zh and/or text_en")
    return RunbookAction(kind, MappingProxyType(params), _automatic(r, data, path), r.smap.line_of(path))


def _named_step(r: _Reader, data: dict, path: str, name: str) -> RunbookAction:
    """A step naming a registry action; its other keys are the action's arguments (plain
    values). Whether the name and arguments exist is checked against the registry by the
    studio (studio_app.studio.runbooks), which names this line."""
    params: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("type", "automatic"):
            continue
        if not isinstance(value, (str, int, float, bool)):
            raise r.fail(f"{path}.{key}", f"expected text, a number or true/false, got {_shown(value)}")
        params[key] = value
    return RunbookAction(name, MappingProxyType(params), _automatic(r, data, path), r.smap.line_of(path))


def _automatic(r: _Reader, data: dict, path: str) -> bool:
    auto = data.get("automatic", False)
    if not isinstance(auto, bool):
        raise r.fail(f"{path}.automatic", f"expected true or false, got {_shown(auto)}")
    return auto


def load_runbooks(path: str | Path) -> RunbookSet:
    """Read a runbook file (UTF-8 TOML); raises :class:`RunbookError`. Reads the disk:
    call it off the GUI thread."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RunbookError(p.name, 0, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RunbookError(p.name, raw[: exc.start].count(b"\n") + 1, "", "not UTF-8 text (save the file as UTF-8)") from None
    return loads_runbooks(text, p.name)


def default_runbooks_path() -> Path:
    from studio_app.core.paths import resource

    return resource("runbooks", "runbooks.toml")


# ---------------------------------------------------------------------------------------
# Running steps


@dataclass(frozen=True)
class StepOutcome:
    """What running one step did. ``future`` (when set) resolves when the device confirmed
    it (or raises why not); ``sent_as`` names what was actually sent when a drill changed
    it (e.g. "obs.preview")."""

    status: str  # ok | failed | skipped (a Future still running counts as ok once it resolves)
    detail: str = ""
    future: Future | None = None
    sent_as: str = ""


# (step name, typed-ish args, who) -> StepOutcome. The studio's action dispatcher is the one
# runner (studio_app.studio): every step is an action of its registry. It must not block.
StepRunner = Callable[[str, Mapping[str, Any], str], StepOutcome]


# ---------------------------------------------------------------------------------------
# Incidents

PENDING, RUNNING, OK, FAILED, SKIPPED = "pending", "running", "ok", "failed", "skipped"


@dataclass(frozen=True)
class ActionRun:
    """One action of an incident. Times are the desk's monotonic clock (seconds)."""

    index: int
    action: RunbookAction
    status: str = PENDING  # pending | running | ok | failed | skipped
    detail: str = ""
    sent_as: str = ""  # the action actually sent: "obs.scene", "obs.preview" (drill)...
    started: float | None = None
    finished: float | None = None

    @property
    def elapsed_ms(self) -> float | None:
        if self.started is None or self.finished is None:
            return None
        return (self.finished - self.started) * 1000.0


@dataclass(frozen=True)
class Tick:
    item: int
    done: bool
    at: float  # monotonic
    wall: float
    by: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    at: float  # monotonic
    wall: float
    kind: str  # incident.open / incident.action / incident.tick / incident.close
    text: str


@dataclass(frozen=True)
class Incident:
    """An immutable snapshot; the desk replaces it on every change."""

    id: str
    runbook: Runbook
    drill: bool
    opened_at: float  # monotonic
    opened_wall: float
    opened_by: str = "key"  # "key" (a person), "suggestion" (a person accepting one), "alarm" (automatic)
    alarm: str = ""
    actions: tuple[ActionRun, ...] = ()
    ticks: tuple[Tick, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    closed_at: float | None = None
    closed_wall: float | None = None
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def checked(self) -> tuple[bool, ...]:
        """Each checklist item's current tick (the latest tick counts)."""
        state = [False] * len(self.runbook.checklist)
        for t in self.ticks:
            if 0 <= t.item < len(state):
                state[t.item] = t.done
        return tuple(state)

    def tick_time(self, item: int) -> float | None:
        """Wall time of the item's latest tick while it is ticked, else None."""
        last = next((t for t in reversed(self.ticks) if t.item == item), None)
        return last.wall if last is not None and last.done else None

    def base_payload(self) -> dict[str, Any]:
        return {"incident": self.id, "runbook": self.runbook.id, "drill": self.drill}


Listener = Callable[[Incident], None]


class EmergencyDesk:
    """Opens, runs, ticks and closes incidents, and writes their timeline to ``sink``."""

    def __init__(
        self,
        runbooks: RunbookSet,
        runner: StepRunner,
        sink: EventSink | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        show_id: str | None = None,
    ) -> None:
        self._runbooks = runbooks
        self.runner = runner
        self.sink = sink
        self.clock = clock
        self.wall = wall
        self.show_id = show_id
        self._drill = False
        self._lock = threading.RLock()
        self._incidents: dict[str, Incident] = {}  # open and closed, in opening order
        self._listeners: list[Listener] = []
        self._drill_listeners: list[Callable[[bool], None]] = []
        self._numbers = itertools.count(1)

    # ---- runbooks
    @property
    def runbooks(self) -> RunbookSet:
        return self._runbooks

    def set_runbooks(self, runbooks: RunbookSet, *, quiet: bool = False) -> None:
        """Use new runbooks for incidents opened from now on (open ones keep theirs).
        ``quiet``: not worth a log line (the start-up load)."""
        with self._lock:
            self._runbooks = runbooks
        if not quiet:
                self._log("emergency.runbooks", f"runbooks loaded: {len(runbooks)} from {runbooks.file}", Severity.INFO,
                      {"file": runbooks.file, "runbooks": [r.id for r in runbooks]})

    def reload(self, path: str | Path) -> RunbookError | None:
        """Load ``path``; on any problem keep the current runbooks and return the error."""
        try:
            books = load_runbooks(path)
        except RunbookError as exc:
            self.report_load_error(exc)
            return exc
        self.set_runbooks(books)
        return None

    def report_load_error(self, exc: RunbookError) -> None:
        self._log("emergency.runbooks_error", f"runbooks not loaded, keeping the previous ones: {exc}",
                  Severity.ERROR, {**exc.as_dict(), "kept": [r.id for r in self._runbooks]})

    # ---- drill
    @property
    def drill(self) -> bool:
        return self._drill

    def set_drill(self, on: bool) -> None:
        with self._lock:
            if on == self._drill:
                return
            self._drill = on
            listeners = list(self._drill_listeners)
        self._log("emergency.drill", f"{DRILL_LABEL} mode {'on' if on else 'off'}", Severity.WARNING if on else Severity.INFO,
                  {"drill": on})
        for fn in listeners:
            fn(on)

    def on_drill(self, fn: Callable[[bool], None]) -> Callable[[], None]:
        with self._lock:
            self._drill_listeners.append(fn)
        return lambda: self._drill_listeners.remove(fn) if fn in self._drill_listeners else None

    # ---- listeners
    def subscribe(self, fn: Listener) -> Callable[[], None]:
        """``fn(incident)`` after every change, on the thread that made it (GUI or executor)."""
        with self._lock:
            self._listeners.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._listeners:
                    self._listeners.remove(fn)

        return unsubscribe

    # ---- queries
    def incident(self, incident_id: str) -> Incident:
        with self._lock:
            return self._incidents[incident_id]

    @property
    def open_incidents(self) -> list[Incident]:
        with self._lock:
            return [i for i in self._incidents.values() if i.is_open]

    @property
    def incidents(self) -> list[Incident]:
        with self._lock:
            return list(self._incidents.values())

    def open_for(self, runbook_id: str) -> Incident | None:
        return next((i for i in self.open_incidents if i.runbook.id == runbook_id), None)

    # ---- the flow
    def open(self, runbook_id: str, *, by: str = "key", alarm: str = "", run: str = "all") -> Incident:
        """Open an incident of ``runbook_id`` and start its actions (``run``: "all",
        "automatic" or "none"). Returns at once. If one is already open for this runbook,
        returns it unchanged (a second key press must not fire the actions twice)."""
        if run not in ("all", "automatic", "none"):
            raise ValueError(f"run must be all, automatic or none, got {run!r}")
        with self._lock:
            existing = self.open_for(runbook_id)
            if existing is not None:
                return existing
            book = self._runbooks.get(runbook_id)
            if book is None:
                raise KeyError(f"no runbook {runbook_id!r} (known: {', '.join(r.id for r in self._runbooks)})")
            now, wall = self.clock(), self.wall()
            drill = self._drill
            iid = f"{'drill' if drill else 'inc'}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(wall))}-{next(self._numbers)}-{book.id}"
            inc = Incident(iid, book, drill, now, wall, by, alarm,
                           actions=tuple(ActionRun(i, a) for i, a in enumerate(book.actions)))
            text = f"{DRILL_LABEL + ': ' if drill else ''}incident opened: {book.name.both()}"
            inc = self._add(inc, "incident.open", text)
            self._incidents[iid] = inc
        self._log("incident.open", text, Severity.INFO if drill else Severity.WARNING,
                  {**inc.base_payload(), "name_zh": book.name.zh, "name_en": book.name.en, "by": by, "alarm": alarm,
                   "wall": wall, "actions": [a.type for a in book.actions], "checklist": len(book.checklist)})
        self._notify(inc)
        if run != "none":
            for i, a in enumerate(book.actions):
                if run == "all" or a.automatic:
                    self.run_action(iid, i)
        return self.incident(iid)

    def run_action(self, incident_id: str, index: int) -> None:
        """Start action ``index`` (again, after a failure) without waiting for it: the
        step goes through the runner (the studio's dispatcher), which decides what a drill
        does with it."""
        with self._lock:
            inc = self._incidents[incident_id]
            if not inc.is_open:
                raise ValueError(f"incident {incident_id} is closed")
            run = inc.actions[index]
            if run.status == RUNNING:
                return
            started = self.clock()
            self._replace_action(incident_id, replace(run, status=RUNNING, started=started, finished=None,
                                                      detail="", sent_as=run.action.step_name))
        try:
            outcome = self.runner(run.action.step_name, run.action.step_args, "runbook")
        except Exception as exc:  # noqa: BLE001 - every failure is a result, shown to people
            self._finish(incident_id, index, FAILED, _one_line(exc))
            return
        if outcome.sent_as and outcome.sent_as != run.action.step_name:
            with self._lock:
                self._replace_action(incident_id, replace(self._incidents[incident_id].actions[index],
                                                          sent_as=outcome.sent_as))
        if outcome.future is not None and outcome.status == OK:
            outcome.future.add_done_callback(lambda f: self._future_done(incident_id, index, f))
        else:
            self._finish(incident_id, index, outcome.status, outcome.detail)

    def tick(self, incident_id: str, item: int, done: bool = True, by: str = "") -> Incident:
        """Tick (or untick) checklist item ``item`` (0-based); timestamped and logged."""
        with self._lock:
            inc = self._incidents[incident_id]
            if not inc.is_open:
                raise ValueError(f"incident {incident_id} is closed")
            if not 0 <= item < len(inc.runbook.checklist):
                raise IndexError(f"checklist item {item} out of range (0..{len(inc.runbook.checklist) - 1})")
            now, wall = self.clock(), self.wall()
            label = inc.runbook.checklist[item].both()
            text = f"{'✓' if done else '✗'} {label}"
            inc = self._add(replace(inc, ticks=inc.ticks + (Tick(item, done, now, wall, by),)), "incident.tick", text)
            self._incidents[incident_id] = inc
        self._log("incident.tick", f"{DRILL_LABEL + ': ' if inc.drill else ''}{text}", Severity.INFO,
                  {**inc.base_payload(), "item": item, "done": done, "text_zh": inc.runbook.checklist[item].zh,
                   "text_en": inc.runbook.checklist[item].en, "by": by, "wall": wall,
                   "t": round(now - inc.opened_at, 3)})
        self._notify(inc)
        return inc

    def close(self, incident_id: str, note: str = "") -> Incident:
        with self._lock:
            inc = self._incidents[incident_id]
            if not inc.is_open:
                return inc
            now, wall = self.clock(), self.wall()
            note = note.strip()
            text = f"incident closed: {inc.runbook.name.both()}" + (f" — {note}" if note else "")
            inc = self._add(replace(inc, closed_at=now, closed_wall=wall, note=note), "incident.close", text)
            self._incidents[incident_id] = inc
        done = inc.checked()
        results = {s: sum(1 for a in inc.actions if a.status == s) for s in (OK, FAILED, SKIPPED, PENDING, RUNNING)}
        self._log("incident.close", f"{DRILL_LABEL + ': ' if inc.drill else ''}{text}", Severity.INFO,
                  {**inc.base_payload(), "note": note, "wall": wall, "duration_s": round(now - inc.opened_at, 3),
                   "checked": sum(done), "checklist": len(done), "actions": results})
        self._notify(inc)
        return inc

    # ---- suggestions
    def take(self, suggestions: Iterable["Suggestion"]) -> list["Suggestion"]:
        """Act on the watcher's suggestions: a runbook with automatic actions is opened and
        only those actions run; returns the suggestions that need a person."""
        for_people = []
        for s in suggestions:
            self._log("emergency.suggest", f"{s.message('zh')} / {s.message('en')}", Severity.WARNING,
                      {"alarm": s.alarm, "runbook": s.runbook.id, "drill": self._drill, "automatic": bool(s.automatic)})
            if self.open_for(s.runbook.id) is not None:
                continue
            if s.automatic:
                self.open(s.runbook.id, by="alarm", alarm=s.alarm, run="automatic")
            for_people.append(s)
        return for_people

    def dismissed(self, s: "Suggestion", by: str = "") -> None:
        self._log("emergency.dismiss", f"suggestion ignored: {s.message('en')}", Severity.INFO,
                  {"alarm": s.alarm, "runbook": s.runbook.id, "drill": self._drill, "by": by})

    # ---- internals
    def _future_done(self, incident_id: str, index: int, fut: Future) -> None:
        try:
            value = fut.result()
        except Exception as exc:  # noqa: BLE001
            self._finish(incident_id, index, FAILED, _one_line(exc))
        else:
            self._finish(incident_id, index, OK, value if isinstance(value, str) else "")

    def _finish(self, incident_id: str, index: int, status: str, detail: str) -> None:
        with self._lock:
            inc = self._incidents[incident_id]
            run = inc.actions[index]
            now = self.clock()
            run = replace(run, status=status, detail=detail, finished=now)
            self._replace_action(incident_id, run)
            inc = self._incidents[incident_id]
            what = run.action.describe("en")
            if run.sent_as == "obs.preview":
                what += " (preview, drill)"
            text = f"{what}: {status}" + (f" ({detail})" if detail else "")
            inc = self._add(inc, "incident.action", text)
            self._incidents[incident_id] = inc
        if status == FAILED:
            severity = Severity.WARNING if inc.drill else Severity.ERROR
        else:
            severity = Severity.INFO
        self._log("incident.action", f"{DRILL_LABEL + ': ' if inc.drill else ''}{text}", severity,
                  {**inc.base_payload(), "index": index, "type": run.action.type, "sent_as": run.sent_as or None,
                   "params": dict(run.action.params), "automatic": run.action.automatic, "result": status,
                   "detail": detail, "ms": None if run.elapsed_ms is None else round(run.elapsed_ms, 1),
                   "t": round(now - inc.opened_at, 3), "wall": self.wall()})
        self._notify(inc)

    def _replace_action(self, incident_id: str, run: ActionRun) -> None:
        inc = self._incidents[incident_id]
        actions = list(inc.actions)
        actions[run.index] = run
        self._incidents[incident_id] = replace(inc, actions=tuple(actions))

    def _add(self, inc: Incident, kind: str, text: str) -> Incident:
        return replace(inc, timeline=inc.timeline + (TimelineEntry(self.clock(), self.wall(), kind, text),))

    def _notify(self, inc: Incident) -> None:
        with self._lock:
            listeners = list(self._listeners)
            inc = self._incidents.get(inc.id, inc)
        for fn in listeners:
            fn(inc)

    def _log(self, kind: str, message: str, severity: int, payload: Mapping[str, Any]) -> None:
        if self.sink is not None:
            self.sink.log(SOURCE, kind, message, int(severity), dict(payload), self.show_id)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


# ---------------------------------------------------------------------------------------
# Alarms -> suggestions


@dataclass(frozen=True)
class Suggestion:
    alarm: str
    runbook: Runbook
    since: float  # monotonic time the alarm became active
    raised: float  # monotonic time the suggestion was made (since + the trigger's hold)
    automatic: tuple[int, ...] = ()  # indices of actions the desk may run without a person

    def message(self, lang: str = "zh") -> str:
        alarm = ALARMS.get(self.alarm, Text(self.alarm, self.alarm)).pick(lang)
        name = self.runbook.name.pick(lang)
        if lang.lower().startswith("zh"):
            return f"{alarm} — 建议执行预案: {name}"
        return f"{alarm} — suggested runbook: {name}"


class AlarmWatcher:
    """Device alarms → runbook suggestions (edge-triggered, with "for at least N s").

    Feed it with :meth:`observe_device` (state words), :meth:`observe_event` (worker
    events) or :meth:`set_alarm`; call :meth:`tick` now and then (at least at
    :meth:`next_deadline`) so held triggers fire. Every method returns the suggestions that
    became due. Not thread-safe: use it from one thread (the desk's GUI thread).
    """

    def __init__(self, runbooks: RunbookSet, clock: Callable[[], float] = time.monotonic) -> None:
        self.runbooks = runbooks
        self.clock = clock
        self._active: dict[str, float] = {}  # alarm -> since
        self._fired: set[tuple[str, str]] = set()  # (alarm, runbook id) fired during this activation
        self._device_state: dict[str, str] = {}
        self._ever_up: set[str] = set()  # devices seen "connected" / "live" at least once

    @property
    def active(self) -> dict[str, float]:
        return dict(self._active)

    def set_runbooks(self, runbooks: RunbookSet) -> None:
        self.runbooks = runbooks

    def set_alarm(self, alarm: str, active: bool, now: float | None = None) -> list[Suggestion]:
        now = self.clock() if now is None else now
        if active:
            self._active.setdefault(alarm, now)
        else:
            self._active.pop(alarm, None)
            self._fired = {f for f in self._fired if f[0] != alarm}
        return self.tick(now)

    def observe_device(self, device: str, state: str, now: float | None = None) -> list[Suggestion]:
        """A worker's state word (``DeviceStatus.device`` / ``.state``)."""
        now = self.clock() if now is None else now
        previous = self._device_state.get(device)
        self._device_state[device] = state
        raised = STATE_ALARMS.get((device, state))
        if state in ("connected", "live"):
            self._ever_up.add(device)
        # A stream that was never live is not "stopped": the show has not started yet. Likewise
        # an OBS that was never reached has not "disconnected" (OBS not started yet at desk
        # start-up): its status shows it, but no runbook, and no automatic action, fires.
        if device == "obs.stream" and state == "stopped" and previous != "live":
            raised = None
        if raised == "obs.disconnected" and device not in self._ever_up:
            raised = None
        out: list[Suggestion] = []
        for (dev, _), alarm in STATE_ALARMS.items():
            if dev == device and alarm != raised and alarm in self._active:
                out += self.set_alarm(alarm, False, now)
        if raised:
            out += self.set_alarm(raised, True, now)
        return out or self.tick(now)

    def observe_event(self, source: str, kind: str, now: float | None = None) -> list[Suggestion]:
        hit = EVENT_ALARMS.get((source, kind))
        if hit is None:
            return []
        alarm, active = hit
        out = self.set_alarm(alarm, active, now)
        if (source, kind) == ("mic", "recovered"):
            out += self.set_alarm("mic.stalled", False, now)
        return out

    def dismiss(self, alarm: str) -> None:
        """No more suggestions for ``alarm`` until it clears and comes back."""
        for book, _ in self.runbooks.for_alarm(alarm):
            self._fired.add((alarm, book.id))

    def tick(self, now: float | None = None) -> list[Suggestion]:
        now = self.clock() if now is None else now
        out = []
        for alarm, since in list(self._active.items()):
            for book, trig in self.runbooks.for_alarm(alarm):
                key = (alarm, book.id)
                if key in self._fired or now - since < trig.for_at_least_s:
                    continue
                self._fired.add(key)
                out.append(Suggestion(alarm, book, since, now, book.automatic_actions))
        return out

    def next_deadline(self) -> float | None:
        """The monotonic time of the next held trigger that could fire, or None."""
        times = [since + trig.for_at_least_s for alarm, since in self._active.items()
                 for book, trig in self.runbooks.for_alarm(alarm) if (alarm, book.id) not in self._fired]
        return min(times) if times else None


# ---------------------------------------------------------------------------------------
# Review


def incident_report(events: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    """Group logged ``incident.*`` events into {"incidents": [...], "drills": [...]}.

    ``events`` are :class:`~studio_app.core.events.Event` s or dicts with ``kind`` and
    ``payload`` (oldest first). Each entry: id, runbook, name_zh, name_en, opened (wall),
    closed (wall or None), duration_s, note, actions [{type, result, detail, ms}],
    ticks [{item, done, wall}].
    """
    found: dict[str, dict[str, Any]] = {}
    for ev in events:
        kind = ev.get("kind") if isinstance(ev, Mapping) else getattr(ev, "kind", "")
        payload = (ev.get("payload") if isinstance(ev, Mapping) else getattr(ev, "payload", None)) or {}
        if not str(kind).startswith("incident.") or "incident" not in payload:
            continue
        entry = found.setdefault(payload["incident"], {
            "id": payload["incident"], "runbook": payload.get("runbook", ""), "drill": bool(payload.get("drill")),
            "name_zh": "", "name_en": "", "opened": None, "closed": None, "duration_s": None, "note": "",
            "by": "", "alarm": "", "actions": [], "ticks": []})
        if kind == "incident.open":
            entry.update(name_zh=payload.get("name_zh", ""), name_en=payload.get("name_en", ""),
                         opened=payload.get("wall"), by=payload.get("by", ""), alarm=payload.get("alarm", ""))
        elif kind == "incident.action":
            entry["actions"].append({k: payload.get(k) for k in ("index", "type", "sent_as", "result", "detail", "ms", "t")})
        elif kind == "incident.tick":
            entry["ticks"].append({k: payload.get(k) for k in ("item", "done", "text_zh", "text_en", "wall", "t")})
        elif kind == "incident.close":
            entry.update(closed=payload.get("wall"), duration_s=payload.get("duration_s"), note=payload.get("note", ""))
    items = list(found.values())
    return {"incidents": [e for e in items if not e["drill"]], "drills": [e for e in items if e["drill"]]}
