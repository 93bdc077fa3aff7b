"""What goes into the desktop bundle besides what PyInstaller finds by itself.

Shared by ``packaging/studio-console.spec`` (which builds from it) and the tests (which check
it against the source tree), so a new module or resource cannot be forgotten silently.

Pure standard library: it is imported by the spec inside PyInstaller and by pytest.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "studio-console"  # executable and folder name in dist/
BUNDLE_ID = "com.studioconsole.console"  # macOS CFBundleIdentifier
APP_PACKAGES = ("studio_app", "hardware")
# Alembic reads these from files at run time (script_location is a folder), so they must be
# data in the bundle, beside the frozen ``studio_app/store/db`` module.
MIGRATIONS = Path("studio_app") / "store" / "migrations"
# Qt plugin folders the desk needs, checked after a build: the window (xcb for a desktop,
# offscreen for smoke tests and headless runs), the SVG icon and images.
REQUIRED_QT_PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqoffscreen.so",
    "imageformats/libqsvg.so",
    "iconengines/libqsvgicon.so",
)
# Errors that mean the bundle is missing something; the smoke test scans output for them.
PACKAGING_ERRORS = (
    "ModuleNotFoundError",
    "No module named",
    "Could not find the Qt platform plugin",
    "could not load the Qt platform plugin",
    "cannot open shared object",
    "Traceback",
    "PortAudio library not found",
)


def source_modules(root: Path = ROOT) -> list[str]:
    """Every importable module of the app's packages, found by walking the source tree.

    Namespace folders (no ``__init__.py``) count as packages, like Python treats them.
    """
    names: set[str] = set()
    for package in APP_PACKAGES:
        for path in (root / package).rglob("*.py"):
            rel = path.relative_to(root).with_suffix("")
            if "__pycache__" in rel.parts:
                continue
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.add(".".join(parts))
            # Every enclosing folder is a package (regular or namespace).
            for i in range(1, len(parts)):
                names.add(".".join(parts[:i]))
    return sorted(names)


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Modules PyInstaller must bundle even though nothing imports them by a literal name.

    Subcommands are imported by name (``studio_app.commands.COMMAND_MODULES``) and panels may
    be too, so every module of the app is listed. The migrations are listed as well: nothing
    imports them as modules (Alembic loads the files), but listing them makes PyInstaller
    analyse and bundle what they import (``alembic.op``, SQLAlchemy types).
    """
    names = source_modules(root)
    # Alembic's proxies used by env.py and the migration scripts.
    names += ["alembic.context", "alembic.op", "alembic.runtime.migration", "alembic.ddl.sqlite",
              "alembic.ddl.postgresql", "logging.config"]
    # matplotlib picks its canvas for savefig(format="svg") by module name at run time.
    names += ["matplotlib.backends.backend_svg", "matplotlib.backends.backend_agg"]
    # PostgreSQL through psycopg 3 (the central-log option); only if installed at build time.
    for optional in ("psycopg", "psycopg_binary"):
        if _installed(optional):
            names.append(optional)
    return names


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, destination folder in the bundle) pairs for ``Analysis(datas=...)``."""
    datas = [(str(root / "resources"), "resources")]
    migrations = root / MIGRATIONS
    for path in sorted(migrations.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".mako", ".ini"}:
            datas.append((str(path), str(path.parent.relative_to(root))))
    alembic_ini = root / "studio_app" / "store" / "alembic.ini"
    if alembic_ini.exists():
        datas.append((str(alembic_ini), str(alembic_ini.parent.relative_to(root))))
    return datas


def excluded_modules() -> list[str]:
    """Heavy modules nothing in the app needs (test tools, other GUI toolkits).

    matplotlib (and the Pillow its SVG backend imports) stays: the review report draws its charts with it.
    """
    return ["tkinter", "_tkinter", "IPython", "pytest", "_pytest", "hypothesis",
            "skimage", "pyloudnorm", "importlinter", "grimp", "PyQt5", "PyQt6", "PySide2",
            "pygments", "mako.ext.pygmentplugin",
            # Build-time tools (cffi's shim pulls them in); their runtime hooks slow every start.
            "setuptools", "pkg_resources", "distutils", "_distutils_hack",
            "pyqtgraph.opengl", "pyqtgraph.examples", "OpenGL"]


# Libraries left out of the bundle, by file name prefix (Linux):
# - Qt's GTK3 platform theme and the GTK/Pango/Cairo/ATK stack only it links: a bundled GTK
#   clashes with the desktop's GTK modules and themes, and Qt's own style is what we theme.
# - libasound: ALSA loads its plugins (PulseAudio, PipeWire) from the system, and they must
#   match the system's libasound; every Linux PC with sound has it (Debian: libasound2).
DROPPED_LIBRARIES = (
    "libqgtk3.so", "libgtk-3.so", "libgdk-3.so", "libgdk_pixbuf-2.0.so", "libatk-1.0.so",
    "libatk-bridge-2.0.so", "libatspi.so", "libcairo.so", "libcairo-gobject.so", "libpango-1.0.so",
    "libpangocairo-1.0.so", "libpangoft2-1.0.so", "libepoxy.so", "libfribidi.so", "libthai.so",
    "libdatrie.so", "libpixman-1.so", "libasound.so",
)
# Qt's own translations (standard dialogs, buttons) only for the UI languages we ship.
QT_TRANSLATION_LANGS = ("zh_CN", "en")


def keep_binary(dest: str) -> bool:
    """Whether a binary PyInstaller collected (its destination path) goes into the bundle."""
    return not Path(dest).name.startswith(DROPPED_LIBRARIES)


def keep_data(dest: str) -> bool:
    """Whether a data file (its destination path) goes into the bundle."""
    path = Path(dest)
    if path.suffix == ".qm" and "PySide6" in path.parts and "translations" in path.parts:
        return path.stem.endswith(QT_TRANSLATION_LANGS)
    return True


def _installed(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def bundle_dir(dist: Path | None = None) -> Path:
    """The built one-folder bundle (``dist/studio-console``)."""
    return (dist or ROOT / "dist") / APP_NAME


def executable(dist: Path | None = None) -> Path:
    suffix = ".exe" if sys.platform.startswith("win") else ""
    return bundle_dir(dist) / f"{APP_NAME}{suffix}"
