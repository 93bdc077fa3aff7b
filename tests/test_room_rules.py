"""Room alert rules on recorded sessions: each fires and clears where it should, stays quiet
where it should not; rule files; words in context."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio_app.room.ingest import RoomIngest
from studio_app.room.messages import RoomMessage
from studio_app.room.replay import SAMPLE_RECORDING, read_recording
from studio_app.room.rules import Rule, RoomWatch, RulesError, ShowPlan, evaluate, load_rules, normalise_comment
from studio_app.show.rundown import load_rundown

ROOT = Path(__file__).resolve().parents[1]
T0 = 1_797_076_800.0  # 2026-12-12T20:00:00+08:00


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture(scope="module")
def sample_alerts(rules):
    messages, errors = read_recording(SAMPLE_RECORDING)
    assert not errors
    accepted: list[RoomMessage] = []
    RoomIngest(on_accept=[accepted.append]).submit(messages)
    assert len(accepted) == len(messages)
    plan = ShowPlan.from_show(load_rundown(ROOT / "resources" / "shows" / "sample_show.toml"))
    return evaluate(accepted, rules, plan), accepted[0].ts


def _minutes(alert, t0):
    return (alert.ts - t0) / 60, None if alert.cleared_at is None else (alert.cleared_at - t0) / 60


# (rule, runbook or key, raised between [a, b] minutes, cleared between [c, d] minutes)
EXPECTED = [
    ("tech_complaints", "stream", (29.0, 30.4), (30.0, 31.5)),
    ("gmv_pace", "", (30.0, 30.1), (44.0, 52.0)),
    ("complaint_surge", "complaints", (47.0, 47.9), (47.9, 49.0)),
    ("sellout_eta", "SK-2003", (48.0, 52.0), (54.0, 56.5)),
    ("tech_complaints", "mic", (63.0, 63.9), (63.9, 65.0)),
    ("similar_comments", "加v看主页领大额券", (73.0, 73.7), (73.7, 75.0)),
    ("interaction_drop", "", (78.0, 81.0), (82.0, 86.0)),
    ("comments_silent", "", (79.3, 79.4), (79.7, 79.8)),
    ("online_drop", "", (79.0, 82.0), (83.0, 87.0)),
]


def test_the_sample_recording_raises_each_designed_alert_once_and_nothing_else(sample_alerts) -> None:
    alerts, t0 = sample_alerts
    got = sorted(alerts, key=lambda a: (a.rule, a.ts))
    assert len(got) == len(EXPECTED), [(a.rule, a.key, _minutes(a, t0)) for a in got]
    for rule, tag, (a, b), (c, d) in EXPECTED:
        match = [x for x in alerts if x.rule == rule and tag in (x.runbook, x.key, "")]
        assert len(match) == 1, (rule, tag, [(x.rule, x.runbook, x.key) for x in alerts])
        raised, cleared = _minutes(match[0], t0)
        assert a <= raised <= b, (rule, tag, raised)
        assert cleared is not None and c <= cleared <= d, (rule, tag, cleared)
    assert set(a.rule for a in alerts) == {r for r, *_ in EXPECTED} == set(load_rules())


def test_alerts_propose_and_do_not_run(sample_alerts) -> None:
    alerts, _ = sample_alerts
    by_rule = {(a.rule, a.runbook): a for a in alerts}
    assert by_rule[("complaint_surge", "complaints")].runbook == "complaints"
    online = next(a for a in alerts if a.rule == "online_drop")
    assert online.action == "coupon.drop_now" and online.automatic is False
    assert online.baseline > online.value and (online.baseline - online.value) / online.baseline >= 0.2
    sellout = next(a for a in alerts if a.rule == "sellout_eta")
    assert sellout.args == {"sku": "SK-2003"} and sellout.value <= 300
    row = online.to_json()
    assert {"ts", "rule", "severity", "message", "runbook", "value", "baseline"} <= set(row)
    json.dumps(row)


def comment(t: float, text: str, user: str = "u") -> RoomMessage:
    return RoomMessage(T0 + t, "comment", {"text": text, "user": user})


def stats(t: float, **d) -> RoomMessage:
    return RoomMessage(T0 + t, "stats", d)


def run(messages, rules, plan=None, end=None, *, silence: bool = False):
    """The alerts; comments_silent only when asked (short made-up sessions have gaps)."""
    if not silence:
        rules = {n: r if n != "comments_silent" else Rule(n, {**r.params, "enabled": False}) for n, r in rules.items()}
    return evaluate(sorted(messages, key=lambda m: m.ts), rules, plan, end)


def test_tech_complaints_pick_the_runbook_by_the_words_and_ignore_look_alikes(rules) -> None:
    quiet = ["这个卡其色好看", "能用信用卡吗", "会员卡有积分吗", "卡通款有吗", "卡券怎么领", "一点都不卡", "银行卡可以吗"]
    msgs = [comment(i * 5, quiet[i % len(quiet)], f"u{i}") for i in range(40)]
    assert run(msgs, rules) == []
    for words, runbook in ((["没声音了", "听不见", "主播没声音"], "mic"), (["黑屏了", "没画面", "花屏"], "camera"),
                           (["好卡", "卡了", "一直转圈"], "stream")):
        msgs = [comment(i * 8, words[i % 3], f"u{i}") for i in range(5)]
        [alert] = run(msgs, rules, end=T0 + 200)
        assert (alert.rule, alert.runbook) == ("tech_complaints", runbook)
        assert alert.ts == T0 + 32  # the fifth comment
        assert alert.cleared_at == pytest.approx(T0 + 60, abs=1)  # the first left the window: over from then


def test_four_complaints_in_a_minute_are_not_a_surge_five_are(rules) -> None:
    four = [comment(i * 10, "假货吧", f"u{i}") for i in range(4)] + [comment(200, "好看")]
    assert run(four, rules) == []
    five = [comment(i * 10, "我要投诉", f"u{i}") for i in range(5)] + [comment(300, "好看")]
    [alert] = run(five, rules, end=T0 + 400)
    assert alert.rule == "complaint_surge" and alert.runbook == "complaints" and alert.cleared_at is not None


def test_similar_comments_need_different_users_and_more_than_a_call_to_action(rules) -> None:
    one_user = [comment(i, "加V看主页领券", "spammer") for i in range(20)]
    calls = [comment(i, "扣1!!", f"u{i}") for i in range(30)]
    assert run(one_user + calls, rules) == []
    crowd = [comment(i * 2, t, f"u{i}") for i, t in enumerate(["加V看主页领券", "加v 看主页领券!!", "加V看主页领券😀"] * 4)]
    [alert] = run(crowd, rules, end=T0 + 300)
    assert alert.rule == "similar_comments" and alert.value == 10 and alert.key == "加v看主页领券"
    assert normalise_comment("好好好好 看!!") == "好看"


def test_comments_silent_fires_at_the_moment_silence_passes_60_s_and_only_while_live(rules) -> None:
    watch = RoomWatch(rules)
    watch.feed(comment(0, "晚上好"))
    assert watch.advance(T0 + 59) == []
    [raised] = watch.advance(T0 + 75)
    assert raised.state == "raised" and raised.alert.ts == T0 + 60
    [cleared] = watch.feed(comment(80, "来了"))
    assert cleared.state == "cleared" and cleared.alert.cleared_at == T0 + 80
    watch.set_live(False, T0 + 81)
    assert watch.advance(T0 + 400) == []  # off air: no silence alarm


def _room(minutes: int, online, rate_per_viewer=0.5):
    """Stats every 10 s; ``online(t)`` viewers; interactions at ``rate_per_viewer(t)`` per viewer per minute."""
    msgs, likes = [], 0.0
    for i in range(minutes * 6):
        t = i * 10.0
        o = online(t)
        r = rate_per_viewer(t) if callable(rate_per_viewer) else rate_per_viewer
        likes += o * r / 6
        msgs.append(stats(t, online=int(o), likes=int(likes), comments=0))
    return msgs


def test_online_drop_compares_two_five_minute_averages_and_clears_when_they_recover(rules) -> None:
    steady = _room(40, lambda t: 2000 + (50 if int(t) % 20 else -50))
    assert [a.rule for a in run(steady, rules)] == []
    dip = _room(40, lambda t: 1400 if 900 <= t < 1500 else 2000)
    alerts = [a for a in run(dip, rules) if a.rule == "online_drop"]
    assert len(alerts) == 1
    a = alerts[0]
    assert 900 < a.ts - T0 <= 1200 and a.cleared_at is not None and a.cleared_at - T0 > a.ts - T0
    assert a.value <= 0.8 * a.baseline


def test_interaction_drop_fires_on_10_percent_not_on_8(rules) -> None:
    small = _room(30, lambda t: 2000, lambda t: 0.46 if t >= 900 else 0.5)
    assert [a.rule for a in run(small, rules)] == []
    big = _room(30, lambda t: 2000, lambda t: 0.42 if t >= 900 else 0.5)
    [a] = run(big, rules)
    assert a.rule == "interaction_drop" and a.baseline == pytest.approx(0.5, rel=0.02)


def test_sellout_eta_per_product_and_gmv_pace_against_the_target(rules) -> None:
    msgs = []
    for i in range(60):  # 10 min; SK-A sells 20/min from 100, SK-B 1/min from 1000
        t = i * 10.0
        msgs.append(RoomMessage(T0 + t, "product", {"sku": "SK-A", "sold": int(i * 20 / 6), "stock": 100 - int(i * 20 / 6)}))
        msgs.append(RoomMessage(T0 + t + 1, "product", {"sku": "SK-B", "sold": i // 6, "stock": 1000 - i // 6}))
    alerts = run(msgs, rules)
    assert [(a.rule, a.key) for a in alerts] == [("sellout_eta", "SK-A")]
    assert alerts[0].cleared_at is not None  # sold out: the episode ends
    plan = ShowPlan(target_gmv=100_000, planned_s=3600)
    behind = [stats(t, gmv=t / 3600 * 100_000 * 0.7) for t in range(0, 3600, 60)]
    on_pace = [stats(t, gmv=t / 3600 * 100_000 * 0.9) for t in range(0, 3600, 60)]
    [a] = run(behind, rules, plan)
    assert a.rule == "gmv_pace" and a.ts == T0 + 1800
    assert run(on_pace, rules, plan) == []
    assert run(behind, rules, None) == []  # no target: no pace


def test_a_rules_file_changes_what_it_names_and_errors_are_located(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text('[online_drop]\ndrop = 0.3\n\n[comments_silent]\nenabled = false\n', encoding="utf-8")
    mine = load_rules(f)
    assert mine["online_drop"]["drop"] == 0.3 and mine["online_drop"]["window"] == 300
    assert not mine["comments_silent"].enabled
    for text, fragment in [
        ("[online_drop]\n\ndrop = 20\n", "mine.toml:3: online_drop.drop: expected a fraction between 0 and 1"),
        ("[nope]\nx = 1\n", "mine.toml:1: [nope]: unknown rule"),
        ("[gmv_pace]\nafter = \"soon\"\n", "mine.toml:2: gmv_pace.after:"),
        ("[gmv_pace]\nspeed = 1\n", "mine.toml:2: gmv_pace.speed: unknown setting"),
        ("[tech_complaints.words]\nphone = [\"x\"]\n", "tech_complaints.words: unknown group 'phone'"),
        ("[online_drop]\nautomatic = true\naction = \"\"\n", "automatic = true needs an action"),
        ("[online_drop\n", "TOML syntax"),
    ]:
        f.write_text(text, encoding="utf-8")
        with pytest.raises(RulesError) as err:
            load_rules(f)
        assert fragment in str(err.value), str(err.value)


def test_offline_and_live_agree(rules, sample_alerts) -> None:
    """The replay path (message by message through the ingest, as the endpoint feeds it) gives
    the same alerts as the offline evaluation."""
    offline, _ = sample_alerts
    messages, _ = read_recording(SAMPLE_RECORDING)
    watch = RoomWatch(rules, ShowPlan.from_show(load_rundown(ROOT / "resources" / "shows" / "sample_show.toml")))
    ingest = RoomIngest(on_accept=[watch.feed])
    for m in messages:
        ingest.submit([m])
    assert [(a.rule, a.key, a.ts, a.cleared_at) for a in sorted(watch.alerts, key=lambda a: (a.ts, a.rule, a.key))] == \
        [(a.rule, a.key, a.ts, a.cleared_at) for a in offline]
