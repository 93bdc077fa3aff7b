"""Render the anchor's cue screen on an X display in several moments and save PNGs.

Run as a separate process (the test process stays offscreen):
    DISPLAY=:N python -m tests.harness.cue_shot --outdir DIR --prefix cue-1920x1080 \
        --moments normal,warning,... --image product.png
Prints ``CJK_FONTS=<n>`` then ``SHOT <moment> <path>`` per picture, and ``GEOM <moment> <json>``
with where the timer box is (in screen pixels) so tests can sample its colour.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from studio_app.core.cue_state import (
    Countdown,
    CueScreenState,
    DeskMessage,
    PrompterState,
    ProductCard,
    Tallies,
)

SCRIPT = (
    "家人们晚上好！欢迎来到双十一超级品牌日直播间，今天给大家带来的第一款是我们的爆款羊绒大衣。\n"
    "这款大衣采用内蒙古阿拉善白山羊绒，含绒量高达百分之九十五，手感软糯，轻盈保暖。\n"
    "大家看一下这个做工，双面呢手工缝制，没有一根线头，版型是今年最流行的落肩廓形，遮肉显瘦。\n"
    "平时专柜价一千二百九十九，今天直播间到手价只要五百九十九，还送价值一百九十九的羊绒围巾！\n"
    "库存有限，只有三百件，喜欢的家人们赶紧点击下方小黄车一号链接，拍下备注颜色尺码。"
)
POINTS = (
    "95% 阿拉善白山羊绒，轻盈保暖",
    "双面呢手工缝制，落肩廓形显瘦",
    "到手价 ¥599，送羊绒围巾（限前 100 名）",
    "七天无理由退换，运费险已买好",
)
LONG_NAME = "【双十一限定】阿拉善白山羊绒双面呢手工缝制落肩廓形中长款女士羊绒大衣 送同色系羊绒围巾礼盒装"


def base_state(image: str = "") -> CueScreenState:
    return CueScreenState(
        show_title="双十一超级品牌日 · 女装专场 (抖音)",
        segment_title="爆款羊绒大衣讲解",
        segment_kind="讲解",
        remaining_ms=4 * 60_000 + 35_000,
        planned_ms=8 * 60_000,
        phase="default",
        script=SCRIPT,
        talking_points=POINTS,
        product=ProductCard(name=LONG_NAME, live_price=599, list_price=1299, stock_left=286, image_path=image),
        countdowns=(Countdown("满200减30", "coupon", 180, "announce"),),
        next_title="福利抽奖：关注主播抽免单",
        next_start="20:30",
        tallies=Tallies(on_air=True, on_air_ms=3_725_000, rec=True, rec_ms=3_730_000),
        clock="20:21:45",
        prompter=PrompterState(),
    )


def moments(image: str) -> dict[str, CueScreenState]:
    b = base_state(image)
    return {
        "normal": b,
        "warning": b.with_(remaining_ms=95_000, phase="warning"),
        "danger": b.with_(remaining_ms=42_000, phase="danger"),
        "overtime": b.with_(remaining_ms=-75_000, phase="overtime"),
        "coupon": b.with_(countdowns=(Countdown("满200减30", "coupon", 0, "now"),
                                      Countdown("羊绒大衣 ¥399", "flash_sale", 90, "announce"))),
        "message": b.with_(message=DeskMessage("请看镜头 2，准备上链接！", visible=True, blink=True)),
        "blackout": b.with_(message=DeskMessage("稍等，技术调整中", visible=True, blackout=True)),
        "soldout": b.with_(product=ProductCard(name=LONG_NAME, live_price=599, list_price=1299, stock_left=0,
                                               sold_out=True, image_path=image)),
        "mirrored": b,
        "drill": b.with_(drill=True, phase="warning", remaining_ms=100_000),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--moments", default="normal")
    ap.add_argument("--image", default="")
    ap.add_argument("--orientation", default="auto")
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from studio_app.ui import theme
    from studio_app.ui.app import create_application
    from studio_app.ui.cue_screen import CueScreen

    app = create_application()
    theme.apply(app)
    print(f"CJK_FONTS={len(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))}", flush=True)
    screen = QGuiApplication.primaryScreen()
    cue = CueScreen()
    cue.set_orientation(args.orientation)
    all_moments = moments(args.image)
    names = [n for n in args.moments.split(",") if n]
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    queue = list(names)

    def step() -> None:
        if not queue:
            cue.close()
            app.quit()
            return
        name = queue[0]
        cue.set_mirror(name == "mirrored")
        if name in ("warning", "danger", "overtime", "drill"):
            # Shoot the settled colour, not the 3 s entry flash: arrive straight in the phase.
            cue._has_state = False  # noqa: SLF001 - harness: a fresh screen shows no flash
        cue.set_state(all_moments[name])
        QTimer.singleShot(400, shoot)

    def shoot() -> None:
        name = queue.pop(0)
        if name == "message":
            # The message blinks (0.5 s on, 0.5 s off): shoot while it is on.
            import time as _t

            from studio_app.core.cue_state import BLINK_PERIOD_S
            phase = (_t.monotonic() - cue._started) % BLINK_PERIOD_S  # noqa: SLF001
            if phase > BLINK_PERIOD_S * 0.3:
                queue.insert(0, name)
                QTimer.singleShot(int((BLINK_PERIOD_S - phase) * 1000) + 50, shoot)
                return
            # A loaded machine runs the blink timer late: paint now and shoot only what shows
            # the message (the phase above is a hint, the painted blocks are the truth).
            cue.repaint()
            if "message" not in cue.block_rects():
                queue.insert(0, name)
                QTimer.singleShot(50, shoot)
                return
        out = outdir / f"{args.prefix}-{name}.png"
        pix = screen.grabWindow(0)
        ok = pix.save(str(out), "PNG")
        print(f"SHOT {name} {out if ok else ''}", flush=True)
        print(f"GEOM {name} {json.dumps(cue.block_rects())}", flush=True)
        step()

    def start() -> None:
        cue.place_on(screen)
        QTimer.singleShot(300, step)

    QTimer.singleShot(0, start)
    rc = app.exec()
    cue.deleteLater()
    return rc


if __name__ == "__main__":
    sys.exit(main())
