"""``studio-console room``: the live room's data of a show.

- ``room import SHOW_ID FILE``: an NDJSON recording (``.gz`` too) or a platform's minute CSV
- ``room alerts SHOW_ID [--rules FILE] [--json]``: the alert rules over the stored show
  (exit 0 none, 1 some, 2 bad input)
- ``room summary SHOW_ID [--json]``: totals, segments, products
- ``room replay FILE [--speed N]``: play a recording in real time, printing alerts as raised
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, CommandError, print_json

SAMPLE_SHOW = Path(__file__).resolve().parents[2] / "resources" / "shows" / "sample_show.toml"


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "room", help="the live room's numbers: import, alerts, summary, replay",
        description="Audience and sales data of the live room (resources/room/FORMAT.md): import a "
        "recording or the platform's CSV, evaluate the alert rules, summarise per segment and product.")
    sub = p.add_subparsers(dest="room_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="store an NDJSON recording or a minute-level CSV export for a show")
    imp.add_argument("show_id", metavar="SHOW_ID")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--room", metavar="ROOM", help="studio room (default: general.room of the settings)")
    imp.add_argument("--date", metavar="YYYY-MM-DD", help="CSV: the day of times written without a date")
    imp.add_argument("--json", action="store_true", help="print JSON")
    imp.set_defaults(func=run)

    for name, helptext in (("alerts", "evaluate the alert rules over a stored show"),
                           ("summary", "GMV, orders, conversion, GPM, online and interaction per segment and product")):
        c = sub.add_parser(name, help=helptext)
        c.add_argument("show_id", metavar="SHOW_ID")
        c.add_argument("--rundown", metavar="FILE", help="the show's rundown (segments, products, target_gmv); "
                       "default: the sample show when SHOW_ID is its id")
        if name == "alerts":
            c.add_argument("--rules", metavar="FILE", help="rules over the defaults (resources/room/rules.toml)")
        c.add_argument("--json", action="store_true", help="print JSON")
        c.set_defaults(func=run)

    sv = sub.add_parser("serve", help="run the live ingest endpoint headless: store, evaluate and log what arrives")
    sv.add_argument("show_id", metavar="SHOW_ID")
    sv.add_argument("--listen", metavar="[HOST:]PORT", default=None,
                    help="interface and port (default: room.ingest_host:room.ingest_port of the settings, "
                    "127.0.0.1:8810); token from $STUDIO_ROOM_TOKEN or the secrets store")
    sv.add_argument("--rules", metavar="FILE", help="rules over the defaults")
    sv.add_argument("--rundown", metavar="FILE", help="the show's rundown (target_gmv, stock)")
    sv.add_argument("--room", metavar="ROOM", help="studio room (default: general.room of the settings)")
    sv.set_defaults(func=run)

    rp = sub.add_parser("replay", help="play a recording in real time (labelled 回放/REPLAY), printing alerts")
    rp.add_argument("file", metavar="FILE", nargs="?", help="NDJSON recording (default: the sample recording)")
    rp.add_argument("--speed", type=float, default=1.0, metavar="N", help="N times real time (default 1)")
    rp.add_argument("--rules", metavar="FILE", help="rules over the defaults")
    rp.add_argument("--rundown", metavar="FILE", help="the show's rundown (default: the sample show)")
    rp.set_defaults(func=run)


def _load_show(path: str | None, show_id: str | None) -> Any:
    from studio_app.show.errors import RundownError
    from studio_app.show.rundown import load_rundown

    if path is None:
        if show_id is not None:
            try:
                sample = load_rundown(SAMPLE_SHOW)
            except RundownError:
                return None
            return sample if sample.id == show_id else None
        path = str(SAMPLE_SHOW)
    try:
        return load_rundown(Path(path))
    except RundownError as exc:
        raise CommandError(f"--rundown: {exc}") from None
    except OSError as exc:
        raise CommandError(f"--rundown: {path}: {exc.strerror or exc}") from None


def _load_rules(path: str | None) -> dict:
    from studio_app.room.rules import RulesError, load_rules

    try:
        return load_rules(path)
    except RulesError as exc:
        raise CommandError(f"--rules: {exc}") from None


def _default_room(args: argparse.Namespace) -> str | None:
    if getattr(args, "room", None):
        return args.room
    from studio_app.core.settings import Settings

    return Settings().get("general.room") or None


def run(args: argparse.Namespace, db_url: str) -> int:
    if args.room_command == "replay":
        return _replay(args)
    if args.room_command == "serve":
        return _serve(args, db_url)
    if args.room_command == "alerts":
        # A SQLite log at the newest schema is read without SQLAlchemy (a third of the start-up).
        from studio_app.store.direct import open_log_at_head, read_room_columns

        conn = open_log_at_head(db_url)
        if conn is not None:
            try:
                return _alerts(args, lambda: read_room_columns(conn, args.show_id))
            finally:
                conn.close()
    from studio_app.store import open_engine, upgrade_database

    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        if args.room_command == "import":
            return _import(args, engine)
        if args.room_command == "alerts":
            from studio_app.store.room import fetch_room_columns

            return _alerts(args, lambda: fetch_room_columns(engine, args.show_id))
        return _summary(args, engine)
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------- import
def _read_file(args: argparse.Namespace, show: Any) -> tuple[list, list, dict[str, Any]]:
    """(messages, errors located, notes) of FILE; CommandError when it cannot be read at all."""
    from studio_app.room.csvimport import RoomCsvError, parse_room_csv
    from studio_app.room.replay import read_recording

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        day = None
        if args.date:
            try:
                day = dt.date.fromisoformat(args.date)
            except ValueError:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {args.date!r}") from None
        tz = None
        if show is not None and show.planned_start is not None:
            day = day or show.planned_start.date()
            tz = show.planned_start.tzinfo
        try:
            result = parse_room_csv(path, day=day, tz=tz)
        except RoomCsvError as exc:
            raise CommandError(str(exc)) from None
        return result.messages, [], {"mapped": result.mapped, "ignored": result.ignored, "summed": result.summed}
    try:
        messages, errors = read_recording(path)
    except (OSError, EOFError) as exc:
        raise CommandError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text (room recordings are UTF-8 NDJSON)") from None
    return messages, errors, {}


def _import(args: argparse.Namespace, engine: Any) -> int:
    from studio_app.room.ingest import RoomIngest
    from studio_app.store.room import fetch_room_messages, save_room_messages

    show_id = args.show_id.strip()
    if not show_id or len(show_id) > 64:
        raise CommandError(f"SHOW_ID must be 1 to 64 characters, not {args.show_id!r}")
    messages, parse_errors, notes = _read_file(args, _load_show(None, show_id))
    if not messages and not parse_errors:
        raise CommandError(f"{args.file}: no messages in the file")
    accepted: list = []
    # the whole stored show is learnt, so that a file imported again is all duplicates
    ingest = RoomIngest(show_id, on_accept=[accepted.append], dedup_span_s=None)
    before = ingest.prime(fetch_room_messages(engine, show_id))
    result = ingest.submit(sorted(messages, key=lambda m: m.ts), where=lambda i: f"message {i}")
    errors = parse_errors + result.refused
    if accepted:
        save_room_messages(engine, show_id, accepted, room=_default_room(args))
    kinds = Counter(m.type for m in accepted)
    ignored_fields = sorted(set(result.ignored_fields))
    report = {"show": show_id, "file": str(args.file), "accepted": len(accepted), "already_stored": before,
              "types": dict(kinds), "refused": len(errors),
              "reasons": dict(Counter(e.reason for e in errors)),
              "errors": [{"where": e.where, "reason": e.reason, "message": e.message} for e in errors[:50]],
              "mapped": notes.get("mapped", {}), "ignored": notes.get("ignored", []) + ignored_fields,
              "summed": notes.get("summed", [])}
    if args.json:
        print_json(report)
    else:
        what = ", ".join(f"{n} {t}" for t, n in kinds.most_common()) or "nothing new"
        print(f"imported {len(accepted)} messages into show {show_id} ({what})")
        if notes.get("mapped"):
            print("mapped: " + ", ".join(f"{h} → {f}" for h, f in notes["mapped"].items()))
        if notes.get("summed"):
            print("per-minute columns summed into totals: " + ", ".join(notes["summed"]))
        if report["ignored"]:
            print("ignored: " + ", ".join(report["ignored"]))
        if errors:
            print(f"refused {len(errors)}: " + ", ".join(f"{n} {r}" for r, n in report["reasons"].items()))
            for e in errors[:10]:
                print(f"  {args.file}: {e}")
            if len(errors) > 10:
                print(f"  ... {len(errors) - 10} more (--json lists 50)")
    if not accepted and errors and not all(e.reason == "duplicate" for e in errors):
        return 2
    return EXIT_FINDINGS if errors and any(e.reason != "duplicate" for e in errors) else EXIT_OK


# ---------------------------------------------------------------------------------- alerts, summary
def _stored(engine: Any, show_id: str) -> Any:
    """The show's messages."""
    from studio_app.store.room import fetch_room_messages

    return _some(fetch_room_messages(engine, show_id), show_id)


def _some(messages: Any, show_id: str) -> Any:
    """``messages``, or CommandError when the show has none stored."""
    if not len(messages):
        raise CommandError(f"no room data for show {show_id!r}: import it with 'studio-console room import "
                           f"{show_id} FILE'")
    return messages


def _spans(engine: Any, show_id: str, show: Any, messages: list) -> list:
    """Segments as they ran (the desk's cue events), else the rundown laid out from the first message."""
    from studio_app.report.review import segment_runs
    from studio_app.room.summary import Span
    from studio_app.store import fetch_event_records

    events = [r.event for r in fetch_event_records(engine, show_id=show_id, sources=["cue"])]
    runs, _, _ = segment_runs(events)
    end = messages[-1].ts + 1
    spans = []
    for i, run in enumerate(runs):
        if run.started_wall is None:
            continue
        stop = run.started_wall + run.actual_s if run.actual_s is not None else (
            runs[i + 1].started_wall if i + 1 < len(runs) and runs[i + 1].started_wall else end)
        spans.append(Span(run.segment, run.title, run.started_wall, stop))
    if spans or show is None:
        return spans
    t = messages[0].ts
    for seg in show.segments:
        spans.append(Span(seg.id, seg.title, t, t + float(seg.duration)))
        t += float(seg.duration)
    return spans


def _alerts(args: argparse.Namespace, read: Callable[[], Any]) -> int:
    """``read``: the stored show's messages as columns (read after the rules and the rundown
    were found fine)."""
    from studio_app.room.rules import ShowPlan, evaluate

    rules = _load_rules(args.rules)
    show = _load_show(args.rundown, args.show_id)
    messages = _some(read(), args.show_id)
    plan = ShowPlan.from_show(show) if show is not None else None
    alerts = evaluate(messages, rules, plan)
    if args.json:
        print_json([a.to_json() for a in alerts])
    elif not alerts:
        print(f"no alerts for show {args.show_id} ({len(messages)} messages)")
    else:
        from studio_app.commands.common import local_time

        for a in alerts:
            until = f" until {local_time(a.cleared_at)[11:19]}" if a.cleared_at is not None else ""
            proposal = f" → runbook {a.runbook}" if a.runbook else (f" → {a.action}" if a.action else "")
            print(f"{local_time(a.ts)[:19]}{until}  {a.severity:<7} {a.rule:<17} {a.message}{proposal}")
    return EXIT_FINDINGS if alerts else EXIT_OK


def _summary(args: argparse.Namespace, engine: Any) -> int:
    from studio_app.room.summary import summarise

    show = _load_show(args.rundown, args.show_id)
    messages = _stored(engine, args.show_id)
    names = {p.sku: p.name for p in show.products} if show is not None else None
    result = summarise(messages, _spans(engine, args.show_id, show, messages), names)
    if args.json:
        print_json(result)
        return EXIT_OK
    s = result["show"]
    fmt = lambda v, spec="": "-" if v is None else format(v, spec)  # noqa: E731
    print(f"show {args.show_id}: GMV ¥{fmt(s['gmv'], ',.2f')}, {fmt(s['orders'])} orders, "
          f"{fmt(s['viewers'])} viewers, conversion {fmt(s['conversion'], '.2%')}, GPM {fmt(s['gpm'], ',.1f')}, "
          f"online avg {fmt(s['online_avg'], ',.0f')} / peak {fmt(s['online_peak'])}")
    print(f"{'segment':<12} {'GMV':>11} {'orders':>7} {'conv':>7} {'GPM':>8} {'online':>7} {'peak':>6} {'interact':>9}")
    for g in result["segments"]:
        print(f"{g['id']:<12} {fmt(g['gmv'], ',.0f'):>11} {fmt(g['orders']):>7} {fmt(g['conversion'], '.2%'):>7} "
              f"{fmt(g['gpm'], ',.0f'):>8} {fmt(g['online_avg'], ',.0f'):>7} {fmt(g['online_peak']):>6} "
              f"{fmt(g['interaction_rate'], '.3f'):>9}")
    if result["products"]:
        print(f"{'sku':<10} {'sold':>6} {'GMV':>11} {'clicks':>7}  sold out")
        for p in result["products"]:
            print(f"{p['sku']:<10} {fmt(p['sold']):>6} {fmt(p['gmv'], ',.0f'):>11} {fmt(p['clicks']):>7}  "
                  f"{p['sold_out_at'] or '-'}  {p['name']}")
    return EXIT_OK


# ---------------------------------------------------------------------------------- replay
def _replay(args: argparse.Namespace) -> int:
    from studio_app.commands.common import local_time
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.replay import LABEL, SAMPLE_RECORDING, Replay, read_recording
    from studio_app.room.rules import RoomWatch, ShowPlan

    if not args.speed > 0:
        raise CommandError(f"--speed must be above 0, got {args.speed:g}")
    path = Path(args.file) if args.file else SAMPLE_RECORDING
    try:
        messages, errors = read_recording(path)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    for e in errors[:5]:
        print(f"{path}: {e}", file=sys.stderr)
    show = _load_show(args.rundown, None)
    watch = RoomWatch(_load_rules(args.rules), ShowPlan.from_show(show) if show is not None else None)
    raised = 0

    def on_message(msg: Any) -> None:
        nonlocal raised
        for change in watch.feed(msg):
            a = change.alert
            if change.state == "raised":
                raised += 1
            print(f"[{LABEL}] {local_time(change.ts)[11:19]} {change.state:<7} {a.rule:<17} {a.message}", flush=True)

    ingest = RoomIngest(None, on_accept=[on_message])
    replay = Replay(messages, lambda m: ingest.submit([m], "replay"), speed=args.speed)
    print(f"[{LABEL}] {path.name}: {len(messages)} messages over {replay.duration_s:.0f} s at {args.speed:g}x",
          flush=True)
    try:
        replay.run()
    except KeyboardInterrupt:
        replay.stop()
    for change in watch.finish():
        print(f"[{LABEL}] end     cleared {change.alert.rule:<17} {change.alert.message}")
    counts = ingest.counts()
    print(f"[{LABEL}] delivered {replay.delivered}, accepted {counts.pop('accepted')}, alerts {raised}"
          + (f", refused {counts}" if counts else ""))
    return EXIT_OK


# ---------------------------------------------------------------------------------- serve
def _serve(args: argparse.Namespace, db_url: str) -> int:
    """The endpoint without the desk (a studio PC in the back, the tests): until SIGINT/SIGTERM."""
    import signal
    import threading

    from studio_app.core.secrets import ROOM_TOKEN, remote_token
    from studio_app.core.settings import Settings
    from studio_app.remote.room_ingest import RoomIngestConfig, RoomIngestServer, parse_listen
    from studio_app.remote.server import RemoteError
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.live import RoomLive
    from studio_app.room.rules import ShowPlan
    from studio_app.store import EventLog, open_engine, upgrade_database
    from studio_app.store.room import RoomRecorder

    settings = Settings()
    rules = _load_rules(args.rules or settings.get("room.rules") or None)
    show = _load_show(args.rundown, args.show_id)
    config = RoomIngestConfig.from_settings(settings, remote_token(key=ROOM_TOKEN))
    if args.listen:
        try:
            config.host, config.port = parse_listen(args.listen)
        except ValueError as exc:
            raise CommandError(f"--listen: {exc}") from None
    engine = open_engine(db_url)
    upgrade_database(engine)
    room = _default_room(args)
    recorder = RoomRecorder(engine, args.show_id, room=room)
    log = EventLog(db_url, room=room)
    log.start()
    live = RoomLive(rules, ShowPlan.from_show(show) if show is not None else None, show_id=args.show_id, log=log)
    ingest = RoomIngest(args.show_id, log=log, on_accept=[recorder.record, live.accept])
    server = RoomIngestServer(ingest, config)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    try:
        try:
            server.start()
        except RemoteError as exc:
            raise CommandError(str(exc)) from None
        live.start_ticker()
        print(f"room ingest for show {args.show_id} listening on {server.url}/messages", flush=True)
        done.wait()
    finally:
        server.stop()
        live.close()
        recorder.close()
        log.close()
        engine.dispose()
    counts = ingest.counts()
    print(f"stopped: accepted {counts.pop('accepted')}, stored {recorder.written}"
          + (f", refused {counts}" if counts else ""), flush=True)
    return EXIT_OK
