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
