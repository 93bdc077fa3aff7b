"""The studio's settings: a TOML file in the user's config folder, readable without Qt.

Window layout is Qt's business (QSettings, in the UI package); everything a command-line
tool also needs (database, devices, OBS address, language) lives here. Secrets never do:
the OBS password is kept in the OS keyring (see ``studio_app.core.secrets``).
"""
from __future__ import annotations

import copy
import os
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from studio_app.core.files import FileRefused, atomic_output, loads_toml, read_regular_bytes
from studio_app.core.paths import default_db_path, user_config_dir

MAX_SETTINGS_BYTES = 4 * 1024 * 1024  # a settings file is a few KB

DEFAULTS: dict[str, Any] = {
    "general": {"language": "system", "room": "", "gui_priority": "normal"},
    "database": {"url": ""},
    "obs": {"host": "127.0.0.1", "port": 4455, "enabled": True},
    "mic": {"device": "", "dead_air_dbfs": -60.0, "dead_air_seconds": 8.0, "loudness_target_lufs": -16.0},
    "camera": {"source": "", "backup_source": "", "width": 1280, "height": 720, "fps": 30},
    "cue_screen": {
        "screen": "",
        "orientation": "auto",  # auto | landscape | portrait
        "mirror": False,
        "lan_enabled": False,
        "lan_host": "127.0.0.1",
        "lan_port": 8765,
        "lan_token": "",  # per show; kept so phones reconnect after a desk restart
        "script_size": 100,  # script text, percent of normal (60..200)
        "prompter_step": 3,  # teleprompter speed step (-10..10)
        # Anchor profiles (studio_app.core.anchor_profiles): named reading settings; the
        # "anchor must leave" runbook loads "substitute" (a larger, slower script for
        # someone reading it cold; mirror and layout stay as the rig is set up).
        "anchor_profile": "",
        "anchor_profiles": {"substitute": {"script_size": 140, "prompter_step": 2}},
    },
    # Remote control (studio_app.remote): off by default; the token is a secret, not here.
    "remote": {
        "enabled": False,
        "host": "127.0.0.1",  # HTTP + WebSocket; the interface the user picks
        "port": 8800,  # OSC listens on port + 1
        "osc_enabled": True,
        "osc_host": "127.0.0.1",  # OSC has no password: loopback unless the user picks an interface
        "osc_allow": ["127.0.0.1", "::1"],  # source addresses or networks (CIDR) allowed to send OSC
        "osc_targets": [],  # "host:port" that get the variables on change
        "automations": "",  # TOML file of automations (empty: none)
    },
    # The live room's data (studio_app.room): the ingest endpoint is off by default; its token
    # is a secret (STUDIO_ROOM_TOKEN or the secrets store), not here.
    "room": {
        "ingest_enabled": False,
        "ingest_host": "127.0.0.1",  # the interface the user picks
        "ingest_port": 8810,
        "ingest_rate": 200.0,  # requests per second per client (bursts of twice that)
        "rules": "",  # a rules file over resources/room/rules.toml (empty: the defaults)
    },
}


class SettingsError(ValueError):
    pass


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


class Settings:
    """Dotted-key access (``settings.get("obs.port")``) over defaults plus the user's file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_config_dir() / "settings.toml")
        self.problem: str | None = None  # set when the file was unreadable and defaults are used
        # Panels save from pool threads while the GUI changes values: every access is locked,
        # and a save writes a snapshot, so no save sees a half-changed table.
        self._lock = threading.RLock()
        # Writers queue on their own lock: the data lock is never held while the disk is slow,
        # so a set() or get() on the GUI thread never waits for a file to be written.
        self._write_lock = threading.Lock()
        self._data = copy.deepcopy(DEFAULTS)
        self.load()

    def load(self) -> None:
        self._data = copy.deepcopy(DEFAULTS)
        self.problem = None
        if not self.path.exists():
            return
        try:
            user = loads_toml(read_regular_bytes(self.path, limit=MAX_SETTINGS_BYTES).decode("utf-8"))
        except FileRefused as exc:  # a FIFO, a device, a folder, huge: leave it where it is
            self.problem = f"settings file {exc}; using defaults"
            return
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            # Keep the broken file for the user to repair; never overwrite it silently.
            backup = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(self.path, backup)
            except OSError:
                backup = self.path
            self.problem = f"settings file {self.path} is unreadable ({exc}); using defaults, original kept as {backup.name}"
            return
        self._data = _merge(DEFAULTS, user)

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            node: Any = self._data
            for part in key.split("."):
                if not isinstance(node, dict) or part not in node:
                    return default
                node = node[part]
            return copy.deepcopy(node) if isinstance(node, (dict, list)) else node

    def set(self, key: str, value: Any) -> None:
        parts = key.split(".")
        with self._lock:
            node = self._data
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._data)

    def save(self) -> None:
        """Write atomically (any thread; concurrent saves leave the last snapshot on disk)."""
        with self._write_lock:  # one writer at a time, each taking its snapshot in turn:
            with self._lock:  # the file ends as the newest snapshot
                data = copy.deepcopy(self._data)
            with atomic_output(self.path, text=False, make_parents=True) as f:
                tomli_w.dump(data, f)


def resolve_db_url(cli_url: str | None, settings: Settings | None) -> str:
    """``--db`` beats ``STUDIO_DB_URL`` beats the settings file beats the default SQLite file."""
    if cli_url:
        return cli_url
    env = os.environ.get("STUDIO_DB_URL")
    if env:
        return env
    if settings is not None and settings.get("database.url"):
        return str(settings.get("database.url"))
    return f"sqlite:///{default_db_path()}"
