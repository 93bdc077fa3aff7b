"""Reading hostile input stays linear (issue 21): prints tables of medians.

1. ``lint`` of a plain-text script (encoding detection, streaming, the compliance check)
   at 1 MB and 10 MB, as UTF-8 and as UTF-16LE without a BOM; and one line of 最 (every
   character a finding: 20 listed, the rest counted) at 1 MB and 10 MB. Time per MB
   should not grow with the size; peak memory (a fresh process) should follow the
   longest line, not the number of findings.
2. The rundown's line map (``SourceMap``): nested array tables at depth 100, 1000 and 2000
   (the file grows with depth squared, so linear means time/size stays flat), and
   2,000 vs 20,000 array tables followed by as many elements (quadratic before).
3. ``camcheck`` refusing a 20000x20000 PNG on its header, against decoding an 8K still.

Run: ``.venv/bin/python tests/benchmarks/bench_input.py`` (``--quick`` for fewer repeats).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from studio_app.commands.lint import lint_file  # noqa: E402
from studio_app.show.rundown import SourceMap  # noqa: E402
from tests.benchmarks.table import print_table  # noqa: E402

QUICK = "--quick" in sys.argv
REPEAT = 3 if QUICK else 5
MB = 1_000_000

LINE = "宝宝们今天这款羊绒围巾真的超值，全网最低价只有今晚，库存不多了赶紧下单 SKU-2031\n"


def median_s(fn, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_mb(*argv: str) -> int:
    probe = ("import resource, sys\nfrom studio_app.cli import main\n"
             "import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()): main(sys.argv[1:])\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n")
    p = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=900, cwd=ROOT)
    return int(p.stdout.split()[-1])


def lint_rows(tmp: Path) -> list[tuple]:
    rows = []
    for label, encoding, unit in (("script, UTF-8", "utf-8", LINE), ("script, UTF-16LE no BOM", "utf-16-le", LINE),
                                  ("one line of 最, UTF-8", "utf-8", "最")):
        base = None
        for size_mb in (1, 10):
            unit_bytes = len(unit.encode(encoding))
            path = tmp / f"{encoding}-{size_mb}-{len(unit)}.txt"
            path.write_bytes((unit * (size_mb * MB // unit_bytes)).encode(encoding))
            s = median_s(lambda p=path: lint_file(p), 1 if size_mb == 10 else REPEAT)
            per_mb = s / size_mb
            base = base or per_mb
            findings = lint_file(path)[0]
            total = len(findings) + sum(f.omitted for f in findings)
            rows.append((label, f"{size_mb} MB", f"{s * 1000:.0f} ms", f"{per_mb * 1000:.0f} ms/MB",
                         f"{per_mb / base:.2f}x", f"{len(findings)} listed / {total}", f"{peak_mb('lint', str(path))} MB"))
    return rows


def source_map_rows() -> list[tuple]:
    rows = []
    base = None
    for depth in (100, 1000, 2000):
        text = "".join("[[" + ".".join(["t"] * k) + f"]]\nx = {k}\n" for k in range(1, depth + 1))
        s = median_s(lambda t=text: SourceMap(t))
        per = s / len(text) * 1e9
        base = base or per
        rows.append((f"nested array tables, depth {depth}", f"{len(text) / 1000:.0f} kB", f"{s * 1000:.1f} ms",
                     f"{per:.0f} ns/byte", f"{per / base:.2f}x"))
    base = None
    for n in (2000, 20000):
        text = "".join(f"[[a{k}]]\nx = 1\n" for k in range(n)) + "[[b]]\ny = 2\n" * n
        s = median_s(lambda t=text: SourceMap(t))
        per = s / len(text) * 1e9
        base = base or per
        rows.append((f"{n} array tables + {n} elements", f"{len(text) / 1000:.0f} kB", f"{s * 1000:.1f} ms",
                     f"{per:.0f} ns/byte", f"{per / base:.2f}x"))
    return rows


def camcheck_rows(tmp: Path) -> list[tuple]:
    import cv2
    import numpy as np

    from tests.harness.hostile_files import png_bytes

    huge = tmp / "huge.png"
    huge.write_bytes(png_bytes(20000, 20000, (bytes(60000) for _ in range(20000))))
    still = tmp / "still8k.jpg"
    cv2.imwrite(str(still), np.tile(np.linspace(30, 220, 7680, dtype=np.uint8)[None, :, None], (4320, 1, 3)))
    rows = []
    for label, path in (("20000x20000 PNG (refused on its header)", huge), ("7680x4320 JPEG (checked)", still)):
        t0 = time.perf_counter()
        mb = peak_mb("camcheck", str(path))
        rows.append((label, f"{path.stat().st_size / MB:.1f} MB file", f"{(time.perf_counter() - t0) * 1000:.0f} ms",
                     f"{mb} MB"))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print_table("lint: plain-text scripts (time per MB flat = linear; peak = a fresh process)",
                    ["input", "size", "median", "per MB", "vs 1 MB", "findings", "peak RSS"], lint_rows(Path(tmp)))
        print_table("rundown line map (SourceMap): time per byte flat = linear",
                    ["file", "size", "median", "per byte", "vs smaller"], source_map_rows())
        print_table("camcheck: a picture too large is refused before decoding (whole command, fresh process)",
                    ["input", "file", "wall time", "peak RSS"], camcheck_rows(Path(tmp)))


if __name__ == "__main__":
    main()
