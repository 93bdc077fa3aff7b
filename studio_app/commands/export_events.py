"""``studio-console export-events SHOW``: the events of a show as a CSV file for Excel/WPS."""
from __future__ import annotations

import argparse
import sys

from studio_app.commands.common import EXIT_OK, CommandError, output_file, reader_text


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "export-events",
        help="write the events of a show to a CSV file (UTF-8 with BOM, opens in Excel)",
        description="Write every event of SHOW_ID, oldest first, to a CSV file. Columns: id, time_utc, "
        "time_local, room, session, show_id, source, kind, severity, message, payload (JSON). "
        "UTF-8 with a byte-order mark so Excel shows Chinese correctly.",
    )
    p.add_argument("show_id", metavar="SHOW_ID", help="the show whose events to export")
    p.add_argument("--out", metavar="FILE", help="CSV file to write (default: events-SHOW_ID.csv here)")
    p.add_argument("--room", action="append", metavar="ROOM",
                   help="only events of ROOM (repeatable; default: every room of the database)")
    p.add_argument("--source", action="append", metavar="SOURCE", help="only events from SOURCE (repeatable or comma-separated)")
    p.add_argument("--lang", choices=["zh_CN", "en"], metavar="zh_CN|en",
                   help="write the message column in this language (default: the English the engine wrote)")
    p.set_defaults(func=run)


def _safe_name(show_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in show_id) or "show"


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.store import export_events_csv, reading_engine

    out = output_file(args.out or f"events-{_safe_name(args.show_id)}.csv", "events.csv")
    sources = [s.strip() for item in args.source for s in item.split(",") if s.strip()] if args.source else None
    message = reader_text(args.lang).message if args.lang else None
    with reading_engine(db_url) as engine:
        try:
            n = export_events_csv(engine, out, show_id=args.show_id, rooms=args.room, sources=sources, message=message)
        except OSError as exc:
            raise CommandError(f"--out {exc}") from None
    if n == 0:
        print(f"studio-console export-events: warning: no events for show {args.show_id!r}", file=sys.stderr)
    print(f"wrote {n} events of show {args.show_id} to {out}")
    return EXIT_OK
