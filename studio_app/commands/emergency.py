"""``studio-console runbooks`` (check a runbook file) and ``studio-console incidents``
(the review of incidents and drills from the event log, listed apart)."""
from __future__ import annotations

import argparse
from pathlib import Path

from studio_app.commands.common import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_lang_option,
    iso_utc,
    local_time,
    print_json,
    reader_text,
)


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
    add_lang_option(p, "the text output")
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
    from studio_app.store import fetch_events, parse_since, reading_engine

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    with reading_engine(db_url) as engine:
        events = fetch_events(engine, since=since, sources=[Source.EMERGENCY.value], show_id=args.show)
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
    text = reader_text(args.lang)
    for line in incident_lines(report, text):
        print(line)
    return EXIT_OK


# The few words of the incidents listing, per language (runbook and action names come from
# the log, which has both; result words from the event catalogue).
_WORDS = {
    "en": {"incidents": "Incidents", "drills": "Drills (演练)", "open": "still open", "none": "no actions",
           "took": "{0:.0f} s", "ticks": "{0} ticks", "note": "note: {0}", "sep": "; "},
    "zh_CN": {"incidents": "应急事件", "drills": "演练", "open": "尚未关闭", "none": "无动作",
              "took": "用时 {0:.0f} 秒", "ticks": "勾选 {0} 项", "note": "备注: {0}", "sep": "；"},
}


def incident_lines(report: dict, text) -> list[str]:  # noqa: ANN001 - an EventText
    """The text listing of :func:`studio_app.show.emergency.incident_report` in ``text``'s language."""
    w, zh = _WORDS[text.lang], text.lang == "zh_CN"
    out = []
    for key in ("incidents", "drills"):
        group = report[key]
        out.append(f"{w[key]}: {len(group)}")
        for e in group:
            opened = local_time(e["opened"]) if e["opened"] else "?"
            took = w["took"].format(e["duration_s"]) if e["duration_s"] is not None else w["open"]
            results = ", ".join(f"{a.get('what_zh' if zh else 'what_en') or a['type']} {text.value(a['result'])}"
                                for a in e["actions"]) or w["none"]
            done = sum(1 for t in e["ticks"] if t["done"])
            # the English listing keeps both names, as the studio's runbooks are written in both
            name = e["name_zh"] or e["runbook"] if zh else f"{e['name_zh'] or e['runbook']} / {e['name_en']}"
            out.append(f"  {opened}  {name}  ({took}{w['sep']}{results}{w['sep']}{w['ticks'].format(done)})"
                       + (f"  {w['note'].format(e['note'])}" if e["note"] else ""))
    return out
