"""OBS checks: reachable; password accepted; version supported; required scenes and text
sources; output settings; recording path writable with enough free disk; a short test
recording whose file is not empty.

Uses the OBS layer's :class:`~hardware.obs.link.ObsLink` (the desk's supervised
connection, which classifies every failure) and its request futures. The password comes
from the caller (keyring or ``STUDIO_OBS_PASSWORD``) and never appears in a result.
"""
from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import threading
import time

from hardware.obs.link import ObsLink, ObsTiming
from hardware.obs.state import ObsState
from hardware.supervisor import DeviceState, RetryPolicy
from studio_app.selftest.checks import Status, hint, make, skipped
from studio_app.selftest.context import GroupContext

CONNECT_WAIT_S = 6.0
MIN_OBS_MAJOR = 28  # obs-websocket 5 ships with OBS 28

FIX_DOWN = hint("连不上 OBS: 打开 OBS, 在 工具 → WebSocket 服务器设置 里启用服务器, 并核对地址和端口",
                "OBS cannot be reached: start OBS, enable Tools → WebSocket Server Settings, and check the address and port")
FIX_FROZEN = hint("OBS 没有响应: 等几秒; 若仍无响应, 保存后重启 OBS",
                  "OBS does not answer: wait a few seconds; if it stays silent, restart OBS")
FIX_AUTH = hint("OBS 密码错误: 在 OBS 的 WebSocket 服务器设置里查看密码, 在中控台 设置 → OBS 里重新保存 (或设置环境变量 STUDIO_OBS_PASSWORD)",
                "Wrong OBS password: look it up in OBS's WebSocket Server Settings and save it again in Settings → OBS "
                "(or set STUDIO_OBS_PASSWORD)")
FIX_VERSION = hint("OBS 版本过旧: 升级到 OBS 28 或更新版本 (自带 obs-websocket 5)",
                   "OBS is too old: upgrade to OBS 28 or later (it ships obs-websocket 5)")
FIX_SCENES = hint("缺少场景: 在 OBS 里导入本演播室的场景集合, 或按配置名称新建场景",
                  "Scenes missing: import the studio's scene collection in OBS, or create the scenes with the profile's names")
FIX_SOURCES = hint("缺少文字源: 在 OBS 里添加同名的文字(FreeType 2/GDI+)源, 名称需与配置完全一致",
                   "Text sources missing: add text (FreeType 2 / GDI+) sources in OBS with exactly the profile's names")
FIX_OUTPUT = hint("输出设置不符: 在 OBS 设置 → 视频/输出 里改为配置要求的分辨率, 帧率和码率",
                  "Output settings differ: set the resolution, frame rate and bitrate in OBS Settings → Video / Output as the profile says")
FIX_DISK = hint("录像磁盘空间不足或不可写: 清理录像盘或在 OBS 设置 → 输出 里换到空间足够且可写的文件夹",
                "Not enough free disk or the recording folder is not writable: clear the recording disk, or choose a writable "
                "folder with enough space in OBS Settings → Output")
FIX_PATH = hint("录像路径与配置不同: 在 OBS 设置 → 输出 → 录像路径 里改回配置的文件夹",
                "The recording path differs from the profile: set OBS Settings → Output → Recording Path to the profile's folder")
FIX_RECORD = hint("试录失败: 检查 OBS 的录像编码器和录像路径设置, 查看 OBS 日志",
                  "The test recording failed: check OBS's recording encoder and path in its settings, and OBS's log")



def _is_local(host: str) -> bool:
    if host in ("localhost", socket.gethostname()):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _major(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except (ValueError, IndexError):
        return 0


def run_obs(ctx: GroupContext) -> None:
    p = ctx.profile.obs
    if p.host is None:
        ctx.skip_rest("obs", "no OBS in the profile or the settings (--obs HOST:PORT)")
        return
    changed = threading.Event()
    link = ObsLink(p.host, p.port, ctx.password, on_state=lambda s: changed.set(),
                   timing=ObsTiming(connect_timeout=2.0), retry=RetryPolicy(initial=30.0, maximum=30.0))
    where = link.where
    link.start()
    try:
        deadline = ctx.clock() + CONNECT_WAIT_S
        state: ObsState = link.state
        while ctx.clock() < deadline and not ctx.cancel.is_set():
            state = link.state
            if state.status not in (DeviceState.STOPPED, DeviceState.CONNECTING):
                break
            changed.wait(0.05)
            changed.clear()
        state = link.state
        _judge(ctx, link, state, where)
    finally:
        link.stop(timeout=3.0)


def _judge(ctx: GroupContext, link: ObsLink, state: ObsState, where: str) -> None:
    p = ctx.profile.obs
    st = state.status
    base = {"host": p.host, "port": p.port}
    if st in (DeviceState.UNREACHABLE, DeviceState.LOST, DeviceState.STOPPED, DeviceState.CONNECTING):
        detail = state.detail or f"no answer from {where}"
        ctx.report(make("obs.reachable", Status.FAIL, "unreachable", where, detail, FIX_DOWN, **base))
        ctx.skip_rest("obs", "OBS cannot be reached", after="obs.reachable")
        return
    if st is DeviceState.FROZEN:
        ctx.report(make("obs.reachable", Status.FAIL, "not answering", where, state.detail, FIX_FROZEN, **base))
        ctx.skip_rest("obs", "OBS does not answer", after="obs.reachable")
        return
    if st is DeviceState.UNSUPPORTED:
        ctx.report(make("obs.reachable", Status.PASS, "answers", where, state.detail, **base))
        ctx.report(skipped("obs.auth", "not an obs-websocket 5 server"))
        ctx.report(make("obs.version", Status.FAIL, "unsupported", f"OBS >= {MIN_OBS_MAJOR}, obs-websocket 5",
                        state.detail, FIX_VERSION))
        ctx.skip_rest("obs", "OBS version not supported", after="obs.version")
        return
    ctx.report(make("obs.reachable", Status.PASS, "reachable", where, f"connected to {where}", **base))
    if st is DeviceState.AUTH_FAILED:
        ctx.report(make("obs.auth", Status.FAIL, "rejected", "password accepted", state.detail, FIX_AUTH))
        ctx.skip_rest("obs", "OBS refused the password", after="obs.auth")
        return
    ctx.report(make("obs.auth", Status.PASS, "accepted", "password accepted", "identified"))

    ok_version = _major(state.obs_version) >= MIN_OBS_MAJOR and _major(state.websocket_version) >= 5
    ctx.report(make("obs.version", Status.PASS if ok_version else Status.FAIL,
                    f"OBS {state.obs_version}, obs-websocket {state.websocket_version}",
                    f"OBS >= {MIN_OBS_MAJOR}, obs-websocket 5", "", FIX_VERSION,
                    obs_version=state.obs_version, websocket_version=state.websocket_version))

    if p.scenes is None:
        ctx.report(make("obs.scenes", Status.SKIP, f"{len(state.scenes)} scenes", None,
                        "no required scenes in the profile: nothing to check against", found=list(state.scenes)))
    else:
        missing = [s for s in p.scenes if s not in state.scenes]
        ctx.report(make("obs.scenes", Status.FAIL if missing else Status.PASS,
                        f"missing: {', '.join(missing)}" if missing else f"all {len(p.scenes)} present",
                        ", ".join(p.scenes), f"OBS has: {', '.join(state.scenes)}", FIX_SCENES,
                        missing=missing, found=list(state.scenes)))
    texts = [i.name for i in state.inputs if i.name in state.texts]
    if p.text_sources is None:
        ctx.report(make("obs.sources", Status.SKIP, f"{len(texts)} text sources", None,
                        "no required text sources in the profile: nothing to check against", found=texts))
    else:
        missing = [s for s in p.text_sources if s not in texts]
        ctx.report(make("obs.sources", Status.FAIL if missing else Status.PASS,
                        f"missing: {', '.join(missing)}" if missing else f"all {len(p.text_sources)} present",
                        ", ".join(p.text_sources), f"text sources in OBS: {', '.join(texts) or 'none'}", FIX_SOURCES,
                        missing=missing, found=texts))

    timeout = link.timing.slow_timeout + 1.0
    if ctx.wants("obs.output"):
        _output(ctx, link, timeout)
    if ctx.wants("obs.disk") or ctx.wants("obs.recording"):
        directory = _disk(ctx, link, timeout)
        if ctx.wants("obs.recording"):
            _record(ctx, link, state, timeout, directory)


def _output(ctx: GroupContext, link: ObsLink, timeout: float) -> None:
    p = ctx.profile.obs
    try:
        video = link.request("GetVideoSettings").result(timeout)
        mode = str(link.request("GetProfileParameter", {"parameterCategory": "Output", "parameterName": "Mode"})
                   .result(timeout).get("parameterValue") or "Simple")
        category, name = ("SimpleOutput", "VBitrate") if mode != "Advanced" else ("AdvOut", "FFVBitrate")
        raw = link.request("GetProfileParameter", {"parameterCategory": category, "parameterName": name}).result(timeout)
    except Exception as exc:  # noqa: BLE001 - OBS refused or went away: a finding
        ctx.report(make("obs.output", Status.FAIL, "unknown", None, f"OBS did not report its settings: {exc}", FIX_OUTPUT))
        return
    w, h = int(video.get("outputWidth") or 0), int(video.get("outputHeight") or 0)
    den = float(video.get("fpsDenominator") or 1) or 1.0
    fps = float(video.get("fpsNumerator") or 0) / den
    try:
        bitrate = int(str(raw.get("parameterValue") or "").strip()) if mode != "Advanced" else None
    except ValueError:
        bitrate = None
    value = f"{w}x{h} @ {fps:g} fps" + (f", {bitrate} kbps" if bitrate else "")
    wants = []
    problems = []
    if p.output_width and p.output_height:
        wants.append(f"{p.output_width}x{p.output_height}")
        if (w, h) != (p.output_width, p.output_height):
            problems.append(f"resolution {w}x{h}")
    if p.fps:
        wants.append(f"{p.fps:g} fps")
        if abs(fps - p.fps) > 0.01:
            problems.append(f"frame rate {fps:g}")
    if p.bitrate_kbps:
        wants.append(f"{p.bitrate_kbps} kbps")
        if bitrate is not None and bitrate != p.bitrate_kbps:
            problems.append(f"bitrate {bitrate} kbps")
    data = {"output_width": w, "output_height": h, "fps": round(fps, 3), "bitrate_kbps": bitrate, "output_mode": mode}
    if not wants:
        ctx.report(make("obs.output", Status.SKIP, value, None, "no output settings in the profile: recorded only", **data))
    elif problems:
        ctx.report(make("obs.output", Status.FAIL, value, ", ".join(wants), "differs: " + ", ".join(problems), FIX_OUTPUT, **data))
    else:
        ctx.report(make("obs.output", Status.PASS, value, ", ".join(wants), f"{mode} output mode", **data))


def _disk(ctx: GroupContext, link: ObsLink, timeout: float) -> str | None:
    """Report obs.disk; returns OBS's recording folder (None when unknown)."""
    p = ctx.profile.obs
    try:
        directory = str(link.request("GetRecordDirectory").result(timeout).get("recordDirectory") or "")
        stats = link.request("GetStats").result(timeout)
    except Exception as exc:  # noqa: BLE001
        ctx.report(make("obs.disk", Status.FAIL, "unknown", None, f"OBS did not report its recording folder: {exc}", FIX_DISK))
        return None
    local = _is_local(p.host or "")
    free_gb: float | None = None
    writable: bool | None = None
    if local and directory:
        try:
            free_gb = shutil.disk_usage(directory).free / 1e9
            writable = os.access(directory, os.W_OK | os.X_OK)
        except OSError:
            writable = False
    if free_gb is None and stats.get("availableDiskSpace") is not None:
        free_gb = float(stats["availableDiskSpace"]) * 1024 * 1024 / 1e9  # OBS reports MB (MiB)
    need = p.min_free_disk_gb
    threshold = ", ".join(x for x in (f">= {need:g} GB free" if need is not None else "", "writable" if local else "") if x) or None
    value = f"{free_gb:.1f} GB free" if free_gb is not None else "free space unknown"
    data = {"record_directory": directory, "free_gb": round(free_gb, 2) if free_gb is not None else None, "writable": writable}
    if writable is False:
        ctx.report(make("obs.disk", Status.FAIL, value, threshold, f"{directory or '(no folder)'} is not writable", FIX_DISK, **data))
    elif need is not None and free_gb is not None and free_gb < need:
        ctx.report(make("obs.disk", Status.FAIL, value, threshold, f"not enough free disk in {directory}", FIX_DISK, **data))
    elif p.recording_path and directory and os.path.normpath(p.recording_path) != os.path.normpath(directory):
        ctx.report(make("obs.disk", Status.WARN, value, threshold, f"OBS records to {directory}, the profile says {p.recording_path}",
                        FIX_PATH, **data))
    else:
        detail = f"records to {directory}" + ("" if need is not None else "; no minimum free disk in the profile")
        ctx.report(make("obs.disk", Status.PASS, value, threshold, detail, **data))
    return directory or None


def _record(ctx: GroupContext, link: ObsLink, state: ObsState, timeout: float, directory: str | None) -> None:
    p = ctx.profile.obs
    threshold = f"{p.test_recording_s:g} s file, not empty"
    try:
        status = link.request("GetRecordStatus").result(timeout)
        streaming = link.request("GetStreamStatus").result(timeout)
    except Exception as exc:  # noqa: BLE001
        ctx.report(make("obs.recording", Status.FAIL, "unknown", threshold, f"OBS did not report its outputs: {exc}", FIX_RECORD))
        return
    if status.get("outputActive") or streaming.get("outputActive"):
        # Never touch the outputs of a show that may be on air.
        what = "recording" if status.get("outputActive") else "streaming"
        ctx.report(skipped("obs.recording", f"OBS is already {what}: no test recording while a show may be live"))
        return
    path = ""
    try:
        link.request("StartRecord").result(timeout)
        started = ctx.clock()
        # OBS may take a moment to actually start writing; count the seconds from its answer.
        while ctx.clock() - started < p.test_recording_s and not ctx.cancel.is_set():
            time.sleep(0.05)
        answer = link.request("StopRecord").result(timeout + 5.0)
        path = str(answer.get("outputPath") or "")
    except Exception as exc:  # noqa: BLE001
        try:
            link.request("StopRecord").result(timeout)
        except Exception:  # noqa: BLE001 - it may never have started
            pass
        ctx.report(make("obs.recording", Status.FAIL, "failed", threshold, f"OBS refused the test recording: {exc}", FIX_RECORD))
        return
    if not path:
        ctx.report(make("obs.recording", Status.FAIL, "no file", threshold, "OBS did not say where it wrote the recording", FIX_RECORD))
        return
    if not _is_local(p.host or ""):
        ctx.report(make("obs.recording", Status.PASS, os.path.basename(path), threshold,
                        f"OBS wrote {path} (on the OBS computer: size not checked from here)", file=path))
        return
    size = 0
    deadline = ctx.clock() + 3.0
    while ctx.clock() < deadline:  # the muxer closes the file just after StopRecord answers
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        if size > 0:
            break
        time.sleep(0.1)
    if size <= 0:
        ctx.report(make("obs.recording", Status.FAIL, "empty file" if os.path.exists(path) else "no file", threshold,
                        f"{path} is {'empty' if os.path.exists(path) else 'missing'}", FIX_RECORD, file=path, bytes=size))
        return
    try:
        os.remove(path)  # a test clip must not clutter the show's recordings
        note = "deleted after the check"
    except OSError:
        note = "kept"
    ctx.report(make("obs.recording", Status.PASS, f"{size / 1024:.0f} KiB", threshold, f"{os.path.basename(path)} ({note})",
                    file=path, bytes=size))
