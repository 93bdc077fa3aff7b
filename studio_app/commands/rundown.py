"""``studio-console rundown show|convert FILE``: what the console reads in a team's own
script spreadsheet (.xlsx or .csv), and the TOML rundown made from it.

- ``rundown show FILE [--json] [--products FILE]`` prints the mapping: the header row and
  what each column means, the show (title, planned start, anchors, target), the segments,
  the products (matched on the products sheet or bare cards), the coupon rules spotted as
  suggested drops, and every guess as a warning. Exit 0: read, nothing guessed; 1: read,
  with warnings to check; 2: the file cannot be read (one located line).
- ``rundown convert FILE --out show.toml [--accept-drops] [--force]`` writes the rundown
  (atomically; an existing file only with ``--force``). Suggested drops go in as a
  commented block unless ``--accept-drops``. Exit 0 when written (warnings on stderr), 2
  on bad input or an output that cannot be written.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "rundown",
        help="read a team's script spreadsheet: show the mapping, convert it to a TOML rundown",
        description="Read a live-commerce script spreadsheet as teams write it (Excel, WPS, 飞书, 腾讯文档: "
        "title and info rows, 时间段 | 环节 | 时长 | 产品 | 直播话术 | 福利/互动 | 场控配合 | 备注).",
    )
    sub = p.add_subparsers(dest="rundown_command", metavar="show|convert", required=True)
    show = sub.add_parser("show", help="print what was read and every guess",
                          description="Exit 0: read with no guesses; 1: read, with warnings to check; 2: unreadable.")
    show.add_argument("file", metavar="FILE", help="the script (.xlsx or .csv)")
    show.add_argument("--json", action="store_true", help="print the mapping as JSON")
    show.add_argument("--products", metavar="FILE", help="products sheet for a CSV script (.csv or .xlsx)")
    show.set_defaults(func=run_show)
    conv = sub.add_parser("convert", help="write the TOML rundown the team can keep",
                          description="Exit 0: written (warnings on stderr); 2: bad input or output.")
    conv.add_argument("file", metavar="FILE", help="the script (.xlsx or .csv)")
    conv.add_argument("--out", metavar="FILE.toml", required=True, help="the rundown to write")
    conv.add_argument("--products", metavar="FILE", help="products sheet for a CSV script (.csv or .xlsx)")
    conv.add_argument("--accept-drops", action="store_true",
                      help="schedule the suggested coupon drops and flash sales (default: a commented block to confirm)")
    conv.add_argument("--force", action="store_true", help="replace an existing --out file")
    conv.set_defaults(func=run_convert)


def _read(args: argparse.Namespace):
    from studio_app.show.errors import RundownError
    from studio_app.show.spreadsheet import read_spreadsheet

    try:
        return read_spreadsheet(Path(args.file), products_file=args.products)
    except RundownError as exc:
        raise CommandError(str(exc)) from None


def run_show(args: argparse.Namespace, db_url: str) -> int:
    result = _read(args)
    if args.json:
        print_json(result.report())
    else:
        print(describe(result.report()))
    return EXIT_FINDINGS if result.warnings else EXIT_OK


def describe(r: dict) -> str:
    """The mapping report in plain lines, as ``rundown show`` prints it."""
    s = r["show"]
    where = r["file"] + (f", sheet {r['sheet']}" if r["sheet"] else "") + f", header row {r['header_row']}"
    out = [f"{s['title']}  ({where})"]
    facts = [f"platform {s['platform']}", f"planned start {s['planned_start'] or '-'}",
             f"anchors {'、'.join(s['anchors']) or '-'}"]
    if s["desk"]:
        facts.append(f"desk {'、'.join(s['desk'])}")
    if s["target_gmv"] is not None:
        facts.append(f"target GMV ¥{s['target_gmv']:,.0f}")
    out.append("  " + " · ".join(facts))
    from studio_app.show.sheet_import import SEGMENT_COLUMNS, label

    def read_as(field: str) -> str:
        return label(SEGMENT_COLUMNS, field) if field in SEGMENT_COLUMNS else "not used"

    out.append("columns: " + ", ".join(f"{c['column']} {c['header']} → {read_as(c['field'])}" for c in r["columns"]))
    out.append("segments:")
    for i, seg in enumerate(r["segments"], start=1):
        start = seg["planned_start"] or ""
        start = start[11:16] if len(start) > 10 else start
        kind = seg["kind"] + ("?" if seg["kind_guessed"] else "")
        minutes = seg["duration_s"] / 60
        length = f"{minutes:g}m" if float(minutes).is_integer() else f"{seg['duration_s']:g}s"
        products = ",".join(seg["products"]) or "-"
        section = f"  [{seg['section']}]" if seg["section"] else ""
        out.append(f"  {i:>3} {start:>5} {length:>5}  {seg['id']:<10} {seg['title']}  ({kind}; {products}; row {seg['row']}){section}")
    out.append("products:")
    for p in r["products"]:
        price = f" ¥{p['live_price']:g}" if p["live_price"] is not None else ""
        out.append(f"  {p['sku']}  {p['name']}{price}  ({'products sheet' if p['source'] == 'sheet' else 'bare card'})")
    if r["suggested_drops"]:
        out.append("suggested drops (confirm at the desk):")
        for d in r["suggested_drops"]:
            out.append(f"  {d['segment']} (row {d['row']}): {d['kind']} {d['rule']}" + (f" on {d['product']}" if d["product"] else ""))
    if r["warnings"]:
        out.append(f"{len(r['warnings'])} warnings:")
        out += [f"  {w}" for w in r["warnings"]]
    else:
        out.append("no warnings")
    out.append("(kind? = guessed from the title)")
    return "\n".join(out)


def run_convert(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.show.errors import RundownError
    from studio_app.show.rundown import loads_rundown
    from studio_app.show.sheet_import import dumps_import

    out = Path(args.out)
    if out.suffix.lower() != ".toml":
        raise CommandError(f"--out {out}: a rundown is written as .toml")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise CommandError(f"--out {out}: {exc.strerror or exc}") from None
    import stat

    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise CommandError(f"--out {out}: not a regular file; refusing to replace it")
        if not args.force:
            raise CommandError(f"--out {out}: already exists (add --force to replace it)")
    result = _read(args)
    text = dumps_import(result, None if args.accept_drops else ())
    try:
        loads_rundown(text, out.name)  # never write a rundown the desk cannot open
    except RundownError as exc:
        raise CommandError(f"cannot convert {Path(args.file).name}: {exc}") from None
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CommandError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"wrote {out}: {len(result.show.segments)} segments, {len(result.show.products)} products"
          + (f", {len(result.drops)} suggested drops " + ("scheduled" if args.accept_drops else "left commented") if result.drops else ""))
    return EXIT_OK
