"""Run a screenshot module (``python -m tests.harness.<name>``) on its own Xvfb screen.

The test process stays offscreen; the real windows are drawn with the xcb platform on a
private display of the size asked for, with private data and config folders.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.harness import artifact_path, unavailable
from tests.harness.xvfb import Xvfb, XvfbError

ROOT = Path(__file__).resolve().parents[2]


def shoot_desk(module: str, width: int, height: int, lang: str, name: str, tmp_path: Path,
               timeout: float = 90, extra: tuple[str, ...] = ()) -> tuple[Path, str]:
    """Run ``tests.harness.<module> --out artifacts/screenshots/<name> --lang --db``; returns (png, stdout)."""
    xvfb = Xvfb()
    try:
        xvfb.start(width, height)
    except XvfbError as exc:
        unavailable("Xvfb", str(exc))
    out = artifact_path("screenshots", name)
    out.unlink(missing_ok=True)
    try:
        env = {**xvfb.env(), "STUDIO_DATA_DIR": str(tmp_path / "data"), "STUDIO_CONFIG_DIR": str(tmp_path / "cfg")}
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.run(
            [sys.executable, "-m", f"tests.harness.{module}", "--out", str(out), "--lang", lang,
             "--db", f"sqlite:///{tmp_path / 'log.db'}", *extra],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        )
    finally:
        xvfb.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stdout
