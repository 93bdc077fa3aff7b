"""What the anchor's cue screen shows, as plain frozen data (no Qt, no engine).

The desk builds a :class:`CueScreenState` from the show engine and hands it to every cue
view: the full-screen Qt window (``studio_app.ui.cue_screen``) and the read-only browser
view on the studio LAN (``studio_app.core.cue_server``), which receives ``to_json()``.
Views render exactly what they are given; they never compute show timing themselves.

Units: times in milliseconds (``remaining_ms`` negative = overtime), countdowns in
seconds, prices in yuan, wall clock as "HH:MM:SS" text (the desk's clock, not the view's).
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Phase = Literal["none", "default", "warning", "danger", "overtime"]
PHASES: tuple[str, ...] = ("none", "default", "warning", "danger", "overtime")
CountdownKind = Literal["coupon", "flash_sale"]
CountdownStage = Literal["announce", "now", "running"]

# Presenter-view colours (Ontime's dataModel: normal #ffffffcc, warning #ffa528, danger
# #ff7300; overtime red). One table for the Qt screen and the browser page.
PHASE_COLORS: dict[str, str] = {
    "none": "#9aa0a6",
    "default": "#ffffff",
    "warning": "#ffa528",
    "danger": "#ff7300",
    "overtime": "#ff2d2d",
}
FLASH_PHASES = frozenset({"warning", "danger", "overtime"})
FLASH_SECONDS = 3.0  # Stagetick's "flash on phase": 3 s on entering warning/danger/overtime
BLINK_PERIOD_S = 1.0  # message blink: 0.5 s on, 0.5 s off

# Teleprompter speed (QPrompt's Prompter.qml): speed = base * |step| ** curvature.
PROMPTER_CURVATURE = 1.15
PROMPTER_BASE_LINES_PER_S = 0.25  # at step 1 the script moves a quarter line per second
PROMPTER_MAX_STEP = 10
PROMPTER_DEFAULT_STEP = 3


class CueStateError(ValueError):
    """A cue state (or its JSON) is malformed; the message names the field."""


@dataclass(frozen=True, slots=True)
class ProductCard:
    name: str
    live_price: float | None = None
    list_price: float | None = None
    stock_left: int | None = None
    sold_out: bool = False
    image_path: str = ""  # a file on the desk machine; the LAN view shows no image


@dataclass(frozen=True, slots=True)
class Countdown:
    """A coupon drop or flash sale the anchor must announce. ``seconds`` counts down to
    the drop (stage 'announce'); 'now' = drop it now; 'running' = on sale, ``seconds`` left."""

    label: str  # e.g. "满200减30" or the flash-sale title
    kind: CountdownKind = "coupon"
    seconds: float = 0.0
    stage: CountdownStage = "announce"


@dataclass(frozen=True, slots=True)
class DeskMessage:
    """A message from the desk (Ontime's TimerMessage): blink flashes it, blackout blacks
    out everything else on the screen."""

    text: str = ""
    visible: bool = False
    blink: bool = False
    blackout: bool = False


@dataclass(frozen=True, slots=True)
class Tallies:
    """ON AIR / REC lamps with how long each has been on (ms), None when unknown."""

    on_air: bool = False
    on_air_ms: int | None = None
    rec: bool = False
    rec_ms: int | None = None


@dataclass(frozen=True, slots=True)
class PrompterState:
    """Teleprompter motion. ``step`` in [-10, 10] (negative scrolls back), ``position``
    is the read point as a fraction 0..1 of the script, so every view can follow it."""

    step: int = PROMPTER_DEFAULT_STEP
    running: bool = False
    position: float = 0.0


@dataclass(frozen=True, slots=True)
class CueScreenState:
    show_title: str = ""
    segment_title: str = ""
    segment_kind: str = ""  # label as shown, e.g. "讲解" (the desk translates the kind)
    remaining_ms: int = 0  # negative = overtime
    planned_ms: int = 0
    phase: Phase = "none"
    script: str = ""
    talking_points: tuple[str, ...] = ()
    product: ProductCard | None = None
    countdowns: tuple[Countdown, ...] = ()
    next_title: str = ""
    next_start: str = ""  # planned start, "HH:MM" (empty when unknown)
    message: DeskMessage = field(default_factory=DeskMessage)
    tallies: Tallies = field(default_factory=Tallies)
    drill: bool = False  # an emergency drill is running: the screen says so prominently
    clock: str = ""  # the desk's wall clock, "HH:MM:SS"
    prompter: PrompterState = field(default_factory=PrompterState)

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise CueStateError(f"phase: expected one of {', '.join(PHASES)}, got {self.phase!r}")
        # Lists from callers become tuples so the state stays hashable and immutable.
        if not isinstance(self.talking_points, tuple):
            object.__setattr__(self, "talking_points", tuple(self.talking_points))
        if not isinstance(self.countdowns, tuple):
            object.__setattr__(self, "countdowns", tuple(self.countdowns))

    def with_(self, **changes: Any) -> "CueScreenState":
        return replace(self, **changes)

    # -- JSON for the LAN view ---------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["talking_points"] = list(self.talking_points)
        d["countdowns"] = [dict(c, text=format_countdown(Countdown(**c))) for c in d["countdowns"]]
        d["remaining_text"] = format_remaining(self.remaining_ms)
        d["phase_color"] = PHASE_COLORS[self.phase]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CueScreenState":
        if not isinstance(d, dict):
            raise CueStateError(f"cue state: expected an object, got {type(d).__name__}")
        try:
            product = d.get("product")
            return cls(
                show_title=str(d.get("show_title", "")),
                segment_title=str(d.get("segment_title", "")),
                segment_kind=str(d.get("segment_kind", "")),
                remaining_ms=int(d.get("remaining_ms", 0)),
                planned_ms=int(d.get("planned_ms", 0)),
                phase=d.get("phase", "none"),
                script=str(d.get("script", "")),
                talking_points=tuple(str(t) for t in d.get("talking_points", ())),
                product=ProductCard(**_known(ProductCard, product)) if product else None,
                countdowns=tuple(Countdown(**_known(Countdown, c)) for c in d.get("countdowns", ())),
                next_title=str(d.get("next_title", "")),
                next_start=str(d.get("next_start", "")),
                message=DeskMessage(**_known(DeskMessage, d.get("message") or {})),
                tallies=Tallies(**_known(Tallies, d.get("tallies") or {})),
                drill=bool(d.get("drill", False)),
                clock=str(d.get("clock", "")),
                prompter=PrompterState(**_known(PrompterState, d.get("prompter") or {})),
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, CueStateError):
                raise
            raise CueStateError(f"cue state: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> "CueScreenState":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CueStateError(f"cue state JSON, line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
        return cls.from_dict(data)


def _known(kind: type, d: Any) -> dict[str, Any]:
    """The keys of ``d`` that ``kind`` has (derived keys such as ``text`` are dropped)."""
    if not isinstance(d, dict):
        raise CueStateError(f"{kind.__name__}: expected an object, got {type(d).__name__}")
    names = set(kind.__dataclass_fields__)
    return {k: v for k, v in d.items() if k in names}


# -- text the anchor reads -----------------------------------------------------------
def format_mmss(seconds: float) -> str:
    """Whole seconds as "mm:ss" (or "h:mm:ss" from an hour), rounding up so a countdown
    shows 00:01 until it really reaches zero."""
    s = max(0, math.ceil(seconds - 1e-9))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def format_remaining(remaining_ms: int) -> str:
    """Segment time left as "mm:ss"; overtime as "+mm:ss" (time past zero)."""
    if remaining_ms < 0:
        # Overtime counts up from +00:00 in whole elapsed seconds.
        over = (-remaining_ms) // 1000
        return "+" + format_mmss(over)
    return format_mmss(remaining_ms / 1000.0)


def format_countdown(c: Countdown) -> str:
    """One line for the anchor: "03:00 后发券 满200减30", "现在发券! 满200减30",
    "秒杀 01:30 后开始 …", "秒杀进行中 …"."""
    label = c.label.strip()
    tail = f" {label}" if label else ""
    if c.kind == "flash_sale":
        if c.stage == "announce":
            return f"秒杀 {format_mmss(c.seconds)} 后开始{tail}"
        if c.stage == "now":
            return f"秒杀开始!{tail}"
        return f"秒杀进行中 剩 {format_mmss(c.seconds)}{tail}"
    if c.stage == "announce":
        return f"{format_mmss(c.seconds)} 后发券{tail}"
    if c.stage == "now":
        return f"现在发券!{tail}"
    return f"券已发出 剩 {format_mmss(c.seconds)}{tail}"


def format_timecode(ms: int | None) -> str:
    """Tally timecode "HH:MM:SS" (empty when unknown)."""
    if ms is None or ms < 0:
        return ""
    s = ms // 1000
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def format_price(yuan: float | None) -> str:
    if yuan is None:
        return ""
    return f"¥{yuan:.0f}" if float(yuan).is_integer() else f"¥{yuan:.2f}"


# -- teleprompter --------------------------------------------------------------------
def prompter_speed(step: int, base: float = PROMPTER_BASE_LINES_PER_S, curvature: float = PROMPTER_CURVATURE) -> float:
    """Scroll speed for a speed step: ``base * |step| ** curvature`` with the sign of
    ``step`` (QPrompt's curve). Units are those of ``base`` (lines per second here)."""
    if step == 0:
        return 0.0
    return math.copysign(base * abs(step) ** curvature, step)


def clamp_step(step: int) -> int:
    return max(-PROMPTER_MAX_STEP, min(PROMPTER_MAX_STEP, int(step)))


def advance_prompter(p: PrompterState, dt_s: float, total_lines: float,
                     base: float = PROMPTER_BASE_LINES_PER_S) -> PrompterState:
    """Where the prompter is ``dt_s`` seconds later, for a script ``total_lines`` long.
    Stops (running=False) at either end."""
    if not p.running or total_lines <= 0 or dt_s <= 0:
        return p
    pos = p.position + prompter_speed(p.step, base) * dt_s / total_lines
    if pos >= 1.0:
        return replace(p, position=1.0, running=False)
    if pos <= 0.0:
        return replace(p, position=0.0, running=False)
    return replace(p, position=pos)
