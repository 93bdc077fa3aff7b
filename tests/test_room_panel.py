"""The 数据大屏 dock and its Qt-free board: numbers and trends, segments, products with sell rate
and ETA, the comment ticker's highlights, DATA STALE, platform stock into the cards (frozen
stock kept, the conflict logged), alerts that only propose; a screenshot of the dock mid-show."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio_app.core.events import MemorySink
from studio_app.room.board import STALE_S, RoomBoard
from studio_app.room.live import StockSync
from studio_app.room.messages import RoomMessage
from studio_app.room.rules import load_rules
from tests.harness.remote_show import real_studio

T0 = 1_797_076_800.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def stats(t: float, **d) -> RoomMessage:
    return RoomMessage(T0 + t, "stats", d)


def test_the_board_computes_trends_segments_products_and_highlights() -> None:
    clock = Clock()
    board = RoomBoard(load_rules(), names={"SK-1": "围巾"}, clock=clock)
    board.segment_started("open", "开场")
    for i in range(61):  # 10 minutes, every 10 s: online 1000 → 1600, GMV 100/10 s then 300/10 s
        t = i * 10.0
        if t == 300:
            board.segment_started("scarf", "围巾讲解")
        gmv = 100 * min(i, 30) + 300 * max(0, i - 30)
        board.accept(stats(t, online=1000 + 10 * i, viewers=100 * i, orders=i, gmv=float(gmv), likes=20 * i,
                           comments=5 * i))
        board.accept(RoomMessage(T0 + t + 1, "product", {"sku": "SK-1", "sold": 2 * i, "stock": 200 - 2 * i}))
    for text in ("好卡啊", "卡其色好看", "是不是假货", "没声音了"):
        board.accept(RoomMessage(T0 + 601, "comment", {"user": "u", "text": text}))
    snap = board.snapshot()
    n = snap["numbers"]
    assert n["online"]["value"] == 1600 and n["online"]["trend"] == pytest.approx(1600 / 1300 - 1)
    assert n["gmv"]["trend"] == pytest.approx(2.0, abs=0.1)  # 300 per 10 s now, 100 before
    [open_seg, scarf] = snap["segments"]
    assert (open_seg["id"], open_seg["current"], scarf["current"]) == ("open", False, True)
    # the desk went to the scarf before the 5:00 reading arrived: that reading is the scarf's
    assert open_seg["gmv"] == 2900 and scarf["gmv"] == 9100 and scarf["orders"] == 31
    assert scarf["interaction_rate"] == pytest.approx(25 * 6 / 1450, rel=0.05)
    [p] = snap["products"]
    assert p["name"] == "围巾" and p["rate_per_min"] == pytest.approx(12.0) and p["eta_s"] == pytest.approx(80 / 12 * 60)
    kinds = [(c["text"], c["kind"]) for c in snap["ticker"]]
    assert kinds == [("好卡啊", "tech"), ("卡其色好看", ""), ("是不是假货", "complaint"), ("没声音了", "tech")]
    assert snap["ticker"][3]["runbook"] == "mic"


def test_a_long_segment_keeps_its_average_and_peak_without_keeping_every_reading() -> None:
    import tracemalloc

    board = RoomBoard(load_rules(), clock=Clock())
    board.segment_started("bag", "福袋")

    def readings(first: int, last: int) -> None:  # one a second, online 2000..2999, peak at 1234
        for i in range(first, last):
            board.accept(stats(float(i), online=5000 if i == 1234 else 2000 + i % 1000))

    readings(0, 2000)  # past the board's 10-minute trend window: its own history is full
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        readings(2000, 32_000)  # eight more hours of one segment
        grew = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    [seg] = board.snapshot()["segments"]
    values = [5000 if i == 1234 else 2000 + i % 1000 for i in range(32_000)]
    assert seg["online_avg"] == pytest.approx(sum(values) / len(values))
    assert seg["online_peak"] == 5000
    assert grew < 400_000  # 30,000 readings kept one by one are ~1 MB


def test_data_stale_only_while_live_after_10_s_without_data() -> None:
    clock = Clock()
    board = RoomBoard(load_rules(), clock=clock)
    board.accept(stats(0, online=5))
    clock.now += STALE_S + 1
    assert board.snapshot()["stale"] is False  # not live: nothing is owed
    board.live = True
    assert board.snapshot()["stale"] is True
    board.accept(stats(1, online=6))
    assert board.snapshot()["stale"] is False


def test_platform_stock_updates_the_cards_and_frozen_stock_stays_with_a_logged_conflict() -> None:
    log = MemorySink()
    studio = real_studio(ticker=False)
    try:
        cards = {c["sku"]: c for c in studio.state_dict()["cards"]}
        assert cards["SK-2003"]["frozen"] and not cards["SK-2001"]["frozen"]
        seen = []
        sync = StockSync(studio, log=log, show_id="S", on_conflict=seen.append)
        sync.accept(RoomMessage(T0, "product", {"sku": "SK-2001", "stock": 750}))
        for left in (290, 280):
            sync.accept(RoomMessage(T0 + 1, "product", {"sku": "SK-2003", "stock": left}))
        cards = {c["sku"]: c for c in studio.state_dict()["cards"]}
        assert cards["SK-2001"]["stock"] == 750 and cards["SK-2003"]["stock"] == 300
        conflicts = [e for e in log.events if e.kind == "room.stock_conflict"]
        assert len(conflicts) == 1 and conflicts[0].payload["platform_stock"] == 290
        assert [c["platform_stock"] for c in seen] == [290, 280]
    finally:
        studio.close()


def test_the_dock_replays_labelled_and_alerts_only_propose(qtbot, tmp_path: Path) -> None:
    from studio_app.room.replay import SAMPLE_RECORDING
    from studio_app.ui.room_panel import RoomPanel

    # the first 31 minutes of the sample (the stream stutter), replayed at 3000x
    import gzip

    lines = [ln for ln in gzip.decompress(SAMPLE_RECORDING.read_bytes()).decode().splitlines()
             if json.loads(ln)["ts"] < (T0 + 31 * 60) * 1000]
    part = tmp_path / "part.ndjson"
    part.write_text("\n".join(lines), encoding="utf-8")
    log = MemorySink()
    studio = real_studio(ticker=False)
    panel = RoomPanel(studio, log=log)
    qtbot.addWidget(panel)
    try:
        studio.dispatch("show.override", reason="test")
        assert studio.dispatch("show.go").ok
        panel.start_replay(part, speed=3000)
        qtbot.waitUntil(lambda: panel.replay is None or getattr(panel.replay, "delivered", 0) == len(lines),
                        timeout=20_000)
        panel.refresh()
        assert not panel.replay_badge.isHidden() and panel.replay_badge.text() == "回放 REPLAY"
        assert panel.numbers["online"].value.text() not in ("", "—")
        assert panel.products.rowCount() == 6 and panel.segments.rowCount() == 1
        qtbot.waitUntil(lambda: panel.alert_list.count() >= 1, timeout=5000)
        texts = [panel.alert_list.item(i).text() for i in range(panel.alert_list.count())]
        assert any("stream" in t for t in texts), texts
        alerts = [e for e in log.events if e.kind == "room.alert"]
        assert alerts and all(e.message.startswith("[回放 REPLAY]") for e in alerts)
        assert not [e for e in log.events if e.kind == "room.alert_action"]  # proposals never run by themselves
        panel.alert_list.setCurrentRow(0)
        panel.run_proposal()  # a person chose it
        assert studio.state_dict()["incidents"], "the proposed runbook was opened"
    finally:
        panel.stop()
        studio.close()


def test_the_dock_shows_each_change_in_place_newest_comment_first(qtbot) -> None:
    """What the tables and the ticker show after many small changes is what a fresh dock shows
    for the same data: rows added and dropped, cells and colours changed, 25 comments newest first."""
    from PySide6.QtCore import Qt

    from studio_app.ui.room_panel import DANGER, RoomPanel

    def shown(panel: RoomPanel) -> dict:
        def table(t) -> list:
            return [[(t.item(i, j).text(), t.item(i, j).foreground().color().name()
                      if t.item(i, j).data(Qt.ItemDataRole.ForegroundRole) is not None else "")
                     for j in range(t.columnCount())] for i in range(t.rowCount())]
        return {"segments": table(panel.segments), "products": table(panel.products),
                "ticker": [panel.ticker.item(i).text() for i in range(panel.ticker.count())],
                "online": panel.numbers["online"].value.text()}

    messages = []
    for i in range(40):
        messages.append(stats(i, online=1000 + i, orders=i, gmv=float(50 * i), viewers=10 * i))
        messages.append(RoomMessage(T0 + i, "product", {"sku": f"SK-{i % 3}", "sold": i, "stock": max(0, 30 - i)}))
        messages.append(RoomMessage(T0 + i, "comment", {"user": f"u{i}", "text": "没声音了" if i == 39 else f"第{i}条"}))
    busy = RoomPanel(None)
    qtbot.addWidget(busy)
    try:
        busy.board.segment_started("open", "开场")
        for i, msg in enumerate(messages):
            if i == 60:
                busy.board.segment_started("scarf", "围巾讲解")
            busy.board.accept(msg)
            busy.refresh()  # every change painted on its own: the in-place path
        fresh = RoomPanel(None)
        qtbot.addWidget(fresh)
        fresh.board = busy.board
        fresh.refresh()  # the same board painted once into empty tables
        try:
            seen = shown(busy)
            assert seen == shown(fresh)
            assert [row[0][0] for row in seen["segments"]] == ["开场", "围巾讲解"]
            assert len(seen["products"]) == 3 and seen["online"] == "1,039"
            assert len(seen["ticker"]) == 25 and seen["ticker"][0].startswith("⚠ u39: 没声音了")
            assert seen["ticker"][1:3] == ["u38: 第38条", "u37: 第37条"]
            soon = [row[5] for row in seen["products"] if row[5][1]]
            assert soon and all(colour == DANGER for _, colour in soon)  # sold out soon: red
        finally:
            fresh.stop()
    finally:
        busy.stop()


@pytest.mark.parametrize("width, height, lang, stale", [(1920, 1080, "zh_CN", False), (1080, 1920, "zh_CN", False),
                                                        (1920, 1080, "en", False), (1920, 1080, "zh_CN", True)])
def test_the_room_dock_mid_show_screenshot(tmp_path: Path, width: int, height: int, lang: str, stale: bool) -> None:
    import re

    from tests.harness.screens import shoot_desk

    name = f"room-dock-{'stale-' if stale else ''}{width}x{height}-{lang}.png"
    out, stdout = shoot_desk("room_shot", width, height, lang, name, tmp_path, timeout=120,
                             extra=("--stale",) if stale else ())
    assert f"SHOT={out}" in stdout and out.stat().st_size > 50_000
    state = json.loads(stdout.split("STATE=", 1)[1].splitlines()[0])
    # the show is live and the data stopped: DATA STALE after 10 s, and the replay stays labelled
    assert state["replay_badge"] == "回放 REPLAY" and state["stale"] == stale
    assert state["stacked"] == (height > width)  # portrait: alerts and comments under the tables
    assert state["segments"][:3] == ["开场暖场", "羊绒围巾讲解", "互动：评论区提问"]
    down = next(p for p in state["products"] if "SK-2003" in p[0])
    assert "⚠" in down[0]  # frozen core stock: the platform's numbers are shown, the card kept
    assert state["numbers"]["gpm"].startswith("¥")  # yuan per 1,000 viewers, with its unit
    if lang == "zh_CN":
        assert any("售罄" in a for a in state["alerts"]), state["alerts"]
        # runbooks and actions by their Chinese names, no English word left (ids like stream, stock.adjust)
        assert not [a for a in state["alerts"] if re.search(r"[a-z]{3,}", a)], state["alerts"]
        assert "次/人/分钟" in state["titles"][5]
    else:
        assert any("sold out" in a for a in state["alerts"]), state["alerts"]
        shown = [*state["numbers"].values(), *(c for row in state["products"] for c in row[1:])]
        assert not [c for c in shown if "万" in c or "分钟" in c], shown  # English units on an English desk


def test_the_ingest_endpoint_on_the_desk_when_turned_on_in_the_settings(qtbot, tmp_path: Path, monkeypatch) -> None:
    import subprocess

    from studio_app.core.settings import Settings
    from studio_app.store import EventLog
    from studio_app.ui.room_panel import RoomPanel

    monkeypatch.setenv("STUDIO_ROOM_TOKEN", "desk-room-token-1")
    settings = Settings(tmp_path / "settings.toml")
    settings.set("room.ingest_enabled", True)
    settings.set("room.ingest_port", 0)
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url, spool_path=tmp_path / "outbox.jsonl").start()
    studio = real_studio(ticker=False)
    panel = RoomPanel(studio, log=log, settings=settings)
    qtbot.addWidget(panel)
    try:
        qtbot.waitUntil(lambda: "/room/v1/messages" in panel.source_label.text(), timeout=10_000)
        assert not panel.replay_button.isEnabled()
        endpoint = panel.source_label.text().split(" ")[-1]
        body = "\n".join(json.dumps(m, ensure_ascii=False) for m in [
            {"ts": int(T0 * 1000), "type": "stats", "online": 4321, "gmv": 99.0},
            {"ts": int(T0 * 1000) + 500, "type": "comment", "user": "a", "text": "没声音了"},
            {"ts": int(T0 * 1000) + 900, "type": "product", "sku": "SK-2001", "stock": 790}])
        proc = subprocess.run(["curl", "-sS", "-H", "Authorization: Bearer desk-room-token-1", "--data-binary", "@-",
                               endpoint], input=body.encode(), capture_output=True, timeout=30)
        assert json.loads(proc.stdout)["accepted"] == 3
        qtbot.waitUntil(lambda: panel.numbers["online"].value.text() == "4,321", timeout=5000)
        # the comments follow the big numbers within a second (the tables' pace)
        qtbot.waitUntil(lambda: panel.ticker.count() == 1, timeout=5000)
        assert panel.ticker.item(0).text().startswith("⚠ a: 没声音了")
        cards = {c["sku"]: c for c in studio.state_dict()["cards"]}
        assert cards["SK-2001"]["stock"] == 790
    finally:
        panel.stop()
        studio.close()
        log.close()
    from studio_app.store import open_engine
    from studio_app.store.room import fetch_room_messages

    engine = open_engine(url)
    try:
        assert [m.type for m in fetch_room_messages(engine, "2026-12-12-warm-winter")] == ["stats", "comment", "product"]
    finally:
        engine.dispose()


def test_the_settings_page_checks_the_interface_and_the_rules_file(qtbot, tmp_path: Path) -> None:
    from studio_app.core.settings import Settings
    from studio_app.ui.room_panel import RoomSettingsPage

    s = Settings(tmp_path / "settings.toml")
    page = RoomSettingsPage()
    qtbot.addWidget(page)
    page.load(s)
    assert not page.enabled.isChecked() and page.host.currentText() == "127.0.0.1" and page.port.value() == 8810
    page.host.setCurrentText("studio-pc")
    assert "'studio-pc' is not an IP address" in page.apply(s)
    page.host.setCurrentText("0.0.0.0")
    rules = tmp_path / "rules.toml"
    rules.write_text("[online_drop]\ndrop = 5\n", encoding="utf-8")
    page.rules.setText(str(rules))
    assert "rules.toml:2: online_drop.drop" in page.apply(s)
    rules.write_text("[online_drop]\ndrop = 0.3\n", encoding="utf-8")
    page.enabled.setChecked(True)
    page.port.setValue(9100)
    assert page.apply(s) is None
    assert (s.get("room.ingest_enabled"), s.get("room.ingest_host"), s.get("room.ingest_port"), s.get("room.rules")) == \
        (True, "0.0.0.0", 9100, str(rules))


def test_only_a_rule_marked_automatic_runs_its_action_and_never_in_a_replay(tmp_path: Path) -> None:
    from studio_app.room.live import RoomLive
    from studio_app.room.rules import load_rules

    rules_file = tmp_path / "auto.toml"
    rules_file.write_text('[comments_silent]\nautomatic = true\naction = "message.send"\n'
                          'args = { text = "评论区安静：点名互动" }\n', encoding="utf-8")
    for automatic, replay, expect_run in ((False, False, False), (True, True, False), (True, False, True)):
        log = MemorySink()
        studio = real_studio(ticker=False)
        try:
            rules = load_rules(rules_file if automatic else None)
            live = RoomLive(rules, log=log, studio=studio, replay=replay, clock=lambda: T0 + 75)
            live.accept(RoomMessage(T0, "comment", {"user": "u", "text": "晚上好"}))
            live.tick()  # 75 s later: silent since 60 s
            kinds = [e.kind for e in log.events if e.source == "room"]
            assert kinds[0] == "room.alert"
            ran = "room.alert_action" in kinds
            assert ran == expect_run, (automatic, replay, kinds)
            message = studio.state_dict()["message"]["text"]
            assert (message == "评论区安静：点名互动") == expect_run
        finally:
            studio.close()


def test_data_stale_greys_the_numbers_and_tables_without_re_polishing_them(qtbot) -> None:
    """DATA STALE comes and goes with every silent feed: it greys what it shows (explicit
    colours such as a sold-out-soon ETA stay) by colour alone. A style sheet set on the tables
    re-polished them, their headers and scroll bars on the GUI thread each time (a 430 ms frame
    during the soak's room flood): no widget of the dock gets a style change now."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtGui import QPalette

    from studio_app.ui.room_panel import DANGER, RoomPanel

    STALE_TEXT = "#5c6370"  # the grey of numbers that stopped arriving

    panel = RoomPanel(None)
    qtbot.addWidget(panel)
    clock = [1000.0]
    panel.board.clock = lambda: clock[0]
    panel.board.live = True
    panel.board.segment_started("open", "开场")
    for i in range(5):
        panel.board.accept(stats(i, online=100 + i, orders=i, gmv=10.0 * i))
        panel.board.accept(RoomMessage(T0 + 15 * i, "product", {"sku": "SK-1", "sold": 10 * i, "stock": 50 - 10 * i}))
    panel.refresh()

    def colours() -> set[str]:
        return {panel.products.item(0, j).foreground().color().name()
                for j in range(panel.products.columnCount())
                if panel.products.item(0, j).data(Qt.ItemDataRole.ForegroundRole) is not None}

    assert not panel.board.snapshot()["stale"] and STALE_TEXT not in colours()

    class StyleChanges(QObject):
        seen = 0

        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt
            if event.type() in (QEvent.Type.StyleChange, QEvent.Type.Polish):
                StyleChanges.seen += 1
            return False

    watch = StyleChanges()
    widgets = [panel.segments, panel.products, panel.segments.horizontalHeader(), panel.products.viewport(),
               *(n.value for n in panel.numbers.values())]
    for w in widgets:
        w.installEventFilter(watch)
    try:
        clock[0] += STALE_S + 1  # the feed went silent
        panel.refresh()
        assert panel.board.snapshot()["stale"] and not panel.stale_label.isHidden()
        online = panel.numbers["online"].value
        assert online.palette().color(QPalette.ColorRole.WindowText).name() == STALE_TEXT
        assert colours() == {STALE_TEXT, DANGER}, colours()  # grey, and the ETA stays red
        panel.board.accept(stats(100, online=120))  # fresh data: back to normal colours
        clock[0] = panel.board._last_arrival  # noqa: SLF001
        panel.refresh()
        assert not panel.board.snapshot()["stale"] and STALE_TEXT not in colours()
        assert online.palette().color(QPalette.ColorRole.WindowText).name() != STALE_TEXT
        assert StyleChanges.seen == 0
    finally:
        for w in widgets:
            w.removeEventFilter(watch)
        panel.stop()
