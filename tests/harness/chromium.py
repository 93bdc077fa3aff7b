"""A real headless Chromium (Debian's ``chromium`` package) driven over the DevTools
protocol, for testing pages the console serves (the cue LAN view).

    with Chromium.launch(width=390, height=844) as browser:   # a phone-sized viewport
        browser.navigate("http://127.0.0.1:8765/cue?token=...")
        browser.wait_for("window.cue.messages > 0")
        browser.evaluate("document.getElementById('timer').textContent")
        browser.screenshot(path)

The session fixture ``chromium`` gives tests one browser; ``unavailable`` applies when
the binary is missing (fails under CI=true).
"""
from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.harness import unavailable

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    # Keep timers running at full rate in a page nobody looks at.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
]


class ChromiumError(RuntimeError):
    pass


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Chromium:
    def __init__(self, proc: subprocess.Popen, profile: tempfile.TemporaryDirectory, ws: ClientConnection) -> None:
        self.proc = proc
        self._profile = profile
        self._ws = ws
        self._id = 0

    @classmethod
    def launch(cls, width: int = 390, height: int = 844, timeout: float = 30.0) -> "Chromium":
        binary = chromium_binary()
        if binary is None:
            raise ChromiumError("chromium is not installed (apt-get install -y chromium)")
        profile = tempfile.TemporaryDirectory(prefix="cue-chromium-", ignore_cleanup_errors=True)
        proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile.name}", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        port_file = Path(profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        port = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                profile.cleanup()
                raise ChromiumError(f"chromium exited at start (code {proc.returncode})")
            try:
                port = int(port_file.read_text().split()[0])
                break
            except (OSError, ValueError, IndexError):
                time.sleep(0.05)
        try:
            if port is None:
                raise ChromiumError(f"chromium did not open its DevTools port within {timeout:.0f} s")
            targets: list[dict] = []
            while time.monotonic() < deadline and not any(t.get("type") == "page" for t in targets):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                    targets = json.load(r)
                time.sleep(0.05)
            page = next((t for t in targets if t.get("type") == "page"), None)
            if page is None:
                raise ChromiumError("chromium shows no page target")
            stack = contextlib.ExitStack()
            ws = stack.enter_context(connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
        except BaseException:
            proc.kill()
            proc.wait()
            profile.cleanup()
            raise
        browser = cls(proc, profile, ws)
        browser._stack = stack
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < height})
        return browser

    # -- DevTools protocol ----------------------------------------------------------------
    def call(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict[str, Any]:
        self._id += 1
        my_id = self._id
        self._ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChromiumError(f"{method}: no answer within {timeout:.0f} s")
            msg = json.loads(self._ws.recv(timeout=left))
            if msg.get("id") != my_id:
                continue  # an event
            if "error" in msg:
                raise ChromiumError(f"{method}: {msg['error'].get('message')}")
            return msg.get("result", {})

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'", timeout=15)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression!r}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 10.0, interval: float = 0.05) -> Any:
        """Poll ``expression`` in the page until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = self.evaluate(expression)
            except ChromiumError:
                last = None
            if last:
                return last
            time.sleep(interval)
        raise ChromiumError(f"timed out after {timeout:.0f} s waiting for {expression!r} (last value {last!r})")

    def screenshot(self, path: str | Path) -> Path:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        out = Path(path)
        out.write_bytes(base64.b64decode(data))
        return out

    def full_page_screenshot(self, path: str | Path, width: int, max_height: int = 16000) -> Path:
        """The whole page (up to ``max_height`` px) at ``width``, as a reader scrolls through it."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": min(height, max_height), "deviceScaleFactor": 1, "mobile": False})
        return self.screenshot(path)

    def close(self) -> None:
        try:
            self._stack.close()
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._profile.cleanup()

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def dump_dom(url: str, budget_ms: int = 3000, timeout: float = 60.0) -> str:
    """``chromium --headless --dump-dom`` after ``budget_ms`` of virtual time."""
    binary = chromium_binary()
    if binary is None:
        raise ChromiumError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="cue-chromium-", ignore_cleanup_errors=True) as profile:
        proc = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
            capture_output=True, text=True, timeout=timeout,
        )
    if proc.returncode != 0:
        raise ChromiumError(f"chromium --dump-dom failed (code {proc.returncode}): {proc.stderr[-300:]}")
    return proc.stdout


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (phone-sized viewport, 390x844)."""
    try:
        browser = Chromium.launch(390, 844)
    except ChromiumError as exc:
        unavailable("chromium", str(exc))
    yield browser
    browser.close()
