"""The rundown editor: compliance findings highlighted as you type, saved back to the file."""
from __future__ import annotations

import shutil

from PySide6.QtGui import QTextCharFormat

from studio_app.core.paths import sample_show_path
from studio_app.show.compliance import check_show
from studio_app.show.rundown import load_rundown
from studio_app.ui.rundown_editor import RECHECK_MS, RundownEditor


def open_editor(qtbot, path) -> RundownEditor:
    ed = RundownEditor(path)
    qtbot.addWidget(ed)
    with qtbot.waitSignal(ed.loaded, timeout=10000):
        ed.show()
    return ed


def test_typing_a_banned_claim_is_underlined_listed_and_saved(qtbot, tmp_path):
    path = tmp_path / "show.toml"
    shutil.copy(sample_show_path(), path)
    ed = open_editor(qtbot, path)
    assert ed.error is None and ed.findings == []  # the sample show is clean
    row = ed.show_model.segment_index("scarf")
    ed.segments.setCurrentRow(row)
    cursor = ed.script_edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    ed.script_edit.setTextCursor(cursor)
    qtbot.keyClicks(ed.script_edit, " ")
    ed.script_edit.insertPlainText("全网最低价，错过再等一年")

    with qtbot.waitSignal(ed.checked, timeout=RECHECK_MS * 10) as sig:
        pass  # debounced: one re-check after typing stops
    assert sig.args[0] >= 1
    assert any(f.term == "全网最低价" and f.segment == "scarf" for f in ed.findings)
    assert ed.segments.item(row).text().startswith("⚠")
    assert "全网最低价" in ed.findings_list.item(0).text()

    # the term is underlined in the text, and says why on hover
    block = ed.script_edit.document().lastBlock()
    start = block.text().index("全网最低价")
    underlined = [r for r in block.layout().formats()
                  if r.start <= start < r.start + r.length
                  and r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert underlined
    tip = ed.script_edit.finding_at(block.position() + start + 1)
    assert "全网最低价" in tip and "price_claim" in tip

    ed.points_edit.setPlainText("展示成分标签\n报价：直播价 259")
    with qtbot.waitSignal(ed.saved, timeout=10000):
        ed.save()
    again = load_rundown(path)
    seg = again.segments[row]
    assert seg.script.endswith("全网最低价，错过再等一年")
    assert seg.talking_points == ["展示成分标签", "报价：直播价 259"]
    assert any(f.term == "全网最低价" for f in check_show(again))
    assert not path.with_name(path.name + ".tmp").exists()
    # the person's comments are still in the file (the editor writes its fields in place)
    comments = [line for line in sample_show_path().read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert comments and all(c in path.read_text(encoding="utf-8").splitlines() for c in comments)
    assert "Saved to" in ed.status.text() and ".bak" not in ed.status.text()
    ed.close()


def test_a_bad_length_is_refused_with_the_segment_named(qtbot, tmp_path):
    path = tmp_path / "show.toml"
    shutil.copy(sample_show_path(), path)
    before = path.read_bytes()
    ed = open_editor(qtbot, path)
    ed.duration_edit.setText("ten minutes")
    ed.save()
    assert "open" in ed.status.text() and "ten minutes" in ed.status.text()
    assert path.read_bytes() == before
    ed.close()


def test_a_broken_file_says_where(qtbot, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[show\nid = 1\n", encoding="utf-8")
    ed = open_editor(qtbot, path)
    assert ed.error and "broken.toml" in ed.error
    assert not ed.save_button.isEnabled()
    ed.close()


def test_the_desk_opens_the_editor_and_reloads_the_show_after_a_save(qtbot, tmp_path):
    from tests.harness.desk import Desk

    path = tmp_path / "show.toml"
    shutil.copy(sample_show_path(), path)
    d = Desk(qtbot, tmp_path)
    try:
        d.load(path)
        d.panel.actions["editor"].trigger()  # Ctrl+E
        ed = d.panel.editor
        qtbot.waitUntil(lambda: ed.show_model is not None, timeout=10000)
        ed.script_edit.setPlainText("今天全网最低价")
        loads = d.panel.loads
        with qtbot.waitSignal(ed.saved, timeout=10000):
            ed.save()
        qtbot.waitUntil(lambda: d.panel.loads > loads, timeout=10000)  # not live yet: reloaded
        assert any(f.term == "全网最低价" for f in d.panel.desk.findings)
        assert d.panel.findings_bar.isVisible()
        ed.close()
    finally:
        d.close()
