"""The console's CPU priority (issue 20): on a busy 2-core studio PC the prompter stutters
when the GUI thread is ready to run but waits for a CPU (the soak measures it from the
kernel's run-queue time). A better priority is a studio's choice and needs the system's
permission, so it is a setting, ``general.gui_priority``:

- ``normal`` (default): nothing changed.
- ``high``: nice -10 for the GUI thread only. Linux needs CAP_SYS_NICE or an RLIMIT_NICE of
  at least 30 (``/etc/security/limits.d/studio.conf``: ``@studio - nice -10``). Nice works
  within the session's CPU group (autogroup): it favours the GUI over OBS and ffmpeg started
  from the same session, not over other users' sessions.
- ``realtime``: SCHED_RR priority 2 for the GUI thread and 1 for the console's other threads:
  ahead of every normal task on the machine, the GUI thread ahead of its workers, each on a
  CPU budget. Needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least 2 (``@studio - rtprio 2``).

Why the other threads too: the GUI thread shares one interpreter lock with the console's
workers. A worker at normal priority that the busy machine preempts while it holds that lock
keeps the GUI thread waiting until the scheduler gets round to the worker again (the soak
measured 81 ms with the GUI thread alone at real time, the mic worker holding the lock). With
the workers one real-time level below, nothing but the GUI thread preempts them, and the GUI
thread still preempts every one of them (at the same level, SCHED_RR would have it wait out a
worker's 100 ms time slice: a trial measured a coupon 514 ms late).

Why the budget: real time must stay small. A thread at real time that serves a flood of
requests (the remote server under a misbehaving client) or replays a backlog takes whole
CPUs from OBS and its encoder, and once real-time work fills a CPU for most of a second the
kernel runs the normal tasks it starved for their reserved share in one go, the GUI thread
waiting behind them (a 40-minute trial without a budget: 94.7 ms). So every
:data:`RT_WINDOW_S` each thread's CPU time is read, and one that used more than
:data:`RT_BUDGET` of a CPU competes at normal priority for :data:`RT_DEMOTE_S` (rtkit's rule).

Threads the GUI thread starts do not inherit its priority (SCHED_RESET_ON_FORK), nor do the
threads the workers start; :class:`OtherThreadsAhead` finds new threads at each sweep.
Threads deliberately nicer than 0 and threads already at real time are left as they are.
"""
from __future__ import annotations

import collections
import os
import sys
import threading
import time
from dataclasses import dataclass

CHOICES = ("normal", "high", "realtime")
HIGH_NICE = -10
#: ``realtime``: the GUI thread's SCHED_RR priority, and the other threads' (below it)
GUI_RT_PRIORITY = 2
WORKER_RT_PRIORITY = 1


def favour_this_thread(choice: str) -> str:
    """Apply ``choice`` to the calling thread; returns what happened, one line (for the log)."""
    if choice not in CHOICES:
        return f"general.gui_priority: unknown value {choice!r} (normal, high or realtime); left normal"
    if choice == "normal":
        return "normal"
    if not sys.platform.startswith("linux"):
        return f"{choice}: only on Linux; left normal"
    tid = threading.get_native_id()
    try:
        if choice == "realtime":
            os.sched_setscheduler(tid, os.SCHED_RR | os.SCHED_RESET_ON_FORK, os.sched_param(GUI_RT_PRIORITY))
            return f"realtime (SCHED_RR {GUI_RT_PRIORITY})"
        os.sched_setscheduler(tid, os.SCHED_OTHER | os.SCHED_RESET_ON_FORK, os.sched_param(0))
        os.setpriority(os.PRIO_PROCESS, tid, HIGH_NICE)
        return f"high (nice {HIGH_NICE})"
    except PermissionError:
        return f"{choice}: not permitted (needs CAP_SYS_NICE or an RLIMIT_{'RTPRIO' if choice == 'realtime' else 'NICE'}); left normal"
    except OSError as exc:
        return f"{choice}: {exc.strerror or exc}; left normal"



#: ``realtime``: the share of one CPU a thread of ours may use over one window of
#: :data:`RT_WINDOW_S` and stay at real time; above it the thread competes at normal priority
#: for :data:`RT_DEMOTE_S`, then returns to its level.
RT_BUDGET = 0.5
RT_WINDOW_S = 0.25
RT_DEMOTE_S = 2.0


def favour_the_gui(choice: str) -> tuple[str, "OtherThreadsAhead | None"]:
    """:func:`favour_this_thread` for the calling (GUI) thread and, when that worked and the
    choice is ``realtime``, the console's other threads kept behind it and ahead of other
    programs, all on a CPU budget (started; the caller stops it at the end). Returns what
    happened, one line for the log, and the keeper or None."""
    said = favour_this_thread(choice)
    if choice != "realtime" or said.endswith("left normal"):
        return said, None
    keeper = OtherThreadsAhead(spare=threading.get_native_id())
    return f"{said}; {keeper.start()}", keeper


def _cpu_ns(tid: int) -> int | None:
    """Nanoseconds thread ``tid`` of this process has run (``/proc/self/task/TID/schedstat``)."""
    try:
        with open(f"/proc/self/task/{tid}/schedstat", "rb") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _thread_name(tid: int) -> str:
    """Python's name for the thread (the kernel's is "python" for all of them), else the kernel's."""
    for t in threading.enumerate():
        if t.native_id == tid:
            return t.name
    try:
        with open(f"/proc/self/task/{tid}/comm") as f:
            return f.read().strip()
    except OSError:
        return str(tid)


@dataclass
class _Watched:
    """What the keeper knows of one thread."""

    taken_on: bool  # False: left alone (it was deliberately nicer, or not under the normal policy)
    cpu_ns: int | None  # its CPU time at the last sweep
    at: float  # when that was (time.monotonic())
    demoted_until: float | None = None  # over budget: at normal priority until then


class OtherThreadsAhead:
    """Keeps every thread of this process at SCHED_RR ``rt_priority``, ``spare`` (the GUI
    thread, already set by :func:`favour_this_thread`) at :data:`GUI_RT_PRIORITY`, each on a
    CPU budget.

    New threads come from the GUI thread (reset to normal by SCHED_RESET_ON_FORK), from the
    workers (likewise) and from libraries (Qt's pool, aiohttp's executor), so a sweep every
    ``period_s`` finds them: one directory listing of ``/proc/self/task`` and one small read
    per thread. Only threads first seen at nice 0 under the normal policy are taken on.

    Each sweep also reads every thread's CPU time since the last: one that used more than
    ``budget`` of a CPU goes back to normal priority for ``demote_s`` (counted by name in
    :attr:`demotions`), then returns to its level."""

    def __init__(self, spare: int | None = None, rt_priority: int = WORKER_RT_PRIORITY,
                 period_s: float = RT_WINDOW_S, budget: float = RT_BUDGET,
                 demote_s: float = RT_DEMOTE_S) -> None:
        self.spare = spare
        self.rt_priority = rt_priority
        self.period_s = period_s
        self.budget = budget
        self.demote_s = demote_s
        self.changed = 0  # threads taken on so far
        self.demotions: dict[str, int] = {}  # thread name -> times put back to normal
        #: the latest demotions, (time.monotonic(), thread name, CPU ms it used in the window)
        self.demotion_log: collections.deque = collections.deque(maxlen=200)
        self._seen: dict[int, _Watched] = {}  # by thread id
        self._own: int | None = None  # the keeper's thread
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _level(self, tid: int) -> int:
        return GUI_RT_PRIORITY if tid == self.spare else self.rt_priority

    def _set(self, tid: int, level: int | None) -> None:
        """SCHED_RR ``level``, or the normal policy for None."""
        if level is None:
            os.sched_setscheduler(tid, os.SCHED_OTHER | os.SCHED_RESET_ON_FORK, os.sched_param(0))
        else:
            os.sched_setscheduler(tid, os.SCHED_RR | os.SCHED_RESET_ON_FORK, os.sched_param(level))

    def sweep(self, now: float | None = None) -> int:
        """Take on new threads, put the ones over budget back to normal and the rested ones
        back up; returns how many new threads it took on. Raises PermissionError when the
        system does not allow it."""
        now = time.monotonic() if now is None else now
        try:
            tids = [int(t) for t in os.listdir("/proc/self/task")]
        except OSError:
            return 0
        for gone in self._seen.keys() - set(tids):
            del self._seen[gone]
        n = 0
        for tid in tids:
            if tid == self._own:
                continue
            try:
                state = self._seen.get(tid)
                if state is None:
                    n += self._first_sight(tid, now)
                elif state.taken_on:
                    self._police(tid, state, now)
            except (ProcessLookupError, FileNotFoundError):  # the thread ended meanwhile
                self._seen.pop(tid, None)
        self.changed += n
        return n

    def _first_sight(self, tid: int, now: float) -> int:
        if tid == self.spare:
            self._seen[tid] = _Watched(True, _cpu_ns(tid), now)
            return 0
        policy = os.sched_getscheduler(tid) & ~getattr(os, "SCHED_RESET_ON_FORK", 0)
        if policy != os.SCHED_OTHER or os.getpriority(os.PRIO_PROCESS, tid) != 0:
            self._seen[tid] = _Watched(False, None, now)  # a deliberate choice: left alone
            return 0
        self._set(tid, self.rt_priority)
        self._seen[tid] = _Watched(True, _cpu_ns(tid), now)
        return 1

    def _police(self, tid: int, state: _Watched, now: float) -> None:
        cpu = _cpu_ns(tid)
        if cpu is None:
            return
        used_s = (cpu - state.cpu_ns) / 1e9 if state.cpu_ns is not None else 0.0
        span_s = now - state.at
        state.cpu_ns, state.at = cpu, now
        if state.demoted_until is not None:
            if now >= state.demoted_until:  # rested: back to its level
                self._set(tid, self._level(tid))
                state.demoted_until = None
        elif span_s > 0 and used_s > self.budget * max(span_s, self.period_s):
            self._set(tid, None)
            state.demoted_until = now + self.demote_s
            name = _thread_name(tid)
            self.demotions[name] = self.demotions.get(name, 0) + 1
            self.demotion_log.append((round(now, 3), name, round(used_s * 1e3, 1)))

    def start(self) -> str:
        """The first sweep now, then one every ``period_s`` on a thread of its own (at the GUI
        thread's level: a sweep takes well under a millisecond and must not wait behind the
        threads it polices); returns what it did, one line."""
        if not sys.platform.startswith("linux"):
            return "other threads unchanged (only on Linux)"
        try:
            n = self.sweep()
        except PermissionError:
            return "other threads unchanged (not permitted)"
        started = threading.Event()

        def run() -> None:
            self._own = threading.get_native_id()
            try:
                self._set(self._own, GUI_RT_PRIORITY)
            except OSError:
                pass
            started.set()
            while not self._stop.wait(self.period_s):
                try:
                    self.sweep()
                except PermissionError:  # the permission was taken away (a changed rlimit)
                    return

        self._thread = threading.Thread(target=run, name="priority-keeper", daemon=True)
        self._thread.start()
        started.wait(2.0)
        return (f"other threads SCHED_RR {self.rt_priority} ({n} now, new ones within {self.period_s:g} s), "
                f"one over {self.budget:.0%} of a CPU back to normal for {self.demote_s:g} s")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
