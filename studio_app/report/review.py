"""The review of one show (复盘), assembled from its logged events: pure functions, no I/O.

:func:`build_review` takes the events of the show's time window (oldest first, any mix of
the show's own events and the device events logged around it) and returns a
:class:`ShowReview` that the HTML report and the desk's Review panel draw.

What is read (the kinds the desk and the device workers really log):

- plan against actual: ``cue.start``/``cue.go``/``cue.jump``/``cue.back``/``cue.end`` with
  their ``from``/``to`` payloads (planned and actual durations, seconds);
- product cards: ``card.<state>`` transitions (time explaining), ``card.push`` (names),
  ``stock.adjust`` (stock movement);
- coupons and flash sales: ``coupon.*``/``flash.*`` (announce, drop/start, confirm, end,
  delay, cancel, missed, blocked) with ``scheduled_wall`` and ``lateness``;
- audio (source ``mic``): loudness samples (any mic event whose payload carries
  ``short_term_lufs``, or ``lufs``), ``clipping``, ``dead_air_start``/``dead_air_end``,
  ``lost``/``stalled``/``recovered``;
- camera: ``picture_exposure`` (under = dark), ``picture_focus`` (soft),
  ``picture_signal`` (black, frozen), ``picture_white_balance`` (cast), ``source_lost``/
  ``source_recovered``;
- OBS: stats samples (any ``obs`` event whose payload carries ``stream_kbps``), ``obs.
  frames_dropped``/``frames_ok``, ``render_lag``/``render_ok``, ``congestion``,
  ``stream_reconnecting``/``stream_reconnected``, ``disconnected``/``reconnected``;
- alerts: every event of severity warning or worse; desk messages: ``message.show``;
- self-test: source ``selftest`` before the show; emergency: ``incident.*`` grouped by
  :func:`studio_app.show.emergency.incident_report` (incidents and drills apart).

All times are UTC seconds since the epoch (``*_wall``) or seconds from the show's start
(``offset``); durations are seconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from studio_app.core.event_text import EventLine
from studio_app.core.events import Severity
from studio_app.show.emergency import incident_report
from studio_app.show.sales import SalesFigures, ScoreWeights, ShowScore, ShowTotals, score_shows, show_totals

DEFAULT_TARGET_LUFS = -16.0
# Before the first show event: the self-test run and device checks of the show's set-up.
PRESHOW_WINDOW_S = 4 * 3600.0
# Loudness and stream figures are drawn as a line; more points than this are thinned by
# keeping the mean of each bucket (a 4-hour show sampled each second is 14,400 points).
MAX_SERIES_POINTS = 1200

CUE_CHANGES = ("cue.start", "cue.go", "cue.jump", "cue.back", "cue.end")


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class SegmentRun:
    """One run of a segment (a segment restarted with BACK or JUMP appears twice)."""

    segment: str
    title: str
    planned_s: float | None
    actual_s: float | None  # None: still running when the log ends
    added_s: float = 0.0  # time the desk added (+) or removed (-) on it
    started_wall: float | None = None
    planned_offset: float | None = None  # planned start from the show's start
    actual_offset: float | None = None
    room: str | None = None

    @property
    def over_under(self) -> float | None:
        """Seconds longer (+) or shorter (-) than planned."""
        if self.actual_s is None or self.planned_s is None:
            return None
        return self.actual_s - self.planned_s


@dataclass(frozen=True)
class StockMove:
    wall: float
    before: int
    after: int
    reason: str = ""

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass
class CardReview:
    sku: str
    name: str = ""
    explained: list[tuple[float, float | None]] = field(default_factory=list)  # (from, to) wall; to None = open
    stock_moves: list[StockMove] = field(default_factory=list)
    sold_out_wall: float | None = None
    last_state: str = ""
    room: str | None = None

    def explain_seconds(self, end_wall: float | None = None) -> float:
        total = 0.0
        for a, b in self.explained:
            b = end_wall if b is None else b
            if b is not None:
                total += max(0.0, b - a)
        return total

    @property
    def stock_start(self) -> int | None:
        return self.stock_moves[0].before if self.stock_moves else None

    @property
    def stock_end(self) -> int | None:
        return self.stock_moves[-1].after if self.stock_moves else None


@dataclass
class DropReview:
    """A coupon drop (发券) or flash sale (秒杀) as it went."""

    id: str
    kind: str  # "coupon" | "flash"
    label: str = ""
    scheduled_wall: float | None = None
    announced_wall: float | None = None
    fired_wall: float | None = None  # drop (coupon) / start (flash)
    confirmed_wall: float | None = None
    ended_wall: float | None = None
    lateness: float | None = None  # seconds the cue fired after its scheduled time
    confirm_after: float | None = None  # seconds from the cue to the desk's confirmation
    delays: float = 0.0  # seconds the desk delayed it by
    outcome: str = "pending"  # pending, announced, live, done, cancelled, missed
    why: str = ""  # cancel reason or why missed
    forced: bool = False  # dropped by hand ("drop now")
    room: str | None = None


@dataclass(frozen=True)
class Episode:
    """Something bad over a stretch of time (dead air, a dark picture, OBS disconnected)."""

    kind: str  # e.g. "dead_air", "dark", "soft", "black", "frozen", "lost", "disconnected"
    start_wall: float
    end_wall: float | None  # None: not over when the log ends
    message: str = ""
    room: str | None = None

    def seconds(self, end_wall: float | None = None) -> float | None:
        end = self.end_wall if self.end_wall is not None else end_wall
        return None if end is None else max(0.0, end - self.start_wall)


@dataclass(frozen=True)
class Moment:
    """One logged event shown as a line (alerts, messages, clipping, self-test)."""

    wall: float
    source: str
    kind: str
    message: str
    severity: int = Severity.INFO
    value: float | None = None


@dataclass
class AudioReview:
    loudness: list[tuple[float, float]] = field(default_factory=list)  # (wall, short-term LUFS)
    integrated_lufs: float | None = None  # the last integrated reading of the show
    target_lufs: float = DEFAULT_TARGET_LUFS
    clipping: list[Moment] = field(default_factory=list)  # value: clipped samples
    dead_air: list[Episode] = field(default_factory=list)
    outages: list[Episode] = field(default_factory=list)  # lost / stalled

    @property
    def clipped_samples(self) -> int:
        return int(sum(m.value or 0 for m in self.clipping))

    def share_near_target(self, tolerance_lu: float = 2.0) -> float | None:
        """Fraction (0..1) of loudness samples within ``tolerance_lu`` of the target."""
        if not self.loudness:
            return None
        near = sum(1 for _, v in self.loudness if abs(v - self.target_lufs) <= tolerance_lu)
        return near / len(self.loudness)


@dataclass
class ObsReview:
    kbps: list[tuple[float, float]] = field(default_factory=list)
    dropped_percent: list[tuple[float, float]] = field(default_factory=list)
    dropped_frames: int | None = None  # output frames skipped during the show (from the counters)
    episodes: list[Episode] = field(default_factory=list)  # frames_dropped, render_lag, congestion, reconnecting
    disconnects: list[Episode] = field(default_factory=list)


@dataclass
class SalesReview:
    totals: ShowTotals
    score: ShowScore
    weights: dict[str, float]
    segments: list[SalesFigures] = field(default_factory=list)
    others: list[ShowScore] = field(default_factory=list)  # the room's other shows, oldest first


@dataclass
class ShowReview:
    show_id: str
    rooms: list[str | None]
    title: str = ""
    started_wall: float | None = None  # first GO (or first event of the show)
    ended_wall: float | None = None  # cue.end (or the last event of the show)
    ended: bool = False  # the desk ended the show (False: the log just stops)
    planned_s: float | None = None
    over_under: float | None = None  # the show's end against its plan (+ later)
    segments: list[SegmentRun] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # planned (id, title) never run; needs the rundown
    cards: list[CardReview] = field(default_factory=list)
    drops: list[DropReview] = field(default_factory=list)
    audio: AudioReview = field(default_factory=AudioReview)
    camera: list[Episode] = field(default_factory=list)
    obs: ObsReview = field(default_factory=ObsReview)
    alerts: list[Moment] = field(default_factory=list)
    messages: list[Moment] = field(default_factory=list)
    selftest: list[Moment] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    drills: list[dict[str, Any]] = field(default_factory=list)
    sales: SalesReview | None = None
    event_count: int = 0
    earlier_runs: list[tuple[str, float]] = field(default_factory=list)  # (run id, first GO): rehearsals left out
    # The last ``selftest.run`` record before the show (payload of studio_app.selftest's
    # record_run: passed, counts, checks [{id, name, name_zh, status, value, threshold, detail}]).
    selftest_run: dict[str, Any] | None = None
    # The show's clips (studio-console clips / the Clips dock): clips.json entries, with
    # ``thumbnail_data`` (a data: URI of the first frame) where the thumbnail was readable.
    clips: list[dict[str, Any]] = field(default_factory=list)
    clips_folder: str = ""
    room: Any = None  # studio_app.report.room.RoomReview when the show has live-room data

    @property
    def duration_s(self) -> float | None:
        if self.started_wall is None or self.ended_wall is None:
            return None
        return self.ended_wall - self.started_wall

    def offset(self, wall: float | None) -> float | None:
        """Seconds from the show's start."""
        if wall is None or self.started_wall is None:
            return None
        return wall - self.started_wall

    @property
    def selftest_passed(self) -> bool | None:
        if self.selftest_run is not None and isinstance(self.selftest_run.get("passed"), bool):
            return self.selftest_run["passed"]
        if not self.selftest:
            return None
        return all(m.severity < Severity.ERROR for m in self.selftest)


# --------------------------------------------------------------------------- helpers
def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _payload(ev: Any) -> Mapping[str, Any]:
    p = getattr(ev, "payload", None)
    return p if isinstance(p, Mapping) else {}


def _when(ev: Any) -> float:
    """The show's own clock reading when it logged one (``at_wall``), else the log's time."""
    at = _num(_payload(ev).get("at_wall"))
    return at if at is not None else float(ev.wall_time)


def thin_series(points: Sequence[tuple[float, float]], limit: int = MAX_SERIES_POINTS) -> list[tuple[float, float]]:
    """At most ``limit`` points: the mean time and value of equal consecutive buckets."""
    n = len(points)
    if n <= limit:
        return list(points)
    out = []
    for i in range(limit):
        chunk = points[i * n // limit:(i + 1) * n // limit]
        if chunk:
            out.append((sum(p[0] for p in chunk) / len(chunk), sum(p[1] for p in chunk) / len(chunk)))
    return out


# --------------------------------------------------------------------------- sections
def segment_runs(events: Iterable[Any]) -> tuple[list[SegmentRun], float | None, bool]:
    """Runs of segments from the cue changes: (runs, final over/under, ended)."""
    runs: list[SegmentRun] = []
    current: dict[str, Any] | None = None
    over_under: float | None = None
    ended = False
    for ev in events:
        if ev.kind not in CUE_CHANGES:
            continue
        p = _payload(ev)
        wall = _when(ev)
        left = p.get("from")
        if current is not None and isinstance(left, Mapping) and left.get("segment") == current["segment"]:
            runs.append(SegmentRun(current["segment"], current["title"], _num(left.get("planned_duration")),
                                   _num(left.get("actual_duration")), _num(left.get("added")) or 0.0,
                                   current["wall"], current["planned_offset"], current["actual_offset"]))
            current = None
        elif current is not None and ev.kind in ("cue.jump", "cue.back", "cue.end"):
            # left without a duration (e.g. from hold): close it on the clock
            runs.append(SegmentRun(current["segment"], current["title"], current["planned"], wall - current["wall"],
                                   0.0, current["wall"], current["planned_offset"], current["actual_offset"]))
            current = None
        to = p.get("to")
        if isinstance(to, Mapping) and ev.kind != "cue.end":
            current = {"segment": str(to.get("segment", "")), "title": str(to.get("title", "")), "wall": wall,
                       "planned_offset": _num(to.get("planned_start")), "actual_offset": _num(to.get("actual_start")),
                       "planned": None}
        ou = _num(p.get("over_under"))
        if ou is not None:
            over_under = ou
        if ev.kind == "cue.end":
            ended = True
    if current is not None:
        runs.append(SegmentRun(current["segment"], current["title"], current["planned"], None, 0.0, current["wall"],
                               current["planned_offset"], current["actual_offset"]))
    return runs, over_under, ended


def card_reviews(events: Iterable[Any], names: Mapping[str, str] | None = None) -> list[CardReview]:
    """Per SKU: when and how long it was explained, and how its stock moved (in first-seen order)."""
    cards: dict[str, CardReview] = {}

    def card(sku: str) -> CardReview:
        if sku not in cards:
            cards[sku] = CardReview(sku, (names or {}).get(sku, ""))
        return cards[sku]

    for ev in events:
        kind = ev.kind
        if not (kind.startswith("card.") or kind.startswith("stock.")):
            continue
        p = _payload(ev)
        wall = _when(ev)
        if kind == "card.push":
            c = p.get("card")
            sku = p.get("sku") or (c.get("sku") if isinstance(c, Mapping) else None)
            if isinstance(sku, str) and isinstance(c, Mapping) and c.get("name"):
                card(sku).name = card(sku).name or str(c["name"])
            continue
        sku = p.get("sku")
        if not isinstance(sku, str):
            continue
        cr = card(sku)
        if kind == "stock.adjust":
            before, after = _num(p.get("from")), _num(p.get("to"))
            if before is not None and after is not None:
                cr.stock_moves.append(StockMove(wall, int(before), int(after), str(p.get("reason", ""))))
            continue
        if kind.startswith("card.") and "to" in p:
            to = str(p.get("to"))
            if p.get("from") == "explaining" and cr.explained and cr.explained[-1][1] is None:
                cr.explained[-1] = (cr.explained[-1][0], wall)
            if to == "explaining":
                cr.explained.append((wall, None))
            if to == "sold_out" and cr.sold_out_wall is None:
                cr.sold_out_wall = wall
            cr.last_state = to
    return list(cards.values())


_DROP_OUTCOME = {"drop": "live", "start": "live", "confirm": "live", "end": "done", "cancel": "cancelled",
                 "missed": "missed", "announce": "announced"}


def drop_reviews(events: Iterable[Any]) -> list[DropReview]:
    """Coupon drops and flash sales: scheduled, announced, fired, confirmed, with lateness."""
    drops: dict[str, DropReview] = {}
    for ev in events:
        kind = ev.kind
        if not (kind.startswith("coupon.") or kind.startswith("flash.")):
            continue
        p = _payload(ev)
        item = p.get("id")
        if not isinstance(item, str):
            continue  # coupon.pause / coupon.resume concern every drop
        action = kind.split(".", 1)[1]
        wall = _when(ev)
        d = drops.setdefault(item, DropReview(item, str(p.get("item_kind") or kind.split(".")[0])))
        d.label = str(p.get("label") or d.label)
        if action == "announce":
            d.announced_wall = d.announced_wall or wall
            d.scheduled_wall = _num(p.get("scheduled_wall")) or d.scheduled_wall
            if d.scheduled_wall is not None and p.get("drop_in") is not None:
                d.scheduled_wall = wall + float(p["drop_in"])
        elif action in ("drop", "start"):
            d.fired_wall = _num(p.get("fired_wall")) or wall
            d.scheduled_wall = _num(p.get("scheduled_wall")) or d.scheduled_wall
            d.lateness = _num(p.get("lateness"))
            d.forced = p.get("forced_wall") is not None
        elif action == "confirm":
            d.confirmed_wall = _num(p.get("confirmed_wall")) or wall
            d.confirm_after = _num(p.get("confirm_after"))
        elif action == "end":
            d.ended_wall = wall
        elif action == "delay":
            d.delays += _num(p.get("seconds")) or 0.0
        elif action == "cancel":
            d.why = str(p.get("reason") or "")  # the desk's own words
        elif action == "missed":  # the engine's words: shown in the reader's language
            d.why = EventLine(ev, str(p.get("reason") or p.get("why") or ""))
        if action in _DROP_OUTCOME:
            d.outcome = _DROP_OUTCOME[action]
    return list(drops.values())


def audio_review(events: Iterable[Any]) -> AudioReview:
    a = AudioReview()
    series: list[tuple[float, float]] = []
    dead_start: tuple[float, str] | None = None
    out_start: tuple[float, str] | None = None
    for ev in events:
        if ev.source != "mic":
            continue
        p = _payload(ev)
        kind = ev.kind
        wall = float(ev.wall_time)
        st = _num(p.get("short_term_lufs"))
        if st is None:
            st = _num(p.get("lufs"))
        if st is not None:
            series.append((wall, st))
        integ = _num(p.get("integrated_lufs"))
        if integ is not None:
            a.integrated_lufs = integ
        target = _num(p.get("target_lufs"))
        if target is not None:
            a.target_lufs = target
        if kind == "clipping":
            a.clipping.append(Moment(wall, ev.source, kind, EventLine(ev), ev.severity, _num(p.get("clipped_samples"))))
        elif kind == "dead_air_start":
            silent = _num(p.get("seconds")) or 0.0
            dead_start = (wall - silent, EventLine(ev))
        elif kind == "dead_air_end" and dead_start is not None:
            a.dead_air.append(Episode("dead_air", dead_start[0], wall, dead_start[1]))
            dead_start = None
        elif kind in ("lost", "stalled", "device.lost", "device.stalled") and out_start is None:
            out_start = (wall, EventLine(ev))
        elif kind in ("recovered", *_DEVICE_BACK) and out_start is not None:
            a.outages.append(Episode("lost", out_start[0], wall, out_start[1]))
            out_start = None
    if dead_start is not None:
        a.dead_air.append(Episode("dead_air", dead_start[0], None, dead_start[1]))
    if out_start is not None:
        a.outages.append(Episode("lost", out_start[0], None, out_start[1]))
    a.loudness = thin_series(series)
    return a


# A device working again (hardware.supervisor's event kinds; older logs used per-device words).
_DEVICE_BACK = ("device.ok", "device.test_signal")

# verdict name -> {bad value: incident kind}
_CAMERA_BAD = {
    "picture_exposure": {"under": "dark", "over": "overexposed"},
    "picture_focus": {"soft": "soft"},
    "picture_signal": {"black": "black", "frozen": "frozen"},
    "picture_white_balance": {"cast": "colour_cast"},
}


def camera_episodes(events: Iterable[Any]) -> list[Episode]:
    """Camera incidents: dark, soft focus, black, frozen, colour cast, lost; oldest first."""
    open_: dict[str, tuple[str, float, str]] = {}  # verdict -> (incident kind, since, message)
    out: list[Episode] = []
    for ev in events:
        if ev.source != "camera":
            continue
        kind, p, wall = ev.kind, _payload(ev), float(ev.wall_time)
        if kind in _CAMERA_BAD:
            bad = _CAMERA_BAD[kind].get(str(p.get("value", "")))
            was = open_.pop(kind, None)
            if was is not None and (bad is None or bad != was[0]):
                out.append(Episode(was[0], was[1], wall, was[2]))
            elif was is not None:
                open_[kind] = was  # the same problem reported again
                continue
            if bad is not None:
                open_[kind] = (bad, wall, EventLine(ev))
        elif kind in ("source_lost", "open_failed", "device.lost", "device.stalled"):
            open_.setdefault("source", ("lost", wall, EventLine(ev)))
        elif kind in ("source_recovered", *_DEVICE_BACK) and "source" in open_:
            k, since, msg = open_.pop("source")
            out.append(Episode(k, since, wall, msg))
    out += [Episode(k, since, None, msg) for k, since, msg in open_.values()]
    out.sort(key=lambda e: e.start_wall)
    return out


_OBS_EPISODES = {
    "obs.frames_dropped": ("obs.frames_ok", "frames_dropped"),
    "obs.render_lag": ("obs.render_ok", "render_lag"),
    "obs.congestion": ("obs.congestion_cleared", "congestion"),
    "obs.stream_reconnecting": ("obs.stream_reconnected", "stream_reconnecting"),
}
_OBS_DISCONNECT = ("obs.disconnected", "obs.unreachable", "obs.frozen", "device.lost", "device.unreachable", "device.frozen")


def obs_review(events: Iterable[Any]) -> ObsReview:
    o = ObsReview()
    kbps: list[tuple[float, float]] = []
    dropped: list[tuple[float, float]] = []
    skipped: list[float] = []
    open_: dict[str, tuple[float, str]] = {}
    ends = {end: start for start, (end, _k) in _OBS_EPISODES.items()}
    down: tuple[float, str] | None = None
    for ev in events:
        if ev.source != "obs":
            continue
        kind, p, wall = ev.kind, _payload(ev), float(ev.wall_time)
        rate = _num(p.get("stream_kbps"))
        if rate is not None:
            kbps.append((wall, rate))
        pct = _num(p.get("output_dropped_percent"))
        if pct is not None:
            dropped.append((wall, pct))
        sk = _num(p.get("output_skipped"))
        if sk is not None:
            skipped.append(sk)
        if kind in _OBS_EPISODES:
            open_.setdefault(kind, (wall, EventLine(ev)))
        elif kind in ends and ends[kind] in open_:
            since, msg = open_.pop(ends[kind])
            o.episodes.append(Episode(_OBS_EPISODES[ends[kind]][1], since, wall, msg))
        elif kind in _OBS_DISCONNECT and down is None:
            down = (wall, EventLine(ev))
        elif kind in ("obs.reconnected", "obs.connected", *_DEVICE_BACK) and down is not None:
            o.disconnects.append(Episode("disconnected", down[0], wall, down[1]))
            down = None
    for start, (since, msg) in open_.items():
        o.episodes.append(Episode(_OBS_EPISODES[start][1], since, None, msg))
    o.episodes.sort(key=lambda e: e.start_wall)
    if down is not None:
        o.disconnects.append(Episode("disconnected", down[0], None, down[1]))
    if skipped:
        # counters restart with OBS: sum the increases only
        o.dropped_frames = int(sum(max(0.0, b - a) for a, b in zip(skipped, skipped[1:])))
    o.kbps = thin_series(kbps)
    o.dropped_percent = thin_series(dropped)
    return o


def sales_review(show_id: str, figures: Sequence[SalesFigures], starts: Mapping[str, float] | None = None,
                 weights: ScoreWeights | None = None) -> SalesReview | None:
    """This show's totals and score against the other shows whose figures are given
    (normally the same room's); None when this show has no figures."""
    by_show: dict[str, list[SalesFigures]] = {}
    for f in figures:
        by_show.setdefault(f.show_id, []).append(f)
    if show_id not in by_show:
        return None
    starts = starts or {}
    totals = [show_totals(fs, started_at=starts.get(sid)) for sid, fs in by_show.items()]
    totals.sort(key=lambda t: (t.started_at is None, t.started_at or 0.0, t.show_id))
    scores = score_shows(totals, weights)
    mine = next(s for s in scores if s.show_id == show_id)
    assert mine.totals is not None
    segs = sorted((f for f in by_show[show_id] if f.segment_id is not None), key=lambda f: f.entered_at)
    latest = {f.segment_id: f for f in segs}
    return SalesReview(mine.totals, mine, (weights or ScoreWeights()).normalised(), list(latest.values()),
                       [s for s in scores if s.show_id != show_id])


# --------------------------------------------------------------------------- the review
def show_window(show_events: Sequence[Any]) -> tuple[float, float, bool]:
    """(start, end, ended) of a show from its own events (oldest first): the first GO
    (else the first event) to ``cue.end`` (else the last event)."""
    if not show_events:
        raise ValueError("no events")
    start = next((_when(e) for e in show_events if e.kind == "cue.start"), float(show_events[0].wall_time))
    end_ev = [e for e in show_events if e.kind == "cue.end"]
    if end_ev:
        return start, _when(end_ev[-1]), True
    return start, max(float(show_events[-1].wall_time), start), False


def latest_runs(show_events: Sequence[Any], rooms: Sequence[str | None] | None = None
                ) -> tuple[list[Any], list[tuple[str, float]]]:
    """Keep the latest run of the show in each room: a rehearsal under the same show id
    (its own desk run, payload ``run``) is left out. ``rooms``: the room of each event
    (parallel), None for one room. Returns (kept events, earlier runs as (run id, first GO))."""
    starts: dict[str | None, list[tuple[float, str]]] = {}
    for i, e in enumerate(show_events):
        run = _payload(e).get("run")
        if e.kind == "cue.start" and isinstance(run, str):
            starts.setdefault(rooms[i] if rooms is not None else None, []).append((_when(e), run))
    if not starts:
        return list(show_events), []
    keep = {max(v)[1] for v in starts.values()}
    earlier = sorted({(w, r) for v in starts.values() for w, r in v if r not in keep})
    kept = [e for e in show_events
            if not isinstance(_payload(e).get("run"), str) or _payload(e).get("run") in keep]
    return kept, [(r, w) for w, r in earlier]


def build_review(
    show_id: str,
    events: Sequence[Any],
    *,
    rooms: Sequence[str | None] = (),
    names: Mapping[str, str] | None = None,
    title: str = "",
    planned: Sequence[tuple[str, str, float]] | None = None,
    figures: Sequence[SalesFigures] = (),
    starts: Mapping[str, float] | None = None,
    weights: ScoreWeights | None = None,
    event_rooms: Sequence[str | None] | None = None,
) -> ShowReview:
    """The review of ``show_id`` from ``events`` (oldest first).

    ``events`` hold the show's own events (``show_id`` equal) and the events logged
    without a show id around it (devices, self-test); events of other shows are ignored.
    Device events count from the show's start to its end; self-test events before the
    start. ``names``: SKU -> product name; ``planned``: the rundown's (id, title, planned
    seconds) to list segments never run; ``figures``/``starts``: sales figures of this show
    and the shows to compare with (and their start times); ``event_rooms``: the room of each
    event (parallel to ``events``) when the review spans rooms. Raises ValueError when no
    event belongs to the show.
    """
    mine_idx = [i for i, e in enumerate(events) if e.show_id == show_id]
    if not mine_idx:
        raise ValueError(f"no events for show {show_id!r}")
    kept, earlier = latest_runs([events[i] for i in mine_idx],
                                [event_rooms[i] for i in mine_idx] if event_rooms is not None else None)
    kept_ids = {id(e) for e in kept}
    mine = kept
    start, end, ended = show_window(mine)
    relevant = [e for e in events if e.show_id is None or id(e) in kept_ids]
    during = [e for e in relevant if e.show_id == show_id or start <= e.wall_time <= end]

    review = ShowReview(show_id, list(rooms), title=title, started_wall=start, ended_wall=end, ended=ended,
                        event_count=len(during), earlier_runs=earlier)
    # Rooms run the show side by side: each room's cue, cards and devices are read on their own.
    if event_rooms is not None and len(set(event_rooms)) > 1:
        room_of = {id(e): r for e, r in zip(events, event_rooms)}
        groups: dict[str | None, list[Any]] = {}
        for e in during:
            groups.setdefault(room_of.get(id(e)), []).append(e)
    else:
        groups = {None: during}
    for room, evs in sorted(groups.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")):
        own = [e for e in evs if e.show_id == show_id]
        devices = [e for e in evs if e.source in ("mic", "camera", "obs")]
        runs, over_under, _ = segment_runs(own)
        review.segments += [replace(r, room=room) for r in runs]
        review.over_under = over_under if review.over_under is None or over_under is None else max(review.over_under, over_under)
        for c in card_reviews(own, names):
            c.room = room
            review.cards.append(c)
        for d in drop_reviews(own):
            d.room = room
            review.drops.append(d)
        a = audio_review(devices)
        review.audio.loudness = sorted(review.audio.loudness + a.loudness)
        review.audio.integrated_lufs = a.integrated_lufs if a.integrated_lufs is not None else review.audio.integrated_lufs
        review.audio.target_lufs = a.target_lufs
        review.audio.clipping += [replace(m, source=f"{m.source} {room}" if room else m.source) for m in a.clipping]
        review.audio.dead_air += [replace(e, room=room) for e in a.dead_air]
        review.audio.outages += [replace(e, room=room) for e in a.outages]
        review.camera += [replace(e, room=room) for e in camera_episodes(devices)]
        o = obs_review(devices)
        review.obs.kbps = sorted(review.obs.kbps + o.kbps)
        review.obs.dropped_percent = sorted(review.obs.dropped_percent + o.dropped_percent)
        if o.dropped_frames is not None:
            review.obs.dropped_frames = (review.obs.dropped_frames or 0) + o.dropped_frames
        review.obs.episodes += [replace(e, room=room) for e in o.episodes]
        review.obs.disconnects += [replace(e, room=room) for e in o.disconnects]
    review.camera.sort(key=lambda e: e.start_wall)
    mine = [e for e in during if e.show_id == show_id]
    if planned:
        review.planned_s = sum(p[2] for p in planned)
        titles = {r.segment: r for r in review.segments}
        review.skipped = [(sid, t) for sid, t, _s in planned if sid not in titles]
        plan = {sid: (t, s) for sid, t, s in planned}
        review.segments = [
            r if r.title and r.planned_s is not None or r.segment not in plan else
            replace(r, title=r.title or plan[r.segment][0],
                    planned_s=r.planned_s if r.planned_s is not None else plan[r.segment][1])
            for r in review.segments]
    review.alerts = [Moment(float(e.wall_time), e.source, e.kind, EventLine(e), e.severity)
                     for e in during if e.severity >= Severity.WARNING and e.source != "selftest"]
    review.messages = [Moment(_when(e), e.source, e.kind, str(_payload(e).get("text", e.message)), e.severity)
                       for e in mine if e.kind == "message.show"]
    review.selftest = _selftest(relevant, start)
    runs = [e for e in relevant if e.kind == "selftest.run" and start - PRESHOW_WINDOW_S <= e.wall_time <= start]
    if runs:
        review.selftest_run = dict(_payload(runs[-1]))
        review.selftest_run["wall"] = float(runs[-1].wall_time)
    grouped = incident_report(e for e in during if e.kind.startswith("incident."))
    review.incidents, review.drills = grouped["incidents"], grouped["drills"]
    if figures:
        review.sales = sales_review(show_id, figures, starts, weights)
    return review


def _selftest(events: Sequence[Any], start: float) -> list[Moment]:
    """The last self-test run before the show (events of source ``selftest`` within
    :data:`PRESHOW_WINDOW_S` before the start; a run is split from an earlier one by a
    gap of more than 10 minutes)."""
    tests = [e for e in events if e.source == "selftest" and start - PRESHOW_WINDOW_S <= e.wall_time <= start
             and e.severity > Severity.DEBUG]  # not the database write probe
    if not tests:
        return []
    first = len(tests) - 1
    while first > 0 and tests[first].wall_time - tests[first - 1].wall_time <= 600:
        first -= 1
    return [Moment(float(e.wall_time), e.source, e.kind, EventLine(e), e.severity) for e in tests[first:]]
