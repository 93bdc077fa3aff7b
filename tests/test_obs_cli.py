"""``studio-console obs ...`` against a real OBS."""
from __future__ import annotations

import io
import json
import os

import cv2
import keyring
import pytest
from keyring.backends import fail

from studio_app.cli import main
from tests.harness import free_port


@pytest.fixture
def obs_settings(obs, monkeypatch):
    """Settings pointing at the test OBS; the password through the env override."""
    cfg = os.environ["STUDIO_CONFIG_DIR"]
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "settings.toml"), "w") as f:
        f.write(f'[obs]\nhost = "{obs.host}"\nport = {obs.port}\n')
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", obs.password)
    return obs


@pytest.mark.obs
def test_status_json_lists_scenes(obs_settings, capsys):
    assert main(["obs", "status", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "connected"  # OBS's status words (issue 5), which studio scripts match
    assert out["device_state"] == "ok"  # beside the devices' one vocabulary (hardware/supervisor.py)
    assert out["scenes"] == ["Opening", "Product", "BRB"] and out["program_scene"] == "Opening"
    assert out["texts"]["Title"] == "Welcome"
    assert out["health"]["disk_free_mb"] > 0
    assert obs_settings.password not in json.dumps(out)


@pytest.mark.obs
def test_scene_text_and_screenshot(obs_settings, capsys, tmp_path):
    assert main(["obs", "scene", "Product"]) == 0
    assert main(["obs", "text", "Title", "秒杀 ¥9.9"]) == 0
    shot = tmp_path / "pgm.png"
    assert main(["obs", "screenshot", str(shot), "--width", "640"]) == 0
    img = cv2.imread(str(shot))
    assert img.shape == (360, 640, 3)
    raw = obs_settings.client()
    try:
        assert raw.send("GetCurrentProgramScene", raw=True)["currentProgramSceneName"] == "Product"
        assert raw.send("GetInputSettings", {"inputName": "Title"}, raw=True)["inputSettings"]["text"] == "秒杀 ¥9.9"
    finally:
        raw.base_client.ws.shutdown()


@pytest.mark.obs
def test_unknown_scene_is_a_usage_error(obs_settings, capsys):
    assert main(["obs", "scene", "Nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "studio-console obs: error: OBS has no scene named 'Nope' (scenes: Opening, Product, BRB)"


@pytest.mark.obs
def test_wrong_password_exits_1_with_one_line(obs_settings, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "wrong-password-x")
    assert main(["obs", "scene", "Product"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "auth_failed" in err and "rejected the password" in err
    assert "wrong-password-x" not in err


def test_nothing_listening_exits_1(capsys):
    port = free_port()
    assert main(["obs", "--port", str(port), "status"]) == 1
    assert f"127.0.0.1:{port}: unreachable" in capsys.readouterr().out


def test_password_set_reads_stdin_and_stores_privately(monkeypatch, capsys):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
        monkeypatch.setattr("sys.stdin", io.StringIO("pa55-word\n"))
        assert main(["obs", "password", "set"]) == 0
        from studio_app.core.secrets import obs_password

        assert obs_password() == "pa55-word"
        assert "pa55-word" not in capsys.readouterr().out
        assert main(["obs", "password", "clear"]) == 0
        assert obs_password() == ""
    finally:
        keyring.set_keyring(previous)
