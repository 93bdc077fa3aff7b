"""``studio-console camcheck SOURCE``: measure a picture and say whether it is fit to broadcast.

SOURCE is an image file, a video file, a stream URL (rtsp://, udp://, http://) or a camera
device index. Images are judged as one frame; other sources are read for ``--frames``
frames, so a black or frozen picture (2 s) can be recognised. Exit code: 0 all verdicts
fine, 1 something to fix (dark, bright, colour cast, soft, black, frozen, no picture;
a white balance the estimators cannot judge is "unknown", not a finding),
2 the source is missing or unreadable, or a picture is too large (over 50 megapixels,
checked on the header before decoding; 8K stills fit) or too small (under 16 pixels a
side) to judge. OpenCV's and FFmpeg's own log lines are silenced by the command line
(``-v`` keeps them), so the one line of ours is all that reaches stderr.
"""
from __future__ import annotations

import argparse
import os
import time
from typing import TYPE_CHECKING

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError, print_json

# The camera code (OpenCV, numpy) is imported by the functions that use it: registering this
# command must not cost every other command ~0.4 s of start-up. The command line has set
# OpenCV's log environment (silence_opencv_logging) before any of these imports runs.
if TYPE_CHECKING:
    from hardware.camera.checks import PictureChecker, PictureReport
    from hardware.camera.whitebalance import WhiteBalanceReference

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm"}
DEFAULT_FRAMES = 75  # 2.5 s at 30 fps: long enough for the 2 s black/frozen rules


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "camcheck",
        help="check a camera picture (exposure, focus, white balance, black/frozen)",
        description="Measure a picture and print levels and verdicts. SOURCE: an image, a video "
        "file, a stream URL (rtsp://, udp://, http://) or a camera index (0, 1, ...). "
        "Exit code 0: fine, 1: something to fix, 2: source missing or unreadable.",
    )
    p.add_argument("source", metavar="SOURCE", help="image, video file, stream URL or camera index")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--frames",
        type=int,
        default=DEFAULT_FRAMES,
        metavar="N",
        help=f"frames to read from a video, stream or camera (default {DEFAULT_FRAMES}; images: 1)",
    )
    p.add_argument(
        "--focus-reference",
        type=float,
        metavar="SHARPNESS",
        help="this camera's in-focus sharpness (from an earlier run); enables the focus verdict",
    )
    p.add_argument(
        "--wb-reference",
        metavar="IMAGE",
        help="a picture of a gray card or of the set under the show lights from this camera: "
        "white-balance drift is measured against it (without one only a clear cast is named)",
    )
    p.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN", help="language of the findings (default zh_CN)")
    p.set_defaults(func=run)


def _read_image(path: str):
    from hardware.camera.still import StillError, read_still

    try:
        return read_still(path)
    except StillError as exc:
        raise CommandError(str(exc)) from None


def _wb_reference(path: str) -> WhiteBalanceReference:
    """The white-balance reference read from a picture file (``--wb-reference``)."""
    from hardware.camera.picture import DEFAULT_PROFILE
    from hardware.camera.whitebalance import WhiteBalanceReference, read_white_balance

    if not os.path.exists(path):
        raise CommandError(f"--wb-reference {path}: no such file")
    try:
        image = _read_image(path)
    except CommandError as exc:
        raise CommandError(f"--wb-reference {exc}") from None
    try:
        return WhiteBalanceReference.from_reading(read_white_balance(image, DEFAULT_PROFILE.white_balance))
    except ValueError as exc:
        raise CommandError(f"--wb-reference {path}: {exc}") from None


def _check_image(path: str, checker: PictureChecker) -> tuple[PictureReport, dict]:
    from hardware.camera.checks import SIGNAL_BLACK, SIGNAL_OK
    from hardware.camera.picture import is_black

    image = _read_image(path)
    report = checker.feed(image, 0.0, 1)
    # One still image has no duration: black is judged on the frame alone, frozen never.
    report.signal = SIGNAL_BLACK if is_black(report.measurement, checker.profile) else SIGNAL_OK
    return report, {"kind": "image", "frames": 1}


def _check_stream(spec: str, frames: int, checker: PictureChecker) -> tuple[PictureReport, dict]:
    from hardware.camera.capture import OpenCvSource, SourceError, parse_source_spec
    from hardware.camera.still import MAX_STILL_PIXELS

    kind, target = parse_source_spec(spec)
    if kind == "file" and not os.path.exists(str(target)):
        raise CommandError(f"{target}: no such file")
    source = OpenCvSource(spec, loop=False)
    try:
        source.open()
    except SourceError as exc:
        raise CommandError(str(exc)) from None
    fps = source.nominal_fps or 30.0
    width, height = source.resolution
    if width * height > MAX_STILL_PIXELS:
        source.release()
        raise CommandError(f"{source.label}: {width}x{height} frames are more than the "
                           f"{MAX_STILL_PIXELS // 1_000_000} megapixel limit (8K fits)")
    read = 0
    arrivals: list[float] = []
    report = checker.report
    try:
        for _ in range(max(1, frames)):
            image = source.read()
            if image is None:
                break
            read += 1
            arrivals.append(time.monotonic())
            # A file is judged on its own timeline; a live source on the wall clock.
            t = (read - 1) / fps if kind == "file" else time.monotonic()
            try:
                report = checker.feed(image, t, read)
            except ValueError as exc:  # a frame the checks cannot judge (too small)
                raise CommandError(f"{source.label}: frame {read}: {exc}") from None
    finally:
        source.release()
    if read == 0:
        if kind == "file":
            raise CommandError(f"{target}: no readable video frames")
        report = checker.signal_lost()
    info = {
        "kind": {"device": "device", "url": "stream", "file": "video"}[kind],
        "frames": read,
        "nominal_fps": round(source.nominal_fps, 3),
        "measured_fps": _measured_fps(arrivals) if kind != "file" else None,
    }
    return report, info


def _measured_fps(arrivals: list[float]) -> float | None:
    """Frames per second over the second half of the reads: a stream delivers what it
    buffered while opening in a burst at first, which is not its frame rate."""
    tail = arrivals[len(arrivals) // 2:]
    if len(tail) < 2 or tail[-1] <= tail[0]:
        return None
    return round((len(tail) - 1) / (tail[-1] - tail[0]), 2)


def run(args: argparse.Namespace, db_url: str) -> int:  # noqa: ARG001 - the log is not used
    from hardware.camera.capture import parse_source_spec
    from hardware.camera.checks import SIGNAL_OK, PictureChecker
    from hardware.camera.phrases import findings
    from hardware.camera.picture import DEFAULT_PROFILE

    if args.frames is not None and args.frames < 1:
        raise CommandError("--frames must be at least 1")
    checker = PictureChecker(DEFAULT_PROFILE, focus_reference=args.focus_reference,
                             wb_reference=_wb_reference(args.wb_reference) if args.wb_reference else None)
    kind, _ = parse_source_spec(args.source)
    if kind == "file":
        from studio_app.core.files import open_regular

        open_regular(args.source).close()  # missing, a folder, a FIFO (would hang), a device: one line
    suffix = os.path.splitext(args.source)[1].lower()
    if kind == "file" and suffix in IMAGE_SUFFIXES:
        if not os.path.exists(args.source):
            raise CommandError(f"{args.source}: no such file")
        report, info = _check_image(args.source, checker)
    else:
        report, info = _check_stream(args.source, args.frames, checker)

    data = {"source": args.source, **info, **report.to_dict()}
    if report.measurement is not None:
        data["histogram"] = [int(v) for v in report.measurement.histogram]
    data["findings"] = [text for level, text in findings(report, args.lang) if level != "ok"]
    verdicts = report.verdicts()
    bad = (
        verdicts["exposure"] != "ok"
        or verdicts["white_balance"] == "cast"  # "unknown" is no finding: nothing to fix is known
        or verdicts["focus"] == "soft"
        or verdicts["signal"] != SIGNAL_OK
    )
    if args.json:
        print_json(data)
    else:
        _print_text(data, report, args.lang)
    return EXIT_FINDINGS if bad else EXIT_OK


def _wb_text(wb: dict) -> str:
    if wb.get("mired") is None:
        return "not measurable (too few pixels neither clipped nor too dark)"
    against = "the reference" if wb["reference"] else "sRGB white (no reference)"
    return (f"{wb['mired']:+.1f} mired (white at {wb['kelvin']} K), tint {wb['tint']:+.1f}, against {against}; "
            f"estimators spread {wb['spread_mired']:.0f} mired / {wb['spread_tint']:.1f} tint")


def _print_text(data: dict, report: PictureReport, lang: str) -> None:
    from hardware.camera.checks import SIGNAL_NONE
    from hardware.camera.phrases import findings

    print(f"source          {data['source']} ({data['kind']}, {data['frames']} frame(s))")
    if report.measurement is None or report.signal == SIGNAL_NONE:
        print("signal          none (no picture)")
    if report.measurement is not None:
        rows = [
            ("resolution", data["resolution"]),
            ("mean luma", f"{data['mean_luma']} / 255 ({data['mean_luma_pct']}%)"),
            ("p1 / p99 luma", f"{data['p1_luma']} / {data['p99_luma']}"),
            ("clipped high", f"{data['clipped_high_pct']}%"),
            ("crushed low", f"{data['clipped_low_pct']}%"),
            ("black pixels", f"{data['black_pct']}%"),
            ("sharpness", f"{data['sharpness']}" + (f" (reference {data['focus_reference']})" if data["focus_reference"] else "")),
            ("white balance", _wb_text(data["white_balance"])),
        ]
        if data.get("measured_fps"):
            rows.append(("frame rate", f"{data['measured_fps']} fps measured, {data['nominal_fps']} nominal"))
        for name, value in rows:
            print(f"{name:<15} {value}")
    v = data["verdicts"]
    cast = f" ({data['cast']})" if data.get("cast") else ""
    print(
        f"verdicts        exposure={v['exposure']} white_balance={v['white_balance']}{cast} "
        f"focus={v['focus']} signal={v['signal']}"
    )
    for level, text in findings(report, lang):
        mark = {"error": "!!", "warning": "! ", "ok": "  "}[level]
        print(f"{mark} {text}")
