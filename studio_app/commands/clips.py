"""``studio-console clips SHOW_ID``: every product explanation (and optionally every segment
and flash sale) cut from OBS's recording as a short-video clip, with a ``clips.json`` index."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "clips",
        help="cut each product explanation (讲解切片) from OBS's recording",
        description="Cut one clip per product explanation (card push to stop) of SHOW_ID from the OBS "
        "recording, re-encoded so each starts on exactly the right frame; optionally one per segment and "
        "per flash sale, a 9:16 vertical crop, a burned-in title or an SRT with the segment's talking "
        "points. Writes the clips, a first-frame thumbnail each and clips.json into --out. Exit 0: every "
        "clip cut; 1: some could not be cut or were cut short (each is named with the reason); "
        "2: bad usage, no recording, or ffmpeg missing.",
    )
    p.add_argument("show_id", metavar="SHOW_ID", help="the show")
    p.add_argument("--out", metavar="DIR", help="folder for the clips (default: clips/SHOW_ID in the data folder)")
    p.add_argument("--pad", metavar="DURATION", default="3s", help="time kept before and after each (default 3s)")
    p.add_argument("--kinds", metavar="KINDS", default="card",
                   help="comma-separated: card, segment, flash_sale (default: card)")
    p.add_argument("--vertical", action="store_true", help="crop to 9:16 (1080x1920) for short-video platforms")
    p.add_argument("--text", choices=("srt", "burn", "both", "none"), default="srt",
                   help="an SRT with the title and talking points (default), a burned-in title, both, or none")
    p.add_argument("--recording", metavar="FILE_OR_DIR",
                   help="the recording's file, or the folder it was moved to (default: where OBS wrote it)")
    p.add_argument("--rundown", metavar="FILE", help="the show's rundown, for prices and talking points "
                   "(default: the file the desk opened, if it is still there)")
    p.add_argument("--obs-delay", metavar="DURATION",
                   help="how long after the desk's moment OBS writes the picture (default 0.2s; measure yours "
                   "with --calibrate)")
    p.add_argument("--calibrate", action="store_true",
                   help="measure that delay from the show's scene switches in the recording, cut nothing")
    p.add_argument("--json", action="store_true", help="print the index as JSON")
    p.set_defaults(func=run)


def _seconds(option: str, text: str, most: float) -> float:
    from studio_app.show.model import parse_duration

    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from None
    if value > most:
        raise CommandError(f"{option}: {text} is more than {most:g} s")
    return value


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.clips import KINDS, ClipError, cut_clips, media, plan_clips
    from studio_app.clips.source import load_clip_job
    from studio_app.core.paths import clips_dir
    from studio_app.report import UnknownShow
    from studio_app.show.errors import RundownError
    from studio_app.clips.plan import DEFAULT_OBS_DELAY_S
    from studio_app.store import open_engine, upgrade_database

    pad = _seconds("--pad", args.pad, 600)
    delay = DEFAULT_OBS_DELAY_S if args.obs_delay is None else _seconds("--obs-delay", args.obs_delay, 10)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise CommandError(f"--kinds: unknown {', '.join(bad) or '(none given)'} (use {', '.join(KINDS)})")
    if args.rundown and not Path(args.rundown).is_file():
        raise CommandError(f"--rundown {args.rundown}: no such file")
    if args.recording and not Path(args.recording).exists():
        raise CommandError(f"--recording {args.recording}: no such file or folder")
    try:
        media.tool("ffmpeg"), media.tool("ffprobe")
    except ClipError as exc:
        raise CommandError(str(exc)) from None
    out = Path(args.out) if args.out else clips_dir(args.show_id)
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out {out}: is a file, not a folder")

    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        try:
            job = load_clip_job(engine, args.show_id, args.rundown)
        except UnknownShow as exc:
            raise CommandError(str(exc)) from None
        except RundownError as exc:
            raise CommandError(f"--rundown: {exc}") from None
    finally:
        engine.dispose()
    for note in job.notes:
        print(f"studio-console clips: warning: {note}", file=sys.stderr)
    recs, review, rundown = job.recordings, job.review, job.rundown
    if not recs:
        raise CommandError(f"show {args.show_id}: OBS was not recording while the desk ran it (no recording in the "
                           "log); nothing to cut")
    if args.calibrate:
        from studio_app.clips.calibrate import scene_switch_delays, summary

        found = summary(scene_switch_delays(recs, job.obs_events))
        if args.json:
            print(json.dumps(found))
        elif found["delay_s"] is None:
            print("no scene switch of the show was found in the recording: nothing to measure")
        else:
            print(f"OBS writes the picture {found['delay_s']:.3f} s after the desk's moment (median of "
                  f"{found['switches']} scene switches, {found['min_s']:.3f}-{found['max_s']:.3f} s); "
                  f"cut with --obs-delay {found['delay_s']:.3f}s")
        return EXIT_OK if found["delay_s"] is not None else EXIT_FINDINGS
    specs = plan_clips(review, kinds=kinds, pad_s=pad, rundown=rundown)
    if not specs:
        raise CommandError(f"show {args.show_id}: nothing to cut (no {', '.join(kinds)} in the log)")
    title = job.title
    quiet = args.json

    def progress(n: int, total: int, spec) -> None:  # noqa: ANN001
        if not quiet:
            print(f"[{n}/{total}] {spec.kind} {spec.title} ...", file=sys.stderr, flush=True)

    try:
        results = cut_clips(specs, recs, out, show_title=title, show_started_wall=review.started_wall,
                            vertical=args.vertical, text=args.text, recording_override=args.recording,
                            progress=progress, obs_delay_s=delay)
    except OSError as exc:
        raise CommandError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    problems = [r for r in results if r.error or r.warnings]
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.file:
                print(f"{r.file}  {r.duration_s:.2f} s  from {Path(r.recording).name} at {r.recording_start_s:.3f} s")
            for w in r.warnings:
                print(f"  warning: {r.spec.kind} '{r.spec.title}': {w}")
            if r.error:
                print(f"  not cut: {r.spec.kind} '{r.spec.title}': {r.error}")
        cut = sum(1 for r in results if r.file)
        print(f"{cut} of {len(results)} clips in {out} (index: clips.json)")
    if not any(r.file for r in results):
        for r in results:
            print(f"studio-console clips: {r.error}", file=sys.stderr)
        return 2  # not one clip: the recording is missing, moved or unreadable (each said why)
    return EXIT_FINDINGS if problems else EXIT_OK
