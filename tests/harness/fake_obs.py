"""A stand-in for :class:`hardware.obs.ObsLink` where a test needs no real OBS: its
command API (every command returns a Future and is recorded in ``calls``) and its state
(connected, on scene Opening, studio mode off). With ``resolve=True`` commands succeed at
once; otherwise the test resolves ``futures`` by hand (OBS answering, or failing)."""
from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace


class FakeObsLink:
    def __init__(self, resolve: bool = True) -> None:
        self.resolve = resolve
        self.state = SimpleNamespace(
            connected=True, status="ok", studio_mode=False, streaming=False, recording=False,
            program_scene="Opening", preview_scene="",
            health=SimpleNamespace(stream_timecode="", record_timecode="", stream_reconnecting=False))
        self.calls: list[tuple] = []
        self.futures: list[Future] = []

    def _fut(self, *call) -> Future:
        self.calls.append(call)
        f: Future = Future()
        self.futures.append(f)
        if self.resolve:
            f.set_result({})
        return f

    def switch_scene(self, scene):
        return self._fut("switch_scene", scene)

    def set_preview_scene(self, scene):
        return self._fut("set_preview_scene", scene)

    def set_text(self, source, text):
        return self._fut("set_text", source, text)

    def set_mute(self, name, muted):
        return self._fut("set_mute", name, muted)

    def start_stream(self):
        return self._fut("start_stream")

    def stop_stream(self):
        return self._fut("stop_stream")

    def start_record(self):
        return self._fut("start_record")

    def stop_record(self):
        return self._fut("stop_record")
