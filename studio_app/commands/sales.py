"""``studio-console sales``: the platform's sales figures per show, and the show score.

- ``sales add SHOW [--segment S] --gmv N --orders N --viewers N --conversion 3.5% --interactions N``
- ``sales import SHOW FILE.csv``: one row per segment (headers 环节/segment, 成交额/GMV,
  订单/orders, 观看/viewers, 转化率/conversion, 互动/interactions)
- ``sales score [SHOW ...] [--room R] [--weights gmv=50,conversion=30,interaction=20] [--json]``
"""
from __future__ import annotations

import argparse

from studio_app.commands.common import EXIT_OK, CommandError, iso_utc, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "sales",
        help="enter or import sales figures, and score shows",
        description="Sales figures the platform shows (GMV, orders, viewers, conversion, interactions), "
        "per show or per segment, and a weighted score to compare shows.",
    )
    sub = p.add_subparsers(dest="sales_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="enter figures by hand (replaces earlier ones of the same show/segment/room)")
    add.add_argument("show_id", metavar="SHOW_ID")
    add.add_argument("--segment", metavar="SEGMENT_ID", help="a segment of the show (default: the whole show)")
    add.add_argument("--room", metavar="ROOM", help="studio room (default: general.room of the settings)")
    add.add_argument("--gmv", metavar="AMOUNT", help="成交额, e.g. 12345.6, ¥1.2万")
    add.add_argument("--orders", metavar="N", help="订单数")
    add.add_argument("--viewers", metavar="N", help="观看人数/人次")
    add.add_argument("--conversion", metavar="RATE", help="转化率: 3.5%% or 0.035")
    add.add_argument("--interactions", metavar="N", help="互动数")
    add.set_defaults(func=run)

    imp = sub.add_parser("import", help="import a CSV with one row per segment")
    imp.add_argument("show_id", metavar="SHOW_ID")
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--room", metavar="ROOM", help="studio room (default: general.room of the settings)")
    imp.set_defaults(func=run)

    score = sub.add_parser("score", help="score shows against each other (0-100)")
    score.add_argument("show_ids", nargs="*", metavar="SHOW_ID", help="shows to compare (default: all with figures)")
    score.add_argument("--room", action="append", metavar="ROOM", help="only figures of ROOM (repeatable)")
    score.add_argument("--weights", metavar="W", help="e.g. gmv=50,conversion=30,interaction=20 (the default)")
    score.add_argument("--json", action="store_true", help="print JSON")
    score.set_defaults(func=run)


def _default_room(args: argparse.Namespace) -> str | None:
    if getattr(args, "room", None):
        return args.room
    from studio_app.core.settings import Settings

    return Settings().get("general.room") or None


def run(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.show.sales import SalesFileError, ScoreWeights, parse_conversion, parse_number, score_shows, show_totals
    from studio_app.store import enter_figures, fetch_figures, import_sales_csv, reading_engine, writing_engine
    from studio_app.store.queries import show_start_times

    weights = None
    if args.sales_command == "score" and args.weights:
        try:
            weights = ScoreWeights.parse(args.weights)
        except ValueError as exc:
            raise CommandError(f"--weights: {exc}") from None
    values = {}
    if args.sales_command == "add":
        for name in ("gmv", "orders", "viewers", "interactions", "conversion"):
            text = getattr(args, name)
            if text is None:
                continue
            try:
                values[name] = parse_conversion(text) if name == "conversion" else parse_number(
                    text, integer=name != "gmv")
            except ValueError as exc:
                raise CommandError(f"--{name}: {exc}") from None
        if not values:
            raise CommandError("give at least one figure: --gmv, --orders, --viewers, --conversion or --interactions")

    # add and import write figures; score only reads, and must not create a log where none is
    opening = reading_engine if args.sales_command == "score" else writing_engine
    with opening(db_url) as engine:
        if args.sales_command == "add":
            try:
                f = enter_figures(engine, args.show_id, segment_id=args.segment, room=_default_room(args), **values)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            where = f" segment {f.segment_id}" if f.segment_id else ""
            print(f"saved figures for show {f.show_id}{where}")
            return EXIT_OK
        if args.sales_command == "import":
            try:
                figures = import_sales_csv(engine, args.show_id, args.file, room=_default_room(args))
            except SalesFileError as exc:
                raise CommandError(str(exc)) from None
            print(f"imported {len(figures)} segments for show {args.show_id} from {args.file}")
            return EXIT_OK
        figures = fetch_figures(engine, show_ids=args.show_ids or None, rooms=args.room)
        by_show: dict[str, list] = {}
        for f in figures:
            by_show.setdefault(f.show_id, []).append(f)
        missing = [s for s in args.show_ids if s not in by_show]
        if missing:
            raise CommandError(f"no sales figures for show {', '.join(missing)}: enter them with 'sales add' or 'sales import'")
        if not by_show:
            raise CommandError("no sales figures yet: enter them with 'sales add' or 'sales import'")
        starts = show_start_times(engine, list(by_show))
    totals = [show_totals(fs, started_at=starts.get(sid)) for sid, fs in by_show.items()]
    # Over time: shows with a known start in start order, then the others by id.
    totals.sort(key=lambda t: (t.started_at is None, t.started_at or 0.0, t.show_id))
    scores = score_shows(totals, weights)
    w = (weights or ScoreWeights()).normalised()
    if args.json:
        print_json({
            "weights": w,
            "shows": [
                {
                    "show_id": s.show_id,
                    "score": s.score,
                    "parts": s.parts,
                    "missing": list(s.missing),
                    "started_at": iso_utc(s.totals.started_at) if s.totals and s.totals.started_at else None,
                    "room": s.totals.room if s.totals else None,
                    "gmv": s.totals.gmv if s.totals else None,
                    "orders": s.totals.orders if s.totals else None,
                    "viewers": s.totals.viewers if s.totals else None,
                    "conversion": s.totals.conversion if s.totals else None,
                    "interactions": s.totals.interactions if s.totals else None,
                }
                for s in scores
            ],
        })
        return EXIT_OK
    print(f"weights: GMV {w['gmv']:.0%}, conversion {w['conversion']:.0%}, interaction {w['interaction']:.0%}")
    print(f"{'show':<20} {'score':>6} {'GMV':>12} {'orders':>7} {'viewers':>8} {'conv':>6} {'interact':>9}  missing")
    for s in scores:
        t = s.totals
        assert t is not None
        fmt = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
        print(f"{s.show_id:<20} {s.score:>6.1f} {fmt(t.gmv, ',.2f'):>12} {fmt(t.orders, 'd'):>7} "
              f"{fmt(t.viewers, 'd'):>8} {fmt(t.conversion, '.2%'):>6} {fmt(t.interactions, 'd'):>9}  "
              f"{', '.join(s.missing)}")
    return EXIT_OK
