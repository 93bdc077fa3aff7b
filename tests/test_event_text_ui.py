"""The desk in zh_CN renders engine events in Chinese through Qt's translator: the event-log
panel (messages, severities, sources, the text filter) and the status bar after an action."""
from __future__ import annotations

import pytest

from studio_app.core.devices import DeviceBoard
from studio_app.core.events import Event, Severity
from studio_app.core.paths import sample_show_path
from studio_app.core.settings import Settings
from studio_app.show.clock import ManualClock
from studio_app.store import EventLog


@pytest.fixture
def zh(qapp):
    from studio_app.ui import i18n as ui_i18n

    assert ui_i18n.install(qapp, "zh_CN") == "zh_CN"
    yield
    ui_i18n.install(qapp, "en")


class TailOf:
    """The log panel's source: ``recent(after_seq)`` over a fixed list."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events

    def recent(self, after_seq: int) -> list[Event]:
        return [e for e in self.events if e.seq > after_seq]


def test_log_panel_in_chinese(zh, qtbot):
    from studio_app.ui.log_panel import LogPanel

    events = [
        Event("show", "card.push", "push 云朵羊绒围巾", Severity.INFO, {"card": {"name": "云朵羊绒围巾"}}, seq=1),
        Event("show", "message.show", "to anchor: 讲慢一点", Severity.INFO, {"text": "讲慢一点"}, seq=2),
        Event("cue", "cue.phase", "开场: overtime", Severity.WARNING, {"title": "开场", "phase": "overtime"}, seq=3),
        Event("show", "show.open", "show opened: 旧的一场", Severity.INFO, {"run": "r"}, seq=4),  # an old event
    ]
    panel = LogPanel(TailOf(events))
    qtbot.addWidget(panel)
    panel.poll()
    m = panel.model
    rows = [[m.data(m.index(r, c)) for c in range(5)] for r in range(m.rowCount())]
    assert [r[4] for r in rows] == ["讲解 云朵羊绒围巾", "给主播: 讲慢一点", "开场: 超时", "show opened: 旧的一场"]
    assert rows[2][1] == "警告" and rows[0][1] == "信息" and rows[0][2] == "直播" and rows[2][2] == "流程"
    assert rows[0][3] == "商品讲解" and m.data(m.index(0, 3), role=3) == "show:card.push"
    assert "to anchor: 讲慢一点" in m.data(m.index(1, 4), role=3)  # the tooltip keeps the engine's words
    assert panel.source_box.itemText(panel.source_box.findData("mic")) == "麦克风"
    panel.severity_box.setCurrentIndex(0)
    panel.search.setText("给主播")  # an input method types it; QTest cannot send CJK keys
    assert panel.proxy.rowCount() == 1
    panel.stop()


def test_log_panel_in_english_keeps_english(qapp, qtbot):
    from studio_app.ui.log_panel import LogPanel

    panel = LogPanel(TailOf([Event("show", "message.show", "to anchor: x", Severity.INFO, {"text": "慢"}, seq=1)]))
    qtbot.addWidget(panel)
    panel.poll()
    assert panel.model.data(panel.model.index(0, 4)) == "to anchor: 慢"
    assert panel.model.data(panel.model.index(0, 1)) == "info"
    panel.stop()


def test_status_bar_says_the_anchor_message_and_card_push_in_chinese(zh, make_desk):
    d = make_desk()
    panel = d.panel
    desk = d.load(sample_show_path())
    assert desk is not None
    if desk.findings:
        panel.dispatch("show.override", reason="已核对")
    panel.dispatch("message.send", text="讲慢一点")
    assert panel.toast.text() == "给主播: 讲慢一点"
    panel.dispatch("show.go")
    panel.dispatch("show.go")
    sku = desk.engine.segment.products[0]
    sku = sku if isinstance(sku, str) else sku.sku
    panel.dispatch("card.push", sku=sku)
    assert panel.toast.text() == f"讲解 {desk.cards.card(sku).product.name}"
    assert "push" not in panel.toast.text()
    panel.dispatch("coupon.confirm")  # nothing is waiting: refused, the reason in Chinese
    assert panel.toast.text().endswith("没有等待确认的发券") and "nothing" not in panel.toast.text()


def test_log_panel_history_is_rendered_off_the_gui_thread_in_chinese(zh, qtbot):
    import threading

    from studio_app.ui.log_panel import LogPanel

    threads = []

    def history():
        threads.append(threading.current_thread())
        return [Event("show", "stock.low", "x: stock 3 at or below safety stock 5", Severity.WARNING,
                      {"product": "围巾", "stock": 3, "safety_stock": 5}, seq=7)]

    panel = LogPanel(TailOf([Event("cue", "cue.end", "show ended", seq=8)]), history=history)
    qtbot.addWidget(panel)
    panel.poll()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    m = panel.model
    assert [m.data(m.index(r, 4)) for r in range(2)] == ["围巾: 库存 3，已到安全库存 5 或更低", "直播结束"]
    assert threads and threads[0] is not threading.main_thread()
    panel.search.setText("安全库存")
    assert panel.proxy.rowCount() == 1
    panel.stop()


def test_a_burst_beyond_the_logs_tail_is_marked_in_the_panel_not_silently_dropped(zh, qtbot, tmp_path):
    """More events between two polls than the log's in-memory tail holds: the panel lists
    what the tail still has and says, in their place and in Chinese, how many it could not list."""
    from studio_app.ui.log_panel import LogPanel

    log = EventLog(f"sqlite:///{tmp_path / 'e.sqlite3'}", spool_path=tmp_path / "outbox", recent_capacity=10)
    try:
        panel = LogPanel(log)
        qtbot.addWidget(panel)
        panel.stop()  # polled by hand: the burst lands between two polls
        log.log("show", "message.show", "to anchor: first", payload={"text": "first"})
        panel.poll()
        for i in range(25):
            log.log("show", "message.show", f"to anchor: {i}", payload={"text": str(i)})
        panel.poll()
        m = panel.model
        msgs = [m.data(m.index(r, 4)) for r in range(m.rowCount())]
        assert msgs[0] == "给主播: first"
        assert "15" in msgs[1] and "事件" in msgs[1]  # 25 came, the tail kept the last 10
        assert m.data(m.index(1, 1)) == "警告"
        assert msgs[2:] == [f"给主播: {i}" for i in range(15, 25)]
        log.log("show", "message.show", "to anchor: after", payload={"text": "after"})
        panel.poll()  # no gap this time: no marker
        assert m.rowCount() == 13 and m.data(m.index(12, 4)) == "给主播: after"
    finally:
        log.close()
