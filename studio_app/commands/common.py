"""Small helpers shared by the subcommands: errors, output, opening the log."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1  # the check ran and found something (lint findings, a failed self-test)
EXIT_USAGE = 2  # bad usage, broken or unreadable input


class CommandError(Exception):
    """A failure the user must fix; printed as one line and exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_time(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


LANGUAGES = ("zh_CN", "en")


def add_lang_option(parser, what: str) -> None:  # noqa: ANN001 - an argparse parser
    parser.add_argument("--lang", choices=LANGUAGES, metavar="zh_CN|en",
                        help=f"language of {what} (default: the desk's language from the settings or the system locale)")


def reader_text(lang: str | None):  # noqa: ANN201 - studio_app.core.event_text.EventText
    """The event-message renderer for ``--lang``, or for the desk's own language (the
    settings' ``general.language``; ``system`` follows the locale)."""
    from xml.etree.ElementTree import ParseError

    from studio_app.core.event_text import EventText, catalogue_path, resolve_language
    from studio_app.core.settings import Settings

    chosen = resolve_language(lang or Settings().get("general.language"))
    try:
        return EventText(chosen)
    except (OSError, ParseError) as exc:
        raise CommandError(f"translations {catalogue_path(chosen)}: cannot read: {exc}") from None
