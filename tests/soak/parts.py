"""The real parts of a soak (issue 20), started as the tests start them (tests/harness/), and
the faults injected into them. Each fault knows how to break its part, how to mend it (the
world coming back, never the console being touched) and which events say the console saw
the break and the recovery."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from tests.harness.audio import VirtualMic
from tests.harness.camera import UdpCameraSender
from tests.harness.obs import HeadlessObs
from tests.harness.postgres import PostgresServer, start_postgres

# What counts as "the console saw it" per device (devices-api.md, "For the soak test").
DEVICE_FAULT_KINDS = frozenset({"device.lost", "device.stalled", "device.frozen", "device.unreachable"})
DEVICE_OK_KINDS = frozenset({"device.ok", "device.test_signal"})


class Programme:
    """Programme audio into the virtual mic: a 20 s file of tone and noise, looped by a
    thread that starts a new player whenever one ends (or the audio server was away)."""

    def __init__(self, mic: VirtualMic) -> None:
        self.mic = mic
        self.path = mic.base / "programme.wav"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="soak-programme", daemon=True)

    def start(self) -> None:
        from scipy.io import wavfile

        rate = self.mic.rate
        t = np.arange(rate * 20) / rate
        rng = np.random.default_rng(1)
        x = 0.1 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t)) + 0.02 * rng.standard_normal(t.size)
        wavfile.write(self.path, rate, x.astype(np.float32))
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                player = subprocess.Popen(["paplay", "-d", "virtspk", str(self.path)], env=self.mic.env(),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                self._stop.wait(0.5)
                continue
            while player.poll() is None and not self._stop.is_set():
                self._stop.wait(0.2)
            if player.poll() is None:
                player.kill()
            player.wait()
            if player.returncode != 0:
                self._stop.wait(0.3)  # the server is away: try again shortly

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(3)


class SqliteDisk:
    """The local log's own small disk: a tmpfs (as root) that a filler file can fill."""

    def __init__(self, base: Path, size_mb: int = 64) -> None:
        self.path = base / "sqlite-disk"
        self.path.mkdir(parents=True, exist_ok=True)
        self.size_mb = size_mb
        self.mounted = False
        self.how = ""

    def mount(self) -> None:
        if os.geteuid() == 0:
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m", "tmpfs", str(self.path)],
                               capture_output=True, text=True)
            self.mounted = r.returncode == 0
        self.how = f"tmpfs {self.size_mb} MB" if self.mounted else "no disk of its own (not root): the disk-full fault is skipped"

    def fill(self) -> None:
        """Write zeros until the disk says ENOSPC (unbuffered: no flush left to fail later)."""
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 20, 4096, 512):
                block = b"\0" * size
                try:
                    while True:
                        os.write(fd, block)
                except OSError:
                    pass  # full at this block size: try a smaller one, so not a page is left
        finally:
            os.close(fd)

    def free(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
            self.mounted = False


@dataclass
class Parts:
    base: Path
    obs: HeadlessObs
    mic: VirtualMic
    camera: UdpCameraSender
    pg: PostgresServer
    disk: SqliteDisk
    programme: Programme
    pg_url: str = ""
    views: Any = None  # tests.soak.views.Views: the room feed, remote clients and phone the faults below misbehave

    @classmethod
    def start(cls, say: Callable[[str], None]) -> "Parts":
        base = Path(tempfile.mkdtemp(prefix="studio-soak-"))
        say("starting PostgreSQL")
        pg = start_postgres()
        pg_url = pg.url(pg.create_database("soak"))
        say("starting the virtual microphone (PulseAudio)")
        mic = VirtualMic(base / "mic")
        mic.base.mkdir(parents=True, exist_ok=True)
        mic.start()
        os.environ["PULSE_SERVER"] = mic.server  # the PortAudio child processes inherit it
        programme = Programme(mic)
        programme.start()
        say("starting the ffmpeg UDP camera")
        camera = UdpCameraSender(picture="moving", size="640x360", rate=25).start()
        say("starting OBS (headless, Xvfb)")
        obs = HeadlessObs(base / "obs")
        obs.start()
        disk = SqliteDisk(base)
        disk.mount()
        return cls(base, obs, mic, camera, pg, disk, programme, pg_url)

    def close(self) -> None:
        for step in (self.programme.stop, self.camera.kill, self.obs.close, self.mic.stop, self.pg.destroy,
                     self.disk.unmount):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - tear down the rest whatever one part does
                print(f"[soak] cleanup {getattr(step, '__qualname__', step)}: {exc}")
        shutil.rmtree(self.base, ignore_errors=True)


# ------------------------------------------------------------------------------ faults
@dataclass
class FaultKind:
    name: str
    device: str  # the event source that reports it ("obs", "mic", "camera", "db.sqlite", "db.postgres")
    hold: tuple[float, float]  # seconds the part stays broken (seeded within this range)
    inject: Callable[[Parts], None]
    heal: Callable[[Parts], None]
    detect: frozenset[str] = DEVICE_FAULT_KINDS
    recover: frozenset[str] = DEVICE_OK_KINDS
    # Every symptom the console must show between injection and recovery (else "undetected").
    requires: frozenset[str] = frozenset()
    # Recovered only by what happens after the part came back (a client's next action works).
    recover_after_heal: bool = False
    heal_s: float = 0.0  # how long mending may take (a client leaving only once it was dropped)
    # Started the moment the part is back, so "recovered" is measured, not waited for.
    probe: Callable[[Parts], None] | None = None


def _obs_restart(p: Parts) -> None:
    p.obs.start(timeout=60)


def _mic_restart(p: Parts) -> None:
    p.mic.start()


def _mic_source_back(p: Parts) -> None:
    """The USB mic plugged back: the source returns and, as module-switch-on-connect does on
    a desktop, the capture streams are moved onto it."""
    p.mic.pactl("load-module", "module-remap-source", "source_name=virtmic", "master=virtspk.monitor",
                "source_properties=device.description=VirtualMic")
    p.mic.pactl("set-default-source", "virtmic")
    for line in p.mic.pactl("list", "short", "source-outputs").splitlines():
        out = line.split("\t")[0]
        if out.isdigit():
            p.mic.pactl("move-source-output", out, "virtmic", check=False)


def _camera_back(p: Parts) -> None:
    p.camera.start()


def _pg_down(p: Parts) -> None:
    p.pg.stop("immediate")


def _pg_up(p: Parts) -> None:
    p.pg.start()


def _obs_freeze(p: Parts) -> None:
    p.obs.freeze()


def _obs_thaw(p: Parts) -> None:
    p.obs.thaw()


FAULTS: dict[str, FaultKind] = {f.name: f for f in (
    FaultKind("obs_killed", "obs", (1.0, 4.0), lambda p: p.obs.kill(), _obs_restart),
    FaultKind("obs_frozen", "obs", (5.0, 20.0), _obs_freeze, _obs_thaw),
    FaultKind("pulseaudio_killed", "mic", (1.0, 4.0), lambda p: p.mic.kill(), _mic_restart),
    # Dead air is a signal state (devices-api.md): seen as dead_air_start/_end once the
    # silence has lasted the console's dead-air time (8 s), so it is held longer than that.
    FaultKind("mic_source_unloaded", "mic", (11.0, 14.0), lambda p: p.mic.unload_virtual_source(), _mic_source_back,
              frozenset({"dead_air_start"}), frozenset({"dead_air_end"})),
    FaultKind("camera_stopped", "camera", (2.0, 6.0), lambda p: p.camera.kill(), _camera_back),
    FaultKind("postgres_restarted", "db.postgres", (2.0, 6.0), _pg_down, _pg_up,
              frozenset({"degraded"}), frozenset({"ok"})),
    # Seen when the desk is told: the log's space watch says the disk is full (WARNING, still
    # writing while the WAL has pages), or a write failed (DEGRADED); recovered at OK.
    FaultKind("sqlite_disk_full", "db.sqlite", (3.0, 8.0), lambda p: p.disk.fill(), lambda p: p.disk.free(),
              frozenset({"degraded", "warning"}), frozenset({"ok"})),
    # The bridge floods the ingest endpoint (requests beyond the rate, a body over the limit:
    # refused 429/413, counted and logged), then says nothing for the rest of the hold (over
    # the dock's 10 s, so it must say DATA STALE), then resumes: fresh data clears it.
    FaultKind("room_flood_silent", "room", (15.0, 19.0), lambda p: p.views.room_flood(),
              lambda p: p.views.room_resume(), frozenset({"room.rejected"}), frozenset({"fresh"}),
              requires=frozenset({"room.rejected", "stale"}), recover_after_heal=True),
    # Another machine on the LAN: a wrong token, malformed JSON and OSC, a WebSocket that never
    # reads, a flood beyond the rate limit. It leaves once the server dropped its WebSocket;
    # recovered when the well-behaved deck is served (probed at once, then every 0.1 s) and
    # none of the bad client's sockets is left.
    FaultKind("remote_misbehaving", "remote", (3.0, 6.0), lambda p: p.views.remote_misbehave(),
              lambda p: p.views.remote_client_gone(),
              frozenset({"refused_token", "malformed_json", "malformed_osc", "rate_limited"}), frozenset({"deck_ok"}),
              requires=frozenset({"refused_token", "malformed_json", "malformed_osc", "rate_limited", "dropped"}),
              recover_after_heal=True, heal_s=30.0, probe=lambda p: p.views.remote_probe()),
    # The phone's browser crashes; a new one opens the same link and the page reconnects.
    FaultKind("phone_killed", "phone", (2.0, 5.0), lambda p: p.views.phone_kill(), lambda p: p.views.phone_restart(),
              frozenset({"gone"}), frozenset({"back"}), heal_s=15.0),
)}


@dataclass
class FaultRun:
    kind: FaultKind
    injected: float = 0.0  # monotonic
    healed: float | None = None
    detected: float | None = None
    recovered: float | None = None
    error: str = ""
    threads_after: int | None = None
    fds_after: int | None = None
    missing: list[str] = field(default_factory=list)  # symptoms the console never showed
    threads_extra: list[str] = field(default_factory=list)  # threads above the start's, by name, after it
    notes: list[str] = field(default_factory=list)

    @property
    def detect_s(self) -> float | None:
        return None if self.detected is None else self.detected - self.injected

    @property
    def recover_s(self) -> float | None:
        """From the part coming back to the console reporting it working again."""
        if self.recovered is None or self.healed is None or self.detected is None:
            return None  # never seen broken: no recovery time to speak of (counted as undetected)
        return max(0.0, self.recovered - self.healed)


def stop_everything_frozen(p: Parts) -> None:
    """Never leave a SIGSTOPped OBS behind (an interrupted run)."""
    if p.obs.proc is not None:
        try:
            os.kill(p.obs.proc.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
