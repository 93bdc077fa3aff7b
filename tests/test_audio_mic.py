"""The real PortAudio path: sounddevice recording a private PulseAudio virtual mic
(tests/harness/audio.py), with the audio server killed, frozen and its source removed."""
from __future__ import annotations

import time

import pytest

from tests.test_audio_worker import Recorder

pytestmark = pytest.mark.mic


@pytest.fixture
def mic_worker(virtual_mic):
    from hardware.audio import MicWorker, SoundDeviceSource

    recorder = Recorder()
    workers = []

    def start(**kw):
        w = MicWorker(SoundDeviceSource("pulse"), recorder.status, recorder.event, rescan_s=3600, **kw)
        workers.append(w)
        w.start()
        return w

    yield start, recorder, virtual_mic
    for w in workers:
        w.stop()


def _wait_audio(worker, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = worker.take_reading()
        if r is not None and r.fresh:
            return r
        time.sleep(0.02)
    raise AssertionError("no audio arrived from the virtual mic")


def _peak_while(worker, seconds):
    """Highest sample peak (dBFS) in the readings over ``seconds``."""
    best = -float("inf")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = worker.take_reading()
        if r is not None and r.fresh:
            best = max(best, max(c.peak_dbfs for c in r.channels))
        time.sleep(0.05)
    return best


def test_tone_into_the_virtual_mic_reads_its_level(mic_worker):
    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start()
    rec.wait_state(DeviceState.OK, 5)
    mic.play_tone(1000.0, -20.0, seconds=3.0)
    time.sleep(0.8)  # the player's start-up and the 300 ms RMS window
    peak = _peak_while(w, 1.0)
    assert peak == pytest.approx(-20.0, abs=0.2)
    r = w.take_reading()
    assert r.channels[0].rms_dbfs == pytest.approx(-23.0, abs=0.3)
    assert r.device == "pulse" and not r.is_test_signal


def test_silence_on_air_raises_dead_air(mic_worker):
    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start(dead_air_s=1.5)
    rec.wait_state(DeviceState.OK, 5)
    w.set_live(True)
    ev = rec.wait_event("dead_air_start", 5)
    assert ev[4]["seconds"] >= 1.5
    rec.wait_state(DeviceState.DEAD_AIR, 1)
    mic.play_tone(1000.0, -20.0, seconds=3.0)
    rec.wait_event("dead_air_end", 3)


def test_killed_audio_server_is_lost_within_2s_and_recovers_by_itself(mic_worker):
    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start()
    rec.wait_state(DeviceState.OK, 5)
    _wait_audio(w)
    t0 = time.monotonic()
    mic.kill()
    lost = rec.wait_event("device.lost", 3)
    assert lost[0] - t0 < 2.0
    assert rec.states[-1][1] is DeviceState.LOST
    time.sleep(1.0)
    t1 = time.monotonic()
    mic.start()  # nothing is done to the worker: it must find the server again itself
    rec.wait_event("device.ok", 8, after=t1)
    rec.wait_state(DeviceState.OK, 3)
    mic.play_tone(1000.0, -20.0, seconds=2.0)
    time.sleep(0.8)
    assert _peak_while(w, 0.5) == pytest.approx(-20.0, abs=0.2)  # and it measures again


def test_frozen_audio_server_is_stalled_within_2s_and_recovers(mic_worker):
    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start()
    rec.wait_state(DeviceState.OK, 5)
    _wait_audio(w)
    t0 = time.monotonic()
    mic.freeze()
    stalled = rec.wait_event("device.stalled", 3)
    assert stalled[0] - t0 < 2.0
    assert w.state is DeviceState.STALLED
    mic.thaw()
    rec.wait_event("device.ok", 8, after=stalled[0])
    rec.wait_state(DeviceState.OK, 3)


def test_unloaded_virtual_source_gives_dead_air(mic_worker):
    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start(dead_air_s=1.5)
    rec.wait_state(DeviceState.OK, 5)
    mic.play_tone(1000.0, -20.0, seconds=10.0)
    w.set_live(True)
    time.sleep(0.8)
    assert "dead_air_start" not in rec.kinds()
    t0 = time.monotonic()
    mic.unload_virtual_source()  # PulseAudio moves the stream to another source: digital silence, no error
    ev = rec.wait_event("dead_air_start", 5, after=t0)
    assert ev[4]["level_dbfs"] is None  # digital silence
    assert "device.lost" not in rec.kinds()


def test_portaudio_never_runs_in_the_console_process(mic_worker):
    """Streams, lists and tones run in child processes (hardware/audio/portaudio_child.py):
    a PortAudio stuck in a loop or a hung audio server can only ever take a child down."""
    import sys

    from hardware.supervisor import DeviceState

    start, rec, mic = mic_worker
    w = start()
    rec.wait_state(DeviceState.OK, 5)
    _wait_audio(w)
    mic.kill()
    lost = rec.wait_event("device.lost", 3)
    mic.start()
    rec.wait_event("device.ok", 8, after=lost[0])
    assert "sounddevice" not in sys.modules
    with open("/proc/self/maps") as maps:
        assert "libportaudio" not in maps.read()
