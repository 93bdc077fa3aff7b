"""The cyclic garbage collector and a long show (issue 20)."""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


def freeze_startup_heap() -> None:
    """Move everything alive now out of the cyclic collector's reach.

    Start-up builds a large, long-lived heap (Qt wrappers, numpy, SQLAlchemy, the show). A
    full collection walks all of it: 60-140 ms with the GIL held, a visible prompter stutter
    (measured by the soak). Frozen, full collections walk only what the show created since;
    and collections come less often (YOUNG_THRESHOLD). Call once, when start-up is done (the
    desk: 1 s after the first paint).

    Only the two young generations are collected first, not the whole heap: on the desk a full
    collection here took 44-55 ms of the GUI thread to free about 100 objects (start-up's few
    garbage cycles, now frozen for good: a few kilobytes), the young ones 0.7 ms.
    """
    gc.collect(1)
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


# A young collection every 5,000 surviving new objects instead of 700: a show's steady churn
# (events, snapshots, room messages) then triggers a seventh as many collections, and a
# seventh as many full ones (one follows every hundred young ones), and a full one is the
# pause the prompter shows. A young collection of 5,000 objects costs about 0.1 ms of CPU
# (700: 0.01 ms; measured on this machine), nothing a frame notices.
YOUNG_THRESHOLD = 5000


# glibc keeps memory that was freed in its arenas (one per thread that allocated, up to
# 8 per core) and returns it to the system only from the top of the main heap. Over a show
# threads come and go (device reconnects), so freed memory stays resident: the soak saw
# RSS grow ~7 MB in 30 minutes while the memory in use fell (mallinfo2). malloc_trim(0)
# gives every arena's free pages back.
TRIM_EVERY_S = 60.0


# glibc serves a block of 128 KB or more with mmap, unmapped the moment it is freed - until
# such a block is freed: then it raises that threshold to the block's size (up to 32 MB), and
# every later block that size comes from the heap. A show frees a camera frame (640x360: 0.7 MB;
# 1080p: 6 MB) 25-30 times a second, and decoder, QImage and numpy buffers besides, so after the
# first frame they all came from the heap among the small long-lived blocks, and the holes they
# left kept the heap growing between trims (the soak: free-but-held memory 15 -> 39 MB in
# 7 minutes, with 2 arenas as with 16, while the memory in use stayed flat). A fixed threshold
# keeps big buffers out of the heap. Its price: a fresh mapping's page faults, ~1.6 ms more per
# 1080p frame allocated (measured: 0.95 -> 2.55 ms), on the capture thread with the interpreter
# lock released; nothing for the 640x360 frames the soak's camera sends.
MMAP_THRESHOLD = 256 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


def keep_big_blocks_out_of_the_heap(threshold: int = MMAP_THRESHOLD) -> bool:
    """Serve every block of ``threshold`` bytes or more with its own mapping (glibc): given back
    to the system as soon as it is freed. Call first thing at start-up. False where there is
    no glibc."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, threshold))


def trim_heap() -> bool:
    """Return the C allocator's free memory to the system (glibc); False where there is none.
    A ctypes call: the interpreter lock is released while it runs."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def _libc():  # noqa: ANN202 - a ctypes CDLL or None
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except (OSError, AttributeError):  # musl or another C library: nothing to trim
        return None


class HeapTrimmer:
    """Trims the heap every ``every_s`` seconds on a thread of its own (never the GUI's)."""

    def __init__(self, every_s: float = TRIM_EVERY_S) -> None:
        import threading

        self.every_s = every_s
        self.trims = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heap-trim", daemon=True)

    def start(self) -> "HeapTrimmer":
        if _libc() is not None and self._thread.ident is None:
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            trim_heap()
            self.trims += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2.0)


@contextlib.contextmanager
def bulk_allocation() -> Iterator[None]:
    """No cyclic collection inside the block: reading a stored show makes millions of small
    tuples and strings, none of them in a cycle, and the collector would walk the growing heap
    again and again (~0.5 s of a 4-hour busy room). Nested blocks are fine; afterwards the
    collector is as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
