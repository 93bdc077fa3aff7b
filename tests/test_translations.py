"""The zh_CN catalogue is complete, compiled, and what the desk loads."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import i18n  # noqa: E402


def test_every_ui_string_is_translated():
    proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "i18n.py"), "check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_check_notices_an_unfinished_message(tmp_path):
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
                  "<context><name>Panel</name><message><source>Go live</source>"
                  '<translation type="unfinished"></translation></message></context></TS>', encoding="utf-8")
    assert i18n.unfinished("zh_CN", ts) == [("Panel", "Go live")]


def test_compiled_catalogue_matches_its_source(tmp_path):
    out = tmp_path / "fresh.qm"
    subprocess.run([i18n._tool("pyside6-lrelease"), str(i18n.ts_path("zh_CN")), "-qm", str(out)],
                   check=True, capture_output=True)
    committed = i18n.ts_path("zh_CN").with_suffix(".qm")
    assert out.read_bytes() == committed.read_bytes(), "run: python packaging/i18n.py release"


def test_desk_strings_come_out_in_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from studio_app.ui import i18n as ui_i18n

    try:
        assert ui_i18n.install(qapp, "zh_CN") == "zh_CN"
        assert QCoreApplication.translate("MainWindow", "Event log") == "事件日志"
        assert QCoreApplication.translate("Devices", "Microphone") == "麦克风"
    finally:
        ui_i18n.install(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "Event log") == "Event log"
