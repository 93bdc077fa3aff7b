"""The whole self-test with every device present, excluding human prompts. Target: <= 15 s.

Real parts, started here: a headless OBS (tests/harness/obs.py), the PulseAudio virtual
mic (tests/harness/audio.py; the mic level is measured with the --tone test tone) and an
ffmpeg UDP camera (tests/harness/camera.py). Prints the whole run and each group (groups
run in parallel, so the whole is about the slowest group, not their sum), medians of
several runs, and the same groups run one after another for comparison.

Run: ``.venv/bin/python tests/benchmarks/bench_selftest.py`` (``--quick`` for fewer rounds).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.table import median, print_table  # noqa: E402
from tests.harness.audio import VirtualMic  # noqa: E402
from tests.harness.camera import UdpCameraSender  # noqa: E402
from tests.harness.obs import HeadlessObs, ObsStartError  # noqa: E402

QUICK = "--quick" in sys.argv
ROUNDS = 3 if QUICK else 5
TARGET_S = 15.0


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="bench-selftest-"))
    mic = VirtualMic(base / "mic")
    (base / "mic").mkdir()
    obs = HeadlessObs(base / "obs")
    camera = UdpCameraSender(size="1280x720")
    try:
        try:
            mic.start()
            os.environ["PULSE_SERVER"] = mic.server  # the app's PortAudio child processes inherit it
            obs.start()
            camera.start()
        except (ObsStartError, RuntimeError, OSError) as exc:
            print(f"bench_selftest: a real part is unavailable: {exc}")
            return 1
        return run(obs, camera, base)
    finally:
        camera.kill()
        obs.close()
        mic.stop()
        shutil.rmtree(base, ignore_errors=True)


def run(obs: HeadlessObs, camera: UdpCameraSender, base: Path) -> int:
    from studio_app.selftest import SelfTest, Status
    from studio_app.selftest.profile import CameraProfile, ConsoleProfile, MicProfile, ObsProfile, Profile

    profile = Profile(
        camera=CameraProfile(source=camera.url, width=1280, height=720, fps=30),
        mic=MicProfile(device="pulse"),
        obs=ObsProfile(host=obs.host, port=obs.port, scenes=("Opening", "Product", "BRB"),
                       text_sources=("Title", "BRB Text"), output_width=1280, output_height=720, fps=30,
                       min_free_disk_gb=0.1),
        console=ConsoleProfile(),
    )
    db_url = f"sqlite:///{base / 'log.sqlite3'}"
    groups = ["camera", "mic", "obs", "console"]
    whole: list[float] = []
    per_group: dict[str, list[float]] = {g: [] for g in groups}
    failures: list[str] = []
    for _ in range(ROUNDS):
        result = SelfTest(profile, db_url=db_url, password=lambda: obs.password, tone=True).run()
        whole.append(result.duration_s)
        for g in groups:
            per_group[g].append(result.group_s[g])
        failures += [f"{c.id}: {c.value} ({c.detail})" for c in result.checks if c.status is Status.FAIL]
    # The same groups one after another: what running them in parallel saves.
    serial: list[float] = []
    for _ in range(max(1, ROUNDS // 2)):
        total = 0.0
        for g in groups:
            total += SelfTest(profile, db_url=db_url, groups=[g], password=lambda: obs.password, tone=True).run().duration_s
        serial.append(total)

    rows = [["whole self-test (parallel groups)", f"{median(whole):.2f}", f"{max(whole):.2f}", f"<= {TARGET_S:g}",
             "yes" if max(whole) <= TARGET_S else "NO"]]
    for g in groups:
        rows.append([f"  group {g}", f"{median(per_group[g]):.2f}", f"{max(per_group[g]):.2f}", "", ""])
    rows.append(["groups one after another (sum)", f"{median(serial):.2f}", f"{max(serial):.2f}", "",
                 f"parallel/serial {median(whole) / median(serial):.2f}"])
    print_table(f"Self-test, every device present (OBS 29, virtual mic + test tone, UDP camera 1280x720/30), "
                f"{ROUNDS} runs", ["what", "median s", "max s", "target", "met"], rows)
    if failures:
        print("checks that failed:", *sorted(set(failures)), sep="\n  ")
    return 0 if max(whole) <= TARGET_S and not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
