"""The OBS password store: keyring when one works, a 0600 file otherwise, env override."""
from __future__ import annotations

import logging
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from studio_app.core.secrets import OBS_PASSWORD, SecretStore, obs_password, save_obs_password

SECRET = "s3cret-Ωmega-密码"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("locked")


@pytest.fixture
def use_backend(monkeypatch):
    previous = keyring.get_keyring()
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


def test_without_keyring_the_password_goes_to_a_private_file(tmp_path, use_backend, caplog):
    caplog.set_level(logging.DEBUG)
    use_backend(fail.Keyring())
    store = SecretStore(tmp_path)
    assert store.backend.startswith("file ")
    assert save_obs_password(SECRET, store) == "file"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert obs_password(SecretStore(tmp_path)) == SECRET  # a new store (next start) reads it back
    save_obs_password("", store)
    assert obs_password(store) == ""
    assert SECRET not in caplog.text and SECRET not in repr(store)


def test_a_widened_secrets_file_is_closed_again(tmp_path, use_backend):
    use_backend(fail.Keyring())
    store = SecretStore(tmp_path)
    store.set(OBS_PASSWORD, SECRET)
    store.path.chmod(0o644)
    assert store.get(OBS_PASSWORD) == SECRET
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_working_keyring_is_preferred_and_no_file_copy_remains(tmp_path, use_backend):
    use_backend(fail.Keyring())
    store = SecretStore(tmp_path)
    store.set(OBS_PASSWORD, "old")  # written to the file while no keyring worked
    kr = use_backend(MemoryKeyring())
    assert store.set(OBS_PASSWORD, SECRET) == "keyring"
    assert kr.items[("StudioConsole", OBS_PASSWORD)] == SECRET
    assert SECRET not in store.path.read_text() and "old" not in store.path.read_text()
    assert store.get(OBS_PASSWORD) == SECRET


def test_a_locked_keyring_falls_back_to_the_file(tmp_path, use_backend):
    use_backend(LockedKeyring())
    store = SecretStore(tmp_path)
    assert store.set(OBS_PASSWORD, SECRET) == "file"
    assert store.get(OBS_PASSWORD) == SECRET


def test_environment_overrides_everything(tmp_path, use_backend, monkeypatch):
    use_backend(fail.Keyring())
    store = SecretStore(tmp_path)
    store.set(OBS_PASSWORD, "stored")
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "from-env")
    assert obs_password(store) == "from-env"
    monkeypatch.delenv("STUDIO_OBS_PASSWORD")
    assert obs_password(store) == "stored"


def test_an_unreadable_file_is_treated_as_empty(tmp_path, use_backend):
    use_backend(fail.Keyring())
    store = SecretStore(tmp_path)
    store.path.write_text("{not json")
    assert store.get(OBS_PASSWORD) is None
    store.set(OBS_PASSWORD, SECRET)  # and can be repaired by saving
    assert store.get(OBS_PASSWORD) == SECRET
