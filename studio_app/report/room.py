"""The live room in the review: minute curves with every desk event marked, and the figures per
segment and product (the same as ``studio-console room summary``).

:func:`room_review` joins the stored room messages to the review's segments and events;
:func:`room_chart` draws the curves (online; entries, comments, likes per minute; orders and
GMV per minute) with vertical marks for segments, 讲解 on/off, coupons, flash sales, sold out,
alarms, OBS drops, dead air and room alerts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from studio_app.room.messages import RoomMessage
from studio_app.room.summary import Span, StatsSeries, minute_curves, summarise

MARK_COLOURS = {"segment": "#9aa5b1", "card": "#2f6fdf", "coupon": "#2e9e5b", "flash": "#e08a00",
                "sold_out": "#7c3aed", "alarm": "#d64545", "room": "#ff7300"}
MARK_LABELS = {"segment": "环节 segment", "card": "讲解 card", "coupon": "发券 coupon", "flash": "秒杀 flash sale",
               "sold_out": "售罄 sold out", "alarm": "告警/断流/冷场 alarm", "room": "直播间预警 room alert"}


@dataclass
class RoomReview:
    summary: dict[str, Any]
    curves: dict[str, list]
    marks: list[tuple[float, str, str]] = field(default_factory=list)  # (minutes from start, kind, label)


def marks_of(review: Any, events: Sequence[Any], alerts: Sequence[Any] = ()) -> list[tuple[float, str, str]]:
    """Every desk event worth seeing on the curves, in minutes from the show's start."""
    start = review.started_wall
    if start is None:
        return []
    out: list[tuple[float, str, str]] = []

    def add(wall: float | None, kind: str, label: str) -> None:
        if wall is not None:
            out.append(((wall - start) / 60.0, kind, label))

    for run in review.segments:
        add(run.started_wall, "segment", run.title or run.segment)
    for card in review.cards:
        for a, b in card.explained:
            add(a, "card", f"讲解 {card.name or card.sku}")
            add(b, "card", f"讲解结束 {card.name or card.sku}")
        add(card.sold_out_wall, "sold_out", f"售罄 {card.name or card.sku}")
    for drop in review.drops:
        add(drop.fired_wall, "flash" if drop.kind == "flash" else "coupon", drop.label or drop.id)
    for ep in list(review.camera) + list(review.audio.dead_air) + list(review.obs.disconnects):
        add(ep.start_wall, "alarm", ep.kind)
    for ev in events:
        if getattr(ev, "kind", "") == "room.alert":
            payload = getattr(ev, "payload", None) or {}
            add(float(getattr(ev, "wall_time", 0.0)), "room", str(payload.get("rule", "room.alert")))
    for alert in alerts:  # evaluated offline (data imported after the show)
        add(alert.ts, "room", alert.rule)
    return sorted(out)


def room_review(review: Any, messages: Sequence[RoomMessage], events: Sequence[Any],
                names: dict[str, str] | None = None, alerts: Sequence[Any] = ()) -> RoomReview | None:
    if not messages:
        return None
    spans = [Span(r.segment, r.title, r.started_wall, r.started_wall + (r.actual_s or 0.0))
             for r in review.segments if r.started_wall is not None and r.actual_s is not None]
    start = review.started_wall if review.started_wall is not None else messages[0].ts
    end = max(review.ended_wall or messages[-1].ts, messages[-1].ts)
    curves = minute_curves(StatsSeries(messages), start, end)
    return RoomReview(summarise(messages, spans, names), curves, marks_of(review, events, alerts))


def room_chart(review: Any) -> str | None:
    room: RoomReview | None = getattr(review, "room", None)
    if room is None or not room.curves.get("minutes"):
        return None
    from matplotlib.figure import Figure

    from studio_app.report.charts import PALETTE, WIDTH_IN, _configure, _svg

    _configure()
    c = room.curves
    xs = [i + 0.5 for i in range(len(c["minutes"]))]
    fig = Figure(figsize=(WIDTH_IN, 6.4))
    axes = fig.subplots(3, 1, sharex=True)
    series = [
        (axes[0], [("online", "在线人数 online", PALETTE["line"])]),
        (axes[1], [("entries", "进场/分 entries", "#2e9e5b"), ("comments", "评论/分 comments", "#e08a00"),
                   ("likes", "点赞/分 likes", "#9aa5b1")]),
        (axes[2], [("orders", "订单/分 orders", "#7c3aed")]),
    ]
    for ax, lines in series:
        for key, label, colour in lines:
            ys = c.get(key) or []
            if any(v is not None for v in ys):
                ax.plot(xs, [float("nan") if v is None else v for v in ys], color=colour, label=label, lw=1.2)
        ax.set_ylim(bottom=0)
    gmv = c.get("gmv") or []
    if any(v is not None for v in gmv):
        ax2 = axes[2].twinx()
        ax2.bar(xs, [v or 0 for v in gmv], width=0.8, color="#2f6fdf", alpha=0.25, label="成交额/分 GMV")
        ax2.set_ylabel("元 yuan")
        ax2.grid(False)
        h, lab = axes[2].get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        axes[2].legend(h + h2, lab + l2, loc="upper left", frameon=False, fontsize=8)
    for ax in axes[:2]:
        ax.legend(loc="upper left", frameon=False, fontsize=8, ncol=3)
    seen: set[str] = set()
    for minute, kind, label in room.marks:
        for i, ax in enumerate(axes):
            ax.axvline(minute, color=MARK_COLOURS.get(kind, "#999"), lw=0.8 if kind == "segment" else 1.0,
                       ls=":" if kind == "segment" else "-", alpha=0.8,
                       label=None if (i or kind in seen) else MARK_LABELS.get(kind, kind))
        seen.add(kind)
        if kind in ("room", "alarm", "sold_out"):
            axes[0].annotate(label, (minute, 1.0), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
                             va="top", ha="right", color=MARK_COLOURS.get(kind, "#999"))
    handles = [h for h in axes[0].get_legend_handles_labels()[0]]
    labels = axes[0].get_legend_handles_labels()[1]
    axes[0].legend(handles, labels, loc="lower left", frameon=False, fontsize=7, ncol=4)
    axes[2].set_xlabel("开播后分钟 minutes into the show")
    axes[2].set_xlim(0, max(1.0, len(xs)))
    return _svg(fig)
