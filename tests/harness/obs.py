"""A real, headless OBS Studio for tests (obs-studio 29 / obs-websocket 5.1 under Xvfb).

:class:`HeadlessObs` writes a private OBS home (global.ini with the websocket server
settings, a 1280x720 profile recording x264 to mkv, a scene collection with scenes
``Opening`` / ``Product`` / ``BRB`` and FreeType2 text sources ``Title`` and ``BRB Text``),
starts its own Xvfb and OBS, and waits for the websocket Hello. It can stop, ``kill()``
(SIGKILL), ``freeze()`` / ``thaw()`` (SIGSTOP / SIGCONT) and ``start()`` again on the same
port, password and configuration.

Fixtures:

- ``obs_studio`` (session): one running OBS for most tests.
- ``obs`` (function): the session OBS, reset to scene Opening (studio mode off, outputs
  stopped, texts restored) before each test.
- ``disposable_obs`` (function): a private OBS that the test may kill or freeze.

Port and password are random per instance. A missing binary or an OBS that will not
start calls :func:`tests.harness.unavailable` (skip here, failure under ``CI=true``).
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.harness import free_port, quiet_port, unavailable
from tests.harness.xvfb import Xvfb, XvfbError

OBS_BINARY = "/usr/bin/obs"
PLUGIN_DIR = Path("/usr/lib/x86_64-linux-gnu/obs-plugins")
COLLECTION = "StudioScenes"
PROFILE = "StudioProfile"
SCENES = ("Opening", "Product", "BRB")
TEXTS = {"Title": "Welcome", "BRB Text": "Be right back"}
TEXT_FONT = "WenQuanYi Micro Hei"  # renders CJK overlay text; falls back to any font if absent

logging.getLogger("obsws_python").setLevel(logging.CRITICAL)


class ObsStartError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """Child side of Popen: SIGKILL this process when the test process dies (even by a
    fatal error), so no OBS is left burning CPU on the shared machine. Linux sends it when the
    *thread* that started OBS ends: start OBS from a thread that outlives it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: best effort only
        pass


def _global_ini(port: int, password: str) -> str:
    # FirstRun=true + LastVersion present: no auto-configuration wizard.
    # [OBSWebSocket] is where obs-websocket 5.1 (OBS 29) reads its settings.
    return f"""[General]
Pre19Defaults=false
Pre21Defaults=false
Pre23Defaults=false
Pre24.1Defaults=false
FirstRun=true
LastVersion=486539266
ConfirmOnExit=false
EnableAutoUpdates=false
WarnBeforeStartingStream=false
WarnBeforeStoppingStream=false
WarnBeforeStoppingRecord=false
SysTrayEnabled=false

[Basic]
Profile={PROFILE}
ProfileDir={PROFILE}
SceneCollection={COLLECTION}
SceneCollectionFile={COLLECTION}

[BasicWindow]
gridMode=false
PreviewEnabled=false
SysTrayEnabled=false

[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort={port}
AlertsEnabled=false
AuthRequired=true
ServerPassword={password}
"""


def _basic_ini(rec_dir: Path) -> str:
    return f"""[General]
Name={PROFILE}

[Video]
BaseCX=1280
BaseCY=720
OutputCX=1280
OutputCY=720
FPSType=0
FPSCommon=30
ScaleType=bilinear
ColorFormat=NV12

[Audio]
SampleRate=48000
ChannelSetup=Stereo

[Output]
Mode=Simple
Reconnect=true
RetryDelay=1
MaxRetries=20

[SimpleOutput]
FilePath={rec_dir}
RecFormat=mkv
RecQuality=Stream
StreamEncoder=x264
RecEncoder=x264
VBitrate=1500
ABitrate=128
Preset=ultrafast
FileNameWithoutSpace=true
"""


def _source(name: str, sid: str, vid: str, settings: dict) -> dict:
    return {"name": name, "id": sid, "versioned_id": vid, "settings": settings, "enabled": True,
            "muted": False, "volume": 1.0, "balance": 0.5, "mixers": 0, "flags": 0, "sync": 0,
            "monitoring_type": 0, "private_settings": {}, "hotkeys": {}, "filters": []}


def _item(name: str, iid: int, x: float = 0.0, y: float = 0.0) -> dict:
    return {"name": name, "id": iid, "visible": True, "locked": False, "rot": 0.0,
            "pos": {"x": x, "y": y}, "scale": {"x": 1.0, "y": 1.0}, "align": 5, "bounds_type": 0,
            "bounds_align": 0, "bounds": {"x": 0.0, "y": 0.0}, "crop_left": 0, "crop_top": 0,
            "crop_right": 0, "crop_bottom": 0, "scale_filter": "disable", "blend_method": "default",
            "blend_type": "normal", "show_transition": {"duration": 0}, "hide_transition": {"duration": 0},
            "private_settings": {}}


def _scene(name: str, names: list[str]) -> dict:
    items = [_item(n, i + 1, *((100.0, 300.0) if i else (0.0, 0.0))) for i, n in enumerate(names)]
    return _source(name, "scene", "scene", {"custom_size": False, "id_counter": len(names), "items": items})


def _color(name: str, abgr: int) -> dict:
    return _source(name, "color_source", "color_source_v3", {"color": abgr, "width": 1280, "height": 720})


def _text(name: str, text: str) -> dict:
    return _source(name, "text_ft2_source", "text_ft2_source_v2", {
        "text": text, "font": {"face": TEXT_FONT, "style": "Regular", "size": 96, "flags": 0},
        "color1": 0xFFFFFFFF, "color2": 0xFFFFFFFF, "outline": False, "drop_shadow": False,
        "word_wrap": False, "antialiasing": True, "from_file": False})


def scene_collection() -> dict:
    sources = [
        _color("BG Opening", 0xFF7F3F00),  # ABGR: dark blue
        _color("BG Product", 0xFF007F00),  # green
        _color("BG BRB", 0xFF404040),  # grey
        _text("Title", TEXTS["Title"]),
        _text("BRB Text", TEXTS["BRB Text"]),
        # an input with audio (a media source with no file: silent, but it mutes like any mic)
        _source("Jingle", "ffmpeg_source", "ffmpeg_source", {"is_local_file": True, "local_file": ""}),
        _scene("Opening", ["BG Opening", "Title", "Jingle"]),
        _scene("Product", ["BG Product", "Title"]),
        _scene("BRB", ["BG BRB", "BRB Text"]),
    ]
    return {
        "name": COLLECTION, "current_scene": "Opening", "current_program_scene": "Opening",
        "scene_order": [{"name": s} for s in SCENES], "sources": sources, "groups": [],
        "transitions": [], "current_transition": "Cut", "transition_duration": 0,
        "quick_transitions": [], "saved_projectors": [], "preview_locked": False,
        "scaling_enabled": False, "scaling_level": 0, "scaling_off_x": 0.0, "scaling_off_y": 0.0,
        "modules": {},
    }


def websocket_hello(host: str, port: int, timeout: float = 2.0) -> dict | None:
    """The obs-websocket Hello (op 0) payload, or None if nothing answers like OBS."""
    import websocket

    try:
        ws = websocket.create_connection(f"ws://{host}:{port}", timeout=timeout, subprotocols=["obswebsocket.json"])
    except Exception:  # noqa: BLE001 - not up yet, whatever the reason
        return None
    try:
        msg = json.loads(ws.recv())
        return msg["d"] if msg.get("op") == 0 else None
    except Exception:  # noqa: BLE001
        return None
    finally:
        ws.shutdown()


def _listening(port: int) -> bool:
    """Is a TCP socket in LISTEN state on ``port`` (Linux /proc/net/tcp)?"""
    needle = f":{port:04X} "
    try:
        with open("/proc/net/tcp") as f:
            return any(needle in line and line.split()[3] == "0A" for line in f)
    except OSError:
        return False


class HeadlessObs:
    """A private OBS Studio instance (its own HOME, X display, port and password)."""

    def __init__(self, base: Path | None = None, port: int | None = None, password: str | None = None,
                 stream_port: int | None = None) -> None:
        self.base = Path(base) if base else Path(tempfile.mkdtemp(prefix="studio-obs-"))
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.password = password or secrets.token_urlsafe(12)
        self.stream_port = stream_port or quiet_port()  # RTMP target of "Start Streaming"
        self.rec_dir = self.base / "rec"
        self.xvfb = Xvfb()
        self.proc: subprocess.Popen | None = None
        self.hello: dict | None = None
        self.ready_seconds: float | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def log_path(self) -> Path:
        return self.base / "obs.log"

    def write_config(self) -> None:
        """A fresh OBS home, identical on every (re)start: no state leaks between runs."""
        home = self.base / "home"
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(self.base / "runtime", ignore_errors=True)
        cfg = home / ".config" / "obs-studio"
        (cfg / "basic" / "profiles" / PROFILE).mkdir(parents=True)
        (cfg / "basic" / "scenes").mkdir(parents=True)
        (cfg / "plugin_config" / "obs-websocket").mkdir(parents=True)
        (self.base / "runtime").mkdir(mode=0o700)
        self.rec_dir.mkdir(parents=True, exist_ok=True)
        (cfg / "global.ini").write_text(_global_ini(self.port, self.password))
        # obs-websocket >= 5.4 (OBS 30+) reads this file instead; harmless for 5.1.
        (cfg / "plugin_config" / "obs-websocket" / "config.json").write_text(json.dumps({
            "first_load": False, "server_enabled": True, "server_port": self.port,
            "alerts_enabled": False, "auth_required": True, "server_password": self.password}))
        profile = cfg / "basic" / "profiles" / PROFILE
        (profile / "basic.ini").write_text(_basic_ini(self.rec_dir))
        (profile / "service.json").write_text(json.dumps({
            "type": "rtmp_custom",
            "settings": {"server": f"rtmp://127.0.0.1:{self.stream_port}/live", "key": "studio", "use_auth": False}}))
        (cfg / "basic" / "scenes" / f"{COLLECTION}.json").write_text(json.dumps(scene_collection(), indent=1))

    def start(self, timeout: float = 60.0) -> None:
        """Start Xvfb (once) and OBS; return when the websocket says Hello."""
        if self.running:
            raise ObsStartError("OBS already running")
        for path in (OBS_BINARY, PLUGIN_DIR / "obs-websocket.so", PLUGIN_DIR / "text-freetype2.so"):
            if not Path(path).exists():
                raise ObsStartError(f"not installed: {path} (apt-get install obs-studio obs-plugins)")
        if self.xvfb.proc is None:
            try:
                self.xvfb.start(1920, 1080)
            except XvfbError as exc:
                raise ObsStartError(str(exc)) from exc
        self.write_config()
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        env.update(HOME=str(self.base / "home"), XDG_CONFIG_HOME=str(self.base / "home" / ".config"),
                   XDG_RUNTIME_DIR=str(self.base / "runtime"), DISPLAY=self.xvfb.display or "",
                   LIBGL_ALWAYS_SOFTWARE="1", QT_QPA_PLATFORM="xcb", NO_AT_BRIDGE="1")
        t0 = time.monotonic()
        log = self.log_path.open("ab")
        try:
            self.proc = subprocess.Popen(
                [OBS_BINARY, "--multi", "--disable-updater", "--disable-missing-files-check", "--minimize-to-tray",
                 "--collection", COLLECTION, "--profile", PROFILE, "--scene", "Opening"],
                cwd=self.base, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_die_with_parent)
        finally:
            log.close()
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-1500:]
                self.proc = None
                raise ObsStartError(f"OBS exited during startup; log tail:\n{tail}")
            hello = websocket_hello(self.host, self.port, timeout=1.0)
            if hello is not None:
                self.hello = hello
                self.ready_seconds = time.monotonic() - t0
                return
            time.sleep(0.1)
        self.stop()
        raise ObsStartError(f"OBS websocket not answering on port {self.port} after {timeout:.0f} s")

    def stop(self, grace: float = 10.0) -> None:
        """Stop OBS (SIGTERM, then SIGKILL) and keep Xvfb for a later start()."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGCONT)  # a frozen OBS cannot act on SIGTERM
                proc.terminate()
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            except ProcessLookupError:
                pass
        else:
            proc.wait()

    def close(self) -> None:
        """Stop OBS and its Xvfb."""
        self.stop()
        self.xvfb.stop()

    def kill(self) -> None:
        """SIGKILL: OBS vanishes without closing its sockets cleanly."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts TCP connections but nothing answers."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)

    def restart(self, timeout: float = 60.0) -> None:
        self.stop()
        self.start(timeout)

    # ------------------------------------------------------------------ test helpers
    def start_rtmp_sink(self) -> subprocess.Popen:
        """An ffmpeg RTMP server at the profile's stream URL (so "Start Streaming" really
        streams); kill it to make OBS reconnect. The caller stops it with ``stop_sink``."""
        if shutil.which("ffmpeg") is None:
            unavailable("ffmpeg", "not installed (apt-get install ffmpeg)")
        err = tempfile.TemporaryFile()
        proc = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-listen", "1", "-i",
             f"rtmp://127.0.0.1:{self.stream_port}/live/studio", "-f", "null", "-"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 5
        # ffmpeg -listen 1 serves a single client, so don't probe by connecting: look for LISTEN.
        while time.monotonic() < deadline and not _listening(self.stream_port):
            if proc.poll() is not None:
                err.seek(0)
                said = err.read()[-400:].decode(errors="replace").strip()
                raise ObsStartError(f"ffmpeg RTMP sink on port {self.stream_port} exited at once: {said}")
            time.sleep(0.05)
        err.close()
        return proc

    @staticmethod
    def stop_sink(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def client(self, timeout: float = 5.0):
        """A raw obsws-python ReqClient (for tests to check OBS behind our worker's back)."""
        import obsws_python as obs

        return obs.ReqClient(host=self.host, port=self.port, password=self.password, timeout=timeout)

    def reset(self) -> None:
        """Back to a known state: program scene Opening, studio mode off, outputs stopped, texts restored."""
        cl = self.client()
        try:
            if cl.send("GetStudioModeEnabled", raw=True)["studioModeEnabled"]:
                cl.send("SetStudioModeEnabled", {"studioModeEnabled": False})
            for what in ("Stream", "Record"):
                if cl.send(f"Get{what}Status", raw=True)["outputActive"]:
                    cl.send(f"Stop{what}")
            cl.send("SetCurrentProgramScene", {"sceneName": "Opening"})
            cl.send("SetInputMute", {"inputName": "Jingle", "inputMuted": False})
            for name, text in TEXTS.items():
                cl.send("SetInputSettings", {"inputName": name, "inputSettings": {"text": text}, "overlay": True})
            for scene in SCENES:
                for item in cl.send("GetSceneItemList", {"sceneName": scene}, raw=True)["sceneItems"]:
                    if not item["sceneItemEnabled"]:
                        cl.send("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item["sceneItemId"],
                                                        "sceneItemEnabled": True})
        finally:
            cl.base_client.ws.shutdown()

    def __repr__(self) -> str:  # never show the password
        return f"HeadlessObs(port={self.port}, pid={self.pid})"


def _start_or_unavailable(obs: HeadlessObs) -> HeadlessObs:
    try:
        obs.start()
    except ObsStartError as exc:
        obs.close()
        unavailable("OBS Studio", str(exc))
    return obs


@pytest.fixture(scope="session")
def obs_studio(tmp_path_factory):
    """One running headless OBS shared by the session."""
    obs = _start_or_unavailable(HeadlessObs(tmp_path_factory.mktemp("obs-session")))
    yield obs
    obs.close()


@pytest.fixture
def obs(obs_studio):
    """The session OBS, reset to scene Opening before the test (restarted if a test broke it)."""
    if not obs_studio.running:
        _start_or_unavailable(obs_studio)
    try:
        obs_studio.reset()
    except Exception:  # noqa: BLE001 - a previous test left it unusable: start afresh
        try:
            obs_studio.restart()
        except ObsStartError as exc:
            unavailable("OBS Studio", str(exc))
    return obs_studio


@pytest.fixture
def disposable_obs(tmp_path):
    """A private OBS the test may kill, freeze or restart; always cleaned up."""
    obs = _start_or_unavailable(HeadlessObs(tmp_path / "obs"))
    yield obs
    obs.close()
