"""Start-up of the control desk: process launch to the first painted main window.

Target (issue 2): median <= 1.0 s warm. Runs the real ``studio-console`` offscreen with a
fresh data folder each time; the first run warms the OS file cache and is reported apart.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.table import median, print_table  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "8"))


def one_run() -> float:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_STARTUP_PROBE": "1",
               "STUDIO_DATA_DIR": f"{d}/data", "STUDIO_CONFIG_DIR": f"{d}/cfg"}
        exe = Path(sys.executable).with_name("studio-console")
        t0 = time.time()
        proc = subprocess.run([str(exe), "--quit-after", "0"], env=env, capture_output=True, text=True, timeout=60)
        for line in proc.stderr.splitlines():
            if line.startswith("FIRST_PAINT_WALL="):
                return float(line.split("=", 1)[1]) - t0
        raise RuntimeError(f"no first paint reported (rc={proc.returncode}): {proc.stderr[-800:]}")


def main() -> None:
    cold = one_run()
    warm = [one_run() for _ in range(RUNS)]
    print_table(
        "Desk start-up: launch to first painted main window (offscreen)",
        ["case", "runs", "median s", "min s", "max s", "target"],
        [
            ["first run (cache cold)", 1, f"{cold:.3f}", f"{cold:.3f}", f"{cold:.3f}", ""],
            ["warm", RUNS, f"{median(warm):.3f}", f"{min(warm):.3f}", f"{max(warm):.3f}", "<= 1.0 s median"],
        ],
    )


if __name__ == "__main__":
    main()
