"""The self-test engine against real parts: headless OBS, the PulseAudio virtual mic, an
ffmpeg UDP camera and video files, a real SQLite database. Every named failure gives the
right status and the right fix hint."""
from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from studio_app.core.events import MemorySink
from studio_app.selftest import SelfTest, Status, record_run
from studio_app.selftest.camera import FIX_DARK, FIX_OPEN
from studio_app.selftest.mic import FIX_QUIET, FIX_SERVER
from studio_app.selftest.obs import FIX_AUTH, FIX_DISK, FIX_DOWN, FIX_SCENES
from studio_app.selftest.profile import CameraProfile, ConsoleProfile, MicProfile, ObsProfile, Profile
from tests.harness import free_port, need_binary

NOTHING = Profile(camera=CameraProfile(source=""), mic=MicProfile(device=None), obs=ObsProfile(host=None))


def obs_profile(obs, **changes) -> ObsProfile:
    base = ObsProfile(host=obs.host, port=obs.port, scenes=("Opening", "Product", "BRB"),
                      text_sources=("Title", "BRB Text"), output_width=1280, output_height=720, fps=30,
                      bitrate_kbps=1500, recording_path=str(obs.rec_dir), min_free_disk_gb=0.1)
    return replace(base, **changes)


def run(profile: Profile, groups, db_url: str | None = None, **kw):
    return SelfTest(profile, groups=groups, db_url=db_url, **kw).run()


def by_id(result) -> dict:
    return {c.id: c for c in result.checks}


# ---------------------------------------------------------------------------- everything present
@pytest.mark.obs
@pytest.mark.mic
@pytest.mark.slow
def test_all_pass_with_every_device_present(obs, virtual_mic, udp_camera, tmp_path):
    profile = Profile(
        camera=CameraProfile(source=udp_camera.url, width=640, height=360, fps=30),
        mic=MicProfile(device="pulse", noise_floor_max_dbfs=-50, level_min_dbfs=-40, level_max_dbfs=-6),
        obs=obs_profile(obs),
        console=ConsoleProfile(),
    )
    seen = []
    result = SelfTest(profile, db_url=f"sqlite:///{tmp_path / 'log.sqlite3'}", password=lambda: obs.password,
                      tone=True, on_check=seen.append).run()
    checks = by_id(result)
    failed = {c.id: (c.value, c.detail) for c in result.checks if c.status is Status.FAIL}
    assert result.passed, failed
    for cid in ("camera.opens", "camera.resolution", "camera.fps", "camera.signal", "camera.exposure",
                "mic.device", "mic.stream", "mic.noise_floor", "mic.level", "mic.clipping",
                "obs.reachable", "obs.auth", "obs.version", "obs.scenes", "obs.sources", "obs.output",
                "obs.disk", "obs.recording", "console.db", "console.clock"):
        assert checks[cid].status is Status.PASS, (cid, checks[cid])
    # The -20 dBFS peak tone arrives at about -23 dBFS RMS.
    assert -26 < checks["mic.level"].data["level_dbfs"] < -20
    assert checks["obs.recording"].data["bytes"] > 0
    assert not Path(checks["obs.recording"].data["file"]).exists()  # the test clip is cleaned up
    assert checks["camera.focus"].status is Status.SKIP and "reference" in checks["camera.focus"].detail
    # Progress was reported check by check, every check exactly once.
    assert sorted(c.id for c in seen) == sorted(checks)
    assert set(result.group_s) == {"camera", "mic", "obs", "console"}


# ---------------------------------------------------------------------------- OBS failures
def test_obs_down_fails_reachable_with_a_hint():
    profile = replace(NOTHING, obs=ObsProfile(host="127.0.0.1", port=free_port(), scenes=("Opening",)))
    result = run(profile, ["obs"])
    c = by_id(result)
    assert not result.passed
    assert c["obs.reachable"].status is Status.FAIL
    assert c["obs.reachable"].fix == FIX_DOWN and "WebSocket" in c["obs.reachable"].fix["en"]
    assert all(c[i].status is Status.SKIP for i in ("obs.auth", "obs.scenes", "obs.recording"))


@pytest.mark.obs
def test_wrong_password_fails_auth(obs):
    result = run(replace(NOTHING, obs=obs_profile(obs)), ["obs"], password=lambda: "not-the-password")
    c = by_id(result)
    assert c["obs.reachable"].status is Status.PASS
    assert c["obs.auth"].status is Status.FAIL and c["obs.auth"].fix == FIX_AUTH
    assert "密码" in c["obs.auth"].fix["zh_CN"]
    # The password never shows up in the report.
    assert "not-the-password" not in str(result.to_dict()) and obs.password not in str(result.to_dict())


@pytest.mark.obs
def test_missing_scene_and_not_enough_disk(obs):
    profile = replace(NOTHING, obs=obs_profile(obs, scenes=("Opening", "Giveaway"), min_free_disk_gb=1e5))
    result = run(profile, ["obs"], password=lambda: obs.password)
    c = by_id(result)
    assert c["obs.scenes"].status is Status.FAIL and c["obs.scenes"].data["missing"] == ["Giveaway"]
    assert "Giveaway" in c["obs.scenes"].value and c["obs.scenes"].fix == FIX_SCENES
    assert c["obs.disk"].status is Status.FAIL and c["obs.disk"].fix == FIX_DISK
    assert "GB free" in c["obs.disk"].value
    assert c["obs.sources"].status is Status.PASS and c["obs.output"].status is Status.PASS


# ---------------------------------------------------------------------------- microphone failures
@pytest.mark.mic
def test_audio_server_down_fails_device_with_the_server_hint(virtual_mic):
    virtual_mic.kill()
    result = run(replace(NOTHING, mic=MicProfile(device="pulse")), ["mic"], tone=True)
    c = by_id(result)
    assert c["mic.device"].status is Status.FAIL and c["mic.device"].fix == FIX_SERVER
    assert c["mic.stream"].status is Status.SKIP


@pytest.mark.mic
def test_silent_microphone_fails_level(virtual_mic):
    virtual_mic.pactl("set-source-mute", "virtmic", "1")
    try:
        result = run(replace(NOTHING, mic=MicProfile(device="pulse")), ["mic"], tone=True)
    finally:
        virtual_mic.pactl("set-source-mute", "virtmic", "0")
    c = by_id(result)
    assert c["mic.device"].status is Status.PASS and c["mic.stream"].status is Status.PASS
    assert c["mic.level"].status is Status.FAIL and c["mic.level"].fix == FIX_QUIET
    assert not result.passed


@pytest.mark.mic
def test_level_is_skipped_without_tone_or_person(virtual_mic):
    result = run(replace(NOTHING, mic=MicProfile(device="pulse")), ["mic"])
    c = by_id(result)
    assert c["mic.level"].status is Status.SKIP and "--tone" in c["mic.level"].detail
    assert c["mic.noise_floor"].status is Status.PASS
    assert result.passed


@pytest.mark.mic
def test_the_desk_prompt_measures_while_the_person_speaks(virtual_mic):
    asked = []

    def prompt(key, zh, en):
        asked.append(zh)
        virtual_mic.play_tone(300.0, -14.0, 4.0)  # the technician "speaks"
        return True

    result = run(replace(NOTHING, mic=MicProfile(device="pulse")), ["mic"], prompt=prompt)
    c = by_id(result)
    assert asked == ["请对着麦克风说话"]
    assert c["mic.level"].status is Status.PASS, c["mic.level"]
    assert "speaking" in c["mic.level"].detail


# ---------------------------------------------------------------------------- camera failures
def test_camera_missing_fails_opens():
    result = run(replace(NOTHING, camera=CameraProfile(source="7", width=1280, height=720, fps=30)), ["camera"])
    c = by_id(result)
    assert c["camera.opens"].status is Status.FAIL and c["camera.opens"].fix == FIX_OPEN
    assert all(c[i].status is Status.SKIP for i in ("camera.resolution", "camera.exposure"))
    assert not result.passed


def _video(path: Path, graph: str) -> Path:
    need_binary("ffmpeg", "ffmpeg")
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", graph, "-t", "4",
                    "-c:v", "mpeg4", "-q:v", "3", str(path)], check=True, timeout=60)
    return path


def test_dark_picture_fails_exposure_with_the_light_hint(tmp_path):
    video = _video(tmp_path / "dark.mp4", "color=c=0x262626:s=640x360:r=30,noise=alls=10:allf=t")
    result = run(replace(NOTHING, camera=CameraProfile(source=str(video), width=640, height=360, fps=30)), ["camera"])
    c = by_id(result)
    assert c["camera.opens"].status is Status.PASS
    assert c["camera.resolution"].status is Status.PASS
    assert c["camera.exposure"].status is Status.FAIL and c["camera.exposure"].fix == FIX_DARK
    assert "补光" in c["camera.exposure"].fix["zh_CN"]
    assert c["camera.signal"].status is Status.PASS  # dark is not black


def test_wrong_resolution_and_focus_against_reference(tmp_path):
    video = _video(tmp_path / "bars.mp4", "testsrc2=s=640x360:r=30,noise=alls=6:allf=t")
    profile = replace(NOTHING, camera=CameraProfile(source=str(video), width=1280, height=720, fps=30,
                                                    focus_reference=1e7))
    c = by_id(run(profile, ["camera"]))
    assert c["camera.resolution"].status is Status.FAIL and c["camera.resolution"].value == "640x360"
    assert c["camera.focus"].status is Status.WARN  # far below a (made up) sharp reference


# ---------------------------------------------------------------------------- console
def test_console_alone_needs_nothing_else(tmp_path):
    result = run(NOTHING, ["console"], db_url=f"sqlite:///{tmp_path / 'log.sqlite3'}")
    c = by_id(result)
    assert set(c) == {"console.db", "console.screens", "console.clock"}
    assert c["console.db"].status is Status.PASS and c["console.clock"].status is Status.PASS
    assert result.passed


def test_console_db_broken_url_fails_with_hint():
    c = by_id(run(NOTHING, ["console"], db_url="sqlite:////proc/no-such-dir/log.sqlite3"))
    assert c["console.db"].status is Status.FAIL
    assert c["console.db"].fix and "数据库" in c["console.db"].fix["zh_CN"]


def test_screens_use_the_given_counter_and_the_profile():
    need_two = replace(NOTHING, console=ConsoleProfile(screens=2))
    c = by_id(run(need_two, ["console"], screens=lambda: 1))
    assert c["console.screens"].status is Status.FAIL and c["console.screens"].value == "1 screen(s)"
    c = by_id(run(need_two, ["console"], screens=lambda: 2))
    assert c["console.screens"].status is Status.PASS


def test_nothing_configured_is_skipped_with_reasons():
    result = run(NOTHING, ["camera", "mic", "obs"])
    assert result.passed
    assert all(c.status is Status.SKIP and c.detail for c in result.checks)


def test_rerun_one_check_replaces_only_that_check(tmp_path):
    test = SelfTest(NOTHING, groups=["console"], db_url=f"sqlite:///{tmp_path / 'log.sqlite3'}")
    first = test.run()
    again = test.rerun("console.clock", first)
    assert [c.id for c in again.checks] == [c.id for c in first.checks]
    assert again.get("console.clock").finished_at > first.get("console.clock").finished_at
    assert again.get("console.db") is first.get("console.db")


def test_a_hung_check_times_out_as_failed_and_the_rest_are_skipped(monkeypatch):
    import threading

    from studio_app.selftest import runner

    never = threading.Event()
    monkeypatch.setitem(runner.RUNNERS, "console", lambda ctx: never.wait(30))
    t = time.monotonic()
    result = SelfTest(NOTHING, groups=["console"], limits={"console.db": 0.5}).run()
    assert time.monotonic() - t < 5
    never.set()
    c = by_id(result)
    assert c["console.db"].status is Status.FAIL and c["console.db"].value == "timed out" and c["console.db"].fix
    assert c["console.screens"].status is Status.SKIP and "console.db" in c["console.screens"].detail
    assert not result.passed


def test_a_slow_group_only_times_out_per_check(monkeypatch):
    """Each check has its own limit from the previous result: a group whose checks each take
    a while but stay within their limits is not cut off by the sum."""
    import threading

    from studio_app.selftest import runner
    from studio_app.selftest.checks import make as make_check

    def slow(ctx):
        for cid in ("console.db", "console.screens", "console.clock"):
            threading.Event().wait(0.4)
            ctx.report(make_check(cid, Status.PASS))

    monkeypatch.setitem(runner.RUNNERS, "console", slow)
    limits = {"console.db": 1.0, "console.screens": 1.0, "console.clock": 1.0}
    result = SelfTest(NOTHING, groups=["console"], limits=limits).run()
    assert [c.status for c in result.checks] == [Status.PASS] * 3


def test_record_run_stores_the_run_and_each_failure():
    sink = MemorySink()
    result = run(replace(NOTHING, obs=ObsProfile(host="127.0.0.1", port=free_port())), ["obs", "console"],
                 db_url=None)
    record_run(sink, result)
    runs = [e for e in sink.events if e.kind == "selftest.run"]
    assert len(runs) == 1 and runs[0].source == "selftest" and runs[0].severity == 40
    assert runs[0].payload["passed"] is False and len(runs[0].payload["checks"]) == len(result.checks)
    failed = [e for e in sink.events if e.kind == "selftest.check_failed"]
    assert [e.payload["id"] for e in failed] == ["obs.reachable"]


def test_black_picture_fails_signal_with_the_lens_cap_hint(tmp_path):
    from studio_app.selftest.camera import FIX_BLACK

    video = _video(tmp_path / "black.mp4", "color=c=black:s=640x360:r=30")
    c = by_id(run(replace(NOTHING, camera=CameraProfile(source=str(video))), ["camera"]))
    assert c["camera.signal"].status is Status.FAIL and c["camera.signal"].fix == FIX_BLACK
    assert "镜头盖" in c["camera.signal"].fix["zh_CN"]


@pytest.mark.obs
def test_frozen_obs_fails_reachable_as_not_answering(disposable_obs):
    from studio_app.selftest.obs import FIX_FROZEN

    disposable_obs.freeze()
    try:
        profile = replace(NOTHING, obs=ObsProfile(host=disposable_obs.host, port=disposable_obs.port))
        c = by_id(run(profile, ["obs"], password=lambda: disposable_obs.password))
    finally:
        disposable_obs.thaw()
    assert c["obs.reachable"].status is Status.FAIL and c["obs.reachable"].value == "not answering"
    assert c["obs.reachable"].fix == FIX_FROZEN


@pytest.mark.mic
def test_frozen_audio_server_times_out_instead_of_hanging(virtual_mic, tmp_path):
    """In a child process: PortAudio blocks inside the frozen server; the run still ends."""
    import json
    import os
    import sys

    virtual_mic.freeze()
    try:
        env = dict(os.environ, PULSE_SERVER=virtual_mic.server)
        t = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "studio_app", "--db", f"sqlite:///{tmp_path / 'log.sqlite3'}",
                            "selftest", "--only", "mic", "--mic", "pulse", "--json"],
                           cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - t
    finally:
        virtual_mic.thaw()
    assert r.returncode == 1
    checks = {c["id"]: c for c in json.loads(r.stdout)["checks"]}
    timed_out = [c for c in checks.values() if c["status"] == "fail"]
    assert len(timed_out) == 1 and timed_out[0]["value"] == "timed out"
    assert "PulseAudio" in timed_out[0]["fix"]["en"] and "声音服务" in timed_out[0]["fix"]["zh_CN"]
    assert elapsed < 30


def test_the_desk_camera_feed_is_watched_not_opened_twice(udp_camera):
    """A USB camera opens only once: in the desk the checks watch the camera panel's feed."""
    from hardware.camera.capture import CameraFeed, OpenCvSource
    from hardware.supervisor import DeviceState

    LIVE = DeviceState.OK

    feed = CameraFeed(OpenCvSource(udp_camera.url))
    feed.start()
    try:
        deadline = time.monotonic() + 10
        while feed.state != LIVE and time.monotonic() < deadline:
            time.sleep(0.05)
        asked = []
        profile = replace(NOTHING, camera=CameraProfile(source=udp_camera.url, width=640, height=360, fps=30))
        result = run(profile, ["camera"], shared_camera=lambda spec: asked.append(spec) or feed)
        c = by_id(result)
        assert asked == [udp_camera.url]
        assert c["camera.opens"].status is Status.PASS and "camera panel" in c["camera.opens"].detail
        assert c["camera.resolution"].status is Status.PASS and c["camera.fps"].status is Status.PASS
        assert feed.state == LIVE  # the desk's feed keeps running
    finally:
        feed.stop()


def test_white_balance_uses_the_stored_reference_like_the_desk(tmp_path):
    from hardware.camera.whitebalance import WhiteBalanceReference, read_white_balance
    from studio_app.selftest.camera import FIX_WB, FIX_WB_REFERENCE
    from tests.harness import wb_casts as W

    base = W.photo("astronaut")
    stored = WhiteBalanceReference.from_reading(read_white_balance(base)).to_dict()
    warm = W.write_video(tmp_path / "warm.avi", W.apply_cast(base, W.cast_gains("warm", 1.4)), frames=100)
    same = W.write_video(tmp_path / "same.avi", base, frames=100)
    c = by_id(run(replace(NOTHING, camera=CameraProfile(source=str(warm), wb_reference=stored)), ["camera"]))
    wb = c["camera.white_balance"]
    assert wb.status is Status.WARN and wb.fix == FIX_WB and wb.value.startswith("warm")
    assert wb.data["direction"] == ["warm"] and wb.data["mired"] > 15 and wb.data["kelvin"] < 6500
    c = by_id(run(replace(NOTHING, camera=CameraProfile(source=str(same), wb_reference=stored)), ["camera"]))
    assert c["camera.white_balance"].status is Status.PASS, c["camera.white_balance"]
    # Without a reference a ginger cat under a blue cast cannot be judged: a skip that says how to fix it.
    cat = W.write_video(tmp_path / "cat.avi", W.apply_cast(W.photo("chelsea"), W.cast_gains("cool", 1.4)), frames=100)
    c = by_id(run(replace(NOTHING, camera=CameraProfile(source=str(cat))), ["camera"]))
    assert c["camera.white_balance"].status is Status.SKIP and c["camera.white_balance"].fix == FIX_WB_REFERENCE
    assert c["camera.white_balance"].data["reading"]["colours"]  # kept, so "save as profile" can store it
