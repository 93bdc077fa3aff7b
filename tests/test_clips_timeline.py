"""Show time to recording time, from the OBS record events and recording-clock samples."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from studio_app.clips.timeline import locate, recordings


@dataclass
class Ev:
    kind: str
    wall_time: float
    payload: dict = field(default_factory=dict)
    seq: int = 0


def sync(wall: float, rec_s: float, paused: bool = False, path: str = "") -> Ev:
    return Ev("obs.record_sync", wall + 0.02, {"sampled_wall": wall, "duration_ms": int(rec_s * 1000), "paused": paused,
                                              "path": path})


def test_samples_place_moments_on_the_recording_clock_not_the_start_event():
    # OBS said STARTED at 100.0 but wrote its first frame at 100.2: the clock sample knows.
    evs = [Ev("obs.record_started", 100.0, {"path": "/r/a.mkv"}), sync(101.0, 0.8), sync(131.0, 30.8),
           Ev("obs.record_stopped", 140.0, {"path": "/r/a.mkv"})]
    (rec,) = recordings(evs)
    assert rec.path == "/r/a.mkv"
    assert locate([rec], 110.0).seconds == pytest.approx(9.8)
    assert locate([rec], 110.0, delay_s=0.2).seconds == pytest.approx(10.0)
    assert locate([rec], 100.5).seconds == pytest.approx(0.3) and locate([rec], 100.5).exact
    assert locate([rec], 99.0) is None and locate([rec], 141.0) is None


def test_a_pause_is_left_out_and_a_moment_in_it_maps_to_where_it_resumed():
    evs = [Ev("obs.record_started", 0.0, {"path": "a.mkv"}), sync(1.0, 1.0), Ev("obs.record_paused", 10.0),
           sync(10.5, 10.0, paused=True), Ev("obs.record_resumed", 20.0), sync(21.0, 11.0),
           Ev("obs.record_stopped", 30.0, {"path": "a.mkv"})]
    (rec,) = recordings(evs)
    assert locate([rec], 5.0).seconds == pytest.approx(5.0)
    assert locate([rec], 25.0).seconds == pytest.approx(15.0)
    paused = locate([rec], 15.0)
    assert paused.in_pause and paused.seconds == pytest.approx(10.0)


def test_a_pause_nobody_saw_splits_the_run_by_the_clocks_drifting_apart():
    # The console was away during a pause: the samples alone show 5 s of wall time missing.
    evs = [Ev("obs.record_started", 0.0, {"path": "a.mkv"}), sync(1.0, 1.0), sync(9.0, 9.0), sync(20.0, 15.0),
           sync(30.0, 25.0)]
    (rec,) = recordings(evs)
    assert locate([rec], 5.0).seconds == pytest.approx(5.0)
    assert locate([rec], 25.0).seconds == pytest.approx(20.0)


def test_a_console_started_mid_recording_places_it_from_its_first_sample():
    # No STARTED event in the log: the recording was 300 s old when the console connected.
    evs = [sync(1000.0, 300.0), sync(1030.0, 330.0), Ev("obs.record_stopped", 1100.0, {"path": "/r/b.mkv"})]
    (rec,) = recordings(evs)
    assert rec.path == "/r/b.mkv" and rec.started_wall is None
    assert rec.first_wall == pytest.approx(700.0)
    assert locate([rec], 1050.0).seconds == pytest.approx(350.0)


def test_a_new_recording_the_console_did_not_see_start_is_told_apart_by_its_clock_going_back():
    evs = [Ev("obs.record_started", 0.0, {"path": "a.mkv"}), sync(1.0, 1.0), sync(50.0, 50.0),
           sync(70.0, 2.0), sync(100.0, 32.0)]
    first, second = recordings(evs)
    assert first.path == "a.mkv" and second.path == ""
    assert locate([first, second], 90.0).recording is second
    assert locate([first, second], 90.0).seconds == pytest.approx(22.0)


def test_a_run_shorter_than_one_probe_falls_back_to_the_event_and_says_so():
    evs = [Ev("obs.record_started", 10.0, {"path": "a.mkv"}), Ev("obs.record_stopped", 10.8, {"path": "a.mkv"})]
    (rec,) = recordings(evs)
    place = locate([rec], 10.5)
    assert place.seconds == pytest.approx(0.5) and not place.exact
