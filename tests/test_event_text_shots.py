"""How a person at the desk sees engine events in zh_CN: the event-log panel under Xvfb and
the review report in headless Chromium, saved in artifacts/screenshots/."""
from __future__ import annotations

import re
from pathlib import Path

import cv2
import pytest

from studio_app.cli import main
from tests.harness import artifact_path, unavailable
from tests.harness.screens import shoot_desk
from tests.test_report_review import show_clock  # noqa: F401 - the event log stamped by the show's clock

# Units and names that are not English sentences.
ALLOWED_LATIN = {"OBS", "LUFS", "dBFS", "kbps", "CPU", "GPU", "Hz", "fps", "MB", "USB", "Audio", "Device"}


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED_LATIN


@pytest.mark.display
def test_log_panel_screenshot_zh_cn_has_no_english_engine_text(tmp_path):
    out, stdout = shoot_desk("log_panel_shot", 1920, 1080, "zh_CN", "log-panel-1920x1080-zh_CN.png", tmp_path)
    assert "CJK_FONTS=0" not in stdout
    rows = [line[4:].split("\t") for line in stdout.splitlines() if line.startswith("ROW=")]
    assert len(rows) > 80, stdout[-2000:]
    english = [(kind, msg) for _sev, _src, kind, msg in rows if english_words(msg)]
    assert not english, english
    assert all(not english_words(f"{sev} {src} {kind}") for sev, src, kind, _m in rows)
    assert any(m.startswith("讲解 ") for *_x, m in rows) and any(m.startswith("给主播: ") for *_x, m in rows)
    img = cv2.imread(str(out))
    assert img is not None and img.shape[:2] == (1080, 1920)
    assert float(img.std()) > 10.0


@pytest.mark.slow
def test_report_screenshot_zh_cn_in_chromium(tmp_path, capsys, show_clock):  # noqa: F811
    from studio_app.store import EventLog
    from tests.harness.chromium import Chromium, ChromiumError
    from tests.harness.sample_events import drive_sample_show

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    with EventLog(url, spool_path=tmp_path / "outbox" / "l.jsonl") as log:  # stamped by the show's clock
        desk = drive_sample_show(log, show_clock)
        assert log.flush()
    page = tmp_path / "report.html"
    assert main(["--db", url, "report", desk.show.id, "--out", str(page), "--lang", "zh_CN"]) == 0
    capsys.readouterr()
    shot = artifact_path("screenshots", "report-zh_CN.png")
    try:
        browser = Chromium.launch(1200, 900)
    except ChromiumError as exc:
        unavailable("chromium", str(exc))
    try:
        browser.navigate(page.as_uri())
        # the event-message cells of the alerts, desk-message and problem tables, as the browser shows them
        cells = browser.evaluate(
            "[...document.querySelectorAll('#alerts td:nth-child(5), #messages td:nth-child(5),"
            " #audio td:nth-child(5), #camera td:nth-child(5), #obs td:nth-child(5), #alerts td:nth-child(2),"
            " #alerts td:nth-child(3), #alerts td:nth-child(4), #emergency td:nth-child(4)')].map(td => td.textContent)")
        assert len(cells) > 10, cells
        assert any("冷场" in c for c in cells) and any("摄像头画面丢失" in c for c in cells), cells
        english = [c for c in cells if english_words(c)]
        assert not english, english
        browser.full_page_screenshot(shot, 1200)
    finally:
        browser.close()
    assert Path(shot).stat().st_size > 50_000
