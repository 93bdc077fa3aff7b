"""CSV export of the events of a show: opens in Excel with Chinese intact, nothing runs."""
from __future__ import annotations

import csv
import json

from studio_app.cli import main
from studio_app.store import EventLog, export_events_csv, open_engine


def _fill(db_url, tmp_path):
    a = EventLog(db_url, room="一号间", spool_path=tmp_path / "a" / "ev.jsonl").start()
    b = EventLog(db_url, room="二号间", spool_path=tmp_path / "b" / "ev.jsonl").start()
    a.log("camera", "signal_lost", "摄像头 1 无信号", 40, {"设备": "C920", "note": "逗号, \"引号\""}, "SHOW-1")
    a.log("desk", "note", "=HYPERLINK(\"http://x\")", 20, None, "SHOW-1")
    a.log("mic", "level", "-12 dBFS", 20, None, "SHOW-1")
    a.log("desk", "other", "another show", 20, None, "SHOW-2")
    b.log("obs", "scene", "B 间切换场景", 20, None, "SHOW-1")
    assert a.flush() and b.flush()
    a.close()
    b.close()


def test_export_is_utf8_with_bom_and_round_trips(db_url, tmp_path):
    _fill(db_url, tmp_path)
    out = tmp_path / "show.csv"
    engine = open_engine(db_url)
    try:
        n = export_events_csv(engine, out, show_id="SHOW-1")
        n_room = export_events_csv(engine, tmp_path / "b.csv", show_id="SHOW-1", rooms=["二号间"])
    finally:
        engine.dispose()
    assert n == 4 and n_room == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0]) == ["id", "time_utc", "time_local", "room", "session", "show_id", "source", "kind",
                             "severity", "message", "payload"]
    assert [r["message"] for r in rows if r["room"] == "一号间"][0] == "摄像头 1 无信号"
    assert {r["show_id"] for r in rows} == {"SHOW-1"}
    assert {r["room"] for r in rows} == {"一号间", "二号间"}
    cam = next(r for r in rows if r["kind"] == "signal_lost")
    assert json.loads(cam["payload"]) == {"设备": "C920", "note": "逗号, \"引号\""}
    assert cam["severity"] == "error" and cam["time_utc"].endswith("Z")
    note = next(r for r in rows if r["kind"] == "note")
    assert note["message"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    level = next(r for r in rows if r["kind"] == "level")
    assert level["message"] == "-12 dBFS"  # a negative number stays a number


def test_cli_export_events(db_url, tmp_path, capsys):
    _fill(db_url, tmp_path)
    out = tmp_path / "x.csv"
    assert main(["--db", db_url, "export-events", "SHOW-1", "--out", str(out), "--source", "camera,obs"]) == 0
    assert "wrote 2 events of show SHOW-1" in capsys.readouterr().out
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["source"] for r in rows] == ["camera", "obs"]
    assert main(["--db", db_url, "export-events", "NONE", "--out", str(tmp_path / "n.csv")]) == 0
    assert "no events for show 'NONE'" in capsys.readouterr().err
    assert main(["--db", db_url, "export-events", "SHOW-1", "--out", str(tmp_path / "missing" / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and err.count("\n") == 1
