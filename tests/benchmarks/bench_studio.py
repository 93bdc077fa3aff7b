"""Studio core figures (no Qt): prints a table of medians and p99s.

1. ``Studio.dispatch`` of a show action (``show.adjust``, validated, run, logged) against
   ``ShowDesk.dispatch`` of the same action (what the registry and the log line add), and
   an action that changes nothing on the show (``message.send``).
2. ``Studio.state()``: one immutable snapshot of the sample show mid-show (segment, cards,
   coupons, the anchor's screen); ``state_dict()`` on top (the remote API's JSON).
3. Dispatch to a subscriber's callback on the studio's notifier thread (what a remote
   client's push waits for before its own I/O).

Run: ``.venv/bin/python tests/benchmarks/bench_studio.py``.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.core.events import MemorySink  # noqa: E402
from studio_app.core.paths import sample_show_path  # noqa: E402
from studio_app.core.settings import Settings  # noqa: E402
from studio_app.show.clock import ManualClock  # noqa: E402
from studio_app.show.desk import ShowDesk  # noqa: E402
from studio_app.studio import Studio  # noqa: E402
from tests.benchmarks.table import median, percentile, print_table  # noqa: E402

N = 2000


def timed(fn, n: int = N) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1e6)
    return out


def main() -> None:
    studio = Studio(Settings(), MemorySink(), clock=ManualClock())
    studio.load_show(sample_show_path())
    for name, args in (("show.go", {}), ("show.go", {}), ("card.push", {"slot": 1})):
        studio.dispatch(name, **args)
    desk = ShowDesk.from_file(sample_show_path(), clock=ManualClock(), sink=MemorySink())
    desk.dispatch("go")
    sign = [1]

    def adjust_studio():
        sign[0] = -sign[0]
        studio.dispatch("show.adjust", seconds=sign[0])

    def adjust_desk():
        sign[0] = -sign[0]
        desk.dispatch("add_time", seconds=sign[0])

    rows = []
    for what, xs in (("ShowDesk.dispatch add_time", timed(adjust_desk)),
                     ("Studio.dispatch show.adjust", timed(adjust_studio)),
                     ("Studio.dispatch message.send", timed(lambda: studio.dispatch("message.send", text="看镜头"))),
                     ("Studio.state()", timed(studio.state)),
                     ("Studio.state_dict()", timed(studio.state_dict, 500))):
        rows.append((what, f"{median(xs):.1f}", f"{percentile(xs, 99):.1f}"))

    got = threading.Event()
    studio.subscribe(lambda state: got.set())
    lat = []
    for i in range(300):
        got.clear()
        t0 = time.perf_counter()
        studio.dispatch("show.adjust", seconds=1 if i % 2 else -1)
        got.wait(2)
        lat.append((time.perf_counter() - t0) * 1e6)
    rows.append(("dispatch to a subscriber's callback", f"{median(lat):.1f}", f"{percentile(lat, 99):.1f}"))
    studio.close()
    print_table("Studio core (sample show, mid-show), µs", ["what", "median", "p99"], rows)


if __name__ == "__main__":
    main()
