"""PortAudio runs in child processes, and a child that misbehaves the way PortAudio 19.6's
ALSA back end does (issue #1037: an endless error loop on stderr, audio stopped, deaf to
everything) costs the console nothing: the worker calls it stalled within 2 s, kills it,
opens a fresh one and measures again; memory stays flat; no child is left behind."""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from hardware.audio import MicWorker, SoundDeviceSource
from hardware.supervisor import DeviceState
from hardware.audio import devices as audio_devices
from tests.test_audio_worker import Recorder

FAKE = Path(__file__).parent / "harness" / "fake_portaudio_child.py"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def fake_child(tmp_path, monkeypatch):
    """Every PortAudio child the app starts is the fake; returns a function setting its plan."""
    monkeypatch.setenv("FAKE_PA_DIR", str(tmp_path))
    monkeypatch.setattr(audio_devices, "child_command",
                        lambda module, *args: ([sys.executable, str(FAKE), *args], str(tmp_path)))

    def plan(*modes: str):
        (tmp_path / "plan").write_text("\n".join(modes))
        return tmp_path

    yield plan
    spawns = tmp_path / "spawns"
    for line in spawns.read_text().splitlines() if spawns.exists() else []:
        pid = int(line.split()[0])
        if _alive(pid):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass  # it ended between the look and the kill


def _spawned(base: Path) -> list[tuple[int, float]]:
    return [(int(a), float(b)) for a, b in (ln.split() for ln in (base / "spawns").read_text().splitlines())]


def test_a_spinning_portaudio_child_is_stalled_killed_and_replaced(fake_child):
    base = fake_child("spin_after:60", "ok")
    rec = Recorder()
    w = MicWorker(SoundDeviceSource("fake"), rec.status, rec.event, rescan_s=3600)
    w.start()
    try:
        rec.wait_state(DeviceState.OK, 5)
        rss_before = _rss_mb()
        peak = [rss_before]
        sampling = threading.Event()

        def sample() -> None:  # the console's memory while the child floods its stderr
            while not sampling.wait(0.005):
                peak[0] = max(peak[0], _rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stalled = rec.wait_event("device.stalled", 5)
        spin_at = float((base / "spin_at").read_text())
        assert stalled[0] - spin_at < 2.0  # loss detected within 2 s
        spinning_pid = _spawned(base)[0][0]
        assert _wait_gone(spinning_pid, 2.0), "the spinning PortAudio child was left running"
        rec.wait_event("device.ok", 5, after=stalled[0])
        rec.wait_state(DeviceState.OK, 3)
        time.sleep(0.6)
        r = w.take_reading()
        assert r is not None and r.fresh
        assert max(c.peak_dbfs for c in r.channels) == pytest.approx(-20.0, abs=0.1)  # measuring again
        assert len(_spawned(base)) == 2
        sampling.set()
        sampler.join()
        # The flood (about 1 GB/s here) was read and dropped, never kept.
        assert peak[0] - rss_before < 60
    finally:
        w.stop()
    assert all(_wait_gone(pid, 3.0) for pid, _t in _spawned(base)), "a PortAudio child outlived the worker"


def test_closing_never_waits_for_a_child_that_ignores_being_stopped(fake_child):
    base = fake_child("hang")
    src = SoundDeviceSource("fake")
    from hardware.audio.ring import SampleRing

    rings = []
    fmt = src.open(lambda f: rings.append(SampleRing(1 << 15, f.channels)) or rings[-1])
    assert (fmt.device, fmt.samplerate, fmt.channels) == ("fake", 48000, 2)
    deadline = time.monotonic() + 3
    while rings[0].written < 4800 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert rings[0].written >= 4800
    pid = _spawned(base)[0][0]
    t0 = time.monotonic()
    src.close()
    assert time.monotonic() - t0 < 0.2  # the caller (the worker thread) goes on at once
    assert _wait_gone(pid, 3.0), "a child that ignores stdin and SIGTERM must still be killed"


def test_a_child_that_says_nothing_is_killed_after_the_open_timeout(tmp_path, monkeypatch):
    script = tmp_path / "mute.py"
    script.write_text("import os, time\nopen(os.environ['PIDFILE'], 'w').write(str(os.getpid()))\ntime.sleep(60)\n")
    monkeypatch.setenv("PIDFILE", str(tmp_path / "pid"))
    monkeypatch.setattr(audio_devices, "child_command", lambda module, *a: ([sys.executable, str(script)], str(tmp_path)))
    from hardware.audio import SourceError

    src = SoundDeviceSource("pulse")
    src.open_timeout = 1.0
    with pytest.raises(SourceError, match="did not answer within 1 s"):
        src.open(lambda f: None)
    assert _wait_gone(int((tmp_path / "pid").read_text()), 3.0)


@pytest.mark.parametrize(("says", "error"), [
    ('{"ok": true}', "answer is incomplete"),
    ("Segmentation fault?", "said something unexpected"),
    ('{"ok": false, "error": "input device \'x\' not found (PortAudio sees: pulse)"}', "not found (PortAudio sees: pulse)"),
])
def test_a_bad_or_negative_answer_is_a_clear_error_and_leaves_no_child(tmp_path, monkeypatch, says, error):
    script = tmp_path / "bad.py"
    script.write_text("import os, sys, time\nopen(os.environ['PIDFILE'], 'w').write(str(os.getpid()))\n"
                      f"print({says!r}, flush=True)\ntime.sleep(60)\n")
    monkeypatch.setenv("PIDFILE", str(tmp_path / "pid"))
    monkeypatch.setattr(audio_devices, "child_command", lambda module, *a: ([sys.executable, str(script)], str(tmp_path)))
    from hardware.audio import SourceError

    with pytest.raises(SourceError, match=error.replace("(", r"\(").replace(")", r"\)")):
        SoundDeviceSource("x").open(lambda f: None)
    assert _wait_gone(int((tmp_path / "pid").read_text()), 3.0)


def test_portaudio_input_overflows_in_the_child_reach_the_desk(fake_child):
    fake_child("overflow")
    rec = Recorder()
    w = MicWorker(SoundDeviceSource("fake"), rec.status, rec.event, rescan_s=3600)
    w.start()
    try:
        ev = rec.wait_event("overflow", 5)
        assert "samples were lost" in ev[2] and ev[4]
        assert w.take_reading().overflows >= 1
    finally:
        w.stop()
