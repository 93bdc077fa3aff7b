"""Stands in for hardware.audio.portaudio_child with PortAudio's worst behaviour, so tests can
show the console survives it. Same protocol (JSON answer line, then <II headers + float32).

    fake_portaudio_child.py capture ...   (the real child's arguments; ignored)

``FAKE_PA_DIR`` holds ``plan`` (one mode per line, one line per start; the last repeats) and
receives ``spawns`` (pid and start time per start) and ``spin_at`` (when the spin began).
Modes:
    ok           a -20 dBFS 1 kHz tone in 10 ms blocks in real time; leaves when stdin closes
    overflow     the same, with PortAudio's input-overflow flag on every 50th block
    spin_after:N N blocks of tone, then PortAudio issue #1037: no more audio, the ALSA error
                 line written to stderr in an endless loop; stdin and SIGTERM ignored
    hang         tone, but never leaves by itself (stdin and SIGTERM ignored)
Times are time.monotonic() (CLOCK_MONOTONIC: the same clock in every process).
"""
import json
import math
import os
import signal
import struct
import sys
import threading
import time

RATE, CH, BLOCK = 48000, 2, 480
SPIN_LINE = (b"Expression 'self->capture.ready || self->playback.ready' failed in "
             b"'src/hostapi/alsa/pa_linux_alsa.c', line: 3958\n")


def block(n0, flags=0):
    amp = 10 ** (-20 / 20)
    samples = []
    for i in range(BLOCK):
        v = amp * math.sin(2 * math.pi * 1000 * (n0 + i) / RATE)
        samples += [v] * CH
    return struct.pack("<II", BLOCK, flags) + struct.pack(f"<{BLOCK * CH}f", *samples)


def main():
    base = os.environ["FAKE_PA_DIR"]
    with open(os.path.join(base, "spawns"), "a") as f:
        f.write(f"{os.getpid()} {time.monotonic()}\n")
    with open(os.path.join(base, "spawns")) as f:
        index = len(f.read().splitlines()) - 1
    with open(os.path.join(base, "plan")) as f:
        plan = f.read().split()
    mode = plan[min(index, len(plan) - 1)]
    os.write(1, json.dumps({"ok": True, "device": "fake", "index": 0, "hostapi": "ALSA",
                            "samplerate": RATE, "channels": CH}).encode() + b"\n")
    if mode in ("ok", "overflow"):
        def leave_on_eof():
            while os.read(0, 4096):
                pass
            os._exit(0)

        threading.Thread(target=leave_on_eof, daemon=True).start()
    else:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    limit = int(mode.split(":")[1]) if mode.startswith("spin_after:") else None
    n, start = 0, time.monotonic()
    while limit is None or n < limit:
        os.write(1, block(n * BLOCK, 1 if mode == "overflow" and n % 50 == 49 else 0))
        n += 1
        delay = start + n * BLOCK / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    with open(os.path.join(base, "spin_at"), "w") as f:
        f.write(str(time.monotonic()))
    chunk = SPIN_LINE * 400
    while True:
        os.write(2, chunk)


if __name__ == "__main__":
    main()
