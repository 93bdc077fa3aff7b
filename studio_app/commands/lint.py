"""``studio-console lint FILE``: the advertising-law compliance check of a rundown (.toml),
a spreadsheet script (.csv/.xlsx) or a plain-text script (.txt/.md).

Exit codes: 0 no findings, 1 findings, 2 broken or unsupported file (one located line).
``--json`` prints a list of findings with keys file, line, column, segment, field, term,
category, severity, note, context, omitted.

A plain-text script's encoding is detected (BOM, UTF-16 by its NUL bytes, UTF-8, GB18030
with a sanity check; see :mod:`studio_app.show.script_text`); text that cannot be read
for sure is refused with exit 2, never passed. At most 20 findings are listed per line
(per field in a rundown) and 10,000 in all; the rest are counted in ``omitted`` of the
last finding listed before them, and the summary line gives the total.
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


def lint_file(path: Path, terms_path: str | None = None):
    """(findings, plan warnings) of a file; raises RundownError for a broken file."""
    from studio_app.show.compliance import ComplianceChecker, TermList, check_lines, check_show
    from studio_app.show.errors import RundownError
    from studio_app.show.rundown import loads_rundown, plan_warnings
    from studio_app.show.script_text import script_lines
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
        # streamed line by line: memory follows the longest line, not the file
        return check_lines(script_lines(path), checker, file=path.name), []
    raise RundownError(path.name, 0, "", f"unsupported file type {suffix or '(none)'!r} (use .toml, .csv, .xlsx, .txt or .md)")


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.show.compliance import MAX_FINDINGS, MAX_FINDINGS_PER_LINE, count_findings
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
            if f.omitted:
                print(f"{f.file}:{f.line}: … and {f.omitted} more findings not listed "
                      f"(at most {MAX_FINDINGS_PER_LINE} per line, {MAX_FINDINGS} in all)")
        if findings:
            errors = sum(1 for f in findings if f.severity == "error")
            omitted = count_findings(findings) - len(findings)
            if omitted:
                print(f"{len(findings) + omitted} findings in {path.name}: {len(findings)} listed "
                      f"({errors} errors, {len(findings) - errors} warnings), {omitted} more not listed")
            else:
                print(f"{len(findings)} findings ({errors} errors, {len(findings) - errors} warnings) in {path.name}")
        else:
            print(f"{path.name}: no findings")
    return EXIT_FINDINGS if findings else EXIT_OK
