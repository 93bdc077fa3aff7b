"""Fast packaging checks that always run: what the PyInstaller spec asks for, the Linux
desktop entry, the icons and the install script (without building a bundle)."""
from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import unavailable

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "studio-console.spec"


def modules_in_tree(package: str) -> set[str]:
    """Every module and (namespace) package under ``package``, from the files on disk."""
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        dotted = dotted.removesuffix(".__init__")
        found.add(dotted)
    return found


@pytest.fixture(scope="module")
def spec_analysis(tmp_path_factory) -> dict:
    """Execute the real spec file with PyInstaller's build targets replaced by recorders:
    returns the keyword arguments the spec passes to ``Analysis`` and ``EXE``."""
    try:
        import PyInstaller.utils.hooks  # noqa: F401
    except ImportError:
        unavailable("PyInstaller", "not installed (it is in the test extra: ./dev setup test)")
    recorded: dict = {}
    dist = tmp_path_factory.mktemp("dist")

    class Target:
        def __init__(self, kind: str, *args, **kwargs):
            recorded[kind] = {"args": args, **kwargs}
            self.binaries, self.datas, self.pure, self.scripts = [], list(kwargs.get("datas", [])), [], []
            if kind == "COLLECT":
                (dist / kwargs["name"]).mkdir(parents=True, exist_ok=True)

    def target(kind: str):
        return lambda *args, **kwargs: Target(kind, *args, **kwargs)

    namespace = {name: target(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace.update(SPECPATH=str(PACKAGING), DISTPATH=str(dist), __file__=str(SPEC), __name__="__main__")
    saved_path = list(sys.path)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
    recorded["dist"] = dist
    return recorded


def test_spec_hidden_imports_cover_every_app_module(spec_analysis):
    hidden = set(spec_analysis["Analysis"]["hiddenimports"])
    expected = modules_in_tree("studio_app") | modules_in_tree("hardware")
    missing = sorted(expected - hidden)
    assert not missing, f"modules the bundle would not contain: {missing}"
    # Subcommands are imported by name at run time: each must be bundled.
    from studio_app.commands import COMMAND_MODULES

    assert set(COMMAND_MODULES) <= hidden


def test_spec_bundles_resources_migrations_and_version_metadata(spec_analysis):
    datas = spec_analysis["Analysis"]["datas"]
    dests = {(Path(src).resolve(), Path(dest)) for src, dest in datas}
    assert (ROOT / "resources", Path("resources")) in dests
    migrations = ROOT / "studio_app" / "store" / "migrations"
    for path in list((migrations / "versions").glob("*.py")) + [migrations / "env.py", migrations / "script.py.mako"]:
        assert (path, path.parent.relative_to(ROOT)) in dests, f"{path.relative_to(ROOT)} not bundled as a file"
    # importlib.metadata in the frozen app needs the dist-info for --version.
    assert any(Path(src).name.startswith("studio_console") and Path(src).name.endswith(("dist-info", "egg-info"))
               for src, _ in datas), datas
    hooks = [Path(h).name for h in spec_analysis["Analysis"]["runtime_hooks"]]
    assert "pyi_rth_studio_portaudio.py" in hooks
    for hook in spec_analysis["Analysis"]["runtime_hooks"]:
        assert Path(hook).exists()


def test_spec_copies_the_linux_installer_beside_the_executable(spec_analysis):
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    bundle = spec_analysis["dist"] / "studio-console"
    for name in ("install.sh", "studio-console.desktop", "icons/studio-console.svg",
                 "icons/hicolor/48x48/apps/studio-console.png"):
        assert (bundle / name).exists(), name


def test_bundle_filters_keep_what_the_desk_needs():
    sys.path.insert(0, str(PACKAGING))
    try:
        import bundle_manifest as m
    finally:
        sys.path.remove(str(PACKAGING))
    assert m.keep_binary("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert m.keep_binary("libportaudio.so.2")
    assert not m.keep_binary("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert not m.keep_binary("libasound.so.2")
    assert m.keep_data("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not m.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert m.keep_data("resources/translations/studio_console_zh_CN.qm")


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "linux" / "studio-console.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application"
    assert d["Name"] == "Studio Console"
    assert d["Name[zh_CN]"] == "直播中控台"
    assert d["Categories"] == "AudioVideo;Video;"
    assert d["Exec"].split()[0] == "studio-console"
    assert d["Icon"] == "studio-console"
    assert d["Terminal"] == "false"
    validate = shutil.which("desktop-file-validate")
    if validate:
        out = subprocess.run([validate, str(PACKAGING / "linux" / "studio-console.desktop")],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("size", [256, 128, 64, 48])
def test_icon_png_renders(size):
    png = PACKAGING / "linux" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "studio-console.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (size, size)


def fake_bundle(folder: Path) -> Path:
    """A folder laid out like dist/studio-console, with a shell script as the program."""
    linux = PACKAGING / "linux"
    folder.mkdir(parents=True)
    exe = folder / "studio-console"
    exe.write_text("#!/bin/sh\necho 'studio-console 9.9.9'\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    (folder / "_internal").mkdir()
    shutil.copy2(linux / "install.sh", folder / "install.sh")
    shutil.copy2(linux / "studio-console.desktop", folder / "studio-console.desktop")
    shutil.copytree(linux / "icons", folder / "icons")
    shutil.copy2(ROOT / "resources" / "icons" / "studio-console.svg", folder / "icons" / "studio-console.svg")
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")
def test_install_script_installs_and_uninstalls_into_a_prefix(tmp_path):
    bundle = fake_bundle(tmp_path / "unpacked" / "studio-console")
    prefix = tmp_path / "prefix"
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    run = subprocess.run(["sh", str(bundle / "install.sh"), "--prefix", str(prefix)], capture_output=True,
                         text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    app = prefix / "studio-console"
    assert (app / "studio-console").exists() and (app / "_internal").is_dir()
    desktop = (prefix / "share" / "applications" / "studio-console.desktop").read_text(encoding="utf-8")
    assert f"Exec={app}/studio-console" in desktop and "Name[zh_CN]=直播中控台" in desktop
    for size in (256, 128, 64, 48):
        assert (prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "studio-console.png").exists()
    assert (prefix / "share" / "icons" / "hicolor" / "scalable" / "apps" / "studio-console.svg").exists()
    launcher = prefix / "bin" / "studio-console"
    assert subprocess.run([str(launcher)], capture_output=True, text=True).stdout.strip() == "studio-console 9.9.9"

    # Installing again over it (an update) works; uninstall removes everything it put there.
    again = subprocess.run(["sh", str(bundle / "install.sh"), "--prefix", str(prefix)], capture_output=True,
                           text=True, env=env, timeout=60)
    assert again.returncode == 0, again.stderr
    assert not (prefix / "studio-console.new").exists() and not (prefix / "studio-console.old").exists()
    gone = subprocess.run(["sh", str(bundle / "install.sh"), "--prefix", str(prefix), "--uninstall"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert gone.returncode == 0, gone.stderr
    leftovers = [p for p in prefix.rglob("*") if p.is_file() or p.is_symlink()]
    assert leftovers == []


def test_install_script_refuses_a_folder_without_the_program(tmp_path):
    folder = tmp_path / "not-a-bundle"
    folder.mkdir()
    shutil.copy2(PACKAGING / "linux" / "install.sh", folder / "install.sh")
    run = subprocess.run(["sh", str(folder / "install.sh"), "--prefix", str(tmp_path / "p")], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 1
    assert "studio-console missing" in run.stderr
    bad = subprocess.run(["sh", str(folder / "install.sh"), "--frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown option: --frobnicate" in bad.stderr
