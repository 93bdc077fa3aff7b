"""``studio-console log``: print the event log (the same events the desk's log panel shows)."""
from __future__ import annotations

import argparse

from studio_app.commands.common import (
    EXIT_OK,
    CommandError,
    add_lang_option,
    int_in,
    iso_utc,
    local_time,
    print_json,
    reader_text,
)
from studio_app.core.events import Severity, Source

MAX_LIMIT = 1_000_000_000  # far above any log; keeps the number inside SQLite's 64-bit integers


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "log",
        help="print the event log",
        description="Print events from the log, oldest first.",
    )
    p.add_argument("--since", metavar="WHEN", help="only events since WHEN: 10m, 2h, 1d, or an ISO time such as 2026-11-24T20:00")
    p.add_argument(
        "--source",
        action="append",
        metavar="SOURCE",
        help=f"only events from SOURCE ({', '.join(s.value for s in Source)}); repeatable or comma-separated",
    )
    p.add_argument("--severity", metavar="LEVEL", help="only LEVEL and worse (debug, info, warning, error, critical)")
    p.add_argument("--show", metavar="SHOW_ID", help="only events of this show")
    p.add_argument("--limit", type=int_in(1, MAX_LIMIT), metavar="N", help="only the newest N matching events")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    add_lang_option(p, "the messages (with --json: 'message' stays the English the engine wrote unless --lang is given)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.store import fetch_events, parse_since, reading_engine

    try:
        since = parse_since(args.since) if args.since else None
        min_sev = Severity.parse(args.severity) if args.severity else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    # JSON keeps the engine's English message unless a language is asked for (a contract)
    text = reader_text(args.lang) if args.lang or not args.json else None
    sources = None
    if args.source:
        sources = [s.strip() for item in args.source for s in item.split(",") if s.strip()]
    with reading_engine(db_url) as engine:
        events = fetch_events(
            engine,
            since=since,
            sources=sources,
            min_severity=min_sev,
            show_id=args.show,
            limit=args.limit,
            newest_first=args.limit is not None,
        )
    if args.limit is not None:
        events.reverse()
    if args.json:
        print_json(
            [
                {
                    "id": e.seq,
                    "time": iso_utc(e.wall_time),
                    "wall_time": e.wall_time,
                    "mono_time": e.mono_time,
                    "show_id": e.show_id,
                    "source": e.source,
                    "kind": e.kind,
                    "severity": e.severity_name,
                    "message": text.message(e) if text is not None else e.message,
                    "payload": e.payload,
                }
                for e in events
            ]
        )
    else:
        for e in events:
            show = f" [{e.show_id}]" if e.show_id else ""
            print(f"{local_time(e.wall_time)}  {e.severity_name:<8} {e.source:<8} {e.kind:<22}{show} {text.message(e)}")
    return EXIT_OK
