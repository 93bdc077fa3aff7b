"""Show-logic figures: prints a table of medians.

1. Loading and validating a 500-segment rundown (TOML), against tomllib parsing alone
   (the ratio is what our validation and line mapping add); the same rundown as CSV and
   XLSX; the compliance check of all its text.
2. Scheduler tick cost: ``ShowDesk.tick()`` (cue phase + coupon/flash scheduler) on the
   sample show and on the 500-segment show with 100 coupon drops; ``view()`` for the UI.
3. Coupon timing on the real clock, no load: drops 0.25 s apart fired by a loop that
   sleeps until ``next_deadline()`` (what the desk's single-shot timer does); lateness
   p50/p99 from ``Firing.lateness``. The desk repeats this under camera+meter load.

Run: ``.venv/bin/python benchmarks/bench_show.py`` (``--quick`` for fewer repeats).
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.core.paths import sample_show_path  # noqa: E402
from studio_app.show.clock import ManualClock, SystemClock  # noqa: E402
from studio_app.show.compliance import ComplianceChecker, check_show  # noqa: E402
from studio_app.show.desk import ShowDesk  # noqa: E402
from studio_app.show.model import Coupon, CouponDrop, Segment, Show, Timing  # noqa: E402
from studio_app.show.rundown import dumps_rundown, load_rundown, loads_rundown  # noqa: E402
from studio_app.show.spreadsheet import load_spreadsheet, save_spreadsheet  # noqa: E402

QUICK = "--quick" in sys.argv
REPEAT = 5 if QUICK else 15


def big_show(n_segments: int = 500, n_drops: int = 100) -> Show:
    sample = load_rundown(sample_show_path())
    segs = []
    for i in range(n_segments):
        s = sample.segments[i % len(sample.segments)]
        segs.append(Segment(f"{s.id}-{i}", f"{s.title} {i}", s.kind, s.duration, s.script, list(s.talking_points),
                            s.notes, list(s.products), s.scene, list(s.overlays), s.warning, s.danger))
    show = Show("big", "500 环节压力测试", sample.platform, sample.planned_start, list(sample.anchors), segs,
                list(sample.products), list(sample.coupons) + [Coupon("C-short", "短券", "满50减5", 100, 60.0)])
    step = max(1, n_segments // n_drops)
    show.coupon_drops = [CouponDrop(f"d{i}", "C-short", Timing(segs[i * step].id, 10.0), 30.0) for i in range(n_drops)]
    return show


def team_sheet(path: Path, n: int) -> Path:
    """An n-row script in the team template's layout (title and info rows, 时间段 ranges,
    product names matched on a products sheet, 福利 with coupon rules), as CSV or XLSX."""
    import csv

    header = ["时间段", "环节", "时长", "产品", "直播话术", "福利/互动", "场控配合", "备注"]
    head = [["双十二直播脚本"], ["直播时间", "2026-12-12 20:00", "主播", "小鹿", "目标", "GMV 50万"], header]

    def rows():
        for i in range(n):
            t = 20 * 60 + i
            yield [f"{t // 60 % 24:02d}:{t % 60:02d}-{(t + 1) // 60 % 24:02d}:{(t + 1) % 60:02d}", f"讲解{i}", None,
                   f"商品{i % 50}", f"第{i}段话术：这款产品的面料很舒服，大家可以看一下细节。", "满200减30" if i % 10 == 0 else "点赞",
                   "弹卡", f"备注{i}"]

    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerows(head)
            w.writerows([["" if c is None else c for c in r] for r in rows()])
        return path
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("脚本")
    for r in head:
        ws.append(r)
    for r in rows():
        ws.append(r)
    wp = wb.create_sheet("商品")
    wp.append(["SKU", "名称", "直播价"])
    for k in range(50):
        wp.append([f"SKU-{k}", f"商品{k}", 99])
    wb.save(path)
    return path


def spreadsheet_rows() -> list[tuple[str, str, str]]:
    """Reading stays linear in the number of rows (issue 21: the duplicate-id check used to
    make 10k rows take 2.5 s and 40k rows 27.5 s)."""
    from studio_app.show.spreadsheet import read_spreadsheet

    out = []
    sizes = (10_000, 100_000) if not QUICK else (2_000, 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".csv", ".xlsx"):
            per_row = []
            for n in sizes:
                p = team_sheet(Path(tmp) / f"team{n}{suffix}", n)
                ms = median_ms(lambda: read_spreadsheet(p), 3 if n <= 10_000 else 1)
                per_row.append(ms * 1000 / n)
                note = f"{per_row[-1]:.0f} µs/row" + (f", {per_row[-1] / per_row[0]:.2f}x the per-row cost at {sizes[0]:,}" if len(per_row) > 1 else "")
                out.append((f"team template {suffix[1:].upper()}, {n:,} rows: read + map", f"{ms / 1000:.2f} s", note))
        # what `rundown convert --accept-drops` adds: the TOML written and loaded back to check it
        from studio_app.show.rundown import loads_rundown
        from studio_app.show.sheet_import import dumps_import

        per_row = []
        for n in sizes:
            result = read_spreadsheet(team_sheet(Path(tmp) / f"conv{n}.csv", n))
            ms = median_ms(lambda: loads_rundown(dumps_import(result, None), "x.toml"), 1)
            per_row.append(ms * 1000 / n)
            note = f"{per_row[-1]:.0f} µs/row" + (f", {per_row[-1] / per_row[0]:.2f}x the per-row cost at {sizes[0]:,}" if len(per_row) > 1 else "")
            out.append((f"rundown convert, {n:,} rows: TOML written + loaded back", f"{ms / 1000:.2f} s", note))
    return out


def median_ms(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def per_call_us(fn, calls: int) -> float:
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls * 1e6


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    show = big_show()
    text = dumps_rundown(show)
    parse = median_ms(lambda: tomllib.loads(text))
    load = median_ms(lambda: loads_rundown(text, "big.toml"))
    rows.append(("500-segment TOML: tomllib parse only", f"{parse:.1f} ms", ""))
    rows.append(("500-segment TOML: load + validate", f"{load:.1f} ms", f"{load / parse:.2f}x parse"))
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".csv", ".xlsx"):
            p = Path(tmp) / f"big{suffix}"
            save_spreadsheet(show, p)
            ms = median_ms(lambda: load_spreadsheet(p), max(3, REPEAT // 3))
            rows.append((f"500-segment {suffix[1:].upper()}: load + validate", f"{ms:.1f} ms", f"{ms / parse:.2f}x parse"))
    checker = ComplianceChecker()
    ms = median_ms(lambda: check_show(show, checker, source_text=text), max(3, REPEAT // 3))
    rows.append(("compliance check, 500 segments + products", f"{ms:.1f} ms", ""))

    rows += spreadsheet_rows()

    # tick cost
    for label, s in (("sample show", load_rundown(sample_show_path())), ("500 segments, 100 drops", show)):
        clock = ManualClock()
        desk = ShowDesk(s, clock, findings=[])
        desk.dispatch("go")

        def tick():
            clock.advance(0.05)
            desk.tick()

        us = per_call_us(tick, 2000 if not QUICK else 500)
        rows.append((f"desk.tick() every 50 ms, {label}", f"{us:.1f} µs", f"{us / 50_000 * 100:.3f}% of the tick period"))
        us = per_call_us(desk.view, 500 if not QUICK else 100)
        rows.append((f"desk.view() for the UI, {label}", f"{us:.1f} µs", ""))

    # real-clock lateness, no load
    n = 12 if QUICK else 40
    drops = [CouponDrop(f"d{i}", f"C{i}", Timing("", 0.5 + 0.25 * i), 0.1) for i in range(n)]
    coupons = [Coupon(f"C{i}", f"券{i}", "满100减10", 10, 0.2) for i in range(n)]
    rt = Show("rt", "timing", segments=[Segment("a", "A", duration=600)], coupons=coupons, coupon_drops=drops)
    desk = ShowDesk(rt, SystemClock(), findings=[])
    desk.dispatch("go")
    lateness = []
    clock = desk.clock
    while len(lateness) < n:
        deadline = desk.next_deadline()
        if deadline is None:
            break
        wait = deadline - clock.now().mono
        if wait > 0:
            time.sleep(wait)
        desk.tick()
        lateness += [f.lateness * 1000 for f in desk.last_firings if f.action == "drop"]
    lateness.sort()
    p50 = statistics.median(lateness)
    p99 = lateness[min(len(lateness) - 1, int(round(0.99 * (len(lateness) - 1))))]
    rows.append((f"coupon drop lateness, real clock, no added load (n={len(lateness)})", f"p50 {p50:.2f} ms", f"p99 {p99:.2f} ms"))

    w = max(len(r[0]) for r in rows)
    print(f"{'show benchmark':<{w}}  {'median':>12}  note")
    print("-" * (w + 40))
    for name, value, note in rows:
        print(f"{name:<{w}}  {value:>12}  {note}")


if __name__ == "__main__":
    main()
