"""Where the console keeps its files (platformdirs), and where its resources are."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "StudioConsole"
APP_AUTHOR = "StudioConsole"


def user_data_dir() -> Path:
    """Per-user data directory; ``STUDIO_DATA_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("STUDIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    override = os.environ.get("STUDIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return user_data_dir() / "studio-log.sqlite3"


def clips_dir(show_id: str) -> Path:
    """Where ``studio-console clips`` and the Clips dock put a show's clips by default."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in show_id) or "show"
    return user_data_dir() / "clips" / safe


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the packages in a source tree, inside a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    override = os.environ.get("STUDIO_RESOURCES_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_show_path() -> Path:
    return resource("shows", "sample_show.toml")
