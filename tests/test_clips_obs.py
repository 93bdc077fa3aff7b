"""Product clips cut from a real OBS recording (headless OBS 29, x264 MKV).

A scripted desk runs the sample show on the real clock while OBS records; each card push
switches OBS to the green "Product" scene and each stop back to the blue "Opening" one, so
every cut point is visible in the picture. Mid-recording the recording is paused and
resumed, and the console's OBS link is replaced by a new one (a console restart). Then
``studio-console clips`` cuts the clips and ffprobe/ffmpeg check them: duration = time on
air + padding within one frame, the first frame is the recording's frame at the cut point,
green starts exactly ``pad`` into the clip (within the scene switch's own latency), and the
vertical crop is 1080x1920.
"""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from hardware.obs import ObsLink
from studio_app.cli import main as cli_main
from studio_app.core.paths import sample_show_path
from studio_app.show.clock import SystemClock
from studio_app.show.desk import ShowDesk
from studio_app.store import EventLog, fetch_events, open_engine
from tests.harness import artifact_path
from tests.harness.obs import HeadlessObs, _start_or_unavailable

pytestmark = [pytest.mark.obs, pytest.mark.slow]

PAD = 0.5
FPS = 30.0
GREEN, BLUE = np.array([0, 127, 0]), np.array([0, 63, 127])  # the harness's Product / Opening backgrounds (RGB)


def frames(path: Path, *, start: float | None = None, count: int | None = None, size=(64, 36)) -> np.ndarray:
    """Decoded RGB frames of ``path`` (scaled down), from ``start`` (accurate seek) on."""
    cmd = ["ffmpeg", "-nostdin", "-v", "error"]
    if start is not None:
        cmd += ["-ss", f"{start:.6f}"]
    cmd += ["-i", str(path)]
    if count is not None:
        cmd += ["-frames:v", str(count)]
    cmd += ["-vf", f"scale={size[0]}:{size[1]}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3)


def colour_of(frame: np.ndarray) -> str:
    """'green' or 'blue' by the picture's dominant background (the title text is small)."""
    mean = np.median(frame.reshape(-1, 3), axis=0)
    return "green" if np.abs(mean - GREEN).sum() < np.abs(mean - BLUE).sum() else "blue"


def ffprobe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,width,height,duration",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


class Console:
    """The parts of the console that matter here: an event log, the show desk, an OBS link
    whose events are logged as the desk logs them (source obs, kind obs.<kind>)."""

    def __init__(self, db_url: str, folder: Path, obs) -> None:
        self.obs = obs
        self.log = EventLog(db_url, spool_path=folder / "spool.jsonl").start()
        self.desk = ShowDesk.from_file(sample_show_path(), SystemClock(), self.log)
        self.link = self.connect()

    def connect(self) -> ObsLink:
        link = ObsLink(self.obs.host, self.obs.port, self.obs.password,
                       on_event=lambda kind, msg, sev, payload: self.log.log("obs", f"obs.{kind}", msg, sev, payload or None))
        link.start()
        deadline = time.monotonic() + 15
        while not link.state.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert link.state.connected, link.state.detail
        return link

    def restart_link(self) -> None:
        """A console restart as OBS sees it: the link goes, a new one connects mid-recording."""
        assert self.link.stop(5) is not False
        self.link = self.connect()

    def do(self, action: str, **params):
        result = self.desk.dispatch(action, **params)
        assert result.ok, (action, result.message)
        return result

    def scene(self, name: str) -> None:
        self.link.switch_scene(name).result(5)

    def close(self) -> None:
        self.link.stop(5)
        assert self.log.flush(30)
        self.log.close()


def wait_for(cond, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def record_events(db_url: str, sources=("obs",)) -> list:
    engine = open_engine(db_url)
    try:
        return fetch_events(engine, sources=list(sources))
    finally:
        engine.dispose()


def on_air_from_log(db_url: str) -> list[tuple[float, float, float]]:
    """(push wall, stop wall, wall of OBS's switch to Product) of each explanation, from the log."""
    evs = record_events(db_url, ("show", "obs", "cue", "desk"))
    pushes = [e.wall_time for e in evs if e.kind.startswith("card.") and (e.payload or {}).get("to") == "explaining"]
    stops = [e.wall_time for e in evs if e.kind.startswith("card.") and (e.payload or {}).get("from") == "explaining"]
    switches = [e.wall_time for e in evs if e.kind == "obs.scene_changed" and (e.payload or {}).get("scene") == "Product"]
    return [(p, s, min(w for w in switches if w >= p)) for p, s in zip(pushes, stops)]


@pytest.fixture(scope="module")
def clip_obs(tmp_path_factory):
    """A private OBS for this module (its recording profile is changed)."""
    obs = _start_or_unavailable(HeadlessObs(tmp_path_factory.mktemp("clip-obs")))
    yield obs
    obs.close()


@pytest.fixture(scope="module")
def recorded_show(tmp_path_factory, clip_obs):
    """The show, recorded once for the module's tests: (db_url, recording path, show id)."""
    obs_fixture = clip_obs
    folder = tmp_path_factory.mktemp("clipshow")
    db_url = f"sqlite:///{folder / 'log.sqlite3'}"
    cl = obs_fixture.client()
    try:
        # A recording encoder of its own (not the stream's), so OBS can pause it.
        cl.send("SetProfileParameter", {"parameterCategory": "SimpleOutput", "parameterName": "RecQuality",
                                        "parameterValue": "Small"})
        cl.send("SetCurrentProgramScene", {"sceneName": "Opening"})
    finally:
        cl.base_client.ws.shutdown()
    c = Console(db_url, folder, obs_fixture)
    try:
        c.link.start_record().result(10)
        wait_for(lambda: c.link.state.recording)
        time.sleep(1.2)  # at least one recording-clock sample
        c.do("go")
        c.do("go")  # 羊绒围巾讲解
        time.sleep(1.0)
        c.do("card_push_slot", slot=1)
        c.scene("Product")
        time.sleep(2.0)
        c.do("card_stop")
        c.scene("Opening")
        time.sleep(1.0)
        cl = obs_fixture.client()
        try:
            cl.send("PauseRecord")
            time.sleep(1.5)
            cl.send("ResumeRecord")
        finally:
            cl.base_client.ws.shutdown()
        time.sleep(0.5)
        c.restart_link()  # the console restarts while OBS keeps recording
        time.sleep(1.2)
        c.do("card_push_slot", slot=1)  # the same card again: a second clip
        c.scene("Product")
        time.sleep(1.5)
        c.do("card_stop")
        c.scene("Opening")
        time.sleep(1.5)
        path = c.link.stop_record().result(10)
        wait_for(lambda: not c.link.state.recording)
        c.do("end_show")
    finally:
        c.close()
    return db_url, Path(path), c.desk.show.id


def run_clips(db_url: str, *args: str, capsys) -> tuple[int, list, str]:
    capsys.readouterr()
    rc = cli_main(["--db", db_url, "clips", *args, "--json"])
    captured = capsys.readouterr()
    out = captured.out.strip()
    return rc, json.loads(out) if out.startswith(("[", "{")) else [], captured.err


def test_each_explanation_is_cut_exactly(recorded_show, tmp_path, capsys):
    db_url, recording, show_id = recorded_show
    kinds = [e.kind for e in record_events(db_url)]
    assert "obs.record_paused" in kinds and "obs.record_resumed" in kinds and kinds.count("obs.record_sync") >= 3
    # This machine's render-to-file delay, measured from the show's own scene switches.
    rc, calibration, err = run_clips(db_url, show_id, "--calibrate", capsys=capsys)
    assert rc == 0 and calibration["switches"] >= 3, (calibration, err)
    assert 0.0 <= calibration["delay_s"] <= 1.0
    # OBS's own delay varies with the machine's load (software OpenGL on two busy cores): the
    # picture check below cannot be tighter than what the switches themselves showed.
    jitter_frames = (calibration["max_s"] - calibration["min_s"]) * FPS
    out = tmp_path / "clips"
    rc, index, err = run_clips(db_url, show_id, "--out", str(out), "--pad", f"{PAD}s", "--rundown",
                               str(sample_show_path()), "--obs-delay", f"{calibration['delay_s']}s", capsys=capsys)
    assert rc == 0, index
    assert [c["kind"] for c in index] == ["card", "card"]  # pushed twice: two clips
    assert json.loads((out / "clips.json").read_text(encoding="utf-8"))[0]["file"] == index[0]["file"]
    shots = artifact_path("clips", "x").parent
    for n, (clip, (push, stop, switched)) in enumerate(zip(index, on_air_from_log(db_url)), start=1):
        on_air = stop - push
        f = out / clip["file"]
        assert f.name.endswith(f"_暖冬好物专场_{n:02d}_云朵羊绒围巾.mp4") and f.name.startswith("20")
        assert "直播价" not in clip["title"] and "¥259" in (out / clip["srt"]).read_text(encoding="utf-8")
        assert clip["sku"] == "SK-2001" and clip["recording"] == str(recording)
        assert (out / clip["srt"]).read_text(encoding="utf-8").startswith("1\n00:00:00,000 --> ")
        video = next(s for s in ffprobe(f)["streams"] if s["codec_type"] == "video")
        # Duration: the card's time on air (as the desk logged it) plus the padding, within one frame.
        assert abs(float(video["duration"]) - (on_air + 2 * PAD)) <= 1 / FPS + 1e-3, (video["duration"], on_air)
        got = frames(f)
        # The first frame is the recording's frame at the cut point, not a keyframe before it.
        want = frames(recording, start=clip["recording_start_s"], count=1)[0]
        assert np.abs(got[0].astype(int) - want.astype(int)).mean() < 6
        colours = [colour_of(fr) for fr in got]
        assert colours[0] == "blue"  # the padding before the push: Opening
        first_green = colours.index("green")
        # The push is PAD into the clip and OBS switched to green (switched - push) later: the
        # picture changes there, within the frames a scene switch and its event take (the delay
        # was calibrated on OBS's events).
        expected = (PAD + switched - push) * FPS
        assert abs(first_green - expected) <= max(3, jitter_frames + 1), (first_green, expected, jitter_frames)
        assert colours[-1] == "blue"  # the padding after the stop
        from PIL import Image

        Image.fromarray(frames(f, count=1, size=(640, 360))[0]).save(shots / f"clip{n}-first-frame.png")
        # The clip played through, for a person to look at: every 6th frame on one sheet.
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(f), "-vf",
                        "select=not(mod(n\\,6)),scale=320:-2,tile=4x4", "-frames:v", "1",
                        str(shots / f"clip{n}-sheet.png")], check=True, timeout=60)


def test_vertical_clips_are_9_by_16(recorded_show, tmp_path, capsys):
    db_url, _recording, show_id = recorded_show
    rc, index, err = run_clips(db_url, show_id, "--out", str(tmp_path), "--pad", "0s", "--vertical", "--text", "both",
                          capsys=capsys)
    assert rc == 0 and len(index) == 2
    video = next(s for s in ffprobe(tmp_path / index[0]["file"])["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (1080, 1920)
    push, stop, _ = on_air_from_log(db_url)[0]
    assert abs(float(video["duration"]) - (stop - push)) <= 1 / FPS + 1e-3
    assert index[0]["file"].endswith("_竖屏.mp4")


def test_a_moved_recording_is_named_and_can_be_pointed_to(recorded_show, tmp_path, capsys):
    db_url, recording, show_id = recorded_show
    moved = tmp_path / "moved"
    moved.mkdir()
    copy = moved / recording.name
    copy.write_bytes(recording.read_bytes())
    renamed = recording.with_name(recording.name + ".away")
    recording.rename(renamed)
    try:
        rc, index, err = run_clips(db_url, show_id, "--out", str(tmp_path / "a"), capsys=capsys)
        assert rc == 2 and not list((tmp_path / "a").glob("*.mp4"))
        assert str(recording) in err and "moved or deleted" in err
        rc, index, err = run_clips(db_url, show_id, "--out", str(tmp_path / "b"), "--recording", str(moved), capsys=capsys)
        assert len(index) == 2 and index[0]["recording"] == str(copy)
        # The default 3 s of padding reaches back before the recording began: cut from its
        # first frame, said, and the run exits 1.
        assert rc == 1 and any("starts before the recording" in w for w in index[0]["warnings"])
    finally:
        renamed.rename(recording)


def test_the_review_report_shows_the_clips_with_their_first_frames(recorded_show, tmp_path, capsys):
    db_url, _recording, show_id = recorded_show
    rc, index, err = run_clips(db_url, show_id, "--pad", f"{PAD}s", capsys=capsys)  # the default folder
    assert rc == 0 and len(index) == 2, err
    page = tmp_path / "review.html"
    assert cli_main(["--db", db_url, "report", show_id, "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    section = html[html.index("<section id='clips'>"):]
    section = section[:section.index("</section>")]
    assert section.count("<img src='data:image/jpeg;base64,") == 2
    assert all(c["file"] in section for c in index)
    artifact_path("clips", "review.html").write_text(html, encoding="utf-8")
