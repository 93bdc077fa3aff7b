"""The soak's stall attribution (issue 20) names what really held the GUI loop: here a thread
that holds the interpreter lock in one long C call (a big sort) while the "GUI" loop waits."""
from __future__ import annotations

import random
import sys
import threading
import time

import pytest

from tests.soak.runner import GcPauses
from tests.soak.stalls import StallAttribution, table_rows

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task/*/schedstat")


def test_a_thread_holding_the_interpreter_lock_is_named_with_its_line():
    att = StallAttribution(16.0, GcPauses())
    numbers = [random.random() for _ in range(1_500_000)]
    started = threading.Event()

    def hog() -> None:
        started.set()
        for _ in range(2):
            time.sleep(0.2)
            sorted(numbers)  # one C call: the lock is held for hundreds of ms

    t = threading.Thread(target=hog, name="gil-hog")
    t.start()
    started.wait()
    last = time.perf_counter()
    while t.is_alive():  # the "GUI loop": a 16 ms frame
        time.sleep(0.016)
        now = time.perf_counter()
        att.frame(last, now)
        last = now
    att.close()
    found = att.result()
    holders = [h["where"] for h in found["interpreter_lock_holders"]]
    assert any(h.startswith("gil-hog: test_soak_stalls.py:") and h.endswith(" hog") for h in holders), found
    cause = found["by_cause"]["blocked on the interpreter lock (another thread of ours ran)"]
    assert cause["count"] >= 1 and cause["worst"][0]["interpreter_lock_holder"].startswith("gil-hog")
    assert any("interpreter lock held by `gil-hog" in row for row in table_rows(found))
