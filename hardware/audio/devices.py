"""Input devices through PortAudio (python-sounddevice), chosen by name.

sounddevice is imported lazily (the loudness command and the analysis never need
PortAudio). PortAudio reads its device list once, when it initialises; to see a device
or audio server that appeared later it has to be re-initialised, which invalidates
every open stream. So :func:`rescan` must only run while no stream is open; a caller
that has a live stream uses :func:`list_input_devices_isolated` (a child process).

Facts measured on the PulseAudio virtual mic: after the server is killed, opening fails
with ``PortAudioError(-9993)`` until it returns; once it is back a plain reopen works,
unless PortAudio was re-initialised while it was down (then the device list is empty
and another re-initialisation is needed).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass

# Every PortAudio call (open, query, re-initialise) goes through this lock: a
# re-initialisation must never run while another thread opens a stream.
PORTAUDIO_LOCK = threading.RLock()
_open_streams = 0  # streams of this process that a re-initialisation would kill (under the lock)


def stream_opened() -> None:
    global _open_streams
    with PORTAUDIO_LOCK:
        _open_streams += 1


def stream_closed() -> None:
    global _open_streams
    with PORTAUDIO_LOCK:
        _open_streams = max(0, _open_streams - 1)


@dataclass(frozen=True)
class InputDevice:
    name: str
    index: int  # PortAudio index: valid only until the next rescan
    hostapi: str
    max_input_channels: int
    default_samplerate: float


def _sd():
    import sounddevice  # noqa: PLC0415 - lazy: needs libportaudio2 and reads PULSE_SERVER

    return sounddevice


def portaudio_available() -> tuple[bool, str]:
    try:
        _sd()
    except OSError as exc:  # "PortAudio library not found"
        return False, str(exc)
    return True, ""


def list_input_devices() -> list[InputDevice]:
    """Input devices as PortAudio currently knows them (no re-initialisation)."""
    sd = _sd()
    with PORTAUDIO_LOCK:
        try:
            devices = sd.query_devices()
            apis = sd.query_hostapis()
        except sd.PortAudioError:
            return []
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
                )
            )
    return out


def rescan() -> list[InputDevice]:
    """Re-initialise PortAudio and list again. Closes every stream: only with none open."""
    sd = _sd()
    with PORTAUDIO_LOCK:
        try:
            sd._terminate()
        except sd.PortAudioError:
            pass
        try:
            sd._initialize()
        except sd.PortAudioError:
            return []
        return list_input_devices()


def scan_input_devices() -> list[InputDevice]:
    """A fresh device list, safe at any time: re-initialises PortAudio when no stream of
    this process is open, else asks a child process (a few hundred ms; call off the GUI thread)."""
    ok, _why = portaudio_available()
    if not ok:
        return []
    with PORTAUDIO_LOCK:
        if _open_streams == 0:
            return rescan()
    return list_input_devices_isolated()


def list_input_devices_isolated(timeout: float = 10.0) -> list[InputDevice]:
    """List input devices from a fresh child process, leaving this process's streams alone."""
    proc = subprocess.run(
        [sys.executable, "-m", "hardware.audio.devices", "--json"],
        capture_output=True, text=True, timeout=timeout, env=dict(os.environ),
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    if proc.returncode != 0:
        return []
    return [InputDevice(**d) for d in json.loads(proc.stdout or "[]")]


def find_input_device(name: str | None, devices: list[InputDevice]) -> InputDevice | None:
    """The device called ``name`` (exact, then case-insensitive substring); the first
    device PortAudio calls default when ``name`` is empty."""
    if not devices:
        return None
    if not name:
        try:
            default_index = _sd().default.device[0]
        except Exception:  # noqa: BLE001 - no default is not an error
            default_index = -1
        for d in devices:
            if d.index == default_index:
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
    if "--json" in sys.argv:
        print(json.dumps([asdict(d) for d in list_input_devices()]))
    else:
        for d in list_input_devices():
            print(f"{d.index:3d}  {d.name}  ({d.hostapi}, {d.max_input_channels} ch, {d.default_samplerate:g} Hz)")
