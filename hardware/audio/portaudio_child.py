"""The only program that talks to PortAudio: run as a child process of the console.

    python -m hardware.audio.portaudio_child capture --device NAME --rate 48000 --channels 2 --blocksize 480
    python -m hardware.audio.portaudio_child tone --hz 1000 --peak-dbfs -20

Why a child: PortAudio 19.6's ALSA back end (Debian 12's libportaudio2, and the copy the
bundle carries) can end up in an endless loop inside its error handler when the audio
server or a USB device disappears under a running stream (PortAudio issue #1037): the
stream thread prints ``Expression 'self->capture.ready || self->playback.ready' failed``
thousands of times a second, burns a core and never returns from ``Pa_AbortStream``.
A frozen audio server can also hang ``Pa_Initialize`` or a stream open. None of that may
reach the console: here a stuck stream is ended by killing this process, which always works.

Protocol (stdout, binary). First one line of JSON: ``{"ok": true, "device", "index",
"hostapi", "samplerate", "channels"}`` or ``{"ok": false, "error": "..."}`` (then exit 3).
PortAudio's callback only copies into a preallocated ring and counts overflows (as
in-process capture would); a sender thread sends what arrived every 5 ms: a header ``<II``
(frames, samples-lost events since the last send) and ``frames * channels`` float32
samples, interleaved. End of file means the stream ended. The child exits at once when its stdin closes (the console closed it, or
the console died), without touching PortAudio again.

Imports numpy but not scipy or the analysis, so it starts in about a third of a second.
"""
from __future__ import annotations

import argparse
import array
import json
import math
import os
import signal
import struct
import sys
import threading
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from hardware.audio import devices
from hardware.audio.ring import SampleRing

HEADER = struct.Struct("<II")  # frames, samples-lost events (PortAudio overflows, ring overruns) since the last send
RING_FRAMES = 1 << 16  # 1.4 s at 48 kHz
EXIT_CANNOT_OPEN = 3
EXIT_STREAM_ENDED = 4


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _say(fd: int, message: dict) -> None:
    _write_all(fd, (json.dumps(message, ensure_ascii=False) + "\n").encode())


def _exit_when_stdin_closes() -> None:
    """The console closes our stdin to stop us (or dies): leave at once. PortAudio is not
    asked to close anything, since a broken stream may never return from that."""
    def watch() -> None:
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        os._exit(0)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def _import_sounddevice():  # noqa: ANN202
    try:
        return devices._sd(), ""
    except OSError as exc:  # "PortAudio library not found"
        return None, f"PortAudio is not available: {exc}"


def _send(ring: SampleRing, fd: int, period: float = 0.005) -> None:
    """The sender thread: every ``period`` what the ring holds goes onto ``fd`` with the
    number of PortAudio overflows (and ring overruns) since the last send. This thread,
    not PortAudio's callback, is the one that may wait on the pipe."""
    sent_overflows = sent_dropped = 0
    while True:
        time.sleep(period)
        block = ring.read()
        lost = ring.overflows - sent_overflows + (ring.dropped > sent_dropped)
        sent_overflows, sent_dropped = ring.overflows, ring.dropped
        if block.shape[0] or lost:
            try:
                _write_all(fd, HEADER.pack(block.shape[0], lost) + block.tobytes())
            except OSError:  # the console went away
                os._exit(0)


def _widen_pipe(fd: int, size: int = 1 << 20) -> None:
    """A 1 MB pipe (Linux; 64 KB by default) holds ~2.7 s of stereo float32, so the sender
    only waits if the console stops reading for that long; the ring then overruns and the
    loss is counted and sent, never hidden."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setpipe is None:
        return
    try:
        fcntl.fcntl(fd, setpipe, size)
    except OSError:  # above /proc/sys/fs/pipe-max-size, or not a pipe: keep the default
        pass


def capture(sd, args: argparse.Namespace) -> int:  # noqa: ANN001 - sd: the sounddevice module
    out = 1
    _widen_pipe(out)
    found_list = devices.list_input_devices()
    found = devices.find_input_device(args.device, found_list)
    if found is None:
        what = f"input device {args.device!r}" if args.device else "any input device"
        names = ", ".join(d.name for d in found_list) or "none"
        _say(out, {"ok": False, "error": f"{what} not found (PortAudio sees: {names})"})
        return EXIT_CANNOT_OPEN
    channels = max(1, min(args.channels, found.max_input_channels))
    ended = threading.Event()
    ring = SampleRing(RING_FRAMES, channels)  # PortAudio's callback only copies into it and counts overflows
    last_error: Exception | None = None
    for rate in dict.fromkeys([args.rate, int(found.default_samplerate)]):
        try:
            stream = sd.InputStream(
                device=found.index, samplerate=rate, channels=channels, dtype="float32",
                blocksize=args.blocksize, latency="low", callback=ring.callback, finished_callback=ended.set,
            )
        except (sd.PortAudioError, ValueError) as exc:
            last_error = exc
            continue
        _say(out, {"ok": True, "device": found.name, "index": found.index, "hostapi": found.hostapi,
                   "samplerate": int(rate), "channels": channels})
        try:
            stream.start()
        except sd.PortAudioError as exc:
            print(f"cannot start the input stream: {exc}", file=sys.stderr, flush=True)
            return EXIT_STREAM_ENDED  # the console reads end of file: the stream ended
        threading.Thread(target=_send, args=(ring, out), name="sender", daemon=True).start()
        ended.wait()
        time.sleep(0.02)  # the sender's last round
        print("the input stream ended", file=sys.stderr, flush=True)
        return EXIT_STREAM_ENDED
    _say(out, {"ok": False, "error": f"cannot open input device {found.name!r}: {last_error}"})
    return EXIT_CANNOT_OPEN


def tone(sd, args: argparse.Namespace) -> int:  # noqa: ANN001
    """A sine on the default output until stdin closes (the self-test's level check)."""
    out = 1
    amp = 10 ** (args.peak_dbfs / 20)
    step = 2 * math.pi * args.hz / args.rate
    phase = [0.0]

    def callback(outdata, frames, time_info, status) -> None:  # noqa: ANN001
        p = phase[0]
        outdata[:] = array.array("f", [amp * math.sin(p + i * step) for i in range(frames)]).tobytes()
        phase[0] = (p + frames * step) % (2 * math.pi)

    try:
        stream = sd.RawOutputStream(samplerate=args.rate, channels=1, dtype="float32", callback=callback)
        stream.start()
    except (sd.PortAudioError, ValueError) as exc:
        _say(out, {"ok": False, "error": f"cannot play a tone on the default output: {exc}"})
        return EXIT_CANNOT_OPEN
    _say(out, {"ok": True, "hz": args.hz, "peak_dbfs": args.peak_dbfs})
    threading.Event().wait()  # until stdin closes
    return 0


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the console's; it stops us via stdin
    parser = argparse.ArgumentParser(prog="portaudio_child")
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--device", default="")
    c.add_argument("--rate", type=int, default=48000)
    c.add_argument("--channels", type=int, default=2)
    c.add_argument("--blocksize", type=int, default=480)
    t = sub.add_parser("tone")
    t.add_argument("--hz", type=float, default=1000.0)
    t.add_argument("--peak-dbfs", type=float, default=-20.0)
    t.add_argument("--rate", type=int, default=48000)
    args = parser.parse_args(argv)
    _exit_when_stdin_closes()
    sd, why = _import_sounddevice()
    if sd is None:
        _say(1, {"ok": False, "error": why})
        code = EXIT_CANNOT_OPEN
    else:
        code = capture(sd, args) if args.cmd == "capture" else tone(sd, args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # never run PortAudio's exit handler: a broken stream may hang it


if __name__ == "__main__":
    main()
