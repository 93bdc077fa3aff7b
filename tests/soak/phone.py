"""The anchor's phone view (the LAN cue page) in a real headless Chromium, in its own process,
connected over WebSocket for the whole run. Prints one JSON line a second with the page's
counters (``window.cue``: messages received, connects). ``kill`` on stdin SIGKILLs the browser
(a crashed phone browser); ``restart`` launches a new one on the same link; ``quit`` ends.

    python -m tests.soak.phone URL
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time

from tests.harness.chromium import Chromium, ChromiumError


def out(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def open_page(url: str) -> Chromium:
    browser = Chromium.launch(width=390, height=844)
    browser.navigate(url)
    return browser


def main() -> None:
    url = sys.argv[1]
    commands: list[str] = []
    browser: Chromium | None = open_page(url)
    out({"event": "ready"})

    def read() -> None:
        for line in sys.stdin:
            commands.append(line.strip())
        commands.append("quit")

    threading.Thread(target=read, daemon=True).start()
    while True:
        time.sleep(1.0)
        while commands:
            cmd = commands.pop(0)
            if cmd == "quit":
                if browser is not None:
                    browser.close()
                return
            if cmd == "kill" and browser is not None:
                os.killpg(browser.proc.pid, signal.SIGKILL)  # the whole browser, renderer too
                browser.proc.wait()
                try:
                    browser.close()
                except Exception:  # noqa: BLE001 - its DevTools socket died with it
                    pass
                browser = None
                out({"event": "killed"})
            elif cmd == "restart" and browser is None:
                try:
                    browser = open_page(url)
                    out({"event": "restarted"})
                except ChromiumError as exc:
                    out({"event": "restart_failed", "why": str(exc)})
        if browser is None:
            continue
        try:
            cue = browser.evaluate("JSON.stringify({m: window.cue ? window.cue.messages : 0, "
                                   "c: window.cue ? window.cue.connects : 0})")
            out({"event": "page", **json.loads(cue)})
        except (ChromiumError, OSError, ValueError, TimeoutError) as exc:
            out({"event": "page_error", "why": f"{type(exc).__name__}: {exc}"[:200]})


if __name__ == "__main__":
    main()
