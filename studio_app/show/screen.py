"""The anchor's cue screen state from the live show: :func:`cue_screen_state` turns a
:class:`~studio_app.show.desk.ShowDesk` into the plain
:class:`studio_app.core.cue_state.CueScreenState` every cue view renders (the Qt window
and the LAN page). Call it from the desk's GUI timer after ``tick()``; the desk then adds
its own parts (tallies, drill flag, prompter) with ``dataclasses.replace``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from studio_app.core.cue_state import Countdown, CueScreenState, DeskMessage, ProductCard
from studio_app.show.coupons import DropStatus
from studio_app.show.desk import ShowDesk
from studio_app.show.timing import Playback, segment_start_time


def _local_hhmm(wall: float) -> str:
    return dt.datetime.fromtimestamp(wall).astimezone().strftime("%H:%M")


def cue_screen_state(desk: ShowDesk, message: DeskMessage = DeskMessage()) -> CueScreenState:  # noqa: B008 - frozen
    """What the anchor sees now, with the studio's ``message``. Notes (desk only) never reach it."""
    now = desk.clock.now()
    show = desk.show
    view = desk.engine.view(now)
    seg = desk.engine.segment

    card = desk.cards.explaining
    if card is None and seg.products:
        card = desk.cards.cards.get(seg.products[0])
    product = None
    if card is not None:
        p = card.product
        image = p.image
        if image and show.source and not Path(image).is_absolute():
            image = str(Path(show.source).parent / image)
        product = ProductCard(name=p.name, live_price=p.live_price, list_price=p.list_price, stock_left=card.stock,
                              sold_out=card.state.value == "sold_out" or card.stock <= 0, image_path=image)

    countdowns = []
    for it in desk.scheduler.items.values():
        kind = "coupon" if it.kind == "coupon" else "flash_sale"
        if it.status.open:
            target = desk.scheduler.target(it, now.mono)
            if target is None or it.blocked_by:
                continue
            left = target - now.mono
            if it.status == DropStatus.ANNOUNCED or left <= it.lead:
                countdowns.append(Countdown(it.label, kind, max(0.0, left), "announce"))
        elif it.status == DropStatus.LIVE:
            if it.kind == "coupon" and it.confirmed_at is None:
                countdowns.append(Countdown(it.label, kind, 0.0, "now"))
            else:
                countdowns.append(Countdown(it.label, kind, max(0.0, (it.ends_at or now.mono) - now.mono), "running"))

    next_title, next_start = "", ""
    if desk.engine.state.index + 1 < len(show.segments):
        next_title = show.segments[desk.engine.state.index + 1].title
        if desk.engine.state.playback in (Playback.RUNNING, Playback.HOLD):
            start = segment_start_time(desk.engine.state, show, desk.engine.state.index + 1, now.mono)
            if start is not None:
                next_start = _local_hhmm(start - now.mono + now.wall)
        elif show.planned_start is not None:
            next_start = _local_hhmm(show.planned_start.timestamp() + show.planned_offset(desk.engine.state.index + 1))

    return CueScreenState(
        show_title=show.title,
        segment_title=seg.title if view.playback != Playback.ENDED else "",
        segment_kind=seg.kind.label_zh,
        remaining_ms=int(round(view.remaining * 1000)),
        planned_ms=int(round(view.duration * 1000)),
        phase=view.phase.value,
        script=seg.script,
        talking_points=tuple(seg.talking_points),
        product=product,
        countdowns=tuple(sorted(countdowns, key=lambda c: c.seconds)),
        next_title=next_title,
        next_start=next_start,
        message=message,
        clock=dt.datetime.fromtimestamp(now.wall).astimezone().strftime("%H:%M:%S"),
    )
