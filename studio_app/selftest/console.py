"""Console checks: the database is writable and migrated; the cue screens are there; the
clock is monotonic and the wall clock does not jump.

The database check goes through the store package only (open, migrate, read the
revision, write a probe event through the event log as the desk would).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

from studio_app.selftest.checks import Status, hint, make, skipped
from studio_app.selftest.context import GroupContext

CLOCK_SAMPLE_S = 0.3
MAX_DRIFT_S = 0.05

FIX_DB = hint("数据库不可写或无法迁移: 检查数据库文件夹的权限和剩余空间, 或检查数据库服务器是否在线 (--db / 设置里的地址)",
              "The database is not writable or cannot be migrated: check the folder's permissions and free space, or that "
              "the database server is up (--db / the settings' URL)")
FIX_SCREENS = hint("提词屏数量不够: 接好提词屏的 HDMI 线并打开显示器, 在系统显示设置里启用扩展屏",
                   "Not enough screens for the cue displays: connect the cue screen's HDMI cable, switch the monitor on, "
                   "and extend the desktop in the system's display settings")
FIX_CLOCK = hint("系统时钟异常: 开启网络校时(NTP), 直播中不要手动改系统时间",
                 "The system clock misbehaves: enable network time (NTP) and never change the clock by hand during a show")


def run_console(ctx: GroupContext) -> None:
    if ctx.wants("console.db"):
        _db(ctx)
    if ctx.wants("console.screens"):
        _screens(ctx)
    if ctx.wants("console.clock"):
        _clock(ctx)


def _safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _db(ctx: GroupContext) -> None:
    url = ctx.db_url
    if not url:
        ctx.report(skipped("console.db", "no database URL given"))
        return
    from studio_app.store import EventLog, open_engine, upgrade_database
    from studio_app.store.db import current_revision, head_revision

    shown = _safe_url(url)
    try:
        engine = open_engine(url)
    except Exception as exc:  # noqa: BLE001 - a bad URL is a finding with its reason
        ctx.report(make("console.db", Status.FAIL, "cannot open", "writable, migrated", f"{shown}: {exc}", FIX_DB))
        return
    try:
        upgrade_database(engine)
        revision, head = current_revision(engine), head_revision()
    except Exception as exc:  # noqa: BLE001
        ctx.report(make("console.db", Status.FAIL, "not migrated", "writable, migrated",
                        f"{shown}: {str(getattr(exc, 'orig', None) or exc).splitlines()[0]}", FIX_DB))
        return
    finally:
        engine.dispose()
    if revision != head:
        ctx.report(make("console.db", Status.FAIL, f"revision {revision}", f"revision {head}",
                        "the schema is not at the newest revision", FIX_DB, revision=revision, head=head))
        return
    log = EventLog(url, retry_interval=30.0).start()
    try:
        # Source "system", not "selftest": the show review lists the self-test's own events.
        log.log("system", "system.db_probe", "self-test: database write test", 10, {"probe": True})
        ok = log.flush(timeout=5.0)
        status = log.status
    finally:
        log.close(timeout=2.0)
    if not ok:
        ctx.report(make("console.db", Status.FAIL, "not writable", "writable, migrated",
                        status.detail or "the probe event was not written within 5 s", FIX_DB, revision=revision))
        return
    ctx.report(make("console.db", Status.PASS, f"revision {revision}", f"revision {head}, writable",
                    f"{shown}: probe event written", revision=revision))


def count_screens_xrandr() -> tuple[int | None, str]:
    """Monitors of the X display (``xrandr --listmonitors``); (None, reason) when unknown."""
    display = os.environ.get("DISPLAY")
    if not display:
        return None, "no display (DISPLAY not set): screens cannot be counted here"
    if shutil.which("xrandr") is None:
        return None, "xrandr is not installed: screens cannot be counted"
    try:
        proc = subprocess.run(["xrandr", "--listmonitors"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"xrandr failed: {exc}"
    if proc.returncode != 0:
        return None, f"xrandr failed: {proc.stderr.strip()[:200]}"
    m = re.search(r"Monitors:\s*(\d+)", proc.stdout)
    if not m:
        return None, "xrandr printed no monitor count"
    return int(m.group(1)), f"X display {display}"


def _screens(ctx: GroupContext) -> None:
    if ctx.screens is not None:
        count, how = ctx.screens(), "Qt screens"
    else:
        count, how = count_screens_xrandr()
    if count is None:
        ctx.report(skipped("console.screens", how))
        return
    need = ctx.profile.console.screens
    limit = need if need is not None else 1
    ok = count >= limit
    detail = how if need is not None else f"{how}; no screen count in the profile (at least one)"
    ctx.report(make("console.screens", Status.PASS if ok else Status.FAIL, f"{count} screen(s)", f">= {limit}",
                    detail, FIX_SCREENS, screens=count))


def _clock(ctx: GroupContext) -> None:
    """time.monotonic never goes back over a short sample; wall time advances with it."""
    backwards = 0
    worst = 0.0
    wall0, mono0 = time.time(), time.monotonic()
    prev = mono0
    end = mono0 + CLOCK_SAMPLE_S
    n = 0
    while True:
        now = time.monotonic()
        n += 1
        if now < prev:
            backwards += 1
            worst = max(worst, prev - now)
        prev = now
        if now >= end:
            break
        if n % 1000 == 0:
            time.sleep(0.001)
    drift = (time.time() - wall0) - (time.monotonic() - mono0)
    data = {"samples": n, "backwards": backwards, "drift_s": round(drift, 4)}
    threshold = f"never backwards, wall drift <= {MAX_DRIFT_S * 1000:.0f} ms"
    if backwards:
        ctx.report(make("console.clock", Status.FAIL, f"{backwards} steps back (up to {worst * 1000:.1f} ms)", threshold,
                        "the monotonic clock went backwards", FIX_CLOCK, **data))
    elif abs(drift) > MAX_DRIFT_S:
        ctx.report(make("console.clock", Status.WARN, f"wall clock drift {drift * 1000:.0f} ms", threshold,
                        f"the wall clock moved {drift * 1000:.0f} ms against the monotonic clock in {CLOCK_SAMPLE_S:g} s "
                        "(a time step?)", FIX_CLOCK, **data))
    else:
        ctx.report(make("console.clock", Status.PASS, f"{n} samples, drift {drift * 1000:.1f} ms", threshold, "", **data))
