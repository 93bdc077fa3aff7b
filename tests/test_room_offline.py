"""Offline rule evaluation (``room alerts``, ``room summary``, the report) is the live rule code:
comment texts read a chunk at a time give what reading them one by one gives, and a session
fed message by message (live, the replay) raises exactly the alerts the offline path does,
read back from the store included."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio_app.room.ingest import RoomIngest
from studio_app.room.messages import RoomColumns, RoomMessage, parse_message
from studio_app.room.replay import SAMPLE_RECORDING, read_recording
from studio_app.room.rules import SEP, RoomWatch, ShowPlan, WordMatcher, evaluate, load_rules, normalise_comment, \
    normalise_comments
from studio_app.room.sample import generate
from studio_app.show.rundown import load_rundown
from studio_app.store import open_engine, upgrade_database
from studio_app.store.room import fetch_room_columns, fetch_room_messages, save_room_messages

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules()
TECH = RULES["tech_complaints"]
COMPLAINT = RULES["complaint_surge"]

# Pieces that stress NFKC, lower(), the strip class, runs and the word lists: fullwidth forms,
# ligatures, combining marks, the dotted İ, final sigma, emoji with joiners, the separator itself.
PIECES = ["ＡＢＣ", "～", "①", "ﬁ", "e\u0301", "\u0301", "İ", "ΣΑΣ", "Σ", "ß", "😀", "👍🏻", "👨\u200d👩", "_", "__", " ",
          "\u3000", "\n", "!!", "。", "、", SEP, "\x01", "好好好", "卡", "卡其色", "信用卡", "一点都不卡", "不卡", "卡了",
          "没声音", "听不见", "黑屏", "花屏", "假货", "不是假的", "退款", "七天无理由退货", "12315", "１２３１５", "加V看主页",
          "ｖ", "ⅷ", "㎏", "\ufeff", "\u200b", "a", "Z", "1"]
texts = st.lists(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map("".join),
                 max_size=40)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 7))
def test_texts_read_a_chunk_at_a_time_read_as_one_at_a_time(batch: list[str], chunk: int) -> None:
    assert normalise_comments(batch, chunk) == [normalise_comment.__wrapped__(t) for t in batch]
    for matcher in (WordMatcher(TECH["words"], TECH["ignore"]), WordMatcher({"c": COMPLAINT["words"]}, COMPLAINT["ignore"])):
        singly = {i: found for i, t in enumerate(batch) if (found := matcher._match(t))}  # noqa: SLF001
        assert matcher.match_many(batch, chunk) == singly


def test_the_chunked_reading_keeps_the_words_meaning() -> None:
    batch = ["这个卡其色好看", "好卡啊", "", "一点都不卡", "主播没声音了", "ＫＡ卡顿", "不是假的", "是假货吧", "好好好好 看!!"]
    matcher = WordMatcher(TECH["words"], TECH["ignore"])
    assert {i: sorted(found) for i, found in matcher.match_many(batch).items()} == {
        1: ["stream"], 4: ["mic"], 5: ["stream"]}
    assert list(WordMatcher({"c": COMPLAINT["words"]}, COMPLAINT["ignore"]).match_many(batch)) == [7]
    assert normalise_comments(batch)[-1] == "好看" and normalise_comments(["ＡＢ～Ｃ", SEP + "x"]) == ["abc", "x"]


def _alerts(alerts) -> list[tuple]:
    return [(a.ts, a.rule, a.key, a.cleared_at, a.value, a.baseline, a.message, a.runbook, a.args)
            for a in sorted(alerts, key=lambda a: (a.ts, a.rule, a.key))]


def _live(messages, plan=None) -> list[tuple]:
    """As the endpoint or a replay feeds them: through the gate, one message at a time."""
    watch = RoomWatch(RULES, plan)
    ingest = RoomIngest(on_accept=[watch.feed])
    for m in messages:
        ingest.submit([m])
    return _alerts(watch.alerts)


def test_the_sample_recording_live_and_offline_give_the_same_alerts_to_the_last_field() -> None:
    messages, _ = read_recording(SAMPLE_RECORDING)
    plan = ShowPlan.from_show(load_rundown(ROOT / "resources" / "shows" / "sample_show.toml"))
    live = _live(messages, plan)
    assert len(live) == 9
    assert _alerts(evaluate(messages, RULES, plan)) == live


def busy_session(seed: int = 7) -> list[RoomMessage]:
    """90 minutes of a busy room (20 comments/s, most texts never repeated) with the sample
    show's moments, and more on top: stutters, complaint surges, a crowd posting one ad
    (40 users: an episode) and a smaller one (15 users: under min_share of the window, no
    episode), two silences, and a text one user repeats (spam, not a crowd)."""
    rng = random.Random(seed)
    raw = list(generate(hours=1.5, comments_per_s=20))
    t0 = raw[0]["ts"]
    silences = [(20 * 60, 20 * 60 + 75), (65 * 60, 65 * 60 + 95)]
    out = []
    counted = 0  # the stats' comment counter, held still through a silence
    for i, m in enumerate(raw):
        t = (m["ts"] - t0) / 1000
        quiet = any(a <= t < b for a, b in silences)
        if m["type"] == "stats" and "comments" in m:
            m = {**m, "comments": counted} if quiet else m
            counted = m["comments"]
        if m["type"] == "comment":
            if quiet:
                continue
            if i % 3:  # a new text every time: the text caches' worst case
                m = {**m, "text": f"{m['text']}{i}"}
        out.append(m)
    users = [f"观众{k:04d}" for k in range(3000)]

    def burst(at_min: float, seconds: float, words: list[str], n: int, same_user: bool = False) -> None:
        for k in range(n):
            out.append({"ts": t0 + int((at_min * 60 + seconds * k / n) * 1000) + rng.randrange(0, 300),
                        "type": "comment", "user": users[0] if same_user else rng.choice(users),
                        "text": rng.choice(words)})

    burst(10, 40, ["卡了", "好卡啊", "画面一顿一顿的", "卡成PPT了"], 8)
    burst(33, 45, ["没声音了", "听不见", "黑屏了", "没画面"], 9)
    burst(55, 30, ["是不是假货", "我要投诉", "退货退款"], 7)
    burst(70, 50, ["差评", "质量差", "坑人"], 6)
    burst(25, 30, ["加V看主页领大额券", "加v 看主页领大额券!!", "加V看主页领大额券😀", "ＡＢ～Ｃ加V看主页领大额券"], 40)
    burst(40, 30, ["扫码进群抢红包", "扫码 进群抢红包!!"], 15)
    burst(50, 20, ["关注主播抽大奖啦"], 30, same_user=True)
    out.sort(key=lambda m: m["ts"])
    return [parse_message(m) for m in out]


@pytest.fixture(scope="module")
def busy() -> tuple[list[RoomMessage], list[tuple]]:
    messages = busy_session()
    accepted: list[RoomMessage] = []
    RoomIngest(on_accept=[accepted.append]).submit(messages)
    return accepted, _live(messages)


def test_a_busy_session_with_new_texts_live_and_offline_give_the_same_alerts(busy) -> None:
    accepted, live = busy
    rules = {a[1] for a in live}
    assert {"tech_complaints", "complaint_surge", "similar_comments", "comments_silent", "sellout_eta"} <= rules
    similar = [a for a in live if a[1] == "similar_comments"]
    assert [a[2] for a in similar] == ["加v看主页领大额券"]  # the 15-user crowd stays under min_share
    assert sum(a[1] == "comments_silent" for a in live) == 3  # the sample's break and two more
    assert _alerts(evaluate(accepted, RULES)) == live


def test_a_busy_session_read_back_from_the_store_gives_the_same_alerts(busy, tmp_path: Path) -> None:
    accepted, live = busy
    engine = open_engine(f"sqlite:///{tmp_path / 'room.sqlite3'}")
    try:
        upgrade_database(engine)
        save_room_messages(engine, "busy", accepted)
        save_room_messages(engine, "other", accepted[:100])
        cols = fetch_room_columns(engine, "busy")
        assert len(cols) == len(accepted)
        assert _alerts(evaluate(cols, RULES)) == live
    finally:
        engine.dispose()


def test_the_store_hands_the_rules_the_same_messages_in_columns(db_url) -> None:
    T0 = 1_797_076_800.0
    msgs = [RoomMessage(T0, "stats", {"online": 10, "gmv": 12.5}),
            RoomMessage(T0 + 1, "comment", {"user": "小雨", "text": "围巾有\"灰色\"吗😀\\n"}, "m-1"),
            RoomMessage(T0 + 1, "comment", {"text": "没有用户名的评论"}),
            RoomMessage(T0 + 2, "comment", {"user": "u\x00", "text": "加V\x00看主页"}),
            RoomMessage(T0 + 2, "product", {"sku": "SK-1", "sold": 3, "stock": 7}),
            RoomMessage(T0 + 3, "comment", {"user": "u2", "text": ""})]
    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        save_room_messages(engine, "S1", msgs)
        save_room_messages(engine, "S2", msgs[:2])
        cols = fetch_room_columns(engine, "S1")
        whole = RoomColumns.of(fetch_room_messages(engine, "S1"))
        assert list(cols.ts) == whole.ts == [m.ts for m in msgs]
        assert list(cols.users) == [None, "小雨", "", None, None, "u2"]  # the NUL comment comes whole
        assert [t for t in cols.texts if t is not None] == ["围巾有\"灰色\"吗😀\\n", "没有用户名的评论", ""]
        assert [m.data for m in cols.others] == [msgs[0].data, msgs[3].data, msgs[4].data]
        assert fetch_room_columns(engine, "nothing").ts == ()
    finally:
        engine.dispose()


WORDS = ["卡了", "没声音", "假货", "退款", "加V看主页领大额券", "加v 看主页领大额券!!", "围巾多少钱", "666", "卡其色有吗"]
T0 = 1_797_076_800.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(0, 900), st.integers(0, 20).map(lambda k: k * 45)),  # silences
                          st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.999]), st.integers(0, 14), st.sampled_from(WORDS)),
                max_size=400),
       st.lists(st.integers(0, 900), max_size=40))
def test_comments_taken_a_second_at_a_time_raise_what_one_at_a_time_raises(comments, stats) -> None:
    """Offline takes a whole second's comments together; live takes them one by one. Whole and
    fractional seconds, several comments at one instant, silences, users repeating a text."""
    messages = [RoomMessage(T0 + s + f, "comment", {"user": f"u{u}", "text": w}) for s, f, u, w in comments]
    messages += [RoomMessage(T0 + s + 0.5, "stats", {"online": 100 + s}) for s in sorted(set(stats))]
    messages.sort(key=lambda m: m.ts)
    accepted: list[RoomMessage] = []
    RoomIngest(on_accept=[accepted.append]).submit(messages)
    assert _alerts(evaluate(accepted, RULES)) == _live(messages)
