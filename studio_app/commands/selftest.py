"""``studio-console selftest``: the technician's pre-show hardware self-test, for scripts.

    studio-console selftest [--profile FILE] [--only camera,mic,obs,console] [--json]
                            [--camera SOURCE] [--mic DEVICE] [--obs HOST:PORT] [--tone]
                            [--save-profile FILE] [--html FILE] [--lang zh_CN|en]

Non-interactive. Exit code 0 when no check failed (warnings and skips allowed), 1 when a
check failed, 2 on bad usage (unknown group, unreadable profile, bad HOST:PORT). JSON:
``{"passed": bool, "checks": [{"id", "status", "value", "threshold", "detail", "fix", ...}], ...}``.
The OBS password comes from the keyring / secrets file or ``STUDIO_OBS_PASSWORD``, never
from the command line. Every run is stored in the event log (source ``selftest``).
"""
from __future__ import annotations

import argparse
import sys

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError, output_file, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "selftest",
        help="pre-show hardware self-test (camera, mic, OBS, console)",
        description="Check the studio's camera, microphone, OBS and this console against the studio "
        "profile, and say how to fix what is wrong. Exit code 0: nothing failed, 1: a check failed, "
        "2: bad usage. The OBS password comes from the keyring or STUDIO_OBS_PASSWORD.",
    )
    p.add_argument("--profile", metavar="FILE", help="studio profile (TOML); default: the console's settings")
    p.add_argument("--only", metavar="GROUPS",
                   help="comma-separated groups: camera,mic,obs,console (default all), or single checks "
                   "such as obs.scenes (their group's prerequisites run too)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--camera", metavar="SOURCE", help="camera source for this run (index, file or URL)")
    p.add_argument("--mic", metavar="DEVICE", help="microphone device name for this run")
    p.add_argument("--obs", metavar="HOST:PORT", help="OBS address for this run")
    p.add_argument("--tone", action="store_true",
                   help="play a test tone on the default audio output to check the mic level "
                   "(a speaker near the mic); without it the level check is skipped")
    p.add_argument("--save-profile", metavar="FILE", help="write a profile of what this run found (a new studio)")
    p.add_argument("--html", metavar="FILE", help="also write the report as a self-contained HTML page")
    p.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN", help="language of the text output (default zh_CN)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.core.files import FileRefused, write_atomically
    from studio_app.core.secrets import obs_password
    from studio_app.core.settings import Settings
    from studio_app.selftest import (
        ProfileError,
        SelfTest,
        load_profile,
        parse_host_port,
        parse_only,
        parse_only_checks,
        profile_from_settings,
        record_run,
        render_html,
        save_profile,
        with_overrides,
    )
    from studio_app.selftest.report import render_text

    try:
        groups = parse_only(args.only)
    except ValueError as exc:
        raise CommandError(f"--only: {exc}") from None
    obs_override = None
    if args.obs is not None:
        try:
            obs_override = parse_host_port(args.obs)
        except ValueError as exc:
            raise CommandError(f"--obs: {exc}") from None
    # Checked before the run, which takes a while: a bad target fails now, not after it.
    if args.html:
        output_file(args.html, "selftest.html", "--html")
    if args.save_profile:
        output_file(args.save_profile, "studio.toml", "--save-profile")
    settings = Settings()
    if args.profile:
        try:
            profile = load_profile(args.profile)
        except ProfileError as exc:
            raise CommandError(str(exc)) from None
    else:
        profile = profile_from_settings(settings)
    profile = with_overrides(profile, camera=args.camera, mic=args.mic, obs=obs_override)

    progress = None
    if not args.json and sys.stderr.isatty():
        def progress(check) -> None:  # noqa: ANN001
            print(f"  {check.status.value:<4} {check.id}", file=sys.stderr, flush=True)

    test = SelfTest(profile, db_url=db_url, groups=groups, password=obs_password, tone=args.tone, on_check=progress)
    result = test.run(only_checks=parse_only_checks(args.only))

    _store(db_url, result, record_run)
    if args.save_profile:
        try:
            written = save_profile(result, args.save_profile, base=profile if args.profile else None)
        except (OSError, ProfileError) as exc:
            raise CommandError(f"--save-profile: {exc}") from None
        if not args.json:
            print(f"profile written to {written}", file=sys.stderr)
    if args.html:
        try:
            write_atomically(args.html, render_html(result))
        except FileRefused as exc:
            raise CommandError(f"--html {exc}") from None
        except OSError as exc:
            raise CommandError(f"--html: {args.html}: {exc.strerror or exc}") from None
    if args.json:
        print_json(result.to_dict())
    else:
        for line in render_text(result, args.lang):
            print(line)
    return EXIT_OK if result.passed else EXIT_FINDINGS


def _store(db_url: str, result, record_run) -> None:  # noqa: ANN001
    """Into the event log; a database that cannot be written keeps it in the outbox."""
    from studio_app.store import EventLog

    try:
        log = EventLog(db_url).start()
    except Exception as exc:  # noqa: BLE001 - the report still prints; console.db says what is wrong
        print(f"studio-console selftest: warning: the run could not be stored: {exc}", file=sys.stderr)
        return
    try:
        record_run(log, result)
        if not log.flush(timeout=5.0):
            print("studio-console selftest: warning: the event log could not write the run now; "
                  "it is kept locally and written when the database works", file=sys.stderr)
    finally:
        log.close(timeout=3.0)
