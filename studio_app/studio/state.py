"""The studio's state as one immutable snapshot: every view renders from it (the desk's
panels, the anchor's cue screen, the phone view, remote control surfaces).

:class:`StudioState` holds only frozen values, so it can cross threads freely; ``to_dict``
gives the JSON shape of ``GET /api/v1/state`` (see /work/helpers/studio-api.md and the
README's Architecture section).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from studio_app.core.cue_state import CueScreenState, DeskMessage, PrompterState


@dataclass(frozen=True)
class SegmentInfo:
    index: int  # 1-based position in the rundown
    id: str
    title: str
    kind: str = ""
    remaining_s: float = 0.0  # negative in overtime
    elapsed_s: float = 0.0
    duration_s: float = 0.0
    phase: str = "none"  # none | default | warning | danger | overtime
    scene: str = ""


@dataclass(frozen=True)
class CardInfo:
    sku: str
    name: str
    state: str  # queued | on_shelf | explaining | sold_out | off_shelf
    stock: int
    safety_stock: int = 0
    frozen: bool = False
    low: bool = False
    live_price: float | None = None
    list_price: float | None = None
    slot: int | None = None  # its number among the current segment's products (keys 1-9)


@dataclass(frozen=True)
class CouponInfo:
    id: str
    kind: str  # coupon | flash
    label: str
    status: str  # pending | announced | live | blocked | paused | done | cancelled | missed
    seconds: float | None = None  # countdown to the next moment (drop, start, end); None when none
    confirmed: bool = False  # a coupon drop confirmed on the platform
    when: str = ""  # the plan in words, for the desk


@dataclass(frozen=True)
class DeviceInfo:
    device: str
    state: str
    level: str
    detail: str = ""


@dataclass(frozen=True)
class ObsInfo:
    connected: bool = False
    status: str = "stopped"
    program_scene: str = ""
    preview_scene: str = ""
    studio_mode: bool = False
    streaming: bool = False
    recording: bool = False


@dataclass(frozen=True)
class SuggestionInfo:
    alarm: str
    runbook: str
    message_zh: str
    message_en: str
    automatic: bool = False


@dataclass(frozen=True)
class IncidentInfo:
    id: str
    runbook: str
    drill: bool
    opened_wall: float


@dataclass(frozen=True)
class StudioState:
    loaded: bool = False  # a show is loaded
    show_id: str = ""
    show_title: str = ""
    playback: str = "standby"  # standby | running | hold | ended
    segment: SegmentInfo | None = None
    next_segment: SegmentInfo | None = None
    show_elapsed_s: float = 0.0
    over_under_s: float = 0.0  # positive = behind plan
    projected_end_wall: float | None = None
    started_wall: float | None = None  # when the show started (None before GO)
    start_delay_s: float | None = None  # positive = started late against the planned start
    end_vs_plan_s: float | None = None  # positive = ends late against the planned end
    added_s: float = 0.0  # time added to (or removed from) the segment
    next_deadline_s: float | None = None  # seconds to the next coupon/flash/phase moment
    card: CardInfo | None = None  # the card on 讲解
    cards: tuple[CardInfo, ...] = ()
    coupons: tuple[CouponInfo, ...] = ()
    coupons_paused: bool = False
    findings: int = 0  # open compliance findings
    override: str = ""  # the override reason once given
    devices: tuple[DeviceInfo, ...] = ()
    obs: ObsInfo = field(default_factory=ObsInfo)
    alarms: tuple[str, ...] = ()
    suggestions: tuple[SuggestionInfo, ...] = ()
    incidents: tuple[IncidentInfo, ...] = ()  # open ones
    drill: bool = False
    message: DeskMessage = field(default_factory=DeskMessage)
    prompter: PrompterState = field(default_factory=PrompterState)
    reading: tuple[tuple[str, Any], ...] = ()  # the anchor's reading settings (profile values)
    anchor_profile: str = ""
    cue: CueScreenState = field(default_factory=CueScreenState)  # exactly what the anchor sees

    def to_dict(self) -> dict[str, Any]:
        """JSON-able; the keys of ``GET /api/v1/state``."""
        d = asdict(self)
        d["show"] = {"id": self.show_id, "title": self.show_title, "loaded": self.loaded, "playback": self.playback,
                     "segment": d.pop("segment"), "elapsed_s": self.show_elapsed_s, "over_under_s": self.over_under_s,
                     "projected_end_wall": self.projected_end_wall, "started_wall": self.started_wall,
                     "start_delay_s": self.start_delay_s, "end_vs_plan_s": self.end_vs_plan_s,
                     "added_s": self.added_s, "findings": self.findings, "override": self.override}
        for k in ("loaded", "show_id", "show_title", "playback", "show_elapsed_s", "over_under_s",
                  "projected_end_wall", "started_wall", "start_delay_s", "end_vs_plan_s", "added_s",
                  "findings", "override"):
            d.pop(k)
        d["devices"] = {x.device: {"state": x.state, "level": x.level, "detail": x.detail} for x in self.devices}
        d["reading"] = dict(self.reading)
        d["cue"] = self.cue.to_dict()
        return d
