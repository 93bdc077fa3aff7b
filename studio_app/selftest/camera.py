"""Camera checks: opens; resolution and frame rate as the profile; picture not black or
frozen; exposure; focus against the stored reference; white balance.

Uses the camera layer as the desk does: a :class:`~hardware.camera.capture.CameraFeed`
(supervised capture, files paced at their own rate) and a
:class:`~hardware.camera.checks.PictureChecker` fed for a little over the 2 s that the
black/frozen rules need.
"""
from __future__ import annotations

import threading
import time

from hardware.camera.capture import CameraFeed, OpenCvSource
from hardware.supervisor import DeviceState
from hardware.camera.checks import SIGNAL_BLACK, SIGNAL_FROZEN, SIGNAL_OK, PictureChecker
from hardware.camera.picture import EXPOSURE_OK, EXPOSURE_UNDER, FOCUS_SOFT, FOCUS_UNKNOWN, PictureProfile
from hardware.camera.whitebalance import WhiteBalanceReference
from studio_app.selftest.checks import Status, hint, make
from studio_app.selftest.context import GroupContext

OPEN_TIMEOUT_S = 4.0
WATCH_S = 2.6  # black/frozen need 2 s of picture; a little more so the verdict settles

FIX_OPEN = hint("检查摄像头电源和线缆(USB/HDMI 采集卡/网线), 确认配置里的来源地址或编号正确, 并关闭占用摄像头的其他软件",
                "Check the camera's power and cable (USB, HDMI capture card or network), that the source address or "
                "index in the profile is right, and that no other program holds the camera")
FIX_RES = hint("在摄像头或采集卡上设置为配置要求的分辨率, 或用 \"保存为配置\" 更新配置",
               "Set the camera or capture card to the profile's resolution, or update the profile (\"save as profile\")")
FIX_FPS = hint("在摄像头/采集卡上设置正确的帧率; 网络摄像头检查码流设置和网络带宽",
               "Set the frame rate on the camera or capture card; for a network camera check its stream settings and bandwidth")
FIX_BLACK = hint("画面全黑: 取下镜头盖, 检查信号线和采集卡输入, 确认摄像头没有待机",
                 "Picture is black: remove the lens cap, check the signal cable and the capture card input, wake the camera")
FIX_FROZEN = hint("画面冻结: 重新插拔采集卡或重启摄像头/编码器",
                  "Picture is frozen: replug the capture card or restart the camera or encoder")
FIX_DARK = hint("画面偏暗: 打开或调亮补光灯, 提高摄像头曝光(光圈/快门/增益)",
                "Too dark: switch on or raise the lights, raise the camera's exposure (iris, shutter, gain)")
FIX_BRIGHT = hint("画面过曝: 降低摄像头曝光或调暗灯光, 避免强光直射镜头",
                  "Overexposed: lower the camera's exposure or dim the lights; keep bright lights out of the lens")
FIX_SOFT = hint("画面失焦: 让主播站到平时位置后重新对焦; 对好后在摄像头面板点 \"设为对焦参考\"",
                "Out of focus: have the presenter stand in place and refocus; then press \"Set focus reference\" on the camera panel")
FIX_WB = hint("画面偏色: 对着白卡/灰卡做一次白平衡, 检查灯光色温是否一致; 调好后在摄像头面板点 \"设为白平衡参考\"",
              "Colour cast: white-balance on a white or gray card and check that all lights have the same colour "
              "temperature; then press \"Set white-balance reference\" on the camera panel")

FIX_WB_REFERENCE = hint("对着灰卡或布好光的场景点击摄像头面板的 \"设为白平衡参考\", 之后白平衡按参考判断",
                        "Frame a gray card or the lit set and press \"Set white-balance reference\" on the camera "
                        "panel: the white balance is then judged against it")


def run_camera(ctx: GroupContext) -> None:
    p = ctx.profile.camera
    if not p.source:
        ctx.skip_rest("camera", "no camera source in the profile or the settings (--camera SOURCE)")
        return
    source = OpenCvSource(p.source, p.width, p.height, p.fps, open_timeout_s=OPEN_TIMEOUT_S)
    shared = ctx.shared_camera(p.source) if ctx.shared_camera is not None else None
    own = shared is None or shared.state is not DeviceState.OK
    changed = threading.Event()
    feed = CameraFeed(source, on_status=lambda status: changed.set(), lost_after_s=1.5) if own else shared
    t0 = ctx.clock()
    if own:
        feed.start()
    try:
        deadline = t0 + OPEN_TIMEOUT_S + 1.5
        while own and ctx.clock() < deadline and not ctx.cancel.is_set():
            if feed.state.working or (feed.state.fault and feed.stats().frames == 0):
                break
            changed.wait(0.05)
            changed.clear()
        if not feed.state.working:
            detail = feed.detail or f"{source.label}: no picture within {OPEN_TIMEOUT_S + 1.5:g} s"
            ctx.report(make("camera.opens", Status.FAIL, "not opened", "opens", detail, FIX_OPEN, source=p.source))
            ctx.skip_rest("camera", "the camera did not open", after="camera.opens")
            return
        opened_s = ctx.clock() - t0
        how = f"opened in {opened_s:.2f} s" if own else "live in the desk's camera panel (its feed is watched)"
        ctx.report(make("camera.opens", Status.PASS, source.label, "opens", how, source=p.source,
                        open_s=round(opened_s, 3) if own else None))

        picture = PictureProfile(under_mean=p.exposure_min_pct / 100, over_mean=p.exposure_max_pct / 100,
                                 focus_soft_ratio=p.focus_min_ratio)
        wb_reference = WhiteBalanceReference.from_dict(p.wb_reference) if p.wb_reference else None
        checker = PictureChecker(picture, focus_reference=p.focus_reference, wb_reference=wb_reference)
        report = checker.report
        watch_until = ctx.clock() + WATCH_S
        frames = 0
        while ctx.clock() < watch_until and not ctx.cancel.is_set():
            frame = feed.latest()
            if frame is not None and frame.index != report.frame_index:
                report = checker.feed(frame.image, frame.captured_at, frame.index)
                frames += 1
            time.sleep(0.02)
        stats = feed.stats()
    finally:
        if own:
            feed.stop(timeout=2.0)

    if report.measurement is None:
        ctx.skip_rest("camera", "the camera opened but sent no picture", after="camera.opens")
        return
    m = report.measurement
    w, h = m.width, m.height
    if p.width and p.height:
        ok = (w, h) == (p.width, p.height)
        ctx.report(make("camera.resolution", Status.PASS if ok else Status.FAIL, f"{w}x{h}", f"{p.width}x{p.height}",
                        "as the profile" if ok else f"the camera sends {w}x{h}, the profile wants {p.width}x{p.height}",
                        FIX_RES, width=w, height=h))
    else:
        ctx.report(make("camera.resolution", Status.PASS, f"{w}x{h}", None, "no resolution in the profile: recorded only",
                        width=w, height=h))

    # A file is paced at its own rate, a stream at the sender's: the measured rate is what
    # reaches the console (the nominal one is what the source claims).
    fps = stats.measured_fps or stats.nominal_fps
    if p.fps:
        tol = p.fps * p.fps_tolerance_pct / 100
        ok = abs(fps - p.fps) <= tol
        ctx.report(make("camera.fps", Status.PASS if ok else Status.FAIL, f"{fps:.1f} fps", f"{p.fps:g} ± {tol:.1f} fps",
                        f"measured over {frames} frames (source says {stats.nominal_fps:g})", None if ok else FIX_FPS,
                        fps=round(fps, 2), nominal_fps=stats.nominal_fps, dropped=stats.dropped))
    else:
        ctx.report(make("camera.fps", Status.PASS, f"{fps:.1f} fps", None, "no frame rate in the profile: recorded only",
                        fps=round(fps, 2), nominal_fps=stats.nominal_fps))

    signal = report.signal
    if signal == SIGNAL_BLACK:
        ctx.report(make("camera.signal", Status.FAIL, f"black ({m.black_pct:.0f}% black pixels)", "not black, not frozen",
                        "the picture has been black for 2 s", FIX_BLACK, signal=signal, black_pct=round(m.black_pct, 1)))
    elif signal == SIGNAL_FROZEN:
        ctx.report(make("camera.signal", Status.FAIL, "frozen", "not black, not frozen",
                        "the picture has not changed for 2 s", FIX_FROZEN, signal=signal))
    else:
        ctx.report(make("camera.signal", Status.PASS if signal == SIGNAL_OK else Status.WARN, signal,
                        "not black, not frozen", f"{frames} frames watched", FIX_FROZEN, signal=signal))

    mean_pct = m.mean_luma / 2.55
    exp_threshold = f"{p.exposure_min_pct:g}-{p.exposure_max_pct:g}% mean, <= {picture.max_clipped_high_pct:g}% clipped"
    if report.exposure == EXPOSURE_OK:
        ctx.report(make("camera.exposure", Status.PASS, f"{mean_pct:.0f}%", exp_threshold, "exposure OK",
                        mean_pct=round(mean_pct, 1), clipped_high_pct=round(m.clipped_high_pct, 2)))
    else:
        dark = report.exposure == EXPOSURE_UNDER
        ctx.report(make("camera.exposure", Status.FAIL, f"{mean_pct:.0f}%" + ("" if dark else f", {m.clipped_high_pct:.1f}% clipped"),
                        exp_threshold, "too dark" if dark else "overexposed", FIX_DARK if dark else FIX_BRIGHT,
                        mean_pct=round(mean_pct, 1), clipped_high_pct=round(m.clipped_high_pct, 2), exposure=report.exposure))

    if report.focus == FOCUS_UNKNOWN or not p.focus_reference:
        ctx.report(make("camera.focus", Status.SKIP, f"sharpness {m.sharpness:.1f}", None,
                        "no focus reference stored for this camera: nothing to compare with "
                        "(save as profile stores this picture's sharpness)", sharpness=round(m.sharpness, 2)))
    else:
        ratio = m.sharpness / p.focus_reference
        soft = report.focus == FOCUS_SOFT
        ctx.report(make("camera.focus", Status.WARN if soft else Status.PASS, f"{100 * ratio:.0f}% of reference",
                        f">= {100 * p.focus_min_ratio:.0f}% of {p.focus_reference:g}",
                        "out of focus" if soft else "in focus", FIX_SOFT, sharpness=round(m.sharpness, 2),
                        reference=p.focus_reference))

    _report_white_balance(ctx, report, picture, wb_reference is not None)


def _report_white_balance(ctx: GroupContext, report, picture: PictureProfile, has_reference: bool) -> None:
    """The same check as the desk and camcheck: drift against the stored reference, or the
    estimators' agreement without one ("unknown" is a skip: nothing to compare with)."""
    d = report.wb_drift
    wb = picture.white_balance
    numbers = dict(d.to_dict()) if d is not None else {}
    numbers["reading"] = report.measurement.white_balance.to_dict()
    if has_reference:
        threshold = f"|drift| <= {wb.ref_cast_mired:g} mired, |tint| <= {wb.ref_cast_tint:g} from the reference"
    else:
        threshold = f"every estimator within {wb.cast_mired:g} mired / {wb.cast_tint:g} tint (no reference)"
    measured = (f"{d.mired:+.0f} mired, tint {d.tint:+.1f}" if d is not None and d.mired is not None else "not measurable")
    if report.white_balance == "cast":
        words = "+".join(report.wb_direction)
        ctx.report(make("camera.white_balance", Status.WARN, f"{words}: {measured}", threshold,
                        f"colour cast ({words}), white at about {d.kelvin:.0f} K", FIX_WB, **numbers))
    elif report.white_balance == "ok":
        ctx.report(make("camera.white_balance", Status.PASS, measured, threshold,
                        "white balance OK" + (" (against the stored reference)" if has_reference else ""), **numbers))
    else:
        why = d.reason if d is not None and d.reason else "the estimators disagree"
        ctx.report(make("camera.white_balance", Status.SKIP, measured, threshold,
                        f"cannot tell: {why}", None if has_reference else FIX_WB_REFERENCE, **numbers))
