"""Show-day endurance (issue 20): the sample show run at a desk's pace against the real
parts (OBS, the PulseAudio virtual mic with programme audio, the ffmpeg camera, SQLite and
PostgreSQL logs, the room feed, remote clients, the phone view) while seeded faults break
them, one at a time and sometimes two at once.

    python -m tests.soak.runner [--minutes N] [--speed X] [--seed S] [--faults on|off] [--json FILE]

The console's core runs in this process under a QApplication on an Xvfb of its own, showing
the anchor's cue screen (full screen, prompter scrolling) and the live-room dock
(tests/soak/views.py); its main-thread loop ticks the show (50 ms, plus a precise single-shot
timer at each coupon moment, as the desk does), runs the desk's script and has a 16 ms frame
timer whose lateness is the GUI stall we report. Exit 0 only when no event or room message
was lost or duplicated, every action logged exactly one desk.action, and every fault was
seen and recovered from.
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import functools
import json
import math
import os
import random
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]


def say(msg: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ process
def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_trend_pct_per_hour(series: list, after_s: float, warm_mb: float) -> float | None:
    """The least-squares slope of resident memory (anon + file, every 20 s) after warm-up, in % of
    the warm figure per hour. The heap is trimmed once a minute, so RSS is a sawtooth of ~10-25 MB:
    warm and end, two single samples, can each land on a tooth (a short run's figure swung from 8
    to 93 %/h for the same code); the trend of all samples cannot."""
    pts = [(t, a + f) for t, a, f in series if t >= after_s and a is not None and f is not None]
    if len(pts) < 3 or warm_mb <= 0:
        return None
    mt = sum(t for t, _ in pts) / len(pts)
    mr = sum(r for _, r in pts) / len(pts)
    var = sum((t - mt) ** 2 for t, _ in pts)
    if var == 0:
        return None
    slope_mb_s = sum((t - mt) * (r - mr) for t, r in pts) / var
    return round(slope_mb_s * 3600.0 / warm_mb * 100.0, 2)


def warm_up_s(duration_s: float) -> float:
    """How long memory is left to settle before its growth is measured: until the longest
    time-bounded store has filled once, at most a third of the run. That is the room ingest's
    duplicate window (``DEDUP_SPAN_S``, 10 minutes of message time, stamped by the bridge as it
    sends, so real minutes whatever the speed; at 8x it holds 8x a real show's messages), the
    last to fill of the console's windows and tails. Growth within it is bounded by design;
    growth after it is what a four-hour show would keep adding."""
    from studio_app.room.gate import DEDUP_SPAN_S

    return min(DEDUP_SPAN_S, duration_s / 3.0)


def threads() -> int:
    """The console's threads: every thread of the process but the soak's own (faults, heartbeat)."""
    own = sum(1 for t in threading.enumerate() if t.name.startswith("soak"))
    return len(os.listdir("/proc/self/task")) - own


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def fd_kinds() -> dict[str, int]:
    """The process's open files by kind (a socket, a pipe, an eventfd, a file's path with any
    number in its name dropped), to say which one was left open when the counts differ."""
    kinds: dict[str, int] = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        kind = re.sub(r"\[\d+\]$", "", target)  # socket:[1234] -> socket:
        kind = re.sub(r"\d+", "N", kind) if kind.startswith("/") else kind
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


def thread_names() -> dict[str, int]:
    """The console's threads by name (kernel names for native ones), to say what differs."""
    names: dict[str, int] = {}
    own = {t.native_id: t.name for t in threading.enumerate()}
    for tid in os.listdir("/proc/self/task"):
        name = own.get(int(tid))
        if name is None:
            try:
                with open(f"/proc/self/task/{tid}/comm") as f:
                    name = f"native:{f.read().strip()}"
            except OSError:
                continue
        name = re.sub(r"^Thread-\d+", "Thread", name)  # a reconnect's new "Thread-7 (trigger)" is the old one
        if not name.startswith("soak"):
            names[name] = names.get(name, 0) + 1
    return names


class Histogram:
    """Milliseconds in 0.1 ms buckets up to 2 s (bounded memory for a 4-hour run)."""

    def __init__(self, top_ms: float = 2000.0) -> None:
        self.counts = [0] * (int(top_ms * 10) + 1)
        self.n = 0
        self.max = 0.0

    def add(self, ms: float) -> None:
        ms = max(0.0, ms)
        self.counts[min(len(self.counts) - 1, int(ms * 10))] += 1
        self.n += 1
        self.max = max(self.max, ms)

    def pct(self, p: float) -> float | None:
        if not self.n:
            return None
        want, seen = math.ceil(self.n * p / 100.0), 0
        for i, c in enumerate(self.counts):
            seen += c
            if seen >= want:
                return round(min(self.max, (i + 1) / 10.0), 2)
        return round(self.max, 2)


class GcPauses:
    """How long each garbage collection held the interpreter (every thread waits, the GUI's too)."""

    def __init__(self) -> None:
        import gc

        self.hist = Histogram()
        self.by_gen = [0.0, 0.0, 0.0]
        # The collector's own CPU time per generation (max, and how many): a wall-clock pause
        # on a busy machine also counts the time the thread waited for a CPU mid-collection.
        self.cpu_by_gen = [0.0, 0.0, 0.0]
        self.count_by_gen = [0, 0, 0]
        self._t0 = self._cpu0 = 0.0
        self.recent: list[tuple[float, float]] = []  # (start, end) monotonic of the last long ones
        gc.callbacks.append(self._cb)

    def during(self, start: float, end: float) -> float:
        """Seconds of garbage collection between ``start`` and ``end``."""
        return sum(max(0.0, min(e, end) - max(s, start)) for s, e in self.recent)

    def _cb(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0, self._cpu0 = time.perf_counter(), time.thread_time()
        else:
            end = time.perf_counter()
            cpu_ms = (time.thread_time() - self._cpu0) * 1000.0  # the collecting thread's (it started it)
            ms = (end - self._t0) * 1000.0
            self.hist.add(ms)
            if ms > 1.0:
                self.recent = [*self.recent[-15:], (self._t0, end)]
            g = info.get("generation", 0)
            self.by_gen[g] = max(self.by_gen[g], ms)
            self.cpu_by_gen[g] = max(self.cpu_by_gen[g], cpu_ms)
            self.count_by_gen[g] += 1


class StallProbe:
    """Lateness of a repeating GUI timer, and why each late frame was late.

    Call :meth:`tick` from the timer. A late frame is put down to garbage collection (a
    collection covered a quarter of it), the GUI thread's own work (its CPU time), the
    console's other threads (the process was busy: they held the interpreter) or the machine
    (the process was not running). A watchdog thread also samples the GUI thread's stack once
    per stall longer than ``watch_ms``, so a stall says where it came from."""

    CAUSES = ("garbage collection", "GUI thread's own work", "other threads (interpreter lock)",
              "machine busy (process not running)")

    def __init__(self, hist: Histogram, gc_pauses: GcPauses, frame_ms: float, watch_ms: float = 40.0) -> None:
        self.hist, self.gc, self.frame_ms, self.watch_ms = hist, gc_pauses, frame_ms, watch_ms
        self.causes = {c: [0, 0.0] for c in self.CAUSES}  # cause -> [count, worst ms]
        self.where: dict[str, list[float]] = {}  # the GUI thread's line during long stalls -> [count, worst ms]
        self.busy: dict[str, list[float]] = {}  # the thread that ran most during a long stall -> [count, its CPU ms]
        self._gui = threading.get_ident()
        self._gui_native = threading.get_native_id()
        self._last = (time.perf_counter(), time.process_time(), time.thread_time())
        self.excluded: list[dict] = []  # the soak's own GUI-thread work, kept out of the stalls
        self._own_work = False
        self._sampled_for = 0.0
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watchdog, name="soak-stall-watch", daemon=True)
        self._watch.start()

    @contextlib.contextmanager
    def own_work(self, what: str) -> Iterator[None]:
        """The soak itself keeps the GUI thread busy inside this (a screenshot): no desk does
        that, so the watchdog looks away meanwhile, the frame restarts from its end and the
        time is listed apart (``gui_stall_ms.excluded``)."""
        self._own_work = True
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.excluded.append({"what": what, "ms": round((time.perf_counter() - t0) * 1000.0, 1)})
            self.restart()
            self._own_work = False

    def restart(self) -> None:
        """The next frame counts from now."""
        self._last = (time.perf_counter(), time.process_time(), time.thread_time())

    def tick(self) -> None:
        t, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        t0, cpu0, own0 = self._last
        self._last = (t, cpu, own)
        stall = (t - t0) * 1000.0 - self.frame_ms
        self.hist.add(stall)
        if stall <= self.frame_ms:
            return
        wall = t - t0
        if self.gc.during(t0, t) >= 0.25 * stall / 1000.0:
            cause = self.CAUSES[0]
        elif own - own0 >= 0.5 * wall:
            cause = self.CAUSES[1]
        elif cpu - cpu0 >= 0.5 * wall:
            cause = self.CAUSES[2]
        else:
            cause = self.CAUSES[3]
        c = self.causes[cause]
        c[0], c[1] = c[0] + 1, max(c[1], round(stall, 1))

    @staticmethod
    def _cpu_by_thread() -> dict[int, int]:
        """Clock ticks of CPU per thread of this process (utime + stime, /proc)."""
        out = {}
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out[int(tid)] = int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                pass
        return out

    def _watchdog(self) -> None:
        import traceback

        from tests.soak.stalls import run_like

        run_like(self._gui_native)  # an instrument at the GUI thread's priority (see run_like)
        busy_from: tuple[float, dict[int, int]] | None = None  # a stall in progress: (its t0, CPU then)
        while not self._stop.wait(0.01):
            t0 = self._last[0]
            late_ms = (time.perf_counter() - t0) * 1000.0
            if busy_from is not None and busy_from[0] != t0:  # that stall is over: who ran meanwhile?
                before, after = busy_from[1], self._cpu_by_thread()
                names = {t.native_id: t.name for t in threading.enumerate()}
                spent = sorted(((after[tid] - before.get(tid, after[tid]), tid) for tid in after), reverse=True)
                ticks, tid = spent[0] if spent else (0, 0)
                if ticks > 0:
                    name = names.get(tid) or self._comm(tid)
                    b = self.busy.setdefault(name, [0, 0.0])
                    b[0], b[1] = b[0] + 1, max(b[1], ticks * 1000.0 / os.sysconf("SC_CLK_TCK"))
                busy_from = None
            if late_ms < self.watch_ms or self._sampled_for == t0 or self._own_work:
                continue
            self._sampled_for = t0
            busy_from = (t0, self._cpu_by_thread())
            frame = sys._current_frames().get(self._gui)
            if frame is None:
                continue
            stack = [f for f in traceback.extract_stack(frame) if "soak/runner.py" not in f.filename and "runpy" not in f.filename][-2:]
            where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)) or "the event loop (Qt, no Python running)"
            if where in self.where or len(self.where) < 50:
                w = self.where.setdefault(where, [0, 0.0])
                w[0], w[1] = w[0] + 1, max(w[1], round(late_ms, 1))

    @staticmethod
    def _comm(tid: int) -> str:
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                return f"native thread {f.read().strip()}"
        except OSError:
            return f"thread {tid}"

    def close(self) -> None:
        self._stop.set()
        self._watch.join(1)

    def causes_dict(self) -> dict:
        return {k: {"count": v[0], "max_ms": v[1]} for k, v in self.causes.items() if v[0]}

    def busy_list(self, n: int = 5) -> list[dict]:
        top = sorted(self.busy.items(), key=lambda kv: -kv[1][1])[:n]
        return [{"thread": k, "count": v[0], "cpu_ms_max": round(v[1], 1)} for k, v in top]

    def where_list(self, n: int = 5) -> list[dict]:
        top = sorted(self.where.items(), key=lambda kv: -kv[1][1])[:n]
        return [{"where": k, "count": v[0], "max_ms": v[1]} for k, v in top]


class SpeedClock:
    """The show's clock running ``speed`` times faster than real time (compresses the show)."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.m0, self.w0 = time.monotonic(), time.time()

    def now(self):  # noqa: ANN201 - an Instant
        from studio_app.show.clock import Instant

        m = time.monotonic()
        return Instant(self.m0 + (m - self.m0) * self.speed, self.w0 + (m - self.m0) * self.speed)

    def to_real(self, show_mono: float) -> float:
        return self.m0 + (show_mono - self.m0) / self.speed


# ------------------------------------------------------------------------------ the log
class Logs:
    """Every event goes to both logs (the room's SQLite and the central PostgreSQL), as the
    console's sink; device events and log-health changes are also kept in a short timeline
    the fault scorer reads (bounded: only what faults are judged by)."""

    WATCHED = ("device.", "dead_air_", "room.rejected")

    def __init__(self, logs: dict[str, Any]) -> None:
        self.logs = logs
        self._lock = threading.Lock()
        self.timeline: list[tuple[float, str, str]] = []  # (monotonic, source, kind)
        self.desk_actions: dict[str, int] = {}  # desk.action events logged, by who asked
        for name, log in logs.items():
            log.subscribe(functools.partial(self._health, f"db.{name}"))

    def log(self, source: Any, kind: str, message: str = "", severity: int = 20,
            payload: Any = None, show_id: str | None = None) -> Any:
        ev = None
        for log in self.logs.values():
            ev = log.log(source, kind, message, severity, payload, show_id)
        if kind.startswith(self.WATCHED):
            self._note(ev.mono_time, str(getattr(source, "value", source)), kind)
        elif kind == "desk.action":
            by = str((payload or {}).get("by", "?"))
            with self._lock:
                self.desk_actions[by] = self.desk_actions.get(by, 0) + 1
        return ev

    def _health(self, source: str, status: Any) -> None:
        self._note(time.monotonic(), source, str(status.health.value))

    def _note(self, t: float, source: str, kind: str) -> None:
        with self._lock:
            self.timeline.append((t, source, kind))
            if len(self.timeline) > 20_000:
                del self.timeline[:10_000]

    def first(self, source: str, kinds: frozenset[str], after: float) -> float | None:
        with self._lock:
            items = list(self.timeline)
        i = bisect.bisect_left(items, (after, "", ""))
        for t, s, k in items[i:]:
            if s == source and k in kinds:
                return t
        return None

    def logged(self) -> int:
        return sum(log_seq(log) for log in self.logs.values())


def log_seq(log: Any) -> int:
    """Events accepted by this log so far (its sequence numbers run 1..n)."""
    tail = log.recent(0)[-1:]
    return tail[0].seq if tail else 0


def count_written(url: str, log: Any, logged: int) -> tuple[int, int, int]:
    """(written, lost, duplicated) for one log, by event id (uid = run prefix + sequence)."""
    from sqlalchemy import func, select

    from studio_app.store.db import open_engine
    from studio_app.store.models import EventRow

    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(EventRow.uid, func.count()).where(EventRow.session == log.session)
                                .group_by(EventRow.uid)).all()
    finally:
        engine.dispose()
    seqs = {int(uid[-12:], 16) for uid, _n in rows}  # this run's rows: uid = run prefix + 12 hex digits of seq
    written = sum(n for _uid, n in rows)
    lost = sum(1 for s in range(1, logged + 1) if s not in seqs)
    duplicated = sum(n - 1 for _uid, n in rows if n > 1)
    return written, lost, duplicated


# ------------------------------------------------------------------------------ the desk
class DeskScript:
    """A desk operator working through the sample show at a real desk's pace (in show time):
    GO when a segment's time is up, a card push, a stock change, an anchor message, a coupon
    moved or confirmed, a runbook worked through, a drill on and off. Loops the show."""

    BEAT_S = 20.0  # show seconds between the operator's actions

    def __init__(self, clock: SpeedClock, logs: Logs, obs_link: Any, rng: random.Random) -> None:
        from studio_app.core.paths import sample_show_path
        from studio_app.core.settings import Settings
        from studio_app.show.emergency import default_runbooks_path, load_runbooks
        from studio_app.studio import Studio

        self.clock, self.logs, self.obs, self.rng = clock, logs, obs_link, rng
        self.path = sample_show_path()
        # Every action goes through the studio's one dispatcher, as the desk's do; the studio
        # sends each segment's scene and overlay to OBS itself (never awaited).
        self.studio = Studio(Settings(), logs, obs=obs_link, clock=clock,
                             runbooks=load_runbooks(default_runbooks_path()))
        self.runbooks = self.studio.emergency.runbooks
        self.actions = 0
        self.dispatched = 0  # through the dispatcher (runbook ticks go to the emergency desk)
        self.refused = 0
        self.shows = 0
        self.lateness = Histogram()
        self.firing_log: Any = None  # tests.soak.stalls.FiringLog: what fired each moment, how late
        self.route, self.loop_gap_ms = "tick", 0.0
        self.next_beat = 0.0
        self.incident: str | None = None
        self._new_show()

    @property
    def emergency(self) -> Any:
        return self.studio.emergency

    def _new_show(self) -> None:
        if self.incident is not None:  # the next show: incidents of the last one are closed
            self.emergency.close(self.incident, note="show over")
            self.incident = None
        self.desk = self.studio.load_show(self.path)
        self.shows += 1

    def act(self, action: str, **params: Any) -> Any:
        result = self.studio.dispatch(action, **params)
        self.actions += 1
        self.dispatched += 1
        self.refused += not result.ok
        return result

    def tick(self) -> None:
        """The desk's tick (GUI thread): phase changes and coupon moments due now."""
        self.studio.tick()
        for f in self.desk.last_firings:
            if f.scheduled is not None:
                self.lateness.add(f.lateness / self.clock.speed * 1000.0)  # real milliseconds
                if self.firing_log is not None:
                    self.firing_log.note(f.lateness / self.clock.speed * 1000.0, self.route, f.kind, f.action,
                                         self.loop_gap_ms)

    def step(self) -> None:
        """The operator's next move, if it is time (show clock)."""
        from studio_app.show.timing import Playback, remaining

        now = self.clock.now().mono
        st = self.desk.engine.state
        if st.playback == Playback.ENDED:
            self._new_show()
            return
        if st.playback == Playback.STANDBY:
            self.act("go")
            return
        if st.playback == Playback.RUNNING and remaining(st, self.desk.show, now) <= -self.rng.uniform(0, 3):
            if st.index >= len(self.desk.show.segments) - 1:
                self.act("end_show", confirm=True)
            else:
                self.act("go")
            return
        if now < self.next_beat:
            return
        self.next_beat = now + self.BEAT_S * self.rng.uniform(0.5, 1.5)
        self._beat()

    def _beat(self) -> None:
        d, rng = self.desk, self.rng
        from studio_app.show.timing import Playback

        if d.engine.state.playback == Playback.HOLD:  # a hold lasts one beat (the anchor is back)
            self.act("resume")
            return
        skus = [p.sku for p in d.show.products] or [""]
        roll = rng.random()
        if roll < 0.25:
            products = getattr(d.engine.segment, "products", ()) or ()
            if products:
                self.act("card_push_slot", slot=rng.randint(1, len(products)))
            else:
                self.act("card_push", sku=rng.choice(skus))
        elif roll < 0.40:
            self.act("stock_adjust", sku=rng.choice(skus), delta=rng.choice((-5, -2, -1, 3, 10)), reason="soak")
        elif roll < 0.55:
            if self.studio.state_dict()["message"]["visible"]:
                self.act("message_hide")
            else:
                self.act("message", text=rng.choice(("讲解福利", "看评论区", "stretch 30s", "倒数 10 秒")),
                         blink=rng.random() < 0.3)
        elif roll < 0.65:
            open_items = [i for i in d.scheduler.items.values() if i.status.open]
            if open_items and rng.random() < 0.3:
                self.act("coupon_delay", id=rng.choice(open_items).id, seconds=rng.choice((30, 60)))
            else:
                self.act("coupon_confirm")
        elif roll < 0.72:
            self.act("coupon_confirm")
        elif roll < 0.82:
            self._runbook()
        elif roll < 0.90:
            self.act("drill.stop" if self.emergency.drill else "drill.start")
        elif roll < 0.95:
            self.act("hold")
        else:
            self.act("add_time", seconds=rng.choice((-30, 30, 60)))

    def _runbook(self) -> None:
        """Open a runbook (its steps not run: the soak's faults mend themselves), tick its
        items, close it - over three beats, as a technician would."""
        em = self.emergency
        if self.incident is None:
            rb = self.rng.choice([r.id for r in self.runbooks])
            self.incident = em.open(rb, by="key", run="none").id
        else:
            inc = em.incident(self.incident)
            todo = [i + 1 for i, done in enumerate(inc.checked()) if not done]
            if todo:
                em.tick(self.incident, todo[0], by="desk")
            else:
                em.close(self.incident, note="soak")
                self.incident = None
        self.actions += 1


# ------------------------------------------------------------------------------ the run
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: ANN201 - one line, exit 2, as every command of the console
        self.exit(2, f"{self.prog}: error: {message}; see --help\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = _Parser(prog="./dev soak", description="Show-day endurance run (issue 20).")

    def positive(kind):  # noqa: ANN001, ANN202
        def conv(text: str):  # noqa: ANN202
            try:
                v = kind(text)
            except ValueError:
                raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
            if not (math.isfinite(v) and v > 0):
                raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
            return v
        return conv

    ap.add_argument("--minutes", type=positive(float), default=10.0, help="real minutes to run (default 10)")
    ap.add_argument("--speed", type=positive(float), default=1.0, help="show clock and desk pace factor (default 1)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the desk script and the fault schedule")
    ap.add_argument("--faults", choices=("on", "off"), default="on")
    ap.add_argument("--only", default="", help="comma-separated fault kinds to inject (default: all)")
    ap.add_argument("--gui-priority", choices=("normal", "high", "realtime"), default="normal",
                    help="the GUI loop thread's CPU priority, as the desk's general.gui_priority (default normal)")
    ap.add_argument("--display-priority", choices=("normal", "realtime"), default="normal",
                    help="the views' Xvfb (the studio's display server): normal, or realtime (SCHED_RR 1, "
                         "as KWin runs itself on Wayland); default normal")
    ap.add_argument("--trace-memory", action="store_true",
                    help="tracemalloc: what grew between warm-up and the end (slows the run)")
    ap.add_argument("--json", default=str(ROOT / "artifacts" / "soak.json"), help="result file (default artifacts/soak.json)")
    ns = ap.parse_args(argv)
    from tests.soak.parts import FAULTS

    unknown = {n.strip() for n in ns.only.split(",") if n.strip()} - set(FAULTS)
    if unknown:
        ap.error(f"--only: unknown fault kind(s) {', '.join(sorted(unknown))}; known: {', '.join(FAULTS)}")
    out = Path(ns.json)
    if out.is_dir() or (out.exists() and not out.is_file()):
        ap.error(f"--json {ns.json}: not a regular file")
    try:  # found out now, not after an hour's run
        out.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(out.parent, os.W_OK):
            raise PermissionError("not writable")
    except OSError as exc:
        ap.error(f"--json {ns.json}: cannot write there ({exc.strerror or exc})")
    if ns.minutes > 24 * 60 or ns.speed > 1000:
        ap.error("--minutes at most 1440, --speed at most 1000")
    return ns


class Soak:
    def __init__(self, ns: argparse.Namespace) -> None:
        self.ns = ns
        self.duration = ns.minutes * 60.0
        self.rng = random.Random(ns.seed)
        self.fault_rng = random.Random(ns.seed * 7919 + 1)
        self.faults: list = []
        self.stall = Histogram()
        self.gc = GcPauses()
        self.probe: StallProbe | None = None
        from tests.soak.stalls import FiringLog, MemoryWatch

        self.attribution: Any = None  # tests.soak.stalls.StallAttribution
        self.memory = MemoryWatch(getattr(ns, "trace_memory", False))
        self.firing_log = FiringLog()
        self.samples: dict[str, Any] = {}
        self.stop = threading.Event()
        self.chaos_error = ""
        self.crashed_parts: list[dict] = []  # parts that died with no fault injected (the soak restarts them)
        self.loop_errors = 0  # exceptions on the GUI loop (the show's tick or the operator's script)
        # Parts are broken and mended on threads that live as long as the run: OBS is started
        # with PR_SET_PDEATHSIG, which kills it when the *thread* that started it ends (a
        # restart from a short-lived fault thread died a few seconds later: found by the soak).
        from concurrent.futures import ThreadPoolExecutor

        self.hands = ThreadPoolExecutor(max_workers=2, thread_name_prefix="soak-hands")

    # -- set-up --------------------------------------------------------------------------
    def setup(self) -> None:
        from hardware.audio import MicWorker, SoundDeviceSource
        from hardware.camera.capture import CameraFeed, OpenCvSource
        from hardware.obs.link import ObsLink
        from studio_app.store.eventlog import EventLog
        from tests.soak.parts import Parts

        self.parts = p = Parts.start(say)
        self.sqlite_url = f"sqlite:///{p.disk.path / 'log.sqlite3'}"
        spool = p.base / "spool"  # the outboxes live on the data disk, not on the full one
        spool.mkdir()
        self.eventlogs = {
            "sqlite": EventLog(self.sqlite_url, room="soak", spool_path=spool / "sqlite.jsonl", retry_interval=0.5).start(),
            "postgres": EventLog(p.pg_url, room="soak", spool_path=spool / "pg.jsonl", retry_interval=0.5).start(),
        }
        self.urls = {"sqlite": self.sqlite_url, "postgres": p.pg_url}
        self.logs = Logs(self.eventlogs)
        say("starting the console's device workers")
        self.obs = ObsLink(p.obs.host, p.obs.port, p.obs.password, on_event=functools.partial(self.logs.log, "obs"))
        self.mic = MicWorker(SoundDeviceSource("pulse"), on_event=functools.partial(self.logs.log, "mic"), rescan_s=3600)
        self.camera = CameraFeed(OpenCvSource(p.camera.url), on_event=functools.partial(self.logs.log, "camera"))
        for w in (self.obs, self.mic, self.camera):
            w.start()
        self.mic.set_live(True)  # on air: silence is dead air
        self.clock = SpeedClock(self.ns.speed)
        self.desk = DeskScript(self.clock, self.logs, self.obs, self.rng)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(
                w.status.state.working for w in (self.obs, self.mic, self.camera)):
            time.sleep(0.2)
        say("devices: " + ", ".join(f"{w.status.device}={w.status.state}" for w in (self.obs, self.mic, self.camera)))
        from tests.soak.views import Views

        # The dock records room data into the local log's database, as the desk's does.
        self.logs.url, self.logs.room = self.sqlite_url, "soak"
        (p.base / "views").mkdir()
        self.views = p.views = Views(self.desk.studio, self.logs, p.base / "views", self.ns.speed, self.ns.seed)
        self.views.shot_dir = Path(self.ns.json).resolve().parent  # beside the JSON: the first DATA STALE
        self.views.own_work = lambda what: self.probe.own_work(what) if self.probe else contextlib.nullcontext()
        self.views.start(say)

    # -- faults (their own thread) ---------------------------------------------------------
    def chaos(self) -> None:
        try:
            self._chaos()
        except Exception as exc:  # noqa: BLE001 - a broken fault schedule fails the run, never silently
            import traceback

            traceback.print_exc()
            self.chaos_error = f"the fault schedule stopped: {exc!r}"

    def _chaos(self) -> None:
        from tests.soak.parts import FAULTS, FaultRun

        only = {n.strip() for n in self.ns.only.split(",") if n.strip()}
        kinds = [k for k in FAULTS.values() if (k.name != "sqlite_disk_full" or self.parts.disk.mounted)
                 and (not only or k.name in only)]
        deck: list = []
        end = self.t0 + self.duration
        self.stop.wait(min(20.0, self.duration * 0.1))  # a calm start (warm-up)
        while not self.stop.is_set():
            if not deck:
                deck = kinds[:]
                self.fault_rng.shuffle(deck)
            first = deck.pop()
            group = [first]
            other = [k for k in kinds if k.device != first.device and not (
                {k.device, first.device} <= {"db.sqlite", "db.postgres"})]
            if other and self.fault_rng.random() < 0.3:  # sometimes two at once, on different parts
                group.append(self.fault_rng.choice(other))
            holds = [self.fault_rng.uniform(*k.hold) for k in group]
            need = max(h + k.heal_s for h, k in zip(holds, group)) + 45.0  # restart + detection + recovery, with room on a loaded machine
            if time.monotonic() + need > end:
                break
            self._parts_ready(group)
            runs = [FaultRun(k) for k in group]
            threads_ = [threading.Thread(target=self._one_fault, args=(r, h, i * self.fault_rng.uniform(1, 4)),
                                         name=f"soak-fault-{r.kind.name}") for i, (r, h) in enumerate(zip(runs, holds))]
            for t in threads_:
                t.start()
            for t in threads_:
                t.join()
            self.faults.extend(runs)
            self.stop.wait(self.fault_rng.uniform(3.0, 10.0))

    def _parts_ready(self, group: list) -> None:
        """Before a fault: each part it breaks is running and the console sees it working.
        A part that died by itself (OBS 29 now and then exits under Xvfb within seconds of a
        restart) is reported in ``parts_crashed`` and restarted, as a technician would; a fault
        injected into a dead part would measure nothing and call the console unrecovered."""
        from tests.soak.parts import _obs_restart

        obs = self.parts.obs
        if any(k.device == "obs" for k in group) and not obs.running:
            code = obs.proc.poll() if obs.proc is not None else None
            try:
                tail = obs.log_path.read_text(errors="replace")[-600:]
            except OSError:
                tail = ""
            with self.logs._lock:  # what the console said about OBS last (it should say lost)
                said = [(round(t - self.t0, 1), k_) for t, s_, k_ in self.logs.timeline if s_ == "obs"][-3:]
            self.crashed_parts.append({"part": "obs", "found_at_s": round(time.monotonic() - self.t0, 1),
                                       "exit_code": code, "console_said": said, "log_tail": tail})
            say(f"OBS exited by itself (exit {code}), no fault injected: restarting it before the next fault")
            obs.proc = None
            try:
                self.hands.submit(_obs_restart, self.parts).result()
            except Exception as exc:  # noqa: BLE001 - reported; the next fault shows what follows
                say(f"  OBS did not restart: {exc}")
        deadline = time.monotonic() + 45.0
        while time.monotonic() < deadline and not self.stop.is_set() and not all(
                self.working(k.device) for k in group):
            time.sleep(0.2)

    def _one_fault(self, run: Any, hold: float, delay: float) -> None:
        if self.stop.wait(delay):
            return
        k = run.kind
        say(f"fault: {k.name} for {hold:.1f} s")
        run.injected = time.monotonic()
        try:
            self.hands.submit(k.inject, self.parts).result()
        except Exception as exc:  # noqa: BLE001 - a fault that cannot be injected is reported, not fatal
            run.error = f"inject: {exc}"
            self.hands.submit(k.heal, self.parts).result()  # undo whatever half of it happened
            run.healed = time.monotonic()
            return
        self.stop.wait(hold)
        for attempt in range(3):
            try:
                self.hands.submit(k.heal, self.parts).result()
                break
            except Exception as exc:  # noqa: BLE001
                run.error = f"heal: {exc}"
                time.sleep(1.0)
        run.healed = time.monotonic()
        if k.probe is not None:
            self.hands.submit(k.probe, self.parts)
        run.detected = self.logs.first(k.device, k.detect, run.injected)
        limit = time.monotonic() + 40.0
        while time.monotonic() < limit:
            run.detected = run.detected or self.logs.first(k.device, k.detect, run.injected)
            if run.detected is not None:
                after = max(run.detected, run.healed) if k.recover_after_heal else run.detected
                run.recovered = self.logs.first(k.device, k.recover, after)
                if run.recovered is not None:
                    break
            time.sleep(0.1)
        for symptom in sorted(k.requires):
            seen = self.logs.first(k.device, frozenset({symptom}), run.injected)
            if seen is None or (run.recovered is not None and seen > run.recovered):
                run.missing.append(symptom)
        if run.missing:
            run.notes.append(f"never shown: {', '.join(run.missing)}")
            say("  " + run.notes[-1])
        if run.detected is None:
            with self.logs._lock:
                seen = [(round(t - run.injected, 2), k_) for t, s_, k_ in self.logs.timeline if s_ == k.device][-8:]
            run.notes.append(f"not detected; {k.device}'s last events (s after injection): {seen}")
            say("  " + run.notes[-1])
        if run.detected is None and self.working(k.device):
            run.recovered = time.monotonic()  # never seen as broken (reported as undetected), working now
        if run.recovered is None:  # say where the console is stuck: every thread's stack
            import faulthandler

            say(f"  {k.name} NOT recovered; threads:")
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        time.sleep(2.0)  # let retries settle before counting threads and files
        run.threads_after, run.fds_after = threads(), fds()
        start = self.samples.get("thread_names_start", {})
        run.threads_extra = sorted(n for n, c in thread_names().items() if c > start.get(n, 0))
        say(f"  {k.name}: detected {_fmt(run.detect_s)} s, recovered {_fmt(run.recover_s)} s after the part came back")

    def _deck_slowest(self) -> list[dict]:
        """The good deck's slowest answers, each with the faults under way when it pressed."""
        out = []
        for ms, at, via in sorted(self.views.deck_slowest, reverse=True):
            during = sorted({r.kind.name for r in self.faults if r.injected <= at <= (r.recovered or r.healed or at)})
            out.append({"ms": ms, "at_s": round(at - self.t0, 1), "via": via, "faults": during})
        return out

    def working(self, device: str) -> bool:
        """Whether the console sees ``device`` working now (a fault that was never detected)."""
        from hardware.supervisor import DeviceState
        from studio_app.store.eventlog import LogHealth

        if device.startswith("db."):
            return self.eventlogs[device[3:]].status.health in (LogHealth.OK, LogHealth.WARNING)
        if device in ("room", "remote", "phone"):
            return self.views.working(device)
        worker = {"obs": self.obs, "mic": self.mic, "camera": self.camera}[device]
        return worker.status.state.working and worker.status.state is not DeviceState.DEAD_AIR

    # -- the GUI loop ---------------------------------------------------------------------
    def run(self) -> dict:
        from tests.soak.views import start_display

        self.display = start_display()  # the views' own X display (the cue screen, the dock)
        from PySide6.QtCore import Qt, QTimer
        from studio_app.ui.app import create_application

        app = create_application()  # as the desk does (its accessibility bridge before any worker)
        from studio_app.ui import i18n, theme

        self.language = i18n.install(app, "zh_CN")  # the views as a studio's desk shows them:
        theme.apply(app)  # in Chinese, in the dark theme (its style sheet is part of every paint)
        from studio_app.core.priority import favour_the_gui

        # as the desk does: the GUI thread, and the console's other threads behind it
        self.priority, workers_ahead = favour_the_gui(getattr(self.ns, "gui_priority", "normal"))
        self.workers_ahead = workers_ahead
        say(f"GUI loop thread priority: {self.priority}")
        from tests.soak.views import favour_display

        self.display_priority = favour_display(self.display, getattr(self.ns, "display_priority", "normal"))
        say(f"views' display server priority: {self.display_priority}")
        self.setup()
        from studio_app.core.heap import HeapTrimmer, freeze_startup_heap

        freeze_startup_heap()  # as the desk does once it has painted
        trimmer = HeapTrimmer().start()  # and its heap trimming
        # The baseline once everything is up and every client connected (servers' threads,
        # the clients' sockets), so "back to start" compares like with like.
        settle = time.monotonic() + 3.0
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.02)
        # the show's collections, not start-up's
        self.gc.hist, self.gc.by_gen, self.gc.cpu_by_gen = Histogram(), [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
        self.gc.count_by_gen = [0, 0, 0]
        self.t0 = time.monotonic()
        self.memory.rebase(self.t0)  # the series in seconds of the run, as its warm-up
        self.samples["rss_start"], self.samples["threads_start"], self.samples["fds_start"] = rss_mb(), threads(), fds()
        self.samples["thread_names_start"], self.samples["fd_kinds_start"] = thread_names(), fd_kinds()
        warm_at = self.t0 + warm_up_s(self.duration)
        frame_ms = 16
        self.probe = StallProbe(self.stall, self.gc, frame_ms)
        from tests.soak.stalls import StallAttribution

        self.attribution = StallAttribution(frame_ms, self.gc)
        self.desk.firing_log = self.firing_log

        def frame() -> None:  # what a prompter repaint at 62.5 Hz would see
            t_prev = self.probe._last[0]
            self.probe.tick()
            self.attribution.frame(t_prev, self.probe._last[0])
            t = time.monotonic()
            if "rss_warm" not in self.samples and t >= warm_at:
                self.samples["rss_warm"], self.samples["t_warm"] = rss_mb(), t
                self.memory.mark("warm")
            elif "t_mid" not in self.samples and t >= (self.samples.get("t_warm", t) + self.t0 + self.duration) / 2:
                self.samples["t_mid"] = t
                self.memory.mark("mid")  # half-way: what still grows in the second half grows all show
            if t >= self.t0 + self.duration:
                app.quit()

        precise = QTimer(singleShot=True, timerType=Qt.TimerType.PreciseTimer)

        def arm() -> None:
            nd = self.desk.desk.next_deadline()
            if nd is None:
                return
            ms = max(0, int((self.clock.to_real(nd) - time.monotonic()) * 1000))
            if not precise.isActive() or precise.remainingTime() > ms:
                precise.start(ms)

        def tick(route: str = "tick") -> None:
            try:
                self.desk.route, self.desk.loop_gap_ms = route, (time.perf_counter() - self.probe._last[0]) * 1000.0
                self.desk.tick()
                self.desk.step()
                arm()
            except Exception:  # noqa: BLE001 - counted and fails the run; the loop goes on as the desk's would
                import traceback

                self.loop_errors += 1
                if self.loop_errors <= 5:
                    traceback.print_exc()

        precise.timeout.connect(functools.partial(tick, "precise"))
        timers = []
        for ms, fn, kind in ((frame_ms, frame, Qt.TimerType.PreciseTimer), (50, tick, Qt.TimerType.PreciseTimer)):
            t = QTimer(timerType=kind)
            t.timeout.connect(fn)
            t.start(ms)
            timers.append(t)
        self.probe.restart()  # the first frame counts from here, not from the probes' own set-up above
        chaos = threading.Thread(target=self.chaos, name="soak-chaos", daemon=True)
        heartbeat = threading.Thread(target=self._heartbeat, name="soak-heartbeat", daemon=True)
        if self.ns.faults == "on":
            chaos.start()
        heartbeat.start()
        say(f"running {self.ns.minutes:g} min at speed {self.ns.speed:g} (faults {self.ns.faults})")
        app.exec()
        try:
            self.views.counting = False  # the show is over: what follows is the soak's own end work
            self.probe.close()
            self.attribution.close()
            trimmer.stop()
            if workers_ahead is not None:
                workers_ahead.stop()
            for t in timers:
                t.stop()
            precise.stop()
            self.stop.set()
            chaos.join(120) if chaos.is_alive() else None
            heartbeat.join(5)
            self.hands.shutdown(wait=True)
            time.sleep(3.0)  # the last recoveries' retries settle
            # Measured with everything still running, as at the start (not after tear-down).
            self.samples["rss_end"], self.samples["threads_end"], self.samples["fds_end"] = rss_mb(), threads(), fds()
            self.samples["thread_names_end"], self.samples["fd_kinds_end"] = thread_names(), fd_kinds()
            self.memory.mark("end")
            t_end = time.monotonic()
        finally:
            # The clients are processes of their own: whatever failed above, they are told to
            # quit (a crash in the end census once left the room bridge running).
            self.close_views()
        self.desk.studio.close()
        return self.finish(t_end)

    def close_views(self) -> None:
        """Stop the clients and servers of the views, once; their reports kept for the result."""
        views = getattr(self, "views", None)
        if views is None or getattr(self, "view_reports", None) is not None:
            return
        self.view_reports = {}  # once, even if closing fails
        self.view_reports = views.close()

    def _heartbeat(self) -> None:
        """One event a second, as the desk's own logging does; gives every outage writes to fail."""
        n = 0
        while not self.stop.wait(1.0):
            n += 1
            self.logs.log("system", "soak.heartbeat", f"heartbeat {n}", 10, {"n": n, "rss_mb": round(rss_mb(), 1)})

    def finish(self, t_end: float) -> dict:
        from tests.soak.parts import FAULTS

        for w in (self.obs, self.mic, self.camera):
            w.stop()
        logged = {name: log_seq(log) for name, log in self.eventlogs.items()}
        for log in self.eventlogs.values():
            log.close(timeout=30)
        written = lost = dup = 0
        for name, log in self.eventlogs.items():
            w, l_, d = count_written(self.urls[name], log, logged[name])
            written, lost, dup = written + w, lost + l_, dup + d
        s = self.samples
        warm, t_warm = s.get("rss_warm", s["rss_start"]), s.get("t_warm", self.t0)
        hours = max(1e-9, (t_end - t_warm) / 3600.0)
        growth_two = round((s["rss_end"] - warm) / warm * 100.0 / hours, 2)
        growth_fit = rss_trend_pct_per_hour(self.memory.samples["series"], t_warm - self.t0, warm)
        faults = []
        for name in FAULTS:
            runs = [r for r in self.faults if r.kind.name == name]
            if not runs:
                continue
            det = [r.detect_s for r in runs if r.detect_s is not None]
            rec = [r.recover_s for r in runs if r.recover_s is not None]
            faults.append({
                "kind": name, "count": len(runs),
                "detect_s_max": round(max(det), 2) if det else None,
                "recover_s_max": round(max(rec), 2) if rec else None,
                "unrecovered": sum(1 for r in runs if r.recovered is None),
                "undetected": sum(1 for r in runs if r.detected is None),
                "symptoms_missing": sorted({m for r in runs for m in r.missing}),
                "threads_after_max": max((r.threads_after for r in runs if r.threads_after is not None), default=None),
                "fds_after_max": max((r.fds_after for r in runs if r.fds_after is not None), default=None),
                "threads_extra_after": sorted({n for r in runs for n in r.threads_extra}),
                "errors": sorted({r.error for r in runs if r.error}),
            })
        room = self.views.room_check(self.sqlite_url)
        reports = self.view_reports
        dispatched = {"desk": self.desk.dispatched, **{via: n for via, n in self.views.remote_by_via.items()}}
        logged_by = dict(self.logs.desk_actions)
        result = {
            "duration_s": round(t_end - self.t0, 1),
            "speed": self.ns.speed, "seed": self.ns.seed, "faults_on": self.ns.faults == "on",
            "show_hours_compressed": round((t_end - self.t0) * self.ns.speed / 3600.0, 2),
            "actions": self.desk.actions, "actions_refused": self.desk.refused, "shows_run": self.desk.shows,
            "events_logged": sum(logged.values()), "events_written": written,
            "events_lost": lost, "events_duplicated": dup,
            "rss_mb": {"start": round(s["rss_start"], 1), "warm": round(warm, 1), "end": round(s["rss_end"], 1)},
            # the trend of every 20 s sample after warm-up (two single samples land on the trim's
            # sawtooth); the two-sample figure and the trend from 2 min (the earlier warm-up) beside it
            "rss_growth_pct_per_hour": growth_fit if growth_fit is not None else growth_two,
            "rss_growth_two_samples_pct_per_hour": growth_two,
            "rss_growth_fit_pct_per_hour": growth_fit,
            "rss_growth_fit_from_2min_pct_per_hour": rss_trend_pct_per_hour(self.memory.samples["series"], 120.0, warm),
            "rss_warm_up_s": round(t_warm - self.t0, 1),
            "threads": {"start": s["threads_start"], "end": s["threads_end"]},
            "fds": {"start": s["fds_start"], "end": s["fds_end"]},
            "gui_stall_ms": {"p99": self.stall.pct(99), "max": round(self.stall.max, 1),
                             "measured": "lateness of a 16 ms Qt PreciseTimer on the QApplication loop (Xvfb) "
                                         "that ticks the show and paints the cue screen's scrolling "
                                         "prompter and the live-room dock",
                             "excluded": self.probe.excluded if self.probe else []},
            "gui_stalls_over_16ms": self.probe.causes_dict() if self.probe else {},
            "gui_stall_where": self.probe.where_list() if self.probe else [],
            "gui_stall_busy_threads": self.probe.busy_list() if self.probe else [],
            "gc_pause_ms": {"p99": self.gc.hist.pct(99), "max": round(self.gc.hist.max, 1),
                            "max_by_generation": [round(x, 1) for x in self.gc.by_gen], "count": self.gc.hist.n,
                            "max_cpu_by_generation": [round(x, 1) for x in self.gc.cpu_by_gen],
                            "count_by_generation": list(self.gc.count_by_gen)},
            "firing_lateness_ms": {"p50": self.desk.lateness.pct(50), "p99": self.desk.lateness.pct(99),
                                   "count": self.desk.lateness.n},
            "gui_priority": getattr(self, "priority", "normal"),
            "display_priority": getattr(self, "display_priority", "normal"),
            # realtime: threads put back to normal priority for a while, over their CPU budget
            "rt_demotions": dict(getattr(getattr(self, "workers_ahead", None), "demotions", None) or {}),
            "rt_demotion_log": [list(d) for d in getattr(getattr(self, "workers_ahead", None), "demotion_log", ())],
            "gui_stall_attribution": self.attribution.result() if self.attribution else {},
            "firings": self.firing_log.result(),
            "memory": self.memory.result(),
            "faults": faults,
            "fault_schedule_error": self.chaos_error,
            "parts_crashed": self.crashed_parts,
            "gui_loop_errors": self.loop_errors,
            "sqlite_disk": self.parts.disk.how,
            "thread_names": {"start": s["thread_names_start"], "end": s["thread_names_end"]},
            "fd_kinds": {"start": s["fd_kinds_start"], "end": s["fd_kinds_end"],
                         "differ": {k: s["fd_kinds_end"].get(k, 0) - s["fd_kinds_start"].get(k, 0)
                                    for k in sorted(set(s["fd_kinds_start"]) | set(s["fd_kinds_end"]))
                                    if s["fd_kinds_end"].get(k, 0) != s["fd_kinds_start"].get(k, 0)}},
            "room_messages": {**room, "bridge": reports.get("room", {}),
                              "refused_by_reason": self.views.refusals()},
            "remote": {"actions_by_via": dict(self.views.remote_by_via), "results": dict(self.views.remote_status),
                       "client": reports.get("remote", {}),
                       "deck_press_ms": {"max": max(self.views.deck_ms, default=None),
                                         "max_while_misbehaving": max(self.views.deck_ms_misbehaving, default=None),
                                         "presses_while_misbehaving": len(self.views.deck_ms_misbehaving),
                                         "slowest": self._deck_slowest()},
                       "refusals_logged": dict(self.views.watch.counts) if self.views.watch else {}},
            "desk_actions": {"dispatched": dispatched, "logged": logged_by,
                             "mismatched": sorted(by for by in dispatched if dispatched[by] != logged_by.get(by, 0))},
            "views": {"cue_screen_paints": reports.get("cue_screen_paints"), "phone": reports.get("phone", {}),
                      "client_exit_codes": reports.get("exit_codes", {}),
                      "display": "QApplication on Xvfb 1920x1080 (xcb)", "language": self.language,
                      "theme": "dark", "screenshots": self.views.shots},
            "not_covered": ["the desk's main window (its docks, tables and keys; the soak shows the cue screen and "
                            "the live-room dock on the same loop)"],
        }
        self.parts.close()
        return result


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def failed(result: dict) -> list[str]:
    why = []
    if result["events_lost"]:
        why.append(f"{result['events_lost']} events lost")
    if result["events_duplicated"]:
        why.append(f"{result['events_duplicated']} events duplicated")
    if result.get("gui_loop_errors"):
        why.append(f"{result['gui_loop_errors']} exceptions on the GUI loop")
    if result.get("fault_schedule_error"):
        why.append(result["fault_schedule_error"])
    room = result.get("room_messages", {})
    if room.get("lost") or room.get("duplicated"):
        why.append(f"room messages: {room.get('lost')} lost, {room.get('duplicated')} duplicated")
    for name, rc in result.get("views", {}).get("client_exit_codes", {}).items():
        if rc:  # the soak did not cover what it says it did
            why.append(f"the {name} client died (exit {rc})")
    if result.get("desk_actions", {}).get("mismatched"):
        why.append(f"desk.action events do not match the actions run: {result['desk_actions']}")
    for f in result["faults"]:
        if f.get("symptoms_missing"):
            why.append(f"{f['kind']}: never shown: {', '.join(f['symptoms_missing'])}")
        if f["unrecovered"]:
            why.append(f"{f['kind']}: {f['unrecovered']} of {f['count']} not recovered")
    return why


def _slow_press(p: dict) -> str:
    return f"{_fmt(p['ms'])} ms at {p['at_s']:.0f} s ({', '.join(p['faults']) or 'no fault'})"


def stall_rows(r: dict) -> list[str]:
    from tests.soak.stalls import table_rows

    return table_rows(r["gui_stall_attribution"]) if r.get("gui_stall_attribution") else []


def table(result: dict) -> str:
    r = result
    lines = [
        f"duration {r['duration_s']:.0f} s at speed {r['speed']:g} (= {r['show_hours_compressed']:.2f} show hours), "
        f"seed {r['seed']}, {r['actions']} desk actions, {r['shows_run']} show runs",
        "",
        "| measure | value |", "|---|---|",
        f"| events logged / written | {r['events_logged']} / {r['events_written']} |",
        f"| events lost / duplicated | {r['events_lost']} / {r['events_duplicated']} |",
        f"| RSS MB start / warm / end | {r['rss_mb']['start']} / {r['rss_mb']['warm']} / {r['rss_mb']['end']} |",
        f"| RSS growth after warm-up ({_fmt(r.get('rss_warm_up_s'))} s) | {r['rss_growth_pct_per_hour']} %/h, the trend of "
        f"the 20 s samples (warm and end alone: {_fmt(r.get('rss_growth_two_samples_pct_per_hour'))} %/h; the trend "
        f"from 2 min: {_fmt(r.get('rss_growth_fit_from_2min_pct_per_hour'))} %/h) |",
        f"| threads start / end | {r['threads']['start']} / {r['threads']['end']} |",
        f"| fds start / end | {r['fds']['start']} / {r['fds']['end']}"
        + "".join(f"; {n:+d} {k}" for k, n in r.get("fd_kinds", {}).get("differ", {}).items()) + " |",
        f"| GUI loop stall p99 / max | {r['gui_stall_ms']['p99']} / {r['gui_stall_ms']['max']} ms |",
        *[f"| kept out of the stalls: the soak's own {x['what']} | {x['ms']} ms on the GUI thread |"
          for x in r["gui_stall_ms"].get("excluded", [])],
        *[f"| frames late > 16 ms: {k} | {v['count']}, worst {v['max_ms']} ms |"
          for k, v in r["gui_stalls_over_16ms"].items()],
        *[f"| GUI thread during a stall > 40 ms: `{w['where']}` | {w['count']}x, worst {w['max_ms']} ms |"
          for w in r.get("gui_stall_where", [])[:3]],
        *[f"| busiest thread during a stall > 40 ms: {b['thread']} | {b['count']}x, up to {b['cpu_ms_max']} ms CPU |"
          for b in r.get("gui_stall_busy_threads", [])[:3]],
        f"| garbage collection pause p99 / max (gen 0/1/2 max) | {r['gc_pause_ms']['p99']} / {r['gc_pause_ms']['max']} ms "
        f"({' / '.join(str(x) for x in r['gc_pause_ms']['max_by_generation'])}) |",
        f"| garbage collections gen 0/1/2: count, max CPU | "
        f"{' / '.join(str(x) for x in r['gc_pause_ms']['count_by_generation'])}, "
        f"{' / '.join(str(x) for x in r['gc_pause_ms']['max_cpu_by_generation'])} ms |",
        *stall_rows(r),
        f"| coupon firing lateness p50 / p99 | {r['firing_lateness_ms']['p50']} / {r['firing_lateness_ms']['p99']} ms "
        f"({r['firing_lateness_ms']['count']} firings) |",
        "",
        f"| room messages accepted / stored, lost / duplicated | {r['room_messages']['accepted']} / "
        f"{r['room_messages']['stored']}, {r['room_messages']['lost']} / {r['room_messages']['duplicated']} |",
        f"| room refusals by reason | {', '.join(f'{k} {v}' for k, v in r['room_messages']['refused_by_reason'].items()) or '-'} |",
        f"| remote actions run (http / ws / osc) | {' / '.join(str(r['remote']['actions_by_via'].get(v, 0)) for v in ('http', 'ws', 'osc'))} |",
        f"| remote refusals logged | {', '.join(f'{k} {v}' for k, v in r['remote']['refusals_logged'].items()) or '-'} |",
        f"| the good deck's press to answer, max / max while a client misbehaved (presses) | "
        f"{_fmt(r['remote']['deck_press_ms']['max'])} / {_fmt(r['remote']['deck_press_ms']['max_while_misbehaving'])} ms "
        f"({r['remote']['deck_press_ms']['presses_while_misbehaving']}) |",
        f"| the good deck's slowest answers (at, faults under way) | "
        f"{'; '.join(_slow_press(p) for p in r['remote']['deck_press_ms'].get('slowest', [])) or '-'} |",
        f"| desk.action events: dispatched / logged | {r['desk_actions']['dispatched']} / {r['desk_actions']['logged']} |",
        f"| cue screen frames painted; phone page states received | {r['views']['cue_screen_paints']}; "
        f"{r['views']['phone'].get('messages')} ({r['views']['phone'].get('connects')} connects) |",
        "",
        "| fault | count | detected within (max) | recovered within (max) | unrecovered | not seen (no effect) | threads / fds after (max) |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in r["faults"]:
        lines.append(f"| {f['kind']} | {f['count']} | {_fmt(f['detect_s_max'])} s | {_fmt(f['recover_s_max'])} s | "
                     f"{f['unrecovered']} | {f['undetected']} | {f['threads_after_max']} / {f['fds_after_max']} |")
    lines += crash_lines(r)
    return "\n".join(lines)


def crash_lines(r: dict) -> list[str]:
    """Parts that died with no fault injected, in words under the faults' table."""
    return [f"\n{c['part']} exited by itself (exit {c['exit_code']}, no fault injected), found at "
            f"{c['found_at_s']} s and restarted; the console last said {c['console_said']}"
            for c in r.get("parts_crashed", [])]


PART_ERRORS = (RuntimeError, OSError, TimeoutError)  # ObsStartError and the harness' RuntimeErrors


def main(argv: list[str] | None = None) -> int:
    ns = parse_args(argv)
    from studio_app.core.heap import keep_big_blocks_out_of_the_heap

    keep_big_blocks_out_of_the_heap()  # as the desk does first thing (studio_app.ui.app.run_desk)
    soak = Soak(ns)
    try:
        result = soak.run()
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except PART_ERRORS as exc:
        if getattr(soak, "t0", None) is not None:
            raise
        print(f"soak: a real part cannot start: {exc}", file=sys.stderr)
        return 3
    finally:
        if getattr(soak, "views", None) is not None:
            soak.close_views()  # not done when the run failed before its end
        display = getattr(soak, "display", None)
        if display is not None:
            display.stop()
        parts = getattr(soak, "parts", None)
        if parts is not None and parts.base.exists():
            from tests.soak.parts import stop_everything_frozen
            stop_everything_frozen(parts)
            parts.close()
    out = Path(ns.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    why = failed(result)
    if why:
        print("FAILED: " + "; ".join(why))
        return 1
    print(f"passed: nothing lost, every fault recovered ({out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
