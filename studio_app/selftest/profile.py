"""The studio profile: what this studio should have, in a TOML file (see resources/profiles/FORMAT.md).

:func:`load_profile` reads and checks a file; every mistake is reported as one line
saying where (``FILE:LINE: [section] key: ...``). :func:`profile_from_settings` makes the
profile a run uses when there is no file (the console's own settings: device names and
addresses, but no thresholds the studio never set). :func:`save_profile` writes a new
studio's profile from what a self-test found.
"""
from __future__ import annotations

import errno
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import tomli_w

from hardware.camera.whitebalance import WhiteBalanceReference
from studio_app.core.files import FileRefused, loads_toml, read_regular_text, write_atomically
from studio_app.selftest.checks import SelfTestRun, Status

FORMAT_VERSION = 1


class ProfileError(ValueError):
    """A profile that cannot be used; the message is one line that says where."""


@dataclass(frozen=True)
class CameraProfile:
    source: str = ""  # device index, video file or stream URL; "" = no camera to test
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    fps_tolerance_pct: float = 10.0
    exposure_min_pct: float = 27.0  # mean luma below this share of full scale: too dark
    exposure_max_pct: float = 72.0
    focus_reference: float | None = None  # in-focus sharpness stored for this camera
    focus_min_ratio: float = 0.4  # sharpness below this share of the reference: soft
    # White-balance reference stored for this camera ({estimator: [R/G, B/G]}, see
    # hardware/camera/whitebalance.py); None: only a clear cast is named.
    wb_reference: dict | None = None


@dataclass(frozen=True)
class MicProfile:
    device: str | None = None  # input device name; "" = the system default; None = no mic to test
    noise_floor_max_dbfs: float | None = -50.0
    noise_floor_min_dbfs: float | None = None  # below: digital silence (a dead or muted input)
    level_min_dbfs: float = -40.0  # 300 ms RMS while speaking or with the test tone
    level_max_dbfs: float = -6.0
    listen_s: float = 1.5  # seconds of silence measured for the noise floor
    tone_dbfs: float = -20.0  # peak level of the --tone test tone
    tone_hz: float = 1000.0


@dataclass(frozen=True)
class ObsProfile:
    host: str | None = None  # None = no OBS to test
    port: int = 4455
    scenes: tuple[str, ...] | None = None  # required scenes; None = nothing to check against
    text_sources: tuple[str, ...] | None = None
    output_width: int | None = None
    output_height: int | None = None
    fps: float | None = None
    bitrate_kbps: int | None = None
    recording_path: str | None = None
    min_free_disk_gb: float | None = None
    test_recording_s: float = 3.0


@dataclass(frozen=True)
class ConsoleProfile:
    screens: int | None = None  # screens needed (desk + cue displays); None = at least one


@dataclass(frozen=True)
class Profile:
    name: str = ""
    camera: CameraProfile = field(default_factory=CameraProfile)
    mic: MicProfile = field(default_factory=MicProfile)
    obs: ObsProfile = field(default_factory=ObsProfile)
    console: ConsoleProfile = field(default_factory=ConsoleProfile)
    loudness_target_lufs: float = -16.0
    path: str | None = None  # where it was read from (None: made from the settings)


_SECTIONS = {"camera": CameraProfile, "mic": MicProfile, "obs": ObsProfile, "console": ConsoleProfile}
_TOP_KEYS = {"format_version", "name", "studio", "loudness"}


def _kind(cls: type, key: str) -> str:
    ann = {f.name: f.type for f in fields(cls)}[key]
    text = str(ann)
    if "tuple" in text:
        return "list"
    if text.startswith("dict"):
        return "wb_reference"
    if text.startswith("str"):
        return "str"
    if text.startswith("int"):
        return "int"
    return "float"


class _Locator:
    """Finds the line of ``[section] key`` in the file text (tomllib gives no positions)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, section: str | None, key: str | None = None) -> str:
        current = None
        for i, raw in enumerate(self.lines, 1):
            line = raw.strip()
            m = re.match(r"^\[\s*([A-Za-z0-9_.\-]+)\s*\]", line)
            if m:
                current = m.group(1)
                if key is None and current == section:
                    return f"{self.path}:{i}"
                continue
            if key is not None and current == section and re.match(rf"^\"?{re.escape(key)}\"?\s*=", line):
                return f"{self.path}:{i}"
        return self.path


def _convert(value: Any, kind: str, loc: str, label: str) -> Any:
    if kind == "wb_reference":
        try:
            return WhiteBalanceReference.from_dict(value).to_dict()
        except ValueError as exc:
            raise ProfileError(f"{loc}: {label}: {exc}") from None
    if kind == "str":
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ProfileError(f"{loc}: {label}: expected text, got {value!r}")
        return str(value)
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProfileError(f"{loc}: {label}: expected a list of names, e.g. [\"Opening\", \"BRB\"]")
        return tuple(v.strip() for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"{loc}: {label}: expected a number, got {value!r}")
    if kind == "int":
        if isinstance(value, float) and not value.is_integer():
            raise ProfileError(f"{loc}: {label}: expected a whole number, got {value!r}")
        return int(value)
    if not math.isfinite(float(value)):
        raise ProfileError(f"{loc}: {label}: expected a finite number, got {value!r}")
    return float(value)


_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("camera", "width"): (16, 16384), ("camera", "height"): (16, 16384), ("camera", "fps"): (1, 240),
    ("camera", "fps_tolerance_pct"): (0, 100), ("camera", "exposure_min_pct"): (0, 100),
    ("camera", "exposure_max_pct"): (0, 100), ("camera", "focus_reference"): (0, 1e9),
    ("camera", "focus_min_ratio"): (0, 1),
    ("mic", "noise_floor_max_dbfs"): (-150, 0), ("mic", "noise_floor_min_dbfs"): (-200, 0),
    ("mic", "level_min_dbfs"): (-150, 0), ("mic", "level_max_dbfs"): (-150, 0), ("mic", "listen_s"): (1, 30),
    ("mic", "tone_dbfs"): (-60, -1), ("mic", "tone_hz"): (50, 15000),
    ("obs", "port"): (1, 65535), ("obs", "output_width"): (16, 16384), ("obs", "output_height"): (16, 16384),
    ("obs", "fps"): (1, 240), ("obs", "bitrate_kbps"): (1, 1_000_000), ("obs", "min_free_disk_gb"): (0, 1e6),
    ("obs", "test_recording_s"): (1, 30), ("console", "screens"): (0, 16),
}


def parse_profile(text: str, path: str = "<profile>") -> Profile:
    """A profile from TOML text; :class:`ProfileError` with ``path:line`` on any mistake."""
    try:
        data = loads_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    loc = _Locator(path, text)
    for key in data:
        if key not in _SECTIONS and key not in _TOP_KEYS:
            raise ProfileError(f"{loc.where(key) if isinstance(data[key], dict) else loc.where(None, key)}: "
                               f"unknown key {key!r} (known: {', '.join(sorted([*_SECTIONS, *_TOP_KEYS]))})")
    version = data.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ProfileError(f"{loc.where(None, 'format_version')}: format_version {version!r} is not supported (this console reads {FORMAT_VERSION})")
    name = data.get("name", "")
    studio = data.get("studio", {})
    if isinstance(studio, dict):
        name = studio.get("name", name)
    parts: dict[str, Any] = {}
    for section, cls in _SECTIONS.items():
        raw = data.get(section)
        if raw is None:
            # A section left out means "nothing to test there"; the defaults of a present one apply.
            parts[section] = cls(**({"source": ""} if section == "camera" else {}))
            continue
        if not isinstance(raw, dict):
            raise ProfileError(f"{loc.where(None, section)}: {section} must be a [{section}] table")
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            where = loc.where(section, key)
            label = f"[{section}] {key}"
            if key not in known:
                raise ProfileError(f"{where}: {label}: unknown key (known: {', '.join(sorted(known))})")
            v = _convert(value, _kind(cls, key), where, label)
            lo_hi = _RANGES.get((section, key))
            if lo_hi and not lo_hi[0] <= v <= lo_hi[1]:
                raise ProfileError(f"{where}: {label}: {v} is outside {lo_hi[0]:g}..{lo_hi[1]:g}")
            values[key] = v
        if section == "mic" and "device" not in values:
            values["device"] = ""  # a [mic] table without a device: the system default
        if section == "obs" and "host" not in values:
            values["host"] = "127.0.0.1"
        obj = cls(**values)
        _check_pairs(section, obj, loc)
        parts[section] = obj
    loud = data.get("loudness", {})
    target = -16.0
    if isinstance(loud, dict) and "target_lufs" in loud:
        target = _convert(loud["target_lufs"], "float", loc.where("loudness", "target_lufs"), "[loudness] target_lufs")
    return Profile(name=str(name), loudness_target_lufs=target, path=path, **parts)


def _check_pairs(section: str, obj: Any, loc: _Locator) -> None:
    if section == "camera" and obj.exposure_min_pct >= obj.exposure_max_pct:
        raise ProfileError(f"{loc.where('camera', 'exposure_min_pct')}: [camera] exposure_min_pct must be below exposure_max_pct")
    if section == "mic" and obj.level_min_dbfs >= obj.level_max_dbfs:
        raise ProfileError(f"{loc.where('mic', 'level_min_dbfs')}: [mic] level_min_dbfs must be below level_max_dbfs")
    if section == "camera" and (obj.width is None) != (obj.height is None):
        raise ProfileError(f"{loc.where('camera')}: [camera] give both width and height, or neither")
    if section == "obs" and (obj.output_width is None) != (obj.output_height is None):
        raise ProfileError(f"{loc.where('obs')}: [obs] give both output_width and output_height, or neither")


def load_profile(path: str | os.PathLike[str]) -> Profile:
    p = Path(path)
    try:
        text = read_regular_text(p)
    except FileNotFoundError:
        raise ProfileError(f"{p}: no such profile file") from None
    except FileRefused as exc:
        raise ProfileError(f"{p}: no such profile file" if exc.errno == errno.ENOENT else str(exc)) from None
    except OSError as exc:
        raise ProfileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    return parse_profile(text, str(p))


def profile_from_settings(settings: Any) -> Profile:
    """What the console's settings say (devices and addresses; no studio thresholds)."""
    def get(key: str, default: Any = None) -> Any:
        return settings.get(key, default) if settings is not None else default

    source = str(get("camera.source", "") or "")
    refs = get("camera.focus_references", {}) or {}
    ref = refs.get(source) if isinstance(refs, dict) else None
    wb_refs = get("camera.wb_references", {}) or {}
    wb_ref = wb_refs.get(source) if isinstance(wb_refs, dict) else None
    try:
        wb_ref = WhiteBalanceReference.from_dict(wb_ref).to_dict() if wb_ref else None
    except ValueError:
        wb_ref = None  # a damaged stored reference: judge without one rather than refuse to run
    camera = CameraProfile(
        source=source,
        width=int(get("camera.width")) if get("camera.width") else None,
        height=int(get("camera.height")) if get("camera.height") else None,
        fps=float(get("camera.fps")) if get("camera.fps") else None,
        focus_reference=float(ref) if ref else None,
        wb_reference=wb_ref,
    )
    mic = MicProfile(device=str(get("mic.device", "") or ""))
    obs = ObsProfile(host=str(get("obs.host", "127.0.0.1") or "127.0.0.1"), port=int(get("obs.port", 4455) or 4455)) \
        if get("obs.enabled", True) else ObsProfile(host=None)
    return Profile(name="", camera=camera, mic=mic, obs=obs, console=ConsoleProfile(),
                   loudness_target_lufs=float(get("mic.loudness_target_lufs", -16.0) or -16.0), path=None)


def with_overrides(profile: Profile, camera: str | None = None, mic: str | None = None,
                   obs: tuple[str, int] | None = None) -> Profile:
    """The profile with one run's ``--camera``, ``--mic``, ``--obs`` applied."""
    if camera is not None:
        profile = replace(profile, camera=replace(profile.camera, source=camera))
    if mic is not None:
        profile = replace(profile, mic=replace(profile.mic, device=mic))
    if obs is not None:
        profile = replace(profile, obs=replace(profile.obs, host=obs[0], port=obs[1]))
    return profile


def parse_host_port(text: str, default_port: int = 4455) -> tuple[str, int]:
    """``host:port`` (or ``host``, or ``[v6]:port``) → (host, port); ValueError with a reason."""
    text = text.strip()
    m = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?", text) or re.fullmatch(r"([^:\s]+)(?::(\d+))?", text)
    if not m:
        raise ValueError(f"{text!r} is not HOST:PORT")
    port = int(m.group(2)) if m.group(2) else default_port
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} is outside 1..65535")
    return m.group(1), port


def _data(run: SelfTestRun, check_id: str) -> Mapping[str, Any]:
    # Skipped checks count too: with nothing to check against (a new studio) they still
    # record what they found, which is exactly what the new profile needs.
    c = run.get(check_id)
    return c.data if c is not None else {}


def profile_from_run(run: SelfTestRun, base: Profile | None = None) -> Profile:
    """A profile that describes what ``run`` found (for a new studio): the devices and
    settings as measured, thresholds from ``base`` (or the defaults)."""
    base = base or Profile()
    cam, mic, obs = base.camera, base.mic, base.obs
    d = _data(run, "camera.opens")
    if d.get("source"):
        cam = replace(cam, source=str(d["source"]))
    d = _data(run, "camera.resolution")
    if d.get("width"):
        cam = replace(cam, width=int(d["width"]), height=int(d["height"]))
    d = _data(run, "camera.fps")
    if d.get("fps"):
        cam = replace(cam, fps=float(round(d["fps"])))
    d = _data(run, "camera.focus")
    if d.get("sharpness") and (run.get("camera.focus") and run.get("camera.focus").status is not Status.WARN):
        cam = replace(cam, focus_reference=round(float(d["sharpness"]), 2))
    d = _data(run, "camera.white_balance")
    wb = run.get("camera.white_balance")
    if d.get("reading") and wb is not None and wb.status is not Status.WARN and not cam.wb_reference:
        # As with focus: tonight's picture, unless it showed a cast, becomes the reference.
        try:
            stored = {**(d["reading"].get("colours") or {}), "scene": d["reading"].get("scene") or []}
            cam = replace(cam, wb_reference=WhiteBalanceReference.from_dict(stored).to_dict())
        except (ValueError, AttributeError):
            pass  # too few usable pixels tonight: no reference
    d = _data(run, "mic.device")
    if "device" in d:
        mic = replace(mic, device=str(d["device"]))
    d = _data(run, "mic.noise_floor")
    floor = d.get("noise_floor_dbfs")
    if isinstance(floor, (int, float)) and math.isfinite(floor):
        # 10 dB of headroom over tonight's quiet room, never stricter than -70 dBFS.
        mic = replace(mic, noise_floor_max_dbfs=float(round(max(floor + 10.0, -70.0), 1)))
    d = _data(run, "obs.reachable")
    if d.get("host"):
        obs = replace(obs, host=str(d["host"]), port=int(d["port"]))
    d = _data(run, "obs.scenes")
    if d.get("found") is not None:
        obs = replace(obs, scenes=tuple(d["found"]))
    d = _data(run, "obs.sources")
    if d.get("found") is not None:
        obs = replace(obs, text_sources=tuple(d["found"]))
    d = _data(run, "obs.output")
    if d.get("output_width"):
        obs = replace(obs, output_width=int(d["output_width"]), output_height=int(d["output_height"]),
                      fps=float(d["fps"]) if d.get("fps") else obs.fps,
                      bitrate_kbps=int(d["bitrate_kbps"]) if d.get("bitrate_kbps") else obs.bitrate_kbps)
    d = _data(run, "obs.disk")
    if d.get("record_directory"):
        obs = replace(obs, recording_path=str(d["record_directory"]))
    if obs.min_free_disk_gb is None:
        obs = replace(obs, min_free_disk_gb=10.0)
    console = base.console
    d = _data(run, "console.screens")
    if d.get("screens"):
        console = replace(console, screens=int(d["screens"]))
    return replace(base, camera=cam, mic=mic, obs=obs, console=console, path=None)


def profile_to_toml(profile: Profile) -> str:
    def table(obj: Any) -> dict[str, Any]:
        out = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if v is None:
                continue
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    data: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if profile.name:
        data["name"] = profile.name
    if profile.camera.source:
        data["camera"] = table(profile.camera)
    if profile.mic.device is not None:
        data["mic"] = table(profile.mic)
    if profile.obs.host is not None:
        data["obs"] = table(profile.obs)
    data["console"] = table(profile.console)
    data["loudness"] = {"target_lufs": profile.loudness_target_lufs}
    header = ("# Studio profile written by the self-test (\"save as profile\") from what it found.\n"
              "# 自检根据本次检测结果生成的演播室配置; 阈值可按需修改. Format: resources/profiles/FORMAT.md\n")
    return header + tomli_w.dumps(data)


def save_profile(found: SelfTestRun, path: str | os.PathLike[str], base: Profile | None = None) -> Path:
    """Write the profile of what ``found`` measured to ``path`` (atomically); returns the path."""
    p = Path(path)
    text = profile_to_toml(profile_from_run(found, base))
    parse_profile(text, str(p))  # never write a profile this console would refuse to read
    return write_atomically(p, text, make_parents=True)
