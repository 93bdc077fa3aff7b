"""``studio-console clips`` on the bad days: no recording, ffmpeg missing, a recording
ffmpeg cannot read, a card still on air after the recording stopped. The recording is a
real file made by ffmpeg; the show is the real desk on a manual clock."""
from __future__ import annotations

import json
import subprocess
import time as _time
from pathlib import Path

import pytest

from studio_app.cli import main as cli_main
from studio_app.core.paths import sample_show_path
from studio_app.show.clock import ManualClock
from studio_app.show.desk import ShowDesk
from studio_app.store import EventLog

REC_S = 12.0


class _ShowTime:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock

    def time(self) -> float:
        return self.clock.wall

    def __getattr__(self, name):
        return getattr(_time, name)


def make_recording(path: Path, seconds: float = REC_S) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=30:d={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:d={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
                    "-g", "150", "-c:a", "aac", "-shortest", str(path)], check=True, timeout=120)
    return path


@pytest.fixture
def show(tmp_path, monkeypatch):
    """A show whose second explanation outlives the 12 s recording; (db_url, show_id, recording)."""
    import studio_app.store.eventlog as eventlog

    clock = ManualClock(mono=1000.0, wall=_time.time() - 3600)
    monkeypatch.setattr(eventlog, "time", _ShowTime(clock))
    rec = make_recording(tmp_path / "2026-12-12_20-00-00.mkv")
    db_url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(db_url, spool_path=tmp_path / "spool.jsonl").start()
    desk = ShowDesk.from_file(sample_show_path(), clock, log)

    def wait(s: float) -> None:
        clock.advance(s)
        desk.tick()

    def sample(rec_s: float) -> None:
        log.log("obs", "obs.record_sync", "", 10, {"sampled_wall": clock.wall, "duration_ms": int(rec_s * 1000),
                                                    "paused": False, "path": str(rec)})

    log.log("obs", "obs.record_started", "recording started", 20, {"path": str(rec)})
    wait(0.5)
    sample(0.3)  # the file began 0.2 s after OBS said STARTED
    for action in ("go", "go"):
        assert desk.dispatch(action).ok
    wait(2.0)
    assert desk.dispatch("card_push_slot", slot=1).ok
    wait(3.0)
    assert desk.dispatch("card_stop").ok
    wait(4.0)
    assert desk.dispatch("card_push_slot", slot=1).ok  # on air past the end of the recording
    wait(2.7)  # the recording stops at 12.2 s of wall time: 12.0 s of recording
    log.log("obs", "obs.record_stopped", "recording stopped", 20, {"path": str(rec)})
    wait(10.0)
    assert desk.dispatch("card_stop").ok
    assert desk.dispatch("end_show").ok
    assert log.flush(30)
    log.close()
    return db_url, desk.show.id, rec


def clips(db_url: str, *args: str, capsys) -> tuple[int, object, str]:
    capsys.readouterr()
    rc = cli_main(["--db", db_url, "clips", *args])
    got = capsys.readouterr()
    out = got.out.strip()
    return rc, json.loads(out) if out.startswith(("[", "{")) else out, got.err


def test_a_card_on_air_after_the_recording_stopped_is_cut_at_its_end_and_said(show, tmp_path, capsys):
    db_url, show_id, rec = show
    rc, index, _ = clips(db_url, show_id, "--out", str(tmp_path / "c"), "--pad", "0s", "--obs-delay", "0s", "--json",
                         capsys=capsys)
    assert rc == 1
    first, second = index
    assert not first["warnings"] and first["duration_s"] == pytest.approx(3.0, abs=1 / 30 + 1e-3)
    assert first["recording_start_s"] == pytest.approx(2.3, abs=1e-3)  # the clock sample, not the STARTED event
    assert any("past the end" in w for w in second["warnings"])
    assert second["duration_s"] == pytest.approx(REC_S - second["recording_start_s"], abs=1 / 30 + 1e-3)
    assert (tmp_path / "c" / second["file"]).stat().st_size > 0


def test_a_show_nobody_recorded_says_so(tmp_path, capsys, monkeypatch):
    import studio_app.store.eventlog as eventlog

    clock = ManualClock(mono=1000.0, wall=_time.time() - 600)
    monkeypatch.setattr(eventlog, "time", _ShowTime(clock))
    db_url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(db_url, spool_path=tmp_path / "spool.jsonl").start()
    desk = ShowDesk.from_file(sample_show_path(), clock, log)
    assert desk.dispatch("go").ok and desk.dispatch("go").ok and desk.dispatch("card_push_slot", slot=1).ok
    clock.advance(5)
    assert desk.dispatch("card_stop").ok
    assert log.flush(30)
    log.close()
    rc, out, err = clips(db_url, desk.show.id, "--out", str(tmp_path / "o"), capsys=capsys)
    assert rc == 2 and "OBS was not recording" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_without_ffmpeg_it_says_how_to_get_it(show, tmp_path, capsys, monkeypatch):
    db_url, show_id, _ = show
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    rc, out, err = clips(db_url, show_id, "--out", str(tmp_path / "o"), capsys=capsys)
    assert rc == 2 and "ffmpeg not found" in err and "apt-get install ffmpeg" in err


def test_a_recording_ffmpeg_cannot_read_leaves_no_clip(show, tmp_path, capsys):
    db_url, show_id, rec = show
    rec.write_bytes(b"\x1aE\xdf\xa3" + bytes(range(256)) * 64)  # an MKV header, then nothing usable
    out = tmp_path / "o"
    rc, text, err = clips(db_url, show_id, "--out", str(out), capsys=capsys)
    assert rc == 2 and str(rec) in err and "ffmpeg cannot read it" in err
    assert not list(out.glob("*.mp4")) and not list(out.glob("*.part"))
    assert json.loads((out / "clips.json").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("args, message", [
    (["--kinds", "card,trailer"], "--kinds: unknown trailer"),
    (["--pad", "abc"], "--pad:"),
    (["--obs-delay", "99s"], "--obs-delay:"),
])
def test_bad_options_get_one_line(show, tmp_path, capsys, args, message):
    db_url, show_id, _ = show
    rc, out, err = clips(db_url, show_id, "--out", str(tmp_path / "o"), *args, capsys=capsys)
    assert rc == 2 and message in err and len(err.strip().splitlines()) == 1
