"""The layers stated in pyproject.toml hold (import-linter), so the architecture cannot rot."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" not in proc.stdout.lower().replace("0 broken", "")


def test_hardware_and_show_logic_run_without_qt_or_sqlalchemy():
    """Import every pure package in a fresh interpreter and prove Qt/SQLAlchemy never load."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import hardware, studio_app.core\n"
        "pkgs = [hardware, studio_app.core]\n"
        "try:\n    import studio_app.show; pkgs.append(studio_app.show)\nexcept ImportError: pass\n"
        "import studio_app.studio; pkgs.append(studio_app.studio)\n"
        "for pkg in pkgs:\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'alembic', 'pyqtgraph')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
