"""The mic worker's supervision on sources that need no sound server: the built-in test
signal, and a scripted source whose stream the test can end or freeze."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from hardware.audio import MicWorker, TestSignalSource
from hardware.audio.ring import NO_STATUS
from hardware.audio.sources import SourceError, StreamFormat
from hardware.supervisor import DeviceState, RetryPolicy


class Recorder:
    """Collects what the worker reports (from its thread) for the test to wait on."""

    def __init__(self):
        self.lock = threading.Lock()
        self.states: list[tuple[float, DeviceState, str]] = []
        self.statuses = []
        self.events: list[tuple[float, str, str, int, dict]] = []

    def status(self, status):
        with self.lock:
            self.statuses.append(status)
            self.states.append((time.monotonic(), status.state, status.detail))

    def event(self, kind, message, severity, payload):
        with self.lock:
            self.events.append((time.monotonic(), kind, message, severity, dict(payload)))

    def kinds(self):
        with self.lock:
            return [e[1] for e in self.events]

    def wait_event(self, kind, timeout, after=0.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for e in self.events:
                    if e[1] == kind and e[0] >= after:
                        return e
            time.sleep(0.01)
        raise AssertionError(f"no {kind!r} event within {timeout} s; got {self.kinds()}")

    def wait_state(self, state, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.states and self.states[-1][1] is state:
                    return self.states[-1]
            time.sleep(0.01)
        raise AssertionError(f"state not {state} within {timeout} s; got {[s[1].value for s in self.states]}")


class ScriptedSource:
    """A capture source fed by a thread: the test chooses the level, can end the stream
    (like a killed audio server), freeze it, or refuse to open (device missing)."""

    is_test_signal = False

    def __init__(self, name="scripted"):
        self.name = name
        self.level = 0.1
        self.available = True
        self.frozen = threading.Event()
        self._ended = threading.Event()
        self._stop = threading.Event()
        self._thread = None
        self.opens = 0

    def open(self, make_ring):
        if not self.available:
            raise SourceError(f"input device {self.name!r} not found")
        self.opens += 1
        ring = make_ring(StreamFormat(self.name, 48000, 1))
        self._stop.clear()
        self._ended.clear()
        self._thread = threading.Thread(target=self._run, args=(ring,), daemon=True)
        self._thread.start()
        return StreamFormat(self.name, 48000, 1)

    def _run(self, ring):
        t = 0
        while not self._stop.is_set():
            if not self.frozen.is_set():
                n = np.arange(t, t + 480)
                ring.callback((self.level * np.sin(2 * np.pi * n / 48)).astype(np.float32)[:, None], 480, None, NO_STATUS)
                t += 480
            time.sleep(0.01)

    def end(self):
        self.available = False
        self._stop.set()
        self._ended.set()

    def finished(self):
        return self._ended.is_set()

    def close(self):
        self._stop.set()
        if self._thread:
            self._thread.join(2)


@pytest.fixture
def recorder():
    return Recorder()


def make_worker(source, recorder, **kw):
    w = MicWorker(source, recorder.status, recorder.event, rescan_s=3600, **kw)
    return w


def test_test_signal_moves_the_meters_and_says_it_is_a_test(recorder):
    w = make_worker(TestSignalSource(), recorder)
    w.start()
    try:
        recorder.wait_state(DeviceState.TEST_SIGNAL, 3)
        time.sleep(1.5)
        r = w.take_reading()
        assert r.is_test_signal and r.state is DeviceState.TEST_SIGNAL
        assert "TEST SIGNAL" in r.device and "TEST SIGNAL" in r.detail
        assert -30 < max(c.peak_dbfs for c in r.channels) < -3
        assert -40 < r.short_term_lufs < -10
        opened = recorder.wait_event("device.test_signal", 1)
        assert opened[4]["test_signal"] is True and opened[4]["device"] == "mic"
    finally:
        assert w.stop(timeout=5.0) is True
    assert recorder.states[-1][1] is DeviceState.STOPPED
    assert recorder.kinds()[-1] == "device.stopped"


def test_peaks_between_readings_are_not_lost(recorder):
    src = ScriptedSource()
    w = make_worker(src, recorder)
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        time.sleep(0.3)
        w.take_reading()
        src.level = 0.5
        time.sleep(0.1)
        src.level = 0.01
        time.sleep(0.3)  # several worker polls with the quiet level after the loud one
        r = w.take_reading()
        assert r.channels[0].peak_dbfs == pytest.approx(-6.02, abs=0.1)
        assert w.take_reading().channels[0].peak_dbfs < -30
    finally:
        w.stop()


def test_ended_stream_is_lost_then_reopened_by_itself(recorder):
    src = ScriptedSource()
    w = make_worker(src, recorder, retry=RetryPolicy(initial=0.2, factor=2.0, maximum=0.5))
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        t0 = time.monotonic()
        src.end()
        lost = recorder.wait_event("device.lost", 2)
        assert lost[0] - t0 < 2.0 and lost[3] >= 40
        time.sleep(1.2)  # a few failed attempts while the device is missing
        attempts = [st.attempt for st in recorder.statuses if st.state is DeviceState.LOST]
        assert attempts[:3] == [1, 2, 3]  # each failed reopen counted, retried with the backoff
        src.available = True
        rec = recorder.wait_event("device.ok", 3, after=lost[0])
        assert rec[4]["previous"] == "lost" and rec[4]["outage_s"] >= 1.0
        recorder.wait_state(DeviceState.OK, 2)
        assert w.status.attempt == 0 and w.status.next_retry is None  # reset on success
        assert src.opens >= 2
    finally:
        w.stop()


def test_frozen_stream_is_stalled_and_recovers_when_data_flows(recorder):
    src = ScriptedSource()
    w = make_worker(src, recorder)
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        t0 = time.monotonic()
        src.frozen.set()
        stalled = recorder.wait_event("device.stalled", 2)
        assert stalled[0] - t0 < 2.0
        assert w.state is DeviceState.STALLED
        src.frozen.clear()
        recorder.wait_event("device.ok", 3, after=stalled[0])
        recorder.wait_state(DeviceState.OK, 2)
    finally:
        w.stop()


def test_dead_air_only_while_live_and_ends_when_sound_returns(recorder):
    src = ScriptedSource()
    src.level = 0.0
    w = make_worker(src, recorder, dead_air_s=0.6)
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        time.sleep(1.0)
        assert "dead_air_start" not in recorder.kinds()  # silent, but not on air
        w.set_live(True)
        start = recorder.wait_event("dead_air_start", 2)
        assert start[4]["threshold_dbfs"] == -60.0 and start[4]["seconds"] >= 0.6
        recorder.wait_state(DeviceState.DEAD_AIR, 1)
        src.level = 0.1
        end = recorder.wait_event("dead_air_end", 2)
        assert end[4]["duration_s"] > 0.5
        recorder.wait_state(DeviceState.OK, 1)
    finally:
        w.stop()


def test_clipping_is_reported_with_values_and_rate_limited(recorder):
    src = ScriptedSource()
    src.level = 1.0
    w = make_worker(src, recorder, clip_event_s=5.0)
    w.start()
    try:
        ev = recorder.wait_event("clipping", 3)
        assert ev[4]["clipped_samples"] > 0 and ev[4]["peak_dbfs"] == pytest.approx(0.0, abs=0.01)
        time.sleep(1.0)
        assert recorder.kinds().count("clipping") == 1
    finally:
        w.stop()


def test_switching_source_reports_the_change(recorder):
    w = make_worker(ScriptedSource("first"), recorder)
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        w.set_source(TestSignalSource())
        ev = recorder.wait_event("device_changed", 2)
        assert ev[4] == {"device": "mic", "from": "first", "to": TestSignalSource.name, "test_signal": True}
        recorder.wait_state(DeviceState.TEST_SIGNAL, 2)
    finally:
        w.stop()


def test_no_microphone_at_first_start_falls_back_to_the_test_signal(recorder):
    src = ScriptedSource("")
    src.available = False
    w = make_worker(src, recorder, fallback=TestSignalSource())
    w.start()
    try:
        recorder.wait_state(DeviceState.TEST_SIGNAL, 3)
        ev = recorder.wait_event("device.test_signal", 1)
        assert ev[3] == 30 and ev[4]["test_signal"] is True and ev[4]["fallback_from"] == ""
        assert "not found" in ev[4]["error"] and "no microphone found" in ev[2]
        assert "device.lost" not in recorder.kinds()
        assert w.source.is_test_signal
    finally:
        w.stop()


def test_fallback_is_not_used_once_a_device_has_worked(recorder):
    src = ScriptedSource()
    w = make_worker(src, recorder, fallback=TestSignalSource(), retry=RetryPolicy(initial=0.3, maximum=0.3))
    w.start()
    try:
        recorder.wait_state(DeviceState.OK, 3)
        src.end()
        recorder.wait_event("device.lost", 2)
        time.sleep(1.0)
        assert not w.source.is_test_signal and "device.test_signal" not in recorder.kinds()
    finally:
        w.stop()
