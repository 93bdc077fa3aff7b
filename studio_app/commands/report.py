"""``studio-console report [SHOW_ID] --out FILE.html``: the review (复盘) of one show as a
self-contained HTML page (charts inline, opens offline)."""
from __future__ import annotations

import argparse
import sys

from studio_app.commands.common import EXIT_OK, CommandError, add_lang_option, output_file, reader_text


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "report",
        help="write the review (复盘) of a show as one HTML file",
        description="The review of SHOW_ID (default: the latest show in the log): segments planned against "
        "actual, product cards and stock, coupons and flash sales with their lateness, audio loudness, "
        "clipping and dead air, camera incidents, OBS health, alerts, desk messages, emergency incidents "
        "and drills, the pre-show self-test, and the sales score against the room's other shows. "
        "One self-contained HTML file with inline charts; opens offline in any browser.",
    )
    p.add_argument("show_id", nargs="?", metavar="SHOW_ID", help="the show (default: the latest show in the log)")
    p.add_argument("--out", metavar="FILE.html", help="file to write (default: report-SHOW_ID.html here)")
    p.add_argument("--room", action="append", metavar="ROOM",
                   help="only ROOM (repeatable; default: every room the show ran in)")
    p.add_argument("--rundown", metavar="FILE", help="the show's rundown, for product names and segments never run")
    p.add_argument("--weights", metavar="W", help="score weights, e.g. gmv=50,conversion=30,interaction=20 (the default)")
    add_lang_option(p, "the event messages in the report")
    p.set_defaults(func=run)


def _safe_name(show_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in show_id) or "show"


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.report import UnknownShow, latest_show, load_review, render_report, write_report
    from studio_app.core.files import FileRefused, open_regular
    from studio_app.show.errors import RundownError
    from studio_app.show.sales import ScoreWeights
    from studio_app.store import reading_engine

    text = reader_text(args.lang)
    weights = None
    if args.weights:
        try:
            weights = ScoreWeights.parse(args.weights)
        except ValueError as exc:
            raise CommandError(f"--weights: {exc}") from None
    if args.rundown:  # checked before the log is read: a FIFO or a typo fails at once
        try:
            open_regular(args.rundown).close()
        except FileRefused as exc:
            raise CommandError(f"--rundown {exc}") from None
    if args.out:
        output_file(args.out, "report.html")
    with reading_engine(db_url) as engine:
        show_id = args.show_id or latest_show(engine, args.room)
        if show_id is None:
            raise CommandError("no show in the log yet: run a show on the desk first, or name one")
        try:
            review = load_review(engine, show_id, rooms=args.room, rundown=args.rundown, weights=weights)
        except UnknownShow as exc:
            raise CommandError(str(exc)) from None
        except RundownError as exc:
            raise CommandError(f"--rundown: {exc}") from None
    out = output_file(args.out or f"report-{_safe_name(show_id)}.html", "report.html")
    html = render_report(review, text=text)
    try:
        write_report(html, out)
    except OSError as exc:
        raise CommandError(f"--out {exc}") from None
    if not review.segments:
        print(f"studio-console report: warning: show {show_id!r} has no cue events (was it started on the desk?)",
              file=sys.stderr)
    print(f"wrote the review of show {show_id} ({review.event_count} events) to {out}")
    return EXIT_OK
