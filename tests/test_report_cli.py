"""``studio-console report``: the HTML review from the command line, and how it looks in a
real browser (headless Chromium screenshot in artifacts/screenshots/report-sample.png)."""
from __future__ import annotations

from pathlib import Path

import pytest

from studio_app.cli import main
from tests.harness import unavailable
from tests.test_report_review import ROOM, SAMPLE, SHOW_ID, run_sample_show, sample_log, show_clock  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def test_cli_report_of_the_latest_show(sample_log, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    assert main(["--db", sample_log, "report"]) == 0  # no SHOW: the latest show in the log
    out = capsys.readouterr().out
    assert f"wrote the review of show {SHOW_ID}" in out
    page = tmp_path / f"report-{SHOW_ID}.html"
    text = page.read_text(encoding="utf-8")
    assert "<section id='segments'>" in text and "<svg" in text
    # with the rundown, room filter and weights
    named = tmp_path / "named.html"
    assert main(["--db", sample_log, "report", SHOW_ID, "--out", str(named), "--room", ROOM,
                 "--rundown", str(SAMPLE), "--weights", "gmv=100"]) == 0
    assert "暖冬好物专场" in named.read_text(encoding="utf-8")
    assert "成交额 GMV 100%" in named.read_text(encoding="utf-8")


def test_cli_report_errors_are_one_line(sample_log, tmp_path, capsys):  # noqa: F811
    cases = [
        (["report", "NO-SUCH-SHOW", "--out", str(tmp_path / "x.html")], "no events of show 'NO-SUCH-SHOW'"),
        (["report", SHOW_ID, "--room", "三号间", "--out", str(tmp_path / "x.html")], "in room 三号间"),
        (["report", SHOW_ID, "--out", str(tmp_path / "missing" / "x.html")], "does not exist"),
        (["report", SHOW_ID, "--out", str(tmp_path)], "is a folder"),
        (["report", SHOW_ID, "--weights", "gmv=abc"], "--weights"),
        (["report", SHOW_ID, "--rundown", str(tmp_path / "nope.toml")], "no such file"),
    ]
    for argv, expected in cases:
        assert main(["--db", sample_log, *argv]) == 2, argv
        err = capsys.readouterr().err
        assert expected in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert not (tmp_path / "x.html").exists()


def test_cli_report_empty_log(tmp_path, capsys):
    from studio_app.store import writing_engine

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with writing_engine(url):  # a log with its tables and no show yet
        pass
    assert main(["--db", url, "report"]) == 2
    assert "no show in the log yet" in capsys.readouterr().err


def test_cli_report_without_a_log_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "log.sqlite3"
    assert main(["--db", f"sqlite:///{missing}", "report"]) == 2
    err = capsys.readouterr().err
    assert f"no event log at {missing}" in err and err.count("\n") == 1
    assert not (tmp_path / "no").exists()


@pytest.mark.slow
def test_report_screenshot_in_chromium(tmp_path, show_clock):  # noqa: F811
    """The report as a person sees it: every chart drawn, Chinese text, no broken layout."""
    from tests.harness.chromium import ChromiumError

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    run_sample_show(url, tmp_path, show_clock)
    from studio_app.store import enter_figures, open_engine, upgrade_database

    engine = open_engine(url)
    upgrade_database(engine)
    enter_figures(engine, SHOW_ID, room=ROOM, gmv=182_000.0, orders=1450, viewers=52_000, interactions=9_100)
    enter_figures(engine, "2026-12-05-home", room=ROOM, gmv=240_000.0, orders=1600, viewers=70_000, interactions=8_000)
    engine.dispose()
    page = tmp_path / "report.html"
    assert main(["--db", url, "report", SHOW_ID, "--rundown", str(SAMPLE), "--out", str(page)]) == 0
    shot = ROOT / "artifacts" / "screenshots" / "report-sample.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):  # a browser killed by a loaded machine's hiccup gets one more go
        try:
            _screenshot(page, shot)
            break
        except (ChromiumError, OSError) as exc:
            if attempt == 1:
                if isinstance(exc, ChromiumError) and "not installed" in str(exc):
                    unavailable("chromium", str(exc))
                raise
    assert shot.stat().st_size > 50_000


def _screenshot(page: Path, shot: Path) -> None:
    from tests.harness.chromium import Chromium

    browser = Chromium.launch(1200, 900)
    try:
        browser.navigate(page.as_uri())
        assert browser.evaluate("document.querySelectorAll('section').length") == 11
        assert browser.evaluate("document.querySelectorAll('.chart svg').length") == 5
        # every chart has a drawn size (an SVG that failed to parse is 0 x 0)
        sizes = browser.evaluate("[...document.querySelectorAll('.chart svg')].map(s => s.getBoundingClientRect().width)")
        assert all(w > 300 for w in sizes), sizes
        # nothing wider than the page (no horizontal scrolling)
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        browser.full_page_screenshot(shot, 1200)
    finally:
        browser.close()
