"""``studio-console``: the desk (no subcommand) and the command-line tools (subcommands)."""
from __future__ import annotations

import argparse
import logging
import sys

from studio_app import __version__
from studio_app.commands import register_all
from studio_app.commands.common import EXIT_USAGE, CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio-console",
        description="Studio Console (直播中控台): control desk for live-commerce streaming studios. "
        "Without a subcommand, opens the control desk.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="event log database (any SQLAlchemy URL, e.g. sqlite:///log.sqlite3 or "
        "postgresql://user@host/studio); default: $STUDIO_DB_URL, the settings, or a SQLite file "
        "in the user data folder",
    )
    parser.add_argument("--show", metavar="FILE", help="desk: open this rundown instead of the sample show")
    parser.add_argument("--lang", choices=["system", "zh_CN", "en"], help="desk: UI language for this run")
    parser.add_argument(
        "--remote",
        metavar="[HOST:]PORT",
        help="desk: turn remote control on for this run: HTTP and WebSocket on PORT, OSC over UDP on PORT+1 "
        "(HOST: the interface to listen on, default 127.0.0.1; token from $STUDIO_REMOTE_TOKEN or the secrets store)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log diagnostics to stderr")
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="desk: close the window SECONDS after it is first painted (smoke tests, benchmarks)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    desk = sub.add_parser("desk", help="open the control desk (the default)")
    desk.set_defaults(func=None)
    register_all(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    from studio_app.core.settings import Settings, resolve_db_url
    from studio_app.store.db import DatabaseURLError, normalize_url

    settings = Settings()
    if settings.problem:
        print(f"studio-console: warning: {settings.problem}", file=sys.stderr)
    db_url = resolve_db_url(args.db, settings)
    try:
        normalize_url(db_url)
    except DatabaseURLError as exc:
        print(f"studio-console: error: --db: {exc}", file=sys.stderr)
        return EXIT_USAGE

    remote = None
    if args.remote is not None:
        from studio_app.remote.server import parse_listen

        try:
            remote = parse_listen(args.remote)
        except ValueError as exc:
            print(f"studio-console: error: --remote: {exc}", file=sys.stderr)
            return EXIT_USAGE
    func = getattr(args, "func", None)
    if func is None:
        from studio_app.ui.app import run_desk

        return run_desk(db_url=db_url, settings=settings, show_path=args.show, lang=args.lang,
                        quit_after=args.quit_after, remote=remote)
    try:
        return int(func(args, db_url) or 0)
    except CommandError as exc:
        print(f"studio-console {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
