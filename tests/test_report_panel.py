"""The desk's Review panel: show list and report built off the GUI thread, summary, open in
browser, save HTML, export CSV — on the log of a scripted run of the sample show."""
from __future__ import annotations

import csv
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.test_report_review import SAMPLE, SHOW_ID, run_sample_show, show_clock  # noqa: F401


@pytest.fixture
def sample_sqlite(tmp_path, show_clock):  # noqa: F811
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    run_sample_show(url, tmp_path, show_clock)
    return url


class _Browser(QObject):
    """Stands in for the system browser: records the URLs the panel asks to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def _summary(panel) -> dict[str, str]:
    t = panel.summary
    return {t.item(i, 0).text(): t.item(i, 1).text() for i in range(t.rowCount())}


def test_review_panel_builds_and_exports(qtbot, sample_sqlite, tmp_path):
    from studio_app.ui.review_panel import ReviewPanel

    panel = ReviewPanel(SimpleNamespace(db_url=sample_sqlite, show_path=SAMPLE))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.shows_loaded, timeout=30_000) as listed:
        panel.show()
    assert [s.show_id for s in listed.args[0]] == [SHOW_ID]
    assert panel.show_box.count() == 1 and panel.current_show() == SHOW_ID

    with qtbot.waitSignal(panel.report_ready, timeout=60_000) as ready:
        panel.build_button.click()
        assert panel.review is None  # the click returned before the report was read and drawn
    path = ready.args[0]
    assert "<section id='segments'>" in open(path, encoding="utf-8").read()
    s = _summary(panel)
    assert s["Camera incidents"] == "3" and s["Dead air"] == "1" and s["OBS disconnects"] == "1"
    assert s["Segments run"] == "14" and s["Worst drop lateness (s)"] == "0.0" and s["Self-test"] == "passed" and s["Drills"] == "1"
    assert s["Show"].endswith("暖冬好物专场")

    browser = _Browser()
    QDesktopServices.setUrlHandler("file", browser, "open")
    try:
        panel.open_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in browser.opened] == [path]

    with qtbot.waitSignal(panel.saved, timeout=30_000):
        panel.save_html(tmp_path / "saved.html")
    assert (tmp_path / "saved.html").read_text(encoding="utf-8") == panel.html
    with qtbot.waitSignal(panel.saved, timeout=30_000):
        panel.export_csv(tmp_path / "events.csv")
    rows = list(csv.DictReader((tmp_path / "events.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows and {r["show_id"] for r in rows} == {SHOW_ID}
    panel.stop()


def test_review_panel_reports_a_failure_in_one_line(qtbot, tmp_path):
    from studio_app.ui.review_panel import ReviewPanel

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    panel = ReviewPanel(SimpleNamespace(db_url=url, show_path=None))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.shows_loaded, timeout=30_000):
        panel.show()
    assert panel.show_box.count() == 0 and not panel.build_button.isEnabled()
    assert "No show in the log yet" in panel.status.text()
    with qtbot.waitSignal(panel.failed, timeout=30_000) as failed:
        panel.build("NO-SUCH-SHOW")
    assert "no events of show 'NO-SUCH-SHOW'" in failed.args[0] and "\n" not in failed.args[0]
    assert panel.status.text().startswith("Failed:")
    panel.stop()
