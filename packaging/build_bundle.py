"""Build the desktop bundle with PyInstaller and smoke-test the frozen program.

    ./dev bundle                     build dist/studio-console (reused if the sources are unchanged), smoke-test it
    ./dev bundle --force             rebuild even if an up-to-date bundle exists
    ./dev bundle --no-smoke          build only
    ./dev bundle --smoke-only        smoke-test the existing bundle
    ./dev bundle --archive           also pack dist/studio-console-<version>-linux-x86_64.tar.gz

Exit code 0 when the bundle is built and every smoke check passes, 1 when a check fails,
2 on bad usage or a failed build. The smoke checks run the frozen program offscreen with a
private data/config folder, a minimal environment and a scratch working directory, so it
cannot lean on the source tree or the venv. ``tests/test_packaging_bundle.py`` uses the same
functions.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle_manifest as manifest  # noqa: E402

ROOT = manifest.ROOT
SPEC = HERE / "studio-console.spec"
BUILD_INFO = "build-info.json"
# What the bundle is made of: a change in any of these means the bundle is stale.
SOURCE_PARTS = ("studio_app", "hardware", "resources", "packaging", "pyproject.toml")


# ----------------------------------------------------------------------------- building
def source_fingerprint(root: Path = ROOT) -> str:
    """A hash of every source file that goes into the bundle (content, not mtime or commit:
    the working tree is often ahead of the last commit)."""
    h = hashlib.sha256()
    for part in SOURCE_PARTS:
        base = root / part
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(root)
            if "__pycache__" in rel.parts or path.suffix in {".pyc", ".tmp"}:
                continue
            h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:20]


def git_commit(root: Path = ROOT) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def read_build_info(dist: Path) -> dict | None:
    try:
        return json.loads((manifest.bundle_dir(dist) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def bundle_is_current(dist: Path) -> bool:
    info = read_build_info(dist)
    return bool(info) and info.get("source") == source_fingerprint() and manifest.executable(dist).exists()


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@contextlib.contextmanager
def build_lock(work: Path):
    """One build at a time per work folder (two pytest runs, or a test and ./dev bundle)."""
    import fcntl

    work.mkdir(parents=True, exist_ok=True)
    with open(work / ".bundle.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(dist: Path, work: Path, log=print) -> dict:  # noqa: ANN001 - any print-like callable
    """Run PyInstaller on the spec; returns the build info written into the bundle.

    Raises ``RuntimeError`` (message with the tail of PyInstaller's output) if it fails.
    """
    fingerprint = source_fingerprint()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC)]
    log(f"building {manifest.bundle_dir(dist)} with PyInstaller (takes about a minute) ...")
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    (work / "pyinstaller.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
        raise RuntimeError(f"PyInstaller failed (exit {proc.returncode}), log in {work / 'pyinstaller.log'}:\n{tail}")
    from importlib.metadata import version

    info = {
        "version": version("studio-console"),
        "commit": git_commit(),
        "source": fingerprint,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(seconds, 1),
        "platform": f"{platform.system()}-{platform.machine()}",
        "python": platform.python_version(),
    }
    info["size_bytes"] = folder_size(manifest.bundle_dir(dist))
    (manifest.bundle_dir(dist) / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def ensure_bundle(dist: Path = ROOT / "dist", work: Path = ROOT / "build", force: bool = False,
                  log=print) -> dict:  # noqa: ANN001
    """The bundle for the current sources: reused if already built from them, else built."""
    with build_lock(work):
        if not force and bundle_is_current(dist):
            info = read_build_info(dist)
            log(f"reusing {manifest.bundle_dir(dist)} (built {info['built_at']} from the same sources)")
            return {**info, "reused": True}
        return {**build(dist, work, log), "reused": False}


def archive(dist: Path, version: str) -> Path:
    name = f"{manifest.APP_NAME}-{version}-{platform.system().lower()}-{platform.machine()}"
    return Path(shutil.make_archive(str(dist / name), "gztar", root_dir=dist, base_dir=manifest.APP_NAME))


# ----------------------------------------------------------------------------- smoke test
@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def packaging_errors(self) -> list[str]:
        """Lines of output that say the bundle is missing a module, a plugin or a library."""
        return [line for line in (self.stdout + "\n" + self.stderr).splitlines()
                if any(marker.lower() in line.lower() for marker in manifest.PACKAGING_ERRORS)]

    def describe(self) -> str:
        return (f"studio-console {' '.join(self.args)} -> exit {self.returncode} in {self.seconds:.1f} s\n"
                f"--- stdout ---\n{self.stdout[-2000:]}\n--- stderr ---\n{self.stderr[-3000:]}")


@dataclass
class FrozenApp:
    """Runs the frozen executable like a studio PC would: offscreen Qt, private folders,
    a minimal environment (no venv, no PYTHONPATH) and a scratch working directory."""

    exe: Path
    home: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "STUDIO_DATA_DIR": str(self.home / "data"),
            "STUDIO_CONFIG_DIR": str(self.home / "config"),
            "XDG_RUNTIME_DIR": str(self.home / "runtime"),
        }
        if sys.platform.startswith("win"):
            env = {**os.environ, **{k: v for k, v in env.items() if k.startswith(("QT_", "STUDIO_"))}}
        return {**env, **self.extra_env}

    def run(self, *args: str, timeout: float = 120) -> Run:
        (self.home / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
        t0 = time.monotonic()
        proc = subprocess.run([str(self.exe), *args], env=self.env(), cwd=self.home, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=timeout)
        return Run(list(args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - t0)

    def has_command(self, name: str) -> bool:
        listed = self.run("--help").stdout
        return f"\n    {name} " in listed or f"\n    {name}\n" in listed


def check_version(app: FrozenApp, expected: str) -> str:
    r = app.run("--version")
    out = r.stdout.strip()
    if r.returncode != 0 or out != f"studio-console {expected}":
        raise AssertionError(f"--version printed {out!r}, expected 'studio-console {expected}'\n{r.describe()}")
    return out


def check_log_json(app: FrozenApp) -> str:
    """A fresh data folder: ``log`` (read-only) says there is no log yet and creates nothing;
    the first writing command (``sales add``) creates the database and runs every migration
    (Alembic's scripts inside the bundle); then ``log --json`` reads it."""
    db = app.home / "data" / "studio-log.sqlite3"
    r = app.run("log", "--json")
    if r.returncode != 2 or "no event log" not in r.stderr or db.exists() or r.packaging_errors():
        raise AssertionError(f"log --json before any log should say there is none and create nothing\n{r.describe()}")
    r = app.run("sales", "add", "BUNDLE-SMOKE", "--gmv", "1")
    if r.returncode != 0 or r.packaging_errors() or not db.exists():
        raise AssertionError(f"sales add did not create the database in STUDIO_DATA_DIR\n{r.describe()}")
    r = app.run("log", "--json")
    if r.returncode != 0 or r.packaging_errors():
        raise AssertionError(f"log --json on the fresh database failed\n{r.describe()}")
    return f"fresh database migrated, {len(json.loads(r.stdout))} events"


def check_selftest(app: FrozenApp) -> str | None:
    """``selftest --json --only console`` when the bundle has that subcommand (None otherwise).
    Exit 0 (all good) or 1 (findings about this PC) are fine; a crash or missing part is not."""
    if not app.has_command("selftest"):
        return None
    r = app.run("selftest", "--json", "--only", "console")
    if r.returncode not in (0, 1) or r.packaging_errors():
        raise AssertionError(f"selftest failed in the bundle\n{r.describe()}")
    json.loads(r.stdout)
    return f"exit {r.returncode}"


def check_audio_devices(app: FrozenApp) -> str | None:
    """PortAudio loads in the frozen app: the input-device lister (run the way the app runs it,
    ``<program> -m hardware.audio.devices --json``) prints a JSON list. None if that module is gone."""
    if not (ROOT / "hardware" / "audio" / "devices.py").exists():
        return None
    r = app.run("-m", "hardware.audio.devices", "--json")
    if r.returncode != 0 or r.packaging_errors():
        raise AssertionError(f"the frozen app could not list audio input devices\n{r.describe()}")
    devices = json.loads(r.stdout)
    return f"PortAudio loaded, {len(devices)} input device(s) on this PC"


def check_desk(app: FrozenApp, seconds: float = 3) -> str:
    r = app.run("--quit-after", str(seconds))
    if r.returncode != 0 or r.packaging_errors():
        raise AssertionError(f"the desk did not open and close cleanly\n{r.describe()}")
    log = app.run("log", "--json")
    kinds = [e.get("kind") for e in json.loads(log.stdout)] if log.returncode == 0 else []
    if "app.start" not in kinds:
        raise AssertionError(f"the desk ran but logged no app.start event: {kinds}\n{log.describe()}")
    return f"opened and closed in {r.seconds:.1f} s"


def check_libraries(bundle: Path) -> str:
    """Every shared library in the bundle finds its dependencies (bundled or system), and
    PortAudio is bundled where the runtime hook looks for it (Linux)."""
    if not sys.platform.startswith("linux"):
        return "skipped (not Linux)"
    internal = bundle / "_internal"
    portaudio = internal / "libportaudio.so.2"
    if not portaudio.exists():
        raise AssertionError(f"{portaudio} missing: sounddevice would not find PortAudio on a PC without libportaudio2")
    missing: list[str] = []
    libs = [p for p in internal.rglob("*.so*") if p.is_file()] + [bundle / manifest.APP_NAME]
    for lib in libs:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True,
                             env={"LD_LIBRARY_PATH": str(internal), "PATH": "/usr/bin:/bin"}).stdout
        missing += [f"{lib.relative_to(bundle)}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    if missing:
        raise AssertionError("shared libraries with unresolved dependencies:\n" + "\n".join(missing[:40]))
    plugins = internal / "PySide6" / "Qt" / "plugins"
    absent = [p for p in manifest.REQUIRED_QT_PLUGINS if not (plugins / p).exists()]
    if absent:
        raise AssertionError(f"Qt plugins missing from the bundle: {absent}")
    return f"{len(libs)} libraries resolve; PortAudio and Qt plugins present"


def check_files(bundle: Path) -> str:
    """The data the app reads from files at run time is all in the bundle: every resource,
    every migration, the dist-info (version), Qt's Chinese translations."""
    internal = bundle / "_internal"
    wanted = [Path("resources") / p.relative_to(ROOT / "resources")
              for p in (ROOT / "resources").rglob("*") if p.is_file()]
    wanted += [p.relative_to(ROOT) for p in (ROOT / manifest.MIGRATIONS).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".mako"}]
    wanted += [Path("PySide6/Qt/translations/qtbase_zh_CN.qm")]
    missing = [str(p) for p in wanted if not (internal / p).is_file()]
    if not any(internal.glob("studio_console*-info")):
        missing.append("studio_console dist-info (the version)")
    if missing:
        raise AssertionError(f"files missing from the bundle: {missing[:30]}")
    return f"{len(wanted)} resource/migration/translation files present"


def smoke(bundle: Path, version: str, log=print) -> bool:  # noqa: ANN001
    """Run every smoke check, print one line each; True when all pass."""
    ok = True
    with tempfile.TemporaryDirectory(prefix="studio-bundle-smoke-") as tmp:
        app = FrozenApp(bundle / (manifest.APP_NAME + (".exe" if sys.platform.startswith("win") else "")), Path(tmp))
        checks = [
            ("libraries", lambda: check_libraries(bundle)),
            ("data files", lambda: check_files(bundle)),
            ("--version", lambda: check_version(app, version)),
            ("log --json (fresh DB)", lambda: check_log_json(app)),
            ("audio devices (PortAudio)", lambda: check_audio_devices(app)),
            ("selftest --only console", lambda: check_selftest(app)),
            ("desk --quit-after 3", lambda: check_desk(app)),
        ]
        for name, check in checks:
            try:
                detail = check()
            except (AssertionError, ValueError, subprocess.TimeoutExpired) as exc:
                ok = False
                log(f"  FAIL {name}: {exc}")
                continue
            log(f"  ok   {name}: {detail if detail is not None else 'not in this build (skipped)'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev bundle", description="Build and smoke-test the desktop bundle.")
    parser.add_argument("--force", action="store_true", help="rebuild even if the bundle is up to date")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--smoke-only", action="store_true", help="smoke-test the existing bundle, do not build")
    parser.add_argument("--archive", action="store_true", help="also pack a .tar.gz of the bundle into dist/")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="work folder (default: build/)")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    if args.smoke_only:
        info = read_build_info(dist)
        if info is None:
            print(f"no bundle in {dist}: run ./dev bundle first", file=sys.stderr)
            return 2
    else:
        try:
            info = ensure_bundle(dist, work, force=args.force)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
    bundle = manifest.bundle_dir(dist)
    print(f"bundle: {bundle}")
    print(f"  version {info['version']}, commit {info['commit']}, {info['platform']}, Python {info['python']}")
    print(f"  size {info['size_bytes'] / 1e6:.0f} MB, build time {info['build_seconds']:.0f} s"
          + (" (reused)" if info.get("reused") else ""))
    if args.archive:
        t0 = time.monotonic()
        path = archive(dist, info["version"])
        print(f"  archive {path} ({path.stat().st_size / 1e6:.0f} MB, {time.monotonic() - t0:.0f} s)")
    if args.no_smoke:
        return 0
    print("smoke test (frozen, offscreen, private folders):")
    ok = smoke(bundle, info["version"])
    print("bundle OK" if ok else "bundle FAILED a smoke check")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
