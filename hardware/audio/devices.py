"""Input devices through PortAudio (python-sounddevice), chosen by name.

PortAudio never runs in the console's own process: streams, tones and device lists all
run in short-lived child processes (:mod:`hardware.audio.portaudio_child`, and this
module run as ``-m hardware.audio.devices --json``). A broken PortAudio stream can spin
forever and a frozen audio server can hang PortAudio's initialisation; a child that does
either is killed, and the console goes on. A fresh child also sees devices and audio
servers that appeared since the last one, with no re-initialisation in this process.

:func:`list_input_devices` is the in-process listing the children use; the console calls
:func:`probe_input_devices` / :func:`scan_input_devices` (a child, about 0.3 s: never on
the GUI thread).

Facts measured on the PulseAudio virtual mic: after the server is killed, opening fails
with ``PortAudioError(-9993)`` until it returns; a fresh process then opens it again.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field

EXIT_NO_PORTAUDIO = 3


@dataclass(frozen=True)
class InputDevice:
    name: str
    index: int  # PortAudio index: valid only in the process that listed it
    hostapi: str
    max_input_channels: int
    default_samplerate: float
    is_default: bool = False  # PortAudio's default input


@dataclass(frozen=True)
class DeviceProbe:
    """What a child process saw: the input devices, or why there are none to see."""

    devices: list[InputDevice] = field(default_factory=list)
    error: str = ""  # "PortAudio is not available: ...", "no answer within 10 s", ...


def _sd():
    import sounddevice  # noqa: PLC0415 - lazy: needs libportaudio2 and reads PULSE_SERVER

    return sounddevice


def child_command(module: str, *args: str) -> tuple[list[str], str]:
    """argv and working directory to run ``module`` of the app as a child process.

    From source the project root is the working directory so ``-m`` finds the packages;
    in the frozen app ``sys.executable`` is the app itself, which accepts ``-m`` for its
    own modules (packaging/studio_console_main.py)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return [sys.executable, "-m", module, *args], root


def list_input_devices() -> list[InputDevice]:
    """Input devices as PortAudio in *this* process knows them. For the child processes;
    the console itself uses :func:`scan_input_devices`."""
    sd = _sd()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
    except sd.PortAudioError:
        return []
    try:
        default_index = int(sd.default.device[0])
    except Exception:  # noqa: BLE001 - no default input is not an error
        default_index = -1
    out = []
    for i, d in enumerate(devices):
        if d["max_input_channels"] > 0:
            out.append(
                InputDevice(
                    name=d["name"],
                    index=i,
                    hostapi=apis[d["hostapi"]]["name"],
                    max_input_channels=int(d["max_input_channels"]),
                    default_samplerate=float(d["default_samplerate"]),
                    is_default=i == default_index,
                )
            )
    return out


def probe_input_devices(timeout: float = 10.0) -> DeviceProbe:
    """A fresh device list from a child process (never waits longer than ``timeout``)."""
    argv, cwd = child_command("hardware.audio.devices", "--json")
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return DeviceProbe(error=f"PortAudio gave no device list within {timeout:g} s (audio server not responding?)")
    except OSError as exc:
        return DeviceProbe(error=f"cannot start the device lister: {exc}")
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr or "").splitlines() if ln.strip()]
        return DeviceProbe(error=lines[-1] if lines else f"the device lister failed (exit code {proc.returncode})")
    try:
        return DeviceProbe(devices=[InputDevice(**d) for d in json.loads(proc.stdout or "[]")])
    except (ValueError, TypeError) as exc:
        return DeviceProbe(error=f"the device lister printed something unexpected: {exc}")


def scan_input_devices(timeout: float = 10.0) -> list[InputDevice]:
    """A fresh device list, safe at any time (a child process; call off the GUI thread).
    Empty when PortAudio is missing or does not answer: :func:`probe_input_devices` says why."""
    return probe_input_devices(timeout).devices


def find_input_device(name: str | None, devices: list[InputDevice]) -> InputDevice | None:
    """The device called ``name`` (exact, then case-insensitive substring); the device
    PortAudio calls default when ``name`` is empty."""
    if not devices:
        return None
    if not name:
        for d in devices:
            if d.is_default:
                return d
        for d in devices:  # ALSA via PulseAudio/PipeWire: prefer the sound server's device
            if d.name in ("pulse", "pipewire", "default"):
                return d
        return devices[0]
    for d in devices:
        if d.name == name:
            return d
    low = name.lower()
    for d in devices:
        if low in d.name.lower():
            return d
    return None


if __name__ == "__main__":
    try:
        listed = list_input_devices()
    except OSError as exc:  # "PortAudio library not found"
        print(f"PortAudio is not available: {exc}", file=sys.stderr)
        sys.stdout.flush()
        os._exit(EXIT_NO_PORTAUDIO)
    if "--json" in sys.argv:
        print(json.dumps([asdict(d) for d in listed]), flush=True)
    else:
        for d in listed:
            mark = "*" if d.is_default else " "
            print(f"{d.index:3d}{mark} {d.name}  ({d.hostapi}, {d.max_input_channels} ch, {d.default_samplerate:g} Hz)", flush=True)
    os._exit(0)  # not PortAudio's exit handler: nothing of it is needed, and it can hang
