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
    "cast_warm": {"zh_CN": "偏色: 画面偏暖(偏黄/红) {amount:.0f}%, 检查白平衡", "en": "Colour cast: warm (yellow/red) by {amount:.0f}%, check white balance"},
    "cast_cool": {"zh_CN": "偏色: 画面偏冷(偏蓝) {amount:.0f}%, 检查白平衡", "en": "Colour cast: cool (blue) by {amount:.0f}%, check white balance"},
    "cast_green": {"zh_CN": "偏色: 画面偏绿 {amount:.0f}%, 检查白平衡/灯光", "en": "Colour cast: green by {amount:.0f}%, check white balance and lights"},
    "cast_magenta": {"zh_CN": "偏色: 画面偏品红 {amount:.0f}%, 检查白平衡/灯光", "en": "Colour cast: magenta by {amount:.0f}%, check white balance and lights"},
    "wb_ok": {"zh_CN": "白平衡正常", "en": "White balance OK"},
    "soft": {"zh_CN": "失焦: 清晰度为参考值的 {ratio:.0f}%, 请重新对焦", "en": "Out of focus: sharpness {ratio:.0f}% of the reference, refocus"},
    "focus_ok": {"zh_CN": "对焦正常: 清晰度为参考值的 {ratio:.0f}%", "en": "Focus OK: sharpness {ratio:.0f}% of the reference"},
    "focus_unknown": {"zh_CN": "对焦: 未设参考值 (对好焦后点击\"设为对焦参考\")", "en": "Focus: no reference yet (focus well, then press \"Set focus reference\")"},
}


def phrase(key: str, lang: str = "zh_CN", **values: float) -> str:
    table = PHRASES[key]
    text = table.get(lang) or table["en"]
    return text.format(**values)


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
    if report.white_balance == "cast" and report.cast:
        amount = 100 * max(abs(m.wb_warm_cool), abs(m.wb_green_magenta))
        out.append(("warning", phrase(f"cast_{report.cast}", lang, amount=amount)))
    else:
        out.append(("ok", phrase("wb_ok", lang)))
    if report.focus_reference:
        ratio = 100 * m.sharpness / report.focus_reference
        out.append(("warning" if report.focus == "soft" else "ok", phrase("soft" if report.focus == "soft" else "focus_ok", lang, ratio=ratio)))
    else:
        out.append(("ok", phrase("focus_unknown", lang)))
    order = {"error": 0, "warning": 1, "ok": 2}
    return sorted(out, key=lambda f: order[f[0]])
