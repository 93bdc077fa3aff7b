"""The command-line contract: names, options, exit codes and JSON keys that scripts rely on."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from studio_app import __version__
from studio_app.cli import main
from studio_app.store import EventLog


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "studio_app", *args], capture_output=True, text=True, timeout=60, env=env)


def test_version_is_the_package_version():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"studio-console {__version__}"
    assert __version__ != "0.0.0+unknown"


def test_help_lists_subcommands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert "log" in proc.stdout and "--db" in proc.stdout


@pytest.mark.parametrize("url", ["nope://x", "not a url at all", "postgresql+nodriver://h/db"])
def test_invalid_db_url_is_one_line_and_exit_2(url):
    proc = run_cli("--db", url, "log")
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "--db" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def filled_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    with EventLog(url) as log:
        log.log("desk", "cue.go", "开场 → 产品讲解", payload={"segment": "s2"}, show_id="show-1")
        log.log("mic", "mic.dead_air", "静音 8 秒", severity=40)
        log.log("obs", "obs.connected", "OBS 29.0.2")
        assert log.flush()
    return url


def test_log_json_has_the_documented_keys(filled_db, capsys):
    assert main(["--db", filled_db, "log", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["cue.go", "mic.dead_air", "obs.connected"]
    assert {"time", "source", "kind", "severity", "message", "payload", "show_id"} <= set(rows[0])
    assert rows[0]["payload"] == {"segment": "s2"} and rows[0]["message"] == "开场 → 产品讲解"
    assert rows[1]["severity"] == "error"


def test_log_filters_by_source_severity_and_since(filled_db, capsys):
    assert main(["--db", filled_db, "log", "--json", "--source", "mic,obs"]) == 0
    assert [r["source"] for r in json.loads(capsys.readouterr().out)] == ["mic", "obs"]
    assert main(["--db", filled_db, "log", "--json", "--severity", "error"]) == 0
    assert [r["kind"] for r in json.loads(capsys.readouterr().out)] == ["mic.dead_air"]
    assert main(["--db", filled_db, "log", "--json", "--since", "1h"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    future = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 7200))
    assert main(["--db", filled_db, "log", "--json", "--since", future]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_log_text_output_is_one_line_per_event(filled_db, capsys):
    assert main(["--db", filled_db, "log", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "mic.dead_air" in out[0] and "obs.connected" in out[1]


@pytest.mark.parametrize("args", [["--since", "yesterday-ish"], ["--severity", "loud"]])
def test_log_bad_options_exit_2(filled_db, args, capsys):
    assert main(["--db", filled_db, "log", *args]) == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_desk_closes_cleanly_on_ctrl_c_and_sigterm(tmp_path, sig, capsys):
    import os
    import signal

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_STARTUP_PROBE": "1",
           "STUDIO_DATA_DIR": str(tmp_path / "data"), "STUDIO_CONFIG_DIR": str(tmp_path / "cfg")}
    db = tmp_path / "log.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "studio_app", "--db", f"sqlite:///{db}"], env=env,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # wait for the first paint
        if line.startswith("FIRST_PAINT_WALL="):
            break
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    capsys.readouterr()
    assert main(["--db", f"sqlite:///{db}", "log", "--source", "system", "--json"]) == 0
    kinds = [e["kind"] for e in json.loads(capsys.readouterr().out)]
    assert kinds[0] == "app.start" and kinds[-1] == "app.stop", kinds  # shut down in order, log flushed
