"""A long show's process hygiene (issue 20): freed C memory handed back to the system, and
the GUI thread's CPU priority as the studio chooses (never inherited by threads it starts)."""
from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from studio_app.core.heap import HeapTrimmer, trim_heap
from studio_app.core.priority import favour_this_thread

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and per-thread nice are Linux's")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@linux
def test_trim_gives_back_what_finished_threads_freed():
    # Two threads allocate 40 MB each in small blocks (their own arenas), keep 1 % of them
    # (a show's long-lived objects among the short-lived ones) and end: glibc keeps the
    # pages between the kept blocks resident until trimmed.
    kept: list = []

    def churn() -> None:
        blocks = [bytearray(2000) for _ in range(20_000)]
        kept.append(blocks[::100])
        del blocks

    ts = [threading.Thread(target=churn) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    before = _rss_mb()
    assert trim_heap() is True
    assert _rss_mb() < before - 20, (before, _rss_mb())
    assert len(kept) == 2


# A camera's frames freed among a show's small long-lived blocks, in a fresh process (glibc's
# threshold is per process and moves once a big block is freed). Prints the RSS MB the freed
# frames left behind, with no trim in between.
_FRAMES = """
import os, sys
from studio_app.core.heap import keep_big_blocks_out_of_the_heap
if sys.argv[1] == "fixed":
    assert keep_big_blocks_out_of_the_heap()
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
first = bytearray(2_000_000)
del first  # one 2 MB buffer freed: glibc now serves blocks below 2 MB from the heap
kept, frames = [], []
before = rss()
for _ in range(60):  # 60 frames of 640x360 BGR (41 MB), each followed by a block that stays (7 MB)
    frames.append(bytearray(640 * 360 * 3))
    kept.append(bytearray(120_000))
del frames
print(round(rss() - before, 1))
"""


@linux
def test_freed_camera_frames_go_back_to_the_system_at_once():
    import subprocess

    def left_behind(mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", _FRAMES, mode], capture_output=True, text=True, check=True)
        return float(out.stdout.split()[-1])

    assert left_behind("fixed") < 12  # the 7 MB kept, not one of the 60 frames (0.7 MB each)
    assert left_behind("default") > 30  # glibc's moving threshold: the frames' holes stay resident


@linux
def test_trimmer_trims_on_its_own_thread_until_stopped():
    trimmer = HeapTrimmer(every_s=0.01).start()
    deadline = time.monotonic() + 20
    while trimmer.trims < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    trimmer.stop()
    assert trimmer.trims >= 2
    assert "heap-trim" not in [t.name for t in threading.enumerate()]
    trimmer.start()  # started once only: a second start is a no-op, not a RuntimeError


def _in_a_thread(choice: str) -> tuple[str, int, int]:
    """favour ``choice`` on a fresh thread; (outcome, its nice, the nice of a thread it starts)."""
    out: list = []

    def run() -> None:
        said = favour_this_thread(choice)
        child: list[int] = []
        t = threading.Thread(target=lambda: child.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        t.start()
        t.join()
        out.append((said, os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), child[0]))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    return out[0]


def test_normal_and_unknown_change_nothing():
    assert _in_a_thread("normal") == ("normal", os.getpriority(os.PRIO_PROCESS, 0), os.getpriority(os.PRIO_PROCESS, 0))
    said, nice, _ = _in_a_thread("fastest")
    assert said.startswith("general.gui_priority: unknown value 'fastest'") and said.endswith("left normal")
    assert nice == os.getpriority(os.PRIO_PROCESS, 0)


@linux
def test_high_is_for_the_gui_thread_only_or_says_it_is_not_permitted():
    base = os.getpriority(os.PRIO_PROCESS, 0)
    said, nice, child = _in_a_thread("high")
    if "not permitted" in said:
        assert nice == base and said.endswith("left normal")
    else:
        assert said == "high (nice -10)" and nice == -10
        assert child == 0  # SCHED_RESET_ON_FORK: a thread it starts is back to nice 0, not -10


def test_after_the_startup_freeze_the_show_s_cyclic_garbage_is_still_collected_on_its_own():
    """Frozen start-up heap and rarer young collections: garbage cycles made during the show
    are still freed by the collector by itself (no explicit gc.collect), within a few of its
    thresholds of new objects."""
    import gc
    import weakref

    from studio_app.core.heap import YOUNG_THRESHOLD, freeze_startup_heap

    class Node:
        pass

    saved = gc.get_threshold()
    try:
        freeze_startup_heap()
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: reference counting alone never frees it
        gone = weakref.ref(a)
        del a, b
        kept = []
        for _ in range(YOUNG_THRESHOLD * 1000):  # surviving new objects drive the collector
            kept.append([])
            if gone() is None:
                break
        assert gone() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
