"""The GUI thread's CPU priority (issue 20): on a busy 2-core studio PC the prompter stutters
when the GUI thread is ready to run but waits for a CPU (the soak measures it from the
kernel's run-queue time). A better priority for that one thread is a studio's choice and
needs the system's permission, so it is a setting, ``general.gui_priority``:

- ``normal`` (default): nothing changed.
- ``high``: nice -10 for the GUI thread only. Linux needs CAP_SYS_NICE or an RLIMIT_NICE of
  at least 30 (``/etc/security/limits.d/studio.conf``: ``@studio - nice -10``). Nice works
  within the session's CPU group (autogroup): it favours the GUI over OBS and ffmpeg started
  from the same session, not over other users' sessions.
- ``realtime``: SCHED_RR priority 1 for the GUI thread only (ahead of every normal task on the
  machine; the kernel still keeps 5 % of each second for normal tasks). Needs CAP_SYS_NICE or
  an RLIMIT_RTPRIO of at least 1 (``@studio - rtprio 1``).

Threads the GUI thread starts later do not inherit it (SCHED_RESET_ON_FORK).
"""
from __future__ import annotations

import os
import sys
import threading

CHOICES = ("normal", "high", "realtime")
HIGH_NICE = -10


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
            os.sched_setscheduler(tid, os.SCHED_RR | os.SCHED_RESET_ON_FORK, os.sched_param(1))
            return "realtime (SCHED_RR 1)"
        os.sched_setscheduler(tid, os.SCHED_OTHER | os.SCHED_RESET_ON_FORK, os.sched_param(0))
        os.setpriority(os.PRIO_PROCESS, tid, HIGH_NICE)
        return f"high (nice {HIGH_NICE})"
    except PermissionError:
        return f"{choice}: not permitted (needs CAP_SYS_NICE or an RLIMIT_{'RTPRIO' if choice == 'realtime' else 'NICE'}); left normal"
    except OSError as exc:
        return f"{choice}: {exc.strerror or exc}; left normal"
