"""Plain-word findings for the desk and the command line, in Chinese and English.

A small phrase table instead of Qt translations because the sentences carry live numbers
and are also printed by the command line (which has no Qt).
"""
from __future__ import annotations

from hardware.camera.checks import PictureReport

PHRASES: dict[str, dict[str, str]] = {
    "no_signal": {"zh_CN": "无信号: 摄像头画面丢失, 正在自动重连", "en": "NO SIGNAL: camera picture lost, reconnecting"},
    "black": {"zh_CN": "黑屏: {black:.0f}% 画面为黑色, 检查镜头盖/信号线", "en": "Black picture: {black:.0f}% of the picture is black, check lens cap and cable"},
    "frozen": {"zh_CN": "画面冻结: 超过 2 秒没有变化, 检查采集卡/编码器", "en": "Frozen picture: no change for over 2 s, check capture card and encoder"},
    "under": {"zh_CN": "偏暗: 平均亮度 {mean:.0f}%, 建议提高曝光或补光", "en": "Too dark: mean brightness {mean:.0f}%, raise exposure or add light"},
    "over": {"zh_CN": "过曝: 平均亮度 {mean:.0f}%, 高光溢出 {clip:.1f}%, 建议降低曝光", "en": "Overexposed: mean brightness {mean:.0f}%, {clip:.1f}% clipped highlights, lower exposure"},
    "exposure_ok": {"zh_CN": "曝光正常: 平均亮度 {mean:.0f}%", "en": "Exposure OK: mean brightness {mean:.0f}%"},
    # Mired > 0 is warmer. A camera set to a higher Kelvin value renders warmer, so a warm
    # picture needs a lower setting.
    "cast_warm": {"zh_CN": "偏暖: 约 {mired:+.0f} mired ({white}), 建议调低色温",
                  "en": "Warm cast: about {mired:+.0f} mired ({white}), lower the colour temperature setting"},
    "cast_cool": {"zh_CN": "偏冷: 约 {mired:+.0f} mired ({white}), 建议调高色温",
                  "en": "Cool cast: about {mired:+.0f} mired ({white}), raise the colour temperature setting"},
    "cast_green": {"zh_CN": "偏绿: 色调 {tint:+.0f}, 建议把色调(tint)往品红方向调, 检查灯光",
                   "en": "Green cast: tint {tint:+.0f}, move the tint towards magenta and check the lights"},
    "cast_magenta": {"zh_CN": "偏品红: 色调 {tint:+.0f}, 建议把色调(tint)往绿色方向调, 检查灯光",
                     "en": "Magenta cast: tint {tint:+.0f}, move the tint towards green and check the lights"},
    "wb_ok": {"zh_CN": "白平衡正常", "en": "White balance OK"},
    "wb_ok_reference": {"zh_CN": "白平衡正常: 与参考相差 {mired:+.0f} mired, 色调 {tint:+.0f}",
                        "en": "White balance OK: {mired:+.0f} mired, tint {tint:+.0f} from the reference"},
    "wb_unknown": {"zh_CN": "白平衡: 无法判断 (画面本身的颜色和偏色分不开), 对着灰卡或布好光的场景点击\"设为白平衡参考\"",
                   "en": "White balance: cannot tell (the scene's own colour and a cast look alike); frame a gray card or the lit set and press \"Set white-balance reference\""},
    "wb_unknown_reference": {"zh_CN": "白平衡: 无法判断 (画面已不是设参考时的场景, 场景颜色和偏色分不开; 可在当前布好光的场景重设白平衡参考)",
                             "en": "White balance: cannot tell (the picture is no longer the reference's scene, so its colours and a cast look alike; set the reference again on the lit set)"},
    "wb_no_reference": {"zh_CN": " (未设白平衡参考: 若画面本身就是这种颜色可忽略)",
                        "en": " (no white-balance reference: ignore if the scene itself is this colour)"},
    "wb_white": {"zh_CN": "白点约 {kelvin:.0f} K", "en": "white at about {kelvin:.0f} K"},
    "wb_white_reference": {"zh_CN": "若参考为 6500 K, 现约 {kelvin:.0f} K", "en": "about {kelvin:.0f} K if the reference is 6500 K"},
    "soft": {"zh_CN": "失焦: 清晰度为参考值的 {ratio:.0f}%, 请重新对焦", "en": "Out of focus: sharpness {ratio:.0f}% of the reference, refocus"},
    "focus_ok": {"zh_CN": "对焦正常: 清晰度为参考值的 {ratio:.0f}%", "en": "Focus OK: sharpness {ratio:.0f}% of the reference"},
    "focus_unknown": {"zh_CN": "对焦: 未设参考值 (对好焦后点击\"设为对焦参考\")", "en": "Focus: no reference yet (focus well, then press \"Set focus reference\")"},
}


def phrase(key: str, lang: str = "zh_CN", **values) -> str:
    table = PHRASES[key]
    text = table.get(lang) or table["en"]
    return text.format(**values)


def white_balance_finding(report: PictureReport, lang: str = "zh_CN") -> tuple[str, str]:
    """(level, sentence) about the white balance: "warning" for a cast, "ok" otherwise."""
    d = report.wb_drift
    if report.white_balance == "cast" and report.wb_direction and d is not None and d.mired is not None:
        white = phrase("wb_white_reference" if d.against_reference else "wb_white", lang, kelvin=round(d.kelvin, -1))
        text = "; ".join(phrase(f"cast_{w}", lang, mired=d.mired, tint=d.tint, white=white) for w in report.wb_direction)
        # Without a reference a frame filled by one strong colour (an orange product close up)
        # reads like a cast to every estimator: say so.
        return "warning", text + ("" if d.against_reference else phrase("wb_no_reference", lang))
    if report.white_balance == "unknown":
        return "ok", phrase("wb_unknown_reference" if report.wb_reference is not None else "wb_unknown", lang)
    if report.wb_reference is not None and d is not None and d.mired is not None:
        return "ok", phrase("wb_ok_reference", lang, mired=d.mired, tint=d.tint)
    return "ok", phrase("wb_ok", lang)


def findings(report: PictureReport, lang: str = "zh_CN", signal_lost: bool = False) -> list[tuple[str, str]]:
    """(level, sentence) pairs, worst first; level is "error", "warning" or "ok"."""
    if signal_lost or report.measurement is None:
        return [("error", phrase("no_signal", lang))]
    m = report.measurement
    out: list[tuple[str, str]] = []
    if report.signal == "black":
        out.append(("error", phrase("black", lang, black=m.black_pct)))
    elif report.signal == "frozen":
        out.append(("error", phrase("frozen", lang)))
    mean_pct = m.mean_luma / 2.55
    if report.exposure in ("under", "over"):
        out.append(("warning", phrase(report.exposure, lang, mean=mean_pct, clip=m.clipped_high_pct)))
    else:
        out.append(("ok", phrase("exposure_ok", lang, mean=mean_pct)))
    out.append(white_balance_finding(report, lang))
    if report.focus_reference:
        ratio = 100 * m.sharpness / report.focus_reference
        out.append(("warning" if report.focus == "soft" else "ok", phrase("soft" if report.focus == "soft" else "focus_ok", lang, ratio=ratio)))
    else:
        out.append(("ok", phrase("focus_unknown", lang)))
    order = {"error": 0, "warning": 1, "ok": 2}
    return sorted(out, key=lambda f: order[f[0]])
