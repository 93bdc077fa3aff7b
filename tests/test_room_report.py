"""The review with the live room: the sample show run on the desk (hand-driven clock), its room
recording imported, and the report's minute curves with the desk's events marked, looked at in
Chromium (artifacts/screenshots/report-room.png)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from studio_app.cli import main
from studio_app.room import sample
from studio_app.store import open_engine
from tests.harness import unavailable
from tests.test_report_review import ROOM, SAMPLE, SHOW_ID, run_sample_show, show_clock  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def _show_start(url: str) -> float:
    from studio_app.report.source import load_review

    engine = open_engine(url)
    try:
        return load_review(engine, SHOW_ID).started_wall
    finally:
        engine.dispose()


def test_the_report_plots_the_room_with_the_desk_events_and_looks_right(tmp_path, show_clock):  # noqa: F811
    from tests.harness.chromium import Chromium, ChromiumError

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    run_sample_show(url, tmp_path, show_clock)
    start = _show_start(url)
    recording = tmp_path / "room.ndjson.gz"
    sample.write(recording, start=dt.datetime.fromtimestamp(start, dt.timezone.utc))
    assert main(["--db", url, "room", "import", SHOW_ID, str(recording), "--room", ROOM]) == 0
    page = tmp_path / "report.html"
    assert main(["--db", url, "report", SHOW_ID, "--rundown", str(SAMPLE), "--out", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "<section id='room'>" in text and "id='chart-room'" in text

    from studio_app.report.source import load_review

    engine = open_engine(url)
    try:
        review = load_review(engine, SHOW_ID, rundown=SAMPLE)
    finally:
        engine.dispose()
    kinds = {k for _m, k, _l in review.room.marks}
    assert {"segment", "card", "coupon", "room"} <= kinds, kinds
    assert [g["id"] for g in review.room.summary["segments"]] == [r.segment for r in review.segments
                                                                  if r.actual_s is not None]
    assert review.room.summary["show"]["gmv"] > 0 and max(review.room.curves["online"]) > 1000

    shot = ROOT / "artifacts" / "screenshots" / "report-room.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    try:
        browser = Chromium.launch(1200, 900)
    except (ChromiumError, OSError) as exc:
        unavailable("chromium", str(exc))
    try:
        browser.navigate(page.as_uri())
        width = browser.evaluate("document.querySelector('#chart-room svg').getBoundingClientRect().width")
        assert width > 300
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        top = int(browser.evaluate("document.querySelector('#room').getBoundingClientRect().top + window.scrollY"))
        height = int(browser.evaluate("document.querySelector('#room').getBoundingClientRect().height"))
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1200, "height": height + 40, "deviceScaleFactor": 1, "mobile": False})
        browser.evaluate(f"window.scrollTo(0, {top - 20})")
        browser.screenshot(shot)
    finally:
        browser.close()
    assert shot.stat().st_size > 50_000


def test_without_typed_figures_the_score_comes_from_the_room(tmp_path, show_clock):  # noqa: F811
    from studio_app.report.source import load_review
    from studio_app.store import enter_figures, upgrade_database

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    run_sample_show(url, tmp_path, show_clock)
    start = _show_start(url)
    recording = tmp_path / "room.ndjson.gz"
    sample.write(recording, start=dt.datetime.fromtimestamp(start, dt.timezone.utc))
    assert main(["--db", url, "room", "import", SHOW_ID, str(recording), "--room", ROOM]) == 0
    engine = open_engine(url)
    upgrade_database(engine)
    try:
        enter_figures(engine, "2026-12-05-home", room=ROOM, gmv=240_000.0, orders=1600, viewers=70_000, interactions=8_000)
        review = load_review(engine, SHOW_ID)
        assert review.sales is not None and review.sales.totals.gmv == review.room.summary["show"]["gmv"]
        assert [s.show_id for s in review.sales.others] == ["2026-12-05-home"] and 0 < review.sales.score.score <= 100
        enter_figures(engine, SHOW_ID, room=ROOM, gmv=1.0, orders=1, viewers=1)  # typed figures win
        assert load_review(engine, SHOW_ID).sales.totals.gmv == 1.0
    finally:
        engine.dispose()
