"""Reading a show's review from the event log (through :mod:`studio_app.store` only).

Blocking database work: call it from a command or a worker thread, never the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from studio_app.report.review import PRESHOW_WINDOW_S, ShowReview, build_review, latest_runs, show_window
from studio_app.show.sales import ScoreWeights

# The desk's own sources: every event they log carries the show id.
SHOW_SOURCES = ("cue", "show", "desk")


class UnknownShow(LookupError):
    """No event of that show (in those rooms) is in the log."""


@dataclass(frozen=True)
class ShowEntry:
    """A show in the log, for pickers: id, rooms it ran in, first event (UTC seconds)."""

    show_id: str
    rooms: tuple[str | None, ...]
    started_wall: float


def list_shows(engine: Any) -> list[ShowEntry]:
    """Shows the desk ran (a ``cue.start``, ``cue.resumed`` or ``cue.end`` logged), newest first."""
    from studio_app.store import fetch_event_records

    found: dict[str, tuple[set, float]] = {}
    for rec in fetch_event_records(engine, sources=["cue"], kinds=["cue.start", "cue.resumed", "cue.end"]):
        sid = rec.event.show_id
        if not sid:
            continue
        rooms, first = found.get(sid, (set(), rec.event.wall_time))
        rooms.add(rec.room)
        found[sid] = (rooms, min(first, rec.event.wall_time))
    entries = [ShowEntry(sid, tuple(sorted(rooms, key=lambda r: (r is not None, r or ""))), t)
               for sid, (rooms, t) in found.items()]
    entries.sort(key=lambda e: e.started_wall, reverse=True)
    return entries


def latest_show(engine: Any, rooms: Sequence[str | None] | None = None) -> str | None:
    """The show of the newest event the desk logged (in ``rooms``), or None."""
    from studio_app.store import fetch_events

    newest = fetch_events(engine, sources=list(SHOW_SOURCES), rooms=rooms, newest_first=True, limit=1)
    return newest[0].show_id if newest else None


def load_review(
    engine: Any,
    show_id: str,
    *,
    rooms: Sequence[str | None] | None = None,
    rundown: str | Path | None = None,
    weights: ScoreWeights | None = None,
) -> ShowReview:
    """The review of ``show_id`` from the log: the show's events in ``rooms`` (default:
    every room it ran in), the device and self-test events of those rooms around it, the
    sales figures with the same rooms' other shows for comparison. ``rundown``: the show
    file, for product names and segments never run (optional; a broken file raises
    :class:`studio_app.show.errors.RundownError`). Raises :class:`UnknownShow`."""
    from studio_app.store import fetch_event_records, fetch_figures
    from studio_app.store.queries import show_start_times

    room_list = list(rooms) if rooms else None
    own = fetch_event_records(engine, show_id=show_id, rooms=room_list)
    if not own:
        where = f" in room {', '.join(str(r) for r in room_list)}" if room_list else ""
        raise UnknownShow(f"no events of show {show_id!r}{where} in the log")
    if room_list is None:
        room_list = sorted({r.room for r in own}, key=lambda r: (r is not None, r or ""))
    kept, _earlier = latest_runs([r.event for r in own], [r.room for r in own])
    start, end, _ended = show_window(kept)
    around = fetch_event_records(engine, since=start - PRESHOW_WINDOW_S, until=end + 0.001, rooms=room_list)
    seen = {r.event.seq for r in own}
    records = sorted(own + [r for r in around if r.event.seq not in seen and r.event.show_id is None],
                     key=lambda r: (r.event.wall_time, r.event.seq))
    events = [r.event for r in records]

    names: dict[str, str] = {}
    title = ""
    planned = None
    show = None
    if rundown is not None:
        from studio_app.show.rundown import load_rundown

        show = load_rundown(Path(rundown))
        names = {p.sku: p.name for p in show.products}
        title = show.title
        if show.id == show_id:
            planned = [(s.id, s.title, float(s.duration)) for s in show.segments]

    named_rooms = [r for r in room_list if r is not None]
    figures = fetch_figures(engine, rooms=named_rooms) if named_rooms else fetch_figures(engine)
    mine = [f for f in fetch_figures(engine, show_ids=[show_id]) if f not in figures]
    figures = list(figures) + mine
    starts = show_start_times(engine, {f.show_id for f in figures}) if figures else {}
    review = build_review(show_id, events, rooms=room_list, names=names, title=title, planned=planned,
                          figures=figures, starts=starts, weights=weights, event_rooms=[r.room for r in records])
    from studio_app.report.room import room_review
    from studio_app.store.room import fetch_room_messages

    messages = fetch_room_messages(engine, show_id)
    alerts = []
    if messages and not any(e.kind == "room.alert" for e in events):
        # Imported after the show (no live alerts in the log): the same rules, offline.
        from studio_app.room.rules import ShowPlan, evaluate, load_rules

        alerts = evaluate(messages, load_rules(), ShowPlan.from_show(show) if show is not None else None)
    review.room = room_review(review, messages, events, names, alerts)
    if review.room is not None and review.sales is None:
        # No figures typed in (sales add stays for shows without a feed): the score comes from
        # the room's own numbers, against the room's other shows.
        from studio_app.report.review import sales_review
        from studio_app.show.sales import SalesFigures

        def figures_of(segment_id: str | None, f: dict) -> SalesFigures:
            interactions = (f.get("comments") or 0) + (f.get("likes") or 0)
            return SalesFigures(show_id, segment_id, room_list[0] if room_list else None, f.get("gmv"),
                                f.get("orders"), f.get("viewers"), f.get("conversion"), interactions or None, "room")

        summary = review.room.summary
        mine = [figures_of(None, summary["show"])] + [figures_of(g["id"], g) for g in summary["segments"]]
        review.sales = sales_review(show_id, list(figures) + mine, {**starts, show_id: review.started_wall or 0.0},
                                    weights)
    review.clips, review.clips_folder = read_clips(show_id)
    return review


CLIPS_INDEX = "clips.json"
THUMBNAIL_MAX_BYTES = 256 * 1024


def read_clips(show_id: str, folder: Path | None = None) -> tuple[list[dict[str, Any]], str]:
    """The clips cut for ``show_id`` (its ``clips.json`` in the default clips folder), each
    with its thumbnail inlined as a data: URI for a self-contained report."""
    import base64
    import json

    from studio_app.core.paths import clips_dir

    folder = folder or clips_dir(show_id)
    try:
        data = json.loads((folder / CLIPS_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], ""
    clips = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict) or not item.get("file"):
            continue
        entry = dict(item)
        thumb = folder / str(item.get("thumbnail") or "")
        try:
            if item.get("thumbnail") and thumb.is_file() and thumb.stat().st_size <= THUMBNAIL_MAX_BYTES:
                entry["thumbnail_data"] = "data:image/jpeg;base64," + base64.b64encode(thumb.read_bytes()).decode()
        except OSError:
            pass
        clips.append(entry)
    return clips, str(folder)
