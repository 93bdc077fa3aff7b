"""The show review from a scripted run of the sample show, on SQLite and PostgreSQL.

The real ShowDesk runs resources/shows/sample_show.toml on an injected clock and writes to a
real EventLog; device events use the kinds and payloads the workers log (hardware/audio/
worker.py, hardware/camera/monitor.py and capture.py, hardware/obs/link.py and health.py).
The EventLog stamps events with the same injected clock, so the whole show takes no time.
"""
from __future__ import annotations

import re
import time as _time
from pathlib import Path

import pytest

from studio_app.report import build_review, latest_show, list_shows, load_review, render_report, write_report
from studio_app.report.review import segment_runs
from studio_app.show.clock import ManualClock
from studio_app.core.settings import Settings
from studio_app.show.desk import ShowDesk
from studio_app.studio import Studio
from studio_app.store import EventLog, enter_figures, open_engine, upgrade_database

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "shows" / "sample_show.toml"
SHOW_ID = "2026-12-12-warm-winter"
ROOM = "一号间"


class _ShowTime:
    """Stands in for the ``time`` module inside the event log: wall time from the show clock."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock

    def time(self) -> float:
        return self.clock.wall

    def __getattr__(self, name):  # monotonic, sleep...: the real ones
        return getattr(_time, name)


class ScriptedShow:
    """Drives the desk and the devices through the sample show, minute by minute."""

    def __init__(self, log: EventLog, clock: ManualClock) -> None:
        self.log, self.clock = log, clock
        self.desk = ShowDesk.from_file(SAMPLE, clock, log)
        # The anchor's message is the studio's: it goes through the studio's dispatcher.
        self.studio = Studio(Settings(), log, clock=clock)
        self.studio.set_show(self.desk, fresh=False)
        self.kbps = 6000.0
        self.skipped = 0
        self.loud = -16.0

    def do(self, action: str, **params) -> None:
        result = self.desk.dispatch(action, **params)
        assert result.ok, (action, result.message)

    def dev(self, source: str, kind: str, message: str, severity: int, payload: dict) -> None:
        self.log.log(source, kind, message, severity, payload)

    def wait(self, seconds: float, step: float = 5.0) -> None:
        """Time passes: the desk ticks, the mic and OBS report their once-every-5 s figures."""
        left = seconds
        while left > 1e-9:
            dt = min(step, left)
            self.clock.advance(dt)
            left -= dt
            self.desk.tick()
            self.dev("mic", "loudness", "loudness", 10, {
                "momentary_lufs": self.loud + 1.5, "short_term_lufs": self.loud, "integrated_lufs": -16.4,
                "target_lufs": -16.0, "device": "USB Mic"})
            self.dev("obs", "obs.stats", "stream stats", 10, {
                "stream_kbps": self.kbps, "output_dropped_percent": 0.0 if self.kbps > 3000 else 2.5,
                "output_skipped": self.skipped, "output_total": int(self.clock.mono * 30), "render_dropped_percent": 0.0,
                "stream_congestion": 0.0 if self.kbps > 3000 else 0.9})

    def run(self) -> None:
        d = self.dev
        # Self-test 20 minutes before the show.
        # The self-test 20 minutes before the show, recorded as the self-test engine records it.
        from studio_app.selftest.checks import SelfTestCheck, SelfTestRun, Status
        from studio_app.selftest.runner import record_run

        record_run(self.log, SelfTestRun(checks=[
            SelfTestCheck("camera.signal", Status.PASS, "picture OK"),
            SelfTestCheck("mic.level", Status.PASS, "-18.2 dBFS", "-30..-6 dBFS"),
            SelfTestCheck("mic.noise_floor", Status.WARN, "-52.0 dBFS", "<= -55 dBFS", "air conditioning"),
            SelfTestCheck("obs.scenes", Status.PASS, "4 scenes"),
        ], started_at=self.clock.wall, duration_s=12.5))
        self.clock.advance(20 * 60)
        self.do("override_compliance", reason="rehearsed script, reviewed by legal")
        self.do("go")  # 开场暖场
        self.wait(330)  # 30 s over
        self.do("go")  # 羊绒围巾讲解
        self.wait(60)
        self.do("card_push", sku="SK-2001")
        self.wait(240)
        self.do("stock_adjust", sku="SK-2001", delta=-120, reason="platform sync")
        self.wait(240)
        self.do("card_stop")
        self.wait(0.001)
        self.do("go")  # 互动 (9 minutes on the scarf: 1 min under)
        assert self.studio.dispatch("message.send", text="评论区问尺码，请回答", blink=True).ok
        self.wait(300)
        self.do("go")  # 发券：满200减30 (drop-1 at +30 s)
        self.wait(40)
        self.do("coupon_confirm")  # ~10 s after the cue
        self.wait(260)
        self.do("go")  # 保温杯讲解
        self.do("card_push", sku="SK-2002")
        self.wait(480)
        self.do("go")  # 秒杀 (flash-cup at +1 min)
        self.loud = -9.0
        d("mic", "clipping", "clipping on 'USB Mic': 37 samples at full scale (peak 0.0 dBFS)", 30,
          {"device": "USB Mic", "clipped_samples": 37, "total_clipped_samples": 37, "peak_dbfs": 0.0, "per_channel": [37, 0]})
        self.wait(65)
        self.do("coupon_confirm")
        self.loud = -16.0
        self.wait(295)
        self.do("go")  # 羽绒服讲解
        self.do("card_push", sku="SK-2003")
        self.do("stock_adjust", sku="SK-2003", delta=-50, reason="supervisor: reserve for returns", force=True)
        self.wait(120)
        self.skipped = 0
        self.kbps = 1800.0
        d("obs", "obs.frames_dropped", "stream dropping frames: 2.5% in the last 10 s", 30, {"percent": 2.5})
        for _ in range(6):
            self.skipped += 45
            self.wait(5)
        self.kbps = 6000.0
        d("obs", "obs.frames_ok", "stream no longer dropping frames", 20, {"percent": 0.0})
        self.wait(570)
        self.do("go")  # 福袋抽奖
        d("camera", "picture_exposure", "画面过暗: 平均亮度 12%", 30, {"verdict": "exposure", "value": "under", "mean_luma": 31.0})
        self.wait(40)
        d("camera", "picture_exposure", "曝光正常", 20, {"verdict": "exposure", "value": "ok", "mean_luma": 118.0})
        self.wait(260)
        self.do("go")  # 加湿器和暖手宝
        self.do("card_push", sku="SK-2004")
        self.wait(120)
        d("camera", "source_lost", "camera picture lost: USB camera 0 (no frame for 2.0 s)", 40, {"why": "no frame for 2.0 s"})
        d("obs", "obs.disconnected", "OBS stopped answering", 30, {"host": "127.0.0.1", "port": 4455})
        self.wait(15)
        d("camera", "source_recovered", "camera picture back: USB camera 0 1280x720", 20, {"width": 1280, "height": 720, "reconnects": 1})
        d("obs", "obs.reconnected", "OBS 30.2.0 reconnected at 127.0.0.1:4455", 20, {"host": "127.0.0.1", "port": 4455})
        self.do("card_push", sku="SK-2005")
        self.wait(465)
        self.do("go")  # 发券：满99减10 — the desk cancels it
        self.do("coupon_cancel", id="drop-2", reason="上一轮券还没发完")
        self.wait(240)
        self.do("go")  # 护手霜礼盒讲解
        self.do("card_push", sku="SK-2006")
        d("camera", "picture_focus", "对焦变软: 清晰度 41%", 30, {"verdict": "focus", "value": "soft", "sharpness": 41.0})
        self.wait(20)
        d("camera", "picture_focus", "对焦正常", 20, {"verdict": "focus", "value": "sharp", "sharpness": 98.0})
        self.wait(200)
        self.do("stock_set", sku="SK-2006", value=0, reason="sold out on the platform")
        self.wait(260)
        self.do("go")  # 换装休息: dead air
        self.loud = -45.0
        self.wait(10)
        d("mic", "dead_air_start", "dead air: 'USB Mic' below -60 dBFS for 8.0 s", 40,
          {"device": "USB Mic", "level_dbfs": -70.0, "threshold_dbfs": -60.0, "seconds": 8.0})
        d("emergency", "incident.open", "incident: 冷场 Dead air", 30, {
            "incident": "inc-1", "runbook": "dead_air", "drill": False, "name_zh": "冷场", "name_en": "Dead air",
            "wall": self.clock.wall, "by": "desk", "alarm": "mic.dead_air"})
        self.wait(20)
        d("mic", "dead_air_end", "dead air over after 28.0 s (sound is back)", 20,
          {"device": "USB Mic", "duration_s": 28.0, "level_dbfs": -20.0})
        d("emergency", "incident.action", "switch to BRB", 20, {
            "incident": "inc-1", "index": 0, "type": "obs_scene", "sent_as": "program", "result": "ok", "ms": 42.0})
        d("emergency", "incident.close", "incident closed: 冷场 Dead air", 20, {
            "incident": "inc-1", "wall": self.clock.wall, "duration_s": 20.0, "note": "anchor back from the break"})
        self.loud = -16.0
        self.wait(150)
        self.do("go")  # 返场回顾 (drop-3 at 1 h 23 min)
        d("emergency", "incident.open", "演练: OBS 断流", 20, {
            "incident": "drill-1", "runbook": "obs_down", "drill": True, "name_zh": "OBS 断流", "name_en": "OBS down",
            "wall": self.clock.wall, "by": "desk"})
        d("emergency", "incident.close", "演练: closed", 20, {"incident": "drill-1", "wall": self.clock.wall + 60,
                                                            "duration_s": 60.0, "note": ""})
        self.wait(480)
        self.do("go")  # 下播预告
        self.wait(300)
        self.do("end_show")


@pytest.fixture
def show_clock(monkeypatch):
    import studio_app.store.eventlog as eventlog

    clock = ManualClock(mono=1000.0, wall=_time.time() - 3 * 3600)
    monkeypatch.setattr(eventlog, "time", _ShowTime(clock))
    return clock


def run_sample_show(db_url: str, folder: Path, clock: ManualClock, room: str | None = ROOM) -> None:
    log = EventLog(db_url, room=room, spool_path=folder / "outbox" / "ev.jsonl").start()
    try:
        ScriptedShow(log, clock).run()
        assert log.flush(60), log.status
    finally:
        log.close()


@pytest.fixture
def sample_log(db_url, tmp_path, show_clock):
    """The sample show run once in room 一号间, with sales figures for it and two earlier shows."""
    run_sample_show(db_url, tmp_path, show_clock)
    engine = open_engine(db_url)
    upgrade_database(engine)
    try:
        enter_figures(engine, SHOW_ID, room=ROOM, gmv=182_000.0, orders=1450, viewers=52_000, interactions=9_100)
        enter_figures(engine, SHOW_ID, segment_id="scarf", room=ROOM, gmv=61_000.0, orders=236, viewers=12_000)
        enter_figures(engine, "2026-12-05-home", room=ROOM, gmv=240_000.0, orders=1600, viewers=70_000, interactions=8_000)
        enter_figures(engine, "2026-11-28-snacks", room=ROOM, gmv=90_000.0, orders=900, viewers=40_000, interactions=4_000)
        enter_figures(engine, "2026-12-01-elsewhere", room="二号间", gmv=999_000.0, orders=9000, viewers=90_000)
    finally:
        engine.dispose()
    return db_url


def _review(db_url, **kwargs):
    engine = open_engine(db_url)
    try:
        return load_review(engine, SHOW_ID, **kwargs)
    finally:
        engine.dispose()


def test_review_of_the_sample_show(sample_log):
    r = _review(sample_log, rundown=SAMPLE)
    assert r.title == "暖冬好物专场" and r.rooms == [ROOM] and r.ended
    # plan against actual: every one of the 14 segments ran once
    assert [s.segment for s in r.segments][:3] == ["open", "scarf", "chat-1"] and len(r.segments) == 14
    by_id = {s.segment: s for s in r.segments}
    assert by_id["open"].over_under == pytest.approx(30, abs=0.01)
    assert by_id["scarf"].over_under == pytest.approx(-60, abs=0.1)
    assert by_id["close"].actual_s == pytest.approx(300, abs=0.1) and by_id["close"].planned_s == 300
    assert not r.skipped
    # product cards: explained, for how long, stock movement, sold out
    cards = {c.sku: c for c in r.cards}
    assert cards["SK-2001"].name == "云朵羊绒围巾"
    assert cards["SK-2001"].explain_seconds() == pytest.approx(480, abs=0.1)
    assert (cards["SK-2001"].stock_start, cards["SK-2001"].stock_end) == (800, 680)
    assert cards["SK-2003"].stock_moves[0].reason.startswith("supervisor")
    assert cards["SK-2006"].sold_out_wall is not None and cards["SK-2006"].stock_end == 0
    assert len(cards["SK-2004"].explained) == 1 and cards["SK-2004"].explained[0][1] is not None  # SK-2005 took over
    # coupons and flash sales
    drops = {d.id: d for d in r.drops}
    assert drops["drop-1"].outcome in ("live", "done") and drops["drop-1"].announced_wall is not None
    assert drops["drop-1"].lateness is not None and drops["drop-1"].lateness <= 5.0  # ticks every 5 s
    assert drops["drop-1"].confirm_after == pytest.approx(10, abs=5.01)
    assert drops["flash-cup"].kind == "flash" and drops["flash-cup"].confirmed_wall is not None
    assert drops["drop-2"].outcome == "cancelled" and "上一轮券" in drops["drop-2"].why
    assert drops["drop-3"].fired_wall is not None
    # audio
    assert r.audio.loudness and r.audio.target_lufs == -16.0 and r.audio.integrated_lufs == -16.4
    assert len(r.audio.clipping) == 1 and r.audio.clipped_samples == 37
    [dead] = r.audio.dead_air
    assert dead.seconds() == pytest.approx(28, abs=0.1)
    # camera: dark 40 s, lost 15 s, soft 20 s
    assert [(e.kind, round(e.seconds())) for e in r.camera] == [("dark", 40), ("lost", 15), ("soft", 20)]
    # OBS
    assert [round(e.seconds()) for e in r.obs.disconnects] == [15]
    assert r.obs.episodes[0].kind == "frames_dropped" and r.obs.dropped_frames == 270
    assert min(v for _t, v in r.obs.kbps) == 1800.0
    # alerts, messages, self-test, emergency
    assert any(a.kind == "dead_air_start" for a in r.alerts) and any(a.kind == "source_lost" for a in r.alerts)
    assert [m.message for m in r.messages] == ["评论区问尺码，请回答"]
    assert r.selftest_passed is True and r.selftest_run["counts"]["warn"] == 1
    assert [c["id"] for c in r.selftest_run["checks"]][:2] == ["camera.signal", "mic.level"]
    assert [i["id"] for i in r.incidents] == ["inc-1"] and [i["id"] for i in r.drills] == ["drill-1"]
    # sales: score against the same room's shows only
    assert r.sales is not None
    assert {s.show_id for s in r.sales.others} == {"2026-12-05-home", "2026-11-28-snacks"}
    assert 0 < r.sales.score.score < 100
    assert r.sales.weights == {"gmv": 0.5, "conversion": 0.3, "interaction": 0.2}


def test_report_html_has_every_section(sample_log, tmp_path):
    r = _review(sample_log, rundown=SAMPLE)
    html = render_report(r)
    out = write_report(html, tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    for section in ("segments", "products", "drops", "audio", "camera", "obs", "sales", "alerts", "messages",
                    "emergency", "selftest"):
        assert f"<section id='{section}'>" in text, section
    for chart in ("segments", "loudness", "obs", "devices", "score"):
        assert re.search(rf"<div class='chart' id='chart-{chart}'><svg", text), chart
    # self-contained: nothing to fetch, no scripts
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text) and "<script" not in text
    for expected in ("云朵羊绒围巾", "暖冬好物专场", "画面过暗 dark", "信号丢失 lost", "失焦 soft focus", "冷场", "OBS 断开 disconnected",
                     "评论区问尺码，请回答", "上一轮券还没发完", "自检通过", "静音底噪 Noise floor in silence", "警告 warn", "演练 Drills (1)", "真实事件 Incidents (1)",
                     "2026-12-05-home"):
        assert expected in text, expected
    assert "2026-12-01-elsewhere" not in text  # another room's show is not compared
    assert r.show_id in text and "-16.4 LUFS" in text


def test_report_spans_rooms(db_url, tmp_path, show_clock):
    run_sample_show(db_url, tmp_path / "a", show_clock, room="一号间")
    show_clock.advance(-2 * 3600)  # the same show id run in a second room at the same time
    run_sample_show(db_url, tmp_path / "b", show_clock, room="二号间")
    engine = open_engine(db_url)
    try:
        both = load_review(engine, SHOW_ID)
        one = load_review(engine, SHOW_ID, rooms=["二号间"])
        assert [e.show_id for e in list_shows(engine)] == [SHOW_ID]
        assert set(list_shows(engine)[0].rooms) == {"一号间", "二号间"}
        assert latest_show(engine) == SHOW_ID
    finally:
        engine.dispose()
    assert both.rooms == ["一号间", "二号间"] and one.rooms == ["二号间"]
    assert len(both.segments) == 28 and len(one.segments) == 14
    assert len(both.camera) == 6 and len(one.camera) == 3


def test_segment_runs_from_events_alone():
    """No rundown: plan and actual come from the cue events' own payloads."""
    clock = ManualClock()
    events = []

    class Sink:
        def log(self, source, kind, message="", severity=20, payload=None, show_id=None):
            from studio_app.core.events import Event
            events.append(Event(source, kind, message, severity, payload, show_id, clock.wall, clock.mono, len(events) + 1))

    desk = ShowDesk.from_file(SAMPLE, clock, Sink())
    desk.dispatch("go")
    clock.advance(400)
    desk.dispatch("go")
    clock.advance(100)
    desk.dispatch("back")  # back to the opening
    clock.advance(50)
    desk.dispatch("jump", segment="cup")
    clock.advance(10)
    desk.dispatch("end_show")
    runs, over_under, ended = segment_runs(events)
    assert [(r.segment, round(r.actual_s)) for r in runs] == [("open", 400), ("scarf", 100), ("open", 50), ("cup", 10)]
    assert runs[0].over_under == pytest.approx(100) and runs[0].title == "开场暖场"
    assert ended
    review = build_review(SHOW_ID, events)
    assert review.duration_s == pytest.approx(560) and review.sales is None


def _ev(kind, wall, payload=None, source="cue", show_id=SHOW_ID, severity=20, message=""):
    from studio_app.core.events import Event

    return Event(source, kind, message or kind, severity, payload, show_id, wall, wall, 0)


def test_review_of_a_show_still_running_without_devices():
    """The log just stops (console died or the show is on): the last segment is open, no
    device section has data, another show's events and device events outside the show are left out."""
    t = 1_790_000_000.0
    events = [
        _ev("camera_ok", t - 100, {"verdict": "exposure", "value": "under"}, source="camera", show_id=None),
        _ev("cue.start", t, {"at_wall": t, "to": {"segment": "open", "title": "开场", "planned_start": 0, "actual_start": 0}}),
        _ev("cue.go", t + 10, {"at_wall": t + 10, "show": "other"}, show_id="OTHER-SHOW"),
        _ev("picture_exposure", t + 20, {"verdict": "exposure", "value": "under"}, source="camera", show_id=None, severity=30),
        _ev("card.explaining", t + 30, {"at_wall": t + 30, "sku": "A", "from": "queued", "to": "explaining"}, source="show"),
        _ev("desk.refused", t + 40, {"at_wall": t + 40}, source="desk", severity=30),
        _ev("picture_focus", t + 500, {"verdict": "focus", "value": "soft"}, source="camera", show_id=None),
    ]
    r = build_review(SHOW_ID, events)
    assert not r.ended and r.duration_s == pytest.approx(40)
    assert [(s.segment, s.actual_s) for s in r.segments] == [("open", None)]
    assert [(e.kind, e.end_wall) for e in r.camera] == [("dark", None)]  # before and after the show: not counted
    assert r.cards[0].explain_seconds(r.ended_wall) == pytest.approx(10)
    assert [a.kind for a in r.alerts] == ["picture_exposure", "desk.refused"]
    html = render_report(r)
    assert "未结束 running" in html and "未恢复 not over" in html and "no self-test was run" in html
    assert "no sales figures yet" in html and "chart-loudness" not in html and "OTHER-SHOW" not in html
    with pytest.raises(ValueError, match="no events for show"):
        build_review("NOPE", events)


def test_charts_draw_chinese_without_missing_glyphs():
    """The CJK font fallback is configured: Chinese labels never fall back to empty boxes."""
    import warnings

    from studio_app.report.charts import cjk_font_families, segments_chart
    from studio_app.report.review import SegmentRun, ShowReview

    assert "WenQuanYi Micro Hei" in cjk_font_families()  # fonts-wqy-microhei (Debian)
    import matplotlib

    r = ShowReview(SHOW_ID, [ROOM], started_wall=0.0, ended_wall=600.0,
                   segments=[SegmentRun("scarf", "羊绒围巾讲解", 600.0, 540.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        svg = segments_chart(r)
    assert matplotlib.get_backend().lower() == "agg"
    assert svg.startswith("<svg") and "<path" in svg  # text drawn as paths: opens offline anywhere


def test_an_earlier_rehearsal_of_the_same_show_is_left_out(db_url, tmp_path, show_clock):
    show_clock.advance(-4 * 3600)
    run_sample_show(db_url, tmp_path / "rehearsal", show_clock)  # the afternoon rehearsal
    show_clock.advance(3600)
    run_sample_show(db_url, tmp_path / "live", show_clock)
    r = _review(db_url)
    assert len(r.segments) == 14 and len(r.camera) == 3 and len(r.selftest) == 1
    assert len(r.earlier_runs) == 1 and r.earlier_runs[0][1] < r.started_wall - 3600
    assert len(r.messages) == 1 and len(r.drills) == 1
    assert "earlier runs of this show id left out" in render_report(r)


def test_report_without_matplotlib_is_complete_but_for_the_charts(monkeypatch):
    """The frozen bundle or a studio PC without matplotlib still gets its review."""
    import sys

    t = 1_790_000_000.0
    events = [_ev("cue.start", t, {"at_wall": t, "to": {"segment": "open", "title": "开场"}}), _ev("cue.end", t + 60, {"at_wall": t + 60})]
    monkeypatch.setitem(sys.modules, "studio_app.report.charts", None)  # import fails
    html = render_report(build_review(SHOW_ID, events))
    assert "charts unavailable" in html and "<section id='selftest'>" in html and "<svg" not in html
