"""The keyboard belongs to the show, with real X key events (XTEST) into the real desk
window under Xvfb: after a message is sent (Enter) or dismissed (Esc) Space is GO again;
show keys work with the keyboard in the rundown, not while a person types text."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import unavailable
from tests.harness.xvfb import Xvfb, XvfbError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.display
def test_enter_and_esc_give_the_keyboard_back_to_the_show(tmp_path):
    xvfb = Xvfb()
    try:
        xvfb.start(1920, 1080)
    except XvfbError as exc:
        unavailable("Xvfb", str(exc))
    try:
        env = {**xvfb.env(), "STUDIO_DATA_DIR": str(tmp_path / "data"), "STUDIO_CONFIG_DIR": str(tmp_path / "cfg")}
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.run([sys.executable, "-m", "tests.harness.desk_keys", "--db", f"sqlite:///{tmp_path / 'l.db'}"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        xvfb.stop()
    assert proc.returncode == 0 and "DONE" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    steps = {s["name"]: s for s in (json.loads(line[5:]) for line in proc.stdout.splitlines()
                                    if line.startswith("STEP "))}
    assert steps["go"]["segment"] == 1 and steps["go"]["playback"] == "running"
    assert steps["typed"]["segment"] == 1  # typing a message never fires show keys
    assert steps["enter"]["message"] == "hello" and steps["enter"]["focus"] == "ShowDesk"
    assert (steps["space_1"]["segment"], steps["space_2"]["segment"]) == (2, 3)  # Space is GO again
    assert steps["typed_again"]["segment"] == 3
    assert steps["esc"]["message"] == "" and steps["esc"]["focus"] == "ShowDesk"  # Esc hid it, keys came back
    assert steps["space_3"]["segment"] == 4
    assert steps["space_in_table"]["segment"] == 5  # a show key, whatever has the keyboard
    assert steps["hold_in_table"]["playback"] == "hold"
    assert steps["space_in_filter"]["segment"] == 5  # typing in a text box: the box keeps Space
