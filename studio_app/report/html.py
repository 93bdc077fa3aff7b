"""The review as one self-contained HTML file: inline CSS and SVG charts, no scripts, no
links to fetch, so it opens offline in any browser and can be mailed or archived.

Headings are bilingual (中文 English). Event messages are in the reader's language (the
``text`` given to :func:`render_html`; without one, the English the engine wrote). Times are
the local clock of the PC that writes the report, with the offset from the show's start
(``+mm:ss``).
"""
from __future__ import annotations

import time
from contextvars import ContextVar
from datetime import datetime
from html import escape
from typing import Any, Iterable, Sequence

from studio_app.core.event_text import EventLine, EventText
from studio_app.core.events import Severity
from studio_app.report.review import Episode, Moment, ShowReview

SECTIONS = [
    ("segments", "环节 计划与实际", "Segments: plan and actual"),
    ("products", "商品讲解与库存", "Product cards and stock"),
    ("clips", "讲解切片", "Product clips"),
    ("drops", "发券与秒杀", "Coupons and flash sales"),
    ("audio", "音频", "Audio"),
    ("camera", "摄像头", "Camera"),
    ("obs", "OBS 推流", "OBS stream health"),
    ("room", "直播间数据", "Live room: minute curves, segments and products"),
    ("sales", "销售数据与得分", "Sales figures and score"),
    ("alerts", "告警", "Alerts"),
    ("messages", "场控消息", "Desk messages"),
    ("emergency", "应急事件与演练", "Emergency incidents and drills"),
    ("selftest", "开播前自检", "Pre-show self-test"),
]

CAMERA_KINDS = {"dark": "画面过暗 dark", "overexposed": "过曝 overexposed", "soft": "失焦 soft focus",
                "black": "黑屏 black", "frozen": "画面冻结 frozen", "lost": "信号丢失 lost",
                "colour_cast": "偏色 colour cast"}
OBS_KINDS = {"frames_dropped": "丢帧 dropping frames", "render_lag": "渲染卡顿 render lag",
             "congestion": "网络拥塞 congestion", "stream_reconnecting": "推流重连 stream reconnecting",
             "disconnected": "OBS 断开 disconnected"}
OUTCOMES = {"pending": "未到 pending", "announced": "已预告 announced", "live": "进行中 live", "done": "已完成 done",
            "cancelled": "已取消 cancelled", "missed": "错过 missed"}

CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei","Noto Sans CJK SC",system-ui,sans-serif;
margin:0;background:#f4f6f8;color:#1f2933;font-size:14px;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px}
header{background:#1f2933;color:#fff;padding:20px 24px}header h1{margin:0 0 4px;font-size:24px}
header .meta{color:#cbd2d9;font-size:13px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:18px;margin:0 0 12px;border-left:4px solid #2f6fdf;padding-left:8px}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e7eb;
vertical-align:top}th{background:#f4f6f8;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.tile{background:#fff;border-radius:8px;padding:10px 16px;
min-width:140px;box-shadow:0 1px 2px rgba(0,0,0,.08)}.tile .v{font-size:22px;font-weight:600}.tile .k{color:#52606d;font-size:12px}
.over{color:#d64545}.under{color:#2e9e5b}.warn{color:#b86e00}.bad{color:#d64545;font-weight:600}.ok{color:#2e9e5b}
.muted{color:#7b8794}.chart svg{width:100%;height:auto}.chart{margin:8px 0}
td:first-child{white-space:nowrap}
footer{color:#7b8794;font-size:12px;text-align:center;padding:16px}
"""


# The reader's language while a page is rendered (pages may render on several threads).
_TEXT: ContextVar[EventText | None] = ContextVar("report_text", default=None)


def _msg(message: Any) -> str:
    """An event's message in the reader's language (plain text, e.g. the anchor's words, as is)."""
    text = _TEXT.get()
    return message.in_language(text) if isinstance(message, EventLine) else str(message)


def _word(word: str) -> str:
    text = _TEXT.get()
    return word if text is None else text.value(word)


def _kind(source: str, kind: str) -> str:
    text = _TEXT.get()
    return kind if text is None else text.label(source, kind)


def _e(text: Any) -> str:
    return escape("" if text is None else str(text))


def fmt_duration(seconds: float | None, signed: bool = False) -> str:
    """``1:02:03`` / ``5:07`` / with ``signed`` ``+0:30`` or ``-1:05``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    sign = ("+" if seconds >= 0 else "-") if signed else ("-" if seconds < 0 else "")
    s = int(round(abs(seconds)))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m}:{s:02d}"


def _clock(wall: float | None) -> str:
    return "-" if wall is None else datetime.fromtimestamp(wall).strftime("%H:%M:%S")


def _at(review: ShowReview, wall: float | None) -> str:
    """Local clock time and the offset into the show."""
    if wall is None:
        return "-"
    off = review.offset(wall)
    return f"{_clock(wall)} <span class='muted'>({fmt_duration(off, signed=True)})</span>"


def _over_class(seconds: float | None, slack: float = 30.0) -> str:
    if seconds is None:
        return ""
    return "over" if seconds > slack else "under" if seconds < -slack else ""


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], num: Sequence[int] = (), empty: str = "") -> str:
    """``rows`` cells are HTML already; ``num``: right-aligned column indexes."""
    rows = list(rows)
    if not rows:
        return f"<p class='muted'>{_e(empty or '无 none')}</p>"
    head = "".join(f"<th{' class=num' if i in num else ''}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i in num else ''}>{c}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(charts: dict[str, str], name: str) -> str:
    svg = charts.get(name)
    return f"<div class='chart' id='chart-{name}'>{svg}</div>" if svg else ""


def _section(key: str, body: str) -> str:
    zh, en = next((z, e) for k, z, e in SECTIONS if k == key)
    return f"<section id='{key}'><h2>{_e(zh)} <span class='muted'>{_e(en)}</span></h2>{body}</section>"


def _clips(r: ShowReview) -> str:
    if not r.clips:
        return ""
    kinds = {"card": "讲解 card", "segment": "环节 segment", "flash_sale": "秒杀 flash sale"}

    def thumb(c: dict) -> str:
        data = c.get("thumbnail_data")
        return f"<img src='{_e(data)}' width='160' alt=''>" if data else ""

    rows = ([thumb(c), _e(c.get("file")), _e(kinds.get(str(c.get("kind")), c.get("kind"))), _e(c.get("title")),
             fmt_duration(c.get("show_start")), f"{float(c.get('duration_s') or 0):.1f} s"] for c in r.clips)
    return _section("clips", f"<p class='muted'>{_e(r.clips_folder)}</p>" + _table(
        ["首帧 first frame", "文件 file", "类型 kind", "标题 title", "开播后 into the show", "时长 length"], rows, num=(4, 5)))


def _episodes(review: ShowReview, eps: Sequence[Episode], names: dict[str, str]) -> str:
    return _table(["问题 problem", "开始 from", "结束 until", "时长 for", "说明 detail"], (
        [_e(names.get(e.kind, e.kind)), _at(review, e.start_wall),
         _at(review, e.end_wall) if e.end_wall is not None else "<span class='bad'>未恢复 not over</span>",
         fmt_duration(e.seconds(review.ended_wall)), _e(_msg(e.message))] for e in eps), num=(3,))


def _moments(review: ShowReview, ms: Sequence[Moment]) -> str:
    def sev(m: Moment) -> str:
        name = Severity(m.severity).name.lower() if m.severity in Severity._value2member_map_ else str(m.severity)
        cls = "bad" if m.severity >= Severity.ERROR else "warn" if m.severity >= Severity.WARNING else ""
        return f"<span class='{cls}'>{_e(_word(name))}</span>"

    return _table(["时间 time", "来源 source", "级别 severity", "类型 kind", "内容 message"],
                  ([_at(review, m.wall), _e(_word(m.source)), sev(m), _e(_kind(m.source, m.kind)), _e(_msg(m.message))] for m in ms))


# --------------------------------------------------------------------------- sections
def _segments(r: ShowReview, charts: dict[str, str]) -> str:
    rows = []
    for run in r.segments:
        ou = run.over_under
        rows.append([_e(run.title or run.segment), _e(run.segment), _at(r, run.started_wall), fmt_duration(run.planned_s),
                     fmt_duration(run.actual_s) if run.actual_s is not None else "<span class='warn'>未结束 running</span>",
                     f"<span class='{_over_class(ou)}'>{fmt_duration(ou, signed=True)}</span>",
                     fmt_duration(run.added_s, signed=True) if run.added_s else ""])
    body = _chart(charts, "segments") + _table(
        ["环节 segment", "ID", "开始 started", "计划 planned", "实际 actual", "超时/提前 over/under", "加时 added"], rows,
        num=(3, 4, 5, 6), empty="没有环节记录 no segment was run")
    if r.skipped:
        body += "<h3>未进行的环节 Segments never run</h3><p>" + "、".join(_e(f"{t} ({sid})") for sid, t in r.skipped) + "</p>"
    return _section("segments", body)


def _products(r: ShowReview) -> str:
    rows = []
    for c in r.cards:
        first = c.explained[0][0] if c.explained else None
        moves = "<br>".join(f"{_clock(m.wall)} {m.before}→{m.after} ({m.delta:+d}){' ' + _e(m.reason) if m.reason else ''}"
                            for m in c.stock_moves)
        stock = f"{c.stock_start}→{c.stock_end}" if c.stock_moves else "-"
        rows.append([_e(c.sku), _e(c.name), str(len(c.explained)), _at(r, first), fmt_duration(c.explain_seconds(r.ended_wall)),
                     stock, moves or "", _at(r, c.sold_out_wall) if c.sold_out_wall else ""])
    return _section("products", _table(
        ["SKU", "商品 product", "讲解次数 times", "首次讲解 first explained", "讲解时长 explained for", "库存 stock",
         "库存变动 stock moves", "抢光 sold out"], rows, num=(2, 4), empty="没有商品记录 no product card was used"))


def _drops(r: ShowReview) -> str:
    rows = []
    for d in r.drops:
        late = d.lateness
        late_html = "-" if late is None else f"<span class='{'bad' if late > 1.0 else 'ok'}'>{late:.1f} s</span>"
        conf = "-" if d.confirm_after is None else f"{d.confirm_after:.1f} s"
        outcome = OUTCOMES.get(d.outcome, d.outcome)
        if d.outcome in ("missed", "cancelled"):
            outcome = f"<span class='bad'>{_e(outcome)}</span>" + (f"<br><span class='muted'>{_e(_msg(d.why))}</span>" if d.why else "")
        else:
            outcome = _e(outcome)
        rows.append([_e(d.id), "券 coupon" if d.kind == "coupon" else "秒杀 flash", _e(d.label), _at(r, d.scheduled_wall),
                     _at(r, d.announced_wall), _at(r, d.fired_wall) + (" <span class='muted'>手动 by hand</span>" if d.forced else ""),
                     late_html, _at(r, d.confirmed_wall), conf,
                     fmt_duration(d.delays) if d.delays else "", outcome])
    return _section("drops", _table(
        ["ID", "类型 kind", "内容 what", "计划 scheduled", "预告 announced", "发出 dropped", "延迟 lateness",
         "确认 confirmed", "确认用时 confirm after", "推迟 delayed", "结果 outcome"], rows, num=(6, 8, 9),
        empty="本场没有发券或秒杀 no coupon drop or flash sale"))


def _audio(r: ShowReview, charts: dict[str, str]) -> str:
    a = r.audio
    near = a.share_near_target()
    facts = [
        ("整场响度 integrated", "-" if a.integrated_lufs is None else f"{a.integrated_lufs:.1f} LUFS"),
        ("目标 target", f"{a.target_lufs:g} LUFS"),
        ("目标±2 LU 内 near target", "-" if near is None else f"{near:.0%}"),
        ("削波 clipping", f"{len(a.clipping)} 次 times, {a.clipped_samples} samples"),
        ("冷场 dead air", f"{len(a.dead_air)} 次 times, {fmt_duration(sum(e.seconds(r.ended_wall) or 0 for e in a.dead_air))}"),
        ("话筒掉线 mic lost", f"{len(a.outages)}"),
    ]
    body = _chart(charts, "loudness") + _table(["项目 item", "数值 value"], ([_e(k), _e(v)] for k, v in facts))
    eps = sorted(a.dead_air + a.outages, key=lambda e: e.start_wall)
    if eps:
        body += "<h3>冷场与掉线 Dead air and outages</h3>" + _episodes(r, eps, {"dead_air": "冷场 dead air", "lost": "话筒掉线 mic lost"})
    if a.clipping:
        body += "<h3>削波 Clipping</h3>" + _moments(r, a.clipping)
    return _section("audio", body)


def _camera(r: ShowReview, charts: dict[str, str]) -> str:
    body = (_episodes(r, r.camera, CAMERA_KINDS) if r.camera else "<p class='ok'>整场画面正常 no camera incident</p>")
    if "devices" in charts:
        body += "<h3>设备问题时间线 When devices were in trouble</h3>" + _chart(charts, "devices")
    return _section("camera", body)


def _obs(r: ShowReview, charts: dict[str, str]) -> str:
    o = r.obs
    rates = [v for _t, v in o.kbps]
    facts = [
        ("平均码率 mean bitrate", f"{sum(rates) / len(rates):.0f} kbps" if rates else "-"),
        ("最低码率 lowest bitrate", f"{min(rates):.0f} kbps" if rates else "-"),
        ("丢帧 dropped frames", "-" if o.dropped_frames is None else str(o.dropped_frames)),
        ("断开 disconnects", f"{len(o.disconnects)} 次 times, {fmt_duration(sum(e.seconds(r.ended_wall) or 0 for e in o.disconnects))}"),
    ]
    body = _chart(charts, "obs") + _table(["项目 item", "数值 value"], ([_e(k), _e(v)] for k, v in facts))
    eps = sorted(o.disconnects + o.episodes, key=lambda e: e.start_wall)
    if eps:
        body += "<h3>推流问题 Stream problems</h3>" + _episodes(r, eps, OBS_KINDS)
    return _section("obs", body)


def _money(v: float | None) -> str:
    return "-" if v is None else f"¥{v:,.2f}"


def _room(r: ShowReview, charts: dict[str, str]) -> str:
    room = r.room
    if room is None:
        return ""
    s = room.summary["show"]
    fmt = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
    head = (f"<p>成交额 GMV <b>{_money(s.get('gmv'))}</b> · 订单 orders <b>{fmt(s.get('orders'), 'd')}</b> · "
            f"转化率 conversion <b>{fmt(s.get('conversion'), '.2%')}</b> · GPM <b>{fmt(s.get('gpm'), ',.0f')}</b> · "
            f"在线 online 平均 avg {fmt(s.get('online_avg'), ',.0f')} / 峰值 peak {fmt(s.get('online_peak'), 'd')}</p>")
    seg_rows = [[_e(g["title"] or g["id"]), _money(g["gmv"]), fmt(g["orders"], "d"), fmt(g["conversion"], ".2%"),
                 fmt(g["gpm"], ",.0f"), fmt(g["online_avg"], ",.0f"), fmt(g["online_peak"], "d"),
                 fmt(g["interaction_rate"], ".3f")] for g in room.summary["segments"]]
    prod_rows = [[_e(f"{p['name']} ({p['sku']})"), fmt(p["sold"], "d"), _money(p["gmv"]), fmt(p["clicks"], "d"),
                  _e(p["sold_out_at"] or "-")] for p in room.summary["products"]]
    return _section("room", head + _chart(charts, "room")
                    + _table(["环节 segment", "成交额 GMV", "订单 orders", "转化率 conversion", "GPM", "平均在线 online avg",
                              "峰值 peak", "互动率 interaction"], seg_rows, num=range(1, 8),
                             empty="没有环节记录 no segments ran")
                    + _table(["商品 product", "已售 sold", "成交额 GMV", "点击 clicks", "售罄 sold out"], prod_rows,
                             num=(1, 2, 3)))


def _sales(r: ShowReview, charts: dict[str, str]) -> str:
    s = r.sales
    if s is None:
        return _section("sales", "<p class='muted'>还没有销售数据 no sales figures yet: "
                                  "<code>studio-console sales add / sales import</code></p>")
    t = s.totals
    w = s.weights
    body = (f"<p>得分 score <b class='score'>{s.score.score:.1f}</b> / 100 "
            f"<span class='muted'>(成交额 GMV {w['gmv']:.0%}, 转化率 conversion {w['conversion']:.0%}, "
            f"互动 interaction {w['interaction']:.0%}; 与本间其他场次最佳值相比 against the best of the room's shows)</span></p>")
    if s.score.missing:
        body += f"<p class='warn'>缺少 missing: {_e(', '.join(s.score.missing))}</p>"
    body += _table(["成交额 GMV", "订单 orders", "观看 viewers", "转化率 conversion", "互动 interactions"], [[
        _money(t.gmv), "-" if t.orders is None else f"{t.orders:,}", "-" if t.viewers is None else f"{t.viewers:,}",
        "-" if t.conversion is None else f"{t.conversion:.2%}", "-" if t.interactions is None else f"{t.interactions:,}"]],
        num=(0, 1, 2, 3, 4))
    if s.segments:
        titles = {run.segment: run.title for run in r.segments}
        body += "<h3>分环节 Per segment</h3>" + _table(
            ["环节 segment", "成交额 GMV", "订单 orders", "观看 viewers", "转化率 conversion", "互动 interactions"],
            ([_e(titles.get(f.segment_id or "", "") or f.segment_id), _money(f.gmv), _e(f.orders if f.orders is not None else "-"),
              _e(f.viewers if f.viewers is not None else "-"), "-" if f.conversion is None else f"{f.conversion:.2%}",
              _e(f.interactions if f.interactions is not None else "-")] for f in s.segments), num=(1, 2, 3, 4, 5))
    if s.others:
        body += "<h3>与本间其他场次对比 Against the room's other shows</h3>" + _chart(charts, "score")
        allshows = sorted([*s.others, s.score], key=lambda x: -x.score)
        body += _table(["场次 show", "开播 started", "得分 score", "成交额 GMV", "转化率 conversion", "互动/观看 interaction rate"], (
            [("<b>" + _e(x.show_id) + "</b>") if x.show_id == r.show_id else _e(x.show_id),
             datetime.fromtimestamp(x.totals.started_at).strftime("%Y-%m-%d %H:%M") if x.totals and x.totals.started_at else "-",
             f"{x.score:.1f}", _money(x.totals.gmv if x.totals else None),
             "-" if not x.totals or x.totals.conversion is None else f"{x.totals.conversion:.2%}",
             "-" if not x.totals or x.totals.interaction_rate is None else f"{x.totals.interaction_rate:.2f}"]
            for x in allshows), num=(2, 3, 4, 5))
    return _section("sales", body)


def _action_name(action: dict[str, Any]) -> str:
    """A runbook action as the runbook names it, in the reader's language (its type id for
    actions logged before the names were)."""
    text = _TEXT.get()
    lang = "zh" if text is not None and text.lang == "zh_CN" else "en"
    return str(action.get(f"what_{lang}") or action.get("type"))


def _emergency(r: ShowReview) -> str:
    def group(entries: list[dict[str, Any]]) -> str:
        rows = []
        for e in entries:
            acts = "<br>".join(_e(f"{_action_name(a)}: {_word(str(a.get('result')))}"
                                  + (f" ({a['ms']:.0f} ms)" if isinstance(a.get("ms"), (int, float)) else ""))
                               for a in e["actions"])
            done = sum(1 for t in e["ticks"] if t.get("done"))
            took = fmt_duration(e["duration_s"]) if e["duration_s"] is not None else "<span class='bad'>未关闭 still open</span>"
            rows.append([_e(f"{e['name_zh']} {e['name_en']}".strip() or e["runbook"]), _at(r, e["opened"]), took,
                         acts or "-", str(done), _e(e["note"])])
        return _table(["预案 runbook", "开始 opened", "用时 took", "动作 actions", "勾选 ticks", "备注 note"], rows, num=(4,))

    body = (f"<h3>真实事件 Incidents ({len(r.incidents)})</h3>" + group(r.incidents)
            + f"<h3>演练 Drills ({len(r.drills)})</h3>" + group(r.drills))
    return _section("emergency", body)


STATUS = {"pass": ("通过 pass", "ok"), "warn": ("警告 warn", "warn"), "fail": ("失败 fail", "bad"), "skip": ("跳过 skip", "muted")}


def _selftest(r: ShowReview) -> str:
    if not r.selftest and r.selftest_run is None:
        return _section("selftest", "<p class='warn'>开播前没有自检记录 no self-test was run before the show</p>")
    verdict = ("<p class='ok'>自检通过 self-test passed</p>" if r.selftest_passed
               else "<p class='bad'>自检有失败项 self-test found failures</p>")
    run = r.selftest_run
    if run is None:
        return _section("selftest", verdict + _moments(r, r.selftest))
    counts = run.get("counts") or {}
    verdict += (f"<p>{_at(r, run.get('wall'))} · " + " · ".join(
        f"{STATUS.get(k, (k, ''))[0]} {v}" for k, v in counts.items()) + "</p>")
    rows = []
    for c in run.get("checks") or []:
        label, cls = STATUS.get(str(c.get("status")), (str(c.get("status")), ""))
        rows.append([_e(f"{c.get('name_zh') or ''} {c.get('name') or c.get('id')}".strip()), f"<span class='{cls}'>{_e(label)}</span>",
                     _e(c.get("value") or ""), _e(c.get("threshold") or ""), _e(c.get("detail") or "")])
    return _section("selftest", verdict + _table(["检查 check", "结果 result", "测得 value", "要求 threshold", "说明 detail"], rows))


# --------------------------------------------------------------------------- the page
def render_html(review: ShowReview, charts: dict[str, str] | None = None, *, generated_at: float | None = None,
                notice: str = "", text: EventText | None = None) -> str:
    """The whole report page. ``charts``: from :func:`studio_app.report.charts.all_charts`
    (drawn here when None). ``text``: renders event messages in the reader's language."""
    token = _TEXT.set(text)
    try:
        return _page(review, charts, generated_at, notice)
    finally:
        _TEXT.reset(token)


def _page(review: ShowReview, charts: dict[str, str] | None, generated_at: float | None, notice: str) -> str:
    if charts is None:
        from studio_app.report.charts import all_charts

        charts = all_charts(review)
    r = review
    generated = datetime.fromtimestamp(generated_at if generated_at is not None else time.time())
    title = f"{r.title} · {r.show_id}" if r.title else r.show_id
    rooms = "、".join("(未命名 unnamed)" if x is None else x for x in r.rooms) or "-"
    started = datetime.fromtimestamp(r.started_wall).strftime("%Y-%m-%d %H:%M:%S") if r.started_wall else "-"
    ended = _clock(r.ended_wall) + ("" if r.ended else " (未结束 not ended)")
    tiles = [
        ("时长 duration", fmt_duration(r.duration_s), ""),
        ("对比计划 against plan", fmt_duration(r.over_under, signed=True), _over_class(r.over_under, 60)),
        ("告警 alerts", str(len(r.alerts)), "warn" if r.alerts else "ok"),
        ("摄像头问题 camera incidents", str(len(r.camera)), "bad" if r.camera else "ok"),
        ("冷场 dead air", str(len(r.audio.dead_air)), "bad" if r.audio.dead_air else "ok"),
        ("应急事件 incidents", str(len(r.incidents)), "bad" if r.incidents else "ok"),
    ]
    if r.sales is not None:
        tiles.append(("得分 score", f"{r.sales.score.score:.1f}", ""))
    earlier = ""
    if r.earlier_runs:
        earlier = ("<br>不含同一场次的早先运行（彩排）earlier runs of this show id left out (rehearsals): "
                   + "、".join(_e(datetime.fromtimestamp(w).strftime("%Y-%m-%d %H:%M")) for _run, w in r.earlier_runs))
    tiles_html = "".join(f"<div class='tile'><div class='v {cls}'>{_e(v)}</div><div class='k'>{_e(k)}</div></div>"
                         for k, v, cls in tiles)
    body = "".join([
        _segments(r, charts), _products(r), _clips(r), _drops(r), _audio(r, charts), _camera(r, charts), _obs(r, charts),
        _room(r, charts), _sales(r, charts), _section("alerts", _moments(r, r.alerts)),
        _section("messages", _moments(r, r.messages)), _emergency(r), _selftest(r),
    ])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Studio Console">
<title>复盘 Review: {_e(title)}</title>
<style>{CSS}</style></head>
<body><header><h1>直播复盘 Show review: {_e(title)}</h1>
<div class="meta">场次 show <b>{_e(r.show_id)}</b> · 直播间 room {_e(rooms)} · 开播 {_e(started)} · 下播 {_e(ended)}
· {r.event_count} 条事件 events{earlier}</div></header>
<main>{f"<p class='warn'>{_e(notice)}</p>" if notice else ""}<div class="tiles">{tiles_html}</div>
{body}
</main><footer>Studio Console 直播中控台 · 生成于 generated {generated:%Y-%m-%d %H:%M:%S}</footer></body></html>
"""
