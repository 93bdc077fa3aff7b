"""``studio-console runbooks`` (check a runbook file) and ``studio-console incidents``
(the review of incidents and drills from the event log, listed apart)."""
from __future__ import annotations

import argparse
from pathlib import Path

from studio_app.commands.common import EXIT_OK, EXIT_USAGE, CommandError, iso_utc, local_time, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "runbooks",
        help="check and list the emergency runbooks (应急预案)",
        description="Read a runbook file (default: the studio's resources/runbooks/runbooks.toml), "
                    "report the first problem as file:line: field: problem, or list the runbooks.",
    )
    p.add_argument("file", nargs="?", help="runbook TOML file (default: the installed one)")
    p.add_argument("--json", action="store_true", help="print the runbooks as JSON")
    p.set_defaults(func=run_runbooks)

    p = subparsers.add_parser(
        "incidents",
        help="review incidents and drills from the event log",
        description="Incidents (real) and drills (演练) from the event log, listed apart: "
                    "opened/closed, actions with results, checklist ticks, closing note.",
    )
    p.add_argument("--since", metavar="WHEN", help="only since WHEN: 10m, 2h, 1d, or an ISO time")
    p.add_argument("--show", metavar="SHOW_ID", help="only events of this show")
    p.add_argument("--json", action="store_true", help='print {"incidents": [...], "drills": [...]}')
    p.set_defaults(func=run_incidents)


def run_runbooks(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.show.emergency import RunbookError, default_runbooks_path
    from studio_app.studio.runbooks import load_checked as load_runbooks

    path = Path(args.file) if args.file else default_runbooks_path()
    try:
        books = load_runbooks(path)
    except RunbookError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    if args.json:
        print_json({"file": str(path), "runbooks": [
            {"id": r.id, "name_zh": r.name.zh, "name_en": r.name.en, "key": r.key,
             "roles": [{"name_zh": x.name.zh, "name_en": x.name.en} for x in r.roles],
             "checklist": [{"zh": c.zh, "en": c.en} for c in r.checklist],
             "actions": [{"type": a.type, "params": dict(a.params), "action": a.step_name, "args": a.step_args,
                          "automatic": a.automatic} for a in r.actions],
             "triggers": [{"alarm": t.alarm, "for_at_least_s": t.for_at_least_s} for t in r.triggers]}
            for r in books]})
        return EXIT_OK
    print(f"{path}: {len(books)} runbooks OK")
    for r in books:
        auto = sum(1 for a in r.actions if a.automatic)
        triggers = ", ".join(f"{t.alarm}" + (f" ≥{t.for_at_least_s:g}s" if t.for_at_least_s else "") for t in r.triggers)
        print(f"  {r.key or '-':<7} {r.id:<14} {r.name.both()}: {len(r.actions)} actions ({auto} automatic), "
              f"{len(r.checklist)} checks" + (f"; suggested on {triggers}" if triggers else ""))
    return EXIT_OK


def run_incidents(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.core.events import Source
    from studio_app.show.emergency import incident_report
    from studio_app.store import fetch_events, open_engine, parse_since, upgrade_database

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        events = fetch_events(engine, since=since, sources=[Source.EMERGENCY.value], show_id=args.show)
    finally:
        engine.dispose()
    report = incident_report(events)
    for group in report.values():
        for entry in group:
            for key in ("opened", "closed"):
                entry[f"{key}_time"] = iso_utc(entry[key]) if entry[key] else None
            for tick in entry["ticks"]:
                tick["time"] = iso_utc(tick["wall"]) if tick.get("wall") else None
    if args.json:
        print_json(report)
        return EXIT_OK
    for title, group in (("Incidents", report["incidents"]), ("Drills (演练)", report["drills"])):
        print(f"{title}: {len(group)}")
        for e in group:
            opened = local_time(e["opened"]) if e["opened"] else "?"
            took = f"{e['duration_s']:.0f} s" if e["duration_s"] is not None else "still open"
            results = ", ".join(f"{a['type']} {a['result']}" for a in e["actions"]) or "no actions"
            done = sum(1 for t in e["ticks"] if t["done"])
            print(f"  {opened}  {e['name_zh'] or e['runbook']} / {e['name_en']}  ({took}; {results}; {done} ticks)"
                  + (f"  note: {e['note']}" if e["note"] else ""))
    return EXIT_OK
