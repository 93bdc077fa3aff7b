"""Microphone checks: device present; stream runs with regular callbacks; noise floor in
silence; level in range while a person speaks or a test tone plays; no clipping.

Uses the audio layer's own parts: the device list and :class:`SoundDeviceSource` (which
opens the named device exactly as the desk's mic worker does) and :class:`LevelAnalyzer`
for RMS, peaks, clips and the noise floor. The only thing added here is a ring that also
notes when each callback arrived, to judge their regularity.

The level check needs sound at the mic: the desk asks the technician to speak; the CLI
plays a test tone through PortAudio's default output with ``--tone`` (on a real studio a
speaker near the mic; on the virtual test setup the default sink feeds the virtual mic).
With neither, it is skipped with the reason.
"""
from __future__ import annotations

import math
import time

import numpy as np

from hardware.audio import devices as audio_devices
from hardware.audio.levels import LevelAnalyzer
from hardware.audio.ring import SampleRing
from hardware.audio.sources import SoundDeviceSource, SourceError, StreamFormat, TonePlayer
from studio_app.selftest.checks import Status, hint, make, skipped
from studio_app.selftest.context import GroupContext

SPEAK_ZH = "请对着麦克风说话"
SPEAK_EN = "Please speak into the microphone"
LEVEL_S = 2.0  # seconds of speech or tone measured
MAX_GAP_S = 0.25  # a callback gap longer than this is an irregular stream

FIX_SERVER = hint("找不到任何音频输入: 检查声音服务(PulseAudio/PipeWire)是否在运行, 麦克风/声卡是否插好",
                  "No audio input at all: check that the sound server (PulseAudio/PipeWire) runs and the mic or audio interface is plugged in")
FIX_DEVICE = hint("找不到配置的麦克风: 插好麦克风或声卡, 或在设置里选择正确的输入设备",
                  "The profile's microphone is missing: plug in the mic or audio interface, or choose the right input device in the settings")
FIX_STREAM = hint("麦克风无法录音或回调不规律: 关闭占用声卡的软件, 重新插拔设备, 必要时重启声音服务",
                  "The mic does not record or its callbacks are irregular: close programs holding the audio device, replug it, "
                  "restart the sound server if needed")
FIX_NOISE = hint("底噪过高: 关掉风扇/空调等噪声源, 降低增益, 检查线缆接地(嗡嗡声)",
                 "Noise floor too high: switch off fans and air conditioning near the mic, lower the gain, check cable grounding (hum)")
FIX_SILENT_FLOOR = hint("麦克风输出完全无声: 检查静音开关, 幻象电源(48V)和线缆",
                        "The mic delivers digital silence: check its mute switch, phantom power (48 V) and cable")
FIX_QUIET = hint("麦克风电平过低或无声: 检查静音开关和系统输入音量, 调高增益, 确认幻象电源(48V)已打开",
                 "Mic level too low or silent: check the mute switch and the system input volume, raise the gain, "
                 "switch on phantom power (48 V)")
FIX_LOUD = hint("麦克风电平过高: 调低增益或让主播离麦克风远一点",
                "Mic level too high: lower the gain or move the presenter a little further from the mic")
FIX_CLIP = hint("出现削波(爆音): 调低声卡/麦克风增益, 直到大声说话时峰值低于 -6 dBFS",
                "Clipping: lower the interface or mic gain until loud speech peaks below -6 dBFS")


class _TimedRing(SampleRing):
    """The audio layer's ring, plus the arrival time of every callback (for regularity)."""

    def __init__(self, capacity: int, channels: int) -> None:
        super().__init__(capacity, channels)
        self.arrivals: list[float] = []

    def callback(self, indata, frames, time_info, status) -> None:  # noqa: ANN001 - PortAudio's signature
        super().callback(indata, frames, time_info, status)
        self.arrivals.append(time.monotonic())


def _fmt(db: float) -> str:
    return f"{db:.1f} dBFS" if math.isfinite(db) and db > -200.0 else "-inf dBFS (silence)"


def _collect(ring: _TimedRing, analyzer: LevelAnalyzer, seconds: float, ctx: GroupContext) -> tuple[list[float], float]:
    """Drain the ring into the analyser for ``seconds``; returns the 300 ms RMS readings
    (loudest channel, every 50 ms) and the highest sample peak (dBFS)."""
    rms: list[float] = []
    peak = -math.inf
    end = ctx.clock() + seconds
    while ctx.clock() < end and not ctx.cancel.is_set():
        time.sleep(0.05)
        block = ring.read()
        if block.shape[0]:
            analyzer.add(block)
            levels = analyzer.take()
            rms.append(max(c.rms_dbfs for c in levels))
            peak = max(peak, max(c.peak_dbfs for c in levels))
    return rms, peak


def run_mic(ctx: GroupContext) -> None:
    p = ctx.profile.mic
    if p.device is None:
        ctx.skip_rest("mic", "no microphone in the profile or the settings (--mic DEVICE)")
        return
    # A fresh list from a fresh PortAudio (a child process): a server or device that came
    # or went since the console started is seen.
    probe = audio_devices.probe_input_devices()
    found_list = probe.devices
    if probe.error and probe.error.startswith("PortAudio is not available"):
        ctx.report(make("mic.device", Status.FAIL, "PortAudio missing", "device present", probe.error, FIX_SERVER))
        ctx.skip_rest("mic", "no audio library", after="mic.device")
        return
    wanted_name = p.device or ""
    found = audio_devices.find_input_device(wanted_name, found_list)
    label = repr(wanted_name) if wanted_name else "the default input"
    if found is None:
        if not found_list:
            ctx.report(make("mic.device", Status.FAIL, "no input devices", label,
                            probe.error or "PortAudio sees no audio input at all (sound server down or no device)", FIX_SERVER,
                            available=[]))
        else:
            names = ", ".join(d.name for d in found_list)
            ctx.report(make("mic.device", Status.FAIL, "not found", label, f"available: {names}", FIX_DEVICE,
                            available=[d.name for d in found_list]))
        ctx.skip_rest("mic", "the microphone is missing", after="mic.device")
        return
    ctx.report(make("mic.device", Status.PASS, found.name, label, f"{found.hostapi}, {found.max_input_channels} ch",
                    device=wanted_name or found.name, resolved=found.name))

    rings: list[_TimedRing] = []

    def make_ring(fmt: StreamFormat) -> SampleRing:
        capacity = 1 << max(12, math.ceil(math.log2(fmt.samplerate * 3)))
        rings.append(_TimedRing(capacity, fmt.channels))
        return rings[-1]

    source = SoundDeviceSource(found.name)
    t_open = ctx.clock()
    try:
        fmt = source.open(make_ring)
    except SourceError as exc:
        ctx.report(make("mic.stream", Status.FAIL, "cannot open", "callbacks every <= 250 ms", str(exc), FIX_STREAM))
        ctx.skip_rest("mic", "the audio stream did not open", after="mic.stream")
        return
    tone: TonePlayer | None = None
    try:
        ring = rings[-1]
        analyzer = LevelAnalyzer(fmt.samplerate, fmt.channels)
        quiet_rms, quiet_peak = _collect(ring, analyzer, p.listen_s, ctx)
        arrivals = list(ring.arrivals)
        finished = source.finished()
        gaps = np.diff([t_open, *arrivals]) if arrivals else np.array([ctx.clock() - t_open])
        # The first callback may take a moment on a fresh stream; after that they must be regular.
        steady = np.diff(arrivals) if len(arrivals) > 2 else gaps
        max_gap = float(steady.max()) if steady.size else math.inf
        threshold = f"callbacks every <= {MAX_GAP_S * 1000:.0f} ms"
        if not arrivals or finished:
            ctx.report(make("mic.stream", Status.FAIL, "no audio" if not arrivals else "stream ended", threshold,
                            f"{len(arrivals)} callbacks in {p.listen_s:g} s", FIX_STREAM, callbacks=len(arrivals)))
            ctx.skip_rest("mic", "the audio stream does not run", after="mic.stream")
            return
        regular = max_gap <= MAX_GAP_S
        ctx.report(make("mic.stream", Status.PASS if regular else Status.WARN, f"max gap {max_gap * 1000:.0f} ms",
                        threshold, f"{len(arrivals)} callbacks at {fmt.samplerate} Hz, {fmt.channels} ch", FIX_STREAM,
                        callbacks=len(arrivals), max_gap_ms=round(max_gap * 1000, 1), samplerate=fmt.samplerate,
                        channels=fmt.channels))

        floor = max(c.noise_floor_dbfs for c in analyzer.take()) if analyzer.frames else -math.inf
        if not math.isfinite(floor) and quiet_rms:
            floor = min(quiet_rms)
        limits = []
        if p.noise_floor_max_dbfs is not None:
            limits.append(f"<= {p.noise_floor_max_dbfs:g} dBFS")
        if p.noise_floor_min_dbfs is not None:
            limits.append(f">= {p.noise_floor_min_dbfs:g} dBFS")
        nf_threshold = ", ".join(limits) or None
        floor_data = {"noise_floor_dbfs": round(floor, 1) if math.isfinite(floor) else None}
        if p.noise_floor_max_dbfs is not None and floor > p.noise_floor_max_dbfs:
            ctx.report(make("mic.noise_floor", Status.FAIL, _fmt(floor), nf_threshold, "too much noise in silence", FIX_NOISE, **floor_data))
        elif p.noise_floor_min_dbfs is not None and floor < p.noise_floor_min_dbfs:
            ctx.report(make("mic.noise_floor", Status.FAIL, _fmt(floor), nf_threshold,
                            "no noise at all: a live mic always hisses a little", FIX_SILENT_FLOOR, **floor_data))
        elif nf_threshold is None:
            ctx.report(make("mic.noise_floor", Status.SKIP, _fmt(floor), None, "no noise-floor limit in the profile", **floor_data))
        else:
            ctx.report(make("mic.noise_floor", Status.PASS, _fmt(floor), nf_threshold,
                            f"10th percentile of 100 ms RMS over {p.listen_s:g} s", **floor_data))

        level_rms: list[float] = []
        level_peak = -math.inf
        how = ""
        if ctx.wants("mic.level") or ctx.wants("mic.clipping"):
            if ctx.prompt is not None:
                if ctx.prompt("mic.speak", SPEAK_ZH, SPEAK_EN):
                    ring.read()  # what came while the prompt was up is not speech
                    level_rms, level_peak = _collect(ring, analyzer, LEVEL_S, ctx)
                    how = "while speaking"
            elif ctx.tone:
                tone = TonePlayer(p.tone_hz, p.tone_dbfs, 48000)
                try:
                    tone.start()
                except Exception as exc:  # noqa: BLE001 - no output device is a finding, not a crash
                    tone = None
                    how = f"test tone could not play ({type(exc).__name__}: {exc})"
                else:
                    _collect(ring, analyzer, 0.3, ctx)  # the tone's way through the sound server
                    level_rms, level_peak = _collect(ring, analyzer, LEVEL_S - 0.3, ctx)
                    how = f"with a {p.tone_hz:g} Hz test tone at {p.tone_dbfs:g} dBFS"
        lv_threshold = f"{p.level_min_dbfs:g} to {p.level_max_dbfs:g} dBFS RMS"
        if not level_rms:
            reason = how or ("no one to speak and no test tone (--tone): level not measured")
            ctx.report(make("mic.level", Status.SKIP, None, lv_threshold, reason))
        else:
            # Speech: the loud syllables, not the pauses. Digital silence (-inf) counts as -200 dBFS.
            level = float(np.percentile(np.maximum(np.asarray(level_rms, dtype=float), -200.0), 90))
            data = {"level_dbfs": round(level, 1) if level > -200.0 else None,
                    "peak_dbfs": round(level_peak, 1) if math.isfinite(level_peak) else None}
            if level < p.level_min_dbfs:
                ctx.report(make("mic.level", Status.FAIL, _fmt(level), lv_threshold, f"too quiet {how}", FIX_QUIET, **data))
            elif level > p.level_max_dbfs:
                ctx.report(make("mic.level", Status.FAIL, _fmt(level), lv_threshold, f"too loud {how}", FIX_LOUD, **data))
            else:
                ctx.report(make("mic.level", Status.PASS, _fmt(level), lv_threshold, how, **data))

        clips = int(analyzer.clips.max()) if analyzer.clips.size else 0
        peak = max(quiet_peak, level_peak)
        ctx.report(make("mic.clipping", Status.FAIL if clips else Status.PASS, f"{clips} clipped samples",
                        "0 clipped samples", f"highest peak {_fmt(peak)}", FIX_CLIP, clips=clips,
                        peak_dbfs=round(peak, 1) if math.isfinite(peak) else None))
    finally:
        if tone is not None:
            tone.stop()
        source.close()

