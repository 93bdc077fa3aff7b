"""Text the engine writes that is not an event reads in the desk's language: the OBS link's
status sentence on the OBS dock and the device board (an OBS that is not running, a real
refused socket), and the dispatcher's refusals in the Remote dock's last actions (curl in its own
process). The log and the command line keep the engine's English sentence."""
from __future__ import annotations

import pickle
import socket
import subprocess

import pytest

from hardware.obs.link import classify
from hardware.said import TEMPLATES, Said
from studio_app.core.event_kinds import REASONS
from studio_app.core.event_text import EventText, TsCatalogue, catalogue_path
from tests.test_store_degraded import small_disk  # noqa: F401 - the real 1 MiB disk fixture

ZH = EventText("zh_CN")


@pytest.fixture
def zh(qapp):
    from studio_app.ui import i18n as ui_i18n

    assert ui_i18n.install(qapp, "zh_CN") == "zh_CN"
    yield
    ui_i18n.install(qapp, "en")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_device_sentence_and_dispatcher_reason_has_its_chinese() -> None:
    catalogue = TsCatalogue(catalogue_path("zh_CN"))
    missing = [t for t in TEMPLATES.values() if not catalogue.has("DeviceDetail", t)]
    missing += [REASONS[c] for c in ("unknown_action", "needs_confirm", "drill_skipped")
                if not catalogue.has("EventReason", REASONS[c])]
    assert not missing, missing


def test_a_said_sentence_is_the_english_text_and_renders_in_chinese() -> None:
    detail = classify(ConnectionRefusedError(111, "refused"), "127.0.0.1:4455")
    assert isinstance(detail.detail, Said)
    assert detail.detail == "nothing is listening at 127.0.0.1:4455: is OBS running with its WebSocket server enabled?"
    assert ZH.detail(detail.detail) == "127.0.0.1:4455 上没有程序在监听：OBS 是否已运行并开启了 WebSocket 服务器？"
    assert EventText("en").detail(detail.detail) == detail.detail
    again = pickle.loads(pickle.dumps(detail.detail))  # across a worker process and back
    assert again.code == "obs_refused" and ZH.detail(again) == ZH.detail(detail.detail)
    assert ZH.detail("a sentence with no code") == "a sentence with no code"
    # format specs in a template work in both languages (the mic's dead air, the camera's stall)
    dead = Said("mic_dead_air", name="pulse", seconds=12.4, dbfs=-60.0)
    assert dead == "pulse: silent for 12 s (below -60 dBFS)" and ZH.detail(dead) == "pulse：已静音 12 秒（低于 -60 dBFS）"
    assert ZH.detail(Said("camera_no_frame", source="udp://10.0.0.5:5000", seconds=2.04)) == \
        "udp://10.0.0.5:5000：2.0 秒没有画面"


def test_the_streams_trouble_while_connected_reads_in_chinese() -> None:
    from dataclasses import replace

    from hardware.obs import ObsState, stream_trouble

    state = ObsState(streaming=True)
    dropping = replace(state, health=replace(state.health, output_dropped_percent=3.24))
    congested = replace(state, health=replace(state.health, stream_congestion=0.86))
    assert [ZH.detail(stream_trouble(s)[1]) for s in (dropping, congested)] == ["推流丢帧 3.2%", "推流拥塞 86%"]
    assert stream_trouble(dropping)[1] == "stream dropping 3.2% of frames"


def test_an_obs_that_is_not_running_reads_in_chinese_on_the_obs_dock_and_the_device_board(zh, qtbot) -> None:
    from hardware.obs import ObsLink
    from studio_app.core.devices import DeviceBoard, DeviceState
    from studio_app.core.events import MemorySink
    from studio_app.ui.obs_panel import ObsConnection, ObsPanel
    from studio_app.ui.status import DeviceCard

    port = free_port()  # nothing listens there: the connect is refused, for real
    board, sink = DeviceBoard(), MemorySink()
    conn = ObsConnection(ObsLink("127.0.0.1", port, ""), board=board, log=sink)
    panel = ObsPanel(conn)
    qtbot.addWidget(panel)
    card = DeviceCard("obs")
    qtbot.addWidget(card)
    conn.start()
    try:
        qtbot.waitUntil(lambda: conn.last_state.status is DeviceState.UNREACHABLE, timeout=10_000)
        qtbot.waitUntil(lambda: "上没有程序在监听" in panel.status_text.text(), timeout=5000)
        assert f"127.0.0.1:{port} 上没有程序在监听" in panel.status_text.text()
        assert "nothing is listening" not in panel.status_text.text()
        card.show_status(board.get("obs"))
        assert card.detail.text().startswith(f"127.0.0.1:{port} 上没有程序在监听")
        # the log keeps the engine's English sentence (the CLI and the report render their own)
        assert str(board.get("obs").detail).startswith(f"nothing is listening at 127.0.0.1:{port}")
    finally:
        panel.stop()


def test_the_remote_docks_last_actions_give_the_dispatchers_refusals_in_chinese(zh, qtbot, tmp_path, monkeypatch):
    from studio_app.core.settings import Settings
    from studio_app.ui.remote_panel import RemotePanel
    from tests.harness.remote_show import real_studio

    monkeypatch.setenv("STUDIO_REMOTE_TOKEN", "zh-remote-token-1")
    studio = real_studio(ticker=False)
    panel = RemotePanel(Settings(tmp_path / "settings.toml"), studio)
    qtbot.addWidget(panel)
    try:
        panel.port.setValue(free_port())
        with qtbot.waitSignal(panel.started, timeout=20_000) as started:
            panel.enabled.setChecked(True)
        url = started.args[0]
        for name, body in (("card.push", '{"slot": "three"}'), ("show.end", ""), ("show.fly", ""),
                           ("card.push", '{"slot": 9}')):
            subprocess.run(["curl", "-s", "-o", "/dev/null", "-X", "POST", "--data", body,
                            f"{url}/actions/{name}?token=zh-remote-token-1"], check=True, timeout=30)
        qtbot.waitUntil(lambda: panel.last_actions.count() == 4, timeout=10_000)
        rows = [panel.last_actions.item(i).text() for i in range(4)]
        assert rows[3].endswith("✗ http card.push — slot：应为整数，收到 'three'"), rows
        assert rows[2].endswith("✗ http show.end — show.end 需要确认：请发送 confirm=true"), rows
        assert rows[1].endswith("✗ http show.fly — 未知操作 show.fly（studio-console actions 可列出全部操作）"), rows
        # refused by the show engine itself (its refusal event carries the code)
        assert "✗ http card.push — 环节" in rows[0] and "没有第 9 个" in rows[0], rows
    finally:
        panel.stop()
        studio.close()


def test_the_event_logs_full_disk_reads_in_chinese_on_the_desk_with_where(zh, qtbot, tmp_path, small_disk):
    """A real 1 MiB disk filled up: the desk's banner and its database card say, in Chinese,
    which disk and how much is left; with room back the banner goes."""
    from studio_app.core.devices import DeviceBoard
    from studio_app.core.settings import Settings
    from studio_app.store import EventLog
    from studio_app.ui.main_window import MainWindow
    from tests.harness.desk import desk_context
    from tests.test_store_degraded import fill

    url = f"sqlite:///{small_disk / 'log.sqlite3'}"
    log = EventLog(url, spool_path=tmp_path / "outbox" / "ev.jsonl", retry_interval=0.2, space_interval=0.05).start()
    win = MainWindow(desk_context(settings=Settings(), log=log, board=DeviceBoard(), db_url=url))
    qtbot.addWidget(win)
    win.show()
    try:
        assert log.flush()
        filler = fill(small_disk)
        qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=10_000)
        text = win.banner.text()
        assert f"磁盘已满（{small_disk} 剩余 " in text and "MB free" not in text, text
        assert win.indicators["database"].toolTip().startswith("磁盘已满（")
        filler.unlink()
        log.log("desk", "cue", "room again")
        qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=10_000)
    finally:
        win.close()
        log.close()
