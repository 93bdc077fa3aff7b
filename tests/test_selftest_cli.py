"""``studio-console selftest``: exit codes 0/1/2, the JSON contract, ``--only console`` alone,
the run stored in the event log, and a full run on real parts (OBS, virtual mic, UDP camera)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio_app.store import fetch_events, open_engine
from tests.harness import free_port

ROOT = Path(__file__).resolve().parents[1]
CHECK_KEYS = {"id", "status", "value", "threshold", "detail", "fix"}


def cli(*args: str, env: dict | None = None, timeout: float = 90) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    full.pop("DISPLAY", None)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "studio_app", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=timeout)


def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'log.sqlite3'}"


def test_only_console_passes_with_nothing_else_and_is_stored(tmp_path):
    r = cli("--db", db(tmp_path), "selftest", "--only", "console", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["passed"] is True
    assert [c["id"] for c in data["checks"]] == ["console.db", "console.screens", "console.clock"]
    for c in data["checks"]:
        assert CHECK_KEYS <= c.keys()
        assert c["status"] in {"pass", "warn", "fail", "skip"}
    screens = data["checks"][1]
    assert screens["status"] == "skip" and "DISPLAY" in screens["detail"]
    engine = open_engine(db(tmp_path))
    try:
        runs = fetch_events(engine, sources=["selftest"], kinds=["selftest.run"])
    finally:
        engine.dispose()
    assert len(runs) == 1 and runs[0].payload["checks"] == data["checks"] and runs[0].payload["passed"] is True


def test_a_failed_check_exits_1_with_json_and_a_failure_event(tmp_path):
    port = free_port()
    r = cli("--db", db(tmp_path), "selftest", "--only", "obs", "--obs", f"127.0.0.1:{port}", "--json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["passed"] is False
    first = data["checks"][0]
    assert first["id"] == "obs.reachable" and first["status"] == "fail" and first["value"] == "unreachable"
    assert first["threshold"] == f"127.0.0.1:{port}"
    assert set(first["fix"]) == {"zh_CN", "en"} and "OBS" in first["fix"]["zh_CN"]
    engine = open_engine(db(tmp_path))
    try:
        failed = fetch_events(engine, sources=["selftest"], kinds=["selftest.check_failed"])
    finally:
        engine.dispose()
    assert [e.payload["id"] for e in failed] == ["obs.reachable"] and failed[0].severity == 40


def test_text_output_has_hints(tmp_path):
    r = cli("--db", db(tmp_path), "selftest", "--only", "obs", "--obs", f"127.0.0.1:{free_port()}", "--lang", "en")
    assert r.returncode == 1
    assert "FAIL  obs.reachable" in r.stdout and "-> OBS cannot be reached" in r.stdout and "FAILED" in r.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--only", "camera,speakers"], "--only: unknown check group 'speakers'"),
        (["--obs", "host:port:x"], "--obs:"),
        (["--profile", "/nonexistent/studio.toml"], "no such profile file"),
        (["--password", "x"], "unrecognized arguments"),
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path, args, words):
    r = cli("--db", db(tmp_path), "selftest", *args)
    assert r.returncode == 2
    assert words in r.stderr
    assert "Traceback" not in r.stderr


def test_a_broken_profile_names_file_and_line(tmp_path):
    profile = tmp_path / "studio.toml"
    profile.write_text("[obs]\nhost = '127.0.0.1'\nport = 'four'\n", encoding="utf-8")
    r = cli("--db", db(tmp_path), "selftest", "--profile", str(profile))
    assert r.returncode == 2
    assert f"{profile}:3: [obs] port" in r.stderr


@pytest.mark.obs
@pytest.mark.mic
@pytest.mark.slow
def test_full_run_on_real_parts_exits_0_and_saves_a_profile(obs, virtual_mic, udp_camera, tmp_path):
    profile = tmp_path / "studio.toml"
    profile.write_text(f"""
format_version = 1
name = "test studio"
[camera]
source = "{udp_camera.url}"
width = 640
height = 360
fps = 30
[mic]
device = "pulse"
[obs]
host = "{obs.host}"
port = {obs.port}
scenes = ["Opening", "Product", "BRB"]
text_sources = ["Title", "BRB Text"]
output_width = 1280
output_height = 720
fps = 30
min_free_disk_gb = 0.1
[console]
""", encoding="utf-8")
    saved = tmp_path / "found.toml"
    html = tmp_path / "report.html"
    env = {"STUDIO_OBS_PASSWORD": obs.password, "PULSE_SERVER": virtual_mic.server}
    r = cli("--db", db(tmp_path), "selftest", "--profile", str(profile), "--tone", "--json",
            "--save-profile", str(saved), "--html", str(html), env=env)
    data = json.loads(r.stdout)
    assert r.returncode == 0, [c for c in data["checks"] if c["status"] == "fail"]
    status = {c["id"]: c["status"] for c in data["checks"]}
    assert status["obs.recording"] == "pass" and status["mic.level"] == "pass" and status["camera.opens"] == "pass"
    assert obs.password not in r.stdout + r.stderr + html.read_text(encoding="utf-8")
    assert "开播前自检" in html.read_text(encoding="utf-8")
    # The saved profile describes this studio and passes when used.
    r2 = cli("--db", db(tmp_path), "selftest", "--profile", str(saved), "--only", "obs", "--json", env=env)
    assert r2.returncode == 0, r2.stdout
    assert 'scenes = [' in saved.read_text(encoding="utf-8")


@pytest.mark.obs
def test_wrong_password_from_the_environment_exits_1(obs, tmp_path):
    r = cli("--db", db(tmp_path), "selftest", "--only", "obs", "--obs", f"{obs.host}:{obs.port}", "--json",
            env={"STUDIO_OBS_PASSWORD": "wrong-password"})
    assert r.returncode == 1
    checks = {c["id"]: c for c in json.loads(r.stdout)["checks"]}
    assert checks["obs.auth"]["status"] == "fail" and "STUDIO_OBS_PASSWORD" in checks["obs.auth"]["fix"]["en"]


def test_only_a_single_check(tmp_path):
    r = cli("--db", db(tmp_path), "selftest", "--only", "console.clock", "--json")
    assert r.returncode == 0, r.stderr
    assert [c["id"] for c in json.loads(r.stdout)["checks"]] == ["console.clock"]
    r = cli("--db", db(tmp_path), "selftest", "--only", "console.nope")
    assert r.returncode == 2 and "console.nope" in r.stderr
