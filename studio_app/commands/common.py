"""Small helpers shared by the subcommands: errors, output, opening the log."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1  # the check ran and found something (lint findings, a failed self-test)
EXIT_USAGE = 2  # bad usage, broken or unreadable input


class CommandError(Exception):
    """A failure the user must fix; printed as one line and exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def output_file(name: str, example: str, option: str = "--out") -> Path:
    """The output file ``name`` of ``option``, checked before any work: not a folder, a
    device or a FIFO (an atomic write would replace it), and in a folder that exists."""
    from studio_app.core.files import FileRefused, check_output_target

    out = Path(name)
    if os.path.isdir(out):  # (os.path: a name too long is reported below, not raised here)
        raise CommandError(f"{option} {out}: is a folder; give a file name such as {out / example}")
    try:
        check_output_target(out)
    except FileRefused as exc:
        raise CommandError(f"{option} {exc}") from None
    if not out.parent.is_dir():
        raise CommandError(f"{option} {out}: the folder {out.parent} does not exist")
    return out


def int_in(low: int, high: int):  # noqa: ANN201 - an argparse ``type``
    """An argparse ``type``: an integer in ``[low, high]`` (a huge one is a usage error,
    not an ``OverflowError`` in the database driver)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low}..{high}")
        return value

    return parse


def seconds_in(low: float, high: float):  # noqa: ANN201 - an argparse ``type``
    """An argparse ``type``: a finite number of seconds in ``(low, high]``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (math.isfinite(value) and low < value <= high):
            raise argparse.ArgumentTypeError(f"{text} is not a number of seconds above {low:g} and up to {high:g}")
        return value

    return parse


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
