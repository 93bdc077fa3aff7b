"""Show review (复盘) figures: how long ``studio-console report`` takes for a 4-hour show
with one event a second from each device (camera, mic, OBS) and the desk (57,601 events),
on SQLite and PostgreSQL. Prints a table of medians (3 runs) split into reading the log,
assembling the review, drawing the charts and writing the HTML.

PostgreSQL runs on a throw-away server (tests/harness/postgres.py); without its binaries
that row is skipped. Run: ``.venv/bin/python tests/benchmarks/bench_report.py``.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.report import load_review, write_report  # noqa: E402
from studio_app.report.charts import all_charts  # noqa: E402
from studio_app.report.html import render_html  # noqa: E402
from studio_app.store import open_engine, upgrade_database  # noqa: E402
from tests.benchmarks.show_log import load_show  # noqa: E402
from tests.benchmarks.table import median, print_table  # noqa: E402

REPEATS = 3
SHOW = "BENCH-4H"


def one_report(url: str, out: Path) -> dict[str, float]:
    engine = open_engine(url)
    try:
        t0 = time.perf_counter()
        review = load_review(engine, SHOW)
        t1 = time.perf_counter()
    finally:
        engine.dispose()
    charts = all_charts(review)
    t2 = time.perf_counter()
    html = render_html(review, charts)
    write_report(html, out)
    t3 = time.perf_counter()
    return {"read+assemble": t1 - t0, "charts": t2 - t1, "html": t3 - t2, "total": t3 - t0,
            "events": review.event_count, "kb": out.stat().st_size / 1024}


def bench(url: str, tmp: Path) -> dict[str, float]:
    engine = open_engine(url)
    upgrade_database(engine)
    engine.dispose()
    t0 = time.perf_counter()
    load_show(url, tmp / "outbox", SHOW)
    fill = time.perf_counter() - t0
    runs = [one_report(url, tmp / f"report-{i}.html") for i in range(REPEATS)]
    out = {k: median(r[k] for r in runs) for k in runs[0]}
    out["fill"] = fill
    return out


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as d:
        tmp = Path(d)
        results = {"SQLite": bench(f"sqlite:///{tmp / 'log.sqlite3'}", tmp / "sqlite")}
        try:
            from tests.harness.postgres import start_postgres

            server = start_postgres()
        except Exception as exc:  # noqa: BLE001 - no PostgreSQL here: SQLite only
            print(f"PostgreSQL skipped: {exc}")
            server = None
        if server is not None:
            try:
                results["PostgreSQL"] = bench(server.url(server.create_database()), tmp / "pg")
            finally:
                server.destroy()
    for name, r in results.items():
        rows.append([name, f"{int(r['events']):,}", f"{r['read+assemble']:.2f}", f"{r['charts']:.2f}", f"{r['html']:.3f}",
                     f"{r['total']:.2f}", f"{r['kb']:.0f}", f"{r['fill']:.1f}"])
    print_table(f"Report of a 4-hour show, one event a second per device (median of {REPEATS})",
                ["database", "events", "read+assemble s", "charts s", "HTML s", "total s", "HTML KiB", "(log fill s)"], rows)
    if "PostgreSQL" in results:
        s, p = results["SQLite"]["total"], results["PostgreSQL"]["total"]
        print(f"PostgreSQL / SQLite total: {p / s:.2f}x")


if __name__ == "__main__":
    main()
