"""The cue view on the studio LAN: token-guarded page, live WebSocket pushes, and the page
itself in a real headless Chromium (phone-sized), including reconnect after a restart."""
from __future__ import annotations

import gc
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from studio_app.core.cue_server import CueServer, CueServerError
from studio_app.core.cue_state import PHASE_COLORS, Countdown, CueScreenState, DeskMessage
from tests.harness import artifact_path
from tests.harness.chromium import dump_dom
from tests.harness.cue_shot import base_state
from tests.harness.ws_clients import ReadingClient, end, stalled_clients


@pytest.fixture
def server():
    s = CueServer("127.0.0.1", 0).start()
    yield s
    s.stop()


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")


def ws_url(s: CueServer, token: str | None = None) -> str:
    return f"ws://127.0.0.1:{s.port}/ws?token={s.token if token is None else token}"


# ---------------------------------------------------------------- HTTP and token
def test_page_needs_the_shows_token(server):
    base = f"http://127.0.0.1:{server.port}"
    assert get(f"{base}/cue")[0] == 403
    assert get(f"{base}/cue?token=")[0] == 403
    assert get(f"{base}/cue?token={server.token}x")[0] == 403
    assert get(f"{base}/other?token={server.token}")[0] == 404
    status, ctype, html = get(server.url)
    assert status == 200 and ctype.startswith("text/html")
    # Self-contained: inline CSS/JS, nothing fetched from anywhere else.
    assert "<style>" in html and "<script>" in html and "src=" not in html and "<link" not in html
    assert "/*CUE_CONFIG*/" not in html and PHASE_COLORS["warning"] in html


def test_websocket_needs_the_token_too(server):
    with pytest.raises(InvalidStatus) as err:
        with connect(ws_url(server, "wrong"), open_timeout=5):
            pass
    assert err.value.response.status_code == 403


def test_each_show_gets_its_own_token():
    a, b = CueServer(port=0), CueServer(port=0)
    assert a.token != b.token and len(a.token) >= 16


def test_port_in_use_is_a_one_line_error(server):
    with pytest.raises(CueServerError) as err:
        CueServer("127.0.0.1", server.port).start()
    assert f"127.0.0.1:{server.port}" in str(err.value) and "\n" not in str(err.value)


# ---------------------------------------------------------------- pushes
def test_clients_get_the_newest_state_on_connect_and_every_push(server):
    server.publish(base_state())
    with connect(ws_url(server), open_timeout=5) as a, connect(ws_url(server), open_timeout=5) as b:
        assert CueScreenState.from_json(a.recv(timeout=5)) == base_state()
        assert CueScreenState.from_json(b.recv(timeout=5)) == base_state()
        # Pushed from another thread, as the desk does.
        new = base_state().with_(remaining_ms=59_000, phase="danger")
        t = threading.Thread(target=server.publish, args=(new,))
        t.start()
        t.join()
        assert CueScreenState.from_json(a.recv(timeout=5)) == new
        assert CueScreenState.from_json(b.recv(timeout=5)) == new
        assert server.client_count == 2


def test_stop_is_idempotent_and_publish_after_stop_is_harmless(server):
    server.stop()
    server.stop()
    server.publish(base_state())  # no loop: just remembered
    assert not server.running


# ---------------------------------------------------------------- a real browser
def test_dump_dom_shows_the_pushed_state():
    s = CueServer("127.0.0.1", 0).start()
    try:
        s.publish(base_state())
        try:
            dom = dump_dom(s.url, budget_ms=3000)
        except Exception as exc:  # noqa: BLE001
            from tests.harness import unavailable
            from tests.harness.chromium import ChromiumError

            if isinstance(exc, ChromiumError) and "not installed" in str(exc):
                unavailable("chromium", str(exc))
            raise
    finally:
        s.stop()
    assert "爆款羊绒大衣讲解" in dom and ">04:35<" in dom


def test_phone_view_follows_live_pushes(chromium, server):
    server.publish(base_state())
    chromium.navigate(server.url)
    chromium.wait_for("window.cue.messages > 0")
    assert chromium.evaluate("document.getElementById('timer').textContent") == "04:35"
    assert chromium.evaluate("document.getElementById('title').textContent") == "爆款羊绒大衣讲解"
    assert "家人们晚上好" in chromium.evaluate("document.getElementById('script').textContent")
    assert chromium.evaluate("document.getElementById('stock').textContent") == "剩 286 件"
    assert chromium.evaluate("document.querySelector('.countdown').textContent") == "03:00 后发券 满200减30"
    chromium.screenshot(artifact_path("screenshots", "cue-phone-390x844-normal.png"))

    server.publish(base_state().with_(remaining_ms=95_000, phase="warning",
                                      countdowns=(Countdown("满200减30", "coupon", 0, "now"),)))
    chromium.wait_for("document.getElementById('timer').textContent === '01:35'")
    assert chromium.evaluate("document.body.dataset.phase") == "warning"
    assert chromium.evaluate("document.body.classList.contains('flash')")  # entering warning flashes
    assert chromium.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--phase').trim()") == PHASE_COLORS["warning"]
    assert chromium.evaluate("document.querySelector('.countdown').textContent") == "现在发券! 满200减30"
    chromium.screenshot(artifact_path("screenshots", "cue-phone-390x844-warning.png"))

    sold = base_state().product.__class__(name="羊绒大衣", live_price=599, list_price=1299, stock_left=0, sold_out=True)
    server.publish(base_state().with_(product=sold, message=DeskMessage("准备上链接", visible=True, blink=True)))
    chromium.wait_for("document.getElementById('stock').textContent === '已抢光'")
    assert chromium.evaluate("document.body.classList.contains('msg') && document.body.classList.contains('blink')")
    assert chromium.evaluate("getComputedStyle(document.getElementById('message')).display") == "block"

    server.publish(base_state().with_(message=DeskMessage("稍等", visible=True, blackout=True)))
    chromium.wait_for("document.body.classList.contains('blackout')")
    assert chromium.evaluate("getComputedStyle(document.getElementById('blackout')).display") == "block"
    chromium.screenshot(artifact_path("screenshots", "cue-phone-390x844-blackout.png"))

    running = base_state().with_(prompter=base_state().prompter.__class__(step=10, running=True, position=0.0))
    server.publish(running)
    # The page scrolls the script by itself between pushes, on the same speed curve.
    chromium.wait_for("document.getElementById('script').style.transform !== ''")
    first = chromium.evaluate("document.getElementById('script').getBoundingClientRect().top")
    chromium.wait_for(f"document.getElementById('script').getBoundingClientRect().top < {first} - 5", timeout=10)


def test_phone_view_reconnects_after_the_server_restarts(chromium):
    s = CueServer("127.0.0.1", 0).start()
    port, token = s.port, s.token
    try:
        s.publish(base_state())
        chromium.navigate(s.url)
        chromium.wait_for("window.cue.messages > 0")
        connects = chromium.evaluate("window.cue.connects")
        s.stop()
        chromium.wait_for("document.body.classList.contains('offline')")
        s = CueServer("127.0.0.1", port, token).start()
        s.publish(base_state().with_(remaining_ms=-5_000, phase="overtime"))
        chromium.wait_for("document.getElementById('timer').textContent === '+00:05'", timeout=20)
        assert chromium.evaluate("window.cue.connects") == connects + 1
        assert not chromium.evaluate("document.body.classList.contains('offline')")
    finally:
        s.stop()


def test_a_wrong_token_page_never_gets_data(chromium, server):
    server.publish(base_state())
    chromium.navigate(f"http://127.0.0.1:{server.port}/cue?token=nope")
    text = chromium.evaluate("document.body.innerText")
    assert "Forbidden" in text and "爆款" not in text
    assert json.dumps(base_state().segment_title, ensure_ascii=False).strip('"') not in text


# ---------------------------------------------------------------- phones that stop reading
def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _big_state(seq: int, size: int = 100_000) -> str:
    # A distinct 100 KB text per state (a long script), as in the probe that found the leak.
    return json.dumps({"seq": seq, "t": time.time(), "script": f"{seq:08d}" * (size // 8)})


def test_ten_phones_that_never_read_do_not_grow_the_consoles_memory():
    # stall_s is long here so what keeps memory bounded is the newest-only outbox, not the drop.
    s = CueServer("127.0.0.1", 0, stall_s=600).start()
    stalled = stalled_clients("127.0.0.1", s.port, f"/ws?token={s.token}", count=10)
    try:
        gc.collect()
        before = peak = _rss_mb()
        for seq in range(250):  # 50 states/s of 100 KB for 5 s: 250 MB if buffered for ten phones
            s.publish(_big_state(seq))
            time.sleep(0.02)
            if seq % 10 == 0:
                peak = max(peak, _rss_mb())
        time.sleep(0.5)
        peak = max(peak, _rss_mb())
        assert s.client_count == 10 and not s.drops  # still connected: bounded, not just dropped
        assert peak - before < 60, f"memory grew {peak - before:.0f} MB with ten phones not reading"
    finally:
        end(stalled)
        s.stop()


def test_a_phone_that_stops_reading_is_dropped_and_logged_and_a_reading_phone_gets_every_state(caplog):
    caplog.set_level(logging.WARNING, logger="studio_app.core.fanout")
    s = CueServer("127.0.0.1", 0, stall_s=2).start()
    stalled = stalled_clients("127.0.0.1", s.port, f"/ws?token={s.token}")
    reader = ReadingClient(ws_url(s), until='"seq": 149,')
    try:
        published: dict[int, float] = {}
        for seq in range(150):  # 20 states/s of 100 KB for 7.5 s; the stalled phone is dropped meanwhile
            text = _big_state(seq)
            published[seq] = json.loads(text)["t"]
            s.publish(text)
            time.sleep(0.05)
        got = reader.messages()
        deadline = time.monotonic() + 10
        while s.client_count > 0 and time.monotonic() < deadline:  # the reader has left too
            time.sleep(0.05)
    finally:
        reader.kill()
        end(stalled)
        s.stop()
    seqs = [json.loads(m.data)["seq"] for m in got]
    assert seqs == list(range(150)), "the reading phone missed or reordered states"
    lag = max(m.t - published[json.loads(m.data)["seq"]] for m in got)
    # Far below the 2 s it would wait if the stalled phone held the others up.
    assert lag < 2, f"a state reached the reading phone {lag:.2f} s late"
    assert [d.reason for d in s.drops] == ["not reading for 2 s"]
    assert any("dropped client cue view 127.0.0.1:" in r.getMessage() and "not reading" in r.getMessage()
               for r in caplog.records)
