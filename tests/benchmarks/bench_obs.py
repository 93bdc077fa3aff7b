"""OBS figures against a real headless OBS (started here through tests/harness/obs.py).

1. Scene switch round trip (SetCurrentProgramScene answered) through our ObsLink worker
   (queue hop + worker thread + future) against raw obsws-python ``ReqClient.send`` in the
   same run, interleaved. Target: median ratio <= 1.2.
2. Event latency: from ``CurrentProgramSceneChanged`` arriving on the event socket to the
   worker's ``on_state`` callback; and a switch end to end (submit -> the state callback
   showing the new program scene) against raw obsws-python (send -> its own EventClient
   callback).
3. To the desk: the same switch until the GUI thread's ``ObsConnection.state_changed``
   slot has the new scene (offscreen Qt), and the worker -> GUI hop alone (Mailbox).

Run: ``.venv/bin/python benchmarks/bench_obs.py`` (``--quick`` for fewer rounds).
"""
from __future__ import annotations

import logging
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import obsws_python as obsws  # noqa: E402

from hardware.obs import ObsLink  # noqa: E402
from tests.harness.obs import HeadlessObs, ObsStartError  # noqa: E402

logging.getLogger("obsws_python").setLevel(logging.CRITICAL)
QUICK = "--quick" in sys.argv
N = 60 if QUICK else 200
SCENES = ("Product", "Opening")


def ms(values: list[float]) -> tuple[float, float]:
    v = sorted(values)
    return statistics.median(v) * 1000, v[min(len(v) - 1, int(len(v) * 0.95))] * 1000


def row(name: str, values: list[float]) -> str:
    med, p95 = ms(values)
    return f"| {name:<58} | {med:8.2f} | {p95:8.2f} | {len(values):5d} |"


def main() -> int:
    obs = HeadlessObs()
    try:
        obs.start()
    except ObsStartError as exc:
        print(f"bench_obs: OBS unavailable: {exc}")
        obs.close()
        return 1
    try:
        return run(obs)
    finally:
        obs.close()


def run(obs: HeadlessObs) -> int:
    # --- our worker, with a callback that timestamps program-scene changes
    seen: dict[str, float] = {}
    cond = threading.Condition()

    def on_state(state) -> None:  # noqa: ANN001
        with cond:
            if state.program_scene not in seen:
                seen[state.program_scene] = time.perf_counter()
                cond.notify_all()

    link = ObsLink(obs.host, obs.port, obs.password, on_state=on_state)
    link.start()
    t0 = time.monotonic()
    while not link.state.connected and time.monotonic() - t0 < 10:
        time.sleep(0.01)
    raw = obs.client()
    raw_events: dict[str, float] = {}
    raw_cond = threading.Condition()
    ev = obsws.EventClient(host=obs.host, port=obs.port, password=obs.password, subs=obsws.Subs.SCENES)

    def on_current_program_scene_changed(data) -> None:  # noqa: ANN001 - obsws-python's naming rule
        with raw_cond:
            raw_events.setdefault(data.scene_name, time.perf_counter())
            raw_cond.notify_all()

    ev.callback.register(on_current_program_scene_changed)

    # 1. round trips, interleaved in random order with random gaps: OBS's UI thread has
    # periodic work (~250 ms), and fixed gaps phase-lock one client onto its busy moments.
    rng = random.Random(7)
    ours, theirs = [], []
    current = "Opening"
    for _ in range(N):
        order = ["raw", "ours"]
        rng.shuffle(order)
        for who in order:
            current = "Product" if current == "Opening" else "Opening"
            t = time.perf_counter()
            if who == "raw":
                raw.send("SetCurrentProgramScene", {"sceneName": current})
                theirs.append(time.perf_counter() - t)
            else:
                link.switch_scene(current).result(5)
                ours.append(time.perf_counter() - t)
            time.sleep(rng.uniform(0.03, 0.2))

    # 2. event latency and end to end
    lags, ours_e2e, raw_e2e = [], [], []
    for i in range(N // 2):
        scene = SCENES[i % 2]
        with cond:
            seen.clear()
        with raw_cond:
            raw_events.clear()
        t = time.perf_counter()
        if link.state.program_scene == scene:
            continue
        link.switch_scene(scene)
        with cond:
            cond.wait_for(lambda s=scene: s in seen, 5)
        ours_e2e.append(seen[scene] - t)
        lags.append(link.event_lag)
        with raw_cond:
            raw_cond.wait_for(lambda s=scene: s in raw_events, 5)
        time.sleep(rng.uniform(0.03, 0.2))
    # raw end to end measured on its own so the two clients don't share one switch
    for i in range(N // 2):
        scene = SCENES[i % 2]
        with raw_cond:
            raw_events.clear()
        t = time.perf_counter()
        raw.send("SetCurrentProgramScene", {"sceneName": scene})
        with raw_cond:
            raw_cond.wait_for(lambda s=scene: s in raw_events, 5)
        raw_e2e.append(raw_events[scene] - t)
        time.sleep(rng.uniform(0.03, 0.2))
    ev.disconnect()
    raw.base_client.ws.shutdown()
    link.stop()

    # 3. to the desk (GUI thread)
    from PySide6.QtCore import QEventLoop, QTimer

    from studio_app.ui.app import create_application
    from studio_app.ui.obs_panel import ObsConnection

    app = create_application()  # as the desk makes it (accessibility bridge before any worker)
    worker_at: dict[str, float] = {}
    link2 = ObsLink(obs.host, obs.port, obs.password)
    conn = ObsConnection(link2)
    inner = link2.on_state

    def stamp(state) -> None:  # noqa: ANN001
        worker_at.setdefault(state.program_scene, time.perf_counter())
        inner(state)

    link2.on_state = stamp
    conn.start()
    # Wait in a QEventLoop, not a processEvents() spin: PySide6 6.12 on Python 3.11 drops a
    # reference to None on every void call, and a spin of thousands of calls aborts Python.
    def wait_until(pred, timeout_ms: int = 5000) -> None:  # noqa: ANN001
        if pred():
            return
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)

        def check(_state) -> None:  # noqa: ANN001
            if pred():
                loop.quit()

        conn.state_changed.connect(check)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        conn.state_changed.disconnect(check)

    wait_until(lambda: conn.last_state.connected, 10000)
    desk_e2e, hop = [], []
    for i in range(N // 2):
        scene = SCENES[i % 2]
        worker_at.clear()
        t = time.perf_counter()
        link2.switch_scene(scene)
        wait_until(lambda s=scene: conn.last_state.program_scene == s)
        desk_e2e.append(conn.state_received_at - t)
        if scene in worker_at:
            hop.append(conn.state_received_at - worker_at[scene])
        time.sleep(rng.uniform(0.03, 0.2))
    conn.stop()

    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"OBS {link.state.obs_version or '29'} / obs-websocket over loopback, {N} rounds, times in ms")
    print(f"| {'measure':<58} | {'median':>8} | {'p95':>8} | {'n':>5} |")
    print(f"|{'-' * 60}|{'-' * 10}|{'-' * 10}|{'-' * 7}|")
    print(row("scene switch round trip, raw obsws-python ReqClient", theirs))
    print(row("scene switch round trip, ObsLink (queue + worker + future)", ours))
    print(row("OBS event arrival -> worker on_state callback", lags))
    print(row("switch -> event, raw obsws-python EventClient callback", raw_e2e))
    print(row("switch -> worker on_state with the new program scene", ours_e2e))
    print(row("switch -> desk (GUI thread slot) with the new scene", desk_e2e))
    print(row("worker on_state -> GUI thread slot (Mailbox wake-up)", hop))
    verdict = "OK" if ratio <= 1.2 else "OVER TARGET"
    print(f"\nround-trip median ratio ObsLink / raw = {ratio:.3f} (target <= 1.2): {verdict}")
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter finalisation: with PySide6 6.12 on Python 3.11 every emit() drops a
    # reference to True, and the garbage collection at exit then aborts ("bool_dealloc").
    os._exit(code)
