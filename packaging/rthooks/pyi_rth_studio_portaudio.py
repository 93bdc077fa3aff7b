"""Runtime hook (frozen app only): let sounddevice find the PortAudio bundled with the app.

sounddevice loads PortAudio with ``ctypes.util.find_library("portaudio")``, which on Linux
asks ``ldconfig``: it never looks inside the bundle, so a studio PC without the Debian package
``libportaudio2`` would get "PortAudio library not found". The bundle carries
``libportaudio.so.2``; this hook makes ``find_library("portaudio")`` return it (the bundled
copy wins so every studio PC runs the PortAudio the bundle was tested with). Other names go
to the original function. Windows and macOS need nothing: the sounddevice wheel ships the
DLL/dylib and PyInstaller's sounddevice hook bundles it where sounddevice looks.
"""


def _install() -> None:
    import ctypes.util
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return
    bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
    if not os.path.isfile(bundled):
        return  # not bundled: fall back to the system library, if any
    original = ctypes.util.find_library

    def find_library(name: str):  # noqa: ANN202 - same contract as ctypes.util.find_library
        if name == "portaudio":
            return bundled
        return original(name)

    ctypes.util.find_library = find_library


_install()
