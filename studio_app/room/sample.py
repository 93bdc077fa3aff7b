"""A realistic, seeded room recording of the sample show (``resources/shows/sample_show.toml``).

``python -m studio_app.room.sample`` writes ``resources/room/sample_recording.ndjson.gz``.
The same generator makes the long shows of the benchmarks (``hours=4``).

What happens in it (minutes from 20:00, the show's planned start), each moment meant to
raise one rule, and long stretches meant to raise none:

| when | what | rule |
|---|---|---|
| 29:00-30:20 | the stream stutters in the cup segment: 卡了, 好卡, 转圈 from many viewers | ``tech_complaints`` → stream |
| 30:00-48:40 | sales start slowly: GMV well behind the pace to target_gmv until the down jackets sell | ``gmv_pace`` |
| 50:00-55:30 | 轻暖白鸭绒羽绒服 (300, frozen core stock) sells ~26/min from 43:30: under 5 min of stock left at 50:00, sold out at ~55:30 | ``sellout_eta`` |
| 47:00-47:50 | 假货, 质量差, 投诉, 退款 | ``complaint_surge`` → complaints |
| 63:00-63:50 | the anchor's mic drops: 没声音, 听不见 | ``tech_complaints`` → mic |
| 73:00-73:40 | 12 accounts post the same ad (加V看主页领大额券, with emoji and spaces) | ``similar_comments`` |
| 78:20-79:45 | the break: nobody comments for 85 s | ``comments_silent`` |
| 78:00-84:00 | viewers leave in the break and interaction falls | ``online_drop``, ``interaction_drop`` |

Everywhere else the comments hold 卡其色, 信用卡, 会员卡, 卡通, 卡券, a lone 卡了一下, short
calls to action (扣1, 想要) and ordinary questions, which must stay quiet.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import random
from pathlib import Path
from typing import Any, Iterator

OUT = Path(__file__).resolve().parents[2] / "resources" / "room" / "sample_recording.ndjson.gz"
START = dt.datetime(2026, 12, 12, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SEED = 20261212

# (segment id, minutes, product skus sold hard, online level, interaction factor)
SEGMENTS = [
    ("open", 5, (), 1500, 1.0), ("scarf", 10, ("SK-2001",), 2200, 1.0), ("chat-1", 5, (), 2300, 1.0),
    ("coupon-1", 5, ("SK-2001",), 2350, 1.0), ("cup", 8, ("SK-2002",), 2400, 1.0),
    ("flash", 6, ("SK-2002",), 2600, 1.0), ("down", 12, ("SK-2003",), 2550, 1.0),
    ("lucky", 5, (), 2650, 1.0), ("home", 10, ("SK-2004", "SK-2005"), 2550, 1.0),
    ("coupon-2", 4, ("SK-2004",), 2500, 1.0), ("cream", 8, ("SK-2006",), 2450, 1.0),
    ("break", 3, (), 1300, 0.35), ("recap", 8, ("SK-2001", "SK-2006"), 2250, 1.0), ("close", 5, (), 2000, 1.0),
]
PRODUCTS = {  # sku: (price, stock, sales per minute while explained, background per minute)
    "SK-2001": (259, 800, 9.0, 0.5), "SK-2002": (79, 1500, 22.0, 0.8), "SK-2003": (599, 300, 0.0, 0.2),
    "SK-2004": (139, 600, 11.0, 0.4), "SK-2005": (59, 1000, 14.0, 0.5), "SK-2006": (69, 2000, 20.0, 0.6),
}

CHATTER = [
    "主播好美", "围巾多少钱", "有卡其色吗", "卡其色还有吗", "能用信用卡吗", "信用卡分期可以吗", "会员卡有积分吗",
    "有卡通图案的吗", "卡券怎么领", "卡券在哪里领", "发货快吗", "几号发货", "尺码怎么选", "已拍", "拍了", "好看",
    "想要", "1", "扣1", "主播穿的什么颜色", "保温杯能装开水吗", "羽绒服是鸭绒吗", "加湿器声音大吗", "护手霜什么味道",
    "还有优惠券吗", "链接在哪", "上链接", "多少钱", "好便宜", "已下单", "买了两条", "质量怎么样", "上次买的很好用",
    "160穿什么码", "包邮吗", "送礼合适吗", "颜色好正", "主播辛苦了", "第一次来", "关注了", "来了来了", "晚上好",
    "赠品有吗", "能开发票吗", "小鹿今天好漂亮", "阿杰讲得好清楚", "给妈妈买一条", "保温多久", "有小码吗",
    "杯子有几个颜色", "暖手宝能带上飞机吗", "老粉来了", "七天无理由退货吗", "羊绒会起球吗", "灰色还有吗",
]
# Ordinary questions come in many wordings: no ten viewers type the same sentence in a minute.
_GOODS = ["围巾", "保温杯", "羽绒服", "加湿器", "暖手宝", "护手霜", "杯子", "这个", "那条围巾", "刚才那个"]
_COLOURS = ["卡其色", "灰色", "米白", "黑色", "酒红", "藏青", "驼色", "浅粉"]
_TEMPLATES = ["{g}多少钱", "{g}还有吗", "{g}有{c}吗", "{g}质量怎么样", "{g}包邮吗", "{g}几号发货", "{g}能用信用卡吗",
              "{g}有卡通款吗", "{g}送礼合适吗", "{h}穿什么码", "{h}的穿M还是L", "{g}会员卡能打折吗", "{g}卡券怎么用",
              "想要{c}的{g}", "给{w}买一个{g}", "{g}和上次的一样吗", "{g}有赠品吗", "{c}好看还是{c2}好看", "{n}今天好漂亮",
              "{n}讲得好清楚", "{g}什么时候上链接", "{g}能开发票吗", "{g}保修多久", "已经买了{k}个{g}", "{g}好便宜"]
_FILL = {"h": ["155", "158", "160", "163", "165", "168", "170", "172", "175", "180"],
         "w": ["妈妈", "老婆", "女朋友", "闺蜜", "婆婆", "同事", "自己", "孩子"], "n": ["小鹿", "阿杰", "主播"],
         "k": ["两", "三", "四", "五"]}


def _chatter(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(CHATTER)
    text = rng.choice(_TEMPLATES).format(g=rng.choice(_GOODS), c=rng.choice(_COLOURS), c2=rng.choice(_COLOURS),
                                         **{k: rng.choice(v) for k, v in _FILL.items()})
    return text + rng.choice(["", "", "", "?", "呀", "啊", "～", "!!", "呢"])


LONE_STUTTER = ["卡了一下", "刚才卡了下"]
STREAM_WORDS = ["卡了", "好卡啊", "主播卡住了", "一直在转圈", "画面一顿一顿的", "卡成PPT了", "又卡了", "好卡", "卡顿严重"]
MIC_WORDS = ["没声音了", "听不见", "主播没声音", "听不到声音", "怎么没声了", "没声音啊", "声音断了"]
COMPLAINTS = ["是不是假货", "质量差", "我要投诉", "上次买的要退款", "假的吧这是", "太差了上次那件", "退货退款",
              "差评"]
SPAM = ["加V看主页领大额券", "加V看主页领大额券!!", "加v看主页 领大额券", "加V看主页领大额券😀",
        "加V 看主页领大额券～", "加V看主页领大额券!!!"]


def _segments() -> list[tuple[str, float, float, tuple, float, float]]:
    out, t = [], 0.0
    for seg, minutes, skus, level, factor in SEGMENTS:
        out.append((seg, t * 60, (t + minutes) * 60, skus, level, factor))
        t += minutes
    return out


def _at(t: float, table: list) -> tuple:
    for row in table:
        if row[1] <= t < row[2]:
            return row
    return table[-1]


def generate(seed: int = SEED, *, hours: float | None = None, comments_per_s: float | None = None,
             start: dt.datetime = START) -> Iterator[dict[str, Any]]:
    """Messages in time order. ``hours``: repeat the show's plan (quiet, without the designed
    moments after the first pass) to that length; ``comments_per_s``: a fixed comment rate
    (benchmarks), else it follows the audience (about 2-4/s)."""
    rng = random.Random(seed)
    table = _segments()
    plan_s = table[-1][2]
    total_s = hours * 3600 if hours else plan_s
    t0 = start.timestamp()
    users = [f"用户{rng.randrange(10**6):06d}" for _ in range(4000)]
    messages: list[tuple[float, int, dict]] = []
    seq = 0

    def emit(t: float, msg: dict) -> None:
        nonlocal seq
        seq += 1
        messages.append((t, seq, msg))

    def ms(t: float) -> int:
        return int(round((t0 + t) * 1000))

    sold = dict.fromkeys(PRODUCTS, 0.0)
    clicks = dict.fromkeys(PRODUCTS, 0.0)
    likes = comments = entries = viewers = shares = follows = 0.0
    online = 300.0

    def in_pass(t: float) -> float:
        return t % plan_s

    # comments first: their count feeds the stats counter
    comment_times: list[float] = []
    t = 0.0
    while t < total_s:
        p = in_pass(t)
        seg = _at(p, table)
        rate = comments_per_s if comments_per_s else 2.6 * seg[5] * (0.6 if p < 120 else 1.0)
        if t < plan_s and 78 * 60 + 20 <= t < 79 * 60 + 45:
            t = 79 * 60 + 45  # the break: silence
            continue
        t += rng.expovariate(rate)
        if t >= total_s:
            break
        text = _chatter(rng)
        if rng.random() < 0.004:
            text = rng.choice(LONE_STUTTER)
        emit(t, {"type": "comment", "user": rng.choice(users), "text": text})
        comment_times.append(t)
    # the designed moments (first pass only)
    def burst(start_s: float, end_s: float, texts: list[str], n: int) -> None:
        for i in range(n):
            tt = start_s + (end_s - start_s) * (i + rng.random() * 0.5) / n
            emit(tt, {"type": "comment", "user": rng.choice(users), "text": rng.choice(texts)})
            comment_times.append(tt)
    burst(29 * 60, 30 * 60 + 20, STREAM_WORDS, 11)
    burst(47 * 60, 47 * 60 + 50, COMPLAINTS, 7)
    burst(63 * 60, 63 * 60 + 50, MIC_WORDS, 8)
    for i, u in enumerate(rng.sample(users, 12)):
        tt = 73 * 60 + i * 3.2 + rng.random()
        emit(tt, {"type": "comment", "user": u, "text": rng.choice(SPAM)})
        comment_times.append(tt)
    comment_times.sort()

    ci = 0
    step = 2.0  # stats every 2 s, products every 10 s
    t = 0.0
    last_product = -10.0
    while t < total_s:
        p = in_pass(t)
        seg = _at(p, table)
        level = seg[4] if t >= 60 else 300 + (seg[4] - 300) * t / 60
        # follow the segment's level smoothly (viewers come and go over a minute or two)
        online += (level - online) * (step / 70.0) + rng.gauss(0, online * 0.004)
        online = max(50.0, online)
        factor = seg[5]
        likes += rng.gauss(0.55 * factor * online / 60 * step, 3)
        entries += online / 60 * step * 0.22 + rng.random()
        viewers = max(viewers, entries * 1.35)
        shares += rng.random() * 0.3
        follows += rng.random() * 0.25
        while ci < len(comment_times) and comment_times[ci] <= t:
            ci += 1
        comments = float(ci)
        for sku, (price, stock, hard, background) in PRODUCTS.items():
            per_min = background
            if sku in seg[3]:
                per_min = hard
            if sku == "SK-2003" and t < plan_s and 43.5 * 60 <= t:
                per_min = 26.0  # the down jacket's rush
            elif sku == "SK-2003" and t < plan_s and 39 * 60 <= t:
                per_min = 3.0
            if t < plan_s and t < 44 * 60:
                per_min *= 0.6  # a slow start: GMV behind the pace
            left = stock - sold[sku]
            mean = per_min / 60 * step
            more = max(0.0, rng.gauss(mean, math.sqrt(mean) * 0.7)) if mean >= 1 else float(rng.random() < mean)
            sold[sku] = min(stock, sold[sku] + more)
            clicks[sku] += per_min / 60 * step * 9 + rng.random()
            if left > 0 >= stock - sold[sku]:
                sold[sku] = float(stock)
        orders = int(sum(int(v) for v in sold.values()))
        gmv = sum(int(sold[s]) * PRODUCTS[s][0] for s in PRODUCTS)
        emit(t, {"type": "stats", "online": int(online), "viewers": int(viewers), "entries": int(entries),
                 "likes": int(max(likes, 0)), "comments": int(comments), "shares": int(shares),
                 "follows": int(follows), "orders": orders, "buyers": int(orders * 0.93), "gmv": float(gmv)})
        if t - last_product >= 10:
            last_product = t
            for sku, (price, stock, _, _) in PRODUCTS.items():
                emit(t + 0.5, {"type": "product", "sku": sku, "sold": int(sold[sku]), "stock": stock - int(sold[sku]),
                               "clicks": int(clicks[sku]), "gmv": float(int(sold[sku]) * price)})
        if rng.random() < 0.05:
            emit(t + 1.0, {"type": "gift", "user": rng.choice(users), "gift": rng.choice(["小心心", "玫瑰", "棒棒糖"]),
                           "count": rng.randint(1, 5), "value": 0.1})
        if rng.random() < 0.1:
            emit(t + 1.5, {"type": "follow", "user": rng.choice(users)})
        t += step
    messages.sort(key=lambda x: (x[0], x[1]))
    for tt, _, msg in messages:
        yield {"ts": ms(tt), **msg}


def write(path: Path = OUT, **kwargs: Any) -> int:
    lines = [json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in generate(**kwargs)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same seed gives the same bytes (no spurious diffs when regenerated)
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
        gz.write(data)
    return len(lines)


if __name__ == "__main__":
    n = write()
    print(f"wrote {n} messages to {OUT} ({math.ceil(OUT.stat().st_size / 1024)} KiB)")
