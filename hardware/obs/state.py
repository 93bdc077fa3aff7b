"""What the console knows about OBS: immutable snapshots, replaced as a whole.

The worker builds a new :class:`ObsState` for every change and hands it to its
``on_state`` callback; readers on any thread may keep and read a snapshot freely.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from hardware.supervisor import DeviceState


@dataclass(frozen=True, slots=True)
class InputInfo:
    name: str
    kind: str  # unversioned kind, e.g. "text_ft2_source", "pulse_input_capture"
    muted: bool | None  # None: the input has no audio


@dataclass(frozen=True, slots=True)
class SceneItem:
    item_id: int
    source: str
    visible: bool


@dataclass(frozen=True, slots=True)
class ObsHealth:
    """Figures from the once-a-second probe. Percentages are 0-100; None means "not known yet"."""

    cpu_percent: float | None = None  # OBS process CPU (can exceed 100 on several cores)
    memory_mb: float | None = None
    active_fps: float | None = None
    average_frame_ms: float | None = None
    render_skipped: int = 0  # since OBS started (frames the renderer missed: GPU/CPU overload)
    render_total: int = 0
    output_skipped: int = 0  # of the stream output (encoder overload / network)
    output_total: int = 0
    render_dropped_percent: float = 0.0  # over the recent window
    output_dropped_percent: float = 0.0  # over the recent window
    stream_kbps: float | None = None  # from outputBytes deltas; None when not streaming
    stream_congestion: float = 0.0  # 0..1
    stream_reconnecting: bool = False
    stream_timecode: str = ""  # "HH:MM:SS.mmm" while live
    record_timecode: str = ""
    disk_free_mb: float | None = None  # where recordings go


def _frozen_map(d: Mapping | None) -> Mapping:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class ObsState:
    # The link: stopped, connecting, ok, lost, frozen, unreachable, auth_failed or unsupported
    # (the device status adds "degraded" for stream trouble; see ObsLink.status).
    status: DeviceState = DeviceState.STOPPED
    detail: str = ""  # one human sentence about the status (never contains the password)
    host: str = ""
    port: int = 0
    obs_version: str = ""
    websocket_version: str = ""
    scenes: tuple[str, ...] = ()  # top to bottom, as in OBS's scene list
    program_scene: str = ""
    preview_scene: str = ""  # "" unless studio mode is on
    studio_mode: bool = False
    streaming: bool = False
    recording: bool = False
    record_paused: bool = False
    last_record_path: str = ""
    inputs: tuple[InputInfo, ...] = ()
    texts: Mapping[str, str] = field(default_factory=lambda: _frozen_map(None))  # text source -> text
    scene_items: Mapping[str, tuple[SceneItem, ...]] = field(default_factory=lambda: _frozen_map(None))
    health: ObsHealth = field(default_factory=ObsHealth)
    connects: int = 0  # successful connections so far (1 after the first, 2 after a reconnect, ...)
    attempts: int = 0  # connection attempts so far
    updated: float = 0.0  # worker clock, seconds

    @property
    def connected(self) -> bool:
        return self.status is DeviceState.OK

    def input(self, name: str) -> InputInfo | None:
        return next((i for i in self.inputs if i.name == name), None)

    def item(self, scene: str, source: str) -> SceneItem | None:
        return next((i for i in self.scene_items.get(scene, ()) if i.source == source), None)
