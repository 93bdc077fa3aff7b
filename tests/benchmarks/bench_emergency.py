"""Emergency runbooks: key press to the standby scene confirmed by a real headless OBS.

Target (issue 11): the camera-failure runbook puts the standby scene on program within
200 ms of the key. Compares the runbook path (EmergencyDesk.open → the studio's dispatcher → ObsLink)
with a bare ObsLink.switch_scene, and a drill (preview in studio mode). Also the pure-layer
costs: reading the shipped runbooks, opening an incident, an alarm-watcher tick.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.table import median, percentile, print_table  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))


class Waiter:
    """Monotonic time at which OBS reported the program (or preview) scene."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.program: tuple[float, str] | None = None
        self.preview: tuple[float, str] | None = None

    def on_event(self, kind, message, severity, payload) -> None:
        if kind == "scene_changed":
            with self.cond:
                self.program = (time.monotonic(), payload["scene"])
                self.cond.notify_all()

    def on_state(self, state) -> None:
        with self.cond:
            if state.preview_scene and (self.preview is None or self.preview[1] != state.preview_scene):
                self.preview = (time.monotonic(), state.preview_scene)
                self.cond.notify_all()

    def wait(self, attr: str, scene: str, timeout: float = 5.0) -> float:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                got = getattr(self, attr)
                if got is not None and got[1] == scene:
                    return got[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{attr} scene {scene} not reported")
                self.cond.wait(left)


def main() -> None:
    from hardware.obs import ObsLink
    from studio_app.core.events import NullSink
    from studio_app.core.settings import Settings
    from studio_app.studio import Studio
    from studio_app.show.emergency import (
        AlarmWatcher,
        StepOutcome,
        EmergencyDesk,
        default_runbooks_path,
        load_runbooks,
    )
    from tests.harness.obs import HeadlessObs

    books = load_runbooks(default_runbooks_path())
    obs = HeadlessObs(Path(tempfile.mkdtemp(prefix="bench-emergency-")))
    obs.start()
    w = Waiter()
    link = ObsLink(obs.host, obs.port, obs.password, on_event=w.on_event, on_state=w.on_state)
    link.start()
    try:
        deadline = time.monotonic() + 20
        while not link.state.connected:
            if time.monotonic() > deadline:
                raise SystemExit("OBS did not connect")
            time.sleep(0.05)

        def back_to_opening() -> None:
            if link.state.program_scene != "Opening":
                link.switch_scene("Opening").result(5)
                w.wait("program", "Opening")
            time.sleep(0.05)

        bare, runbook, drill = [], [], []
        for _ in range(RUNS):
            back_to_opening()
            t0 = time.monotonic()
            link.switch_scene("BRB")
            bare.append(w.wait("program", "BRB") - t0)

            back_to_opening()
            studio = Studio(Settings(), NullSink(), obs=link, runbooks=books)  # steps through its dispatcher
            t0 = time.monotonic()
            studio.emergency.open("camera")
            runbook.append(w.wait("program", "BRB") - t0)

        link.set_studio_mode(True).result(5)
        while not link.state.studio_mode:
            time.sleep(0.01)
        for _ in range(RUNS):
            link.set_preview_scene("Product").result(5)
            w.wait("preview", "Product")
            studio = Studio(Settings(), NullSink(), obs=link, runbooks=books)
            studio.dispatch("drill.start")
            t0 = time.monotonic()
            studio.emergency.open("camera")
            drill.append(w.wait("preview", "BRB") - t0)
        link.set_studio_mode(False).result(5)
    finally:
        link.stop()
        obs.close()

    # Pure layer
    text = default_runbooks_path().read_text(encoding="utf-8")
    from studio_app.show.emergency import loads_runbooks

    parse = []
    for _ in range(50):
        t0 = time.perf_counter()
        loads_runbooks(text, "runbooks.toml")
        parse.append(time.perf_counter() - t0)
    opens = []
    for _ in range(200):
        desk = EmergencyDesk(books, lambda name, args, by: StepOutcome("ok"), NullSink())
        t0 = time.perf_counter()
        desk.open("camera")
        opens.append(time.perf_counter() - t0)
    watcher = AlarmWatcher(books, clock=lambda: 0.0)
    watcher.observe_device("camera", "no_signal", 0.0)
    ticks = []
    for i in range(1000):
        t0 = time.perf_counter()
        watcher.tick(i * 0.001)
        ticks.append(time.perf_counter() - t0)

    ms = lambda xs: f"{median(xs) * 1000:.1f}"  # noqa: E731
    p95 = lambda xs: f"{percentile(xs, 95) * 1000:.1f}"  # noqa: E731
    print_table(
        f"Emergency key to OBS scene confirmed (real headless OBS 29, {RUNS} runs each)",
        ["case", "median ms", "p95 ms", "max ms", "vs bare switch", "target"],
        [
            ["bare ObsLink.switch_scene -> program BRB", ms(bare), p95(bare), f"{max(bare) * 1000:.1f}", "1.00x", ""],
            ["camera runbook key -> program BRB", ms(runbook), p95(runbook), f"{max(runbook) * 1000:.1f}",
             f"{median(runbook) / median(bare):.2f}x", "< 200 ms"],
            ["drill: camera runbook key -> preview BRB", ms(drill), p95(drill), f"{max(drill) * 1000:.1f}",
             f"{median(drill) / median(bare):.2f}x", "program unchanged"],
        ],
    )
    print_table(
        "Emergency pure layer (no devices)",
        ["operation", "runs", "median", "p95"],
        [
            ["load shipped runbooks.toml (7 runbooks)", len(parse), f"{median(parse) * 1000:.2f} ms", f"{percentile(parse, 95) * 1000:.2f} ms"],
            ["open camera incident (3 actions, no-op executor)", len(opens), f"{median(opens) * 1e6:.0f} µs", f"{percentile(opens, 95) * 1e6:.0f} µs"],
            ["alarm watcher tick (1 alarm active)", len(ticks), f"{median(ticks) * 1e6:.1f} µs", f"{percentile(ticks, 95) * 1e6:.1f} µs"],
        ],
    )


if __name__ == "__main__":
    main()
