"""What a command loads before it works: `room alerts` on a log already up to date, and
`--help`, need neither OpenCV/numpy (~0.4 s, camcheck's) nor Alembic/Mako (~0.4 s, migrations').
Start-up time itself is measured in tests/benchmarks/bench_room.py, not here."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from studio_app.room.messages import RoomMessage
from studio_app.store import open_engine, upgrade_database
from studio_app.store.room import save_room_messages

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("cv2", "numpy", "alembic", "mako")
PROBE = ("import json, sys\n"
         "from studio_app.cli import main\n"
         "code = main(sys.argv[1:])\n"
         f"print(json.dumps([code, sorted(m for m in {HEAVY!r} if m in sys.modules)]), file=sys.stderr)\n")


def run_cli(*args: str) -> tuple[int, list[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, loaded = json.loads(proc.stderr.strip().splitlines()[-1])
    return code, loaded, proc.stdout


def test_room_alerts_on_an_up_to_date_log_loads_no_camera_and_no_migration_code(tmp_path) -> None:
    db = tmp_path / "room.sqlite3"
    engine = open_engine(f"sqlite:///{db}")
    upgrade_database(engine)
    t0 = 1_797_076_800.0
    save_room_messages(engine, "S1", [RoomMessage(t0 + i, "comment", {"user": f"u{i}", "text": "卡了"}) for i in range(30)])
    engine.dispose()
    code, loaded, out = run_cli("--db", f"sqlite:///{db}", "room", "alerts", "S1", "--json")
    assert code == 1 and [a["rule"] for a in json.loads(out)] == ["tech_complaints"]
    assert loaded == []


def test_help_loads_no_camera_and_no_migration_code() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE.replace("code = main(sys.argv[1:])",
                                                               "try:\n    main(['--help'])\nexcept SystemExit as e:\n"
                                                               "    code = e.code"), ],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    code, loaded = json.loads(proc.stderr.strip().splitlines()[-1])
    assert code == 0 and "camcheck" in proc.stdout
    assert loaded == []


def test_an_old_log_is_still_migrated_by_room_alerts(tmp_path) -> None:
    """The short cut only skips Alembic when there is nothing to do."""
    from studio_app.store.db import current_revision, head_revision
    from tests.harness.migrations import migrate_to

    db = tmp_path / "old.sqlite3"
    engine = open_engine(f"sqlite:///{db}")
    migrate_to(engine, "0003_room_messages")
    engine.dispose()
    code, loaded, _ = run_cli("--db", f"sqlite:///{db}", "room", "alerts", "S1", "--json")
    assert code == 2 and "alembic" in loaded
    engine = open_engine(f"sqlite:///{db}")
    assert current_revision(engine) == head_revision()
    engine.dispose()
