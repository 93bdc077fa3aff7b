"""What a group of checks is given when it runs (one group per thread)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from studio_app.selftest.checks import SelfTestCheck, skipped, specs_of
from studio_app.selftest.profile import Profile

# ``prompt(key, zh, en)`` asks the person at the console to do something (speak into the
# mic) and returns True when they are ready, False to skip. None: nobody is there (CLI).
Prompt = Callable[[str, str, str], bool]


@dataclass
class GroupContext:
    profile: Profile
    emit: Callable[[SelfTestCheck], None]
    wanted: frozenset[str] | None = None  # check ids to report (None: all of the group)
    prompt: Prompt | None = None
    tone: bool = False  # the CLI's --tone: play a test tone for mic.level
    db_url: str | None = None
    screens: Callable[[], int | None] | None = None  # the UI counts Qt screens; None: xrandr
    password: Callable[[], str] = lambda: ""
    # The desk's running camera feed for a source spec, or None: a USB camera can be opened
    # only once, so in the desk the camera checks watch the camera panel's own feed.
    shared_camera: Callable[[str], Any] | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], float] = time.monotonic

    def wants(self, check_id: str) -> bool:
        return self.wanted is None or check_id in self.wanted

    def report(self, check: SelfTestCheck) -> None:
        if self.wants(check.id):
            self.emit(check)

    def skip_rest(self, group: str, reason: str, after: str = "") -> None:
        """Report every check of ``group`` after ``after`` (all of them if empty) as skipped."""
        ids = [spec.id for spec in specs_of(group)]
        for check_id in ids[ids.index(after) + 1 if after else 0 :]:
            self.report(skipped(check_id, reason))
