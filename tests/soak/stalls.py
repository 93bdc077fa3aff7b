"""Why the GUI loop was late, why a coupon fired late, and what memory grew (issue 20).

The soak's :class:`~tests.soak.runner.StallProbe` measures the lateness of a 16 ms frame
timer. This module says, for every long stall (over ``LONG_MS``), where the time went, from
the kernel's own accounting rather than guesses:

- the GUI thread's ``/proc/self/task/<tid>/schedstat``: nanoseconds it ran, nanoseconds it
  was runnable but waited on a run queue (CPU starvation), and the rest, when it slept (its
  idle wait for the timer, or blocked: on the interpreter lock, a Python lock, a system call);
- every other thread of the process over the stall (ran / waited, same source), and the
  Python stack of the busiest of ours, sampled by a watchdog thread while the stall lasts
  (``sys._current_frames``), so "blocked on the interpreter lock" names who held it;
- garbage collections that overlapped it, and the whole machine's CPU (``/proc/stat``):
  how much of it went to other processes.

:class:`FiringLog` keeps, for every coupon or flash-sale moment, what fired it (the precise
single shot armed at its deadline, or the 50 ms tick) and its lateness. :class:`MemoryWatch`
compares ``tracemalloc`` snapshots at warm-up and at the end (``--trace-memory``) and reads
glibc's ``mallinfo2`` (bytes in use vs held free by the allocator).
"""
from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

LONG_MS = 30.0  # a stall this long is attributed one by one
WATCH_POLL_S = 0.005
MAX_RECORDS = 40


def _schedstat(path: str) -> tuple[int, int] | None:
    """(ns on a CPU, ns runnable but waiting for one) from a ``schedstat`` file."""
    try:
        with open(path, "rb") as f:
            run, wait, _slices = f.read().split()
        return int(run), int(wait)
    except (OSError, ValueError):
        return None


def _read_schedstat(tid: int) -> tuple[int, int] | None:
    """(ns on a CPU, ns runnable but waiting for one) of thread ``tid`` of this process."""
    return _schedstat(f"/proc/self/task/{tid}/schedstat")


# x86-64 numbers of the system calls a blocked GUI thread is found in (others by number)
_SYSCALLS = {0: "read", 1: "write", 7: "poll", 17: "pread64", 18: "pwrite64", 19: "readv", 20: "writev",
             23: "select", 35: "nanosleep", 44: "sendto", 45: "recvfrom", 46: "sendmsg", 47: "recvmsg",
             74: "fsync", 75: "fdatasync", 202: "futex", 230: "clock_nanosleep", 232: "epoll_wait",
             270: "pselect6", 271: "ppoll", 281: "epoll_pwait", 441: "epoll_pwait2"}


_INTERPRETER: dict[str, list[tuple[int, int]]] = {}  # pid -> address ranges of the interpreter's own data


def _interpreter_ranges(pid: str) -> list[tuple[int, int]]:
    """Where the Python runtime's static data is mapped in process ``pid``: the interpreter
    lock lives there, a Qt or libxcb lock (the X connection's reply wait) does not."""
    if pid not in _INTERPRETER:
        ranges = _INTERPRETER[pid] = []
        try:
            with open(f"/proc/{pid}/maps") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 6 and "python3" in parts[5].rsplit("/", 1)[-1] and "w" in parts[1]:
                        lo, hi = parts[0].split("-")
                        ranges.append((int(lo, 16), int(hi, 16)))
        except OSError:
            pass
    return _INTERPRETER[pid]


def kernel_where(tid: int | str, pid: str = "self") -> str:
    """Where thread ``tid`` is in the kernel now: its state, the system call it is in (or
    ``page fault`` when blocked outside one) and the kernel function it sleeps in (wchan); a
    futex of this process is told apart as the interpreter lock or another lock."""
    base = f"/proc/{pid}/task/{tid}"
    try:
        with open(f"{base}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state == "R":
            return "R running"
        with open(f"{base}/syscall") as f:
            fields = f.read().split()
        with open(f"{base}/wchan") as f:
            wchan = f.read().strip() or "?"
    except (OSError, IndexError):
        return "?"
    nr = fields[0] if fields else "?"
    call = "page fault" if nr == "-1" else nr if not nr.isdigit() else _SYSCALLS.get(int(nr), f"syscall {nr}")
    if call == "futex" and len(fields) > 1:
        addr = int(fields[1], 16)
        ours = any(lo <= addr < hi for lo, hi in _interpreter_ranges(pid))
        call = "futex (the interpreter lock)" if ours else "futex (not the interpreter lock)"
    return f"{state} {call} in {wchan}"


def _majflt(tid: int) -> int | None:
    """Major page faults of thread ``tid`` (each one waited for the disk)."""
    try:
        with open(f"/proc/self/task/{tid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[9])
    except (OSError, IndexError, ValueError):
        return None


def x_server_pid() -> int | None:
    """The Xvfb this process started (the views' display), if any."""
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as f:
                kids = f.read().split()
        except OSError:
            continue
        for kid in kids:
            try:
                with open(f"/proc/{kid}/comm") as f:
                    if f.read().strip() == "Xvfb":
                        return int(kid)
            except OSError:
                continue
    return None


def _proc_schedstat(pid: int | None) -> tuple[int, int] | None:
    return None if pid is None else _schedstat(f"/proc/{pid}/schedstat")


def all_threads() -> dict[int, tuple[int, int]]:
    out = {}
    for name in os.listdir("/proc/self/task"):
        s = _read_schedstat(int(name))
        if s is not None:
            out[int(name)] = s
    return out


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, all CPUs."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


def _thread_name(tid: int, names: dict[int, str]) -> str:
    if tid in names:
        return names[tid]
    try:
        with open(f"/proc/self/task/{tid}/comm") as f:
            return f"native {f.read().strip()}"
    except OSError:
        return f"thread {tid}"


def _where(frame: Any, depth: int = 3) -> str:
    """The innermost ``depth`` lines (no source lines read: cheap enough right after a stall)."""
    out = []
    while frame is not None and len(out) < depth:
        name = frame.f_code.co_filename
        if not name.endswith(("soak/runner.py", "soak/stalls.py", "runpy.py", "threading.py")):
            out.append(f"{Path(name).name}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(out) or "(no Python frame)"


def run_like(tid: int) -> str:
    """Give the calling thread (one of the soak's instruments) the scheduling of thread ``tid``,
    the GUI thread's, one real-time level below it where it can (as the console's own workers
    run at ``realtime``). At ``--gui-priority realtime`` an instrument at normal priority would
    be preempted by the busy machine while it holds the interpreter lock, and the GUI thread
    would wait for it; at the GUI thread's own level it would take CPU time from the very thread
    it measures (a 40-minute run: the stall watch ran 15 ms of the worst 74.5 ms stall while the
    GUI thread waited 20 ms for a CPU). Either is a stall of the soak's own making that no desk
    has. Returns what it did."""
    if not sys.platform.startswith("linux"):
        return "unchanged"
    try:
        policy, param = os.sched_getscheduler(tid) & ~os.SCHED_RESET_ON_FORK, os.sched_getparam(tid)
        if policy == os.SCHED_OTHER:
            return "unchanged"
        level = max(os.sched_get_priority_min(policy), param.sched_priority - 1)
        os.sched_setscheduler(threading.get_native_id(), policy, os.sched_param(level))
        return f"policy {policy}, priority {level}"
    except OSError as exc:
        return f"unchanged ({exc.strerror or exc})"


class StallAttribution:
    """Call :meth:`frame` from the GUI loop's frame timer (on the GUI thread) with the
    previous and this frame's ``perf_counter``; long stalls are attributed one by one."""

    CAUSES = ("CPU starvation: runnable, not scheduled",
              "blocked on the interpreter lock (another thread of ours ran)",
              "blocked on the interpreter lock held by a thread of ours waiting for a CPU",
              "blocked (a lock or a system call; no thread of ours ran)",
              "garbage collection",
              "GUI thread's own work",
              "waiting for the X server, itself waiting for a CPU")

    def __init__(self, frame_ms: float, gc_pauses: Any, long_ms: float = LONG_MS) -> None:
        self.frame_ms, self.gc, self.long_ms = frame_ms, gc_pauses, long_ms
        self.gui_tid = threading.get_native_id()
        self.gui_ident = threading.get_ident()
        self.causes: dict[str, list[float]] = {c: [0, 0.0, 0.0] for c in self.CAUSES}  # count, worst, sum ms
        self.records: dict[str, list[dict]] = {}  # cause -> its worst stalls
        self.holders: dict[str, list[float]] = {}  # thread: where -> [count, worst stall ms]
        self.blocked_in: dict[str, list[float]] = {}  # the GUI thread's kernel place -> [count, worst stall ms]
        self._kernel: dict[str, int] = {}  # kernel_where samples of the GUI thread in the stall in progress
        self._kernel_t0 = 0.0
        self._x_pid = x_server_pid()
        self.starvation = {"stall_ms": 0.0, "gui_runq_ms": 0.0, "others_cpu_ms": 0.0, "ours_cpu_ms": 0.0}
        self._gui_last = self._gui_first = _read_schedstat(self.gui_tid)
        self._last_t = time.perf_counter()
        self._base: dict | None = None  # every thread's schedstat, taken by the watchdog between stalls
        self._snap: dict | None = None  # the Python stacks the watchdog saw during a stall in progress
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watchdog, name="soak-stall-attribution", daemon=True)
        self._watch.start()

    # -- the GUI thread -------------------------------------------------------------------
    def frame(self, t0: float, t: float) -> None:
        gui = _read_schedstat(self.gui_tid)
        before, self._gui_last, self._last_t = self._gui_last, gui, t
        stall = (t - t0) * 1000.0 - self.frame_ms
        if stall < self.long_ms or gui is None or before is None:
            with self._lock:
                self._snap = None
            return
        with self._lock:
            stacks, self._snap = self._snap, None
            base = self._base
            kernel, self._kernel = (self._kernel if self._kernel_t0 == t0 else {}), {}
        snap = None
        if base is not None and base["t"] <= t:  # the process and the machine from just before the stall
            if stacks is None or stacks["t0"] != t0:  # the watchdog could not run (the lock was held): look now,
                stacks = self._stacks(t0, base["watch_tid"])  # a holder has only just let go of it
                stacks["gui_where"] = "(sampled after the stall)"
            snap = {**base, **stacks}
        self._attribute(t0, t, stall, (gui[0] - before[0]) / 1e6, (gui[1] - before[1]) / 1e6, snap, kernel)

    def _attribute(self, t0: float, t: float, stall: float, run_ms: float, runq_ms: float, snap: dict | None,
                   kernel: dict[str, int] | None = None) -> None:
        wall = (t - t0) * 1000.0
        blocked = max(0.0, wall - run_ms - runq_ms - self.frame_ms)  # asleep beyond its idle wait for the timer
        gc_ms = self.gc.during(t0, t) * 1000.0
        rec: dict[str, Any] = {"at": round(t, 2), "stall_ms": round(stall, 1), "gui_ran_ms": round(run_ms, 1),
                               "gui_runnable_waiting_ms": round(runq_ms, 1), "gui_blocked_ms": round(blocked, 1),
                               "gc_ms": round(gc_ms, 1)}
        if kernel:  # where the kernel had the GUI thread, sampled every WATCH_POLL_S while the stall lasted
            n = sum(kernel.values())
            rec["gui_kernel"] = {k: round(v / n, 2) for k, v in sorted(kernel.items(), key=lambda kv: -kv[1])[:4]}
        busiest = starved_holder = None
        if snap is not None:  # the rest of the process and the machine, from the watchdog's snapshot to now
            after, m_after = all_threads(), machine_cpu()
            span_ms = (t - snap["t"]) * 1000.0
            per = []
            for tid, (run, wait) in after.items():
                if tid == self.gui_tid or tid == snap["watch_tid"]:
                    continue
                r0, w0 = snap["threads"].get(tid, (run, wait))
                per.append(((run - r0) / 1e6, (wait - w0) / 1e6, tid))
            per.sort(reverse=True)
            ours_ms = sum(r for r, _w, _tid in per)  # the process's other threads
            busy, total = m_after[0] - snap["machine"][0], m_after[1] - snap["machine"][1]
            ncpu = os.cpu_count() or 1
            machine_ms = span_ms * ncpu * (busy / total) if total > 0 else 0.0
            others_ms = max(0.0, machine_ms - ours_ms - run_ms)  # the machine less all of this process
            rec.update(span_ms=round(span_ms, 1), process_cpu_ms=round(ours_ms + run_ms, 1),
                       machine_busy_pct=round(100.0 * busy / total, 0) if total > 0 else None,
                       other_processes_cpu_ms=round(others_ms, 0),
                       threads=[{"thread": _thread_name(tid, snap["names"]), "ran_ms": round(r, 1),
                                 "runnable_waiting_ms": round(w, 1), "python": tid in snap["stacks"],
                                 **({"where": snap["stacks"][tid]} if tid in snap["stacks"] else {})}
                                for r, w, tid in per[:3] if r > 0.5 or w > 0.5])
            py = [(r, w, tid) for r, w, tid in per if tid in snap["stacks"]]
            busiest = py[0] if py and py[0][0] >= 0.3 * span_ms else None
            waiting = max(py, key=lambda x: x[1], default=None)  # a holder preempted with the lock held
            starved_holder = waiting if waiting is not None and waiting[1] >= 0.5 * blocked else None
            rec["gui_where"] = snap["gui_where"]
            mf = _majflt(self.gui_tid)
            if mf is not None and snap.get("gui_majflt") is not None:
                rec["gui_major_faults"] = mf - snap["gui_majflt"]
            x = _proc_schedstat(self._x_pid)
            if x is not None and snap.get("x_server") is not None:
                rec["x_server_ran_ms"] = round((x[0] - snap["x_server"][0]) / 1e6, 1)
                rec["x_server_runnable_waiting_ms"] = round((x[1] - snap["x_server"][1]) / 1e6, 1)
            if runq_ms > 0:
                s = self.starvation
                s["stall_ms"] += stall
                s["gui_runq_ms"] += runq_ms
                s["others_cpu_ms"] += others_ms
                s["ours_cpu_ms"] += ours_ms
        parts = {"gc": gc_ms, "run": run_ms, "runq": runq_ms, "blocked": blocked}
        if gc_ms >= 0.25 * stall:
            cause = self.CAUSES[4]
        else:
            top = max(("runq", "run", "blocked"), key=lambda k: parts[k])
            if top == "runq":
                cause = self.CAUSES[0]
            elif top == "run":
                cause = self.CAUSES[5]
            elif busiest is not None:
                cause = self.CAUSES[1]
                name = _thread_name(busiest[2], snap["names"]) + ": " + snap["stacks"][busiest[2]]
                rec["interpreter_lock_holder"] = name
                h = self.holders.setdefault(name, [0, 0.0])
                h[0], h[1] = h[0] + 1, max(h[1], round(stall, 1))
            elif rec.get("x_server_runnable_waiting_ms", 0.0) >= 0.5 * blocked:
                # The frame waits for the display server (the back buffer's last put, a reply);
                # the X server was runnable but not scheduled: the machine starved it, not us.
                cause = self.CAUSES[6]
            elif starved_holder is not None:  # it ran little but waited long for a CPU: a priority inversion
                cause = self.CAUSES[2]
                name = _thread_name(starved_holder[2], snap["names"]) + ": " + snap["stacks"][starved_holder[2]]
                rec["interpreter_lock_holder"] = name + " (waiting for a CPU)"
                h = self.holders.setdefault(rec["interpreter_lock_holder"], [0, 0.0])
                h[0], h[1] = h[0] + 1, max(h[1], round(stall, 1))
            else:
                cause = self.CAUSES[3]
                place = next(iter(rec.get("gui_kernel") or {}), "(not sampled)")
                b = self.blocked_in.setdefault(place, [0, 0.0])
                b[0], b[1] = b[0] + 1, max(b[1], round(stall, 1))
        rec["cause"] = cause
        c = self.causes[cause]
        c[0], c[1], c[2] = c[0] + 1, max(c[1], round(stall, 1)), c[2] + stall
        kept = self.records.setdefault(cause, [])
        kept.append(rec)
        if len(kept) > MAX_RECORDS:  # keep each cause's worst
            kept.sort(key=lambda r: -r["stall_ms"])
            del kept[MAX_RECORDS:]

    # -- the watchdog thread --------------------------------------------------------------
    def _watchdog(self) -> None:
        run_like(self.gui_tid)
        watch_tid = threading.get_native_id()
        seen = 0.0
        while not self._stop.wait(WATCH_POLL_S):
            t0 = self._last_t
            now = time.perf_counter()
            late = (now - t0) * 1000.0
            if late < self.frame_ms + 8.0 and (self._base is None or now - self._base["t"] > 0.02):
                base = {"t": time.perf_counter(), "threads": all_threads(), "machine": machine_cpu(), "watch_tid": watch_tid,
                        "gui_majflt": _majflt(self.gui_tid), "x_server": _proc_schedstat(self._x_pid)}
                with self._lock:
                    self._base = base
                continue
            if late < self.frame_ms + self.long_ms * 0.5:
                continue
            place = kernel_where(self.gui_tid)  # every poll of the stall: the GUI thread seen from the kernel
            with self._lock:
                if self._kernel_t0 != t0:
                    self._kernel, self._kernel_t0 = {}, t0
                self._kernel[place] = self._kernel.get(place, 0) + 1
            if t0 == seen:
                continue
            seen = t0
            snap = self._stacks(t0, watch_tid)
            with self._lock:
                if self._last_t == t0:  # still the same stall
                    self._snap = snap

    def _stacks(self, t0: float, watch_tid: int) -> dict:
        """Every Python thread's name and innermost lines now; the GUI thread's apart."""
        names = {th.native_id: th.name for th in threading.enumerate()}
        idents = {th.ident: th.native_id for th in threading.enumerate()}
        frames = sys._current_frames()
        # Not this call's own frame: it holds ``frames``, a cycle that kept every thread's frame
        # and their locals alive as garbage until a full collection (the census found them).
        frames.pop(threading.get_ident(), None)
        stacks = {idents[i]: _where(f) for i, f in frames.items() if i in idents and idents[i] != watch_tid}
        gui_frame = frames.get(self.gui_ident)
        stacks.pop(self.gui_tid, None)
        return {"t0": t0, "names": names, "stacks": stacks,
                "gui_where": _where(gui_frame) if gui_frame is not None else "(no Python frame)"}

    def close(self) -> None:
        self._stop.set()
        self._watch.join(1)

    # -- results --------------------------------------------------------------------------
    def result(self) -> dict:
        s = self.starvation
        first, last = self._gui_first or (0, 0), self._gui_last or (0, 0)
        return {
            "long_stall_ms": self.long_ms,
            "gui_thread_cpu_s": round((last[0] - first[0]) / 1e9, 1),
            "gui_thread_waiting_for_cpu_s": round((last[1] - first[1]) / 1e9, 1),
            "by_cause": {k: {"count": int(v[0]), "max_ms": v[1], "total_ms": round(v[2], 1),
                             "worst": sorted(self.records.get(k, []), key=lambda r: -r["stall_ms"])[:3]}
                         for k, v in self.causes.items() if v[0]},
            "interpreter_lock_holders": [{"where": k, "count": v[0], "max_ms": v[1]}
                                         for k, v in sorted(self.holders.items(), key=lambda kv: -kv[1][1])[:8]],
            "blocked_in": [{"where": k, "count": v[0], "max_ms": v[1]}
                           for k, v in sorted(self.blocked_in.items(), key=lambda kv: -kv[1][1])[:8]],
            "starvation": {k: round(v, 1) for k, v in s.items()},
            "worst": sorted((r for rs in self.records.values() for r in rs), key=lambda r: -r["stall_ms"])[:10],
        }


def table_rows(att: dict) -> list[str]:
    rows = [f"| stalls > {att['long_stall_ms']:g} ms: {k} | {v['count']}, worst {v['max_ms']} ms, "
            f"{v['total_ms']:.0f} ms in all |" for k, v in att["by_cause"].items()]
    rows += [f"| interpreter lock held by `{h['where']}` | {h['count']}x, worst {h['max_ms']} ms |"
             for h in att["interpreter_lock_holders"][:3]]
    rows += [f"| GUI thread blocked in `{b['where']}` | {b['count']}x, worst {b['max_ms']} ms |"
             for b in att.get("blocked_in", [])[:3]]
    s = att["starvation"]
    if s["stall_ms"]:
        rows.append(f"| during starved stalls: GUI thread waiting for a CPU / other processes' CPU / "
                    f"our other threads' CPU | {s['gui_runq_ms']:.0f} / {s['others_cpu_ms']:.0f} / "
                    f"{s['ours_cpu_ms']:.0f} ms |")
    return rows


# ------------------------------------------------------------------------------ firings
class FiringLog:
    """Every coupon/flash moment's real lateness and what fired it."""

    def __init__(self) -> None:
        self.by_route: dict[str, list[float]] = {}
        self.by_action: dict[str, int] = {}
        self.late: list[dict] = []

    def note(self, lateness_ms: float, route: str, kind: str, action: str, loop_gap_ms: float) -> None:
        self.by_route.setdefault(route, []).append(lateness_ms)
        self.by_action[f"{kind} {action}"] = self.by_action.get(f"{kind} {action}", 0) + 1
        if (lateness_ms > 5.0 or route != "precise") and len(self.late) < 50:  # late, or not on its own timer
            self.late.append({"ms": round(lateness_ms, 1), "route": route, "what": f"{kind} {action}",
                              "loop_gap_ms": round(loop_gap_ms, 1)})

    def result(self) -> dict:
        return {"by_route": {k: {"count": len(v), "max_ms": round(max(v), 1)} for k, v in self.by_route.items()},
                "by_action": self.by_action,
                "late_or_on_the_tick": self.late}


# ------------------------------------------------------------------------------ memory
class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_mb() -> dict | None:
    """glibc's heap: MB in use by the program, MB free but held, mmapped blocks (None elsewhere)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        m = libc.mallinfo2()
    except (OSError, AttributeError):
        return None
    mb = 2 ** 20
    return {"in_use": round(m.uordblks / mb, 1), "free_held": round(m.fordblks / mb, 1),
            "arenas_total": round(m.arena / mb, 1), "mmapped": round(m.hblkhd / mb, 1)}


def python_objects() -> int:
    return len(gc.get_objects())


# ------------------------------------------------------------------------------ object census
def _type_name(t: type) -> str:
    mod = getattr(t, "__module__", "") or ""
    return t.__qualname__ if mod == "builtins" else f"{mod}.{t.__qualname__}"


def shape(obj: Any) -> str:
    """What an object is, finer than its type where its type says little: a dict by its first
    keys, a tuple by its length and items' types, a list by its first item's type, a function
    by its name. Reads only what another thread cannot make it fail on (a dict being resized:
    its keys are copied by one C call)."""
    t = type(obj)
    try:
        if t is dict:
            keys = sorted(k for k in list(obj)[:64] if isinstance(k, str))[:5]
            return "dict{" + ",".join(keys) + ("" if len(obj) <= 5 else ",...") + "}"
        if t is tuple:
            return f"tuple[{len(obj)}](" + ",".join(type(x).__name__ for x in obj[:3]) + ")"
        if t is list:
            return f"list of {type(obj[0]).__name__}" if obj else "list (empty)"
        if t in (set, frozenset):
            return f"{t.__name__} of {type(next(iter(list(obj)[:1]), None)).__name__}"
        if t is type(shape):
            return f"function {obj.__module__}.{obj.__qualname__}"
        if t is type(print) or t.__name__ == "method":
            return f"{t.__name__} {getattr(obj, '__qualname__', '?')}"
        if t.__name__ in ("frame", "coroutine", "generator"):  # whose: garbage frames come from exceptions kept
            code = obj.f_code if t.__name__ == "frame" else getattr(obj, "cr_code", None) or getattr(obj, "gi_code", None)
            if code is None:  # a compiled (Cython) coroutine has no code object
                return f"{t.__name__} {getattr(obj, '__qualname__', '?')}"
            return f"{t.__name__} {Path(code.co_filename).name}:{code.co_name}"
        if t.__name__ == "cell":
            return f"cell of {type(obj.cell_contents).__name__}" if obj.cell_contents is not None else "cell"
    except (RuntimeError, IndexError, ValueError):  # changed by another thread meanwhile
        pass
    return _type_name(t)


def census() -> tuple[Counter, Counter]:
    """Objects the cyclic collector tracks (those alive since ``gc.freeze`` are not), counted
    by type and by :func:`shape`. About 10 us an object."""
    by_type: Counter = Counter()
    by_shape: Counter = Counter()
    objs = gc.get_objects()
    for o in objs:
        by_type[_type_name(type(o))] += 1
        by_shape[shape(o)] += 1
    del objs
    return by_type, by_shape


def collect_garbage_census(n: int = 15) -> list[dict]:
    """A full collection that counts what it freed, by :func:`shape`: the cyclic garbage the
    show makes (each is work for the collector, and memory until a full collection runs)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        freed = Counter(shape(o) for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    gc.collect()  # now really freed
    return [{"what": k, "count": v} for k, v in freed.most_common(n)]


def _describe_holder(ref: Any, target: Any) -> str:
    """Who holds ``target``: the referrer's shape, and for an object or a module the attribute."""
    t = type(ref)
    if t is dict:
        key = _key_of(ref, target)
        if "__builtins__" in ref and "__name__" in ref:  # a module's globals
            return f"module {ref['__name__']}.{key}"
        return f"{shape(ref)}[{key!r}]" if isinstance(key, str) else shape(ref)
    if t.__name__ == "module":
        return f"module {ref.__name__}"
    for name, value in list(getattr(ref, "__dict__", {}).items()):
        if value is target:
            return f"{_type_name(t)}.{name}"
    for name in getattr(t, "__slots__", ()):
        if getattr(ref, name, None) is target:
            return f"{_type_name(t)}.{name}"
    return shape(ref)


def _first_holder(obj: Any, skip: list) -> Any:
    """A referrer of ``obj`` that is not a frame nor one of ``skip`` (the census' own lists)."""
    import inspect

    for r in gc.get_referrers(obj):
        if not inspect.isframe(r) and not any(r is mine for mine in skip):
            return r
    return None


def _key_of(d: dict, value: Any) -> Any:
    for k, v in list(d.items()):
        if v is value:
            return k
    return None


def _owner_of(attrs: dict) -> Any:
    """The object whose ``__dict__`` is ``attrs`` (a class's: its namespace), if any."""
    for r in gc.get_referrers(attrs):
        ns = getattr(r, "__dict__", None)
        if ns is attrs or (isinstance(r, type) and attrs and all(ns.get(k) is v for k, v in list(attrs.items())[:3])):
            return r
    return None


def holders(shapes: list[str], per_shape: int = 4, depth: int = 3) -> dict[str, list[str]]:
    """For each of ``shapes``, who holds a few of its objects: a chain of referrers ``depth`` long
    (the newest objects first: the collector's lists end with them). Unfreezes the collector for
    the look (referrers among frozen objects are not seen otherwise) and freezes it again: call
    at the end of a run."""
    want: dict[str, list] = {s: [] for s in shapes}
    for o in reversed(gc.get_objects()):  # before unfreezing: the frozen would come last, as the newest
        s = shape(o)
        if s in want and len(want[s]) < per_shape:
            want[s].append(o)
    o = None
    gc.unfreeze()
    try:
        out: dict[str, list[str]] = {}
        for s, objs in want.items():
            chains: Counter = Counter()
            while objs:
                chain: list[str] = []
                cur = objs.pop()
                skip = [chain, *want.values()]
                for _ in range(depth):
                    ref = _first_holder(cur, skip)
                    if ref is None:
                        break
                    owner = _owner_of(ref) if type(ref) is dict else None
                    if owner is not None:  # an object's attributes: name the object and the attribute
                        name = f"class {_type_name(owner)}" if isinstance(owner, type) else _type_name(type(owner))
                        chain.append(f"{name}.{_key_of(ref, cur)}")
                        ref = owner
                    else:
                        chain.append(_describe_holder(ref, cur))
                    cur = ref
                    if chain[-1].startswith("module "):
                        break
                cur = ref = owner = None
                chains[" < ".join(chain) or "(no referrer found)"] += 1
            out[s] = [f"{n}x {c}" for c, n in chains.most_common()] or ["(none left: untracked or freed)"]
        return out
    finally:
        gc.freeze()


def rss_parts_mb() -> dict:
    """Resident memory by kind (/proc/self/status): anonymous (the heaps, stacks) and file
    pages (shared libraries' code as it is first run, mapped files)."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                k, v = line.split(":", 1)
                out[k[3:].lower()] = round(int(v.split()[0]) / 1024, 1)
    return out


class MemoryWatch:
    """What grew between warm-up and the end: tracemalloc (when tracing) and the allocator."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.warm: Any = None
        self.samples: dict[str, Any] = {"series": []}  # every SERIES_S: [s since start, anon MB, file MB]
        self._t0 = time.monotonic()
        self._series_lock = threading.Lock()
        self._stop = threading.Event()
        self._census_thread: threading.Thread | None = None
        self._censuses: dict[str, tuple[Counter, Counter]] = {}  # mark -> (by type, by shape)
        self._census_at: dict[str, float] = {}
        threading.Thread(target=self._series, name="soak-memory", daemon=True).start()
        if trace:
            import tracemalloc

            tracemalloc.start(4)

    SERIES_S = 20.0

    def rebase(self, t0: float) -> None:
        """Count the series' seconds from ``t0`` (the run's start, after set-up), as the soak's
        warm-up and marks do; samples taken during set-up get negative times."""
        with self._series_lock:
            shift = round(self._t0 - t0)
            self._t0 = t0
            for point in self.samples["series"]:
                point[0] += shift

    def _series(self) -> None:
        while not self._stop.wait(self.SERIES_S):
            r = rss_parts_mb()
            with self._series_lock:
                self.samples["series"].append([round(time.monotonic() - self._t0), r.get("anon"), r.get("file")])

    def mark(self, name: str) -> None:
        """Figures at ``warm`` (after warm-up), ``mid`` (half-way to the end) and ``end``, with
        a census of the collector's objects at each. The warm and mid censuses run on a thread
        of their own (the GUI thread's frame then waits at most a switch interval at a time,
        not for the whole count); the end's on the caller's, then who holds the top growers
        and a full collection (live objects, or cyclic garbage not yet collected?).

        Growth is ranked by the second half (mid to end): a bounded structure still filling
        grows in the first half only; what grows in both grows for the whole show."""
        now = time.monotonic()
        if name == "end":
            self._stop.set()
        self.samples[name] = {"malloc_mb": malloc_mb(), "gc_objects": python_objects(), "rss_mb": rss_parts_mb()}
        self._census_at[name] = now
        if name in ("warm", "mid"):
            self._join_census()
            self._census_thread = threading.Thread(target=self._take_census, args=(name,), name="soak-census",
                                                   daemon=True)
            self._census_thread.start()
        elif name == "end":
            self._join_census()
            if "warm" in self._censuses:
                self._take_census("end_with_garbage")
            self.samples["gc_garbage_by_shape"] = collect_garbage_census()
            self.samples[name]["gc_objects_after_collect"] = python_objects()
            if "warm" in self._censuses:
                self._take_census("end")
                self.samples.update(self.census_growth())
            if "warm" in self._censuses:  # last: it freezes what is alive
                self.samples["gc_growth_held_by"] = holders([g["what"] for g in self.samples["gc_growth_by_shape"][:8]])
        if self.trace and name != "mid":
            import tracemalloc

            snap = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap*")])
            self.samples[name]["traced_mb"] = round(sum(s.size for s in snap.statistics("filename")) / 2**20, 1)
            if name == "warm":
                self.warm = snap
            elif self.warm is not None:
                diff = snap.compare_to(self.warm, "traceback")
                self.samples["top_growth"] = [
                    {"kb": round(d.size_diff / 1024, 1), "count": d.count_diff,
                     "where": " < ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in reversed(d.traceback))}
                    for d in diff[:25]]

    def _take_census(self, name: str) -> None:
        self._censuses[name] = census()

    def _join_census(self) -> None:
        if self._census_thread is not None:
            self._census_thread.join()

    def census_growth(self, n: int = 25) -> dict:
        """``gc_growth_by_type`` and ``gc_growth_by_shape``: the top growers warm -> end (alive:
        counted after a full collection), ranked by their growth from mid to end, with counts at
        each mark, the rate per hour of each half, and the cyclic garbage that was waiting for
        a collection at the end (``gc_objects`` counts it)."""
        at, c = self._census_at, self._censuses
        mid = "mid" if "mid" in c else "warm"
        h1, h2 = (at[mid] - at["warm"]) / 3600.0, (at["end"] - at[mid]) / 3600.0
        out = {}
        for i, key in enumerate(("gc_growth_by_type", "gc_growth_by_shape")):
            w, m, e, g = c["warm"][i], c[mid][i], c["end"][i], c["end_with_garbage"][i]
            rows = sorted((k for k in e if e[k] > w.get(k, 0)),
                          key=lambda k: (e[k] - m.get(k, 0), e[k] - w.get(k, 0)), reverse=True)
            out[key] = [{"what": k, "warm": w.get(k, 0), "mid": m.get(k, 0), "end": e.get(k, 0),
                         "end_uncollected_garbage": g.get(k, 0) - e.get(k, 0), "growth": e.get(k, 0) - w.get(k, 0),
                         "per_hour_first_half": round((m.get(k, 0) - w.get(k, 0)) / h1) if h1 > 0 else None,
                         "per_hour_second_half": round((e.get(k, 0) - m.get(k, 0)) / h2) if h2 > 0 else None}
                        for k in rows[:n]]
        return out

    def result(self) -> dict:
        return self.samples
