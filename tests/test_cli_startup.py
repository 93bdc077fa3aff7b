"""What a command loads before it works: `room alerts` on a log already up to date, and
`--help`, need neither OpenCV/numpy (~0.4 s, camcheck's) nor Alembic/Mako (~0.4 s, migrations');
`room alerts` on a SQLite log up to date not even SQLAlchemy (~0.3 s).
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
HEAVY = ("cv2", "numpy", "alembic", "mako", "sqlalchemy")
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
    assert set(loaded) <= {"sqlalchemy"}


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


def test_room_alerts_read_directly_and_through_sqlalchemy_print_the_same(tmp_path) -> None:
    """A URL with an option is read through SQLAlchemy: both readers give the same alerts."""
    from studio_app.room.ingest import RoomIngest
    from studio_app.room.messages import parse_message
    from studio_app.room.replay import read_recording
    from studio_app.room.sample import OUT as SAMPLE_RECORDING

    db = tmp_path / "room.sqlite3"
    engine = open_engine(f"sqlite:///{db}")
    upgrade_database(engine)
    accepted: list = []
    RoomIngest(on_accept=[accepted.append]).submit(read_recording(SAMPLE_RECORDING)[0])
    # and a comment the store keeps whole (U+0000 in its text), among the columns
    accepted.append(parse_message({"ts": int(accepted[-1].ts * 1000) + 1, "type": "comment", "user": "u0",
                                   "text": "卡了\u0000"}))
    save_room_messages(engine, "sample", accepted)
    engine.dispose()
    direct = run_cli("--db", f"sqlite:///{db}", "room", "alerts", "sample", "--json")
    through = run_cli("--db", f"sqlite:///{db}?timeout=5", "room", "alerts", "sample", "--json")
    assert direct[0] == through[0] == 1
    assert "sqlalchemy" not in direct[1] and "sqlalchemy" in through[1]
    assert json.loads(direct[2]) == json.loads(through[2]) and len(json.loads(direct[2])) >= 5
