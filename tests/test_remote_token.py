"""The remote-control token: from STUDIO_REMOTE_TOKEN, else generated once and kept with the
other secrets; never logged. And `--remote` on the command line."""
from __future__ import annotations

import logging
import stat
import subprocess
import sys

import keyring
import pytest
from keyring.backends import fail

from studio_app.core.secrets import SecretStore, remote_token


@pytest.fixture
def no_keyring(monkeypatch):
    previous = keyring.get_keyring()
    monkeypatch.delenv("STUDIO_REMOTE_TOKEN", raising=False)
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_a_token_is_generated_once_and_kept_privately(tmp_path, no_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    first = remote_token(SecretStore(tmp_path))
    assert len(first) >= 32
    assert remote_token(SecretStore(tmp_path)) == first  # the next start reads the same one
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert first not in caplog.text


def test_the_environment_wins_and_is_not_stored(tmp_path, no_keyring, monkeypatch):
    monkeypatch.setenv("STUDIO_REMOTE_TOKEN", "from-the-kiosk-env")
    assert remote_token(SecretStore(tmp_path)) == "from-the-kiosk-env"
    assert not (tmp_path / "secrets.json").exists()


@pytest.mark.parametrize("value", ["abc", "70000", "host:", "0"])
def test_a_bad_remote_address_is_one_line_and_exit_2(value):
    proc = subprocess.run([sys.executable, "-m", "studio_app", "--remote", value], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("studio-console: error: --remote: ") and proc.stderr.count("\n") == 1


def test_the_desk_with_remote_on_for_one_run_answers_curl(tmp_path):
    """`studio-console --remote 127.0.0.1:PORT` opens the desk with remote control on; curl
    drives its show; the settings keep remote control off."""
    import os
    import signal
    import socket

    from tests.test_remote_server import curl, wait_until

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_STARTUP_PROBE": "1",
           "STUDIO_DATA_DIR": str(tmp_path / "data"), "STUDIO_CONFIG_DIR": str(tmp_path / "cfg"),
           "STUDIO_REMOTE_TOKEN": "one-run-token-3b7e1f9c"}
    proc = subprocess.Popen([sys.executable, "-m", "studio_app", "--db", f"sqlite:///{tmp_path / 'log.db'}",
                             "--remote", f"127.0.0.1:{port}"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # wait for the first paint
            if line.startswith("FIRST_PAINT_WALL="):
                break
        base = f"http://127.0.0.1:{port}/api/v1"
        auth = ["-H", "Authorization: Bearer one-run-token-3b7e1f9c"]
        wait_until(lambda: subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", *auth,
                                           f"{base}/variables"], capture_output=True, text=True).stdout == "200",
                   timeout=30)
        assert curl(*auth, "-X", "POST", f"{base}/actions/show.go")[0] == 200
        assert curl(*auth, f"{base}/variables")[1]["show.playback"] == "running"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err, err[-2000:]
    settings = (tmp_path / "cfg" / "settings.toml")
    if settings.exists():
        import tomllib

        assert tomllib.loads(settings.read_text()).get("remote", {}).get("enabled", False) is False
    assert "one-run-token-3b7e1f9c" not in err
