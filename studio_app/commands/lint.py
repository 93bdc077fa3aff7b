"""``studio-console lint FILE``: the advertising-law compliance check of a rundown (.toml),
a spreadsheet script (.csv/.xlsx) or a plain-text script (.txt/.md).

Exit codes: 0 no findings, 1 findings, 2 broken or unsupported file (one located line).
``--json`` prints a list of findings with keys file, line, column, segment, field, term,
category, severity, note, context.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CommandError, print_json
from studio_app.core.files import FileRefused, open_regular, read_regular_bytes

TEXT_SUFFIXES = {".txt", ".md"}


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "lint",
        help="check a rundown or script for advertising-law terms (广告法极限词)",
        description="Check a rundown (.toml), a spreadsheet script (.csv/.xlsx) or a plain-text script "
        "(.txt/.md) for absolute terms and other claims live-commerce rules forbid. "
        "Exit 0: no findings; 1: findings; 2: the file is broken or unsupported.",
    )
    p.add_argument("file", metavar="FILE", help="the rundown or script to check")
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    p.add_argument("--terms", metavar="TERMS.toml", help="use this term list instead of the bundled one")
    p.set_defaults(func=run)


def _read_text(path: Path) -> str:
    raw = read_regular_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CommandError(f"{path.name}:{line}: neither UTF-8 nor GB18030 text", EXIT_USAGE) from None


def lint_file(path: Path, terms_path: str | None = None):
    """(findings, plan warnings) of a file; raises RundownError for a broken file."""
    from studio_app.show.compliance import ComplianceChecker, TermList, check_show, check_text
    from studio_app.show.errors import RundownError
    from studio_app.show.rundown import loads_rundown, plan_warnings
    from studio_app.show.spreadsheet import load_spreadsheet_with_origins

    checker = ComplianceChecker(TermList.load(terms_path))
    suffix = path.suffix.lower()
    try:
        open_regular(path).close()  # missing, a folder, a FIFO, a device: one line, never a hang
    except FileRefused as exc:
        raise RundownError(path.name, 0, "", exc.strerror) from None
    if suffix == ".toml":
        try:
            raw = read_regular_bytes(path)
        except OSError as exc:
            raise RundownError(path.name, 0, "", f"cannot read: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RundownError(path.name, raw[: exc.start].count(b"\n") + 1, "", "not UTF-8 text (save the file as UTF-8)") from None
        show = loads_rundown(text, path.name)
        return check_show(show, checker, source_text=text), plan_warnings(show)
    if suffix in (".csv", ".xlsx"):
        show, origins = load_spreadsheet_with_origins(path)
        return check_show(show, checker, origins=origins), plan_warnings(show)
    if suffix in TEXT_SUFFIXES:
        try:
            text = _read_text(path)
        except OSError as exc:
            raise RundownError(path.name, 0, "", f"cannot read: {exc.strerror or exc}") from None
        return check_text(text, checker, file=path.name), []
    raise RundownError(path.name, 0, "", f"unsupported file type {suffix or '(none)'!r} (use .toml, .csv, .xlsx, .txt or .md)")


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.show.errors import RundownError

    path = Path(args.file)
    try:
        findings, warnings = lint_file(path, args.terms)
    except RundownError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    for w in warnings:
        print(f"{path.name}: plan warning: {w.item}: {w.message}", file=sys.stderr)
    if args.json:
        print_json([f.as_dict() for f in findings])
    else:
        for f in findings:
            print(f.describe())
        if findings:
            errors = sum(1 for f in findings if f.severity == "error")
            print(f"{len(findings)} findings ({errors} errors, {len(findings) - errors} warnings) in {path.name}")
        else:
            print(f"{path.name}: no findings")
    return EXIT_FINDINGS if findings else EXIT_OK
