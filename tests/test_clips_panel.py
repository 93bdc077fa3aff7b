"""The Clips dock cuts a show's explanations from the recording off the GUI thread and lists
them with their first frames."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from studio_app.ui.clips_panel import ClipsPanel
from tests.harness import artifact_path
from tests.test_clips_cli import show  # noqa: F401 - the fixture: a show and its real recording


@pytest.fixture
def panel(qtbot, show):  # noqa: F811
    db_url, show_id, _rec = show
    p = ClipsPanel(SimpleNamespace(db_url=db_url))
    qtbot.addWidget(p)
    p.resize(900, 520)
    with qtbot.waitSignal(p.clips_loaded, timeout=20000):
        p.show()  # lists the shows of the log, then the (not yet cut) clips of the newest
    yield p, show_id
    p.close()


def test_cut_lists_every_explanation_with_its_first_frame(panel, qtbot):
    p, show_id = panel
    assert p.current_show() == show_id and p.list.count() == 0 and p.cut_button.isEnabled()
    p.pad.setValue(0.0)
    with qtbot.waitSignal(p.clips_loaded, timeout=120000) as blocker:
        p.cut.__call__()
        assert not p.cut_button.isEnabled()  # the GUI goes on while ffmpeg works
    assert blocker.args == [2]
    assert all(not p.list.item(i).icon().isNull() for i in range(2))
    assert "2" in p.status.text() and "past the end" in p.status.text()  # the second ran past the recording
    assert (p.folder() / "clips.json").is_file()
    p.list.setCurrentRow(0)
    p._enable()
    assert p.play_button.isEnabled()
    p.grab().save(str(artifact_path("clips", "clips-dock.png")))
