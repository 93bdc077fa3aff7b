"""The live room's ingest endpoint, headless (``studio-console room serve``), driven by real
clients in separate processes: curl for HTTP, a Python WebSocket client, and the example
bridge of FORMAT.md."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.harness import need_binary

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "room-test-token-4f9a"
T0 = 1_797_076_800_000  # 2026-12-12T20:00:00+08:00 in ms



@pytest.fixture(autouse=True)
def _curl() -> None:
    need_binary("curl", "curl")  # the outside client: missing, it fails in CI instead of skipping


class Serve:
    def __init__(self, tmp: Path, show: str = "S-live", settings: str = "") -> None:
        self.db = tmp / "log.sqlite3"
        config = tmp / "config"
        config.mkdir(exist_ok=True)
        if settings:
            (config / "settings.toml").write_text(settings, encoding="utf-8")
        self.env = {**os.environ, "STUDIO_ROOM_TOKEN": TOKEN, "STUDIO_CONFIG_DIR": str(config),
                    "STUDIO_DATA_DIR": str(tmp / "data")}
        self.show = show
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "studio_app", "--db", f"sqlite:///{self.db}", "room", "serve", show,
             "--listen", "127.0.0.1:0"], cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        assert m, (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.url = m.group(1)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=20)
        assert self.proc.returncode == 0, err
        return out

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "studio_app", "--db", f"sqlite:///{self.db}", *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=60)


def curl(url: str, body: bytes | str | None = None, token: str | None = TOKEN, method: str = "POST",
         content_type: str = "application/json") -> tuple[int, dict]:
    args = ["curl", "-sS", "-X", method, "-w", "\n%{http_code}", url]
    if token is not None:
        args += ["-H", f"Authorization: Bearer {token}"]
    if body is not None:
        args += ["-H", f"Content-Type: {content_type}", "--data-binary", "@-"]
    data = body.encode("utf-8") if isinstance(body, str) else body
    proc = subprocess.run(args, input=data, capture_output=True, timeout=30)
    text, _, code = proc.stdout.decode("utf-8").rpartition("\n")
    return int(code), json.loads(text) if text.strip() else {}


@pytest.fixture
def serve(tmp_path: Path):
    s = Serve(tmp_path)
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait(10)


def stats(ms: int, **kw) -> dict:
    return {"ts": ms, "type": "stats", **kw}


def test_one_message_an_array_and_ndjson_are_accepted_and_stored(serve: Serve) -> None:
    code, answer = curl(serve.url, json.dumps(stats(T0, online=100, gmv=10.0)))
    assert (code, answer["accepted"], answer["refused"]) == (200, 1, 0)
    code, answer = curl(serve.url, json.dumps([stats(T0 + 1000, online=110), {"ts": T0 + 1100, "type": "comment",
                                                                              "user": "小雨", "text": "围巾有灰色吗"}]))
    assert (code, answer["accepted"]) == (200, 2)
    ndjson = "\n".join(json.dumps(stats(T0 + 2000 + i * 1000, online=120 + i, gmv=20.0 + i)) for i in range(50))
    code, answer = curl(serve.url, ndjson, content_type="application/x-ndjson")
    assert (code, answer["accepted"]) == (200, 50)
    code, status = curl(serve.url.replace("/messages", "/status"), method="GET")
    assert code == 200 and status["counts"] == {"accepted": 53} and status["newest"] == "2026-12-12T12:00:51.000Z"
    out = serve.stop()
    assert "accepted 53, stored 53" in out
    summary = json.loads(serve.cli("room", "summary", "S-live", "--json").stdout)
    assert summary["show"]["online_peak"] == 169 and summary["show"]["comment_messages"] == 1


def test_every_kind_of_bad_input_gets_its_status_and_reason_and_loses_nothing(serve: Serve) -> None:
    assert curl(serve.url, json.dumps(stats(T0, likes=500)))[0] == 200
    cases = [
        ("{not json", 400, "malformed", "malformed JSON at column 2"),
        (json.dumps(stats(T0 + 1000, online="lots")), 400, "wrong_type", "stats.online: expected a whole number"),
        (json.dumps({"ts": T0 + 1000, "type": "danmaku"}), 400, "unknown_type", "unknown type"),
        (json.dumps(stats(T0, likes=500)), 400, "duplicate", "already received"),
        (json.dumps(stats(T0 - 5000, likes=600)), 400, "out_of_order", "before the previous stats"),
        (json.dumps(stats(T0 + 2000, likes=3)), 400, "counter_reset", "stats.likes went down from 500 to 3"),
        ("[]", 200, None, None),
    ]
    for body, status, reason, fragment in cases:
        code, answer = curl(serve.url, body)
        assert code == status, (body, answer)
        if reason:
            [err] = answer["errors"]
            assert err["reason"] == reason and fragment in err["message"], answer
    code, answer = curl(serve.url, json.dumps(stats(T0 + 3000, likes=510)), token="wrong")
    assert code == 401 and answer["errors"][0]["reason"] == "unauthorised"
    assert curl(serve.url, json.dumps(stats(T0 + 3000, likes=510)), token=None)[0] == 401
    code, answer = curl(serve.url, b"[" + b" " * (1024 * 1024 + 10) + b"]")
    assert code == 413 and "over 1048576 bytes" in answer["errors"][0]["message"]
    code, answer = curl(serve.url, b"\xff\xfe{}")
    assert code == 400 and "not UTF-8" in answer["errors"][0]["message"]
    mixed = "\n".join([json.dumps(stats(T0 + 4000, likes=520)), "oops", json.dumps(stats(T0 + 5000, likes=530))])
    code, answer = curl(serve.url, mixed)
    assert code == 200 and (answer["accepted"], answer["refused"]) == (2, 1)
    _, status = curl(serve.url.replace("/messages", "/status"), method="GET")
    assert status["counts"] == {"accepted": 3, "counter_reset": 1, "duplicate": 1, "malformed": 3, "out_of_order": 1,
                                "too_large": 1, "unauthorised": 2, "unknown_type": 1, "wrong_type": 1}
    assert "accepted 3, stored 3" in serve.stop()
    log = json.loads(serve.cli("log", "--source", "room", "--json").stdout)
    rejected = [e for e in log if e["kind"] == "room.rejected"]
    assert {e["payload"]["reason"] for e in rejected} == {"malformed", "wrong_type", "unknown_type", "duplicate",
                                                          "out_of_order", "counter_reset", "too_large", "unauthorised"}
    assert all(TOKEN not in json.dumps(e, ensure_ascii=False) and "wrong" != e["payload"].get("detail") for e in log)
    assert json.loads(serve.cli("room", "summary", "S-live", "--json").stdout)["show"]["likes"] == 530


def test_a_body_over_the_limit_is_refused_before_it_is_sent(serve: Serve) -> None:
    """A client that asks first (``Expect: 100-continue``, as curl does for big bodies) gets 413
    instead of an invitation, so the 4 MB are never sent, never read and thrown away."""
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(serve.url)
    head = (f"POST {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nContent-Length: 4000000\r\nExpect: 100-continue\r\n\r\n")
    with socket.create_connection((u.hostname, u.port), timeout=20) as sock:
        sock.sendall(head.encode())
        first = sock.makefile("rb").readline().decode()
    assert first.startswith("HTTP/1.1 413"), first  # not "100 Continue": the body is not wanted
    big = serve.db.parent / "big.json"
    big.write_bytes(b"[" + b" " * 4_000_000 + b"]")
    proc = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_upload}",
                           "--expect100-timeout", "30", "-H", f"Authorization: Bearer {TOKEN}",
                           "-H", "Content-Type: application/json", "--data-binary", f"@{big}", serve.url],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["413", "0"], (proc.stdout, proc.stderr)  # curl sent no byte of the body
    # a client that asks and is welcome still gets its 100 Continue and its answer
    proc = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", "-H", "Expect: 100-continue",
                           "-H", f"Authorization: Bearer {TOKEN}", "-H", "Content-Type: application/json",
                           "--data-binary", json.dumps(stats(T0, online=5)), serve.url],
                          capture_output=True, text=True, timeout=30)
    text, _, code = proc.stdout.rpartition("\n")
    assert code == "200" and json.loads(text)["accepted"] == 1, proc.stdout
    _, status = curl(serve.url.replace("/messages", "/status"), method="GET")
    assert status["counts"] == {"accepted": 1, "too_large": 2}


def test_a_flood_beyond_the_rate_gets_429(tmp_path: Path) -> None:
    s = Serve(tmp_path, settings="[room]\ningest_rate = 2.0\n")
    try:
        codes = [curl(s.url, json.dumps(stats(T0 + i * 1000, online=i)))[0] for i in range(12)]
        assert codes[:4] == [200] * 4 and 429 in codes, codes  # bursts of 2x the rate, then refused
        code, answer = curl(s.url, json.dumps(stats(T0 + 99_000, online=1)))
        if code == 429:
            assert "at most 2/s" in answer["errors"][0]["message"]
    finally:
        out = s.stop()
    assert "rate_limited" in out


def test_alerts_are_raised_live_and_logged_with_the_runbook(serve: Serve) -> None:
    base = [stats(T0, online=2000, comments=0)]
    complaints = [{"ts": T0 + 1000 + i * 2000, "type": "comment", "user": f"u{i}", "text": t}
                  for i, t in enumerate(["没声音了", "听不见", "主播没声音", "没声音啊", "听不到声音"])]
    assert curl(serve.url, "\n".join(json.dumps(m, ensure_ascii=False) for m in base + complaints))[0] == 200
    serve.stop()
    log = json.loads(serve.cli("log", "--source", "room", "--json").stdout)
    [alert] = [e for e in log if e["kind"] == "room.alert"]
    assert alert["show_id"] == "S-live" and alert["payload"]["rule"] == "tech_complaints"
    assert alert["payload"]["runbook"] == "mic" and alert["payload"]["automatic"] is False
    assert alert["severity"] == "error"


WS_CLIENT = textwrap.dedent('''
    import asyncio, json, sys
    import aiohttp

    async def main(url, token):
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url, headers={"Authorization": "Bearer " + token}) as ws:
                frames = [json.dumps({"ts": 1797076800000 + i * 1000, "type": "stats", "online": 10 + i})
                          for i in range(20)]
                frames.append("{broken")
                frames.append(json.dumps([{"ts": 1797076900000, "type": "comment", "text": "你好"}]))
                for frame in frames:
                    await ws.send_str(frame)
                    answer = json.loads((await ws.receive()).data)
                    print(json.dumps(answer, ensure_ascii=False), flush=True)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
''')


def test_a_websocket_client_in_another_process_gets_an_answer_per_frame(serve: Serve, tmp_path: Path) -> None:
    script = tmp_path / "ws_client.py"
    script.write_text(WS_CLIENT, encoding="utf-8")
    ws_url = serve.url.replace("http://", "ws://").replace("/messages", "/ws")
    proc = subprocess.run([sys.executable, str(script), ws_url, TOKEN], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == 22
    assert all(a["status"] == 200 and a["accepted"] == 1 for a in answers[:20])
    assert answers[20]["status"] == 400 and answers[20]["errors"][0]["reason"] == "malformed"
    assert answers[21]["accepted"] == 1
    bad = subprocess.run([sys.executable, str(script), ws_url, "nope"], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "401" in bad.stderr
    assert "accepted 21, stored 21" in serve.stop()


def test_the_example_bridge_in_format_md_posts_as_documented(serve: Serve, tmp_path: Path) -> None:
    doc = (ROOT / "resources" / "room" / "FORMAT.md").read_text(encoding="utf-8")
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    assert code.count("\n") <= 20
    # The bridge as written, with the studio's address and its platform readers filled in, run once.
    code = code.replace("http://192.168.1.20:8810/room/v1/messages", serve.url)
    code = code.replace("while True:", "for _ in range(3):").replace("time.sleep(1)", "time.sleep(0.01)")
    readers = "import itertools\n_n = itertools.count(1000)\nread_online = lambda: next(_n)\nread_gmv = lambda: 99.5\n"
    bridge = tmp_path / "bridge.py"
    bridge.write_text(readers + code, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(bridge)], capture_output=True, text=True, timeout=60, env=serve.env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("'accepted': 1") == 3
    assert "accepted 3, stored 3" in serve.stop()
