"""The soak's own bookkeeping around its real parts: a part that dies with no fault injected
is reported as such and restarted before the next fault (so that fault measures the console,
not a dead OBS)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from tests.harness.obs import HeadlessObs, _start_or_unavailable
from tests.soak.parts import FAULTS
from tests.soak.runner import Logs, Soak, crash_lines

pytestmark = [pytest.mark.obs, pytest.mark.slow]


def test_an_obs_that_died_by_itself_is_reported_and_restarted_before_the_next_obs_fault(tmp_path):
    obs = _start_or_unavailable(HeadlessObs(tmp_path / "obs"))
    hands = ThreadPoolExecutor(1)  # long-lived, as the soak's (OBS dies with the thread that started it)
    try:
        first_pid = obs.pid
        obs.proc.kill()  # a crash: nobody called obs.kill(), the Popen is still there
        obs.proc.wait()
        logs = Logs({})
        soak = SimpleNamespace(parts=SimpleNamespace(obs=obs), logs=logs, hands=hands, t0=time.monotonic(),
                               stop=threading.Event(), crashed_parts=[], working=lambda device: obs.running)
        Soak._parts_ready(soak, [FAULTS["obs_frozen"]])
        assert obs.running and obs.pid != first_pid
        [crash] = soak.crashed_parts
        assert crash["part"] == "obs" and crash["exit_code"] == -9
        # the table says it in words, beside the faults
        [shown] = crash_lines({"parts_crashed": soak.crashed_parts})
        assert "obs exited by itself (exit -9, no fault injected)" in shown

        # a fault on another part leaves a running OBS alone
        pid = obs.pid
        Soak._parts_ready(soak, [FAULTS["camera_stopped"]])
        assert obs.pid == pid and len(soak.crashed_parts) == 1
    finally:
        hands.submit(obs.close).result()
        hands.shutdown()

