"""Charts of the review as inline SVG (matplotlib, Agg backend, no display needed).

Text is drawn as paths (``svg.fonttype = "path"``), so Chinese labels show on any PC that
opens the report offline, whatever fonts it has. The font family lists a CJK font after
the Latin one; matplotlib (>= 3.6) falls back glyph by glyph along the list.

Thread-safe: every chart draws on its own ``Figure`` (no pyplot state); matplotlib's
font cache is guarded by a lock.
"""
from __future__ import annotations

import io
import re
import threading
from datetime import datetime
from typing import Sequence

import matplotlib

matplotlib.use("Agg", force=False)  # never a GUI backend: reports render on worker threads and servers

from matplotlib.figure import Figure  # noqa: E402

from studio_app.report.review import Episode, SegmentRun, ShowReview  # noqa: E402

# Chinese-capable fonts in order of preference: Debian/Ubuntu (fonts-wqy-microhei,
# fonts-noto-cjk), Windows, macOS. Only the installed ones are put in the family list.
CJK_FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Hiragino Sans GB", "Heiti SC"]
PALETTE = {"plan": "#9aa5b1", "actual": "#2f6fdf", "over": "#d64545", "under": "#2e9e5b", "line": "#2f6fdf",
           "target": "#e08a00", "bad": "#d64545", "grid": "#e3e7eb", "text": "#1f2933"}

# Wide enough that a chart scaled to the page's 1050 px keeps its text near 12 px.
WIDTH_IN = 11.0

_lock = threading.Lock()
_configured = False


def cjk_font_families() -> list[str]:
    """The font family list charts use: DejaVu Sans, then every installed CJK font."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[f for f in CJK_FONTS if f in installed]]


def _configure() -> None:
    global _configured
    with _lock:
        if _configured:
            return
        matplotlib.rcParams.update({
            "font.family": cjk_font_families(),
            "axes.unicode_minus": False,  # the CJK fonts lack U+2212
            "svg.fonttype": "path",
            "svg.hashsalt": "studio-console",  # same report, same ids: diffable output
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#9aa5b1",
            "axes.grid": True,
            "grid.color": PALETTE["grid"],
            "font.size": 9,
        })
        _configured = True


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: it is inlined into HTML
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)


def _minutes(review: ShowReview, walls: Sequence[float]) -> list[float]:
    start = review.started_wall or 0.0
    return [(w - start) / 60.0 for w in walls]


def segments_chart(review: ShowReview) -> str | None:
    """Planned against actual minutes per segment run (horizontal bars)."""
    runs: list[SegmentRun] = [r for r in review.segments if r.planned_s is not None or r.actual_s is not None]
    if not runs:
        return None
    _configure()
    fig = Figure(figsize=(WIDTH_IN, 0.36 * len(runs) + 1.0))
    ax = fig.add_subplot()
    ys = list(range(len(runs)))[::-1]
    planned = [(r.planned_s or 0) / 60 for r in runs]
    actual = [(r.actual_s or 0) / 60 for r in runs]
    colors = [PALETTE["over"] if (r.over_under or 0) > 30 else PALETTE["under"] if (r.over_under or 0) < -30
              else PALETTE["actual"] for r in runs]
    ax.barh([y + 0.2 for y in ys], planned, height=0.38, color=PALETTE["plan"], label="计划 planned")
    ax.barh([y - 0.2 for y in ys], actual, height=0.38, color=colors, label="实际 actual")
    ax.set_yticks(ys, [f"{r.title or r.segment}" for r in runs])
    ax.set_xlabel("分钟 minutes")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", visible=False)
    return _svg(fig)


def _shade(ax, review: ShowReview, episodes: Sequence[Episode], color: str, label: str) -> None:
    start = review.started_wall or 0.0
    end = review.ended_wall
    first = True
    for e in episodes:
        b = e.end_wall if e.end_wall is not None else end
        if b is None:
            continue
        ax.axvspan((e.start_wall - start) / 60, (b - start) / 60, color=color, alpha=0.18, lw=0,
                   label=label if first else None)
        first = False


def loudness_chart(review: ShowReview) -> str | None:
    """Short-term loudness over the show against the target, dead air shaded, clipping marked."""
    a = review.audio
    if not a.loudness and not a.dead_air and not a.clipping:
        return None
    _configure()
    fig = Figure(figsize=(WIDTH_IN, 3.1))
    ax = fig.add_subplot()
    if a.loudness:
        xs = _minutes(review, [p[0] for p in a.loudness])
        ax.plot(xs, [max(p[1], -60.0) for p in a.loudness], color=PALETTE["line"], lw=1.0, label="短期响度 short-term LUFS")
    ax.axhline(a.target_lufs, color=PALETTE["target"], lw=1.2, ls="--", label=f"目标 target {a.target_lufs:g} LUFS")
    _shade(ax, review, a.dead_air, PALETTE["bad"], "冷场 dead air")
    if a.clipping:
        xs = _minutes(review, [m.wall for m in a.clipping])
        ax.plot(xs, [a.target_lufs + 8] * len(xs), ls="none", marker="v", color=PALETTE["over"], label="削波 clipping")
    ax.set_xlabel("开播后分钟 minutes into the show")
    ax.set_ylabel("LUFS")
    ax.legend(loc="lower left", frameon=False, ncol=2, fontsize=8)
    return _svg(fig)


def obs_chart(review: ShowReview) -> str | None:
    """Stream bitrate over the show with dropped-frame percentage; disconnects shaded."""
    o = review.obs
    if not o.kbps and not o.disconnects and not o.dropped_percent:
        return None
    _configure()
    fig = Figure(figsize=(WIDTH_IN, 3.1))
    ax = fig.add_subplot()
    if o.kbps:
        ax.plot(_minutes(review, [p[0] for p in o.kbps]), [p[1] for p in o.kbps], color=PALETTE["line"], lw=1.0,
                label="码率 kbps")
    ax.set_ylabel("kbps")
    ax.set_xlabel("开播后分钟 minutes into the show")
    _shade(ax, review, o.disconnects, PALETTE["bad"], "OBS 断开 disconnected")
    _shade(ax, review, [e for e in o.episodes if e.kind == "frames_dropped"], PALETTE["target"], "丢帧 dropping frames")
    handles, labels = ax.get_legend_handles_labels()
    if o.dropped_percent:
        ax2 = ax.twinx()
        ax2.grid(False)
        ax2.plot(_minutes(review, [p[0] for p in o.dropped_percent]), [p[1] for p in o.dropped_percent],
                 color=PALETTE["over"], lw=0.8, alpha=0.8, label="丢帧 % dropped")
        ax2.set_ylabel("%")
        ax2.set_ylim(bottom=0)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.set_ylim(bottom=0)
    if handles:
        ax.legend(handles, labels, loc="lower left", frameon=False, ncol=2, fontsize=8)
    return _svg(fig)


def timeline_chart(review: ShowReview) -> str | None:
    """One row per device: when it was in trouble (camera, mic, OBS)."""
    rows = [("摄像头 camera", review.camera), ("话筒 mic", review.audio.dead_air + review.audio.outages),
            ("OBS", review.obs.disconnects + review.obs.episodes)]
    if not any(eps for _n, eps in rows) or review.started_wall is None:
        return None
    _configure()
    fig = Figure(figsize=(WIDTH_IN, 1.8))
    ax = fig.add_subplot()
    end = review.ended_wall or review.started_wall
    for y, (_name, eps) in enumerate(reversed(rows)):
        spans = []
        for e in eps:
            b = e.end_wall if e.end_wall is not None else end
            spans.append(((e.start_wall - review.started_wall) / 60, max(0.15, (b - e.start_wall) / 60)))
        ax.broken_barh(spans, (y - 0.3, 0.6), color=PALETTE["bad"])
    ax.set_yticks(range(len(rows)), [n for n, _e in reversed(rows)])
    ax.set_xlim(0, max(1.0, (end - review.started_wall) / 60))
    ax.set_xlabel("开播后分钟 minutes into the show")
    ax.grid(axis="y", visible=False)
    return _svg(fig)


def score_chart(review: ShowReview) -> str | None:
    """This show's score beside the room's other shows (oldest first)."""
    s = review.sales
    if s is None or not s.others:
        return None
    _configure()
    def when(x):  # noqa: ANN001, ANN202 - shows with a known start in start order, then the others by id
        t = x.totals.started_at if x.totals else None
        return (t is None, t or 0.0, x.show_id)

    scores = sorted([*s.others, s.score], key=when)
    fig = Figure(figsize=(WIDTH_IN, 2.4))
    ax = fig.add_subplot()
    xs = range(len(scores))
    bars = ax.bar(xs, [x.score for x in scores], width=0.5,
                  color=[PALETTE["actual"] if x.show_id == review.show_id else PALETTE["plan"] for x in scores])
    ax.bar_label(bars, fmt="%.1f", padding=2)
    ax.set_xticks(list(xs), [x.show_id if len(x.show_id) <= 26 else x.show_id[:25] + "…" for x in scores],
                  rotation=12 if len(scores) > 4 else 0, ha="right" if len(scores) > 4 else "center")
    ax.set_ylim(0, 110)
    ax.set_ylabel("得分 score")
    ax.grid(axis="x", visible=False)
    return _svg(fig)


def all_charts(review: ShowReview) -> dict[str, str]:
    """Every chart the review has data for: name -> ``<svg>`` text."""
    out = {}
    for name, fn in (("segments", segments_chart), ("loudness", loudness_chart), ("obs", obs_chart),
                     ("devices", timeline_chart), ("score", score_chart)):
        svg = fn(review)
        if svg:
            out[name] = svg
    from studio_app.report.room import room_chart

    svg = room_chart(review)
    if svg:
        out["room"] = svg
    return out


def clock_label(wall: float) -> str:
    return datetime.fromtimestamp(wall).strftime("%H:%M:%S")
