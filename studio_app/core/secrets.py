"""Secrets (the OBS WebSocket password) kept out of settings, logs and the database.

Where a secret lives, in order of precedence when reading:

1. an environment variable (``STUDIO_OBS_PASSWORD`` for the OBS password,
   ``STUDIO_REMOTE_TOKEN`` for the remote-control token): for kiosks and CI, never written anywhere;
2. the OS keyring (``keyring``: Secret Service, macOS Keychain, Windows Credential Locker);
3. a private file ``secrets.json`` (mode 0600) in the console's config folder, used when
   no keyring backend works (headless studio PCs often have none). It is not encrypted:
   it is protected by file permissions only, like an SSH key.

Keyring calls may talk to a desktop service over D-Bus: call this module from a worker
thread, not the GUI thread. No method ever logs or repr()s a secret value.
"""
from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

from studio_app.core.files import read_regular_bytes, write_atomically
from studio_app.core.paths import user_config_dir

log = logging.getLogger(__name__)

SERVICE = "StudioConsole"
OBS_PASSWORD = "obs.password"
REMOTE_TOKEN = "remote.token"  # the remote-control API's token (studio_app.remote)
ROOM_TOKEN = "room.token"  # the live room's ingest endpoint token (studio_app.remote.room_ingest)
ENV_OVERRIDES = {OBS_PASSWORD: "STUDIO_OBS_PASSWORD", REMOTE_TOKEN: "STUDIO_REMOTE_TOKEN",
                 ROOM_TOKEN: "STUDIO_ROOM_TOKEN"}
FILE_NAME = "secrets.json"


class SecretStoreError(RuntimeError):
    """A secret could not be stored anywhere (message never contains the secret)."""


def _usable_keyring():
    """The active keyring backend, or None when it is the "fail" backend or broken."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - any import/initialisation problem means "no keyring"
        log.info("no OS keyring (%s); secrets go to a private file", type(exc).__name__)
        return None
    if isinstance(backend, fail.Keyring):
        return None
    try:
        if float(getattr(backend, "priority", 1)) <= 0:
            return None
    except Exception:  # noqa: BLE001 - a backend whose priority cannot even be read is unusable
        return None
    return backend


class SecretStore:
    """Get, set and delete named secrets. Thread-safe enough for one writer (the settings page)."""

    def __init__(self, config_dir: Path | None = None, *, use_keyring: bool = True, service: str = SERVICE) -> None:
        self.path = (config_dir or user_config_dir()) / FILE_NAME
        self.service = service
        self.use_keyring = use_keyring

    def __repr__(self) -> str:
        return f"SecretStore(path={str(self.path)!r}, use_keyring={self.use_keyring})"

    @property
    def backend(self) -> str:
        """Where :meth:`set` would store a secret now: "keyring (<name>)" or "file <path>"."""
        kr = _usable_keyring() if self.use_keyring else None
        return f"keyring ({type(kr).__name__})" if kr is not None else f"file {self.path}"

    # ------------------------------------------------------------------ public
    def get(self, key: str) -> str | None:
        env = ENV_OVERRIDES.get(key)
        if env and os.environ.get(env):
            return os.environ[env]
        kr = _usable_keyring() if self.use_keyring else None
        if kr is not None:
            try:
                value = kr.get_password(self.service, key)
            except Exception as exc:  # noqa: BLE001 - locked/broken keyring: fall back to the file
                log.warning("keyring unreadable (%s); trying the private file", type(exc).__name__)
            else:
                if value is not None:
                    return value
        return self._read_file().get(key)

    def set(self, key: str, value: str) -> str:
        """Store ``value``; returns where it went ("keyring" or "file"). Empty value = delete."""
        if not value:
            self.delete(key)
            return "deleted"
        kr = _usable_keyring() if self.use_keyring else None
        if kr is not None:
            try:
                kr.set_password(self.service, key, value)
            except Exception as exc:  # noqa: BLE001
                log.warning("keyring refused the secret %s (%s); using the private file", key, type(exc).__name__)
            else:
                self._remove_from_file(key)  # never leave a stale copy behind
                return "keyring"
        data = self._read_file()
        data[key] = value
        self._write_file(data)
        return "file"

    def delete(self, key: str) -> None:
        kr = _usable_keyring() if self.use_keyring else None
        if kr is not None:
            try:
                kr.delete_password(self.service, key)
            except Exception:  # noqa: BLE001 - not there, or no keyring: nothing to delete
                pass
        self._remove_from_file(key)

    # ------------------------------------------------------------------ private file
    def _read_file(self) -> dict[str, str]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("secrets file %s unreadable: %s", self.path, exc.strerror)
            return {}
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            try:
                os.chmod(self.path, 0o600)  # someone widened it: close it again
            except OSError:
                pass
        try:
            data = json.loads(read_regular_bytes(self.path, limit=1024 * 1024).decode("utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("secrets file %s unreadable (%s)", self.path, type(exc).__name__)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, data: dict[str, str]) -> None:
        try:
            write_atomically(self.path, json.dumps(data), private=True, make_parents=True)
        except OSError as exc:
            raise SecretStoreError(f"cannot write the secrets file {self.path}: {exc.strerror}") from None

    def _remove_from_file(self, key: str) -> None:
        data = self._read_file()
        if key in data:
            del data[key]
            self._write_file(data)


def obs_password(store: SecretStore | None = None) -> str:
    """The OBS WebSocket password ("" when none is set)."""
    return (store or SecretStore()).get(OBS_PASSWORD) or ""


def save_obs_password(password: str, store: SecretStore | None = None) -> str:
    """Store (or with "" delete) the OBS password; returns "keyring", "file" or "deleted"."""
    return (store or SecretStore()).set(OBS_PASSWORD, password)


def remote_token(store: SecretStore | None = None, key: str = REMOTE_TOKEN) -> str:
    """The remote-control token: ``STUDIO_REMOTE_TOKEN``, else the stored one, else a new one
    generated once and stored (keyring or the private file). Call off the GUI thread.
    ``key=ROOM_TOKEN``: the room ingest endpoint's token the same way (``STUDIO_ROOM_TOKEN``)."""
    import secrets as _random

    store = store or SecretStore()
    token = store.get(key)
    if token:
        return token
    token = _random.token_urlsafe(24)
    store.set(key, token)
    log.info("generated a token for %s (kept in %s)", key, store.backend)
    return token
