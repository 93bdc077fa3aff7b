"""Stream health from OBS's once-a-second figures: bitrate, dropped frames, congestion,
stream reconnects and disk space, with edge-triggered warnings (each problem is reported
once when it starts and once when it clears, never every second).

Pure: feed it the raw ``GetStats`` / ``GetStreamStatus`` / ``GetRecordStatus`` answers and
the time; it returns an :class:`ObsHealth` and the events to log.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import Any, Mapping

from hardware.obs.state import ObsHealth

WARNING = logging.WARNING
INFO = logging.INFO


@dataclass(frozen=True, slots=True)
class HealthEvent:
    kind: str
    message: str
    severity: int
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class HealthLimits:
    dropped_percent: float = 1.0  # output frames skipped over the window
    render_dropped_percent: float = 5.0
    min_frames: int = 30  # don't judge a percentage on fewer frames than this
    congestion: float = 0.8  # Companion's red threshold; cleared below half of it
    disk_low_mb: float = 10_000.0  # Companion's default
    window_s: float = 10.0


class HealthWatch:
    def __init__(self, limits: HealthLimits | None = None) -> None:
        self.limits = limits or HealthLimits()
        self.reset()

    def reset(self) -> None:
        """Forget deltas (after a reconnect OBS may have restarted and its counters too)."""
        self._bytes: tuple[float, int] | None = None
        self._out: deque[tuple[float, int, int]] = deque()
        self._render: deque[tuple[float, int, int]] = deque()
        self._flags: dict[str, bool] = {}

    def _window(self, q: deque, now: float, skipped: int, total: int) -> float:
        if q and (total < q[-1][2] or skipped < q[-1][1]):
            q.clear()  # counters went back: output restarted
        q.append((now, skipped, total))
        while len(q) > 2 and now - q[1][0] >= self.limits.window_s:
            q.popleft()
        d_total = q[-1][2] - q[0][2]
        if d_total < self.limits.min_frames:
            return 0.0
        return 100.0 * (q[-1][1] - q[0][1]) / d_total

    def _edge(self, key: str, on: bool, off: bool, start: HealthEvent, end: HealthEvent, out: list) -> None:
        was = self._flags.get(key, False)
        if not was and on:
            self._flags[key] = True
            out.append(start)
        elif was and off:
            self._flags[key] = False
            out.append(end)

    def update(self, now: float, stats: Mapping, stream: Mapping, record: Mapping) -> tuple[ObsHealth, list[HealthEvent]]:
        lim = self.limits
        events: list[HealthEvent] = []
        streaming = bool(stream.get("outputActive"))
        kbps = None
        if streaming:
            b = int(stream.get("outputBytes") or 0)
            if self._bytes is not None and now > self._bytes[0] and b >= self._bytes[1]:
                kbps = (b - self._bytes[1]) * 8 / 1000.0 / (now - self._bytes[0])
            self._bytes = (now, b)
            out_pct = self._window(self._out, now, int(stream.get("outputSkippedFrames") or 0),
                                   int(stream.get("outputTotalFrames") or 0))
        else:
            self._bytes = None
            self._out.clear()
            out_pct = 0.0
        render_pct = self._window(self._render, now, int(stats.get("renderSkippedFrames") or 0),
                                  int(stats.get("renderTotalFrames") or 0))
        congestion = float(stream.get("outputCongestion") or 0.0) if streaming else 0.0
        reconnecting = bool(stream.get("outputReconnecting")) and streaming
        disk = stats.get("availableDiskSpace")

        self._edge("dropped", out_pct > lim.dropped_percent, out_pct <= lim.dropped_percent / 2 or not streaming,
                   HealthEvent("frames_dropped", f"stream dropping frames: {out_pct:.1f}% in the last {lim.window_s:.0f} s",
                               WARNING, {"percent": round(out_pct, 2)}),
                   HealthEvent("frames_ok", "stream no longer dropping frames", INFO, {"percent": round(out_pct, 2)}),
                   events)
        self._edge("render", render_pct > lim.render_dropped_percent, render_pct <= lim.render_dropped_percent / 2,
                   HealthEvent("render_lag", f"OBS is missing render frames: {render_pct:.1f}% (CPU/GPU overloaded)",
                               WARNING, {"percent": round(render_pct, 2)}),
                   HealthEvent("render_ok", "OBS renders every frame again", INFO, {"percent": round(render_pct, 2)}),
                   events)
        self._edge("congestion", congestion > lim.congestion, congestion < lim.congestion / 2,
                   HealthEvent("congestion", f"stream congested ({congestion:.0%}): the network cannot keep up",
                               WARNING, {"congestion": round(congestion, 3)}),
                   HealthEvent("congestion_cleared", "stream congestion cleared", INFO, {"congestion": round(congestion, 3)}),
                   events)
        self._edge("reconnecting", reconnecting, not reconnecting,
                   HealthEvent("stream_reconnecting", "OBS lost the streaming server and is reconnecting", WARNING, {}),
                   HealthEvent("stream_reconnected", "OBS is streaming to the server again" if streaming else
                               "OBS stopped reconnecting (stream ended)", INFO, {}),
                   events)
        if disk is not None:
            disk = float(disk)
            self._edge("disk", disk < lim.disk_low_mb, disk > lim.disk_low_mb * 1.1,
                       HealthEvent("disk_low", f"only {disk / 1024:.1f} GB free for recordings", WARNING,
                                   {"free_mb": round(disk)}),
                       HealthEvent("disk_ok", f"{disk / 1024:.1f} GB free for recordings", INFO, {"free_mb": round(disk)}),
                       events)

        def num(key: str) -> float | None:
            v = stats.get(key)
            return float(v) if v is not None else None

        health = ObsHealth(
            cpu_percent=num("cpuUsage"),
            memory_mb=num("memoryUsage"),
            active_fps=num("activeFps"),
            average_frame_ms=num("averageFrameRenderTime"),
            render_skipped=int(stats.get("renderSkippedFrames") or 0),
            render_total=int(stats.get("renderTotalFrames") or 0),
            output_skipped=int(stream.get("outputSkippedFrames") or 0),
            output_total=int(stream.get("outputTotalFrames") or 0),
            render_dropped_percent=render_pct,
            output_dropped_percent=out_pct,
            stream_kbps=kbps,
            stream_congestion=congestion,
            stream_reconnecting=reconnecting,
            stream_timecode=str(stream.get("outputTimecode") or "") if streaming else "",
            record_timecode=str(record.get("outputTimecode") or "") if record.get("outputActive") else "",
            disk_free_mb=disk,
        )
        return health, events
