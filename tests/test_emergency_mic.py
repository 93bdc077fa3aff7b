"""A killed virtual microphone makes the desk propose the microphone runbook: the real mic
worker on the PulseAudio virtual mic → the device board → the alarm watcher."""
from __future__ import annotations

import queue
import time

import pytest

from studio_app.core.devices import DeviceBoard, DeviceStatus, Level
from studio_app.core.events import MemorySink
from studio_app.core.settings import Settings
from studio_app.show.emergency import AlarmWatcher, default_runbooks_path, load_runbooks
from studio_app.studio import Studio

pytestmark = pytest.mark.mic


def test_killed_microphone_proposes_the_microphone_runbook_and_runs_nothing(virtual_mic):
    from hardware.audio import MicState, MicWorker, SoundDeviceSource

    books = load_runbooks(default_runbooks_path())
    board = DeviceBoard()
    inbox: queue.Queue = queue.Queue()
    board.subscribe(inbox.put)  # the desk hands these to its GUI thread the same way
    sink = MemorySink()
    studio = Studio(Settings(), sink, runbooks=books)
    desk = studio.emergency
    watcher = AlarmWatcher(books)

    def on_status(state, detail):
        board.report(DeviceStatus("mic", state.value, Level.OK if state is MicState.OK else Level.ERROR, detail))

    worker = MicWorker(SoundDeviceSource("pulse"), on_status, rescan_s=3600)
    worker.start()
    suggestions = []
    try:
        deadline = time.monotonic() + 10
        while board.get("mic") is None or board.get("mic").state != "ok":
            assert time.monotonic() < deadline, f"mic never OK: {board.get('mic')}"
            time.sleep(0.02)
        while not inbox.empty():
            assert watcher.observe_device("mic", inbox.get().state) == []  # a healthy mic suggests nothing

        t_kill = time.monotonic()
        virtual_mic.kill()
        deadline = t_kill + 5
        while not suggestions:
            assert time.monotonic() < deadline, f"no suggestion; mic is {board.get('mic')}"
            try:
                status = inbox.get(timeout=0.05)
                suggestions += watcher.observe_device(status.device, status.state)
            except queue.Empty:
                suggestions += watcher.tick()
        waited = time.monotonic() - t_kill
    finally:
        worker.stop()

    s = suggestions[0]
    assert s.runbook.id == "mic" and s.alarm in ("mic.lost", "mic.stalled")
    assert waited < 2.0 + books.get("mic").triggers[1].for_at_least_s + 0.5
    assert "建议执行预案: 麦克风故障" in s.message("zh")
    # proposing is not running: the mic runbook has no automatic action
    assert desk.take(suggestions) == suggestions
    assert desk.open_incidents == [] and not [e for e in sink.events if e.kind == "desk.action"]  # nothing ran
    studio.close()
