"""Show-day endurance in the suite (issue 20): five minutes of the sample show at 12x (an hour
of show) against the real OBS, virtual mic, UDP camera, SQLite and PostgreSQL, the cue screen on
Xvfb, the room feed, remote clients and the phone view in Chromium, with seeded faults. It
asserts only that no event or room message was lost or duplicated and that every fault the
console saw was recovered from with nobody touching it; the timings are in the printed table
and artifacts/soak-suite.json, never asserted."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.harness import artifact_path, need_binary, unavailable
from tests.harness.postgres import find_bin_dir

pytestmark = [pytest.mark.slow, pytest.mark.obs, pytest.mark.mic, pytest.mark.postgres]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.timeout(900)
def test_five_minute_soak_loses_nothing_and_recovers_from_every_fault():
    need_binary("soak parts", "obs", "pulseaudio", "pactl", "paplay", "ffmpeg", "Xvfb", "chromium", "curl")
    if find_bin_dir() is None:
        unavailable("PostgreSQL", "no server binaries (apt-get install postgresql)")
    out = artifact_path("soak-suite.json")
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("PULSE_SERVER", None)  # the soak starts its own audio server
    proc = subprocess.run(
        [sys.executable, "-m", "tests.soak.runner", "--minutes", "5", "--speed", "12", "--seed", "20",
         "--faults", "on", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=840)
    print(proc.stdout)
    if proc.returncode == 3:
        unavailable("soak parts", proc.stderr.strip().splitlines()[-1])
    assert out.exists(), proc.stderr[-3000:]
    result = json.loads(out.read_text())
    # Something was really done and really broken: a run with no actions or no faults proves nothing.
    assert result["actions"] > 0 and result["events_written"] > 0
    assert result["room_messages"]["accepted"] > 0 and sum(result["remote"]["actions_by_via"].values()) > 0
    assert result["views"]["cue_screen_paints"] > 0 and result["views"]["phone"]["messages"] > 0
    assert len({f["kind"] for f in result["faults"]}) >= 5, result["faults"]
    assert result["events_lost"] == 0, result
    assert result["events_duplicated"] == 0, result
    assert result["room_messages"]["lost"] == 0 and result["room_messages"]["duplicated"] == 0, result["room_messages"]
    assert [f for f in result["faults"] if f["unrecovered"]] == [], result["faults"]
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]


@pytest.mark.parametrize("args, says", [
    (["--minutes", "0"], "--minutes: must be above 0"),
    (["--speed", "nan"], "--speed: must be above 0"),
    (["--only", "obs_killed,coffee_spilt"], "unknown fault kind(s) coffee_spilt"),
    (["--json", "/"], "--json /: not a regular file"),
    (["--faults", "maybe"], "--faults: invalid choice"),
])
def test_bad_options_are_one_line_and_exit_2_before_anything_starts(args, says):
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-m", "tests.soak.runner", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert says in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stdout == ""


def test_a_run_that_fails_at_its_end_still_tells_the_clients_to_quit(monkeypatch, tmp_path):
    """The clients (room bridge, remote client, phone) are processes of their own: a run that
    fails after they started (an end census crashed once) must still close them, or they go on
    flooding a console that is gone."""
    from tests.soak import runner

    closed = []

    class Views:
        def close(self) -> dict:
            closed.append(True)
            return {}

    def run(self) -> dict:
        self.views = Views()
        self.t0 = 0.0  # past start-up: the failure is the run's, not a part's
        raise ValueError("the end census failed")

    monkeypatch.setattr(runner.Soak, "run", run)
    with pytest.raises(ValueError, match="end census"):
        runner.main(["--minutes", "1", "--json", str(tmp_path / "soak.json")])
    assert closed == [True]
