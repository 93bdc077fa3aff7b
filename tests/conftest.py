"""Test-wide setup: offscreen Qt, private settings/data folders, Qt leak detectors."""
from __future__ import annotations

import os
import sys
from pathlib import Path

# Before anything imports Qt: widget tests run offscreen; windows a person must see are
# rendered in a separate process under Xvfb (tests/harness/xvfb.py).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("STUDIO_DB_URL", None)

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.harness.qt_hygiene", "tests.harness.desk", "tests.harness.postgres", "tests.harness.xvfb", "tests.harness.obs", "tests.harness.camera", "tests.harness.audio", "tests.harness.chromium"]


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the real user's settings, layout or log."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("STUDIO_CONFIG_DIR", str(base / "config"))
    yield base
