"""``studio-console``: the desk (no subcommand) and the command-line tools (subcommands)."""
from __future__ import annotations

import argparse
import logging
import sys
from typing import NoReturn

from studio_app.commands import register_all
from studio_app.commands.common import EXIT_USAGE, CommandError, seconds_in
from studio_app.core.files import FileRefused


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line (``prog: error: message``, exit 2), not the whole usage.

    ``secret_args=True`` marks a parser whose arguments may hold a secret (``obs password``):
    its errors never repeat what was typed."""

    def __init__(self, *args, secret_args: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.secret_args = secret_args
        if secret_args:
            self.set_defaults(secret_args=True)

    def error(self, message: str) -> NoReturn:
        if self.secret_args:
            message = "unexpected or invalid arguments (not repeated here: they may hold a secret)"
        elif "expected one argument" in message:
            message += " (a value that starts with '-' is written as --option=-value)"
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}; see --help\n")


class VersionAction(argparse.Action):
    """argparse's ``version`` action, the version looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:  # noqa: ANN001
        from studio_app import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="studio-console",
        description="Studio Console (直播中控台): control desk for live-commerce streaming studios. "
        "Without a subcommand, opens the control desk.",
    )
    parser.add_argument("--version", action=VersionAction)
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
    parser.add_argument(
        "--room-replay",
        action="store_true",
        help="desk: play the sample show's recorded room data in the Live room dock, labelled 回放/REPLAY "
        "(the demo ./dev run gives; ignored while the room data endpoint is on)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log diagnostics to stderr")
    parser.add_argument(
        "--quit-after",
        type=seconds_in(0, 24 * 3600),
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
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "secret_args", False):
        parser.error(f"{len(extra)} unexpected argument(s) (not repeated here: they may hold a secret)")
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    from studio_app.core.settings import Settings, resolve_db_url
    from studio_app.store.direct import DatabaseURLError, plain_sqlite_file

    settings = Settings()
    if settings.problem:
        print(f"studio-console: warning: {settings.problem}", file=sys.stderr)
    db_url = resolve_db_url(args.db, settings)
    if plain_sqlite_file(db_url) is None:  # a plain SQLite file's URL needs no check (nor SQLAlchemy)
        from studio_app.store.db import normalize_url

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
                        quit_after=args.quit_after, remote=remote, room_replay=args.room_replay)
    if not args.verbose:
        # a command's own one-line error says what failed; OpenCV's log lines ahead of it only confuse
        from hardware.opencv_log import silence_opencv_logging

        silence_opencv_logging()
    try:
        return int(func(args, db_url) or 0)
    except CommandError as exc:
        print(f"studio-console {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except FileRefused as exc:  # a file helper's refusal that no command turned into its own words
        print(f"studio-console {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseURLError as exc:
        print(f"studio-console {args.command}: error: --db: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
