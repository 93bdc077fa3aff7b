"""The soak's stall attribution (issue 20) names what really held the GUI loop: here a thread
that holds the interpreter lock in one long C call (a big sort) while the "GUI" loop waits."""
from __future__ import annotations

import random
import sys
import threading
import time

import pytest

from tests.soak.runner import GcPauses, rss_trend_pct_per_hour
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


def test_rss_growth_is_the_trend_of_the_samples_not_two_teeth_of_the_trim_sawtooth():
    # a heap trimmed once a minute: +15 MB over each minute, back down at the trim; flat underneath
    flat = [[t, 200.0 + 15.0 * (t % 60) / 60.0, 100.0] for t in range(0, 1800, 20)]
    assert abs(rss_trend_pct_per_hour(flat, 120, 300.0)) < 1.0
    warm, end = flat[6], flat[-1]  # the two-sample figure of the same run lands on the teeth
    assert (end[1] - warm[1]) / 300.0 * 100.0 / ((end[0] - warm[0]) / 3600.0) > 5.0
    # the same sawtooth over a real leak of 30 MB/h (10 % of 300 MB an hour)
    leak = [[t, a + 30.0 * t / 3600.0, f] for t, a, f in flat]
    assert rss_trend_pct_per_hour(leak, 120, 300.0) == pytest.approx(10.0, abs=1.0)
    assert rss_trend_pct_per_hour(leak[:2], 0, 300.0) is None  # too few samples to say


def test_the_census_names_what_grows_all_run_and_who_holds_it():
    import gc

    from tests.soak.stalls import MemoryWatch

    class Recorder:  # stands for a structure of the console that keeps every reading
        def __init__(self) -> None:
            self.readings: list = []

    class Buffer:  # fills up to its bound in the first half, then stays
        def __init__(self) -> None:
            self.items: list = []

    rec, buf = Recorder(), Buffer()
    watch = MemoryWatch(trace=False)
    try:
        watch.mark("warm")
        for i in range(3000):
            rec.readings.append({"at": float(i), "users": [i]})
            buf.items.append((i, [i]))
        watch.mark("mid")
        watch._join_census()  # counted on its own thread: done before the second half starts
        for i in range(3000):
            rec.readings.append({"at": float(i), "users": [i]})
        gc.collect()
        watch.mark("end")
    finally:
        gc.unfreeze()  # the end's look at referrers freezes what is alive
    mem = watch.result()
    grew = {r["what"]: r for r in mem["gc_growth_by_shape"][:2]}  # each reading: a dict and its list
    top = grew["dict{at,users}"]
    assert top["mid"] - top["warm"] == 3000 and top["end"] - top["mid"] == 3000 and top["per_hour_second_half"] > 0
    bounded = next(r for r in mem["gc_growth_by_shape"] if r["what"] == "tuple[2](int,list)")
    assert bounded["end"] == bounded["mid"]  # ranked below what still grew
    assert mem["gc_growth_by_shape"].index(bounded) > 0
    held = mem["gc_growth_held_by"]["dict{at,users}"]
    assert any("Recorder.readings" in h for h in held), held


def test_the_garbage_census_counts_what_a_full_collection_frees():
    import gc

    from tests.soak.stalls import collect_garbage_census

    gc.collect()
    gc.disable()  # no automatic collection meanwhile: all 500 cycles wait for the census
    try:
        for _ in range(500):
            node = {"peer": None}
            node["peer"] = {"peer": node}  # a cycle: freed only by the collector
        del node
        found = {g["what"]: g["count"] for g in collect_garbage_census()}
    finally:
        gc.enable()
    assert found.get("dict{peer}", 0) >= 1000, found
    assert not gc.garbage


def test_sampling_the_threads_stacks_leaves_no_garbage():
    import gc

    from tests.soak.stalls import collect_garbage_census

    att = StallAttribution(16.0, GcPauses())
    try:
        gc.collect()
        gc.disable()  # no automatic collection meanwhile: the census sees all that was left
        try:
            for _ in range(50):
                att._stacks(0.0, att.gui_tid)  # as the watchdog samples every thread during a stall
            left = [g for g in collect_garbage_census() if g["what"].startswith("frame")]
        finally:
            gc.enable()
    finally:
        att.close()
    assert left == []
