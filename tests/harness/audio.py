"""A real microphone path for tests: a private user-mode PulseAudio with a virtual mic.

    virtspk : null sink (48 kHz, mono, float32): tests play signals INTO it
    virtmic : remap of virtspk.monitor, the default source: PortAudio records it
              through ALSA's pulse plugin as device 'pulse' (also 'default')
    keepalive null source -> loopback -> virtspk keeps the sink clocked at 10 ms,
              so a new capture stream gets its first callback at once

The session fixture puts ``PULSE_SERVER`` in the environment, which the app's PortAudio
child processes inherit. The fixture also gives helpers to play a tone, kill,
freeze (SIGSTOP), thaw and restart the server, and unload the virtual source.
"""
from __future__ import annotations

import os
import signal
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from tests.harness import need_binary, unavailable

RATE = 48000


class VirtualMic:
    """One private PulseAudio server (its own socket dir, HOME and runtime dir)."""

    def __init__(self, base: Path, rate: int = RATE) -> None:
        self.base = base
        self.rate = rate
        self.sock = base / "native"
        self.server = f"unix:{self.sock}"
        self.pid: int | None = None
        self._players: list[subprocess.Popen] = []

    # --- environment -------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            HOME=str(self.base / "home"),
            XDG_RUNTIME_DIR=str(self.base / "run"),
            PULSE_SERVER=self.server,
        )
        return env

    def _script(self) -> str:
        r = self.rate
        return (
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.sock}\n"
            f"load-module module-null-sink sink_name=virtspk format=float32le rate={r} channels=1 "
            "sink_properties=device.description=VirtualSpeaker\n"
            "load-module module-remap-source source_name=virtmic master=virtspk.monitor "
            "source_properties=device.description=VirtualMic\n"
            f"load-module module-null-source source_name=keepalive format=float32le rate={r} channels=1 max_latency_msec=10\n"
            "load-module module-loopback source=keepalive sink=virtspk latency_msec=10 "
            "source_dont_move=true sink_dont_move=true\n"
            "set-default-sink virtspk\n"
            "set-default-source virtmic\n"
        )

    # --- life cycle ----------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        # A killed daemon can linger as a zombie (pid 1 in a container may not reap it)
        # and its pid file would make the new one refuse to start: begin with a clean dir.
        shutil.rmtree(self.base / "run", ignore_errors=True)
        for d in ("home", "run"):
            (self.base / d).mkdir(parents=True, exist_ok=True)
        os.chmod(self.base / "run", 0o700)
        if self.sock.exists():
            self.sock.unlink()
        script = self.base / "virtmic.pa"
        script.write_text(self._script())
        log = self.base / "pulse.log"
        proc = subprocess.run(
            [
                "pulseaudio", "-n", "-F", str(script), "--daemonize=yes", "--use-pid-file=yes",
                "--exit-idle-time=-1", "--disallow-exit=yes", "--disallow-module-loading=no",
                f"--log-target=file:{log}", "--log-level=notice",
            ],
            env=self.env(), capture_output=True, text=True, timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"pulseaudio failed ({proc.returncode}): {proc.stderr.strip()} {log.read_text() if log.exists() else ''}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "virtmic" in self.pactl("list", "short", "sources", check=False):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"pulseaudio did not come up: {log.read_text() if log.exists() else ''}")
        self.pid = int((self.base / "run" / "pulse" / "pid").read_text().strip())
        self._warm_up()

    def _warm_up(self) -> None:
        """Record a few ms once: the first capture stream of a fresh server waits ~2 s
        (the null sink's initial render block); after that new streams start at once."""
        subprocess.run(
            f"timeout 5 parec -d virtmic --rate={self.rate} --channels=1 --format=float32le "
            "--latency-msec=10 2>/dev/null | head -c 1920 > /dev/null",
            shell=True, env=self.env(), timeout=10, check=False,
        )

    def alive(self) -> bool:
        return self.pid is not None and Path(f"/proc/{self.pid}").exists()

    def _signal(self, sig: int) -> None:
        if self.pid is not None and self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass  # it ended between the look and the signal

    def kill(self) -> None:
        """kill -9 the server (an audio server crash)."""
        self.stop_players()
        self._signal(signal.SIGKILL)
        self._wait_gone(5.0)
        self.pid = None

    def freeze(self) -> None:
        """SIGSTOP: the server hangs, no error reaches the client."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def restart(self) -> None:
        if self.alive():
            self.kill()
        self.start()

    def stop(self) -> None:
        self.stop_players()
        if self.alive():
            self._signal(signal.SIGCONT)
            self._signal(signal.SIGTERM)
            if not self._wait_gone(5.0):
                self._signal(signal.SIGKILL)
                self._wait_gone(5.0)
        self.pid = None

    def _wait_gone(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            # reap if it is our child (it is not: it daemonised), else just poll /proc
            time.sleep(0.02)
            try:
                if Path(f"/proc/{self.pid}/stat").read_text().split()[2] == "Z":
                    return True
            except OSError:
                return True
        return not self.alive()

    # --- control -------------------------------------------------------------------
    def pactl(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(["pactl", *args], env=self.env(), capture_output=True, text=True, timeout=10)
        if check and proc.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)}: {proc.stderr.strip()}")
        return proc.stdout

    def unload_virtual_source(self) -> None:
        """Remove the remap source 'virtmic' (a USB mic unplugged, seen through PulseAudio)."""
        for line in self.pactl("list", "short", "modules").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1] == "module-remap-source" and "virtmic" in parts[2]:
                self.pactl("unload-module", parts[0])
                return
        raise RuntimeError("module-remap-source for virtmic is not loaded")

    def write_tone(self, path: Path, freq: float = 1000.0, peak_dbfs: float = -20.0, seconds: float = 5.0) -> Path:
        from scipy.io import wavfile

        t = np.arange(int(self.rate * seconds)) / self.rate
        x = (10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)
        wavfile.write(path, self.rate, x)
        return path

    def play(self, path: Path) -> subprocess.Popen:
        """Play a file into the virtual mic (unity gain, bit-exact level); returns the player."""
        p = subprocess.Popen(
            ["paplay", "-d", "virtspk", str(path)], env=self.env(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._players.append(p)
        return p

    def play_tone(self, freq: float = 1000.0, peak_dbfs: float = -20.0, seconds: float = 5.0) -> subprocess.Popen:
        path = self.base / f"tone-{freq:g}-{peak_dbfs:g}-{seconds:g}.wav"
        if not path.exists():
            self.write_tone(path, freq, peak_dbfs, seconds)
        return self.play(path)

    def stop_players(self) -> None:
        for p in self._players:
            if p.poll() is None:
                p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._players.clear()


@pytest.fixture(scope="session")
def _virtual_mic_server():
    need_binary("virtual microphone", "pulseaudio", "pactl", "paplay")
    base = Path(tempfile.mkdtemp(prefix="studio-mic-"))
    mic = VirtualMic(base)
    try:
        mic.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(base, ignore_errors=True)
        unavailable("virtual microphone", str(exc))
    old = os.environ.get("PULSE_SERVER")
    # PortAudio runs in the app's child processes, which inherit this.
    os.environ["PULSE_SERVER"] = mic.server
    from hardware.audio.devices import probe_input_devices

    probe = probe_input_devices()
    if probe.error:
        mic.stop()
        shutil.rmtree(base, ignore_errors=True)
        unavailable("virtual microphone", f"PortAudio: {probe.error}")
    try:
        yield mic
    finally:
        mic.stop()
        if old is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = old
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def virtual_mic(_virtual_mic_server):
    """The running virtual mic; restored (running, thawed, source loaded) after each test."""
    mic = _virtual_mic_server
    yield mic
    mic.stop_players()
    mic.thaw()
    if not mic.alive():
        mic.start()
    elif "virtmic" not in mic.pactl("list", "short", "sources", check=False):
        mic.stop()
        mic.start()
