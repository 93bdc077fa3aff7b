"""Run the self-test: the groups in parallel (one plain thread each), each check under a
time limit, results reported as they come (``on_check``), the run stored in the event log.

Threads: :meth:`SelfTest.run` blocks its caller (the CLI's main thread, the desk's worker
thread) until every group has finished or run out of time; ``on_check`` and ``prompt``
are called on the group threads. A group that hangs past its limit is left behind (its
thread is a daemon) and its missing checks are reported as failed: timed out.
"""
from __future__ import annotations

import importlib
import logging
import math
import threading
import time
from dataclasses import replace
from typing import Any, Callable, Iterable

from studio_app.selftest.checks import GROUPS, SPEC_BY_ID, SelfTestCheck, SelfTestRun, Status, hint, make, specs_of
from studio_app.selftest.context import GroupContext, Prompt
from studio_app.selftest.profile import Profile

log = logging.getLogger(__name__)

# "module:function", imported when the group runs: ``--only console`` (the bundle's smoke
# test, pre-show scripts) never loads OpenCV, PortAudio or the OBS client.
RUNNERS: dict[str, str | Callable[[GroupContext], None]] = {
    "camera": "studio_app.selftest.camera:run_camera",
    "mic": "studio_app.selftest.mic:run_mic",
    "obs": "studio_app.selftest.obs:run_obs",
    "console": "studio_app.selftest.console:run_console",
}


def _runner(group: str) -> Callable[[GroupContext], None]:
    target = RUNNERS[group]
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
# Seconds each check may take, counted from the previous result of its group (checks of a
# group run in turn), with room to spare on a loaded machine; a person's answer to a
# prompt is not counted. A check past its limit fails as "timed out"; the rest of its
# group are then skipped.
CHECK_LIMIT_S: dict[str, float] = {
    "camera.opens": 9.0, "camera.resolution": 7.0, "camera.fps": 2.0, "camera.signal": 2.0,
    "camera.exposure": 2.0, "camera.focus": 2.0, "camera.white_balance": 2.0,
    "mic.device": 8.0, "mic.stream": 8.0, "mic.noise_floor": 2.0, "mic.level": 7.0, "mic.clipping": 2.0,
    "obs.reachable": 9.0, "obs.auth": 2.0, "obs.version": 2.0, "obs.scenes": 2.0, "obs.sources": 2.0,
    "obs.output": 8.0, "obs.disk": 8.0, "obs.recording": 20.0,
    "console.db": 12.0, "console.screens": 6.0, "console.clock": 3.0,
}
FIX_TIMEOUT = hint("检查超时: 设备没有及时响应, 请单独重试这一项; 若仍超时, 重启该设备",
                   "The check timed out: the device did not answer in time; re-run this check, and restart the device if it "
                   "times out again")
FIX_TIMEOUT_BY_GROUP = {
    "camera": hint("摄像头没有及时响应: 重新插拔摄像头或采集卡, 网络摄像头检查网络后重试",
                   "The camera did not answer in time: replug the camera or capture card (a network camera: check the "
                   "network), then re-run the check"),
    "mic": hint("声音服务没有响应: 重启声音服务(PulseAudio/PipeWire)或重新插拔声卡后重试",
                "The sound server does not answer: restart it (PulseAudio/PipeWire) or replug the audio interface, then "
                "re-run the check"),
    "obs": hint("OBS 没有及时响应: 查看 OBS 窗口是否有弹窗或卡死, 必要时重启 OBS 后重试",
                "OBS did not answer in time: look for an open dialog or a hang in the OBS window, restart OBS if needed, "
                "then re-run the check"),
    "console": hint("中控台检查超时: 检查数据库服务器和网络, 然后重试",
                    "The console check timed out: check the database server and the network, then re-run the check"),
}


def parse_only(text: str | None) -> list[str]:
    """``camera,mic`` → groups; ValueError naming an unknown one. Check ids pick their group."""
    if not text:
        return list(GROUPS)
    out: list[str] = []
    for part in (x.strip() for x in text.split(",")):
        if not part:
            continue
        group = part.split(".", 1)[0]
        if group not in GROUPS or ("." in part and part not in SPEC_BY_ID):
            raise ValueError(f"unknown check group {part!r} (one of: {', '.join(GROUPS)})")
        if group not in out:
            out.append(group)
    if not out:
        raise ValueError("--only names no group")
    return out


def parse_only_checks(text: str | None) -> list[str] | None:
    """The check ids ``--only`` names when it names single checks (``obs.scenes,console``);
    None when it names whole groups only. Call :func:`parse_only` first (it validates)."""
    parts = [x.strip() for x in (text or "").split(",") if x.strip()]
    if not any("." in p for p in parts):
        return None
    out: list[str] = []
    for part in parts:
        out += [part] if "." in part else [s.id for s in specs_of(part)]
    return out


class SelfTest:
    """A configured self-test. ``password`` is called on the OBS group's thread."""

    def __init__(
        self,
        profile: Profile,
        *,
        db_url: str | None = None,
        groups: Iterable[str] | None = None,
        password: Callable[[], str] = lambda: "",
        tone: bool = False,
        prompt: Prompt | None = None,
        screens: Callable[[], int | None] | None = None,
        shared_camera: Callable[[str], Any] | None = None,
        on_check: Callable[[SelfTestCheck], None] | None = None,
        on_group: Callable[[str, float], None] | None = None,
        limits: dict[str, float] | None = None,  # per check id, seconds (see CHECK_LIMIT_S)
    ) -> None:
        self.profile = profile
        self.db_url = db_url
        self.groups = list(groups) if groups is not None else list(GROUPS)
        self.password = password
        self.tone = tone
        self.prompt = prompt
        self.screens = screens
        self.shared_camera = shared_camera
        self.on_check = on_check
        self.on_group = on_group
        self.limits = dict(CHECK_LIMIT_S, **(limits or {}))
        self.cancel = threading.Event()

    def targets(self) -> dict[str, Any]:
        p = self.profile
        return {
            "camera": p.camera.source or None,
            "mic": p.mic.device,
            "obs": f"{p.obs.host}:{p.obs.port}" if p.obs.host else None,
        }

    def run(self, only_checks: Iterable[str] | None = None) -> SelfTestRun:
        """Run the groups (or only the groups of ``only_checks``, reporting just those)."""
        wanted = frozenset(only_checks) if only_checks is not None else None
        self.cancel = threading.Event()
        groups = [g for g in self.groups if wanted is None or any(c.startswith(g + ".") for c in wanted)]
        run = SelfTestRun(profile=self.profile.path, targets=self.targets())
        lock = threading.Lock()
        got: dict[str, dict[str, SelfTestCheck]] = {g: {} for g in groups}
        paused = {g: 0.0 for g in groups}  # seconds spent waiting for a person

        last: dict[str, float] = {}

        def emitter(group: str) -> Callable[[SelfTestCheck], None]:
            def emit(check: SelfTestCheck) -> None:
                now = time.monotonic()
                with lock:
                    if check.id in got[group]:
                        return
                    # A check's time: since the group's previous result (checks of a group run in turn).
                    check = replace(check, duration_s=now - last.get(group, started.get(group, now)))
                    last[group] = now
                    got[group][check.id] = check
                if self.on_check is not None:
                    try:
                        self.on_check(check)
                    except Exception:  # noqa: BLE001 - a broken listener must not break the test
                        log.exception("self-test listener failed")
            return emit

        def prompter(group: str) -> Prompt | None:
            if self.prompt is None:
                return None

            def ask(key: str, zh: str, en: str) -> bool:
                t = time.monotonic()
                try:
                    return self.prompt(key, zh, en)
                finally:
                    paused[group] += time.monotonic() - t
            return ask

        threads: dict[str, threading.Thread] = {}
        started: dict[str, float] = {}
        ended: dict[str, float] = {}
        t0 = time.monotonic()
        for g in groups:
            ctx = GroupContext(profile=self.profile, emit=emitter(g), wanted=wanted, prompt=prompter(g), tone=self.tone,
                               db_url=self.db_url, screens=self.screens, password=self.password, cancel=self.cancel,
                               shared_camera=self.shared_camera)

            def body(group: str = g, c: GroupContext = ctx) -> None:
                try:
                    _runner(group)(c)
                except Exception as exc:  # noqa: BLE001 - a bug in one group must not sink the run
                    log.exception("self-test group %s crashed", group)
                    for spec in specs_of(group):
                        c.report(make(spec.id, Status.FAIL, "error", None, f"the check crashed: {type(exc).__name__}: {exc}",
                                      FIX_TIMEOUT))
                finally:
                    ended[group] = time.monotonic()

            started[g] = time.monotonic()
            threads[g] = threading.Thread(target=body, name=f"selftest-{g}", daemon=True)
            threads[g].start()
        def next_due(group: str) -> tuple[float, str | None]:
            """When the group's next awaited check is overdue, and which one it is."""
            order = specs_of(group)
            with lock:
                done = set(got[group])
                since = last.get(group, started[group])
            after = max((i for i, spec in enumerate(order) if spec.id in done), default=-1)
            budget = 0.0
            for spec in order[after + 1:]:
                budget += self.limits.get(spec.id, 5.0)
                if spec.id not in done and (wanted is None or spec.id in wanted):
                    return since + budget + paused[group], spec.id
            return math.inf, None

        overdue: dict[str, str] = {}
        for g, th in threads.items():
            while th.is_alive():
                due, check_id = next_due(g)
                left = due - time.monotonic()
                if check_id is None:
                    th.join(0.5)
                    continue
                if left <= 0:
                    overdue[g] = check_id
                    break
                th.join(min(left, 0.2))
        self.cancel.set()  # a group past its time stops at its next check point
        for g in groups:
            if threads[g].is_alive():
                ended.setdefault(g, time.monotonic())
            with lock:
                have = dict(got[g])
            for spec in specs_of(g):
                if wanted is not None and spec.id not in wanted:
                    continue
                check = have.get(spec.id)
                if check is None and spec.id == overdue.get(g):
                    check = make(spec.id, Status.FAIL, "timed out", f"within {self.limits.get(spec.id, 5.0):g} s",
                                 "the device did not answer in time", FIX_TIMEOUT_BY_GROUP.get(g, FIX_TIMEOUT))
                    emitter(g)(check)
                elif check is None:
                    check = make(spec.id, Status.SKIP, detail=f"not run: {overdue.get(g) or g} did not finish in time")
                    emitter(g)(check)
                run.checks.append(check)
            run.group_s[g] = ended.get(g, time.monotonic()) - started[g] - paused[g]
            if self.on_group is not None:
                self.on_group(g, run.group_s[g])
        run.duration_s = time.monotonic() - t0
        run.sort()
        return run

    def rerun(self, check_id: str, previous: SelfTestRun | None = None) -> SelfTestRun:
        """Run one check again (its group's prerequisites run too, unreported); returns
        ``previous`` with that check replaced (or a run with just that check)."""
        if check_id not in SPEC_BY_ID:
            raise KeyError(f"unknown self-test check {check_id!r}")
        one = self.run(only_checks=[check_id])
        if previous is None:
            return one
        out = previous.copy()
        for c in one.checks:
            out.replace_check(c)
        return out


def record_run(log_sink: Any, run: SelfTestRun, show_id: str | None = None) -> None:
    """Store a run in the event log (source ``selftest``): one ``selftest.run`` event with
    the whole report as payload, and one ``selftest.check_failed`` event per failed check."""
    counts = run.counts()
    severity = 40 if not run.passed else 30 if counts["warn"] else 20
    verdict = "passed" if run.passed else "FAILED"
    message = (f"self-test {verdict}: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail, "
               f"{counts['skip']} skip in {run.duration_s:.1f} s")
    log_sink.log("selftest", "selftest.run", message, severity, run.to_dict(), show_id)
    for c in run.checks:
        if c.status is Status.FAIL:
            log_sink.log("selftest", "selftest.check_failed", f"{c.id} failed: {c.value or ''} ({c.detail})".strip(),
                         40, c.to_dict(), show_id)
