"""Desktop bundle: size, build time, and start-up of the frozen desk against the installed package.

Start-up is launch to the first painted main window (``STUDIO_STARTUP_PROBE=1`` makes the desk
print ``FIRST_PAINT_WALL=<epoch>``), offscreen with ``--quit-after 0`` and a fresh data folder
each run. The bundle is reused if dist/ holds one built from the same sources, else built
(``--rebuild`` forces a fresh build so the build time is measured now).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))
import build_bundle  # noqa: E402
import bundle_manifest as manifest  # noqa: E402
from tests.benchmarks.table import median, print_table  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "8"))


def first_paint(exe: Path) -> float:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_STARTUP_PROBE": "1",
               "STUDIO_DATA_DIR": f"{d}/data", "STUDIO_CONFIG_DIR": f"{d}/cfg"}
        t0 = time.time()
        proc = subprocess.run([str(exe), "--quit-after", "0"], env=env, cwd=d, capture_output=True, text=True,
                              timeout=120)
        for line in proc.stderr.splitlines():
            if line.startswith("FIRST_PAINT_WALL="):
                return float(line.split("=", 1)[1]) - t0
        raise RuntimeError(f"{exe}: no first paint reported (rc={proc.returncode}): {proc.stderr[-800:]}")


def version_time(exe: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(exe), "--version"], capture_output=True, check=True, timeout=60)
    return time.perf_counter() - t0


def main() -> None:
    info = build_bundle.ensure_bundle(force="--rebuild" in sys.argv[1:], log=lambda *_: None)
    frozen = manifest.executable()
    installed = Path(sys.executable).with_name("studio-console")
    rows_size = [
        ["bundle folder", f"{build_bundle.folder_size(manifest.bundle_dir()) / 1e6:.0f} MB",
         f"{info['build_seconds']:.0f} s" + (" (earlier build, reused)" if info.get("reused") else ""),
         info["commit"]],
    ]
    print_table("Desktop bundle (PyInstaller one-folder, Linux)", ["what", "size", "build time", "commit"], rows_size)

    rows = []
    results = {}
    for name, exe in (("installed package (.venv)", installed), ("frozen bundle", frozen)):
        cold = first_paint(exe)  # also warms the file cache for the runs below
        warm = [first_paint(exe) for _ in range(RUNS)]
        ver = [version_time(exe) for _ in range(RUNS)]
        results[name] = (median(warm), median(ver))
        rows.append([name, f"{cold:.3f}", RUNS, f"{median(warm):.3f}", f"{min(warm):.3f}", f"{max(warm):.3f}",
                     f"{median(ver):.3f}"])
    (inst_paint, inst_ver), (frz_paint, frz_ver) = results.values()
    rows.append(["frozen / installed", f"", "", f"{frz_paint / inst_paint:.2f}x", "", "", f"{frz_ver / inst_ver:.2f}x"])
    print_table("Start-up: launch to first painted desk (offscreen, --quit-after 0), and --version",
                ["program", "first run s", "runs", "median s", "min s", "max s", "--version median s"], rows)


if __name__ == "__main__":
    main()
