"""The whole sample show driven only through ``Studio.dispatch``, with no Qt in the
process, against the real headless OBS: scenes switch per segment, a card push sets the
product overlay, coupon drops fire, a runbook's steps run through the registry, a drill
leaves program alone, and the event log holds one ``desk.action`` per action."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio_app.store import fetch_events, open_engine

pytestmark = pytest.mark.obs
ROOT = Path(__file__).resolve().parents[1]


def test_the_sample_show_runs_headless_through_the_dispatcher_against_real_obs(obs, tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run([sys.executable, "-m", "tests.harness.headless_show", obs.host, str(obs.port), url],
                          input=obs.password + "\n", capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])

    assert report["qt_loaded"] == []  # the studio core never imports Qt
    # scenes switch per segment: OBS itself reported each segment's scene
    segs = report["segments"]
    assert len(segs) == 14 and [s["index"] for s in segs] == list(range(1, 15))
    assert [s["program"] for s in segs] == [s["planned"] for s in segs]
    # the product overlay follows the card push
    scarf = next(p for p in report["pushes"] if p["segment"] == "scarf")
    assert scarf["sku"] == "SK-2001" and scarf["wanted"] == {"Title": "云朵羊绒围巾 直播价 ¥259"}
    assert all(p["obs"] == p["wanted"] for p in report["pushes"])
    # every coupon drop and the flash sale fired on their own (ticks, no person)
    assert report["firings"].count("coupon.drop") == 3 and "flash.start" in report["firings"]
    assert report["final"] == "ended"
    # a runbook's steps are registry actions; the standby scene reached program
    assert report["runbook"]["program"] == "BRB"
    assert [s[0] for s in report["runbook"]["steps"]] == ["obs.scene", "message.send", "camera.use_backup"]
    assert [s[1] for s in report["runbook"]["steps"]][:2] == ["ok", "ok"]
    # a drill leaves program untouched
    drill = report["drill"]
    assert drill["after"] == drill["before"] == "Opening"
    assert drill["obs_scene_code"] == "refused" and drill["mic_mute_code"] == "refused"
    assert [s[1] for s in drill["steps"]] == ["skipped", "ok", "skipped"]
    # one event per action (the runbook steps are actions too)
    engine = open_engine(url)
    try:
        actions = [e for e in fetch_events(engine) if e.kind == "desk.action"]
    finally:
        engine.dispose()
    assert len(actions) == report["dispatched"] + report["steps_dispatched"]
    assert [e.payload["action"] for e in actions if e.payload["by"] != "runbook"] == [r[0] for r in report["results"]]
    assert all(r[1] for r in report["results"] if r[0] not in ("obs.scene", "mic.mute")), report["results"]
