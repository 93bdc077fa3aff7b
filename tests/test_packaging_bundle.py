"""The frozen desktop bundle: build it (or reuse one built from the same sources) and run it
like a studio PC would: offscreen, private folders, minimal environment, outside the repo.

Building takes about 1-1.5 minutes on 2 cores, so it runs in the normal test command; set
``STUDIO_TEST_BUNDLE=0`` to leave it out on a developer machine (not honoured under CI=true).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import in_ci, unavailable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import build_bundle  # noqa: E402
import bundle_manifest as manifest  # noqa: E402

sys.path.remove(str(ROOT / "packaging"))

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def bundle() -> dict:
    if os.environ.get("STUDIO_TEST_BUNDLE") == "0" and not in_ci():
        pytest.skip("STUDIO_TEST_BUNDLE=0: bundle tests left out")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        unavailable("PyInstaller", "not installed (run ./dev setup test)")
    try:
        info = build_bundle.ensure_bundle(ROOT / "dist", ROOT / "build", log=lambda *_: None)
    except RuntimeError as exc:
        pytest.fail(f"the bundle did not build: {exc}", pytrace=False)
    return {**info, "dir": manifest.bundle_dir(ROOT / "dist")}


@pytest.fixture
def frozen(bundle, tmp_path) -> build_bundle.FrozenApp:
    return build_bundle.FrozenApp(manifest.executable(ROOT / "dist"), tmp_path)


def test_frozen_version_is_the_package_version(frozen):
    from importlib.metadata import version

    expected = version("studio-console")
    assert expected != "0.0.0+unknown"
    assert build_bundle.check_version(frozen, expected) == f"studio-console {expected}"


def test_frozen_app_creates_and_migrates_a_fresh_database(frozen):
    build_bundle.check_log_json(frozen)
    import sqlite3

    with sqlite3.connect(frozen.home / "data" / "studio-log.sqlite3") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
        revision = db.execute("select version_num from alembic_version").fetchone()[0]
    versions = sorted(p.stem for p in (ROOT / "studio_app" / "store" / "migrations" / "versions").glob("*.py"))
    assert {"events", "alembic_version"} <= tables
    assert revision == versions[-1], "the frozen app did not migrate to the newest revision"


def test_frozen_subcommands_are_all_there(frozen):
    """Every subcommand registered in the source is in the frozen --help (they are imported by name)."""
    from studio_app.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # noqa: SLF001 - argparse internals
    listed = frozen.run("--help")
    assert listed.returncode == 0, listed.describe()
    missing = [name for name in sub.choices
               if f"\n    {name} " not in listed.stdout and f"\n    {name}\n" not in listed.stdout]
    assert not missing, f"subcommands missing from the bundle: {missing}\n{listed.describe()}"


def test_frozen_selftest_console(frozen):
    result = build_bundle.check_selftest(frozen)
    assert result is not None, "the bundle has no selftest subcommand"


def test_frozen_desk_opens_and_closes_without_packaging_errors(frozen):
    build_bundle.check_desk(frozen, seconds=3)
    events = json.loads(frozen.run("log", "--json").stdout)
    start = next(e for e in events if e.get("kind") == "app.start")
    from importlib.metadata import version

    assert version("studio-console") in start["message"]


def test_bundle_libraries_resolve_and_portaudio_is_bundled(bundle):
    build_bundle.check_libraries(bundle["dir"])


def test_bundled_portaudio_is_what_sounddevice_loads(bundle):
    """The runtime hook hands sounddevice the bundled PortAudio even where ldconfig knows none."""
    hook = ROOT / "packaging" / "rthooks" / "pyi_rth_studio_portaudio.py"
    probe = (
        "import sys, ctypes.util\n"
        f"sys._MEIPASS = {str(bundle['dir'] / '_internal')!r}\n"
        "ctypes.util.find_library = lambda name: None  # a PC without libportaudio2\n"
        f"exec(open({str(hook)!r}).read())\n"
        "import sounddevice\n"
        "print(sounddevice._libname)\n"
        "print(sounddevice.get_portaudio_version()[1])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PULSE_SERVER": "unix:/nonexistent"})
    assert out.returncode == 0, out.stderr
    libname, version_text = out.stdout.splitlines()[:2]
    assert libname == str(bundle["dir"] / "_internal" / "libportaudio.so.2")
    assert "PortAudio" in version_text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")
def test_installed_bundle_runs_from_its_menu_command(bundle, tmp_path):
    prefix = tmp_path / "prefix"
    run = subprocess.run(["sh", str(bundle["dir"] / "install.sh"), "--prefix", str(prefix)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    desktop = (prefix / "share" / "applications" / "studio-console.desktop").read_text(encoding="utf-8")
    exec_line = next(line for line in desktop.splitlines() if line.startswith("Exec="))
    app = build_bundle.FrozenApp(Path(exec_line.removeprefix("Exec=")), tmp_path / "home")
    from importlib.metadata import version

    build_bundle.check_version(app, version("studio-console"))
    # The command-line link in bin/ works too (the program finds its files through the link).
    linked = build_bundle.FrozenApp(prefix / "bin" / "studio-console", tmp_path / "home")
    assert linked.run("--version").stdout.strip() == f"studio-console {version('studio-console')}"


@pytest.mark.display
def test_frozen_desk_on_a_real_x_display(frozen, xvfb_display):
    """The xcb platform plugin and its X libraries work from the bundle (a studio PC's desktop);
    the picture is saved to artifacts/bundle-desk.png for people to look at."""
    from tests.harness import artifact_path

    shot = artifact_path("bundle-desk.png")
    shot.unlink(missing_ok=True)
    frozen.extra_env.update(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display, STUDIO_SCREENSHOT=str(shot))
    r = frozen.run("--quit-after", "6.5")
    assert r.returncode == 0 and not r.packaging_errors(), r.describe()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, "the screenshot of the desk is (nearly) empty"


def test_frozen_app_loads_portaudio_and_lists_input_devices(frozen):
    """The app lists devices by running ``sys.executable -m hardware.audio.devices``; frozen,
    that is the bundle's own program, which must load the bundled PortAudio."""
    result = build_bundle.check_audio_devices(frozen)
    assert result is not None, "the bundle cannot list audio devices (hardware/audio/devices.py)"
    refused = frozen.run("-m", "os")
    assert refused.returncode == 2 and "-m needs a module of the app" in refused.stderr


@pytest.mark.mic
def test_frozen_app_sees_the_same_microphones_as_the_installed_one(frozen, virtual_mic):
    """Through the bundled PortAudio and the PC's own ALSA/PulseAudio plugins, the frozen app
    sees the studio's sound server exactly like the installed package does."""
    frozen.extra_env.update(PULSE_SERVER=virtual_mic.server)
    r = frozen.run("-m", "hardware.audio.devices", "--json")
    assert r.returncode == 0 and not r.packaging_errors(), r.describe()
    installed = subprocess.run([sys.executable, "-m", "hardware.audio.devices", "--json"], cwd=ROOT,
                               env=virtual_mic.env(), capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    names = sorted(d["name"] for d in json.loads(installed.stdout))
    assert names, "the installed package sees no input device on the virtual mic"
    assert sorted(d["name"] for d in json.loads(r.stdout)) == names


@pytest.mark.mic
def test_frozen_app_records_the_mic_through_its_portaudio_child(frozen, virtual_mic):
    """The frozen app starts its PortAudio children as ``<program> -m hardware.audio.portaudio_child``:
    the mic self-test records the virtual mic and hears its own test tone through them."""
    frozen.extra_env.update(PULSE_SERVER=virtual_mic.server)
    r = frozen.run("selftest", "--only", "mic", "--mic", "pulse", "--tone", "--json")
    assert not r.packaging_errors(), r.describe()
    checks = {c["id"]: c for c in json.loads(r.stdout)["checks"]}
    assert checks["mic.stream"]["status"] == "pass", r.describe()
    assert checks["mic.level"]["status"] == "pass", r.describe()


def test_bundle_holds_every_resource_migration_and_translation(bundle):
    build_bundle.check_files(bundle["dir"])


def test_frozen_report_draws_its_charts(frozen):
    """The review report renders with its matplotlib charts inside the bundle (not "charts unavailable")."""
    import time

    from studio_app.core.paths import sample_show_path
    from studio_app.show.clock import ManualClock
    from studio_app.show.desk import ShowDesk
    from studio_app.store import EventLog

    db = frozen.home / "data" / "studio-log.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    clock = ManualClock(mono=1000.0, wall=time.time() - 3600)
    with EventLog(f"sqlite:///{db}") as log:
        desk = ShowDesk.from_file(sample_show_path(), clock=clock, sink=log)
        for _ in range(3):  # three segments, run for real on a hand-driven clock
            assert desk.dispatch("go").ok
            clock.advance(150)
            desk.tick()
        desk.dispatch("end_show")
        assert log.flush()
    r = frozen.run("report", desk.show.id, "--out", str(frozen.home / "r.html"), timeout=180)
    assert r.returncode == 0 and not r.packaging_errors(), r.describe()
    html = (frozen.home / "r.html").read_text(encoding="utf-8")
    assert "charts unavailable" not in html.lower()
    assert "id='chart-segments'><svg" in html.replace('"', "'")
