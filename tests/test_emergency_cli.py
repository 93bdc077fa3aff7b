"""``studio-console runbooks`` and ``studio-console incidents`` (incidents and drills apart)."""
from __future__ import annotations

import json

from studio_app.cli import main
from studio_app.show.emergency import EmergencyDesk, StepOutcome, default_runbooks_path, load_runbooks
from studio_app.store import EventLog


def test_runbooks_lists_the_shipped_file_and_locates_a_mistake(tmp_path, capsys):
    assert main(["runbooks", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["runbooks"]][:2] == ["camera", "mic"]
    assert data["runbooks"][0]["actions"][0] == {"type": "obs_scene", "params": {"scene": "BRB"}, "action": "obs.scene",
                                                 "args": {"scene": "BRB"}, "automatic": False}
    assert data["runbooks"][0]["triggers"][0] == {"alarm": "camera.no_signal", "for_at_least_s": 2.0}
    bad = tmp_path / "runbooks.toml"
    bad.write_text('format = 1\n[[runbook]]\nid = "x"\nname_en = "X"\n[[runbook.action]]\ntype = "boom"\n', encoding="utf-8")
    assert main(["runbooks", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "runbooks.toml:6: runbook[1].action[1].type: unknown action type" in err and err.count("\n") == 1


def test_incidents_lists_real_incidents_and_drills_apart(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    with EventLog(url, spool_path=tmp_path / "outbox" / "l.jsonl") as log:
        desk = EmergencyDesk(load_runbooks(default_runbooks_path()),
                             lambda name, args, by: StepOutcome("ok"), log)
        real = desk.open("complaints")
        desk.tick(real.id, 0)
        desk.close(real.id, "尺码问题已说明")
        desk.set_drill(True)
        drill = desk.open("wrong_price")
        desk.close(drill.id)
        assert log.flush()
    assert main(["--db", url, "incidents", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in report["incidents"]] == [real.id]
    assert [e["id"] for e in report["drills"]] == [drill.id]
    inc = report["incidents"][0]
    assert inc["name_zh"] == "投诉激增" and inc["note"] == "尺码问题已说明" and inc["closed_time"].endswith("Z")
    assert [a["result"] for a in inc["actions"]] == ["ok", "ok"] and inc["ticks"][0]["done"] is True
    assert main(["--db", url, "incidents"]) == 0
    out = capsys.readouterr().out
    assert out.index("Incidents: 1") < out.index("投诉激增") < out.index("Drills (演练): 1") < out.index("报错价格")
